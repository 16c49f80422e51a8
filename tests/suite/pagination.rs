//! Long lists continue on numbered pages (`paginate_by`): every item on exactly
//! one page, in the list's order, with figures that count the whole list and a
//! page bar that links the pages, for whole lists and filtered ones.

use crate::common;

use common::{Site, brief, hrefs, page, texts};

const CONFIG: &str = "title: Long lists\npaginate_by: 2\nwarnings:\n  no-evidence: false\n  uncovered-pain: false\n  covers-nothing: false\n  discovery-gap: false\n";

/// Five pains ranked a > b > c > d > e by severity, three of them in one bucket.
fn five_pains(config: &str) -> Site {
    let site = Site::with_config(config);
    for (id, severity, bucket) in
        [("a", 5, "Slow"), ("b", 4, "Trust"), ("c", 3, "Slow"), ("d", 2, "Slow"), ("e", 1, "Trust")]
    {
        site.write(
            &format!("content/pain/{id}.md"),
            &format!("---\ntitle: {id}\nseverity: {severity}\nbucket: {bucket}\n---\n"),
        );
    }
    site
}

#[test]
fn a_long_list_continues_on_numbered_pages_with_every_item_once_in_rank_order() {
    let site = five_pains(CONFIG);
    site.build();
    let rows = |rel: &str| texts(&page(&site, rel), "main table tbody th");
    assert_eq!(rows("pain/index.html"), ["a", "b"]);
    assert_eq!(rows("pain/page/2/index.html"), ["c", "d"]);
    assert_eq!(rows("pain/page/3/index.html"), ["e"]);
    assert!(!site.out().join("pain/page/4").exists());
    assert!(!site.out().join("pain/page/1").exists(), "the first page keeps the list's address");

    let second = page(&site, "pain/page/2/index.html");
    assert_eq!(texts(&second, "h1"), ["Pains, page 2 of 3"]);
    assert_eq!(texts(&second, "title")[0].split(" · ").next(), Some("Pains, page 2 of 3"));
    assert_eq!(texts(&second, "main table caption"), ["3–4 of 5 pains, highest priority first"]);
    // Ranks are places in the whole list, and so are places in a bucket.
    assert_eq!(texts(&second, "main table tbody td.num:first-child"), ["3", "4"]);
    let cards = texts(&second, ".bucket .card-meta dd");
    assert!(cards.contains(&"#2 in bucket · #3 overall".to_string()), "{cards:?}");
    assert!(cards.contains(&"#3 in bucket · #4 overall".to_string()), "{cards:?}");
    // A bucket heading counts the whole bucket, not the page.
    assert_eq!(texts(&second, ".bucket-title .count"), ["3 pains"]);

    // The page bar: previous, every page (the current one marked), next.
    assert_eq!(
        hrefs(&second, "nav.pager a"),
        [
            "../../../pain/index.html",
            "../../../pain/index.html",
            "../../../pain/page/2/index.html",
            "../../../pain/page/3/index.html",
            "../../../pain/page/3/index.html"
        ]
    );
    assert_eq!(texts(&second, "nav.pager a[aria-current=page]"), ["Page 2"]);
    assert_eq!(hrefs(&second, "nav.pager a[rel=prev]"), ["../../../pain/index.html"]);
    let first = page(&site, "pain/index.html");
    assert!(hrefs(&first, "nav.pager a[rel=prev]").is_empty());
    assert_eq!(hrefs(&first, "nav.pager a[rel=next]"), ["../pain/page/2/index.html"]);
    let last = page(&site, "pain/page/3/index.html");
    assert!(hrefs(&last, "nav.pager a[rel=next]").is_empty());
    // Shared assets resolve from the deeper folder.
    assert_eq!(hrefs(&second, "link[rel=stylesheet]")[0], "../../../style.css");
}

#[test]
fn a_filtered_list_is_paged_under_its_own_address() {
    let site = five_pains(CONFIG);
    site.build();
    let rows = |rel: &str| texts(&page(&site, rel), "main table tbody th");
    assert_eq!(rows("pain/_by/bucket/slow/index.html"), ["a", "c"]);
    assert_eq!(rows("pain/_by/bucket/slow/page/2/index.html"), ["d"]);
    assert_eq!(rows("pain/_by/bucket/trust/index.html"), ["b", "e"]);
    assert!(!site.out().join("pain/_by/bucket/trust/page").exists(), "two pains fit on one page");
    let second = page(&site, "pain/_by/bucket/slow/page/2/index.html");
    assert_eq!(texts(&second, "h1"), ["Pains: Slow, page 2 of 2"]);
    // The filter bar says what the whole filtered list holds, on every page.
    assert_eq!(texts(&second, ".filter-current"), ["Showing 3 of 5 pains: Bucket is Slow . Show all pains"]);
    assert_eq!(hrefs(&second, "nav.pager a[rel=prev]"), ["../../../../../../pain/_by/bucket/slow/index.html"]);
    // The current filter is marked on each of its pages; only its first page is the page its link leads to.
    let first = page(&site, "pain/_by/bucket/slow/index.html");
    assert_eq!(texts(&first, ".filters a[aria-current=page]"), ["Slow 3"]);
    assert_eq!(texts(&second, ".filters a[aria-current=page]"), Vec::<String>::new());
    assert_eq!(texts(&second, ".filters a[aria-current=true]"), ["Slow 3"]);
}

#[test]
fn paginate_by_zero_keeps_every_item_on_one_page() {
    let site = five_pains(&CONFIG.replace("paginate_by: 2", "paginate_by: 0"));
    site.build();
    let html = page(&site, "pain/index.html");
    assert_eq!(texts(&html, "main table tbody th"), ["a", "b", "c", "d", "e"]);
    assert_eq!(texts(&html, "h1"), ["Pains"]);
    assert!(texts(&html, "nav.pager").is_empty());
    assert!(!site.out().join("pain/page").exists());
}

#[test]
fn each_board_column_continues_on_its_own_and_counts_the_whole_list() {
    let site = Site::with_config(CONFIG);
    site.write("content/solutions/s.md", "---\ntitle: S\n---\n");
    for (id, status) in [("a", "planned"), ("b", "planned"), ("c", "planned"), ("d", "running")] {
        site.write(
            &format!("content/experiments/{id}.md"),
            &format!("---\ntitle: {id}\ntests: s\nhypothesis: H\nfalsified_if: K\nstatus: {status}\n---\n"),
        );
    }
    site.build();
    let board = |rel: &str| texts(&page(&site, rel), ".board article .card-title");
    // Four cards, two a page: each page shows a share of every column, and
    // page 1 starts every column, so no column waits for a longer one before it.
    assert_eq!(board("experiments/index.html"), ["a", "d"]);
    assert_eq!(board("experiments/page/2/index.html"), ["b"]);
    assert_eq!(board("experiments/page/3/index.html"), ["c"]);
    assert!(!site.out().join("experiments/page/4").exists(), "the longest column takes three pages");
    let second = page(&site, "experiments/page/2/index.html");
    let counts = texts(&second, ".board-column .column-title .count");
    assert_eq!(counts[..2], ["3 experiments", "1 experiment"]);
    let columns = texts(&second, ".board-column");
    assert!(columns[1].contains("None on this page"), "{columns:?}");
    assert!(columns[2].ends_with("None"), "{columns:?}");
}

#[test]
fn a_bad_paginate_by_is_an_error_that_names_its_place() {
    let site = Site::with_config("title: T\npaginate_by: -3\n");
    let diags = site.check();
    assert_eq!(brief(&diags), ["charted.yaml:2:14 `paginate_by` is -3, but it must be from 0 to 100000"]);
    assert!(diags[0].help.as_deref().is_some_and(|h| h.contains("paginate_by: 50")), "{:?}", diags[0].help);
}

#[test]
fn roadmap_columns_show_a_page_of_solutions_and_link_to_the_rest() {
    let site = five_pains(CONFIG);
    // Value per effort falls from s1 to s5; s6 is planned for now.
    for (n, effort) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)] {
        site.write(
            &format!("content/solutions/s{n}.md"),
            &format!("---\ntitle: s{n}\naddresses: [a]\nphase: later\neffort: {effort}\n---\n"),
        );
    }
    site.write("content/solutions/s6.md", "---\ntitle: s6\naddresses: [b]\nphase: now\neffort: 1\n---\n");
    site.build();
    let roadmap = page(&site, "roadmap/index.html");
    assert_eq!(texts(&roadmap, ".phase-col-later .card-title"), ["s1", "s2"], "the most value per effort first");
    assert_eq!(texts(&roadmap, ".phase-col-later .column-title .count"), ["5 solutions"]);
    assert_eq!(hrefs(&roadmap, ".phase-col-later .column-more a"), ["../solutions/_by/phase/later/index.html"]);
    let later = page(&site, "solutions/_by/phase/later/page/3/index.html");
    let mut rows = texts(&later, "main table tbody th a");
    rows.dedup(); // the list, then the coverage matrix
    assert_eq!(rows, ["s5"], "the filtered list has them all");
    // A column that fits has no link.
    assert_eq!(texts(&roadmap, ".phase-col-now .card-title"), ["s6"]);
    assert!(hrefs(&roadmap, ".phase-col-now .column-more a").is_empty());
}

#[test]
fn the_dashboard_lists_the_first_ten_planned_solutions_and_counts_them_all() {
    let site = five_pains(CONFIG);
    for n in 0..12 {
        site.write(
            &format!("content/solutions/s{n:02}.md"),
            &format!("---\ntitle: s{n:02}\naddresses: [a]\nphase: next\neffort: 1\n---\n"),
        );
    }
    site.build();
    let dashboard = page(&site, "index.html");
    let planned = texts(&dashboard, "section[aria-labelledby=planned-heading] .item-list a");
    assert_eq!(planned.len(), 10, "{planned:?}");
    let counts = texts(&dashboard, "section[aria-labelledby=planned-heading] p.muted");
    assert!(counts[0].starts_with("12 planned solutions;"), "{counts:?}");
}

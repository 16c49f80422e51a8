//! Filter bars and filtered pages stay linear: a bar shows at most the 12 most
//! used values of a facet and links to a paged page of them all, a list page
//! caps what it shows of each item's own lists and of the coverage matrix, so
//! the output grows with the site, not with the square of its distinct values.

use crate::common;

use std::path::Path;

use common::{Site, hrefs, page, texts};

const QUIET: &str =
    "warnings:\n  no-evidence: false\n  uncovered-pain: false\n  covers-nothing: false\n  discovery-gap: false\n";

fn config(paginate_by: usize) -> String {
    format!("title: Filters\npaginate_by: {paginate_by}\n{QUIET}")
}

/// `n` pains, each in its own bucket and hurting its own user group, one
/// more that hurts every group, and `n / 10` solutions covering ten pains each.
fn many_values(n: usize, paginate_by: usize) -> Site {
    let site = Site::with_config(&config(paginate_by));
    for i in 0..n {
        site.write(
            &format!("content/pain/p{i}.md"),
            &format!(
                "---\ntitle: Pain {i}\nbucket: Bucket {i:04}\nusers: [Group {i:04}]\nseverity: {}\n---\n",
                1 + i % 5
            ),
        );
    }
    let everyone: String = (0..n).map(|i| format!("  - Group {i:04}\n")).collect();
    site.write("content/pain/everyone.md", &format!("---\ntitle: Everyone\nusers:\n{everyone}---\n"));
    for s in 0..n / 10 {
        let covers: String = (s * 10..s * 10 + 10).map(|p| format!("p{p}, ")).collect();
        site.write(
            &format!("content/solutions/s{s}.md"),
            &format!("---\ntitle: Solution {s}\neffort: 2\naddresses: [{}]\n---\n", covers.trim_end_matches(", ")),
        );
    }
    site
}

/// Files, bytes, and the largest list page (a kind's list, a filtered list or a values page).
fn measure(out: &Path) -> (usize, u64, u64) {
    let (mut files, mut bytes, mut largest_list) = (0, 0, 0);
    for entry in walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let len = entry.metadata().unwrap().len();
        files += 1;
        bytes += len;
        let rel = entry.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
        let list = ["pain/", "solutions/", "experiments/"].iter().any(|k| {
            rel == format!("{k}index.html")
                || rel.starts_with(&format!("{k}_by/"))
                || rel.starts_with(&format!("{k}page/"))
        });
        if list {
            largest_list = largest_list.max(len);
        }
    }
    (files, bytes, largest_list)
}

#[test]
fn the_output_grows_linearly_with_the_number_of_distinct_values() {
    let measured: Vec<(usize, u64, u64)> = [40, 400]
        .into_iter()
        .map(|n| {
            let site = many_values(n, 5);
            site.build();
            measure(&site.out())
        })
        .collect();
    let (small, large) = (measured[0], measured[1]);
    let ratio = |a: u64, b: u64| b as f64 / a as f64;
    let files = ratio(small.0 as u64, large.0 as u64);
    let bytes = ratio(small.1, large.1);
    let largest = ratio(small.2, large.2);
    // Ten times the values: about ten times the files and bytes (a hundred
    // before bars were capped), and list pages no bigger.
    assert!((7.0..12.0).contains(&files), "files grew {files:.1}×: {small:?} → {large:?}");
    assert!(bytes < 12.0, "bytes grew {bytes:.1}×: {small:?} → {large:?}");
    assert!(largest < 1.3, "the largest list page grew {largest:.2}×: {small:?} → {large:?}");
}

/// 16 buckets: `B01`–`B14` have 13 pains each (more than a bar shows), `B15`
/// two, `B16` one.
fn sixteen_buckets() -> Site {
    let site = Site::with_config(&config(10));
    let mut n = 0;
    for b in 1..=16 {
        let pains = match b {
            15 => 2,
            16 => 1,
            _ => 13,
        };
        for _ in 0..pains {
            n += 1;
            site.write(&format!("content/pain/p{n:03}.md"), &format!("---\ntitle: P{n:03}\nbucket: B{b:02}\n---\n"));
        }
    }
    site
}

#[test]
fn a_filter_bar_shows_the_most_used_values_and_links_to_a_paged_page_of_all() {
    let site = sixteen_buckets();
    site.build();
    let list = page(&site, "pain/index.html");
    // The 12 most used (ties go to the earlier), in alphabetical order, then the link to them all.
    let bucket_bar = texts(&list, ".filters .filter-group").into_iter().find(|g| g.starts_with("Bucket")).unwrap();
    assert_eq!(
        bucket_bar,
        "Bucket B01 13 B02 13 B03 13 B04 13 B05 13 B06 13 B07 13 B08 13 B09 13 B10 13 B11 13 B12 13 \
         All 16 buckets → 12 most used of 16 shown"
    );
    assert!(hrefs(&list, ".filters .filter-all a").contains(&"../pain/_by/bucket/index.html".to_string()));

    // The page of every value, paged like any list, alphabetical, with counts.
    let all = page(&site, "pain/_by/bucket/index.html");
    assert_eq!(texts(&all, "h1"), ["Pains by bucket, page 1 of 2"]);
    let rows = texts(&all, "main table tbody tr");
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0], "B01 13");
    assert_eq!(texts(&all, "main table caption"), ["1–10 of 16 buckets, in alphabetical order"]);
    assert_eq!(hrefs(&all, "main table tbody a")[0], "../../../pain/_by/bucket/b01/index.html");
    let second = page(&site, "pain/_by/bucket/page/2/index.html");
    assert_eq!(texts(&second, "main table tbody th"), ["B11", "B12", "B13", "B14", "B15", "B16"]);
    assert_eq!(
        texts(&second, "main table tbody td"),
        ["13", "", "13", "", "13", "", "13", "", "2", "P183 , P184", "1", "P185"]
    );

    // A value with few items that the bar leaves out has no filtered page: its
    // row lists its items (and the row is where it links to), and a value of
    // one item links straight to it. So the output grows with the items, not
    // with the number of values.
    assert!(!site.out().join("pain/_by/bucket/b15").exists());
    assert!(!site.out().join("pain/_by/bucket/b16").exists());
    let links = hrefs(&second, "main table tbody a");
    assert!(links.contains(&"../../../../../pain/p183/index.html".to_string()), "{links:?}");
    assert!(links.contains(&"../../../../../pain/p185/index.html".to_string()), "{links:?}");
    assert_eq!(texts(&second, "tr#value-b15 th"), ["B15"]);

    // A value the bar leaves out that has many items keeps its filtered page,
    // which shows it in its bar as the current one.
    let b14 = page(&site, "pain/_by/bucket/b14/index.html");
    assert_eq!(texts(&b14, ".filters a[aria-current=page]"), ["B14 13"]);
    let shown = texts(&b14, ".filters .filter-group").into_iter().find(|g| g.starts_with("Bucket")).unwrap();
    assert!(shown.contains("B12 13 B14 13 All 16 buckets"), "{shown}");
    // A facet within the cap has no such page.
    assert!(!site.out().join("pain/_by/status/index.html").exists());
}

#[test]
fn a_list_page_caps_each_items_own_lists_and_the_coverage_matrix() {
    let site = Site::with_config(&config(50));
    let users: String = (1..=20).map(|i| format!("U{i:02}, ")).collect();
    site.write("content/pain/wide.md", &format!("---\ntitle: Wide\nusers: [{}]\n---\n", users.trim_end_matches(", ")));
    for b in 1..=13 {
        site.write(&format!("content/pain/b{b}.md"), &format!("---\ntitle: B{b}\nbucket: Bucket {b:02}\n---\n"));
    }
    site.write("content/solutions/s.md", "---\ntitle: S\naddresses: [b3, b7]\n---\n");
    site.build();
    // The pain card names 12 user groups and links to its page for the rest.
    let pains = page(&site, "pain/index.html");
    let foot = texts(&pains, ".card-foot").into_iter().find(|t| t.starts_with("Who hurts")).unwrap();
    assert!(foot.starts_with("Who hurts U01, U02,") && foot.ends_with("U12 and 8 more user groups of Wide"), "{foot}");
    // 14 buckets (13 and the wide pain's "Unbucketed") are too many for one matrix: a page shows the ones its solutions cover, and says so.
    let solutions = page(&site, "solutions/index.html");
    assert_eq!(texts(&solutions, ".matrix thead th"), ["Solution", "Bucket 03 1 pain", "Bucket 07 1 pain"]);
    let note = texts(&solutions, ".matrix-capped");
    assert_eq!(note.len(), 1);
    assert!(note[0].starts_with("There are 14 buckets, too many for one table"), "{note:?}");
}

#[test]
fn the_discovery_page_sums_the_teams_past_the_most_involved() {
    let site = Site::with_config(&config(50));
    let teams: String = (1..=14).map(|t| format!("  - team: Team {t:02}\n    hours: {t}\n")).collect();
    site.write(
        "content/discovery/d.md",
        &format!("---\ntitle: D\nmethod: sla\ndate: 2026-11-01\nparticipants:\n{teams}---\n"),
    );
    site.build();
    let rows = texts(&page(&site, "discovery/index.html"), "table.hours tbody th");
    assert_eq!(rows.len(), 13, "{rows:?}");
    assert_eq!(rows[0], "Team 14", "the most hours first");
    assert_eq!(rows[12], "2 other teams");
    // The two smallest (1 and 2 hours) make the last row.
    let last = texts(&page(&site, "discovery/index.html"), "table.hours tbody tr.others td");
    assert_eq!(last[1], "3");
}

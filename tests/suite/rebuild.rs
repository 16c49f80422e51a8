//! What a rebuild renders again after an edit: the pages that can show what
//! changed, and not the pages of every item linked to it.

use crate::common;

use charted::Session;
use common::Site;

fn fixture() -> Site {
    Site::new()
        .file(
            "content/pain/alpha.md",
            "---\ntitle: Alpha\nsummary: First words.\nseverity: 3\nreach: 10\nfrequency: weekly\n---\nAlpha's body.\n",
        )
        .file("content/pain/beta.md", "---\ntitle: Beta\nseverity: 2\n---\nWorse since [[alpha]].\n")
        .file(
            "content/solutions/cache.md",
            "---\ntitle: Cache\naddresses:\n  - pain: alpha\n    how: address\nphase: next\neffort: 2\n---\n",
        )
}

/// The pages rendered by the run after `edit` (the session ran once before).
fn rendered_after(site: &Site, edit: impl FnOnce(&Site)) -> Vec<String> {
    let mut session = Session::new(site.path(), false, None, Some("2026-11-26".parse().unwrap()));
    let first = session.run(true).unwrap();
    assert!(first.pages.is_some(), "the fixture builds:\n{}", first.report.render_text());
    edit(site);
    let second = session.run(true).unwrap();
    assert!(second.pages.is_some(), "the edited fixture builds:\n{}", second.report.render_text());
    session.rendered_pages()
}

fn edit_alpha(site: &Site, from: &str, to: &str) {
    let path = site.path().join("content/pain/alpha.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn nothing_is_rendered_again_when_nothing_changed() {
    let site = fixture();
    assert_eq!(rendered_after(&site, |_| {}), Vec::<String>::new());
}

#[test]
fn a_summary_edit_renders_the_pages_that_show_the_item_not_those_that_link_to_it() {
    let site = fixture();
    let rendered = rendered_after(&site, |s| edit_alpha(s, "First words.", "Other words."));
    for shows in ["pain/alpha/index.html", "pain/index.html"] {
        assert!(rendered.contains(&shows.to_string()), "{shows} shows the summary; rendered: {rendered:?}");
    }
    // A link shows an item's title and labels: its summary is on its own page and card.
    for links in ["pain/beta/index.html", "solutions/cache/index.html", "solutions/index.html"] {
        assert!(!rendered.contains(&links.to_string()), "{links} only links to alpha; rendered: {rendered:?}");
    }
}

#[test]
fn a_title_edit_renders_the_pages_that_link_to_the_item_too() {
    let site = fixture();
    let rendered = rendered_after(&site, |s| edit_alpha(s, "title: Alpha", "title: Alpha renamed"));
    for shows in ["pain/alpha/index.html", "pain/beta/index.html", "solutions/cache/index.html", "solutions/index.html"]
    {
        assert!(rendered.contains(&shows.to_string()), "{shows} shows alpha's title; rendered: {rendered:?}");
    }
}

/// A run whose link check fails keeps its pages for the next run but returns
/// none: the run after it may not tell its caller (`serve`, which still shows
/// the last good site) that those pages are unchanged.
#[test]
fn pages_kept_from_a_failed_run_are_not_reported_unchanged() {
    let site = fixture();
    let beta = site.path().join("content/pain/beta.md");
    let good = std::fs::read_to_string(&beta).unwrap();
    let mut session = Session::new(site.path(), false, None, Some("2026-11-26".parse().unwrap()));
    assert!(session.run(true).unwrap().pages.is_some());
    edit_alpha(&site, "Alpha's body.", "Alpha's new body.");
    std::fs::write(&beta, good.replace("[[alpha]].", "[[alpha]]. See [gone](../../nowhere/).")).unwrap();
    let failed = session.run(true).unwrap();
    assert!(failed.pages.is_none(), "a link to no page fails the link check:\n{}", failed.report.render_text());
    std::fs::write(&beta, &good).unwrap();
    let fixed = session.run(true).unwrap();
    assert!(fixed.pages.is_some(), "{}", fixed.report.render_text());
    assert!(
        !fixed.unchanged.contains("pain/alpha/index.html"),
        "alpha's page changed since the last pages returned, though not since the failed run"
    );
    let again = session.run(true).unwrap();
    assert!(again.unchanged.contains("pain/alpha/index.html"), "after a good run, an unchanged page is reported");
}

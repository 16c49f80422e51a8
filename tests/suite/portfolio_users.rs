//! A portfolio's `org/users/`: every team's top pains grouped by user group,
//! over `tests/fixtures/portfolio/` (Product engineers hurt in all three
//! teams, Analysts in Data's and Web's lists, Web spelling them by their
//! alias "Data analysts", Release managers in CI's alone).

use std::path::Path;

use crate::common;

const TODAY: &str = "2026-11-30";

/// A copy of the fixture, after `edit` of it, built; the copy and its output.
fn built(edit: impl FnOnce(&Path)) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio"), dir.path());
    edit(dir.path());
    let out = dir.path().join("public");
    let options = charted::BuildOptions {
        site: dir.path().join("org"),
        out: Some(out.clone()),
        today: Some(TODAY.parse().unwrap()),
        ..charted::BuildOptions::default()
    };
    let report = charted::build(&options).unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    (dir, out)
}

/// The built users page of a copy of the fixture, after `edit` of the copy.
fn users_page(edit: impl FnOnce(&Path)) -> String {
    let (_dir, out) = built(edit);
    std::fs::read_to_string(out.join("org/users/index.html")).unwrap()
}

/// The section of group `anchor`, up to the next one.
fn section<'a>(page: &'a str, anchor: &str) -> &'a str {
    let at = page.find(&format!(r#"aria-labelledby="{anchor}""#)).unwrap_or_else(|| panic!("{anchor}: {page}"));
    let start = page[..at].rfind("<section").unwrap_or(at);
    let end = page[start..].find("</section>").map_or(page.len(), |e| start + e);
    &page[start..end]
}

#[test]
fn a_user_group_hurting_in_two_teams_lists_both_teams_pains() {
    let page = users_page(|_| {});
    let analysts = section(&page, "group-2");
    assert!(analysts.contains(r#"<h2 id="group-2">Analysts <span class="count">2 teams</span>"#), "{analysts}");
    // Web names them by their alias: one group, not two.
    assert!(!page.contains("Data analysts"), "{page}");
    let data = analysts.find("Dashboards show yesterday&#39;s numbers").expect("Data's pain");
    let web = analysts.find("Product pages take four seconds to load").expect("Web's pain");
    assert!(data < web, "pains by team, in `portfolio:` order");
    assert!(analysts.contains("is-shared") && analysts.contains("In several teams"), "highlighted");
    assert!(page.contains(r##"<strong>2 user groups hurt in more than one team:</strong> <a href="#group-1">Product engineers</a> (3 teams), <a href="#group-2">Analysts</a> (2 teams)."##));
    assert!(page.contains("Each team contributes only its top 10 open pains"), "the page says it is not complete");
}

#[test]
fn groups_in_more_teams_come_first_and_pains_link_to_their_teams_sites() {
    let page = users_page(|_| {});
    let at = |name: &str| page.find(&format!(r#"">{name} <span class="count">"#)).unwrap_or_else(|| panic!("{name}"));
    assert!(at("Product engineers") < at("Analysts") && at("Analysts") < at("Release managers"));
    let engineers = section(&page, "group-1");
    // CI's two pains by rank, then Data's, then Web's.
    let rows: Vec<usize> = ["slow-builds", "flaky-tests", "yesterday", "four seconds"]
        .iter()
        .map(|t| engineers.find(t).unwrap_or_else(|| panic!("{t}: {engineers}")))
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    // CI has an address in the shared vocabulary: its name and pains link there.
    assert!(engineers.contains(r#"<td><a href="https://acme.example/ci/">CI</a></td>"#), "{engineers}");
    assert!(
        engineers
            .contains(r#"<a href="https://acme.example/ci/pain/slow-builds/">Pull-request builds take 40 minutes</a>"#)
    );
    let managers = section(&page, "group-3");
    assert!(managers.contains("1 team</span>") && !managers.contains("is-shared"), "one team: not highlighted");
}

#[test]
fn pains_naming_no_user_group_come_last() {
    let page = users_page(|site| {
        let pain = "---\ntitle: Backfills block the warehouse\nreach: 50\nseverity: 2\nfrequency: monthly\nevidence: [checkout-survey]\ncategory: immediate\ndate: 2026-09-02\n---\n";
        std::fs::write(site.join("data/content/pain/backfills.md"), pain).unwrap();
    });
    let last = section(&page, "no-user-group");
    assert!(last.contains("No user group named") && last.contains("Backfills block the warehouse"), "{last}");
    assert!(page.find("no-user-group").unwrap() > page.find("group-3").unwrap());
}

#[test]
fn every_org_page_links_to_the_users_page() {
    let (_dir, out) = built(|_| {});
    for page in ["org/index.html", "org/roadmap/index.html", "org/discovery/index.html"] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains(r#"org/users/index.html">Pains by user group</a>"#), "{page}");
    }
}

//! A portfolio: an organisation's site built from its teams' sites given by
//! path (`tests/fixtures/portfolio/`: `org/` lists `ci/`, `data/` and `web/`,
//! which share `vocabulary.yaml`; all three ask Checkout in 2026-Q3). The
//! org dashboard's figures, the roadmap's swimlanes, the discovery ledger and
//! its `discovery-fatigue` warning, a team with an error, a missing path,
//! and `serve` rebuilding the org pages after a team's edit.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common;

const TODAY: &str = "2026-11-30";

/// A copy of the fixture; the portfolio site is `org/` in it.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio"), dir.path());
    dir
}

fn build(site: &Path, out: &Path) -> charted::Report {
    let options = charted::BuildOptions {
        site: site.to_path_buf(),
        out: Some(out.to_path_buf()),
        today: Some(TODAY.parse().unwrap()),
        ..charted::BuildOptions::default()
    };
    charted::build(&options).unwrap()
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

fn codes(report: &charted::Report) -> Vec<(&str, Option<u32>)> {
    report.diagnostics.iter().map(|d| (d.code, d.pos.map(|p| p.line))).collect()
}

#[test]
fn the_org_dashboard_shows_each_teams_split_and_the_organisations() {
    let dir = fixture();
    let out = dir.path().join("public");
    let report = build(&dir.path().join("org"), &out);
    assert!(!report.has_errors(), "{}", report.render_text());
    let org = page(&out, "org/index.html");
    // CI plans 6 immediate and 4 future; Data 3 immediate; Web 2 and 4: 11 and 8 of 19.
    assert!(org.contains("<strong>60/40</strong> planned, target 70/30"), "CI's split against its charter's");
    assert!(org.contains("<strong>100/0</strong> planned, target 100/0"), "Data is in foundation mode");
    assert!(org.contains("<strong>33.3/66.7</strong> planned, target 60/40"), "Web's own target");
    assert!(org.contains("57.9% immediate"), "the organisation's effort-weighted split");
    assert!(org.contains("19 person-weeks"));
    // CI has an address in the shared vocabulary: its name and pains link there.
    assert!(org.contains(r#"<a href="https://acme.example/ci/">CI</a>"#), "{org}");
    assert!(org.contains("https://acme.example/ci/pain/slow-builds/"));
    assert!(org.contains("Web Experience"), "the entry's `name:` wins over the charter's team");
    assert!(org.contains("Honesty warnings by team") && org.contains("unvalidated-commitment"));
    assert!(page(&out, "index.html").contains(r#"href="org/index.html""#), "Organisation is in the navigation");
}

#[test]
fn the_org_roadmap_has_a_swimlane_per_team_and_a_column_per_phase() {
    let dir = fixture();
    let out = dir.path().join("public");
    build(&dir.path().join("org"), &out);
    let roadmap = page(&out, "org/roadmap/index.html");
    let lane = |id: &str| roadmap.find(&format!(r#"id="lane-{id}""#)).unwrap();
    let (ci, data, web) = (lane("ci"), lane("data"), lane("web"));
    assert!(ci < data && data < web, "teams in `portfolio:` order");
    let ci_lane = &roadmap[ci..data];
    assert_eq!(ci_lane.matches("board-column phase-col-").count(), 3);
    assert!(ci_lane.contains("Remote build cache") && ci_lane.contains("Hermetic builds"));
    assert!(!ci_lane.contains("Cache pages at the edge"), "each card in its own team's lane");
}

#[test]
fn the_ledger_counts_hours_given_and_warns_of_discovery_fatigue() {
    let dir = fixture();
    let out = dir.path().join("public");
    let report = build(&dir.path().join("org"), &out);
    // Both point at `portfolio_limits:` (line 12 of the portfolio's charted.yaml).
    let fatigue: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "discovery-fatigue").collect();
    assert_eq!(fatigue.len(), 2, "{}", report.render_text());
    assert!(fatigue.iter().all(|d| d.pos.map(|p| p.line) == Some(12)));
    assert!(fatigue[0].message.contains("3 teams asked Checkout") && fatigue[0].message.contains("2026-Q3"));
    assert!(fatigue[1].message.contains("Checkout gave 15 hours"), "{}", fatigue[1].message);
    // Switched off like any warning.
    let config = dir.path().join("org/charted.yaml");
    let text = std::fs::read_to_string(&config).unwrap() + "warnings:\n  discovery-fatigue: false\n";
    std::fs::write(&config, text).unwrap();
    let quiet = charted::check(&dir.path().join("org"), false, Some(TODAY.parse().unwrap())).unwrap();
    assert!(!codes(&quiet).iter().any(|(c, _)| *c == "discovery-fatigue"), "{:?}", codes(&quiet));
    let ledger = page(&out, "org/discovery/index.html");
    // "Checkout team" (CI's spelling) is Checkout; each team's own hours are not given.
    assert!(ledger.contains("CI, Data Platform, Web Experience"), "{ledger}");
    assert!(ledger.contains("17 hours"), "15 from Checkout, 2 from CI");
    assert!(!ledger.contains("<th scope=\"row\">Web</th>"), "Web gave nothing");
}

#[test]
fn a_team_with_an_error_still_shows_and_the_portfolio_warns() {
    let dir = fixture();
    std::fs::write(dir.path().join("data/content/pain/broken.md"), "---\ntitle: Broken\nseverity: eleven\n---\n")
        .unwrap();
    let out = dir.path().join("public");
    let report = build(&dir.path().join("org"), &out);
    assert!(!report.has_errors(), "a team's errors are not the portfolio's: {}", report.render_text());
    assert!(codes(&report).contains(&("team-has-errors", Some(7))), "{:?}", codes(&report));
    let org = page(&out, "org/index.html");
    assert!(org.contains("1 error</strong> in its site"), "{org}");
}

#[test]
fn a_missing_path_is_an_error_at_its_entry() {
    let dir = fixture();
    let config = dir.path().join("org/charted.yaml");
    let text = std::fs::read_to_string(&config).unwrap().replace("path: ../web", "path: ../nowhere");
    std::fs::write(&config, text).unwrap();
    let report = charted::check(&dir.path().join("org"), false, Some(TODAY.parse().unwrap())).unwrap();
    let error = report.diagnostics.iter().find(|d| d.code == "invalid-portfolio").expect("an error");
    assert_eq!(error.pos.map(|p| p.line), Some(10));
    assert!(error.message.contains("`../nowhere` is not a folder"), "{}", error.message);
    assert!(error.help.as_deref().unwrap_or_default().contains("relative to the portfolio"));
}

#[test]
fn serve_rebuilds_the_org_pages_after_a_team_edit_as_a_full_build_would() {
    let dir = fixture();
    let root: PathBuf = dir.path().join("org");
    let server = crate::serve::serve_with(&root, |_| {});
    assert!(crate::serve::get(&server, "/org/roadmap/").1.contains("Remote build cache"));
    let mut rx = server.shared.subscribe();
    let file = dir.path().join("ci/content/solutions/build-cache.md");
    let text = std::fs::read_to_string(&file).unwrap().replace("Remote build cache", "Shared build cache");
    std::fs::write(&file, text).unwrap();
    assert_eq!(crate::serve::next_notice(&mut rx, Duration::from_secs(10)), charted::Notice::Reload);
    let served = crate::serve::get(&server, "/org/roadmap/").1;
    assert!(served.contains("Shared build cache") && !served.contains("Remote build cache"));
    server.stop();
    // The same edit in a fresh session: the served org pages are its pages.
    let mut fresh = charted::Session::new(&root, false, None, None);
    let run = fresh.run(true).unwrap();
    let pages = run.pages.unwrap();
    let roadmap = pages.iter().find(|p| p.path == "org/roadmap/index.html").unwrap();
    let fresh_text = String::from_utf8_lossy(&roadmap.bytes);
    assert!(fresh_text.contains("Shared build cache"));
}

#[test]
fn a_session_after_team_edits_gives_the_pages_of_a_full_build() {
    let dir = fixture();
    let root = dir.path().join("org");
    let today = Some(TODAY.parse().unwrap());
    let mut session = charted::Session::new(&root, false, None, today);
    session.run(true).unwrap();
    let edits = [
        ("ci/content/solutions/build-cache.md", "effort: 6", "effort: 12"),
        ("web/content/discovery/checkout-pairing.md", "hours: 4", "hours: 1"),
        ("data/content/charter.md", "mode: foundation", "mode: innovation"),
    ];
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(from, to)).unwrap();
        session.mark_changed([std::fs::canonicalize(&path).unwrap()]);
        let served = session.run(true).unwrap().pages.unwrap();
        let full = charted::Session::new(&root, false, None, today).run(true).unwrap().pages.unwrap();
        assert_eq!(served.len(), full.len());
        for (a, b) in served.iter().zip(&full) {
            assert_eq!((&a.path, &a.bytes), (&b.path, &b.bytes), "after editing {file}");
        }
    }
    let org = charted::Session::new(&root, false, None, today).run(true).unwrap().pages.unwrap();
    let ledger = org.iter().find(|p| p.path == "org/discovery/index.html").unwrap();
    assert!(String::from_utf8_lossy(&ledger.bytes).contains("14 hours"), "Checkout gave 6 + 5 + 1, CI 2");
}

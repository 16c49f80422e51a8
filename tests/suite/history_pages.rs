//! The changes pages and time on the dashboard, over the fixture with three
//! reviews of the example site (tests/fixtures/history/make-reviews.sh, whose
//! header lists the known changes), and a site that is not in git.

use crate::common;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use common::{Site, hrefs, page, texts};

/// The fixture's repository in a temporary folder; the site is its `site/`.
struct Reviews {
    dir: tempfile::TempDir,
}

impl Reviews {
    fn new() -> Reviews {
        Reviews { dir: common::reviews() }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// `charted build` with the real binary, on 2026-11-26.
    fn build(&self) -> Site {
        let site = Site { dir: tempfile::tempdir().unwrap() };
        let out = site.run(&["build", self.site().to_str().unwrap(), "--out", site.out().to_str().unwrap()]);
        assert!(out.status.success(), "build failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("warning"), "the fixture builds without warnings:\n{stderr}");
        site
    }
}

/// Every `li` of the list under the section whose heading starts with `heading`.
fn section(html: &scraper::Html, heading: &str) -> Vec<String> {
    let sections = scraper::Selector::parse("section.changes-section").unwrap();
    let h2 = scraper::Selector::parse("h2").unwrap();
    let li = scraper::Selector::parse("li").unwrap();
    let words = |e: scraper::ElementRef| {
        e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
    };
    html.select(&sections)
        .find(|s| s.select(&h2).next().is_some_and(|h| words(h).starts_with(heading)))
        .map(|s| s.select(&li).map(words).collect())
        .unwrap_or_default()
}

#[test]
fn the_changes_pages_show_what_changed_since_each_review() {
    let reviews = Reviews::new();
    let built = reviews.build();
    let latest = page(&built, "changes/index.html");
    assert_eq!(
        texts(&latest, ".changes-summary strong"),
        ["7 changes since review-2026-q3, 30 September 2026."],
        "a one-line summary a team lead reads first"
    );
    // Links to every comparison, the current one marked, without JavaScript.
    assert_eq!(hrefs(&latest, "nav.compare a"), ["../changes/index.html", "../changes/review-2026-q2/index.html"]);
    assert_eq!(hrefs(&latest, "nav.compare a[aria-current=page]"), ["../changes/index.html"]);
    assert_eq!(
        section(&latest, "Status changes"),
        [
            "CI queues at 10:00 and 14:00 Pain Was: Open → Now: Mitigated",
            "Quarantine bot pilot with three teams Experiment Was: Planned → Now: Running",
        ]
    );
    assert_eq!(
        section(&latest, "Pains that moved")[0],
        "▼ Down 2 places: #13 → #15 Setting up a development environment takes two days Pain"
    );
    assert_eq!(
        section(&latest, "SLA levels"),
        ["p95 pull-request build duration SLA was 41 min → now 38 min (expected 15 min)"]
    );
    assert!(section(&latest, "Renamed").is_empty() && section(&latest, "Removed").is_empty());

    let q2 = page(&built, "changes/review-2026-q2/index.html");
    assert_eq!(texts(&q2, ".changes-summary strong"), ["13 changes since review-2026-q2, 30 June 2026."]);
    assert_eq!(hrefs(&q2, "nav.compare a[aria-current=page]"), ["../../changes/review-2026-q2/index.html"]);
    assert_eq!(hrefs(&q2, "nav.compare a").len(), 2);
    // A rename: the old id, then the item as it is now, linked.
    assert_eq!(section(&q2, "Renamed"), ["slow-ci-builds → is now Pull-request builds take 38 minutes at p95 Pain"]);
    assert!(hrefs(&q2, ".changes-section a").contains(&"../../pain/slow-pr-builds/index.html".to_string()));
    // A removed item is plain text: it has no page any more.
    assert_eq!(section(&q2, "Removed"), ["Jenkins plugin upgrades break builds every month Pain"]);
    assert!(!hrefs(&q2, "main a").iter().any(|h| h.contains("jenkins")));
    let status = section(&q2, "Status changes");
    assert!(status.contains(&"CI queues at 10:00 and 14:00 Pain Was: Open → Now: Mitigated".to_string()), "{status:?}");
    assert!(status.contains(&"Shared remote build cache Solution Was: Validating → Now: Validated".to_string()));
    let shadow = status.iter().find(|s| s.starts_with("Shadow remote cache on the payments monorepo")).unwrap();
    assert!(
        shadow.contains("Was: Running → Now: Validated Validated. Hit rate 78%"),
        "the experiment's result quoted: {shadow}"
    );
    assert_eq!(section(&q2, "Roadmap moves"), ["Shared remote build cache Solution was Next → now Now"]);
    let moves = section(&q2, "Pains that moved");
    assert!(moves.iter().any(|m| m.starts_with("▼ Down 2 places: #13 → #15 Setting up a development environment")));
    // The largest moves first.
    assert!(moves[0].contains("2 places") && moves[moves.len() - 1].contains("1 place:"), "{moves:?}");
    assert!(section(&q2, "Added").iter().any(|a| a.starts_with("Quarantine bot pilot")));
    assert_eq!(texts(&q2, ".site-nav a[aria-current=page]"), ["Changes"]);
}

#[test]
fn the_dashboard_shows_the_split_and_the_funnel_per_review() {
    let reviews = Reviews::new();
    let built = reviews.build();
    let dashboard = page(&built, "index.html");
    assert_eq!(texts(&dashboard, ".since-card h2"), ["Since review-2026-q3: 7 changes"]);
    assert_eq!(hrefs(&dashboard, ".since-card a"), ["changes/index.html"]);
    // One point per state, oldest first, named and valued.
    assert_eq!(
        texts(&dashboard, "svg.chart-time circle title"),
        ["review-2026-q2 71.4%", "review-2026-q3 71.4%", "now 71.4%"]
    );
    let line = scraper::Selector::parse("svg.chart-time polyline").unwrap();
    let points = dashboard.select(&line).next().and_then(|p| p.value().attr("points")).unwrap();
    assert_eq!(points.split(' ').count(), 3);
    assert_eq!(texts(&dashboard, "svg.chart-time .chart-target").len(), 1, "the target, dashed");
    // The funnel per review, as bars and as a table.
    let rows = texts(&dashboard, ".time-card table tbody tr");
    assert_eq!(rows.len(), 6, "three states in each of the two tables: {rows:?}");
    assert!(rows.contains(&"review-2026-q2 4 2 0 1 0".to_string()), "{rows:?}");
    assert!(rows.contains(&"now 4 1 0 2 0".to_string()), "{rows:?}");
    assert!(texts(&dashboard, "svg.chart-funnel-time title")[0].starts_with(
        "Validation funnel per review. review-2026-q2: 4 unvalidated, 2 validating, 0 claimed, 1 validated"
    ));
    assert!(texts(&dashboard, ".site-nav a").contains(&"Changes".to_string()));
}

#[test]
fn a_site_outside_git_has_a_changes_page_that_says_why_and_how_to_start() {
    let site = Site::example();
    site.build();
    let changes = page(&site, "changes/index.html");
    let words = texts(&changes, ".no-history").join(" ");
    assert!(words.contains("the site is not in a git repository"), "{words}");
    assert!(words.contains("git tag review-2026-q4"), "{words}");
    assert!(texts(&changes, "nav.compare").is_empty(), "nothing to compare with");
    assert_eq!(std::fs::read_dir(site.out().join("changes")).unwrap().count(), 1, "the default page only");
    let dashboard = page(&site, "index.html");
    assert!(texts(&dashboard, ".since-card").join(" ").contains("No reviews yet"));
    assert!(texts(&dashboard, ".time-card").is_empty(), "no time charts without reviews");
}

#[test]
fn the_served_fixture_equals_a_full_build_after_an_edit() {
    let reviews = Reviews::new();
    let options = charted::ServeOptions {
        site: reviews.site(),
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        poll: false,
        drafts: false,
        ..charted::ServeOptions::default()
    };
    let server = charted::serve(&options).expect("server starts");
    let mut rx = server.shared.subscribe();
    crate::serve::assert_served_equals_a_full_build(&reviews.site(), &server);
    // The pain that slid down the ranks climbs back: its move leaves the changes pages.
    let pain = reviews.site().join("content/pain/dev-env-setup-time.md");
    let text = std::fs::read_to_string(&pain).unwrap();
    std::fs::write(&pain, text.replacen("severity: 3", "severity: 5", 1)).unwrap();
    crate::serve::next_notice(&mut rx, Duration::from_secs(20));
    let served = crate::serve::assert_served_equals_a_full_build(&reviews.site(), &server);
    let latest = served.iter().find(|(p, _)| p == "changes/index.html").unwrap();
    assert!(!String::from_utf8_lossy(&latest.1).contains("Down 2 places"));
    server.stop();
}

//! Time on the pages where it helps: an item's timeline of changes over the
//! reviews, each SLA's level per review as a sparkline, discovery hours per
//! team per quarter, and a feed entry per status change; built from the
//! three-review fixture (tests/fixtures/history/make-reviews.sh), the same
//! bytes every build, and a served site equal to a full build when a file
//! changes or a new review is tagged.

use std::path::{Path, PathBuf};
use std::process::Command;

use charted::Session;
use scraper::Html;

use crate::common::{self, texts};

const BASE: &str = "https://example.org/platform/";
/// The site's address without its scheme, as feed ids have it.
const PLACE: &str = "example.org/platform/";

fn today() -> jiff::civil::Date {
    "2026-11-26".parse().unwrap()
}

/// The fixture repository in a temporary folder, and its site folder.
fn reviews() -> (tempfile::TempDir, PathBuf) {
    let dir = common::reviews();
    let site = dir.path().join("site");
    (dir, site)
}

/// A full build of `site` into `out`, on the stories' day.
fn build(site: &Path, out: &Path) {
    let report = charted::build(&charted::BuildOptions {
        site: site.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: Some(BASE.into()),
        today: Some(today()),
        ..Default::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html(out: &Path, rel: &str) -> Html {
    Html::parse_document(&read(out, rel))
}

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_DATE", "2026-11-25T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-25T12:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn item_pages_say_what_changed_at_each_review_in_plain_words() {
    let (_repo, site) = reviews();
    let out = tempfile::tempdir().unwrap();
    build(&site, out.path());
    let timeline = |rel: &str| texts(&html(out.path(), rel), ".history .timeline li");
    let since = |rel: &str| texts(&html(out.path(), rel), ".history .history-since");
    // A rename by alias is a rename, not an addition.
    assert_eq!(timeline("pain/slow-pr-builds/index.html"), ["review-2026-q3 2026-09-30 renamed from slow-ci-builds"]);
    assert_eq!(
        since("pain/slow-pr-builds/index.html"),
        ["In every review since review-2026-q2 ( 2026-06-30 ) ; then:"]
    );
    assert_eq!(
        timeline("solutions/remote-build-cache/index.html"),
        ["review-2026-q3 2026-09-30 validation validating → validated; phase next → now"]
    );
    assert_eq!(timeline("pain/ci-runner-starvation/index.html"), ["now status open → mitigated"]);
    assert_eq!(
        timeline("slas/ci-p95-duration/index.html"),
        ["review-2026-q3 2026-09-30 level 44 → 41 min", "now level 41 → 38 min"]
    );
    assert_eq!(
        timeline("experiments/quarantine-bot-pilot/index.html"),
        ["review-2026-q3 2026-09-30 added", "now status planned → running"]
    );
    // Unchanged since the first review: one line, no list.
    assert_eq!(since("charter/index.html"), ["In every review since review-2026-q2 ( 2026-06-30 ) ."]);
    assert!(timeline("charter/index.html").is_empty());
}

#[test]
fn the_sla_pages_draw_each_level_against_the_expected_one() {
    let (_repo, site) = reviews();
    let out = tempfile::tempdir().unwrap();
    build(&site, out.path());
    let desc = "review-2026-q2: 44 min; review-2026-q3: 41 min; now: 38 min. Expected 15 min, lower is better: missed.";
    for rel in ["slas/ci-p95-duration/index.html", "slas/index.html"] {
        let page = read(out.path(), rel);
        let start = page.find(r#"aria-label="p95 pull-request build duration over time"#).expect(rel);
        let svg = &page[page[..start].rfind("<svg").unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert!(svg.contains(r#"data-points="44 41 38""#), "{rel}: {svg}");
        assert!(svg.contains(r#"data-expected="15 15 15""#), "{rel}");
        assert!(svg.contains(&format!("<desc>{desc}</desc>")), "{rel}");
        assert!(svg.contains("spark-last spark-missed"), "{rel}");
    }
    let list = html(out.path(), "slas/index.html");
    assert_eq!(texts(&list, ".sla-table thead th:nth-child(5)"), ["Over time"]);
    assert_eq!(texts(&list, ".sla-table .sparkline-cell svg").len(), 3);
}

#[test]
fn the_discovery_page_counts_hours_per_team_per_quarter() {
    let (_repo, site) = reviews();
    let out = tempfile::tempdir().unwrap();
    build(&site, out.path());
    let page = html(out.path(), "discovery/index.html");
    assert_eq!(texts(&page, ".quarters thead th"), ["Team", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Total"]);
    assert_eq!(
        texts(&page, ".quarters tbody tr"),
        [
            "Payments 9 — 3 — 12",
            "Checkout 8 1 2 — 11",
            "Data Platform 7.5 — 2 — 9.5",
            "Mobile 7 — — — 7",
            "SRE — 3 — 3 6",
            "Search 4 — 1 — 5",
        ]
    );
    assert_eq!(
        texts(&page, ".quarters tfoot tr"),
        ["Other teams 35.5 4 8 3 50.5", "Developer Platform (us) 18 23 4 6 51",]
    );
    // A phone scrolls the table in its own box, which a keyboard can reach.
    let region = texts(&page, ".quarters-card .table-wrap[role=region][tabindex='0']");
    assert_eq!(region.len(), 1);
}

#[test]
fn the_feed_has_an_entry_per_status_change_newest_first() {
    let (_repo, site) = reviews();
    let out = tempfile::tempdir().unwrap();
    build(&site, out.path());
    let feed = read(out.path(), "feed.xml");
    let entry = |title: &str| {
        let at = feed.find(&format!("<title>{title}</title>")).unwrap_or_else(|| panic!("no entry {title}\n{feed}"));
        let start = feed[..at].rfind("<entry>").unwrap();
        feed[start..start + feed[start..].find("</entry>").unwrap()].to_string()
    };
    let starvation = entry("ci-runner-starvation: open → mitigated");
    assert!(
        starvation.contains(&format!("<id>urn:charted:{PLACE}pain:ci-runner-starvation:status:open-mitigated</id>"))
    );
    assert!(starvation.contains(&format!(r#"href="{BASE}pain/ci-runner-starvation/""#)));
    assert!(starvation.contains("<updated>2026-11-26T00:00:00Z</updated>"));
    let shadow = entry("cache-shadow-payments: running → validated");
    assert!(
        shadow.contains(&format!(
            "<id>urn:charted:{PLACE}experiment:cache-shadow-payments:status:running-validated</id>"
        ))
    );
    assert!(shadow.contains("<updated>2026-09-30T00:00:00Z</updated>"));
    assert!(shadow.contains(&format!(r#"href="{BASE}experiments/cache-shadow-payments/""#)));
    let validated = entry("remote-build-cache: validating → validated");
    assert!(validated.contains("/solution:remote-build-cache:validation:validating-validated</id>"));
    // Newest first, with the dated items.
    let updated: Vec<&str> = feed.match_indices("<updated>").skip(1).map(|(at, _)| &feed[at + 9..at + 19]).collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted);
    // Roadmap moves and rank moves are not status changes.
    assert!(!feed.contains("next → now"));
}

#[test]
fn a_site_without_reviews_shows_no_history() {
    let site = common::Site::example();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    assert!(texts(&html(out.path(), "pain/ci-runner-starvation/index.html"), ".history").is_empty());
    assert!(texts(&html(out.path(), "slas/index.html"), ".sparkline-cell").is_empty());
    assert!(!read(out.path(), "feed.xml").contains(":status:open-"));
}

#[test]
fn a_served_site_with_history_equals_a_full_build_after_an_edit_and_a_new_review() {
    let (repo, site) = reviews();
    let mut session = Session::new(&site, false, Some(BASE.into()), Some(today()));
    let served = |session: &mut Session| {
        let run = session.run(true).unwrap();
        let pages = run.pages.unwrap_or_else(|| panic!("{}", run.report.render_text()));
        pages.into_iter().map(|p| (p.path, p.bytes.to_vec())).collect::<Vec<_>>()
    };
    let compare = |session: &mut Session, step: &str| {
        let served = served(session);
        let out = tempfile::tempdir().unwrap();
        build(&site, &out.path().join("site"));
        let built: Vec<(String, Vec<u8>)> =
            common::snapshot_tree(&out.path().join("site")).into_iter().filter(|(p, _)| p != charted::MARKER).collect();
        let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&served), names(&built), "{step}");
        for ((path, served), (_, built)) in served.iter().zip(&built) {
            assert!(served == built, "{step}: {path} differs from a full build");
        }
    };
    compare(&mut session, "first run");
    // The work tree changes: the SLA's level now, and so its sparkline and timeline.
    let sla = site.join("content/slas/ci-p95-duration.md");
    let text = std::fs::read_to_string(&sla).unwrap();
    assert!(text.contains("current: 38"));
    std::fs::write(&sla, text.replacen("current: 38", "current: 35", 1)).unwrap();
    compare(&mut session, "after an edit");
    // A new review is tagged: every timeline and the feed know it by name.
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "Review"]);
    git(repo.path(), &["tag", "-a", "review-2026-q4", "-m", "Review"]);
    compare(&mut session, "after a new tag");
    let out = tempfile::tempdir().unwrap();
    build(&site, out.path());
    let feed = read(out.path(), "feed.xml");
    // The change since the last review is now the new review's, under the same id.
    let starvation = feed.split("<entry>").find(|e| e.contains("ci-runner-starvation: open → mitigated")).unwrap();
    assert!(starvation.contains("between review-2026-q3 and review-2026-q4"), "{starvation}");
    assert!(
        starvation.contains(&format!("<id>urn:charted:{PLACE}pain:ci-runner-starvation:status:open-mitigated</id>"))
    );
}

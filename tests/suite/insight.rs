//! The insight views and the warnings that keep a team honest, on small fixture
//! sites: each figure, each warning (and its absence when the condition does not
//! hold), and the items each view shows in the order it shows them.

use crate::common;

use std::path::Path;

use common::{Site, brief, copy_dir, hrefs, page, texts};
use scraper::Selector;

/// The `charted.yaml` of a fixture where every warning is on.
const ALL_ON: &str = "title: Insight\n";

fn codes(site: &Site) -> Vec<&'static str> {
    site.check().iter().map(|d| d.code).collect()
}

fn attention() -> Site {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/needs-attention"), dir.path());
    Site { dir }
}

fn pain(id: &str, extra: &str) -> (String, String) {
    (format!("content/pain/{id}.md"), format!("---\ntitle: {id}\n{extra}---\n"))
}

fn with(site: Site, files: &[(String, String)]) -> Site {
    for (rel, text) in files {
        site.write(rel, text);
    }
    site
}

// ---------- warnings ----------

#[test]
fn the_needs_attention_fixture_shows_every_warning_where_it_is() {
    let site = attention();
    let diags = site.check();
    let got: Vec<(&str, String)> = diags.iter().map(|d| (d.code, brief(std::slice::from_ref(d))[0].clone())).collect();
    let expected = [
        (
            "merged-names",
            "charted.yaml names written more than one way are shown as one: teams: `Payments` (also `Payments team`)",
        ),
        (
            "history-unavailable",
            "charted.yaml:19:1 the site is not in a git repository, so it has no history of reviews",
        ),
        (
            "balance",
            "content/charter.md:5:1 Future work is 9.1% of planned effort (now + next); target 30%. Outside the tolerance.",
        ),
        (
            "discovery-over-budget",
            "content/discovery/spring-survey.md:4:1 in 2026-Q2 discovery took 4 hours of other teams' time, 1 over the budget of 3",
        ),
        (
            "discovery-over-budget",
            "content/discovery/spring-survey.md:6:11 in 2026-Q2 discovery took 4 hours of `Payments`'s time, 1 over the budget of 3",
        ),
        (
            "discovery-gap",
            "content/discovery/summer-chat.md:4:1 no discovery for 103 days, since 2026-08-15 (more than 30)",
        ),
        (
            "discovery-gap",
            "content/discovery/summer-chat.md:4:1 no discovery for 75 days, from 2026-06-01 to 2026-08-15 (more than 30)",
        ),
        (
            "unfalsifiable",
            "content/experiments/dashboard-trial.md:4:1 experiment `dashboard-trial` has no kill criterion",
        ),
        (
            "stale-experiment",
            "content/experiments/dashboard-trial.md:8:1 experiment `dashboard-trial` is stale: it is still running after its end date 2026-10-01",
        ),
        ("unfalsifiable", "content/experiments/retries-trial.md:4:1 experiment `retries-trial` has no kill criterion"),
        (
            "unearned-validation",
            "content/experiments/retries-trial.md:5:1 experiment `retries-trial` says validated but has no `falsified_if`, `result`, `ends`: its solution counts as claimed, not validated",
        ),
        (
            "unknown-name",
            "content/pain/flaky-tests.md:5:5 the user group `Mobile engineer` is not in the `user_groups` list of charted.yaml",
        ),
        ("no-evidence", "content/pain/flaky-tests.md:10:1 pain `flaky-tests` has no evidence"),
        (
            "uncovered-pain",
            "content/pain/slow-builds.md:2:1 pain `slow-builds` is number 1 of the open pains (rank 1), but its only solutions are invalidated",
        ),
        ("covers-nothing", "content/solutions/build-dashboard.md:3:1 solution `build-dashboard` addresses no pain"),
        (
            "untested-favourite",
            "content/solutions/new-laptops.md:7:1 solution `new-laptops` (effort 12) has had no experiment in the 269 days since 2026-03-02",
        ),
        (
            "hand-set-validation",
            "content/solutions/new-laptops.md:9:1 solution `new-laptops` is set to validated by hand, with no experiment to show it",
        ),
        (
            "invalidated-still-planned",
            "content/solutions/shared-cache.md:7:1 solution `shared-cache` is invalidated but still planned for next",
        ),
        (
            "team-without-site",
            "content/solutions/shared-cache.md:12:55 the body link `[[platform:runner-cache]]` cannot link: no team `platform` with a `site:` is in the `teams:` list, so it shows without a link",
        ),
        (
            "unvalidated-commitment",
            "content/solutions/test-retries.md:8:1 solution `test-retries` is planned for now but is claimed and no experiment is planned or running for it: committing before validating",
        ),
        (
            "placeholder",
            "content/solutions/test-retries.md:9:1 `summary` of `test-retries` is still the placeholder \"One line that says what this is.\"",
        ),
    ];
    let expected: Vec<(&str, String)> = expected.iter().map(|(c, m)| (*c, m.to_string())).collect();
    assert_eq!(got, expected);
    assert!(diags.iter().all(|d| d.help.is_some()), "every warning says how to fix it");
    // Every warning the guide lists shows up here, but a portfolio's, which
    // only a site with `portfolio:` gives (tests/suite/portfolio.rs shows
    // those), and those of another team's published items, which need a
    // server (tests/suite/portfolio_across.rs shows those).
    let portfolio_only =
        ["team-has-errors", "discovery-fatigue", "items-cached", "unknown-team-item", "neighbour-unavailable"];
    for w in charted::reference::WARNINGS.iter().filter(|w| !portfolio_only.contains(&w.code)) {
        assert!(got.iter().any(|(c, _)| *c == w.code), "{} has nothing to show", w.code);
    }
}

#[test]
fn the_example_site_is_warning_free() {
    assert!(Site::example().check().is_empty(), "{:?}", brief(&Site::example().check()));
}

#[test]
fn each_warning_can_be_switched_off_and_unknown_codes_are_caught() {
    let site = attention();
    let all: Vec<&str> = charted::reference::WARNINGS.iter().map(|w| w.code).collect();
    site.write(
        "charted.yaml",
        &format!("title: Quiet\nwarnings:\n{}", all.iter().map(|c| format!("  {c}: false\n")).collect::<String>()),
    );
    assert!(site.check().is_empty(), "{:?}", brief(&site.check()));
    site.write("charted.yaml", "title: Quiet\nwarnings:\n  no-evidense: false\n  balance: true\n");
    let d = site.check();
    let unknown: Vec<_> = d.iter().filter(|d| d.code == "unknown-field").collect();
    assert_eq!(unknown.len(), 1, "{:?}", brief(&d));
    assert_eq!(
        brief(&unknown.iter().map(|d| (*d).clone()).collect::<Vec<_>>()),
        ["charted.yaml:3:3 unknown field `no-evidense`"]
    );
    assert!(unknown[0].help.as_deref().unwrap().contains("did you mean `no-evidence`?"));
    assert!(d.iter().any(|d| d.code == "no-evidence"), "a misspelt code switches nothing off");
}

#[test]
fn committing_before_validating_needs_no_planned_or_running_experiment() {
    let solution = "---\ntitle: S\naddresses: [p]\nphase: now\neffort: 2\n---\n";
    let experiment = |status: &str| {
        format!(
            "---\ntitle: E\ntests: s\nhypothesis: h\nfalsified_if: f\nstatus: {status}\nstarted: 2026-11-01\nends: 2026-12-01\nresult: r\n---\n"
        )
    };
    let base = || {
        Site::with_config(ALL_ON)
            .file("content/charter.md", "---\ntitle: C\nteam: T\nmode: foundation\n---\n")
            .file("content/pain/p.md", "---\ntitle: P\nevidence: [d]\n---\n")
            .file("content/discovery/d.md", "---\ntitle: D\nmethod: survey\ndate: 2026-11-01\n---\n")
            .file("content/solutions/s.md", solution)
    };
    assert_eq!(codes(&base()), ["unvalidated-commitment"]);
    for (status, warns) in
        [("planned", false), ("running", false), ("inconclusive", true), ("invalidated", false), ("validated", false)]
    {
        let site = base().file("content/experiments/e.md", &experiment(status));
        assert_eq!(codes(&site).contains(&"unvalidated-commitment"), warns, "experiment {status}");
    }
    // An invalidated solution in now is the sharper sunk-cost warning, not an unvalidated one.
    let disproved = base().file("content/experiments/e.md", &experiment("invalidated"));
    assert_eq!(codes(&disproved), ["uncovered-pain", "invalidated-still-planned"]);
    // A verdict without a result or end date is only claimed: still committing before validating.
    let claimed = base().file(
        "content/experiments/e.md",
        "---\ntitle: E\ntests: s\nhypothesis: h\nfalsified_if: f\nstatus: validated\n---\n",
    );
    assert_eq!(codes(&claimed), ["unearned-validation", "unvalidated-commitment"]);
    let next = base().file("content/solutions/s.md", &solution.replace("phase: now", "phase: next"));
    assert!(codes(&next).is_empty());
}

#[test]
fn top_pains_without_a_solution_and_pains_without_evidence() {
    let site = with(
        Site::with_config("title: T\ntop_pains: 2\n"),
        &[
            pain("a", "severity: 5\nevidence: [d]\n"),
            pain("b", "severity: 4\nevidence: [d]\n"),
            pain("c", "severity: 3\nevidence: [d]\n"),
            pain("solved", "severity: 5\nstatus: solved\nevidence: [d]\n"),
            pain("dropped", "severity: 1\nstatus: dropped\n"),
            pain("plain", "severity: 1\n"),
            ("content/discovery/d.md".into(), "---\ntitle: D\nmethod: survey\ndate: 2026-11-01\n---\n".into()),
            ("content/solutions/s.md".into(), "---\ntitle: S\naddresses: [a]\n---\n".into()),
        ],
    );
    let d = site.check();
    // `a` is covered, `b` is second of the open pains; `c` is third, past top_pains;
    // solved and dropped pains are not open.
    assert_eq!(
        brief(&d),
        [
            "content/pain/b.md:2:1 pain `b` is number 2 of the open pains (rank 3), but no solution covers it",
            "content/pain/plain.md:2:1 pain `plain` has no evidence",
        ]
    );
}

#[test]
fn discovery_gaps_are_measured_between_sessions_and_up_to_today() {
    let disc = |id: &str, date: &str| {
        (format!("content/discovery/{id}.md"), format!("---\ntitle: {id}\nmethod: coffee-chat\ndate: {date}\n---\n"))
    };
    let steady = with(
        Site::with_config("title: T\ndiscovery_gap_days: 40\n"),
        &[disc("a", "2026-09-01"), disc("b", "2026-10-10"), disc("c", "2026-11-15")],
    );
    assert!(steady.check().is_empty(), "{:?}", brief(&steady.check()));
    let gappy = with(
        Site::with_config("title: T\ndiscovery_gap_days: 40\n"),
        &[disc("a", "2026-07-01"), disc("b", "2026-10-10")],
    );
    assert_eq!(
        brief(&gappy.check()),
        [
            "content/discovery/b.md:4:1 no discovery for 101 days, from 2026-07-01 to 2026-10-10 (more than 40)",
            "content/discovery/b.md:4:1 no discovery for 47 days, since 2026-10-10 (more than 40)",
        ]
    );
}

#[test]
fn balance_and_experiment_warnings_hold_only_when_their_condition_does() {
    let site = Site::with_config("title: T\nwarnings:\n  covers-nothing: false\n")
        .file("content/charter.md", "---\ntitle: C\nteam: T\nmode: foundation\n---\n")
        .file("content/solutions/s.md", "---\ntitle: S\nphase: next\neffort: 5\n---\n")
        .file(
            "content/experiments/e.md",
            "---\ntitle: E\ntests: s\nhypothesis: h\nfalsified_if: f\nstatus: validated\nstarted: 2026-01-01\nends: 2026-02-01\nresult: r\n---\n",
        );
    // Foundation mode defaults to 100/0, and all planned effort is immediate: within target.
    assert!(site.check().is_empty(), "{:?}", brief(&site.check()));
}

// ---------- figures ----------

#[test]
fn evidence_weights_roll_into_the_score_by_default_and_evidence_0_turns_them_off() {
    let files = [
        pain(
            "strong",
            "severity: 2\nfrequency: weekly\nreach: 90\nevidence:\n  - discovery: d\n    weight: 3\n  - e\n",
        ),
        pain("weak", "severity: 3\nfrequency: weekly\nreach: 90\nevidence: [d]\n"),
        ("content/discovery/d.md".into(), "---\ntitle: D\nmethod: survey\ndate: 2026-11-01\n---\n".into()),
        ("content/discovery/e.md".into(), "---\ntitle: E\nmethod: research\ndate: 2026-11-20\n---\n".into()),
    ];
    // Default: each point of evidence weight adds 10%.
    // strong: 2 × 3 × 2 × (1 + 0.1 × 4) = 16.8; weak: 3 × 3 × 2 × 1.1 = 19.8.
    let default = with(Site::new(), &files);
    default.build();
    let html = page(&default, "pain/index.html");
    let rows = texts(&html, "main table tbody tr");
    assert!(rows[0].starts_with("1 weak 19.8 "), "{rows:?}");
    assert!(rows[1].starts_with("2 strong 16.8 "), "{rows:?}");
    assert_eq!(
        texts(&html, ".formula code")[0],
        "severity × frequency weight × log10(reach + 10) × (1 + 0.1 × evidence weight)"
    );
    assert!(texts(&html, ".how-scored").join(" ").contains("the evidence weight is the sum of the weights"));
    let strong = texts(&page(&default, "pain/strong/index.html"), "main").join(" ");
    assert!(
        strong.contains("Score 16.8 severity × frequency weight × log10(reach + 10) × (1 + 0.1 × evidence weight)")
            && strong.contains("Evidence weight 4"),
        "{strong}"
    );
    // `evidence: 0` turns it off: 2 × 3 × 2 = 12 and 3 × 3 × 2 = 18; weights are shown but do not count.
    let off = with(Site::with_config("title: T\nscoring:\n  evidence: 0\n"), &files);
    off.build();
    let html = page(&off, "pain/index.html");
    let rows = texts(&html, "main table tbody tr");
    assert!(rows[0].starts_with("1 weak 18 "), "{rows:?}");
    assert!(rows[1].starts_with("2 strong 12 "), "{rows:?}");
    assert_eq!(texts(&html, ".formula code")[0], "severity × frequency weight × log10(reach + 10)");
    assert!(!texts(&html, ".how-scored").join(" ").contains("evidence weight"));
    assert!(texts(&html, ".bucket .card-foot").iter().any(|t| t == "Evidence D ×3 , E"));
    let strong = texts(&page(&off, "pain/strong/index.html"), "main").join(" ");
    assert!(strong.contains("Score 12 severity × frequency weight × log10(reach + 10) Bucket"), "{strong}");
    // evidence 0.25 per weight point: 12 × (1 + 0.25 × 4) = 24 beats 18 × 1.25 = 22.5.
    let weighted =
        with(Site::with_config("title: T\nwarnings:\n  uncovered-pain: false\nscoring:\n  evidence: 0.25\n"), &files);
    weighted.build();
    let html = page(&weighted, "pain/index.html");
    let rows = texts(&html, "main table tbody tr");
    assert!(rows[0].starts_with("1 strong 24 "), "{rows:?}");
    assert!(rows[1].starts_with("2 weak 22.5 "), "{rows:?}");
    assert_eq!(
        texts(&html, ".formula code")[0],
        "severity × frequency weight × log10(reach + 10) × (1 + 0.25 × evidence weight)"
    );
    assert!(
        texts(&html, ".bucket .card-foot").iter().any(|t| t == "Evidence D ×3 , E"),
        "{:?}",
        texts(&html, ".bucket .card-foot")
    );
}

#[test]
fn a_wrong_evidence_weight_or_scoring_field_is_an_error_or_warning_in_place() {
    let site = Site::new()
        .file("charted.yaml", "title: T\nscoring:\n  severity: -1\n  reech: 2\n")
        .file("content/pain/p.md", "---\ntitle: P\nevidence:\n  - discovery: d\n    weight: 4\n---\n")
        .file("content/discovery/d.md", "---\ntitle: D\nmethod: survey\ndate: 2026-11-01\n---\n");
    assert_eq!(
        brief(&site.check()),
        [
            "charted.yaml:3:13 `severity` is -1, but it must be at least 0",
            "charted.yaml:4:3 unknown field `reech`",
            "content/pain/p.md:2:1 pain `p` is number 1 of the open pains (rank 1), but no solution covers it",
            "content/pain/p.md:5:13 `weight` is 4, but it must be from 1 to 3",
        ]
    );
}

#[test]
fn solutions_rank_by_value_per_effort_with_a_coverage_matrix() {
    let site = with(
        Site::new(),
        &[
            pain("p1", "severity: 2\nbucket: Speed\n"),
            pain("p2", "severity: 1\nbucket: Speed\n"),
            pain("p3", "severity: 3\nbucket: Trust\n"),
            pain("p4", "severity: 1\nbucket: Trust\n"),
            (
                "content/solutions/big.md".into(),
                "---\ntitle: Big\naddresses:\n  - p1\n  - pain: p2\n    how: eliminate\n  - p3\neffort: 10\n---\n"
                    .into(),
            ),
            ("content/solutions/cheap.md".into(), "---\ntitle: Cheap\naddresses: [p2]\neffort: 1\n---\n".into()),
            ("content/solutions/vague.md".into(), "---\ntitle: Vague\naddresses: [p3]\n---\n".into()),
        ],
    );
    site.build();
    let html = page(&site, "solutions/index.html");
    let rows = texts(&html, ".solutions-table tbody tr");
    // Cheap: 1/1 = 1 per pw; Big: (2 + 1 × 2 + 3) / 10 = 0.7; Vague has no effort.
    assert_eq!(rows.iter().map(|r| r.split(' ').next().unwrap()).collect::<Vec<_>>(), ["Cheap", "Big", "Vague"]);
    assert!(rows[1].starts_with("Big 7 10 0.7 "), "{rows:?}");
    // Buckets in order of their best-ranked pain: Trust (p3, score 3) before Speed.
    assert_eq!(texts(&html, ".matrix thead th"), ["Solution", "Trust 2 pains", "Speed 2 pains"]);
    assert_eq!(
        texts(&html, ".matrix tbody tr"),
        // A cell says what it counts: Big eliminates one Speed pain and addresses the other.
        ["Cheap — none 1 address", "Big 1 address 1 eliminate · 1 address", "Vague 1 address — none"]
    );
    assert_eq!(texts(&html, ".matrix tfoot tr"), ["Pains no solution covers 1 uncovered 0"]);
}

#[test]
fn roadmap_shows_the_split_against_target_and_colours_cards_by_category_and_validation() {
    let site = Site::new()
        .file("content/charter.md", "---\ntitle: C\nteam: T\nsplit: 80/20\n---\n")
        .file("content/solutions/a.md", "---\ntitle: A\nphase: now\neffort: 22\ncategory: immediate\n---\n")
        .file("content/solutions/b.md", "---\ntitle: B\nphase: next\neffort: 3\ncategory: future\n---\n")
        .file("content/solutions/c.md", "---\ntitle: C later\nphase: later\neffort: 50\ncategory: future\n---\n");
    site.build();
    let html = page(&site, "roadmap/index.html");
    let text = texts(&html, "main").join(" ");
    assert!(text.contains("Future work is 12% of planned effort (now + next); target 20%."), "{text}");
    assert_eq!(texts(&html, ".board-column h3"), ["A", "B", "C later"]);
    let card = Selector::parse(".board-column article").unwrap();
    let classes: Vec<String> = html.select(&card).map(|a| a.value().attr("class").unwrap().to_string()).collect();
    assert!(classes[0].contains("cat-immediate val-unvalidated"), "{classes:?}");
    assert!(classes[1].contains("cat-future"), "{classes:?}");
    let svg = Selector::parse(".balance-card svg[role=img]").unwrap();
    let label = html.select(&svg).next().unwrap().value().attr("aria-label").unwrap().to_string();
    assert!(label.contains("Actual: 88% immediate, 12% future"), "{label}");
}

#[test]
fn experiments_board_marks_overdue_and_shows_kill_criterion_and_method() {
    let exp = |id: &str, status: &str, ends: &str| {
        format!(
            "---\ntitle: {id}\ntests: s\nhypothesis: H {id}\nfalsified_if: K {id}\nmethod: M {id}\nstatus: {status}\nstarted: 2026-09-01\nends: {ends}\n---\n"
        )
    };
    let site = Site::new()
        .file("content/solutions/s.md", "---\ntitle: S\n---\n")
        .file("content/experiments/late.md", &exp("late", "running", "2026-11-25"))
        .file("content/experiments/on-time.md", &exp("on-time", "running", "2026-11-26"))
        .file("content/experiments/done.md", &exp("done", "validated", "2026-10-01"));
    site.build();
    let html = page(&site, "experiments/index.html");
    let running = texts(&html, ".status-running article");
    assert_eq!(running.len(), 2);
    assert!(running[0].contains("Overdue") && running[0].contains("late"), "{running:?}");
    assert!(running[0].contains("K late") && running[0].contains("M late"), "{running:?}");
    assert!(!running[1].contains("Overdue"), "{running:?}");
    assert!(!texts(&html, ".status-validated article")[0].contains("Overdue"));
}

#[test]
fn discovery_shows_hours_per_team_for_the_quarter_and_in_total_and_unused_methods() {
    let disc = |id: &str, method: &str, date: &str, parts: &str| {
        (
            format!("content/discovery/{id}.md"),
            format!("---\ntitle: {id}\nmethod: {method}\ndate: {date}\nparticipants:\n{parts}---\n"),
        )
    };
    let site = with(
        Site::with_config("title: T\nwarnings:\n  discovery-gap: false\ndiscovery_window_days: 100\n"),
        &[
            disc("old", "peer-company", "2026-03-01", "  - team: Payments\n    hours: 10\n"),
            disc("new", "survey", "2026-10-01", "  - team: Payments\n    hours: 2\n  - team: Mobile\n    hours: 3.5\n"),
            disc("newest", "coffee-chat", "2026-11-20", "  - team: Search\n    hours: 1\n"),
        ],
    );
    site.build();
    let html = page(&site, "discovery/index.html");
    assert_eq!(texts(&html, ".hours tbody tr"), ["Payments 2 12 73%", "Mobile 3.5 3.5 21%", "Search 1 1 6%"]);
    let unused = texts(&html, ".unused-methods")[0].clone();
    assert_eq!(
        unused,
        "Not used in the last 100 days: SLA review, Discussion group, Peer-company chat, Research, Open source, Cloud vendor."
    );
    // The log, newest first.
    assert_eq!(
        hrefs(&html, "main table:not(.hours):not(.methods) tbody th a"),
        ["../discovery/newest/index.html", "../discovery/new/index.html", "../discovery/old/index.html"]
    );
}

// ---------- views ----------

#[test]
fn pains_are_bucketed_and_ranked_within_and_across_buckets() {
    let site = with(
        Site::new(),
        &[
            pain("a", "severity: 5\nbucket: Speed\nusers: [Web]\nreach: 40\n"),
            pain("b", "severity: 4\nbucket: Trust\nusers: [Mobile]\n"),
            pain("c", "severity: 3\nbucket: Speed\n"),
            pain("d", "severity: 1\npriority: 1\nbucket: Trust\n"),
            pain("e", "severity: 1\nbucket: Speed\nstatus: solved\n"),
            ("content/solutions/s.md".into(), "---\ntitle: S\naddresses:\n  - pain: c\n    how: empower\n---\n".into()),
        ],
    );
    site.build();
    let html = page(&site, "pain/index.html");
    let ranked: Vec<String> = texts(&html, "main table tbody th");
    assert_eq!(ranked, ["d priority 1", "a", "b", "c", "e"]);
    // A solved pain nobody covers does not count as uncovered: it no longer hurts.
    assert_eq!(
        texts(&html, ".bucket-title"),
        [
            "Trust 2 pains Open pains no solution covers: 2 uncovered",
            "Speed 3 pains Open pains no solution covers: 1 uncovered"
        ]
    );
    let speed = texts(&html, ".bucket:nth-of-type(2) article");
    assert!(speed[0].contains("#1 in bucket · #2 overall") && speed[0].contains("Who hurts Web"), "{speed:?}");
    assert!(speed[0].contains("No solution addresses"), "{speed:?}");
    assert!(speed[1].contains("#2 in bucket · #4 overall") && speed[1].contains("empower S"), "{speed:?}");
    let uncovered = Selector::parse("article.is-uncovered").unwrap();
    assert_eq!(html.select(&uncovered).count(), 3);
}

#[test]
fn vision_themes_show_their_solutions_and_share_of_planned_effort() {
    let site = Site::new()
        .file("content/vision/v.md", "---\ntitle: V\n---\n")
        .file("content/vision/w.md", "---\ntitle: W\n---\n")
        .file("content/solutions/a.md", "---\ntitle: A\nadvances: [v]\nphase: now\neffort: 3\n---\n")
        .file("content/solutions/b.md", "---\ntitle: B\nadvances: [v, w]\nphase: next\neffort: 1\n---\n")
        .file("content/solutions/c.md", "---\ntitle: C\nadvances: [w]\nphase: later\neffort: 9\n---\n");
    site.build();
    let cards = texts(&page(&site, "vision/index.html"), "main article");
    assert!(cards[0].contains("4 pw 100% of now + next") && cards[0].contains("A B"), "{cards:?}");
    assert!(cards[1].contains("1 pw 25% of now + next") && cards[1].contains("B C"), "{cards:?}");
}

#[test]
fn slas_show_expected_current_gap_and_pains_by_service() {
    let sla = |id: &str, service: &str, expected: &str, current: &str, better: &str| {
        (
            format!("content/slas/{id}.md"),
            format!(
                "---\ntitle: {id}\nservice: {service}\nobjective: O {id}\nexpected: {expected}\ncurrent: {current}\nbetter: {better}\npains: [p]\n---\n"
            ),
        )
    };
    let site = with(
        Site::new(),
        &[
            pain("p", ""),
            sla("z-ci", "CI", "99", "97.5", "higher"),
            sla("a-deploy", "Deploy", "10", "25", "lower"),
            sla("b-ci", "CI", "5", "4", "lower"),
        ],
    );
    site.build();
    let rows = texts(&page(&site, "slas/index.html"), "main tbody tr");
    // Rows name the SLA by its title, not its objective.
    assert_eq!(rows, ["CI b-ci 5 4 — Met p", "CI z-ci 99 97.5 1.5 Short p", "Deploy a-deploy 10 25 15 Short p"]);
}

#[test]
fn the_dashboard_links_every_warning_to_its_item_and_shows_mode_and_unproven_work() {
    let site = attention();
    site.build();
    let html = page(&site, "index.html");
    let items = texts(&html, ".warning-list li");
    assert_eq!(items.len(), 20);
    assert_eq!(
        hrefs(&html, ".warning-list .warning-what a"),
        [
            "charter/index.html",
            "discovery/spring-survey/index.html",
            "discovery/spring-survey/index.html",
            "discovery/summer-chat/index.html",
            "discovery/summer-chat/index.html",
            "experiments/dashboard-trial/index.html",
            "experiments/dashboard-trial/index.html",
            "experiments/retries-trial/index.html",
            "experiments/retries-trial/index.html",
            "pain/flaky-tests/index.html",
            "pain/flaky-tests/index.html",
            "pain/slow-builds/index.html",
            "solutions/build-dashboard/index.html",
            "solutions/new-laptops/index.html",
            "solutions/new-laptops/index.html",
            "solutions/shared-cache/index.html",
            "solutions/shared-cache/index.html",
            "solutions/test-retries/index.html",
            "solutions/test-retries/index.html",
        ]
    );
    assert!(
        items[11].contains("Fix: list the discovery items") && items[11].contains("content/pain/flaky-tests.md:10:1")
    );
    let text = texts(&html, "main").join(" ");
    assert!(text.contains("3 planned solutions; 3 not validated yet."), "{text}");
    assert!(text.contains("Mode Innovation"), "{text}");

    let clean = Site::example();
    clean.build();
    let html = page(&clean, "index.html");
    assert!(texts(&html, ".attention-card")[0].contains("All clear"));
}

#[test]
fn foundation_mode_defaults_to_100_0_on_the_dashboard() {
    let site = Site::new().file("content/charter.md", "---\ntitle: C\nteam: T\nmode: foundation\n---\n");
    site.build();
    let text = texts(&page(&site, "index.html"), "main").join(" ");
    assert!(text.contains("Mode Foundation") && text.contains("Split target 100/0"), "{text}");
}

#[test]
fn filtered_pages_narrow_pains_and_solutions_without_javascript() {
    let site = with(
        Site::new(),
        &[
            pain("a", "severity: 5\nbucket: Slow feedback\nusers: [Web engineers]\ncategory: future\n"),
            pain("b", "severity: 4\nbucket: Trust\nusers: [Web engineers, Mobile]\n"),
            pain("c", "severity: 3\nbucket: Slow feedback\nstatus: solved\n"),
            ("content/solutions/s.md".into(), "---\ntitle: S\naddresses: [b]\ncategory: future\n---\n".into()),
            ("content/solutions/t.md".into(), "---\ntitle: T\naddresses: [a]\nvalidation: validated\n---\n".into()),
        ],
    );
    site.build();
    let html = page(&site, "pain/_by/bucket/slow-feedback/index.html");
    assert_eq!(texts(&html, "main table tbody th"), ["a", "c"]);
    let current = texts(&html, ".filter-current");
    assert_eq!(current, ["Showing 2 of 3 pains: Bucket is Slow feedback . Show all pains"]);
    assert_eq!(hrefs(&html, ".filter-current a"), ["../../../../pain/index.html"]);
    let users = page(&site, "pain/_by/users/web-engineers/index.html");
    assert_eq!(texts(&users, "main table tbody th"), ["a", "b"]);
    assert_eq!(texts(&page(&site, "pain/_by/status/solved/index.html"), "main table tbody th"), ["c"]);
    assert_eq!(texts(&page(&site, "pain/_by/category/future/index.html"), "main table tbody th"), ["a"]);
    let validated = page(&site, "solutions/_by/validation/validated/index.html");
    assert_eq!(texts(&validated, ".solutions-table tbody th"), ["T"]);
    let mobile = page(&site, "solutions/_by/users/mobile/index.html");
    assert_eq!(texts(&mobile, ".solutions-table tbody th"), ["S"]);
    // The unfiltered list links to every filtered page, with counts.
    let nav = texts(&page(&site, "pain/index.html"), ".filters .filter-group");
    assert_eq!(
        nav,
        [
            "Category Immediate 2 Future 1",
            "Status Open 2 Solved 1",
            "Bucket Slow feedback 2 Trust 1",
            "User group Mobile 1 Web engineers 2",
        ]
    );
}

#[test]
fn filtered_pages_narrow_experiments_by_the_category_and_validation_of_their_solution() {
    let exp = |id: &str, tests: &str, status: &str| {
        (
            format!("content/experiments/{id}.md"),
            // A verdict counts with its result and end date.
            format!(
                "---\ntitle: {id}\ntests: {tests}\nhypothesis: H\nfalsified_if: K\nstatus: {status}\n{}---\n",
                if status == "validated" { "result: R\nends: 2026-11-01\n" } else { "" }
            ),
        )
    };
    let site = with(
        Site::new(),
        &[
            pain("p", "evidence: [d]\n"),
            ("content/discovery/d.md".into(), "---\ntitle: D\nmethod: survey\ndate: 2026-11-20\n---\n".into()),
            // `now` is validated by its experiment; `later` is future work, being validated.
            ("content/solutions/now.md".into(), "---\ntitle: Now\naddresses: [p]\nphase: now\n---\n".into()),
            (
                "content/solutions/later.md".into(),
                "---\ntitle: Later\naddresses: [p]\ncategory: future\nphase: later\n---\n".into(),
            ),
            exp("a", "now", "validated"),
            exp("b", "later", "running"),
            exp("c", "later", "planned"),
        ],
    );
    site.build();
    let board = |rel: &str| texts(&page(&site, rel), ".board article .card-title");
    assert_eq!(board("experiments/_by/category/future/index.html"), ["c", "b"]);
    assert_eq!(board("experiments/_by/category/immediate/index.html"), ["a"]);
    assert_eq!(board("experiments/_by/validation/validating/index.html"), ["c", "b"]);
    assert_eq!(board("experiments/_by/validation/validated/index.html"), ["a"]);
    let html = page(&site, "experiments/_by/validation/validating/index.html");
    assert_eq!(
        texts(&html, ".filter-current"),
        ["Showing 2 of 3 experiments: Solution validation is Validating . Show all experiments"]
    );
    assert_eq!(
        texts(&html, ".filters .filter-group"),
        ["Category Immediate 1 Future 2", "Solution validation Validating 2 Validated 1"]
    );
    let current = Selector::parse(".filters a[aria-current=page]").unwrap();
    assert_eq!(html.select(&current).map(|a| a.text().collect::<String>()).collect::<Vec<_>>(), ["Validating 2"]);
    // The board keeps its columns by status; each card names its solution's validation, as the solution's.
    let all = page(&site, "experiments/index.html");
    assert_eq!(
        texts(&all, ".board .column-title"),
        [
            "Planned 1 experiment",
            "Running 1 experiment",
            "Validated 1 experiment",
            "Invalidated 0 experiments",
            "Inconclusive 0 experiments"
        ]
    );
    let foot = texts(&all, ".status-planned .card-foot");
    assert_eq!(foot, ["Tests Later Solution: Validating"]);
    assert_eq!(hrefs(&all, ".filters a").len(), 4);
}

//! The experiment board tells what happened, and the SLA and dashboard views
//! say their figures in their units: stories over small fixture sites built
//! on 2026-11-26.

use crate::common;

use common::{Site, hrefs, page, texts};

fn experiment(id: &str, status: &str, extra: &str) -> (String, String) {
    (
        format!("content/experiments/{id}.md"),
        format!("---\ntitle: {id}\nstatus: {status}\ntests: fix\nhypothesis: H\nfalsified_if: F\n{extra}---\n"),
    )
}

fn with(site: Site, files: &[(String, String)]) -> Site {
    for (rel, text) in files {
        site.write(rel, text);
    }
    site
}

/// A solution validated by a finished experiment with a kill criterion, a
/// result and an end date, and tested too by an overdue, two running and a
/// planned experiment.
fn board() -> Site {
    with(
        Site::new(),
        &[
            ("content/pain/p.md".into(), "---\ntitle: P\n---\n".into()),
            ("content/solutions/fix.md".into(), "---\ntitle: Fix\naddresses: [p]\n---\n".into()),
            experiment("a-later", "running", "started: 2026-11-01\nends: 2026-12-06\n"),
            experiment("b-late", "running", "started: 2026-10-01\nends: 2026-11-14\n"),
            experiment("c-soon", "running", "started: 2026-11-01\nends: 2026-11-29\n"),
            experiment(
                "d-done",
                "validated",
                "started: 2026-06-01\nends: 2026-06-30\nresult: Median 3 minutes; kept.\n",
            ),
            experiment("e-next", "planned", ""),
        ],
    )
}

#[test]
fn running_cards_say_days_left_or_overdue_with_the_overdue_first() {
    let site = board();
    site.build();
    let html = page(&site, "experiments/index.html");
    assert_eq!(texts(&html, ".status-running .card-title"), ["b-late", "c-soon", "a-later"]);
    assert_eq!(texts(&html, ".status-running .exp-due strong"), ["12 days overdue", "3 days left", "10 days left"]);
    // A card's badge is its own status; an overdue one says so instead of "running".
    let running = texts(&html, ".status-running .card-top");
    assert_eq!(running, ["Status: Overdue", "Status: Running", "Status: Running"]);
    assert!(running.iter().all(|t| !t.contains("Validated")), "{running:?}");
}

#[test]
fn finished_cards_show_their_result_and_the_solutions_validation_apart() {
    let site = board();
    site.build();
    let html = page(&site, "experiments/index.html");
    assert_eq!(texts(&html, ".status-validated .exp-result"), ["Result Median 3 minutes; kept."]);
    assert_eq!(texts(&html, ".status-validated .card-top"), ["Status: Validated"]);
    // The solution's validation is named as the solution's, in the card's foot,
    // on finished and running cards alike.
    assert_eq!(texts(&html, ".status-validated .card-foot"), ["Tests Fix Solution: Validated"]);
    assert_eq!(texts(&html, ".status-running .card-foot")[0], "Tests Fix Solution: Validated");
    assert!(texts(&html, ".status-planned .exp-result, .status-planned .exp-due").is_empty());
    // The experiment's own page says how late it is.
    let late = page(&site, "experiments/b-late/index.html");
    let status = texts(&late, ".field-list dd")[1].clone();
    assert_eq!(status, "Overdue 12 days overdue");
}

#[test]
fn badges_say_overdue_and_a_pains_rank_and_coverage() {
    let site = board()
        .file("content/pain/q.md", "---\ntitle: Q\nseverity: 5\nfrequency: hourly\nreach: 900\n---\n")
        .file("content/pain/r.md", "---\ntitle: R\nstatus: solved\n---\n");
    site.build();
    let message = |id: &str| {
        let json: serde_json::Value = serde_json::from_str(&site.read_out(&format!("badges/{id}.json"))).unwrap();
        json["message"].as_str().unwrap().to_string()
    };
    assert_eq!(message("b-late"), "overdue");
    assert_eq!(message("c-soon"), "running");
    assert_eq!(message("q"), "#1 · uncovered");
    assert_eq!(message("p"), "#2 · covered");
    assert_eq!(message("r"), "#3 · solved");
}

fn sla(id: &str, title: &str, expected: &str, current: &str, unit: &str, better: &str) -> (String, String) {
    (
        format!("content/slas/{id}.md"),
        format!(
            "---\ntitle: {title}\nservice: CI\nobjective: objective of {id}\nexpected: {expected}\ncurrent: {current}\nunit: \"{unit}\"\nbetter: {better}\n---\n"
        ),
    )
}

fn slas() -> Site {
    with(
        Site::new(),
        &[
            sla("a-rate", "Build success rate", "99.9", "45.9", "%", "higher"),
            sla("b-time", "p95 build time", "15", "27", "min", "lower"),
            sla("c-ok", "Queue wait", "5", "4", "min", "lower"),
        ],
    )
}

#[test]
fn sla_rows_show_the_title_a_spaced_unit_and_the_gap_in_the_slas_unit() {
    let site = slas();
    site.build();
    let html = page(&site, "slas/index.html");
    assert_eq!(
        texts(&html, "main tbody tr"),
        [
            "CI Build success rate 99.9% 45.9% 54 points Short —",
            "CI p95 build time 15 min 27 min 12 min Short —",
            "CI Queue wait 5 min 4 min — Met —",
        ]
    );
    let item = page(&site, "slas/a-rate/index.html");
    let fields = texts(&item, ".field-list dd");
    assert_eq!(fields[2], "99.9% higher is better");
    assert_eq!(fields[4], "Short 54 points short of expected");
}

#[test]
fn the_dashboard_shows_how_many_slas_are_missed_and_links_the_worst() {
    let site = slas();
    site.build();
    let html = page(&site, "index.html");
    let card = texts(&html, ".sla-card");
    // The worst is the furthest off its target: 45.9% is 2.2 times short of
    // 99.9%; 27 min is 1.8 times over 15.
    assert!(card[0].contains("2 of 3 SLAs missed."), "{card:?}");
    assert!(card[0].contains("Worst: Build success rate CI, 54 points short"), "{card:?}");
    assert_eq!(hrefs(&html, ".sla-card p a")[0], "slas/a-rate/index.html");
}

#[test]
fn needs_attention_groups_by_severity_and_says_each_in_words_before_its_code() {
    let site = board();
    site.build();
    let html = page(&site, "index.html");
    let entries = texts(&html, ".warning-list li").len();
    assert!(entries > 0);
    assert_eq!(texts(&html, ".attention-group"), [format!("Warnings {entries}")]);
    let means = texts(&html, ".warning-means");
    assert!(
        means.contains(
            &"An experiment is still running after its end date (overdue) or too long — stale-experiment".to_string()
        ),
        "{means:?}"
    );
}

//! Honest signals (issue 17, items 1 and 2), on a small site written as a
//! team would write it: a validation must be earned by an experiment with a
//! kill criterion, a result and an end date, a hand-set one says so on every
//! view, and a pain counts as covered only by a solution that can still help.

use crate::common;

use common::{Site, brief, page, texts};

/// A platform team's site: a charter, evidence, three pains and the
/// solutions it would like to believe in.
fn team() -> Site {
    Site::with_config("title: Platform\n")
        .file("content/charter.md", "---\ntitle: Platform charter\nteam: Platform\nmode: foundation\n---\n")
        .file(
            "content/discovery/survey.md",
            "---\ntitle: Autumn survey\nmethod: survey\ndate: 2026-11-10\nsurfaces: [slow-ci, flaky-deploys, secrets-sprawl]\n---\n",
        )
        .file(
            "content/pain/slow-ci.md",
            "---\ntitle: Slow CI\nseverity: 5\nfrequency: daily\nreach: 200\nevidence: [survey]\n---\n",
        )
        .file(
            "content/pain/flaky-deploys.md",
            "---\ntitle: Flaky deploys\nseverity: 4\nfrequency: weekly\nreach: 80\nevidence: [survey]\n---\n",
        )
        .file(
            "content/pain/secrets-sprawl.md",
            "---\ntitle: Secrets sprawl\nseverity: 3\nfrequency: monthly\nreach: 40\nevidence: [survey]\n---\n",
        )
        // Believed in, never tested: set to validated by hand, in phase now.
        .file(
            "content/solutions/build-cache.md",
            "---\ntitle: Build cache\naddresses: [slow-ci]\nphase: now\neffort: 3\nvalidation: validated\n---\n",
        )
        // "Validated" by an experiment that could not have failed.
        .file(
            "content/solutions/canary-deploys.md",
            "---\ntitle: Canary deploys\naddresses: [flaky-deploys]\nphase: now\neffort: 2\n---\n",
        )
        .file(
            "content/experiments/canary-trial.md",
            "---\ntitle: Canary trial\ntests: canary-deploys\nhypothesis: Canaries catch bad deploys.\nstatus: validated\n---\n",
        )
        // Shown not to work and parked in later: the only solution for its pain.
        .file(
            "content/solutions/vault-everywhere.md",
            "---\ntitle: Vault everywhere\naddresses: [secrets-sprawl]\nphase: later\nvalidation: invalidated\nvalidation_reason: The pilot with three teams was abandoned in May.\n---\n",
        )
}

fn warnings(site: &Site) -> Vec<String> {
    site.check().iter().map(|d| format!("{} {}", d.code, brief(std::slice::from_ref(d))[0])).collect()
}

#[test]
fn each_faked_validation_warns_where_it_was_written() {
    let site = team();
    assert_eq!(
        warnings(&site),
        [
            "unfalsifiable content/experiments/canary-trial.md:4:1 experiment `canary-trial` has no kill criterion",
            "unearned-validation content/experiments/canary-trial.md:5:1 experiment `canary-trial` says validated but has no `falsified_if`, `result`, `ends`: its solution counts as claimed, not validated",
            "uncovered-pain content/pain/secrets-sprawl.md:2:1 pain `secrets-sprawl` is number 3 of the open pains (rank 3), but its only solutions are invalidated",
            "hand-set-validation content/solutions/build-cache.md:6:1 solution `build-cache` is set to validated by hand, with no experiment to show it",
            "unvalidated-commitment content/solutions/canary-deploys.md:4:1 solution `canary-deploys` is planned for now but is claimed and no experiment is planned or running for it: committing before validating",
        ]
    );
    let unearned = site.check().into_iter().find(|d| d.code == "unearned-validation").unwrap();
    assert!(
        unearned
            .help
            .unwrap()
            .contains("add `falsified_if:` (the kill criterion), `result:` (what happened), `ends:` (the end date)")
    );

    // Earned: a kill criterion, a result and an end date make it validated, and quiet.
    site.write(
        "content/experiments/canary-trial.md",
        "---\ntitle: Canary trial\ntests: canary-deploys\nhypothesis: Canaries catch bad deploys.\nfalsified_if: Fewer than 2 of 5 seeded bad deploys are stopped.\nstatus: validated\nstarted: 2026-10-01\nends: 2026-10-29\nresult: 5 of 5 seeded bad deploys were stopped at 5% of traffic.\n---\n",
    );
    // A reason says why no experiment is needed.
    site.write(
        "content/solutions/build-cache.md",
        "---\ntitle: Build cache\naddresses: [slow-ci]\nphase: now\neffort: 3\nvalidation: validated\nvalidation_reason: Every peer company we asked runs one; Payments measured a 40% cut.\n---\n",
    );
    let codes: Vec<&str> = site.check().iter().map(|d| d.code).collect();
    assert_eq!(codes, ["uncovered-pain"]);
}

#[test]
fn a_claimed_validation_is_never_shown_as_validated() {
    let site = team();
    site.build();
    let label = |rel: &str, css: &str| texts(&page(&site, rel), css);
    // Its page, the list, the roadmap and the dashboard's funnel say claimed.
    assert_eq!(label("solutions/canary-deploys/index.html", ".field-list .label.claimed"), ["Claimed"]);
    let canary = label("solutions/canary-deploys/index.html", "main").join(" ");
    assert!(canary.contains("Validation Claimed an experiment gave a verdict without"), "{canary}");
    let row = label("solutions/index.html", "main tbody tr").into_iter().find(|r| r.contains("Canary")).unwrap();
    assert!(row.contains("Validation: Claimed") && !row.contains("Validated"), "{row}");
    let card = label("roadmap/index.html", ".item-card").into_iter().find(|c| c.contains("Canary")).unwrap();
    assert!(card.contains("Claimed") && !card.contains("Validated"), "{card}");
    let dashboard = label("index.html", "main").join(" ");
    assert!(dashboard.contains("Claimed 1"), "{dashboard}");
    // The experiment itself keeps its status; its solution's badge and items.json say claimed.
    let badge = site.read_out("badges/canary-deploys.json");
    assert!(badge.contains("\"message\":\"claimed\""), "{badge}");
    let json: serde_json::Value = serde_json::from_str(&site.read_out("items.json")).unwrap();
    let canary = json["items"].as_array().unwrap().iter().find(|i| i["id"] == "canary-deploys").unwrap();
    assert_eq!(canary["validation"], "claimed");
    assert_eq!(canary["validation_set_by_hand"], false);
    assert_eq!(json["figures"]["validation"]["claimed"], 1);
    assert_eq!(json["figures"]["validation"]["validated"], 1);
}

#[test]
fn a_hand_set_validation_says_so_on_every_view() {
    let site = team();
    site.build();
    let by_hand = "Validated — set by hand";
    let page_text = |rel: &str| texts(&page(&site, rel), "main").join(" ");
    assert!(page_text("solutions/build-cache/index.html").contains(by_hand));
    assert!(page_text("solutions/index.html").contains(by_hand));
    assert!(page_text("roadmap/index.html").contains(by_hand));
    // The pain it covers lists it with its label too.
    assert!(page_text("pain/slow-ci/index.html").contains(by_hand));
    assert!(page_text("index.html").contains("1 of the 1 validated, not shown by an experiment"));
    assert!(site.read_out("badges/build-cache.json").contains("\"message\":\"validated (by hand)\""));
    let json: serde_json::Value = serde_json::from_str(&site.read_out("items.json")).unwrap();
    let cache = json["items"].as_array().unwrap().iter().find(|i| i["id"] == "build-cache").unwrap();
    assert_eq!(cache["validation_set_by_hand"], true);
    // A reason is shown on the solution's page.
    let vault = page_text("solutions/vault-everywhere/index.html");
    assert!(vault.contains("Invalidated — set by hand"), "{vault}");
    assert!(vault.contains("Why set by hand The pilot with three teams was abandoned in May."), "{vault}");
}

#[test]
fn a_pain_covered_only_by_a_disproved_solution_is_not_covered() {
    let site = team();
    site.build();
    let pain = texts(&page(&site, "pain/secrets-sprawl/index.html"), "main").join(" ");
    assert!(pain.contains("Coverage Only disproved solutions"), "{pain}");
    assert!(!pain.contains("Covered"), "{pain}");
    let row = texts(&page(&site, "pain/index.html"), "main tbody tr")
        .into_iter()
        .find(|r| r.contains("Secrets sprawl"))
        .unwrap();
    assert!(row.ends_with("Only disproved"), "{row}");
    let dashboard = page(&site, "index.html");
    assert_eq!(texts(&dashboard, "#disproved-heading"), ["Pains whose only solutions are disproved"]);
    let list = texts(&dashboard, "section[aria-labelledby=disproved-heading] li");
    assert_eq!(list, ["Secrets sprawl rank 3 · Vault everywhere invalidated"]);
    let json: serde_json::Value = serde_json::from_str(&site.read_out("items.json")).unwrap();
    let sprawl = json["items"].as_array().unwrap().iter().find(|i| i["id"] == "secrets-sprawl").unwrap();
    assert_eq!(sprawl["coverage"], "disproved");
}

#[test]
fn an_invalidated_solution_still_planned_warns_and_a_big_untested_one_too() {
    let site = team();
    site.write(
        "content/solutions/vault-everywhere.md",
        "---\ntitle: Vault everywhere\naddresses: [secrets-sprawl]\nphase: next\nvalidation: invalidated\nvalidation_reason: The pilot was abandoned.\n---\n",
    );
    let got = warnings(&site);
    assert!(
        got.contains(&"invalidated-still-planned content/solutions/vault-everywhere.md:4:1 solution `vault-everywhere` is invalidated but still planned for next".to_string()),
        "{got:#?}"
    );
    // A big favourite in later, written months ago, never tested: warns whatever its phase.
    let favourite = |effort: u32, date: &str| {
        format!(
            "---\ntitle: Platform rewrite\naddresses: [slow-ci]\nphase: later\neffort: {effort}\ndate: {date}\n---\n"
        )
    };
    site.write("content/solutions/rewrite.md", &favourite(10, "2026-06-01"));
    let got = warnings(&site);
    assert!(
        got.contains(&"untested-favourite content/solutions/rewrite.md:5:1 solution `rewrite` (effort 10) has had no experiment in the 178 days since 2026-06-01".to_string()),
        "{got:#?}"
    );
    // Small, recent, or tested: quiet.
    for (effort, date) in [(4, "2026-06-01"), (10, "2026-10-01")] {
        site.write("content/solutions/rewrite.md", &favourite(effort, date));
        assert!(!site.check().iter().any(|d| d.code == "untested-favourite"), "{effort} {date}");
    }
    site.write("content/solutions/rewrite.md", &favourite(10, "2026-06-01"));
    site.write(
        "content/experiments/rewrite-spike.md",
        "---\ntitle: Rewrite spike\ntests: rewrite\nhypothesis: h\nfalsified_if: f\nstatus: planned\n---\n",
    );
    assert!(!site.check().iter().any(|d| d.code == "untested-favourite"));
    // Both thresholds are settings.
    site.write("charted.yaml", "title: Platform\nuntested_favourite_days: 30\nuntested_favourite_effort: 2\n");
    site.write("content/solutions/small.md", &favourite(3, "2026-10-01").replace("Platform rewrite", "Small"));
    assert!(warnings(&site).iter().any(|w| w.starts_with("untested-favourite content/solutions/small.md")));
}

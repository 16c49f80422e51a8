//! Discovery's cost, told honestly: the team's own hours apart from other
//! teams', each quarter against `discovery_budget`, and one name per team and
//! user group (merged spellings, or a declared list with a did-you-mean).

use crate::common;

use common::{Site, brief, page, texts};

fn discovery(id: &str, date: &str, method: &str, parts: &[(&str, f64)], surfaces: &[&str]) -> (String, String) {
    let parts: String = parts.iter().map(|(team, hours)| format!("  - team: {team}\n    hours: {hours}\n")).collect();
    let surfaces: String = surfaces.iter().map(|s| format!("  - {s}\n")).collect();
    let surfaces = if surfaces.is_empty() { "surfaces: []\n".to_string() } else { format!("surfaces:\n{surfaces}") };
    (
        format!("content/discovery/{id}.md"),
        format!("---\ntitle: {id}\nmethod: {method}\ndate: {date}\nparticipants:\n{parts}{surfaces}---\n"),
    )
}

fn site(config: &str, files: &[(String, String)]) -> Site {
    let site =
        Site::with_config(&format!("title: T\nwarnings:\n  discovery-gap: false\n  no-evidence: false\n{config}"));
    site.write("content/charter.md", "---\ntitle: Charter\nteam: Developer Platform\nmode: innovation\n---\n");
    for (rel, text) in files {
        site.write(rel, text);
    }
    site
}

fn coded(site: &Site, code: &str) -> Vec<String> {
    let all = site.check();
    brief(&all.into_iter().filter(|d| d.code == code).collect::<Vec<_>>())
}

#[test]
fn the_teams_own_hours_are_shown_apart_and_never_count_as_other_teams_time() {
    let site = site(
        "discovery_budget:\n  per_quarter: 5\n",
        &[discovery(
            "chat",
            "2026-11-02",
            "coffee-chat",
            &[("Developer Platform", 10.0), ("developer platform team", 2.0), ("Payments", 4.0)],
            &[],
        )],
    );
    // Twelve of our own hours, four of Payments': within a budget of five.
    assert!(coded(&site, "discovery-over-budget").is_empty());
    site.build();
    let html = page(&site, "discovery/index.html");
    assert_eq!(texts(&html, ".hours tbody tr"), ["Payments 4 4 100%"]);
    assert_eq!(
        texts(&html, ".own-hours"),
        ["Our own time (Developer Platform, not counted above): 12 hours in 2026-Q4, 12 in total."]
    );
    // The log counts other teams' hours, ours beside them.
    assert_eq!(texts(&html, "main table:not(.hours):not(.methods):not(.quarters) tbody td.num"), ["4 + 12 ours"]);
    assert_eq!(texts(&html, ".budget-line"), ["4 of 5 hours of other teams' time in 2026-Q4 : 1 hour left."]);
    let dashboard = texts(&page(&site, "index.html"), ".discovery-card p:not(.card-foot)").join(" ");
    assert_eq!(dashboard, "4 hours of other teams' time in 2026-Q4 , of a budget of 5 (1 left).");
}

#[test]
fn a_quarter_over_budget_warns_once_at_the_discovery_that_took_it_over() {
    let site = site(
        "discovery_budget:\n  per_quarter: 10\n  per_team:\n    Payments team: 3\n",
        &[
            discovery("a", "2026-07-01", "survey", &[("Payments", 2.0), ("Mobile", 6.0)], &[]),
            discovery("b", "2026-08-01", "coffee-chat", &[("Payments", 2.0), ("Developer Platform", 20.0)], &[]),
            discovery("c", "2026-09-01", "coffee-chat", &[("Mobile", 3.0)], &[]),
            // Another quarter, within budget; and a future one, not counted yet.
            discovery("d", "2026-10-01", "coffee-chat", &[("Mobile", 3.0)], &[]),
            discovery("e", "2026-12-20", "survey", &[("Mobile", 30.0)], &[]),
        ],
    );
    assert_eq!(
        coded(&site, "discovery-over-budget"),
        [
            "content/discovery/b.md:6:11 in 2026-Q3 discovery took 4 hours of `Payments`'s time, 1 over the budget of 3",
            "content/discovery/c.md:4:1 in 2026-Q3 discovery took 13 hours of other teams' time, 3 over the budget of 10",
        ]
    );
    let help = site.check().into_iter().find(|d| d.code == "discovery-over-budget").unwrap().help.unwrap();
    assert!(help.contains("`per_team: {Payments: 3}`"), "{help}");
}

#[test]
fn without_a_list_team_spellings_merge_and_check_suggests_one() {
    let site = site(
        "",
        &[
            discovery("a", "2026-11-01", "survey", &[("Payments team", 1.0), ("Mobile", 1.0)], &[]),
            discovery("b", "2026-11-02", "survey", &[("payments", 2.0)], &[]),
            discovery("c", "2026-11-03", "survey", &[("Payments", 3.0)], &[]),
            discovery("d", "2026-11-04", "survey", &[("Payments  ", 1.0), ("Payments Team", 1.0)], &[]),
        ],
    );
    let merged = site.check().into_iter().filter(|d| d.code == "merged-names").collect::<Vec<_>>();
    assert_eq!(
        brief(&merged),
        [
            "charted.yaml names written more than one way are shown as one: teams: `Payments` (also `Payments team`, `payments`, `Payments Team`)"
        ]
    );
    // The YAML to paste names every team, the merged ones with their aliases;
    // pasted, it declares them all and nothing warns about names any more.
    let help = merged[0].help.clone().unwrap();
    let paste =
        "teams: [Developer Platform, {name: Payments, aliases: [Payments team, payments, Payments Team]}, Mobile]";
    assert!(help.ends_with(&format!("paste `{paste}`")), "{help}");
    let config = std::fs::read_to_string(site.path().join("charted.yaml")).unwrap();
    site.write("charted.yaml", &format!("{config}{paste}\n"));
    let names = site.check().into_iter().filter(|d| matches!(d.code, "merged-names" | "unknown-name")).count();
    assert_eq!(names, 0);
    site.build();
    let html = page(&site, "discovery/index.html");
    // One team, shown as the spelling written most ("Payments", twice: trailing spaces aside).
    assert_eq!(texts(&html, ".hours tbody th"), ["Payments", "Mobile"]);
    assert_eq!(texts(&html, ".hours tbody tr")[0], "Payments 8 8 89%");
}

#[test]
fn user_group_spellings_merge_into_one_group_without_a_list() {
    let site = site(
        "",
        &[
            ("content/pain/a.md".into(), "---\ntitle: A\nusers: [Product Engineers]\n---\n".into()),
            ("content/pain/b.md".into(), "---\ntitle: B\nusers: [Product engineers]\n---\n".into()),
        ],
    );
    let merged = coded(&site, "merged-names");
    assert_eq!(
        merged,
        [
            "charted.yaml names written more than one way are shown as one: user groups: `Product Engineers` (also `Product engineers`)"
        ]
    );
    site.build();
    let groups: Vec<_> =
        std::fs::read_dir(site.out().join("pain/_by/users")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(groups, ["product-engineers"], "one group, one filtered page");
    let text = texts(&page(&site, "pain/index.html"), "main").join(" ");
    assert_eq!(text.matches("Product Engineers").count(), 2, "{text}");
    assert!(!text.contains("Product engineers"), "{text}");
}

#[test]
fn with_a_list_an_unknown_name_warns_in_place_with_a_did_you_mean() {
    let site = site(
        "teams:\n  - Developer Platform\n  - name: Payments\n    aliases: [Pay squad]\n  - Mobile\nuser_groups:\n  - Product engineers\n",
        &[
            discovery(
                "a",
                "2026-11-01",
                "survey",
                &[("Pay squad", 1.0), ("payments team", 1.0), ("Paymnts", 1.0), ("Data", 1.0)],
                &[],
            ),
            ("content/pain/p.md".into(), "---\ntitle: P\nusers:\n  - Product engineer\n---\n".into()),
        ],
    );
    let diags = site.check();
    let unknown: Vec<_> = diags.iter().filter(|d| d.code == "unknown-name").cloned().collect();
    assert_eq!(
        brief(&unknown),
        [
            "content/discovery/a.md:10:11 the team `Paymnts` is not in the `teams` list of charted.yaml",
            "content/discovery/a.md:12:11 the team `Data` is not in the `teams` list of charted.yaml",
            "content/pain/p.md:4:5 the user group `Product engineer` is not in the `user_groups` list of charted.yaml",
        ]
    );
    assert!(unknown[0].help.as_deref().unwrap().starts_with("did you mean `Payments`?"));
    assert!(unknown[1].help.as_deref().unwrap().starts_with("write one of the teams listed in `teams:`"));
    assert!(unknown[2].help.as_deref().unwrap().starts_with("did you mean `Product engineers`?"));
    assert!(!diags.iter().any(|d| d.code == "merged-names"), "{:?}", brief(&diags));
    site.build();
    // An alias and a trailing "team" are the listed team.
    let html = page(&site, "discovery/index.html");
    assert_eq!(texts(&html, ".hours tbody th"), ["Payments", "Data", "Paymnts"]);
}

#[test]
fn each_method_shows_the_pains_it_surfaced_per_hour_of_other_teams_time() {
    let pain = |id: &str| (format!("content/pain/{id}.md"), format!("---\ntitle: {id}\n---\n"));
    let site = site(
        "",
        &[
            pain("p1"),
            pain("p2"),
            pain("p3"),
            discovery("s", "2026-11-01", "survey", &[("Payments", 8.0), ("Developer Platform", 8.0)], &["p1", "p2"]),
            discovery("c1", "2026-11-02", "coffee-chat", &[("Mobile", 1.0)], &["p1", "p3"]),
            discovery("c2", "2026-11-03", "coffee-chat", &[("Mobile", 1.0)], &["p3"]),
        ],
    );
    site.build();
    let html = page(&site, "discovery/index.html");
    let rows = texts(&html, ".methods tbody tr");
    assert!(rows.contains(&"User survey 1 2026-11-01 0.25 2 in 8 h".to_string()), "{rows:?}");
    assert!(rows.contains(&"Coffee chat 2 2026-11-03 1 2 in 2 h".to_string()), "{rows:?}");
    assert!(rows.contains(&"Research 0 never —".to_string()), "{rows:?}");
}

//! `charted init --portfolio`: a new user's walkthrough (two `charted init`
//! team sites and a portfolio beside them build and serve the org pages),
//! `--team` with a folder and an items.json URL, a bad short name refused
//! with its fix, and the workflow that checks each team out and publishes.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// The real binary, run in `cwd` on the day the tests date everything.
fn charted(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1795651200") // 2026-11-26
        .output()
        .unwrap()
}

fn ok(cwd: &Path, args: &[&str]) -> String {
    let out = charted(cwd, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `charted init ci`, `charted init data`, `charted init --portfolio org` in a temporary folder.
fn walkthrough() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "ci"]);
    ok(dir.path(), &["init", "data"]);
    let said = ok(dir.path(), &["init", "--portfolio", "org"]);
    assert!(said.contains("  ci: ../ci\n  data: ../data\n"), "{said}");
    assert!(said.contains("`charted serve org`"), "{said}");
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_portfolio_beside_two_new_team_sites_builds_their_org_dashboard() {
    let dir = walkthrough();
    let config = read(&dir.path().join("org/charted.yaml"));
    assert!(config.contains("vocabulary: vocabulary.yaml\n"), "{config}");
    assert!(
        config.contains("  - team: ci\n    path: ../ci\n") && config.contains("  - team: data\n    path: ../data\n")
    );
    assert!(config.contains("\n# portfolio_limits:\n#   askers_per_quarter: 2\n"), "commented limits: {config}");
    let vocabulary = read(&dir.path().join("org/vocabulary.yaml"));
    assert!(
        vocabulary.contains("teams:\n  - name: ci\n") && vocabulary.contains("# site: https://<owner>.github.io/data/")
    );
    let out = charted(dir.path(), &["build", "org"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("(0 errors, 0 warnings)"), "{said}");
    let org = read(&dir.path().join("org/public/org/index.html"));
    // Each starter plans 4 immediate and 2 future person-weeks; the charters say 70/30.
    assert_eq!(org.matches("<strong>66.7/33.3</strong> planned, target 70/30").count(), 2, "{org}");
    assert_eq!(org.matches("CI builds are slow").count(), 2, "each team's top pain");
    assert!(org.contains("12 person-weeks"), "the organisation's planned effort, both teams'");
    // The starters' charters both say "Our team": the entries name them apart.
    let names: Vec<usize> = ["ci", "data"].iter().map(|n| org.find(&format!(">{n}<")).expect(n)).collect();
    assert!(names[0] < names[1], "in `portfolio:` order");
    assert!(!org.contains(">Our team<"), "{org}");
    assert!(read(&dir.path().join("org/public/org/roadmap/index.html")).contains(r#"id="lane-data""#));
}

#[test]
fn sibling_folders_without_a_site_or_with_a_portfolio_are_not_teams() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--portfolio", "hq"]);
    let hq = read(&dir.path().join("hq/charted.yaml"));
    assert!(hq.contains("# portfolio:\n#   - team: ci\n#     path: ../ci\n") && !hq.contains("\nportfolio:"), "{hq}");
    // With none listed the portfolio still builds, clean.
    let said = ok(dir.path(), &["build", "hq"]);
    assert!(said.contains("(0 errors, 0 warnings)"), "{said}");
    // Beside a folder with no site, a team site, and a portfolio over it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    ok(dir.path(), &["init", "Build Tools"]);
    let titled = dir.path().join("Build Tools/charted.yaml");
    std::fs::write(&titled, read(&titled).replace("title: Our team", "title: Build tools")).unwrap();
    ok(dir.path(), &["init", "--portfolio", "hq", "--team", "tools=../Build Tools"]);
    ok(dir.path(), &["init", "--portfolio", "org"]);
    let config = read(&dir.path().join("org/charted.yaml"));
    assert!(config.contains("portfolio:\n  - team: build-tools\n    path: ../Build Tools\n# What"), "{config}");
    // A team that named itself keeps its name; its short name is an alias.
    let vocabulary = read(&dir.path().join("org/vocabulary.yaml"));
    assert!(vocabulary.contains("  - name: Build tools\n    aliases: [build-tools]\n"), "{vocabulary}");
    let said = ok(dir.path(), &["build", "org"]);
    assert!(said.contains("(0 errors, 0 warnings)"), "{said}");
}

#[test]
fn teams_given_by_folder_and_by_items_json_url_are_written_as_given() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "ci-site"]);
    let url = "https://acme.github.io/data-roadmap/items.json";
    let said =
        ok(dir.path(), &["init", "--portfolio", "org", "--team", "ci=../ci-site", "--team", &format!("data={url}")]);
    assert!(said.contains(&format!("  ci: ../ci-site\n  data: {url}\n")), "{said}");
    let config = read(&dir.path().join("org/charted.yaml"));
    assert!(config.contains("portfolio:\n  - team: ci\n    path: ../ci-site\n"), "{config}");
    assert!(config.contains("    name: ci\n  - team: data\n"), "the starter's \"Our team\" is named: {config}");
    assert!(config.contains(&format!("  - team: data\n    items: {url}\n# What")), "{config}");
    let vocabulary = read(&dir.path().join("org/vocabulary.yaml"));
    assert!(
        vocabulary.contains("  - name: data\n") && vocabulary.contains("# site: https://acme.github.io/data-roadmap/")
    );
    let workflow = read(&dir.path().join("org/.github/workflows/charted.yml"));
    assert!(workflow.contains("repository: ${{ github.repository_owner }}/ci-site\n"), "{workflow}");
    assert!(workflow.contains("# data: charted downloads its items.json; nothing to check out."), "{workflow}");
}

#[test]
fn a_bad_short_name_or_source_is_refused_with_its_fix_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (vec!["--team", "Data Team=../data"], "`--team data-team=...`"),
        (vec!["--team", "ci"], "`--team ci=../ci`"),
        (vec!["--team", "ci=../a", "--team", "ci=../b"], "given twice"),
    ];
    for (flags, fix) in cases {
        let mut args = vec!["init", "--portfolio", "org"];
        args.extend(flags);
        let out = charted(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(fix), "{args:?}: {stderr}");
        assert!(!dir.path().join("org").exists(), "nothing written for {args:?}");
    }
    // `--team` is for portfolios; a team site's `init` is as before.
    assert_eq!(charted(dir.path(), &["init", "ci", "--team", "ci=../ci"]).status.code(), Some(2));
    // Like a team site, a portfolio goes only into an empty or new folder.
    ok(dir.path(), &["init", "ci"]);
    assert_eq!(charted(dir.path(), &["init", "--portfolio", "ci"]).status.code(), Some(2));
}

#[test]
fn the_portfolio_workflow_checks_out_each_team_beside_it_and_publishes_daily_and_on_dispatch() {
    let dir = walkthrough();
    let text = read(&dir.path().join("org/.github/workflows/charted.yml"));
    let yaml: serde_json::Value = serde_saphyr::from_str(&text).expect("the workflow is valid YAML");
    for placeholder in ["@CHARTED_", "@INSTALL_SCRIPT@", "@PORTFOLIO_FOLDER@", "@TEAM_CHECKOUTS@"] {
        assert!(!text.contains(placeholder), "{placeholder} left in:\n{text}");
    }
    let on = &yaml["on"];
    for trigger in ["push", "pull_request", "workflow_dispatch", "repository_dispatch", "schedule"] {
        assert!(on.get(trigger).is_some(), "runs on {trigger}");
    }
    assert_eq!(on["schedule"][0]["cron"], "17 5 * * *", "daily");
    let build = &yaml["jobs"]["build"];
    assert_eq!(build["defaults"]["run"]["working-directory"], "org");
    let steps = build["steps"].as_array().unwrap();
    assert_eq!(steps[0]["with"]["path"], "org", "the portfolio in its own folder");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
    for (i, team) in ["ci", "data"].iter().enumerate() {
        let checkout = &steps[i + 1];
        assert!(checkout["uses"].as_str().unwrap().starts_with("actions/checkout@"));
        let repository = format!("${{{{ github.repository_owner }}}}/{team}");
        assert_eq!(checkout["with"], serde_json::json!({ "repository": repository, "path": team }));
    }
    assert!(text.contains("token: ${{ secrets.TEAMS_READ_TOKEN }}"), "private team repositories are explained");
    let install = steps.iter().find(|s| s["name"] == "Install charted").unwrap();
    assert_eq!(install["run"], charted::INSTALL_SCRIPT, "the team starter's install step");
    for step in steps {
        assert!(!step["run"].as_str().unwrap_or("").contains("${{"), "values reach scripts through env:");
    }
    let upload =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.contains("upload-pages-artifact"))).unwrap();
    assert_eq!(upload["with"]["path"], "org/public");
    // The team starter's least privilege, and its deploy job.
    assert_eq!(yaml["permissions"], serde_json::json!({ "contents": "read" }));
    assert_eq!(build["permissions"], serde_json::json!({ "contents": "read", "pages": "read" }));
    assert_eq!(yaml["jobs"]["deploy"]["permissions"], serde_json::json!({ "pages": "write", "id-token": "write" }));
    assert_eq!(yaml["jobs"]["deploy"]["if"], "github.event_name != 'pull_request'");
    assert_eq!(yaml["env"]["CHARTED_VERSION"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn serve_on_the_new_portfolio_reloads_when_a_team_file_changes() {
    let dir = walkthrough();
    let root = dir.path().join("org");
    let server = crate::serve::serve_with(&root, |_| {});
    assert!(crate::serve::get(&server, "/org/").1.contains("CI builds are slow"));
    let mut rx = server.shared.subscribe();
    let file = dir.path().join("data/content/pain/slow-ci-builds.md");
    std::fs::write(&file, read(&file).replace("title: CI builds are slow", "title: Queries time out")).unwrap();
    assert_eq!(crate::serve::next_notice(&mut rx, Duration::from_secs(10)), charted::Notice::Reload);
    let org = crate::serve::get(&server, "/org/").1;
    assert!(org.contains("Queries time out") && org.contains("CI builds are slow"), "data's edit, ci's as it was");
    crate::serve::assert_served_equals_a_full_build(&root, &server);
    server.stop();
}

//! Every diagnostic the core promises: file:line:column, message and a fix.

use crate::common;

use charted::Severity;
use common::{Site, brief};

const PAIN: &str = "---\ntitle: Slow CI\nseverity: 3\n---\nBody.\n";

#[test]
fn bad_yaml_names_the_spot() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nseverity 3\nreach: 5\n---\n");
    let d = site.check();
    assert_eq!(d.len(), 1, "{:?}", brief(&d));
    assert_eq!(d[0].code, "yaml");
    assert_eq!(brief(&d)[0], "content/pain/a.md:3:1 invalid YAML: simple key expected ':'");
    assert!(d[0].help.as_deref().unwrap().contains("indent with spaces"));
}

#[test]
fn wrong_type_says_what_was_expected() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nseverity: high\nreach: [1, 2]\n---\n");
    assert_eq!(
        brief(&site.check()),
        [
            "content/pain/a.md:3:11 `severity` must be a whole number, but it is text",
            "content/pain/a.md:4:8 `reach` must be a whole number, but it is a list",
        ]
    );
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let site = Site::new().file("content/notes.md", "---\ntitle: A\nkind: pian\n---\n");
    let d = site.check();
    assert_eq!(brief(&d), ["content/notes.md:3:7 `pian` is not a valid `kind` (did you mean `pain`?)"]);
    assert!(d[0].help.as_deref().unwrap().contains("charter, vision, pain, solution"));
}

#[test]
fn a_file_in_no_kind_folder_says_where_to_put_it() {
    let d = Site::new().file("content/notes.md", "---\ntitle: A\n---\n").check();
    assert_eq!(brief(&d), ["content/notes.md:1:1 cannot tell what kind of item this is"]);
    assert!(d[0].help.as_deref().unwrap().contains("kind: pain"));
}

#[test]
fn unknown_status_lists_the_allowed_words() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nstatus: donee\n---\n");
    let d = site.check();
    assert_eq!(brief(&d), ["content/pain/a.md:3:9 `donee` is not a valid `status`"]);
    assert_eq!(d[0].help.as_deref(), Some("use one of: open, mitigated, solved, dropped"));
}

#[test]
fn duplicate_ids_across_folders() {
    let site = Site::new()
        .file("content/pain/slow-ci.md", PAIN)
        .file("content/solutions/cache.md", "---\ntitle: Cache\nid: slow-ci\n---\n");
    let d = site.check();
    assert_eq!(brief(&d), ["content/solutions/cache.md:3:5 the id `slow-ci` is already used"]);
    assert!(d[0].help.as_deref().unwrap().contains("content/pain/slow-ci.md has the same id"));
}

#[test]
fn invalid_ids_suggest_a_valid_one() {
    let site = Site::new()
        .file("content/pain/Slow CI.md", PAIN)
        .file("content/pain/b.md", "---\ntitle: B\nid: ../escape\n---\n");
    let d = site.check();
    assert_eq!(
        brief(&d),
        [
            "content/pain/Slow CI.md:1:1 `Slow CI` is not a valid id",
            "content/pain/b.md:3:5 `../escape` is not a valid id"
        ]
    );
    assert!(d[0].help.as_deref().unwrap().contains("rename the file to `slow-ci.md`"));
    assert!(d[1].help.as_deref().unwrap().contains("write `id: escape`"));
}

#[test]
fn dangling_and_wrong_kind_references() {
    let site = Site::new()
        .file("content/pain/slow-ci.md", PAIN)
        .file("content/experiments/e.md", "---\ntitle: E\ntests: slow-ci\nhypothesis: h\nfalsified_if: f\n---\n")
        .file("content/solutions/s.md", "---\ntitle: S\naddresses:\n  - pain: slow-cl\n    how: eliminate\n---\n");
    let d = site.check();
    assert_eq!(
        brief(&d),
        [
            "content/experiments/e.md:3:8 `tests` must name a solution, but `slow-ci` is a pain",
            "content/solutions/s.md:4:11 `addresses` refers to `slow-cl`, but no item has that id",
        ]
    );
    assert!(d[1].help.as_deref().unwrap().starts_with("did you mean `slow-ci`?"));
}

#[test]
fn body_links_to_missing_files_and_ids() {
    let site = Site::new().file(
        "content/pain/a.md",
        "---\ntitle: A\n---\nFirst line.\nSee [the fix](../solutions/nope.md) and [[ghost]].\n[out](../../charted.yaml.md)\n",
    );
    assert_eq!(
        brief(&site.check()),
        [
            "content/pain/a.md:5:5 `../solutions/nope.md` links to a file that does not exist",
            "content/pain/a.md:5:41 `[[ghost]]` links to an id no item has",
            "content/pain/a.md:6:1 `../../charted.yaml.md` points outside content/",
        ]
    );
}

#[test]
fn body_links_resolve_to_item_pages() {
    let site = Site::new()
        .file("content/pain/a.md", "---\ntitle: A\n---\nSee [b](b.md), [[s]] and [s again](../solutions/s.md#why).\n")
        .file("content/pain/b.md", "---\ntitle: B\n---\n")
        // The `#why` fragment must name a heading of s: check renders pages and checks it.
        .file("content/solutions/s.md", "---\ntitle: S\n---\n## Why\n");
    assert!(site.check().is_empty(), "{:#?}", site.check());
}

#[test]
fn unknown_fields_are_warnings_with_a_suggestion() {
    let d = Site::new().file("content/pain/a.md", "---\ntitle: A\nserverity: 3\n---\n").check();
    assert_eq!(brief(&d), ["content/pain/a.md:3:1 unknown field `serverity`"]);
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].help.as_deref().unwrap().starts_with("did you mean `severity`?"));
}

#[test]
fn missing_required_fields() {
    let d = Site::new().file("content/experiments/e.md", "---\ntitle: E\n---\n").check();
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"the required field `tests` is missing"), "{messages:?}");
    assert!(messages.contains(&"the required field `hypothesis` is missing"), "{messages:?}");
}

#[test]
fn front_matter_problems() {
    let site = Site::new()
        .file("content/pain/empty.md", "")
        .file("content/pain/none.md", "# Just a body\n")
        .file("content/pain/open.md", "---\ntitle: A\n")
        .file("content/pain/list.md", "---\n- a\n- b\n---\n");
    assert_eq!(
        brief(&site.check()),
        [
            "content/pain/empty.md:1:1 this file is empty",
            "content/pain/list.md:2:1 the front matter is a list, not a mapping of fields",
            "content/pain/none.md:1:1 this file does not start with front matter",
            "content/pain/open.md:1:1 the front matter is never closed",
        ]
    );
}

#[test]
fn every_problem_of_a_site_is_reported_in_one_run() {
    // The "done when" of the core issue: three files, three problems, exit 1.
    let site = Site::new()
        .file("content/pain/slow-ci.md", "---\ntitle: Slow CI\nevidence: [survey-2025]\n---\n")
        .file("content/solutions/cache.md", "---\ntitle: Cache\nid: slow-ci\n---\n")
        .file("content/vision/v.md", "---\ntitle: [V\nhorizon: 2029\n---\n");
    let out = site.run(&["check", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for expected in ["content/pain/slow-ci.md:3:12", "content/solutions/cache.md:3:5", "content/vision/v.md:"] {
        assert!(stderr.contains(expected), "missing {expected} in:\n{stderr}");
    }
    assert!(stderr.contains("3 | evidence: [survey-2025]"), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("3 errors, 0 warnings"), "{stdout}");
}

#[test]
fn json_format_is_an_array_of_positioned_problems() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nstatus: donee\n---\n");
    let out = site.run(&["check", site.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["file"], "content/pain/a.md");
    assert_eq!(json[0]["line"], 3);
    assert_eq!(json[0]["column"], 9);
    assert_eq!(json[0]["severity"], "error");
    assert_eq!(json[0]["code"], "invalid-value");
}

#[test]
fn strict_fails_on_warnings_and_wrong_paths_exit_2() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nserverity: 3\n---\n");
    let dir = site.path().to_str().unwrap();
    assert_eq!(site.run(&["check", dir]).status.code(), Some(0));
    assert_eq!(site.run(&["check", dir, "--strict"]).status.code(), Some(1));
    assert_eq!(site.run(&["check", "/no/such/site"]).status.code(), Some(2));
    assert_eq!(site.run(&["check", dir, "--format", "xml"]).status.code(), Some(2));
}

#[test]
fn honesty_warnings() {
    let site = Site::new()
        .file("content/charter.md", "---\ntitle: C\nteam: T\nsplit: 70/30\n---\n")
        .file("content/solutions/s.md", "---\ntitle: S\nphase: now\neffort: 5\n---\n")
        .file(
            "content/experiments/e.md",
            "---\ntitle: E\ntests: s\nhypothesis: h\nstatus: running\nstarted: 2026-01-01\nends: 2026-02-01\n---\n",
        );
    let codes: Vec<(&str, String)> =
        site.check().iter().map(|d| (d.code, brief(std::slice::from_ref(d))[0].clone())).collect();
    assert_eq!(
        codes,
        [
            ("balance", "content/charter.md:4:1 Future work is 0% of planned effort (now + next); target 30%. Outside the tolerance.".into()),
            ("unfalsifiable", "content/experiments/e.md:4:1 experiment `e` has no kill criterion".into()),
            ("stale-experiment", "content/experiments/e.md:7:1 experiment `e` is stale: it is still running after its end date 2026-02-01".into()),
        ]
    );
}

#[test]
fn aliases_lead_to_one_item_only() {
    let site = Site::new()
        .file("content/pain/a.md", "---\ntitle: A\naliases: [old-a, a]\n---\n")
        .file("content/pain/b.md", "---\ntitle: B\naliases: [old-a]\n---\n");
    assert_eq!(
        brief(&site.check()),
        [
            "content/pain/a.md:3:18 the alias `a` is this item's own id",
            "content/pain/b.md:3:11 the alias `old-a` is given twice"
        ]
    );
}

// The command line around the diagnostics: where it finds the site, how much
// it prints, in colour or not, and what a closed pipe does to it.

/// The real binary run in `cwd`, with `env` set.
fn charted_in(cwd: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_charted"));
    command.current_dir(cwd).args(args).env("SOURCE_DATE_EPOCH", "1795651200").env_remove("NO_COLOR");
    command.env_remove("CLICOLOR_FORCE").env_remove("CHARTED_TIMINGS");
    command.envs(env.iter().copied()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_command_run_inside_a_site_finds_it_in_a_parent_folder() {
    let site = Site::example();
    let pain = site.path().join("content/pain");
    let out = charted_in(&pain, &["check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The path printed is relative to where the command ran.
    assert!(text(&out.stdout).starts_with("Checked 46 items in ../..: "), "{}", text(&out.stdout));
    let out = charted_in(&pain, &["build"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(" in ../../public in "), "{}", text(&out.stdout));
    assert!(site.out().join("index.html").is_file());
    let out = charted_in(&pain, &["new", "pain", "Found from below"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(site.path().join("content/pain/found-from-below.md").is_file());
}

#[test]
fn the_site_folder_is_a_positional_dir_for_every_command() {
    let site = Site::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = site.path().to_str().unwrap();
    for args in [vec!["check", dir], vec!["build", dir], vec!["new", "pain", "By position", dir]] {
        let out = charted_in(elsewhere.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    }
    let out = charted_in(elsewhere.path(), &["new", "pain", "By flag", "--site", dir], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(site.path().join("content/pain/by-position.md").is_file());
    assert!(site.path().join("content/pain/by-flag.md").is_file());
    // Outside any site, with no DIR: a usage error that says what to do.
    let out = charted_in(elsewhere.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no charted.yaml in") && stderr.contains("charted init DIR"), "{stderr}");
    // A DIR given is taken as it is, never searched above.
    let out = charted_in(&site.path().join("content"), &["check", "."], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn quiet_prints_only_errors_and_verbose_adds_timings_and_counts() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nserverity: 3\n---\n");
    let dir = site.path().to_str().unwrap();
    let out = charted_in(site.path(), &["check", "-q", dir], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((text(&out.stdout), text(&out.stderr)), (String::new(), String::new()));
    let out = charted_in(site.path(), &["build", "--quiet", dir], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((text(&out.stdout), text(&out.stderr)), (String::new(), String::new()));
    // Under --strict the warning fails the check, so it is shown.
    let out = charted_in(site.path(), &["check", "-q", "--strict", dir], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("warning[unknown-field]"), "{}", text(&out.stderr));
    site.write("content/pain/b.md", "---\ntitle: B\nstatus: donee\n---\n");
    let out = charted_in(site.path(), &["check", "-q", dir], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[invalid-value]") && !stderr.contains("warning"), "{stderr}");
    assert_eq!(text(&out.stdout), "");
    let out = charted_in(site.path(), &["check", "--verbose", dir], &[]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("timings: load ") && stderr.contains("read: 2 files (pain 2)"), "{stderr}");
}

#[test]
fn diagnostics_are_coloured_only_when_asked_or_on_a_terminal() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nstatus: donee\n---\n");
    let dir = site.path().to_str().unwrap();
    let has_escape = |out: &std::process::Output| out.stderr.contains(&0x1b);
    let never = charted_in(site.path(), &["check", "--color", "never", dir], &[("CLICOLOR_FORCE", "1")]);
    assert!(!has_escape(&never), "{}", text(&never.stderr));
    let always = charted_in(site.path(), &["check", "--color", "always", dir], &[("NO_COLOR", "1")]);
    assert!(has_escape(&always));
    // The same text under the colours.
    assert_eq!(text(&anstream::adapter::strip_bytes(&always.stderr).into_vec()), text(&never.stderr));
    let auto = charted_in(site.path(), &["check", dir], &[("NO_COLOR", "1")]);
    assert!(!has_escape(&auto));
    // Standard error is a pipe here: auto means no colour.
    assert!(!has_escape(&charted_in(site.path(), &["check", dir], &[])));
    assert!(has_escape(&charted_in(site.path(), &["check", dir], &[("CLICOLOR_FORCE", "1")])));
    assert!(always.stdout.iter().all(|b| *b != 0x1b), "standard output is never coloured");
}

#[test]
fn completions_for_every_shell() {
    let here = std::env::temp_dir();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = charted_in(&here, &["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains("charted") && script.contains("--strict"), "{shell}: {script}");
    }
    assert_eq!(charted_in(&here, &["completions", "tcsh"], &[]).status.code(), Some(2));
}

#[test]
fn counts_of_one_are_singular() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nserverity: 3\n---\n");
    let dir = site.path().to_str().unwrap();
    let out = charted_in(site.path(), &["check", dir], &[]);
    assert!(text(&out.stdout).contains("Checked 1 item in ") && text(&out.stdout).contains(": 0 errors, 1 warning\n"));
    let out = charted_in(site.path(), &["build", dir], &[]);
    assert!(text(&out.stdout).starts_with("Built 1 item into "), "{}", text(&out.stdout));
}

/// A site whose `check --format json` prints far more than a pipe holds.
fn site_with_many_problems() -> Site {
    let site = Site::new();
    for i in 0..1000 {
        site.write(&format!("content/pain/p{i:04}.md"), "---\ntitle: P\nstatus: donee\n---\n");
    }
    site
}

#[test]
fn a_closed_stdout_ends_the_output_quietly_with_the_usual_exit_code() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let site = site_with_many_problems();
    // `charted check --format json | head -1`
    let mut child = Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(["check", "--format", "json", site.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first, "[\n");
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("failed printing"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "the site has errors: exit 1, not a panic's 101");
}

#[test]
fn a_closed_stderr_ends_the_diagnostics_quietly_and_the_command_goes_on() {
    use std::process::{Command, Stdio};
    let site = site_with_many_problems();
    let mut child = Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(["check", site.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("Checked 1000 items in "), "{}", text(&out.stdout));
}

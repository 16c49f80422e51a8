//! `charted new` cannot fake a test: an experiment names the solution it tests
//! only when told (`--tests`), an empty `tests:` is an error until filled, and
//! the placeholder text it writes warns (`placeholder`) until replaced.

use crate::common::{Site, brief};

use charted::Severity;

/// The starter site of `charted init`, in a temporary folder.
fn starter() -> (tempfile::TempDir, std::path::PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    charted::init(&dir).unwrap();
    (parent, dir)
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--site", dir.to_str().unwrap()]);
    Site::new().run(&all)
}

/// What `check` says of the site, judged on the day `init` and `new` dated
/// its items (today, or `SOURCE_DATE_EPOCH`): a fixed day would make the
/// starter's dated discovery look old as the calendar moves on.
fn codes(dir: &std::path::Path) -> Vec<String> {
    let report = charted::check(dir, false, None).unwrap();
    report.diagnostics.iter().map(|d| format!("{} {}", d.code, d.file.as_deref().unwrap().display())).collect()
}

#[test]
fn new_experiment_without_tests_leaves_it_empty_and_check_fails_until_filled() {
    let (_keep, dir) = starter();
    let out = run(&dir, &["new", "experiment", "Some unrelated idea"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Fill in next:") && stdout.contains("tests: the id of the solution it tests"), "{stdout}");
    let file = dir.join("content/experiments/some-unrelated-idea.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\ntests:\n"), "no solution guessed:\n{text}");
    assert!(!text.contains("started:"), "a planned experiment has not started:\n{text}");

    let report = charted::check(&dir, false, Some("2026-11-26".parse().unwrap())).unwrap();
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{:?}", brief(&report.diagnostics));
    let error = errors[0];
    assert_eq!(error.code, "missing-field");
    assert_eq!(
        brief(std::slice::from_ref(error)),
        [
            "content/experiments/some-unrelated-idea.md:4:1 `tests` is empty: the experiment does not say which solution it tests"
        ]
    );
    assert!(error.help.as_deref().unwrap().contains("`tests: "), "{:?}", error.help);
    // `build` refuses it too, and the file stays as it was.
    let build = Site::new().run(&["build", dir.to_str().unwrap()]);
    assert_eq!(build.status.code(), Some(1), "{}", String::from_utf8_lossy(&build.stderr));

    std::fs::write(&file, text.replace("\ntests:\n", "\ntests: remote-build-cache\n")).unwrap();
    assert!(!codes(&dir).iter().any(|c| c.starts_with("missing-field")), "{:?}", codes(&dir));
}

#[test]
fn new_experiment_with_tests_names_that_solution_and_no_other() {
    let (_keep, dir) = starter();
    let out = run(&dir, &["new", "experiment", "Cache for laptops", "--tests", "remote-build-cache"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("content/experiments/cache-for-laptops.md")).unwrap();
    assert!(text.contains("\ntests: remote-build-cache\n"), "{text}");
    assert!(text.contains("\nstatus: planned\n") && !text.contains("started:"), "{text}");
    let codes = codes(&dir);
    assert!(codes.iter().all(|c| c.starts_with("placeholder ")), "only placeholders are left: {codes:?}");
}

#[test]
fn an_unknown_tests_id_is_refused_with_a_did_you_mean_over_the_solutions() {
    let (_keep, dir) = starter();
    let out = run(&dir, &["new", "experiment", "X", "--tests", "remote-bild-cache"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no solution has that id; did you mean `--tests remote-build-cache`?"), "{stderr}");
    let out = run(&dir, &["new", "experiment", "X", "--tests", "zzz"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("build-insights, remote-build-cache"), "lists the solutions: {stderr}");
    // A pain is not an experiment; an id of another kind is not a solution.
    assert_eq!(run(&dir, &["new", "pain", "X", "--tests", "remote-build-cache"]).status.code(), Some(2));
    assert_eq!(run(&dir, &["new", "experiment", "X", "--tests", "slow-ci-builds"]).status.code(), Some(2));
    assert!(!dir.join("content/experiments/x.md").exists(), "nothing written");
    assert!(!dir.join("content/pain/x.md").exists(), "nothing written");
}

#[test]
fn placeholder_text_left_unchanged_warns_at_its_field() {
    let (_keep, dir) = starter();
    assert!(run(&dir, &["new", "sla", "Deploy time"]).status.success());
    let report = charted::check(&dir, false, Some("2026-11-26".parse().unwrap())).unwrap();
    let placeholders: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "placeholder").collect();
    assert_eq!(
        brief(&placeholders.iter().map(|d| (*d).clone()).collect::<Vec<_>>()),
        [
            "content/slas/deploy-time.md:3:1 `summary` of `deploy-time` is still the placeholder \"One line that says what this is.\"",
            "content/slas/deploy-time.md:4:1 `service` of `deploy-time` is still the placeholder \"The service\"",
            "content/slas/deploy-time.md:5:1 `objective` of `deploy-time` is still the placeholder \"What users expect of it\"",
            "content/slas/deploy-time.md:14:1 the body of `deploy-time` is still the placeholder \"Write here.\"",
        ]
    );
    assert!(placeholders.iter().all(|d| d.severity == Severity::Warning && d.help.is_some()));
    // Edited text, even text that starts the same, is not a placeholder.
    let file = dir.join("content/slas/deploy-time.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text
        .replace("One line that says what this is.", "One line that says what this is. Deploys take 20 min.")
        .replace("The service", "Deploys")
        .replace("Write here.", "Write here. Deploys are slow.");
    std::fs::write(&file, edited).unwrap();
    let left: Vec<String> = codes(&dir).into_iter().filter(|c| c.starts_with("placeholder")).collect();
    assert_eq!(left, ["placeholder content/slas/deploy-time.md"], "only `objective` is left");
}

#[test]
fn the_starter_site_has_no_placeholder_text() {
    let (_keep, dir) = starter();
    assert_eq!(codes(&dir), Vec::<String>::new(), "init's starter site checks clean");
}

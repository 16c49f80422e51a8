//! History from git: a repository with three reviews of the example site
//! (tests/fixtures/history/make-reviews.sh, whose header lists the changes),
//! read by `charted history`, by `check` and `build`, and by a `Session` kept
//! across runs; and every way a site can lack history, each a warning only
//! when `history:` asks for it. The `git` program is used here only, to make
//! the fixtures; charted reads them without it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common;

use charted::{Diagnostic, Session};

const TODAY: &str = "2026-11-26";

/// A git repository holding the example site at `site/` with three states
/// (review-2026-q2, review-2026-q3, the example as it is now).
struct Reviews {
    dir: tempfile::TempDir,
}

impl Reviews {
    fn new() -> Reviews {
        Reviews { dir: common::reviews() }
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn site(&self) -> PathBuf {
        self.repo().join("site")
    }

    /// Appends `history:` settings (or anything else) to the site's charted.yaml.
    fn configure(&self, yaml: &str) {
        configure(&self.site(), yaml);
    }

    /// `git ARGS` in the repository, its dates fixed to `date`.
    fn git(&self, date: &str, args: &[&str]) {
        git(&self.repo(), date, args);
    }
}

fn configure(site: &Path, yaml: &str) {
    let path = site.join("charted.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(path, format!("{text}{yaml}")).unwrap();
}

fn git(dir: &Path, date: &str, args: &[&str]) {
    let when = format!("{date}T12:00:00Z");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// The real binary, with "today" fixed.
fn charted(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charted")).args(args).env("SOURCE_DATE_EPOCH", "1795651200").output().unwrap()
}

/// `charted history ARGS SITE`: its exit code, standard output and standard error.
fn history(site: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["history"];
    all.extend_from_slice(args);
    all.push(site.to_str().unwrap());
    let out = charted(&all);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn check(site: &Path) -> Vec<Diagnostic> {
    let report = charted::check(site, false, Some(TODAY.parse().unwrap())).unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    report.diagnostics
}

/// The `history-unavailable` warnings of a check, briefly.
fn unavailable(site: &Path) -> Vec<String> {
    let diags: Vec<Diagnostic> = check(site).into_iter().filter(|d| d.code == "history-unavailable").collect();
    assert!(diags.iter().all(|d| d.help.is_some()), "every history warning says how to fix it");
    common::brief(&diags)
}

/// The line of `history:` in the site's charted.yaml, as `charted.yaml:N:1`.
fn history_line(site: &Path) -> String {
    let text = fs::read_to_string(site.join("charted.yaml")).unwrap();
    let n = text.lines().position(|l| l.starts_with("history:")).expect("history: is written") + 1;
    format!("charted.yaml:{n}:1")
}

fn assert_contains(text: &str, wanted: &[&str]) {
    for want in wanted {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn history_prints_the_changes_since_the_last_review_as_text_and_markdown() {
    let reviews = Reviews::new();
    let (code, text, err) = history(&reviews.site(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Changes from review-2026-q3 (2026-09-30, "), "{text}");
    assert_contains(
        &text,
        &[
            "to now (2026-11-26)",
            "Added (1):\n  discovery ci-sla-review-2026-11 ",
            "pain ci-runner-starvation “CI queues at 10:00 and 14:00”: open → mitigated",
            "experiment quarantine-bot-pilot “Quarantine bot pilot with three teams”: planned → running",
            "▼ #13 → #15: pain dev-env-setup-time ",
            "sla ci-p95-duration “p95 pull-request build duration”: 41 → 38 min (expected 15 min)",
            "70/30 split: ",
        ],
    );
    for absent in ["Removed", "Renamed", "jenkins-plugin-upgrades", "slow-ci-builds"] {
        assert!(!text.contains(absent), "{absent} changed before the last review:\n{text}");
    }

    let (code, md, _) = history(&reviews.site(), &["--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("## Changes from review-2026-q3 (2026-09-30, "), "{md}");
    assert_contains(
        &md,
        &[
            "### Added (1)\n\n- discovery `ci-sla-review-2026-11` ",
            "### Status changes (2)\n\n",
            "- pain `ci-runner-starvation` “CI queues at 10:00 and 14:00”: open → mitigated",
            "- sla `ci-p95-duration` “p95 pull-request build duration”: 41 → 38 min (expected 15 min)",
            "**70/30 split:** ",
        ],
    );
    assert!(!md.contains("\n===="), "no text underline in Markdown");
}

#[test]
fn history_since_an_earlier_review_adds_its_renames_removals_and_moves() {
    let reviews = Reviews::new();
    let (code, text, err) = history(&reviews.site(), &["--since", "review-2026-q2"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Changes from review-2026-q2 (2026-06-30, "), "{text}");
    assert_contains(
        &text,
        &[
            "Renamed (1):\n  slow-ci-builds → pain slow-pr-builds ",
            "Removed (1):\n  pain jenkins-plugin-upgrades ",
            "experiment quarantine-bot-pilot ",
            "experiment cache-shadow-payments “Shadow remote cache on the payments monorepo”: running → validated (result: Validated.",
            "solution remote-build-cache “Shared remote build cache”: validating → validated",
            "Roadmap moves (1):\n  solution remote-build-cache “Shared remote build cache”: next → now",
            "pain ci-runner-starvation “CI queues at 10:00 and 14:00”: open → mitigated",
            "sla ci-p95-duration “p95 pull-request build duration”: 44 → 38 min",
        ],
    );
    // The rename is one change, not an addition and a removal.
    assert!(!text.contains("pain slow-ci-builds “"), "{text}");
}

#[test]
fn an_unknown_review_is_a_usage_error_that_lists_the_reviews() {
    let reviews = Reviews::new();
    let (code, out, err) = history(&reviews.site(), &["--since", "review-2026-q33"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_contains(
        &err,
        &[
            "no review is called `review-2026-q33` (did you mean `review-2026-q3`?)",
            "the reviews, most recent first: review-2026-q3, review-2026-q2",
        ],
    );
    let (code, _, err) = history(&reviews.site(), &["--since", "last-spring"]);
    assert_eq!(code, 2);
    assert!(!err.contains("did you mean"), "nothing is close: {err}");
}

#[test]
fn the_latest_review_compared_with_an_unchanged_work_tree_changes_nothing() {
    let reviews = Reviews::new();
    reviews.git("2026-11-21", &["tag", "-a", "review-2026-q4", "-m", "Review of 2026 Q4"]);
    let (code, text, err) = history(&reviews.site(), &[]);
    assert_eq!(code, 0, "{err}");
    // Nothing changed since the Q4 review: the default compares the two last reviews.
    assert!(text.starts_with("Changes from review-2026-q3 (2026-09-30, "), "{text}");
    assert!(text.contains(" to review-2026-q4 (2026-11-21, "), "{text}");
    let (code, text, _) = history(&reviews.site(), &["--since", "review-2026-q4"]);
    assert_eq!(code, 0);
    assert!(text.contains("No item was added, removed, renamed, re-ranked or moved"), "{text}");
}

#[test]
fn a_closed_pipe_ends_history_quietly() {
    let reviews = Reviews::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(["history", reviews.site().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the reading end before charted writes: `charted history | head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_folder_outside_git_warns_only_when_history_is_asked_for() {
    let site = common::Site::example();
    assert_eq!(unavailable(site.path()), Vec::<String>::new(), "a site that never asked for history is not warned");
    configure(site.path(), "history:\n  limit: 4\n");
    assert_eq!(
        unavailable(site.path()),
        [format!("{} the site is not in a git repository, so it has no history of reviews", history_line(site.path()))]
    );
    configure(site.path(), "warnings:\n  history-unavailable: false\n");
    assert_eq!(unavailable(site.path()), Vec::<String>::new(), "the warning can be switched off");
    // A build still succeeds, without history; `charted history` has none to show.
    let out = charted(&["build", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, _, err) = history(site.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not in a git repository") && err.contains("git init"), "{err}");
}

#[test]
fn history_false_reads_nothing_and_warns_of_nothing() {
    let site = common::Site::example();
    configure(site.path(), "history: false\n");
    assert_eq!(unavailable(site.path()), Vec::<String>::new());
}

#[test]
fn a_shallow_clone_builds_with_a_warning() {
    let reviews = Reviews::new();
    let clone = reviews.dir.path().join("clone");
    let url = format!("file://{}", reviews.repo().display());
    let out = Command::new("git").args(["clone", "-q", "--depth", "1", &url]).arg(&clone).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = clone.join("site");
    configure(&site, "history:\n  tags: \"review-*\"\n");
    let warnings = unavailable(&site);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with(&format!("{} the repository is a shallow clone", history_line(&site))));
    let out = charted(&["build", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, _, err) = history(&site, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("git fetch --unshallow --tags"), "{err}");
}

#[test]
fn a_pattern_that_matches_no_tag_warns_and_says_how_to_tag() {
    let reviews = Reviews::new();
    reviews.configure("history:\n  tags: \"release-*\"\n");
    assert_eq!(
        unavailable(&reviews.site()),
        [format!(
            "{} no tag matches `release-*`, so the site has no reviews to compare with",
            history_line(&reviews.site())
        )]
    );
    let diags = check(&reviews.site());
    let help = diags.iter().find(|d| d.code == "history-unavailable").and_then(|d| d.help.clone()).unwrap();
    assert!(help.contains("git tag release-2026-q4"), "{help}");
    // Without `history:`, a repository without review tags is not worth a word.
    let plain = Reviews::new();
    plain.git("2026-11-21", &["tag", "-d", "review-2026-q2"]);
    plain.git("2026-11-21", &["tag", "-d", "review-2026-q3"]);
    assert_eq!(unavailable(&plain.site()), Vec::<String>::new());
}

#[test]
fn quarterly_reviews_are_the_last_commit_of_each_past_quarter() {
    let reviews = Reviews::new();
    reviews.configure("history:\n  quarterly: true\n  tags: false\n");
    assert_eq!(unavailable(&reviews.site()), Vec::<String>::new());
    // The fixture's commits are in 2026 Q2, Q3 and Q4; Q4 is the current quarter.
    let (code, _, err) = history(&reviews.site(), &["--since", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("the reviews, most recent first: 2026-Q3, 2026-Q2"), "{err}");
    let (code, text, err) = history(&reviews.site(), &["--since", "2026-Q2"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Changes from 2026-Q2 (2026-06-30, "), "{text}");
    assert!(text.contains("slow-ci-builds → pain slow-pr-builds"), "{text}");
}

#[test]
fn a_limit_keeps_the_latest_reviews() {
    let reviews = Reviews::new();
    reviews.configure("history:\n  limit: 1\n");
    let (code, _, err) = history(&reviews.site(), &["--since", "review-2026-q2"]);
    assert_eq!(code, 2);
    assert!(err.trim_end().ends_with("the reviews, most recent first: review-2026-q3"), "{err}");
    let (code, text, _) = history(&reviews.site(), &[]);
    assert_eq!(code, 0);
    assert!(text.starts_with("Changes from review-2026-q3 "), "{text}");
}

#[test]
fn a_site_in_a_subfolder_reads_its_own_folder_and_skips_reviews_from_before_it_existed() {
    // The fixture's site is `site/` of its repository, as in a monorepo. A tag
    // on a commit without it (an older project's) is no review of it.
    let reviews = Reviews::new();
    reviews.git("2026-03-31", &["checkout", "-q", "--orphan", "before"]);
    reviews.git("2026-03-31", &["rm", "-rq", "--cached", "."]);
    fs::write(reviews.repo().join("README.md"), "Before the site.\n").unwrap();
    reviews.git("2026-03-31", &["add", "README.md"]);
    reviews.git("2026-03-31", &["commit", "-qm", "Before the site"]);
    reviews.git("2026-03-31", &["tag", "-a", "review-2026-q1", "-m", "Before the site"]);
    reviews.git("2026-03-31", &["checkout", "-qf", "main"]);
    reviews.configure("history:\n  tags: \"review-*\"\n");
    assert_eq!(unavailable(&reviews.site()), Vec::<String>::new());
    let (code, _, err) = history(&reviews.site(), &["--since", "review-2026-q1"]);
    assert_eq!(code, 2);
    assert!(err.contains("the reviews, most recent first: review-2026-q3, review-2026-q2\n"), "{err}");
}

#[test]
fn a_review_whose_files_had_errors_still_counts_and_its_errors_are_not_this_builds() {
    let reviews = Reviews::new();
    let starvation = reviews.site().join("content/pain/ci-runner-starvation.md");
    let now = fs::read_to_string(&starvation).unwrap();
    let broken = reviews.site().join("content/pain/dev-env-setup-time.md");
    let good = fs::read_to_string(&broken).unwrap();
    // A review in which one file's front matter did not parse and a pain was still open.
    fs::write(&starvation, now.replace("status: mitigated\n", "")).unwrap();
    fs::write(&broken, "---\ntitle: [unclosed\n---\n").unwrap();
    reviews.git("2026-10-15", &["commit", "-qam", "A broken review"]);
    reviews.git("2026-10-15", &["tag", "-a", "review-2026-10", "-m", "A broken review"]);
    fs::write(&starvation, &now).unwrap();
    fs::write(&broken, &good).unwrap();
    reviews.configure("history:\n  tags: \"review-*\"\n");
    assert_eq!(unavailable(&reviews.site()), Vec::<String>::new(), "the past's errors are not this build's");
    let (code, text, err) = history(&reviews.site(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Changes from review-2026-10 "), "{text}");
    assert_contains(
        &text,
        &[
            "pain ci-runner-starvation “CI queues at 10:00 and 14:00”: open → mitigated",
            // Unreadable then, so new since.
            "pain dev-env-setup-time “Setting up a development environment takes two days”",
        ],
    );
}

#[test]
fn two_builds_of_the_same_repository_are_byte_identical() {
    let reviews = Reviews::new();
    reviews.configure("history:\n  quarterly: true\n");
    let outs = reviews.dir.path().join("outs");
    let mut trees = Vec::new();
    for name in ["a", "b"] {
        let out = outs.join(name);
        let run = charted(&["build", reviews.site().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        trees.push(common::snapshot_tree(&out));
    }
    assert!(trees[0].len() > 40, "the site was built");
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&trees[0]), names(&trees[1]));
    for ((path, a), (_, b)) in trees[0].iter().zip(&trees[1]) {
        assert!(a == b, "{path} differs between two builds");
    }
}

/// Every file a full build writes, but the marker of charted's output.
fn full_build(site: &Path) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let report = charted::build(&charted::BuildOptions {
        site: site.to_path_buf(),
        out: Some(out.path().join("site")),
        today: Some(TODAY.parse().unwrap()),
        ..Default::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    common::snapshot_tree(&out.path().join("site")).into_iter().filter(|(p, _)| p != charted::MARKER).collect()
}

fn pages(run: &charted::Run) -> Vec<(String, Vec<u8>)> {
    let mut pages: Vec<(String, Vec<u8>)> =
        run.pages.as_ref().expect("the site renders").iter().map(|p| (p.path.clone(), p.bytes.to_vec())).collect();
    pages.sort();
    pages
}

fn assert_same_files(got: &[(String, Vec<u8>)], want: &[(String, Vec<u8>)]) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(got), names(want));
    for ((path, a), (_, b)) in got.iter().zip(want) {
        assert!(a == b, "{path} differs from a full build");
    }
}

#[test]
fn a_session_keeps_the_past_across_runs_and_equals_a_full_build_after_an_edit() {
    let reviews = Reviews::new();
    reviews.configure("history:\n  tags: \"review-*\"\n");
    let site = reviews.site();
    let mut session = Session::new(&site, false, None, Some(TODAY.parse().unwrap()));
    let first = session.run(true).unwrap();
    assert_same_files(&pages(&first), &full_build(&site));

    // An edit of the work tree: the changes since the last review change.
    let dev_env = site.join("content/pain/dev-env-setup-time.md");
    let text = fs::read_to_string(&dev_env).unwrap();
    fs::write(&dev_env, text.replacen("severity: 3", "severity: 5", 1)).unwrap();
    let second = session.run(true).unwrap();
    assert!(common::brief(&second.report.diagnostics).iter().all(|d| !d.contains("history")));
    assert_same_files(&pages(&second), &full_build(&site));

    // The past is not read again: with a past review's tree gone from the
    // repository, the session still has it, where a fresh run cannot read it.
    let tree = Command::new("git").args(["rev-parse", "review-2026-q2^{tree}"]).current_dir(reviews.repo()).output();
    let tree = String::from_utf8(tree.unwrap().stdout).unwrap().trim().to_string();
    fs::remove_file(reviews.repo().join(".git/objects").join(&tree[..2]).join(&tree[2..])).unwrap();
    let third = session.run(true).unwrap();
    assert_eq!(pages(&third), pages(&second), "the kept past shows as before");
    assert!(third.report.diagnostics.iter().all(|d| d.code != "history-unavailable"));
    let fresh = unavailable(&site);
    assert_eq!(fresh.len(), 1, "a fresh run reads the past, and cannot: {fresh:?}");
    assert!(fresh[0].contains("review `review-2026-q2`"), "{fresh:?}");
}

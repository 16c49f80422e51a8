//! The bad-input corpus: every folder under `tests/corpus/` is a site, broken
//! in one way, with an `expected.txt` beside its files listing exactly what
//! charted must say about it:
//!
//! ```text
//! # What the case is (comment lines start with #).
//! $ charted build --out docs        (optional; default: charted check)
//! content/pain/a.md:3:9 error[invalid-value] `donee` is not a valid `status`
//! charted.yaml warning[unsafe-html] ...          (no position: file only)
//! refused: <message>                              (the command stops before judging the site)
//! ```
//!
//! No diagnostic lines means the case must be accepted; accepted cases are
//! then built too, and the build must succeed. Every diagnostic must say how
//! to fix it, and its line and column must exist in its file.
//!
//! Some cases cannot live in git (symbolic links, a 20 MB file, non-UTF-8
//! bytes, permissions): [`prepare`] makes them in the case's temporary copy.
//!
//! To rewrite every `expected.txt` from what charted says now (then review the
//! diff line by line): `CHARTED_BLESS=1 cargo test --test suite corpus::`.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use charted::BuildOptions;
use charted::{Diagnostic, Severity};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// The cases that need files git cannot hold; returns a note when the case
/// cannot be judged on this machine.
fn prepare(name: &str, site: &Path) -> Option<String> {
    let pain = site.join("content/pain");
    match name {
        "non-utf8-bytes" => {
            fs::write(pain.join("latin1.md"), b"---\ntitle: Caf\xe9 queue\n---\n").unwrap();
        }
        "non-utf8-config" => {
            fs::write(site.join("charted.yaml"), b"title: Plateforme \xe9quipe\n").unwrap();
        }
        "twenty-megabyte-file" => {
            let mut text = b"---\ntitle: Build log\n---\n".to_vec();
            text.resize(20 * 1024 * 1024, b'x');
            fs::write(pain.join("build-log.md"), text).unwrap();
        }
        "deep-yaml-nesting" => {
            let text = format!("---\ntitle: Deep\nusers: {}{}\n---\n", "[".repeat(10_000), "]".repeat(10_000));
            fs::write(pain.join("deep.md"), text).unwrap();
        }
        "deep-markdown-nesting" => {
            let deep = 10_000;
            let text = format!(
                "---\ntitle: Deep\n---\n{}x\n\n{}x\n\n{}x\n\n{}x\n",
                "- ".repeat(deep),
                "1. ".repeat(deep),
                "> ".repeat(deep),
                "<div>".repeat(deep)
            );
            fs::write(pain.join("deep.md"), text).unwrap();
        }
        "yaml-alias-bomb" => {
            let mut text = "---\ntitle: Bomb\nsummary: &a [x, x, x, x, x, x, x, x, x, x]\n".to_string();
            for (level, name) in ["b", "c", "d", "e", "f"].iter().enumerate() {
                let previous = if level == 0 { "a" } else { ["b", "c", "d", "e"][level - 1] };
                text.push_str(&format!("k{name}: &{name} [{}]\n", vec![format!("*{previous}"); 10].join(", ")));
            }
            fs::write(pain.join("bomb.md"), text + "---\n").unwrap();
        }
        "yaml-million-item-list" => {
            let text = format!("---\ntitle: Everyone\nusers:\n{}---\n", "- a\n".repeat(1_000_000));
            fs::write(pain.join("everyone.md"), text).unwrap();
        }
        "yaml-200000-duplicate-keys" => {
            let text = format!("---\ntitle: Again\n{}---\n", "severity: 3\n".repeat(200_000));
            fs::write(pain.join("again.md"), text).unwrap();
        }
        "yaml-deep-flow-map" => {
            let text = format!("---\ntitle: Deep\nusers: {}x{}\n---\n", "{a: ".repeat(100_000), "}".repeat(100_000));
            fs::write(pain.join("deep.md"), text).unwrap();
        }
        "many-unknown-fields" => {
            let keys: String = (0..40_000).map(|i| format!("field{i}: 1\n")).collect();
            fs::write(pain.join("fields.md"), format!("---\ntitle: Fields\n{keys}---\n")).unwrap();
        }
        "body-of-link-openers" => {
            let mut text = b"---\ntitle: Brackets\n---\n".to_vec();
            text.extend("[a](".repeat(9_900_000 / 4).bytes());
            fs::write(pain.join("brackets.md"), text).unwrap();
        }
        "deep-html-nesting" => {
            fs::write(pain.join("divs.md"), format!("---\ntitle: Divs\n---\n{}x\n", "<div>".repeat(100_000))).unwrap();
        }
        "nesting-within-limit" => {
            let text = format!(
                "---\ntitle: Deep but fine\n---\n{}x{}\n\n{}y\n",
                "<div>".repeat(900),
                "</div>".repeat(900),
                "> ".repeat(400)
            );
            fs::write(pain.join("deep.md"), text).unwrap();
        }
        "symlink-loop" => {
            std::os::unix::fs::symlink("..", pain.join("loop")).unwrap();
        }
        "symlink-outside-site" => {
            let outside = site.parent().unwrap().join("outside.md");
            fs::write(&outside, "---\ntitle: Secret\n---\n").unwrap();
            std::os::unix::fs::symlink(&outside, pain.join("secret.md")).unwrap();
        }
        "symlinked-folder-outside-site" | "symlinked-static-outside-site" | "symlinked-templates-outside-site" => {
            let outside = site.parent().unwrap().join("outside");
            fs::create_dir_all(&outside).unwrap();
            fs::write(outside.join("secret.md"), "---\ntitle: Secret\n---\n").unwrap();
            fs::write(outside.join("item.html"), "{{ secret }}").unwrap();
            let link = match name {
                "symlinked-folder-outside-site" => pain.join("more"),
                "symlinked-static-outside-site" => site.join("static"),
                _ => site.join("templates"),
            };
            std::os::unix::fs::symlink(&outside, link).unwrap();
        }
        "out-is-a-symlink-to-a-folder" => {
            let elsewhere = site.parent().unwrap().join("elsewhere");
            fs::create_dir_all(&elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, site.join("published")).unwrap();
        }
        "out-is-a-dangling-symlink" => {
            std::os::unix::fs::symlink(site.parent().unwrap().join("gone"), site.join("published")).unwrap();
        }
        "dangling-symlink" => {
            std::os::unix::fs::symlink("gone.md", pain.join("moved.md")).unwrap();
        }
        "unreadable-file" => {
            use std::os::unix::fs::PermissionsExt;
            let file = pain.join("locked.md");
            fs::write(&file, "---\ntitle: Locked\n---\n").unwrap();
            fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
            if fs::read(&file).is_ok() {
                return Some(
                    "skipped: this user (root) may read a file with mode 000, so the case cannot fail here".into(),
                );
            }
        }
        _ => {}
    }
    None
}

struct Expected {
    /// Comment and command lines, kept when blessing.
    header: Vec<String>,
    command: Vec<String>,
    lines: Vec<String>,
}

fn read_expected(path: &Path) -> Expected {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected = Expected { header: Vec::new(), command: vec!["check".into()], lines: Vec::new() };
    for line in text.lines() {
        if line.starts_with('#') {
            expected.header.push(line.to_string());
        } else if let Some(cmd) = line.strip_prefix("$ charted ") {
            expected.header.push(line.to_string());
            expected.command = cmd.split_whitespace().map(str::to_string).collect();
        } else if !line.trim().is_empty() {
            expected.lines.push(line.to_string());
        }
    }
    expected
}

fn describe(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = match (&d.file, d.pos) {
        (Some(f), Some(p)) => format!("{}:{}:{}", f.display(), p.line, p.column),
        (Some(f), None) => f.display().to_string(),
        (None, _) => "-".into(),
    };
    format!("{place} {severity}[{}] {}", d.code, d.message)
}

/// Problems with the diagnostics themselves: no fix, or a place that does not exist.
fn audit(site: &Path, report: &charted::Report) -> Vec<String> {
    let mut problems = Vec::new();
    for d in &report.diagnostics {
        if d.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
            problems.push(format!("no help for: {}", describe(d)));
        }
        if let (Some(file), Some(pos)) = (&d.file, d.pos) {
            let text = report
                .loaded
                .source(file)
                .map(str::to_string)
                .or_else(|| fs::read(site.join(file)).ok().map(|b| String::from_utf8_lossy(&b).into_owned()));
            let Some(text) = text else { continue };
            let line = text.lines().nth(pos.line as usize - 1);
            let fits = line.is_some_and(|l| pos.column as usize <= l.trim_end_matches('\r').chars().count() + 1);
            let top = pos.line == 1 && pos.column == 1;
            if pos.line == 0 || pos.column == 0 || !(fits || top) {
                problems.push(format!("position outside its file: {}", describe(d)));
            }
        }
        // Rendering with the source must not panic either.
        let _ = report.render_text();
    }
    problems
}

/// Warnings about how complete a site's content is (tested in tests/suite/insight.rs):
/// every one-file corpus case would raise them, and they say nothing about bad input.
const COMPLETENESS: &[&str] = &["no-evidence", "uncovered-pain", "discovery-gap", "covers-nothing"];

fn said(report: &charted::Report) -> Vec<String> {
    report.diagnostics.iter().filter(|d| !COMPLETENESS.contains(&d.code)).map(describe).collect()
}

/// The errors of a run, as `expected.txt` lines.
fn errors(report: &charted::Report) -> Vec<String> {
    report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(describe).collect()
}

/// Runs one case; returns what charted said, as `expected.txt` lines, and audit problems.
fn run(name: &str, site: &Path, command: &[String]) -> (Vec<String>, Vec<String>) {
    let refused = |err: charted::Error| {
        vec![format!("refused: {}", err.to_string().replace(&site.display().to_string(), "<site>"))]
    };
    match command.first().map(String::as_str) {
        Some("check") => match charted::check(site, false, Some("2026-11-26".parse().unwrap())) {
            Ok(report) => {
                let mut audit = audit(site, &report);
                let lines = said(&report);
                // `check` and `build` judge alike: the same errors, and a site
                // `check` accepts builds.
                let out = site.parent().unwrap().join("checked-out");
                match charted::build(&options(site, Some(out.clone()), false)) {
                    Ok(b) => {
                        let (checked, built) = (errors(&report), errors(&b));
                        if checked != built {
                            audit.push(format!("check says {checked:#?} but build says {built:#?}"));
                        }
                        if !b.has_errors() && !out.join("index.html").is_file() {
                            audit.push("accepted by check but the build wrote no site".to_string());
                        }
                    }
                    Err(e) => audit.push(format!("check judged the site but the build refused it: {e}")),
                }
                (lines, audit)
            }
            Err(err) => (refused(err), Vec::new()),
        },
        Some("build") => {
            let mut out = None;
            let mut force = false;
            let mut args = command[1..].iter();
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--out" => out = args.next().map(|o| site.join(o)),
                    "--force" => force = true,
                    other => panic!("{name}: unknown argument {other}"),
                }
            }
            let before = common::snapshot_tree(site.parent().unwrap());
            match charted::build(&options(site, out, force)) {
                Ok(report) => (said(&report), audit(site, &report)),
                Err(err) => {
                    // Refused: nothing anywhere was touched.
                    let after = common::snapshot_tree(site.parent().unwrap());
                    let untouched = if before == after {
                        Vec::new()
                    } else {
                        vec![format!("{name}: a refused build changed files")]
                    };
                    (refused(err), untouched)
                }
            }
        }
        other => panic!("{name}: unknown command {other:?}"),
    }
}

fn options(site: &Path, out: Option<PathBuf>, force: bool) -> BuildOptions {
    BuildOptions {
        site: site.to_path_buf(),
        out,
        today: Some("2026-11-26".parse().unwrap()),
        force,
        ..Default::default()
    }
}

#[test]
fn every_bad_input_gives_its_expected_diagnostics() {
    let bless = std::env::var_os("CHARTED_BLESS").is_some();
    let mut names: Vec<String> = fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus should hold at least 40 cases, it holds {}", names.len());
    let mut failures = Vec::new();
    let mut judged = 0;
    for name in &names {
        let case = corpus_dir().join(name);
        let expected_path = case.join("expected.txt");
        let expected = read_expected(&expected_path);
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        common::copy_dir(&case, &site);
        fs::remove_file(site.join("expected.txt")).unwrap();
        if let Some(note) = prepare(name, &site) {
            println!("corpus case {name}: {note}");
            continue;
        }
        judged += 1;
        let started = std::time::Instant::now();
        let (actual, audit) = run(name, &site, &expected.command);
        // Each case should take well under 2 s (check and build, debug build).
        println!("corpus case {name}: {:.2} s", started.elapsed().as_secs_f64());
        failures.extend(audit.into_iter().map(|a| format!("{name}: {a}")));
        if bless {
            let mut text = expected.header.join("\n") + "\n";
            for line in &actual {
                text.push_str(line);
                text.push('\n');
            }
            fs::write(&expected_path, text).unwrap();
        } else if actual != expected.lines {
            failures.push(format!(
                "{name}:\n  expected:\n    {}\n  got:\n    {}",
                expected.lines.join("\n    "),
                actual.join("\n    ")
            ));
        }
    }
    println!("corpus: {judged} of {} cases judged", names.len());
    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}

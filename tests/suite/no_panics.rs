//! No input makes charted panic: a bounded, seeded property test of the
//! load-and-model path (front matter, YAML, fields, references, Markdown
//! bodies) on arbitrary bytes and on the example site's files, mutated.
//!
//! Besides "no panic", every diagnostic must say how to fix the problem and
//! point at a line that exists in its file.
//!
//! The default run is reproducible and short enough for CI. For a longer run:
//! `CHARTED_FUZZ_CASES=200000 CHARTED_FUZZ_SEED=7 cargo test --release --test suite no_panics:: -- --nocapture`,
//! or the cargo-fuzz target in `fuzz/` (see docs/reliability.md).

use crate::common;

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use charted::diagnostic::Diagnostics;
use charted::{load, markdown, model};

use crate::common::SYNTAX_TOKENS as TOKENS;

/// Values that stress typed fields.
const VALUES: &[&str] = &[
    "-1",
    "0",
    "1e308",
    "-1e308",
    "18446744073709551616",
    "\"\"",
    "[]",
    "{}",
    "~",
    ".nan",
    "[a, [b, [c]]]",
    "{pain: x, how: y}",
    "../../x",
    "Ünïcödé",
    "2026-13-01",
    "70/30",
    "101/-1",
    "true",
    "*x",
    "&x y",
];

struct Case {
    config: Vec<u8>,
    files: Vec<(PathBuf, Vec<u8>)>,
    render: bool,
}

fn random_bytes(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut out = Vec::new();
    if rng.bool() {
        out.extend_from_slice(b"---\n");
    }
    for _ in 0..rng.usize(0..80) {
        match rng.u8(0..10) {
            0..=5 => out.extend_from_slice(TOKENS[rng.usize(..TOKENS.len())].as_bytes()),
            6..=7 => out.extend_from_slice(VALUES[rng.usize(..VALUES.len())].as_bytes()),
            8 => out.push(rng.u8(..)),
            _ => out.extend(std::iter::repeat_n(b"[{-> "[rng.usize(..5)], rng.usize(1..200))),
        }
    }
    if rng.bool() {
        out.extend_from_slice(b"\n---\n");
    }
    out
}

fn mutate(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>) {
    for _ in 0..rng.usize(1..8) {
        let len = bytes.len();
        let at = rng.usize(..=len);
        match rng.u8(0..7) {
            0 if len > 0 => {
                let end = (at + rng.usize(1..40)).min(len);
                bytes.drain(at.min(end)..end);
            }
            1 => {
                let token = TOKENS[rng.usize(..TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            2 => {
                // Replace the value after the next ": " with a stressing one.
                if let Some(colon) = bytes[at..].windows(2).position(|w| w == b": ").map(|p| at + p + 2) {
                    let end = bytes[colon..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| colon + p);
                    bytes.splice(colon..end, VALUES[rng.usize(..VALUES.len())].bytes());
                }
            }
            3 if len > 0 => {
                let i = rng.usize(..len);
                bytes[i] = rng.u8(..);
            }
            4 if len > 0 => {
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..200)).min(len);
                let copy = bytes[start..end].to_vec();
                bytes.splice(at..at, copy);
            }
            5 => bytes.truncate(at),
            _ => bytes.insert(at, b"\n \t:-[]{}#\r"[rng.usize(..10)]),
        }
    }
}

fn example_files() -> (Vec<u8>, Vec<(PathBuf, Vec<u8>)>) {
    let root = common::example_dir();
    let config = fs::read(root.join("charted.yaml")).unwrap();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&root).unwrap().to_path_buf();
            files.push((rel, fs::read(entry.path()).unwrap()));
        }
    }
    (config, files)
}

const FOLDERS: &[&str] = &[
    "content/",
    "content/pain/",
    "content/solutions/",
    "content/experiments/",
    "content/discovery/",
    "content/vision/",
    "content/slas/",
    "content/misc/",
];

fn arbitrary_case(rng: &mut fastrand::Rng) -> Case {
    let config = if rng.u8(0..4) == 0 { random_bytes(rng) } else { b"title: Fuzz\n".to_vec() };
    let files = (0..rng.usize(1..5))
        .map(|i| {
            let name = if rng.u8(0..5) == 0 { "charter".to_string() } else { format!("f{}", i % 3) };
            (PathBuf::from(format!("{}{name}.md", FOLDERS[rng.usize(..FOLDERS.len())])), random_bytes(rng))
        })
        .collect();
    Case { config, files, render: rng.u8(0..4) == 0 }
}

fn mutated_case(rng: &mut fastrand::Rng, config: &[u8], files: &[(PathBuf, Vec<u8>)]) -> Case {
    let mut files = files.to_vec();
    for _ in 0..rng.usize(1..4) {
        let i = rng.usize(..files.len());
        mutate(rng, &mut files[i].1);
    }
    let mut config = config.to_vec();
    if rng.u8(0..8) == 0 {
        mutate(rng, &mut config);
    }
    Case { config, files, render: rng.u8(0..8) == 0 }
}

/// Runs load and model; returns the property violations (a panic is one).
fn judge(case: &Case) -> Vec<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut diags = Diagnostics::default();
        let loaded = load::load_from_memory(&case.config, &case.files, &mut diags);
        let options = model::ModelOptions { drafts: false, today: "2026-11-26".parse().unwrap() };
        let site = if case.render {
            model::build(&loaded, &options, &mut diags)
        } else {
            model::build_with(&loaded, &options, &model::bodies::LinksOnly, &mut diags)
        };
        if case.render {
            // Each body's HTML, as its page renders it.
            let html = markdown::Options { mode: markdown::Mode::Html, unsafe_html: false, highlights: None };
            for i in 0..site.items.len() {
                let _ = markdown::render(site.body(i), &html, &site.body_links(i));
            }
        }
        let mut problems = Vec::new();
        for d in diags.sorted() {
            if d.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
                problems.push(format!("no help: {} {}", d.code, d.message));
            }
            let (Some(file), Some(pos)) = (&d.file, d.pos) else { continue };
            let Some(text) = loaded.source(file) else { continue };
            let top = pos.line == 1 && pos.column == 1;
            let line = text.lines().nth((pos.line as usize).saturating_sub(1));
            let fits = pos.line >= 1
                && pos.column >= 1
                && line.is_some_and(|l| pos.column as usize <= l.trim_end_matches('\r').chars().count() + 1);
            if !(fits || top) {
                problems.push(format!(
                    "position {}:{} outside {}: {} {}",
                    pos.line,
                    pos.column,
                    file.display(),
                    d.code,
                    d.message
                ));
            }
            let _ = d.render(Some(text));
        }
        problems
    }));
    result.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        vec![format!("PANIC: {message}")]
    })
}

fn save(dir: &Path, seed: u64, case: &Case) {
    let at = dir.join(format!("seed-{seed}"));
    let _ = fs::create_dir_all(at.join("content"));
    let _ = fs::write(at.join("charted.yaml"), &case.config);
    for (path, bytes) in &case.files {
        let _ = fs::create_dir_all(at.join(path).parent().unwrap());
        let _ = fs::write(at.join(path), bytes);
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn load_and_model_never_panic() {
    let cases = env_number("CHARTED_FUZZ_CASES", 3000);
    let base_seed = env_number("CHARTED_FUZZ_SEED", 20_261_126);
    let (config, files) = example_files();
    let failures_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-panics-failures");
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // panics are collected below, not printed per case
    let mut failures = Vec::new();
    let start = std::time::Instant::now();
    for n in 0..cases {
        let seed = base_seed.wrapping_add(n);
        let mut rng = fastrand::Rng::with_seed(seed);
        let case = if n % 2 == 0 { arbitrary_case(&mut rng) } else { mutated_case(&mut rng, &config, &files) };
        let problems = judge(&case);
        if !problems.is_empty() {
            save(&failures_dir, seed, &case);
            failures.push(format!("seed {seed}: {}", problems.join("; ")));
        }
    }
    std::panic::set_hook(previous_hook);
    println!(
        "no_panics: {cases} cases (half arbitrary bytes, half mutated example-site files) in {:.1?}",
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed (inputs saved under {}):\n{}",
        failures.len(),
        failures_dir.display(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

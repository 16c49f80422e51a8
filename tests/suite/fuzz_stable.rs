//! The `load_and_model` fuzz target, run on stable Rust for a bounded time:
//! seeded with every input file of the bad-input corpus (`tests/corpus`),
//! mutated at random (seeded, so a run can be repeated), without coverage
//! guidance. cargo-fuzz needs a nightly toolchain these machines cannot
//! download; this drives exactly the same target body (see docs/reliability.md).
//!
//! `CHARTED_FUZZ_SECONDS` bounds the run (default 5; CI runs 90),
//! `CHARTED_FUZZ_SEED` picks the seed. A panicking input is saved under
//! `target/tmp/fuzz-stable-failures/`; replay it with
//! `CHARTED_FUZZ_REPLAY=<file> cargo test --test suite fuzz_stable::`.

#[path = "../../fuzz/fuzz_targets/load_and_model_body.rs"]
mod load_and_model_body;

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Inputs past this are cut: the limits they would test have their own
/// corpus cases, and small inputs keep the run at thousands of cases.
const MAX_INPUT: usize = 64 * 1024;

use crate::common::SYNTAX_TOKENS as TOKENS;

/// Every file of the corpus that charted reads, with the selector byte
/// that puts it in its own folder.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for entry in walk(&root) {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !(name.ends_with(".md") || name.ends_with(".yaml")) {
            continue;
        }
        let Ok(bytes) = fs::read(&entry) else { continue };
        let folder = entry.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        let selector = match folder {
            "pain" => 0,
            "solutions" => 1,
            "experiments" => 2,
            "discovery" => 3,
            "vision" => 4,
            "slas" => 5,
            _ => 7,
        };
        let mut seed = vec![selector | 0x80];
        seed.extend(bytes);
        seeds.push(seed);
    }
    seeds
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return found };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_symlink() {
            continue;
        } else if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// One to four random edits: flip, insert a token, delete, repeat a slice
/// (deep nesting and long lists), or splice in part of another seed.
fn mutate(rng: &mut fastrand::Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(0..=input.len());
        match rng.u8(0..6) {
            0 if !input.is_empty() => {
                let i = rng.usize(0..input.len());
                input[i] ^= 1 << rng.u8(0..8);
            }
            1 | 2 => {
                let token = TOKENS[rng.usize(0..TOKENS.len())].as_bytes();
                input.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.usize(0..64)).min(input.len());
                input.drain(at..end);
            }
            4 => {
                let end = (at + rng.usize(1..16)).min(input.len());
                let slice = input[at..end].to_vec();
                let times = rng.usize(1..200);
                input.splice(at..at, slice.iter().copied().cycle().take(slice.len() * times));
            }
            _ => {
                let other = &seeds[rng.usize(0..seeds.len())];
                let from = rng.usize(0..other.len());
                let end = (from + rng.usize(1..256)).min(other.len());
                input.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    if rng.u8(0..8) == 0 && !input.is_empty() {
        input[0] = rng.u8(..);
    }
    input.truncate(MAX_INPUT);
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn save(input: &[u8], seed: u64, case: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/fuzz-stable-failures");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("seed-{seed}-case-{case}.bin"));
    fs::write(&path, input).unwrap();
    path
}

#[test]
fn the_fuzz_target_never_panics_on_mutated_corpus_files() {
    if let Some(replay) = std::env::var_os("CHARTED_FUZZ_REPLAY") {
        load_and_model_body::run(&fs::read(replay).unwrap());
        return;
    }
    let seed: u64 = env("CHARTED_FUZZ_SEED", 1);
    let budget = Duration::from_secs(env("CHARTED_FUZZ_SECONDS", 5));
    let seeds = seeds();
    assert!(seeds.len() >= 80, "the corpus should give at least 80 seed files, it gives {}", seeds.len());
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut case = 0u64;
    // Every seed once as it is, then mutants until the time is up.
    while case < seeds.len() as u64 || started.elapsed() < budget {
        let mut input = seeds[(case as usize) % seeds.len()].clone();
        if case >= seeds.len() as u64 {
            mutate(&mut rng, &mut input, &seeds);
        }
        if catch_unwind(AssertUnwindSafe(|| load_and_model_body::run(&input))).is_err() {
            failures.push(save(&input, seed, case).display().to_string());
        }
        case += 1;
    }
    println!("fuzz_stable: seed {seed}, {case} cases from {} seed files in {:.1?}", seeds.len(), started.elapsed());
    assert!(failures.is_empty(), "{} inputs panicked, saved as:\n{}", failures.len(), failures.join("\n"));
}

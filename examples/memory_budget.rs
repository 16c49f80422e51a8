//! The memory budget: builds a generated site with N distinct user groups and
//! N buckets (default 5,000) and fails unless the build's peak memory stays
//! under the budget (default 500 MB):
//! `cargo run --example memory_budget -- [N] [--budget-mb MB] [--keep DIR]`.
//!
//! The site: N pains, each in its own bucket and hurting its own user group;
//! one more pain that hurts all N groups (so it is on N filtered pages); and
//! N/10 solutions, each covering ten pains (so the solutions list has N
//! buckets and N user groups to filter by, and a coverage matrix N buckets
//! wide). Before filter bars were capped this shape grew with the square of
//! N: 2,000 groups on one pain aborted at 3.9 GB.
//!
//! `.ci/run` runs it under `ulimit -v` as well, so an allocation pattern that
//! grows with the square of N fails there even if this process's own count
//! missed it (see the figures in .ci/run and docs/performance.md).

/// The allocator the `charted` binary uses, so this measures what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let budget_mb: u64 = value("--budget-mb").and_then(|v| v.parse().ok()).unwrap_or(500);
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let root = value("--keep").map_or_else(|| scratch.path().to_path_buf(), PathBuf::from);
    let site = root.join("site");
    let out = root.join("out");
    write_site(&site, n);

    let start = Instant::now();
    let options = charted::BuildOptions {
        site: site.clone(),
        out: Some(out.clone()),
        today: Some(jiff::civil::date(2026, 6, 1)),
        force: true,
        ..Default::default()
    };
    let report = match charted::build(&options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("memory_budget: the build failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    let elapsed = start.elapsed();
    if report.has_errors() {
        eprintln!("memory_budget: the site has errors:\n{}", report.render_text());
        return ExitCode::FAILURE;
    }
    let peak_mb = status_kb("VmHWM:") / 1024;
    let virtual_mb = status_kb("VmPeak:") / 1024;
    let (files, bytes, largest) = sizes(&out);
    println!(
        "memory_budget: {n} user groups and buckets: {files} files, {} MB, largest page {} KB, \
         built in {:.1} s, peak RSS {peak_mb} MB (budget {budget_mb} MB), peak virtual memory {virtual_mb} MB",
        bytes / 1_000_000,
        largest / 1000,
        elapsed.as_secs_f64()
    );
    if peak_mb > budget_mb {
        eprintln!("memory_budget: peak RSS {peak_mb} MB is over the budget of {budget_mb} MB");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Writes the site described at the top of this file.
fn write_site(site: &Path, n: usize) {
    let pains = site.join("content/pain");
    let solutions = site.join("content/solutions");
    std::fs::create_dir_all(&pains).expect("content/pain");
    std::fs::create_dir_all(&solutions).expect("content/solutions");
    std::fs::write(site.join("charted.yaml"), "title: Memory budget\nbase_url: /\n").expect("charted.yaml");
    for i in 0..n {
        let text = format!(
            "---\ntitle: Pain {i}\nbucket: Bucket {i:05}\nusers:\n  - Group {i:05}\nseverity: {}\nreach: {}\n---\n\nPain {i}.\n",
            1 + i % 5,
            10 + i % 90
        );
        std::fs::write(pains.join(format!("p{i}.md")), text).expect("a pain");
    }
    let mut everyone = String::from("---\ntitle: Everyone\nbucket: Bucket 00000\nusers:\n");
    for i in 0..n {
        let _ = writeln!(everyone, "  - Group {i:05}");
    }
    everyone.push_str("---\n\nHurts every group.\n");
    std::fs::write(pains.join("everyone.md"), everyone).expect("the pain of everyone");
    for s in 0..n / 10 {
        let mut text = format!("---\ntitle: Solution {s}\ncategory: immediate\nphase: now\neffort: 2\naddresses:\n");
        for p in s * 10..s * 10 + 10 {
            let _ = writeln!(text, "  - pain: p{p}\n    how: address");
        }
        text.push_str("---\n\nCovers ten pains.\n");
        std::fs::write(solutions.join(format!("s{s}.md")), text).expect("a solution");
    }
}

/// A figure of this process's memory in KiB: `VmHWM:` (peak resident) or
/// `VmPeak:` (peak virtual); 0 where /proc has none.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Files, bytes and the largest file under `dir`.
fn sizes(dir: &Path) -> (usize, u64, u64) {
    let mut totals = (0, 0, 0);
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if let Ok(meta) = entry.metadata()
            && meta.is_file()
        {
            totals.0 += 1;
            totals.1 += meta.len();
            totals.2 = totals.2.max(meta.len());
        }
    }
    totals
}

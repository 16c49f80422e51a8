//! Measures `charted serve`'s edit → `reload` latency on a site:
//! `cargo run --release --example reload_bench -- SITE_DIR [EDITS] [--front]`.
//! Edits one pain EDITS times (default 20) and prints the median and p95 of
//! the time from the file write to the reload notice. By default each edit
//! changes the body's prose; with `--front` it changes the front matter (the
//! pain's summary), which changes the site's structure and so every page
//! that lists the pain.

/// The allocator the `charted` binary uses, so this measures what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use charted::Notice;
use charted::{ServeOptions, serve as start};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = PathBuf::from(args.first().expect("usage: reload_bench SITE_DIR [EDITS]"));
    let edits: usize = args.get(1).and_then(|e| e.parse().ok()).unwrap_or(20);
    let front = args.iter().any(|a| a == "--front");
    let options = ServeOptions {
        site: site.clone(),
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        poll: false,
        drafts: false,
        ..ServeOptions::default()
    };
    let server = start(&options).expect("server starts");
    println!("{}", server.first);
    let file = std::fs::read_dir(site.join("content/pain"))
        .expect("content/pain")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a pain file");
    let original = std::fs::read_to_string(&file).expect("read");
    let mut rx = server.shared.subscribe();
    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
        let start = Instant::now();
        let edited = if front {
            let summary = format!("summary: Edit number {i}.");
            let mut lines: Vec<&str> = original.lines().filter(|l| !l.starts_with("summary:")).collect();
            lines.insert(1, &summary);
            lines.join("\n") + "\n"
        } else {
            format!("{original}\nEdit number {i}.\n")
        };
        std::fs::write(&file, edited).expect("write");
        loop {
            match rx.try_recv() {
                Ok(Notice::Reload) => break,
                Ok(other) => panic!("unexpected notice {other:?}"),
                Err(_) if start.elapsed() > Duration::from_secs(30) => panic!("no reload within 30 s"),
                Err(_) => std::thread::sleep(Duration::from_micros(200)),
            }
        }
        samples.push(start.elapsed());
    }
    std::fs::write(&file, original).expect("restore");
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    println!("reload latency over {edits} edits: median {:.1} ms, p95 {:.1} ms", ms(median), ms(p95));
    server.stop();
}

//! Writes a deterministic, valid charted site of N items (and a Hugo twin of
//! the same content) for benchmarks:
//! `cargo run --release --example corpus -- N OUT_DIR [--hugo HUGO_DIR] [--seed S]`.
//! With `--teams T` it writes a portfolio instead: T team sites of N items
//! each (`OUT_DIR/team-01` …, each its own seed) and the portfolio site that
//! lists them (`OUT_DIR/org`).
//!
//! Each body is about 3.2 KB: headings, prose with emphasis and inline code, a
//! list, a table, a 20-line Rust block, a 9-line YAML block and 3-5 relative
//! links to other items.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use charted::reference::Kind;

/// SplitMix64: tiny, seeded, good enough to vary a corpus deterministically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const WORDS: &[&str] = &[
    "build", "cache", "deploy", "pipeline", "runner", "latency", "queue", "cluster", "service", "team", "review",
    "release", "rollback", "config", "secret", "metric", "alert", "budget", "quota", "storage", "network", "policy",
];
const BUCKETS: &[&str] = &["Slow feedback", "Flaky CI", "Deploy friction", "Environment drift", "Observability gaps"];
const TEAMS: &[&str] = &["Payments", "Search", "Mobile", "Data", "Identity", "Growth", "Billing", "Maps"];
const METHODS: &[&str] =
    &["sla", "survey", "coffee-chat", "discussion-group", "peer-company", "research", "open-source", "cloud-vendor"];
const FREQ: &[&str] = &["rarely", "monthly", "weekly", "daily", "hourly"];
const HOW: &[&str] = &["address", "eliminate", "empower"];
const PHASE: &[&str] = &["next", "later"];
const STATUS: &[&str] = &["planned", "running", "validated", "invalidated", "inconclusive"];

struct Item {
    kind: Kind,
    id: String,
}

fn plan(n: usize) -> Vec<Item> {
    let share = |percent: usize| (n * percent / 100).max(1);
    let counts = [
        (Kind::Vision, share(3)),
        (Kind::Pain, share(40)),
        (Kind::Solution, share(20)),
        (Kind::Experiment, share(20)),
        (Kind::Discovery, share(12)),
    ];
    let mut items = Vec::with_capacity(n);
    for (kind, count) in counts {
        for i in 0..count {
            items.push(Item { kind, id: format!("{}-{i:06}", kind.folder()) });
        }
    }
    let mut i = 0;
    while items.len() < n {
        items.push(Item { kind: Kind::Sla, id: format!("slas-{i:06}") });
        i += 1;
    }
    items.truncate(n.max(1));
    items
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        match rng.below(12) {
            0 => write!(s, "*{w}*"),
            1 => write!(s, "`{w}_{i}`"),
            2 => write!(s, "**{w}**"),
            _ => write!(s, "{w}"),
        }
        .unwrap();
        s.push(if i + 1 == words { '.' } else { ' ' });
    }
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn body(rng: &mut Rng, me: &Item, all: &[Item]) -> String {
    let mut b = String::with_capacity(3400);
    b.push_str("\n## Context\n\n");
    for _ in 0..3 {
        b.push_str(&sentence(rng, 14));
        b.push(' ');
    }
    b.push_str("\n\n");
    let links = 3 + rng.below(3);
    b.push_str("Related:\n\n");
    for _ in 0..links {
        let other = &all[rng.below(all.len())];
        let rel = if other.kind == me.kind {
            format!("{}.md", other.id)
        } else {
            format!("../{}/{}.md", other.kind.folder(), other.id)
        };
        writeln!(b, "- [{}]({rel}) — {}", other.id, sentence(rng, 6)).unwrap();
    }
    b.push_str("\n## Numbers\n\n| metric | before | after |\n|---|---|---|\n");
    for _ in 0..4 {
        writeln!(b, "| {} | {} | {} |", rng.pick(WORDS), rng.below(500), rng.below(500)).unwrap();
    }
    b.push_str("\n## Sketch\n\n```rust\n");
    for i in 0..20 {
        let w = rng.pick(WORDS);
        match i % 5 {
            0 => writeln!(b, "pub fn {w}_{i}(input: &[u8]) -> Result<usize, Error> {{"),
            1 => writeln!(b, "    let {w} = input.iter().filter(|b| **b > {}).count();", rng.below(255)),
            2 => writeln!(b, "    // {} the {w} before it reaches the queue", rng.pick(WORDS)),
            3 => writeln!(b, "    Ok({w} * {})", rng.below(100)),
            _ => writeln!(b, "}}"),
        }
        .unwrap();
    }
    b.push_str("```\n\n```yaml\n");
    writeln!(b, "service: {}\nowner: {}\nreplicas: {}\nlimits:\n  cpu: \"{}\"\n  memory: {}Mi\nalerts:\n  - name: {}-latency\n    threshold_ms: {}",
        rng.pick(WORDS), rng.pick(TEAMS).to_lowercase(), 1 + rng.below(9), 1 + rng.below(4), 128 * (1 + rng.below(8)), rng.pick(WORDS), 100 + rng.below(900)).unwrap();
    b.push_str("```\n\n## Notes\n\n");
    for _ in 0..4 {
        b.push_str(&sentence(rng, 16));
        b.push(' ');
    }
    b.push('\n');
    b
}

fn ids_of<'a>(rng: &mut Rng, all: &'a [Item], kind: Kind, max: usize) -> Vec<&'a str> {
    let pool: Vec<&Item> = all.iter().filter(|i| i.kind == kind).collect();
    if pool.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<&str> = (0..max).map(|_| pool[rng.below(pool.len())].id.as_str()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn front(rng: &mut Rng, item: &Item, all: &[Item]) -> String {
    let mut f = format!(
        "title: \"{} {}\"\nsummary: \"{}\"\ndate: 2026-{:02}-{:02}\n",
        rng.pick(WORDS),
        item.id,
        sentence(rng, 8),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let list = |ids: Vec<&str>| format!("[{}]", ids.join(", "));
    match item.kind {
        // The one charter is written by `main`, never planned as an item.
        Kind::Charter => {}
        Kind::Vision => f.push_str("horizon: 2029\n"),
        Kind::Pain => write!(
            f,
            "users: [{}]\nreach: {}\nseverity: {}\nfrequency: {}\nbucket: {}\nevidence: {}\ncategory: {}\n",
            rng.pick(TEAMS),
            rng.below(2000),
            1 + rng.below(5),
            rng.pick(FREQ),
            rng.pick(BUCKETS),
            list(ids_of(rng, all, Kind::Discovery, 2)),
            if rng.below(4) == 0 { "future" } else { "immediate" }
        )
        .unwrap(),
        Kind::Solution => {
            f.push_str("addresses:\n");
            for pain in ids_of(rng, all, Kind::Pain, 3) {
                writeln!(f, "  - pain: {pain}\n    how: {}", rng.pick(HOW)).unwrap();
            }
            write!(
                f,
                "advances: {}\ncategory: {}\neffort: {}\nphase: {}\n",
                list(ids_of(rng, all, Kind::Vision, 1)),
                if rng.below(3) == 0 { "future" } else { "immediate" },
                1 + rng.below(12),
                rng.pick(PHASE)
            )
            .unwrap();
        }
        Kind::Experiment => {
            let tests = ids_of(rng, all, Kind::Solution, 1);
            write!(
                f,
                "tests: {}\nhypothesis: \"{}\"\nfalsified_if: \"{}\"\nmethod: \"{}\"\nstatus: {}\nstarted: 2026-01-10\nends: 2027-06-30\n",
                tests.first().copied().unwrap_or("missing"),
                sentence(rng, 8),
                sentence(rng, 6),
                sentence(rng, 5),
                rng.pick(STATUS)
            )
            .unwrap();
        }
        Kind::Discovery => write!(
            f,
            "method: {}\nparticipants:\n  - team: {}\n    hours: {}\nsurfaces: {}\n",
            rng.pick(METHODS),
            rng.pick(TEAMS),
            1 + rng.below(6),
            list(ids_of(rng, all, Kind::Pain, 3))
        )
        .unwrap(),
        Kind::Sla => write!(
            f,
            "service: {}\nobjective: \"{} rate\"\nexpected: 99.5\ncurrent: {}\nunit: \"%\"\npains: {}\n",
            rng.pick(WORDS),
            rng.pick(WORDS),
            90 + rng.below(10),
            list(ids_of(rng, all, Kind::Pain, 1))
        )
        .unwrap(),
    }
    f
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(path, text).expect("write file");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: corpus N OUT_DIR [--hugo HUGO_DIR] [--seed S] [--teams T]";
    let n: usize = args.first().and_then(|a| a.parse().ok()).expect(usage);
    let out = PathBuf::from(args.get(1).expect(usage));
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let hugo = flag("--hugo").map(PathBuf::from);
    let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(42);
    match flag("--teams").and_then(|t| t.parse::<usize>().ok()) {
        Some(teams) => portfolio(n, teams, &out, seed),
        None => site(n, &out, hugo.as_deref(), seed, "Platform"),
    }
}

/// `teams` team sites of `n` items each beside a portfolio site listing them.
fn portfolio(n: usize, teams: usize, out: &Path, seed: u64) {
    let mut yaml = format!("title: Portfolio of {teams} teams\nbase_url: /\nportfolio:\n");
    for t in 1..=teams {
        let short = format!("team-{t:02}");
        site(n, &out.join(&short), None, seed + t as u64, &format!("Team {t:02}"));
        let _ = writeln!(yaml, "  - team: {short}\n    path: ../{short}");
    }
    write(&out.join("org/charted.yaml"), &yaml);
    write(
        &out.join("org/content/charter.md"),
        "---\ntitle: Organisation charter\nteam: Infrastructure\nsplit: 70/30\n---\nA generated portfolio.\n",
    );
    println!("wrote a portfolio of {teams} teams of {} items each to {}", n + 1, out.display());
}

/// One site of `n` items (and its Hugo twin) whose charter names `team`.
fn site(n: usize, out: &Path, hugo: Option<&Path>, seed: u64, team: &str) {
    let mut rng = Rng(seed);
    let items = plan(n);
    write(&out.join("charted.yaml"), &format!("title: Corpus of {n} items\nbase_url: /\n"));
    write(
        &out.join("content/charter.md"),
        &format!("---\ntitle: Corpus charter\nteam: {team}\nsplit: 70/30\n---\nA generated charter.\n"),
    );
    if let Some(h) = hugo {
        write(
            &h.join("hugo.toml"),
            "baseURL = 'http://localhost/'\ntitle = 'Corpus'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n[markup.highlight]\nnoClasses = false\n",
        );
        write(
            &h.join("layouts/_default/single.html"),
            "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
        );
        write(
            &h.join("layouts/_default/list.html"),
            "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
        );
        write(&h.join("content/charter.md"), "---\ntitle: Corpus charter\n---\nA generated charter.\n");
    }
    for item in &items {
        let text = format!("---\n{}---\n{}", front(&mut rng, item, &items), body(&mut rng, item, &items));
        let rel = format!("content/{}/{}.md", item.kind.folder(), item.id);
        write(&out.join(&rel), &text);
        if let Some(h) = hugo {
            write(&h.join(&rel), &text);
        }
    }
    println!("wrote {} items to {}", items.len() + 1, out.display());
}

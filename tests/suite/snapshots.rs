//! Snapshots of a few rendered pages, as the text outline a reviewer reads:
//! headings, labels and rows of `<main>`, one block per line. A change to
//! what a page shows shows up as a readable diff of `tests/snapshots/*.txt`.
//! `CHARTED_BLESS=1 cargo test --test suite snapshots::` rewrites them.

use crate::common;

use std::fs;
use std::path::Path;

use common::Site;
use scraper::{Html, Node, Selector};

/// Block elements that start a new line of the outline.
const BLOCKS: &[&str] =
    &["h1", "h2", "h3", "h4", "p", "li", "tr", "dt", "dd", "pre", "figcaption", "caption", "summary", "blockquote"];

fn outline(html: &str) -> String {
    let doc = Html::parse_document(html);
    let main = doc.select(&Selector::parse("main").unwrap()).next().expect("a <main>");
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for node in main.descendants() {
        match node.value() {
            Node::Element(e) if BLOCKS.contains(&e.name()) => {
                let line = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !line.is_empty() {
                    lines.push(line);
                }
                current.clear();
                if e.name().starts_with('h') && e.name().len() == 2 {
                    current.push_str(&"#".repeat(e.name()[1..].parse().unwrap_or(1)));
                    current.push(' ');
                }
            }
            Node::Text(t) => {
                current.push_str(t);
                current.push(' ');
            }
            _ => {}
        }
    }
    let line = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n") + "\n"
}

#[test]
fn example_pages_match_their_snapshots() {
    let site = Site::example();
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let bless = std::env::var_os("CHARTED_BLESS").is_some();
    let mut failures = Vec::new();
    for (page, name) in [
        ("index.html", "dashboard"),
        ("pain/slow-pr-builds/index.html", "pain-slow-pr-builds"),
        ("solutions/remote-build-cache/index.html", "solution-remote-build-cache"),
        ("experiments/index.html", "experiments"),
        ("roadmap/index.html", "roadmap"),
        ("changes/index.html", "changes"),
    ] {
        let actual = outline(&site.read_out(page));
        let file = dir.join(format!("{name}.txt"));
        if bless {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&file, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{page} differs from {}:\n--- expected\n{expected}\n--- actual\n{actual}",
                file.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}\n(CHARTED_BLESS=1 rewrites the snapshots)", failures.join("\n"));
}

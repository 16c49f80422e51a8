//! A tiny fixture-site builder shared by the integration tests.
#![allow(dead_code)]

pub(crate) mod http;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use charted::Diagnostic;

/// A site in a temporary folder.
pub(crate) struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A minimal valid site: a config and an empty content/ folder. Its fixtures
    /// are a few lines each, so the warnings about missing content (evidence,
    /// coverage, steady discovery) are off; tests/suite/insight.rs tests those with
    /// [`Site::with_config`].
    pub(crate) fn new() -> Site {
        Site::with_config(
            "title: Test site\nwarnings:\n  no-evidence: false\n  uncovered-pain: false\n  covers-nothing: false\n  discovery-gap: false\n",
        )
    }

    /// A site with this `charted.yaml` and an empty content/ folder.
    pub(crate) fn with_config(config: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("charted.yaml"), config).unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        Site { dir }
    }

    /// A copy of the repository's example site.
    pub(crate) fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&example_dir(), dir.path());
        Site { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the site folder.
    pub(crate) fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text);
        self
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// `charted check` through the library.
    pub(crate) fn check(&self) -> Vec<Diagnostic> {
        charted::check(self.path(), false, Some("2026-11-26".parse().unwrap())).unwrap().diagnostics
    }

    /// The real binary, run in the site folder's parent.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_charted"))
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1795651200") // 2026-11-26
            .output()
            .unwrap()
    }

    /// `charted build` of this site with the real binary; fails the test if the build fails.
    pub(crate) fn build(&self) -> Output {
        let out = self.run(&["build", self.path().to_str().unwrap()]);
        assert!(out.status.success(), "build failed:\n{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    pub(crate) fn read_out(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub(crate) fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// "file:line:column message" of each diagnostic, for compact assertions.
pub(crate) fn brief(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let file = d.file.as_deref().map(|f| f.display().to_string()).unwrap_or_default();
            match d.pos {
                Some(p) => format!("{file}:{}:{} {}", p.line, p.column, d.message),
                None => format!("{file} {}", d.message),
            }
        })
        .collect()
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// A page of the built output, parsed.
pub(crate) fn page(site: &Site, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&site.read_out(rel))
}

/// The `href` of every element matching `css`.
pub(crate) fn hrefs(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector).filter_map(|a| a.value().attr("href").map(str::to_string)).collect()
}

/// The whitespace-normalised text of every element matching `css`.
pub(crate) fn texts(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Bytes that matter to the parsers (YAML, Markdown, HTML, front-matter
/// fences), spliced into inputs so random mutations reach deep paths: shared
/// by the property test and the stable fuzz run.
pub(crate) const SYNTAX_TOKENS: &[&str] = &[
    "---\n",
    "...\n",
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    ": ",
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "&a ",
    "*a",
    "!!str ",
    "!tag ",
    "|\n  ",
    ">\n  ",
    "#",
    "? ",
    "%YAML 1.2\n",
    "<<: *a\n",
    "~",
    "null",
    "true",
    "1e308",
    "-0",
    ".nan",
    ".inf",
    "99999999999999999999999",
    "0x1F",
    "2026-02-30",
    "2026-01-01",
    "\u{feff}",
    "é",
    "日本",
    "\u{0}",
    "\u{200b}",
    "title: ",
    "id: ",
    "kind: ",
    "status: ",
    "tests: ",
    "addresses: ",
    "pain: ",
    "how: ",
    "evidence: ",
    "aliases: ",
    "effort: ",
    "reach: ",
    "severity: ",
    "priority: ",
    "hours: ",
    "participants: ",
    "team: ",
    "started: ",
    "ends: ",
    "split: ",
    "base_url: ",
    "unsafe_html: ",
    "draft: ",
    "[[",
    "]]",
    "](",
    ")",
    "../",
    "x.md",
    "# ",
    "```",
    "<script>",
    "<div>",
    "> ",
    "1. ",
    "|---|",
    "[^1]",
    "![",
    "\\",
    "{#",
    "javascript:",
    "\r",
    "](../pain/slow-ci.md#x)",
    "</div>",
    "<!--",
    "-->",
    "```rust\n",
    "| a |\n|---|\n",
    "**",
    "_",
    "`",
    "&amp;",
    "\u{202e}",
    "addresses:\n  - pain: ",
];

/// The example site with three reviews in a git repository, made by
/// `tests/fixtures/history/make-reviews.sh` (its header lists the known
/// changes) in a temporary folder: the repository at its root, the site in
/// its `site/`. Needs git.
pub(crate) fn reviews() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history/make-reviews.sh");
    let out = Command::new("bash").arg(&script).arg(dir.path()).output().expect("bash runs");
    assert!(out.status.success(), "make-reviews.sh failed:\n{}", String::from_utf8_lossy(&out.stderr));
    dir
}

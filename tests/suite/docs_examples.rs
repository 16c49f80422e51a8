//! Every site example in the user guide is a real site: this test extracts
//! them from `docs/`, writes each into a temporary folder and runs it through
//! `charted::check`, the same load-and-check path as `charted check`.
//!
//! The convention, in the info string of a fenced block:
//!
//! - ```` ```markdown charted-example file=content/pain/slow-ci.md ```` is one
//!   file of an example site. Blocks with the same `example=NAME` on one page
//!   are the files of one site; a block without `example=` is a site of its own.
//!   A site without a `charted.yaml` block gets one that says `title: Example`.
//! - ```` ```text charted-expect example=NAME ```` is what `charted check`
//!   prints for that site, exactly (the diagnostics, without the final
//!   "Checked N items" line). A site without one must give no errors.
//! - An example with files under `templates/` or `static/` is also built with
//!   `charted::build`, which must succeed: its templates render.
//! - A file may also lie beside the site, `file=../org/vocabulary.yaml` (a
//!   shared vocabulary): the site is the folder `site/` of the example's
//!   temporary folder, so such a file stays inside it.
//! - ```` ```yaml charted-fragment ```` is a deliberate fragment (part of a
//!   file, or a file that is not part of a site, such as a CI workflow) and is
//!   not run.
//!
//! Every `yaml` and `markdown` block in the guide must be one of the two, so
//! no example escapes the check. "Today" is fixed at [`TODAY`] so date-driven
//! warnings (stale experiments, discovery gaps) do not change with the calendar.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-12-01";

/// One fenced block of a guide page.
struct Block {
    page: PathBuf,
    line: usize,
    info: Vec<String>,
    text: String,
}

impl Block {
    fn lang(&self) -> &str {
        self.info.first().map_or("", String::as_str)
    }

    fn has(&self, flag: &str) -> bool {
        self.info.iter().any(|w| w == flag)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.info.iter().find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
    }

    fn place(&self) -> String {
        format!("{}:{}", self.page.display(), self.line)
    }
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The fenced blocks of a Markdown page (``` or ~~~ fences, any length ≥ 3).
fn blocks(page: &Path) -> Vec<Block> {
    let text = fs::read_to_string(page).unwrap();
    let rel = page.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap().to_path_buf();
    let mut out = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                let fence_char = trimmed.chars().next();
                if let Some(c @ ('`' | '~')) = fence_char {
                    let fence: String = trimmed.chars().take_while(|&x| x == c).collect();
                    if fence.len() >= 3 {
                        let info = trimmed[fence.len()..].split_whitespace().map(str::to_string).collect();
                        open = Some((fence, Block { page: rel.clone(), line: n + 1, info, text: String::new() }));
                    }
                }
            }
            Some((fence, block)) => {
                let closes = trimmed.starts_with(fence.as_str())
                    && trimmed.trim_start_matches(fence.chars().next().unwrap()).trim().is_empty();
                if closes {
                    out.push(open.take().unwrap().1);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "{}: a fenced block is never closed", rel.display());
    out
}

fn all_blocks() -> Vec<Block> {
    let mut files = Vec::new();
    pages(&docs_dir(), &mut files);
    files.iter().flat_map(|p| blocks(p)).collect()
}

/// An example site: its files, and what `check` should print, if anything.
#[derive(Default)]
struct Example {
    place: String,
    files: BTreeMap<String, String>,
    expect: Option<String>,
}

fn examples(blocks: &[Block]) -> BTreeMap<String, Example> {
    let mut out: BTreeMap<String, Example> = BTreeMap::new();
    for b in blocks.iter().filter(|b| b.has("charted-example")) {
        let name = match b.attr("example") {
            Some(name) => format!("{}#{name}", b.page.display()),
            None => b.place(),
        };
        let file = b.attr("file").unwrap_or_else(|| panic!("{}: a charted-example needs file=PATH", b.place()));
        let beside = file.strip_prefix("../").is_some_and(|rest| !rest.split('/').any(|part| part == ".."));
        assert!(
            file == "charted.yaml"
                || beside
                || ["content/", "templates/", "static/"].iter().any(|p| file.starts_with(p)),
            "{}: file={file} must be charted.yaml, under content/, templates/ or static/, or beside the site (`../org/…`)",
            b.place()
        );
        let example = out.entry(name).or_insert_with(|| Example { place: b.place(), ..Example::default() });
        let previous = example.files.insert(file.to_string(), b.text.clone());
        assert!(previous.is_none(), "{}: {file} is given twice in one example", b.place());
    }
    for b in blocks.iter().filter(|b| b.has("charted-expect")) {
        let name = b.attr("example").unwrap_or_else(|| panic!("{}: a charted-expect needs example=NAME", b.place()));
        let key = format!("{}#{name}", b.page.display());
        let example =
            out.get_mut(&key).unwrap_or_else(|| panic!("{}: no example named `{name}` on this page", b.place()));
        assert!(example.expect.is_none(), "{}: a second charted-expect for `{name}`", b.place());
        example.expect = Some(b.text.clone());
    }
    out
}

fn run(example: &Example) -> Result<(), String> {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("site");
    let dir = site.as_path();
    fs::create_dir_all(dir.join("content")).unwrap();
    if !example.files.contains_key("charted.yaml") {
        fs::write(dir.join("charted.yaml"), "title: Example\n").unwrap();
    }
    for (file, text) in &example.files {
        let path = dir.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let today = TODAY.parse().unwrap();
    let report = charted::check(dir, false, Some(today)).map_err(|e| format!("check failed to run: {e}"))?;
    let printed = report.render_text();
    // An example with theme files is also built, so its templates are rendered.
    let themed = example.files.keys().any(|f| f.starts_with("templates/") || f.starts_with("static/"));
    if themed && !report.has_errors() {
        let options = charted::BuildOptions {
            site: dir.to_path_buf(),
            out: Some(dir.join("public")),
            today: Some(today),
            ..charted::BuildOptions::default()
        };
        let built = charted::build(&options).map_err(|e| format!("build failed to run: {e}"))?;
        if built.has_errors() {
            return Err(format!("the example's theme files do not build:\n{}", built.render_text()));
        }
    }
    match &example.expect {
        Some(expected) if printed.trim_end() != expected.trim_end() => Err(format!(
            "the guide says `charted check` prints\n{}\nbut it prints\n{}",
            expected.trim_end(),
            printed.trim_end()
        )),
        None if report.has_errors() => Err(format!("the example has errors:\n{printed}")),
        _ => Ok(()),
    }
}

#[test]
fn every_yaml_and_markdown_block_is_marked() {
    let unmarked: Vec<String> = all_blocks()
        .iter()
        .filter(|b| matches!(b.lang(), "yaml" | "yml" | "markdown" | "md"))
        .filter(|b| !b.has("charted-example") && !b.has("charted-fragment"))
        .map(Block::place)
        .collect();
    assert!(
        unmarked.is_empty(),
        "these YAML/Markdown blocks are neither `charted-example file=…` nor `charted-fragment`:\n{}",
        unmarked.join("\n")
    );
}

#[test]
fn every_site_example_in_the_guide_checks_as_the_guide_says() {
    let blocks = all_blocks();
    let examples = examples(&blocks);
    assert!(examples.len() >= 12, "found only {} examples: is the marker still `charted-example`?", examples.len());
    let expected = examples.values().filter(|e| e.expect.is_some()).count();
    assert!(expected >= 3, "found only {expected} examples with a charted-expect block");
    let failures: Vec<String> = examples
        .values()
        .filter_map(|e| run(e).err().map(|why| format!("--- example at {}\n{why}", e.place)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} guide examples are wrong:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn fragments_are_rare() {
    let blocks = all_blocks();
    let fragments = blocks.iter().filter(|b| b.has("charted-fragment")).count();
    let examples = blocks.iter().filter(|b| b.has("charted-example")).count();
    assert!(
        fragments * 2 <= examples,
        "{fragments} fragments against {examples} example blocks: make more of them examples"
    );
}

//! Differential tests: the memoised highlighter against the two-iterator
//! implementation it replaced, kept here as the reference. Output must be
//! byte-identical on every input.

use std::path::{Path, PathBuf};

use syntect::highlighting::{HighlightState, RangedHighlightIterator};
use syntect::parsing::ClearAmount;

use super::tests::SAMPLES;
use super::*;

/// The implementation before the memo: one `RangedHighlightIterator` per
/// theme over the same parse, the pair of styles turned into classes per token.
fn classed_reference(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut parse = ParseState::new(syntax);
    let mut styler = ReferenceStyler::new();
    let mut out = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, &SYNTAXES).ok()?;
        styler.line(&mut out, line, &ops)?;
    }
    styler.finish(&mut out);
    Some(out)
}

/// The reference's state across lines (the loop body of the old `classed`, verbatim).
struct ReferenceStyler {
    light_state: HighlightState,
    dark_state: HighlightState,
    open: String,
    class: String,
}

impl ReferenceStyler {
    fn new() -> ReferenceStyler {
        let [light, dark] = &*HIGHLIGHTERS;
        ReferenceStyler {
            light_state: HighlightState::new(light, ScopeStack::new()),
            dark_state: HighlightState::new(dark, ScopeStack::new()),
            open: String::new(),
            class: String::new(),
        }
    }

    fn line(&mut self, out: &mut String, line: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
        let [light_theme, dark_theme] = &*THEMES;
        let [light, dark] = &*HIGHLIGHTERS;
        let defaults = (light_theme.settings.foreground, dark_theme.settings.foreground);
        let ReferenceStyler { light_state, dark_state, open, class } = self;
        let light_tokens = RangedHighlightIterator::new(light_state, ops, line, light);
        let dark_tokens: Vec<_> = RangedHighlightIterator::new(dark_state, ops, line, dark).collect();
        let mut dark_tokens = dark_tokens.into_iter();
        for (light_style, text, range) in light_tokens {
            // Both themes see the same parse, so the tokens line up; if not, give up on colour.
            let (dark_style, _, dark_range) = dark_tokens.next()?;
            if dark_range != range {
                return None;
            }
            class.clear();
            side_classes(class, 'l', &light_style, defaults.0);
            side_classes(class, 'd', &dark_style, defaults.1);
            if class != open {
                if !open.is_empty() {
                    out.push_str("</span>");
                }
                if !class.is_empty() {
                    let _ = write!(out, "<span class=\"{class}\">");
                }
                std::mem::swap(open, class);
            }
            crate::escape::push_html(out, text);
        }
        Some(())
    }

    fn finish(self, out: &mut String) {
        if !self.open.is_empty() {
            out.push_str("</span>");
        }
    }
}

/// `highlight` as it was, guards included, on the reference implementation.
fn highlight_reference(code: &str, lang: &str) -> String {
    let Some(syntax) = find_syntax(lang) else {
        return crate::escape::html(code);
    };
    if code.len() > MAX_BLOCK_LEN || code.lines().any(|l| l.len() > MAX_LINE_LEN) {
        return crate::escape::html(code);
    }
    catch_unwind(AssertUnwindSafe(|| classed_reference(code, syntax)))
        .ok()
        .flatten()
        .unwrap_or_else(|| crate::escape::html(code))
}

/// What the corpus exercised, so the test can show it covers the tricky ops.
#[derive(Default, Debug)]
struct Coverage {
    blocks: usize,
    bytes: usize,
    highlighted: usize,
    clears: usize,
    clear_all: usize,
    restores: usize,
    failed_restores: usize,
    pops_past_empty: usize,
    languages: BTreeSet<String>,
}

impl Coverage {
    /// Counts the ops the parser gives for `code`, replaying them on a scope stack.
    fn record(&mut self, code: &str, syntax: &SyntaxReference) {
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = parse.parse_line(line, &SYNTAXES) else { return };
            for (_, op) in &ops {
                match op {
                    ScopeStackOp::Clear(amount) => {
                        self.clears += 1;
                        self.clear_all += usize::from(matches!(amount, ClearAmount::All));
                    }
                    ScopeStackOp::Restore => self.restores += 1,
                    ScopeStackOp::Pop(n) if *n > stack.len() => self.pops_past_empty += 1,
                    _ => {}
                }
                if stack.apply(op).is_err() {
                    self.failed_restores += 1;
                    break;
                }
            }
        }
    }
}

/// Checks one block: `highlight` and the reference agree byte for byte, and so
/// do the unguarded `classed` and `classed_reference` (including on `None`).
fn check(cov: &mut Coverage, code: &str, lang: &str, what: &str) {
    let expected = highlight_reference(code, lang);
    let got = highlight(code, lang);
    if got != expected {
        let at = got.bytes().zip(expected.bytes()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(120);
        panic!(
            "{what} ({lang}): memo output differs from the reference at byte {at}\n  memo: {:?}\n  ref:  {:?}",
            &got.get(from..(at + 120).min(got.len())).unwrap_or(""),
            &expected.get(from..(at + 120).min(expected.len())).unwrap_or(""),
        );
    }
    cov.blocks += 1;
    cov.bytes += code.len();
    if let Some(syntax) = find_syntax(lang) {
        cov.languages.insert(syntax.name.clone());
        if got.contains("<span") {
            cov.highlighted += 1;
        }
        if code.len() <= MAX_BLOCK_LEN && !code.lines().any(|l| l.len() > MAX_LINE_LEN) {
            let direct = catch_unwind(AssertUnwindSafe(|| classed(code, syntax))).ok().flatten();
            let reference = catch_unwind(AssertUnwindSafe(|| classed_reference(code, syntax))).ok().flatten();
            assert_eq!(direct, reference, "{what} ({lang}): classed differs from the reference");
            cov.record(code, syntax);
        }
    }
}

/// Realistic code, a few hundred lines per language in all, with the
/// constructs that give deep or unusual scope stacks: one file per language
/// under `tests/fixtures/highlight/`, named `<language>.sample`.
fn realistic() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight");
    let mut samples: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let lang = path.file_name()?.to_str()?.strip_suffix(".sample")?.to_string();
            Some((lang, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    samples.sort();
    samples
}

/// Inputs the parser finds odd.
const ODD: &[&str] = &[
    "",
    "\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "no newline at end",
    "\"unterminated string",
    "'unterminated\n",
    "/* never closed\nstill comment\n",
    "<!-- never closed",
    "r#\"raw never closed\n",
    "\"\"\"triple never closed\n\n",
    "```\nfence in code\n",
    "<<EOF\nheredoc never closed\n",
    "fn main() {\r\n    let s = \"crlf\";\r\n}\r\n",
    "key: value\r\nlist:\r\n  - 1\r\n",
    "\u{0}\u{1}\u{feff}",
    "ü∂ƒ©˙∆˚¬…æ \u{1F600} tab\tend",
    "}}}]]])))",
    "{{{[[[(((",
    "#!/bin/sh\n",
    "    \n\t\n",
];

/// Every ``` or ~~~ fence with a language under `dir`'s Markdown files.
fn fences(dir: &Path, out: &mut Vec<(String, String, String)>) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut open: Option<(String, usize, String, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            match &mut open {
                None => {
                    for marker in ["```", "~~~"] {
                        if let Some(info) = trimmed.strip_prefix(marker) {
                            let info = info.trim_start_matches(marker.as_bytes()[0] as char);
                            let lang = info.split([' ', ',', '{']).next().unwrap_or("").trim().to_string();
                            open = Some((marker.to_string(), indent, lang, String::new()));
                            break;
                        }
                    }
                }
                Some((marker, fence_indent, lang, body)) => {
                    if trimmed.starts_with(marker.as_str())
                        && trimmed.trim_start_matches(marker.as_bytes()[0] as char).trim().is_empty()
                    {
                        out.push((format!("{}", file.display()), std::mem::take(lang), std::mem::take(body)));
                        open = None;
                    } else {
                        let strip = line.len() - line.trim_start_matches(' ').len();
                        body.push_str(&line[strip.min(*fence_indent)..]);
                        body.push('\n');
                    }
                }
            }
        }
    }
}

/// Files of the repository, highlighted as their own language.
fn repo_files() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut add_dir = |dir: &str, ext: &str, lang: &str| {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                out.push((format!("{}", f.display()), lang.to_string(), text));
            }
        }
    };
    add_dir("src/markdown", "rs", "rust");
    add_dir("src/model", "rs", "rust");
    add_dir("src/load", "rs", "rust");
    add_dir("example-site", "yaml", "yaml");
    add_dir("src/scaffold/site", "yaml", "yaml");
    add_dir("src/scaffold/site", "yml", "yaml");
    add_dir("docs", "json", "json");
    add_dir("themes/default/static", "css", "css");
    add_dir("themes/default/templates", "html", "html");
    add_dir("docs", "md", "markdown");
    add_dir("example-site/content", "md", "markdown");
    for (file, lang) in [("Cargo.toml", "toml"), (".ci/run", "bash")] {
        if let Ok(text) = std::fs::read_to_string(root.join(file)) {
            out.push((file.to_string(), lang.to_string(), text));
        }
    }
    out
}

#[test]
fn memo_matches_reference_on_samples_realistic_code_and_odd_input() {
    let mut cov = Coverage::default();
    for (lang, code) in SAMPLES {
        check(&mut cov, code, lang, "SAMPLES");
    }
    let realistic = realistic();
    assert!(realistic.len() >= 14, "the samples under tests/fixtures/highlight/ are there");
    for (lang, code) in &realistic {
        check(&mut cov, code, lang, "REALISTIC");
        // Every prefix cut at a line end: blocks that stop inside strings, heredocs, fences.
        let mut end = 0;
        for line in code.split_inclusive('\n') {
            end += line.len();
            check(&mut cov, &code[..end], lang, "REALISTIC prefix");
        }
        // The same code with CRLF line ends.
        check(&mut cov, &code.replace('\n', "\r\n"), lang, "REALISTIC crlf");
    }
    // Every piece of code as every language: unusual stacks from mismatched input.
    let all: Vec<(&str, &str)> =
        SAMPLES.iter().copied().chain(realistic.iter().map(|(l, c)| (l.as_str(), c.as_str()))).collect();
    let langs: BTreeSet<&str> = all.iter().map(|(l, _)| *l).collect();
    for lang in &langs {
        for (_, code) in &all {
            check(&mut cov, code, lang, "cross");
        }
        for code in ODD {
            check(&mut cov, code, lang, "ODD");
        }
    }
    eprintln!("{cov:?}");
    assert!(cov.highlighted * 2 > cov.blocks, "most blocks get colour: {cov:?}");
    assert!(cov.clears > 0 && cov.restores > 0, "clear_scopes is exercised: {cov:?}");
}

/// Every syntax two-face ships, on the realistic code and the odd inputs:
/// the longest of these tests, so CI runs it (`cargo test -- --ignored`)
/// and a default `cargo test` does not.
#[test]
#[ignore = "slow: every bundled syntax; CI runs it with --ignored"]
fn memo_matches_reference_on_every_syntax() {
    let realistic = realistic();
    let mut cov = Coverage::default();
    for syntax in SYNTAXES.syntaxes() {
        let lang = syntax.file_extensions.first().cloned().unwrap_or_else(|| syntax.name.clone());
        if find_syntax(&lang).map(|s| &s.name) != Some(&syntax.name) {
            continue;
        }
        for (_, code) in &realistic {
            check(&mut cov, code, &lang, "every syntax");
        }
        for code in ODD {
            check(&mut cov, code, &lang, "every syntax, odd");
        }
    }
    eprintln!("{cov:?}");
    assert!(cov.languages.len() > 100, "{cov:?}");
}

#[test]
fn memo_matches_reference_on_site_and_guide_fences_and_repository_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut blocks = Vec::new();
    fences(&root.join("example-site"), &mut blocks);
    fences(&root.join("docs"), &mut blocks);
    let fenced = blocks.len();
    assert!(fenced > 10, "found {fenced} fences");
    blocks.extend(repo_files());
    let mut cov = Coverage::default();
    for (file, lang, code) in &blocks {
        check(&mut cov, code, lang, file);
    }
    eprintln!("{fenced} fences; {cov:?}");
    assert!(cov.highlighted > fenced / 2, "{cov:?}");
}

#[test]
fn memo_matches_reference_across_resets_and_threads() {
    // A tiny bound makes the memo drop and rebuild between most blocks.
    let realistic = realistic();
    let inputs: Vec<(&str, &str)> =
        realistic.iter().map(|(l, c)| (l.as_str(), c.as_str())).chain(SAMPLES.iter().copied()).collect();
    for (lang, code) in &inputs {
        let syntax = find_syntax(lang).unwrap();
        let expected = classed_reference(code, syntax);
        for bound in [0, 1, 8, 64] {
            assert_eq!(classed_bounded(code, syntax, bound), expected, "{lang} with bound {bound}");
        }
    }
    // Fresh threads see the inputs in different orders; their memos grow differently.
    std::thread::scope(|s| {
        for seed in 0..4u64 {
            let inputs = &inputs;
            s.spawn(move || {
                let mut order: Vec<usize> = (0..inputs.len()).collect();
                fastrand::Rng::with_seed(seed).shuffle(&mut order);
                for i in order {
                    let (lang, code) = inputs[i];
                    assert_eq!(highlight(code, lang), highlight_reference(code, lang), "{lang}, seed {seed}");
                }
            });
        }
    });
}

#[test]
fn empty_stack_and_popped_empty_stack_classes_match_the_iterator() {
    // The iterator styles an empty stack with the theme default (no span) and a
    // popped-empty style stack with `Style::default()`; the memo must do the same.
    MEMO.with(|memo| {
        let memo = memo.borrow();
        assert_eq!(memo.class_of[0], NO_SPAN);
        let [light_theme, dark_theme] = &*THEMES;
        let mut class = String::new();
        side_classes(&mut class, 'l', &Style::default(), light_theme.settings.foreground);
        side_classes(&mut class, 'd', &Style::default(), dark_theme.settings.foreground);
        assert_eq!(&*memo.classes[memo.popped_empty as usize], class);
    });
}

#[test]
fn memo_matches_reference_on_random_ops() {
    // Op sequences real syntaxes rarely or never give: pops past an empty
    // stack, clearing everything, restores with nothing cleared, empty tokens,
    // several ops at one position, over scopes the themes style.
    let scopes: Vec<Scope> = [
        "source.rust",
        "text.html.markdown",
        "comment.line.double-slash",
        "comment.block.documentation",
        "string.quoted.double",
        "constant.character.escape",
        "keyword.control",
        "keyword.operator",
        "storage.type",
        "entity.name.function",
        "entity.name.tag",
        "variable.parameter",
        "meta.block",
        "meta.function-call",
        "punctuation.definition.string.begin",
        "markup.heading",
        "markup.bold",
        "markup.italic",
        "markup.underline.link",
        "markup.raw.block",
        "invalid.illegal",
        "support.function",
        "constant.numeric",
        "source.shell.embedded",
    ]
    .iter()
    .map(|s| Scope::new(s).unwrap())
    .collect();
    let mut seen_popped_empty = 0;
    let mut seen_failed_restore = 0;
    for seed in 0..300u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut out = String::new();
        let mut expected = String::new();
        let mut reference = ReferenceStyler::new();
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let mut styler = Styler::new(&mut memo);
            let mut check_stack = ScopeStack::new();
            let mut style_depth = 1usize;
            for _ in 0..rng.usize(1..12) {
                let line: String = (0..rng.usize(0..40))
                    .map(|_| rng.choice(b"ab <&\"x\t".iter()).map_or('a', |&b| b as char))
                    .collect();
                let line = format!("{line}\n");
                let mut positions: Vec<usize> = (0..rng.usize(0..10)).map(|_| rng.usize(0..=line.len())).collect();
                positions.sort_unstable();
                let ops: Vec<(usize, ScopeStackOp)> = positions
                    .into_iter()
                    .map(|at| {
                        let op = match rng.u8(0..10) {
                            0..=3 => ScopeStackOp::Push(scopes[rng.usize(0..scopes.len())]),
                            4..=5 => ScopeStackOp::Pop(rng.usize(0..4)),
                            6 => ScopeStackOp::Clear(ClearAmount::TopN(rng.usize(0..4))),
                            7 => ScopeStackOp::Clear(ClearAmount::All),
                            8 => ScopeStackOp::Restore,
                            _ => ScopeStackOp::Noop,
                        };
                        (at, op)
                    })
                    .collect();
                for (_, op) in &ops {
                    let failed = check_stack
                        .apply_with_hook(op, |basic, _| match basic {
                            BasicScopeStackOp::Push(_) => style_depth += 1,
                            BasicScopeStackOp::Pop => style_depth = style_depth.saturating_sub(1),
                        })
                        .is_err();
                    if failed {
                        seen_failed_restore += 1;
                        break;
                    }
                    seen_popped_empty += usize::from(style_depth == 0);
                }
                styler.line(&mut out, &line, &ops);
                reference.line(&mut expected, &line, &ops).unwrap();
            }
            styler.finish(&mut out);
        });
        reference.finish(&mut expected);
        assert_eq!(out, expected, "seed {seed}");
    }
    assert!(seen_popped_empty > 0 && seen_failed_restore > 0, "{seen_popped_empty} {seen_failed_restore}");
}

/// Each sample's highlighted HTML as it is today, beside it as
/// `<language>.html`: a change of syntect, two-face or the class scheme
/// shows here as a diff to read. `CHARTED_BLESS=1` rewrites them.
#[test]
fn samples_highlight_as_their_expected_html() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight");
    let bless = std::env::var_os("CHARTED_BLESS").is_some();
    let mut differ = Vec::new();
    for (lang, code) in realistic() {
        let html = highlight(&code, &lang);
        let file = dir.join(format!("{lang}.html"));
        if bless {
            std::fs::write(&file, &html).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(html.as_str()) {
            differ.push(file.display().to_string());
        }
    }
    assert!(differ.is_empty(), "highlighted differently (CHARTED_BLESS=1 rewrites them): {differ:#?}");
}

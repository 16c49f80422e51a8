//! Code highlighting with syntect and two-face's syntax set, as compact CSS classes.
//!
//! Each token is highlighted with both the light and the dark theme, and gets
//! short classes naming its resolved style in each: `l24292e` (light
//! foreground), `dabb2bf` (dark foreground), `lb`/`li`/`lu` (light bold,
//! italic, underline) and the same with `d`. Tokens in the default style get
//! no span at all. This keeps pages a fraction of the size of one class per
//! scope, and the stylesheet, generated from the two themes, stays small.
//!
//! The syntax set and themes are loaded once, lazily, and shared by every
//! thread; each call builds its own parse state. Styles are resolved once per
//! distinct scope stack and thread, in a memo ([`Memo`]), instead of by two
//! syntect highlight iterators per block.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use crate::escape;

/// Light theme (the default) and dark theme (inside `prefers-color-scheme: dark`).
const LIGHT_THEME: EmbeddedThemeName = EmbeddedThemeName::ColdarkCold;
const DARK_THEME: EmbeddedThemeName = EmbeddedThemeName::ColdarkDark;

/// Lines longer than this are not highlighted (regex matching on huge
/// minified lines can be very slow); the block falls back to plain text.
const MAX_LINE_LEN: usize = 20_000;
/// Blocks larger than this are not highlighted.
const MAX_BLOCK_LEN: usize = 2 * 1024 * 1024;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static THEMES: LazyLock<[Theme; 2]> = LazyLock::new(|| {
    let themes = two_face::theme::extra();
    [themes.get(LIGHT_THEME).clone(), themes.get(DARK_THEME).clone()]
});

/// One highlighter per theme, built once: building one compiles the theme's
/// scope selectors, which cost more than highlighting a short block.
static HIGHLIGHTERS: LazyLock<[Highlighter<'static>; 2]> = LazyLock::new(|| {
    let [light, dark] = &*THEMES;
    [Highlighter::new(light), Highlighter::new(dark)]
});

/// Names people write after ``` that the syntax set does not know by itself.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "shell-session" | "shellsession" | "zsh" => "bash",
        "hcl" | "tf" => "terraform",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "csharp" | "c#" => "cs",
        "golang" => "go",
        "py3" | "python3" => "python",
        "docker" => "dockerfile",
        other => other,
    }
}

/// Finds a syntax for a fence's language: by token (name or extension), then by extension.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim();
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    let ss = &*SYNTAXES;
    [lang, lower.as_str(), alias(&lower)]
        .into_iter()
        .find_map(|l| ss.find_syntax_by_token(l).or_else(|| ss.find_syntax_by_extension(l)))
}

/// Whether `lang` names a syntax the highlighter knows.
#[cfg(test)]
pub(crate) fn knows(lang: &str) -> bool {
    find_syntax(lang).is_some()
}

/// Highlights `code` as `lang` and returns the inner HTML of a `<code>` element:
/// spans classed `hl-…`. An unknown language, or code the highlighter cannot
/// handle, gives the escaped plain text. Never panics.
pub fn highlight(code: &str, lang: &str) -> String {
    let Some(syntax) = find_syntax(lang) else {
        return escape::html(code);
    };
    if code.len() > MAX_BLOCK_LEN || code.lines().any(|l| l.len() > MAX_LINE_LEN) {
        return escape::html(code);
    }
    // syntect reports most problems as errors; the unwind guard is a last line of
    // defence so that one odd code block can never take a whole build down.
    catch_unwind(AssertUnwindSafe(|| classed(code, syntax))).ok().flatten().unwrap_or_else(|| escape::html(code))
}

fn hex(color: Color) -> String {
    if color.a == 0xff {
        format!("{:02x}{:02x}{:02x}", color.r, color.g, color.b)
    } else {
        format!("{:02x}{:02x}{:02x}{:02x}", color.r, color.g, color.b, color.a)
    }
}

/// The classes of one side (`l` or `d`) of a token's style; empty for the default.
fn side_classes(out: &mut String, side: char, style: &Style, default_fg: Option<Color>) {
    let mut push = |class: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(side);
        out.push_str(class);
    };
    if Some(style.foreground) != default_fg {
        push(&hex(style.foreground));
    }
    for (flag, class) in [(FontStyle::BOLD, "b"), (FontStyle::ITALIC, "i"), (FontStyle::UNDERLINE, "u")] {
        if style.font_style.contains(flag) {
            push(class);
        }
    }
}

/// Resolved classes of every scope stack seen so far on this thread, as a trie.
///
/// State 0 is the empty stack; `children` maps `(parent state, pushed scope)` to
/// the child state. Each state's class (both themes' [`side_classes`]) is
/// resolved once, when the state is created, and interned, so tokens compare
/// class ids instead of strings and syntect's per-push styling runs once per
/// distinct stack rather than once per push per theme. Scopes are interned
/// process-wide by syntect and the themes are fixed, so a state means the
/// same thing in every block: the memo lives as long as the thread (rayon's
/// workers live for the whole process, across builds and serve rebuilds).
struct Memo {
    children: foldhash::HashMap<(u32, Scope), u32>,
    /// Class id of each state.
    class_of: Vec<u32>,
    /// Interned class strings; id 0 is `""` (no span).
    classes: Vec<Box<str>>,
    class_ids: foldhash::HashMap<Box<str>, u32>,
    /// Class of a token when syntect's style stack has been popped empty (more
    /// pops than pushes): the iterator then styles it `Style::default()`.
    popped_empty: u32,
}

/// Above this many states the memo is dropped and rebuilt before the next block,
/// so pathological input cannot grow memory without limit. Real code needs a few
/// thousand states; one state costs about 40 bytes.
const MAX_MEMO_STATES: usize = 1 << 18;

/// Class id 0: the default style, no span.
const NO_SPAN: u32 = 0;

impl Memo {
    fn new() -> Memo {
        let [light, dark] = &*HIGHLIGHTERS;
        let mut memo = Memo {
            children: foldhash::HashMap::default(),
            class_of: Vec::new(),
            classes: vec!["".into()],
            class_ids: foldhash::HashMap::default(),
            popped_empty: NO_SPAN,
        };
        memo.class_ids.insert("".into(), NO_SPAN);
        // The empty stack is styled with the theme's default (not `style_for_stack(&[])`,
        // which would also apply selectors that match an empty stack).
        let base = memo.intern(&light.get_default(), &dark.get_default());
        memo.class_of.push(base);
        memo.popped_empty = memo.intern(&Style::default(), &Style::default());
        memo
    }

    /// The class id of a token styled `light` and `dark`.
    fn intern(&mut self, light: &Style, dark: &Style) -> u32 {
        let [light_theme, dark_theme] = &*THEMES;
        let mut class = String::new();
        side_classes(&mut class, 'l', light, light_theme.settings.foreground);
        side_classes(&mut class, 'd', dark, dark_theme.settings.foreground);
        if let Some(&id) = self.class_ids.get(class.as_str()) {
            return id;
        }
        let id = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
        let class: Box<str> = class.into();
        self.classes.push(class.clone());
        self.class_ids.insert(class, id);
        id
    }

    /// The state reached by pushing `scope` on `parent`, whose stack with
    /// `scope` on top is `stack`.
    fn child(&mut self, parent: u32, scope: Scope, stack: &[Scope]) -> u32 {
        if let Some(&state) = self.children.get(&(parent, scope)) {
            return state;
        }
        let [light, dark] = &*HIGHLIGHTERS;
        // For a non-empty stack this is exactly what the incremental highlighter
        // computes on a push: the single-scope selectors applied prefix by
        // prefix, then the multi-scope selectors on the whole stack.
        let class = self.intern(&light.style_for_stack(stack), &dark.style_for_stack(stack));
        let state = u32::try_from(self.class_of.len()).unwrap_or(u32::MAX);
        self.class_of.push(class);
        self.children.insert((parent, scope), state);
        state
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::new());
}

fn classed(code: &str, syntax: &SyntaxReference) -> Option<String> {
    classed_bounded(code, syntax, MAX_MEMO_STATES)
}

fn classed_bounded(code: &str, syntax: &SyntaxReference, max_states: usize) -> Option<String> {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.class_of.len() > max_states {
            *memo = Memo::new();
        }
        classed_with(&mut memo, code, syntax)
    })
}

fn classed_with(memo: &mut Memo, code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut parse = ParseState::new(syntax);
    let mut styler = Styler::new(memo);
    let mut out = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, &SYNTAXES).ok()?;
        styler.line(&mut out, line, &ops);
    }
    styler.finish(&mut out);
    Some(out)
}

/// A block's styling state across its lines: the scope stack, the memo state
/// of each entry of syntect's style stack, and the class of the open span.
struct Styler<'m> {
    memo: &'m mut Memo,
    path: ScopeStack,
    /// One state per entry of syntect's style stack: the empty stack, then one per push.
    states: Vec<u32>,
    open: u32,
}

impl<'m> Styler<'m> {
    fn new(memo: &'m mut Memo) -> Styler<'m> {
        Styler { memo, path: ScopeStack::new(), states: vec![0], open: NO_SPAN }
    }

    /// Appends one line's spans. Mirrors syntect's `RangedHighlightIterator`
    /// exactly: the line's tokens are split at every op position; a token takes
    /// the style before its closing op; empty tokens are skipped; an op the
    /// scope stack rejects (a restore with nothing cleared) ends the line there,
    /// that token included; and the style stack, which starts with the default
    /// style, pops once per basic pop even when the scope stack is already empty.
    fn line(&mut self, out: &mut String, line: &str, ops: &[(usize, ScopeStackOp)]) {
        let Styler { memo, path, states, open } = self;
        let mut pos = 0;
        let ends = ops.iter().map(|(end, op)| (*end, Some(op))).chain(std::iter::once((line.len(), None)));
        for (end, op) in ends {
            let text = &line[pos..end];
            let class = states.last().map_or(memo.popped_empty, |&state| memo.class_of[state as usize]);
            if let Some(op) = op {
                let applied = path.apply_with_hook(op, |basic, stack| match basic {
                    BasicScopeStackOp::Push(scope) => {
                        let parent = states.last().copied().unwrap_or(0);
                        states.push(memo.child(parent, scope, stack));
                    }
                    BasicScopeStackOp::Pop => {
                        states.pop();
                    }
                });
                if applied.is_err() {
                    return;
                }
            }
            pos = end;
            if text.is_empty() {
                continue;
            }
            if class != *open {
                if *open != NO_SPAN {
                    out.push_str("</span>");
                }
                if class != NO_SPAN {
                    let _ = write!(out, "<span class=\"{}\">", memo.classes[class as usize]);
                }
                *open = class;
            }
            escape::push_html(out, text);
        }
    }

    /// Closes the open span, if any.
    fn finish(self, out: &mut String) {
        if self.open != NO_SPAN {
            out.push_str("</span>");
        }
    }
}

/// Every foreground colour a theme can give a token, and its default.
fn theme_colors(theme: &Theme) -> BTreeSet<String> {
    theme.scopes.iter().filter_map(|item| item.style.foreground).chain(theme.settings.foreground).map(hex).collect()
}

/// CSS for highlighted code: each theme's colours and font styles as the
/// classes `highlight` uses, the light theme inside
/// `@media (prefers-color-scheme: light)` and the dark one inside
/// `@media (prefers-color-scheme: dark)`, so no rule of one leaks into the other.
/// Each theme's base colours apply to every `pre.code` block, highlighted or not.
pub fn stylesheet() -> String {
    let mut css = String::from("/* Code highlighting (generated by charted from syntect themes). */\n");
    for ((scheme, side), theme) in [("light", 'l'), ("dark", 'd')].into_iter().zip(&*THEMES) {
        let _ = writeln!(css, "\n@media (prefers-color-scheme: {scheme}) {{");
        let fg = theme.settings.foreground.map(hex).map(|c| format!(" color: #{c};")).unwrap_or_default();
        let bg = theme.settings.background.map(hex).map(|c| format!(" background-color: #{c};")).unwrap_or_default();
        let _ = writeln!(css, "  pre.code {{{fg}{bg} }}");
        for color in theme_colors(theme) {
            let _ = writeln!(css, "  pre.code .{side}{color} {{ color: #{color}; }}");
        }
        let _ = writeln!(css, "  pre.code .{side}b {{ font-weight: bold; }}");
        let _ = writeln!(css, "  pre.code .{side}i {{ font-style: italic; }}");
        let _ = writeln!(css, "  pre.code .{side}u {{ text-decoration: underline; }}");
        css.push_str("}\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const SAMPLES: &[(&str, &str)] = &[
        ("terraform", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n"),
        ("hcl", "variable \"region\" {\n  default = \"eu-west-1\"\n}\n"),
        ("dockerfile", "FROM rust:1.89\nRUN cargo build --release\n"),
        ("yaml", "key: value\nlist:\n  - 1\n"),
        ("toml", "[package]\nname = \"x\"\n"),
        ("bash", "echo \"$HOME\" | grep -v x\n"),
        ("sh", "for f in *; do echo $f; done\n"),
        ("shell", "export A=1\n"),
        ("go", "package main\nfunc main() {}\n"),
        ("python", "def f(x):\n    return x + 1\n"),
        ("rust", "fn main() { let x = 1; }\n"),
        ("sql", "SELECT id FROM t WHERE x = 1;\n"),
        ("json", "{\"a\": [1, 2, true]}\n"),
    ];

    #[test]
    fn each_language_gives_classed_spans() {
        for (lang, code) in SAMPLES {
            assert!(knows(lang), "unknown language {lang}");
            let html = highlight(code, lang);
            assert!(html.contains("<span class=\"l"), "{lang} not highlighted: {html}");
            assert!(html.contains(" d"), "{lang} has no dark-theme classes: {html}");
        }
    }

    #[test]
    fn language_lookup_is_case_insensitive_and_by_extension() {
        assert!(knows("Rust"));
        assert!(knows("RS"));
        assert!(knows("py"));
        assert!(knows("tf"));
        assert!(knows("yml"));
        assert!(!knows("no-such-language"));
        assert!(!knows(""));
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlight("<b>&\"x\"</b>", "no-such-language");
        assert_eq!(html, "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;");
    }

    #[test]
    fn highlighted_code_escapes_text() {
        let html = highlight("let s = \"<script>\";\n", "rust");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn keeps_all_text() {
        let code = "fn main() {\n    println!(\"hi\");\n}";
        let html = highlight(code, "rust");
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        assert_eq!(text.replace("&quot;", "\""), code);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for code in ["", "\n", "\r\n\r\n", "\"unterminated", "/* never closed", "\u{0}\u{1}\u{feff}", "ü∂ƒ©˙∆˚¬…æ"]
        {
            for (lang, _) in SAMPLES {
                let _ = highlight(code, lang);
            }
        }
        let long = "x".repeat(MAX_LINE_LEN + 1);
        assert_eq!(highlight(&long, "rust"), long);
    }

    #[test]
    fn usable_from_many_threads() {
        let outs: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| highlight("fn main() {}\n", "rust"))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(outs.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet();
        assert!(css.contains("pre.code .l"));
        assert!(css.contains("pre.code .d"));
        let light_at = css.find("@media (prefers-color-scheme: light) {").expect("light block");
        let dark_at = css.find("@media (prefers-color-scheme: dark) {").expect("dark block");
        assert!(light_at < dark_at);
        assert!(css[light_at..dark_at].contains("pre.code {"), "{css}");
        assert!(css[dark_at..].contains("pre.code {"), "{css}");
        // Every rule is inside one of the two blocks.
        let outside: String = css.lines().filter(|l| !l.starts_with(' ') && !l.starts_with('@') && *l != "}").collect();
        assert!(outside.trim().starts_with("/*") && !outside.contains('{'), "{outside}");
        assert!(css.trim_end().ends_with('}'));
        assert_eq!(css, stylesheet());
        // Braces balance, so the dark rules stay inside the media block.
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    #[test]
    fn every_class_used_has_a_rule() {
        let css = stylesheet();
        let html = highlight("pub fn main() -> Result<(), Error> {\n    // comment\n    let x = \"s\";\n}\n", "rust");
        for part in html.split("class=\"").skip(1) {
            for class in part.split('"').next().unwrap().split(' ') {
                assert!(css.contains(&format!("pre.code .{class} ")), "no rule for {class}");
            }
        }
    }

    #[test]
    fn default_text_gets_no_span_and_runs_merge() {
        let html = highlight("x\n", "rust");
        assert!(!html.contains("<span"), "{html}");
        assert!(!html.contains("</span><span class=\"l"), "adjacent equal spans merge");
    }
}

#[cfg(test)]
mod diff_tests;

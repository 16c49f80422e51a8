//! Diagnostics: what is wrong with a site, where (file:line:column), and how to fix it.
//!
//! The library collects every problem of a run into a [`Diagnostics`] list;
//! the command line decides how to print them and which exit code they mean.

use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// A 1-based line and column in a source file: where a diagnostic points.
/// The YAML reader gives every value one, so the model can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// How bad a problem is: errors fail the build, warnings fail only `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with its place in a file when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, documented name for the kind of problem, e.g. `unknown-field`.
    pub code: &'static str,
    /// The file, relative to the site folder.
    pub file: Option<PathBuf>,
    #[serde(flatten)]
    pub pos: Option<Pos>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, file: None, pos: None, message: message.into(), help: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn at(mut self, file: impl Into<PathBuf>, pos: Option<Pos>) -> Self {
        self.file = Some(file.into());
        self.pos = pos;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic as a GitHub Actions workflow command (`check --format
    /// github`): `::error file=F,line=L,col=C,title=T::message`. The file is
    /// made relative to the repository by prefixing the site folder `dir`.
    pub fn github_annotation(&self, dir: &Path) -> String {
        // Escaping as GitHub's runner expects: data escapes %, CR, LF; properties also : and ,.
        let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
        let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
        let level = if self.severity == Severity::Error { "error" } else { "warning" };
        let mut props = Vec::new();
        if let Some(file) = &self.file {
            let path = dir.join(file);
            let path = path.to_string_lossy().replace('\\', "/");
            props.push(format!("file={}", property(path.trim_start_matches("./"))));
            if let Some(pos) = &self.pos {
                props.push(format!("line={}", pos.line));
                props.push(format!("col={}", pos.column));
            }
        }
        props.push(format!("title={}", property(&format!("charted {}", self.code))));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!("::{level} {}::{}", props.join(","), data(&message))
    }

    fn sort_key(&self) -> (Option<&Path>, Option<Pos>, Severity, &str) {
        (self.file.as_deref(), self.pos, self.severity, &self.message)
    }

    /// The diagnostic as a human reads it: message, location, the offending
    /// line with a caret under the spot, and the fix. `source` is the file's text.
    pub fn render(&self, source: Option<&str>) -> String {
        self.render_styled(source, false)
    }

    /// [`Diagnostic::render`], with ANSI colours when `color` (for a terminal).
    pub fn render_styled(&self, source: Option<&str>, color: bool) -> String {
        let line = self.pos.zip(source).and_then(|(pos, text)| text.lines().nth(pos.line.checked_sub(1)? as usize));
        self.render_line(line, color)
    }

    /// [`Diagnostic::render_styled`] given only the line the diagnostic
    /// points at: printing many diagnostics of one file finds each line with
    /// a [`LineIndex`] instead of reading the file from the start each time.
    pub fn render_line(&self, line: Option<&str>, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        let title = level.primary_title(&self.message).id(self.code);
        let line = self.pos.zip(line).map(|(pos, text)| (pos, text.trim_end_matches('\r')));
        let mut group = match (&self.file, line) {
            (Some(_), Some((pos, text))) => {
                let span = underline(text, pos.column);
                title.element(
                    Snippet::source(text)
                        .line_start(pos.line as usize)
                        .path(&path)
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            (Some(_), None) => {
                let place = match self.pos {
                    Some(pos) => format!("{path}:{}:{}", pos.line, pos.column),
                    None => path.clone(),
                };
                title.element(Level::NOTE.message(format!("in {place}")))
            }
            (None, _) => Group::with_title(title),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        renderer.render(&[group]).to_string()
    }
}

/// The byte range to underline: from the column to the end of the token there.
fn underline(line: &str, column: u32) -> std::ops::Range<usize> {
    let start = line.char_indices().nth(column.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = rest.find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').unwrap_or(rest.len());
    let end = start + len.max(rest.chars().next().map_or(0, char::len_utf8));
    start..end
}

/// Where each line of a text starts, to find any line in constant time.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// Line `number` (from 1) as `str::lines` gives it, without its `\r`.
    pub fn line(&self, number: u32) -> Option<&'t str> {
        let start = *self.starts.get(number.checked_sub(1)? as usize)?;
        if start >= self.text.len() {
            return None;
        }
        let end = self.starts.get(number as usize).map_or(self.text.len(), |next| next - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// Every problem found in one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Sorted by file, then position: the order a reader fixes them in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.list.dedup();
        self.list
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }
}

/// "did you mean `x`?" for the closest of `candidates`, when one is close.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_caret_and_help() {
        let d = Diagnostic::error("invalid-value", "unknown status `donee`")
            .at("content/pain/a.md", Some(Pos { line: 3, column: 9 }))
            .help("use one of: open, mitigated, solved, dropped");
        let text = d.render(Some("---\ntitle: A\nstatus: donee\n---\n"));
        assert!(text.contains("error[invalid-value]: unknown status `donee`"), "{text}");
        assert!(text.contains("content/pain/a.md:3:9"), "{text}");
        assert!(text.contains("3 | status: donee"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("help: use one of"), "{text}");
    }

    #[test]
    fn colour_only_when_asked_and_the_same_text_otherwise() {
        let d = Diagnostic::error("invalid-value", "unknown status `donee`")
            .at("content/pain/a.md", Some(Pos { line: 3, column: 9 }))
            .help("use one of: open, mitigated, solved, dropped");
        let source = Some("---\ntitle: A\nstatus: donee\n---\n");
        let plain = d.render(source);
        let styled = d.render_styled(source, true);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(styled.contains('\x1b'), "{styled}");
        assert_eq!(anstream::adapter::strip_str(&styled).to_string(), plain);
    }

    #[test]
    fn line_index_finds_the_lines_str_lines_does() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nc\n", "é\nü"] {
            let index = LineIndex::new(text);
            let lines: Vec<&str> = text.lines().collect();
            for n in 0..=lines.len() as u32 + 1 {
                let want = n.checked_sub(1).and_then(|i| lines.get(i as usize).copied());
                assert_eq!(index.line(n), want, "{text:?} line {n}");
            }
        }
    }

    #[test]
    fn renders_without_source() {
        let d = Diagnostic::warning("x", "something").at("charted.yaml", None);
        let text = d.render(None);
        assert!(text.contains("warning[x]: something"), "{text}");
        assert!(text.contains("charted.yaml"), "{text}");
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("severty", ["severity", "reach"]), Some("severity"));
        assert_eq!(did_you_mean("zzz", ["severity", "reach"]), None);
    }

    #[test]
    fn github_annotations_escape_data_and_properties() {
        let d = Diagnostic::error("invalid-value", "50% done,\nreally")
            .at("content/pain/a:b.md", Some(Pos { line: 3, column: 9 }))
            .help("fix it");
        assert_eq!(
            d.github_annotation(Path::new("./site")),
            "::error file=site/content/pain/a%3Ab.md,line=3,col=9,title=charted invalid-value::50%25 done,%0Areally%0Ahelp: fix it"
        );
        let w = Diagnostic::warning("balance", "off");
        assert_eq!(w.github_annotation(Path::new(".")), "::warning title=charted balance::off");
    }
}

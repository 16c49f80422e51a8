//! Splits a Markdown file into its YAML front matter and its body.

/// The two parts of an item file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterSplit {
    /// The YAML between the fences.
    pub front: std::ops::Range<usize>,
    /// The file line on which the YAML starts (1-based).
    pub front_line: u32,
    /// Everything after the closing fence.
    pub body: std::ops::Range<usize>,
    /// The file line on which the body starts (1-based).
    pub body_line: u32,
    /// Set when the closing line may not be where the author meant the front
    /// matter to end: what follows it looks like more of the front matter.
    pub doubt: Option<Doubt>,
}

/// A closing fence that may have ended the front matter too early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt {
    /// The file line of the closing fence (1-based).
    pub line: u32,
    /// What the lines after it look like, said after "the lines below it".
    pub why: &'static str,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterError {
    /// The file is empty or only white space.
    Empty,
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line.
    Unclosed,
}

/// A fence is `---` (or, to close, YAML's document end `...`) at column 1:
/// a block scalar's content is indented, so an indented `---` is content.
fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end();
    line == "---" || (closing && line == "...")
}

/// `name:` at column 1, as a top-level front-matter field starts.
fn looks_like_field(line: &str) -> bool {
    let Some((name, rest)) = line.split_once(':') else {
        return false;
    };
    let name_ok = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && name.as_bytes()[0].is_ascii_alphabetic();
    name_ok && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Whether the closing fence on `fence_line` may be in the wrong place: it
/// is `...` and a `---` line further down closes a run of fields, or it
/// interrupts an indented block whose indented lines go on below it.
fn doubt(fence: &str, fence_line: u32, front: &str, body: &str) -> Option<Doubt> {
    let mut lines = body.lines().skip_while(|l| l.trim().is_empty());
    let next = lines.next()?;
    if fence.trim_end() == "..." && looks_like_field(next) {
        let closes_later = body.lines().any(|l| l.trim_end() == "---");
        if closes_later {
            return Some(Doubt {
                line: fence_line,
                why: "look like front-matter fields, and a `---` line follows them",
            });
        }
    }
    let indented = |l: &str| l.starts_with([' ', '\t']) || l.trim().is_empty();
    // The indented lines that end the front matter, and the line above them.
    let mut in_block = false;
    let mut cut = false;
    for line in front.lines().rev().skip_while(|l| l.trim().is_empty()) {
        in_block |= opens_block_scalar(line);
        if !indented(line) {
            break;
        }
        cut = true;
    }
    if cut && in_block && next.starts_with([' ', '\t']) {
        return Some(Doubt { line: fence_line, why: "are indented like the block of text above it" });
    }
    None
}

/// Whether `line` ends with a block scalar's indicator (`summary: |`, `- >-`):
/// the indented lines below it are text, in which a `---` may be meant as text.
fn opens_block_scalar(line: &str) -> bool {
    let core = line.trim_end().trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    [": |", ": >", "- |", "- >"].iter().any(|end| core.ends_with(end)) || matches!(core.trim(), "|" | ">")
}

/// Finds the front matter fences. A leading UTF-8 byte-order mark is skipped.
pub fn split(text: &str) -> Result<FrontMatterSplit, FrontMatterError> {
    if text.trim().is_empty() {
        return Err(FrontMatterError::Empty);
    }
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = text[start..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first, false) {
        return Err(FrontMatterError::Missing);
    }
    let front_start = start + first.len();
    let mut offset = front_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line, true) {
            let body = offset + line.len()..text.len();
            return Ok(FrontMatterSplit {
                doubt: doubt(line, line_no, &text[front_start..offset], &text[body.clone()]),
                front: front_start..offset,
                front_line: 2,
                body,
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title: A\n");
        assert_eq!(&text[s.body.clone()], "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nbody";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title: A\r\n");
        assert_eq!(&text[s.body.clone()], "body");
    }

    #[test]
    fn reports_missing_unclosed_and_empty() {
        assert_eq!(split("# just a body\n"), Err(FrontMatterError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(FrontMatterError::Unclosed));
        assert_eq!(split("  \n"), Err(FrontMatterError::Empty));
    }

    #[test]
    fn an_indented_dash_line_is_block_scalar_content() {
        let text = "---\ntitle: A\nsummary: |\n  ---\n  text\nreach: 5\n---\nbody\n";
        let s = split(text).unwrap();
        assert!(text[s.front.clone()].ends_with("reach: 5\n"));
        assert_eq!(&text[s.body.clone()], "body\n");
        assert_eq!(s.doubt, None);
    }

    #[test]
    fn a_document_end_line_closes_but_is_doubted_when_fields_follow() {
        let text = "---\ntitle: A\n...\nreach: 5\n---\nbody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title: A\n");
        assert_eq!(s.doubt.map(|d| d.line), Some(3));
        // Pandoc's style, `...` then prose, is not doubted.
        let pandoc = split("---\ntitle: A\n...\nSome prose: with a colon.\n").unwrap();
        assert_eq!(pandoc.doubt, None);
        let rule = split("---\ntitle: A\n...\nProse.\n\n---\n").unwrap();
        assert_eq!(rule.doubt, None);
    }

    #[test]
    fn a_fence_inside_an_indented_block_is_doubted() {
        let text = "---\ntitle: A\nsummary: |\n  first\n---\n  second\n";
        assert_eq!(split(text).unwrap().doubt.map(|d| d.line), Some(5));
        assert_eq!(split("---\ntitle: A\n---\n    code\n").unwrap().doubt, None);
        // A list ends the front matter, an indented code block starts the body.
        assert_eq!(split("---\ntitle: A\nusers:\n  - a\n---\n    code\n").unwrap().doubt, None);
        let folded = "---\ntitle: A\nsummary: >-\n  first\n\n  more\n---\n  second\n";
        assert_eq!(split(folded).unwrap().doubt.map(|d| d.line), Some(7));
    }

    #[test]
    fn only_front_matter_has_an_empty_body() {
        let s = split("---\ntitle: A\n---").unwrap();
        assert!(s.body.is_empty());
    }
}

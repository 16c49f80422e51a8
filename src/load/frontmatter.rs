//! Splits a Markdown file into its YAML front matter and its body.

/// The two parts of an item file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub front: std::ops::Range<usize>,
    /// The file line on which the YAML starts (1-based).
    pub front_line: u32,
    /// Everything after the closing fence.
    pub body: std::ops::Range<usize>,
    /// The file line on which the body starts (1-based).
    pub body_line: u32,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only white space.
    Empty,
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line.
    Unclosed,
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end();
    line == "---" || (closing && line == "...")
}

/// Finds the front matter fences. A leading UTF-8 byte-order mark is skipped.
pub fn split(text: &str) -> Result<Split, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = text[start..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first, false) {
        return Err(SplitError::Missing);
    }
    let front_start = start + first.len();
    let mut offset = front_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line, true) {
            return Ok(Split {
                front: front_start..offset,
                front_line: 2,
                body: offset + line.len()..text.len(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
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
        assert_eq!(split("# just a body\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("  \n"), Err(SplitError::Empty));
    }

    #[test]
    fn only_front_matter_has_an_empty_body() {
        let s = split("---\ntitle: A\n---").unwrap();
        assert!(s.body.is_empty());
    }
}

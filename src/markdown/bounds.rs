//! Keeps a body within [`MAX_BODY_ELEMENTS`] and [`MAX_BODY_NESTING`] while it is parsed, so no body reaches the sanitiser (whose time grows with the square of the nesting) or holds gigabytes of events.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::limits::{MAX_BODY_ELEMENTS, MAX_BODY_NESTING, thousands};

/// HTML elements that never have content, so never nest.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// HTML elements whose end tag may be left out (`<li>`, `<td>`, `<p>`…): the
/// next one closes the last, so they are not counted (their list or table is).
const OPTIONAL_END: &[&str] = &[
    "li", "dt", "dd", "p", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "option", "optgroup", "rb", "rt",
    "rtc", "rp",
];

/// Whether an element never nests: void, or closed by its next sibling.
fn flat(name: &str) -> bool {
    VOID.iter().chain(OPTIONAL_END).any(|v| v.eq_ignore_ascii_case(name))
}

/// A limit a body passed: where (a byte offset in the body), and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHit {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// Counts elements and nesting over the parser's events, in one pass.
#[derive(Default)]
pub(crate) struct Bounds {
    elements: usize,
    /// Open Markdown elements (a list item in a list in a quote is 3).
    markdown: usize,
    /// Raw HTML elements opened and not closed yet.
    html: usize,
}

impl Bounds {
    /// Takes the next event (at byte `start` of the body); the limit it
    /// passes, if it passes one.
    pub(crate) fn check(&mut self, event: &Event<'_>, start: usize) -> Option<LimitHit> {
        self.elements += 1;
        if self.elements > MAX_BODY_ELEMENTS {
            return Some(too_many(start));
        }
        match event {
            // A block of raw HTML is no element of the page; its tags are counted.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => return None,
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                let at = self.raw_html(html)?;
                return Some(too_deep(start + at));
            }
            _ => return None,
        }
        (self.markdown + self.html > MAX_BODY_NESTING).then(|| too_deep(start))
    }

    /// Follows the tags of a piece of raw HTML; the byte offset in it of the
    /// tag that nests too deep, if one does. Linear in the chunk.
    fn raw_html(&mut self, chunk: &str) -> Option<usize> {
        let bytes = chunk.as_bytes();
        let mut at = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
            // Nothing after this `<` ends a tag: no later `<` is one either.
            let gt = lt + memchr::memchr(b'>', &bytes[lt..])?;
            at = lt + 1;
            let tag = &chunk[lt + 1..gt];
            let (closing, tag) = match tag.strip_prefix('/') {
                Some(rest) => (true, rest),
                None => (false, tag),
            };
            let name = &tag[..tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len())];
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || flat(name) {
                continue;
            }
            if closing {
                self.html = self.html.saturating_sub(1);
                continue;
            }
            if tag.ends_with('/') {
                continue;
            }
            self.html += 1;
            if self.markdown + self.html > MAX_BODY_NESTING {
                return Some(lt);
            }
        }
        None
    }
}

/// Bytes where pulldown-cmark may start an element (and so keep a node in
/// its parse tree, about 50 bytes each, before the first event).
const MARKS: &[u8] = b"\n*_~`\\&<>![]|()";

/// Refuses, before it is parsed, a body with more places an element may
/// start than [`MAX_BODY_ELEMENTS`]: the parser would hold a node for each
/// (9.9 MB of `[a](` took gigabytes). One pass over the bytes.
pub(crate) fn prescan(body: &str) -> Option<LimitHit> {
    let mut is_mark = [false; 256];
    for &b in MARKS {
        is_mark[usize::from(b)] = true;
    }
    let mut marks = 0;
    for (i, &b) in body.as_bytes().iter().enumerate() {
        if is_mark[usize::from(b)] {
            marks += 1;
            if marks > MAX_BODY_ELEMENTS {
                return Some(too_many(i));
            }
        }
    }
    None
}

fn too_many(offset: usize) -> LimitHit {
    LimitHit {
        offset,
        message: format!(
            "this body has more than {} Markdown elements or marks (`[`, `*`, `<`, `|`, line breaks…) (the body elements limit)",
            thousands(MAX_BODY_ELEMENTS)
        ),
        help: "split it over several items, or move generated text (logs, data) out of content/".into(),
    }
}

fn too_deep(offset: usize) -> LimitHit {
    LimitHit {
        offset,
        message: format!(
            "Markdown and HTML elements nest more than {} deep here (the body nesting limit)",
            thousands(MAX_BODY_NESTING)
        ),
        help: "close the HTML tags you open (`<div>` … `</div>`), and nest lists and quotes less deeply".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn first_hit(body: &str) -> Option<LimitHit> {
        let mut bounds = Bounds::default();
        Parser::new(body).into_offset_iter().find_map(|(event, range)| bounds.check(&event, range.start))
    }

    #[test]
    fn ordinary_html_and_markdown_pass() {
        let body = "<div><p>a<br>b<img src=x></p></div>\n\n- a\n  - b\n\n> q\n\n<div/>\n".repeat(2_000);
        assert_eq!(first_hit(&body), None);
    }

    #[test]
    fn elements_closed_by_their_next_sibling_do_not_nest() {
        let rows = "<tr><td>a<td><p>b<p>c</td>\n".repeat(3_000);
        assert_eq!(first_hit(&format!("<table>\n{rows}</table>\n\n<ul><li>x<li>y<br></br></ul>\n")), None);
    }

    #[test]
    fn deep_html_is_caught_at_the_tag() {
        let body = format!("x\n\n{}\n", "<div>".repeat(MAX_BODY_NESTING + 5));
        let hit = first_hit(&body).unwrap();
        // The paragraph is closed; the `<div>` past the limit is the one caught.
        assert_eq!(hit.offset, 3 + 5 * MAX_BODY_NESTING, "{hit:?}");
        assert_eq!(&body[hit.offset..hit.offset + 5], "<div>");
        assert!(hit.message.contains("1,000"), "{hit:?}");
        // Closed as they go, any number is fine.
        assert_eq!(first_hit(&"<div>x</div>\n".repeat(5_000)), None);
    }

    #[test]
    fn deep_markdown_counts_too() {
        assert!(first_hit(&format!("{}x\n", "> ".repeat(MAX_BODY_NESTING + 1))).is_some());
        assert!(first_hit(&format!("{}x\n", "> ".repeat(MAX_BODY_NESTING / 2 - 2))).is_none());
    }

    #[test]
    fn too_many_marks_are_refused_before_parsing() {
        assert_eq!(prescan(&"Plain prose, (with) a [link](x) and *some* emphasis.\n".repeat(10_000)), None);
        let links = "[a](".repeat(MAX_BODY_ELEMENTS);
        let hit = prescan(&links).unwrap();
        // `[`, `]` and `(` are marks: the 1,000,001st is the `]` of the 333,334th `[a](`.
        assert_eq!(hit.offset, 1_333_334);
        assert_eq!(&links[hit.offset..=hit.offset], "]");
        assert!(hit.message.contains("1,000,000"), "{hit:?}");
    }

    #[test]
    fn too_many_events_are_refused() {
        let mut bounds = Bounds::default();
        let hit = (0..=MAX_BODY_ELEMENTS).find_map(|i| bounds.check(&Event::SoftBreak, i));
        assert_eq!(hit.map(|h| h.offset), Some(MAX_BODY_ELEMENTS));
    }

    #[test]
    fn a_tag_never_closed_stops_the_scan() {
        // No `>` anywhere: linear, and no nesting.
        assert_eq!(first_hit(&format!("<div {}\n", "<a ".repeat(100_000))), None);
    }
}

//! Raw HTML that would hide the rest of a body: an opening `<template>`,
//! `<script>`, `<noscript>`… or `<!--` that nothing closes swallows every
//! later paragraph, in the browser or in the sanitiser. Such a tag is shown
//! as text instead, and the author is warned.

use std::ops::Range;

/// Elements whose content a browser or the sanitiser does not show as prose.
const HIDING: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "plaintext",
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
];

/// Of those, the ones whose content is prose the reader loses even when closed.
const HIDES_TEXT: &[&str] = &["iframe", "noembed", "noframes", "noscript", "object", "template"];

/// Raw HTML that hides text: where it starts in the body, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    pub offset: usize,
    /// `<template>`, or `<!--` for a comment.
    pub tag: String,
    /// Nothing closes it: it is escaped (shown as text) rather than hiding the rest.
    pub unclosed: bool,
}

/// The raw HTML of a body (`chunks` are the byte ranges of its HTML
/// events, in order) read as one stream of tags.
pub(crate) fn find(body: &str, chunks: &[Range<usize>]) -> Vec<Stray> {
    // Per element name, the opening tags not closed yet: (offset, content starts).
    let mut open: Vec<(&'static str, usize, usize)> = Vec::new();
    let mut comment: Option<usize> = None;
    let mut found = Vec::new();
    for range in chunks {
        let Some(chunk) = body.get(range.clone()) else { continue };
        let mut at = 0;
        while let Some(lt) = chunk[at..].find('<').map(|i| at + i) {
            let rest = &chunk[lt..];
            at = lt + 1;
            if comment.is_some() {
                continue;
            }
            if let Some(after) = rest.strip_prefix("<!--") {
                match after.find("-->") {
                    Some(end) => at = lt + 4 + end + 3,
                    None => comment = Some(range.start + lt),
                }
                continue;
            }
            let (closing, name_at) = if rest.starts_with("</") { (true, 2) } else { (false, 1) };
            let Some(name) = element(&rest[name_at..]) else { continue };
            if !closing {
                let content = rest.find('>').map_or(rest.len(), |i| i + 1);
                open.push((name, range.start + lt, range.start + lt + content));
            } else if let Some(i) = open.iter().rposition(|(n, _, _)| *n == name) {
                let (_, start, content) = open.remove(i);
                let inside = body.get(content..range.start + lt).unwrap_or("");
                if HIDES_TEXT.contains(&name) && !inside.trim().is_empty() {
                    found.push(Stray { offset: start, tag: format!("<{name}>"), unclosed: false });
                }
            }
        }
        // A comment closed in a later chunk.
        if let Some(start) = comment
            && chunk.contains("-->")
            && range.start > start
        {
            comment = None;
        }
    }
    found.extend(open.into_iter().map(|(name, offset, _)| Stray { offset, tag: format!("<{name}>"), unclosed: true }));
    found.extend(comment.map(|offset| Stray { offset, tag: "<!--".to_string(), unclosed: true }));
    found.sort_by_key(|s| s.offset);
    found
}

/// The hiding element a tag names, if it names one: `template>` or `script src=…`.
fn element(after_lt: &str) -> Option<&'static str> {
    let end = after_lt.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after_lt.len());
    let (name, next) = after_lt.split_at(end);
    let ends_well = next.is_empty() || next.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace());
    if !ends_well {
        return None;
    }
    HIDING.iter().copied().find(|h| h.eq_ignore_ascii_case(name))
}

/// The body with a backslash before each unclosed tag's `<`, so Markdown
/// shows it as text; and where each backslash went, to map offsets back.
pub(crate) fn escape(body: &str, strays: &[Stray]) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len() + strays.len());
    let mut inserted = Vec::new();
    let mut last = 0;
    for stray in strays.iter().filter(|s| s.unclosed) {
        let Some(before) = body.get(last..stray.offset) else { continue };
        out.push_str(before);
        inserted.push(out.len());
        out.push('\\');
        last = stray.offset;
    }
    out.push_str(&body[last..]);
    (out, inserted)
}

/// An offset in the escaped body, as an offset in the original.
pub(crate) fn original_offset(offset: usize, inserted: &[usize]) -> usize {
    offset - inserted.partition_point(|&at| at < offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strays(body: &str) -> Vec<(usize, String, bool)> {
        // One chunk: the whole body is raw HTML in these cases.
        find(body, std::slice::from_ref(&(0..body.len()))).into_iter().map(|s| (s.offset, s.tag, s.unclosed)).collect()
    }

    #[test]
    fn unclosed_tags_and_comments_are_found_closed_ones_with_text_too() {
        assert_eq!(strays("<template>x"), [(0, "<template>".to_string(), true)]);
        assert_eq!(strays("a <SCRIPT src=x>"), [(2, "<script>".to_string(), true)]);
        assert_eq!(strays("<!-- note"), [(0, "<!--".to_string(), true)]);
        assert_eq!(strays("<noscript>hidden</noscript>"), [(0, "<noscript>".to_string(), false)]);
        assert!(strays("<script>x()</script><!-- ok --><template> </template><templates>").is_empty());
    }

    #[test]
    fn escaping_maps_offsets_back() {
        let body = "a <template> b <style> c";
        let found = find(body, std::slice::from_ref(&(0..body.len())));
        let (escaped, inserted) = escape(body, &found);
        assert_eq!(escaped, "a \\<template> b \\<style> c");
        assert_eq!(original_offset(escaped.find('c').unwrap(), &inserted), body.find('c').unwrap());
    }
}

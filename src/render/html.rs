//! A small scanner for the attributes of the HTML charted writes: every
//! attribute of every start tag, outside comments, scripts and styles. It is
//! what the link rewriting and the link check read; the pages are our own
//! output, so a full HTML parser would be more than this needs.

use std::borrow::Cow;
use std::ops::Range;

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The element's name, lowercase.
    pub tag: Cow<'a, str>,
    /// The attribute's name, lowercase.
    pub name: Cow<'a, str>,
    /// The value with character references decoded.
    pub value: Cow<'a, str>,
    /// Where the raw value sits in the page (inside the quotes).
    pub span: Range<usize>,
}

/// Every attribute of every start tag in `html`, in document order.
pub fn attributes(html: &str) -> Vec<Attr<'_>> {
    attributes_where(html, |_, _| true)
}

/// [`attributes`], keeping only those `keep(tag, name)` accepts: a reader
/// that wants a few names (the link check) does not pay to decode and hold
/// the many others (every `class` of highlighted code).
pub fn attributes_where(html: &str, keep: impl Fn(&str, &str) -> bool) -> Vec<Attr<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = find(bytes, i, b"<") {
        i = at + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, at + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") || rest.starts_with(b"</") {
            i = find(bytes, at + 1, b">").map_or(bytes.len(), |e| e + 1);
            continue;
        }
        if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = scan(bytes, at + 1, |b| b.is_ascii_alphanumeric() || b == b'-' || b == b':');
        let tag = lowercase(&html[at + 1..name_end]);
        let close: Option<&[u8]> = match &*tag {
            "script" => Some(b"</script"),
            "style" => Some(b"</style"),
            _ => None,
        };
        i = tag_attributes(html, name_end, tag, &keep, &mut out);
        if let Some(close) = close {
            i = find_ci(bytes, i, close).unwrap_or(bytes.len());
        }
    }
    out
}

/// Reads attributes from `i` to the end of the tag; returns the index after `>`.
fn tag_attributes<'a>(
    html: &'a str,
    mut i: usize,
    tag: Cow<'a, str>,
    keep: &impl Fn(&str, &str) -> bool,
    out: &mut Vec<Attr<'a>>,
) -> usize {
    let bytes = html.as_bytes();
    loop {
        i = scan(bytes, i, |b| b.is_ascii_whitespace() || b == b'/');
        match bytes.get(i) {
            None => return bytes.len(),
            Some(b'>') => return i + 1,
            _ => {}
        }
        let name_start = i;
        i = scan(bytes, i, |b| !(b.is_ascii_whitespace() || b == b'=' || b == b'>' || b == b'/'));
        if i == name_start {
            // A stray character such as `"`: step over it.
            i += 1;
            continue;
        }
        let name = lowercase(&html[name_start..i]);
        let after_name = scan(bytes, i, |b| b.is_ascii_whitespace());
        if bytes.get(after_name) != Some(&b'=') {
            continue;
        }
        i = scan(bytes, after_name + 1, |b| b.is_ascii_whitespace());
        let span = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = find(bytes, i + 1, &[q]).unwrap_or(bytes.len());
                let span = i + 1..end;
                i = (end + 1).min(bytes.len());
                span
            }
            _ => {
                let start = i;
                i = scan(bytes, i, |b| !(b.is_ascii_whitespace() || b == b'>'));
                start..i
            }
        };
        if keep(&tag, &name) {
            out.push(Attr { tag: tag.clone(), name, value: decode(&html[span.clone()]), span });
        }
    }
}

fn scan(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// Names as written, unless they hold capitals (rare in charted's own pages).
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let at = match needle {
        [byte] => memchr::memchr(*byte, rest),
        _ => memchr::memmem::find(rest, needle),
    };
    at.map(|p| p + from)
}

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| p + from)
}

/// Decodes the character references that appear in attribute values.
pub fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').filter(|&end| end <= 10).map(|end| (&rest[1..end], end));
        let decoded = entity.and_then(|(name, end)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(html: &str) -> Vec<(String, String, String)> {
        attributes(html).into_iter().map(|a| (a.tag.into_owned(), a.name.into_owned(), a.value.into_owned())).collect()
    }

    #[test]
    fn reads_attributes_of_start_tags() {
        let html = r#"<!-- <a href="no"> --><A HREF="../x/?a=1&amp;b=2#h" class=big><img src='p.svg' alt="">
<script>if (a<b) { x = '<a href="no">'; }</script><p id=top data-x="&#39;&#x2F;">t</p><br/>"#;
        assert_eq!(
            pairs(html),
            vec![
                ("a".into(), "href".into(), "../x/?a=1&b=2#h".into()),
                ("a".into(), "class".into(), "big".into()),
                ("img".into(), "src".into(), "p.svg".into()),
                ("img".into(), "alt".into(), "".into()),
                ("p".into(), "id".into(), "top".into()),
                ("p".into(), "data-x".into(), "'/".into()),
            ]
        );
    }

    #[test]
    fn keeps_only_the_attributes_asked_for() {
        let html = r#"<a class="x" href="y"><span class=k>t</span><meta content="0; url=../">"#;
        let kept = attributes_where(html, |tag, name| name == "href" || tag == "meta");
        let names: Vec<_> = kept.iter().map(|a| (&*a.tag, &*a.name, &*a.value)).collect();
        assert_eq!(names, [("a", "href", "y"), ("meta", "content", "0; url=../")]);
    }

    #[test]
    fn spans_point_at_the_raw_value() {
        let html = r#"<a href="a&amp;b">"#;
        let a = &attributes(html)[0];
        assert_eq!(&html[a.span.clone()], "a&amp;b");
    }

    #[test]
    fn survives_broken_markup() {
        for html in ["<", "<a", "<a href=", "<a href=\"x", "<!--", "<script>", "<a =x>", "&", "<a b='&#xFFFFFFFF;'>"] {
            let _ = attributes(html);
        }
        assert_eq!(decode("&#xFFFFFFFF; &bogus; &"), "&#xFFFFFFFF; &bogus; &");
    }
}

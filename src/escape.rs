//! Escaping text for the output, in one place: HTML (element content and
//! quoted attribute values, SVG included), XML for the feed and sitemaps,
//! JSON inside a `<script>`, and the warning messages' `code` spans. Each
//! writes the bytes the site has always had, so two differ only where their
//! formats need it.

/// Escapes text for HTML element content or a quoted attribute value: `&`,
/// `<`, `>`, `"` and `'` (as `&#39;`).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_html(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`html`] escapes it.
pub fn push_html(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Escapes text for XML content and attributes. It differs from [`html`]
/// twice: `'` is `&apos;` (XML's own entity), and characters XML 1.0 does not
/// allow (C0 controls but tab, newline and return; U+FFFE, U+FFFF) are left
/// out: a title holding one must not make the feed unreadable.
pub fn xml(text: &str) -> String {
    let allowed =
        |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    let clean: std::borrow::Cow<str> =
        if text.chars().all(allowed) { text.into() } else { text.chars().filter(|&c| allowed(c)).collect() };
    html(&clean).replace("&#39;", "&apos;")
}

/// Makes JSON safe inside a `<script>` element: `<` becomes `\u003c` (the
/// same character to JavaScript), so no `</script>` can close the element.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Escapes a diagnostic's message (or help) for HTML element content and
/// turns `backticked` words into `<code>` elements. Unlike [`html`] it leaves
/// `'` as it is: messages are element content only ("the charter's split"),
/// and the dashboard's warnings have always been written so.
pub fn code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = false;
    for c in text.chars() {
        match c {
            '`' => {
                out.push_str(if open { "</code>" } else { "<code>" });
                open = !open;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_five_characters() {
        assert_eq!(html("<b>&\"x\"</b>"), "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;");
        assert_eq!(html("a'b"), "a&#39;b");
        assert_eq!(html("plain"), "plain");
    }

    #[test]
    fn xml_leaves_out_what_xml_forbids() {
        assert_eq!(xml("a\u{1}b\u{b}c\u{fffe}d\u{ffff}"), "abcd");
        assert_eq!(xml("tab\there\nline\r<&>\"'"), "tab\there\nline\r&lt;&amp;&gt;&quot;&apos;");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        assert_eq!(script_json("\"</script>\""), "\"\\u003c/script>\"");
    }

    #[test]
    fn code_spans_mark_backticks_and_keep_apostrophes() {
        assert_eq!(code_spans("the `x` field's <b>"), "the <code>x</code> field's &lt;b&gt;");
        assert_eq!(code_spans("open `end"), "open <code>end</code>");
    }
}

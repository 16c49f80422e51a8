//! Where each cross-link's target is written in a body's source, so `charted mv` can rewrite it in place.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::{Target, cross_link, markdown_options};

/// What a cross-link names: an item id (`[[id]]`) or a relative file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Named {
    Id(String),
    /// The path as the parser read it, fragment removed: `../pain/slow-ci.md`.
    Path(String),
}

/// One cross-link as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkSource {
    pub named: Named,
    /// The byte range in the body of the id or path exactly as written; `None`
    /// when the source spells it differently from what it means (a backslash
    /// escape, an entity), so it cannot be rewritten by replacing text.
    pub span: Option<Range<usize>>,
    /// Byte offset in the body where the link (or its reference definition) starts.
    pub offset: usize,
}

/// Every cross-link of a body: wikilinks, inline links to `.md` files and
/// reference definitions (`[x]: ../pain/a.md`), in source order. Links that
/// use a reference definition are listed once, at the definition, since that
/// is where their path is written.
pub(crate) fn link_sources(body: &str) -> Vec<LinkSource> {
    let parser = Parser::new_ext(body, markdown_options()).into_offset_iter();
    let mut out: Vec<LinkSource> = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        if let Some((Target::Path(path), _)) = cross_link(LinkType::Inline, &def.dest) {
            let source = &body[def.span.clone()];
            // `[label]: <path>` or `[label]: path`: the path follows the first `]:`.
            let span = source.find("]:").and_then(|at| find_destination(source, at + 2, path));
            out.push(LinkSource {
                named: Named::Path(path.to_string()),
                span: span.map(|s| s.start + def.span.start..s.end + def.span.start),
                offset: def.span.start,
            });
        }
    }
    let mut image_depth = 0usize;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::Link { link_type, dest_url, .. }) if image_depth == 0 => {
                if let Some(found) = source_of(body, range, link_type, &dest_url) {
                    out.push(found);
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|l| l.offset);
    out
}

/// One link event's target and where it is written, for the link types
/// whose target is written inside the link itself.
fn source_of(body: &str, range: Range<usize>, link_type: LinkType, dest: &str) -> Option<LinkSource> {
    let (target, _) = cross_link(link_type, dest)?;
    let source = &body[range.clone()];
    let (named, span) = match (link_type, target) {
        (LinkType::WikiLink { .. }, Target::Id(id)) => {
            // `[[ id|text]]`: the id follows the brackets and any spaces.
            let after = source.strip_prefix("[[")?;
            let skipped = after.len() - after.trim_start().len();
            let start = 2 + skipped;
            let span = source[start..].starts_with(id).then_some(start..start + id.len());
            (Named::Id(id.to_string()), span)
        }
        (LinkType::Inline, Target::Path(path)) => {
            // The destination follows the last `](` that is followed by it.
            let span = source.rmatch_indices("](").find_map(|(at, _)| find_destination(source, at + 2, path));
            (Named::Path(path.to_string()), span)
        }
        // Reference links are listed at their definition.
        _ => return None,
    };
    Some(LinkSource { named, span: span.map(|s| s.start + range.start..s.end + range.start), offset: range.start })
}

/// The range of `path` in `source` when it is the destination starting at
/// `from` (after spaces and an optional `<`).
fn find_destination(source: &str, from: usize, path: &str) -> Option<Range<usize>> {
    let rest = source.get(from..)?;
    let trimmed = rest.trim_start();
    let mut start = from + rest.len() - trimmed.len();
    if trimmed.starts_with('<') {
        start += 1;
    }
    source[start..].starts_with(path).then_some(start..start + path.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(body: &str) -> Vec<(Named, Option<&str>)> {
        link_sources(body).into_iter().map(|l| (l.named, l.span.map(|s| &body[s]))).collect()
    }

    #[test]
    fn finds_wikilinks_with_text_and_anchor() {
        let body = "See [[old]], [[ old|the old one]] and [[old#why]]; `[[old]]` in code is not a link.\n";
        let found = spans(body);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|(n, s)| *n == Named::Id("old".into()) && *s == Some("old")), "{found:?}");
        let offsets: Vec<usize> = link_sources(body).iter().map(|l| l.span.clone().unwrap().start).collect();
        assert_eq!(offsets, [6, 16, 40]);
    }

    #[test]
    fn finds_inline_and_reference_paths() {
        let body =
            "A [link](../pain/old.md#x \"t\"), [b](<old.md>) and [c][r], [](https://x/old.md).\n\n[r]: ./old.md\n";
        let found = spans(body);
        assert_eq!(
            found,
            [
                (Named::Path("../pain/old.md".into()), Some("../pain/old.md")),
                (Named::Path("old.md".into()), Some("old.md")),
                (Named::Path("./old.md".into()), Some("./old.md")),
            ]
        );
    }

    #[test]
    fn text_that_differs_from_the_target_has_no_span() {
        let body = "[x](ol\\_d.md)\n";
        let found = link_sources(body);
        assert_eq!(found[0].named, Named::Path("ol_d.md".into()));
        assert_eq!(found[0].span, None);
    }

    #[test]
    fn links_inside_images_are_not_cross_links() {
        assert!(link_sources("![alt [x](a.md)](img.png)\n").is_empty());
    }
}

//! The search index: Pagefind's design in script files, so search works from
//! a folder opened from disk (browsers refuse `fetch()` there, but run
//! `<script>`s). `search/meta.js` says where each term's postings are;
//! `search/t/*.js`, the chunks, hold the postings of a range of terms;
//! `search/f/*.js`, the fragments, hold what a result shows of each item (title,
//! URL, kind, summary, the start of its body). A query loads the meta, the
//! chunks of its words and the fragments of its first results, never the whole index.

mod postings;
mod terms;

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Page;
use super::links::INDEX;
use super::view::Views;
use crate::incremental::memo::Pieces;
use crate::model::{Site, url_of};
use postings::Posting;
use terms::{Counts, Place};

/// Body text beyond this many characters is left out of the index.
const BODY_LIMIT: usize = 2000;
/// A fragment keeps this many bytes of body text for the snippet: enough for
/// a match near the start, small enough that ten results cost little.
const SNIPPET_LIMIT: usize = 600;
/// Items per fragment file: the ten results of a query load at most ten small files.
const GROUP: usize = 8;

/// View keys that are not field values a reader would search for.
const NOT_FIELDS: &[&str] = &["id", "kind", "kind_label", "title", "url", "source", "summary", "body", "toc"];

/// The string values of an item's view: its fields, and the titles of the items it names.
fn field_text(view: &Value, out: &mut Vec<String>, depth: usize) {
    if let Some(s) = view.as_str() {
        out.push(s.to_string());
    } else if let Some(list) = view.as_array() {
        for v in list {
            field_text(v, out, depth + 1);
        }
    } else if let Some(map) = view.as_map() {
        let entries = map.iter().map(|(k, v)| (k.as_str().unwrap_or(""), v));
        if depth == 0 {
            for (_, value) in entries.filter(|(k, _)| !NOT_FIELDS.contains(k) && *k != "backlinks") {
                field_text(value, out, depth + 1);
            }
        } else if let Some((_, title)) = map.iter().find(|(k, _)| k.as_str() == Some("title")) {
            // A reference to another item: its title.
            field_text(title, out, depth + 1);
        } else {
            for (_, value) in entries {
                field_text(value, out, depth + 1);
            }
        }
    } else if let Some(n) = view.as_f64().filter(|_| depth == 0) {
        out.push(n.to_string());
    }
}

fn excerpt(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// What a result shows of an item: title, URL relative to the site root,
/// kind label, summary, the start of its body (for the snippet).
#[derive(Serialize)]
struct Fragment<'a>(&'a str, String, &'static str, &'a str, String);

/// One item's piece of the index: its fragment (JSON safe to inline in a
/// script) on the first line, then a line `term weight` for each of its terms.
fn piece(site: &Site, views: &Views, i: usize) -> String {
    let item = &site.items[i];
    let mut url = url_of(item.kind, &item.id);
    if !site.config.clean_urls {
        url.push_str(INDEX);
    }
    let summary = item.summary.as_deref().unwrap_or("");
    let body = excerpt(&site.bodies[i].text, BODY_LIMIT);
    let shown = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let fragment = Fragment(&item.title, url, item.kind.label(), summary, excerpt(&shown, SNIPPET_LIMIT).to_string());
    let mut out = crate::escape::script_json(&serde_json::to_string(&fragment).unwrap_or_else(|_| "[]".into()));
    let mut fields = Vec::new();
    field_text(&views.items[i], &mut fields, 0);
    fields.dedup();
    let mut counts = Counts::default();
    counts.add(Place::Title, &item.title);
    counts.add(Place::Title, &item.id);
    counts.add(Place::Summary, summary);
    counts.add(Place::Fields, item.kind.label());
    counts.add(Place::Fields, &fields.join(" "));
    counts.add(Place::Body, body);
    for (term, weight) in counts.weights() {
        out.push('\n');
        out.push_str(term);
        out.push(' ');
        let _ = write!(out, "{weight}");
    }
    out
}

/// `search/meta.js`: what `search.js` needs to find a term's chunk and an item's fragment.
#[derive(Serialize)]
struct Meta<'a> {
    /// The index's format, for a theme's own script.
    version: u32,
    items: usize,
    /// Items per fragment file: item `n` is in `f/{n / group}.js`.
    group: usize,
    /// Each chunk's first term and its file, `t/{file}.js`, in term order.
    first: Vec<&'a str>,
    files: Vec<&'a str>,
}

/// The search index's files. With `memo`, the pieces of items whose view and
/// body are unchanged are reused. `keys`: per item, what its piece is made
/// from (see `incremental::pieces`).
pub(crate) fn pages(site: &Site, views: &Views, keys: &[u64], memo: Option<&Pieces>) -> Vec<Page> {
    // A piece shows the item's view, its body text and its URL: nothing else.
    let pieces = Pieces::make_all(memo, site.items.len(), |i| keys[i], |i| piece(site, views, i));
    let chunks = postings::chunks(&encoded_terms(&pieces));
    let mut pages: Vec<Page> = pieces
        .chunks(GROUP)
        .enumerate()
        .map(|(n, group)| {
            let fragments: Vec<&str> = group.iter().map(|p| p.split('\n').next().unwrap_or("[]")).collect();
            let js = format!("window.chartedSearch.fragments({n},[{}]);\n", fragments.join(","));
            Page::new(format!("search/f/{n}.js"), js)
        })
        .collect();
    let meta = Meta {
        version: 1,
        items: pieces.len(),
        group: GROUP,
        // Every term sorts after "": the first chunk starts at the beginning.
        first: chunks.iter().enumerate().map(|(n, c)| if n == 0 { "" } else { c.first.as_str() }).collect(),
        files: chunks.iter().map(|c| c.name.as_str()).collect(),
    };
    let json = crate::escape::script_json(&serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into()));
    pages.push(Page::new(
        "search/meta.js",
        format!("// Generated by charted: the search index.\nwindow.chartedSearch.meta({json});\n"),
    ));
    pages.extend(chunks.into_iter().map(|c| Page::new(format!("search/t/{}.js", c.name), c.js)));
    pages
}

/// Every term of the pieces with its encoded postings, in JavaScript's order;
/// an item's number is its place in the model's order.
fn encoded_terms(pieces: &[std::sync::Arc<str>]) -> Vec<(String, String)> {
    let mut by_term: HashMap<&str, Vec<Posting>> = HashMap::new();
    for (item, piece) in pieces.iter().enumerate() {
        for line in piece.split('\n').skip(1) {
            if let Some((term, weight)) = line.split_once(' ') {
                let weight = weight.parse().unwrap_or(1);
                by_term.entry(term).or_default().push(Posting { item: item as u32, weight });
            }
        }
    }
    let mut terms: Vec<(&str, Vec<Posting>)> = by_term.into_iter().collect();
    terms.sort_unstable_by(|a, b| postings::utf16_order(a.0, b.0));
    terms.into_par_iter().map(|(term, mut list)| (term.to_string(), postings::encode(&mut list))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn pieces(items: &[&str]) -> Vec<Arc<str>> {
        items.iter().map(|terms| Arc::from(format!("[]\n{terms}"))).collect()
    }

    #[test]
    fn terms_gather_every_items_postings_in_order() {
        let pieces = pieces(&["cache 16\nbuild 1", "build 6", "cache 1\nzebra 29"]);
        let terms = encoded_terms(&pieces);
        let names: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["build", "cache", "zebra"]);
        // build: item 1 at weight 6, then item 0 at weight 1; cache: item 0 at 16, item 2 at 1.
        assert_eq!(terms[0].1, "61,10");
        assert_eq!(terms[1].1, "g0,12");
        assert_eq!(terms[2].1, "t2");
    }

    #[test]
    fn the_same_pieces_give_the_same_files() {
        let items: Vec<String> =
            (0..500).map(|i| format!("t{} 1\nw{} 3\ncommon {}", i % 37, i % 101, i % 29)).collect();
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        let files = || {
            let chunks = postings::chunks(&encoded_terms(&pieces(&items)));
            chunks.into_iter().map(|c| (c.name, c.js)).collect::<Vec<_>>()
        };
        let first = files();
        assert!(first.len() > 1);
        for _ in 0..3 {
            assert_eq!(files(), first, "a term's postings do not depend on hash order");
        }
    }
}

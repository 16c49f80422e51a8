//! Item bodies: Markdown rendered with cross-links resolved, cached between
//! runs by everything the result depends on.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::graph::Index;
use super::item::Item;
use super::{ModelOptions, depth_of, url_of};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::{CONTENT_DIR, Document, Loaded};
use crate::markdown::{self, LinkError, LinkResolver, RenderedBody, ResolvedLink, Target};

/// Rendered bodies by a key of all they depend on: the body text, the page
/// depth, the render mode and every id, title and file a link could resolve to.
#[derive(Default)]
pub struct BodyCache {
    map: Mutex<HashMap<u64, Arc<RenderedBody>>>,
}

/// Resolves body links for one item's page.
struct BodyLinks<'a> {
    items: &'a [Item],
    by_id: &'a (dyn Fn(&str) -> Option<usize> + Sync),
    /// Why ids that exist were left out (drafts, unreadable files), for the help.
    left_out: Option<&'a HashMap<String, &'static str>>,
    by_file: &'a HashMap<PathBuf, usize>,
    from: &'a Item,
}

impl LinkResolver for BodyLinks<'_> {
    fn resolve(&self, target: Target<'_>) -> Result<ResolvedLink, LinkError> {
        let to = match target {
            Target::Id(id) => (self.by_id)(id).ok_or_else(|| LinkError {
                message: format!("`[[{id}]]` links to an id no item has"),
                help: match self.left_out.and_then(|l| l.get(id)) {
                    Some(why) => format!("`{id}` is {why}"),
                    None => "fix the id, or create the item".to_string(),
                },
            })?,
            Target::Path(path) => {
                let dir = self.from.file.parent().unwrap_or(Path::new(""));
                let Some(joined) = normalize(&dir.join(path)) else {
                    return Err(outside(path));
                };
                if !joined.starts_with(CONTENT_DIR) {
                    return Err(outside(path));
                }
                *self.by_file.get(joined.as_path()).ok_or_else(|| LinkError {
                    message: format!("`{path}` links to a file that does not exist"),
                    help: format!("there is no {}: fix the path (it is relative to this file)", joined.display()),
                })?
            }
        };
        let item = &self.items[to];
        let up = "../".repeat(depth_of(self.from.kind));
        Ok(ResolvedLink {
            id: item.id.clone(),
            url: format!("{up}{}", url_of(item.kind, &item.id)),
            title: item.title.clone(),
        })
    }
}

fn outside(path: &str) -> LinkError {
    LinkError {
        message: format!("`{path}` points outside content/"),
        help: "link only to item files under content/, or use a full https:// URL".to_string(),
    }
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs above the start.
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// A hash of what any link in any body could resolve to: when a title, id or
/// file name changes, every cached body is stale.
fn link_table_hash(items: &[Item]) -> u64 {
    let mut h = crate::fingerprint::hasher();
    for item in items {
        (&item.id, item.kind, &item.title, &item.file).hash(&mut h);
    }
    h.finish()
}

/// Each body's HTML rendered when its page asks for it ([`ModelOptions::defer_html`]):
/// what rendering it takes besides the items.
pub struct Deferred {
    /// Per item, the document its body is in.
    documents: Vec<Arc<Document>>,
    by_file: HashMap<PathBuf, usize>,
    markdown: markdown::Options,
}

impl Deferred {
    /// The HTML of item `i`'s body. Its links resolve as they did when the
    /// model read them; the problems they had are reported already.
    pub fn html(&self, items: &[Item], by_id: &HashMap<String, usize>, i: usize) -> String {
        let by_id = |id: &str| by_id.get(id).copied();
        let resolver = BodyLinks { items, by_id: &by_id, left_out: None, by_file: &self.by_file, from: &items[i] };
        markdown::render(self.documents[i].body(), &self.markdown, &resolver).html
    }
}

/// Every item's rendered body, with the fingerprint of all it was rendered
/// from (pages showing a body use it to know the body is unchanged), and,
/// when the HTML is deferred, what rendering it later takes.
pub fn render(
    loaded: &Loaded,
    items: &[Item],
    sources: &[usize],
    index: &Index,
    options: &ModelOptions,
    diags: &mut Diagnostics,
) -> (Vec<(u64, Arc<RenderedBody>)>, Option<Deferred>) {
    let by_file: HashMap<PathBuf, usize> = items.iter().enumerate().map(|(i, item)| (item.file.clone(), i)).collect();
    let mode = match (options.render_bodies, options.defer_html) {
        (false, _) => markdown::Mode::LinksOnly,
        (true, true) => markdown::Mode::Outline,
        (true, false) if options.highlight => markdown::Mode::Html,
        (true, false) => markdown::Mode::Unhighlighted,
    };
    let md_options =
        markdown::Options { mode, unsafe_html: loaded.config.unsafe_html, highlights: options.highlights.clone() };
    let by_id = |id: &str| index.get(id);
    let table = link_table_hash(items);
    let previous =
        options.body_cache.as_ref().map(|c| std::mem::take(&mut *c.map.lock().unwrap_or_else(|p| p.into_inner())));
    let rendered: Vec<(u64, Arc<RenderedBody>)> = items
        .par_iter()
        .zip(sources.par_iter())
        .map(|(item, &doc)| {
            let body = loaded.documents[doc].body();
            let mut h = crate::fingerprint::hasher();
            (body, depth_of(item.kind), &item.file, mode, md_options.unsafe_html, table).hash(&mut h);
            let key = h.finish();
            if let Some(hit) = previous.as_ref().and_then(|p| p.get(&key)) {
                return (key, Arc::clone(hit));
            }
            let resolver =
                BodyLinks { items, by_id: &by_id, left_out: Some(&index.left_out), by_file: &by_file, from: item };
            (key, Arc::new(markdown::render(body, &md_options, &resolver)))
        })
        .collect();
    for ((item, &doc), (_, body)) in items.iter().zip(sources).zip(&rendered) {
        let document = &loaded.documents[doc];
        for problem in &body.problems {
            let pos = position_in(document.body(), problem.offset, document.body_line);
            diags.push(
                Diagnostic::error("broken-link", problem.message.clone())
                    .at(&item.file, Some(pos))
                    .help(problem.help.clone()),
            );
        }
        if let Some(hit) = &body.limit {
            let pos = position_in(document.body(), hit.offset, document.body_line);
            diags.push(
                Diagnostic::error("body-limit", hit.message.clone()).at(&item.file, Some(pos)).help(hit.help.clone()),
            );
        }
        for stray in &body.strays {
            let pos = position_in(document.body(), stray.offset, document.body_line);
            diags.push(swallowed(stray).at(&item.file, Some(pos)));
        }
    }
    if let Some(cache) = &options.body_cache {
        let keep: HashMap<u64, Arc<RenderedBody>> = rendered.iter().map(|(k, b)| (*k, Arc::clone(b))).collect();
        *cache.map.lock().unwrap_or_else(|p| p.into_inner()) = keep;
    }
    let deferred = options.defer_html.then(|| Deferred {
        documents: sources.iter().map(|&doc| Arc::clone(&loaded.documents[doc])).collect(),
        by_file,
        markdown: markdown::Options {
            mode: if options.highlight { markdown::Mode::Html } else { markdown::Mode::Unhighlighted },
            ..md_options
        },
    });
    (rendered, deferred)
}

/// The warning for raw HTML that hides text.
fn swallowed(stray: &markdown::stray::Stray) -> Diagnostic {
    let tag = &stray.tag;
    if stray.unclosed {
        let close = if tag == "<!--" { "-->".to_string() } else { tag.replacen('<', "</", 1) };
        Diagnostic::warning(
            "swallowed-content",
            format!("`{tag}` is never closed, so it would hide everything after it; it is shown as text"),
        )
        .help(format!("close it with `{close}`, remove it, or put it in backticks to show it as code"))
    } else {
        Diagnostic::warning("swallowed-content", format!("`{tag}` hides the text inside it from readers"))
            .help("remove the tags to show the text, or the whole element if the text is not for readers")
    }
}

/// The file position of a byte offset in a body that starts on `first_line`.
fn position_in(body: &str, offset: usize, first_line: u32) -> Pos {
    let offset = offset.min(body.len());
    let before = body.get(..offset).unwrap_or(body);
    let line = before.matches('\n').count() as u32;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos { line: first_line + line, column }
}

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
use crate::load::{CONTENT_DIR, Loaded};
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
    index: &'a Index<'a>,
    by_file: &'a HashMap<&'a Path, usize>,
    from: &'a Item,
}

impl LinkResolver for BodyLinks<'_> {
    fn resolve(&self, target: Target<'_>) -> Result<ResolvedLink, LinkError> {
        let to = match target {
            Target::Id(id) => self.index.get(id).ok_or_else(|| LinkError {
                message: format!("`[[{id}]]` links to an id no item has"),
                help: match self.index.left_out.get(id) {
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
fn normalize(path: &Path) -> Option<PathBuf> {
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

/// Every item's rendered body, with the fingerprint of all it was rendered
/// from (pages showing a body use it to know the body is unchanged).
pub fn render(
    loaded: &Loaded,
    items: &[Item],
    sources: &[usize],
    index: &Index,
    options: &ModelOptions,
    diags: &mut Diagnostics,
) -> Vec<(u64, Arc<RenderedBody>)> {
    let by_file: HashMap<&Path, usize> = items.iter().enumerate().map(|(i, item)| (item.file.as_path(), i)).collect();
    let md_options = markdown::Options {
        mode: if options.render_bodies { markdown::Mode::Html } else { markdown::Mode::LinksOnly },
        unsafe_html: loaded.config.unsafe_html,
        highlights: options.highlights.clone(),
    };
    let table = link_table_hash(items);
    let previous =
        options.body_cache.as_ref().map(|c| std::mem::take(&mut *c.map.lock().unwrap_or_else(|p| p.into_inner())));
    let rendered: Vec<(u64, Arc<RenderedBody>)> = items
        .par_iter()
        .zip(sources.par_iter())
        .map(|(item, &doc)| {
            let body = loaded.documents[doc].body();
            let mut h = crate::fingerprint::hasher();
            (body, depth_of(item.kind), &item.file, options.render_bodies, md_options.unsafe_html, table).hash(&mut h);
            let key = h.finish();
            if let Some(hit) = previous.as_ref().and_then(|p| p.get(&key)) {
                return (key, Arc::clone(hit));
            }
            let resolver = BodyLinks { items, index, by_file: &by_file, from: item };
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
    }
    if let Some(cache) = &options.body_cache {
        let keep: HashMap<u64, Arc<RenderedBody>> = rendered.iter().map(|(k, b)| (*k, Arc::clone(b))).collect();
        *cache.map.lock().unwrap_or_else(|p| p.into_inner()) = keep;
    }
    rendered
}

/// The file position of a byte offset in a body that starts on `first_line`.
fn position_in(body: &str, offset: usize, first_line: u32) -> Pos {
    let offset = offset.min(body.len());
    let before = body.get(..offset).unwrap_or(body);
    let line = before.matches('\n').count() as u32;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos { line: first_line + line, column }
}

//! Item bodies: each body's outline (links resolved, headings, text,
//! problems) read through a [`BodyReader`], and the resolver its HTML's links
//! are rendered with.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::elsewhere::{self, Addresses, TeamRef};
use super::graph::Index;
use super::item::Item;
use super::{depth_of, url_of};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::{CONTENT_DIR, Document, Loaded};
use crate::markdown::{self, LinkError, LinkResolver, RenderedBody, ResolvedLink, Target};

/// Resolves body links for one item's page.
pub struct BodyLinks<'a> {
    pub(super) items: &'a [Item],
    pub(super) by_id: &'a (dyn Ids + Sync),
    /// Why ids that exist were left out (drafts, unreadable files), for the help.
    pub(super) left_out: Option<&'a HashMap<String, &'static str>>,
    pub(super) by_file: &'a HashMap<PathBuf, usize>,
    /// Where another team's items link (`[[ci:slow-pr-builds]]`).
    pub(super) teams: &'a Addresses,
    pub(super) from: &'a Item,
}

/// Item indices by id: the model's table, or the index it is built from.
pub(super) trait Ids {
    fn index_of(&self, id: &str) -> Option<usize>;
}

impl Ids for HashMap<String, usize> {
    fn index_of(&self, id: &str) -> Option<usize> {
        self.get(id).copied()
    }
}

impl Ids for Index<'_> {
    fn index_of(&self, id: &str) -> Option<usize> {
        self.get(id)
    }
}

impl LinkResolver for BodyLinks<'_> {
    fn resolve(&self, target: Target<'_>) -> Result<ResolvedLink, LinkError> {
        let to = match target {
            Target::Id(spelled) if let Some((team, id)) = elsewhere::split(spelled) => {
                return Ok(self.other_team(team, id, spelled));
            }
            Target::Id(id) => self.by_id.index_of(id).ok_or_else(|| LinkError {
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

impl BodyLinks<'_> {
    /// A link to another team's item: to its team's site when the vocabulary
    /// gives one, else no link (an empty URL), and never an error: a team's
    /// own build cannot see the other team's items (a portfolio checks them).
    fn other_team(&self, team: &str, id: &str, spelled: &str) -> ResolvedLink {
        let found = self.teams.find(team, id, None);
        ResolvedLink {
            id: spelled.to_string(),
            url: found.url.unwrap_or_default(),
            title: found.title.unwrap_or_default(),
        }
    }
}

/// The links of `body` (read from `document`) to other teams' items, where
/// they were written.
pub(super) fn team_links<'a>(
    document: &'a Document,
    body: &'a RenderedBody,
    addresses: &'a Addresses,
) -> impl Iterator<Item = TeamRef> + 'a {
    body.links.iter().filter_map(move |link| {
        let (team, id) = elsewhere::split(&link.id)?;
        let found = addresses.find(team, id, None);
        Some(TeamRef {
            field: "body",
            team: team.to_string(),
            id: id.to_string(),
            kind: None,
            pos: position_in(document.body(), link.offset, document.body_line),
            url: found.url,
            title: found.title,
            missing: found.missing,
            suggestion: found.suggestion,
        })
    })
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

/// What reading the site's bodies takes: the items (whose ids, titles and
/// files links resolve to) and, per item, the text of its body.
#[derive(Clone, Copy)]
pub struct Bodies<'a> {
    pub(super) loaded: &'a Loaded,
    pub(super) items: &'a [Item],
    pub(super) sources: &'a [usize],
    pub(super) index: &'a Index<'a>,
    pub(super) by_file: &'a HashMap<PathBuf, usize>,
    pub(super) teams: &'a Addresses,
}

impl Bodies<'_> {
    /// Where links to other teams' items go: an input of every body's HTML.
    pub fn teams(&self) -> &Addresses {
        self.teams
    }

    pub fn items(&self) -> &[Item] {
        self.items
    }

    /// The text of item `i`'s body.
    pub fn text(&self, i: usize) -> &str {
        self.loaded.documents[self.sources[i]].body()
    }

    /// Whether bodies may keep raw HTML (the config's `unsafe_html`).
    pub fn unsafe_html(&self) -> bool {
        self.loaded.config.unsafe_html
    }

    /// Reads item `i`'s body in `mode` ([`markdown::Mode::Outline`] or
    /// [`markdown::Mode::LinksOnly`]): a pure function of the above.
    pub fn read(&self, i: usize, mode: markdown::Mode) -> RenderedBody {
        let resolver = BodyLinks {
            items: self.items,
            by_id: self.index,
            left_out: Some(&self.index.left_out),
            by_file: self.by_file,
            teams: self.teams,
            from: &self.items[i],
        };
        let options = markdown::Options { mode, unsafe_html: self.unsafe_html(), highlights: None };
        markdown::render(self.text(i), &options, &resolver)
    }
}

/// How the model reads bodies: the seam through which `serve` reuses the
/// outlines of bodies whose inputs did not change, without the model knowing.
pub trait BodyReader: Sync {
    /// Every body, in item order.
    fn read_all(&self, bodies: &Bodies<'_>) -> Vec<Arc<RenderedBody>>;
}

/// The pure reader: each body's outline (links, headings, text, problems).
pub(crate) struct Outline;

impl BodyReader for Outline {
    fn read_all(&self, bodies: &Bodies<'_>) -> Vec<Arc<RenderedBody>> {
        (0..bodies.items.len()).into_par_iter().map(|i| Arc::new(bodies.read(i, markdown::Mode::Outline))).collect()
    }
}

/// A reader of links only (no text): for `charted mv`, which needs the graph.
pub struct LinksOnly;

impl BodyReader for LinksOnly {
    fn read_all(&self, bodies: &Bodies<'_>) -> Vec<Arc<RenderedBody>> {
        (0..bodies.items.len()).into_par_iter().map(|i| Arc::new(bodies.read(i, markdown::Mode::LinksOnly))).collect()
    }
}

/// A reader of no body: for the past states of a site, whose figures a
/// review compares and whose bodies it does not read.
pub(crate) struct Unread;

impl BodyReader for Unread {
    fn read_all(&self, bodies: &Bodies<'_>) -> Vec<Arc<RenderedBody>> {
        let empty = Arc::new(RenderedBody::default());
        vec![empty; bodies.items.len()]
    }
}

/// Every item's body read by `reader`, with its problems reported.
pub(super) fn read(bodies: &Bodies<'_>, reader: &dyn BodyReader, diags: &mut Diagnostics) -> Vec<Arc<RenderedBody>> {
    let Bodies { loaded, items, sources, .. } = *bodies;
    let rendered = reader.read_all(bodies);
    for ((item, &doc), body) in items.iter().zip(sources).zip(&rendered) {
        report(&loaded.documents[doc], item, body, diags);
    }
    rendered
}

/// The diagnostics of one body: broken links, a limit passed, hidden text.
fn report(document: &Document, item: &Item, body: &RenderedBody, diags: &mut Diagnostics) {
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

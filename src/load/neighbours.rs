//! The published items of the teams a site names under `neighbours:`: each
//! team's `items.json` fetched from its `site:` in the shared `teams:` list,
//! so a reference to its items links to the right page with its title, and
//! its references to this team's items show here. Like intersphinx: a
//! neighbour that does not answer shows as its last copy, or not at all,
//! with a warning; it never fails the build.
//!
//! Cost: one fetch per neighbour (5 s at most each; once per `serve`
//! session), and one JSON parse of about a megabyte per thousand items.

use std::sync::Arc;

use super::published::{self, Published};
use super::shared::{Fetch, Fetched, Fetching};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// One neighbour's published items, as read.
#[derive(Debug, Clone)]
pub struct Neighbour {
    /// Its short name, as `neighbours:` lists it.
    pub team: String,
    /// Its published site (the vocabulary's `site:`), ending in `/`.
    pub site: String,
    /// The bytes of its items.json: an input of every page (see `incremental::keys`).
    pub bytes: Arc<[u8]>,
    pub(crate) items: Arc<Published>,
}

/// Every neighbour `config` names whose items could be read; the others warn.
pub(crate) fn read(config: &Config, fetch: &mut dyn Fetch, diags: &mut Diagnostics) -> Vec<Neighbour> {
    let file = super::CONFIG_FILE;
    let mut out = Vec::new();
    for team in &config.neighbours {
        let Some(site) = config.vocabulary.site_of(&team.value) else {
            diags.push(
                Diagnostic::warning(
                    "team-without-site",
                    format!("the neighbour `{}` has no `site:` in the `teams:` list, so its items cannot be read", team.value),
                )
                .at(file, Some(team.pos))
                .help(format!("give the team `site: https://…` in the shared `teams:` list, with `{}` as its name or one of its `aliases:`", team.value)),
            );
            continue;
        };
        let url = format!("{site}items.json");
        let unread = |why: String| {
            Diagnostic::warning("neighbour-unavailable", format!("the items of `{}` at {url} cannot be read: {why}", team.value))
                .at(file, Some(team.pos))
                .help("check the team's `site:` and that its site is published with charted; references to it link to its site without titles until then")
        };
        let (bytes, cached) = match fetch.fetch(&url, Fetching::Items) {
            Fetched::Fresh(bytes) => (bytes, None),
            Fetched::Cached { bytes, why } => (bytes, Some(why)),
            Fetched::Unavailable { why } => {
                diags.push(unread(format!("{why}, and no copy is kept")));
                continue;
            }
        };
        let items = match published::parse(&bytes) {
            Ok(items) => items,
            Err(why) => {
                diags.push(unread(why));
                continue;
            }
        };
        if let Some(why) = cached {
            diags.push(
                Diagnostic::warning("items-cached", format!("the items of `{}` at {url} cannot be fetched ({why}): the copy kept from the last fetch is used", team.value))
                    .at(file, Some(team.pos))
                    .help("build again once the address can be reached"),
            );
        }
        out.push(Neighbour { team: team.value.clone(), site: site.to_string(), bytes, items: Arc::new(items) });
    }
    out
}

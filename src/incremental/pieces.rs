//! The keys of the whole-site files' pieces (each item's entry in
//! `items.json`, its badge, its search entry) and of the files made from the
//! model alone.

use super::fingerprint;
use super::keys::SiteKeys;
use super::views::ViewKeys;
use crate::model::Site;

/// Per item, the key of each piece made of it.
pub(crate) struct PieceKeys {
    /// An item's `items.json` entry shows its own fields, the ids it refers to and the base URL.
    pub items_json: Vec<u64>,
    /// A badge shows its item's kind and state: what its own inputs cover.
    pub badges: Vec<u64>,
    /// A search entry shows the item's view, its body text and its URL.
    pub search: Vec<u64>,
    structure: u64,
    /// The past reviews: the feed has an entry per status change in them.
    history: u64,
}

impl PieceKeys {
    pub(crate) fn new(site: &Site, keys: &SiteKeys, views: &ViewKeys) -> PieceKeys {
        let items_json = (0..site.items.len())
            .map(|i| {
                let refers: Vec<&str> = site.links[i].iter().map(|&j| site.items[j].id.as_str()).collect();
                fingerprint::of(&(keys.own_inputs[i], refers, &site.config.base_url))
            })
            .collect();
        let search = (0..site.items.len())
            .map(|i| fingerprint::of(&(views.fingerprints[i], keys.bodies[i], site.config.clean_urls)))
            .collect();
        PieceKeys {
            items_json,
            badges: keys.own_inputs.clone(),
            search,
            structure: keys.structure,
            history: keys.history,
        }
    }

    /// The files made from the model alone depend on its structure, the
    /// past reviews (the feed) and the list of HTML pages (the sitemap lists them).
    pub(crate) fn derived(&self, html_pages: &[&str]) -> u64 {
        fingerprint::of(&(self.structure, self.history, html_pages))
    }
}

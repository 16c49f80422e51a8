//! The keys of the model: fingerprints of what each part of a site was made
//! from, computed after the model is built, from its public content.

use std::hash::{Hash, Hasher};

use super::fingerprint;
use crate::load::{Document, Loaded};
use crate::model::{Computed, Site, names};

/// The keys of one run's model.
pub(crate) struct SiteKeys {
    /// Everything but the body text the site is made from (see `structure` below):
    /// pages that show no body depend on nothing else.
    pub structure: u64,
    /// Per item, what its view is made from: its file's path, front matter,
    /// labels and computed figures.
    pub own_inputs: Vec<u64>,
    /// Per body, everything its outline and HTML are made from (see
    /// [`super::bodies::OutlineMemo`]).
    pub bodies: Vec<u64>,
    /// The theme's templates (set once the theme is loaded: see [`super::theme`]).
    pub theme: u64,
    /// The past reviews (set once they are read: see [`super::history`]);
    /// the work tree's state is the model's, which `structure` covers.
    pub history: u64,
    /// The key of what the org pages show (0 when the site is no portfolio).
    pub portfolio: u64,
}

impl SiteKeys {
    /// The keys of `site`, built from `loaded` with `drafts` and `render`
    /// (bodies read in full, not only for links); `bodies` from the body reader.
    pub(crate) fn new(loaded: &Loaded, site: &Site, drafts: bool, render: bool, bodies: Vec<u64>) -> SiteKeys {
        let documents: Vec<u64> = loaded.documents.iter().map(|doc| document(doc)).collect();
        let structure = structure(loaded, site, (drafts, render), &documents);
        // An item's labels may come from another file's spelling (see [`names`]).
        let own_inputs = site
            .items
            .iter()
            .zip(&site.documents)
            .zip(&site.computed)
            .map(|((item, doc), computed)| {
                let read_from = fingerprint::of(&(document(doc), names::labels(item)));
                fingerprint::of(&(read_from, self::computed(computed)))
            })
            .collect();
        SiteKeys { structure, own_inputs, bodies, theme: 0, history: 0, portfolio: 0 }
    }
}

/// The model is made from the config, the options, each file's path and
/// front matter, and the links in bodies: not from the rest of the body text.
/// So two runs with the same structure have the same items, figures and
/// warnings, and `serve` keeps every page that shows no body while the user
/// types prose. `documents` holds each file's [`document`] key.
fn structure(loaded: &Loaded, site: &Site, (drafts, render): (bool, bool), documents: &[u64]) -> u64 {
    let mut h = fingerprint::hasher();
    // The config is its file's text, but for what a command line overrides.
    let config = &loaded.config;
    (&loaded.config_text, &config.base_url, config.clean_urls).hash(&mut h);
    // The shared vocabulary is part of the config: its names are on pages.
    loaded.shared.as_ref().map(|s| (&s.file, &s.text)).hash(&mut h);
    // So are the neighbours' published items: references to them link by them.
    loaded.neighbours.iter().map(|n| (&n.team, &n.site, &*n.bytes)).collect::<Vec<_>>().hash(&mut h);
    (drafts, render, site.today.to_string()).hash(&mut h);
    documents.hash(&mut h);
    loaded.unreadable.hash(&mut h);
    site.links.hash(&mut h);
    h.finish()
}

/// What an item is read from: its file's path and its front matter.
fn document(doc: &Document) -> u64 {
    fingerprint::of(&(&doc.file, doc.text.get(..doc.body_start)))
}

/// Every figure of one item. Each field is named, so a new one cannot be
/// left out without a compile error.
pub(crate) fn computed(computed: &Computed) -> u64 {
    use crate::words::Choice;
    let Computed {
        score,
        rank,
        value,
        value_per_effort,
        validation,
        validation_derived,
        stale,
        overdue,
        days_left,
        evidence_weight,
        covered_by,
        cover,
        tested_by,
        advanced_by,
        vision_effort,
        elsewhere,
        inbound,
    } = computed;
    let bits = |x: &Option<f64>| x.map(f64::to_bits);
    let covered: Vec<(usize, &str)> = covered_by.iter().map(|&(s, how)| (s, how.as_str())).collect();
    fingerprint::of(&(
        (bits(score), rank, bits(value), bits(value_per_effort)),
        (validation.map(|v| v.as_str()), validation_derived, stale, overdue, days_left, evidence_weight),
        (covered, cover.map(|c| c.as_str()), tested_by, advanced_by, vision_effort.to_bits()),
        (elsewhere, inbound),
    ))
}

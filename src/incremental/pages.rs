//! The key of a page: the fingerprint of its declared inputs
//! ([`PageInputs`]). Every field is destructured, so a new input cannot be
//! left out of the key without a compile error.

use super::fingerprint;
use super::keys::SiteKeys;
use super::memo::{Known, address, fingerprint_value};
use super::shown::ShownKeys;
use super::views::ViewKeys;
use crate::render::Spec;
use crate::render::inputs::{Body, Figures, PageInputs, Shows, Time, Whole};

/// The key of a page made from `inputs`, from fingerprints already at hand
/// (`keys` of the model, `views`' fingerprints), so an unchanged page
/// costs a few hashes, not a context.
pub(crate) fn key(inputs: &PageInputs, keys: &SiteKeys, views: &ViewKeys, shown: &ShownKeys) -> u64 {
    let PageInputs { spec, root, base, shows } = inputs;
    // `depth` is what `root` is made from.
    let Spec { template, path, depth: _, title, section, url } = spec;
    let page = (template, path, root, title, url, section);
    let made_of = match shows {
        Shows::Item { view, body, timeline } => {
            // The body's key covers its text, its links' targets and how it renders.
            let Body { site: _, index, markdown: _ } = body;
            let shows = fingerprint::of(&(view_key(view, &views.known), view_key(timeline, shown.timelines())));
            (0, shows, keys.bodies[*index])
        }
        Shows::List { listing, page, views: _, bars: _, figures } => {
            // A listing's key covers its filter bar; the views it shows are
            // covered by their fingerprints (`views`, not walked again).
            (2, shown.listing_page(listing, views, *page), figures_key(figures, listing, *page, shown))
        }
        // Made from the model's whole structure (and the views, made from it too).
        Shows::Roadmap(Whole { site: _, shown: _ }) | Shows::NotFound => (1, keys.structure, 0),
        // The dashboard and the changes pages show the past reviews too (the
        // work tree's state is the model's, in `structure`); which comparison
        // a changes page shows is in its path.
        Shows::Dashboard(Whole { site: _, shown: _ }, Time { history: _, comparisons: _, pages: _ }) => {
            (3, keys.structure, keys.history)
        }
        Shows::Changes { site: _, time: Time { history: _, comparisons: _, pages: _ }, current } => {
            (4, keys.structure, fingerprint::of(&(keys.history, current)))
        }
        // Made from the teams' reduced values alone (which org page is in its path).
        Shows::Org { portfolio: _, page: _ } => (5, keys.portfolio, 0),
    };
    fingerprint::of(&(base.1, page, made_of))
}

/// The key of the base context every page starts from: its values and the
/// theme's key, computed once a run.
pub(crate) fn base_key(values: &[(&str, &tera::Value)], theme: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = fingerprint::hasher();
    theme.hash(&mut h);
    for (key, value) in values {
        key.hash(&mut h);
        let _ = serde_json::to_writer(super::memo::HashWriter(&mut h), value);
    }
    h.finish()
}

/// A view's fingerprint, known by its address (each view is walked once a run).
fn view_key(view: &tera::Value, known: &Known) -> u64 {
    match address(view).and_then(|a| known.get(&a)) {
        Some(&key) => key,
        None => fingerprint_value(view, known),
    }
}

/// What a list page's figures add to its key.
fn figures_key(figures: &Figures, listing: &crate::render::listing::Listing, page: usize, shown: &ShownKeys) -> u64 {
    match figures {
        Figures::Nothing => 0,
        Figures::Coverage(coverage) => shown.coverage(coverage, &listing.order[listing.bounds(page)]),
        Figures::Discovery { hours, quarters, methods } => {
            let known = Known::default();
            let each = [hours, quarters, methods].map(|v| fingerprint_value(v, &known));
            fingerprint::of(&each)
        }
        Figures::Sparklines(sparklines) => fingerprint_value(sparklines, &Known::default()),
        Figures::PlannedEffort(effort) => effort.to_bits(),
    }
}

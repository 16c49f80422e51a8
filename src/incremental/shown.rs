//! The keys of what list pages show of the model (render's `Shown`): each
//! listing's, the filter bars' and the coverage matrix's, computed once when
//! `Shown` is built and kept with it, from the public content of each.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::fingerprint;
use super::memo::{Known, address, fingerprint_value};
use super::views::ViewKeys;
use crate::model::{Choice, Kind};
use crate::render::insight::{Bars, Coverage};
use crate::render::listing::{Groups, Listing};

/// Keys of the listings (by first page's URL, which is unique) and of the
/// coverage matrix's columns.
pub(crate) struct ShownKeys {
    listings: HashMap<String, u64>,
    columns: u64,
    /// The fingerprints of the items' timelines, by address.
    timelines: Known,
}

impl ShownKeys {
    pub(crate) fn new(listings: &[Listing], bars: &Bars, coverage: &Coverage, timelines: &[tera::Value]) -> ShownKeys {
        let known = Known::default();
        let bars_of: HashMap<&str, u64> = Kind::ALL.iter().map(|kind| (kind.as_str(), bars_key(bars, *kind))).collect();
        let listings = listings
            .iter()
            .map(|l| {
                let key = match &l.groups {
                    Groups::Values(values) => {
                        let each: Vec<u64> = values.iter().map(|v| fingerprint_value(v, &known)).collect();
                        let about = fingerprint_value(&l.about, &known);
                        fingerprint::of(&(l.kind.as_str(), &l.title, &l.url, l.per_page(), about, each))
                    }
                    groups => {
                        // A listing shows its filter bar: the kind's bars and, on a filtered page, its own option.
                        let kind_bars = bars_of.get(l.kind.as_str()).copied().unwrap_or_default();
                        let nav = (kind_bars, l.current, l.current.and_then(|c| bars.current(c)));
                        let mut h = fingerprint::hasher();
                        (l.kind.as_str(), &l.title, &l.url, l.total, l.order.len(), l.per_page()).hash(&mut h);
                        fingerprint::of(&nav).hash(&mut h);
                        match groups {
                            Groups::None | Groups::Values(_) => {}
                            Groups::Buckets { buckets, .. } => buckets.hash(&mut h),
                            Groups::Columns(totals) => totals.hash(&mut h),
                        }
                        h.finish()
                    }
                };
                (l.url.clone(), key)
            })
            .collect();
        let columns: Vec<u64> = coverage.columns().iter().map(|c| fingerprint_value(c, &known)).collect();
        let timelines = timelines.iter().filter_map(|t| Some((address(t)?, fingerprint_value(t, &known)))).collect();
        ShownKeys { listings, columns: fingerprint::of(&columns), timelines }
    }

    /// The fingerprints of the items' timelines, by address: an item page's
    /// key hashes a number instead of walking its timeline again.
    pub(crate) fn timelines(&self) -> &Known {
        &self.timelines
    }

    /// The key of everything page `number` of `listing` shows: the list's
    /// own figures, and each shown item's view and place in its group. With
    /// the figures a kind's page adds, it is the page's whole input.
    pub(crate) fn listing_page(&self, listing: &Listing, views: &ViewKeys, number: usize) -> u64 {
        let mut h = fingerprint::hasher();
        let own = self.listings.get(&listing.url).copied().unwrap_or_default();
        (own, number, listing.pages()).hash(&mut h);
        if let Groups::Values(_) = listing.groups {
            // The listing's key covers every value.
            return h.finish();
        }
        for shown in listing.column_bounds(number) {
            for &i in &listing.order[shown.clone()] {
                (views.fingerprints[i], views.ref_fingerprints[i]).hash(&mut h);
            }
            if let Groups::Buckets { place, .. } = &listing.groups {
                place[shown].hash(&mut h);
            }
        }
        h.finish()
    }

    /// The key of what the coverage matrix shows for `solutions` (their short
    /// views aside: the page's key has those).
    pub(crate) fn coverage(&self, coverage: &Coverage, solutions: &[usize]) -> u64 {
        let mut h = fingerprint::hasher();
        self.columns.hash(&mut h);
        for &s in solutions {
            for (b, ways) in coverage.row(s) {
                (b, ways.counts()).hash(&mut h);
            }
            usize::MAX.hash(&mut h);
        }
        h.finish()
    }
}

/// The key of a kind's filter bars: each facet's values and the options it shows.
fn bars_key(bars: &Bars, kind: Kind) -> u64 {
    let known = Known::default();
    let mut h = fingerprint::hasher();
    for (facet, all, shown) in bars.facets_of(kind) {
        (facet, &all, shown).hash(&mut h);
        for &i in shown {
            bars.option(i).map(|o| fingerprint_value(o, &known)).hash(&mut h);
        }
    }
    h.finish()
}

//! The item views' keys: each view's fingerprint, and the reuse of the
//! views of an earlier run whose inputs are unchanged.

use std::collections::HashMap;

use rayon::prelude::*;
use tera::Value;

use super::fingerprint;
use super::memo::{Known, address, fingerprint_value};
use crate::model::Site;
use crate::render::view::{self, Views};

/// What the views of one run were made from, and their fingerprints.
pub struct ViewKeys {
    /// Per item, the fingerprint of its full view.
    pub fingerprints: Vec<u64>,
    /// Per item, the fingerprint of its short view.
    pub ref_fingerprints: Vec<u64>,
    /// Fingerprints of every ref and full view, by address: a page showing
    /// a view hashes a number instead of walking the view again.
    pub known: Known,
    /// Item indices by their own inputs (file, front matter, labels,
    /// figures: all a short view shows), and by all a full view is made from
    /// (its own inputs and the short view of every item it links to or is
    /// linked from): the next run reuses a view whose inputs are unchanged.
    by_own_input: HashMap<u64, usize>,
    by_input: HashMap<u64, usize>,
}

/// The views of every item, reusing those of `previous` (an earlier run's)
/// whose inputs are unchanged. `own_input`: per item, [`super::keys::SiteKeys::own_inputs`].
/// A view reads only its item, its figures and the short views of the items
/// in its links and backlinks (see `render::view::full`): that is what its
/// input covers.
pub fn build(site: &Site, own_input: &[u64], previous: Option<(&Views, &ViewKeys)>) -> (Views, ViewKeys) {
    let reuse = |map: fn(&ViewKeys) -> &HashMap<u64, usize>, key: u64| {
        previous.and_then(|(views, keys)| Some((views, keys, *map(keys).get(&key)?)))
    };
    let (refs, ref_fingerprints): (Vec<Value>, Vec<u64>) = (0..site.items.len())
        .into_par_iter()
        .map(|i| match reuse(|k| &k.by_own_input, own_input[i]) {
            Some((views, keys, old)) => (views.refs[old].clone(), keys.ref_fingerprints[old]),
            None => {
                let value = view::reference(&site.items[i], &site.computed[i]);
                let fingerprint = fingerprint_value(&value, &Known::default());
                (value, fingerprint)
            }
        })
        .unzip();
    // A neighbour's edit that leaves its short view as it was (its summary)
    // leaves this view's input as it was too.
    let input: Vec<u64> = (0..site.items.len())
        .into_par_iter()
        .map(|i| {
            let around = |list: &[usize]| list.iter().map(|&j| ref_fingerprints[j]).collect::<Vec<u64>>();
            fingerprint::of(&(own_input[i], around(&site.links[i]), around(&site.backlinks[i])))
        })
        .collect();
    let mut known: Known = by_address(&refs, &ref_fingerprints);
    let (items, fingerprints): (Vec<Value>, Vec<u64>) = (0..site.items.len())
        .into_par_iter()
        .map(|i| match reuse(|k| &k.by_input, input[i]) {
            Some((views, keys, old)) => (views.items[old].clone(), keys.fingerprints[old]),
            None => {
                let value = view::full(site, &refs, i);
                let fingerprint = fingerprint_value(&value, &known);
                (value, fingerprint)
            }
        })
        .unzip();
    known.extend(by_address(&items, &fingerprints));
    let index = |keys: Vec<u64>| keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
    let keys = ViewKeys {
        fingerprints,
        ref_fingerprints,
        known,
        by_own_input: index(own_input.to_vec()),
        by_input: index(input),
    };
    (Views { refs, items }, keys)
}

/// Fingerprints of `values`, by address.
fn by_address(values: &[Value], fingerprints: &[u64]) -> Known {
    values.iter().zip(fingerprints).filter_map(|(v, &f)| Some((address(v)?, f))).collect()
}

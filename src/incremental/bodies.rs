//! The body memo: each body's outline kept between runs, by everything it is
//! read from, behind the model's [`BodyReader`] seam.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::fingerprint;
use crate::markdown::{Mode, RenderedBody};
use crate::model::bodies::{Bodies, BodyReader};
use crate::model::{Item, depth_of};

/// Body outlines by a key of all they depend on: the body text, the page
/// depth, the file, the mode, `unsafe_html`, every id, title and file a
/// link could resolve to, and the other teams' sites a `[[team:id]]` links to. The same key also says a body's HTML is unchanged.
#[derive(Default)]
pub(crate) struct OutlineMemo {
    map: Mutex<HashMap<u64, Arc<RenderedBody>>>,
    /// The last run's key per body, in item order.
    keys: Mutex<Vec<u64>>,
}

/// An [`OutlineMemo`] read in one mode: the reader one run gives the model.
pub(crate) struct Reader<'a> {
    memo: &'a OutlineMemo,
    mode: Mode,
    /// Keep this run's outlines for the next (only runs whose pages are kept do).
    keep: bool,
}

impl OutlineMemo {
    /// A reader in `mode`, reusing kept outlines; `keep`: keep this run's for the next.
    pub(crate) fn reader(&self, mode: Mode, keep: bool) -> Reader<'_> {
        Reader { memo: self, mode, keep }
    }

    /// The keys of the bodies the last run read, in item order.
    pub(crate) fn take_keys(&self) -> Vec<u64> {
        std::mem::take(&mut *self.keys.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A hash of what any link in any body could resolve to: when a title, id or
/// file name changes, every kept body is stale.
fn link_table(items: &[Item]) -> u64 {
    let mut h = fingerprint::hasher();
    for item in items {
        (&item.id, item.kind, &item.title, &item.file).hash(&mut h);
    }
    h.finish()
}

impl BodyReader for Reader<'_> {
    fn read_all(&self, bodies: &Bodies<'_>) -> Vec<Arc<RenderedBody>> {
        let table = link_table(bodies.items());
        // Hashed once a run, not once a body: a neighbour's items may be thousands.
        let teams = fingerprint::of(bodies.teams());
        let previous = self.keep.then(|| std::mem::take(&mut *self.memo.map.lock().unwrap_or_else(|p| p.into_inner())));
        let read: Vec<(u64, Arc<RenderedBody>)> = bodies
            .items()
            .par_iter()
            .enumerate()
            .map(|(i, item)| {
                let key = fingerprint::of(&(
                    bodies.text(i),
                    depth_of(item.kind),
                    &item.file,
                    self.mode,
                    bodies.unsafe_html(),
                    table,
                    teams,
                ));
                if let Some(hit) = previous.as_ref().and_then(|p| p.get(&key)) {
                    return (key, Arc::clone(hit));
                }
                (key, Arc::new(bodies.read(i, self.mode)))
            })
            .collect();
        if self.keep {
            let kept = read.iter().map(|(k, b)| (*k, Arc::clone(b))).collect();
            *self.memo.map.lock().unwrap_or_else(|p| p.into_inner()) = kept;
        }
        let (keys, read): (Vec<u64>, Vec<Arc<RenderedBody>>) = read.into_iter().unzip();
        *self.memo.keys.lock().unwrap_or_else(|p| p.into_inner()) = keys;
        read
    }
}

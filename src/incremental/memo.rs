//! Page memo for `serve`: a page whose inputs are exactly as in the previous
//! run is not rendered again. Each page's key is a fingerprint of all it is
//! made from, taken from fingerprints the earlier stages already hold: an
//! item page is its item's view and body; a list page is its list's figures
//! and the views it shows; the dashboard and roadmap are the site's structure
//! (everything but body prose). No dependency graph between items: just "same
//! inputs, same bytes". The one rule to keep: a page's template reads only
//! what its key covers (see `page_key` in the render module).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::{Context, Value};

use super::fingerprint::{Fingerprinter, hasher};

/// Fingerprints of values already hashed this run, by the address of their
/// shared map: an item's view appears on many pages but is walked once.
/// Addresses are only looked up while the values are alive, so an address
/// always names the same value.
pub type Known = HashMap<usize, u64, foldhash::fast::RandomState>;

/// The address a map value is known by in [`Known`].
pub fn address(value: &Value) -> Option<usize> {
    value.as_map().map(|m| std::ptr::from_ref(m) as usize)
}

/// A page's template context, optionally fingerprinting everything put into
/// it: when the site's structure changed, a list page whose context is still
/// the same need not be rendered again.
pub struct PageContext<'a> {
    pub(crate) ctx: Context,
    hasher: Option<Fingerprinter>,
    known: &'a Known,
}

impl<'a> PageContext<'a> {
    /// Starts from a base context whose own fingerprint is `base`; with
    /// `known`, fingerprints what is inserted.
    pub fn new(ctx: Context, base: u64, known: Option<&'a Known>) -> PageContext<'a> {
        static NONE: std::sync::LazyLock<Known> = std::sync::LazyLock::new(Known::default);
        let hasher = known.map(|_| {
            let mut h = hasher();
            base.hash(&mut h);
            h
        });
        PageContext { ctx, hasher, known: known.unwrap_or(&NONE) }
    }

    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        if let Some(h) = self.hasher.as_mut() {
            key.hash(h);
            hash_value(&value, h, self.known);
        }
        self.ctx.insert_value(key, value);
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(h) = self.hasher.as_mut() {
            key.hash(h);
            // Serializing a template value cannot fail; if it ever did, the
            // fingerprint would only be less specific, never wrong.
            let _ = serde_json::to_writer(HashWriter(h), value);
        }
        self.ctx.insert(key, value);
    }

    /// The key of the template name and everything inserted, if kept.
    pub fn key(&self, template: &str) -> Option<u64> {
        let mut h = self.hasher.clone()?;
        template.hash(&mut h);
        Some(h.finish())
    }
}

/// Feeds serialized bytes straight into a hasher.
pub(super) struct HashWriter<'a>(pub(super) &'a mut Fingerprinter);

impl io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Hashes a template value by walking it: no text is escaped or formatted,
/// which makes fingerprinting a page much cheaper than serialising it. Maps
/// in `known` contribute their stored fingerprint instead of being walked.
pub fn hash_value(value: &Value, h: &mut Fingerprinter, known: &Known) {
    use tera::value::ValueKind;
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(h);
    match kind {
        ValueKind::String => {
            value.as_str().hash(h);
            value.is_safe().hash(h);
        }
        ValueKind::Bool => value.as_bool().hash(h),
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            items.len().hash(h);
            items.iter().for_each(|v| hash_value(v, h, known));
        }
        ValueKind::Map => {
            if let Some(fingerprint) = address(value).and_then(|a| known.get(&a)) {
                fingerprint.hash(h);
                return;
            }
            let map = value.as_map();
            map.map_or(0, |m| m.len()).hash(h);
            for (key, v) in map.into_iter().flatten() {
                key.hash(h);
                hash_value(v, h, known);
            }
        }
        ValueKind::Bytes => value.as_bytes().hash(h),
        ValueKind::Undefined | ValueKind::None => {}
        // Numbers (and any kind added later): their text is exact and short.
        _ => value.to_string().hash(h),
    }
}

/// The fingerprint of one value (see [`hash_value`]).
pub fn fingerprint_value(value: &Value, known: &Known) -> u64 {
    let mut h = hasher();
    hash_value(value, &mut h, known);
    h.finish()
}

/// A rendered page as the memo keeps it.
#[derive(Clone)]
pub struct Memoised {
    /// The fingerprint of what the page is made from (see `page_key`).
    pub key: u64,
    /// The fingerprint of its whole template context, when one was taken.
    pub context: Option<u64>,
    pub bytes: bytes::Bytes,
    /// Whether the run that kept it rendered it through its template, rather
    /// than reusing an earlier run's bytes.
    pub rendered: bool,
}

/// Rendered pages by output path.
pub type Rendered = HashMap<String, Memoised>;

/// Rendered pages of the previous run.
#[derive(Default)]
pub struct PageMemo {
    pages: Mutex<Rendered>,
    /// What the link check read from each page last time.
    pub scans: crate::render::links::ScanCache,
    /// The search index's entries, by the fingerprint of what each shows.
    pub search: Pieces,
    /// `items.json`'s items and the badges, by the fingerprint of what each shows.
    pub items_json: Pieces,
    pub badges: Pieces,
    /// What pages show of the model, for the site structure it was built from.
    pub shown: Slot<Arc<crate::render::Shown>>,
    /// The files made from the model alone (items.json, feeds, badges...).
    pub derived: Slot<Vec<crate::render::Page>>,
}

/// One value kept with the fingerprint of what it was made from.
pub struct Slot<T>(Mutex<Option<(u64, T)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(None))
    }
}

impl<T: Clone + Send + 'static> Slot<T> {
    /// The kept value if it was made from `key`, else `make`'s (kept in its place).
    pub fn get_or_make(&self, key: u64, make: impl FnOnce() -> T) -> T {
        self.get_or_remake(key, |_| make())
    }

    /// [`Slot::get_or_make`], where `make` may reuse parts of the value kept
    /// before (made from another key).
    pub fn get_or_remake(&self, key: u64, make: impl FnOnce(Option<&T>) -> T) -> T {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some((made_from, value)) if *made_from == key => value.clone(),
            _ => {
                let value = make(slot.as_ref().map(|(_, v)| v));
                // Freeing a whole site's views takes milliseconds: not while a
                // reload waits. A thread of its own, as a rayon task could be
                // picked up by a worker that a later `join` then waits for.
                if let Some(old) = slot.replace((key, value.clone())) {
                    std::thread::spawn(move || drop(old));
                }
                value
            }
        }
    }
}

/// Pieces of a whole-site file (one per item), by the fingerprint of all
/// each was made from: a rebuild remakes only the pieces of changed items.
#[derive(Default)]
pub struct Pieces {
    map: Mutex<HashMap<u64, Arc<str>>>,
}

impl Pieces {
    /// Piece `i` for every `i` below `count`, made by `make` unless a piece
    /// of the same `key` was kept from the previous run; keeps these for the next.
    pub fn make_all(
        memo: Option<&Pieces>,
        count: usize,
        key: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize) -> String + Sync,
    ) -> Vec<Arc<str>> {
        use rayon::prelude::*;
        let previous = memo.map(Pieces::take).unwrap_or_default();
        let pieces: Vec<(u64, Arc<str>)> = (0..count)
            .into_par_iter()
            .map(|i| {
                let key = key(i);
                match previous.get(&key) {
                    Some(kept) => (key, Arc::clone(kept)),
                    None => (key, Arc::from(make(i))),
                }
            })
            .collect();
        // Pieces kept are shared, so dropping the rest is cheap.
        drop(previous);
        let out = pieces.iter().map(|(_, piece)| Arc::clone(piece)).collect();
        if let Some(memo) = memo {
            memo.store(pieces.into_iter().collect());
        }
        out
    }

    pub fn take(&self) -> HashMap<u64, Arc<str>> {
        std::mem::take(&mut *self.map.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn store(&self, pieces: HashMap<u64, Arc<str>>) {
        *self.map.lock().unwrap_or_else(|p| p.into_inner()) = pieces;
    }
}

impl PageMemo {
    /// Takes the previous run's pages; [`PageMemo::store`] puts this run's back.
    pub fn take(&self) -> Rendered {
        std::mem::take(&mut *self.pages.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn store(&self, pages: Rendered) {
        *self.pages.lock().unwrap_or_else(|p| p.into_inner()) = pages;
    }

    /// The pages the last run rendered through their templates (the others
    /// it reused), sorted: what an edit cost, for timings and tests.
    pub fn rendered(&self) -> Vec<String> {
        let pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<String> = pages.iter().filter(|(_, m)| m.rendered).map(|(path, _)| path.clone()).collect();
        out.sort_unstable();
        out
    }
}

//! Page memo for `serve`: a page whose template and context are exactly as in
//! the previous run is not rendered again. The key is a hash of everything
//! the page is made from, so a missed dependency is impossible by
//! construction: no dependency graph, just "same input, same bytes".

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::{Context, Value};

/// A template context that remembers a hash of everything put into it.
pub struct PageContext {
    pub(crate) ctx: Context,
    hasher: DefaultHasher,
}

/// Feeds serialized bytes straight into a hasher.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl PageContext {
    /// Starts from a base context whose own fingerprint is `base`.
    pub fn new(ctx: Context, base: u64) -> PageContext {
        let mut hasher = DefaultHasher::new();
        base.hash(&mut hasher);
        PageContext { ctx, hasher }
    }

    fn absorb(&mut self, key: &str, value: &impl Serialize) {
        key.hash(&mut self.hasher);
        // Serializing a template value cannot fail; if it ever did, the key
        // would only be less specific for this page, never wrong for others.
        let _ = serde_json::to_writer(HashWriter(&mut self.hasher), value);
    }

    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        key.hash(&mut self.hasher);
        hash_value(&value, &mut self.hasher);
        self.ctx.insert_value(key, value);
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.absorb(key, &value);
        self.ctx.insert(key, value);
    }

    /// The hash of the template name and everything inserted.
    pub fn fingerprint(&self, template: &str) -> u64 {
        let mut h = self.hasher.clone();
        template.hash(&mut h);
        h.finish()
    }
}

/// Hashes a template value by walking it: no text is escaped or formatted,
/// which makes fingerprinting a page much cheaper than serialising it.
fn hash_value(value: &Value, h: &mut DefaultHasher) {
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
            items.iter().for_each(|v| hash_value(v, h));
        }
        ValueKind::Map => {
            let map = value.as_map();
            map.map_or(0, |m| m.len()).hash(h);
            for (key, v) in map.into_iter().flatten() {
                key.hash(h);
                hash_value(v, h);
            }
        }
        ValueKind::Bytes => value.as_bytes().hash(h),
        ValueKind::Undefined | ValueKind::None => {}
        // Numbers (and any kind added later): their text is exact and short.
        _ => value.to_string().hash(h),
    }
}

/// Hash of a base context's values, computed once per run.
pub fn fingerprint_of(values: &[(&str, &Value)], theme: u64) -> u64 {
    let mut h = DefaultHasher::new();
    theme.hash(&mut h);
    for (key, value) in values {
        key.hash(&mut h);
        let _ = serde_json::to_writer(HashWriter(&mut h), value);
    }
    h.finish()
}

/// Rendered pages by output path, with the fingerprint they were rendered from.
pub type Rendered = HashMap<String, (u64, Arc<Vec<u8>>)>;

/// Rendered pages of the previous run.
#[derive(Default)]
pub struct PageMemo {
    pages: Mutex<Rendered>,
    /// What the link check read from each page last time.
    pub scans: super::links::ScanCache,
}

impl PageMemo {
    /// Takes the previous run's pages; [`PageMemo::store`] puts this run's back.
    pub fn take(&self) -> Rendered {
        std::mem::take(&mut *self.pages.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn store(&self, pages: Rendered) {
        *self.pages.lock().unwrap_or_else(|p| p.into_inner()) = pages;
    }
}

//! Fingerprints: fast, well-mixed 64-bit hashes of what a cached result was
//! made from. The caches of `serve` (bodies, pages, link scans) compare
//! fingerprints to skip work whose inputs did not change.

use std::hash::{BuildHasher, Hash, Hasher};

/// The hasher behind every fingerprint: fixed seed, so a fingerprint means the
/// same thing for the whole life of a process.
pub type Fingerprinter = foldhash::quality::FoldHasher<'static>;

pub fn hasher() -> Fingerprinter {
    foldhash::quality::FixedState::with_seed(0x6368_6172_7465_6421).build_hasher()
}

/// The fingerprint of one hashable value.
pub fn of(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_inputs_equal_fingerprints() {
        assert_eq!(super::of(&("body", 2u8)), super::of(&("body", 2u8)));
        assert_ne!(super::of(&("body", 2u8)), super::of(&("body", 3u8)));
    }
}

//! The site `serve` holds in memory and answers requests from: output path →
//! bytes, swapped whole after each rebuild, with what a rebuild changed.

use crate::render::Page;

/// The site held in memory, for `serve`: output path → bytes. Updating it
/// builds a new value, so readers keep a consistent site until it is swapped in.
#[derive(Debug, Clone, Default)]
pub struct MemorySite {
    files: std::collections::HashMap<String, bytes::Bytes>,
}

/// What an update changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changes {
    /// Files new or with different bytes.
    pub written: usize,
    /// Files that are gone.
    pub removed: usize,
    /// Whether every written file was a stylesheet.
    pub only_css: bool,
}

impl MemorySite {
    pub fn get(&self, path: &str) -> Option<&bytes::Bytes> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every file, sorted by path.
    pub fn files(&self) -> Vec<(&str, &bytes::Bytes)> {
        let mut files: Vec<_> = self.files.iter().map(|(p, b)| (p.as_str(), b)).collect();
        files.sort_by_key(|(p, _)| *p);
        files
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The site made of `pages`, and how it differs from this one.
    /// `unchanged`: pages known to be as this site has them (see [`crate::Run::unchanged`]).
    pub fn update(&self, pages: Vec<Page>, unchanged: &std::collections::HashSet<String>) -> (MemorySite, Changes) {
        let mut changes = Changes { only_css: true, ..Changes::default() };
        let mut files = std::collections::HashMap::with_capacity(pages.len());
        for page in pages {
            let same = |old: &&bytes::Bytes| unchanged.contains(&page.path) || **old == page.bytes;
            let bytes = match self.files.get(&page.path).filter(same) {
                Some(old) => old.clone(),
                None => {
                    changes.written += 1;
                    changes.only_css &= page.path.ends_with(".css");
                    page.bytes
                }
            };
            files.insert(page.path, bytes);
        }
        changes.removed = self.files.keys().filter(|k| !files.contains_key(*k)).count();
        changes.only_css &= changes.removed == 0 && changes.written > 0;
        (MemorySite { files }, changes)
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn counts_only_real_changes() {
        let (site, first) =
            MemorySite::default().update(vec![page("a.html", "a"), page("s.css", "x")], &Default::default());
        assert_eq!(first.written, 2);
        let (site, same) = site.update(vec![page("a.html", "a"), page("s.css", "x")], &Default::default());
        assert_eq!(same, Changes { written: 0, removed: 0, only_css: false });
        let (site, css) = site.update(vec![page("a.html", "a"), page("s.css", "y")], &Default::default());
        assert_eq!(css, Changes { written: 1, removed: 0, only_css: true });
        let (site, gone) = site.update(vec![page("s.css", "y")], &Default::default());
        assert_eq!(gone, Changes { written: 0, removed: 1, only_css: false });
        assert_eq!(site.get("s.css").unwrap().as_ref(), b"y");
    }
}

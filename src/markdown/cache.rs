//! The highlight cache: highlighted code blocks kept on disk between builds,
//! by a fingerprint of the code and its language, so a warm build skips
//! syntax highlighting (most of a cold build's time). One pack file per
//! cache folder; each build writes a new pack holding just the blocks it
//! used, so the cache never grows past one site's worth.
//!
//! A pack is a header line naming the highlighter that wrote it, then records of
//! (key, length, checksum, HTML). A record that is cut short or fails its
//! checksum is ignored and highlighted again: a damaged cache costs time,
//! never a wrong page.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

const PACK: &str = "highlight.pack";
/// Entries are valid only for the highlighter that wrote them: the same
/// highlighting code and the same syntax and theme crates (`Cargo.lock`).
fn header() -> String {
    let made_by = crate::fingerprint::of(&(include_str!("highlight.rs"), include_str!("../../Cargo.lock")));
    format!("charted highlight cache 1 {} {made_by:016x}\n", env!("CARGO_PKG_VERSION"))
}
/// Blocks larger than this are not cached (they are not highlighted either).
const MAX_ENTRY: usize = 1 << 24;

/// Where the cache lives: `CHARTED_CACHE_DIR` (empty turns the cache off),
/// else `$XDG_CACHE_HOME/charted`, else `~/.cache/charted`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CHARTED_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let xdg = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()).map(PathBuf::from);
    let home = || std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| PathBuf::from(h).join(".cache"));
    xdg.or_else(home).map(|d| d.join("charted"))
}

/// An open cache: the previous pack to read from, and the next one being written.
pub struct HighlightCache {
    dir: PathBuf,
    previous: Option<Previous>,
    next: Mutex<Next>,
    tmp: PathBuf,
}

struct Previous {
    file: Mutex<File>,
    /// Key → (offset, length, checksum) of the HTML.
    index: HashMap<u64, (u64, u32, u64)>,
}

struct Next {
    out: Option<BufWriter<File>>,
    written: HashSet<u64>,
}

impl HighlightCache {
    /// Opens the cache in `dir`, creating it. `None` when the folder cannot be
    /// made or written: the build then simply highlights everything.
    pub fn open(dir: &Path) -> Option<HighlightCache> {
        fs::create_dir_all(dir).ok()?;
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{PACK}.{}.{id}.tmp", std::process::id()));
        let mut out = BufWriter::new(File::create(&tmp).ok()?);
        out.write_all(header().as_bytes()).ok()?;
        let previous = read_index(&dir.join(PACK));
        Some(HighlightCache {
            dir: dir.to_path_buf(),
            previous,
            next: Mutex::new(Next { out: Some(out), written: HashSet::new() }),
            tmp,
        })
    }

    /// The highlighted HTML of `code` in `lang`, from the cache or from `make`.
    pub fn get_or_make(&self, code: &str, lang: &str, make: impl FnOnce() -> String) -> String {
        let key = crate::fingerprint::of(&(lang, code));
        let html = self.read(key).unwrap_or_else(make);
        self.remember(key, &html);
        html
    }

    fn read(&self, key: u64) -> Option<String> {
        let previous = self.previous.as_ref()?;
        let &(offset, len, checksum) = previous.index.get(&key)?;
        let mut bytes = vec![0; len as usize];
        {
            let mut file = previous.file.lock().unwrap_or_else(|p| p.into_inner());
            file.seek(SeekFrom::Start(offset)).ok()?;
            file.read_exact(&mut bytes).ok()?;
        }
        let html = String::from_utf8(bytes).ok()?;
        (crate::fingerprint::of(&html) == checksum).then_some(html)
    }

    fn remember(&self, key: u64, html: &str) {
        if html.len() > MAX_ENTRY {
            return;
        }
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        if !next.written.insert(key) {
            return;
        }
        let checksum = crate::fingerprint::of(&html);
        let record = |out: &mut BufWriter<File>| -> io::Result<()> {
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&(html.len() as u32).to_le_bytes())?;
            out.write_all(&checksum.to_le_bytes())?;
            out.write_all(html.as_bytes())
        };
        if let Some(out) = next.out.as_mut()
            && record(out).is_err()
        {
            // A full disk or a vanished folder: stop caching, keep building.
            next.out = None;
        }
    }

    /// Makes the pack written this run the cache's pack.
    pub fn save(self) -> io::Result<()> {
        let out = self.next.lock().unwrap_or_else(|p| p.into_inner()).out.take();
        match out {
            Some(out) => {
                out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
                fs::rename(&self.tmp, self.dir.join(PACK))
            }
            None => Err(io::Error::other("the highlight cache could not be written")),
        }
    }
}

impl std::fmt::Debug for HighlightCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HighlightCache").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Drop for HighlightCache {
    fn drop(&mut self) {
        // Saved: renamed away already. Not saved: a partial pack nobody reads.
        let _ = fs::remove_file(&self.tmp);
    }
}

/// The records of a pack, by key; `None` when there is no usable pack.
fn read_index(path: &Path) -> Option<Previous> {
    let file = File::open(path).ok()?;
    let mut reader = BufReader::new(file.try_clone().ok()?);
    let expected = header();
    let mut found = vec![0; expected.len()];
    reader.read_exact(&mut found).ok()?;
    if found != expected.as_bytes() {
        return None;
    }
    let mut index = HashMap::new();
    let mut offset = expected.len() as u64;
    let mut head = [0u8; 20];
    while reader.read_exact(&mut head).is_ok() {
        let key = u64::from_le_bytes(head[..8].try_into().ok()?);
        let len = u32::from_le_bytes(head[8..12].try_into().ok()?);
        let checksum = u64::from_le_bytes(head[12..].try_into().ok()?);
        offset += 20;
        if reader.seek_relative(i64::from(len)).is_err() {
            break;
        }
        index.insert(key, (offset, len, checksum));
        offset += u64::from(len);
    }
    // A record cut short at the end fails its read (or checksum) and is made again.
    Some(Previous { file: Mutex::new(file), index })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_block_is_read_back_and_a_damaged_one_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HighlightCache::open(dir.path()).unwrap();
        assert_eq!(cache.get_or_make("let x = 1;", "rust", || "<span>first</span>".into()), "<span>first</span>");
        cache.save().unwrap();

        let cache = HighlightCache::open(dir.path()).unwrap();
        let made = cache.get_or_make("let x = 1;", "rust", || unreachable!("cached"));
        assert_eq!(made, "<span>first</span>");
        // Another language is another block.
        assert_eq!(cache.get_or_make("let x = 1;", "yaml", || "plain".into()), "plain");
        cache.save().unwrap();

        // Flip one byte of the stored HTML: the checksum catches it.
        let pack = dir.path().join(PACK);
        let mut bytes = fs::read(&pack).unwrap();
        let at = bytes.windows(5).position(|w| w == b"first").unwrap();
        bytes[at] = b'F';
        fs::write(&pack, &bytes).unwrap();
        let cache = HighlightCache::open(dir.path()).unwrap();
        assert_eq!(cache.get_or_make("let x = 1;", "rust", || "again".into()), "again");

        // A pack cut short, or from another version, is no pack.
        fs::write(&pack, &bytes[..bytes.len() - 3]).unwrap();
        let cache = HighlightCache::open(dir.path()).unwrap();
        assert_eq!(cache.get_or_make("let x = 1;", "yaml", || "remade".into()), "remade");
        fs::write(&pack, b"charted highlight cache 0 0.0.0\n").unwrap();
        assert!(HighlightCache::open(dir.path()).unwrap().previous.is_none());
    }
}

//! The highlight cache: highlighted code blocks kept on disk between builds,
//! by a fingerprint of the code and its language, so a warm build skips
//! syntax highlighting (most of a cold build's time). One pack file per
//! site in the cache folder; each build writes a new pack holding just the
//! blocks it used, so a pack never grows past its site's worth, and building
//! one site never evicts another's blocks. A pack no build has written for
//! 30 days (a site moved or deleted) is removed.
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

/// Packs are named `highlight-<site>.pack`; anything so named is ours to prune.
const PACK_PREFIX: &str = "highlight";
const PACK_SUFFIX: &str = ".pack";
/// How long a pack no build wrote is kept.
const PRUNE_AFTER: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The pack of the site in `site`: named by its canonical path, so each site
/// (and each clone of one) keeps its own.
fn pack_name(site: &Path) -> String {
    let site = fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    format!("{PACK_PREFIX}-{:016x}{PACK_SUFFIX}", crate::incremental::fingerprint::of(&site))
}
/// Entries are valid only for the highlighter that wrote them: the same
/// highlighting code and the same syntax and theme crates (`Cargo.lock`).
fn header() -> String {
    let made_by =
        crate::incremental::fingerprint::of(&(include_str!("highlight.rs"), include_str!("../../Cargo.lock")));
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
    /// This site's pack, in `dir`.
    pack: String,
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
    /// Opens the cache of the site in `site`, in the cache folder `dir`
    /// (creating it). `None` when the folder cannot be made or written: the
    /// build then simply highlights everything.
    pub fn open(dir: &Path, site: &Path) -> Option<HighlightCache> {
        fs::create_dir_all(dir).ok()?;
        let pack = pack_name(site);
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{pack}.{}.{id}.tmp", std::process::id()));
        let mut out = BufWriter::new(File::create(&tmp).ok()?);
        out.write_all(header().as_bytes()).ok()?;
        let previous = read_index(&dir.join(&pack));
        Some(HighlightCache {
            dir: dir.to_path_buf(),
            pack,
            previous,
            next: Mutex::new(Next { out: Some(out), written: HashSet::new() }),
            tmp,
        })
    }

    /// The highlighted HTML of `code` in `lang`, from the cache or from `make`.
    pub fn get_or_make(&self, code: &str, lang: &str, make: impl FnOnce() -> String) -> String {
        let key = crate::incremental::fingerprint::of(&(lang, code));
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
        (crate::incremental::fingerprint::of(&html) == checksum).then_some(html)
    }

    fn remember(&self, key: u64, html: &str) {
        if html.len() > MAX_ENTRY {
            return;
        }
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        if !next.written.insert(key) {
            return;
        }
        let checksum = crate::incremental::fingerprint::of(&html);
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

    /// Makes the pack written this run the site's pack, and removes the packs
    /// of other sites that no build has written for [`PRUNE_AFTER`].
    pub fn save(self) -> io::Result<()> {
        let out = self.next.lock().unwrap_or_else(|p| p.into_inner()).out.take();
        match out {
            Some(out) => {
                out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
                fs::rename(&self.tmp, self.dir.join(&self.pack))?;
                prune(&self.dir, &self.pack);
                Ok(())
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

/// Removes the packs in `dir` but `keep` that were last written more than
/// [`PRUNE_AFTER`] ago. Best effort: a pack left behind only takes space.
fn prune(dir: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(PACK_PREFIX) && name.ends_with(PACK_SUFFIX);
        let old = || {
            entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > PRUNE_AFTER))
        };
        if ours && name != keep && old() {
            let _ = fs::remove_file(entry.path());
        }
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
        let site = tempfile::tempdir().unwrap();
        let open = || HighlightCache::open(dir.path(), site.path()).unwrap();
        let cache = open();
        assert_eq!(cache.get_or_make("let x = 1;", "rust", || "<span>first</span>".into()), "<span>first</span>");
        cache.save().unwrap();

        let cache = open();
        let made = cache.get_or_make("let x = 1;", "rust", || unreachable!("cached"));
        assert_eq!(made, "<span>first</span>");
        // Another language is another block.
        assert_eq!(cache.get_or_make("let x = 1;", "yaml", || "plain".into()), "plain");
        cache.save().unwrap();

        // Flip one byte of the stored HTML: the checksum catches it.
        let pack = dir.path().join(pack_name(site.path()));
        let mut bytes = fs::read(&pack).unwrap();
        let at = bytes.windows(5).position(|w| w == b"first").unwrap();
        bytes[at] = b'F';
        fs::write(&pack, &bytes).unwrap();
        let cache = open();
        assert_eq!(cache.get_or_make("let x = 1;", "rust", || "again".into()), "again");

        // A pack cut short, or from another version, is no pack.
        fs::write(&pack, &bytes[..bytes.len() - 3]).unwrap();
        let cache = open();
        assert_eq!(cache.get_or_make("let x = 1;", "yaml", || "remade".into()), "remade");
        fs::write(&pack, b"charted highlight cache 0 0.0.0\n").unwrap();
        assert!(open().previous.is_none());
    }

    #[test]
    fn each_site_keeps_its_own_pack_and_long_unused_packs_go() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let fill = |site: &Path, html: &str| {
            let cache = HighlightCache::open(dir.path(), site).unwrap();
            cache.get_or_make("x", "rust", || html.to_string());
            cache.save().unwrap();
        };
        fill(a.path(), "from a");
        fill(b.path(), "from b");
        // Building b did not evict a's blocks.
        let again = HighlightCache::open(dir.path(), a.path()).unwrap();
        assert_eq!(again.get_or_make("x", "rust", || unreachable!("a's pack is kept")), "from a");

        // A pack unwritten for longer than PRUNE_AFTER goes at the next save; a recent one stays.
        let stale = dir.path().join("highlight.pack");
        fs::write(&stale, b"an old pack").unwrap();
        let long_ago = std::time::SystemTime::now() - PRUNE_AFTER - std::time::Duration::from_secs(60);
        File::options().write(true).open(&stale).unwrap().set_modified(long_ago).unwrap();
        fill(a.path(), "from a");
        assert!(!stale.exists(), "the stale pack was pruned");
        assert!(dir.path().join(pack_name(b.path())).exists(), "b's recent pack stays");
        let other = dir.path().join("notes.txt");
        fs::write(&other, b"").unwrap();
        File::options().write(true).open(&other).unwrap().set_modified(long_ago).unwrap();
        fill(a.path(), "from a");
        assert!(other.exists(), "files that are not packs are left alone");
    }
}

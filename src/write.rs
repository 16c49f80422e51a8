//! Write: put rendered pages on disk. The site is written to a temporary
//! folder beside the output and swapped in whole, so a reader never sees a
//! half-written site and a failed build leaves the previous output as it was.
//!
//! Every folder charted writes holds a [`MARKER`] file. charted replaces an
//! output folder only when it is empty or carries the marker (or with
//! `--force`), and removes its two work folders beside the output
//! (`.NAME.charted-tmp`, `.NAME.charted-old`) only when they carry it too.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::Page;

/// The file that marks a folder as written by charted.
pub const MARKER: &str = ".charted-output";
const MARKER_TEXT: &str = "This folder is written by `charted build` and replaced whole on every build.\n";

/// Why an output folder may not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The path is a file, not a folder.
    IsAFile,
    /// A non-empty folder without the marker.
    NotCharted,
    /// A symbolic link that leads nowhere (or to itself).
    DanglingLink,
}

impl Refusal {
    pub fn explain(self) -> &'static str {
        match self {
            Refusal::IsAFile => "it is a file, not a folder; choose another --out or remove the file",
            Refusal::DanglingLink => {
                "it is a symbolic link to a folder that does not exist; create that folder, or remove the link"
            }
            Refusal::NotCharted => {
                "it is a folder with files that charted did not write; choose another --out, empty it, or pass --force to replace it"
            }
        }
    }
}

fn is_marked(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// Whether `out` may be replaced: it does not exist, is an empty folder, or
/// was written by charted. `force` allows any folder, never a file. `out`
/// is the real path (links resolved): a link left is one that leads nowhere.
pub fn check_target(out: &Path, force: bool) -> Result<(), Refusal> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    if meta.is_symlink() {
        return Err(Refusal::DanglingLink);
    }
    if !meta.is_dir() {
        return Err(Refusal::IsAFile);
    }
    let empty = fs::read_dir(out).map(|mut entries| entries.next().is_none()).unwrap_or(false);
    if empty || force || is_marked(out) { Ok(()) } else { Err(Refusal::NotCharted) }
}

/// Puts the previous output back if a build was interrupted between moving
/// it aside and moving the new one in.
pub fn recover(out: &Path) -> io::Result<()> {
    let old = sibling(out, "charted-old");
    if !out.exists() && is_marked(&old) {
        fs::rename(&old, out)?;
    }
    Ok(())
}

/// Removes a folder charted made, its marker last: killed midway, what is
/// left still carries the marker (or is empty), so the next run may remove it.
fn remove_marked(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Removes a work folder of a previous run, only if charted made it.
fn remove_work_folder(dir: &Path) -> io::Result<()> {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return Ok(());
    };
    let empty = meta.is_dir() && fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
    if empty {
        return fs::remove_dir(dir);
    }
    if !meta.is_dir() || !is_marked(dir) {
        return Err(io::Error::other(format!(
            "{} is in the way and was not made by charted; move it away",
            dir.display()
        )));
    }
    remove_marked(dir)
}

/// A sibling of `out` with a marker suffix, e.g. `.public.charted-tmp`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Writes every page into a fresh folder, then replaces `out` with it.
pub fn write_site(out: &Path, pages: &[Page]) -> io::Result<()> {
    let staging = Staging::new(out)?;
    staging.put_all(pages)?;
    staging.commit().map(|_| ())
}

/// The fresh folder beside the output that a build writes into, page by page
/// as they are rendered, so rendered pages need not all be held in memory.
/// [`Staging::commit`] swaps it in whole; dropped uncommitted (a failed
/// build), it is removed and the previous output stays as it was.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    folders: Mutex<HashSet<PathBuf>>,
    /// The first write that failed: the build fails with it.
    failed: Mutex<Option<io::Error>>,
    written: std::sync::atomic::AtomicUsize,
    committed: bool,
}

impl Staging {
    pub fn new(out: &Path) -> io::Result<Staging> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        recover(out)?;
        let tmp = sibling(out, "charted-tmp");
        remove_work_folder(&tmp)?;
        fs::create_dir(&tmp)?;
        let staging = Staging {
            tmp,
            out: out.to_path_buf(),
            folders: Mutex::default(),
            failed: Mutex::default(),
            written: Default::default(),
            committed: false,
        };
        fs::write(staging.tmp.join(MARKER), MARKER_TEXT)?;
        Ok(staging)
    }

    /// Writes one page (from any thread).
    pub fn put(&self, page: &Page) -> io::Result<()> {
        let path = self.tmp.join(&page.path);
        if let Some(folder) = path.parent() {
            let known = self.folders.lock().unwrap_or_else(|p| p.into_inner()).contains(folder);
            if !known {
                fs::create_dir_all(folder)?;
                self.folders.lock().unwrap_or_else(|p| p.into_inner()).insert(folder.to_path_buf());
            }
        }
        fs::write(path, &page.bytes)?;
        self.written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    pub fn put_all(&self, pages: &[Page]) -> io::Result<()> {
        pages.par_iter().try_for_each(|page| self.put(page))
    }

    /// Replaces the output with the staged folder, unless a write failed;
    /// returns how many files were written.
    pub fn commit(mut self) -> io::Result<usize> {
        if let Some(err) = self.failed.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(err);
        }
        swap(&self.tmp, &self.out)?;
        self.committed = true;
        Ok(self.written.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// A page that fails to write is remembered for [`Staging::commit`] to report.
impl crate::render::Stream for Staging {
    fn put(&self, page: &Page) {
        if let Err(err) = Staging::put(self, page) {
            self.failed.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(err);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && is_marked(&self.tmp) {
            let _ = remove_marked(&self.tmp);
        }
    }
}

/// Moves `tmp` into `out`'s place; the old output is removed only after.
fn swap(tmp: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(tmp, out);
    }
    let old = sibling(out, "charted-old");
    remove_work_folder(&old)?;
    fs::rename(out, &old).map_err(|err| match err.kind() {
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices => io::Error::new(
            err.kind(),
            format!(
                "{} cannot be moved aside to be replaced ({err}); is it a mount point? Write to a folder inside it, e.g. --out {}",
                out.display(),
                out.join("site").display()
            ),
        ),
        _ => err,
    })?;
    if let Err(err) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(err);
    }
    if !is_marked(&old) {
        // A folder replaced with --force: mark it so it can be removed as charted's own.
        fs::write(old.join(MARKER), MARKER_TEXT)?;
    }
    remove_marked(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn page(path: &str, text: &str) -> Page {
        Page::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn replaces_the_whole_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "one"), page("a/b/index.html", "deep"), page("gone.html", "x")]).unwrap();
        write_site(&out, &[page("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("gone.html").exists());
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}

#[cfg(test)]
mod safety {
    use super::*;

    use super::tests::page;

    #[test]
    fn refuses_files_and_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert_eq!(check_target(&out, false), Ok(()));
        fs::create_dir(&out).unwrap();
        assert_eq!(check_target(&out, false), Ok(()));
        fs::write(out.join("index.html"), "mine").unwrap();
        assert_eq!(check_target(&out, false), Err(Refusal::NotCharted));
        assert_eq!(check_target(&out, true), Ok(()));
        fs::write(out.join(MARKER), "").unwrap();
        assert_eq!(check_target(&out, false), Ok(()));
        let file = dir.path().join("notes.txt");
        fs::write(&file, "x").unwrap();
        assert_eq!(check_target(&file, true), Err(Refusal::IsAFile));
    }

    #[test]
    fn a_foreign_work_folder_is_never_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let tmp = dir.path().join(".public.charted-tmp");
        fs::create_dir(&tmp).unwrap();
        fs::write(tmp.join("precious.txt"), "keep").unwrap();
        assert!(write_site(&out, &[page("index.html", "x")]).is_err());
        assert_eq!(fs::read_to_string(tmp.join("precious.txt")).unwrap(), "keep");
        assert!(!out.exists());
    }

    #[test]
    fn an_interrupted_swap_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "first")]).unwrap();
        // As if killed between the two renames: the output is aside, nothing in its place.
        fs::rename(&out, sibling(&out, "charted-old")).unwrap();
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "first");
    }
}

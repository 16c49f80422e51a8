//! Write: put rendered pages on disk. The site is written to a temporary
//! folder beside the output and swapped in whole, so a reader never sees a
//! half-written site and a failed build leaves the previous output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Page;

/// A sibling of `out` with a marker suffix, e.g. `.public.charted-tmp`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Writes every page into a fresh folder, then replaces `out` with it.
pub fn write_site(out: &Path, pages: &[Page]) -> io::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let tmp = sibling(out, "charted-tmp");
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    fs::create_dir_all(&tmp)?;
    let result = write_all(&tmp, pages).and_then(|()| swap(&tmp, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn write_all(dir: &Path, pages: &[Page]) -> io::Result<()> {
    let mut folders: Vec<PathBuf> =
        pages.iter().filter_map(|p| Path::new(&p.path).parent().map(|d| dir.join(d))).collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    pages.par_iter().try_for_each(|page| fs::write(dir.join(&page.path), &page.bytes))
}

/// Moves `tmp` into `out`'s place; the old output is removed only after.
fn swap(tmp: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(tmp, out);
    }
    let old = sibling(out, "charted-old");
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(out, &old)?;
    if let Err(err) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(err);
    }
    fs::remove_dir_all(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn replaces_the_whole_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "one"), page("a/b/index.html", "deep"), page("gone.html", "x")]).unwrap();
        write_site(&out, &[page("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("gone.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}

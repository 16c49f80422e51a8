//! The organisation's shared vocabulary that charted.yaml names
//! (`vocabulary:`): read from its path or fetched from its URL, parsed, and
//! merged into the config's own `teams:` and `user_groups:`. The model sees
//! only the merged [`crate::vocabulary::Vocabulary`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{CONFIG_FILE, MAX_FILE_BYTES, lone_cr_to_lf, not_utf8, yaml, yaml_error};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::vocabulary::{self, Source};

/// The shared vocabulary file a site was loaded with.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedFile {
    /// As diagnostics name it: the path as charted.yaml writes it, or the URL.
    pub file: PathBuf,
    /// Its text: an input of every page that shows a name (see `incremental::keys`).
    pub text: String,
    /// Where it is on disk when it is a path (the site folder joined with
    /// it), so `serve` can watch it.
    pub path: Option<PathBuf>,
}

/// What fetching a URL gave.
#[derive(Debug, Clone)]
pub(crate) enum Fetched {
    /// The bytes, just fetched.
    Fresh(Arc<[u8]>),
    /// The fetch failed (`why`); these bytes are the copy kept from the last fetch that did not.
    Cached { bytes: Arc<[u8]>, why: String },
    /// The fetch failed and there is no copy.
    Unavailable { why: String },
}

/// How the load stage gets a URL's bytes: from the network each time
/// ([`super::fetch::Network`]), or once per `serve` session (`incremental::fetched`).
pub(crate) trait Fetch {
    fn fetch(&mut self, url: &str, what: Fetching) -> Fetched;
}

/// What a URL is fetched for: it decides the size limit and the name of
/// the copy kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fetching {
    /// A shared vocabulary (`vocabulary:`).
    Vocabulary,
    /// A team's published `items.json` (a portfolio's `items:`).
    Items,
}

/// Reads the shared vocabulary `config` names, if any, and merges it into
/// `config.vocabulary`; problems go to `diags`, each at its own file.
pub(crate) fn resolve(
    root: &Path,
    config: &mut Config,
    fetch: &mut dyn Fetch,
    diags: &mut Diagnostics,
) -> Option<SharedFile> {
    let shared = config.shared_vocabulary.clone()?;
    let file = shared.source.label();
    let (bytes, path) = match &shared.source {
        Source::Path(path) => (read(root, path, shared.pos, diags)?, Some(root.join(path))),
        Source::Url(url) => (fetched(url, fetch.fetch(url, Fetching::Vocabulary), shared.pos, diags)?, None),
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => lone_cr_to_lf(text),
        Err(err) => {
            diags.push(not_utf8(&file, err.as_bytes(), err.utf8_error().valid_up_to()));
            return Some(SharedFile { text: String::from_utf8_lossy(err.as_bytes()).into_owned(), file, path });
        }
    };
    match yaml::parse(text.strip_prefix('\u{feff}').unwrap_or(&text), 1) {
        Ok(node) => {
            let found = vocabulary::read_file(&file, &node, diags);
            let own = std::mem::take(&mut config.vocabulary);
            config.vocabulary = vocabulary::merge(found, own, Path::new(CONFIG_FILE), diags);
        }
        Err(err) => diags.push(yaml_error(&file, err)),
    }
    Some(SharedFile { file, text, path })
}

/// The file's bytes, or an error at `vocabulary:` in charted.yaml.
fn read(root: &Path, path: &Path, pos: Pos, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let full = root.join(path);
    let at = |d: Diagnostic| d.at(CONFIG_FILE, Some(pos));
    if std::fs::metadata(&full).is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
        let message =
            format!("the vocabulary file {} is larger than {} MB", path.display(), MAX_FILE_BYTES / 1_048_576);
        diags.push(at(Diagnostic::error("file-too-large", message).help(
            "a vocabulary file holds `teams:` and `user_groups:` only; check that `vocabulary:` names the right file",
        )));
        return None;
    }
    match std::fs::read(&full) {
        Ok(bytes) => Some(bytes),
        Err(err) => {
            let why = match err.kind() {
                std::io::ErrorKind::NotFound => "there is no such file".to_string(),
                _ => err.to_string(),
            };
            let message = format!("the vocabulary file {} cannot be read: {why}", path.display());
            diags.push(at(Diagnostic::error("missing-vocabulary", message).help(
                "write the path of the shared vocabulary file relative to the site folder (e.g. `../org/vocabulary.yaml`), or remove `vocabulary:`",
            )));
            None
        }
    }
}

/// A fetch's bytes; a warning at `vocabulary:` when they are an old copy or
/// there are none (then the site builds with its own lists only).
fn fetched(url: &str, fetched: Fetched, pos: Pos, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let at = |d: Diagnostic| d.at(CONFIG_FILE, Some(pos));
    match fetched {
        Fetched::Fresh(bytes) => Some(bytes.to_vec()),
        Fetched::Cached { bytes, why } => {
            let message =
                format!("the vocabulary at {url} cannot be fetched ({why}): the copy kept from the last fetch is used");
            diags.push(at(Diagnostic::warning("vocabulary-cached", message)
                .help("names are checked against that copy; build again when the address can be reached, or use a path instead of a URL")));
            Some(bytes.to_vec())
        }
        Fetched::Unavailable { why } => {
            let message = format!(
                "the vocabulary at {url} cannot be fetched ({why}), and no copy of it is kept: only the site's own `teams:` and `user_groups:` are used"
            );
            diags.push(at(Diagnostic::warning("vocabulary-unavailable", message)
                .help("check the address and the network; without a list, spellings of a name are merged as they are without `teams:`")));
            None
        }
    }
}

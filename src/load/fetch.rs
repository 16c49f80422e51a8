//! Fetching a shared vocabulary or a team's published items.json from its
//! URL (the only module that imports ureq): bounded in time and size, and
//! kept on disk so a build without the network uses the last copy fetched.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use super::shared::{Fetch, Fetched, Fetching};
use crate::limits::{FETCH_TIMEOUT, MAX_FETCH_BYTES, MAX_ITEMS_BYTES};

/// Fetches each time it is asked, keeping each answer in the cache folder
/// (see [`crate::markdown::cache::default_dir`]).
#[derive(Default)]
pub(crate) struct Network;

impl Fetch for Network {
    fn fetch(&mut self, url: &str, what: Fetching) -> Fetched {
        let kept = kept_copy(url, what);
        let limit = match what {
            Fetching::Vocabulary => MAX_FETCH_BYTES,
            Fetching::Items => MAX_ITEMS_BYTES,
        };
        match get(url, limit) {
            Ok(bytes) => {
                if let Some(kept) = &kept {
                    keep(kept, &bytes);
                }
                Fetched::Fresh(bytes.into())
            }
            Err(why) => match kept.and_then(|k| fs::read(k).ok()) {
                Some(bytes) => Fetched::Cached { bytes: Arc::from(bytes), why },
                None => Fetched::Unavailable { why },
            },
        }
    }
}

/// The body of a GET of `url`, or why there is none, in words.
fn get(url: &str, limit: u64) -> Result<Vec<u8>, String> {
    let config = ureq::Agent::config_builder().timeout_global(Some(FETCH_TIMEOUT)).http_status_as_error(true).build();
    let agent = ureq::Agent::new_with_config(config);
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    response.body_mut().with_config().limit(limit).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => format!("the answer is larger than {} KB", limit / 1024),
        e => e.to_string(),
    })
}

/// Where the copy of `url` is kept: one file per URL in the cache folder.
fn kept_copy(url: &str, what: Fetching) -> Option<PathBuf> {
    let dir = crate::markdown::cache::default_dir()?;
    let hash = crate::incremental::fingerprint::of(&url);
    Some(dir.join(match what {
        Fetching::Vocabulary => format!("vocabulary-{hash:016x}.yaml"),
        Fetching::Items => format!("items-{hash:016x}.json"),
    }))
}

/// Keeps a copy, written whole or not at all; a cache that cannot be written
/// only means no copy next time.
fn keep(path: &std::path::Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, path).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

//! The site's past, kept between runs: past reviews never change, so a run
//! reads the repository's refs (to notice a new or moved tag) and models the
//! reviews again only when the list of reviewed commits changed.

use std::path::Path;
use std::sync::Arc;

use super::fingerprint;
use crate::config::Config;
use crate::diagnostic::Diagnostics;
use crate::history::{self, Past};

/// The last run's past and the key of the reviews it was read from.
#[derive(Default)]
pub(crate) struct PastMemo {
    kept: Option<(u64, Arc<Past>)>,
}

impl PastMemo {
    /// The past of the site at `root`, read again only when its reviews
    /// changed, and its key (what pages showing the past depend on); a site
    /// whose `history:` is set but has none gets a warning.
    pub(crate) fn get(&mut self, root: &Path, site: &Config, diags: &mut Diagnostics) -> (Arc<Past>, u64) {
        let config = &site.history;
        if !config.enabled {
            return (Arc::default(), 0);
        }
        let past = match history::revisions(root, config) {
            Err(why) => Arc::new(Past::without(why)),
            Ok((repo, revisions)) => {
                let key = fingerprint::of(
                    &revisions.iter().map(|r| (&r.name, r.commit.as_bytes(), r.date)).collect::<Vec<_>>(),
                );
                match &self.kept {
                    Some((kept, past)) if *kept == key => Arc::clone(past),
                    _ => {
                        let past = Arc::new(history::read(&repo, &revisions));
                        self.kept = Some((key, Arc::clone(&past)));
                        past
                    }
                }
            }
        };
        if let Some(why) = &past.unavailable {
            diags.extend(history::warning(site, why));
        }
        let reviews: Vec<_> = past.reviews.iter().map(|r| (&r.name, &r.commit, r.date)).collect();
        let key = fingerprint::of(&(reviews, &past.unavailable));
        (past, key)
    }
}

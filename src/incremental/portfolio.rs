//! A portfolio's teams, kept between runs: each team's parsed files (its
//! own `FileCache`, so an edit in one team's site re-reads that file only)
//! and fetched vocabulary, and the key of what the org pages show, the
//! fingerprint of every team's reduced value (`portfolio::Team`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::fetched::FetchMemo;
use super::fingerprint;
use crate::diagnostic::Diagnostics;
use crate::load::{self, FileCache};
use crate::model::{ModelOptions, Site};
use crate::portfolio::{self, Portfolio};

/// Each team's files, by its site folder as the portfolio's config names it.
#[derive(Default)]
pub(crate) struct TeamsMemo {
    kept: HashMap<PathBuf, (FileCache, FetchMemo)>,
    /// The teams' folders, resolved, as of the last run: `serve` watches them.
    folders: Vec<PathBuf>,
    /// The teams' items.json files (not URLs), resolved: `serve` watches them too.
    files: Vec<PathBuf>,
}

impl TeamsMemo {
    /// The portfolio of the site `site` at `root` and its key (0 when the
    /// site is no portfolio); its errors and warnings go to `diags`.
    pub(crate) fn get(
        &mut self,
        root: &Path,
        site: &Site,
        options: &ModelOptions,
        diags: &mut Diagnostics,
    ) -> (Portfolio, u64) {
        let config = &site.config;
        let mut slots: Vec<_> = config
            .portfolio
            .iter()
            .map(|entry| {
                let folder = portfolio::source_key(root, entry);
                let kept = self.kept.remove(&folder).unwrap_or_default();
                (entry, folder, kept)
            })
            .collect();
        let read: Vec<_> = slots
            .par_iter_mut()
            .map(|(entry, _, (files, fetched))| {
                portfolio::read_team(
                    root,
                    config,
                    entry,
                    options,
                    |folder, fetch, found| load::load_cached(folder, files, fetch, found),
                    fetched,
                )
            })
            .collect();
        let resolved = |site: bool| {
            slots
                .iter()
                .filter(|(entry, _, _)| matches!(entry.source, portfolio::entries::Source::Site(_)) == site)
                .filter(|(entry, _, _)| !entry.source.is_url())
                .filter_map(|(_, key, _)| std::fs::canonicalize(key).ok())
                .collect()
        };
        self.folders = resolved(true);
        self.files = resolved(false);
        self.kept = slots.into_iter().map(|(_, folder, kept)| (folder, kept)).collect();
        let mut teams = Vec::with_capacity(read.len());
        for (team, error) in read {
            diags.extend(error);
            teams.push(team);
        }
        let portfolio = Portfolio::new(teams, site);
        diags.extend(portfolio::errors(&portfolio, config));
        diags.extend(portfolio::warnings(&portfolio, config));
        let key = if portfolio.is_set() { key(&portfolio) } else { 0 };
        (portfolio, key)
    }

    /// The teams' site folders, resolved, as of the last run.
    pub(crate) fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    /// The teams' items.json files, resolved, as of the last run (each is
    /// read again every run: a changed one needs only a run).
    pub(crate) fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Tells each team's file cache which of its files (`changed`, absolute
    /// and resolved) a watcher saw change.
    pub(crate) fn mark_changed(&mut self, changed: &[PathBuf]) {
        for (folder, (files, _)) in &mut self.kept {
            let Ok(real) = std::fs::canonicalize(folder) else { continue };
            files.mark_changed(changed.iter().filter_map(|p| p.strip_prefix(&real).ok().map(Path::to_path_buf)));
        }
    }

    /// Every team's files are read again.
    pub(crate) fn mark_all_changed(&mut self) {
        for (files, _) in self.kept.values_mut() {
            files.mark_all_changed();
        }
    }
}

/// The key of what the org pages show: every team's reduced value, the
/// organisation's split and the ledger.
fn key(portfolio: &Portfolio) -> u64 {
    use std::hash::Hasher;
    let mut h = fingerprint::hasher();
    let _ = serde_json::to_writer(super::memo::HashWriter(&mut h), portfolio);
    h.finish()
}

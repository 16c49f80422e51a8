//! The history stage: the site's reviews, read from its git repository and
//! modelled with the same load and model stages as the work tree, each
//! reduced to a [`State`]; then what changed between states. It runs after
//! the model (the current state is the model's) and before render, which
//! shows it.
//!
//! Cost: reading a review lists its tree (O(files)); a file is parsed once
//! per distinct (path, blob), so a review costs the parses of the files it
//! changed plus one model build without bodies. At 10,000 items and 12
//! reviews changing 10% each, that is 10,000 + 11 × 1,000 parses and 12
//! model builds, in parallel.

mod changes;
pub(crate) mod git;
pub(crate) mod report;
mod state;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

pub(crate) use changes::{Changes, Named, Transition};
// The feed compares each state with the next.
pub(crate) use changes::between;
pub(crate) use git::Unavailable;
pub(crate) use state::{Facts, Level, State};

use crate::config::{Config, HistoryConfig};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{self, Parsed};
use crate::model::{self, Site};

/// One review: a named past state of the site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Review {
    /// The tag, or the quarter (`2026-Q3`).
    pub name: String,
    pub date: Date,
    /// The commit, abbreviated; empty for the work tree.
    pub commit: String,
    pub state: Arc<State>,
}

/// The site's reviews, oldest first, and why there are none (or fewer) when so.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Past {
    pub reviews: Vec<Review>,
    pub unavailable: Option<Unavailable>,
}

/// The name the work tree's state goes by among the reviews.
pub(crate) const NOW: &str = "now";

/// Which reviews the site at `root` has: the cheap part of reading history
/// (refs and commits, no trees), which `serve` redoes every run to notice a
/// new tag. `Err` says why there is no history.
pub(crate) fn revisions(
    root: &Path,
    config: &HistoryConfig,
) -> Result<(git::Repository, Vec<git::Revision>), Unavailable> {
    git::reviews(root, config)
}

/// The past of the site at `root`: its reviews read and modelled, or why
/// there are none.
pub(crate) fn past(root: &Path, config: &HistoryConfig) -> Past {
    match revisions(root, config) {
        Ok((repo, revisions)) => read(&repo, &revisions),
        Err(why) => Past::without(why),
    }
}

impl Past {
    /// No past, and why.
    pub(crate) fn without(why: Unavailable) -> Past {
        Past { reviews: Vec::new(), unavailable: Some(why) }
    }
}

/// Each revision's state: its files read from git, each distinct file parsed
/// once, each revision modelled (without bodies) and reduced to a [`State`].
/// A revision without `charted.yaml` (the site did not exist yet) is left out.
pub(crate) fn read(repo: &git::Repository, revisions: &[git::Revision]) -> Past {
    let listed: Vec<Result<git::Files, Unavailable>> =
        revisions.par_iter().map_init(|| None, |local, r| repo.files(local, r)).collect();
    let mut unavailable = None;
    let mut wanted: Vec<(&PathBuf, git::BlobId)> = Vec::new();
    let mut configs = Vec::new();
    for files in listed.iter().flatten() {
        wanted.extend(files.items.iter().map(|(p, id)| (p, *id)));
        configs.extend(files.config);
    }
    wanted.sort();
    wanted.dedup();
    configs.sort();
    configs.dedup();
    // A blob that cannot be read leaves its file out of the reviews that hold it, and says so.
    let parsed: HashMap<(&PathBuf, git::BlobId), Option<Parsed>> = wanted
        .par_iter()
        .map_init(
            || None,
            |local, &(path, id)| ((path, id), repo.read(local, id).map(|bytes| load::parse_file(path, bytes))),
        )
        .collect();
    let lost = parsed
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|((path, id), _)| (*path, *id))
        .min()
        .map(|(path, id)| (path.clone(), id));
    let config_bytes: HashMap<git::BlobId, Vec<u8>> =
        configs.par_iter().map_init(|| None, |local, &id| (id, repo.read(local, id).unwrap_or_default())).collect();
    let reviews: Vec<Option<Review>> = revisions
        .par_iter()
        .zip(&listed)
        .map(|(revision, files)| {
            let files = files.as_ref().ok()?;
            let config = config_bytes.get(&files.config?)?;
            let results = files.items.iter().filter_map(|(p, id)| parsed.get(&(p, *id))?.as_ref());
            let mut ignored = Diagnostics::default();
            let loaded = load::assemble(config, results, &mut ignored);
            let options = model::ModelOptions { drafts: false, today: revision.date };
            let site = model::build_with(&loaded, &options, &model::bodies::Unread, &mut ignored);
            Some(Review {
                name: revision.name.clone(),
                date: revision.date,
                commit: revision.short(),
                state: Arc::new(State::of(&site)),
            })
        })
        .collect();
    if let Some(Err(why)) = listed.into_iter().find(Result::is_err) {
        unavailable = Some(why);
    } else if let Some((path, id)) = lost {
        unavailable =
            Some(Unavailable::Broken(format!("`{}` (blob {}) cannot be read", path.display(), id.to_hex_with_len(12))));
    }
    Past { reviews: reviews.into_iter().flatten().collect(), unavailable }
}

/// The warning a site whose `history:` is set gets when it has none: a site
/// that never asked for history is not warned, nor one that switched the
/// warning off (`warnings: {history-unavailable: false}`).
pub(crate) fn warning(config: &Config, why: &Unavailable) -> Option<Diagnostic> {
    let pos = config.history.pos.filter(|_| config.warns("history-unavailable"))?;
    let (message, help) = explain(why);
    Some(Diagnostic::warning("history-unavailable", message).at(load::CONFIG_FILE, Some(pos)).help(help))
}

/// Why there is no history, and what to do, in words.
pub(crate) fn explain(why: &Unavailable) -> (String, String) {
    match why {
        Unavailable::NotGit => (
            "the site is not in a git repository, so it has no history of reviews".into(),
            "run `git init`, commit the site, and tag each review: `git tag review-2026-q4`".into(),
        ),
        Unavailable::Shallow => (
            "the repository is a shallow clone: its past reviews are not in it, so the site builds without history"
                .into(),
            "fetch the whole history: `git fetch --unshallow --tags`, or `fetch-depth: 0` in actions/checkout".into(),
        ),
        Unavailable::NoReviews { pattern } => (
            format!("no tag matches `{pattern}`, so the site has no reviews to compare with"),
            format!(
                "tag the commit of each review (`git tag {}` and `git push --tags`), or set `history: {{quarterly: true}}`",
                pattern.replace('*', "2026-q4").replace('?', "x")
            ),
        ),
        Unavailable::Bare => (
            "the site lies inside a bare git repository, which has no work tree to compare its reviews with".into(),
            "build from a clone with a work tree (`git clone` without `--bare`), or set `history: false`".into(),
        ),
        Unavailable::Broken(why) => (
            format!("the site's git history could not be read: {why}"),
            "check the repository with `git fsck`, or set `history: false` to build without history".into(),
        ),
    }
}

/// The site's reviews and its state now: what render shows of time.
pub(crate) struct History {
    pub past: Arc<Past>,
    /// The reviews then the work tree, oldest first; the work tree is left
    /// out when it is the last review's state (nothing changed since).
    pub states: Vec<Review>,
}

impl History {
    /// The history of `site` given its past. Without a review there is
    /// nothing to compare the site's state with, so none is made (every run
    /// of a site without history would pay for it).
    pub(crate) fn new(past: Arc<Past>, site: &Site) -> History {
        if past.reviews.is_empty() {
            return History { past, states: Vec::new() };
        }
        let now = State::of(site);
        let mut states = past.reviews.clone();
        if states.last().is_none_or(|last| *last.state != now) {
            states.push(Review { name: NOW.into(), date: site.today, commit: String::new(), state: Arc::new(now) });
        }
        History { past, states }
    }

    /// Whether there is a review to compare with.
    pub(crate) fn has_reviews(&self) -> bool {
        !self.past.reviews.is_empty()
    }

    /// The latest state.
    pub(crate) fn latest(&self) -> Option<&Review> {
        self.states.last()
    }

    /// The comparisons the changes pages show: from each review to the
    /// latest state, the most recent review first (the default page).
    pub(crate) fn comparisons(&self) -> Vec<(&Review, &Review, Changes)> {
        let Some(latest) = self.latest() else { return Vec::new() };
        let last = self.states.len() - 1;
        self.states[..last]
            .iter()
            .rev()
            .map(|from| (from, latest, changes::between(&from.state, &latest.state)))
            .collect()
    }

    /// What `charted history --since` compares: from the review `since`
    /// (default: the most recent one before the latest state) to the latest
    /// state. The latest review compared with itself, when the work tree is
    /// that review or when only it exists, changes nothing. `None`: no review
    /// goes by that name.
    pub(crate) fn since(&self, since: Option<&str>) -> Option<(&Review, &Review, Changes)> {
        let latest = self.latest()?;
        let last = self.states.len() - 1;
        let from = match since {
            None => self.states[..last].last().unwrap_or(latest),
            Some(name) => self.past.reviews.iter().rev().find(|r| r.name == name)?,
        };
        Some((from, latest, changes::between(&from.state, &latest.state)))
    }

    /// Each step from one state to the next, oldest first.
    pub(crate) fn steps(&self) -> impl Iterator<Item = (&Review, &Review)> {
        self.states.windows(2).map(|w| (&w[0], &w[1]))
    }

    /// What changed for the item `id` (known before by `aliases`) at each
    /// step, oldest first: the state it changed in, and the changes.
    pub(crate) fn timeline(&self, id: &str, aliases: &[String]) -> Vec<(&Review, Changes)> {
        let mut out = Vec::new();
        let mut before: Option<(&str, &Facts)> = None;
        let mut names: Vec<String> = aliases.to_vec();
        names.push(id.to_string());
        for state in &self.states {
            let found = names.iter().rev().find_map(|n| state.state.items.get(n).map(|f| (n.as_str(), f)));
            let Some((was, facts)) = found else {
                before = None;
                continue;
            };
            let mut changes = Changes::default();
            let named = || Named { id: was.into(), kind: facts.kind, title: facts.title.clone() };
            match before {
                None => changes.added.push(named()),
                Some((old, b)) => {
                    // Known by another of its names in the state before: renamed in this one.
                    if old != was {
                        changes.renamed.push((old.to_string(), named()));
                    }
                    changes::compare(b, was, facts, &mut changes);
                }
            }
            if !changes.is_empty() {
                out.push((state, changes));
            }
            before = Some((was, facts));
        }
        out
    }

    /// Each state's value of the SLA `id` (known before by `aliases`), oldest first.
    pub(crate) fn levels(&self, id: &str, aliases: &[String]) -> Vec<(&Review, &Level)> {
        self.states
            .iter()
            .filter_map(|s| {
                let known = s.state.known_as(id, aliases)?;
                s.state.items.get(known)?.level.as_ref().map(|l| (s, l))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::model::item::Split;

    fn sla(current: f64, aliases: &[&str]) -> Facts {
        Facts {
            kind: Kind::Sla,
            title: "p95".into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            rank: None,
            status: None,
            validation: None,
            phase: None,
            category: None,
            result: None,
            level: Some(Level { current, expected: 15.0, unit: Some("min".into()) }),
        }
    }

    fn review(name: &str, id: &str, facts: Facts) -> Review {
        let state = State {
            items: [(id.to_string(), facts)].into_iter().collect(),
            target: Split { immediate: 70.0, future: 30.0 },
            split: None,
            funnel: Vec::new(),
        };
        Review { name: name.into(), date: "2026-06-30".parse().unwrap(), commit: "c".into(), state: Arc::new(state) }
    }

    #[test]
    fn a_renamed_sla_keeps_its_levels_and_its_timeline_says_so() {
        let states = vec![
            review("q2", "ci-p95", sla(44.0, &[])),
            review("q3", "ci-p95", sla(41.0, &[])),
            review(NOW, "pr-build-p95", sla(38.0, &["ci-p95"])),
        ];
        let history = History { past: Arc::new(Past { reviews: states[..2].to_vec(), unavailable: None }), states };
        let aliases = vec!["ci-p95".to_string()];
        let levels: Vec<f64> = history.levels("pr-build-p95", &aliases).iter().map(|(_, l)| l.current).collect();
        assert_eq!(levels, [44.0, 41.0, 38.0]);
        let timeline = history.timeline("pr-build-p95", &aliases);
        let last = &timeline.last().unwrap().1;
        assert_eq!(last.renamed.len(), 1, "{timeline:?}");
        assert_eq!(last.shifts[0].from, 41.0);
    }
}

//! The portfolio stage: a site whose charted.yaml lists team sites under
//! `portfolio:` reads each through the same load and model stages, reduces
//! each to a small [`Team`] (`team.rs`), and adds up what the org pages
//! show: the organisation's effort-weighted 70/30 and the shared discovery
//! ledger (`ledger.rs`). It runs after the model and before render, like
//! history; it keeps nothing between runs (`incremental/portfolio.rs` keeps
//! each team's parsed files and fingerprints the teams).
//!
//! Cost: a team is loaded and modelled without its bodies' HTML, as
//! `check` does, in parallel; its `Team` keeps at most ten pains and one
//! line per solution and discovery session, so fifty teams of a thousand
//! items hold a few megabytes, and a cold build reads them in about the
//! time `check` takes over all fifty sites.

pub(crate) mod entries;
pub(crate) mod ledger;
pub(crate) mod team;
pub(crate) mod users;

use std::path::{Path, PathBuf};

pub(crate) use entries::{Limits, TeamEntry};
use ledger::Ledger;
pub(crate) use team::Team;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{self, LoadError};
use crate::model::figures::{Balance, target_split};
use crate::model::{Category, ModelOptions, Phase, Site};

/// What the org pages show: the teams, in `portfolio:` order, the
/// organisation's 70/30 and the discovery ledger.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Portfolio {
    pub teams: Vec<Team>,
    /// Planned effort over all teams against the portfolio's own target
    /// (its charter's split, else 70/30).
    pub balance: Balance,
    pub ledger: Ledger,
    /// The teams' top pains grouped by user group (`users.rs`).
    pub users: Vec<users::UserGroup>,
}

impl Portfolio {
    /// The portfolio of `teams`, for the portfolio site `own`.
    pub(crate) fn new(teams: Vec<Team>, own: &Site) -> Portfolio {
        let efforts = teams.iter().flat_map(|t| {
            [(Category::Immediate, Phase::Now, Some(t.immediate)), (Category::Future, Phase::Now, Some(t.future))]
        });
        let balance = Balance::new(target_split(own.charter()), efforts, own.config.tolerance);
        let ledger = Ledger::of(&teams, &own.config.vocabulary, &own.config.portfolio_limits);
        let users = users::by_user_group(&teams, &own.config.vocabulary);
        Portfolio { teams, balance, ledger, users }
    }

    /// Whether the site is a portfolio at all.
    pub(crate) fn is_set(&self) -> bool {
        !self.teams.is_empty()
    }
}

/// A team's site folder: its `path:`, relative to the portfolio's folder.
pub(crate) fn folder(root: &Path, entry: &TeamEntry) -> PathBuf {
    root.join(&entry.path)
}

/// Team `entry` of the portfolio at `root` (whose config is `config`),
/// loaded by `load` (the session's, which keeps its files between runs)
/// and modelled; a folder that is no charted site is the portfolio's
/// error, at the entry. The team's own problems stay the team's: counted, not reported.
pub(crate) fn read_team(
    root: &Path,
    config: &Config,
    entry: &TeamEntry,
    options: &ModelOptions,
    load: impl FnOnce(&Path, &mut Diagnostics) -> Result<load::Loaded, LoadError>,
) -> (Team, Option<Diagnostic>) {
    let folder = folder(root, entry);
    let failed = |why: String, help: &str| {
        let error = Diagnostic::error("invalid-portfolio", format!("the team `{}`: {why}", entry.team))
            .at(load::CONFIG_FILE, Some(entry.path_pos))
            .help(help.to_string());
        (Team::failed(entry, why), Some(error))
    };
    if !folder.is_dir() {
        return failed(
            format!("its path `{}` is not a folder", entry.path.display()),
            "write the path of the team's site folder, relative to the portfolio's folder, such as `../ci-site`",
        );
    }
    if !folder.join(load::CONFIG_FILE).is_file() {
        return failed(
            format!("`{}` is not a charted site: it has no {}", entry.path.display(), load::CONFIG_FILE),
            "point `path` at the folder that holds the team's charted.yaml, or run `charted init` there",
        );
    }
    let mut found = Diagnostics::default();
    let loaded = match load(&folder, &mut found) {
        Ok(loaded) => loaded,
        Err(why) => return failed(why.to_string(), "fix the team's site so that `charted check` can read it"),
    };
    let model = crate::model::build_with(&loaded, options, &crate::model::bodies::LinksOnly, &mut found);
    let address = entry.site.clone().or_else(|| vocabulary_site(config, entry, &model));
    (Team::of(entry, &model, &found.sorted(), address), None)
}

/// A team's address in the shared vocabulary: the `site:` of the team its
/// name (or short name) spells.
fn vocabulary_site(config: &Config, entry: &TeamEntry, model: &Site) -> Option<String> {
    let own = crate::model::discovery::own_team(&model.items);
    let names = [entry.name.as_deref(), own, Some(entry.team.as_str())];
    let teams = config.vocabulary.teams.as_deref().unwrap_or_default();
    names.into_iter().flatten().find_map(|name| {
        let canonical = ledger::canonical(&config.vocabulary, name);
        teams.iter().find(|c| c.name == canonical).and_then(|c| c.site.clone())
    })
}

/// The portfolio's warnings: a team whose site has errors, and a team
/// asked too often or for too many hours in a quarter (`discovery-fatigue`).
pub(crate) fn warnings(portfolio: &Portfolio, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = load::CONFIG_FILE;
    if config.warns("team-has-errors") {
        for (team, entry) in portfolio.teams.iter().zip(&config.portfolio).filter(|(t, _)| t.errors > 0) {
            out.push(
                Diagnostic::warning(
                    "team-has-errors",
                    format!(
                        "the team `{}` has {} in its site; the org pages show its last figures as read",
                        team.short,
                        crate::plural(team.errors, "error")
                    ),
                )
                .at(file, Some(entry.pos))
                .help(format!("run `charted check {}` and fix them", entry.path.display())),
            );
        }
    }
    if !config.warns("discovery-fatigue") {
        return out;
    }
    let limits = &config.portfolio_limits;
    let pos = limits.pos.or(config.portfolio.first().map(|e| e.pos));
    for quarter in &portfolio.ledger.quarters {
        for given in &quarter.givers {
            if given.too_many_askers {
                out.push(
                    Diagnostic::warning(
                        "discovery-fatigue",
                        format!(
                            "{} teams asked {} for discovery time in {} ({}); `askers_per_quarter` allows {}",
                            given.askers.len(), given.team, quarter.quarter, given.askers.join(", "), limits.askers_per_quarter
                        ),
                    )
                    .at(file, pos)
                    .help("share one discovery session between the asking teams, spread them over quarters, or raise `portfolio_limits: {askers_per_quarter: N}`"),
                );
            }
            if let Some(budget) = limits.hours_per_quarter.filter(|_| given.over_budget) {
                out.push(
                    Diagnostic::warning(
                        "discovery-fatigue",
                        format!(
                            "{} gave {} hours to other teams' discovery in {}; `hours_per_quarter` allows {budget}",
                            given.team, given.hours, quarter.quarter
                        ),
                    )
                    .at(file, pos)
                    .help("ask fewer hours of this team, or raise `portfolio_limits: {hours_per_quarter: N}`"),
                );
            }
        }
    }
    out
}

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
pub(crate) mod links;
pub(crate) mod published;
pub(crate) mod team;
pub(crate) mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::load::shared::{Fetch, Fetched, Fetching};
use entries::Source;
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
    /// The references between teams' items that resolve, team by team.
    pub links: Vec<links::Link>,
    /// Those that do not: errors (see [`errors`]).
    #[serde(skip)]
    pub dangling: Vec<links::Dangling>,
}

impl Portfolio {
    /// The portfolio of `teams`, for the portfolio site `own`.
    pub(crate) fn new(mut teams: Vec<Team>, own: &Site) -> Portfolio {
        let efforts = teams.iter().flat_map(|t| {
            [(Category::Immediate, Phase::Now, Some(t.immediate)), (Category::Future, Phase::Now, Some(t.future))]
        });
        let balance = Balance::new(target_split(own.charter()), efforts, own.config.tolerance);
        let ledger = Ledger::of(&teams, &own.config.vocabulary, &own.config.portfolio_limits);
        let (links, dangling) = links::resolve(&mut teams, &own.config.vocabulary);
        let users = users::by_user_group(&teams, &own.config.vocabulary);
        Portfolio { teams, balance, ledger, users, links, dangling }
    }

    /// Whether the site is a portfolio at all.
    pub(crate) fn is_set(&self) -> bool {
        !self.teams.is_empty()
    }
}

/// The key a team's kept files go by between runs: its site folder, or
/// where its items.json is.
pub(crate) fn source_key(root: &Path, entry: &TeamEntry) -> PathBuf {
    match &entry.source {
        Source::Site(path) => root.join(path),
        Source::Items(_) if entry.source.is_url() => PathBuf::from(entry.source.shown()),
        Source::Items(file) => root.join(file),
    }
}

/// Team `entry` of the portfolio at `root` (whose config is `config`):
/// its site folder loaded by `load` (the session's, which keeps its files
/// between runs) and modelled, or its items.json read or fetched through
/// `fetch` (which fetches a site's shared vocabulary too). A source that cannot be read is the portfolio's error, at the
/// entry; the team's own problems stay the team's: counted, not reported.
pub(crate) fn read_team(
    root: &Path,
    config: &Config,
    entry: &TeamEntry,
    options: &ModelOptions,
    load: impl FnOnce(&Path, &mut dyn Fetch, &mut Diagnostics) -> Result<load::Loaded, LoadError>,
    fetch: &mut dyn Fetch,
) -> (Team, Option<Diagnostic>) {
    let failed = |why: String, help: &str| {
        let error = Diagnostic::error("invalid-portfolio", format!("the team `{}`: {why}", entry.team))
            .at(load::CONFIG_FILE, Some(entry.source_pos))
            .help(help.to_string());
        (Team::failed(entry, why), Some(error))
    };
    let path = match &entry.source {
        Source::Site(path) => path,
        Source::Items(location) => {
            let site = entry.site.clone().or_else(|| vocabulary_site(config, entry, None));
            return match items_bytes(root, location, fetch) {
                Ok((bytes, cached)) => match published::read(entry, &bytes, site) {
                    Ok(team) => (team, cached.map(|why| items_cached(entry, location, &why))),
                    Err(why) => failed(
                        format!("`{location}` cannot be read: {why}"),
                        "point `items` at the items.json a charted build of the team's site wrote (a file path or an https URL)",
                    ),
                },
                Err(why) => failed(
                    format!("`{location}` cannot be read: {why}"),
                    "check the path (relative to the portfolio's folder) or the URL, or use `path:` with the team's site folder",
                ),
            };
        }
    };
    let folder = root.join(path);
    if !folder.is_dir() {
        return failed(
            format!("its path `{}` is not a folder", path.display()),
            "write the path of the team's site folder, relative to the portfolio's folder, such as `../ci-site`",
        );
    }
    if !folder.join(load::CONFIG_FILE).is_file() {
        return failed(
            format!("`{}` is not a charted site: it has no {}", path.display(), load::CONFIG_FILE),
            "point `path` at the folder that holds the team's charted.yaml, or run `charted init` there",
        );
    }
    let mut found = Diagnostics::default();
    let loaded = match load(&folder, fetch, &mut found) {
        Ok(loaded) => loaded,
        Err(why) => return failed(why.to_string(), "fix the team's site so that `charted check` can read it"),
    };
    let model = crate::model::build_with(&loaded, options, &crate::model::bodies::LinksOnly, &mut found);
    let own = crate::model::discovery::own_team(&model.items);
    let address = entry.site.clone().or_else(|| vocabulary_site(config, entry, own));
    (Team::of(entry, &model, &found.sorted(), address), None)
}

/// The bytes of the items.json at `location` (a path relative to `root`,
/// or a URL), and why a kept copy stands in for a URL that did not answer.
fn items_bytes(root: &Path, location: &str, fetch: &mut dyn Fetch) -> Result<(Arc<[u8]>, Option<String>), String> {
    if crate::config::is_web_url(location) {
        return match fetch.fetch(location, Fetching::Items) {
            Fetched::Fresh(bytes) => Ok((bytes, None)),
            Fetched::Cached { bytes, why } => Ok((bytes, Some(why))),
            Fetched::Unavailable { why } => Err(format!("it cannot be fetched ({why}) and no copy is kept")),
        };
    }
    let file = root.join(location);
    let size = std::fs::metadata(&file).map_err(|e| e.to_string())?.len();
    if size > crate::limits::MAX_ITEMS_BYTES {
        return Err(format!(
            "it is {} MB, more than the {} MB a portfolio reads",
            size >> 20,
            crate::limits::MAX_ITEMS_BYTES >> 20
        ));
    }
    std::fs::read(&file).map(Arc::from).map_err(|e| e.to_string()).map(|bytes| (bytes, None))
}

/// The warning for a team's items.json URL that did not answer: the copy
/// kept from the last fetch is shown.
fn items_cached(entry: &TeamEntry, url: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        "items-cached",
        format!(
            "the team `{}`'s items at {url} cannot be fetched ({why}): the copy kept from the last fetch is shown",
            entry.team
        ),
    )
    .at(load::CONFIG_FILE, Some(entry.source_pos))
    .help("check the address and the network; the org pages show the team as it was when last fetched")
}

/// A team's address in the shared vocabulary: the `site:` of the team its
/// name, its charter's team name (`own`) or its short name spells.
fn vocabulary_site(config: &Config, entry: &TeamEntry, own: Option<&str>) -> Option<String> {
    let names = [entry.name.as_deref(), own, Some(entry.team.as_str())];
    names.into_iter().flatten().find_map(|name| config.vocabulary.site_of(name).map(String::from))
}

/// The portfolio's errors: each reference to another team's item that does
/// not resolve, where it was written (in the team's file, named from the
/// portfolio's folder), or at the entry's `items:` for a team read from its
/// items.json, which does not say where.
pub(crate) fn errors(portfolio: &Portfolio, config: &Config) -> Vec<Diagnostic> {
    portfolio
        .dangling
        .iter()
        .filter_map(|d| {
            let entry = config.portfolio.get(d.team)?;
            let r = &d.reference.reference;
            let written = r.written();
            let error =
                Diagnostic::error("dangling-reference", format!("{written} of `{}` {}", d.reference.from, d.why))
                    .help(d.help.clone());
            Some(match (&entry.source, &d.reference.file) {
                (Source::Site(path), Some(file)) => error.at(path.join(file), Some(r.pos)),
                _ => error.at(load::CONFIG_FILE, Some(entry.source_pos)),
            })
        })
        .collect()
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
                .help(format!("run `charted check {}` and fix them", entry.source.shown())),
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

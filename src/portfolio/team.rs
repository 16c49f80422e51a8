//! One team's site reduced to what the org pages show: its mode, charter
//! line, 70/30, funnel, top pains, warnings, roadmap and discovery sessions.
//! Small, so fifty teams of a thousand items each cost a few megabytes.

use std::collections::BTreeMap;

use super::entries::TeamEntry;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::elsewhere::TeamRef;
use crate::model::item::Split;
use crate::model::{Category, Choice, Details, Kind, Phase, Site, Validation};

/// How many of a team's pains the org pages keep (the dashboard shows three;
/// the users view groups these).
pub(crate) const TOP_PAINS: usize = 10;

/// What the org pages show of one team.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Team {
    /// The short name (`team:` of the portfolio entry).
    pub short: String,
    /// Its name: the entry's `name:`, else its charter's `team:`, else the short name.
    pub name: String,
    /// The team's published site, when it has an address.
    pub site: Option<String>,
    /// Its charter's `team:`, the name other sites' discovery calls it by.
    pub own: Option<String>,
    /// Why the team's site could not be read at all; the rest is then empty.
    pub failure: Option<String>,
    pub mode: Option<&'static str>,
    /// Its charter's summary, else its title.
    pub charter: Option<String>,
    pub target: Split,
    /// The effort-weighted split of planned work (now and next); `None` with none planned.
    pub actual: Option<Split>,
    /// Planned effort (now and next) by category, in person-weeks.
    pub immediate: f64,
    pub future: f64,
    /// Solutions per validation, in [`Validation::ALL`] order.
    pub funnel: Vec<(&'static str, usize)>,
    /// Its highest-ranked open pains, best first.
    pub pains: Vec<TopPain>,
    /// Its errors (a site with any cannot be built).
    pub errors: usize,
    /// Its honesty warnings, in the order `check` prints them.
    pub warnings: Vec<Warned>,
    /// Its solutions, by phase (now, next, later), each in the site's order.
    pub solutions: Vec<(&'static str, Vec<Planned>)>,
    /// Its discovery sessions with a date, oldest first.
    pub sessions: Vec<Session>,
    /// Every item by id: what another team's `team:id` may name. Not shown
    /// (the org pages show the references that resolve, `Portfolio::links`).
    #[serde(skip)]
    pub items: BTreeMap<String, Known>,
    /// Its references to other teams' items, in item order. Not shown: see `items`.
    #[serde(skip)]
    pub refs: Vec<Outgoing>,
}

/// One item of a team, as another team's reference sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Known {
    pub kind: Kind,
    pub title: String,
    /// On the team's published site, when it has an address.
    pub url: Option<String>,
}

/// One reference of a team's item to another team's item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outgoing {
    /// The referring item's id.
    pub from: String,
    pub reference: TeamRef,
    /// The referring item's file, relative to the team's site folder (read
    /// from a folder only: items.json does not say where it was written).
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct TopPain {
    pub id: String,
    pub rank: usize,
    pub title: String,
    pub users: Vec<String>,
    /// On the team's published site, when it has an address.
    pub url: Option<String>,
    /// Other teams' solutions that address it (`addresses: [team:id]`).
    pub addressed_by: Vec<Across>,
}

/// Another team's item, as the org pages link it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Across {
    /// The other team's name.
    pub team: String,
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Warned {
    pub code: &'static str,
    pub message: String,
    /// `content/pain/x.md:3`, when the warning has a place.
    pub place: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Planned {
    pub title: String,
    pub category: &'static str,
    pub effort: Option<f64>,
    pub validation: Option<&'static str>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Session {
    /// `2026-09-14`.
    pub date: String,
    /// Its calendar quarter, `2026-Q3`.
    pub quarter: String,
    /// Each participant's team, as the team's site spells it, and hours.
    pub participants: Vec<(String, f64)>,
}

impl Team {
    /// A team whose site could not be read (`why`): only its names.
    pub(crate) fn failed(entry: &TeamEntry, why: String) -> Team {
        let mut team = Team::empty(entry);
        team.failure = Some(why);
        team
    }

    pub(super) fn empty(entry: &TeamEntry) -> Team {
        Team {
            short: entry.team.clone(),
            name: entry.name.clone().unwrap_or_else(|| entry.team.clone()),
            site: entry.site.clone(),
            own: None,
            failure: None,
            mode: None,
            charter: None,
            target: crate::model::figures::target_split(None),
            actual: None,
            immediate: 0.0,
            future: 0.0,
            funnel: Vec::new(),
            pains: Vec::new(),
            errors: 0,
            warnings: Vec::new(),
            solutions: Vec::new(),
            sessions: Vec::new(),
            items: BTreeMap::new(),
            refs: Vec::new(),
        }
    }

    /// The team of `entry`, from its modelled site and what its load and
    /// model found; `site` is its address (the entry's, else the vocabulary's).
    pub(crate) fn of(entry: &TeamEntry, model: &Site, found: &[Diagnostic], site: Option<String>) -> Team {
        let mut team = Team::empty(entry);
        team.site = site;
        let charter = model.charter();
        if let Some(Details::Charter(c)) = charter.map(|c| &c.details) {
            team.mode = Some(c.mode.as_str());
            team.own = Some(c.team.trim().to_string()).filter(|t| !t.is_empty());
            if entry.name.is_none() && !c.team.trim().is_empty() {
                team.name = c.team.trim().to_string();
            }
        }
        team.charter = charter.map(|c| c.summary.clone().unwrap_or_else(|| c.title.clone()));
        team.target = model.balance.target;
        team.actual = model.balance.actual;
        (team.immediate, team.future) = planned(model);
        team.funnel = Validation::ALL.iter().map(|&v| (v.as_str(), model.solutions_at(v))).collect();
        team.pains = top_pains(model, team.site.as_deref());
        team.errors = found.iter().filter(|d| d.severity == Severity::Error).count();
        team.warnings = found.iter().filter(|d| d.severity == Severity::Warning).map(warned).collect();
        team.solutions = roadmap(model, team.site.as_deref());
        team.sessions = sessions(model);
        let site = team.site.clone();
        team.items = model
            .items
            .iter()
            .map(|item| {
                let url = link(site.as_deref(), item.kind, &item.id);
                (item.id.clone(), Known { kind: item.kind, title: item.title.clone(), url })
            })
            .collect();
        team.refs = model
            .items
            .iter()
            .zip(&model.computed)
            .flat_map(|(item, c)| {
                c.elsewhere.iter().map(|r| Outgoing {
                    from: item.id.clone(),
                    reference: r.clone(),
                    file: Some(item.file.clone()),
                })
            })
            .collect();
        team
    }

    /// Its warnings counted by code, by code.
    pub(crate) fn warnings_by_code(&self) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for w in &self.warnings {
            *out.entry(w.code).or_insert(0) += 1;
        }
        out
    }
}

/// Planned effort (now and next) by category, as the team's balance counts it.
fn planned(model: &Site) -> (f64, f64) {
    let (mut immediate, mut future) = (0.0, 0.0);
    for (_, item) in model.of_kind(Kind::Solution) {
        if let Details::Solution(s) = &item.details
            && s.phase != Phase::Later
        {
            match s.category {
                Category::Immediate => immediate += s.effort.unwrap_or(0.0),
                Category::Future => future += s.effort.unwrap_or(0.0),
            }
        }
    }
    (immediate, future)
}

pub(super) fn link(site: Option<&str>, kind: Kind, id: &str) -> Option<String> {
    site.map(|s| format!("{s}{}", crate::model::url_of(kind, id)))
}

fn top_pains(model: &Site, site: Option<&str>) -> Vec<TopPain> {
    let mut ranked: Vec<(usize, &crate::model::item::Item, &[String])> = model
        .of_kind(Kind::Pain)
        .filter_map(|(i, item)| match &item.details {
            Details::Pain(p) if p.status.still_hurts() => Some((model.computed[i].rank?, item, p.users.as_slice())),
            _ => None,
        })
        .collect();
    ranked.sort_by_key(|(rank, item, _)| (*rank, &item.id));
    ranked
        .into_iter()
        .take(TOP_PAINS)
        .map(|(rank, item, users)| TopPain {
            id: item.id.clone(),
            rank,
            title: item.title.clone(),
            users: users.to_vec(),
            url: link(site, Kind::Pain, &item.id),
            addressed_by: Vec::new(),
        })
        .collect()
}

fn warned(d: &Diagnostic) -> Warned {
    let place = d.file.as_ref().map(|f| match d.pos {
        Some(pos) => format!("{}:{}", f.display(), pos.line),
        None => f.display().to_string(),
    });
    Warned { code: d.code, message: d.message.clone(), place }
}

fn roadmap(model: &Site, site: Option<&str>) -> Vec<(&'static str, Vec<Planned>)> {
    <Phase as Choice>::ALL
        .iter()
        .map(|&phase| {
            let cards = model
                .of_kind(Kind::Solution)
                .filter_map(|(i, item)| match &item.details {
                    Details::Solution(s) if s.phase == phase => Some(Planned {
                        title: item.title.clone(),
                        category: s.category.as_str(),
                        effort: s.effort,
                        validation: model.computed[i].validation.map(Validation::as_str),
                        url: link(site, Kind::Solution, &item.id),
                    }),
                    _ => None,
                })
                .collect();
            (phase.as_str(), cards)
        })
        .collect()
}

fn sessions(model: &Site) -> Vec<Session> {
    let mut out: Vec<(&str, Session)> = model
        .of_kind(Kind::Discovery)
        .filter_map(|(_, item)| match &item.details {
            Details::Discovery(d) => Some((
                item.id.as_str(),
                Session {
                    date: d.date?.to_string(),
                    quarter: crate::model::discovery::Quarter::of(d.date?).to_string(),
                    participants: d.participants.iter().map(|p| (p.team.clone(), p.hours)).collect(),
                },
            )),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| (&a.1.date, a.0).cmp(&(&b.1.date, b.0)));
    out.into_iter().map(|(_, s)| s).collect()
}

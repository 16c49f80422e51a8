//! A team given by its published `items.json` (`items:`, a file or a URL)
//! rather than its site folder: the same [`Team`] the org pages show, read
//! from what the team's own build wrote, so a portfolio needs neither the
//! team's sources nor access to its repository. The file's
//! `schema_version` says which format it is; a newer one is refused rather
//! than misread.
//!
//! Cost: one JSON parse per team (about a megabyte at a thousand items);
//! only the fields the org pages show are kept.

use super::entries::TeamEntry;
use super::team::{Known, Outgoing, Planned, Session, Team, TopPain, Warned};
use crate::load::published::{self, Percentages, Published, PublishedItem, PublishedWarning};
use crate::model::elsewhere::TeamRef;
use crate::model::item::Split;
use crate::model::{Category, Choice, Kind, Mode, PainStatus, Phase, Validation};

/// The word spelled `text`, if any (a newer charted may write words this one does not know).
fn word<T: Choice>(text: Option<&str>) -> Option<T> {
    text.and_then(T::parse)
}

/// Team `entry` from the bytes of its `items.json`, or why they are not one.
/// `site` is the team's published address, when the portfolio knows it.
pub(crate) fn read(entry: &TeamEntry, bytes: &[u8], site: Option<String>) -> Result<Team, String> {
    Ok(team(entry, published::parse(bytes)?, site))
}

fn team(entry: &TeamEntry, published: Published, site: Option<String>) -> Team {
    let mut team = Team::empty(entry);
    team.site = site;
    let items = &published.items;
    let kind_of = |item: &PublishedItem| Kind::parse(&item.kind);
    if let Some(charter) = items.iter().find(|i| kind_of(i) == Some(Kind::Charter)) {
        team.mode = word::<Mode>(charter.mode.as_deref()).map(|m| m.as_str());
        team.own = charter.team.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from);
        if entry.name.is_none()
            && let Some(own) = &team.own
        {
            team.name = own.clone();
        }
        team.charter = Some(charter.summary.clone().unwrap_or_else(|| charter.title.clone()));
    }
    team.target = split_of(published.figures.split.target);
    team.actual = published.figures.split.actual.map(split_of);
    let solutions = || items.iter().filter(|i| kind_of(i) == Some(Kind::Solution));
    for s in solutions().filter(|s| word::<Phase>(s.phase.as_deref()).is_some_and(|p| p != Phase::Later)) {
        match word::<Category>(s.category.as_deref()) {
            Some(Category::Immediate) => team.immediate += s.effort.unwrap_or(0.0),
            Some(Category::Future) => team.future += s.effort.unwrap_or(0.0),
            None => {}
        }
    }
    team.funnel = Validation::ALL
        .iter()
        .map(|&v| (v.as_str(), solutions().filter(|s| s.validation.as_deref() == Some(v.as_str())).count()))
        .collect();
    let site = team.site.clone();
    let site = site.as_deref();
    team.pains = top_pains(items, site);
    team.warnings = published.warnings.iter().map(warned).collect();
    team.solutions = roadmap(items, site);
    team.sessions = sessions(items);
    team.items = items
        .iter()
        .filter_map(|i| {
            Some((i.id.clone(), Known { kind: kind_of(i)?, title: i.title.clone(), url: address(i, site) }))
        })
        .collect();
    team.refs = items.iter().flat_map(outgoing).collect();
    team
}

fn split_of(p: Percentages) -> Split {
    Split { immediate: p.immediate, future: p.future }
}

fn top_pains(items: &[PublishedItem], site: Option<&str>) -> Vec<TopPain> {
    let mut ranked: Vec<(usize, &PublishedItem)> = items
        .iter()
        .filter(|i| i.kind == Kind::Pain.as_str())
        .filter(|i| word::<PainStatus>(i.status.as_deref()).is_some_and(PainStatus::still_hurts))
        .filter_map(|i| Some((i.rank?, i)))
        .collect();
    ranked.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    ranked
        .into_iter()
        .take(super::team::TOP_PAINS)
        .map(|(rank, i)| TopPain {
            id: i.id.clone(),
            rank,
            title: i.title.clone(),
            users: i.users.clone().unwrap_or_default(),
            url: address(i, site),
            addressed_by: Vec::new(),
        })
        .collect()
}

/// An item's page: its `url` when the team's build wrote an absolute one
/// (its `base_url` has a host), else on the team's known `site`.
fn address(item: &PublishedItem, site: Option<&str>) -> Option<String> {
    if crate::config::is_web_url(&item.url) {
        return Some(item.url.clone());
    }
    super::team::link(site, Kind::parse(&item.kind)?, &item.id)
}

fn warned(w: &PublishedWarning) -> Warned {
    let code = crate::model::checks::WARNINGS.iter().find(|k| k.code == w.code).map_or("warning", |k| k.code);
    let place = w.file.as_ref().map(|f| match w.line {
        Some(line) => format!("{f}:{line}"),
        None => f.clone(),
    });
    Warned { code, message: w.message.clone(), place }
}

fn roadmap(items: &[PublishedItem], site: Option<&str>) -> Vec<(&'static str, Vec<Planned>)> {
    <Phase as Choice>::ALL
        .iter()
        .map(|&phase| {
            let cards = items
                .iter()
                .filter(|i| i.kind == Kind::Solution.as_str() && i.phase.as_deref() == Some(phase.as_str()))
                .map(|i| Planned {
                    title: i.title.clone(),
                    category: word::<Category>(i.category.as_deref()).unwrap_or(Category::Immediate).as_str(),
                    effort: i.effort,
                    validation: word::<Validation>(i.validation.as_deref()).map(Validation::as_str),
                    url: address(i, site),
                })
                .collect();
            (phase.as_str(), cards)
        })
        .collect()
}

fn sessions(items: &[PublishedItem]) -> Vec<Session> {
    let mut out: Vec<(&str, Session)> = items
        .iter()
        .filter(|i| i.kind == Kind::Discovery.as_str())
        .filter_map(|i| {
            let date: jiff::civil::Date = i.date.as_deref()?.parse().ok()?;
            let participants = i.participants.as_deref().unwrap_or_default();
            Some((
                i.id.as_str(),
                Session {
                    date: date.to_string(),
                    quarter: crate::model::discovery::Quarter::of(date).to_string(),
                    participants: participants.iter().map(|p| (p.team.clone(), p.hours)).collect(),
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| (&a.1.date, a.0).cmp(&(&b.1.date, b.0)));
    out.into_iter().map(|(_, s)| s).collect()
}

/// An item's references to other teams' items: no place in a file (the
/// portfolio reports a dangling one at the entry's `items:`), and no URL
/// until the portfolio resolves it.
fn outgoing(item: &PublishedItem) -> impl Iterator<Item = Outgoing> + '_ {
    item.team_references.iter().map(move |r| {
        let (field, kind) = crate::model::graph::field(&r.field).unwrap_or(("body", None));
        Outgoing {
            from: item.id.clone(),
            reference: TeamRef {
                field,
                team: r.team.clone(),
                id: r.id.clone(),
                kind,
                pos: crate::diagnostic::Pos::default(),
                url: None,
                title: None,
                missing: false,
                suggestion: None,
            },
            file: None,
        }
    })
}

//! References between teams' items in a portfolio (`ci:slow-pr-builds`):
//! each resolved against the named team's items, the ones that resolve
//! shown on the org pages (and on the pain they address), the others
//! errors. A team's own build cannot check them; the portfolio, which
//! reads every team, can.
//!
//! Cost: one map lookup per reference; the teams' item maps (every id of
//! every team, 50,000 at fifty teams of a thousand) are built while the
//! teams are read.

use std::collections::HashMap;

use super::team::{Across, Outgoing, Team};
use crate::diagnostic::did_you_mean;
use crate::vocabulary::Vocabulary;

/// One reference that resolved: an item of one team naming another team's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Link {
    /// The fields it is written in (`addresses`), or `body`: one link for
    /// an item naming another in its front matter and its body.
    pub fields: Vec<&'static str>,
    pub from_team: String,
    pub from_title: String,
    pub from_url: Option<String>,
    pub to_team: String,
    pub to_title: String,
    pub to_url: Option<String>,
    /// The named item's kind, as its label says it (`Pain`).
    pub to_kind: &'static str,
}

/// One reference that does not resolve, and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dangling {
    /// The referring team, by its index in the portfolio.
    pub team: usize,
    pub reference: Outgoing,
    pub why: String,
    pub help: String,
}

/// The team `short` names: the entry whose short name it is, else the team
/// its name or an alias (through the vocabulary) spells.
fn find(teams: &[Team], vocabulary: &Vocabulary, short: &str) -> Option<usize> {
    if let Some(i) = teams.iter().position(|t| t.short == short) {
        return Some(i);
    }
    teams.iter().position(|t| {
        [Some(t.name.as_str()), t.own.as_deref()].into_iter().flatten().any(|n| vocabulary.same_team(n, short))
    })
}

/// Every team's references resolved: the links, and the dangling ones.
/// Each pain another team's solution addresses gains it in `addressed_by`.
pub(crate) fn resolve(teams: &mut [Team], vocabulary: &Vocabulary) -> (Vec<Link>, Vec<Dangling>) {
    let mut links: Vec<Link> = Vec::new();
    let mut dangling = Vec::new();
    let mut addressed: Vec<(usize, String, Across)> = Vec::new();
    // Each link by (from team, from item, to team, to item): its place in `links`.
    let mut seen: HashMap<(usize, &str, usize, &str), usize> = HashMap::new();
    for (from, team) in teams.iter().enumerate() {
        for out in &team.refs {
            let r = &out.reference;
            let Some(to) = find(teams, vocabulary, &r.team) else {
                let shorts = teams.iter().map(|t| t.short.as_str());
                let hint = did_you_mean(&r.team, shorts).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
                dangling.push(Dangling {
                    team: from,
                    reference: out.clone(),
                    why: format!("names the team `{}`, which the portfolio does not list", r.team),
                    help: format!("{hint}write the short name of a team under `portfolio:`, or add the team there"),
                });
                continue;
            };
            let target = &teams[to];
            let Some(known) = target.items.get(&r.id).filter(|k| r.kind.is_none_or(|kind| kind == k.kind)) else {
                let wanted = r.kind.map_or("item".to_string(), |k| k.label().to_lowercase());
                let candidates = target
                    .items
                    .iter()
                    .filter(|(_, k)| r.kind.is_none_or(|kind| kind == k.kind))
                    .map(|(id, _)| id.as_str());
                let hint = did_you_mean(&r.id, candidates).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
                let why = match target.items.get(&r.id) {
                    Some(k) => format!(
                        "names `{}`, which is a {} of {}, not a {wanted}",
                        r.spelled(),
                        k.kind.label().to_lowercase(),
                        target.name
                    ),
                    None => format!("names `{}`, but {} has no {wanted} with that id", r.spelled(), target.name),
                };
                dangling.push(Dangling {
                    team: from,
                    reference: out.clone(),
                    why,
                    help: format!("{hint}fix the id, or ask {} whether the item was renamed or removed", target.name),
                });
                continue;
            };
            if let Some(&at) = seen.get(&(from, out.from.as_str(), to, r.id.as_str())) {
                links[at].fields.push(r.field);
                continue;
            }
            seen.insert((from, out.from.as_str(), to, r.id.as_str()), links.len());
            let source = team.items.get(&out.from);
            let link = Link {
                fields: vec![r.field],
                from_team: team.name.clone(),
                from_title: source.map_or_else(|| out.from.clone(), |k| k.title.clone()),
                from_url: source.and_then(|k| k.url.clone()),
                to_team: target.name.clone(),
                to_title: known.title.clone(),
                to_url: known.url.clone(),
                to_kind: known.kind.label(),
            };
            if r.field == "addresses" {
                let across =
                    Across { team: link.from_team.clone(), title: link.from_title.clone(), url: link.from_url.clone() };
                addressed.push((to, r.id.clone(), across));
            }
            links.push(link);
        }
    }
    for (to, id, across) in addressed {
        if let Some(pain) = teams[to].pains.iter_mut().find(|p| p.id == id) {
            pain.addressed_by.push(across);
        }
    }
    (links, dangling)
}

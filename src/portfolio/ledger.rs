//! The shared discovery ledger: per calendar quarter, the hours each team
//! gave to the other teams' discovery and which teams asked it, against
//! `portfolio_limits:`. Team names are canonicalised through the
//! portfolio's vocabulary, so "Payments team" and "Payments" are one team.

use std::collections::{BTreeMap, BTreeSet};

use super::Limits;
use super::team::Team;
use crate::model::figures::round1;
use crate::model::names::team_key;
use crate::vocabulary::Vocabulary;

/// Every quarter some team gave discovery time in, oldest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Ledger {
    pub quarters: Vec<LedgerQuarter>,
    /// `portfolio_limits:` as the ledger judged it.
    pub askers_per_quarter: usize,
    pub hours_per_quarter: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct LedgerQuarter {
    /// `2026-Q3`.
    pub quarter: String,
    /// Each team that gave time, by name.
    pub givers: Vec<Given>,
    /// All hours given this quarter.
    pub hours: f64,
}

/// What one team gave in one quarter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Given {
    pub team: String,
    pub hours: f64,
    /// The teams that asked, by name.
    pub askers: Vec<String>,
    /// More teams asked than `askers_per_quarter` allows.
    pub too_many_askers: bool,
    /// It gave more hours than `hours_per_quarter` allows.
    pub over_budget: bool,
}

/// The canonical spelling of a team's name: the vocabulary's name it or an
/// alias of it spells, else the name as written.
pub(crate) fn canonical(vocabulary: &Vocabulary, name: &str) -> String {
    let key = team_key(name);
    let teams = vocabulary.teams.as_deref().unwrap_or_default();
    teams
        .iter()
        .find(|c| team_key(&c.name) == key || c.aliases.iter().any(|a| team_key(a) == key))
        .map_or_else(|| name.trim().to_string(), |c| c.name.clone())
}

/// What one team gave in a quarter so far: its name, hours and askers.
type Gave = (String, f64, BTreeSet<String>);

impl Ledger {
    /// The ledger of `teams`' discovery sessions: a participant of the
    /// asking team itself gives nothing.
    pub(crate) fn of(teams: &[Team], vocabulary: &Vocabulary, limits: &Limits) -> Ledger {
        // By quarter, then by giving team's key: its name, hours and askers.
        let mut sums: BTreeMap<&str, BTreeMap<String, Gave>> = BTreeMap::new();
        for team in teams {
            // Known by its charter's team name; shown by its name in the portfolio.
            let own = canonical(vocabulary, team.own.as_deref().unwrap_or(&team.name));
            let asker = team.name.clone();
            for session in &team.sessions {
                for (participant, hours) in &session.participants {
                    let giver = canonical(vocabulary, participant);
                    if team_key(&giver) == team_key(&own) {
                        continue;
                    }
                    let quarter = sums.entry(session.quarter.as_str()).or_default();
                    let entry = quarter.entry(team_key(&giver)).or_insert_with(|| (giver, 0.0, BTreeSet::new()));
                    entry.1 += hours;
                    entry.2.insert(asker.clone());
                }
            }
        }
        let quarters = sums
            .into_iter()
            .map(|(quarter, givers)| {
                let givers: Vec<Given> = givers
                    .into_values()
                    .map(|(team, hours, askers)| Given {
                        team,
                        hours: round1(hours),
                        too_many_askers: askers.len() > limits.askers_per_quarter,
                        over_budget: limits.hours_per_quarter.is_some_and(|limit| hours > limit),
                        askers: askers.into_iter().collect(),
                    })
                    .collect();
                let hours = round1(givers.iter().map(|g| g.hours).sum());
                LedgerQuarter { quarter: quarter.to_string(), givers, hours }
            })
            .collect();
        Ledger { quarters, askers_per_quarter: limits.askers_per_quarter, hours_per_quarter: limits.hours_per_quarter }
    }
}

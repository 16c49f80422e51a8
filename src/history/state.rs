//! What a site showed at one moment, reduced to what reviews compare: each
//! item's rank, status, validation and roadmap phase, each SLA's level, the
//! 70/30 split and the validation funnel. Small, so a dozen reviews of a
//! 10,000-item site cost a few megabytes, not a dozen models.

use std::collections::BTreeMap;

use crate::model::item::Split;
use crate::model::{Category, Choice, Details, Kind, Phase, Site, Validation};

/// One item's facts that a review compares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facts {
    pub kind: Kind,
    pub title: String,
    /// The ids this item was known by before (`aliases:`): a rename.
    pub aliases: Vec<String>,
    /// A pain's rank among the pains.
    pub rank: Option<usize>,
    /// A pain's or an experiment's status word.
    pub status: Option<&'static str>,
    pub validation: Option<Validation>,
    pub phase: Option<Phase>,
    pub category: Option<Category>,
    /// An experiment's result.
    pub result: Option<String>,
    /// An SLA's current and expected level, and its unit.
    pub level: Option<Level>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Level {
    pub current: f64,
    pub expected: f64,
    pub unit: Option<String>,
}

/// The whole site's facts at one moment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    /// By id, so every walk over them is in one order.
    pub items: BTreeMap<String, Facts>,
    pub target: Split,
    /// The effort-weighted split of planned work; `None` with none planned.
    pub split: Option<Split>,
    /// Solutions per validation, in [`Validation::ALL`] order.
    pub funnel: Vec<(Validation, usize)>,
}

impl State {
    /// The facts of `site`.
    pub(crate) fn of(site: &Site) -> State {
        let items = site
            .items
            .iter()
            .zip(&site.computed)
            .map(|(item, computed)| {
                let mut facts = Facts {
                    kind: item.kind,
                    title: item.title.clone(),
                    aliases: item.aliases.iter().map(|a| a.value.clone()).collect(),
                    rank: computed.rank,
                    status: None,
                    validation: computed.validation,
                    phase: None,
                    category: None,
                    result: None,
                    level: None,
                };
                match &item.details {
                    Details::Pain(p) => {
                        facts.status = Some(p.status.as_str());
                        facts.category = Some(p.category);
                    }
                    Details::Solution(s) => {
                        facts.phase = Some(s.phase);
                        facts.category = Some(s.category);
                    }
                    Details::Experiment(e) => {
                        facts.status = Some(e.status.as_str());
                        facts.result = e.result.clone();
                    }
                    Details::Sla(s) => {
                        facts.level = Some(Level { current: s.current, expected: s.expected, unit: s.unit.clone() })
                    }
                    _ => {}
                }
                (item.id.clone(), facts)
            })
            .collect();
        let funnel = Validation::ALL.iter().map(|&v| (v, site.solutions_at(v))).collect();
        State { items, target: site.balance.target, split: site.balance.actual, funnel }
    }

    /// The id an item had here, given its id now and its aliases: itself, or
    /// the first alias this state knew.
    pub(crate) fn known_as<'a>(&self, id: &'a str, aliases: &'a [String]) -> Option<&'a str> {
        std::iter::once(id).chain(aliases.iter().map(String::as_str)).find(|&old| self.items.contains_key(old))
    }
}

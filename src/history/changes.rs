//! What changed between two states of a site: items added, removed and
//! renamed, pains whose rank moved, status and validation transitions,
//! roadmap moves and SLA levels. One pass over both states' items by id.

use super::state::{Facts, State};
use crate::model::item::Split;
use crate::model::{Choice, Kind, Phase};

/// An item as a change names it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Named {
    pub id: String,
    pub kind: Kind,
    pub title: String,
}

/// One field of one item that moved from one value to another.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Transition {
    pub item: Named,
    /// `status` or `validation`.
    pub field: &'static str,
    pub from: String,
    pub to: String,
    /// An experiment's result, when it finished with one.
    pub result: Option<String>,
}

/// A pain whose rank moved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Move {
    pub item: Named,
    pub from: usize,
    pub to: usize,
}

/// A solution that moved between now, next and later.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Replan {
    pub item: Named,
    pub from: Phase,
    pub to: Phase,
}

/// An SLA whose current level changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shift {
    pub item: Named,
    pub from: f64,
    pub to: f64,
    pub expected: f64,
    pub unit: Option<String>,
}

/// Everything that changed from one state to the next.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Changes {
    pub added: Vec<Named>,
    pub removed: Vec<Named>,
    /// The old id, and the item as it is now.
    pub renamed: Vec<(String, Named)>,
    /// Pains whose rank moved, the largest moves first.
    pub moves: Vec<Move>,
    pub transitions: Vec<Transition>,
    pub replans: Vec<Replan>,
    pub shifts: Vec<Shift>,
    /// The actual 70/30 split then and now.
    pub split: (Option<Split>, Option<Split>),
}

impl Changes {
    /// Whether nothing a review compares changed.
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.moves.is_empty()
            && self.transitions.is_empty()
            && self.replans.is_empty()
            && self.shifts.is_empty()
    }

    /// How many changes, of every sort.
    pub(crate) fn count(&self) -> usize {
        self.added.len()
            + self.removed.len()
            + self.renamed.len()
            + self.moves.len()
            + self.transitions.len()
            + self.replans.len()
            + self.shifts.len()
    }
}

fn named(id: &str, facts: &Facts) -> Named {
    Named { id: id.to_string(), kind: facts.kind, title: facts.title.clone() }
}

/// What changed from `old` to `new`.
pub(crate) fn between(old: &State, new: &State) -> Changes {
    let mut changes = Changes { split: (old.split, new.split), ..Changes::default() };
    // Old ids that an item of `new` still carries as an alias were renamed, not removed.
    let mut carried = std::collections::HashSet::new();
    for (id, facts) in &new.items {
        let Some(was) = old.known_as(id, &facts.aliases) else {
            changes.added.push(named(id, facts));
            continue;
        };
        carried.insert(was);
        if was != id {
            changes.renamed.push((was.to_string(), named(id, facts)));
        }
        if let Some(before) = old.items.get(was) {
            compare(before, id, facts, &mut changes);
        }
    }
    for (id, facts) in &old.items {
        if !carried.contains(id.as_str()) {
            changes.removed.push(named(id, facts));
        }
    }
    changes.moves.sort_by(|a, b| {
        let size = |m: &Move| m.from.abs_diff(m.to);
        size(b).cmp(&size(a)).then(a.to.cmp(&b.to))
    });
    changes
}

/// The changes of one item that is in both states.
pub(crate) fn compare(before: &Facts, id: &str, after: &Facts, changes: &mut Changes) {
    let item = || named(id, after);
    if let (Some(from), Some(to)) = (before.rank, after.rank)
        && from != to
    {
        changes.moves.push(Move { item: item(), from, to });
    }
    if let (Some(from), Some(to)) = (before.status, after.status)
        && from != to
    {
        let result = if after.kind == Kind::Experiment { after.result.clone() } else { None };
        changes.transitions.push(Transition {
            item: item(),
            field: "status",
            from: from.into(),
            to: to.into(),
            result,
        });
    }
    if after.kind == Kind::Solution
        && let (Some(from), Some(to)) = (before.validation, after.validation)
        && from != to
    {
        changes.transitions.push(Transition {
            item: item(),
            field: "validation",
            from: from.as_str().into(),
            to: to.as_str().into(),
            result: None,
        });
    }
    if let (Some(from), Some(to)) = (before.phase, after.phase)
        && from != to
    {
        changes.replans.push(Replan { item: item(), from, to });
    }
    if let (Some(from), Some(to)) = (&before.level, &after.level)
        && from.current != to.current
    {
        let (expected, unit) = (to.expected, to.unit.clone());
        changes.shifts.push(Shift { item: item(), from: from.current, to: to.current, expected, unit });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PainStatus, Validation};
    use std::collections::BTreeMap;

    fn facts(kind: Kind) -> Facts {
        Facts {
            kind,
            title: "T".into(),
            aliases: Vec::new(),
            rank: None,
            status: None,
            validation: None,
            phase: None,
            category: None,
            result: None,
            level: None,
        }
    }

    fn state(items: Vec<(&str, Facts)>) -> State {
        State {
            items: items.into_iter().map(|(id, f)| (id.to_string(), f)).collect::<BTreeMap<_, _>>(),
            target: Split { immediate: 70.0, future: 30.0 },
            split: None,
            funnel: Vec::new(),
        }
    }

    #[test]
    fn a_rename_by_alias_is_not_an_addition_and_a_removal() {
        let old = state(vec![("slow-ci", facts(Kind::Pain)), ("gone", facts(Kind::Pain))]);
        let mut renamed = facts(Kind::Pain);
        renamed.aliases = vec!["slow-ci".into()];
        let new = state(vec![("slow-builds", renamed), ("fresh", facts(Kind::Pain))]);
        let changes = between(&old, &new);
        assert_eq!(changes.renamed.len(), 1);
        assert_eq!(changes.renamed[0].0, "slow-ci");
        assert_eq!(changes.added.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["fresh"]);
        assert_eq!(changes.removed.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["gone"]);
    }

    #[test]
    fn ranks_statuses_and_validations_that_moved_are_listed() {
        let mut a = facts(Kind::Pain);
        a.rank = Some(3);
        a.status = Some(PainStatus::Open.as_str());
        let mut b = a.clone();
        b.rank = Some(1);
        b.status = Some(PainStatus::Mitigated.as_str());
        let mut s1 = facts(Kind::Solution);
        s1.validation = Some(Validation::Validating);
        let mut s2 = s1.clone();
        s2.validation = Some(Validation::Validated);
        let changes = between(&state(vec![("p", a), ("s", s1)]), &state(vec![("p", b), ("s", s2)]));
        assert_eq!((changes.moves[0].from, changes.moves[0].to), (3, 1));
        let t: Vec<_> = changes.transitions.iter().map(|t| (t.field, t.from.as_str(), t.to.as_str())).collect();
        assert_eq!(t, [("status", "open", "mitigated"), ("validation", "validating", "validated")]);
    }
}

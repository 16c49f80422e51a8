//! What item pages and the SLA list show of the site's history: each item's
//! timeline of changes in plain words, and each SLA's level per state as a
//! sparkline; template values made from the `History` once per run that
//! changes the site's structure or its reviews (they are kept in `Shown`).

use rayon::prelude::*;
use tera::{Map, Value};

use super::charts;
use super::view::{Obj, number, with_unit};
use crate::history::{Changes, History, Review};
use crate::model::item::Sla;
use crate::model::{Choice, Details, Item, Site};

/// Per item, its timeline (see [`timeline`]); every one null when the site
/// has no reviews, so its pages show no History section.
pub(crate) fn timelines(site: &Site, history: &History) -> Vec<Value> {
    if !history.has_reviews() {
        return vec![Value::none(); site.items.len()];
    }
    site.items.par_iter().map(|item| timeline(item, history)).collect()
}

/// One item's timeline: `rows`, one per state where it changed (`review`,
/// `date` unless it is the work tree, `now`, and `changes` in words); `since`
/// and `since_date`, the first review, when the item was already in it (that
/// row is left out: it would say "added" of what was there before); for an
/// SLA, `sparkline`. O(states) lookups, so linear in items × reviews.
fn timeline(item: &Item, history: &History) -> Value {
    let aliases: Vec<String> = item.aliases.iter().map(|a| a.value.clone()).collect();
    let mut steps = history.timeline(&item.id, &aliases);
    let first = history.states.first();
    let mut obj = Obj::default();
    if let (Some(first), Some((state, _))) = (first, steps.first())
        && std::ptr::eq(*state, first)
    {
        obj = obj.set("since", first.name.as_str()).set("since_date", first.date.to_string());
        steps.remove(0);
    }
    let rows: Vec<Value> = steps.iter().map(|(state, changes)| row(state, changes)).collect();
    let sparkline = match &item.details {
        Details::Sla(sla) => sparkline(item, sla, history),
        _ => None,
    };
    obj.set("rows", Value::from(rows)).opt("sparkline", sparkline.map(|s| Value::safe_string(&s))).value()
}

fn row(state: &Review, changes: &Changes) -> Value {
    let now = state.commit.is_empty();
    let words: Vec<Value> = words(changes).into_iter().map(Value::from).collect();
    Obj::default()
        .set("review", state.name.as_str())
        .opt("date", (!now).then(|| state.date.to_string()))
        .set("now", now)
        .set("changes", Value::from(words))
        .value()
}

/// One item's changes in plain words: "added", "renamed from slow-ci-builds",
/// "rank #3 → #1", "status open → mitigated", "validation validating →
/// validated", "phase next → now", "level 44 → 41 min".
pub(crate) fn words(changes: &Changes) -> Vec<String> {
    let mut out: Vec<String> = changes.added.iter().map(|_| "added".to_string()).collect();
    out.extend(changes.renamed.iter().map(|(old, _)| format!("renamed from {old}")));
    out.extend(changes.moves.iter().map(|m| format!("rank #{} → #{}", m.from, m.to)));
    out.extend(changes.transitions.iter().map(|t| format!("{} {} → {}", t.field, t.from, t.to)));
    out.extend(changes.replans.iter().map(|r| format!("phase {} → {}", r.from.as_str(), r.to.as_str())));
    out.extend(
        changes.shifts.iter().map(|s| format!("level {} → {}", number(s.from), with_unit(s.to, s.unit.as_deref()))),
    );
    out
}

/// The sparkline of an SLA's level in every state that had it, each point
/// met or missed by the model's rule in the SLA's direction today.
fn sparkline(item: &Item, sla: &Sla, history: &History) -> Option<String> {
    let aliases: Vec<String> = item.aliases.iter().map(|a| a.value.clone()).collect();
    let levels = history.levels(&item.id, &aliases);
    if levels.is_empty() {
        return None;
    }
    let points: Vec<charts::Level> = levels
        .iter()
        .map(|(state, level)| charts::Level {
            label: state.name.as_str(),
            value: level.current,
            expected: level.expected,
            met: sla.better.is_met(level.current, level.expected),
        })
        .collect();
    Some(charts::sparkline(&item.title, &points, sla.unit.as_deref(), sla.better.as_str()))
}

/// The SLA list's sparklines, by SLA id; empty when the site has no reviews.
pub(crate) fn sparklines(site: &Site, history: &History) -> Value {
    let mut map = Map::new();
    if history.has_reviews() {
        for item in &site.items {
            if let Details::Sla(sla) = &item.details
                && let Some(svg) = sparkline(item, sla, history)
            {
                map.insert(item.id.clone().into(), Value::safe_string(&svg));
            }
        }
    }
    Value::from(map)
}

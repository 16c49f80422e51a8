//! The warnings that keep validation earned and coverage live: a verdict
//! without its evidence, a validation set by hand, a disproved solution
//! still planned, a big solution nobody has tested.

use jiff::civil::Date;

use super::super::item::{Details, Experiment, Item, Solution};
use super::super::kind::*;
use super::super::{Computed, figures};
use super::days_between;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::words::Choice;

/// Every warning of this module for `item`.
pub(super) fn rules(item: &Item, c: &Computed, config: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    match &item.details {
        Details::Experiment(e) => unearned(item, e, out),
        Details::Solution(s) => {
            hand_set(item, s, out);
            still_planned(item, s, c, out);
            untested_favourite(item, s, c, config, today, out);
        }
        _ => {}
    }
}

/// A verdict with no kill criterion, result or end date: its solution shows
/// as claimed, so the team sees why it is not validated.
fn unearned(item: &Item, e: &Experiment, out: &mut Vec<Diagnostic>) {
    let missing = figures::unearned(e);
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing.iter().map(|f| format!("`{f}`")).collect();
    let fields: Vec<String> = missing
        .iter()
        .map(|&f| match f {
            "falsified_if" => "`falsified_if:` (the kill criterion)".to_string(),
            "result" => "`result:` (what happened)".to_string(),
            _ => format!("`{f}:` (the end date)"),
        })
        .collect();
    out.push(
        Diagnostic::warning(
            "unearned-validation",
            format!(
                "experiment `{}` says {} but has no {}: its solution counts as claimed, not {}",
                item.id,
                e.status.as_str(),
                names.join(", "),
                e.status.as_str()
            ),
        )
        .at(&item.file, Some(item.pos_of("status")))
        .help(format!(
            "a verdict counts once it can be checked: add {}, or set `status: running` until they are known",
            fields.join(", ")
        )),
    );
}

/// A validation set by hand says more than the site can show, unless a
/// reason says why; setting it back to `unvalidated` claims nothing.
fn hand_set(item: &Item, s: &Solution, out: &mut Vec<Diagnostic>) {
    let Some(v) = s.validation else { return };
    if v == Validation::Unvalidated || s.validation_reason.as_deref().is_some_and(|r| !r.trim().is_empty()) {
        return;
    }
    out.push(
        Diagnostic::warning(
            "hand-set-validation",
            format!("solution `{}` is set to {} by hand, with no experiment to show it", item.id, v.as_str()),
        )
        .at(&item.file, Some(item.pos_of("validation")))
        .help(format!("remove `validation:` and let its experiments decide (`charted new experiment --tests {}`), or add `validation_reason:` saying why no experiment is needed", item.id)),
    );
}

/// The sunk-cost trap: a solution shown not to work, still planned.
fn still_planned(item: &Item, s: &Solution, c: &Computed, out: &mut Vec<Diagnostic>) {
    if c.validation != Some(Validation::Invalidated) || s.phase == Phase::Later {
        return;
    }
    out.push(
        Diagnostic::warning(
            "invalidated-still-planned",
            format!("solution `{}` is invalidated but still planned for {}", item.id, s.phase.as_str()),
        )
        .at(&item.file, Some(item.pos_of("phase")))
        .help("move it to `phase: later` (or delete it) and plan another solution for its pains; what was spent on it is spent either way"),
    );
}

/// A big solution kept for long with no experiment at all: a favourite
/// nobody dares to test, whatever its phase.
fn untested_favourite(
    item: &Item,
    s: &Solution,
    c: &Computed,
    config: &Config,
    today: Date,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(effort), Some(written)) = (s.effort, item.date) else { return };
    let days = days_between(written, today);
    if !c.tested_by.is_empty() || effort < config.untested_favourite_effort || days <= config.untested_favourite_days {
        return;
    }
    out.push(
        Diagnostic::warning(
            "untested-favourite",
            format!(
                "solution `{}` (effort {effort}) has had no experiment in the {days} days since {written}",
                item.id
            ),
        )
        .at(&item.file, Some(item.pos_of("effort")))
        .help(format!(
            "plan a cheap experiment that could prove it wrong (`charted new experiment --tests {}`), or drop it; `untested_favourite_days` ({}) and `untested_favourite_effort` ({}) in charted.yaml set when this warns",
            item.id, config.untested_favourite_days, config.untested_favourite_effort
        )),
    );
}

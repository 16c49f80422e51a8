//! The warnings that keep a team honest: each has a stable code, points at the
//! file and field it is about, says how to fix it, and can be switched off in
//! `charted.yaml` (`warnings: {code: false}`).

use std::path::PathBuf;

use jiff::civil::Date;

use super::figures::Balance;
use super::item::{Details, Item};
use super::kind::*;
use super::{Computed, Cover, Kind};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Pos};

mod validation;

/// One kind of warning, as the guide and `charted.yaml` name it.
pub struct Warning {
    pub code: &'static str,
    /// What it means, in one line.
    pub means: &'static str,
}

/// Every warning `check` can give, in the order the guide lists them.
pub const WARNINGS: &[Warning] = &[
    Warning { code: "balance", means: "planned effort is outside the target split's tolerance" },
    Warning {
        code: "unvalidated-commitment",
        means: "a solution in phase now is unvalidated and no experiment is planned or running for it",
    },
    Warning { code: "unfalsifiable", means: "an experiment has no `falsified_if` kill criterion" },
    Warning {
        code: "stale-experiment",
        means: "an experiment is still running after its end date (overdue) or too long",
    },
    Warning {
        code: "unearned-validation",
        means: "an experiment says validated or invalidated without a `falsified_if`, a `result` and an `ends` date",
    },
    Warning {
        code: "hand-set-validation",
        means: "a solution's `validation:` is set by hand with no `validation_reason:`",
    },
    Warning { code: "uncovered-pain", means: "one of the top-ranked open pains has no solution that can still help" },
    Warning { code: "invalidated-still-planned", means: "an invalidated solution is still in phase now or next" },
    Warning {
        code: "untested-favourite",
        means: "a solution with a large effort has had no experiment for longer than `untested_favourite_days`",
    },
    Warning { code: "no-evidence", means: "a pain names no discovery as its evidence" },
    Warning { code: "discovery-gap", means: "no discovery was logged for longer than `discovery_gap_days`" },
    Warning { code: "covers-nothing", means: "a solution addresses no pain" },
    Warning { code: "placeholder", means: "a field or body still holds the placeholder text `charted new` wrote" },
    Warning {
        code: "discovery-over-budget",
        means: "a quarter's discovery took more of other teams' time than `discovery_budget` allows",
    },
    Warning {
        code: "unknown-name",
        means: "a team or user group is not in the `teams` or `user_groups` list of charted.yaml",
    },
    Warning {
        code: "team-has-errors",
        means: "a team site of the `portfolio` has errors; the org pages show it as read",
    },
    Warning {
        code: "discovery-fatigue",
        means: "a team was asked for discovery time by more teams, or for more hours, in a quarter than `portfolio_limits` allows",
    },
    Warning {
        code: "merged-names",
        means: "teams or user groups written more than one way were shown as one; no list names them",
    },
    Warning {
        code: "unknown-team-item",
        means: "a reference to a neighbour's item (`team:id`) names an id the neighbour's published items do not have",
    },
    Warning {
        code: "neighbour-unavailable",
        means: "the published items of a team `neighbours:` names cannot be fetched or read, and no copy is kept",
    },
    Warning {
        code: "items-cached",
        means: "a portfolio team's `items:` URL cannot be fetched; the copy kept from the last fetch is shown",
    },
    Warning {
        code: "team-without-site",
        means: "a reference to another team's item (`team:id`) cannot link: the shared `teams:` list gives that team no `site:`",
    },
    Warning {
        code: "history-unavailable",
        means: "`history:` is set but the site's git history cannot be read: no repository, a shallow clone, no review tag",
    },
];

/// A reference to another team's item that has nowhere to link: the team is
/// not in the vocabulary, or has no `site:` there. Not an error: a team's
/// own build cannot see other teams (a portfolio checks the reference).
fn unlinked_team_refs(item: &Item, c: &Computed, out: &mut Vec<Diagnostic>) {
    for r in c.elsewhere.iter().filter(|r| r.missing) {
        let written = r.written();
        let wanted = r.kind.map_or("item".to_string(), |k| k.label().to_lowercase());
        out.push(
            Diagnostic::warning(
                "unknown-team-item",
                format!("{written} names `{}`, but the published items of `{}` have no {wanted} with that id", r.spelled(), r.team),
            )
            .at(&item.file, Some(r.pos))
            .help(format!(
                "{}fix the id, or ask the team whether it was renamed (its items are read from its site as last published); it links to the team's site until then",
                r.suggestion.as_ref().map(|s| format!("did you mean `{}:{s}`? ", r.team)).unwrap_or_default()
            )),
        );
    }
    for r in c.elsewhere.iter().filter(|r| r.url.is_none()) {
        let written = match r.field {
            "body" => format!("{} cannot link:", r.written()),
            _ => format!("{} names `{}`, but", r.written(), r.spelled()),
        };
        out.push(
            Diagnostic::warning(
                "team-without-site",
                format!("{written} no team `{}` with a `site:` is in the `teams:` list, so it shows without a link", r.team),
            )
            .at(&item.file, Some(r.pos))
            .help(format!("give the team `site: https://…` in the shared `teams:` list, with `{}` as its name or one of its `aliases:`", r.team)),
        );
    }
}

/// Every warning the site deserves, minus those `charted.yaml` switches off,
/// in file order.
pub(crate) fn lint(
    items: &[Item],
    computed: &[Computed],
    balance: &Balance,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (item, c) in items.iter().zip(computed) {
        placeholders(item, &mut out);
        validation::rules(item, c, config, today, &mut out);
        match &item.details {
            Details::Experiment(e) => experiment(item, e, c, config, &mut out),
            Details::Solution(s) => solution(item, s, c, items, &mut out),
            Details::Pain(p) if p.evidence.is_empty() && p.status != PainStatus::Dropped => {
                let at = if item.field_positions.iter().any(|(f, _)| f == "evidence") { "evidence" } else { "title" };
                out.push(
                    Diagnostic::warning("no-evidence", format!("pain `{}` has no evidence", item.id))
                        .at(&item.file, Some(item.pos_of(at)))
                        .help("list the discovery items that surfaced it under `evidence:` (a bare id, or `{discovery: id, weight: 1-3}`); a pain nobody has reported is a guess"),
                );
            }
            _ => {}
        }
    }
    for (item, c) in items.iter().zip(computed) {
        unlinked_team_refs(item, c, &mut out);
    }
    uncovered_top_pains(items, computed, config, &mut out);
    discovery_gaps(items, config, today, &mut out);
    discovery_over_budget(items, config, today, &mut out);
    if !balance.within {
        let charter = items.iter().find(|i| i.kind == Kind::Charter);
        let file = charter.map_or(PathBuf::from("charted.yaml"), |c| c.file.clone());
        let pos = charter
            .and_then(|c| c.field_positions.iter().find(|(f, _)| f == "split").map(|(_, p)| *p))
            .unwrap_or(Pos { line: 1, column: 1 });
        out.push(
            Diagnostic::warning("balance", balance.message())
                .at(file, Some(pos))
                .help(format!(
                    "rebalance planned work (phase now and next) toward the target {}/{}, or change the charter's `split`; the tolerance is {} points",
                    balance.target.immediate, balance.target.future, balance.tolerance
                )),
        );
    }
    out.retain(|d| config.warns(d.code));
    out.sort_by(|a, b| (&a.file, a.pos, &a.message).cmp(&(&b.file, b.pos, &b.message)));
    out
}

fn experiment(item: &Item, e: &super::item::Experiment, c: &Computed, config: &Config, out: &mut Vec<Diagnostic>) {
    if e.falsified_if.is_none() {
        out.push(
            Diagnostic::warning("unfalsifiable", format!("experiment `{}` has no kill criterion", item.id))
                .at(&item.file, Some(item.pos_of("hypothesis")))
                .help("add `falsified_if:` saying which result would prove the solution cannot work"),
        );
    }
    if c.stale {
        let why = match e.ends {
            Some(ends) => format!("it is still running after its end date {ends}"),
            None => format!("it has been running for more than {} days with no end date", config.stale_after_days),
        };
        out.push(
            Diagnostic::warning("stale-experiment", format!("experiment `{}` is stale: {why}", item.id))
                .at(&item.file, Some(item.pos_of(if e.ends.is_some() { "ends" } else { "status" })))
                .help("record the result and set `status:` to validated, invalidated or inconclusive, or move `ends:`"),
        );
    }
}

fn solution(item: &Item, s: &super::item::Solution, c: &Computed, items: &[Item], out: &mut Vec<Diagnostic>) {
    let validation = c.validation.unwrap_or(Validation::Unvalidated);
    let testing = c.tested_by.iter().any(|&e| {
        matches!(&items[e].details, Details::Experiment(x)
            if matches!(x.status, ExperimentStatus::Planned | ExperimentStatus::Running))
    });
    // An invalidated solution in now warns `invalidated-still-planned` instead.
    if s.phase == Phase::Now && matches!(validation, Validation::Unvalidated | Validation::Claimed) && !testing {
        out.push(
            Diagnostic::warning(
                "unvalidated-commitment",
                format!(
                    "solution `{}` is planned for now but is {} and no experiment is planned or running for it: committing before validating",
                    item.id,
                    validation.as_str()
                ),
            )
            .at(&item.file, Some(item.pos_of("phase")))
            .help("plan a cheap experiment that tries to prove it cannot work (`charted new experiment`, with `tests:` set to this solution), or move it to `phase: next`"),
        );
    }
    if s.addresses.is_empty() {
        let at = if item.field_positions.iter().any(|(f, _)| f == "addresses") { "addresses" } else { "title" };
        out.push(
            Diagnostic::warning("covers-nothing", format!("solution `{}` addresses no pain", item.id))
                .at(&item.file, Some(item.pos_of(at)))
                .help("name the pains it addresses, eliminates or empowers under `addresses:`; a solution for no user pain is a solution looking for a problem"),
        );
    }
}

/// Placeholder text `charted new` wrote and nobody replaced: it reads like
/// content and passes every other check, so a scaffolded experiment would
/// otherwise look planned when nothing about it was decided.
fn placeholders(item: &Item, out: &mut Vec<Diagnostic>) {
    for p in super::placeholders::of(item.kind) {
        let pos = if p.field == super::placeholders::BODY {
            item.placeholder_body
        } else {
            field_text(item, p.field).filter(|v| super::placeholders::unchanged(p, v)).map(|_| item.pos_of(p.field))
        };
        if let Some(pos) = pos {
            let place =
                if p.field == super::placeholders::BODY { "the body".to_string() } else { format!("`{}`", p.field) };
            out.push(
                Diagnostic::warning(
                    "placeholder",
                    format!("{place} of `{}` is still the placeholder \"{}\"", item.id, p.text),
                )
                .at(&item.file, Some(pos))
                .help(p.write),
            );
        }
    }
}

/// The text of a front-matter field that can hold a placeholder.
fn field_text<'a>(item: &'a Item, field: &str) -> Option<&'a str> {
    match (field, &item.details) {
        ("summary", _) => item.summary.as_deref(),
        ("hypothesis", Details::Experiment(e)) => Some(&e.hypothesis),
        ("falsified_if", Details::Experiment(e)) => e.falsified_if.as_deref(),
        ("method", Details::Experiment(e)) => e.method.as_deref(),
        ("service", Details::Sla(s)) => Some(&s.service),
        ("objective", Details::Sla(s)) => Some(&s.objective),
        _ => None,
    }
}

/// The first `top_pains` open or mitigated pains by rank that no solution
/// covers, or only disproved ones do.
fn uncovered_top_pains(items: &[Item], computed: &[Computed], config: &Config, out: &mut Vec<Diagnostic>) {
    let mut open: Vec<usize> =
        (0..items.len()).filter(|&i| matches!(&items[i].details, Details::Pain(p) if p.status.still_hurts())).collect();
    open.sort_by_key(|&i| computed[i].rank);
    for (place, &i) in open.iter().take(config.top_pains).enumerate() {
        let (why, fix) = match computed[i].cover {
            Some(Cover::Covered) => continue,
            Some(Cover::Disproved) => ("its only solutions are invalidated", "add a solution that can still help, "),
            _ => ("no solution covers it", "add a solution "),
        };
        let item = &items[i];
        out.push(
            Diagnostic::warning(
                "uncovered-pain",
                format!(
                    "pain `{}` is number {} of the open pains (rank {}), but {why}",
                    item.id,
                    place + 1,
                    computed[i].rank.unwrap_or(0)
                ),
            )
            .at(&item.file, Some(item.pos_of("title")))
            .help(format!(
                "{fix}whose `addresses:` names `{}`, lower its `priority`, or set `top_pains` in charted.yaml (now {})",
                item.id, config.top_pains
            )),
        );
    }
}

/// Stretches longer than `discovery_gap_days` without discovery, from the first
/// dated discovery to today.
fn discovery_gaps(items: &[Item], config: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    let mut dated: Vec<(Date, &Item)> = items
        .iter()
        .filter_map(|i| match &i.details {
            Details::Discovery(d) => d.date.map(|date| (date, i)),
            _ => None,
        })
        .collect();
    dated.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let limit = config.discovery_gap_days;
    let help = format!(
        "discovery costs little when it is steady: log a coffee chat, a survey or an SLA review at least every {limit} days, or raise `discovery_gap_days` in charted.yaml"
    );
    for pair in dated.windows(2) {
        let days = days_between(pair[0].0, pair[1].0);
        if days > limit {
            let item = pair[1].1;
            out.push(
                Diagnostic::warning(
                    "discovery-gap",
                    format!("no discovery for {days} days, from {} to {} (more than {limit})", pair[0].0, pair[1].0),
                )
                .at(&item.file, Some(item.pos_of("date")))
                .help(help.clone()),
            );
        }
    }
    if let Some(&(last, item)) = dated.last() {
        let days = days_between(last, today);
        if days > limit {
            out.push(
                Diagnostic::warning(
                    "discovery-gap",
                    format!("no discovery for {days} days, since {last} (more than {limit})"),
                )
                .at(&item.file, Some(item.pos_of("date")))
                .help(help),
            );
        }
    }
}

/// Each quarter that took more of other teams' time than `discovery_budget`.
fn discovery_over_budget(items: &[Item], config: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    let Some(budget) = &config.discovery_budget else { return };
    for o in super::discovery::overruns(items, budget, today) {
        let (whose, limit) = match o.team {
            Some(team) => (format!("`{team}`'s time"), format!("`per_team: {{{team}: {}}}`", o.budget)),
            None => ("other teams' time".to_string(), format!("`per_quarter: {}`", o.budget)),
        };
        out.push(
            Diagnostic::warning(
                "discovery-over-budget",
                format!(
                    "in {} discovery took {} hours of {whose}, {} over the budget of {}",
                    o.quarter,
                    o.spent,
                    super::figures::round1(o.spent - o.budget),
                    o.budget
                ),
            )
            .at(o.file, Some(o.pos))
            .help(format!(
                "this discovery took the quarter over {limit} in charted.yaml: ask fewer people or for less time (a survey costs less than interviews), reuse what other teams already know, or raise the budget if the time was worth it"
            )),
        );
    }
}

/// Adds the model's other warnings (about names, found while reading them)
/// to those of [`lint`], keeping its order and the config's switches.
pub(crate) fn add(warnings: &mut Vec<Diagnostic>, more: Vec<Diagnostic>, config: &Config) {
    warnings.extend(more.into_iter().filter(|d| config.warns(d.code)));
    warnings.sort_by(|a, b| (&a.file, a.pos, &a.message).cmp(&(&b.file, b.pos, &b.message)));
}

/// Whole days from `a` to `b`.
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

use crate::words::Choice;

//! The context builders of the pages that show more than one item: the
//! dashboard, the roadmap and one page of a list.

use tera::Value;

use super::inputs::{Fields, Figures, Time};
use super::view::{self, Obj, Views};
use super::{Shown, charts, insight, listing};
use crate::model::Choice;
use crate::model::{Details, Kind, Phase, Site, Validation};

/// The roadmap: per phase, a page of its solutions in the solutions list's
/// order (most value per effort first), how many it has, and the filtered
/// list that shows them all. A column is as long as a list page, so the
/// roadmap stays small at any size.
pub(super) fn roadmap(site: &Site, shown: &Shown, ctx: &mut Fields) {
    let columns: Vec<Value> = [Phase::Now, Phase::Next, Phase::Later]
        .into_iter()
        .map(|phase| {
            let url = insight::filter_url(Kind::Solution, "phase", phase.as_str());
            let list = shown.listings.iter().find(|l| l.kind == Kind::Solution && l.url == url);
            let (first, total) = list.map_or((&[][..], 0), |l| (&l.order[l.bounds(1)], l.order.len()));
            Obj::default()
                .set("phase", phase.as_str())
                .set("label", phase_label(phase))
                .set("total", total)
                .set("items", shown.views.list(first.iter().copied()))
                .set("url", url)
                .value()
        })
        .collect();
    ctx.insert_value("columns", Value::from(columns));
    ctx.insert_value("balance", balance(site));
    ctx.insert_value("charts", Obj::default().set("balance", balance_chart(site)).value());
}

fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Now => "Now",
        Phase::Next => "Next",
        Phase::Later => "Later",
    }
}

fn balance(site: &Site) -> Value {
    let b = &site.balance;
    Obj::default()
        .set("target", view::split_view(&b.target))
        .set("actual", b.actual.as_ref().map(view::split_view))
        .set("planned_effort", b.planned_effort)
        .set("tolerance", b.tolerance)
        .set("within", b.within)
        .set("message", b.message())
        .value()
}

fn balance_chart(site: &Site) -> Value {
    let b = &site.balance;
    Value::safe_string(&charts::balance(&b.target, b.actual.as_ref()))
}

/// How many planned solutions the dashboard lists; the roadmap has them all.
const PLANNED_SHOWN: usize = 10;

pub(super) fn dashboard(site: &Site, views: &Views, time: &Time, ctx: &mut Fields) {
    let warnings = insight::warnings(site, views);
    ctx.insert_value("attention", insight::attention(&site.warnings, &warnings));
    ctx.insert_value("warnings", warnings);
    ctx.insert_value("sla_gaps", sla_gaps(site, views));
    let planned = site.planned_work();
    let unproven = planned.iter().filter(|&&i| !site.is_proven(i)).count();
    ctx.insert("unproven", &unproven);
    ctx.insert("planned_total", &planned.len());
    ctx.insert_value("planned", views.list(planned.into_iter().take(PLANNED_SHOWN)));
    let charter = site.of_kind(Kind::Charter).next().map(|(i, _)| views.items[i].clone());
    ctx.insert_value("charter", charter.unwrap_or(Value::none()));
    ctx.insert_value("balance", balance(site));
    let stages = Validation::ALL;
    let count = |v: Validation| site.solutions_at(v);
    let by_hand = |v: Validation| {
        site.of_kind(Kind::Solution)
            .filter(|(i, _)| site.computed[*i].validation == Some(v) && !site.computed[*i].validation_derived)
            .count()
    };
    let funnel: Vec<Value> = stages
        .iter()
        .map(|&v| {
            Obj::default()
                .set("validation", v.as_str())
                .set("label", view::validation_label(v))
                .set("count", count(v))
                .set("by_hand", by_hand(v))
                .value()
        })
        .collect();
    ctx.insert_value("funnel", Value::from(funnel));
    let funnel_stages: Vec<(&str, usize)> = stages.iter().map(|&v| (view::validation_label(v), count(v))).collect();
    ctx.insert_value(
        "charts",
        Obj::default()
            .set("balance", balance_chart(site))
            .set("funnel", Value::safe_string(&charts::funnel(&funnel_stages)))
            .value(),
    );
    ctx.insert_value("top_pains", views.list(site.ranked_pains().into_iter().take(5)));
    ctx.insert_value("only_disproved", views.list(site.only_disproved()));
    ctx.insert_value(
        "stale_experiments",
        views.list(site.of_kind(Kind::Experiment).filter(|(i, _)| site.computed[*i].stale).map(|(i, _)| i)),
    );
    let recent = site.recently_changed();
    ctx.insert_value("recent", views.list(recent.into_iter().take(8)));
    let mut counts = Obj::default();
    for &kind in Kind::ALL {
        counts = counts.set(kind.as_str(), site.of_kind(kind).count());
    }
    ctx.insert_value("counts", counts.value());
    ctx.insert_value("discovery", insight::discovery_spend(site));
    let (since, reviews) = super::changes::dashboard(site, time);
    ctx.insert_value("since", since);
    ctx.insert_value("reviews", reviews);
}

/// The SLA gaps: how many SLAs are missed of how many, and the worst one
/// (the model's [`Site::missed_slas`] order) with its gap in its unit.
fn sla_gaps(site: &Site, views: &Views) -> Value {
    let missed = site.missed_slas();
    let worst = missed.first().and_then(|&i| match &site.items[i].details {
        Details::Sla(s) => {
            let gap = view::with_unit(crate::model::figures::round1(s.gap()), s.gap_unit());
            Some(
                Obj::default()
                    .set("sla", views.refs[i].clone())
                    .set("service", s.service.as_str())
                    .set("gap_text", gap)
                    .value(),
            )
        }
        _ => None,
    });
    Obj::default().set("total", site.of_kind(Kind::Sla).count()).set("missed", missed.len()).opt("worst", worst).value()
}

/// One page of a list: the listing, the views of the items it shows, the
/// filter bar and the figures its kind adds (see [`Figures::of`]).
pub(super) fn list(
    listing: &listing::Listing,
    page: usize,
    views: &Views,
    bars: &insight::Bars,
    figures: &Figures,
    ctx: &mut Fields,
) {
    let shown = listing.bounds(page);
    ctx.insert_value("paginator", listing::paginator(listing, page));
    ctx.insert("total", &listing.total);
    // An item shows at most this many of its own lists (users, evidence,
    // solutions) on a list page: it is on as many filtered pages as it has values.
    ctx.insert("list_cap", &insight::FILTER_OPTIONS);
    if let listing::Groups::Values(values) = &listing.groups {
        ctx.insert_value("facet", listing.about.clone());
        ctx.insert_value("values", Value::from(values.get(shown).unwrap_or_default().to_vec()));
        return;
    }
    let items = &listing.order[shown.clone()];
    ctx.insert_value("filters", bars.nav(listing.kind, listing.current));
    match listing.kind {
        Kind::Pain => {
            ctx.insert_value("buckets", listing::bucket_sections(listing, views, shown));
            ctx.insert_value("pains", views.list(items.iter().copied()));
        }
        Kind::Solution => {
            if let Figures::Coverage(coverage) = figures {
                ctx.insert_value("coverage", coverage.matrix(views, items));
            }
            ctx.insert_value("items", views.list(items.iter().copied()));
        }
        Kind::Experiment => ctx.insert_value("columns", listing::board_columns(listing, views, page)),
        Kind::Vision => {
            if let Figures::PlannedEffort(effort) = figures {
                ctx.insert("planned_effort", effort);
            }
            ctx.insert_value("items", views.list(items.iter().copied()));
        }
        Kind::Discovery => {
            ctx.insert_value("items", views.list(items.iter().copied()));
            if let Figures::Discovery { hours, quarters, methods } = figures {
                ctx.insert_value("hours", (*hours).clone());
                ctx.insert_value("quarters", (*quarters).clone());
                ctx.insert_value("methods", (*methods).clone());
            }
        }
        Kind::Sla => {
            ctx.insert_value("items", views.list(items.iter().copied()));
            if let Figures::Sparklines(sparklines) = figures {
                ctx.insert_value("sparklines", (*sparklines).clone());
            }
        }
        _ => ctx.insert_value("items", views.list(items.iter().copied())),
    }
}

//! Template values for items: built once per item, shared by every page that
//! shows it (values are reference-counted, so sharing is a pointer copy).

use tera::{Map, Value};

use crate::model::Choice;
use crate::model::item::{Details, Item};
use crate::model::{Computed, Site, Validation, url_of};

/// A template object under construction.
#[derive(Default)]
pub(crate) struct Obj(Map);

impl Obj {
    pub(crate) fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// Sets the key only when there is a value, so templates can test `{% if x.key %}`.
    pub(crate) fn opt(self, key: &'static str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub(crate) fn value(self) -> Value {
        Value::from(self.0)
    }
}

/// The views of every item: `refs` (short form, for links) and `items` (full
/// form). `crate::incremental::views` builds them, reusing those whose
/// inputs are unchanged.
pub(crate) struct Views {
    pub refs: Vec<Value>,
    pub items: Vec<Value>,
}

impl Views {
    pub(crate) fn list(&self, indices: impl IntoIterator<Item = usize>) -> Value {
        Value::from(indices.into_iter().map(|i| self.items[i].clone()).collect::<Vec<_>>())
    }
}

pub(super) fn status(item: &Item) -> Option<&'static str> {
    match &item.details {
        Details::Pain(p) => Some(p.status.as_str()),
        Details::Experiment(e) => Some(e.status.as_str()),
        _ => None,
    }
}

pub(super) fn category(item: &Item) -> Option<&'static str> {
    match &item.details {
        Details::Pain(p) => Some(p.category.as_str()),
        Details::Solution(s) => Some(s.category.as_str()),
        _ => None,
    }
}

/// A validation stage as every view writes it.
pub(super) fn validation_label(v: Validation) -> &'static str {
    match v {
        Validation::Unvalidated => "Unvalidated",
        Validation::Validating => "Validating",
        Validation::Claimed => "Claimed",
        Validation::Validated => "Validated",
        Validation::Invalidated => "Invalidated",
    }
}

/// A solution's validation in words, with "set by hand" when no experiment
/// decided it: a hand-set "Validated" must never read like an earned one.
fn validation_text(computed: &Computed) -> Option<String> {
    let v = computed.validation?;
    let label = validation_label(v);
    Some(if computed.validation_derived { label.to_string() } else { format!("{label} — set by hand") })
}

/// The label classes of a solution's validation: a hand-set one adds
/// `by-hand`, drawn hollow, so it does not look like an earned one.
fn validation_class(computed: &Computed) -> Option<String> {
    let v = computed.validation?.as_str();
    Some(if computed.validation_derived { v.to_string() } else { format!("{v} by-hand") })
}

/// What a link to an item shows: what names it and its labels. Not its
/// summary, which its own page and its card show: a summary edit then
/// changes only the pages that show the item, not every page of every item
/// that links to it.
pub(crate) fn reference(item: &Item, computed: &Computed) -> Value {
    Obj::default()
        .set("id", item.id.as_str())
        .set("kind", item.kind.as_str())
        .set("kind_label", item.kind.label())
        .set("title", item.title.as_str())
        .set("url", url_of(item.kind, &item.id))
        .opt("category", category(item))
        .opt("status", status(item))
        .opt("validation", computed.validation.map(|v| v.as_str()))
        .opt("validation_label", validation_text(computed))
        .opt("validation_class", validation_class(computed))
        .opt("rank", computed.rank)
        .opt("score", computed.score)
        .set("stale", computed.stale)
        .set("overdue", computed.overdue)
        .value()
}

/// A 70/30 split as templates read it: `{immediate, future}`.
pub(crate) fn split_view(split: &crate::model::item::Split) -> Value {
    Obj::default().set("immediate", split.immediate).set("future", split.future).value()
}

fn refs_of(refs: &[Value], indices: impl IntoIterator<Item = usize>) -> Value {
    Value::from(indices.into_iter().map(|i| refs[i].clone()).collect::<Vec<_>>())
}

fn strings(list: &[String]) -> Value {
    Value::from(list.iter().map(|s| Value::from(s.as_str())).collect::<Vec<_>>())
}

/// Evidence refs, each with its weight: the discovery's short view plus `weight`.
fn evidence(refs: &[Value], list: &[crate::model::item::Evidence], linked: impl Fn(&str) -> Option<usize>) -> Value {
    let out: Vec<Value> = list
        .iter()
        .filter_map(|e| {
            let mut r = refs[linked(&e.discovery.value)?].clone().into_map().unwrap_or_default();
            r.insert("weight".into(), Value::from(u64::from(e.weight)));
            Some(Value::from(r))
        })
        .collect();
    Value::from(out)
}

/// An item's front-matter references to other teams' items (its body's
/// links are in its body), each linked to the team's site when it has one.
fn elsewhere(refs: &[crate::model::elsewhere::TeamRef]) -> Value {
    let shown = refs.iter().filter(|r| r.field != "body").map(|r| {
        Obj::default()
            .set("field", r.field)
            .set("team", r.team.as_str())
            .set("spelled", r.spelled())
            .opt("url", r.url.as_deref())
            .opt("title", r.title.as_deref())
            .value()
    });
    Value::from(shown.collect::<Vec<_>>())
}

/// The references to an item from its site's neighbours' items.
fn inbound(refs: &[crate::model::elsewhere::Inbound]) -> Value {
    Value::from_serializable(refs)
}

pub(crate) fn full(site: &Site, refs: &[Value], i: usize) -> Value {
    let item = &site.items[i];
    let c = &site.computed[i];
    let linked = |id: &str| site.index_of(id);
    let base = Obj::default()
        .set("id", item.id.as_str())
        .set("kind", item.kind.as_str())
        .set("kind_label", item.kind.label())
        .set("title", item.title.as_str())
        .set("url", url_of(item.kind, &item.id))
        .set("source", item.file.to_string_lossy().replace('\\', "/"))
        .opt("summary", item.summary.as_deref())
        .opt("owner", item.owner.as_deref())
        .opt("date", item.date.map(|d| d.to_string()))
        .opt("updated", item.updated.map(|d| d.to_string()))
        .opt("category", category(item))
        .opt("status", status(item))
        .opt("validation", c.validation.map(|v| v.as_str()))
        .opt("validation_label", validation_text(c))
        .opt("validation_class", validation_class(c))
        .set("aliases", Value::from(item.aliases.iter().map(|a| Value::from(a.value.as_str())).collect::<Vec<_>>()))
        .set("backlinks", refs_of(refs, site.backlinks[i].iter().copied()))
        .set("elsewhere", elsewhere(&c.elsewhere))
        .set("inbound", inbound(&c.inbound));
    let obj = match &item.details {
        Details::Charter(ch) => {
            let split = crate::model::figures::target_split(Some(item));
            base.set("team", ch.team.as_str())
                .set("mode", ch.mode.as_str())
                .set("split", split_view(&split))
                .set("users", strings(&ch.users))
        }
        Details::Vision(v) => base
            .opt("horizon", v.horizon)
            .set("advanced_by", refs_of(refs, c.advanced_by.iter().copied()))
            .set("effort", c.vision_effort),
        Details::Pain(p) => {
            let addressed: Vec<Value> = c
                .covered_by
                .iter()
                .map(|&(s, how)| Obj::default().set("solution", refs[s].clone()).set("how", how.as_str()).value())
                .collect();
            base.set("users", strings(&p.users))
                .opt("reach", p.reach)
                .opt("severity", p.severity)
                .opt("frequency", p.frequency.map(|f| f.as_str()))
                .opt("bucket", p.bucket.as_deref())
                .opt("priority", p.priority)
                .opt("score", c.score)
                .opt("rank", c.rank)
                .set("evidence", evidence(refs, &p.evidence, linked))
                .set("evidence_weight", c.evidence_weight)
                .set("covered", c.cover == Some(crate::model::Cover::Covered))
                .opt("coverage", c.cover.map(|x| x.as_str()))
                .set("addressed_by", Value::from(addressed))
                .set(
                    "addressed_elsewhere",
                    inbound(&c.inbound.iter().filter(|r| r.field == "addresses").cloned().collect::<Vec<_>>()),
                )
        }
        Details::Solution(s) => {
            let addresses: Vec<Value> = s
                .addresses
                .iter()
                .filter_map(|cov| {
                    let p = linked(&cov.pain.value)?;
                    Some(Obj::default().set("pain", refs[p].clone()).set("how", cov.how.as_str()).value())
                })
                .collect();
            base.set("addresses", Value::from(addresses))
                .set("advances", refs_of(refs, s.advances.iter().filter_map(|r| linked(&r.value))))
                .opt("effort", s.effort)
                .set("phase", s.phase.as_str())
                .opt("value", c.value)
                .opt("value_per_effort", c.value_per_effort)
                .set("validation_source", if c.validation_derived { "derived" } else { "explicit" })
                .opt("validation_reason", s.validation_reason.as_deref())
                .set("experiments", refs_of(refs, c.tested_by.iter().copied()))
        }
        Details::Experiment(e) => base
            .opt("tests", e.tests.as_ref().and_then(|t| linked(&t.value)).map(|s| refs[s].clone()))
            .set("hypothesis", e.hypothesis.as_str())
            .opt("falsified_if", e.falsified_if.as_deref())
            .opt("method", e.method.as_deref())
            .opt("started", e.started.map(|d| d.to_string()))
            .opt("ends", e.ends.map(|d| d.to_string()))
            .opt("result", e.result.as_deref())
            .set("finished", e.status.is_finished())
            .opt("days_left", c.days_left)
            .opt("due", c.days_left.map(due))
            .set("stale", c.stale)
            .set("overdue", c.overdue),
        Details::Discovery(d) => {
            let participants: Vec<Value> = d
                .participants
                .iter()
                .map(|p| Obj::default().set("team", p.team.as_str()).set("hours", p.hours).value())
                .collect();
            base.opt("method", d.method.map(|m| m.as_str()))
                .opt("method_label", d.method.map(|m| m.label()))
                .opt("date", d.date.map(|x| x.to_string()))
                .set("hours", d.participants.iter().map(|p| p.hours).sum::<f64>())
                .set("participants", Value::from(participants))
                .set("surfaces", refs_of(refs, d.surfaces.iter().filter_map(|r| linked(&r.value))))
        }
        Details::Sla(s) => base
            .set("service", s.service.as_str())
            .set("objective", s.objective.as_str())
            .set("expected", s.expected)
            .set("current", s.current)
            .opt("unit", s.unit.as_deref())
            .set("expected_text", with_unit(s.expected, s.unit.as_deref()))
            .set("current_text", with_unit(s.current, s.unit.as_deref()))
            .set("better", s.better.as_str())
            .set("gap", crate::model::figures::round1(s.gap()))
            .set("gap_text", with_unit(crate::model::figures::round1(s.gap()), s.gap_unit()))
            .set("met", s.is_met())
            .set("pains", refs_of(refs, s.pains.iter().filter_map(|r| linked(&r.value)))),
    };
    obj.value()
}

/// What a running experiment's end date means today: `3 days left`,
/// `ends today`, `12 days overdue`.
pub(crate) fn due(days_left: i64) -> String {
    let days = |n: i64| if n == 1 { "1 day".to_string() } else { format!("{n} days") };
    match days_left {
        0 => "ends today".to_string(),
        n if n > 0 => format!("{} left", days(n)),
        n => format!("{} overdue", days(n.saturating_neg())),
    }
}

/// A figure with its unit as people write it: a space between number and
/// unit (`15 min`, `54 points`), none before a sign that hugs its number
/// (`99.9%`), and no `.0` (`12`, but `99.95`).
pub(crate) fn with_unit(x: f64, unit: Option<&str>) -> String {
    let number = number(x);
    match unit.map(str::trim) {
        None | Some("") => number,
        Some("point" | "points") if x == 1.0 => format!("{number} point"),
        Some(u) if u.starts_with(['%', '‰', '°', '×']) => format!("{number}{u}"),
        Some(u) => format!("{number} {u}"),
    }
}

/// A number with at most two decimals and none that are zero: `12`, `99.9`, `0.25`.
pub(crate) fn number(x: f64) -> String {
    // Past 15 digits decimals say nothing and `{:.2}` would print them all.
    if !x.is_finite() || x.abs() >= 1e15 {
        return format!("{x}");
    }
    let text = format!("{:.2}", (x * 100.0).round() / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_take_a_space_before_their_unit_but_not_before_a_percent_sign() {
        assert_eq!(with_unit(15.0, Some("min")), "15 min");
        assert_eq!(with_unit(99.9, Some("%")), "99.9%");
        assert_eq!(with_unit(54.0, Some("points")), "54 points");
        assert_eq!(with_unit(1.0, Some("points")), "1 point");
        assert_eq!(with_unit(12.5, None), "12.5");
        assert_eq!(with_unit(99.954, Some(" ms ")), "99.95 ms");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(1200.0), "1200");
    }

    #[test]
    fn a_running_experiment_says_how_long_it_has_left_or_how_late_it_is() {
        assert_eq!(due(3), "3 days left");
        assert_eq!(due(1), "1 day left");
        assert_eq!(due(0), "ends today");
        assert_eq!(due(-12), "12 days overdue");
        assert_eq!(due(-1), "1 day overdue");
    }
}

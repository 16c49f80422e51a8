//! What the site shows of time: the changes pages (one comparison of two
//! states, with links to the others) and the dashboard's reviews (the card
//! "since the last review", the 70/30 split and the funnel per review).

use tera::Value;

use super::charts;
use super::inputs::{Fields, Time};
use super::view::{self, Obj};
use crate::history::{Changes, Named, Review};
use crate::model::item::Split;
use crate::model::{Choice, Site, Validation, url_of};

/// One comparison as the pages of the site see it: where its page is and what it is called.
pub(crate) struct Page {
    pub url: String,
    pub title: String,
}

/// One comparison: from a review to the latest state, and what changed.
pub(crate) type Comparison<'a> = (&'a Review, &'a Review, Changes);

/// The changes pages: `changes/` for the first comparison (the most recent
/// review), `changes/<review>/` for each earlier one; one page, saying why,
/// when there is nothing to compare.
pub(crate) fn pages(comparisons: &[Comparison]) -> Vec<Page> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, (from, _, _)) in comparisons.iter().enumerate() {
        let url = if i == 0 {
            "changes/".to_string()
        } else {
            // Two names can make one slug (`Q3` and `q3`): number the later ones.
            let base = slug(&from.name);
            let mut slug = base.clone();
            let mut n = 1;
            while taken.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            taken.push(slug.clone());
            format!("changes/{slug}/")
        };
        out.push(Page { url, title: format!("Changes since {}", from.name) });
    }
    if out.is_empty() {
        out.push(Page { url: "changes/".into(), title: "Changes".into() });
    }
    out
}

/// A review's name in a URL: lowercase ASCII letters, digits and dashes
/// (`2026-Q3` → `2026-q3`), never empty.
pub(crate) fn slug(name: &str) -> String {
    let slug = charts::slug(name);
    if slug.is_empty() { "review".into() } else { slug }
}

/// `30 September 2026`: how a team lead reads a date in a sentence.
pub(crate) fn long_date(date: jiff::civil::Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

fn review(r: &Review) -> Value {
    Obj::default()
        .set("name", r.name.as_str())
        .set("date", r.date.to_string())
        .set("date_text", long_date(r.date))
        .set("commit", r.commit.as_str())
        .set("now", r.commit.is_empty())
        .value()
}

/// An item a change names: a link when it is on the site, plain text when not.
fn item(site: &Site, n: &Named) -> Value {
    let here = site.get(&n.id).is_some_and(|i| i.kind == n.kind);
    Obj::default()
        .set("id", n.id.as_str())
        .set("title", n.title.as_str())
        .set("kind", n.kind.as_str())
        .set("kind_label", n.kind.label())
        .opt("url", here.then(|| url_of(n.kind, &n.id)))
        .value()
}

fn split(s: Option<Split>) -> Value {
    s.as_ref().map(view::split_view).unwrap_or(Value::none())
}

/// `7 changes since review-2026-q3, 30 September 2026`.
fn summary(from: &Review, to: &Review, count: usize) -> String {
    let changes = match count {
        0 => "No changes".to_string(),
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let until = if to.commit.is_empty() { String::new() } else { format!(" until {}", to.name) };
    format!("{changes} since {}, {}{until}", from.name, long_date(from.date))
}

/// The changes page of comparison `current`: the links to every comparison,
/// and this one's changes; or why there is none.
pub(super) fn page(site: &Site, time: &Time, current: usize, ctx: &mut Fields) {
    let links: Vec<Value> = time
        .comparisons
        .iter()
        .zip(time.pages)
        .enumerate()
        .map(|(i, ((from, _, changes), page))| {
            Obj::default()
                .set("name", from.name.as_str())
                .set("date_text", long_date(from.date))
                .set("url", page.url.as_str())
                .set("count", changes.count())
                .set("current", i == current)
                .value()
        })
        .collect();
    ctx.insert_value("comparisons", Value::from(links));
    ctx.insert_value("history", state_of_history(time));
    // The first comparison starts at the most recent review; the others at earlier ones.
    let shown = time.comparisons.get(current).map(|(from, to, changes)| {
        let mut shown = comparison(site, from, to, changes).into_map().unwrap_or_default();
        shown.insert("last_review".into(), Value::from(current == 0));
        Value::from(shown)
    });
    ctx.insert_value("changes", shown.unwrap_or(Value::none()));
}

/// One comparison as its page shows it: the two states, the summary, the
/// split then and now, and each sort of change.
fn comparison(site: &Site, from: &Review, to: &Review, changes: &Changes) -> Value {
    let count = changes.count();
    let moves: Vec<Value> = changes
        .moves
        .iter()
        .map(|m| {
            Obj::default()
                .set("item", item(site, &m.item))
                .set("from", m.from)
                .set("to", m.to)
                .set("up", m.to < m.from)
                .set("places", m.from.abs_diff(m.to))
                .value()
        })
        .collect();
    let transitions: Vec<Value> = changes
        .transitions
        .iter()
        .map(|t| {
            Obj::default()
                .set("item", item(site, &t.item))
                .set("field", t.field)
                .set("from", t.from.as_str())
                .set("to", t.to.as_str())
                .opt("result", t.result.as_deref())
                .value()
        })
        .collect();
    let replans: Vec<Value> = changes
        .replans
        .iter()
        .map(|r| {
            let (from, to) = (r.from.as_str(), r.to.as_str());
            Obj::default().set("item", item(site, &r.item)).set("from", from).set("to", to).value()
        })
        .collect();
    let shifts = shifts(site, changes);
    let named = |list: &[Named]| Value::from(list.iter().map(|n| item(site, n)).collect::<Vec<_>>());
    let renamed: Vec<Value> = changes
        .renamed
        .iter()
        .map(|(old, n)| Obj::default().set("old", old.as_str()).set("item", item(site, n)).value())
        .collect();
    let (then, now) = changes.split;
    let has_split = then.is_some() || now.is_some();
    let chart = has_split.then(|| split_chart(from, to, changes));
    Obj::default()
        .set("from", review(from))
        .set("to", review(to))
        .set("count", count)
        .set("summary", summary(from, to, count))
        .set(
            "split",
            Obj::default()
                .set("then", split(then))
                .set("now", split(now))
                .set("target", view::split_view(&to.state.target))
                .set("shown", has_split)
                .opt("chart", chart.map(|c| Value::safe_string(&c)))
                .value(),
        )
        .set("moves", Value::from(moves))
        .set("transitions", Value::from(transitions))
        .set("replans", Value::from(replans))
        .set("shifts", Value::from(shifts))
        .set("added", named(&changes.added))
        .set("removed", named(&changes.removed))
        .set("renamed", Value::from(renamed))
        .value()
}

/// The SLAs whose level changed, each in its unit.
fn shifts(site: &Site, changes: &Changes) -> Vec<Value> {
    changes
        .shifts
        .iter()
        .map(|s| {
            let unit = s.unit.as_deref();
            Obj::default()
                .set("item", item(site, &s.item))
                .set("from", view::with_unit(s.from, unit))
                .set("to", view::with_unit(s.to, unit))
                .set("expected", view::with_unit(s.expected, unit))
                .value()
        })
        .collect()
}

/// The split then and now against the target, as three bars.
fn split_chart(from: &Review, to: &Review, changes: &Changes) -> String {
    let (then, now) = (&changes.split.0, &changes.split.1);
    let words = |s: &Option<Split>| match s {
        Some(s) => format!("{}/{}", view::number(s.immediate.round()), view::number(s.future.round())),
        None => "nothing planned".into(),
    };
    let target = &to.state.target;
    let description = format!(
        "Effort balance then ({}): {}; now ({}): {}; target {}.",
        from.name,
        words(then),
        to.name,
        words(now),
        words(&Some(*target))
    );
    let latest = if to.commit.is_empty() { "Now" } else { "Latest" };
    charts::splits(&[("Then", then.as_ref()), (latest, now.as_ref()), ("Target", Some(target))], &description)
}

/// Whether the site has history, and when not, why and what to do.
fn state_of_history(time: &Time) -> Value {
    let past = &time.history.past;
    let (why, help) = match &past.unavailable {
        Some(why) => {
            let (why, help) = crate::history::explain(why);
            (Some(why), Some(help))
        }
        None if past.reviews.is_empty() => (
            Some("the site has no reviews yet, or its history is turned off (`history: false`)".to_string()),
            Some("tag the commit of each review: `git tag review-2026-q4` and `git push --tags`".to_string()),
        ),
        None => (None, None),
    };
    let latest = time.history.latest().map(review);
    // Both say what to type in `code spans`: escaped, then shown as code.
    let code = |s: String| Value::safe_string(&crate::escape::code_spans(&s));
    Obj::default()
        .set("reviews", past.reviews.len())
        .opt("why", why.map(code))
        .opt("help", help.map(code))
        .opt("latest", latest)
        .value()
}

/// The dashboard's part of time: `since` (the last review and how many
/// changes since, or why there is none) and `reviews` (per state: its name,
/// date, split and funnel, with the two charts), none without reviews.
pub(super) fn dashboard(site: &Site, time: &Time) -> (Value, Value) {
    let since = match time.comparisons.first() {
        Some((from, to, changes)) => Obj::default()
            .set("review", review(from))
            .set("count", changes.count())
            .set("summary", summary(from, to, changes.count()))
            .value(),
        None => state_of_history(time),
    };
    if !time.history.has_reviews() {
        return (since, Value::none());
    }
    let states = &time.history.states;
    let rows: Vec<Value> = states
        .iter()
        .map(|r| {
            let funnel: Vec<Value> = r.state.funnel.iter().map(|(_, n)| Value::from(*n)).collect();
            Obj::default()
                .set("review", review(r))
                .set("split", split(r.state.split))
                .set("funnel", Value::from(funnel))
                .value()
        })
        .collect();
    let points: Vec<charts::Point> =
        states.iter().map(|r| charts::Point { name: &r.name, value: r.state.split.map(|s| s.immediate) }).collect();
    let balance = &site.balance;
    let stages: Vec<&str> = Validation::ALL.iter().map(|&v| view::validation_label(v)).collect();
    let funnels: Vec<(&str, Vec<usize>)> =
        states.iter().map(|r| (r.name.as_str(), r.state.funnel.iter().map(|(_, n)| *n).collect())).collect();
    let reviews = Obj::default()
        .set("states", Value::from(rows))
        .set("stages", Value::from(stages.clone()))
        .set(
            "split_chart",
            Value::safe_string(&charts::split_over_time(balance.target.immediate, balance.tolerance, &points)),
        )
        .set("funnel_chart", Value::safe_string(&charts::funnel_over_time(&stages, &funnels)))
        .value();
    (since, reviews)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_name_becomes_a_url_safe_slug() {
        assert_eq!(slug("review-2026-q3"), "review-2026-q3");
        assert_eq!(slug("2026-Q3"), "2026-q3");
        assert_eq!(slug("Review: Q3 / 2026!"), "review-q3-2026");
        assert_eq!(slug("§§"), "review");
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(long_date(jiff::civil::date(2026, 9, 30)), "30 September 2026");
        assert_eq!(long_date(jiff::civil::date(2026, 1, 2)), "2 January 2026");
    }
}

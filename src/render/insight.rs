//! The insight views beyond one item's view: the coverage matrix, discovery
//! load per team and method use (their figures and orders come from the
//! model), the warnings linked to their items, and the pre-built filtered
//! list pages.

use std::collections::{HashMap, HashSet};

use tera::Value;

use super::view::{Obj, Views};
use crate::diagnostic::Severity;
use crate::model::Choice;
use crate::model::discovery::{Quarter, TeamHours};
use crate::model::item::suggest_id;
use crate::model::{Category, Details, How, Kind, PainStatus, Phase, Site, Validation};

/// How many bucket columns a page's coverage matrix shows at most. A site
/// with more buckets shows, on each page, the best-ranked buckets that page's
/// solutions cover, so a page does not grow with the number of buckets.
pub(crate) const MATRIX_BUCKETS: usize = FILTER_OPTIONS;

/// Solutions × pain buckets, built once for every solutions page: per bucket
/// its name, pains and uncovered pains; per (solution, bucket) how many of the
/// bucket's pains the solution covers each way.
pub(crate) struct Coverage {
    /// One column a bucket, in bucket order.
    columns: Vec<Value>,
    /// Per solution, its cells in bucket order: (bucket, pains covered each way).
    cells: HashMap<usize, Vec<(usize, Ways)>>,
}

impl Coverage {
    pub(crate) fn build(site: &Site) -> Coverage {
        let buckets = site.buckets(&site.ranked_pains());
        let columns: Vec<Value> = buckets
            .iter()
            .map(|(name, pains)| {
                let uncovered = pains.iter().filter(|&&p| site.open_and_uncovered(p)).count();
                Obj::default().set("name", name.as_str()).set("pains", pains.len()).set("uncovered", uncovered).value()
            })
            .collect();
        let mut cells: HashMap<usize, Vec<(usize, Ways)>> = HashMap::new();
        for (b, (_, pains)) in buckets.iter().enumerate() {
            for &p in pains {
                for (by, how) in site.solutions_covering(p) {
                    let row = cells.entry(by).or_default();
                    // Buckets come in order, so a solution's cell for this bucket is its last.
                    match row.last_mut() {
                        Some(cell) if cell.0 == b => cell.1.add(how),
                        _ => row.push((b, Ways::one(how))),
                    }
                }
            }
        }
        Coverage { columns, cells }
    }

    /// One column a bucket, in bucket order.
    pub(crate) fn columns(&self) -> &[Value] {
        &self.columns
    }

    /// A solution's cells in bucket order: (bucket, pains covered each way).
    pub(crate) fn row(&self, solution: usize) -> &[(usize, Ways)] {
        self.cells.get(&solution).map_or(&[], Vec::as_slice)
    }

    /// The bucket columns a page of `solutions` shows: every bucket, or, when
    /// there are more than [`MATRIX_BUCKETS`], the best-ranked ones these
    /// solutions cover.
    fn shown(&self, solutions: &[usize]) -> Vec<usize> {
        if self.columns.len() <= MATRIX_BUCKETS {
            return (0..self.columns.len()).collect();
        }
        let mut covered: Vec<usize> = solutions.iter().flat_map(|&s| self.row(s).iter().map(|c| c.0)).collect();
        covered.sort_unstable();
        covered.dedup();
        covered.truncate(MATRIX_BUCKETS);
        covered
    }

    /// The matrix for `solutions`: the bucket `columns` shown, one row per
    /// solution, and how many buckets there are (`buckets`).
    pub(crate) fn matrix(&self, views: &Views, solutions: &[usize]) -> Value {
        let shown = self.shown(solutions);
        let rows: Vec<Value> = solutions
            .iter()
            .map(|&s| {
                let row = self.row(s);
                let cells: Vec<Value> = shown
                    .iter()
                    .map(|b| {
                        let ways = row.binary_search_by_key(b, |c| c.0).ok().map_or(Ways::default(), |k| row[k].1);
                        Obj::default()
                            .set("count", ways.count())
                            .opt("how", ways.strongest().map(|h| h.as_str()))
                            .opt("text", (ways.count() > 0).then(|| ways.text()))
                            .value()
                    })
                    .collect();
                Obj::default().set("solution", views.refs[s].clone()).set("cells", Value::from(cells)).value()
            })
            .collect();
        let columns: Vec<Value> = shown.iter().map(|&b| self.columns[b].clone()).collect();
        let mut matrix = Obj::default()
            .set("columns", Value::from(columns))
            .set("rows", Value::from(rows))
            .set("buckets", self.columns.len());
        if shown.len() < self.columns.len() {
            matrix = matrix.set("buckets_text", thousands(self.columns.len())).set("capped", MATRIX_BUCKETS);
        }
        matrix.value()
    }
}

/// How many pains of one bucket a solution covers each way, strongest way
/// first: eliminate, empower, address.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
pub(crate) struct Ways([usize; 3]);

impl Ways {
    const ORDER: [How; 3] = [How::Eliminate, How::Empower, How::Address];

    /// The counts, strongest way first (eliminate, empower, address).
    pub(crate) fn counts(&self) -> [usize; 3] {
        self.0
    }

    fn one(how: How) -> Ways {
        let mut ways = Ways::default();
        ways.add(how);
        ways
    }

    fn add(&mut self, how: How) {
        if let Some(k) = Self::ORDER.iter().position(|&h| h == how) {
            self.0[k] += 1;
        }
    }

    fn count(&self) -> usize {
        self.0.iter().sum()
    }

    fn strongest(&self) -> Option<How> {
        Self::ORDER.iter().zip(self.0).find(|(_, n)| *n > 0).map(|(&h, _)| h)
    }

    /// What the cell says it counts: `1 eliminate · 2 address`.
    fn text(&self) -> String {
        let parts: Vec<String> = Self::ORDER
            .iter()
            .zip(self.0)
            .filter(|(_, n)| *n > 0)
            .map(|(h, n)| format!("{n} {}", h.as_str()))
            .collect();
        parts.join(" · ")
    }
}

/// Hours of each team's time spent on discovery, in total and this quarter:
/// the site's own team apart, other teams most total hours first, and this
/// quarter's spend against `discovery_budget`.
pub(crate) fn hours_by_team(site: &Site) -> Value {
    let hours = site.hours_by_team();
    let mut list = hours.others;
    let total: f64 = list.iter().map(|t| t.hours).sum();
    let quarter: f64 = list.iter().map(|t| t.quarter).sum();
    let share = |all: f64| if total > 0.0 { (all / total * 100.0).round() } else { 0.0 };
    let budget = budget(site, &list);
    // Every discovery list page shows this table: past the most involved
    // teams, the rest are summed in one row, so a page does not grow with them.
    let rest = list.split_off(list.len().min(FILTER_OPTIONS));
    let teams: Vec<Value> = list
        .into_iter()
        .map(|t| {
            Obj::default()
                .set("team", t.team)
                .set("hours", round1(t.hours))
                .set("quarter", round1(t.quarter))
                .set("share", share(t.hours))
                .value()
        })
        .collect();
    let others = (!rest.is_empty()).then(|| {
        let (all, recent) = rest.iter().fold((0.0, 0.0), |(a, r), t| (a + t.hours, r + t.quarter));
        Obj::default()
            .set("teams", rest.len())
            .set("teams_text", thousands(rest.len()))
            .set("hours", round1(all))
            .set("quarter", round1(recent))
            .set("share", share(all))
            .value()
    });
    let own = hours.own.map(|t| {
        Obj::default().set("team", t.team).set("hours", round1(t.hours)).set("quarter", round1(t.quarter)).value()
    });
    let this_quarter = Quarter::of(site.today);
    Obj::default()
        .set("teams", Value::from(teams))
        .opt("others", others)
        .opt("own", own)
        .opt("budget", budget)
        .set("total", round1(total))
        .set("quarter", round1(quarter))
        .set("quarter_label", this_quarter.to_string())
        .set("quarter_from", this_quarter.first_day().to_string())
        .value()
}

/// Discovery hours per team and calendar quarter (the model's
/// [`Site::hours_by_quarter`]): `quarters` (column labels), `teams` (other
/// teams, each `team`, `hours` per quarter and `total`), past the most
/// involved teams the rest summed in `rest` (so the page does not grow with
/// them), `totals` per quarter and `total` of other teams, and `own`, the
/// site's own team apart.
pub(crate) fn hours_by_quarter(site: &Site) -> Value {
    let table = site.hours_by_quarter();
    let row = |team: &str, hours: &[f64], total: f64| {
        let cells: Vec<Value> = hours.iter().map(|&h| Value::from(round1(h))).collect();
        Obj::default().set("team", team).set("hours", Value::from(cells)).set("total", round1(total)).value()
    };
    let mut others = table.others;
    let rest = others.split_off(others.len().min(FILTER_OPTIONS));
    let teams: Vec<Value> = others.iter().map(|t| row(t.team, &t.hours, t.total)).collect();
    let rest = (!rest.is_empty()).then(|| {
        let mut hours = vec![0.0; table.quarters.len()];
        for t in &rest {
            hours.iter_mut().zip(&t.hours).for_each(|(sum, h)| *sum += h);
        }
        let total = rest.iter().map(|t| t.total).sum();
        let label = format!("{} other team{}", thousands(rest.len()), if rest.len() == 1 { "" } else { "s" });
        row(&label, &hours, total)
    });
    let quarters: Vec<Value> = table.quarters.iter().map(|q| Value::from(q.to_string())).collect();
    Obj::default()
        .set("quarters", Value::from(quarters))
        .set("teams", Value::from(teams))
        .opt("rest", rest)
        .opt("own", table.own.map(|t| row(t.team, &t.hours, t.total)))
        .set("totals", Value::from(table.totals.iter().map(|&h| Value::from(round1(h))).collect::<Vec<_>>()))
        .set("total", round1(table.total))
        .value()
}

/// This quarter's hours of other teams' time against `discovery_budget`:
/// overall (`spent`, `limit`, `percent` of it, capped at 100 for the bar) and
/// per team with a limit of its own.
fn budget(site: &Site, others: &[TeamHours]) -> Option<Value> {
    let (spend, per_team) = site.budget_spend(others)?;
    let teams: Vec<Value> = per_team
        .into_iter()
        .map(|(team, spent, limit)| spent_against(spent, limit).set("team", team).value())
        .collect();
    let overall = spend.budget.map(|limit| spent_against(spend.spent, limit).value());
    Some(Obj::default().opt("overall", overall).set("teams", Value::from(teams)).value())
}

fn spent_against(spent: f64, limit: f64) -> Obj {
    let percent = if limit > 0.0 {
        (spent / limit * 100.0).round()
    } else if spent > 0.0 {
        100.0
    } else {
        0.0
    };
    Obj::default()
        .set("spent", round1(spent))
        .set("limit", round1(limit))
        .set("percent", percent)
        .set("bar", percent.min(100.0))
        .set("over", spent > limit)
        .set("difference", round1((spent - limit).abs()))
}

/// The dashboard's line: this quarter's hours of other teams' time, and the budget.
pub(crate) fn discovery_spend(site: &Site) -> Value {
    let spend = site.quarter_spend();
    let line = Obj::default()
        .set("quarter", spend.quarter.to_string())
        .set("spent", spend.spent)
        .set("url", format!("{}/", Kind::Discovery.folder()));
    match spend.budget {
        Some(limit) => line.set("budget", spent_against(spend.spent, limit).value()).value(),
        None => line.value(),
    }
}

/// Each discovery method with its sessions in the window and when it was last used;
/// `unused` lists the methods not used in the window.
pub(crate) fn methods(site: &Site) -> Value {
    let mut rows = Vec::new();
    let mut unused = Vec::new();
    for u in site.method_use() {
        if u.in_window == 0 {
            unused.push(Value::from(u.method.label()));
        }
        rows.push(
            Obj::default()
                .set("method", u.method.as_str())
                .set("label", u.method.label())
                .set("sessions", u.in_window)
                .set("total", u.total)
                .set("pains", u.pains)
                .set("hours", round1(u.hours))
                .opt("per_hour", u.pains_per_hour().map(|x| (x * 100.0).round() / 100.0))
                .opt("last", u.last.map(|d| d.to_string()))
                .value(),
        );
    }
    let window = site.config.discovery_window_days;
    Obj::default().set("rows", Value::from(rows)).set("unused", Value::from(unused)).set("window_days", window).value()
}

fn round1(x: f64) -> f64 {
    crate::model::figures::round1(x)
}

/// The warnings `check` gives, each linked to the item whose file it points at.
pub(crate) fn warnings(site: &Site, views: &Views) -> Value {
    let mut by_file: HashMap<&std::path::Path, usize> = HashMap::new();
    for (i, item) in site.items.iter().enumerate() {
        by_file.entry(item.file.as_path()).or_insert(i);
    }
    let list: Vec<Value> = site
        .warnings
        .iter()
        .map(|d| {
            let item = d.file.as_deref().and_then(|f| by_file.get(f).copied());
            let file = d.file.as_deref().map(|f| f.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let place = match d.pos {
                Some(p) => format!("{file}:{}:{}", p.line, p.column),
                None => file,
            };
            Obj::default()
                .set("code", d.code)
                .set("severity", severity_word(d.severity))
                .opt("means", plain_words(d.code).map(|m| Value::safe_string(&crate::escape::code_spans(&m))))
                .set("message", Value::safe_string(&crate::escape::code_spans(&d.message)))
                .opt("help", d.help.as_deref().map(|h| Value::safe_string(&crate::escape::code_spans(h))))
                .set("place", place)
                .opt("item", item.map(|i| views.refs[i].clone()))
                .value()
        })
        .collect();
    Value::from(list)
}

/// What a warning's code means, in plain words for the dashboard, from the
/// guide's table (`checks::WARNINGS`): `An experiment is still running…`.
fn plain_words(code: &str) -> Option<String> {
    let means = crate::model::checks::WARNINGS.iter().find(|w| w.code == code)?.means;
    let mut chars = means.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect())
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The dashboard's "Needs attention": the `entries` (the views of
/// `diagnostics`, one each, from [`warnings`]) grouped by severity, errors
/// first, each group in the model's order; groups with no entry are left out.
pub(crate) fn attention(diagnostics: &[crate::diagnostic::Diagnostic], entries: &Value) -> Value {
    let entries = entries.as_array().unwrap_or_default();
    let groups: Vec<Value> = [(Severity::Error, "Errors"), (Severity::Warning, "Warnings")]
        .into_iter()
        .filter_map(|(severity, label)| {
            let of: Vec<Value> = diagnostics
                .iter()
                .zip(entries)
                .filter(|(d, _)| d.severity == severity)
                .map(|(_, entry)| entry.clone())
                .collect();
            (!of.is_empty()).then(|| {
                Obj::default()
                    .set("severity", severity_word(severity))
                    .set("label", label)
                    .set("count", of.len())
                    .set("entries", Value::from(of))
                    .value()
            })
        })
        .collect();
    Value::from(groups)
}

/// One pre-built filtered list page: the items of `kind` whose `facet` is `value`.
pub(crate) struct Filter {
    pub kind: Kind,
    pub facet: &'static str,
    pub facet_label: &'static str,
    pub label: String,
    /// `pain/_by/bucket/slow-feedback/`
    pub url: String,
    /// Item indices, sorted.
    pub members: Vec<usize>,
    /// Whether it has a filtered page of its own. In a facet with more values
    /// than a bar shows, only the values the bar shows and the values of more
    /// than [`FILTER_OPTIONS`] items get one; the page of all values lists the
    /// items of the others itself (and a value of one item links straight to
    /// it). A page per value would make the output grow with the number of
    /// values: one pain naming 2,000 user groups made 2,000 pages.
    pub page: bool,
}

/// The folder of filtered pages under a list page; ids cannot hold `_`, so no item page clashes.
pub(crate) const FILTER_DIR: &str = "_by";

/// Every filtered page: for pains by category, status, bucket and user group; for
/// solutions by category, phase, validation, bucket and user group (of the pains they
/// cover); for experiments by the category and validation of the solution they test.
/// Only values that occur get a page; the order is fixed, so output is deterministic.
pub(crate) fn filters(site: &Site) -> Vec<Filter> {
    let mut out = Vec::new();
    let item_url = |i: usize| crate::model::url_of(site.items[i].kind, &site.items[i].id);
    let urls: (&dyn Fn(usize) -> String, usize) = (&item_url, site.config.paginate_by);
    let pains: Vec<usize> = site.of_kind(Kind::Pain).map(|(i, _)| i).collect();
    let solutions: Vec<usize> = site.of_kind(Kind::Solution).map(|(i, _)| i).collect();
    let pain_of = |i: usize| match &site.items[i].details {
        Details::Pain(p) => Some(p),
        _ => None,
    };
    let covers = site.pains_covered();
    let covered = |s: usize| -> &[usize] { covers.get(&s).map_or(&[], Vec::as_slice) };
    let words = |all: &[&'static str]| Some(all.iter().map(|w| w.to_string()).collect::<Vec<_>>());
    let pain_values = |f: &dyn Fn(&crate::model::item::Pain) -> Vec<String>| -> Vec<(usize, Vec<String>)> {
        pains.iter().filter_map(|&i| pain_of(i).map(|p| (i, f(p)))).collect()
    };
    let solution_values = |f: &dyn Fn(usize, &crate::model::item::Solution) -> Vec<String>| {
        solutions
            .iter()
            .filter_map(|&i| match &site.items[i].details {
                Details::Solution(s) => Some((i, f(i, s))),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let cats = words(&Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    let statuses = words(&PainStatus::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    let phases = words(&Phase::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    let validations = words(&Validation::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    let (p, s) = (Kind::Pain, Kind::Solution);
    facet(&mut out, urls, p, "category", "Category", pain_values(&|x| vec![x.category.as_str().into()]), cats.clone());
    facet(&mut out, urls, p, "status", "Status", pain_values(&|x| vec![x.status.as_str().into()]), statuses);
    facet(&mut out, urls, p, "bucket", "Bucket", pain_values(&|x| x.bucket.iter().cloned().collect()), None);
    facet(&mut out, urls, p, "users", "User group", pain_values(&|x| x.users.clone()), None);
    facet(
        &mut out,
        urls,
        s,
        "category",
        "Category",
        solution_values(&|_, x| vec![x.category.as_str().into()]),
        cats.clone(),
    );
    facet(&mut out, urls, s, "phase", "Phase", solution_values(&|_, x| vec![x.phase.as_str().into()]), phases);
    let validation =
        |i: usize, _: &_| site.computed[i].validation.map(|v| v.as_str().to_string()).into_iter().collect();
    facet(&mut out, urls, s, "validation", "Validation", solution_values(&validation), validations.clone());
    let buckets = |i: usize, _: &_| covered(i).iter().filter_map(|&p| pain_of(p)?.bucket.clone()).collect();
    facet(&mut out, urls, s, "bucket", "Bucket", solution_values(&buckets), None);
    let users = |i: usize, _: &_| covered(i).iter().filter_map(|&p| pain_of(p)).flat_map(|p| p.users.clone()).collect();
    facet(&mut out, urls, s, "users", "User group", solution_values(&users), None);
    // Experiments by the solution they test: its 70/30 category and its validation.
    let tested = |i: usize| match &site.items[i].details {
        Details::Experiment(e) => e.tests.as_ref().and_then(|t| site.index_of(&t.value)),
        _ => None,
    };
    let experiment_values = |f: &dyn Fn(usize) -> Option<String>| -> Vec<(usize, Vec<String>)> {
        site.of_kind(Kind::Experiment).map(|(i, _)| (i, tested(i).and_then(f).into_iter().collect())).collect()
    };
    let category = |s: usize| match &site.items[s].details {
        Details::Solution(x) => Some(x.category.as_str().to_string()),
        _ => None,
    };
    let e = Kind::Experiment;
    facet(&mut out, urls, e, "category", "Category", experiment_values(&category), cats);
    let validation = |s: usize| site.computed[s].validation.map(|v| v.as_str().to_string());
    facet(&mut out, urls, e, "validation", "Solution validation", experiment_values(&validation), validations);
    for f in &mut out {
        f.members.sort_unstable();
    }
    out
}

/// The first page of a filtered list: `solutions/_by/phase/now/`. A value
/// made of lowercase letters is its own slug.
pub(crate) fn filter_url(kind: Kind, facet: &str, slug: &str) -> String {
    format!("{}/{FILTER_DIR}/{facet}/{slug}/", kind.folder())
}

/// Adds the filtered pages of one facet: one per label that occurs (see
/// [`Filter::page`] for the values of one item). Closed sets (`order`) keep
/// their declared order; open sets (buckets, users) go alphabetically.
fn facet(
    out: &mut Vec<Filter>,
    (item_url, per_page): (&dyn Fn(usize) -> String, usize),
    kind: Kind,
    facet: &'static str,
    facet_label: &'static str,
    values: Vec<(usize, Vec<String>)>,
    order: Option<Vec<String>>,
) {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for (i, labels) in values {
        for label in labels {
            match slot.get(&label) {
                // Each item comes once, so it is already in the group only if it was added last.
                Some(&g) if groups[g].1.last() != Some(&i) => groups[g].1.push(i),
                Some(_) => {}
                None => {
                    slot.insert(label.clone(), groups.len());
                    groups.push((label, vec![i]));
                }
            }
        }
    }
    let many = groups.len() > FILTER_OPTIONS;
    let key = |l: &str| order.as_ref().map_or(0, |o| o.iter().position(|x| x == l).unwrap_or(usize::MAX));
    groups.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)).then_with(|| a.0.cmp(&b.0)));
    // With more values than a bar shows, which have a page: the bar's (the
    // most used, as `Bars::build` picks them) and the large ones.
    let mut paged = vec![true; groups.len()];
    if many {
        let mut by_use: Vec<usize> = (0..groups.len()).collect();
        by_use.sort_by_key(|&g| std::cmp::Reverse(groups[g].1.len()));
        paged = groups.iter().map(|(_, members)| members.len() > FILTER_OPTIONS).collect();
        for &g in by_use.iter().take(FILTER_OPTIONS) {
            paged[g] = true;
        }
    }
    let mut slugs: HashSet<String> = HashSet::new();
    for (at, ((label, members), page)) in groups.into_iter().zip(paged).enumerate() {
        let base = suggest_id(&label);
        let mut slug = base.clone();
        let mut n = 2;
        while slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slugs.insert(slug.clone());
        let url = match members.as_slice() {
            _ if page => filter_url(kind, facet, &slug),
            &[only] => item_url(only),
            // Its row on the page of all values, which lists its items.
            _ => {
                let number = at.checked_div(per_page).map_or(1, |n| n + 1);
                format!("{}#{}", super::listing::page_url(&values_url(kind, facet), number), value_anchor(&slug))
            }
        };
        out.push(Filter { kind, facet, facet_label, label, url, members, page });
    }
}

/// How many options of one facet a filter bar shows: the most used ones. A
/// facet with more values links instead to a page of them all, so a list
/// page stays the same size however many distinct values the site has.
pub(crate) const FILTER_OPTIONS: usize = 12;

/// The filter bars of every list, built once: per facet, the options its bar
/// shows and, when it has more values than [`FILTER_OPTIONS`], the page of
/// them all. A page's bar is made when the page is rendered, from options
/// made once, so no list holds a bar of its own.
pub(crate) struct Bars {
    facets: Vec<BarFacet>,
    /// Per filter, its option in a bar that does not show its page.
    options: Vec<Value>,
    /// Per filter, what a bar says of it on its own page: facet label, label, url, count.
    current: Vec<(&'static str, String, String, usize)>,
}

/// One facet of a kind's filter bar.
struct BarFacet {
    kind: Kind,
    facet: &'static str,
    label: &'static str,
    /// Its filters, as a range of the filter list (`facet` adds them together).
    all: std::ops::Range<usize>,
    /// The filters its bar shows: the most used, in the facet's usual order.
    shown: Vec<usize>,
}

impl Bars {
    pub(crate) fn build(filters: &[Filter]) -> Bars {
        let mut facets: Vec<BarFacet> = Vec::new();
        for (i, f) in filters.iter().enumerate() {
            match facets.last_mut() {
                Some(last) if last.kind == f.kind && last.facet == f.facet => last.all.end = i + 1,
                _ => facets.push(BarFacet {
                    kind: f.kind,
                    facet: f.facet,
                    label: f.facet_label,
                    all: i..i + 1,
                    shown: Vec::new(),
                }),
            }
        }
        for bar in &mut facets {
            let mut by_use: Vec<usize> = bar.all.clone().collect();
            // Most items first; among equals the usual order (a stable sort).
            by_use.sort_by_key(|&i| std::cmp::Reverse(filters[i].members.len()));
            by_use.truncate(FILTER_OPTIONS);
            by_use.sort_unstable();
            bar.shown = by_use;
        }
        let current: Vec<_> = filters
            .iter()
            .map(|f| (f.facet_label, humanize(f.facet, &f.label), f.url.clone(), f.members.len()))
            .collect();
        let options = current.iter().map(|(_, label, url, count)| option(label, url, *count, false)).collect();
        Bars { facets, options, current }
    }

    /// The facets of `kind`'s bars: each facet's name, its filters (a range of
    /// the filter list) and the ones its bar shows.
    pub(crate) fn facets_of(
        &self,
        kind: Kind,
    ) -> impl Iterator<Item = (&'static str, std::ops::Range<usize>, &[usize])> {
        self.facets.iter().filter(move |b| b.kind == kind).map(|b| (b.facet, b.all.clone(), b.shown.as_slice()))
    }

    /// Filter `i`'s option in a bar that does not show its page.
    pub(crate) fn option(&self, i: usize) -> Option<&Value> {
        self.options.get(i)
    }

    /// What a bar says of filter `i` on its own page: facet label, label, url, count.
    pub(crate) fn current(&self, i: usize) -> Option<&(&'static str, String, String, usize)> {
        self.current.get(i)
    }

    /// The facets whose bar cannot show every value, each with its values in
    /// the usual order: each gets a page listing them all.
    pub(crate) fn capped(
        &self,
    ) -> impl Iterator<Item = (Kind, &'static str, &'static str, std::ops::Range<usize>)> + '_ {
        self.facets.iter().filter(|b| b.all.len() > FILTER_OPTIONS).map(|b| (b.kind, b.facet, b.label, b.all.clone()))
    }

    /// The filter bar of one list page of `kind`; `current` is the index of the
    /// filtered page shown, if any. It shows at most [`FILTER_OPTIONS`] options
    /// a facet (and the current one), so its size does not grow with the site.
    pub(crate) fn nav(&self, kind: Kind, current: Option<usize>) -> Value {
        let shown = |i: usize| match self.current.get(i) {
            Some((_, label, url, count)) if current == Some(i) => option(label, url, *count, true),
            _ => self.options.get(i).cloned().unwrap_or_else(Value::none),
        };
        let groups: Vec<Value> = self
            .facets
            .iter()
            .filter(|b| b.kind == kind && (b.all.len() > 1 || current.is_some()))
            .map(|b| {
                let mut options: Vec<Value> = b.shown.iter().map(|&i| shown(i)).collect();
                // The value shown is always in its bar, after the most used ones.
                if let Some(c) = current.filter(|c| b.all.contains(c) && !b.shown.contains(c)) {
                    options.push(shown(c));
                }
                let mut group = Obj::default()
                    .set("facet", b.facet)
                    .set("label", b.label)
                    .set("options", Value::from(options))
                    .set("values", b.all.len());
                if b.all.len() > FILTER_OPTIONS {
                    group = group
                        .set("shown", b.shown.len())
                        .set("values_text", thousands(b.all.len()))
                        .set("plural", facet_plural(b.facet))
                        .set("all_url", values_url(kind, b.facet));
                }
                group.value()
            })
            .collect();
        let mut nav = Obj::default().set("groups", Value::from(groups)).set("all_url", format!("{}/", kind.folder()));
        if let Some((facet_label, label, _, count)) = current.and_then(|c| self.current.get(c)) {
            nav = nav.set("facet_label", *facet_label).set("label", label.as_str()).set("count", *count);
        }
        nav.value()
    }
}

/// One option of a filter bar.
fn option(label: &str, url: &str, count: usize, current: bool) -> Value {
    Obj::default().set("label", label).set("url", url).set("count", count).set("current", current).value()
}

/// The id of a value's row on the page of all values, for a value with no
/// filtered page of its own (`value-` keeps it apart from the templates' ids).
pub(crate) fn value_anchor(slug: &str) -> String {
    format!("value-{slug}")
}

/// The page of every value of a facet: `pain/_by/users/`.
pub(crate) fn values_url(kind: Kind, facet: &str) -> String {
    format!("{}/{FILTER_DIR}/{facet}/", kind.folder())
}

/// A facet's values, in words: `user groups`.
pub(crate) fn facet_plural(facet: &str) -> &'static str {
    match facet {
        "category" => "categories",
        "status" => "statuses",
        "bucket" => "buckets",
        "users" => "user groups",
        "phase" => "phases",
        _ => "validations",
    }
}

/// A count with thousands separated, `1,000`, as limits are written in messages.
pub(crate) use crate::limits::thousands;

/// Closed-set words read as words: `immediate` → `Immediate`.
pub(crate) fn humanize(facet: &str, label: &str) -> String {
    match facet {
        "bucket" | "users" => label.to_string(),
        _ => {
            let mut chars = label.chars();
            chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_cell_says_how_many_pains_it_covers_each_way() {
        let mut ways = Ways::one(How::Address);
        ways.add(How::Eliminate);
        ways.add(How::Address);
        assert_eq!(ways.text(), "1 eliminate · 2 address");
        assert_eq!((ways.count(), ways.strongest()), (3, Some(How::Eliminate)));
        assert_eq!(Ways::default().strongest(), None);
    }
}

//! Model: typed items, the reference graph with backlinks, and the computed
//! figures. Built once from a loaded site; immutable afterwards.

pub(crate) mod bodies;
pub(crate) mod checks;
mod coverage;
pub(crate) mod discovery;
pub(crate) mod elsewhere;
pub(crate) mod figures;
pub(crate) mod graph;
pub(crate) mod item;
pub(crate) mod kind;
pub(crate) mod names;
pub(crate) mod order;
pub(crate) mod placeholders;
mod sla;
#[cfg(test)]
pub(crate) mod testing;

use std::collections::HashMap;
use std::path::PathBuf;

use std::sync::Arc;

use jiff::civil::Date;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::{Document, Loaded};
use crate::markdown::RenderedBody;
pub(crate) use coverage::Cover;
use figures::Balance;
use graph::Index;
pub(crate) use item::{Details, Item};
pub use kind::*;

/// How the model is built: only what changes the domain.
#[derive(Clone)]
pub struct ModelOptions {
    /// Keep items marked `draft: true`.
    pub drafts: bool,
    /// The date staleness is judged against.
    pub today: Date,
}

/// What the model computes for one item.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// Pains: the score and the rank (1 = most important).
    pub score: Option<f64>,
    pub rank: Option<usize>,
    /// Solutions: value from the pains covered, and value per unit of effort.
    pub value: Option<f64>,
    pub value_per_effort: Option<f64>,
    /// Solutions: validation, and whether it was derived from experiments.
    pub validation: Option<Validation>,
    pub validation_derived: bool,
    /// Experiments: running past their end or the staleness window.
    pub stale: bool,
    /// Experiments: running past their `ends` date.
    pub overdue: bool,
    /// Running experiments with an end date: days until it, negative when
    /// overdue (the board says "3 days left", "12 days overdue").
    pub days_left: Option<i64>,
    /// Pains: the sum of their evidence weights.
    pub evidence_weight: u32,
    /// Pains: the solutions covering them, and how (disproved ones too).
    pub covered_by: Vec<(usize, How)>,
    /// Pains: whether a solution that can still help covers them (see [`coverage`]).
    pub cover: Option<Cover>,
    /// Solutions: the experiments testing them. Visions: the solutions advancing them.
    pub tested_by: Vec<usize>,
    pub advanced_by: Vec<usize>,
    /// Planned effort (now + next) of the solutions advancing a vision theme.
    pub vision_effort: f64,
    /// Its references to other teams' items (front matter, then body links).
    pub elsewhere: Vec<elsewhere::TeamRef>,
    /// The references to it from the items of the site's `neighbours:`.
    pub inbound: Vec<elsewhere::Inbound>,
}

/// The whole site, understood.
pub struct Site {
    pub config: Config,
    pub today: Date,
    /// Sorted by kind, then id.
    pub items: Vec<Item>,
    pub computed: Vec<Computed>,
    /// Per item, its body's outline: links, headings, text and problems
    /// (its HTML is rendered by the page that shows it, see [`Site::body_links`]).
    pub bodies: Vec<Arc<RenderedBody>>,
    /// Per item, the document it was read from (its path, front matter and body).
    pub documents: Vec<Arc<Document>>,
    /// Outgoing references (front matter and body) and their inverse, per item, sorted.
    pub links: Vec<Vec<usize>>,
    pub backlinks: Vec<Vec<usize>>,
    pub balance: Balance,
    /// The warnings of [`checks::lint`] that the config leaves switched on,
    /// kept so the dashboard can show what needs attention.
    pub warnings: Vec<Diagnostic>,
    /// Where references to other teams' items link (from the vocabulary).
    pub addresses: elsewhere::Addresses,
    by_id: HashMap<String, usize>,
    by_file: HashMap<PathBuf, usize>,
}

impl Site {
    /// The text of item `i`'s body.
    pub fn body(&self, i: usize) -> &str {
        self.documents[i].body()
    }

    /// How the links in item `i`'s body resolve, for rendering its HTML: as
    /// they did when the model read them (their problems are reported already).
    pub fn body_links(&self, i: usize) -> bodies::BodyLinks<'_> {
        bodies::BodyLinks {
            items: &self.items,
            by_id: &self.by_id,
            left_out: None,
            by_file: &self.by_file,
            teams: &self.addresses,
            from: &self.items[i],
        }
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn charter(&self) -> Option<&Item> {
        self.items.iter().find(|i| i.kind == Kind::Charter)
    }

    /// Items of one kind, in id order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Item)> {
        self.items.iter().enumerate().filter(move |(_, i)| i.kind == kind)
    }
}

/// The URL of an item relative to the site root: `pain/slow-ci/`, `charter/`.
pub(crate) fn url_of(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Charter => "charter/".to_string(),
        _ => format!("{}/{id}/", kind.folder()),
    }
}

/// How many folders deep an item's page is, for relative links.
pub(crate) fn depth_of(kind: Kind) -> usize {
    if kind == Kind::Charter { 1 } else { 2 }
}

/// Builds the model from a loaded site, reading each body's outline. Problems go to `diags`.
pub fn build(loaded: &Loaded, options: &ModelOptions, diags: &mut Diagnostics) -> Site {
    build_with(loaded, options, &bodies::Outline, diags)
}

/// [`build`], reading bodies through `reader`: the same site, whichever
/// reader (one may reuse outlines read before, see `crate::incremental`).
pub fn build_with(
    loaded: &Loaded,
    options: &ModelOptions,
    reader: &dyn bodies::BodyReader,
    diags: &mut Diagnostics,
) -> Site {
    let mut left_out: HashMap<String, &'static str> =
        loaded.unreadable.iter().map(|stem| (stem.clone(), "in a file that could not be read")).collect();
    let mut items = Vec::new();
    let mut sources = Vec::new();
    for (doc_index, doc) in loaded.documents.iter().enumerate() {
        if let Some(item) = item::read(doc, diags) {
            if item.draft && !options.drafts {
                left_out.insert(item.id.clone(), "a draft (build with --drafts to include drafts)");
                continue;
            }
            items.push(item);
            sources.push(doc_index);
        }
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        (items[a].kind, &items[a].id, &items[a].file).cmp(&(items[b].kind, &items[b].id, &items[b].file))
    });
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut items: Vec<Item> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let name_warnings = names::unify(&mut items, &loaded.config.vocabulary, diags);
    let sources: Vec<usize> = order.iter().map(|&i| sources[i]).collect();

    let by_id = index_ids(&items, diags);
    check_charters(&items, diags);
    let index = Index { by_id: by_id.iter().map(|(k, v)| (k.as_str(), *v)).collect(), left_out };

    let addresses = elsewhere::Addresses::of(&loaded.config.vocabulary, &loaded.neighbours);
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut team_refs: Vec<Vec<elsewhere::TeamRef>> = vec![Vec::new(); items.len()];
    for (from, item) in items.iter().enumerate() {
        for edge in graph::edges(item) {
            if let Some(r) = graph::other_team(&edge, &addresses) {
                team_refs[from].push(r);
                continue;
            }
            if let Some(to) = graph::resolve(&items, &index, item, &edge, diags) {
                if to == from {
                    diags.push(
                        Diagnostic::error("self-reference", format!("`{}` refers to the item itself", edge.field))
                            .at(&item.file, Some(edge.target.pos))
                            .help("refer to another item"),
                    );
                    continue;
                }
                links[from].push(to);
            }
        }
    }

    let by_file: HashMap<PathBuf, usize> = items.iter().enumerate().map(|(i, item)| (item.file.clone(), i)).collect();
    let reading = bodies::Bodies {
        loaded,
        items: &items,
        sources: &sources,
        index: &index,
        by_file: &by_file,
        teams: &addresses,
    };
    let bodies = bodies::read(&reading, reader, diags);
    for (from, body) in bodies.iter().enumerate() {
        links[from].extend(body.links.iter().filter_map(|l| index.get(&l.id)).filter(|&to| to != from));
        let document = &loaded.documents[sources[from]];
        team_refs[from].extend(bodies::team_links(document, body, &addresses));
    }
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (from, targets) in links.iter_mut().enumerate() {
        targets.sort_unstable();
        targets.dedup();
        for &to in targets.iter() {
            backlinks[to].push(from);
        }
    }

    let (mut computed, balance) = compute(&items, &index, &loaded.config, options.today);
    let own = discovery::own_team(&items);
    let inbound = elsewhere::inbound(&items, own, &loaded.config.vocabulary, &loaded.neighbours);
    for ((c, refs), inbound) in computed.iter_mut().zip(team_refs).zip(inbound) {
        c.elsewhere = refs;
        c.inbound = inbound;
    }
    let mut warnings = checks::lint(&items, &computed, &balance, &loaded.config, options.today);
    checks::add(&mut warnings, name_warnings, &loaded.config);
    diags.extend(warnings.iter().cloned());
    Site {
        config: loaded.config.clone(),
        today: options.today,
        items,
        computed,
        bodies,
        documents: sources.iter().map(|&d| Arc::clone(&loaded.documents[d])).collect(),
        links,
        backlinks,
        balance,
        warnings,
        addresses,
        by_id,
        by_file,
    }
}

fn index_ids(items: &[Item], diags: &mut Diagnostics) -> HashMap<String, usize> {
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(&first) = by_id.get(&item.id) {
            diags.push(
                Diagnostic::error("duplicate-id", format!("the id `{}` is already used", item.id))
                    .at(&item.file, Some(item.id_pos.unwrap_or(Pos { line: 1, column: 1 })))
                    .help(format!(
                        "{} has the same id; ids must be unique across the site: rename this file or set another `id:`",
                        items[first].file.display()
                    )),
            );
            continue;
        }
        by_id.insert(item.id.clone(), i);
    }
    // Each old id may lead to one item only: two redirects cannot share a URL.
    let mut claimed: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        for alias in &item.aliases {
            let (message, help) = if let Some(&owner) = by_id.get(&alias.value) {
                if owner == i {
                    (
                        format!("the alias `{}` is this item's own id", alias.value),
                        "an alias is an old id that redirects here: remove this one".to_string(),
                    )
                } else {
                    (
                        format!("the alias `{}` is the id of another item", alias.value),
                        format!("{} uses that id; remove the alias or rename one of them", items[owner].file.display()),
                    )
                }
            } else if let Some(&first) = claimed.get(alias.value.as_str()) {
                (
                    format!("the alias `{}` is given twice", alias.value),
                    format!(
                        "{} already has it; an old id can redirect to one item only: remove one",
                        items[first].file.display()
                    ),
                )
            } else {
                claimed.insert(&alias.value, i);
                continue;
            };
            diags.push(Diagnostic::error("alias-collision", message).at(&item.file, Some(alias.pos)).help(help));
        }
    }
    by_id
}

fn check_charters(items: &[Item], diags: &mut Diagnostics) {
    let charters: Vec<&Item> = items.iter().filter(|i| i.kind == Kind::Charter).collect();
    for extra in charters.iter().skip(1) {
        diags.push(
            Diagnostic::error("duplicate-charter", "a site has one charter, and this is a second one")
                .at(&extra.file, Some(Pos { line: 1, column: 1 }))
                .help(format!("merge it into {}", charters[0].file.display())),
        );
    }
}

fn compute(items: &[Item], index: &Index, config: &Config, today: Date) -> (Vec<Computed>, Balance) {
    let mut computed = vec![Computed::default(); items.len()];
    let mut exact_score = vec![0.0; items.len()];
    for (i, item) in items.iter().enumerate() {
        match &item.details {
            Details::Pain(p) => {
                let weight = p.evidence.iter().map(|e| u32::from(e.weight)).sum();
                computed[i].evidence_weight = weight;
                exact_score[i] = figures::pain_score(p.severity, p.frequency, p.reach, weight, &config.scoring);
                computed[i].score = Some(figures::round1(exact_score[i]));
            }
            Details::Experiment(e) => {
                computed[i].stale = figures::is_stale(e.status, e.started, e.ends, today, config.stale_after_days);
                computed[i].overdue = figures::is_overdue(e.status, e.ends, today);
                computed[i].days_left = figures::days_left(e.status, e.ends, today);
                if let Some(to) =
                    e.tests.as_ref().and_then(|t| index.get(&t.value)).filter(|&t| items[t].kind == Kind::Solution)
                {
                    computed[to].tested_by.push(i);
                }
            }
            _ => {}
        }
    }
    rank_pains(items, &mut computed);
    let charter = items.iter().find(|i| i.kind == Kind::Charter);
    let mut planned = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Details::Solution(s) = &item.details else {
            continue;
        };
        let mut value = 0.0;
        for coverage in &s.addresses {
            if let Some(p) = index.get(&coverage.pain.value).filter(|&p| items[p].kind == Kind::Pain) {
                value += exact_score[p] * coverage.how.weight();
                computed[p].covered_by.push((i, coverage.how));
            }
        }
        for vision in &s.advances {
            if let Some(v) = index.get(&vision.value).filter(|&v| items[v].kind == Kind::Vision) {
                computed[v].advanced_by.push(i);
                if s.phase != Phase::Later {
                    computed[v].vision_effort += s.effort.unwrap_or(0.0);
                }
            }
        }
        let verdicts = computed[i].tested_by.iter().filter_map(|&e| match &items[e].details {
            Details::Experiment(x) => Some((x.status, figures::unearned(x).is_empty())),
            _ => None,
        });
        let derived = figures::derived_validation(verdicts.collect::<Vec<_>>());
        let c = &mut computed[i];
        c.value = Some(figures::round1(value));
        c.value_per_effort = s.effort.map(|e| figures::round1(value / e));
        c.validation = Some(s.validation.unwrap_or(derived));
        c.validation_derived = s.validation.is_none();
        planned.push((s.category, s.phase, s.effort));
    }
    coverage::judge(items, &mut computed);
    let balance = Balance::new(figures::target_split(charter), planned, config.tolerance);
    (computed, balance)
}

/// Ranks pains: explicit priority first (ascending), then score (descending), then id.
fn rank_pains(items: &[Item], computed: &mut [Computed]) {
    let mut pains: Vec<(usize, Option<i64>, f64)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match &item.details {
            Details::Pain(p) => Some((i, p.priority, computed[i].score.unwrap_or(0.0))),
            _ => None,
        })
        .collect();
    pains.sort_by(|a, b| {
        let by_priority = match (a.1, b.1) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_priority.then(b.2.total_cmp(&a.2)).then_with(|| items[a.0].id.cmp(&items[b.0].id))
    });
    for (rank, (i, _, _)) in pains.into_iter().enumerate() {
        computed[i].rank = Some(rank + 1);
    }
}

//! Each page's inputs as one value: its spec, the base context and what its
//! kind shows. The template context is built only from this value, and
//! `crate::incremental::pages::key` makes its memo key of it, so a page cannot read
//! what its memo key does not cover.

use tera::{Context, Value};

use super::changes::{self, Comparison};
use super::insight::{Bars, Coverage};
use super::listing::{Groups, Listing};
use super::view::{Obj, Views};
use super::{Shown, Spec, contexts};
use crate::history::History;
use crate::incremental::memo::PageContext;
use crate::markdown;
#[cfg(test)]
use crate::model::Choice;
use crate::model::{Kind, Site};

/// What every page's context holds: the base context (`site`, `nav`,
/// `scoring_formula`, `scoring_evidence`) and the page's own `root` and `page`.
pub(crate) const BASE_FIELDS: &[&str] = &["site", "nav", "scoring_formula", "scoring_evidence", "root", "page"];
#[cfg(test)]
/// What the shared layout (`base.html`) reads only where a page declares it,
/// behind `is defined`: an item page's `item`, for its description.
pub(crate) const LAYOUT_OPTIONAL: &[&str] = &["item"];
/// What an item's page adds: its view (and body), and its timeline over the
/// reviews (null without reviews).
pub(crate) const ITEM_FIELDS: &[&str] = &["item", "timeline"];
/// What the dashboard adds.
pub(crate) const DASHBOARD_FIELDS: &[&str] = &[
    "warnings",
    "attention",
    "sla_gaps",
    "unproven",
    "planned_total",
    "planned",
    "charter",
    "balance",
    "funnel",
    "charts",
    "top_pains",
    "only_disproved",
    "stale_experiments",
    "recent",
    "counts",
    "discovery",
    "since",
    "reviews",
];
/// What a changes page adds.
pub(crate) const CHANGES_FIELDS: &[&str] = &["comparisons", "history", "changes"];
/// What the roadmap adds.
pub(crate) const ROADMAP_FIELDS: &[&str] = &["columns", "balance", "charts"];
/// What an org page adds: the page's view of the portfolio.
pub(crate) const ORG_FIELDS: &[&str] = &["org"];
/// What the 404 page adds: nothing.
pub(crate) const NOT_FOUND_FIELDS: &[&str] = &[];
/// What a page of a list of values (every bucket, every team...) adds.
pub(crate) const VALUES_FIELDS: &[&str] = &["paginator", "total", "list_cap", "facet", "values"];

/// What one page of a list of items adds, by kind.
pub(crate) const fn list_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pain => &["paginator", "total", "list_cap", "filters", "buckets", "pains"],
        Kind::Solution => &["paginator", "total", "list_cap", "filters", "coverage", "items"],
        Kind::Experiment => &["paginator", "total", "list_cap", "filters", "columns"],
        Kind::Vision => &["paginator", "total", "list_cap", "filters", "planned_effort", "items"],
        Kind::Discovery => &["paginator", "total", "list_cap", "filters", "items", "hours", "quarters", "methods"],
        Kind::Sla => &["paginator", "total", "list_cap", "filters", "items", "sparklines"],
        Kind::Charter => &["paginator", "total", "list_cap", "filters", "items"],
    }
}

/// Everything one page is made from.
pub(crate) struct PageInputs<'a> {
    pub spec: &'a Spec,
    /// The way up to the site root from this page (`../`s, or the base path for 404.html).
    pub root: &'a str,
    /// The context every page starts from, and its key.
    pub base: &'a (Context, u64),
    pub shows: Shows<'a>,
}

/// What a page shows, by page kind.
pub(crate) enum Shows<'a> {
    /// An item's page: its view, its body and its timeline. The timeline is
    /// a field of its own, not part of the view: list pages show the views
    /// and not the timelines, and a new review changes no view.
    Item {
        view: &'a Value,
        body: Body<'a>,
        timeline: &'a Value,
    },
    /// Page `page` (from 1) of a list: the listing, the views of the items it
    /// shows, the filter bar and the figures its kind adds.
    List {
        listing: &'a Listing,
        page: usize,
        views: &'a Views,
        bars: &'a Bars,
        figures: Figures<'a>,
    },
    /// The dashboard and the roadmap read the model's whole structure; the
    /// dashboard the reviews too.
    Dashboard(Whole<'a>, Time<'a>),
    Roadmap(Whole<'a>),
    /// A changes page: comparison `current` of `time` (none without history).
    Changes {
        site: &'a Site,
        time: Time<'a>,
        current: usize,
    },
    NotFound,
    /// One of a portfolio's org pages.
    Org {
        portfolio: &'a crate::portfolio::Portfolio,
        page: super::org::OrgPage,
    },
}

/// An item's body: its text and outline in the model, rendered to HTML with
/// `markdown` when the page is.
pub(crate) struct Body<'a> {
    pub site: &'a Site,
    pub index: usize,
    pub markdown: &'a markdown::Options,
}

/// The model and what pages show of it, for pages made from its whole structure.
pub(crate) struct Whole<'a> {
    pub site: &'a Site,
    pub shown: &'a Shown,
}

/// The site's reviews and its state now, and each comparison with its page.
#[derive(Clone, Copy)]
pub(crate) struct Time<'a> {
    pub history: &'a History,
    pub comparisons: &'a [Comparison<'a>],
    pub pages: &'a [changes::Page],
}

/// What a list page adds to its items, by kind.
pub(crate) enum Figures<'a> {
    Nothing,
    /// Solutions: the coverage matrix of the solutions shown.
    Coverage(&'a Coverage),
    /// Discovery: hours per team, per team and quarter, and methods.
    Discovery {
        hours: &'a Value,
        quarters: &'a Value,
        methods: &'a Value,
    },
    /// SLAs: each one's sparkline of its levels over the reviews, by id.
    Sparklines(&'a Value),
    /// Vision: the planned effort of all solutions.
    PlannedEffort(f64),
}

impl<'a> Figures<'a> {
    /// The figures a page of `listing` adds.
    pub(crate) fn of(listing: &Listing, site: &Site, shown: &'a Shown) -> Figures<'a> {
        match listing.kind {
            _ if matches!(listing.groups, Groups::Values(_)) => Figures::Nothing,
            Kind::Solution => Figures::Coverage(&shown.coverage),
            Kind::Discovery => {
                Figures::Discovery { hours: &shown.hours, quarters: &shown.quarters, methods: &shown.methods }
            }
            Kind::Sla => Figures::Sparklines(&shown.sparklines),
            Kind::Vision => Figures::PlannedEffort(site.balance.planned_effort),
            _ => Figures::Nothing,
        }
    }
}

impl Shows<'_> {
    /// The context fields this page kind declares (besides [`BASE_FIELDS`]).
    pub(crate) fn fields(&self) -> &'static [&'static str] {
        match self {
            Shows::Item { .. } => ITEM_FIELDS,
            Shows::List { listing, .. } if matches!(listing.groups, Groups::Values(_)) => VALUES_FIELDS,
            Shows::List { listing, .. } => list_fields(listing.kind),
            Shows::Dashboard(..) => DASHBOARD_FIELDS,
            Shows::Changes { .. } => CHANGES_FIELDS,
            Shows::Roadmap(_) => ROADMAP_FIELDS,
            Shows::NotFound => NOT_FOUND_FIELDS,
            Shows::Org { .. } => ORG_FIELDS,
        }
    }

    /// Whether the page is made from the model's whole structure (its key is
    /// coarse, so its whole context is worth a key too).
    pub(crate) fn is_whole(&self) -> bool {
        matches!(
            self,
            Shows::Dashboard(..) | Shows::Roadmap(_) | Shows::Changes { .. } | Shows::NotFound | Shows::Org { .. }
        )
    }
}

impl PageInputs<'_> {
    /// Fills `ctx` (started from the base context) with this page's fields.
    pub(crate) fn context(&self, ctx: &mut PageContext) {
        let mut fields = Fields { ctx, declared: self.shows.fields() };
        let spec = self.spec;
        fields.insert("root", self.root);
        fields.insert_value(
            "page",
            Obj::default()
                .set("title", spec.title.as_str())
                .set("url", spec.url.as_str())
                .set("section", spec.section)
                .value(),
        );
        match &self.shows {
            Shows::Item { view, body, timeline } => {
                item(view, body, &mut fields);
                fields.insert_value("timeline", (*timeline).clone());
            }
            Shows::List { listing, page, views, bars, figures } => {
                contexts::list(listing, *page, views, bars, figures, &mut fields)
            }
            Shows::Dashboard(whole, time) => contexts::dashboard(whole.site, &whole.shown.views, time, &mut fields),
            Shows::Changes { site, time, current } => changes::page(site, time, *current, &mut fields),
            Shows::Roadmap(whole) => contexts::roadmap(whole.site, whole.shown, &mut fields),
            Shows::NotFound => {}
            Shows::Org { portfolio, page } => fields.insert_value("org", page.context(portfolio)),
        }
    }
}

/// An item's page: its shared view plus what only this page shows, its
/// body and table of contents (a shallow copy of the view).
fn item(view: &Value, body: &Body, fields: &mut Fields) {
    let Body { site, index, markdown } = *body;
    let toc: Vec<Value> = site.bodies[index]
        .toc
        .iter()
        .map(|h| {
            Obj::default().set("level", h.level as u64).set("id", h.id.as_str()).set("text", h.text.as_str()).value()
        })
        .collect();
    let html = markdown::render(site.body(index), markdown, &site.body_links(index)).html;
    let mut item = view.clone().into_map().unwrap_or_default();
    item.insert("body".into(), Value::safe_string(&html));
    item.insert("toc".into(), Value::from(toc));
    fields.insert_value("item", Value::from(item));
}

/// A page context that takes only the fields its page kind declares (checked
/// in debug builds; the template test checks the templates' side).
pub(super) struct Fields<'c, 'k> {
    ctx: &'c mut PageContext<'k>,
    declared: &'static [&'static str],
}

impl Fields<'_, '_> {
    fn check(&self, key: &str) {
        debug_assert!(
            self.declared.contains(&key) || BASE_FIELDS.contains(&key),
            "the context field `{key}` is not declared by its page kind (render/inputs.rs)"
        );
    }

    pub(super) fn insert_value(&mut self, key: &'static str, value: Value) {
        self.check(key);
        self.ctx.insert_value(key, value);
    }

    pub(super) fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.check(key);
        self.ctx.insert(key, value);
    }
}

#[cfg(test)]
/// The fields each page template may read: the fields of every page kind
/// that renders through it, by template name.
pub(crate) fn declared_by_template() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = vec![
        ("item.html", ITEM_FIELDS.to_vec()),
        ("charter.html", ITEM_FIELDS.to_vec()),
        ("index.html", DASHBOARD_FIELDS.to_vec()),
        ("roadmap.html", ROADMAP_FIELDS.to_vec()),
        ("404.html", NOT_FOUND_FIELDS.to_vec()),
        ("changes.html", CHANGES_FIELDS.to_vec()),
        ("values.html", VALUES_FIELDS.to_vec()),
        ("org.html", ORG_FIELDS.to_vec()),
        ("org-roadmap.html", ORG_FIELDS.to_vec()),
        ("org-users.html", ORG_FIELDS.to_vec()),
        ("org-discovery.html", ORG_FIELDS.to_vec()),
    ];
    for &kind in Kind::ALL {
        let template = super::list_template(kind);
        match out.iter_mut().find(|(t, _)| *t == template) {
            Some((_, fields)) => fields.extend(list_fields(kind)),
            None => out.push((template, list_fields(kind).to_vec())),
        }
    }
    out
}

#[cfg(test)]
/// The variables `template` reads (with its parents and includes) that
/// neither its page kinds nor the base context declare, sorted.
pub(crate) fn undeclared(tera: &tera::Tera, template: &str, declared: &[&str]) -> Vec<String> {
    let Ok(read) = tera.get_template_variables(template) else {
        return vec![format!("(no template `{template}`)")];
    };
    let mut out: Vec<String> = read
        .into_iter()
        .filter(|v| !declared.contains(v) && !BASE_FIELDS.contains(v) && !LAYOUT_OPTIONAL.contains(v))
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_read_only_the_fields_their_inputs_declare() {
        let site = tempfile::tempdir().unwrap();
        let theme = super::super::theme::load(site.path(), None).unwrap();
        for (template, declared) in declared_by_template() {
            let extra = undeclared(&theme.tera, template, &declared);
            assert!(extra.is_empty(), "{template} reads {extra:?}, which its page inputs do not declare");
        }
    }

    #[test]
    fn a_template_reading_an_undeclared_field_is_reported() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(
            site.path().join("templates/item.html"),
            "{% extends \"base.html\" %}{% block content %}{{ item.title }} {{ secret.value }}{% endblock %}",
        )
        .unwrap();
        let theme = super::super::theme::load(site.path(), None).unwrap();
        assert_eq!(undeclared(&theme.tera, "item.html", ITEM_FIELDS), vec!["secret".to_string()]);
    }
}

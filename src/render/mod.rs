//! Render: the model through the theme's templates into pages (bytes at
//! output paths). Pages are independent, so they render in parallel.

pub(crate) mod budget;
mod changes;
pub(crate) mod charts;
mod contexts;
pub(crate) mod html;
pub(crate) mod inputs;
pub(crate) mod insight;
mod jobs;
pub(crate) mod link_stage;
pub(crate) mod links;
pub(crate) mod listing;
pub(crate) mod org;
pub(crate) mod origin;
mod pages;
pub(crate) mod publish;
pub(crate) mod theme;
mod timeline;
pub(crate) mod view;

// Publishing outputs, named here too: `publish::finish` calls them `super::badges` and `super::search`.
use publish::{badges, search};

use tera::{Context, Value};

use crate::incremental::keys::SiteKeys;
use crate::model::Site;
use view::{Obj, Views};

pub(crate) use jobs::Spec;
#[cfg(test)]
use jobs::list_template;
use jobs::{Job, NAV};
pub(crate) use pages::{Beyond, BodyOptions, Stream, render_with};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Relative to the output folder, with `/`: `pain/slow-ci/index.html`.
    pub path: String,
    /// Shared, not copied, between the page memo, the link check and `serve`.
    pub bytes: bytes::Bytes,
}

impl Page {
    pub fn new(path: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Page {
        Page { path: path.into(), bytes: bytes.into() }
    }
}

/// What pages show of the model: built from the model alone (no body text),
/// so `serve` keeps it while the site's structure is unchanged.
pub(crate) struct Shown {
    views: Views,
    /// The views' keys, and what they were made from.
    view_keys: crate::incremental::views::ViewKeys,
    /// The keys of the listings, bars and coverage matrix.
    keys: crate::incremental::shown::ShownKeys,
    listings: Vec<listing::Listing>,
    /// The filter bars of the list pages.
    bars: insight::Bars,
    coverage: insight::Coverage,
    /// The discovery page's figures: hours per team, per team and quarter, and methods.
    hours: Value,
    quarters: Value,
    methods: Value,
    /// Per item, its timeline of changes over the reviews (see [`timeline`]).
    timelines: Vec<Value>,
    /// The SLA list's sparklines, by SLA id.
    sparklines: Value,
}

impl Shown {
    /// What pages show, reusing the item views of `previous` that are unchanged.
    /// Made from the model and the past reviews: kept while neither changed.
    fn build(site: &Site, history: &crate::history::History, keys: &SiteKeys, previous: Option<&Shown>) -> Shown {
        let views =
            || crate::incremental::views::build(site, &keys.own_inputs, previous.map(|p| (&p.views, &p.view_keys)));
        let lists = || {
            let filters = insight::filters(site);
            let bars = insight::Bars::build(&filters);
            (listing::listings(site, &filters, &bars), bars)
        };
        let (((views, view_keys), (listings, bars)), coverage) =
            rayon::join(|| rayon::join(views, lists), || insight::Coverage::build(site));
        let (hours, methods) = (insight::hours_by_team(site), insight::methods(site));
        let quarters = insight::hours_by_quarter(site);
        let timelines = timeline::timelines(site, history);
        let sparklines = timeline::sparklines(site, history);
        let keys = crate::incremental::shown::ShownKeys::new(&listings, &bars, &coverage, &timelines);
        Shown { views, view_keys, keys, listings, bars, coverage, hours, quarters, methods, timelines, sparklines }
    }
}

/// What every page job may need, built once.
struct Shared<'a> {
    shown: &'a Shown,
    /// The context every page starts from, and its key.
    base: &'a (Context, u64),
    /// The keys of the model's parts.
    keys: &'a SiteKeys,
    /// How bodies are rendered to HTML.
    markdown: crate::markdown::Options,
    /// The site's reviews and its state now.
    history: &'a crate::history::History,
    /// A portfolio's teams (none for a team's own site).
    portfolio: &'a crate::portfolio::Portfolio,
    /// Each review compared with the latest state, and the pages that show them.
    comparisons: Vec<changes::Comparison<'a>>,
    change_pages: Vec<changes::Page>,
}

impl Shared<'_> {
    fn time(&self) -> inputs::Time<'_> {
        inputs::Time { history: self.history, comparisons: &self.comparisons, pages: &self.change_pages }
    }
}

/// `card`: the link-preview image, see [`publish::card`].
fn base_context(site: &Site, theme: u64, card: Option<Value>) -> (Context, u64) {
    let config = &site.config;
    let mut ctx = Context::new();
    let site_value = Obj::default()
        .set("title", config.title.as_str())
        .set("description", config.description.as_str())
        .set("base_url", config.base_url.as_str())
        .set("language", config.language.as_str())
        .set("today", site.today.to_string())
        .set("noindex", config.noindex)
        .set("card", card)
        .set("shields", publish::shields_prefix(config))
        .value();
    ctx.insert_value("site", site_value.clone());
    // No charter, no charter page: leave it out of the navigation rather than link nowhere.
    let nav: Vec<Value> = NAV
        .iter()
        .filter(|(_, _, section)| *section != "charter" || site.charter().is_some())
        .filter(|(_, _, section)| *section != "org" || !site.config.portfolio.is_empty())
        .map(|(label, url, section)| {
            Obj::default().set("label", *label).set("url", *url).set("section", *section).value()
        })
        .collect();
    let nav = Value::from(nav);
    ctx.insert_value("nav", nav.clone());
    // Shown on the pains page and on every pain's page: part of the base, so
    // a new formula reaches every page whose key the base is part of.
    let formula = Value::from(crate::model::figures::scoring_formula(&config.scoring));
    let evidence = Value::from(config.scoring.evidence);
    ctx.insert_value("scoring_formula", formula.clone());
    ctx.insert_value("scoring_evidence", evidence.clone());
    let values = [("site", &site_value), ("nav", &nav), ("scoring_formula", &formula), ("scoring_evidence", &evidence)];
    (ctx, crate::incremental::pages::base_key(&values, theme))
}

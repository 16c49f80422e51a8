//! Render: the model through the theme's templates into pages (bytes at
//! output paths). Pages are independent, so they render in parallel.

pub mod badges;
pub mod budget;
pub mod charts;
mod contexts;
pub mod html;
pub mod inputs;
pub mod insight;
pub mod link_stage;
pub mod links;
pub mod listing;
pub mod origin;
pub mod publish;
pub mod search;
pub mod theme;
pub mod view;

use rayon::prelude::*;

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::incremental::keys::SiteKeys;
use crate::incremental::memo::{self, Memoised, PageContext, PageMemo};
use crate::model::{Kind, Site, depth_of};
use std::sync::Arc;
use theme::Theme;
use view::{Obj, Views};

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

/// What one page is.
enum Job {
    Dashboard,
    Charter(usize),
    /// Page `page` (from 1) of a list, by index into the listings.
    List {
        listing: usize,
        page: usize,
    },
    Roadmap,
    Item(usize),
    NotFound,
}

/// What pages show of the model: built from the model alone (no body text),
/// so `serve` keeps it while the site's structure is unchanged.
pub struct Shown {
    views: Views,
    listings: Vec<listing::Listing>,
    /// The filter bars of the list pages.
    bars: insight::Bars,
    coverage: insight::Coverage,
    /// The discovery page's figures: hours per team and methods.
    hours: Value,
    methods: Value,
}

impl Shown {
    /// What pages show, reusing the item views of `previous` that are unchanged.
    fn build(site: &Site, keys: &SiteKeys, previous: Option<&Shown>) -> Shown {
        let views = || Views::build(site, &keys.own_inputs, previous.map(|p| &p.views));
        let lists = || {
            let filters = insight::filters(site);
            let bars = insight::Bars::build(&filters);
            (listing::listings(site, &filters, &bars), bars)
        };
        let ((views, (listings, bars)), coverage) =
            rayon::join(|| rayon::join(views, lists), || insight::Coverage::build(site));
        let (hours, methods) = (insight::hours_by_team(site), insight::methods(site));
        Shown { views, listings, bars, coverage, hours, methods }
    }
}

/// What every page job may need, built once.
struct Shared<'a> {
    shown: &'a Shown,
    /// The context every page starts from, and its fingerprint.
    base: &'a (Context, u64),
    /// The keys of the model's parts.
    keys: &'a SiteKeys,
    /// How bodies are rendered to HTML.
    markdown: crate::markdown::Options,
}

/// Where a page goes and what it is called: the part of its inputs every page has.
pub struct Spec {
    pub template: &'static str,
    pub path: String,
    /// How many folders deep the page is (its `root` is made from it).
    pub depth: usize,
    pub title: String,
    pub section: &'static str,
    pub url: String,
}

const NAV: &[(&str, &str, &str)] = &[
    ("Dashboard", "", "dashboard"),
    ("Charter", "charter/", "charter"),
    ("Vision", "vision/", "vision"),
    ("Pains", "pain/", "pain"),
    ("Solutions", "solutions/", "solutions"),
    ("Roadmap", "roadmap/", "roadmap"),
    ("Experiments", "experiments/", "experiments"),
    ("Discovery", "discovery/", "discovery"),
    ("SLAs", "slas/", "slas"),
];

fn list_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Charter => "charter.html",
        Kind::Vision => "vision.html",
        Kind::Pain => "pains.html",
        Kind::Solution => "solutions.html",
        Kind::Experiment => "experiments.html",
        Kind::Discovery => "discovery.html",
        Kind::Sla => "slas.html",
    }
}

impl Job {
    /// This page's inputs: its spec and `root`, the base context and what it shows.
    fn inputs<'a>(&self, site: &'a Site, shared: &'a Shared, spec: &'a Spec, root: &'a str) -> inputs::PageInputs<'a> {
        use inputs::{Body, Figures, Shows, Whole};
        let shown = shared.shown;
        let shows = match *self {
            Job::Charter(i) | Job::Item(i) => {
                Shows::Item { view: &shown.views.items[i], body: Body { site, index: i, markdown: &shared.markdown } }
            }
            Job::List { listing, page } => {
                let listing = &shown.listings[listing];
                let figures = Figures::of(listing, site, shown);
                Shows::List { listing, page, views: &shown.views, bars: &shown.bars, figures }
            }
            Job::Dashboard => Shows::Dashboard(Whole { site, shown }),
            Job::Roadmap => Shows::Roadmap(Whole { site, shown }),
            Job::NotFound => Shows::NotFound,
        };
        inputs::PageInputs { spec, root, base: shared.base, shows }
    }

    fn spec(&self, site: &Site, listings: &[listing::Listing]) -> Spec {
        let page = |template, url: String, depth, title: String, section| Spec {
            template,
            path: format!("{url}index.html"),
            depth,
            title,
            section,
            url,
        };
        match *self {
            Job::Dashboard => page("index.html", String::new(), 0, "Dashboard".into(), "dashboard"),
            Job::Charter(i) => page("charter.html", "charter/".into(), 1, site.items[i].title.clone(), "charter"),
            Job::List { listing, page: number } => {
                let l = &listings[listing];
                let pages = l.pages();
                let title = if pages > 1 { format!("{}, page {number} of {pages}", l.title) } else { l.title.clone() };
                let url = listing::page_url(&l.url, number);
                let template = match l.groups {
                    listing::Groups::Values(_) => "values.html",
                    _ => list_template(l.kind),
                };
                page(template, url.clone(), url.matches('/').count(), title, l.kind.folder())
            }
            Job::Roadmap => page("roadmap.html", "roadmap/".into(), 1, "Roadmap".into(), "roadmap"),
            Job::Item(i) => {
                let item = &site.items[i];
                let url = crate::model::url_of(item.kind, &item.id);
                page("item.html", url, depth_of(item.kind), item.title.clone(), item.kind.folder())
            }
            Job::NotFound => Spec {
                template: "404.html",
                path: "404.html".into(),
                depth: 0,
                title: "Page not found".into(),
                section: "notfound",
                url: "404.html".into(),
            },
        }
    }
}

/// How item bodies are rendered to HTML on their pages.
pub struct BodyOptions {
    /// Highlight code blocks (off for `check`, whose pages are never shown).
    pub highlight: bool,
    /// Highlighted code blocks kept on disk between builds.
    pub highlights: Option<Arc<crate::markdown::cache::HighlightCache>>,
}

/// Where `build` sends pages as they are rendered, so they need not all be
/// held in memory (the write stage's staging folder).
pub trait Stream: Sync {
    fn put(&self, page: &Page);
    /// `finished` of the `total` templated pages are rendered (for a progress bar).
    fn done(&self, _finished: usize, _total: usize) {}
}

/// Renders every page of the site (template errors are returned as
/// diagnostics), reusing the bytes of every page whose inputs are unchanged
/// since the run that filled `memo`. With `stream`, the templated pages go
/// there as they are rendered and are returned without their bytes (only
/// their links are kept, for the link check); the few other files are
/// returned whole. The output link check is the next stage
/// ([`link_stage::check_links`]).
pub fn render_with(
    site: &Site,
    theme: &Theme,
    bodies: &BodyOptions,
    keys: &SiteKeys,
    memo: Option<&PageMemo>,
    stream: Option<&dyn Stream>,
) -> Result<link_stage::Rendered, Vec<Diagnostic>> {
    let card = publish::card(site, &theme.statics).map_err(|d| vec![d])?;
    let base = base_context(site, theme.fingerprint, card);
    let shown = match memo {
        Some(memo) => memo
            .shown
            .get_or_remake(keys.structure, |previous| Arc::new(Shown::build(site, keys, previous.map(|p| &**p)))),
        None => Arc::new(Shown::build(site, keys, None)),
    };
    let mode = if bodies.highlight { crate::markdown::Mode::Html } else { crate::markdown::Mode::Unhighlighted };
    let markdown =
        crate::markdown::Options { mode, unsafe_html: site.config.unsafe_html, highlights: bodies.highlights.clone() };
    let shared = Shared { shown: &shown, base: &base, keys, markdown };
    let previous = memo.map(PageMemo::take).unwrap_or_default();
    let mut jobs = vec![Job::Dashboard, Job::Roadmap, Job::NotFound];
    if let Some((i, _)) = site.of_kind(Kind::Charter).next() {
        jobs.push(Job::Charter(i));
    }
    // The list pages first: they are the biggest, so no core is left idle
    // while another finishes one at the end.
    for (l, listing) in shown.listings.iter().enumerate() {
        jobs.extend((1..=listing.pages()).map(|page| Job::List { listing: l, page }));
    }
    jobs.extend(site.items.iter().enumerate().filter(|(_, i)| i.kind != Kind::Charter).map(|(i, _)| Job::Item(i)));
    // The link check's reading of each page rendered now (the others keep theirs).
    let scans = std::sync::Mutex::new(links::Prescanned::new());
    // The pages whose bytes are the previous run's (reused, or rendered to the same bytes).
    let unchanged = std::sync::Mutex::new(std::collections::HashSet::new());
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<(Page, Memoised), Box<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            let (mut page, key, scan, same) = render_one(site, theme, &shared, job, &previous, memo.is_some())?;
            if same {
                unchanged.lock().unwrap_or_else(|p| p.into_inner()).insert(page.path.clone());
            }
            // Every streamed page needs an entry: its bytes are about to go.
            let scan = match scan {
                Some(scan) => Some(Some(scan)),
                None if stream.is_some() => Some(links::scan_page(&site.config, &page)),
                None => None,
            };
            if let Some(stream) = stream {
                stream.put(&page);
                page.bytes = bytes::Bytes::new();
                stream.done(finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, jobs.len());
            }
            if let Some(scan) = scan {
                scans.lock().unwrap_or_else(|p| p.into_inner()).insert(page.path.clone(), scan);
            }
            Ok((page, key))
        })
        .collect();
    let (pages, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let errors: Vec<Diagnostic> = errors.into_iter().filter_map(Result::err).map(|d| *d).collect();
    if !errors.is_empty() {
        return Err(first_of_each(errors));
    }
    let rendered: Vec<(Page, Memoised)> = pages.into_iter().filter_map(Result::ok).collect();
    if let Some(memo) = memo {
        memo.store(rendered.iter().map(|(p, m)| (p.path.clone(), Memoised { bytes: p.bytes.clone(), ..*m })).collect());
    }
    let mut pages: Vec<Page> = rendered.into_iter().map(|(page, _)| page).collect();
    pages.push(Page::new("syntax.css", crate::markdown::highlight::stylesheet()));
    // A theme's static file replaces a rendered page of the same path.
    let statics: std::collections::HashSet<&str> = theme.statics.iter().map(|(name, _)| name.as_str()).collect();
    pages.retain(|p| !statics.contains(p.path.as_str()));
    let mut scans = scans.into_inner().unwrap_or_else(|p| p.into_inner());
    scans.retain(|path, _| !statics.contains(path.as_str()));
    for (name, bytes) in &theme.statics {
        let mut page = Page::new(name.clone(), bytes.clone());
        if !site.config.clean_urls {
            links::name_index_file(&mut page);
        }
        pages.push(page);
    }
    publish::finish(site, &shown.views, keys, &mut pages, memo);
    let mut unchanged = unchanged.into_inner().unwrap_or_else(|p| p.into_inner());
    unchanged.retain(|path| !statics.contains(path.as_str()));
    Ok(link_stage::Rendered { pages, scans, unchanged, jobs, shown, streamed: stream.is_some() })
}

/// One diagnostic per distinct template failure, saying how many pages it broke:
/// a broken shared template would otherwise report once per item.
fn first_of_each(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errors {
        match out.iter_mut().find(|(first, _)| first.message == d.message) {
            Some((_, n)) => *n += 1,
            None => out.push((d, 1)),
        }
    }
    out.into_iter()
        .map(|(mut d, n)| {
            if n > 1 {
                d.message = format!("{} (and {} more pages)", d.message, n - 1);
            }
            d
        })
        .collect()
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
    let fingerprint = memo::fingerprint_of(&values, theme);
    (ctx, fingerprint)
}

/// A page, what the memo keeps of it, its scan when it was rendered anew,
/// and whether its bytes are the previous run's.
type OnePage = (Page, Memoised, Option<Arc<links::Scan>>, bool);

/// Renders one page, or reuses the previous run's bytes when its key is the
/// same, or (`fingerprint_contexts`, pages that show no body) when its whole
/// context is. Returns the page, what the memo keeps of it (its bytes are
/// filled in by the caller) and, when it was rendered and differs from the
/// previous run's, its scan for the link check.
fn render_one(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    job: &Job,
    previous: &memo::Rendered,
    fingerprint_contexts: bool,
) -> Result<OnePage, Box<Diagnostic>> {
    let spec = job.spec(site, &shared.shown.listings);
    // 404.html is served for any missing path, at any depth: link from the site root.
    let root = match job {
        Job::NotFound => site.config.base_path().to_string(),
        _ => "../".repeat(spec.depth),
    };
    let inputs = job.inputs(site, shared, &spec, &root);
    let key = crate::incremental::pages::key(&inputs, shared.keys, &shared.shown.views.known);
    let before = previous.get(&spec.path);
    let memoised = |context, rendered| Memoised { key, context, bytes: bytes::Bytes::new(), rendered };
    if let Some(hit) = before.filter(|m| m.key == key) {
        return Ok((Page::new(spec.path, hit.bytes.clone()), memoised(hit.context, false), None, true));
    }
    // An item's or a list page's key already covers its whole input.
    let walk = fingerprint_contexts && inputs.shows.is_whole();
    let mut ctx = PageContext::new(shared.base.0.clone(), shared.base.1, walk.then_some(&shared.shown.views.known));
    inputs.context(&mut ctx);
    let context = ctx.fingerprint(spec.template);
    if let Some(hit) = before.filter(|m| context.is_some() && m.context == context) {
        return Ok((Page::new(spec.path, hit.bytes.clone()), memoised(context, false), None, true));
    }
    let html = budget::render(&theme.tera, spec.template, &ctx.ctx).map_err(|failure| {
        let d = match failure {
            budget::Failure::Template(err) => {
                Diagnostic::error("template", format!("the template `{}` failed: {err}", spec.template)).help(format!(
                    "first failing page: {}; fix the template (in the site's templates/ folder if you override it)",
                    spec.path
                ))
            }
            budget::Failure::Budget(what) => Diagnostic::error(
                "template",
                format!("the template `{}` {what} (the template budget)", spec.template),
            )
            .help(format!(
                "first failing page: {}; look for a loop in the template that runs far more often than it should",
                spec.path
            )),
        };
        Box::new(d)
    })?;
    let mut page = Page::new(spec.path, html);
    let scan = links::settle(&site.config, &mut page);
    // A new context can still give the same page (a changed summary on a page
    // that shows only titles): keep the earlier buffer, so the link check and
    // `serve` see an unchanged page.
    if let Some(same) = before.filter(|m| m.bytes == page.bytes) {
        return Ok((Page::new(page.path, same.bytes.clone()), memoised(context, true), None, true));
    }
    Ok((page, memoised(context, true), scan, false))
}

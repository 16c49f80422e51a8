//! Render: the model through the theme's templates into pages (bytes at
//! output paths). Pages are independent, so they render in parallel.

pub mod budget;
pub mod charts;
pub mod html;
pub mod insight;
pub mod links;
pub mod listing;
pub mod memo;
pub mod origin;
pub mod publish;
pub mod theme;
pub mod view;

// Publishing outputs, named here too: `publish::finish` calls them `super::badges` and `super::search`.
use publish::{badges, search};

use rayon::prelude::*;

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::model::Choice;
use crate::model::{Kind, Phase, Site, Validation, depth_of};
use memo::{Memoised, PageContext, PageMemo};
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

    /// Whether these are the very bytes of `earlier` (one buffer, reused from
    /// the page memo), so they cannot differ. Holding `earlier` keeps its
    /// address from being reused by another buffer.
    pub fn shares_bytes_with(&self, earlier: &bytes::Bytes) -> bool {
        self.bytes.as_ptr() == earlier.as_ptr() && self.bytes.len() == earlier.len()
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
    /// The discovery page's figures: hours per team and methods, and their fingerprint.
    hours: Value,
    methods: Value,
    discovery: u64,
}

impl Shown {
    /// What pages show, reusing the item views of `previous` that are unchanged.
    fn build(site: &Site, previous: Option<&Shown>) -> Shown {
        let views = || Views::build(site, previous.map(|p| &p.views));
        let lists = || {
            let filters = insight::filters(site);
            let bars = insight::Bars::build(&filters);
            (listing::listings(site, &filters, &bars), bars)
        };
        let ((views, (listings, bars)), coverage) =
            rayon::join(|| rayon::join(views, lists), || insight::Coverage::build(site));
        let (hours, methods) = (insight::hours_by_team(site), insight::methods(site));
        let known = memo::Known::default();
        let discovery = crate::fingerprint::of(&(
            memo::fingerprint_value(&hours, &known),
            memo::fingerprint_value(&methods, &known),
        ));
        Shown { views, listings, bars, coverage, hours, methods, discovery }
    }
}

/// What every page job may need, built once.
struct Shared<'a> {
    shown: &'a Shown,
    /// The context every page starts from, and its fingerprint.
    base: &'a (Context, u64),
}

struct Spec {
    template: &'static str,
    path: String,
    depth: usize,
    title: String,
    section: &'static str,
    url: String,
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

/// Renders every page of the site. Template errors are returned as diagnostics.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<Page>, Vec<Diagnostic>> {
    render_with(site, theme, None, None)
}

/// Where `build` sends pages as they are rendered, so they need not all be
/// held in memory (the write stage's staging folder).
pub trait Stream: Sync {
    fn put(&self, page: &Page);
    /// `finished` of the `total` templated pages are rendered (for a progress bar).
    fn done(&self, _finished: usize, _total: usize) {}
}

/// [`render`], reusing the bytes of every page whose inputs are unchanged
/// since the run that filled `memo`. With `stream`, the templated pages go
/// there as they are rendered and are returned without their bytes (only
/// their links are kept, for the link check); the few other files are
/// returned whole.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    memo: Option<&PageMemo>,
    stream: Option<&dyn Stream>,
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let card = publish::card(site, &theme.statics).map_err(|d| vec![d])?;
    let base = base_context(site, theme.fingerprint, card);
    let shown = match memo {
        Some(memo) => {
            memo.shown.get_or_remake(site.structure, |previous| Arc::new(Shown::build(site, previous.map(|p| &**p))))
        }
        None => Arc::new(Shown::build(site, None)),
    };
    let shared = Shared { shown: &shown, base: &base };
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
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<(Page, Memoised), Box<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            let (mut page, key, scan) = render_one(site, theme, &shared, job, &previous, memo.is_some())?;
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
    publish::finish(site, &shown.views, &mut pages, memo);
    let broken = links::check(&pages, &site.config, memo.map(|m| &m.scans), &scans);
    if !broken.is_empty() {
        let templates = jobs
            .iter()
            .map(|job| {
                let spec = job.spec(site, &shown.listings);
                (spec.path, spec.template)
            })
            .collect();
        return Err(origin::diagnose(site, theme, &templates, broken));
    }
    if stream.is_some() {
        // Streamed pages are on disk already; a static of the same path is written over them.
        pages.retain(|p| !scans.contains_key(&p.path));
    }
    Ok(pages)
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

/// A page, what the memo keeps of it, and its scan when it was rendered anew.
type OnePage = (Page, Memoised, Option<Arc<links::Scan>>);

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
    let key = page_key(site, shared, job, &spec, &root);
    let before = previous.get(&spec.path);
    let memoised = |context, rendered| Memoised { key, context, bytes: bytes::Bytes::new(), rendered };
    if let Some(hit) = before.filter(|m| m.key == key) {
        return Ok((Page::new(spec.path, hit.bytes.clone()), memoised(hit.context, false), None));
    }
    // A list page's key already covers its whole input (see `page_key`).
    let walk = fingerprint_contexts && !matches!(job, Job::Charter(_) | Job::Item(_) | Job::List { .. });
    let mut ctx = PageContext::new(shared.base.0.clone(), shared.base.1, walk.then_some(&shared.shown.views.known));
    ctx.insert("root", &root);
    ctx.insert_value(
        "page",
        Obj::default()
            .set("title", spec.title.as_str())
            .set("url", spec.url.as_str())
            .set("section", spec.section)
            .value(),
    );
    fill(site, shared, job, &mut ctx);
    let context = ctx.fingerprint(spec.template);
    if let Some(hit) = before.filter(|m| context.is_some() && m.context == context) {
        return Ok((Page::new(spec.path, hit.bytes.clone()), memoised(context, false), None));
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
        return Ok((Page::new(page.path, same.bytes.clone()), memoised(context, true), None));
    }
    Ok((page, memoised(context, true), scan))
}

/// The fingerprint of everything a page is made from, from fingerprints
/// already at hand, so an unchanged page costs a few hashes, not a context.
/// An item page shows the base context, `root`, `page`, the item's view and
/// its body (see [`fill`]). A list page shows one page of its list and the
/// figures its kind adds (see [`list`]). Every other page shows no body, so
/// the site's structure covers it.
fn page_key(site: &Site, shared: &Shared, job: &Job, spec: &Spec, root: &str) -> u64 {
    let page = (spec.template, &spec.path, root, &spec.title, &spec.url, spec.section);
    let shown = match *job {
        Job::Charter(i) | Job::Item(i) => (0, shared.shown.views.fingerprints[i], site.body_fingerprints[i]),
        Job::List { listing, page } => {
            let l = &shared.shown.listings[listing];
            let figures = match l.kind {
                _ if matches!(l.groups, listing::Groups::Values(_)) => 0,
                Kind::Solution => shared.shown.coverage.fingerprint(&l.order[l.bounds(page)]),
                Kind::Discovery => shared.shown.discovery,
                Kind::Vision => site.balance.planned_effort.to_bits(),
                _ => 0,
            };
            (2, l.page_fingerprint(&shared.shown.views, page), figures)
        }
        _ => (1, site.structure, 0),
    };
    crate::fingerprint::of(&(shared.base.1, page, shown))
}

/// The variables particular to each page.
fn fill(site: &Site, shared: &Shared, job: &Job, ctx: &mut PageContext) {
    let views = &shared.shown.views;
    match *job {
        Job::Dashboard => dashboard(site, views, ctx),
        Job::Charter(i) | Job::Item(i) => {
            let body = &site.bodies[i];
            let toc: Vec<Value> = body
                .toc
                .iter()
                .map(|h| {
                    Obj::default()
                        .set("level", h.level as u64)
                        .set("id", h.id.as_str())
                        .set("text", h.text.as_str())
                        .value()
                })
                .collect();
            // The shared view plus what only this page shows: a shallow copy.
            let mut item = views.items[i].clone().into_map().unwrap_or_default();
            item.insert("body".into(), Value::safe_string(&site.body_html(i)));
            item.insert("toc".into(), Value::from(toc));
            ctx.insert_value("item", Value::from(item));
        }
        Job::List { listing, page } => list(site, shared, &shared.shown.listings[listing], page, ctx),
        Job::Roadmap => roadmap(site, shared.shown, ctx),
        Job::NotFound => {}
    }
}

/// The roadmap: per phase, a page of its solutions in the solutions list's
/// order (most value per effort first), how many it has, and the filtered
/// list that shows them all. A column is as long as a list page, so the
/// roadmap stays small at any size.
fn roadmap(site: &Site, shown: &Shown, ctx: &mut PageContext) {
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

fn dashboard(site: &Site, views: &Views, ctx: &mut PageContext) {
    ctx.insert_value("warnings", insight::warnings(site, views));
    let planned = site.planned_work();
    let unproven = planned.iter().filter(|&&i| !site.is_proven(i)).count();
    ctx.insert("unproven", &unproven);
    ctx.insert("planned_total", &planned.len());
    ctx.insert_value("planned", views.list(planned.into_iter().take(PLANNED_SHOWN)));
    let charter = site.of_kind(Kind::Charter).next().map(|(i, _)| views.items[i].clone());
    ctx.insert_value("charter", charter.unwrap_or(Value::none()));
    ctx.insert_value("balance", balance(site));
    let stages = [Validation::Unvalidated, Validation::Validating, Validation::Validated, Validation::Invalidated];
    let count = |v: Validation| site.solutions_at(v);
    let funnel: Vec<Value> = stages
        .iter()
        .map(|&v| {
            Obj::default()
                .set("validation", v.as_str())
                .set("label", validation_label(v))
                .set("count", count(v))
                .value()
        })
        .collect();
    ctx.insert_value("funnel", Value::from(funnel));
    let funnel_stages: Vec<(&str, usize)> = stages.iter().map(|&v| (validation_label(v), count(v))).collect();
    ctx.insert_value(
        "charts",
        Obj::default()
            .set("balance", balance_chart(site))
            .set("funnel", Value::safe_string(&charts::funnel(&funnel_stages)))
            .value(),
    );
    ctx.insert_value("top_pains", views.list(site.ranked_pains().into_iter().take(5)));
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
}

fn validation_label(v: Validation) -> &'static str {
    match v {
        Validation::Unvalidated => "Unvalidated",
        Validation::Validating => "Validating",
        Validation::Validated => "Validated",
        Validation::Invalidated => "Invalidated",
    }
}

/// One page of a list. It may read only the listing, the views of the items
/// it shows and the figures `page_key` adds for its kind: that is its key.
fn list(site: &Site, shared: &Shared, listing: &listing::Listing, page: usize, ctx: &mut PageContext) {
    let views = &shared.shown.views;
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
    ctx.insert_value("filters", shared.shown.bars.nav(listing.kind, listing.current));
    match listing.kind {
        Kind::Pain => {
            ctx.insert_value("buckets", listing::bucket_sections(listing, views, shown));
            ctx.insert_value("pains", views.list(items.iter().copied()));
        }
        Kind::Solution => {
            ctx.insert_value("coverage", shared.shown.coverage.matrix(views, items));
            ctx.insert_value("items", views.list(items.iter().copied()));
        }
        Kind::Experiment => ctx.insert_value("columns", listing::board_columns(listing, views, page)),
        Kind::Vision => {
            ctx.insert("planned_effort", &site.balance.planned_effort);
            ctx.insert_value("items", views.list(items.iter().copied()));
        }
        Kind::Discovery => {
            ctx.insert_value("items", views.list(items.iter().copied()));
            ctx.insert_value("hours", shared.shown.hours.clone());
            ctx.insert_value("methods", shared.shown.methods.clone());
        }
        _ => ctx.insert_value("items", views.list(items.iter().copied())),
    }
}

//! The page loop: renders every page's job in parallel (or reuses its bytes
//! from the page memo), streams pages to the write stage, and turns template
//! failures into diagnostics.

use std::sync::Arc;

use rayon::prelude::*;

use super::jobs::{self, Job};
use super::theme::Theme;
use super::{Page, Shared, Shown, base_context, budget, link_stage, links, publish};
use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::incremental::keys::SiteKeys;
use crate::incremental::memo::{self, Memoised, PageContext, PageMemo};
use crate::model::Site;

/// How item bodies are rendered to HTML on their pages.
pub(crate) struct BodyOptions {
    /// Highlight code blocks (off for `check`, whose pages are never shown).
    pub highlight: bool,
    /// Highlighted code blocks kept on disk between builds.
    pub highlights: Option<Arc<crate::markdown::cache::HighlightCache>>,
}

/// Where `build` sends pages as they are rendered, so they need not all be
/// held in memory (the write stage's staging folder).
pub(crate) trait Stream: Sync {
    fn put(&self, page: &Page);
    /// `finished` of the `total` templated pages are rendered (for a progress bar).
    fn done(&self, _finished: usize, _total: usize) {}
}

/// What render reads besides the model: the site's reviews, and a
/// portfolio's teams (none for a team's own site).
#[derive(Clone, Copy)]
pub(crate) struct Beyond<'a> {
    pub history: &'a History,
    pub portfolio: &'a crate::portfolio::Portfolio,
}

/// Renders every page of the site (template errors are returned as
/// diagnostics), reusing the bytes of every page whose inputs are unchanged
/// since the run that filled `memo`. `beyond`: what the stages between
/// the model and render found (the reviews, a portfolio's teams). With `stream`, the templated pages go
/// there as they are rendered and are returned without their bytes (only
/// their links are kept, for the link check); the few other files are
/// returned whole. The output link check is the next stage
/// ([`link_stage::check_links`]).
pub(crate) fn render_with(
    site: &Site,
    Beyond { history, portfolio }: Beyond,
    theme: &Theme,
    bodies: &BodyOptions,
    keys: &SiteKeys,
    memo: Option<&PageMemo>,
    stream: Option<&dyn Stream>,
) -> Result<link_stage::Rendered, Vec<Diagnostic>> {
    let card = publish::card(site, &theme.statics).map_err(|d| vec![d])?;
    let base = base_context(site, keys.theme, card);
    // What pages show of the past is kept with the rest: its key covers the reviews too.
    let shown_key = crate::incremental::fingerprint::of(&(keys.structure, keys.history));
    let shown = match memo {
        Some(memo) => memo
            .shown
            .get_or_remake(shown_key, |previous| Arc::new(Shown::build(site, history, keys, previous.map(|p| &**p)))),
        None => Arc::new(Shown::build(site, history, keys, None)),
    };
    let mode = if bodies.highlight { crate::markdown::Mode::Html } else { crate::markdown::Mode::Unhighlighted };
    let markdown =
        crate::markdown::Options { mode, unsafe_html: site.config.unsafe_html, highlights: bodies.highlights.clone() };
    let comparisons = history.comparisons();
    let change_pages = super::changes::pages(&comparisons);
    let jobs = jobs::all(site, &shown.listings, &change_pages, portfolio);
    let shared = Shared { shown: &shown, base: &base, keys, markdown, history, portfolio, comparisons, change_pages };
    let previous = memo.map(PageMemo::take).unwrap_or_default();
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
    let pieces = crate::incremental::pieces::PieceKeys::new(site, keys, &shown.view_keys);
    publish::finish(site, history, &shown.views, &pieces, &mut pages, memo);
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

/// A page, what the memo keeps of it, its scan when it was rendered anew,
/// and whether its bytes are the previous run's.
type OnePage = (Page, Memoised, Option<Arc<links::Scan>>, bool);

/// Renders one page, or reuses the previous run's bytes when its key is the
/// same, or (with a memo `kept`, for pages made from the whole structure)
/// when its whole context is. Returns the page, what the memo keeps of it (its bytes are
/// filled in by the caller) and, when it was rendered and differs from the
/// previous run's, its scan for the link check.
fn render_one(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    job: &Job,
    previous: &memo::Rendered,
    kept: bool,
) -> Result<OnePage, Box<Diagnostic>> {
    let spec = job.spec(site, &shared.shown.listings);
    // 404.html is served for any missing path, at any depth: link from the site root.
    let root = match job {
        Job::NotFound => site.config.base_path().to_string(),
        _ => "../".repeat(spec.depth),
    };
    let inputs = job.inputs(site, shared, &spec, &root);
    let key = crate::incremental::pages::key(&inputs, shared.keys, &shared.shown.view_keys, &shared.shown.keys);
    let before = previous.get(&spec.path);
    let memoised = |context, rendered| Memoised { key, context, bytes: bytes::Bytes::new(), rendered };
    if let Some(hit) = before.filter(|m| m.key == key) {
        return Ok((Page::new(spec.path, hit.bytes.clone()), memoised(hit.context, false), None, true));
    }
    // An item's or a list page's key already covers its whole input.
    let walk = kept && inputs.shows.is_whole();
    let mut ctx = PageContext::new(shared.base.0.clone(), shared.base.1, walk.then_some(&shared.shown.view_keys.known));
    inputs.context(&mut ctx);
    let context = ctx.key(spec.template);
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

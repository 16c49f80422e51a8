//! The output link check as a stage of its own, after render: every link of
//! every page must name a file of the output ([`super::links`]), and a broken
//! one is reported where it was written ([`super::origin`]). `build`, `check`
//! and `serve` run it on what [`super::render_with`] returns.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::theme::Theme;
use super::{Job, Page, Shown, links, origin};
use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// Rendered pages and what the link check needs of them.
pub struct Rendered {
    pub(super) pages: Vec<Page>,
    /// The link check's reading of each page rendered now (the others keep theirs).
    pub(super) scans: links::Prescanned,
    /// The pages whose bytes are the previous run's: the page loop's verdict,
    /// the one place that decides whether a page changed.
    pub(super) unchanged: HashSet<String>,
    /// The page jobs and what they showed: which template wrote a broken link.
    pub(super) jobs: Vec<Job>,
    pub(super) shown: Arc<Shown>,
    /// Whether the templated pages went to a stream (then `pages` holds them without bytes).
    pub(super) streamed: bool,
}

/// Checks the links of `rendered` (reusing the scans in `cache` of pages
/// whose bytes are unchanged) and returns its pages, or the broken links as
/// diagnostics. Streamed pages are left out: they are written already.
/// Also returns which pages are the previous run's, unchanged.
pub fn check_links(
    site: &Site,
    theme: &Theme,
    rendered: Rendered,
    cache: Option<&links::ScanCache>,
) -> Result<(Vec<Page>, HashSet<String>), Vec<Diagnostic>> {
    let Rendered { mut pages, scans, unchanged, jobs, shown, streamed } = rendered;
    let broken = links::check(&pages, &site.config, cache, &scans, &unchanged);
    if !broken.is_empty() {
        let templates: HashMap<String, &'static str> = jobs
            .iter()
            .map(|job| {
                let spec = job.spec(site, &shown.listings);
                (spec.path, spec.template)
            })
            .collect();
        return Err(origin::diagnose(site, theme, &templates, broken));
    }
    if streamed {
        // Streamed pages are on disk already; a static of the same path is written over them.
        pages.retain(|p| !scans.contains_key(&p.path));
    }
    Ok((pages, unchanged))
}

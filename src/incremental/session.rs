//! The session `serve` drives: the pipeline kept between runs, so an edit
//! costs only what it changed (see the module doc of [`super`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use jiff::civil::Date;

use super::{bodies, keys, memo};
use crate::diagnostic::Diagnostics;
use crate::{Error, Report, config, load, markdown, model, render, source_date};

/// The pipeline kept between runs: `serve` rebuilds through one session so
/// unchanged files are not parsed again and unchanged bodies not re-rendered.
pub struct Session {
    site: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    clean_urls: bool,
    today: Option<Date>,
    files: load::FileCache,
    bodies: bodies::OutlineMemo,
    pages: memo::PageMemo,
    theme: super::theme::ThemeMemo,
    past: super::history::PastMemo,
    fetched: super::fetched::FetchMemo,
    /// A portfolio's team sites.
    teams: super::portfolio::TeamsMemo,
    /// The shared vocabulary file on disk as of the last run, when it is a path.
    shared_file: Option<PathBuf>,
    highlights: Option<Arc<markdown::cache::HighlightCache>>,
    /// Highlight code blocks (off for `check`, whose pages are never shown).
    highlight: bool,
    /// The config's `theme:` folder as of the last run.
    theme_dir: Option<PathBuf>,
    /// Whether the pages in the page memo are the ones the last run returned
    /// (a run whose link check failed keeps its pages but returns none).
    delivered: bool,
}

/// One run of a session: what was found, and the pages when rendering succeeded.
pub struct Run {
    pub report: Report,
    pub pages: Option<Vec<render::Page>>,
    /// The pages whose bytes are those of the pages the previous run
    /// returned: `serve` need not compare them.
    pub unchanged: HashSet<String>,
}

impl Session {
    pub fn new(site: &Path, drafts: bool, base_url: Option<String>, today: Option<Date>) -> Session {
        Session {
            site: site.to_path_buf(),
            drafts,
            base_url,
            clean_urls: false,
            today,
            files: load::FileCache::default(),
            bodies: bodies::OutlineMemo::default(),
            pages: memo::PageMemo::default(),
            theme: super::theme::ThemeMemo::default(),
            past: super::history::PastMemo::default(),
            fetched: super::fetched::FetchMemo::default(),
            teams: super::portfolio::TeamsMemo::default(),
            shared_file: None,
            highlights: None,
            highlight: true,
            theme_dir: None,
            delivered: false,
        }
    }

    /// Links end in `/` rather than `/index.html`, whatever charted.yaml says.
    pub fn with_clean_urls(mut self, clean_urls: bool) -> Session {
        self.clean_urls = clean_urls;
        self
    }

    /// Reads highlighted code blocks from the cache folder (see
    /// [`markdown::cache::default_dir`]) and writes the ones used back with
    /// [`Session::save_highlights`].
    pub fn with_highlight_cache(mut self) -> Session {
        self.highlights = markdown::cache::default_dir()
            .and_then(|dir| markdown::cache::HighlightCache::open(&dir, &self.site))
            .map(Arc::new);
        self
    }

    /// Saves the highlight cache as this session used it, and stops using it.
    /// A cache that cannot be saved is only a slower next build: not an error.
    pub fn save_highlights(&mut self) {
        if let Some(cache) = self.highlights.take().and_then(|c| Arc::try_unwrap(c).ok()) {
            let _ = cache.save();
        }
    }

    /// The config's `theme:` folder as of the last run, relative to the site
    /// (or absolute): `serve` watches it too.
    pub fn theme_dir(&self) -> Option<&Path> {
        self.theme_dir.as_deref()
    }

    /// The shared vocabulary file (`vocabulary:`) as of the last run, when it
    /// is a path: `serve` watches it too, wherever it is.
    pub fn shared_vocabulary(&self) -> Option<&Path> {
        self.shared_file.as_deref()
    }

    /// Tells the next run which files (relative to the site folder) a watcher
    /// saw change: they are read again and compared by content, since an
    /// edit may keep a file's size and modification time.
    pub fn mark_changed(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        let files: Vec<PathBuf> = files.into_iter().collect();
        if !self.teams.folders().is_empty() {
            // A team's files are named absolute (outside the site) or relative to it.
            let root = std::fs::canonicalize(&self.site).unwrap_or_else(|_| self.site.clone());
            let absolute: Vec<PathBuf> = files.iter().map(|f| root.join(f)).collect();
            self.teams.mark_changed(&absolute);
        }
        self.files.mark_changed(files);
    }

    /// A portfolio's team site folders (resolved) as of the last run: `serve` watches them too.
    pub fn team_folders(&self) -> &[PathBuf] {
        self.teams.folders()
    }

    /// A portfolio's teams' items.json files (resolved) as of the last run: `serve` watches them too.
    pub fn team_items_files(&self) -> &[PathBuf] {
        self.teams.files()
    }

    /// Tells the next run that files changed that no event named: all are read again.
    pub fn mark_all_changed(&mut self) {
        self.files.mark_all_changed();
        self.teams.mark_all_changed();
    }

    /// The templated pages the last run rendered (the rest it reused), by
    /// output path: what an edit cost.
    pub fn rendered_pages(&self) -> Vec<String> {
        self.pages.rendered()
    }

    /// Whether code blocks are highlighted (off for `check`, whose pages are never shown).
    pub(crate) fn highlight(&mut self, highlight: bool) {
        self.highlight = highlight;
    }

    /// Load and model; with `render`, also render every page (not written
    /// anywhere), remembering them so the next run renders only what changed.
    pub fn run(&mut self, render: bool) -> Result<Run, Error> {
        self.run_with(render, true, None)
    }

    /// One run. `memoise`: keep this run's pages for the next; `stream`: send
    /// templated pages there as they render (see [`render::render_with`]).
    pub(crate) fn run_with(
        &mut self,
        render: bool,
        memoise: bool,
        stream: Option<&dyn render::Stream>,
    ) -> Result<Run, Error> {
        let start = Instant::now();
        let mut diags = Diagnostics::default();
        let mut timings = Vec::new();
        let mut lap = Instant::now();
        let mut mark = |stage: &'static str| {
            timings.push((stage, lap.elapsed()));
            lap = Instant::now();
        };
        let mut loaded = load::load_cached(&self.site, &mut self.files, &mut self.fetched, &mut diags)?;
        loaded.neighbours = load::neighbours::read(&loaded.config, &mut self.fetched, &mut diags);
        mark("load");
        self.theme_dir = loaded.config.theme.clone();
        self.shared_file = loaded.shared.as_ref().and_then(|s| s.path.clone());
        if let Some(url) = &self.base_url {
            loaded.config.base_url =
                config::normalize_base_url(url).map_err(|why| Error::BaseUrl { url: url.clone(), why })?;
        }
        loaded.config.clean_urls |= self.clean_urls;
        let options = model::ModelOptions {
            drafts: self.drafts,
            today: match self.today {
                Some(date) => date,
                None => source_date()?,
            },
        };
        // Only a run whose pages are kept for the next one keeps bodies.
        let mode = if render { markdown::Mode::Outline } else { markdown::Mode::LinksOnly };
        let site = model::build_with(&loaded, &options, &self.bodies.reader(mode, memoise), &mut diags);
        let mut keys = keys::SiteKeys::new(&loaded, &site, self.drafts, render, self.bodies.take_keys());
        mark("model");
        let (past, key) = self.past.get(&self.site, &loaded.config, &mut diags);
        let history = crate::history::History::new(past, &site);
        keys.history = key;
        mark("history");
        let (portfolio, key) = self.teams.get(&self.site, &site, &options, &mut diags);
        keys.portfolio = key;
        if portfolio.is_set() {
            mark("portfolio");
        }
        let mut pages = None;
        let mut unchanged = HashSet::new();
        if render && !diags.has_errors() {
            let bodies = render::BodyOptions { highlight: self.highlight, highlights: self.highlights.clone() };
            let memo = memoise.then_some(&self.pages);
            let rendered = self.theme.load(&self.site, loaded.config.theme.as_deref()).and_then(|(theme, key)| {
                keys.theme = key;
                Ok((
                    render::render_with(
                        &site,
                        render::Beyond { history: &history, portfolio: &portfolio },
                        &theme,
                        &bodies,
                        &keys,
                        memo,
                        stream,
                    )?,
                    theme,
                ))
            });
            mark("render");
            let checked = rendered.and_then(|(rendered, theme)| {
                let previous =
                    memo.map(|m| m.last_check.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default());
                let checked = render::link_stage::check_links(&site, &theme, rendered, previous);
                mark("links");
                checked
            });
            // Unchanged since the memo's run, which is what the caller has when that run delivered.
            let trusted = std::mem::replace(&mut self.delivered, false) && memoise;
            match checked {
                Ok(render::link_stage::Checked { pages: rendered, unchanged: same, last }) => {
                    if let Some(memo) = memo {
                        *memo.last_check.lock().unwrap_or_else(|p| p.into_inner()) = last;
                    }
                    pages = Some(rendered);
                    unchanged = if trusted { same } else { HashSet::new() };
                    self.delivered = memoise;
                }
                Err(problems) => diags.extend(problems),
            }
        }
        let report = Report {
            diagnostics: diags.sorted(),
            items: site.items.len(),
            pages: pages.as_ref().map_or(0, Vec::len),
            loaded,
            out: None,
            root: self.site.clone(),
            elapsed: start.elapsed(),
            timings,
        };
        Ok(Run { report, pages, unchanged })
    }
}

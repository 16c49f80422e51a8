//! charted: compiles a team's product thinking (charter, vision, pains,
//! solutions, experiments, discovery, SLAs) into a cross-linked static site.
//!
//! The pipeline runs one way: [`load`] → [`model`] → [`render`] → [`write`].
//! [`build`] runs all four; [`check`] runs load and model only.

pub mod config;
pub mod diagnostic;
pub mod fingerprint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod rename;
pub mod render;
pub mod scaffold;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;

use diagnostic::{Diagnostic, Diagnostics};
use load::{LoadError, Loaded};

/// What stops a command before it can judge the site: a wrong path or argument,
/// or a failure to write. Problems *in* the site are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("--base-url `{url}` {why}; write a full URL such as https://acme.github.io/roadmap/ or a path such as /")]
    BaseUrl { url: String, why: &'static str },
    #[error("refusing to write the site into {0}: {1}")]
    Output(PathBuf, &'static str),
    #[error("cannot write the site to {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// Options of `charted build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Default: `<site>/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Folder links end in `/`, not `/index.html` (also `clean_urls:` in charted.yaml).
    pub clean_urls: bool,
    /// Default: [`today`].
    pub today: Option<Date>,
    /// Replace an output folder that charted did not write.
    pub force: bool,
}

/// What a run found, with the sources needed to show each problem in context.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub loaded: Loaded,
    pub items: usize,
    /// Files written (build only).
    pub pages: usize,
    pub out: Option<PathBuf>,
    pub elapsed: Duration,
    /// How long each stage took, in order (printed with `CHARTED_TIMINGS=1`).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == diagnostic::Severity::Error)
    }

    pub fn count(&self, severity: diagnostic::Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Every diagnostic as text, with the offending lines.
    pub fn render_text(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(d.file.as_deref().and_then(|f| self.loaded.source(f))))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The date "today" for staleness: `SOURCE_DATE_EPOCH` when set, so builds
/// are reproducible, else the current UTC date.
pub fn today() -> Date {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok());
    jiff::tz::TimeZone::UTC.to_datetime(from_env.unwrap_or_else(jiff::Timestamp::now)).date()
}

/// The pipeline kept between runs: `serve` rebuilds through one session so
/// unchanged files are not parsed again and unchanged bodies not re-rendered.
pub struct Session {
    site: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    clean_urls: bool,
    today: Option<Date>,
    files: load::FileCache,
    bodies: Arc<model::bodies::BodyCache>,
    pages: render::memo::PageMemo,
    theme: render::theme::ThemeCache,
    highlights: Option<Arc<markdown::cache::HighlightCache>>,
    /// The config's `theme:` folder as of the last run.
    theme_dir: Option<PathBuf>,
}

/// One run of a session: what was found, and the pages when rendering succeeded.
pub struct Run {
    pub report: Report,
    pub pages: Option<Vec<render::Page>>,
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
            bodies: Arc::default(),
            pages: render::memo::PageMemo::default(),
            theme: None,
            highlights: None,
            theme_dir: None,
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

    pub fn site(&self) -> &Path {
        &self.site
    }

    /// The templated pages the last run rendered (the rest it reused), by
    /// output path: what an edit cost.
    pub fn rendered_pages(&self) -> Vec<String> {
        self.pages.rendered()
    }

    /// Load and model; with `render`, also render every page (not written
    /// anywhere), remembering them so the next run renders only what changed.
    pub fn run(&mut self, render: bool) -> Result<Run, Error> {
        self.run_with(render, true, None)
    }

    /// One run. `memoise`: keep this run's pages for the next; `stream`: send
    /// templated pages there as they render (see [`render::render_with`]).
    fn run_with(&mut self, render: bool, memoise: bool, stream: Option<&dyn render::Stream>) -> Result<Run, Error> {
        let start = Instant::now();
        let mut diags = Diagnostics::default();
        let mut timings = Vec::new();
        let mut lap = Instant::now();
        let mut mark = |stage: &'static str| {
            timings.push((stage, lap.elapsed()));
            lap = Instant::now();
        };
        let mut loaded = load::load_cached(&self.site, &mut self.files, &mut diags)?;
        mark("load");
        self.theme_dir = loaded.config.theme.clone();
        if let Some(url) = &self.base_url {
            loaded.config.base_url =
                config::normalize_base_url(url).map_err(|why| Error::BaseUrl { url: url.clone(), why })?;
        }
        loaded.config.clean_urls |= self.clean_urls;
        let options = model::ModelOptions {
            drafts: self.drafts,
            render_bodies: render,
            today: self.today.unwrap_or_else(today),
            // Only a run whose pages are kept for the next one reuses bodies.
            body_cache: memoise.then(|| Arc::clone(&self.bodies)),
            highlights: self.highlights.clone(),
            defer_html: stream.is_some(),
        };
        let site = model::build(&loaded, &options, &mut diags);
        mark("model");
        let mut pages = None;
        if render && !diags.has_errors() {
            match render::theme::load_cached(&self.site, loaded.config.theme.as_deref(), &mut self.theme)
                .and_then(|theme| render::render_with(&site, &theme, memoise.then_some(&self.pages), stream))
            {
                Ok(rendered) => pages = Some(rendered),
                Err(problems) => diags.extend(problems),
            }
            mark("render");
        }
        let report = Report {
            diagnostics: diags.sorted(),
            items: site.items.len(),
            pages: pages.as_ref().map_or(0, Vec::len),
            loaded,
            out: None,
            elapsed: start.elapsed(),
            timings,
        };
        Ok(Run { report, pages })
    }
}

/// Checks a site without writing anything: load and model.
pub fn check(site: &Path, drafts: bool, today_: Option<Date>) -> Result<Report, Error> {
    Ok(Session::new(site, drafts, None, today_).run(false)?.report)
}

/// Refuses output folders that would destroy the site's own files, or files
/// charted did not write (unless `force`).
fn check_output(site: &Path, out: &Path, force: bool) -> Result<(), Error> {
    let site_real = std::fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    let out_abs =
        if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(out) };
    let out_real = std::fs::canonicalize(&out_abs).unwrap_or(out_abs);
    if out_real == site_real {
        return Err(Error::Output(out.to_path_buf(), "it is the site folder itself; use --out with another folder"));
    }
    if site_real.starts_with(&out_real) || out_real.join(load::CONTENT_DIR).exists() {
        return Err(Error::Output(out.to_path_buf(), "it contains the site's content; use --out with another folder"));
    }
    write::recover(out).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    write::check_target(out, force).map_err(|refusal| Error::Output(out.to_path_buf(), refusal.explain()))
}

/// Builds a site: load, model, render, write. Pages are written into a
/// staging folder as they render; with errors in the site, it is thrown away
/// and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let start = Instant::now();
    let out = options.out.clone().unwrap_or_else(|| options.site.join("public"));
    check_output(&options.site, &out, options.force)?;
    let mut session = Session::new(&options.site, options.drafts, options.base_url.clone(), options.today)
        .with_clean_urls(options.clean_urls)
        .with_highlight_cache();
    let write_error = |source| Error::Write { path: out.clone(), source };
    let staging = write::Staging::new(&out).map_err(write_error)?;
    let Run { mut report, pages } = session.run_with(true, false, Some(&staging))?;
    session.save_highlights();
    if let Some(pages) = pages {
        let lap = Instant::now();
        // The templated pages are written already; these are the rest.
        staging.put_all(&pages).map_err(write_error)?;
        report.pages = staging.commit().map_err(write_error)?;
        report.timings.push(("write", lap.elapsed()));
    }
    report.out = Some(out);
    report.elapsed = start.elapsed();
    Ok(report)
}
pub mod serve;

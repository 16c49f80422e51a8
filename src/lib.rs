//! charted: compiles a team's product thinking (charter, vision, pains,
//! solutions, experiments, discovery, SLAs) into a cross-linked static site.
//!
//! The pipeline runs one way: [`load`] → [`model`] → [`render`] → [`write`].
//! [`build`] runs all four; [`check`] runs load and model only.

mod config;
mod diagnostic;
mod escape;
mod history;
mod incremental;
mod limits;
mod load;
mod markdown;
mod model;
mod portfolio;
mod rename;
mod render;
mod scaffold;
mod serve;
mod vocabulary;
mod words;
mod write;

// The surface: what the command line, the tests, the examples and the fuzz
// target use. Everything else is the crate's own (`unreachable_pub` keeps it so).
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use history::report::Format as HistoryFormat;
pub use rename::{MoveOptions, run as rename};
pub use scaffold::{INSTALL_SCRIPT, NewPortfolio, init, init_portfolio, new_item, next_steps, parse_kind};
pub use serve::{Notice, ServeOptions, Server, start as serve};
pub use write::{MARKER, recover};

/// What the user guide's reference pages must list: every config field,
/// item field, fixed word and switchable warning (a test checks the pages).
pub mod reference {
    pub use crate::config::{BUDGET_FIELDS, FIELDS as CONFIG_FIELDS, HISTORY_FIELDS, SCORING_FIELDS};
    pub use crate::model::checks::WARNINGS;
    pub use crate::model::item::{COMMON_FIELDS, kind_fields};
    pub use crate::model::{
        Better, Category, ExperimentStatus, Frequency, How, Kind, Method, Mode, PainStatus, Phase, Validation,
    };
    pub use crate::portfolio::entries::{ENTRY_FIELDS as PORTFOLIO_FIELDS, LIMITS_FIELDS as PORTFOLIO_LIMITS_FIELDS};
    pub use crate::vocabulary::ENTRY_FIELDS as VOCABULARY_FIELDS;
    pub use crate::vocabulary::FILE_FIELDS as VOCABULARY_FILE_FIELDS;
    pub use crate::words::Choice;
}

/// The first stages of the pipeline, driven directly by the fuzz target and
/// the property tests: a site held in memory, loaded, modelled, and each
/// body rendered, on any input.
pub mod stages {
    pub use crate::load::load_from_memory;
    pub use crate::markdown::{Mode as MarkdownMode, Options as MarkdownOptions, render as render_markdown};
    pub use crate::model::bodies::LinksOnly;
    pub use crate::model::{ModelOptions, build as build_model, build_with as build_model_with};
}

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;

use load::{LoadError, Loaded};

pub use incremental::{Run, Session};

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
    #[error(
        "refusing to write the site into {0}: {1}; choose an --out outside the site's sources (the default is public/ in the site folder)"
    )]
    OutputInSources(PathBuf, String),
    #[error(
        "SOURCE_DATE_EPOCH is `{0}`, not a whole number of seconds since 1970; unset it, or set it to one such as 1764460800"
    )]
    SourceDateEpoch(String),
    #[error("cannot write the site to {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "no {config} in {} or any folder above it; run `charted init DIR` to make a site, or pass the site folder",
        start.display(),
        config = load::CONFIG_FILE
    )]
    NoSite { start: PathBuf },
    #[error("{why}; {help}")]
    NoHistory { why: String, help: String },
    #[error("no review is called `{name}`{guess}; the reviews, most recent first: {}{unread}", known.join(", "))]
    UnknownReview { name: String, guess: String, known: Vec<String>, unread: String },
}

/// The site folder for a command run without one: `start` or the nearest
/// folder above it that holds `charted.yaml`, as `start` followed by `..`s
/// (`..`, `../..`) so that printed paths stay relative to where the user is.
pub fn find_site(start: &Path) -> Result<PathBuf, Error> {
    let no_site = || Error::NoSite { start: std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf()) };
    // Canonical, so that each parent is the one `..` leads to, symbolic links or not.
    let real = std::fs::canonicalize(start).map_err(|_| no_site())?;
    let ups = real.ancestors().position(|dir| dir.join(load::CONFIG_FILE).is_file()).ok_or_else(no_site)?;
    let climb: PathBuf = std::iter::repeat_n("..", ups).collect();
    Ok(match ups {
        0 => start.to_path_buf(),
        _ if start == Path::new(".") => climb,
        _ => start.join(climb),
    })
}

/// Told how many of the pages to render are done, from the rendering threads.
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
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
    /// Warnings fail the build too: with any, nothing is written.
    pub strict: bool,
    /// Called as pages render (`charted build` draws a progress bar with it).
    pub progress: Option<Progress>,
}

/// Whether stage timings are printed: with `--verbose`, or with
/// `CHARTED_TIMINGS` set (the benchmarks set it).
pub fn timings_wanted(verbose: bool) -> bool {
    verbose || std::env::var_os("CHARTED_TIMINGS").is_some()
}

/// What a run found, with the sources needed to show each problem in context.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub loaded: Loaded,
    pub items: usize,
    /// Files written (build only).
    pub pages: usize,
    pub out: Option<PathBuf>,
    /// The site folder: a diagnostic about a file the site did not load (a
    /// portfolio team's) shows its line from there.
    pub root: PathBuf,
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

    /// The stage timings in one line, as `charted build`, `check` and
    /// `serve` print them: `timings: load 1.2 ms, model 3.4 ms`.
    pub fn timings_line(&self) -> String {
        let stages: Vec<String> =
            self.timings.iter().map(|(stage, d)| format!("{stage} {:.1} ms", d.as_secs_f64() * 1000.0)).collect();
        format!("timings: {}", stages.join(", "))
    }

    /// Every diagnostic as text, with the offending lines.
    pub fn render_text(&self) -> String {
        self.render_styled(|_| true, false)
    }

    /// The diagnostics that `keep` keeps, as text; with ANSI colours when `color`.
    /// Each file's lines are indexed once, so printing is linear in the
    /// diagnostics and the files, however many diagnostics a file has.
    pub fn render_styled(&self, keep: impl Fn(&Diagnostic) -> bool, color: bool) -> String {
        let mut indexes: HashMap<&Path, Option<diagnostic::LineIndex<'_>>> = HashMap::new();
        let mut sources = self.loaded.sources();
        // Files the site did not load: a portfolio's team files, read once each.
        let others: HashMap<&Path, String> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.file.as_deref())
            .filter(|f| f.is_relative() && !sources.contains_key(f))
            .filter_map(|f| Some((f, load::read_source(&self.root.join(f))?)))
            .collect();
        sources.extend(others.iter().map(|(f, t)| (*f, t.as_str())));
        self.diagnostics
            .iter()
            .filter(|d| keep(d))
            .map(|d| {
                let line = d.file.as_deref().zip(d.pos).and_then(|(file, pos)| {
                    let index = indexes
                        .entry(file)
                        .or_insert_with(|| sources.get(file).map(|text| diagnostic::LineIndex::new(text)));
                    index.as_ref()?.line(pos.line)
                });
                d.render_line(line, color)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// "1 item", "2 items": a count and a word that takes an `s` in the plural.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The date "today" for staleness: `SOURCE_DATE_EPOCH` when set, so builds
/// are reproducible, else the current UTC date. A malformed value is an
/// error, as the reproducible-builds specification asks: silently using the
/// clock would make a build that cannot be reproduced.
pub fn source_date() -> Result<Date, Error> {
    let now = jiff::Timestamp::now;
    let when = match std::env::var("SOURCE_DATE_EPOCH") {
        Err(std::env::VarError::NotPresent) => now(),
        Ok(raw) if raw.trim().is_empty() => now(),
        Ok(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
            .ok_or(Error::SourceDateEpoch(raw))?,
        Err(std::env::VarError::NotUnicode(raw)) => return Err(Error::SourceDateEpoch(raw.to_string_lossy().into())),
    };
    Ok(jiff::tz::TimeZone::UTC.to_datetime(when).date())
}

/// [`source_date`], or the current UTC date when `SOURCE_DATE_EPOCH` is
/// malformed: for dates written into new files, which need not be reproducible.
pub fn today() -> Date {
    source_date().unwrap_or_else(|_| jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date())
}

/// `charted history`: what changed from review `since` (default: the
/// previous review) to the site's latest state, as text or Markdown. It
/// reads the reviews even under `history: false`, which only keeps them off
/// the pages; a site without any is [`Error::NoHistory`], a `since` that names
/// no review [`Error::UnknownReview`].
pub fn history(site: &Path, since: Option<&str>, format: HistoryFormat) -> Result<String, Error> {
    let mut diags = Diagnostics::default();
    let loaded = load::load(site, &mut diags)?;
    let options = model::ModelOptions { drafts: false, today: source_date()? };
    // What changed compares states, which no body is part of.
    let model = model::build_with(&loaded, &options, &model::bodies::Unread, &mut diags);
    let config = config::HistoryConfig { enabled: true, ..loaded.config.history.clone() };
    let past = history::past(site, &config);
    if past.reviews.is_empty() {
        let (why, help) = match &past.unavailable {
            Some(why) => history::explain(why),
            None => {
                ("the site has no reviews yet".into(), "tag the commit of a review: `git tag review-2026-q4`".into())
            }
        };
        return Err(Error::NoHistory { why, help });
    }
    let history = history::History::new(Arc::new(past), &model);
    let Some((from, to, changes)) = history.since(since) else {
        let name = since.unwrap_or_default().to_string();
        let known: Vec<String> = history.past.reviews.iter().rev().map(|r| r.name.clone()).collect();
        let guess = diagnostic::did_you_mean(&name, known.iter().map(String::as_str))
            .map(|g| format!(" (did you mean `{g}`?)"))
            .unwrap_or_default();
        // A review that could not be read is not listed: say why, or it would seem to be missing.
        let unread =
            history.past.unavailable.as_ref().map(|why| format!(" ({})", history::explain(why).0)).unwrap_or_default();
        return Err(Error::UnknownReview { name, guess, known, unread });
    };
    Ok(history::report::write(from, to, &changes, format))
}

/// Checks a site without writing anything. It loads, models and renders
/// every page as `build` does (code left unhighlighted), and runs the same
/// output link check, so what `build` rejects `check` reports too.
pub fn check(site: &Path, drafts: bool, today_: Option<Date>) -> Result<Report, Error> {
    let mut session = Session::new(site, drafts, None, today_);
    session.highlight(false);
    Ok(session.run_with(true, false, Some(&Discard))?.report)
}

/// Where `check` sends rendered pages: nowhere. Each is read for the link
/// check as it is rendered, then dropped, so a check holds no page for long.
struct Discard;

impl render::Stream for Discard {
    fn put(&self, _page: &render::Page) {}
}

/// The site's own folders, which no output may be, hold or lie inside,
/// `--force` or not: replacing the output replaces everything in it.
const SOURCES: &[&str] = &[load::CONTENT_DIR, "templates", "static"];

/// Refuses output folders that would destroy the site's own files, or files
/// charted did not write (unless `force`).
fn check_output(site: &Path, out: &Path, force: bool) -> Result<(), Error> {
    let site_real = real_path(site);
    let out_real = real_path(out);
    let refuse = |why: String| Err(Error::OutputInSources(out.to_path_buf(), why));
    if out_real == site_real {
        return refuse("it is the site folder itself".into());
    }
    if site_real.starts_with(&out_real) || out_real.join(load::CONTENT_DIR).exists() {
        return refuse("it contains the site's content".into());
    }
    for folder in SOURCES {
        if out_real.starts_with(site_real.join(folder)) {
            return refuse(format!("it is or lies inside the site's {folder}/ folder, whose files it would replace"));
        }
    }
    // Judged where it really is: a link to a folder is that folder.
    write::recover(&out_real).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    write::check_target(&out_real, force).map_err(|refusal| Error::Output(out.to_path_buf(), refusal.explain()))
}

/// A path with every symbolic link and `..` resolved, as far as it exists;
/// the part that does not exist yet is appended as written.
fn real_path(path: &Path) -> PathBuf {
    let absolute =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in missing.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    part => out.push(part),
                }
            }
            return out;
        }
        let (Some(parent), Some(last)) = (existing.parent(), existing.components().next_back()) else {
            return absolute;
        };
        missing.push(last);
        existing = parent;
    }
}

/// Builds a site: load, model, render, write. Pages are written into a
/// staging folder as they render; with errors in the site, it is thrown away
/// and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let start = Instant::now();
    let out = options.out.clone().unwrap_or_else(|| options.site.join("public"));
    check_output(&options.site, &out, options.force)?;
    // The swap renames the output folder itself: `.` cannot be renamed, and
    // renaming a symbolic link would replace the link, not the folder it leads to.
    let real_out = real_path(&out);
    let mut session = Session::new(&options.site, options.drafts, options.base_url.clone(), options.today)
        .with_clean_urls(options.clean_urls)
        .with_highlight_cache();
    let write_error = |source| Error::Write { path: out.clone(), source };
    let staging = write::Staging::new(&real_out).map_err(write_error)?;
    let stream = Observed { staging: &staging, progress: options.progress.as_ref() };
    let Run { mut report, pages, .. } = session.run_with(true, false, Some(&stream))?;
    session.save_highlights();
    // Under --strict a warning fails the build: the staging folder is dropped unwritten.
    let withheld = options.strict && report.count(diagnostic::Severity::Warning) > 0;
    if let Some(pages) = pages.filter(|_| !withheld) {
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

/// The staging folder as the renderer's stream, telling `progress` of each page.
struct Observed<'a> {
    staging: &'a write::Staging,
    progress: Option<&'a Progress>,
}

impl render::Stream for Observed<'_> {
    fn put(&self, page: &render::Page) {
        render::Stream::put(self.staging, page);
    }

    fn done(&self, finished: usize, total: usize) {
        if let Some(progress) = self.progress {
            (progress.0)(finished, total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_site_climbs_to_the_nearest_config_and_says_how() {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        std::fs::create_dir_all(site.join("content/pain")).unwrap();
        std::fs::write(site.join(load::CONFIG_FILE), "title: T\n").unwrap();
        assert_eq!(find_site(&site).unwrap(), site);
        let deep = site.join("content/pain");
        let found = find_site(&deep).unwrap();
        assert_eq!(found, deep.join("../.."));
        assert_eq!(std::fs::canonicalize(found).unwrap(), std::fs::canonicalize(&site).unwrap());
        let error = find_site(root.path()).unwrap_err().to_string();
        assert!(error.starts_with("no charted.yaml in ") && error.contains("charted init DIR"), "{error}");
        assert!(matches!(find_site(&root.path().join("missing")), Err(Error::NoSite { .. })));
    }
}

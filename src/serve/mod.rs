//! `charted serve`: build into memory, serve over HTTP, watch the site folder,
//! rebuild on change and tell open pages to reload.
//!
//! The rebuild runs the same [`Session`] as `build`: unchanged files are not
//! parsed again and unchanged bodies not re-rendered; every page is rendered
//! and only the bytes that differ replace the served ones. The new site is
//! swapped in whole before any page is told to reload.

pub(crate) mod http;
pub(crate) mod memory;
pub(crate) mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Session;
pub use http::Notice;
use http::Shared;
use memory::MemorySite;
use watch::Change;

type DebounceResult = notify_debouncer_full::DebounceEventResult;

/// Options of `charted serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port; a taken port falls back to a free one.
    pub port: u16,
    pub poll: bool,
    pub drafts: bool,
    /// The address pages link to, when not the server's own (behind a proxy,
    /// another host name); default `http://ADDR:PORT/`.
    pub base_url: Option<String>,
    /// Folder links end in `/`, not `/index.html`, whatever charted.yaml says.
    pub clean_urls: bool,
    /// Print no line per rebuild (errors still show in the browser).
    pub quiet: bool,
    /// Print how long each stage of a rebuild took (also with `CHARTED_TIMINGS` set).
    pub verbose: bool,
    /// How long a client may take to send a request's headers, and how long
    /// a kept-alive connection may wait for its next request ([`HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// How long a connection may move no byte either way ([`IDLE_TIMEOUT`]).
    pub idle_timeout: Duration,
}

/// The default [`ServeOptions::header_timeout`]: a browser sends its headers
/// at once; a client that dribbles them only holds a connection.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default [`ServeOptions::idle_timeout`]: longer than the live-reload
/// stream's keep-alive (15 s), so open pages keep their stream.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a broken site must stay broken before pages show its problems: an
/// editor that saves by emptying the file and then writing it makes a broken
/// state that lasts a few milliseconds, and is no reason to flash an overlay.
pub(crate) const ERROR_SETTLE: Duration = Duration::from_millis(300);

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            site: PathBuf::from("."),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            poll: false,
            drafts: false,
            base_url: None,
            clean_urls: false,
            quiet: false,
            verbose: false,
            header_timeout: HEADER_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot watch {path}: {source}")]
    Watch { path: PathBuf, source: notify::Error },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Site(#[from] crate::Error),
}

/// A running development server. Dropping it stops everything.
pub struct Server {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    /// What the first build reported (printed by the command line).
    pub first: String,
    /// Whether the first build found errors (printed even under `--quiet`).
    pub first_failed: bool,
    runtime: tokio::runtime::Runtime,
    _watcher: watch::Watcher,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Blocks until Ctrl-C.
    pub fn wait_for_ctrl_c(&self) {
        let _ = self.runtime.block_on(tokio::signal::ctrl_c());
    }

    /// Stops serving; open event streams are cut.
    pub fn stop(self) {
        self.runtime.shutdown_timeout(Duration::from_millis(500));
    }
}

fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    match TcpListener::bind(addr) {
        Err(err) if err.kind() == std::io::ErrorKind::AddrInUse && addr.port() != 0 => {
            TcpListener::bind(SocketAddr::new(addr.ip(), 0)).map_err(|source| ServeError::Bind { addr, source })
        }
        other => other.map_err(|source| ServeError::Bind { addr, source }),
    }
}

/// What a rebuild came to.
enum Outcome {
    /// The new site is served; the line to print.
    Published(String),
    /// The site has errors: the line to print and the problems to show in pages.
    Failed { line: String, problems: String },
}

/// One rebuild: a good site is published at once; a broken one is left to the caller.
fn rebuild(session: &mut Session, shared: &Shared, why: &str, only_css: bool, timings: bool) -> Outcome {
    let start = Instant::now();
    match session.run(true) {
        Ok(crate::Run { mut report, pages: Some(pages), unchanged }) => {
            report.timings.push(("run", start.elapsed()));
            let lap = Instant::now();
            let current = shared.site();
            let (site, changes) = current.update(pages, &unchanged);
            let notice = if only_css && changes.only_css { Notice::Css } else { Notice::Reload };
            shared.publish(site, notice);
            report.timings.push(("swap", lap.elapsed()));
            if timings {
                let rendered = session.rendered_pages().len();
                // A closed standard error is no reason to stop serving.
                let _ = writeln!(std::io::stderr(), "{}; {rendered} pages rendered", report.timings_line());
            }
            let warnings = report.count(crate::diagnostic::Severity::Warning);
            let warn = if warnings > 0 { format!(", {}", crate::plural(warnings, "warning")) } else { String::new() };
            Outcome::Published(format!(
                "{why}: {} rewritten, {} removed in {} ms{warn}",
                crate::plural(changes.written, "file"),
                changes.removed,
                start.elapsed().as_millis()
            ))
        }
        Ok(crate::Run { report, pages: None, .. }) => {
            let problems = report.render_text();
            let line = format!("{why}: the site has errors; still serving the last good version\n{problems}");
            Outcome::Failed { line, problems }
        }
        Err(err) => {
            let problems = format!("error: {err}");
            Outcome::Failed { line: format!("{why}: {problems}; still serving the last good version"), problems }
        }
    }
}

/// Builds the site, starts the server and the watcher, and returns at once.
pub fn start(options: &ServeOptions) -> Result<Server, ServeError> {
    // A wrong --base-url is the command line's fault: refuse it before serving anything.
    if let Some(url) = &options.base_url {
        crate::config::normalize_base_url(url).map_err(|why| crate::Error::BaseUrl { url: url.clone(), why })?;
    }
    let listener = bind(SocketAddr::new(options.bind, options.port))?;
    let addr = listener.local_addr().map_err(ServeError::Runtime)?;
    let base_url = options.base_url.clone().unwrap_or_else(|| format!("http://{addr}/"));
    let mut session = Session::new(&options.site, options.drafts, Some(base_url), None)
        .with_clean_urls(options.clean_urls)
        .with_highlight_cache();
    let shared = Shared::new(MemorySite::default());
    let print = Print { quiet: options.quiet, timings: crate::timings_wanted(options.verbose) };
    let (first, first_failed) = match rebuild(&mut session, &shared, "Built the site", false, print.timings) {
        Outcome::Published(line) => (line, false),
        Outcome::Failed { line, problems } => {
            shared.fail(&problems);
            (line, true)
        }
    };
    session.save_highlights();

    // Events are matched against the resolved site folder, and the watcher
    // is given that same folder, so `../site` or a linked path sees edits.
    let root = std::fs::canonicalize(&options.site).unwrap_or_else(|_| options.site.clone());
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::watch(&root, options.poll, tx)
        .map_err(|source| ServeError::Watch { path: options.site.clone(), source })?;
    // A theme folder outside the site is watched too (one inside already is).
    if let Some(theme) = theme_folder(&root, session.theme_dir())
        && !theme.starts_with(&root)
    {
        watcher.add(&theme).map_err(|source| ServeError::Watch { path: theme.clone(), source })?;
    }
    // So is a shared vocabulary file outside it.
    if let Some(shared) = session.shared_vocabulary().and_then(watch::resolved_file)
        && !shared.starts_with(&root)
    {
        watcher.add_file(&shared).map_err(|source| ServeError::Watch { path: shared.clone(), source })?;
    }
    // And a portfolio's team sites and items.json files outside it.
    for team in session.team_folders().iter().filter(|t| !t.starts_with(&root)) {
        watcher.add(team).map_err(|source| ServeError::Watch { path: team.clone(), source })?;
    }
    for items in session.team_items_files().iter().filter(|t| !t.starts_with(&root)) {
        watcher.add_file(items).map_err(|source| ServeError::Watch { path: items.clone(), source })?;
    }
    let loop_shared = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("charted-rebuild".into())
        .spawn(move || rebuild_loop(session, root, rx, &loop_shared, print))
        .map_err(ServeError::Runtime)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    listener.set_nonblocking(true).map_err(ServeError::Runtime)?;
    let hosts = http::Hosts::new(addr, options.base_url.as_deref());
    let router = http::router(Arc::clone(&shared), hosts);
    let listener =
        runtime.block_on(async { tokio::net::TcpListener::from_std(listener) }).map_err(ServeError::Runtime)?;
    let timeouts = http::Timeouts { header: options.header_timeout, idle: options.idle_timeout };
    runtime.spawn(http::serve(listener, router, timeouts));
    Ok(Server { addr, shared, first, first_failed, runtime, _watcher: watcher })
}

/// The config's theme folder as an absolute path, if it exists.
fn theme_folder(root: &std::path::Path, theme: Option<&std::path::Path>) -> Option<PathBuf> {
    std::fs::canonicalize(root.join(theme?)).ok()
}

/// What the rebuild loop prints besides errors.
#[derive(Clone, Copy)]
struct Print {
    quiet: bool,
    timings: bool,
}

type Events = mpsc::Receiver<notify_debouncer_full::DebounceEventResult>;

/// Waits for batches of file events; rebuilds once per batch that matters.
/// A rebuild that fails is shown only when no event follows it within
/// [`ERROR_SETTLE`]: a save that empties a file and then writes it is
/// rebuilt again at once, and the good build replaces the failure unseen.
fn rebuild_loop(mut session: Session, root: PathBuf, rx: Events, shared: &Shared, print: Print) {
    // The last failure, not yet shown, and when to show it.
    let mut pending: Option<(Outcome, Instant)> = None;
    loop {
        let first = match &pending {
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some((_, until)) => rx.recv_timeout(until.saturating_duration_since(Instant::now())),
        };
        let first = match first {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // Nothing changed since: the site stays broken, so say so.
                if let Some((failure, _)) = pending.take() {
                    report(failure, shared, print);
                }
                continue;
            }
        };
        let Some((why, only_css)) = gather_changes(first, &rx, &root, &mut session) else { continue };
        match rebuild(&mut session, shared, &why, only_css, print.timings) {
            failure @ Outcome::Failed { .. } => pending = Some((failure, Instant::now() + ERROR_SETTLE)),
            published => {
                pending = None;
                report(published, shared, print);
            }
        }
    }
}

/// Shows a rebuild's outcome: its line on standard output (errors even when
/// quiet), and a failure's problems in every open page.
fn report(outcome: Outcome, shared: &Shared, print: Print) {
    let (line, failed) = match outcome {
        Outcome::Published(line) => (line, false),
        Outcome::Failed { line, problems } => {
            shared.fail(&problems);
            (line, true)
        }
    };
    if failed || !print.quiet {
        let now = jiff::ZonedDateTime::now().strftime("%H:%M:%S").to_string();
        // A closed standard output is no reason to stop serving.
        let _ = writeln!(std::io::stdout(), "[{now}] {line}");
    }
}

/// Drains the batches of events waiting, tells the session which files they
/// name, and says why to rebuild (and whether only stylesheets changed);
/// `None` when nothing the build reads changed.
fn gather_changes(
    first: DebounceResult,
    rx: &Events,
    root: &std::path::Path,
    session: &mut Session,
) -> Option<(String, bool)> {
    // Coalesce a burst (a branch checkout, a save-all) into one rebuild.
    let mut batches = vec![first];
    while let Ok(more) = rx.try_recv() {
        batches.push(more);
    }
    let mut changed: Vec<(PathBuf, Change)> = Vec::new();
    let mut ambiguous = false;
    let theme = theme_folder(root, session.theme_dir());
    let shared = session.shared_vocabulary().and_then(watch::resolved_file);
    let teams = session.team_folders().to_vec();
    let items_files = session.team_items_files().to_vec();
    for batch in batches {
        // Errors mean events were lost: what changed is unknown.
        let Ok(events) = batch else {
            ambiguous = true;
            continue;
        };
        ambiguous |= events.iter().any(|e| watch::is_ambiguous(&e.event));
        // Reading files during a rebuild raises access events: only changes count.
        for event in events.iter().filter(|e| watch::is_change(&e.kind)) {
            for path in &event.paths {
                let path = watch::from_root(root, path);
                // The shared vocabulary and a team's items.json are read whole every run.
                let is_shared = shared.as_ref().is_some_and(|s| *s == path) || items_files.contains(&path);
                // A team's file counts as that team's site reads it (a team folder may lie inside the site).
                let team = teams.iter().find(|t| path.starts_with(t)).map(|t| watch::classify(t, &path, None));
                if let Some(change) = team
                    .unwrap_or_else(|| watch::classify(root, &path, theme.as_deref()))
                    .or(is_shared.then_some(Change::Site))
                {
                    changed.push((path.strip_prefix(root).unwrap_or(&path).to_path_buf(), change));
                }
            }
        }
    }
    if ambiguous {
        session.mark_all_changed();
    } else {
        session.mark_changed(changed.iter().map(|(p, _)| p.clone()));
    }
    if changed.is_empty() && !ambiguous {
        return None;
    }
    changed.sort();
    changed.dedup();
    let only_css = !ambiguous && changed.iter().all(|(_, c)| *c == Change::Stylesheet);
    let why = match changed.as_slice() {
        [(one, _)] if !ambiguous => format!("{} changed", one.display()),
        [] => "Files changed".to_string(),
        many => format!("{} files changed", many.len()),
    };
    Some((why, only_css))
}

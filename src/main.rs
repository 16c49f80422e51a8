//! The `charted` command line: parses arguments, calls the library, prints.

/// mimalloc: the build allocates and frees millions of small strings and
/// template values from several threads; glibc's allocator spent a fifth of
/// the time there and left memory fragmented (see docs/performance.md). Its
/// `override` feature makes it the C code's `malloc` too (oniguruma's).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Standard output and error that a closed pipe (`charted check | head -1`)
/// cannot crash: `println!` panics there. A stream whose reader has gone is
/// closed quietly and the command runs on to its usual exit code; any other
/// failure to write (a full disk) is said on standard error and exits 2.
#[macro_use]
mod term {
    use std::fmt;
    use std::io::{self, Write};
    use std::sync::atomic::{AtomicBool, Ordering};

    static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
    static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
    static FAILED: AtomicBool = AtomicBool::new(false);

    /// `println!` that a closed standard output cannot crash.
    macro_rules! out {
        ($($arg:tt)*) => { $crate::term::out(format_args!($($arg)*)) };
    }

    /// `eprintln!` that a closed standard error cannot crash; colours are
    /// stripped unless `--color` and the terminal want them.
    macro_rules! err {
        ($($arg:tt)*) => { $crate::term::err(format_args!($($arg)*)) };
    }

    pub(crate) fn out(line: fmt::Arguments) {
        if let Err(error) = write_line(&mut io::stdout().lock(), &STDOUT_CLOSED, line) {
            err(format_args!("error: cannot write to standard output: {error}"));
        }
    }

    pub(crate) fn err(line: fmt::Arguments) {
        let _ = write_line(&mut anstream::stderr().lock(), &STDERR_CLOSED, line);
    }

    /// One line, unless the stream is closed. A failed write closes it: quietly
    /// for a closed pipe (the reader has all it wanted), else returned.
    fn write_line(stream: &mut impl Write, closed: &AtomicBool, line: fmt::Arguments) -> io::Result<()> {
        if closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let written = stream.write_fmt(line).and_then(|()| stream.write_all(b"\n")).and_then(|()| stream.flush());
        match written {
            Err(error) => {
                closed.store(true, Ordering::Relaxed);
                if error.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(());
                }
                FAILED.store(true, Ordering::Relaxed);
                Err(error)
            }
            ok => ok,
        }
    }

    /// The command's exit code, or 2 when some output could not be written.
    pub(crate) fn exit_code(code: u8) -> u8 {
        if FAILED.load(Ordering::Relaxed) { code.max(super::USAGE) } else { code }
    }
}

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use charted::ServeOptions;
use charted::Severity;
use charted::{BuildOptions, Report, plural};

/// Compile a team's charter, vision, pains, solutions, experiments, discovery
/// log and SLAs (Markdown with YAML front matter) into a cross-linked website.
#[derive(Parser)]
#[command(name = "charted", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Flags every command takes.
#[derive(Args)]
struct Global {
    /// Print only errors (and, under --strict, warnings)
    #[arg(short, long, global = true, conflicts_with = "verbose", display_order = 900)]
    quiet: bool,
    /// Also print how long each stage took, and what was read and written
    #[arg(short, long, global = true, display_order = 900)]
    verbose: bool,
    /// When to colour diagnostics (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorWhen::Auto, display_order = 900)]
    color: ColorWhen,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The site folder: omitted, it is the nearest folder (here or above) that holds charted.yaml.
#[derive(Args)]
struct SiteDir {
    /// The site folder [default: the nearest folder, here or above, with charted.yaml]
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site in DIR: config, one example of every kind, a GitHub Pages workflow
    Init {
        /// The folder to create (must be empty or not exist)
        dir: PathBuf,
        /// Create a portfolio instead: an organisation's site built from its teams' sites
        #[arg(long)]
        portfolio: bool,
        /// A team of the portfolio: its short name and its site folder (relative to DIR) or items.json URL, e.g. `ci=../ci`; repeatable [default: every sibling folder of DIR with a site]
        #[arg(long = "team", value_name = "SHORT=SOURCE", requires = "portfolio")]
        teams: Vec<String>,
    },
    /// Add an item file with its front matter filled in
    New {
        /// charter, vision, pain, solution, experiment, discovery or sla
        kind: String,
        /// The item's title; its id (and file name) is made from it unless --id is given
        title: String,
        /// The item's id and file name, e.g. `slow-ci` (lowercase letters, digits and dashes)
        #[arg(long)]
        id: Option<String>,
        /// For an experiment: the id of the solution it tests (without it, `tests:` is left empty to fill in)
        #[arg(long, value_name = "SOLUTION")]
        tests: Option<String>,
        #[command(flatten)]
        dir: SiteDir,
        /// The site folder (the same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        site: Option<PathBuf>,
    },
    /// Build the site into DIR/public (or --out)
    Build {
        #[command(flatten)]
        dir: SiteDir,
        /// Where to write the site (default: DIR/public)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override base_url from charted.yaml, e.g. https://acme.github.io/roadmap/
        #[arg(long)]
        base_url: Option<String>,
        /// Include items marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Link folders as `pain/x/` instead of `pain/x/index.html` (the output then needs a web server)
        #[arg(long)]
        clean_urls: bool,
        /// Replace the output folder even if charted did not write it
        #[arg(long)]
        force: bool,
        /// Fail (exit 1) on warnings too, writing nothing
        #[arg(long)]
        strict: bool,
    },
    /// Build the site, serve it, rebuild on every change and live-reload open pages
    Serve {
        #[command(flatten)]
        dir: SiteDir,
        /// The port (0 picks a free one; a taken port falls back to a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 exposes the preview to your network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of native file events (network drives, some containers)
        #[arg(long)]
        poll: bool,
        /// Include items marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// The address pages link to, when the preview is reached by another name, e.g. http://devbox:1111/
        #[arg(long)]
        base_url: Option<String>,
        /// Link folders as `pain/x/` instead of `pain/x/index.html`
        #[arg(long)]
        clean_urls: bool,
    },
    /// Validate the site without writing anything
    Check {
        #[command(flatten)]
        dir: SiteDir,
        /// How to print problems
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        strict: bool,
        /// Include items marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Rename an item: move its file, rewrite every reference to it, keep the old id as an alias
    Mv {
        /// The item's id now
        old: String,
        /// Its new id
        new: String,
        #[command(flatten)]
        dir: SiteDir,
        /// The site folder (the same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        site: Option<PathBuf>,
        /// Print what would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Print what changed since the last review (or --since REVIEW), from the site's git history
    History {
        #[command(flatten)]
        dir: SiteDir,
        /// The review to compare with (a tag, or a quarter such as 2026-Q3); default: the previous one
        #[arg(long, value_name = "REVIEW")]
        since: Option<String>,
        /// Plain text, or Markdown for a pull request comment
        #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
        format: HistoryFormat,
    },
    /// Print the completion script for a shell (bash, zsh, fish or powershell)
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// GitHub Actions annotations: each problem shows on its line in a pull request
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum HistoryFormat {
    Text,
    Markdown,
}

/// Exit codes: 0 fine, 1 the site has errors (`history`: the site has no
/// history), 2 the command line or a path is wrong.
const SUCCESS: u8 = 0;
const SITE_ERRORS: u8 = 1;
const USAGE: u8 = 2;

/// How the command prints, from the global flags.
struct Ui {
    quiet: bool,
    verbose: bool,
    /// Diagnostics in colour (stderr is a terminal, or --color always).
    color: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ui = ui(&cli.global);
    let code = run(cli.command, &ui);
    ExitCode::from(term::exit_code(code))
}

fn ui(global: &Global) -> Ui {
    match global.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        // anstream then decides: a terminal, NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM.
        ColorWhen::Auto => {}
    }
    let color = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    Ui { quiet: global.quiet, verbose: global.verbose, color }
}

fn run(command: Command, ui: &Ui) -> u8 {
    match command {
        Command::Init { dir, portfolio: false, .. } => init(&dir, ui),
        Command::Init { dir, teams, .. } => init_portfolio(&dir, &teams, ui),
        Command::New { kind, title, id, tests, dir, site } => match site.map_or_else(|| dir.resolve(), Ok) {
            Ok(site) => new(&kind, &title, id.as_deref(), tests.as_deref(), &site, ui),
            Err(err) => fail(err),
        },
        Command::Mv { old, new, dir, site, dry_run } => match site.map_or_else(|| dir.resolve(), Ok) {
            Ok(site) => mv(charted::MoveOptions { site, old, new, dry_run }, ui),
            Err(err) => fail(err),
        },
        Command::Build { dir, out, base_url, drafts, clean_urls, force, strict } => match dir.resolve() {
            Ok(site) => {
                let options =
                    BuildOptions { site, out, base_url, drafts, clean_urls, force, strict, ..Default::default() };
                build(options, ui)
            }
            Err(err) => fail(err),
        },
        Command::History { dir, since, format } => match dir.resolve() {
            Ok(site) => history(&site, since.as_deref(), format),
            Err(err) => fail(err),
        },
        Command::Check { dir, format, strict, drafts } => match dir.resolve() {
            Ok(site) => check(&site, format, strict, drafts, ui),
            Err(err) => fail(err),
        },
        Command::Serve { dir, port, bind, open, poll, drafts, base_url, clean_urls } => match dir.resolve() {
            Ok(site) => {
                let (quiet, verbose) = (ui.quiet, ui.verbose);
                let options = ServeOptions {
                    site,
                    bind,
                    port,
                    poll,
                    drafts,
                    base_url,
                    clean_urls,
                    quiet,
                    verbose,
                    ..ServeOptions::default()
                };
                serve(options, open, ui)
            }
            Err(err) => fail(err),
        },
        Command::Completions { shell } => completions(shell),
    }
}

impl SiteDir {
    /// The folder given, else the nearest one here or above with charted.yaml.
    fn resolve(self) -> Result<PathBuf, charted::Error> {
        match self.dir {
            Some(dir) => Ok(dir),
            None => charted::find_site(Path::new(".")),
        }
    }
}

fn mv(options: charted::MoveOptions, ui: &Ui) -> u8 {
    match charted::rename(&options) {
        Ok(plan) => {
            if !ui.quiet || options.dry_run {
                let described = plan.describe(options.dry_run);
                out!("{}", described.trim_end_matches('\n'));
            }
            SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn history(site: &Path, since: Option<&str>, format: HistoryFormat) -> u8 {
    let format = match format {
        HistoryFormat::Text => charted::HistoryFormat::Text,
        HistoryFormat::Markdown => charted::HistoryFormat::Markdown,
    };
    match charted::history(site, since, format) {
        Ok(text) => {
            out!("{}", text.trim_end_matches('\n'));
            SUCCESS
        }
        // The site is fine; it has no history to show.
        Err(err @ charted::Error::NoHistory { .. }) => {
            fail(err);
            SITE_ERRORS
        }
        Err(err) => fail(err),
    }
}

fn fail(message: impl std::fmt::Display) -> u8 {
    let red = anstyle::AnsiColor::Red.on_default().bold();
    err!("{red}error{red:#}: {message}");
    USAGE
}

fn warn(message: impl std::fmt::Display) {
    let yellow = anstyle::AnsiColor::Yellow.on_default().bold();
    err!("{yellow}warning{yellow:#}: {message}");
}

fn init(dir: &Path, ui: &Ui) -> u8 {
    match charted::init(dir) {
        Ok(files) => {
            if !ui.quiet {
                out!("Created a charted site in {}:", dir.display());
                for file in files {
                    out!("  {}", file.display());
                }
                out!("\nNext: `charted serve {0}` to preview it, or `charted build {0}` to build it.", dir.display());
            }
            SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn init_portfolio(dir: &Path, teams: &[String], ui: &Ui) -> u8 {
    match charted::init_portfolio(dir, teams) {
        Ok(made) => {
            if !ui.quiet {
                out!("Created a charted portfolio in {}:", dir.display());
                for file in made.files {
                    out!("  {}", file.display());
                }
                if made.teams.is_empty() {
                    out!("\nNo team's site beside it: list the teams under `portfolio:` in its charted.yaml.");
                } else {
                    out!("\nIts teams (`portfolio:` in its charted.yaml):");
                    for team in made.teams {
                        out!("  {team}");
                    }
                }
                out!("\nNext: `charted serve {0}` to preview it, or `charted build {0}` to build it.", dir.display());
            }
            SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn new(kind: &str, title: &str, id: Option<&str>, tests: Option<&str>, site: &Path, ui: &Ui) -> u8 {
    use charted::{new_item, next_steps, parse_kind};
    let result = parse_kind(kind).and_then(|kind| new_item(site, kind, title, id, tests).map(|path| (kind, path)));
    match result {
        Ok((kind, path)) => {
            if !ui.quiet {
                out!("Created {}", path.display());
                out!("Fill in next:");
                for step in next_steps(kind, tests) {
                    out!("  {step}");
                }
            }
            SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// With --verbose (or `CHARTED_TIMINGS` set): stage timings, and what was
/// read and written, on standard error.
fn print_details(report: &Report, ui: &Ui) {
    if !charted::timings_wanted(ui.verbose) {
        return;
    }
    err!("{}", report.timings_line());
    if ui.verbose {
        let mut folders = std::collections::BTreeMap::<&str, usize>::new();
        for document in &report.loaded.documents {
            *folders.entry(document.folder.as_deref().unwrap_or("content")).or_default() += 1;
        }
        let read: Vec<String> = folders.iter().map(|(folder, n)| format!("{folder} {n}")).collect();
        let files = plural(report.loaded.documents.len(), "file");
        err!(
            "read: {files} ({}); {}; {} written",
            read.join(", "),
            plural(report.items, "item"),
            plural(report.pages, "file")
        );
    }
}

/// The diagnostics a run prints as text: all of them, or under --quiet only
/// those that fail the command.
fn print_diagnostics(report: &Report, strict: bool, ui: &Ui) {
    let fails = |d: &charted::Diagnostic| !ui.quiet || d.severity == Severity::Error || strict;
    if report.diagnostics.iter().any(fails) {
        err!("{}", report.render_styled(fails, ui.color));
    }
}

fn summary(report: &Report) -> String {
    format!(
        "{}, {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning")
    )
}

fn build(mut options: BuildOptions, ui: &Ui) -> u8 {
    let bar = (!ui.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(&mut options));
    let report = charted::build(&options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = match report {
        Ok(report) => report,
        Err(err) => return fail(err),
    };
    print_diagnostics(&report, options.strict, ui);
    print_details(&report, ui);
    let warnings = report.count(Severity::Warning);
    if report.has_errors() || (options.strict && warnings > 0) {
        let why = if report.has_errors() { "" } else { " (--strict fails on warnings)" };
        err!("Build failed: {}{why}. The previous output was left as it was.", summary(&report));
        return SITE_ERRORS;
    }
    if !ui.quiet {
        let out = report.out.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        out!(
            "Built {} into {} in {out} in {:.2} s ({})",
            plural(report.items, "item"),
            plural(report.pages, "file"),
            report.elapsed.as_secs_f64(),
            summary(&report)
        );
    }
    SUCCESS
}

/// A bar of pages rendered, drawn on standard error once the build has run
/// for a second (a quick build shows none); the caller clears it.
fn progress_bar(options: &mut BuildOptions) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::hidden();
    if let Ok(style) = indicatif::ProgressStyle::with_template("Rendering {wide_bar} {pos}/{len} pages, {eta} left") {
        bar.set_style(style);
    }
    let start = Instant::now();
    let shown = bar.clone();
    options.progress = Some(charted::Progress(Arc::new(move |done, total| {
        if shown.is_hidden() && start.elapsed() > Duration::from_secs(1) {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        shown.set_length(total as u64);
        shown.set_position(done as u64);
    })));
    bar
}

fn check(dir: &Path, format: Format, strict: bool, drafts: bool, ui: &Ui) -> u8 {
    let report = match charted::check(dir, drafts, None) {
        Ok(report) => report,
        Err(err) => return fail(err),
    };
    let summary = format!("Checked {} in {}: {}", plural(report.items, "item"), dir.display(), summary(&report));
    match format {
        Format::Json => match serde_json::to_string_pretty(&report.diagnostics) {
            Ok(json) => out!("{json}"),
            Err(err) => return fail(err),
        },
        Format::Github => {
            for d in &report.diagnostics {
                out!("{}", d.github_annotation(dir));
            }
            if !ui.quiet {
                out!("{summary}");
            }
        }
        Format::Text => {
            print_diagnostics(&report, strict, ui);
            if !ui.quiet {
                out!("{summary}");
            }
        }
    }
    print_details(&report, ui);
    let failed = report.has_errors() || (strict && report.count(Severity::Warning) > 0);
    if failed { SITE_ERRORS } else { SUCCESS }
}

fn serve(options: ServeOptions, open: bool, ui: &Ui) -> u8 {
    if !options.bind.is_loopback() {
        warn(format_args!("listening on {}: anyone who can reach this machine can read the preview", options.bind));
    }
    let server = match charted::serve(&options) {
        Ok(server) => server,
        Err(err) => return fail(err),
    };
    if server.first_failed || !ui.quiet {
        out!("{}", server.first);
    }
    // Even under --quiet: without it, no one knows where to look.
    out!("Serving {} at {}  (Ctrl-C to stop)", options.site.display(), server.url());
    if open && let Err(err) = ::open::that(server.url()) {
        warn(format_args!("cannot open a browser: {err}; open {} yourself", server.url()));
    }
    server.wait_for_ctrl_c();
    if !ui.quiet {
        out!("Stopped.");
    }
    server.stop();
    SUCCESS
}

/// The shell's completion script, on standard output.
fn completions(shell: clap_complete::Shell) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "charted", &mut script);
    out!("{}", String::from_utf8_lossy(&script).trim_end());
    SUCCESS
}

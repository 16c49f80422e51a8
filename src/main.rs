//! The `charted` command line: parses arguments, calls the library, prints.

/// mimalloc: the build allocates and frees millions of small strings and
/// template values from several threads; glibc's allocator spent a fifth of
/// the time there and left memory fragmented (see docs/performance.md). Its
/// `override` feature makes it the C code's `malloc` too (oniguruma's).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use charted::diagnostic::Severity;
use charted::serve::ServeOptions;
use charted::{BuildOptions, Report};

/// Compile a team's charter, vision, pains, solutions, experiments, discovery
/// log and SLAs (Markdown with YAML front matter) into a cross-linked website.
#[derive(Parser)]
#[command(name = "charted", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site in DIR: config, one example of every kind, a GitHub Pages workflow
    Init {
        /// The folder to create (must be empty or not exist)
        dir: PathBuf,
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
        /// The site folder
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// Build the site into DIR/public (or --out)
    Build {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
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
    },
    /// Build the site, serve it, rebuild on every change and live-reload open pages
    Serve {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
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
    },
    /// Validate the site without writing anything
    Check {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
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
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site folder (the same as DIR)
        #[arg(long, conflicts_with = "dir")]
        site: Option<PathBuf>,
        /// Print what would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// GitHub Actions annotations: each problem shows on its line in a pull request
    Github,
}

/// Exit codes: 0 fine, 1 the site has errors, 2 the command line or a path is wrong.
const SITE_ERRORS: u8 = 1;
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir } => init(dir),
        Command::New { kind, title, id, site } => new(&kind, &title, id.as_deref(), site),
        Command::Build { dir, out, base_url, drafts, clean_urls, force } => {
            build(BuildOptions { site: dir, out, base_url, drafts, clean_urls, today: None, force })
        }
        Command::Check { dir, format, strict, drafts } => check(dir, format, strict, drafts),
        Command::Serve { dir, port, bind, open, poll, drafts } => {
            serve(ServeOptions { site: dir, bind, port, poll, drafts }, open)
        }
        Command::Mv { old, new, dir, site, dry_run } => {
            mv(charted::rename::MoveOptions { site: site.unwrap_or(dir), old, new, dry_run })
        }
    }
}

fn mv(options: charted::rename::MoveOptions) -> ExitCode {
    match charted::rename::run(&options) {
        Ok(plan) => {
            print!("{}", plan.describe(options.dry_run));
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE)
}

fn init(dir: PathBuf) -> ExitCode {
    match charted::scaffold::init(&dir) {
        Ok(files) => {
            println!("Created a charted site in {}:", dir.display());
            for file in files {
                println!("  {}", file.display());
            }
            println!("\nNext: `charted serve {0}` to preview it, or `charted build {0}` to build it.", dir.display());
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn new(kind: &str, title: &str, id: Option<&str>, site: PathBuf) -> ExitCode {
    let result =
        charted::scaffold::parse_kind(kind).and_then(|kind| charted::scaffold::new_item(&site, kind, title, id));
    match result {
        Ok(path) => {
            println!("Created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// Stage timings on standard error, when `CHARTED_TIMINGS` is set.
fn print_timings(report: &Report) {
    if std::env::var_os("CHARTED_TIMINGS").is_some() {
        let stages: Vec<String> =
            report.timings.iter().map(|(stage, d)| format!("{stage} {:.1} ms", d.as_secs_f64() * 1000.0)).collect();
        eprintln!("timings: {}", stages.join(", "));
    }
}

fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

fn build(options: BuildOptions) -> ExitCode {
    let report = match charted::build(&options) {
        Ok(report) => report,
        Err(err) => return fail(err),
    };
    if !report.diagnostics.is_empty() {
        eprintln!("{}", report.render_text());
    }
    print_timings(&report);
    if report.has_errors() {
        eprintln!("Build failed: {}. The previous output was left as it was.", summary(&report));
        return ExitCode::from(SITE_ERRORS);
    }
    let out = report.out.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
    println!(
        "Built {} items into {} files in {out} in {:.2} s ({})",
        report.items,
        report.pages,
        report.elapsed.as_secs_f64(),
        summary(&report)
    );
    ExitCode::SUCCESS
}

fn check(dir: PathBuf, format: Format, strict: bool, drafts: bool) -> ExitCode {
    let report = match charted::check(&dir, drafts, None) {
        Ok(report) => report,
        Err(err) => return fail(err),
    };
    match format {
        Format::Json => match serde_json::to_string_pretty(&report.diagnostics) {
            Ok(json) => println!("{json}"),
            Err(err) => return fail(err),
        },
        Format::Github => {
            for d in &report.diagnostics {
                println!("{}", github_annotation(&dir, d));
            }
            println!("Checked {} items in {}: {}", report.items, dir.display(), summary(&report));
        }
        Format::Text => {
            if !report.diagnostics.is_empty() {
                eprintln!("{}", report.render_text());
            }
            println!("Checked {} items in {}: {}", report.items, dir.display(), summary(&report));
        }
    }
    let failed = report.has_errors() || (strict && report.count(Severity::Warning) > 0);
    if failed { ExitCode::from(SITE_ERRORS) } else { ExitCode::SUCCESS }
}

fn serve(options: ServeOptions, open: bool) -> ExitCode {
    if !options.bind.is_loopback() {
        eprintln!("warning: listening on {}: anyone who can reach this machine can read the preview", options.bind);
    }
    let server = match charted::serve::start(&options) {
        Ok(server) => server,
        Err(err) => return fail(err),
    };
    println!("{}", server.first);
    println!("Serving {} at {}  (Ctrl-C to stop)", options.site.display(), server.url());
    if open && let Err(err) = ::open::that(server.url()) {
        eprintln!("warning: cannot open a browser: {err}; open {} yourself", server.url());
    }
    server.wait_for_ctrl_c();
    println!("Stopped.");
    server.stop();
    ExitCode::SUCCESS
}

/// A GitHub Actions workflow command: `::error file=F,line=L,col=C,title=T::message`.
/// Paths are made relative to the repository by prefixing the site folder.
fn github_annotation(dir: &std::path::Path, d: &charted::diagnostic::Diagnostic) -> String {
    // Escaping as GitHub's runner expects: data escapes %, CR, LF; properties also : and ,.
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let level = if d.severity == Severity::Error { "error" } else { "warning" };
    let mut props = Vec::new();
    if let Some(file) = &d.file {
        let path = dir.join(file);
        let path = path.to_string_lossy().replace('\\', "/");
        props.push(format!("file={}", property(path.trim_start_matches("./"))));
        if let Some(pos) = &d.pos {
            props.push(format!("line={}", pos.line));
            props.push(format!("col={}", pos.column));
        }
    }
    props.push(format!("title={}", property(&format!("charted {}", d.code))));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {}::{}", props.join(","), data(&message))
}

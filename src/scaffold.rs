//! Scaffolding: `charted init` writes a new site, `charted new` adds an item.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::did_you_mean;
use crate::load::{CONFIG_FILE, CONTENT_DIR};
use crate::model::Choice;
use crate::model::item::{suggest_id, valid_id};
use crate::model::{Kind, placeholders};

mod portfolio;

pub use portfolio::{NewPortfolio, init_portfolio};

static SKELETON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// Installs a charted release binary, checksum verified (see the file's header).
/// One source: `init` indents it into the Pages workflow, action.yml runs the file.
pub const INSTALL_SCRIPT: &str = include_str!("scaffold/install.sh");

/// The Pages workflow, relative to the site: a template that [`pages_workflow`] fills in.
pub(crate) const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// Fills in the Pages workflow template: this charted's version and repository
/// (Cargo.toml's, so a site never names a placeholder) and the install script,
/// indented as deep as its placeholder line.
pub(crate) fn pages_workflow(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + INSTALL_SCRIPT.len() * 2);
    for line in template.lines() {
        if line.trim() == "@INSTALL_SCRIPT@" {
            let indent = &line[..line.len() - line.trim_start().len()];
            for script_line in INSTALL_SCRIPT.lines() {
                // No trailing spaces on the blank lines of the block.
                if !script_line.is_empty() {
                    out.push_str(indent);
                    out.push_str(script_line);
                }
                out.push('\n');
            }
        } else {
            out.push_str(&fill(line));
            out.push('\n');
        }
    }
    out
}

/// A starter file with this charted's version and repository filled in.
fn fill(text: &str) -> String {
    text.replace("@CHARTED_VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@CHARTED_REPOSITORY@", env!("CARGO_PKG_REPOSITORY"))
}

/// Why scaffolding stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already has a charted site or other files; choose an empty or new folder")]
    NotEmpty(PathBuf),
    #[error("{0} already exists; pick another title or edit that file")]
    Exists(PathBuf),
    #[error("{0} is not a charted site (no {CONFIG_FILE}); pass --site with the site folder")]
    NotASite(PathBuf),
    #[error("`{0}` is not a valid id: ids are lowercase letters, digits and dashes, e.g. `--id {1}`")]
    InvalidId(String, String),
    #[error("the charter's file is always content/charter.md: leave out --id")]
    CharterId,
    #[error("unknown kind `{0}`; use one of: charter, vision, pain, solution, experiment, discovery, sla")]
    UnknownKind(String),
    #[error("--tests names the solution an experiment tests: leave it out for a {0}")]
    TestsNotExperiment(&'static str),
    #[error("--tests {id}: no solution has that id; {hint}")]
    UnknownSolution { id: String, hint: String },
    #[error(
        "--team {0}: write the team's short name, `=` and its source: `--team ci=../ci` (its site folder, relative to the portfolio) or `--team ci=https://acme.github.io/ci/items.json` (its published items.json)"
    )]
    TeamSource(String),
    #[error(
        "--team: the short name `{short}` {problem}; short names are lowercase letters, digits and dashes, e.g. `--team {fixed}=...`"
    )]
    InvalidTeam { short: String, problem: String, fixed: String },
    #[error("--team: the short name `{0}` is given twice; give each team one short name of its own")]
    DuplicateTeam(String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    // `create_new`: never overwrite, even a file created since the checks, and
    // never follow a symbolic link that points elsewhere.
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AlreadyExists {
            ScaffoldError::Exists(path.to_path_buf())
        } else {
            io(err)
        }
    })?;
    std::io::Write::write_all(&mut file, bytes).map_err(io)
}

fn collect(dir: &Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// Writes a new site into `dir` (created if needed; must be empty). Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    ensure_empty(dir)?;
    let mut files = Vec::new();
    collect(&SKELETON, &mut files);
    files.sort();
    // The sample discovery is dated the day `init` runs, so a new site does not
    // start with a `discovery-gap` warning.
    let dated = format!("date: {}", crate::today());
    for (rel, bytes) in &files {
        if rel.starts_with("content/discovery") {
            let text = String::from_utf8_lossy(bytes).replace("date: 2026-01-15", &dated);
            write(&dir.join(rel), text.as_bytes())?;
        } else if rel == Path::new(WORKFLOW_PATH) {
            let text = pages_workflow(&String::from_utf8_lossy(bytes));
            write(&dir.join(rel), text.as_bytes())?;
        } else if rel == Path::new(CONFIG_FILE) {
            write(&dir.join(rel), fill(&String::from_utf8_lossy(bytes)).as_bytes())?;
        } else {
            write(&dir.join(rel), bytes)?;
        }
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// `init` writes only into an empty or new folder.
fn ensure_empty(dir: &Path) -> Result<(), ScaffoldError> {
    let occupied = dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true);
    if occupied {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

/// Parses a kind as typed on the command line (`solution` or `solutions`).
pub fn parse_kind(word: &str) -> Result<Kind, ScaffoldError> {
    let word = word.to_ascii_lowercase();
    Kind::parse(&word).or_else(|| Kind::from_folder(&word)).ok_or(ScaffoldError::UnknownKind(word))
}

/// Adds an item file with its front matter filled in. Returns its path.
/// Its id (and file name) is `id` when given, else made from the title.
/// `tests` is the solution an experiment tests; without it `tests:` is left
/// empty, an error until filled: a guess would validate the wrong solution.
pub fn new_item(
    site: &Path,
    kind: Kind,
    title: &str,
    id: Option<&str>,
    tests: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    if !site.join(CONFIG_FILE).is_file() {
        return Err(ScaffoldError::NotASite(site.to_path_buf()));
    }
    let id = match id {
        Some(_) if kind == Kind::Charter => return Err(ScaffoldError::CharterId),
        Some(id) if !valid_id(id) => return Err(ScaffoldError::InvalidId(id.to_string(), suggest_id(id))),
        Some(id) => id.to_string(),
        None => suggest_id(title),
    };
    let content = site.join(CONTENT_DIR);
    if let Some(solution) = tests {
        check_solution(&content, kind, solution)?;
    }
    let path = match kind {
        Kind::Charter => content.join("charter.md"),
        _ => content.join(kind.folder()).join(format!("{id}.md")),
    };
    if path.exists() {
        return Err(ScaffoldError::Exists(path));
    }
    // Ids are unique across the site: a file of that name in any folder takes it.
    let taken = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.path().file_stem().is_some_and(|s| s.to_string_lossy() == id));
    if let Some(existing) = taken {
        return Err(ScaffoldError::Exists(existing.into_path()));
    }
    write(&path, front_matter(kind, title, tests).as_bytes())?;
    Ok(path)
}

/// `--tests` must name a solution of the site, as its files name them.
fn check_solution(content: &Path, kind: Kind, solution: &str) -> Result<(), ScaffoldError> {
    if kind != Kind::Experiment {
        return Err(ScaffoldError::TestsNotExperiment(kind.as_str()));
    }
    let ids = item_ids(&content.join(Kind::Solution.folder()));
    if ids.iter().any(|known| known == solution) {
        return Ok(());
    }
    let hint = match did_you_mean(solution, ids.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `--tests {close}`?"),
        None if ids.is_empty() => {
            "the site has no solutions yet: add one first with `charted new solution \"Title\"`".to_string()
        }
        None => format!("use the id of one under content/solutions/: {}", ids.join(", ")),
    };
    Err(ScaffoldError::UnknownSolution { id: solution.to_string(), hint })
}

/// The ids of the item files under a folder, sorted.
fn item_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    ids.sort();
    ids
}

/// What the author fills in next, after `new` wrote an item of `kind`, one line each.
pub fn next_steps(kind: Kind, tests: Option<&str>) -> Vec<String> {
    let mut steps = Vec::new();
    if kind == Kind::Experiment && tests.is_none() {
        steps.push("tests: the id of the solution it tests (`check` fails until it names one)".to_string());
    }
    let fields: Vec<&str> = placeholders::of(kind)
        .iter()
        .map(|p| if p.field == placeholders::BODY { "the body" } else { p.field })
        .collect();
    if let Some((last, rest)) = fields.split_last() {
        let listed = if rest.is_empty() { last.to_string() } else { format!("{} and {last}", rest.join(", ")) };
        steps.push(format!("{listed}: replace the placeholder text (`check` warns while it is left)"));
    }
    if kind == Kind::Experiment {
        steps.push("started and ends when it starts; result and status when it ends".to_string());
    }
    steps
}

fn front_matter(kind: Kind, title: &str, solution: Option<&str>) -> String {
    use placeholders::{FALSIFIED_IF, HYPOTHESIS, METHOD, OBJECTIVE, SERVICE, SUMMARY, TEXT};
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"Untitled\"".into());
    let today = crate::today();
    let fields = match kind {
        Kind::Charter => "team: Our team\nmode: innovation\nsplit: 70/30\nusers: []\n".to_string(),
        Kind::Vision => format!("horizon: {}\n", today.year() + 3),
        Kind::Pain => "users: []\nreach: 10\nseverity: 3\nfrequency: weekly\nbucket: Unsorted\nevidence: []\ncategory: immediate\nstatus: open\n".into(),
        Kind::Solution => "addresses: []\nadvances: []\ncategory: immediate\neffort: 2\nphase: later\n".into(),
        // A planned experiment has no `started:`: it has not started.
        Kind::Experiment => format!(
            "tests:{}\nhypothesis: {}\nfalsified_if: {}\nmethod: {}\nstatus: planned\n",
            solution.map(|s| format!(" {s}")).unwrap_or_default(),
            HYPOTHESIS.text,
            FALSIFIED_IF.text,
            METHOD.text
        ),
        Kind::Discovery => format!("method: coffee-chat\ndate: {today}\nparticipants: []\nsurfaces: []\n"),
        Kind::Sla => format!(
            "service: {}\nobjective: {}\nexpected: 99.9\ncurrent: 99.0\nunit: \"%\"\nbetter: higher\npains: []\n",
            SERVICE.text, OBJECTIVE.text
        ),
    };
    let date = if kind == Kind::Discovery { String::new() } else { format!("date: {today}\n") };
    format!("---\ntitle: {title}\nsummary: {}\n{fields}{date}---\n\n{}\n", SUMMARY.text, TEXT.text)
}

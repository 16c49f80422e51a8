//! `charted init --portfolio`: a portfolio site over the teams' sites, with the
//! shared vocabulary and the workflow that checks the teams out and publishes it.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ScaffoldError, ensure_empty, fill, pages_workflow, write};
use crate::load::CONFIG_FILE;
use crate::model::item::{id_problem, suggest_id};

const CHARTER: &str = include_str!("portfolio/content/charter.md");
const WORKFLOW: &str = include_str!("portfolio/.github/workflows/charted.yml");
const GITIGNORE: &str = include_str!("portfolio/.gitignore");

/// The portfolio's workflow, relative to its folder.
const PORTFOLIO_WORKFLOW_PATH: &str = ".github/workflows/charted.yml";

/// The title of the team starter (`charted init`): a team that still has it
/// is named by its folder, so two new teams are not both "Our team".
const STARTER_TITLE: &str = "Our team";

/// The organisation, as the portfolio's charter names it; the vocabulary lists it.
const ORGANISATION: &str = "Infrastructure";

/// Where a team's site comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// Its site folder, relative to the portfolio's folder.
    Path(String),
    /// The URL of its published items.json.
    Items(String),
}

/// One team of the new portfolio.
#[derive(Debug, Clone)]
struct Team {
    short: String,
    source: Source,
    /// Its name in the vocabulary: its site's title, else its short name.
    name: String,
    /// Its site still has the starter's title (and so its charter's
    /// `team: Our team`): the entry names it, or two new teams look alike.
    starter: bool,
}

/// What `init --portfolio` wrote: its files, and each team listed with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPortfolio {
    pub files: Vec<PathBuf>,
    /// `ci: ../ci`, one a team, in `portfolio:` order.
    pub teams: Vec<String>,
}

/// Writes a portfolio site into `dir` (created if needed; must be empty).
/// `teams` are `SHORT=SOURCE` as typed after `--team`; without any, every
/// sibling folder of `dir` that holds a team's site is listed.
pub fn init_portfolio(dir: &Path, teams: &[String]) -> Result<NewPortfolio, ScaffoldError> {
    ensure_empty(dir)?;
    let teams = if teams.is_empty() { siblings(dir) } else { given(dir, teams)? };
    let folder = own_folder(dir);
    let files: Vec<(&str, String)> = vec![
        (".gitignore", GITIGNORE.to_string()),
        (PORTFOLIO_WORKFLOW_PATH, workflow(&folder, &teams)),
        (CONFIG_FILE, config(&teams)),
        ("content/charter.md", CHARTER.to_string()),
        ("vocabulary.yaml", vocabulary(&folder, &teams)),
    ];
    for (rel, text) in &files {
        write(&dir.join(rel), text.as_bytes())?;
    }
    Ok(NewPortfolio {
        files: files.iter().map(|(rel, _)| PathBuf::from(rel)).collect(),
        teams: teams.iter().map(|t| format!("{}: {}", t.short, t.source.text())).collect(),
    })
}

impl Source {
    fn text(&self) -> &str {
        match self {
            Source::Path(path) | Source::Items(path) => path,
        }
    }
}

/// The teams given with `--team SHORT=SOURCE`, in the order given.
fn given(dir: &Path, args: &[String]) -> Result<Vec<Team>, ScaffoldError> {
    let mut teams: Vec<Team> = Vec::new();
    for arg in args {
        let Some((short, source)) = arg.split_once('=').filter(|(_, s)| !s.trim().is_empty()) else {
            return Err(ScaffoldError::TeamSource(arg.clone()));
        };
        let short = short.trim();
        if let Some(problem) = id_problem(short) {
            let fixed = suggest_id(short);
            return Err(ScaffoldError::InvalidTeam { short: short.to_string(), problem, fixed });
        }
        if teams.iter().any(|t| t.short == short) {
            return Err(ScaffoldError::DuplicateTeam(short.to_string()));
        }
        let source = source.trim();
        if source.chars().any(char::is_control) {
            return Err(ScaffoldError::TeamSource(arg.clone()));
        }
        let source = if crate::config::is_web_url(source) {
            Source::Items(source.to_string())
        } else {
            Source::Path(source.replace('\\', "/"))
        };
        let title = match &source {
            Source::Path(path) => site_of(&beside(dir, path)).and_then(|s| s.title),
            Source::Items(_) => None,
        };
        let starter = title.as_deref() == Some(STARTER_TITLE);
        teams.push(Team { short: short.to_string(), name: name_of(title, short, &teams), source, starter });
    }
    Ok(teams)
}

/// The folder `rel` names from `dir`, resolved by its words: `dir` does not
/// exist yet, so the file system cannot follow `..` out of it.
fn beside(dir: &Path, rel: &str) -> PathBuf {
    let mut out = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    for part in Path::new(rel).components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every sibling folder of `dir` with a team's site (not a portfolio), by name.
fn siblings(dir: &Path) -> Vec<Team> {
    let Ok(absolute) = std::path::absolute(dir) else { return Vec::new() };
    let (Some(parent), own) = (absolute.parent(), absolute.file_name()) else { return Vec::new() };
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let mut found: Vec<(String, Option<String>)> = entries
        .filter_map(Result::ok)
        .filter(|e| Some(e.file_name().as_os_str()) != own)
        .filter_map(|e| Some((e.file_name().into_string().ok()?, site_of(&e.path())?)))
        .filter(|(_, site)| !site.portfolio)
        .map(|(folder, site)| (folder, site.title))
        .collect();
    found.sort();
    let mut teams: Vec<Team> = Vec::new();
    for (folder, title) in found {
        let short = suggest_id(&folder);
        if id_problem(&short).is_some() || teams.iter().any(|t| t.short == short) {
            continue;
        }
        let starter = title.as_deref() == Some(STARTER_TITLE);
        let name = name_of(title, &short, &teams);
        teams.push(Team { short, name, source: Source::Path(format!("../{folder}")), starter });
    }
    teams
}

/// What `init` needs to know of a folder's site.
struct SiteInfo {
    title: Option<String>,
    /// It lists teams itself.
    portfolio: bool,
}

/// The title of the site in `folder` and whether it is a portfolio; `None`
/// when it has no readable charted.yaml.
fn site_of(folder: &Path) -> Option<SiteInfo> {
    let text = fs::read_to_string(folder.join(CONFIG_FILE)).ok()?;
    let Ok(node) = crate::load::yaml::parse(&text, 1) else {
        return Some(SiteInfo { title: None, portfolio: false });
    };
    let crate::load::yaml::Value::Map(fields) = node.value else {
        return Some(SiteInfo { title: None, portfolio: false });
    };
    let field = |name: &str| fields.iter().find(|(key, _)| key.name == name).map(|(_, node)| &node.value);
    let title = match field("title") {
        Some(crate::load::yaml::Value::Str(title)) if !title.trim().is_empty() => Some(title.trim().to_string()),
        _ => None,
    };
    Some(SiteInfo { title, portfolio: field("portfolio").is_some() })
}

/// A team's name in the vocabulary: its site's title, unless that is the
/// starter's or another team's already; then its short name.
fn name_of(title: Option<String>, short: &str, before: &[Team]) -> String {
    let taken = |name: &str| {
        name.eq_ignore_ascii_case(ORGANISATION) || before.iter().any(|t| t.name.eq_ignore_ascii_case(name))
    };
    match title {
        Some(title) if title != STARTER_TITLE && !taken(&title) => title,
        _ => short.to_string(),
    }
}

/// The portfolio's own folder name, as the workflow checks it out: a plain
/// name, else `portfolio` (the workflow would need quoting for any other).
fn own_folder(dir: &Path) -> String {
    let name = std::path::absolute(dir).ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    name.filter(|n| plain_folder(n)).unwrap_or_else(|| "portfolio".to_string())
}

fn plain_folder(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// A YAML scalar: plain when it is safe so, else double-quoted (JSON's
/// quoting is YAML's).
fn scalar(text: &str) -> String {
    let safe = text.bytes().all(|b| b.is_ascii_alphanumeric() || b"./_-:~ ".contains(&b))
        && text.trim() == text
        && !text.contains(": ");
    let starts_well = text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '.' || c == '/');
    // Words YAML reads as another type than text.
    let typed = ["null", "true", "false", "yes", "no", "on", "off"].iter().any(|w| text.eq_ignore_ascii_case(w));
    if safe && starts_well && !typed && !text.ends_with(':') {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
    }
}

fn config(teams: &[Team]) -> String {
    let mut out = fill(
        "# charted portfolio settings; every field is described in\n\
         # @CHARTED_REPOSITORY@/blob/v@CHARTED_VERSION@/docs/reference/config.md\n\
         # and portfolios in @CHARTED_REPOSITORY@/blob/v@CHARTED_VERSION@/docs/portfolio.md\n\
         title: Infrastructure\n\
         description: Our infrastructure teams' charters, roadmaps and discovery, in one place.\n\
         # Where the site is published. For a GitHub Pages project site:\n\
         # base_url: https://<owner>.github.io/<repository>/\n\
         base_url: /\n\
         # Asks search engines not to index the site; see the publishing guide to keep people out.\n\
         noindex: true\n\
         # The teams' shared names: a team's site can read the same file (see the file).\n\
         vocabulary: vocabulary.yaml\n\
         # The teams, one entry a team. `team:` is the short name that `team:id`\n\
         # references use; `path:` is the team's site folder, relative to this one\n\
         # (the workflow checks each team out beside this folder); `items:` is the\n\
         # address of a team's published items.json instead, for a team whose\n\
         # sources the portfolio does not read.\n",
    );
    if teams.is_empty() {
        out.push_str(
            "# No team's site was found beside this folder: list them here, e.g.\n\
             # portfolio:\n\
             #   - team: ci\n\
             #     path: ../ci\n\
             #   - team: data\n\
             #     items: https://acme.github.io/data-roadmap/items.json\n",
        );
    } else {
        out.push_str("portfolio:\n");
        for team in teams {
            let (field, value) = match &team.source {
                Source::Path(path) => ("path", path),
                Source::Items(url) => ("items", url),
            };
            out.push_str(&format!("  - team: {}\n    {field}: {}\n", team.short, scalar(value)));
            if team.starter {
                out.push_str(&format!(
                    "    # Its site still has the starter's title, \"{STARTER_TITLE}\": delete this\n    \
                     # `name:` once its charter's `team:` names the team.\n    name: {}\n",
                    scalar(&team.name)
                ));
            }
        }
    }
    out.push_str(
        "# What the shared discovery ledger allows one team to give to the others'\n\
         # discovery in a quarter; `check` warns `discovery-fatigue` beyond it.\n\
         # portfolio_limits:\n\
         #   askers_per_quarter: 2\n\
         #   hours_per_quarter: 40\n",
    );
    out
}

fn vocabulary(folder: &str, teams: &[Team]) -> String {
    let mut out = format!(
        "# The organisation's shared names: this portfolio and every team's site read\n\
         # them, so the same team has the same name everywhere. A team's site reads\n\
         # this file with `vocabulary: ../{folder}/vocabulary.yaml` in its charted.yaml\n\
         # (or the file's published address). A team's short name in `portfolio:` is\n\
         # its name or one of its `aliases:`, so `team:id` references find it.\n\
         teams:\n"
    );
    for team in teams {
        out.push_str(&format!("  - name: {}\n", scalar(&team.name)));
        if team.name != team.short {
            out.push_str(&format!("    aliases: [{}]\n", team.short));
        }
        let site = match &team.source {
            Source::Items(url) => url.strip_suffix("items.json").unwrap_or("https://<owner>.github.io/<repository>/"),
            Source::Path(path) => path
                .rsplit('/')
                .find(|p| !p.is_empty() && *p != "..")
                .filter(|p| plain_folder(p))
                .unwrap_or(&team.short),
        };
        let site = if site.contains("://") { site.to_string() } else { format!("https://<owner>.github.io/{site}/") };
        out.push_str(&format!("    # Its published site, for links to its items:\n    # site: {site}\n"));
    }
    out.push_str(&format!(
        "  - {ORGANISATION}    # the organisation itself, as its charter names it\n\
         user_groups:\n\
         \x20 - Product engineers\n\
         \x20 - Data engineers\n"
    ));
    out
}

/// The workflow: the team starter's, with the portfolio checked out into
/// `folder` and each path team's repository beside it.
fn workflow(folder: &str, teams: &[Team]) -> String {
    let mut out = String::new();
    for line in WORKFLOW.lines() {
        if line.trim() == "@TEAM_CHECKOUTS@" {
            let indent = &line[..line.len() - line.trim_start().len()];
            for step in checkouts(folder, teams).lines() {
                if !step.is_empty() {
                    out.push_str(indent);
                    out.push_str(step);
                }
                out.push('\n');
            }
        } else {
            out.push_str(&line.replace("@PORTFOLIO_FOLDER@", folder));
            out.push('\n');
        }
    }
    pages_workflow(&out)
}

/// The checkout steps of the path teams' repositories, each into the folder
/// its `path:` names beside the portfolio; other teams as comments.
fn checkouts(folder: &str, teams: &[Team]) -> String {
    let mut out = String::from(
        "# Each team's site, checked out beside this portfolio where its `path:` expects it.\n\
         # Change `repository:` where a team's repository has another name or owner.\n\
         # A private team repository needs a token that may read it: add to its `with:`\n\
         # `token: ${{ secrets.TEAMS_READ_TOKEN }}` (a fine-grained token, Contents: read).\n",
    );
    if teams.is_empty() {
        out.push_str("# No team yet: add one step a team, as `charted init --portfolio --team` writes them.\n");
    }
    for team in teams {
        match &team.source {
            Source::Items(_) => {
                out.push_str(&format!("# {}: charted downloads its items.json; nothing to check out.\n", team.short))
            }
            Source::Path(path) => match path.strip_prefix("../").map(|p| p.trim_end_matches('/')) {
                Some(sibling) if plain_folder(sibling) => out.push_str(&format!(
                    "- name: Check out {short}'s site\n  uses: actions/checkout@v7\n  with:\n    \
                     repository: ${{{{ github.repository_owner }}}}/{sibling}\n    path: {sibling}\n",
                    short = team.short
                )),
                _ => out.push_str(&format!(
                    "# {}: check its site out so that {path} (from {folder}/) holds it, or add\n\
                     # `submodules: true` to the portfolio's checkout if it is a submodule.\n",
                    team.short
                )),
            },
        }
    }
    out
}

//! `portfolio:` and `portfolio_limits:` in charted.yaml: the team sites a
//! portfolio is built from, and the limits of the shared discovery ledger.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::fields::Fields;
use crate::load::yaml::{Node, Value};

/// Where a portfolio reads a team from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `path:`, the team's site folder, relative to the portfolio's folder.
    Site(PathBuf),
    /// `items:`, the team's published `items.json`: a file path (relative
    /// to the portfolio's folder) or an http(s) URL.
    Items(String),
}

impl Source {
    /// As charted.yaml writes it.
    pub fn shown(&self) -> String {
        match self {
            Source::Site(path) => path.display().to_string(),
            Source::Items(location) => location.clone(),
        }
    }

    /// An http(s) URL, fetched rather than read.
    pub fn is_url(&self) -> bool {
        matches!(self, Source::Items(l) if crate::config::is_web_url(l))
    }
}

/// One team of a portfolio: `{team: ci, path: ../ci-site}` or
/// `{team: ci, items: https://acme.github.io/ci/items.json}`.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamEntry {
    /// The short name (`team:`), an id.
    pub team: String,
    pub source: Source,
    /// Where `path:` or `items:` was written (a source that cannot be read is an error there).
    pub source_pos: Pos,
    /// `name:`; else the team's charter `team:`.
    pub name: Option<String>,
    /// `site:`, the team's published address; else the shared vocabulary's.
    pub site: Option<String>,
    /// Where the entry was written.
    pub pos: Pos,
}

/// The fields of one `portfolio:` entry.
pub const ENTRY_FIELDS: &[&str] = &["team", "path", "items", "name", "site"];

/// `portfolio_limits:`: what the shared discovery ledger allows one team to
/// give in one calendar quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// How many teams may ask one team for discovery time in a quarter.
    pub askers_per_quarter: usize,
    /// How many hours one team may give to other teams' discovery in a quarter.
    pub hours_per_quarter: Option<f64>,
    /// Where `portfolio_limits:` was written.
    pub pos: Option<Pos>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { askers_per_quarter: 2, hours_per_quarter: None, pos: None }
    }
}

/// The fields of `portfolio_limits:`.
pub const LIMITS_FIELDS: &[&str] = &["askers_per_quarter", "hours_per_quarter"];

/// `portfolio:`, a list of entries; a duplicate short name is an error at
/// its second entry, which is left out.
pub(crate) fn read(file: &Path, node: &Node, diags: &mut Diagnostics) -> Vec<TeamEntry> {
    let Value::List(entries) = &node.value else {
        diags.push(
            Diagnostic::error(
                "invalid-portfolio",
                format!("`portfolio` must be a list of teams, but it is {}", node.value.describe()),
            )
            .at(file, Some(node.pos))
            .help("write one entry a team: `portfolio: [{team: ci, path: ../ci-site}]`"),
        );
        return Vec::new();
    };
    let mut seen: HashMap<String, Pos> = HashMap::new();
    let mut out = Vec::new();
    for node in entries {
        let Some(entry) = read_entry(file, node, diags) else { continue };
        if let Some(first) = seen.get(&entry.team) {
            diags.push(
                Diagnostic::error(
                    "duplicate-team",
                    format!("the portfolio lists the team `{}` twice (first at line {})", entry.team, first.line),
                )
                .at(file, Some(entry.pos))
                .help("give each team one entry, with a short name of its own"),
            );
            continue;
        }
        seen.insert(entry.team.clone(), entry.pos);
        out.push(entry);
    }
    out
}

fn read_entry(file: &Path, node: &Node, diags: &mut Diagnostics) -> Option<TeamEntry> {
    let mut f = Fields::new(file, node, "a `portfolio` entry", diags)?;
    let team = f.required_string("team", "ci");
    let path = f.string("path");
    let items = f.string("items");
    let name = f.string("name").map(|n| n.value.trim().to_string()).filter(|n| !n.is_empty());
    let site = f.string("site");
    if let Some(problem) = team.as_ref().and_then(|t| crate::model::item::id_problem(&t.value).map(|p| (t, p))) {
        let (t, problem) = problem;
        f.report(
            Diagnostic::error("invalid-id", format!("the team's short name `{}` {problem}", t.value))
                .at(file, Some(t.pos))
                .help(format!(
                    "write lowercase letters, digits and dashes, such as `{}`",
                    crate::model::item::suggest_id(&t.value)
                )),
        );
        f.finish(ENTRY_FIELDS);
        return None;
    }
    let site = site.and_then(|s| match crate::config::normalize_base_url(&s.value) {
        Ok(url) if crate::config::is_web_url(&url) => Some(url),
        _ => {
            f.report(
                Diagnostic::error("invalid-site-url", format!("the team's `site` is `{}`, which is not an http(s) URL", s.value))
                    .at(file, Some(s.pos))
                    .help("write the address of the team's published charted site, such as `https://acme.github.io/ci-roadmap/`"),
            );
            None
        }
    });
    let source = match (path, items) {
        (Some(path), None) => Some((Source::Site(PathBuf::from(path.value)), path.pos)),
        (None, Some(items)) => Some((Source::Items(items.value), items.pos)),
        (Some(_), Some(items)) => {
            f.report(
                Diagnostic::error("invalid-portfolio", "a `portfolio` entry has both `path` and `items`")
                    .at(file, Some(items.pos))
                    .help("give the team's site folder (`path:`) or its published items.json (`items:`), not both"),
            );
            None
        }
        (None, None) => {
            f.report(
                Diagnostic::error("invalid-portfolio", "a `portfolio` entry has neither `path` nor `items`")
                    .at(file, Some(node.pos))
                    .help("add `path: ../ci-site` (the team's site folder) or `items: https://acme.github.io/ci/items.json` (its published items)"),
            );
            None
        }
    };
    f.finish(ENTRY_FIELDS);
    let (source, source_pos) = source?;
    Some(TeamEntry { team: team?.value, source, source_pos, name, site, pos: node.pos })
}

/// `portfolio_limits: {askers_per_quarter: 2, hours_per_quarter: 40}`.
pub(crate) fn read_limits(file: &Path, node: &Node, diags: &mut Diagnostics) -> Limits {
    let mut limits = Limits { pos: Some(node.pos), ..Limits::default() };
    let Some(mut f) = Fields::new(file, node, "`portfolio_limits`", diags) else {
        return limits;
    };
    if let Some(n) = f.integer("askers_per_quarter", 1, 1_000, "2") {
        limits.askers_per_quarter = n.value as usize;
    }
    limits.hours_per_quarter =
        f.number_within("hours_per_quarter", 0.0, false, crate::model::item::MAX_AMOUNT, "40").map(|h| h.value);
    f.finish(LIMITS_FIELDS);
    limits
}

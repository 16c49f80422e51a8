//! The canonical names of teams and user groups (`teams:` and `user_groups:`),
//! each with its aliases: read from charted.yaml, from an organisation's
//! shared vocabulary file, or both merged (the site's own lists add to the
//! shared ones).

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::fields::Fields;
use crate::load::yaml::{Node, Value};
use crate::model::names::{group_key, team_key};

/// One canonical name and the other spellings that mean it.
#[derive(Debug, Clone, PartialEq)]
pub struct Canonical {
    pub name: String,
    pub aliases: Vec<String>,
    /// Where the entry was written.
    pub pos: Pos,
    /// A team's published charted site (`site:`), an absolute http(s) URL
    /// ending in `/`: where a reference to that team's items can link.
    pub site: Option<String>,
}

/// The declared teams and user groups; `None` where no list is given (then
/// spellings are merged instead, see `model::names`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    pub teams: Option<Vec<Canonical>>,
    pub user_groups: Option<Vec<Canonical>>,
    /// The shared vocabulary file the lists come from in part, as
    /// charted.yaml names it (a path or a URL): for messages.
    pub shared: Option<String>,
}

impl Vocabulary {
    /// The declared team `name` spells (its name or an alias), if any.
    fn team(&self, name: &str) -> Option<&Canonical> {
        let key = team_key(name);
        let teams = self.teams.as_deref().unwrap_or_default();
        teams.iter().find(|t| team_key(&t.name) == key || t.aliases.iter().any(|a| team_key(a) == key))
    }

    /// The published site of the team `short` names (its name or an alias).
    pub(crate) fn site_of(&self, short: &str) -> Option<&str> {
        self.team(short)?.site.as_deref()
    }

    /// Whether two spellings name one team: the same declared team, or the
    /// same name ("CI" and "ci team").
    pub(crate) fn same_team(&self, a: &str, b: &str) -> bool {
        let key = |name: &str| team_key(self.team(name).map_or(name, |t| t.name.as_str()));
        key(a) == key(b)
    }
}

/// The fields of one entry written as a mapping (`site` for teams only).
pub const ENTRY_FIELDS: &[&str] = &["name", "aliases", "site"];

/// The fields of a shared vocabulary file.
pub const FILE_FIELDS: &[&str] = &["teams", "user_groups"];

/// A list of names: each entry is a bare name (`- Payments`) or
/// `{name: Payments, aliases: [Payments team], site: https://…}`. `what` is the field's name.
pub(crate) fn read_list(file: &Path, node: &Node, what: &str, diags: &mut Diagnostics) -> Vec<Canonical> {
    let entries: &[Node] = match &node.value {
        Value::List(items) => items,
        _ => std::slice::from_ref(node),
    };
    entries.iter().filter_map(|entry| read_entry(file, entry, what, diags)).collect()
}

fn read_entry(file: &Path, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Canonical> {
    if let Value::Str(name) = &node.value {
        return named(file, name, Vec::new(), node.pos, what, diags);
    }
    let mut f = Fields::new(file, node, &format!("a `{what}` entry"), diags)?;
    let name = f.required_string("name", "Payments");
    let aliases = f.strings("aliases").into_iter().map(|a| a.value).collect();
    let site = if what == "teams" { f.string("site").and_then(|s| site_url(&mut f, s.value, s.pos)) } else { None };
    f.finish(if what == "teams" { ENTRY_FIELDS } else { &ENTRY_FIELDS[..2] });
    let mut entry = name.and_then(|n| named(file, &n.value, aliases, node.pos, what, diags))?;
    entry.site = site;
    Some(entry)
}

/// A team's `site:`: an absolute http(s) URL with a host, given a trailing `/`.
fn site_url(f: &mut Fields<'_>, raw: String, pos: Pos) -> Option<String> {
    let checked = if crate::config::is_web_url(raw.trim()) {
        crate::config::normalize_base_url(&raw)
    } else {
        Err("which is not an http(s) URL")
    };
    match checked {
        Ok(url) => Some(url),
        Err(why) => {
            f.report(
                Diagnostic::error("invalid-site-url", format!("the team's `site` is `{raw}`, {why}"))
                    .at(f.file(), Some(pos))
                    .help("write the address of the team's published charted site, such as `https://acme.github.io/ci-roadmap/`"),
            );
            None
        }
    }
}

fn named(
    file: &Path,
    name: &str,
    aliases: Vec<String>,
    pos: Pos,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Canonical> {
    let name = name.trim();
    if name.is_empty() {
        diags.push(
            Diagnostic::error("missing-field", format!("a `{what}` entry has an empty name"))
                .at(file, Some(pos))
                .help("write the name, e.g. `- Payments` or `- {name: Payments, aliases: [Payments team]}`"),
        );
        return None;
    }
    Some(Canonical { name: name.to_string(), aliases, pos, site: None })
}

/// A shared vocabulary file (`teams:` and `user_groups:`, as in
/// charted.yaml); `file` is its name as charted.yaml gives it.
pub(crate) fn read_file(file: &Path, node: &Node, diags: &mut Diagnostics) -> Vocabulary {
    let mut vocabulary = Vocabulary { shared: Some(file.to_string_lossy().into_owned()), ..Vocabulary::default() };
    let Some(mut f) = Fields::new(file, node, "a vocabulary file", diags) else {
        return vocabulary;
    };
    // Marked as read here; read below, once `f` has let go of `diags`.
    let _ = (f.node("teams"), f.node("user_groups"));
    f.finish(FILE_FIELDS);
    let Value::Map(entries) = &node.value else {
        return vocabulary;
    };
    let set = |name: &str| entries.iter().find(|(k, v)| k.name == name && v.value != Value::Null).map(|(_, v)| v);
    vocabulary.teams = set("teams").map(|n| read_list(file, n, "teams", diags));
    vocabulary.user_groups = set("user_groups").map(|n| read_list(file, n, "user_groups", diags));
    vocabulary
}

/// The shared lists with the site's own added: an own entry whose name is a
/// shared name adds its aliases (and, when the shared entry has none, its
/// `site`) to that entry; any other spelling the two lists both claim is an
/// error at the site's entry (`own_file`), which is then left out.
pub(crate) fn merge(shared: Vocabulary, own: Vocabulary, own_file: &Path, diags: &mut Diagnostics) -> Vocabulary {
    let label = shared.shared.clone().unwrap_or_default();
    let mut lists = |shared: Option<Vec<Canonical>>, own: Option<Vec<Canonical>>, what, key| match (shared, own) {
        (Some(shared), Some(own)) => Some(merge_list(shared, own, (what, key), (own_file, &label), diags)),
        (shared, own) => shared.or(own),
    };
    let teams = lists(shared.teams, own.teams, "teams", team_key as fn(&str) -> String);
    let user_groups = lists(shared.user_groups, own.user_groups, "user_groups", group_key);
    Vocabulary { teams, user_groups, shared: shared.shared }
}

fn merge_list(
    mut list: Vec<Canonical>,
    own: Vec<Canonical>,
    (what, key): (&str, fn(&str) -> String),
    (own_file, shared_file): (&Path, &str),
    diags: &mut Diagnostics,
) -> Vec<Canonical> {
    for entry in own {
        // Which shared entry each of the entry's spellings already belongs to.
        let owner = |spelling: &str| {
            let k = key(spelling);
            list.iter().position(|c| std::iter::once(&c.name).chain(&c.aliases).any(|s| key(s) == k))
        };
        let same = list.iter().position(|c| key(&c.name) == key(&entry.name));
        let clash = std::iter::once(&entry.name)
            .chain(&entry.aliases)
            .find_map(|s| owner(s).filter(|&at| Some(at) != same).map(|at| (s.clone(), list[at].name.clone())));
        if let Some((spelling, theirs)) = clash {
            diags.push(
                Diagnostic::error(
                    "vocabulary-conflict",
                    format!("`{spelling}` in `{what}:` here is already `{theirs}` in the shared vocabulary {shared_file}"),
                )
                .at(own_file, Some(entry.pos))
                .help(format!(
                    "write `{theirs}` as the shared vocabulary does, or remove the entry here; a site's own `{what}:` may only add names and aliases the shared file does not use"
                )),
            );
            continue;
        }
        match same {
            Some(at) => {
                let shared = &mut list[at];
                shared.aliases.extend(entry.aliases);
                shared.site = shared.site.take().or(entry.site);
            }
            None => list.push(entry),
        }
    }
    list
}

/// Where a shared vocabulary file is (`vocabulary:` in charted.yaml).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A file, relative to the site folder (or absolute).
    Path(PathBuf),
    /// An http(s) URL, fetched.
    Url(String),
}

/// `vocabulary:` as read, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSource {
    pub source: Source,
    pub pos: Pos,
}

impl Source {
    /// The file as messages name it: the path as written, or the URL.
    pub fn label(&self) -> PathBuf {
        match self {
            Source::Path(path) => path.clone(),
            Source::Url(url) => PathBuf::from(url),
        }
    }
}

/// Reads `vocabulary:`: an http(s) URL with a host and no user name, or a path.
pub(crate) fn source(raw: &str) -> Result<Source, &'static str> {
    let raw = raw.trim();
    if crate::config::is_web_url(raw) {
        let url = url::Url::parse(raw).map_err(|_| "which is not a valid URL")?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err("which has no host");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("which has a user name or password in it; publish the file where it can be read without one");
        }
        return Ok(Source::Url(url.to_string()));
    }
    if raw.contains("://") {
        return Err("which is a URL charted cannot fetch (only http and https)");
    }
    if raw.is_empty() || raw.chars().any(char::is_control) {
        return Err("which is not a path");
    }
    Ok(Source::Path(PathBuf::from(raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str, aliases: &[&str]) -> Canonical {
        Canonical {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            pos: Pos::default(),
            site: None,
        }
    }

    #[test]
    fn sources_are_paths_or_web_urls() {
        assert_eq!(source("../org/vocabulary.yaml"), Ok(Source::Path("../org/vocabulary.yaml".into())));
        assert_eq!(source("https://acme.dev/v.yaml"), Ok(Source::Url("https://acme.dev/v.yaml".into())));
        for bad in ["", "ftp://acme.dev/v.yaml", "https://u:p@acme.dev/v.yaml", "https://", "a\u{7}b"] {
            assert!(source(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn own_lists_add_to_the_shared_ones_and_a_clash_is_left_out() {
        let shared = Vocabulary {
            teams: Some(vec![Canonical { site: Some("https://pay.dev/".into()), ..team("Payments", &["Pay"]) }]),
            user_groups: None,
            shared: Some("org.yaml".into()),
        };
        let own = Vocabulary {
            teams: Some(vec![team("payments team", &["Payers"]), team("Search", &[]), team("Till", &["pay"])]),
            user_groups: Some(vec![team("Devs", &[])]),
            shared: None,
        };
        let mut diags = Diagnostics::default();
        let merged = merge(shared, own, Path::new("charted.yaml"), &mut diags);
        let teams = merged.teams.unwrap();
        let names: Vec<_> = teams.iter().map(|t| (t.name.as_str(), t.aliases.join(","))).collect();
        assert_eq!(names, [("Payments", "Pay,Payers".to_string()), ("Search", String::new())]);
        assert_eq!(teams[0].site.as_deref(), Some("https://pay.dev/"));
        assert_eq!(merged.user_groups.unwrap()[0].name, "Devs");
        assert_eq!(merged.shared.as_deref(), Some("org.yaml"));
        let codes: Vec<_> = diags.sorted().iter().map(|d| d.code).collect();
        assert_eq!(codes, ["vocabulary-conflict"]);
    }
}

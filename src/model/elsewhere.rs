//! References to other teams' items, `ci:slow-pr-builds`: written in front
//! matter references and in body links (`[[ci:slow-pr-builds]]`). A team's
//! own build links them to the other team's published site (its `site:` in
//! the shared `teams:` list) and never fails on them; when the team is one
//! of the site's `neighbours:`, whose published items the load stage read,
//! they link to the item's page with its title, a missing id warns, and the
//! neighbour's references to this site's items show on them. A portfolio
//! build, which reads every team, checks them (`crate::portfolio::links`).

use std::collections::BTreeMap;

use super::kind::Kind;
use super::names::team_key;
use crate::diagnostic::Pos;
use crate::load::neighbours::Neighbour;
use crate::vocabulary::Vocabulary;
use crate::words::Choice;

/// One reference to another team's item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TeamRef {
    /// The front matter field it was written in, or `body` for a body link.
    pub field: &'static str,
    /// The other team's short name, as written (`ci`).
    pub team: String,
    pub id: String,
    /// The kind the field takes (a body link does not say).
    pub kind: Option<Kind>,
    /// Where it was written in the item's file.
    pub pos: Pos,
    /// The item's page on the team's published site, or the site's front
    /// page for a body link to a team whose items were not read; `None`
    /// when the vocabulary gives the team no `site:`.
    pub url: Option<String>,
    /// The item's title, when the team is a neighbour whose items were read.
    pub title: Option<String>,
    /// The team is a neighbour whose published items have no such item.
    pub missing: bool,
    /// Then, the closest id they hold.
    pub suggestion: Option<String>,
}

impl TeamRef {
    /// `ci:slow-pr-builds`, as written.
    pub fn spelled(&self) -> String {
        format!("{}:{}", self.team, self.id)
    }

    /// Where it is written, as a message names it: `` `addresses` `` or
    /// ``the body link `[[ci:slow-pr-builds]]` ``.
    pub fn written(&self) -> String {
        match self.field {
            "body" => format!("the body link `[[{}]]`", self.spelled()),
            field => format!("`{field}`"),
        }
    }
}

/// `team:id` split into its two parts, when `value` is one.
pub(crate) fn split(value: &str) -> Option<(&str, &str)> {
    value.split_once(':').filter(|(team, id)| !team.is_empty() && !id.is_empty())
}

/// One item of a neighbour, as its published items say.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Known {
    kind: Kind,
    title: String,
    url: String,
}

/// Where `team:id` references go: the published address of each team the
/// vocabulary gives a `site:`, and the items of the neighbours read, each
/// by the key of the team's name and of each alias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Addresses {
    sites: BTreeMap<String, String>,
    known: BTreeMap<String, BTreeMap<String, Known>>,
}

/// Where one reference goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// The item's page, or the team's site; none without an address.
    pub url: Option<String>,
    /// The item's title, when the team's published items were read.
    pub title: Option<String>,
    /// The team's published items were read, and hold no such item.
    pub missing: bool,
    /// Then, the closest id they hold.
    pub suggestion: Option<String>,
}

impl Addresses {
    pub(crate) fn of(vocabulary: &Vocabulary, neighbours: &[Neighbour]) -> Addresses {
        let mut sites = BTreeMap::new();
        for team in vocabulary.teams.iter().flatten() {
            let Some(site) = &team.site else { continue };
            for name in std::iter::once(&team.name).chain(&team.aliases) {
                sites.entry(team_key(name)).or_insert_with(|| site.clone());
            }
        }
        let mut known = BTreeMap::new();
        for n in neighbours {
            let items = n.items.items.iter().filter_map(|i| {
                let kind = Kind::parse(&i.kind)?;
                let url = absolute(&n.site, &i.url, kind, &i.id);
                Some((i.id.clone(), Known { kind, title: i.title.clone(), url }))
            });
            known.entry(team_key(&n.team)).or_insert_with(|| items.collect());
        }
        Addresses { sites, known }
    }

    /// Where `team:id` goes: the item's page when the team's published items
    /// have it (or, unread, when the field says its kind), else the team's site.
    pub(crate) fn find(&self, team: &str, id: &str, kind: Option<Kind>) -> Found {
        let key = team_key(team);
        let site = self.sites.get(&key);
        if let Some(items) = self.known.get(&key) {
            let fits = |k: &Known| kind.is_none_or(|kind| kind == k.kind);
            return match items.get(id).filter(|k| fits(k)) {
                Some(k) => {
                    Found { url: Some(k.url.clone()), title: Some(k.title.clone()), missing: false, suggestion: None }
                }
                None => {
                    let ids = items.iter().filter(|(_, k)| fits(k)).map(|(id, _)| id.as_str());
                    let suggestion = crate::diagnostic::did_you_mean(id, ids).map(String::from);
                    Found { url: site.cloned(), title: None, missing: true, suggestion }
                }
            };
        }
        let url = site.map(|site| match kind {
            Some(kind) => format!("{site}{}", super::url_of(kind, id)),
            None => site.clone(),
        });
        Found { url, title: None, missing: false, suggestion: None }
    }
}

/// An item's page on a neighbour's site: its published `url` when that is
/// absolute (the neighbour's `base_url` has a host), else under `site`.
fn absolute(site: &str, url: &str, kind: Kind, id: &str) -> String {
    if crate::config::is_web_url(url) { url.to_string() } else { format!("{site}{}", super::url_of(kind, id)) }
}

/// One reference to an item of this site from a neighbour's item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Inbound {
    /// The neighbour's name (its charter's `team:`, else its short name).
    pub team: String,
    /// The field it is written in (`addresses`), or `body`.
    pub field: String,
    pub title: String,
    pub url: String,
}

/// Per item of `items`, the neighbours' references to it: those whose team
/// is this site's own team (`own`, its charter's `team:`), through the vocabulary.
pub(crate) fn inbound(
    items: &[super::item::Item],
    own: Option<&str>,
    vocabulary: &Vocabulary,
    neighbours: &[Neighbour],
) -> Vec<Vec<Inbound>> {
    let mut out = vec![Vec::new(); items.len()];
    let Some(own) = own.filter(|_| !neighbours.is_empty()) else { return out };
    let index: BTreeMap<&str, usize> = items.iter().enumerate().map(|(i, item)| (item.id.as_str(), i)).collect();
    for n in neighbours {
        let charter = n.items.items.iter().find(|i| i.kind == Kind::Charter.as_str());
        let name = charter.and_then(|c| c.team.as_deref()).filter(|t| !t.trim().is_empty()).unwrap_or(&n.team);
        for item in &n.items.items {
            let Some(kind) = Kind::parse(&item.kind) else { continue };
            let url = absolute(&n.site, &item.url, kind, &item.id);
            for r in item.team_references.iter().filter(|r| vocabulary.same_team(&r.team, own)) {
                let Some(&to) = index.get(r.id.as_str()) else { continue };
                // A body link beside a front-matter reference to the same item says nothing new.
                if out[to].iter().any(|known: &Inbound| known.url == url) {
                    continue;
                }
                out[to].push(Inbound {
                    team: name.trim().to_string(),
                    field: r.field.clone(),
                    title: item.title.clone(),
                    url: url.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Canonical;

    fn team(name: &str, aliases: &[&str], site: Option<&str>) -> Canonical {
        Canonical {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            pos: Pos { line: 1, column: 1 },
            site: site.map(String::from),
        }
    }

    #[test]
    fn a_short_name_finds_the_site_by_name_or_alias() {
        let vocabulary = Vocabulary {
            teams: Some(vec![
                team("CI", &[], Some("https://acme.example/ci/")),
                team("Data Platform", &["data"], Some("https://acme.example/data/")),
                team("Web", &[], None),
            ]),
            ..Vocabulary::default()
        };
        let addresses = Addresses::of(&vocabulary, &[]);
        let url = |team, id, kind| addresses.find(team, id, kind).url;
        assert_eq!(
            url("ci", "slow-pr-builds", Some(Kind::Pain)).as_deref(),
            Some("https://acme.example/ci/pain/slow-pr-builds/")
        );
        assert_eq!(url("data", "etl", None).as_deref(), Some("https://acme.example/data/"));
        assert_eq!(url("web", "x", Some(Kind::Pain)), None);
        assert_eq!(url("ops", "x", Some(Kind::Pain)), None);
    }

    #[test]
    fn only_team_colon_id_is_a_team_reference() {
        assert_eq!(split("ci:slow-pr-builds"), Some(("ci", "slow-pr-builds")));
        assert_eq!(split("slow-pr-builds"), None);
        assert_eq!(split(":x"), None);
        assert_eq!(split("ci:"), None);
    }
}

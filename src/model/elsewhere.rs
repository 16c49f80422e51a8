//! References to other teams' items, `ci:slow-pr-builds`: written in front
//! matter references and in body links (`[[ci:slow-pr-builds]]`). A team's
//! own build cannot see the other team's items, so it does not resolve
//! them: it links them to the other team's published site (its `site:` in
//! the shared `teams:` list) and never fails on them. A portfolio build,
//! which reads every team, checks them (`crate::portfolio::links`).

use std::collections::BTreeMap;

use super::kind::Kind;
use super::names::team_key;
use crate::diagnostic::Pos;
use crate::vocabulary::Vocabulary;

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
    /// page for a body link; `None` when the vocabulary gives the team no `site:`.
    pub url: Option<String>,
}

impl TeamRef {
    /// `ci:slow-pr-builds`, as written.
    pub fn spelled(&self) -> String {
        format!("{}:{}", self.team, self.id)
    }
}

/// `team:id` split into its two parts, when `value` is one.
pub(crate) fn split(value: &str) -> Option<(&str, &str)> {
    value.split_once(':').filter(|(team, id)| !team.is_empty() && !id.is_empty())
}

/// The published address of each team the vocabulary gives a `site:`, by
/// the key of its name and of each alias: where `team:id` links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Addresses(BTreeMap<String, String>);

impl Addresses {
    pub(crate) fn of(vocabulary: &Vocabulary) -> Addresses {
        let mut map = BTreeMap::new();
        for team in vocabulary.teams.iter().flatten() {
            let Some(site) = &team.site else { continue };
            for name in std::iter::once(&team.name).chain(&team.aliases) {
                map.entry(team_key(name)).or_insert_with(|| site.clone());
            }
        }
        Addresses(map)
    }

    /// Team `team`'s published site, by its short name (the team's name or an alias).
    pub(crate) fn site(&self, team: &str) -> Option<&str> {
        self.0.get(&team_key(team)).map(String::as_str)
    }

    /// Where `team:id` links: the item's page when its kind is known, else
    /// the team's site.
    pub(crate) fn url(&self, team: &str, id: &str, kind: Option<Kind>) -> Option<String> {
        let site = self.site(team)?;
        Some(match kind {
            Some(kind) => format!("{site}{}", super::url_of(kind, id)),
            None => site.to_string(),
        })
    }
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
        let addresses = Addresses::of(&vocabulary);
        assert_eq!(
            addresses.url("ci", "slow-pr-builds", Some(Kind::Pain)).as_deref(),
            Some("https://acme.example/ci/pain/slow-pr-builds/")
        );
        assert_eq!(addresses.url("data", "etl", None).as_deref(), Some("https://acme.example/data/"));
        assert_eq!(addresses.url("web", "x", Some(Kind::Pain)), None);
        assert_eq!(addresses.url("ops", "x", Some(Kind::Pain)), None);
    }

    #[test]
    fn only_team_colon_id_is_a_team_reference() {
        assert_eq!(split("ci:slow-pr-builds"), Some(("ci", "slow-pr-builds")));
        assert_eq!(split("slow-pr-builds"), None);
        assert_eq!(split(":x"), None);
        assert_eq!(split("ci:"), None);
    }
}

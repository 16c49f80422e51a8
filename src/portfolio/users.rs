//! Pains across teams grouped by user group: the same users hurting in
//! several teams' lists. User groups are canonicalised through the
//! portfolio's vocabulary, so a group and an alias of it are one group.
//!
//! Cost: it groups each team's top pains only ([`TOP_PAINS`] a team), so at
//! 50 teams × 1,000 items it groups at most 500 pains, each under the user
//! groups it names: a few thousand entries, whatever the teams' size.

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

use super::team::{TOP_PAINS, Team, TopPain};
use crate::model::names::group_key;
use crate::vocabulary::Vocabulary;

/// One user group and the teams' top pains that name it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct UserGroup {
    /// Its canonical name; `None` for the pains that name no user group.
    pub name: Option<String>,
    /// How many teams list a pain of it.
    pub teams: usize,
    /// Its pains, by team (in `portfolio:` order), then by rank.
    pub pains: Vec<GroupPain>,
}

/// A team's pain, as a user group's list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct GroupPain {
    /// The team's name and its published site, when it has an address.
    pub team: String,
    pub site: Option<String>,
    /// Its rank in its team's pains.
    pub rank: usize,
    pub title: String,
    /// On the team's published site, when it has an address.
    pub url: Option<String>,
}

/// The top pains of `teams`, grouped by user group: the groups hurting in
/// the most teams first, then by their best (lowest) rank, then by name;
/// the pains that name no user group last. A pain naming two groups is in both.
pub(crate) fn by_user_group(teams: &[Team], vocabulary: &Vocabulary) -> Vec<UserGroup> {
    let listings: Vec<Listing<'_>> =
        teams.iter().map(|t| Listing { name: &t.name, site: t.site.as_deref(), pains: &t.pains }).collect();
    group_listings(&listings, vocabulary)
}

/// What the grouping reads of a team: its name, its address and its top pains, best first.
struct Listing<'a> {
    name: &'a str,
    site: Option<&'a str>,
    pains: &'a [TopPain],
}

/// A pain as its team lists it: the team's index and the pain.
type Listed<'a> = (usize, &'a TopPain);

fn group_listings(teams: &[Listing<'_>], vocabulary: &Vocabulary) -> Vec<UserGroup> {
    // By the group's key: its name and its pains.
    let mut named: BTreeMap<String, (String, Vec<Listed<'_>>)> = BTreeMap::new();
    let mut unnamed: Vec<Listed<'_>> = Vec::new();
    for (t, team) in teams.iter().enumerate() {
        for pain in team.pains.iter().take(TOP_PAINS) {
            if pain.users.is_empty() {
                unnamed.push((t, pain));
            }
            // Two spellings of one group on one pain list it once.
            let groups: BTreeMap<String, String> = pain.users.iter().map(|u| canonical(vocabulary, u)).collect();
            for (key, name) in groups {
                named.entry(key).or_insert_with(|| (name, Vec::new())).1.push((t, pain));
            }
        }
    }
    let mut groups: Vec<(String, UserGroup)> =
        named.into_iter().map(|(key, (name, pains))| (key, group(Some(name), pains, teams))).collect();
    groups.sort_by(|(a, g), (b, h)| {
        (std::cmp::Reverse(g.teams), best(g), a).cmp(&(std::cmp::Reverse(h.teams), best(h), b))
    });
    let mut out: Vec<UserGroup> = groups.into_iter().map(|(_, g)| g).collect();
    if !unnamed.is_empty() {
        out.push(group(None, unnamed, teams));
    }
    out
}

/// The group's key and the name it is shown with: the vocabulary's name its
/// spelling or an alias of it spells, else the name as written.
fn canonical(vocabulary: &Vocabulary, name: &str) -> (String, String) {
    let key = group_key(name);
    let listed = vocabulary.user_groups.as_deref().unwrap_or_default();
    match listed.iter().find(|c| group_key(&c.name) == key || c.aliases.iter().any(|a| group_key(a) == key)) {
        Some(c) => (group_key(&c.name), c.name.clone()),
        None => (key, name.trim().nfc().collect()),
    }
}

fn group(name: Option<String>, mut pains: Vec<Listed<'_>>, teams: &[Listing<'_>]) -> UserGroup {
    pains.sort_by_key(|(t, p)| (*t, p.rank));
    let listing: BTreeSet<usize> = pains.iter().map(|(t, _)| *t).collect();
    let pains = pains
        .into_iter()
        .map(|(t, p)| GroupPain {
            team: teams[t].name.to_string(),
            site: teams[t].site.map(str::to_string),
            rank: p.rank,
            title: p.title.clone(),
            url: p.url.clone(),
        })
        .collect();
    UserGroup { name, teams: listing.len(), pains }
}

/// A group's best (lowest) rank among its pains.
fn best(group: &UserGroup) -> usize {
    group.pains.iter().map(|p| p.rank).min().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;
    use crate::vocabulary::Canonical;

    fn pains(list: &[(usize, &str, &[&str])]) -> Vec<TopPain> {
        list.iter()
            .map(|(rank, title, users)| TopPain {
                id: title.to_lowercase().replace(' ', "-"),
                rank: *rank,
                title: title.to_string(),
                users: users.iter().map(|u| u.to_string()).collect(),
                url: Some(format!("https://acme.example/{title}/")),
                addressed_by: Vec::new(),
            })
            .collect()
    }

    fn vocabulary() -> Vocabulary {
        let group = |name: &str, aliases: &[&str]| Canonical {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            pos: Pos::default(),
            site: None,
        };
        let groups = vec![group("Product engineers", &["Developers", "Devs"]), group("Analysts", &[])];
        Vocabulary { user_groups: Some(groups), ..Vocabulary::default() }
    }

    /// A group's name, team count and (team, rank) of each pain.
    type Shape<'a> = (Option<&'a str>, usize, Vec<(&'a str, usize)>);

    /// Each group's shape, in order.
    fn shape(groups: &[UserGroup]) -> Vec<Shape<'_>> {
        groups
            .iter()
            .map(|g| (g.name.as_deref(), g.teams, g.pains.iter().map(|p| (p.team.as_str(), p.rank)).collect()))
            .collect()
    }

    #[test]
    fn groups_hurting_in_more_teams_come_first_and_aliases_are_one_group() {
        let ci = pains(&[(1, "slow", &["developers"]), (2, "flaky", &["Analysts", "Product engineers", "Devs"])]);
        let data = pains(&[(2, "stale", &["Analysts"]), (3, "lost", &[])]);
        let web = pains(&[(2, "pages", &["product  ENGINEERS"]), (4, "fonts", &["Designers"])]);
        let teams = [
            Listing { name: "CI", site: Some("https://acme.example/ci/"), pains: &ci },
            Listing { name: "Data", site: None, pains: &data },
            Listing { name: "Web", site: None, pains: &web },
        ];
        let groups = group_listings(&teams, &vocabulary());
        assert_eq!(
            shape(&groups),
            vec![
                // Three spellings of Product engineers, the flaky pain listed once.
                (Some("Product engineers"), 2, vec![("CI", 1), ("CI", 2), ("Web", 2)]),
                (Some("Analysts"), 2, vec![("CI", 2), ("Data", 2)]),
                // An unlisted group keeps its spelling.
                (Some("Designers"), 1, vec![("Web", 4)]),
                (None, 1, vec![("Data", 3)]),
            ]
        );
        assert_eq!(groups[0].pains[0].site.as_deref(), Some("https://acme.example/ci/"));
        assert_eq!(groups[0].pains[0].url.as_deref(), Some("https://acme.example/slow/"));
    }

    #[test]
    fn equal_team_counts_order_by_best_rank_then_name() {
        let one = pains(&[(1, "a", &["Zoo keepers"]), (2, "b", &["Analysts"]), (3, "c", &["Bakers"])]);
        let teams = [Listing { name: "One", site: None, pains: &one }];
        let names: Vec<_> = group_listings(&teams, &Vocabulary::default()).into_iter().map(|g| g.name).collect();
        assert_eq!(names, [Some("Zoo keepers".into()), Some("Analysts".into()), Some("Bakers".into())]);
        let two = pains(&[(1, "a", &["bakers"]), (1, "b", &["Analysts"])]);
        let teams = [Listing { name: "Two", site: None, pains: &two }];
        let names: Vec<_> = group_listings(&teams, &Vocabulary::default()).into_iter().map(|g| g.name).collect();
        assert_eq!(names, [Some("Analysts".into()), Some("bakers".into())], "a tie on rank goes by name");
    }

    #[test]
    fn no_pains_no_groups() {
        assert!(group_listings(&[], &vocabulary()).is_empty());
    }
}

//! One spelling per bucket and per user group: names that differ only in
//! case, spacing or Unicode form are the same group, shown as first written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::item::{Details, Item};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::vocabulary::{Canonical, Vocabulary};

/// The key two spellings of one name share: Unicode NFC (so a composed `é`
/// and `e` + combining accent are one letter), lowercase, and white space
/// trimmed and collapsed. Lowercasing is Unicode's simple case mapping, so
/// `ß` and `SS` stay apart; full case folding would need another crate.
pub(crate) fn group_key(name: &str) -> String {
    let composed: String = name.nfc().collect();
    let lower = composed.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.join(" ").nfc().collect()
}

/// The spelling a group is shown with: the first one met, in NFC so the
/// same name always has the same bytes in every page and URL.
struct First {
    raw: String,
    label: String,
    file: PathBuf,
    /// The other spellings met, each once, in the order met.
    aliases: Vec<String>,
}

/// The names of one namespace (buckets, or user groups) seen so far.
struct Namespace {
    /// "bucket" or "user group", for messages.
    what: &'static str,
    seen: HashMap<String, First>,
    /// The keys in the order first met, so what is listed is listed the same way every run.
    order: Vec<String>,
    /// Every spelling listed as an alias, so each is listed once.
    aliased: std::collections::HashSet<String>,
}

impl Namespace {
    fn new(what: &'static str) -> Self {
        Namespace { what, seen: HashMap::new(), order: Vec::new(), aliased: Default::default() }
    }

    /// The label `raw` is shown with, warning when it differs from the
    /// spelling first met.
    fn unify(&mut self, raw: &str, file: &Path, pos: Pos, diags: &mut Diagnostics) -> String {
        let key = group_key(raw);
        if !self.seen.contains_key(&key) {
            self.order.push(key.clone());
        }
        let first = self.seen.entry(key).or_insert_with(|| First {
            raw: raw.to_string(),
            label: raw.trim().nfc().collect(),
            file: file.to_path_buf(),
            aliases: Vec::new(),
        });
        if first.raw != raw {
            diags.push(variant(self.what, raw, first, file, pos));
            let spelling: String = raw.trim().nfc().collect();
            if spelling != first.label && self.aliased.insert(spelling.clone()) {
                first.aliases.push(spelling);
            }
        }
        first.label.clone()
    }

    /// Every name met, with the other spellings merged into it.
    fn merged(&self) -> Vec<Group> {
        self.order
            .iter()
            .filter_map(|key| self.seen.get(key))
            .map(|f| Group { label: f.label.clone(), aliases: f.aliases.clone() })
            .collect()
    }
}

fn variant(what: &str, raw: &str, first: &First, file: &Path, pos: Pos) -> Diagnostic {
    let same_letters = raw.nfc().eq(first.raw.nfc());
    let (label, first_file) = (&first.label, first.file.display());
    let message = if same_letters {
        format!(
            "the {what} `{raw}` looks like `{label}` in {first_file} but is made of other Unicode characters (one writes an accent as a separate character); they are shown as one {what}"
        )
    } else {
        format!("the {what} `{raw}` is spelled `{label}` in {first_file}; they are shown as one {what}, `{label}`")
    };
    let help = if same_letters {
        format!("retype `{label}` here, or copy it from {first_file}, so both are the same characters")
    } else {
        format!("did you mean `{label}`? Write a {what} the same way everywhere")
    };
    Diagnostic::warning("name-variant", message).at(file, Some(pos)).help(help)
}

/// Rewrites every bucket, user group and team to its one label, and drops a
/// user group an item names twice under two spellings. Returns the warnings
/// about names (unknown to a declared list, or merged without one) for the
/// model's list of warnings; spelling variants of buckets go to `diags`.
pub(crate) fn unify(items: &mut [Item], vocabulary: &Vocabulary, diags: &mut Diagnostics) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut buckets = Namespace::new("bucket");
    let mut groups = match &vocabulary.user_groups {
        Some(list) => Names::Declared(Declared::new(list, USER_GROUPS, group_key, vocabulary.shared.as_deref())),
        None => Names::Free(Namespace::new("user group")),
    };
    for item in items.iter_mut() {
        let Item { file, details, .. } = item;
        match details {
            Details::Pain(p) => {
                let (users, pos) = unify_list(&mut groups, &p.users, &p.users_pos, file, diags, &mut warnings);
                (p.users, p.users_pos) = (users, pos);
                if let (Some(bucket), Some(pos)) = (&p.bucket, p.bucket_pos) {
                    p.bucket = Some(buckets.unify(bucket, file, pos, diags));
                }
            }
            Details::Charter(c) => {
                let (users, pos) = unify_list(&mut groups, &c.users, &c.users_pos, file, diags, &mut warnings);
                (c.users, c.users_pos) = (users, pos);
            }
            _ => {}
        }
    }
    let mut merged = Vec::new();
    if let Names::Free(groups) = &groups {
        merged.push((USER_GROUPS, groups.merged()));
    }
    match &vocabulary.teams {
        Some(list) => {
            let mut teams = Declared::new(list, TEAMS, team_key, vocabulary.shared.as_deref());
            for_each_team(items, |team, file, pos| *team = teams.resolve(team, file, pos, &mut warnings));
        }
        None => merged.insert(0, (TEAMS, merge_teams(items))),
    }
    warnings.extend(suggest_list(&merged));
    warnings
}

/// The labels of one item's list of names, each once, with their positions.
fn unify_list(
    names: &mut Names,
    raw: &[String],
    positions: &[Pos],
    file: &Path,
    diags: &mut Diagnostics,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<Pos>) {
    let mut labels: Vec<String> = Vec::with_capacity(raw.len());
    let mut kept = Vec::with_capacity(raw.len());
    // A set, not `labels.contains`: a pain may list thousands of groups.
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    for (name, &pos) in raw.iter().zip(positions) {
        let label = match names {
            Names::Free(names) => names.unify(name, file, pos, diags),
            Names::Declared(names) => names.resolve(name, file, pos, warnings),
        };
        if seen.insert(label.clone()) {
            labels.push(label);
            kept.push(pos);
        }
    }
    (labels, kept)
}

/// What one vocabulary of names is called, in messages and in charted.yaml.
struct Vocab {
    what: &'static str,
    field: &'static str,
}

const TEAMS: Vocab = Vocab { what: "team", field: "teams" };
const USER_GROUPS: Vocab = Vocab { what: "user group", field: "user_groups" };

/// The key two spellings of one team share: [`group_key`] without a trailing
/// "team", so `Payments team` and `payments` are one team.
pub(crate) fn team_key(name: &str) -> String {
    let key = group_key(name);
    match key.strip_suffix(" team") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => key,
    }
}

/// User groups: merged by spelling, or resolved against a declared list.
enum Names<'v> {
    Free(Namespace),
    Declared(Declared<'v>),
}

/// A declared list: each name's and alias's key to its canonical name.
struct Declared<'v> {
    vocab: Vocab,
    key: fn(&str) -> String,
    by_key: HashMap<String, &'v str>,
    /// Every name and alias, for a did-you-mean.
    spellings: Vec<&'v str>,
    /// The suggestion for each unknown key met, so each is looked for once.
    suggested: HashMap<String, Option<&'v str>>,
    /// The shared vocabulary file the list comes from in part, if any.
    shared: Option<&'v str>,
}

/// Past this many declared spellings, an unknown name gets no did-you-mean:
/// each lookup compares it with every spelling, and 10,000 unknown names
/// against a list this long stay within a few million comparisons.
const SUGGEST_FROM: usize = 500;

impl<'v> Declared<'v> {
    fn new(list: &'v [Canonical], vocab: Vocab, key: fn(&str) -> String, shared: Option<&'v str>) -> Self {
        let mut by_key = HashMap::new();
        let mut spellings = Vec::new();
        for c in list {
            for spelling in std::iter::once(&c.name).chain(&c.aliases) {
                by_key.entry(key(spelling)).or_insert(c.name.as_str());
                spellings.push(spelling.as_str());
            }
        }
        Declared { vocab, key, by_key, spellings, suggested: HashMap::new(), shared }
    }

    /// The canonical name of `raw`; a name not in the list warns and is shown as written.
    fn resolve(&mut self, raw: &str, file: &Path, pos: Pos, warnings: &mut Vec<Diagnostic>) -> String {
        let key = (self.key)(raw);
        if let Some(name) = self.by_key.get(&key) {
            return name.to_string();
        }
        let spellings = &self.spellings;
        let near = *self.suggested.entry(key).or_insert_with(|| {
            (spellings.len() <= SUGGEST_FROM).then(|| did_you_mean(raw, spellings.iter().copied())).flatten()
        });
        let Vocab { what, field } = self.vocab;
        let (lists, fix) = match self.shared {
            Some(shared) => (
                format!("charted.yaml or of the shared vocabulary {shared}"),
                format!("or add it to `{field}:` in {shared} (as a {what} of its own, or under `aliases:` of one)"),
            ),
            None => (
                "charted.yaml".to_string(),
                format!("or add it to `{field}:` in charted.yaml (as a {what} of its own, or under `aliases:` of one)"),
            ),
        };
        let help = match near {
            Some(near) => format!("did you mean `{near}`? Write the {what} as listed, {fix}"),
            None => format!("write one of the {what}s listed in `{field}:`, {fix}"),
        };
        warnings.push(
            Diagnostic::warning("unknown-name", format!("the {what} `{raw}` is not in the `{field}` list of {lists}"))
                .at(file, Some(pos))
                .help(help),
        );
        raw.trim().nfc().collect()
    }
}

/// Every team an item names (the charter's own, each participant's), with where it is written.
fn for_each_team(items: &mut [Item], mut f: impl FnMut(&mut String, &Path, Pos)) {
    for item in items.iter_mut() {
        let pos = item.pos_of("team");
        let Item { file, details, .. } = item;
        match details {
            Details::Charter(c) if !c.team.trim().is_empty() => f(&mut c.team, file, pos),
            Details::Discovery(d) => d.participants.iter_mut().for_each(|p| f(&mut p.team, file, p.team_pos)),
            _ => {}
        }
    }
}

/// One name as shown, and the other spellings merged into it.
struct Group {
    label: String,
    aliases: Vec<String>,
}

/// Without a `teams:` list: spellings with one [`team_key`] are one team,
/// shown as the most used spelling (ties: the first met, in id order). Two
/// passes over the names and a map by key: linear in the number of names.
fn merge_teams(items: &mut [Item]) -> Vec<Group> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Per group, in the order met: each spelling and how often it is written.
    let mut counts: Vec<Vec<(String, usize)>> = Vec::new();
    // Each spelling's place in its group (a spelling has one key, so one group).
    let mut at: HashMap<String, usize> = HashMap::new();
    for_each_team(items, |team, _, _| {
        let next = counts.len();
        let group = *by_key.entry(team_key(team)).or_insert(next);
        if group == next {
            counts.push(Vec::new());
        }
        let spelling: String = team.trim().nfc().collect();
        // A map, not a search of the group: a team may be spelled a thousand ways.
        match at.get(&spelling) {
            Some(&k) => counts[group][k].1 += 1,
            None => {
                at.insert(spelling.clone(), counts[group].len());
                counts[group].push((spelling, 1));
            }
        }
    });
    let groups: Vec<Group> = counts
        .into_iter()
        .map(|spellings| {
            let best =
                spellings.iter().enumerate().fold(0, |best, (i, s)| if s.1 > spellings[best].1 { i } else { best });
            let label = spellings[best].0.clone();
            let aliases = spellings.into_iter().map(|(s, _)| s).filter(|s| *s != label).collect();
            Group { label, aliases }
        })
        .collect();
    for_each_team(items, |team, _, _| {
        if let Some(&g) = by_key.get(&team_key(team)) {
            *team = groups[g].label.clone();
        }
    });
    groups
}

/// How many names of one vocabulary the suggested list writes out.
const SUGGESTED_NAMES: usize = 40;

/// One warning when names were merged without a list: which, and the YAML
/// that declares them, to paste into charted.yaml.
fn suggest_list(merged: &[(Vocab, Vec<Group>)]) -> Option<Diagnostic> {
    let mut said = Vec::new();
    let mut yaml = Vec::new();
    for (vocab, groups) in merged.iter().filter(|(_, g)| g.iter().any(|g| !g.aliases.is_empty())) {
        let merged: Vec<&Group> = groups.iter().filter(|g| !g.aliases.is_empty()).collect();
        let mut variants: Vec<String> = merged
            .iter()
            .take(SUGGESTED_NAMES)
            .map(|g| format!("`{}` (also {})", g.label, quoted(&g.aliases)))
            .collect();
        if merged.len() > SUGGESTED_NAMES {
            variants.push(format!("and {} more", merged.len() - SUGGESTED_NAMES));
        }
        said.push(format!("{}s: {}", vocab.what, variants.join(", ")));
        // One line of flow YAML, in a code span: it stays one piece on the
        // dashboard, where line breaks of a help collapse.
        let entries: Vec<String> = groups
            .iter()
            .take(SUGGESTED_NAMES)
            .map(|g| match g.aliases.is_empty() {
                true => yaml_text(&g.label),
                false => format!(
                    "{{name: {}, aliases: [{}]}}",
                    yaml_text(&g.label),
                    g.aliases.iter().take(SUGGESTED_NAMES).map(|a| yaml_text(a)).collect::<Vec<_>>().join(", ")
                ),
            })
            .collect();
        let more = groups.len().saturating_sub(SUGGESTED_NAMES);
        let more = if more > 0 { format!(" (and the {more} more {}s)", vocab.what) } else { String::new() };
        yaml.push(format!("`{}: [{}]`{more}", vocab.field, entries.join(", ")));
    }
    if said.is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning("merged-names", format!("names written more than one way are shown as one: {}", said.join("; ")))
            .at("charted.yaml", None)
            .help(format!(
                "name the canonical teams and user groups in charted.yaml, so a new spelling warns instead of splitting a team; paste {}",
                yaml.join(" and ")
            )),
    )
}

fn quoted(names: &[String]) -> String {
    let mut out: Vec<String> = names.iter().take(SUGGESTED_NAMES).map(|n| format!("`{n}`")).collect();
    if names.len() > SUGGESTED_NAMES {
        out.push(format!("{} more", names.len() - SUGGESTED_NAMES));
    }
    out.join(", ")
}

/// A name as YAML text: plain when it can be, else double-quoted.
fn yaml_text(name: &str) -> String {
    let plain = name.chars().next().is_some_and(char::is_alphabetic)
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '/'))
        && !matches!(name.to_ascii_lowercase().as_str(), "yes" | "no" | "true" | "false" | "null" | "on" | "off");
    if plain { name.to_string() } else { serde_json::to_string(name).unwrap_or_default() }
}

/// The bucket and user groups an item is shown with, after [`unify`].
pub(crate) fn labels(item: &Item) -> (Option<&str>, &[String], Vec<&str>) {
    match &item.details {
        Details::Pain(p) => (p.bucket.as_deref(), &p.users, Vec::new()),
        Details::Charter(c) => (None, &c.users, vec![c.team.as_str()]),
        Details::Discovery(d) => (None, &[], d.participants.iter().map(|p| p.team.as_str()).collect()),
        _ => (None, &[], Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_unicode_form() {
        let composed = "\u{e9}quipe Data";
        let decomposed = "e\u{301}quipe  data ";
        assert_ne!(composed, decomposed);
        assert_eq!(group_key(composed), group_key(decomposed));
        assert_eq!(group_key("BACKEND"), group_key("backend"));
        assert_ne!(group_key("backend"), group_key("back end"));
    }

    #[test]
    fn a_trailing_team_is_not_part_of_a_teams_name() {
        assert_eq!(team_key("Payments team"), team_key("payments"));
        assert_eq!(team_key("  Payments   Team "), "payments");
        assert_eq!(team_key("Team"), "team");
        assert_ne!(team_key("Teamwork"), team_key("Team work"));
    }

    #[test]
    fn suggested_names_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(yaml_text("Payments team"), "Payments team");
        assert_eq!(yaml_text("SRE: on call"), "\"SRE: on call\"");
        assert_eq!(yaml_text("yes"), "\"yes\"");
        assert_eq!(yaml_text("#ops"), "\"#ops\"");
    }
}

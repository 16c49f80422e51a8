//! `items.json`, every item and the site-wide figures for other tools, and
//! its JSON Schema `items.schema.json`, generated from the same types.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::{Pieces, permalink};
use crate::model::Choice;
use crate::model::item::Split;
use crate::model::{Details, Kind, Site, Validation};

/// The version of the `items.json` format; raised when a field changes meaning
/// or disappears (new fields may appear without a raise).
pub(super) const SCHEMA_VERSION: u32 = 1;

/// Every item of a charted site and the site-wide figures (`items.json`).
/// `schema_version` is raised when a field changes meaning or disappears;
/// new fields may appear without a raise.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "charted items.json")]
struct ItemsJson<'a> {
    /// Where this file's JSON Schema is: `items.schema.json` beside it.
    #[serde(rename = "$schema")]
    schema: String,
    /// The version of this format.
    #[schemars(schema_with = "schema_version")]
    schema_version: u32,
    site: SiteInfo<'a>,
    figures: Figures,
    /// The site's warnings, as `charted check` prints them: what a portfolio
    /// shows of the team's honesty.
    warnings: Vec<WarningJson<'a>>,
    /// Every item, by kind then id.
    items: Vec<ItemJson<'a>>,
}

/// One warning of the site.
#[derive(Serialize, JsonSchema)]
struct WarningJson<'a> {
    code: &'static str,
    message: &'a str,
    /// The file it is about, relative to the site folder, if any.
    file: Option<String>,
    #[schemars(range(min = 1))]
    line: Option<u32>,
}

/// A discovery participant: a team and the hours it gave.
#[derive(Serialize, JsonSchema)]
struct ParticipantJson<'a> {
    team: &'a str,
    #[schemars(range(min = 0))]
    hours: f64,
}

/// A reference to another team's item, `ci:slow-pr-builds`.
#[derive(Serialize, JsonSchema)]
struct TeamReferenceJson<'a> {
    /// The front matter field it is written in, or `body` for a body link.
    field: &'static str,
    /// The other team's short name.
    #[schemars(schema_with = "id")]
    team: &'a str,
    #[schemars(schema_with = "id")]
    id: &'a str,
}

/// The site's settings.
#[derive(Serialize, JsonSchema)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    /// Where the site is published; always ends in `/`.
    #[schemars(regex(pattern = "/$"))]
    base_url: &'a str,
    /// The page language.
    language: &'a str,
    /// The day the site was built.
    #[schemars(schema_with = "date")]
    generated: String,
}

/// The site-wide figures, as on the dashboard.
#[derive(Serialize, JsonSchema)]
struct Figures {
    split: SplitFigures,
    /// How many solutions are at each validation stage.
    validation: ValidationCounts,
    /// How many items of each kind.
    #[schemars(schema_with = "kind_counts")]
    counts: std::collections::BTreeMap<&'static str, usize>,
}

/// The planned split of effort between immediate and future work.
#[derive(Serialize, JsonSchema)]
struct SplitFigures {
    /// The charter's target split.
    target: Split,
    /// The split of the planned solutions' effort; null when none is planned.
    actual: Option<Split>,
    /// The effort of the solutions planned now and next.
    #[schemars(range(min = 0))]
    planned_effort: f64,
    /// Percentage points the actual split may be off target.
    #[schemars(range(min = 0))]
    tolerance: f64,
    /// Whether the actual split is within `tolerance` of the target.
    within_tolerance: bool,
}

#[derive(Serialize, JsonSchema)]
struct ValidationCounts {
    unvalidated: usize,
    validating: usize,
    /// Validated or invalidated by an experiment without a kill criterion, a result and an end date.
    claimed: usize,
    validated: usize,
    invalidated: usize,
}

/// One item; fields its kind does not have are null.
#[derive(Serialize, JsonSchema)]
struct ItemJson<'a> {
    #[schemars(schema_with = "id")]
    id: &'a str,
    #[schemars(schema_with = "kind")]
    kind: &'static str,
    title: &'a str,
    /// The item's permalink.
    #[schemars(regex(pattern = "/$"))]
    url: String,
    summary: Option<&'a str>,
    /// Pains and solutions: immediate or future.
    #[schemars(schema_with = "category")]
    category: Option<&'static str>,
    /// Pains and experiments.
    #[schemars(schema_with = "status")]
    status: Option<&'static str>,
    /// Solutions: how far the experiments that test it have got (claimed: a verdict not earned).
    #[schemars(schema_with = "validation")]
    validation: Option<&'static str>,
    /// Solutions: whether `validation` was set by hand rather than derived from experiments.
    validation_set_by_hand: Option<bool>,
    /// Solutions: why a hand-set validation needs no experiment.
    validation_reason: Option<&'a str>,
    /// Pains: covered by a solution that can still help, only by disproved ones, or uncovered.
    #[schemars(schema_with = "coverage")]
    coverage: Option<&'static str>,
    /// Pains: the `priority` set in front matter, if any.
    priority: Option<i64>,
    /// Pains: the score of the scoring formula.
    score: Option<f64>,
    /// Pains: the place in the ranking (1 = most important).
    #[schemars(range(min = 1))]
    rank: Option<usize>,
    /// Pains: the sum of their evidence weights.
    evidence_weight: Option<u32>,
    /// Solutions: now, next or later.
    #[schemars(schema_with = "phase")]
    phase: Option<&'static str>,
    /// Solutions: the effort estimate.
    #[schemars(range(min = 0))]
    effort: Option<f64>,
    /// Solutions: the sum over the pains it covers of pain score × how weight.
    value: Option<f64>,
    /// Solutions: value divided by effort.
    value_per_effort: Option<f64>,
    #[schemars(schema_with = "date_or_null")]
    date: Option<String>,
    #[schemars(schema_with = "date_or_null")]
    updated: Option<String>,
    /// The charter: the team's name.
    team: Option<&'a str>,
    /// The charter: the team's mode.
    #[schemars(schema_with = "mode")]
    mode: Option<&'static str>,
    /// Pains and the charter: the user groups, as the site spells them.
    users: Option<Vec<&'a str>>,
    /// Discovery: who took part, and for how long.
    participants: Option<Vec<ParticipantJson<'a>>>,
    /// The ids of the items it refers to.
    #[schemars(schema_with = "ids")]
    references: Vec<&'a str>,
    /// Its references to other teams' items.
    team_references: Vec<TeamReferenceJson<'a>>,
    /// Its earlier ids, oldest first: each has a redirect page.
    #[schemars(schema_with = "ids")]
    aliases: Vec<&'a str>,
    /// The URL of its status badge (SVG; a shields.io endpoint JSON is beside it).
    #[schemars(regex(pattern = "\\.svg$"))]
    badge: String,
}

// The schemas of fields whose values are words or shapes the code knows.

fn schema_version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": SCHEMA_VERSION })
}

const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": DATE })
}

fn date_or_null(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": DATE })
}

const ID: &str = "^[a-z0-9][a-z0-9-]*$";

fn id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": ID })
}

fn ids(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": { "type": "string", "pattern": ID } })
}

fn kind(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json_schema!({ "type": "string", "enum": kinds })
}

fn kind_counts(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json_schema!({
        "type": "object",
        "required": kinds,
        "additionalProperties": { "type": "integer", "minimum": 0 }
    })
}

/// One word of `words`, or null.
fn words_or_null(words: impl IntoIterator<Item = &'static str>) -> Schema {
    let mut list: Vec<serde_json::Value> = Vec::new();
    for word in words {
        if !list.iter().any(|w| w == word) {
            list.push(word.into());
        }
    }
    list.push(serde_json::Value::Null);
    json_schema!({ "enum": list })
}

fn category(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Category::ALL.iter().map(|c| c.as_str()))
}

fn status(_: &mut SchemaGenerator) -> Schema {
    let pains = crate::model::PainStatus::ALL.iter().map(|s| s.as_str());
    words_or_null(pains.chain(crate::model::ExperimentStatus::ALL.iter().map(|s| s.as_str())))
}

fn validation(_: &mut SchemaGenerator) -> Schema {
    words_or_null(Validation::ALL.iter().map(|v| v.as_str()))
}

fn coverage(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Cover::ALL.iter().map(|c| c.as_str()))
}

fn mode(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Mode::ALL.iter().map(|m| m.as_str()))
}

fn phase(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Phase::ALL.iter().map(|p| p.as_str()))
}

/// The JSON Schema of `items.json`, generated from the types that print it,
/// so the two cannot drift. `docs/items.schema.json` is a copy (a test keeps
/// it equal). Made once: the same bytes every build.
pub(super) fn items_schema() -> bytes::Bytes {
    static SCHEMA: std::sync::OnceLock<bytes::Bytes> = std::sync::OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let generator = schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
            let schema = generator.into_root_schema_for::<ItemsJson>();
            let mut text = serde_json::to_vec_pretty(&schema).unwrap_or_default();
            text.push(b'\n');
            text.into()
        })
        .clone()
}

/// `items.json`, pretty-printed. Each item is printed on its own (in
/// parallel, or kept from the previous run) and indented into place: the
/// bytes are those of printing the whole document at once.
/// `keys`: per item, what its entry is made from (see `incremental::pieces`).
pub(super) fn items_json(site: &Site, keys: &[u64], memo: Option<&Pieces>) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(&document(site)).unwrap_or_default();
    let items = Pieces::make_all(
        memo,
        site.items.len(),
        |i| keys[i],
        |i| {
            let item = serde_json::to_string_pretty(&item_json(site, i)).unwrap_or_default();
            // JSON strings hold no raw newline, so every newline is layout.
            format!("    {}", item.replace('\n', "\n    "))
        },
    );
    splice_items(&mut json, &items);
    json.push(b'\n');
    json
}

/// `items.json` without its items: the schema, the site and the figures.
fn document(site: &Site) -> ItemsJson<'_> {
    let config = &site.config;
    let schema =
        if config.has_host() { format!("{}items.schema.json", config.base_url) } else { "items.schema.json".into() };
    ItemsJson {
        schema,
        schema_version: SCHEMA_VERSION,
        site: SiteInfo {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            language: &site.config.language,
            generated: site.today.to_string(),
        },
        figures: figures(site),
        warnings: site.warnings.iter().map(warning_json).collect(),
        items: Vec::new(),
    }
}

fn warning_json(d: &crate::diagnostic::Diagnostic) -> WarningJson<'_> {
    WarningJson {
        code: d.code,
        message: &d.message,
        file: d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
        line: d.pos.map(|p| p.line),
    }
}

/// The site-wide figures: the split, the validation counts, the items of each kind.
fn figures(site: &Site) -> Figures {
    let b = &site.balance;
    let count = |v: Validation| site.solutions_at(v);
    Figures {
        split: SplitFigures {
            target: b.target,
            actual: b.actual,
            planned_effort: b.planned_effort,
            tolerance: b.tolerance,
            within_tolerance: b.within,
        },
        validation: ValidationCounts {
            unvalidated: count(Validation::Unvalidated),
            validating: count(Validation::Validating),
            claimed: count(Validation::Claimed),
            validated: count(Validation::Validated),
            invalidated: count(Validation::Invalidated),
        },
        counts: Kind::ALL.iter().map(|&k| (k.as_str(), site.of_kind(k).count())).collect(),
    }
}

/// Puts the printed, indented `items` into the empty `"items": []` that ends
/// `json`: the bytes of printing the whole document at once.
fn splice_items(json: &mut Vec<u8>, items: &[impl AsRef<str>]) {
    if !items.is_empty() && json.ends_with(b"[]\n}") {
        json.truncate(json.len() - b"]\n}".len());
        for (n, item) in items.iter().enumerate() {
            json.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
            json.extend_from_slice(item.as_ref().as_bytes());
        }
        json.extend_from_slice(b"\n  ]\n}");
    }
}

fn item_json(site: &Site, i: usize) -> ItemJson<'_> {
    let item = &site.items[i];
    let c = &site.computed[i];
    let solution = match &item.details {
        Details::Solution(x) => Some(x),
        _ => None,
    };
    ItemJson {
        id: &item.id,
        kind: item.kind.as_str(),
        title: &item.title,
        url: permalink(site, item.kind, &item.id),
        summary: item.summary.as_deref(),
        category: super::view::category(item),
        status: super::view::status(item),
        validation: c.validation.map(|v| v.as_str()),
        validation_set_by_hand: solution.map(|_| !c.validation_derived),
        validation_reason: solution.and_then(|x| x.validation_reason.as_deref()),
        coverage: c.cover.map(|x| x.as_str()),
        priority: match &item.details {
            Details::Pain(p) => p.priority,
            _ => None,
        },
        score: c.score,
        rank: c.rank,
        evidence_weight: matches!(item.details, Details::Pain(_)).then_some(c.evidence_weight),
        phase: solution.map(|x| x.phase.as_str()),
        effort: solution.and_then(|x| x.effort),
        value: c.value,
        value_per_effort: c.value_per_effort,
        date: item.date.map(|d| d.to_string()),
        updated: item.updated.map(|d| d.to_string()),
        team: match &item.details {
            Details::Charter(c) => Some(c.team.as_str()),
            _ => None,
        },
        mode: match &item.details {
            Details::Charter(c) => Some(c.mode.as_str()),
            _ => None,
        },
        users: match &item.details {
            Details::Charter(c) => Some(c.users.iter().map(String::as_str).collect()),
            Details::Pain(p) => Some(p.users.iter().map(String::as_str).collect()),
            _ => None,
        },
        participants: match &item.details {
            Details::Discovery(d) => {
                Some(d.participants.iter().map(|p| ParticipantJson { team: &p.team, hours: p.hours }).collect())
            }
            _ => None,
        },
        references: site.links[i].iter().map(|&to| site.items[to].id.as_str()).collect(),
        team_references: c
            .elsewhere
            .iter()
            .map(|r| TeamReferenceJson { field: r.field, team: &r.team, id: &r.id })
            .collect(),
        aliases: item.aliases.iter().map(|a| a.value.as_str()).collect(),
        badge: format!("{}badges/{}.svg", site.config.base_url, item.id),
    }
}

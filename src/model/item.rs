//! Items: one typed value per Markdown file, read from its front matter.

use std::path::PathBuf;

use jiff::civil::Date;

use super::kind::*;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::Document;
use crate::load::fields::{At, Fields};
use crate::load::yaml::Node;
use crate::words::Choice;

/// A reference to another item by id, where it was written.
pub(crate) type Ref = At<String>;

/// One item of the site.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub id_pos: Option<Pos>,
    pub kind: Kind,
    pub title: String,
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub aliases: Vec<Ref>,
    /// Relative to the site folder.
    pub file: PathBuf,
    /// Where each front-matter field was written, to point diagnostics at it.
    pub field_positions: Vec<(String, Pos)>,
    /// The file line the body starts on, to place what is found in the body.
    pub body_line: u32,
    /// Where the body is still only `charted new`'s placeholder, for `check` to warn.
    pub placeholder_body: Option<Pos>,
    pub details: Details,
}

impl Item {
    /// When it last changed: its `updated` date, else its `date`.
    pub fn last_changed(&self) -> Option<Date> {
        self.updated.or(self.date)
    }

    /// Where `field` was written, or the top of the file.
    pub fn pos_of(&self, field: &str) -> Pos {
        self.field_positions.iter().find(|(f, _)| f == field).map_or(Pos { line: 1, column: 1 }, |(_, p)| *p)
    }

    /// The file position of a place in the body given as [`crate::markdown::Href`] gives it.
    pub fn body_pos(&self, line: u32, column: u32) -> Pos {
        Pos { line: self.body_line + line, column }
    }
}

/// What only one kind of item has.
#[derive(Debug, Clone)]
pub enum Details {
    Charter(Charter),
    Vision(Vision),
    Pain(Pain),
    Solution(Solution),
    Experiment(Experiment),
    Discovery(Discovery),
    Sla(Sla),
}

// The 70/30 split of effort: the one type for it, in the model, on the
// dashboard's chart and in `items.json`. Its doc line is its description in
// items.schema.json, so it stays one line.
/// Two percentages adding up to 100.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Split {
    // Percentage of effort on immediate user needs (a `//` comment: a doc
    // comment would become a description in items.schema.json).
    #[schemars(range(min = 0, max = 100))]
    pub immediate: f64,
    // Percentage of effort on advancing the vision.
    #[schemars(range(min = 0, max = 100))]
    pub future: f64,
}

#[derive(Debug, Clone)]
pub struct Charter {
    pub team: String,
    pub mode: Mode,
    /// `None` when the charter sets none: the mode's default applies.
    pub split: Option<Split>,
    pub users: Vec<String>,
    /// Where each of `users` was written.
    pub users_pos: Vec<Pos>,
}

#[derive(Debug, Clone)]
pub struct Vision {
    pub horizon: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Pain {
    pub users: Vec<String>,
    /// Where each of `users` was written.
    pub users_pos: Vec<Pos>,
    pub reach: Option<i64>,
    pub severity: Option<i64>,
    pub frequency: Option<Frequency>,
    pub bucket: Option<String>,
    pub bucket_pos: Option<Pos>,
    pub evidence: Vec<Evidence>,
    pub priority: Option<i64>,
    pub category: Category,
    pub status: PainStatus,
}

/// One `evidence` entry: a discovery id, or `{discovery: id, weight: 1-3}`.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub discovery: Ref,
    /// 1 (a mention) to 3 (strong, repeated evidence); a bare id weighs 1.
    pub weight: u8,
}

#[derive(Debug, Clone)]
pub struct Coverage {
    pub pain: Ref,
    pub how: How,
}

#[derive(Debug, Clone)]
pub struct Solution {
    pub addresses: Vec<Coverage>,
    pub advances: Vec<Ref>,
    pub category: Category,
    pub effort: Option<f64>,
    pub phase: Phase,
    /// Set by hand; `None` derives it from the solution's experiments.
    pub validation: Option<Validation>,
    /// Why a hand-set `validation` is right without an experiment to show it.
    pub validation_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Experiment {
    pub tests: Option<Ref>,
    pub hypothesis: String,
    pub falsified_if: Option<String>,
    pub method: Option<String>,
    pub status: ExperimentStatus,
    pub started: Option<Date>,
    pub ends: Option<Date>,
    pub result: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Participant {
    pub team: String,
    pub hours: f64,
    /// Where `team` was written.
    #[serde(skip)]
    pub team_pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Discovery {
    pub method: Option<Method>,
    pub date: Option<Date>,
    pub participants: Vec<Participant>,
    pub surfaces: Vec<Ref>,
}

#[derive(Debug, Clone)]
pub struct Sla {
    pub service: String,
    pub objective: String,
    pub expected: f64,
    pub current: f64,
    pub unit: Option<String>,
    pub better: Better,
    pub pains: Vec<Ref>,
}

/// The largest effort or hours one item may give: far beyond any real plan,
/// small enough that sums over thousands of items stay exact and finite.
pub(crate) const MAX_AMOUNT: f64 = 1_000_000.0;

/// The smallest effort, in person-weeks (a few minutes' work): value per
/// effort divides by it, and must stay a number pages can print.
pub(crate) const MIN_EFFORT: f64 = 0.01;
/// The largest SLA figure either way, so gaps stay finite.
pub(crate) const MAX_MEASURE: f64 = 1e12;

/// Fields every kind has.
pub const COMMON_FIELDS: &[&str] = &["title", "id", "kind", "summary", "owner", "date", "updated", "draft", "aliases"];

/// The fields only `kind` has, in the order the guide lists them.
pub fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Charter => &["team", "mode", "split", "users"],
        Kind::Vision => &["horizon"],
        Kind::Pain => {
            &["users", "reach", "severity", "frequency", "bucket", "evidence", "priority", "category", "status"]
        }
        Kind::Solution => &["addresses", "advances", "category", "effort", "phase", "validation", "validation_reason"],
        Kind::Experiment => &["tests", "hypothesis", "falsified_if", "method", "status", "started", "ends", "result"],
        Kind::Discovery => &["method", "date", "participants", "surfaces"],
        Kind::Sla => &["service", "objective", "expected", "current", "unit", "better", "pains"],
    }
}

/// Reads one document into an item; `None` when it is too broken to use.
pub(crate) fn read(doc: &Document, diags: &mut Diagnostics) -> Option<Item> {
    let mut f = Fields::new(&doc.file, &doc.front, "the front matter", diags)?;
    let kind = read_kind(doc, &mut f)?;
    let (id, id_pos) = read_id(doc, &mut f)?;
    let title = f.required_string("title", "A short name for this item").map(|t| t.value).unwrap_or_else(|| id.clone());
    let mut item = Item {
        summary: f.string("summary").map(|s| s.value),
        owner: f.string("owner").map(|s| s.value),
        date: f.date("date").map(|d| d.value),
        updated: f.date("updated").map(|d| d.value),
        draft: f.bool("draft").unwrap_or(false),
        aliases: ids(&mut f, "aliases"),
        file: doc.file.clone(),
        field_positions: match &doc.front.value {
            crate::load::yaml::Value::Map(entries) => entries.iter().map(|(k, _)| (k.name.clone(), k.pos)).collect(),
            _ => Vec::new(),
        },
        body_line: doc.body_line,
        placeholder_body: super::placeholders::in_body(doc.body())
            .map(|line| Pos { line: doc.body_line + line, column: 1 }),
        details: Details::Vision(Vision { horizon: None }),
        id,
        id_pos,
        kind,
        title,
    };
    item.details = match kind {
        Kind::Charter => Details::Charter(charter(&mut f)),
        Kind::Vision => Details::Vision(Vision { horizon: f.integer("horizon", 1900, 9999, "2029").map(|h| h.value) }),
        Kind::Pain => Details::Pain(pain(&mut f)),
        Kind::Solution => Details::Solution(solution(&mut f)),
        Kind::Experiment => Details::Experiment(experiment(&mut f)),
        Kind::Discovery => Details::Discovery(discovery(&mut f)),
        Kind::Sla => Details::Sla(sla(&mut f)),
    };
    let known: Vec<&str> = COMMON_FIELDS.iter().chain(kind_fields(kind)).copied().collect();
    f.finish(&known);
    Some(item)
}

fn read_kind(doc: &Document, f: &mut Fields) -> Option<Kind> {
    if let Some(kind) = f.node("kind") {
        return f.choice_of::<Kind>("kind", kind).map(|k| k.value);
    }
    let from_place = match &doc.folder {
        Some(folder) => Kind::from_folder(folder),
        None if doc.stem == "charter" => Some(Kind::Charter),
        None => None,
    };
    if from_place.is_none() {
        let folders: Vec<&str> = Kind::ALL.iter().filter(|k| **k != Kind::Charter).map(|k| k.folder()).collect();
        f.report(
            Diagnostic::error("unknown-kind", "cannot tell what kind of item this is")
                .at(&doc.file, Some(Pos { line: 1, column: 1 }))
                .help(format!(
                    "move it into one of the folders {} under content/, or add `kind: pain` (or another kind) to its front matter",
                    folders.join(", ")
                )),
        );
    }
    from_place
}

/// Whether `id` is a valid item id: lowercase ASCII letters, digits and dashes.
pub(crate) fn valid_id(id: &str) -> bool {
    id_problem(id).is_none()
}

/// The longest id, in bytes: it names folders and files (`badges/<id>.json`),
/// and file systems allow 255 bytes a name.
pub(crate) const MAX_ID_BYTES: usize = 200;

/// Names Windows keeps for devices: a file or folder so named cannot be
/// checked out there, so neither can a built site that has one.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// What is wrong with an id, if anything, said after the id.
pub(crate) fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("is empty".to_string())
    } else if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        Some("is not a valid id".to_string())
    } else if id.len() > MAX_ID_BYTES {
        Some(format!("is {} bytes long; an id may have at most {MAX_ID_BYTES}", id.len()))
    } else if WINDOWS_DEVICES.contains(&id) {
        Some("is a name Windows keeps for a device: a built site with it cannot be checked out there".to_string())
    } else {
        None
    }
}

/// A shortened id for one that is too long, or one Windows keeps, made valid.
fn fixed_id(raw: &str) -> String {
    let mut id = suggest_id(raw);
    if id.len() > MAX_ID_BYTES {
        id.truncate(MAX_ID_BYTES);
        id.truncate(id.trim_end_matches('-').len());
    }
    if WINDOWS_DEVICES.contains(&id.as_str()) {
        id.push_str("-item");
    }
    id
}

/// The id an invalid one would become: lowercase, dashes for the rest.
/// Other scripts are transliterated first: "Über uns" → `uber-uns`, not `ber-uns`.
pub(crate) fn suggest_id(raw: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(raw).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "my-item".to_string() } else { out }
}

fn read_id(doc: &Document, f: &mut Fields) -> Option<(String, Option<Pos>)> {
    let (raw, pos) = match f.string("id") {
        Some(id) => (id.value, Some(id.pos)),
        None => (doc.stem.clone(), None),
    };
    let Some(problem) = id_problem(&raw) else {
        return Some((raw, pos));
    };
    let fixed = fixed_id(&raw);
    let fix = match pos {
        Some(_) => format!("write `id: {fixed}`"),
        None => format!("rename the file to `{fixed}.md`, or set `id: {fixed}` in its front matter"),
    };
    let message = if raw.is_empty() { "the id is empty".to_string() } else { format!("`{raw}` {problem}") };
    f.report(Diagnostic::error("invalid-id", message).at(&doc.file, pos.or(Some(Pos { line: 1, column: 1 }))).help(
        format!("ids are lowercase letters, digits and dashes, because they are the stable part of every URL: {fix}"),
    ));
    None
}

/// A list of ids (`evidence: [a, b]`), each checked for shape.
fn ids(f: &mut Fields, name: &str) -> Vec<Ref> {
    f.strings(name).into_iter().filter(|r| check_ref(f, name, r)).collect()
}

fn check_ref(f: &mut Fields, name: &str, r: &Ref) -> bool {
    // Another team's item, `ci:slow-pr-builds`: both parts are ids.
    let problem = match super::elsewhere::split(&r.value) {
        Some((team, id)) => {
            id_problem(team).map(|p| format!("names a team whose short name {p}")).or_else(|| id_problem(id))
        }
        None => id_problem(&r.value),
    };
    let Some(problem) = problem else {
        return true;
    };
    let file = f.file().to_path_buf();
    f.report(
        Diagnostic::error("invalid-id", format!("`{}` in `{name}` {problem}", r.value))
            .at(file, Some(r.pos))
            .help(match super::elsewhere::split(&r.value) {
                Some((team, id)) => format!(
                    "refer to another team's item as `team:id`, both lowercase letters, digits and dashes, e.g. `{}:{}`",
                    fixed_id(team),
                    fixed_id(id)
                ),
                None => format!("refer to items by their id, e.g. `{}`", fixed_id(&r.value)),
            }),
    );
    false
}

fn charter(f: &mut Fields) -> Charter {
    let team = f.required_string("team", "Developer Platform").map(|t| t.value).unwrap_or_default();
    let mode = f.choice::<Mode>("mode").map_or(Mode::Innovation, |m| m.value);
    let split = f.string("split").and_then(|s| {
        let parsed = parse_split(&s.value);
        if parsed.is_none() {
            let file = f.file().to_path_buf();
            f.report(
                Diagnostic::error("invalid-split", format!("`split` is `{}`, not an immediate/future split", s.value))
                    .at(file, Some(s.pos))
                    .help("write two percentages that add up to 100, immediate first: `split: 70/30` (or `100/0` for a foundation-mode team)"),
            );
        }
        parsed
    });
    let (users, users_pos) = f.strings("users").into_iter().map(|u| (u.value, u.pos)).unzip();
    Charter { team, mode, split, users, users_pos }
}

/// `"70/30"` → 70% immediate, 30% future.
pub(crate) fn parse_split(text: &str) -> Option<Split> {
    let (a, b) = text.split_once('/')?;
    let immediate: f64 = a.trim().trim_end_matches('%').parse().ok()?;
    let future: f64 = b.trim().trim_end_matches('%').parse().ok()?;
    let valid = (0.0..=100.0).contains(&immediate)
        && (0.0..=100.0).contains(&future)
        && (immediate + future - 100.0).abs() < 1e-9;
    valid.then_some(Split { immediate, future })
}

fn category(f: &mut Fields) -> Category {
    f.choice::<Category>("category").map_or(Category::Immediate, |c| c.value)
}

fn pain(f: &mut Fields) -> Pain {
    let (users, users_pos) = f.strings("users").into_iter().map(|u| (u.value, u.pos)).unzip();
    let bucket = f.string("bucket");
    Pain {
        users,
        users_pos,
        reach: f.integer("reach", 0, i64::from(u32::MAX), "40").map(|r| r.value),
        severity: f.integer("severity", 1, 5, "3").map(|s| s.value),
        frequency: f.choice::<Frequency>("frequency").map(|x| x.value),
        bucket_pos: bucket.as_ref().map(|b| b.pos),
        bucket: bucket.map(|b| b.value),
        evidence: evidence(f),
        priority: f.integer("priority", 1, i64::from(u32::MAX), "1").map(|p| p.value),
        category: category(f),
        status: f.choice::<PainStatus>("status").map_or(PainStatus::Open, |s| s.value),
    }
}

fn evidence(f: &mut Fields) -> Vec<Evidence> {
    use crate::load::yaml::Value;
    let mut out = Vec::new();
    for node in f.list("evidence") {
        if let Value::Str(id) = &node.value {
            let discovery = At { value: id.clone(), pos: node.pos };
            if check_ref(f, "evidence", &discovery) {
                out.push(Evidence { discovery, weight: 1 });
            }
            continue;
        }
        let file = f.file().to_path_buf();
        let mut diags = Diagnostics::default();
        let result = Fields::new(&file, node, "an `evidence` entry", &mut diags).and_then(|mut entry| {
            let discovery = entry.required_string("discovery", "survey-2026-q1");
            let weight = entry.integer("weight", 1, 3, "2").map_or(1, |w| w.value as u8);
            entry.finish(&["discovery", "weight"]);
            discovery.map(|discovery| Evidence { discovery, weight })
        });
        for d in diags.sorted() {
            f.report(d);
        }
        if let Some(e) = result.filter(|e| check_ref(f, "evidence", &e.discovery)) {
            out.push(e);
        }
    }
    out
}

fn solution(f: &mut Fields) -> Solution {
    let mut addresses = Vec::new();
    for node in f.list("addresses") {
        if let Some(coverage) = coverage(f, node) {
            addresses.push(coverage);
        }
    }
    Solution {
        addresses,
        advances: ids(f, "advances"),
        category: category(f),
        // At least 0.01 person-weeks: value per effort divides by it.
        effort: f.number_within("effort", MIN_EFFORT, false, MAX_AMOUNT, "4").map(|e| e.value),
        phase: f.choice::<Phase>("phase").map_or(Phase::Later, |p| p.value),
        validation: f.choice::<Validation>("validation").map(|v| v.value),
        validation_reason: f.string("validation_reason").map(|r| r.value),
    }
}

/// One `addresses` entry: `{pain: id, how: eliminate}`, or a bare pain id (how: address).
fn coverage(f: &mut Fields, node: &Node) -> Option<Coverage> {
    use crate::load::yaml::Value;
    if let Value::Str(id) = &node.value {
        let pain = At { value: id.clone(), pos: node.pos };
        return check_ref(f, "addresses", &pain).then_some(Coverage { pain, how: How::Address });
    }
    let file = f.file().to_path_buf();
    let mut diags = Diagnostics::default();
    let result = Fields::new(&file, node, "an `addresses` entry", &mut diags).and_then(|mut entry| {
        let pain = entry.required_string("pain", "slow-ci-builds");
        let how = entry.choice::<How>("how").map_or(How::Address, |h| h.value);
        entry.finish(&["pain", "how"]);
        pain.map(|pain| (pain, how))
    });
    for d in diags.sorted() {
        f.report(d);
    }
    let (pain, how) = result?;
    check_ref(f, "addresses", &pain).then_some(Coverage { pain, how })
}

fn experiment(f: &mut Fields) -> Experiment {
    let tests = tested_solution(f).filter(|t| check_ref(f, "tests", t));
    let hypothesis =
        f.required_string("hypothesis", "Teams will adopt X within two weeks").map(|h| h.value).unwrap_or_default();
    let started = f.date("started");
    let ends = f.date("ends");
    if let (Some(s), Some(e)) = (&started, &ends)
        && e.value < s.value
    {
        let file = f.file().to_path_buf();
        f.report(
            Diagnostic::error("ends-before-start", format!("`ends` ({}) is before `started` ({})", e.value, s.value))
                .at(file, Some(e.pos))
                .help("an experiment cannot end before it starts: fix one of the two dates"),
        );
    }
    Experiment {
        tests,
        hypothesis,
        falsified_if: f.string("falsified_if").map(|x| x.value),
        method: f.string("method").map(|m| m.value),
        status: f.choice::<ExperimentStatus>("status").map_or(ExperimentStatus::Planned, |s| s.value),
        started: started.map(|s| s.value),
        ends: ends.map(|e| e.value),
        result: f.string("result").map(|r| r.value),
    }
}

/// The solution an experiment tests. `charted new experiment` leaves `tests:`
/// empty unless told which: an experiment that tests nothing validates nothing,
/// so an empty one is an error until the author fills it in.
fn tested_solution(f: &mut Fields) -> Option<Ref> {
    let tests = f.string("tests");
    let empty_at = match &tests {
        Some(t) if t.value.trim().is_empty() => t.pos,
        Some(_) => return tests,
        // A wrong type (a list, a map) was reported by `string`.
        None if f.node("tests").is_some() => return None,
        // `tests:` with nothing after it reads as no value: point at the field.
        None => match f.key_pos("tests") {
            Some(pos) => pos,
            None => {
                f.missing("tests", "the-solution-id");
                return None;
            }
        },
    };
    let file = f.file().to_path_buf();
    f.report(
        Diagnostic::error("missing-field", "`tests` is empty: the experiment does not say which solution it tests")
            .at(file, Some(empty_at))
            .help("write the id of the solution it tries to disprove (its file name under content/solutions/, without `.md`), e.g. `tests: remote-build-cache`; until then it can validate nothing"),
    );
    None
}

fn discovery(f: &mut Fields) -> Discovery {
    let method = f.choice::<Method>("method").map(|m| m.value);
    if method.is_none() && f.node("method").is_none() {
        f.missing("method", "coffee-chat");
    }
    let date = f.date("date").map(|d| d.value);
    if date.is_none() && f.node("date").is_none() {
        f.missing("date", "2026-03-31");
    }
    let mut participants = Vec::new();
    for node in f.list("participants") {
        if let Some(p) = participant(f, node) {
            participants.push(p);
        }
    }
    Discovery { method, date, participants, surfaces: ids(f, "surfaces") }
}

fn participant(f: &mut Fields, node: &Node) -> Option<Participant> {
    let file = f.file().to_path_buf();
    let mut diags = Diagnostics::default();
    let result = Fields::new(&file, node, "a `participants` entry", &mut diags).and_then(|mut entry| {
        let team = entry.required_string("team", "payments");
        let hours = entry.number_within("hours", 0.0, false, MAX_AMOUNT, "1.5").map_or(0.0, |h| h.value);
        entry.finish(&["team", "hours"]);
        team.map(|t| Participant { team: t.value, hours, team_pos: t.pos })
    });
    for d in diags.sorted() {
        f.report(d);
    }
    result
}

fn sla(f: &mut Fields) -> Sla {
    let service = f.required_string("service", "CI").map(|s| s.value).unwrap_or_default();
    let objective = f.required_string("objective", "Build success rate").map(|s| s.value).unwrap_or_default();
    let expected = f.number_within("expected", -MAX_MEASURE, false, MAX_MEASURE, "99.5");
    if expected.is_none() && f.node("expected").is_none() {
        f.missing("expected", "99.5");
    }
    let current = f.number_within("current", -MAX_MEASURE, false, MAX_MEASURE, "97.2");
    if current.is_none() && f.node("current").is_none() {
        f.missing("current", "97.2");
    }
    Sla {
        service,
        objective,
        expected: expected.map_or(0.0, |e| e.value),
        current: current.map_or(0.0, |c| c.value),
        unit: f.string("unit").map(|u| u.value),
        better: f.choice::<Better>("better").map_or(Better::Higher, |b| b.value),
        pains: ids(f, "pains"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("slow-ci-2"));
        assert!(!valid_id("Slow CI"));
        assert!(!valid_id("a/b"));
        assert!(!valid_id(".."));
        assert!(!valid_id("café"));
        assert_eq!(suggest_id("Slow CI builds!"), "slow-ci-builds");
    }

    #[test]
    fn suggested_ids_transliterate_other_scripts() {
        assert_eq!(suggest_id("Über uns"), "uber-uns");
        assert_eq!(suggest_id("Ärger mit CI"), "arger-mit-ci");
        let japanese = suggest_id("日本語");
        assert!(valid_id(&japanese) && japanese != "my-item", "{japanese}");
        assert_eq!(suggest_id("!!!"), "my-item");
    }

    #[test]
    fn splits() {
        assert_eq!(parse_split("70/30"), Some(Split { immediate: 70.0, future: 30.0 }));
        assert_eq!(parse_split("100/0"), Some(Split { immediate: 100.0, future: 0.0 }));
        assert_eq!(parse_split("70/20"), None);
        assert_eq!(parse_split("seventy"), None);
    }
}

//! YAML front matter → a tree of values that remember where they were written.
//!
//! This is the only module that knows the YAML crate. Every node carries its
//! line and column so the model can point at the exact offending value, and
//! keys keep their order and duplicates so the model can report them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

use crate::diagnostic::Pos;
use crate::limits::{YAML_MAX_ALIASES, YAML_MAX_ANCHORS, YAML_MAX_DEPTH, YAML_MAX_VALUES, thousands};

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// A YAML value. Mappings keep every entry in document order, duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// A YAML syntax error: its message and where the parser stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Option<Pos>,
    /// Set when the YAML is valid but passes one of charted's limits
    /// ([`crate::limits`]): how to stay within it.
    pub limit_help: Option<String>,
}

impl Value {
    /// What the value is, in words a user reads in a diagnostic.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Parses `text` (front matter without its `---` fences). `first_line` is the
/// file line on which `text` starts, so positions point into the file.
pub fn parse(text: &str, first_line: u32) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: YAML_MAX_DEPTH,
            max_nodes: YAML_MAX_VALUES,
            // Every value is at least one event, and a list or mapping two.
            max_events: 4 * YAML_MAX_VALUES,
            max_aliases: YAML_MAX_ALIASES,
            max_anchors: YAML_MAX_ANCHORS,
        },
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
    };
    let shift = |line: u32, column: u32| Pos { line: line.saturating_add(first_line.saturating_sub(1)), column };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(text, options) {
        Ok(Some(spanned)) => Ok(spanned.into_node(&shift)),
        Ok(None) => Ok(Node { pos: Pos { line: first_line, column: 1 }, value: Value::Null }),
        Err(err) => {
            let pos = err.location().filter(|l| l.line() > 0).map(|l| shift(l.line() as u32, l.column() as u32));
            match limit_hit(&err) {
                Some((message, help)) => Err(SyntaxError { message, pos, limit_help: Some(help) }),
                None => Err(SyntaxError { message: plain_message(&err), pos, limit_help: None }),
            }
        }
    }
}

/// The limit a valid but oversized document passed, in a user's words: what
/// was too much, and how to stay within the limit.
fn limit_hit(err: &serde_saphyr::Error) -> Option<(String, String)> {
    use serde_saphyr::Error as E;
    let mut err = err;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = err {
        err = error;
    }
    let split = "split the item into several, or move long lists out of the front matter into the body";
    let aliases = "write the values out instead of repeating them with aliases (`*name`)";
    let (message, help) = match err {
        E::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => (depth_message(), flatter()),
            BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => (
                format!(
                    "more than {} values (the YAML values limit; a value an alias repeats counts each time)",
                    thousands(YAML_MAX_VALUES)
                ),
                format!(
                    "{split}; an alias (`*name`) counts every value of its anchor again, so write values out instead"
                ),
            ),
            BudgetBreach::Aliases { .. } => {
                (format!("more than {} aliases (the YAML aliases limit)", thousands(YAML_MAX_ALIASES)), aliases.into())
            }
            BudgetBreach::Anchors { .. } => {
                (format!("more than {} anchors (the YAML anchors limit)", thousands(YAML_MAX_ANCHORS)), aliases.into())
            }
            BudgetBreach::AliasAnchorRatio { aliases: used, anchors } => (
                format!(
                    "{used} aliases repeat {anchors} anchors: more than 10 uses per anchor (the YAML alias ratio limit, against alias bombs)"
                ),
                aliases.into(),
            ),
            BudgetBreach::RecordedAnchorEvents { .. } | BudgetBreach::RecordedAnchorBytes { .. } => {
                ("anchors hold too much to repeat (the YAML anchor size limit)".to_string(), aliases.into())
            }
            BudgetBreach::ScalarBytes { .. } => {
                ("the text values are too long in total (the YAML text limit)".to_string(), split.into())
            }
            BudgetBreach::Documents { .. } => (
                "too many YAML documents (`---` lines) (the YAML documents limit)".to_string(),
                "front matter is one YAML document: remove the extra `---` lines".to_string(),
            ),
            BudgetBreach::MergeKeys { .. } => {
                ("too many merge keys (`<<`) (the YAML merge keys limit)".to_string(), aliases.into())
            }
            other => (format!("the YAML passes one of its size limits ({other:?})"), split.into()),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            "aliases repeat too much (the YAML alias expansion limit, against alias bombs)".to_string(),
            aliases.into(),
        ),
        // The parser's own nesting limit (flow brackets) says so in words.
        other => {
            let text = other.to_string();
            if !(text.contains("recursion limit") || text.contains("depth")) {
                return None;
            }
            (depth_message(), flatter())
        }
    };
    Some((message, help))
}

fn depth_message() -> String {
    format!("values are nested more than {YAML_MAX_DEPTH} levels deep (the YAML nesting limit)")
}

fn flatter() -> String {
    format!("nest lists and mappings at most {YAML_MAX_DEPTH} levels deep")
}

/// The parser's message without the snippet it renders itself: charted draws
/// its own, against the whole file.
fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    // "error: line 3 column 5: did not find expected key" → keep the last part.
    let message = first
        .rsplit_once(": ")
        .filter(|(head, _)| head.contains("line") || head.starts_with("error"))
        .map_or(first, |(_, tail)| tail);
    // Say what the parser's own words mean for a front matter author.
    if message.contains("non-finite float") {
        return "`.inf` and `.nan` are not numbers charted can use; write a finite number".to_string();
    }
    message.to_string()
}

/// The tree as serde builds it, before positions are shifted into file lines.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

trait IntoNode {
    fn into_node(self, shift: &dyn Fn(u32, u32) -> Pos) -> Node;
}

impl IntoNode for Spanned<Raw> {
    fn into_node(self, shift: &dyn Fn(u32, u32) -> Pos) -> Node {
        let pos = shift(self.referenced.line() as u32, self.referenced.column() as u32);
        let value = match self.value {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(b),
            Raw::Int(i) => Value::Int(i),
            Raw::Float(f) => Value::Float(f),
            Raw::Str(s) => Value::Str(s),
            Raw::List(items) => Value::List(items.into_iter().map(|n| n.into_node(shift)).collect()),
            Raw::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key =
                            Key { pos: shift(k.referenced.line() as u32, k.referenced.column() as u32), name: k.value };
                        (key, v.into_node(shift))
                    })
                    .collect(),
            ),
        };
        Node { pos, value }
    }
}

/// Stack each nesting level may need: the parser's generic frames take
/// about 75 KB a level in a debug build, a few KB in a release build.
const LEVEL_RED_ZONE: usize = 256 * 1024;

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // YAML_MAX_DEPTH levels need more stack than a worker thread's 2 MB in
        // a debug build: grow it on the heap when it runs low, never overflow.
        stacker::maybe_grow(LEVEL_RED_ZONE, 4 * 1024 * 1024, || deserializer.deserialize_any(RawVisitor))
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Raw, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            let key = Spanned::new(key.value.0, key.referenced, key.defined);
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

/// A mapping key: text, or a scalar written as text (`2026: x` keys "2026").
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Raw::deserialize(deserializer)? {
            Raw::Str(s) => Ok(KeyText(s)),
            Raw::Int(i) => Ok(KeyText(i.to_string())),
            Raw::Float(f) => Ok(KeyText(f.to_string())),
            Raw::Bool(b) => Ok(KeyText(b.to_string())),
            Raw::Null => Ok(KeyText("null".to_string())),
            Raw::List(_) | Raw::Map(_) => Err(de::Error::custom("a mapping key must be plain text")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(node: &Node) -> &[(Key, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("expected a mapping, got {other:?}"),
        }
    }

    #[test]
    fn positions_are_file_lines_and_columns() {
        let node = parse("title: Slow CI\nreach: 40\nusers:\n  - backend\n", 2).unwrap();
        let entries = map(&node);
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(entries[0].0.pos, Pos { line: 2, column: 1 });
        assert_eq!(entries[0].1.pos, Pos { line: 2, column: 8 });
        assert_eq!(entries[1].1.value, Value::Int(40));
        let Value::List(users) = &entries[2].1.value else { panic!() };
        assert_eq!(users[0].pos, Pos { line: 5, column: 5 });
        assert_eq!(users[0].value, Value::Str("backend".into()));
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_model_to_report() {
        let node = parse("a: 1\na: 2\n", 2).unwrap();
        assert_eq!(map(&node).len(), 2);
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("title: [unclosed\nreach: 3\n", 2).unwrap_err();
        assert!(err.pos.is_some(), "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn empty_front_matter_is_null() {
        assert_eq!(parse("", 2).unwrap().value, Value::Null);
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep, 2).is_err());
    }

    /// Each limit is named, with a fix, and the parse stays quick.
    #[test]
    fn limits_hit_say_which() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        let ratio = format!("a: &a x\nb: [{}]\n", vec!["*a"; 200].join(","));
        let cases = [
            (format!("users:\n{}", "- x\n".repeat(YAML_MAX_VALUES + 1)), "100,000 values"),
            (bomb.to_string(), "100,000 values"),
            ("a: 1\n".repeat(YAML_MAX_VALUES / 2 + 1), "100,000 values"),
            (format!("a: {}1{}", "{a: ".repeat(100), "}".repeat(100)), "nested more than 64"),
            (format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000)), "nested more than 64"),
            (ratio, "more than 10 uses per anchor"),
        ];
        for (text, says) in cases {
            // On a small stack: 64 nested mappings take about 5 MB of it in a
            // debug build, so this checks that the parse grows its stack.
            let parsed = std::thread::Builder::new().stack_size(1 << 20).spawn(move || parse(&text, 2)).unwrap();
            let err = parsed.join().unwrap().unwrap_err();
            assert!(err.message.contains(says), "{says}: {err:?}");
            assert!(err.message.contains("limit"), "{err:?}");
            assert!(err.limit_help.is_some() && err.pos.is_some(), "{err:?}");
        }
        // A syntax error is not a limit.
        assert!(parse("a: [1\n", 2).unwrap_err().limit_help.is_none());
    }

    #[test]
    fn dates_stay_text() {
        let node = parse("date: 2026-03-01\n", 2).unwrap();
        assert_eq!(map(&node)[0].1.value, Value::Str("2026-03-01".into()));
    }
}

//! YAML front matter → a tree of values that remember where they were written.
//!
//! This is the only module that knows the YAML crate. Every node carries its
//! line and column so the model can point at the exact offending value, and
//! keys keep their order and duplicates so the model can report them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

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

/// Nesting deeper than this is refused: no real front matter needs it, and it
/// bounds the recursion of everything that walks the tree.
const MAX_DEPTH: usize = 64;

/// Parses `text` (front matter without its `---` fences). `first_line` is the
/// file line on which `text` starts, so positions point into the file.
pub fn parse(text: &str, first_line: u32) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
    };
    let shift = |line: u32, column: u32| Pos { line: line.saturating_add(first_line.saturating_sub(1)), column };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(text, options) {
        Ok(Some(spanned)) => Ok(spanned.into_node(&shift)),
        Ok(None) => Ok(Node { pos: Pos { line: first_line, column: 1 }, value: Value::Null }),
        Err(err) => Err(SyntaxError {
            pos: err.location().filter(|l| l.line() > 0).map(|l| shift(l.line() as u32, l.column() as u32)),
            message: plain_message(&err),
        }),
    }
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
    if message.contains("recursion limit") || message.contains("depth") {
        return format!("values are nested more than {MAX_DEPTH} levels deep");
    }
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

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
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

    #[test]
    fn dates_stay_text() {
        let node = parse("date: 2026-03-01\n", 2).unwrap();
        assert_eq!(map(&node)[0].1.value, Value::Str("2026-03-01".into()));
    }
}

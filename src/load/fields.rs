//! Typed reading of a YAML mapping, collecting every problem as a diagnostic.
//!
//! Config and items are both mappings of named fields; this is the one place
//! that knows how a field of each type is read, what a wrong type says, and
//! how unknown and duplicate fields are reported.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;

use super::yaml::{Key, Node, Value};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::limits::{MAX_LISTED_FIELDS, thousands};
use crate::words::Choice;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

/// Reads the fields of one mapping. Call [`Fields::finish`] last to report
/// the fields nobody asked for.
pub(crate) struct Fields<'a> {
    file: &'a Path,
    pos: Pos,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    diags: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// `what` names the mapping in the error when `node` is not one ("front matter").
    pub(crate) fn new(file: &'a Path, node: &'a Node, what: &str, diags: &'a mut Diagnostics) -> Option<Self> {
        let entries: &[(Key, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            other => {
                diags.push(
                    Diagnostic::error(
                        "not-a-mapping",
                        format!("{what} is {}, not a mapping of fields", other.describe()),
                    )
                    .at(file, Some(node.pos))
                    .help("write one `field: value` per line, e.g. `title: Slow CI builds`"),
                );
                return None;
            }
        };
        report_duplicates(file, entries, diags);
        Some(Fields { file, pos: node.pos, used: vec![false; entries.len()], entries, diags })
    }

    pub(crate) fn file(&self) -> &'a Path {
        self.file
    }

    /// Reports a problem in this mapping's file.
    pub(crate) fn report(&mut self, diagnostic: Diagnostic) {
        let pos = diagnostic.pos;
        let diagnostic = diagnostic.at(self.file, pos);
        self.diags.push(diagnostic);
    }

    fn error(&mut self, code: &'static str, pos: Pos, message: String, help: String) {
        self.diags.push(Diagnostic::error(code, message).at(self.file, Some(pos)).help(help));
    }

    /// The raw node of a field, marking it as known. The first of duplicates wins.
    pub(crate) fn node(&mut self, name: &str) -> Option<&'a Node> {
        let mut found = None;
        for (i, (key, node)) in self.entries.iter().enumerate() {
            if key.name == name {
                self.used[i] = true;
                found = found.or(Some(node));
            }
        }
        found.filter(|n| n.value != Value::Null)
    }

    /// Where a field's name was written, even when its value is empty.
    pub(crate) fn key_pos(&self, name: &str) -> Option<Pos> {
        self.entries.iter().find(|(key, _)| key.name == name).map(|(key, _)| key.pos)
    }

    fn wrong_type(&mut self, name: &str, node: &Node, expected: &str, example: &str) {
        self.error(
            "wrong-type",
            node.pos,
            format!("`{name}` must be {expected}, but it is {}", node.value.describe()),
            format!("write it like `{name}: {example}`"),
        );
    }

    pub(crate) fn string(&mut self, name: &str) -> Option<At<String>> {
        let node = self.node(name)?;
        self.string_of(name, node)
    }

    fn string_of(&mut self, name: &str, node: &Node) -> Option<At<String>> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                self.wrong_type(name, node, "text", "some words");
                return None;
            }
        };
        Some(At { value: self.without_controls(name, node.pos, text), pos: node.pos })
    }

    /// `text` without control characters, with a warning when it had any: a
    /// NUL or an escape has no place in a web page (HTML forbids them), and
    /// one pasted by mistake would be invisible. Tabs and line breaks stay.
    fn without_controls(&mut self, name: &str, pos: Pos, text: String) -> String {
        let Some(bad) = text.chars().find(|&c| is_forbidden_control(c)) else {
            return text;
        };
        let count = text.chars().filter(|&c| is_forbidden_control(c)).count();
        let others = match count {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        self.diags.push(
            Diagnostic::warning(
                "control-character",
                format!(
                    "`{name}` contains the control character U+{:04X}{others}, which a web page cannot show: it is left out",
                    bad as u32
                ),
            )
            .at(self.file, Some(pos))
            .help(format!(
                "remove it from `{name}`: in a quoted value it is written as an escape such as `\\0` or `\\x07`; \
                 elsewhere retype the value (tabs and line breaks are fine)"
            )),
        );
        text.chars().filter(|&c| !is_forbidden_control(c)).collect()
    }

    /// A field the item cannot do without; `example` shows how to write it.
    /// Empty text (or only spaces) is as good as missing: a page whose
    /// title is blank shows an empty heading.
    pub(crate) fn required_string(&mut self, name: &str, example: &str) -> Option<At<String>> {
        let found = self.string(name);
        match found {
            Some(blank) if blank.value.trim().is_empty() => {
                self.error(
                    "missing-field",
                    blank.pos,
                    format!("the required field `{name}` is empty"),
                    format!("write a value, e.g. `{name}: {example}`"),
                );
                None
            }
            None if self.node(name).is_none() => {
                self.missing(name, example);
                None
            }
            found => found,
        }
    }

    pub(crate) fn missing(&mut self, name: &str, example: &str) {
        let pos = self.pos;
        self.error(
            "missing-field",
            pos,
            format!("the required field `{name}` is missing"),
            format!("add a line `{name}: {example}` to the front matter"),
        );
    }

    pub(crate) fn integer(&mut self, name: &str, min: i64, max: i64, example: &str) -> Option<At<i64>> {
        let node = self.node(name)?;
        let range = if max == i64::MAX { format!("at least {min}") } else { format!("from {min} to {max}") };
        let value = match node.value {
            Value::Int(value) => value,
            // A whole number too big for 64 bits arrives as a float.
            Value::Float(f) if f.is_finite() && f.fract() == 0.0 => {
                self.error(
                    "out-of-range",
                    node.pos,
                    format!("`{name}` is far too large: it must be {range}"),
                    format!("write a whole number {range}, e.g. `{name}: {example}`"),
                );
                return None;
            }
            _ => {
                self.wrong_type(name, node, "a whole number", example);
                return None;
            }
        };
        if value < min || value > max {
            self.error(
                "out-of-range",
                node.pos,
                format!("`{name}` is {value}, but it must be {range}"),
                format!("write a whole number {range}, e.g. `{name}: {example}`"),
            );
            return None;
        }
        Some(At { value, pos: node.pos })
    }

    /// A number; `min_exclusive` says whether `min` itself is allowed.
    pub(crate) fn number(&mut self, name: &str, min: f64, min_exclusive: bool, example: &str) -> Option<At<f64>> {
        self.number_within(name, min, min_exclusive, f64::INFINITY, example)
    }

    /// A number from `min` to `max`: sums of user numbers must stay finite.
    pub(crate) fn number_within(
        &mut self,
        name: &str,
        min: f64,
        min_exclusive: bool,
        max: f64,
        example: &str,
    ) -> Option<At<f64>> {
        let node = self.node(name)?;
        let value = match node.value {
            Value::Int(i) => i as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                self.wrong_type(name, node, "a number", example);
                return None;
            }
        };
        if value < min || (min_exclusive && value == min) {
            let bound = if min_exclusive { format!("more than {min}") } else { format!("at least {min}") };
            self.error(
                "out-of-range",
                node.pos,
                format!("`{name}` is {}, but it must be {bound}", show(value)),
                format!("write a number {bound}, e.g. `{name}: {example}`"),
            );
            return None;
        }
        if value > max {
            self.error(
                "out-of-range",
                node.pos,
                format!("`{name}` is {}, but it must be at most {max}", show(value)),
                format!("write a number up to {max}, e.g. `{name}: {example}`"),
            );
            return None;
        }
        Some(At { value, pos: node.pos })
    }

    pub(crate) fn bool(&mut self, name: &str) -> Option<bool> {
        let node = self.node(name)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(name, node, "true or false", "true");
                None
            }
        }
    }

    pub(crate) fn date(&mut self, name: &str) -> Option<At<Date>> {
        let node = self.node(name)?;
        self.date_of(name, node)
    }

    fn date_of(&mut self, name: &str, node: &Node) -> Option<At<Date>> {
        let text = match &node.value {
            Value::Str(s) => s.as_str(),
            _ => {
                self.wrong_type(name, node, "a date", "2026-03-31");
                return None;
            }
        };
        match parse_date(text) {
            Some(date) => Some(At { value: date, pos: node.pos }),
            None => {
                self.error(
                    "invalid-date",
                    node.pos,
                    format!("`{name}` is `{text}`, which is not a date"),
                    format!("write the date as YEAR-MONTH-DAY, e.g. `{name}: 2026-03-31`"),
                );
                None
            }
        }
    }

    pub(crate) fn choice<T: Choice>(&mut self, name: &str) -> Option<At<T>> {
        let node = self.node(name)?;
        self.choice_of(name, node)
    }

    pub(crate) fn choice_of<T: Choice>(&mut self, name: &str, node: &Node) -> Option<At<T>> {
        let words: Vec<&str> = T::ALL.iter().map(|c| c.as_str()).collect();
        let Value::Str(text) = &node.value else {
            self.wrong_type(name, node, &format!("one of {}", words.join(", ")), words[0]);
            return None;
        };
        if let Some(value) = T::parse(text) {
            return Some(At { value, pos: node.pos });
        }
        let hint =
            did_you_mean(text, words.iter().copied()).map(|w| format!(" (did you mean `{w}`?)")).unwrap_or_default();
        self.error(
            "invalid-value",
            node.pos,
            format!("`{text}` is not a valid `{name}`{hint}"),
            format!("use one of: {}", words.join(", ")),
        );
        None
    }

    /// A list of words; a single word is taken as a list of one.
    pub(crate) fn strings(&mut self, name: &str) -> Vec<At<String>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::List(items) => items.iter().filter_map(|item| self.string_of(name, item)).collect(),
            _ => self.string_of(name, node).into_iter().collect(),
        }
    }

    /// A list of nodes, for lists of mappings; a single mapping is a list of one.
    pub(crate) fn list(&mut self, name: &str) -> Vec<&'a Node> {
        match self.node(name) {
            None => Vec::new(),
            Some(Node { value: Value::List(items), .. }) => items.iter().collect(),
            Some(node) => vec![node],
        }
    }

    /// Warns about every field not read, with the closest known name; past
    /// [`MAX_LISTED_FIELDS`], one warning counts the rest.
    pub(crate) fn finish(self, known: &[&str]) {
        let unknown = self.entries.iter().zip(&self.used).filter(|(_, used)| !**used).map(|(entry, _)| &entry.0);
        let mut listed = 0;
        let mut rest: Option<(Pos, usize)> = None;
        for key in unknown {
            if listed == MAX_LISTED_FIELDS {
                let (_, count) = rest.get_or_insert((key.pos, 0));
                *count += 1;
                continue;
            }
            listed += 1;
            let help = match did_you_mean(&key.name, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? Fields here are: {}", known.join(", ")),
                None => format!("remove it, or use one of: {}", known.join(", ")),
            };
            self.diags.push(
                Diagnostic::warning("unknown-field", format!("unknown field `{}`", key.name))
                    .at(self.file, Some(key.pos))
                    .help(help),
            );
        }
        if let Some((pos, count)) = rest {
            self.diags.push(
                Diagnostic::warning("unknown-field", format!("{} more unknown fields from here on", thousands(count)))
                    .at(self.file, Some(pos))
                    .help(format!(
                        "only the first {MAX_LISTED_FIELDS} unknown fields of a mapping are listed one by one; \
                         remove them, or use the fields charted knows: {}",
                        known.join(", ")
                    )),
            );
        }
    }
}

/// An error for every field given a second time, found in one pass; past
/// [`MAX_LISTED_FIELDS`], one error counts the rest.
fn report_duplicates(file: &Path, entries: &[(Key, Node)], diags: &mut Diagnostics) {
    let mut first: HashMap<&str, Pos> = HashMap::with_capacity(entries.len());
    let mut listed = 0;
    let mut rest: Option<(Pos, usize)> = None;
    for (key, _) in entries {
        let Some(&first_pos) = first.get(key.name.as_str()) else {
            first.insert(&key.name, key.pos);
            continue;
        };
        if listed == MAX_LISTED_FIELDS {
            let (_, count) = rest.get_or_insert((key.pos, 0));
            *count += 1;
            continue;
        }
        listed += 1;
        diags.push(
            Diagnostic::error("duplicate-field", format!("`{}` is given twice", key.name))
                .at(file, Some(key.pos))
                .help(format!("keep one of the two; the first is on line {}", first_pos.line)),
        );
    }
    if let Some((pos, count)) = rest {
        diags.push(
            Diagnostic::error("duplicate-field", format!("{} more fields given twice from here on", thousands(count)))
                .at(file, Some(pos))
                .help(format!(
                    "only the first {MAX_LISTED_FIELDS} repeated fields of a mapping are listed one by one; \
                     keep one of each"
                )),
        );
    }
}

/// A character no item text may hold: every control character but tab,
/// line feed, form feed and carriage return (C0, DEL and C1: HTML forbids them).
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\x0c' | '\r')
}

/// A number as a diagnostic shows it: huge ones in exponent form (`1e308`).
fn show(value: f64) -> String {
    let tiny = value != 0.0 && value.abs() < 1e-6;
    if value.abs() >= 1e15 || tiny { format!("{value:e}") } else { value.to_string() }
}

/// `YYYY-MM-DD`, nothing else: a date in front matter is a calendar day.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
    if !shape_ok {
        return None;
    }
    text.parse::<Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::load::yaml;

    crate::choice! {
        enum Colour { Red = "red", Green = "green" }
    }

    fn read(text: &str, f: impl FnOnce(&mut Fields)) -> Vec<crate::diagnostic::Diagnostic> {
        let node = yaml::parse(text, 2).unwrap();
        let mut diags = Diagnostics::default();
        let mut fields = Fields::new(Path::new("x.md"), &node, "front matter", &mut diags).unwrap();
        f(&mut fields);
        fields.finish(&["name", "count", "colour", "when"]);
        diags.sorted()
    }

    /// 40,000 unknown or repeated keys (80,000 values, under the YAML values
    /// limit): linear, and listed up to the limit with one diagnostic
    /// counting the rest.
    #[test]
    fn many_unknown_and_repeated_fields_are_counted_not_listed() {
        let n = 40_000;
        let unknown: String = (0..n).map(|i| format!("k{i}: 1\n")).collect();
        let started = std::time::Instant::now();
        let d = read(&unknown, |_| {});
        assert_eq!(d.len(), MAX_LISTED_FIELDS + 1, "{:?}", &d[..3]);
        let last = d.iter().find(|d| d.message.contains("more")).unwrap();
        assert_eq!(last.message, format!("{} more unknown fields from here on", thousands(n - MAX_LISTED_FIELDS)));
        assert_eq!(last.pos, Some(Pos { line: 2 + MAX_LISTED_FIELDS as u32, column: 1 }));
        let repeated = "name: a\n".repeat(n);
        let d = read(&repeated, |f| assert!(f.string("name").is_some()));
        assert_eq!(d.len(), MAX_LISTED_FIELDS + 1);
        assert!(d.iter().all(|d| d.code == "duplicate-field"));
        let rest = thousands(n - 1 - MAX_LISTED_FIELDS);
        assert!(d.iter().any(|d| d.message == format!("{rest} more fields given twice from here on")));
        // Quadratic took minutes here; linear takes well under a second.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn reads_typed_values() {
        let d = read("name: A\ncount: 3\ncolour: red\nwhen: 2026-01-31\n", |f| {
            assert_eq!(f.string("name").unwrap().value, "A");
            assert_eq!(f.integer("count", 1, 5, "3").unwrap().value, 3);
            assert_eq!(f.choice::<Colour>("colour").unwrap().value, Colour::Red);
            assert_eq!(f.date("when").unwrap().value.to_string(), "2026-01-31");
        });
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn wrong_values_say_where_and_how_to_fix() {
        let d = read("count: lots\ncolour: gren\nwhen: 2026-02-30\nnmae: x\n", |f| {
            assert!(f.integer("count", 1, 5, "3").is_none());
            assert!(f.choice::<Colour>("colour").is_none());
            assert!(f.date("when").is_none());
        });
        assert_eq!(d.len(), 4, "{d:?}");
        assert_eq!(d[0].code, "wrong-type");
        assert_eq!(d[0].pos, Some(Pos { line: 2, column: 8 }));
        assert!(d[1].message.contains("did you mean `green`"), "{}", d[1].message);
        assert_eq!(d[2].code, "invalid-date");
        assert_eq!(d[3].code, "unknown-field");
        assert_eq!(d[3].severity, Severity::Warning);
        assert!(d[3].help.as_deref().unwrap().contains("did you mean `name`"));
    }

    #[test]
    fn duplicates_and_ranges() {
        let d = read("count: 9\ncount: 2\n", |f| {
            assert!(f.integer("count", 1, 5, "3").is_none());
        });
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["out-of-range", "duplicate-field"]);
    }
}

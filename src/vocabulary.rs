//! The canonical names of teams and user groups (`teams:` and `user_groups:`),
//! each with its aliases: read apart from the rest of the config so another
//! file (a portfolio's shared vocabulary) can supply it later.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::fields::Fields;
use crate::load::yaml::{Node, Value};

/// One canonical name and the other spellings that mean it.
#[derive(Debug, Clone, PartialEq)]
pub struct Canonical {
    pub name: String,
    pub aliases: Vec<String>,
    /// Where the entry was written.
    pub pos: Pos,
}

/// The declared teams and user groups; `None` where no list is given (then
/// spellings are merged instead, see `model::names`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    pub teams: Option<Vec<Canonical>>,
    pub user_groups: Option<Vec<Canonical>>,
}

/// The fields of one entry written as a mapping.
pub const ENTRY_FIELDS: &[&str] = &["name", "aliases"];

/// A list of names: each entry is a bare name (`- Payments`) or
/// `{name: Payments, aliases: [Payments team]}`. `what` is the field's name.
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
    f.finish(ENTRY_FIELDS);
    name.and_then(|n| named(file, &n.value, aliases, node.pos, what, diags))
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
    Some(Canonical { name: name.to_string(), aliases, pos })
}

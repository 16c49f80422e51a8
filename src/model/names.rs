//! One spelling per bucket and per user group: names that differ only in
//! case, spacing or Unicode form are the same group, shown as first written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::item::{Details, Item};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};

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
}

/// The names of one namespace (buckets, or user groups) seen so far.
struct Namespace {
    /// "bucket" or "user group", for messages.
    what: &'static str,
    seen: HashMap<String, First>,
}

impl Namespace {
    fn new(what: &'static str) -> Self {
        Namespace { what, seen: HashMap::new() }
    }

    /// The label `raw` is shown with, warning when it differs from the
    /// spelling first met.
    fn unify(&mut self, raw: &str, file: &Path, pos: Pos, diags: &mut Diagnostics) -> String {
        let first = self.seen.entry(group_key(raw)).or_insert_with(|| First {
            raw: raw.to_string(),
            label: raw.trim().nfc().collect(),
            file: file.to_path_buf(),
        });
        if first.raw != raw {
            diags.push(variant(self.what, raw, first, file, pos));
        }
        first.label.clone()
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

/// Rewrites every bucket and user group to its group's label, and drops a
/// user group an item names twice under two spellings.
pub(crate) fn unify(items: &mut [Item], diags: &mut Diagnostics) {
    let mut buckets = Namespace::new("bucket");
    let mut groups = Namespace::new("user group");
    for item in items.iter_mut() {
        let Item { file, details, .. } = item;
        match details {
            Details::Pain(p) => {
                (p.users, p.users_pos) = unify_list(&mut groups, &p.users, &p.users_pos, file, diags);
                if let (Some(bucket), Some(pos)) = (&p.bucket, p.bucket_pos) {
                    p.bucket = Some(buckets.unify(bucket, file, pos, diags));
                }
            }
            Details::Charter(c) => {
                (c.users, c.users_pos) = unify_list(&mut groups, &c.users, &c.users_pos, file, diags);
            }
            _ => {}
        }
    }
}

/// The labels of one item's list of names, each once, with their positions.
fn unify_list(
    names: &mut Namespace,
    raw: &[String],
    positions: &[Pos],
    file: &Path,
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<Pos>) {
    let mut labels: Vec<String> = Vec::with_capacity(raw.len());
    let mut kept = Vec::with_capacity(raw.len());
    // A set, not `labels.contains`: a pain may list thousands of groups.
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    for (name, &pos) in raw.iter().zip(positions) {
        let label = names.unify(name, file, pos, diags);
        if seen.insert(label.clone()) {
            labels.push(label);
            kept.push(pos);
        }
    }
    (labels, kept)
}

/// The bucket and user groups an item is shown with, after [`unify`].
pub(crate) fn labels(item: &Item) -> (Option<&str>, &[String]) {
    match &item.details {
        Details::Pain(p) => (p.bucket.as_deref(), &p.users),
        Details::Charter(c) => (None, &c.users),
        _ => (None, &[]),
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
}

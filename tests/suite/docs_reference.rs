//! The reference pages of the guide name exactly what the code knows: every
//! config field, kind, field of each kind, allowed value, command, flag and
//! diagnostic code appears, and nothing the code does not know.
//!
//! The convention: a reference table is preceded by a comment
//! `<!-- reference: WHAT [ARG] -->` (blank lines may separate the two), and
//! the first column of each of its rows holds one name in backticks. A marker
//! followed by a paragraph instead of a table says the list is empty (a
//! command without options); the code must then know none either. `WHAT`
//! is one of the keys of [`expected`]. Every table under `docs/reference/`
//! whose first column is headed `field`, `kind`, `value`, `code`, `command`
//! or `flag` must carry a marker, so a list of names cannot drift unchecked.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use charted::reference::*;

type Names = BTreeSet<String>;

fn names<T: AsRef<str>>(list: impl IntoIterator<Item = T>) -> Names {
    list.into_iter().map(|s| s.as_ref().to_string()).collect()
}

fn choices<C: Choice>() -> Names {
    names(C::ALL.iter().map(|c| c.as_str()))
}

/// `charted <args> --help`, as the user sees it.
fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_charted")).args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "charted {args:?} --help failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The indented entries of a `--help` section such as `Commands:`.
fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| l.trim_end() != title)
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

fn commands() -> Vec<String> {
    section(&help(&[]), "Commands:")
        .iter()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The flags in the `Options:` of `charted [COMMAND] --help`.
fn options(args: &[&str]) -> Names {
    section(&help(args), "Options:")
        .iter()
        // The flag column only: a description may name another flag.
        .flat_map(|l| l.split_whitespace().take_while(|w| w.starts_with('-') || w.starts_with('<')))
        .filter(|w| w.starts_with("--"))
        .map(|w| w.trim_end_matches(',').to_string())
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}

/// The flags every command takes (`charted --help` lists them).
fn global_flags() -> Names {
    options(&[])
}

/// A command's own flags: its options but the global ones.
fn flags(command: &str) -> Names {
    options(&[command]).difference(&global_flags()).cloned().collect()
}

/// Every code given to `Diagnostic::error(…)` or `Diagnostic::warning(…)` (or
/// the field reader's `self.error(…)`) in `src/`, outside unit tests, by severity.
/// Every constructor of a diagnostic takes its code as a literal first argument.
fn diagnostic_codes() -> (Names, Names) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let (mut errors, mut warnings) = (Names::new(), Names::new());
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        // Unit-test modules (`#[cfg(test)]` followed by `mod`) are not the product.
        let code = text.split("#[cfg(test)]\nmod").next().unwrap();
        // `self.error(code, …)` is the field reader's shorthand for `Diagnostic::error`.
        let needles = [("Diagnostic::error(", true), ("self.error(", true), ("Diagnostic::warning(", false)];
        for (needle, is_error) in needles {
            let set = if is_error { &mut errors } else { &mut warnings };
            for (at, _) in code.match_indices(needle) {
                let rest = code[at + needle.len()..].trim_start();
                let name = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(name, _)| name);
                if let Some(name) = name {
                    set.insert(name.to_string());
                }
            }
        }
    }
    (errors, warnings)
}

/// What each marker must list.
fn expected() -> BTreeMap<String, Names> {
    let mut out = BTreeMap::new();
    out.insert("config".into(), names(charted::reference::CONFIG_FIELDS));
    out.insert("scoring".into(), names(charted::reference::SCORING_FIELDS));
    out.insert("discovery_budget".into(), names(charted::reference::BUDGET_FIELDS));
    out.insert("history".into(), names(charted::reference::HISTORY_FIELDS));
    out.insert("vocabulary".into(), names(charted::reference::VOCABULARY_FIELDS));
    out.insert("vocabulary-file".into(), names(charted::reference::VOCABULARY_FILE_FIELDS));
    out.insert("portfolio".into(), names(charted::reference::PORTFOLIO_FIELDS));
    out.insert("portfolio-limits".into(), names(charted::reference::PORTFOLIO_LIMITS_FIELDS));
    out.insert("common-fields".into(), names(charted::reference::COMMON_FIELDS));
    out.insert("kinds".into(), choices::<Kind>());
    for &kind in Kind::ALL {
        out.insert(format!("fields {}", kind.as_str()), names(charted::reference::kind_fields(kind)));
    }
    out.insert("values mode".into(), choices::<Mode>());
    out.insert("values category".into(), choices::<Category>());
    out.insert("values frequency".into(), choices::<Frequency>());
    out.insert("values pain-status".into(), choices::<PainStatus>());
    out.insert("values how".into(), choices::<How>());
    out.insert("values phase".into(), choices::<Phase>());
    out.insert("values validation".into(), choices::<Validation>());
    out.insert("values experiment-status".into(), choices::<ExperimentStatus>());
    out.insert("values discovery-method".into(), choices::<Method>());
    out.insert("values better".into(), choices::<Better>());
    let (errors, warnings) = diagnostic_codes();
    out.insert("errors".into(), errors);
    out.insert("warnings".into(), warnings);
    out.insert("switchable-warnings".into(), names(charted::reference::WARNINGS.iter().map(|w| w.code)));
    let commands = commands();
    out.insert("commands".into(), names(&commands));
    out.insert("flags global".into(), global_flags());
    for command in &commands {
        out.insert(format!("flags {command}"), flags(command));
    }
    out
}

/// A marked table: where, and the names in its first column.
struct Table {
    place: String,
    names: Vec<String>,
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn cells(row: &str) -> Vec<&str> {
    let row = row.trim().trim_start_matches('|').trim_end_matches('|');
    row.split('|').map(str::trim).collect()
}

/// The first backticked name of a cell: "`foo`" or "`foo` (required)".
fn name_of(cell: &str) -> Option<String> {
    let rest = cell.strip_prefix('`')?;
    Some(rest.split_once('`')?.0.to_string())
}

/// Marked tables by marker, and unmarked name tables under docs/reference/.
fn tables() -> (BTreeMap<String, Vec<Table>>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    pages(&root.join("docs"), &mut files);
    files.sort();
    let mut marked: BTreeMap<String, Vec<Table>> = BTreeMap::new();
    let mut unmarked = Vec::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        let in_reference = rel.starts_with("docs/reference/");
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut marker: Option<(String, usize)> = None;
        let mut i = 0;
        let mut in_fence = false;
        while i < lines.len() {
            let line = lines[i].trim();
            if line.starts_with("```") || line.starts_with("~~~") {
                in_fence = !in_fence;
            }
            if in_fence {
                i += 1;
                continue;
            }
            if let Some(m) = line.strip_prefix("<!-- reference:").and_then(|r| r.strip_suffix("-->")) {
                assert!(marker.is_none(), "{rel}:{}: a marker with no table after it", marker.unwrap().1);
                marker = Some((m.split_whitespace().collect::<Vec<_>>().join(" "), i + 1));
            } else if line.starts_with('|') {
                let header = cells(line);
                let start = i + 1;
                i += 2; // header and separator
                let mut rows = Vec::new();
                while i < lines.len() && lines[i].trim().starts_with('|') {
                    rows.push(lines[i]);
                    i += 1;
                }
                match marker.take() {
                    Some((what, _)) => {
                        let names = rows
                            .iter()
                            .map(|r| {
                                let cell = cells(r)[0];
                                name_of(cell).unwrap_or_else(|| {
                                    panic!("{rel}: in the `{what}` table, the first column `{cell}` holds no `name`")
                                })
                            })
                            .collect();
                        marked.entry(what).or_default().push(Table { place: format!("{rel}:{start}"), names });
                    }
                    None => {
                        let first = header[0].to_ascii_lowercase();
                        if in_reference
                            && ["field", "kind", "value", "code", "command", "flag"].contains(&first.as_str())
                        {
                            unmarked.push(format!("{rel}:{start}"));
                        }
                    }
                }
                continue;
            } else if !line.is_empty()
                && let Some((what, _)) = marker.take()
            {
                // A marker followed by prose lists nothing ("`charted init` takes no options").
                marker_followed_by_prose(&mut marked, what, format!("{rel}:{}", i + 1));
            }
            i += 1;
        }
    }
    (marked, unmarked)
}

fn marker_followed_by_prose(marked: &mut BTreeMap<String, Vec<Table>>, what: String, place: String) {
    marked.entry(what).or_default().push(Table { place, names: Vec::new() });
}

#[test]
fn the_reference_names_exactly_what_the_code_knows() {
    let expected = expected();
    let (marked, unmarked) = tables();
    let mut problems = Vec::new();
    for what in marked.keys().filter(|w| !expected.contains_key(*w)) {
        problems.push(format!("unknown marker `reference: {what}`; known: {:?}", expected.keys().collect::<Vec<_>>()));
    }
    for (what, want) in &expected {
        let Some(found) = marked.get(what) else {
            problems.push(format!("no table is marked `<!-- reference: {what} -->`; it must list {want:?}"));
            continue;
        };
        if found.len() > 1 {
            let places: Vec<&str> = found.iter().map(|t| t.place.as_str()).collect();
            problems.push(format!("`{what}` is marked more than once: {places:?}"));
        }
        let table = &found[0];
        let mut seen = Names::new();
        for name in &table.names {
            if !seen.insert(name.clone()) {
                problems.push(format!("{}: `{name}` is listed twice in `{what}`", table.place));
            }
        }
        for missing in want.difference(&seen) {
            problems.push(format!("{}: `{what}` does not document `{missing}`, which the code knows", table.place));
        }
        for unknown in seen.difference(want) {
            problems.push(format!("{}: `{what}` documents `{unknown}`, which the code does not know", table.place));
        }
    }
    for place in unmarked {
        problems.push(format!("{place}: a table of names without a `<!-- reference: … -->` marker"));
    }
    assert!(problems.is_empty(), "the reference and the code disagree:\n{}", problems.join("\n"));
}

#[test]
fn the_code_registries_are_what_this_test_reads() {
    // Guards the source scan: it must find the codes the diagnostics tests rely on.
    let (errors, warnings) = diagnostic_codes();
    for code in ["dangling-reference", "missing-field", "wrong-type", "yaml", "broken-output-link"] {
        assert!(errors.contains(code), "the scan of src/ missed the error code `{code}`");
    }
    for w in charted::reference::WARNINGS {
        assert!(warnings.contains(w.code), "the warning `{}` is in WARNINGS but no code gives it", w.code);
    }
    assert!(warnings.contains("unknown-field"));
    assert_eq!(commands(), ["init", "new", "build", "serve", "check", "mv", "history", "completions"]);
    assert!(flags("build").contains("--out"));
    assert!(global_flags().contains("--quiet") && !flags("build").contains("--quiet"));
    // A global flag is taken by every command.
    for command in commands() {
        assert!(options(&[&command]).is_superset(&global_flags()), "`{command}` lacks a global flag");
    }
}

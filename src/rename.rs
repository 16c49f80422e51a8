//! `charted mv`: renames an item and rewrites every reference to it, changing only the bytes that name it.
//!
//! [`plan`] loads the site with the ordinary loader, finds every place that
//! names the item (front-matter references by their YAML positions, body
//! links by their Markdown source ranges) and computes every file's new text;
//! [`apply`] writes them, each through a temporary file renamed into place.
//! A refusal happens in [`plan`], before anything is written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos, Severity, did_you_mean};
use crate::load::{self, Document, LoadError};
use crate::markdown::sources::{Named, link_sources};
use crate::model::item::{suggest_id, valid_id};
use crate::model::{self, Item, Kind, ModelOptions, graph};

/// Why `charted mv` changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum RenameError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("no item has the id `{old}`{hint}")]
    NotAnItem { old: String, hint: String },
    #[error("`{new}` is not a valid id: ids are lowercase letters, digits and dashes, e.g. `{suggestion}`")]
    InvalidId { new: String, suggestion: String },
    #[error("the item is called `{0}` already: give a different new id")]
    SameId(String),
    #[error("the id `{new}` is taken by {by}: choose another id, or rename that item first")]
    Taken { new: String, by: PathBuf },
    #[error(
        "the id `{new}` is an alias of {by} (its old URL redirects there): choose another id, or remove that alias first"
    )]
    AliasTaken { new: String, by: PathBuf },
    #[error("{0} exists already: choose another id, or move that file away first")]
    TargetExists(PathBuf),
    #[error("the charter's page is always charter/ whatever its id, so there is nothing to rename")]
    Charter,
    #[error(
        "the site has {problems} that make references ambiguous, the first: {first}; fix them (`charted check` lists them all), then run `charted mv` again"
    )]
    SiteErrors { problems: String, first: String },
    #[error(
        "{file}:{line}: this reference to `{old}` is written in a way charted cannot rewrite exactly ({why}); write it plainly (or change it to `{new}` by hand), then run `charted mv` again"
    )]
    Unrewritable { file: PathBuf, line: u32, old: String, new: String, why: &'static str },
    #[error("{0} changed while charted was renaming; nothing was written: run `charted mv` again")]
    Changed(PathBuf),
    #[error("cannot write {path}: {source}; nothing was changed")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "cannot put {path} in place: {source}; the files listed before it were changed already: finish by hand (`git status` shows them) or restore them"
    )]
    Partial { path: PathBuf, source: std::io::Error },
}

/// Options of `charted mv`.
#[derive(Debug, Clone, Default)]
pub struct MoveOptions {
    pub site: PathBuf,
    pub old: String,
    pub new: String,
    /// Compute and return the changes, write nothing.
    pub dry_run: bool,
}

/// One changed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to the site; the new path for the renamed item's file.
    pub file: PathBuf,
    /// The line in the file as it is after the change (1-based).
    pub line: u32,
    /// The line before; `None` for a line added.
    pub before: Option<String>,
    pub after: String,
}

/// What a rename changes, computed in full before anything is written.
#[derive(Debug, Clone)]
pub struct Plan {
    pub old: String,
    pub new: String,
    /// The item's file, and where it goes (the same path when its name is not its id).
    pub from: PathBuf,
    pub to: PathBuf,
    /// Every changed line, by file and line.
    pub changes: Vec<Change>,
    files: Vec<Rewrite>,
}

/// One file's new text.
#[derive(Debug, Clone)]
struct Rewrite {
    from: PathBuf,
    to: PathBuf,
    original: String,
    updated: String,
}

/// Replace `range` of a file's text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    text: String,
}

/// Renames as `options` say: plans, and unless it is a dry run, writes.
pub fn run(options: &MoveOptions) -> Result<Plan, RenameError> {
    let plan = plan(&options.site, &options.old, &options.new)?;
    if !options.dry_run {
        apply(&options.site, &plan)?;
    }
    Ok(plan)
}

/// Every edit renaming `old` to `new` takes, or why it must not happen.
pub fn plan(site: &Path, old: &str, new: &str) -> Result<Plan, RenameError> {
    let (loaded, model) = load_site(site)?;
    let index = find_item(&model, old)?;
    let item = &model.items[index];
    check_new_id(&model, index, new)?;
    let docs: HashMap<&Path, &Document> = loaded.documents.iter().map(|d| (d.file.as_path(), d.as_ref())).collect();
    let moves = item.file.file_stem().is_some_and(|stem| stem == old);
    let to = if moves { item.file.with_file_name(format!("{new}.md")) } else { item.file.clone() };
    if moves && site.join(&to).exists() {
        return Err(RenameError::TargetExists(to));
    }
    let names = Names { old, new };
    let mut edits: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
    for other in &model.items {
        let Some(doc) = docs.get(other.file.as_path()) else { continue };
        let found = edits.entry(other.file.clone()).or_default();
        found.extend(reference_edits(other, doc, names)?);
        found.extend(body_edits(doc, item, moves, names)?);
    }
    if let Some(doc) = docs.get(item.file.as_path()) {
        edits.entry(item.file.clone()).or_default().extend(own_edits(item, doc, names)?);
    }
    assemble(site, &docs, names, edits, &item.file, &to)
}

/// The old and new id of one rename.
#[derive(Clone, Copy)]
struct Names<'a> {
    old: &'a str,
    new: &'a str,
}

/// Error codes after which the site's references cannot be trusted: a file
/// not read, an id twice, a field of the wrong shape may hide a reference.
const AMBIGUOUS: &[&str] = &[
    "duplicate-id",
    "alias-collision",
    "invalid-id",
    "unknown-kind",
    "not-a-mapping",
    "duplicate-field",
    "wrong-type",
];

/// The site, loaded and modelled with drafts (they refer to items too), or
/// the first of the problems that make its references ambiguous.
fn load_site(site: &Path) -> Result<(load::Loaded, model::Site), RenameError> {
    let mut load_diags = Diagnostics::default();
    let loaded = load::load(site, &mut load_diags)?;
    let options = ModelOptions { drafts: true, today: crate::today() };
    let mut model_diags = Diagnostics::default();
    let model = model::build_with(&loaded, &options, &model::bodies::LinksOnly, &mut model_diags);
    // A document that gave no item (`kind: pian`) may name the item too.
    let read: HashSet<&Path> = model.items.iter().map(|i| i.file.as_path()).collect();
    let unread: HashSet<&Path> =
        loaded.documents.iter().map(|d| d.file.as_path()).filter(|f| !read.contains(f)).collect();
    let in_unread = |d: &Diagnostic| d.file.as_deref().is_some_and(|f| unread.contains(f));
    // Every error of loading leaves a file unread.
    let blocking: Vec<Diagnostic> = load_diags
        .sorted()
        .into_iter()
        .chain(model_diags.sorted().into_iter().filter(|d| AMBIGUOUS.contains(&d.code) || in_unread(d)))
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = blocking.first() {
        let problems = match blocking.len() {
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        };
        return Err(RenameError::SiteErrors { problems, first: describe(first) });
    }
    Ok((loaded, model))
}

/// `content/pain/a.md:3:7: message` for an error message.
fn describe(d: &Diagnostic) -> String {
    let place = match (&d.file, d.pos) {
        (Some(file), Some(pos)) => format!("{}:{}:{}: ", file.display(), pos.line, pos.column),
        (Some(file), None) => format!("{}: ", file.display()),
        _ => String::new(),
    };
    format!("{place}{} [{}]", d.message, d.code)
}

fn find_item(model: &model::Site, old: &str) -> Result<usize, RenameError> {
    if let Some(index) = model.index_of(old) {
        if model.items[index].kind == Kind::Charter {
            return Err(RenameError::Charter);
        }
        return Ok(index);
    }
    let owner = model.items.iter().find(|i| i.aliases.iter().any(|a| a.value == old));
    let hint = match (owner, did_you_mean(old, model.items.iter().map(|i| i.id.as_str()))) {
        (Some(owner), _) => format!(
            ": `{old}` is an old id of `{}` ({}), whose alias redirects there; give `{}` to rename it",
            owner.id,
            owner.file.display(),
            owner.id
        ),
        (None, Some(close)) => format!(" (did you mean `{close}`?)"),
        (None, None) => " (`charted check` lists the site's items)".to_string(),
    };
    Err(RenameError::NotAnItem { old: old.to_string(), hint })
}

fn check_new_id(model: &model::Site, index: usize, new: &str) -> Result<(), RenameError> {
    let item = &model.items[index];
    if item.id == new {
        return Err(RenameError::SameId(new.to_string()));
    }
    if !valid_id(new) {
        return Err(RenameError::InvalidId { new: new.to_string(), suggestion: suggest_id(new) });
    }
    if let Some(other) = model.get(new) {
        return Err(RenameError::Taken { new: new.to_string(), by: other.file.clone() });
    }
    // The item's own alias may become its id again: renaming back is allowed.
    let alias_owner =
        model.items.iter().enumerate().find(|(i, other)| *i != index && other.aliases.iter().any(|a| a.value == new));
    if let Some((_, other)) = alias_owner {
        return Err(RenameError::AliasTaken { new: new.to_string(), by: other.file.clone() });
    }
    Ok(())
}

/// The front-matter references of `item` that name the renamed item.
fn reference_edits(item: &Item, doc: &Document, names: Names) -> Result<Vec<Edit>, RenameError> {
    graph::edges(item)
        .into_iter()
        .filter(|edge| edge.target.value == names.old)
        .map(|edge| replace_scalar(doc, edge.target.pos, names.old, names.new, names))
        .collect()
}

/// The renamed item's own front matter: its `id:` if written, and its aliases.
fn own_edits(item: &Item, doc: &Document, names: Names) -> Result<Vec<Edit>, RenameError> {
    let mut edits = Vec::new();
    if let Some(pos) = item.id_pos {
        edits.push(replace_scalar(doc, pos, names.old, names.new, names)?);
    }
    match item.aliases.iter().find(|a| a.value == names.new) {
        // Renaming back: the alias that was its id gives way to the id it leaves.
        Some(alias) => edits.push(replace_scalar(doc, alias.pos, names.new, names.old, names)?),
        None => edits.extend(add_alias(item, doc, names)?),
    }
    Ok(edits)
}

/// The body links of `doc` that lead to `target`: `[[old…]]` always; relative
/// `.md` links when the file moves.
fn body_edits(doc: &Document, target: &Item, moves: bool, names: Names) -> Result<Vec<Edit>, RenameError> {
    let dir = doc.file.parent().unwrap_or(Path::new(""));
    let mut edits = Vec::new();
    for link in link_sources(doc.body()) {
        let text = match &link.named {
            Named::Id(id) if id == names.old => names.new.to_string(),
            Named::Path(path) if moves && model::bodies::normalize(&dir.join(path)).as_ref() == Some(&target.file) => {
                match path.strip_suffix(&format!("{}.md", names.old)) {
                    Some(folder) => format!("{folder}{}.md", names.new),
                    None => return Err(unrewritable(doc, doc.body_start + link.offset, names, "an unusual path")),
                }
            }
            _ => continue,
        };
        let span = link
            .span
            .ok_or_else(|| unrewritable(doc, doc.body_start + link.offset, names, "an escape or entity in the link"))?;
        edits.push(Edit { range: doc.body_start + span.start..doc.body_start + span.end, text });
    }
    Ok(edits)
}

fn unrewritable(doc: &Document, offset: usize, names: Names, why: &'static str) -> RenameError {
    let line = doc.text.get(..offset).map_or(1, |before| before.matches('\n').count() as u32 + 1);
    RenameError::Unrewritable {
        file: doc.file.clone(),
        line,
        old: names.old.to_string(),
        new: names.new.to_string(),
        why,
    }
}

/// Replaces the YAML scalar `value` written at `pos` with `with`, inside its quotes if it has them.
fn replace_scalar(doc: &Document, pos: Pos, value: &str, with: &str, names: Names) -> Result<Edit, RenameError> {
    let at = offset_of(&doc.text, pos);
    let Some((range, quoted)) = at.and_then(|at| scalar_span(&doc.text, at, value)) else {
        return Err(unrewritable(doc, at.unwrap_or(0), names, "an escaped, folded or multi-line value"));
    };
    let text = if quoted || plain_ok(with) { with.to_string() } else { format!("'{with}'") };
    Ok(Edit { range, text })
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let line_start = match pos.line {
        0 | 1 => 0,
        line => text.match_indices('\n').nth(line as usize - 2)?.0 + 1,
    };
    let column = pos.column.checked_sub(1)? as usize;
    let (within, _) = text[line_start..].char_indices().nth(column)?;
    Some(line_start + within)
}

/// The range of `value` written as a scalar at `at` (inside quotes when
/// quoted), if the text there spells exactly it; and whether it is quoted.
fn scalar_span(text: &str, at: usize, value: &str) -> Option<(Range<usize>, bool)> {
    let quote = text[at..].chars().next().filter(|c| *c == '"' || *c == '\'');
    let start = at + quote.map_or(0, char::len_utf8);
    let after = text.get(start..)?.strip_prefix(value)?;
    let ends = match quote {
        Some(q) => after.starts_with(q),
        None => after.is_empty() || after.starts_with([' ', '\t', '\r', '\n', ',', ']', '}', '#']),
    };
    ends.then_some((start..start + value.len(), quote.is_some()))
}

/// Whether an id reads back as the same text written plainly in YAML:
/// `null`, `true` or `2026e1` would not.
fn plain_ok(id: &str) -> bool {
    let word = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"].contains(&id);
    id.starts_with(|c: char| c.is_ascii_lowercase()) && !word
}

/// Adds `old` to the item's `aliases`, in the style the list is written in,
/// or as a new last line of the front matter when there is none.
fn add_alias(item: &Item, doc: &Document, names: Names) -> Result<Vec<Edit>, RenameError> {
    let text = &doc.text;
    let old = if plain_ok(names.old) { names.old.to_string() } else { format!("'{}'", names.old) };
    let head = &text[..doc.body_start];
    let eol = if head.contains("\r\n") { "\r\n" } else { "\n" };
    if let Some(last) = item.aliases.last() {
        return append_to_list(doc, last.pos, &last.value, &old, eol, names);
    }
    if item.field_positions.iter().any(|(field, _)| field == "aliases") {
        return fill_empty_field(doc, item.pos_of("aliases"), &old, names);
    }
    // The closing fence's line: the new field goes just above it.
    let without_eol = head.strip_suffix('\n').map_or(head, |h| h.strip_suffix('\r').unwrap_or(h));
    let fence = without_eol.rfind('\n').map_or(0, |n| n + 1);
    Ok(vec![Edit { range: fence..fence, text: format!("aliases: [{old}]{eol}") }])
}

/// Appends `old` after the list's last alias, written at `pos`.
fn append_to_list(
    doc: &Document,
    pos: Pos,
    last: &str,
    old: &str,
    eol: &str,
    names: Names,
) -> Result<Vec<Edit>, RenameError> {
    let text = &doc.text;
    let at = offset_of(text, pos);
    let Some((range, quoted)) = at.and_then(|at| scalar_span(text, at, last)) else {
        return Err(unrewritable(doc, at.unwrap_or(0), names, "an alias written in an unusual way"));
    };
    let (start, end) = if quoted { (range.start - 1, range.end + 1) } else { (range.start, range.end) };
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let before = text[line_start..start].trim_end();
    if let Some(indent) = before.strip_suffix('-').filter(|i| i.trim().is_empty()) {
        // A block list: a new `- old` line under the last one.
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
        return Ok(vec![Edit { range: line_end..line_end, text: format!("{indent}- {old}{eol}") }]);
    }
    if before.ends_with(['[', ',']) {
        return Ok(vec![Edit { range: end..end, text: format!(", {old}") }]);
    }
    if before.ends_with(':') {
        // One alias written as a scalar becomes a list of two.
        return Ok(vec![
            Edit { range: start..start, text: "[".to_string() },
            Edit { range: end..end, text: format!(", {old}]") },
        ]);
    }
    Err(unrewritable(doc, start, names, "an alias list written in an unusual way"))
}

/// `aliases: []`, `aliases: ~` or a bare `aliases:` at `key` becomes `aliases: [old]`.
fn fill_empty_field(doc: &Document, key: Pos, old: &str, names: Names) -> Result<Vec<Edit>, RenameError> {
    let text = &doc.text;
    let at = offset_of(text, key).unwrap_or(0);
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let line = &text[at..line_end];
    let Some(rest) = line.strip_prefix("aliases").map(str::trim_start).and_then(|r| r.strip_prefix(':')) else {
        return Err(unrewritable(doc, at, names, "a quoted `aliases` key"));
    };
    let colon = line_end - rest.len();
    let value = rest.trim_start();
    let value_start = line_end - value.len();
    let empty = ["[]", "~", "null"].into_iter().find(|word| {
        value.strip_prefix(word).is_some_and(|after| after.trim_end().is_empty() || after.starts_with([' ', '\t']))
    });
    match empty {
        Some(word) => Ok(vec![Edit { range: value_start..value_start + word.len(), text: format!("[{old}]") }]),
        None if value.trim_end().is_empty() || value.starts_with('#') => {
            Ok(vec![Edit { range: colon..colon, text: format!(" [{old}]") }])
        }
        None => Err(unrewritable(doc, at, names, "an `aliases` value written in an unusual way")),
    }
}

/// Each file's new text and the lines that changed, or why not.
fn assemble(
    site: &Path,
    docs: &HashMap<&Path, &Document>,
    names: Names,
    edits: BTreeMap<PathBuf, Vec<Edit>>,
    from: &Path,
    to: &Path,
) -> Result<Plan, RenameError> {
    let mut files = Vec::new();
    let mut changes = Vec::new();
    for (file, mut edits) in edits.into_iter().filter(|(_, e)| !e.is_empty()) {
        let path = site.join(&file);
        let original = fs::read_to_string(&path).map_err(|source| RenameError::Load(LoadError::Io { path, source }))?;
        // The edits are offsets into the text as loaded (lone CRs read as LF, same length).
        let loaded = docs.get(file.as_path()).map(|d| d.text.as_str());
        if Some(load::lone_cr_to_lf(original.clone()).as_str()) != loaded {
            return Err(RenameError::Changed(file));
        }
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        edits.dedup();
        let updated = apply_edits(&original, &edits).ok_or_else(|| RenameError::Changed(file.clone()))?;
        let target = if file == from { to.to_path_buf() } else { file.clone() };
        changes.extend(changed_lines(&original, &edits).into_iter().map(|(line, before, after)| Change {
            file: target.clone(),
            line,
            before,
            after,
        }));
        files.push(Rewrite { from: file, to: target, original, updated });
    }
    Ok(Plan {
        old: names.old.to_string(),
        new: names.new.to_string(),
        from: from.to_path_buf(),
        to: to.to_path_buf(),
        changes,
        files,
    })
}

/// The text with sorted, non-overlapping edits made; `None` when an edit
/// does not fit the text (it changed since it was loaded).
fn apply_edits(original: &str, edits: &[Edit]) -> Option<String> {
    let mut out = String::with_capacity(original.len() + 64);
    let mut done = 0;
    for edit in edits {
        out.push_str(original.get(done..edit.range.start)?);
        out.push_str(&edit.text);
        done = edit.range.end;
    }
    out.push_str(original.get(done..)?);
    Some(out)
}

/// (line after the change, line before or `None` when added, line after) for
/// every line the edits touch.
fn changed_lines(original: &str, edits: &[Edit]) -> Vec<(u32, Option<String>, String)> {
    let show = |line: &str| line.trim_end_matches(['\r', '\n']).to_string();
    let mut out = Vec::new();
    let mut added = 0;
    let mut i = 0;
    while i < edits.len() {
        let start = edits[i].range.start;
        let line_start = original[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_no = original[..line_start].matches('\n').count() as u32 + 1 + added;
        if edits[i].range.is_empty() && start == line_start && edits[i].text.ends_with('\n') {
            out.push((line_no, None, show(&edits[i].text)));
            added += 1;
            i += 1;
            continue;
        }
        let line_end = original[start..].find('\n').map_or(original.len(), |n| start + n);
        let mut j = i;
        while j < edits.len() && edits[j].range.start <= line_end && !edits[j].text.ends_with('\n') {
            j += 1;
        }
        let shifted: Vec<Edit> = edits[i..j]
            .iter()
            .map(|e| Edit { range: e.range.start - line_start..e.range.end - line_start, text: e.text.clone() })
            .collect();
        let before = &original[line_start..line_end];
        out.push((line_no, Some(show(before)), show(&apply_edits(before, &shifted).unwrap_or_default())));
        i = j.max(i + 1);
    }
    out
}

/// Writes a plan: every file to a temporary file first (a failure there
/// leaves everything as it was), then each renamed into place.
pub fn apply(site: &Path, plan: &Plan) -> Result<(), RenameError> {
    for file in &plan.files {
        let now = fs::read_to_string(site.join(&file.from)).ok();
        if now.as_deref() != Some(file.original.as_str()) {
            return Err(RenameError::Changed(file.from.clone()));
        }
    }
    if plan.from != plan.to && site.join(&plan.to).exists() {
        return Err(RenameError::TargetExists(plan.to.clone()));
    }
    let mut temps: Vec<PathBuf> = Vec::new();
    for file in &plan.files {
        match write_temp(site, file) {
            Ok(temp) => temps.push(temp),
            Err(err) => {
                for temp in &temps {
                    let _ = fs::remove_file(temp);
                }
                return Err(err);
            }
        }
    }
    for (file, temp) in plan.files.iter().zip(&temps) {
        let path = site.join(&file.to);
        fs::rename(temp, &path).map_err(|source| RenameError::Partial { path, source })?;
    }
    if plan.from != plan.to {
        let path = site.join(&plan.from);
        fs::remove_file(&path).map_err(|source| RenameError::Partial { path, source })?;
    }
    Ok(())
}

/// `.NAME.charted-mv` beside the file's target, with the original's permissions.
/// A hidden name: the loader and `serve`'s watcher skip it.
fn write_temp(site: &Path, file: &Rewrite) -> Result<PathBuf, RenameError> {
    let target = site.join(&file.to);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.charted-mv"));
    let fail = |source| RenameError::Write { path: target.clone(), source };
    let write = || -> std::io::Result<()> {
        let mut out = fs::File::create(&temp)?;
        std::io::Write::write_all(&mut out, file.updated.as_bytes())?;
        out.sync_all()?;
        if let Ok(meta) = fs::metadata(site.join(&file.from)) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        Ok(())
    };
    match write() {
        Ok(()) => Ok(temp),
        Err(source) => {
            let _ = fs::remove_file(&temp);
            Err(fail(source))
        }
    }
}

impl Plan {
    /// What the plan does, as `charted mv` prints it: the move, then each
    /// changed line as `file:line` with the line before and after.
    pub fn describe(&self, dry_run: bool) -> String {
        let mut out = String::new();
        let verb = if dry_run { "Would rename" } else { "Renamed" };
        out.push_str(&format!("{verb} `{}` to `{}`", self.old, self.new));
        if self.from != self.to {
            out.push_str(&format!(": {} → {}", self.from.display(), self.to.display()));
        }
        out.push('\n');
        for change in &self.changes {
            out.push_str(&format!("{}:{}\n", change.file.display(), change.line));
            if let Some(before) = &change.before {
                out.push_str(&format!("  - {before}\n"));
            }
            out.push_str(&format!("  + {}\n", change.after));
        }
        let files = self.files.len();
        let lines = self.changes.len();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let tail = if dry_run { "dry run: nothing was changed" } else { "the old URL redirects to the new one" };
        out.push_str(&format!("{} in {}; {tail}.\n", plural(lines, "line"), plural(files, "file")));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site in a temporary folder with these files under it.
    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("charted.yaml"), "title: T\n").unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    fn read(dir: &tempfile::TempDir, rel: &str) -> String {
        fs::read_to_string(dir.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn mv(dir: &tempfile::TempDir, old: &str, new: &str) -> Result<Plan, RenameError> {
        run(&MoveOptions { site: dir.path().to_path_buf(), old: old.into(), new: new.into(), dry_run: false })
    }

    /// The pain's file after renaming `a` to `b`, given its front matter lines.
    fn aliases_after(front: &str) -> String {
        let dir = site(&[("content/pain/a.md", &format!("---\ntitle: A\n{front}---\nBody.\n"))]);
        mv(&dir, "a", "b").unwrap();
        read(&dir, "content/pain/b.md")
    }

    #[test]
    fn the_old_id_joins_the_aliases_in_their_own_style() {
        assert_eq!(aliases_after(""), "---\ntitle: A\naliases: [a]\n---\nBody.\n");
        assert_eq!(aliases_after("aliases: [x, 'y']\n"), "---\ntitle: A\naliases: [x, 'y', a]\n---\nBody.\n");
        assert_eq!(
            aliases_after("aliases:\n  - x # first\nowner: Me\n"),
            "---\ntitle: A\naliases:\n  - x # first\n  - a\nowner: Me\n---\nBody.\n"
        );
        assert_eq!(aliases_after("aliases: \"x\"\n"), "---\ntitle: A\naliases: [\"x\", a]\n---\nBody.\n");
        assert_eq!(aliases_after("aliases: []  # none\n"), "---\ntitle: A\naliases: [a]  # none\n---\nBody.\n");
        assert_eq!(aliases_after("aliases:\n"), "---\ntitle: A\naliases: [a]\n---\nBody.\n");
        assert_eq!(aliases_after("aliases: ~\n"), "---\ntitle: A\naliases: [a]\n---\nBody.\n");
    }

    #[test]
    fn every_reference_field_is_rewritten_keeping_quotes_comments_and_crlf() {
        let dir = site(&[
            ("content/pain/a.md", "---\r\ntitle: A\r\n---\r\nSee [[a]] and [me](a.md#top).\r\n"),
            (
                "content/discovery/d.md",
                "---\r\ntitle: D\r\nmethod: survey\r\ndate: 2026-01-01\r\nsurfaces: [\"a\"] # hi\r\n---\r\n[[a|the pain]] [[a#why]] [x](../pain/a.md)\r\n",
            ),
            (
                "content/solutions/s.md",
                "---\ntitle: S\naddresses:\n  - pain: 'a'\n    how: eliminate\n  - a\n---\n[x][r]\n\n[r]: ../pain/a.md\n",
            ),
            (
                "content/slas/l.md",
                "---\ntitle: L\nservice: CI\nobjective: Up\nexpected: 1\ncurrent: 1\npains: a\n---\n",
            ),
            ("content/experiments/e.md", "---\ntitle: E\ntests: s\nhypothesis: H\n---\n`[[a]]` stays\n"),
        ]);
        let plan = mv(&dir, "a", "b-2").unwrap();
        assert_eq!(
            read(&dir, "content/pain/b-2.md"),
            "---\r\ntitle: A\r\naliases: [a]\r\n---\r\nSee [[b-2]] and [me](b-2.md#top).\r\n"
        );
        assert_eq!(
            read(&dir, "content/discovery/d.md"),
            "---\r\ntitle: D\r\nmethod: survey\r\ndate: 2026-01-01\r\nsurfaces: [\"b-2\"] # hi\r\n---\r\n[[b-2|the pain]] [[b-2#why]] [x](../pain/b-2.md)\r\n"
        );
        assert_eq!(
            read(&dir, "content/solutions/s.md"),
            "---\ntitle: S\naddresses:\n  - pain: 'b-2'\n    how: eliminate\n  - b-2\n---\n[x][r]\n\n[r]: ../pain/b-2.md\n"
        );
        assert!(read(&dir, "content/slas/l.md").contains("\npains: b-2\n"));
        assert_eq!(
            read(&dir, "content/experiments/e.md"),
            "---\ntitle: E\ntests: s\nhypothesis: H\n---\n`[[a]]` stays\n"
        );
        assert!(!dir.path().join("content/pain/a.md").exists());
        let first = &plan.changes[0];
        assert_eq!(first.file, Path::new("content/discovery/d.md"));
        assert_eq!((first.line, first.before.as_deref()), (5, Some("surfaces: [\"a\"] # hi")));
        assert_eq!(first.after, "surfaces: [\"b-2\"] # hi");
    }

    #[test]
    fn an_explicit_id_is_rewritten_and_the_file_keeps_its_name() {
        let dir = site(&[
            ("content/pain/file-name.md", "---\ntitle: A\nid: a\n---\n"),
            ("content/pain/other.md", "---\ntitle: O\n---\n[[a]] [x](file-name.md)\n"),
        ]);
        let plan = mv(&dir, "a", "b").unwrap();
        assert_eq!(plan.from, plan.to);
        assert_eq!(read(&dir, "content/pain/file-name.md"), "---\ntitle: A\nid: b\naliases: [a]\n---\n");
        assert_eq!(read(&dir, "content/pain/other.md"), "---\ntitle: O\n---\n[[b]] [x](file-name.md)\n");
    }

    #[test]
    fn renaming_back_gives_the_alias_its_old_place() {
        let dir = site(&[("content/pain/a.md", "---\ntitle: A\naliases: [z]\n---\n")]);
        mv(&dir, "a", "b").unwrap();
        assert_eq!(read(&dir, "content/pain/b.md"), "---\ntitle: A\naliases: [z, a]\n---\n");
        mv(&dir, "b", "a").unwrap();
        assert_eq!(read(&dir, "content/pain/a.md"), "---\ntitle: A\naliases: [z, b]\n---\n");
    }

    #[test]
    fn a_dry_run_and_a_refusal_write_nothing() {
        let text = "---\ntitle: A\n---\n";
        let dir = site(&[("content/pain/a.md", text), ("content/pain/c.md", "---\ntitle: C\n---\n[x](a\\.md)\n")]);
        let options = MoveOptions { site: dir.path().to_path_buf(), old: "a".into(), new: "b".into(), dry_run: true };
        assert!(matches!(run(&options), Err(RenameError::Unrewritable { line: 4, .. })));
        fs::write(dir.path().join("content/pain/c.md"), "---\ntitle: C\n---\n").unwrap();
        let plan = run(&options).unwrap();
        assert!(plan.describe(true).contains("Would rename `a` to `b`: content/pain/a.md → content/pain/b.md"));
        assert_eq!(read(&dir, "content/pain/a.md"), text);
        assert!(matches!(mv(&dir, "a", "c"), Err(RenameError::Taken { .. })));
        assert!(matches!(mv(&dir, "a", "B"), Err(RenameError::InvalidId { .. })));
        assert_eq!(read(&dir, "content/pain/a.md"), text);
        let names: Vec<_> =
            fs::read_dir(dir.path().join("content/pain")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    fn ids_yaml_would_misread_are_quoted() {
        let dir = site(&[
            ("content/pain/a.md", "---\ntitle: A\n---\n"),
            (
                "content/slas/l.md",
                "---\ntitle: L\nservice: CI\nobjective: Up\nexpected: 1\ncurrent: 1\npains: [a]\n---\n",
            ),
        ]);
        mv(&dir, "a", "null").unwrap();
        assert!(read(&dir, "content/slas/l.md").contains("pains: ['null']"));
        mv(&dir, "null", "2026").unwrap();
        assert_eq!(read(&dir, "content/pain/2026.md"), "---\ntitle: A\naliases: [a, 'null']\n---\n");
    }

    #[test]
    fn a_file_that_gave_no_item_blocks_the_rename() {
        let dir = site(&[
            ("content/pain/a.md", "---\ntitle: A\n---\n"),
            ("content/pain/b.md", "---\ntitle: B\nkind: pian\n---\n[[a]]\n"),
        ]);
        let err = mv(&dir, "a", "c").unwrap_err();
        assert!(
            matches!(&err, RenameError::SiteErrors { first, .. } if first.contains("content/pain/b.md:3")),
            "{err}"
        );
        assert!(dir.path().join("content/pain/a.md").is_file());
    }
}

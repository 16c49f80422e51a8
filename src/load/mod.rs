//! Load: read `charted.yaml` and every Markdown file under `content/`,
//! splitting each into parsed front matter and a body.

pub(crate) mod fetch;
pub(crate) mod fields;
pub(crate) mod frontmatter;
pub(crate) mod neighbours;
pub(crate) mod published;
pub(crate) mod shared;
pub(crate) mod yaml;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use frontmatter::FrontMatterError;
use yaml::Node;

/// The name of the config file at the site root.
pub(crate) const CONFIG_FILE: &str = "charted.yaml";
/// The folder of Markdown items.
pub(crate) const CONTENT_DIR: &str = "content";

pub(crate) use crate::limits::MAX_FILE_BYTES;

/// What stops loading before any file is read: the site itself is not there.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("{0} has no {CONFIG_FILE}: is this a charted site? (`charted init DIR` makes one)")]
    NoConfig(PathBuf),
    #[error("{0} has no {CONTENT_DIR}/ folder: create it and put the items there")]
    NoContent(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// One Markdown file with parsed front matter.
#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to the site folder, e.g. `content/pain/slow-ci.md`.
    pub file: PathBuf,
    /// The first folder below `content/`, if any (`pain` for `content/pain/a.md`).
    pub folder: Option<String>,
    /// The file name without `.md`.
    pub stem: String,
    pub front: Node,
    /// The whole file.
    pub text: String,
    /// Where the body starts in `text`, and on which line.
    pub body_start: usize,
    pub body_line: u32,
    /// Problems of the file itself (its fences, its body's characters),
    /// reported each time it is loaded.
    pub notes: Vec<Diagnostic>,
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A site as read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub config_text: String,
    pub documents: Vec<Arc<Document>>,
    /// Stems of files that could not be read, so references to them are not reported twice.
    pub unreadable: Vec<String>,
    /// The text of files that were read but could not be used, to show their problems in context.
    pub broken: Vec<(PathBuf, String)>,
    /// The shared vocabulary file charted.yaml names, as read.
    pub shared: Option<shared::SharedFile>,
    /// The published items of the teams `neighbours:` names, as fetched
    /// ([`neighbours::read`]: only for the site being built, not for the
    /// team sites a portfolio reads, whose pages it does not show).
    pub neighbours: Vec<neighbours::Neighbour>,
}

impl Loaded {
    /// The text of a file, for printing the offending line of a diagnostic.
    pub fn source(&self, file: &Path) -> Option<&str> {
        if file == Path::new(CONFIG_FILE) {
            return Some(&self.config_text);
        }
        if let Some(shared) = self.shared.as_ref().filter(|s| s.file == file) {
            return Some(&shared.text);
        }
        let documents = self.documents.iter().map(|d| (&d.file, &d.text));
        let broken = self.broken.iter().map(|(f, t)| (f, t));
        documents.chain(broken).find(|(f, _)| *f == file).map(|(_, t)| t.as_str())
    }

    /// The text of every file [`Loaded::source`] knows, by file: one lookup
    /// each when printing many diagnostics.
    pub fn sources(&self) -> HashMap<&Path, &str> {
        let documents = self.documents.iter().map(|d| (d.file.as_path(), d.text.as_str()));
        let broken = self.broken.iter().map(|(f, t)| (f.as_path(), t.as_str()));
        let mut all: HashMap<&Path, &str> = HashMap::new();
        // The first of a name wins, as in `source`.
        for (file, text) in documents.chain(broken) {
            all.entry(file).or_insert(text);
        }
        if let Some(shared) = &self.shared {
            all.insert(shared.file.as_path(), &shared.text);
        }
        all.insert(Path::new(CONFIG_FILE), &self.config_text);
        all
    }
}

/// Reads the site at `root`. Problems with single files become diagnostics;
/// only a site that is not there at all is an error.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Result<Loaded, LoadError> {
    load_cached(root, &mut FileCache::default(), &mut fetch::Network, diags)
}

/// Parsed files from the previous run, reused when a file has not changed.
#[derive(Default)]
pub(crate) struct FileCache {
    entries: HashMap<PathBuf, Cached>,
    /// What the file watcher says changed since the last run.
    stale: Stale,
}

/// Files to read again whatever their stamp says: an edit can keep a file's
/// size and time (`cp -p`, `rsync -t`, `tar x`), so only its bytes tell.
#[derive(Default)]
enum Stale {
    /// These paths, relative to the site folder; a folder stands for all below it.
    #[default]
    None,
    Named(Vec<PathBuf>),
    /// A change the watcher could not name (a rescan, a lost event): every file.
    All,
}

impl Stale {
    fn covers(&self, rel: &Path) -> bool {
        match self {
            Stale::None => false,
            Stale::Named(paths) => paths.iter().any(|p| rel.starts_with(p)),
            Stale::All => true,
        }
    }
}

impl FileCache {
    /// Marks files (relative to the site folder, or folders holding them) as
    /// changed: the next run reads them and compares their bytes, whatever
    /// their size and modification time.
    pub(crate) fn mark_changed(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        match &mut self.stale {
            Stale::All => {}
            Stale::Named(named) => named.extend(paths),
            none @ Stale::None => *none = Stale::Named(paths.into_iter().collect()),
        }
    }

    /// Marks every file as changed, for a change that names no file.
    pub(crate) fn mark_all_changed(&mut self) {
        self.stale = Stale::All;
    }
}

struct Cached {
    stamp: Stamp,
    result: Result<Arc<Document>, Arc<Failure>>,
}

/// What tells a file changed without reading it: its size and modification time.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: SystemTime,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::metadata(path).ok()?;
        Some(Stamp { len: meta.len(), modified: meta.modified().ok()? })
    }

    /// File times are coarse (a few milliseconds): a file modified very
    /// recently may change again with the same stamp, so it is read again.
    fn settled(&self) -> bool {
        SystemTime::now().duration_since(self.modified).is_ok_and(|age| age > Duration::from_secs(2))
    }
}

/// [`load`], reusing the parse of every file whose size and time are
/// unchanged and which no watcher event named (see [`FileCache::mark_changed`]);
/// a file read again whose bytes are the same keeps its parse too. A shared
/// vocabulary at a URL is fetched through `fetch`.
pub(crate) fn load_cached(
    root: &Path,
    cache: &mut FileCache,
    fetch: &mut dyn shared::Fetch,
    diags: &mut Diagnostics,
) -> Result<Loaded, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        return Err(LoadError::NoConfig(root.to_path_buf()));
    }
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(LoadError::NoContent(root.to_path_buf()));
    }
    let (mut config, config_text) = load_config(&config_path, diags)?;
    let shared = shared::resolve(root, &mut config, fetch, diags);
    let paths = walk(root, &content, diags);
    let previous = std::mem::take(&mut cache.entries);
    let stale = std::mem::take(&mut cache.stale);
    let results: Vec<(PathBuf, Cached)> = paths
        .into_par_iter()
        .map(|path| {
            let stamp = Stamp::of(&path);
            let before = previous.get(&path);
            let named = || stale.covers(path.strip_prefix(root).unwrap_or(&path));
            let trusted = before.filter(|c| Some(c.stamp) == stamp && c.stamp.settled() && !named());
            let stamp = stamp.unwrap_or(Stamp { len: 0, modified: SystemTime::UNIX_EPOCH });
            let cached = match trusted {
                Some(c) => Cached { stamp, result: c.result.clone() },
                None => reread(root, &path, stamp, before),
            };
            (path, cached)
        })
        .collect();
    let loaded = Loaded { shared, ..gather(config, config_text, results.iter().map(|(_, c)| &c.result), diags) };
    cache.entries = results.into_iter().collect();
    Ok(loaded)
}

/// Reads a file again; its parse from `before` is kept when the bytes are
/// the text it was parsed from (a document holds its file's whole text; a
/// file whose text reading normalised, lone CRs or control characters, or
/// that failed to parse, is parsed again).
fn reread(root: &Path, path: &Path, stamp: Stamp, before: Option<&Cached>) -> Cached {
    let bytes = match read_bytes(root, path) {
        Ok(bytes) => bytes,
        Err(failure) => return Cached { stamp, result: Err(Arc::from(failure)) },
    };
    let same = |c: &&Cached| c.result.as_ref().is_ok_and(|doc| doc.text.as_bytes() == bytes.as_slice());
    let result = match before.filter(same) {
        Some(same) => same.result.clone(),
        None => {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            parse_document(relative(root, path), stem, bytes).map(Arc::new).map_err(Arc::from)
        }
    };
    Cached { stamp, result }
}

/// Loads a site held in memory: the bytes of `charted.yaml` and of each file
/// under `content/` (paths relative to the site, e.g. `content/pain/a.md`).
/// The same checks as [`load`] but those about the disk (links, permissions,
/// sizes): the fuzz target and the property tests use it.
pub fn load_from_memory(config: &[u8], files: &[(PathBuf, Vec<u8>)], diags: &mut Diagnostics) -> Loaded {
    let mut files: Vec<&(PathBuf, Vec<u8>)> = files.iter().filter(|(p, _)| is_content(p)).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    let results: Vec<Parsed> = files.into_iter().map(|(path, bytes)| parse_file(path, bytes.clone())).collect();
    assemble(config, results.iter(), diags)
}

/// Whether a path relative to the site is an item file: Markdown under `content/`.
pub(crate) fn is_content(path: &Path) -> bool {
    path.starts_with(CONTENT_DIR) && path.extension().is_some_and(|e| e == "md")
}

/// One file's parse, or why it could not be used: shared by every site made
/// of the same bytes at the same path (the reviews of a site's history).
pub(crate) type Parsed = Result<Arc<Document>, Arc<Failure>>;

/// Parses one item file, `path` relative to the site.
pub(crate) fn parse_file(path: &Path, bytes: Vec<u8>) -> Parsed {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    parse_document(path.to_path_buf(), stem, bytes).map(Arc::new).map_err(Arc::from)
}

/// A site from its config's bytes and its files' parses, in path order.
pub(crate) fn assemble<'a>(config: &[u8], files: impl Iterator<Item = &'a Parsed>, diags: &mut Diagnostics) -> Loaded {
    let (config, config_text) = parse_config(config.to_vec(), diags);
    gather(config, config_text, files, diags)
}

fn gather<'a>(
    config: Config,
    config_text: String,
    results: impl Iterator<Item = &'a Result<Arc<Document>, Arc<Failure>>>,
    diags: &mut Diagnostics,
) -> Loaded {
    let mut documents = Vec::new();
    let mut unreadable = Vec::new();
    let mut broken = Vec::new();
    for result in results {
        match result {
            Ok(doc) => {
                diags.extend(doc.notes.iter().cloned());
                documents.push(Arc::clone(doc));
            }
            Err(failure) => {
                unreadable.push(failure.stem.clone());
                if let Some(text) = &failure.text {
                    broken.push((failure.diagnostic.file.clone().unwrap_or_default(), text.clone()));
                }
                diags.push(failure.diagnostic.clone());
            }
        }
    }
    Loaded { config, config_text, documents, unreadable, broken, shared: None, neighbours: Vec::new() }
}

fn load_config(path: &Path, diags: &mut Diagnostics) -> Result<(Config, String), LoadError> {
    let file = Path::new(CONFIG_FILE);
    if fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
        diags.push(
            Diagnostic::error(
                "file-too-large",
                format!("{CONFIG_FILE} is larger than {} MB", MAX_FILE_BYTES / 1_048_576),
            )
            .at(file, None)
            .help("charted.yaml holds a few settings; replace it with the settings alone"),
        );
        return Ok((Config::default(), String::new()));
    }
    match fs::read(path) {
        Ok(bytes) => Ok(parse_config(bytes, diags)),
        Err(source) => Err(LoadError::Io { path: path.to_path_buf(), source }),
    }
}

/// Reads `charted.yaml` from its bytes: the config and its text.
fn parse_config(bytes: Vec<u8>, diags: &mut Diagnostics) -> (Config, String) {
    let file = Path::new(CONFIG_FILE);
    let text = match String::from_utf8(bytes) {
        Ok(text) => lone_cr_to_lf(text),
        Err(err) => {
            diags.push(not_utf8(file, err.as_bytes(), err.utf8_error().valid_up_to()));
            return (Config::default(), String::from_utf8_lossy(err.as_bytes()).into_owned());
        }
    };
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let config = match yaml::parse(text_no_bom, 1) {
        Ok(node) => Config::from_node(file, &node, diags),
        Err(err) => {
            diags.push(yaml_error(file, err));
            Config::default()
        }
    };
    (config, text)
}

/// Every `.md` file under `content/`, sorted, skipping hidden files and
/// reporting links that loop or leave the site.
fn walk(root: &Path, content: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut paths = Vec::new();
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let file = err.path().map(|p| relative(root, p)).unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let dangling = err.path().is_some_and(|p| p.is_symlink() && !p.exists());
                let (message, help) = if err.loop_ancestor().is_some() {
                    ("a symbolic link here loops back to a folder above it".to_string(), "remove the link")
                } else if dangling {
                    (
                        "this symbolic link points to a file that does not exist".to_string(),
                        "remove the link, or point it at a file under content/",
                    )
                } else {
                    let why = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                    (
                        format!("cannot read this: {why}"),
                        "check that the file exists and that you may read it (its permissions)",
                    )
                };
                diags.push(Diagnostic::error("unreadable", message).at(file, None).help(help));
                continue;
            }
        };
        // A link to a file or a folder outside the site would publish what
        // is not the site's: refuse it, and everything below a folder link.
        let linked = entry.path_is_symlink() || (entry.depth() == 0 && entry.path().is_symlink());
        if linked && !fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(&real_root)) {
            let what = if entry.file_type().is_dir() { "folder" } else { "file" };
            diags.push(
                Diagnostic::error(
                    "outside-site",
                    format!("this symbolic link points to a {what} outside the site folder"),
                )
                .at(relative(root, entry.path()), None)
                .help(format!("copy the {what} into the site instead of linking to it")),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        paths.push(entry.into_path());
    }
    paths
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A file that could not be used: its stem, the problem, and its text if it had one.
pub(crate) struct Failure {
    stem: String,
    diagnostic: Diagnostic,
    text: Option<String>,
}

/// A file's bytes, refused when too large to be an item or unreadable.
fn read_bytes(root: &Path, path: &Path) -> Result<Vec<u8>, Box<Failure>> {
    let file = relative(root, path);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let fail = |diagnostic: Diagnostic| Box::new(Failure { stem: stem.clone(), diagnostic, text: None });
    if let Ok(meta) = fs::metadata(path)
        && meta.len() > MAX_FILE_BYTES
    {
        let d = Diagnostic::error(
            "file-too-large",
            format!(
                "this file is {:.1} MB; item files may be at most {} MB",
                meta.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .at(file.clone(), None)
        .help("split it into several items, or move large data out of content/");
        return Err(fail(d));
    }
    fs::read(path).map_err(|err| {
        let d = Diagnostic::error("unreadable", format!("cannot read this file: {err}"))
            .at(file.clone(), None)
            .help("check that the file exists and that you may read it (its permissions)");
        fail(d)
    })
}

/// A document from its bytes: UTF-8, front matter split, YAML parsed.
fn parse_document(file: PathBuf, stem: String, bytes: Vec<u8>) -> Result<Document, Box<Failure>> {
    let fail =
        |diagnostic: Diagnostic, text: Option<String>| Box::new(Failure { stem: stem.clone(), diagnostic, text });
    let text = String::from_utf8(bytes).map_err(|err| {
        let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
        fail(not_utf8(&file, err.as_bytes(), err.utf8_error().valid_up_to()), Some(lossy))
    })?;
    let text = lone_cr_to_lf(text);
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(err) => return Err(fail(split_error(&file, err), Some(text))),
    };
    let front = match yaml::parse(&text[split.front.clone()], split.front_line) {
        Ok(front) => front,
        Err(err) => return Err(fail(yaml_error(&file, err), Some(text))),
    };
    let folder = file.strip_prefix(CONTENT_DIR).ok().and_then(|rest| {
        let mut parts = rest.components();
        let first = parts.next()?;
        parts.next().map(|_| first.as_os_str().to_string_lossy().into_owned())
    });
    let mut notes: Vec<Diagnostic> = split.doubt.iter().map(|d| ended_early(&file, &text, d)).collect();
    let controls = body_controls(&file, &text, split.body.start, split.body_line);
    let text = match controls {
        Some(warning) => {
            notes.push(warning);
            blank_controls(text, split.body.start)
        }
        None => text,
    };
    Ok(Document { file, folder, stem, front, body_start: split.body.start, body_line: split.body_line, text, notes })
}

/// A lone `\r` (old Mac line endings) ends a line for YAML and Markdown but
/// not for `str::lines`; making it `\n` keeps every line number in agreement.
/// Same length, so byte offsets stay valid.
/// A file's text as diagnostics quote it, when it is a readable UTF-8 file
/// within the size limit: for a file the site itself did not load.
pub(crate) fn read_source(path: &Path) -> Option<String> {
    if fs::metadata(path).ok()?.len() > MAX_FILE_BYTES {
        return None;
    }
    String::from_utf8(fs::read(path).ok()?).ok().map(lone_cr_to_lf)
}

pub(crate) fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes changed, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

fn split_error(file: &Path, err: FrontMatterError) -> Diagnostic {
    let start = Some(Pos { line: 1, column: 1 });
    let example = "---\ntitle: Slow CI builds\n---";
    match err {
        FrontMatterError::Empty => Diagnostic::error("empty-file", "this file is empty")
            .at(file, start)
            .help(format!("give it front matter with at least a title:\n{example}\nor delete it")),
        FrontMatterError::Missing => Diagnostic::error("no-front-matter", "this file does not start with front matter")
            .at(file, start)
            .help(format!("begin the file with a `---` line, the fields, and another `---` line:\n{example}")),
        FrontMatterError::Unclosed => Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
            .at(file, start)
            .help("add a line `---` after the last field, before the body"),
    }
}

/// A control character in the body: HTML forbids it, and it shows as nothing
/// (or garbles a terminal), so it is almost always pasted by mistake.
/// (Front-matter text is checked field by field, see [`fields`].)
fn body_controls(file: &Path, text: &str, body_start: usize, body_line: u32) -> Option<Diagnostic> {
    let body = &text[body_start..];
    let at = body.find(fields::is_forbidden_control)?;
    let bad = body[at..].chars().next()?;
    let count = body.chars().filter(|&c| fields::is_forbidden_control(c)).count();
    let before = &body[..at];
    let line = body_line.saturating_add(before.matches('\n').count() as u32);
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    let others = if count > 1 { format!(" (and {} more in this file)", count - 1) } else { String::new() };
    Some(
        Diagnostic::warning(
            "control-character",
            format!(
                "the body contains the control character U+{:04X}{others}, which a web page cannot show: it is shown as a space",
                bad as u32
            ),
        )
        .at(file, Some(Pos { line, column }))
        .help("delete it: it is invisible in most editors, so delete the character at this column (and search the file for others)"),
    )
}

/// The text with every control character of the body a space per byte, so
/// every offset, line and column of the file stays where it was.
fn blank_controls(text: String, body_start: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..body_start]);
    for c in text[body_start..].chars() {
        if fields::is_forbidden_control(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// The front matter closed on a line after which more of it seems to follow.
fn ended_early(file: &Path, text: &str, doubt: &frontmatter::Doubt) -> Diagnostic {
    let fence = text.lines().nth(doubt.line as usize - 1).unwrap_or("---").trim_end();
    Diagnostic::warning("front-matter-ended", format!("the front matter ends at this `{fence}` line, but the lines below it {}", doubt.why))
        .at(file, Some(Pos { line: doubt.line, column: 1 }))
        .help(if fence == "..." {
            "everything below this line is the body: move the fields below it above it, or remove this `...` line (a `---` line closes the front matter)"
        } else {
            "everything below this line is the body: to keep a `---` line inside a block of text, indent it like the rest of the block"
        })
}

fn yaml_error(file: &Path, err: yaml::SyntaxError) -> Diagnostic {
    if let Some(help) = err.limit_help {
        return Diagnostic::error("yaml-limit", err.message).at(file, err.pos).help(help);
    }
    Diagnostic::error("yaml", format!("invalid YAML: {}", err.message))
        .at(file, err.pos)
        .help("fix the YAML syntax here: indent with spaces (not tabs), quote values containing `: ` or starting with a special character, and close every bracket and quote")
}

fn not_utf8(file: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let before = &bytes[..valid_up_to];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Diagnostic::error("not-utf8", "this file is not valid UTF-8 text")
        .at(file, Some(Pos { line: line as u32, column: column as u32 }))
        .help("save the file as UTF-8 in your editor (the byte here is not UTF-8)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of one item whose file has an old modification time, as a
    /// restored or copied file has.
    fn site(text: &str) -> (tempfile::TempDir, PathBuf, SystemTime) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CONFIG_FILE), "title: Cache\n").unwrap();
        fs::create_dir_all(dir.path().join("content/pain")).unwrap();
        let file = dir.path().join("content/pain/a.md");
        let old = SystemTime::now() - Duration::from_secs(3600);
        restore(&file, text, old);
        (dir, file, old)
    }

    /// Writes `text` and sets the file's time back to `time`, like `cp -p`.
    fn restore(file: &Path, text: &str, time: SystemTime) {
        fs::write(file, text).unwrap();
        fs::File::options().write(true).open(file).unwrap().set_modified(time).unwrap();
    }

    fn document(root: &Path, cache: &mut FileCache) -> Arc<Document> {
        let loaded = load_cached(root, cache, &mut fetch::Network, &mut Diagnostics::default()).unwrap();
        Arc::clone(&loaded.documents[0])
    }

    #[test]
    fn a_named_file_is_compared_by_content_whatever_its_stamp() {
        let (dir, file, old) = site("---\ntitle: Before\n---\n");
        let mut cache = FileCache::default();
        let first = document(dir.path(), &mut cache);
        // Same size, same time: without an event naming it, the stamp alone is trusted.
        restore(&file, "---\ntitle: Beyond\n---\n", old);
        assert!(Arc::ptr_eq(&first, &document(dir.path(), &mut cache)));
        cache.mark_changed([PathBuf::from("content/pain/a.md")]);
        let second = document(dir.path(), &mut cache);
        assert!(second.text.contains("Beyond"), "the named file is read again");
        // Named again with the same bytes: its parse is kept.
        cache.mark_changed([PathBuf::from("content/pain")]);
        assert!(Arc::ptr_eq(&second, &document(dir.path(), &mut cache)), "same bytes, same parse");
        restore(&file, "---\ntitle: Behold\n---\n", old);
        cache.mark_all_changed();
        assert!(document(dir.path(), &mut cache).text.contains("Behold"), "a change no event names reads every file");
    }
}

//! Load: read `charted.yaml` and every Markdown file under `content/`,
//! splitting each into parsed front matter and a body.

pub mod fields;
pub mod frontmatter;
pub mod yaml;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use frontmatter::SplitError;
use yaml::Node;

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "charted.yaml";
/// The folder of Markdown items.
pub const CONTENT_DIR: &str = "content";

pub use crate::limits::MAX_FILE_BYTES;

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
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A site as read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub config_text: String,
    pub documents: Vec<Arc<Document>>,
    /// Stems of files that could not be read, so references to them are not reported twice.
    pub unreadable: Vec<String>,
    /// The text of files that were read but could not be used, to show their problems in context.
    pub broken: Vec<(PathBuf, String)>,
}

impl Loaded {
    /// The text of a file, for printing the offending line of a diagnostic.
    pub fn source(&self, file: &Path) -> Option<&str> {
        if file == Path::new(CONFIG_FILE) {
            return Some(&self.config_text);
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
        all.insert(Path::new(CONFIG_FILE), &self.config_text);
        all
    }
}

/// Reads the site at `root`. Problems with single files become diagnostics;
/// only a site that is not there at all is an error.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Result<Loaded, LoadError> {
    load_cached(root, &mut FileCache::default(), diags)
}

/// Parsed files from the previous run, reused when a file has not changed.
#[derive(Default)]
pub struct FileCache {
    entries: HashMap<PathBuf, Cached>,
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

/// [`load`], reusing the parse of every file whose size and time are unchanged.
pub fn load_cached(root: &Path, cache: &mut FileCache, diags: &mut Diagnostics) -> Result<Loaded, LoadError> {
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
    let (config, config_text) = load_config(&config_path, diags)?;
    let paths = walk(root, &content, diags);
    let previous = std::mem::take(&mut cache.entries);
    let results: Vec<(PathBuf, Cached)> = paths
        .into_par_iter()
        .map(|path| {
            let stamp = Stamp::of(&path);
            let reused = previous.get(&path).filter(|c| Some(c.stamp) == stamp && c.stamp.settled());
            let result = match reused {
                Some(cached) => cached.result.clone(),
                None => read_document(root, &path).map(Arc::new).map_err(Arc::from),
            };
            let stamp = stamp.unwrap_or(Stamp { len: 0, modified: SystemTime::UNIX_EPOCH });
            (path, Cached { stamp, result })
        })
        .collect();
    let loaded = gather(root, config, config_text, results.iter().map(|(_, c)| &c.result), diags);
    cache.entries = results.into_iter().collect();
    Ok(loaded)
}

/// Loads a site held in memory: the bytes of `charted.yaml` and of each file
/// under `content/` (paths relative to the site, e.g. `content/pain/a.md`).
/// The same checks as [`load`] but those about the disk (links, permissions,
/// sizes): the fuzz target and the property tests use it.
pub fn load_from_memory(config: &[u8], files: &[(PathBuf, Vec<u8>)], diags: &mut Diagnostics) -> Loaded {
    let (config, config_text) = parse_config(config.to_vec(), diags);
    let mut files: Vec<&(PathBuf, Vec<u8>)> =
        files.iter().filter(|(p, _)| p.starts_with(CONTENT_DIR) && p.extension().is_some_and(|e| e == "md")).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    let results: Vec<Result<Arc<Document>, Arc<Failure>>> = files
        .into_iter()
        .map(|(path, bytes)| {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            parse_document(path.clone(), stem, bytes.clone()).map(Arc::new).map_err(Arc::from)
        })
        .collect();
    gather(Path::new(""), config, config_text, results.iter(), diags)
}

fn gather<'a>(
    root: &Path,
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
            Ok(doc) => documents.push(Arc::clone(doc)),
            Err(failure) => {
                unreadable.push(failure.stem.clone());
                if let Some(text) = &failure.text {
                    broken.push((failure.diagnostic.file.clone().unwrap_or_default(), text.clone()));
                }
                diags.push(failure.diagnostic.clone());
            }
        }
    }
    Loaded { root: root.to_path_buf(), config, config_text, documents, unreadable, broken }
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
struct Failure {
    stem: String,
    diagnostic: Diagnostic,
    text: Option<String>,
}

fn read_document(root: &Path, path: &Path) -> Result<Document, Box<Failure>> {
    let file = relative(root, path);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let fail =
        |diagnostic: Diagnostic, text: Option<String>| Box::new(Failure { stem: stem.clone(), diagnostic, text });
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
        return Err(fail(d, None));
    }
    let bytes = fs::read(path).map_err(|err| {
        let d = Diagnostic::error("unreadable", format!("cannot read this file: {err}"))
            .at(file.clone(), None)
            .help("check that the file exists and that you may read it (its permissions)");
        fail(d, None)
    })?;
    parse_document(file, stem.clone(), bytes)
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
    Ok(Document { file, folder, stem, front, body_start: split.body.start, body_line: split.body_line, text })
}

/// A lone `\r` (old Mac line endings) ends a line for YAML and Markdown but
/// not for `str::lines`; making it `\n` keeps every line number in agreement.
/// Same length, so byte offsets stay valid.
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

fn split_error(file: &Path, err: SplitError) -> Diagnostic {
    let start = Some(Pos { line: 1, column: 1 });
    let example = "---\ntitle: Slow CI builds\n---";
    match err {
        SplitError::Empty => Diagnostic::error("empty-file", "this file is empty")
            .at(file, start)
            .help(format!("give it front matter with at least a title:\n{example}\nor delete it")),
        SplitError::Missing => Diagnostic::error("no-front-matter", "this file does not start with front matter")
            .at(file, start)
            .help(format!("begin the file with a `---` line, the fields, and another `---` line:\n{example}")),
        SplitError::Unclosed => Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
            .at(file, start)
            .help("add a line `---` after the last field, before the body"),
    }
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

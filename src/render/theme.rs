//! The theme: the default templates and static files embedded in the binary,
//! overridden file by file by a theme folder and by the site's own
//! `templates/` and `static/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diagnostic::Diagnostic;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Compiled templates and the static files to copy, in output-path order.
pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<(String, Vec<u8>)>,
    /// A hash of every template's name and text: pages rendered with another theme differ.
    pub fingerprint: u64,
}

/// The folders that override the default theme, lowest priority first.
fn layers(site_root: &Path, theme: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(theme) = theme {
        out.push(site_root.join(theme));
    }
    out.push(site_root.to_path_buf());
    out
}

/// Every file under `dir`, as (path relative to `dir` with `/`, absolute path), sorted.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, e.into_path()))
        })
        .collect()
}

fn embedded(dir: &Dir<'static>, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(rel) = path.strip_prefix(prefix) {
            out.push((rel.to_string(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        embedded(sub, prefix, out);
    }
}

/// A static file of the built-in theme, by its path under `static/`.
pub fn default_static(name: &str) -> Option<&'static [u8]> {
    DEFAULT.get_file(format!("static/{name}")).map(|f| f.contents())
}

/// Puts `(name, content)` into `set`, replacing a file of the same name.
fn overlay(set: &mut Vec<(String, Vec<u8>)>, name: String, content: Vec<u8>) {
    match set.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = content,
        None => set.push((name, content)),
    }
}

/// Loads the theme for a site. Errors name the template file at fault.
pub fn load(site_root: &Path, theme: Option<&Path>) -> Result<Theme, Vec<Diagnostic>> {
    let (sources, statics) = gather(site_root, theme)?;
    compile(sources, statics)
}

/// A theme compiled once and kept while its files stay the same (for `serve`).
pub type ThemeCache = Option<(u64, Arc<Theme>)>;

/// [`load`], reusing the theme in `cache` when no template or static file changed.
pub fn load_cached(
    site_root: &Path,
    theme: Option<&Path>,
    cache: &mut ThemeCache,
) -> Result<Arc<Theme>, Vec<Diagnostic>> {
    let (sources, statics) = gather(site_root, theme)?;
    let inputs = crate::fingerprint::of(&(&sources, &statics));
    if let Some((fingerprint, theme)) = cache.as_ref()
        && *fingerprint == inputs
    {
        return Ok(Arc::clone(theme));
    }
    let theme = Arc::new(compile(sources, statics)?);
    *cache = Some((inputs, Arc::clone(&theme)));
    Ok(theme)
}

/// (name, content) pairs: templates as text, static files as bytes.
type Templates = Vec<(String, String)>;
type Files = Vec<(String, Vec<u8>)>;

/// The templates (as text) and static files of the default theme with the
/// site's overrides laid over them.
fn gather(site_root: &Path, theme: Option<&Path>) -> Result<(Templates, Files), Vec<Diagnostic>> {
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    if let Some(dir) = DEFAULT.get_dir("templates") {
        embedded(dir, "templates/", &mut templates);
    }
    if let Some(dir) = DEFAULT.get_dir("static") {
        embedded(dir, "static/", &mut statics);
    }
    let mut problems = Vec::new();
    for layer in layers(site_root, theme) {
        for (kind, set) in [("templates", &mut templates), ("static", &mut statics)] {
            for (name, path) in files_under(&layer.join(kind)) {
                match fs::read(&path) {
                    Ok(content) => overlay(set, name, content),
                    Err(err) => problems.push(
                        Diagnostic::error("unreadable", format!("cannot read this theme file: {err}"))
                            .at(path.strip_prefix(site_root).unwrap_or(&path), None)
                            .help("check that the file exists and that you may read it"),
                    ),
                }
            }
        }
    }
    let mut sources = Vec::new();
    for (name, bytes) in templates {
        match String::from_utf8(bytes) {
            Ok(text) => sources.push((name, text)),
            Err(_) => problems.push(
                Diagnostic::error("not-utf8", format!("the template `{name}` is not UTF-8 text"))
                    .at(format!("templates/{name}"), None)
                    .help("save it as UTF-8"),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((sources, statics))
}

fn compile(sources: Templates, mut statics: Files) -> Result<Theme, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let fingerprint = crate::fingerprint::of(&sources);
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    if let Err(err) = tera.add_raw_templates(sources) {
        problems.push(
            Diagnostic::error("template", format!("a template does not compile: {err}"))
                .help("fix the template named in the message (in the site's templates/ folder if you override one)"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Theme { tera, statics, fingerprint })
}

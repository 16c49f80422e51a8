//! The theme: the default templates and static files embedded in the binary,
//! overridden file by file by a theme folder and by the site's own
//! `templates/` and `static/`.

use std::collections::HashMap;
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
    /// The templates the site or its theme folder replaces: name → (file
    /// relative to the site, text), to point a problem a template made at it.
    pub overrides: HashMap<String, (PathBuf, String)>,
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

/// Every file under `dir`, as (path relative to `dir` with `/`, absolute
/// path), sorted. Symbolic links are followed while they stay inside
/// `within` (the site, or the theme folder); one that leaves it, or a file
/// that cannot be read, is a problem rather than silently left out.
fn files_under(dir: &Path, within: &Path, site_root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let within = fs::canonicalize(within).unwrap_or_else(|_| within.to_path_buf());
    let shown = |path: &Path| path.strip_prefix(site_root).unwrap_or(path).to_path_buf();
    let mut out = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                let why = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                problems.push(
                    Diagnostic::error("unreadable", format!("cannot read this theme file: {why}"))
                        .at(shown(&path), None)
                        .help("check that it exists and that you may read it; remove a link that points nowhere"),
                );
                continue;
            }
        };
        if entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.') {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let linked = entry.path_is_symlink() || (entry.depth() == 0 && entry.path().is_symlink());
        if linked && !fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(&within)) {
            problems.push(
                Diagnostic::error("outside-site", "this symbolic link points outside the site folder")
                    .at(shown(entry.path()), None)
                    .help("copy what it points to into the site instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            out.push((rel.to_string_lossy().replace('\\', "/"), entry.into_path()));
        }
    }
    out
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
    compile(gather(site_root, theme)?)
}

/// A theme compiled once and kept while its files stay the same (for `serve`).
pub type ThemeCache = Option<(u64, Arc<Theme>)>;

/// [`load`], reusing the theme in `cache` when no template or static file changed.
pub fn load_cached(
    site_root: &Path,
    theme: Option<&Path>,
    cache: &mut ThemeCache,
) -> Result<Arc<Theme>, Vec<Diagnostic>> {
    let gathered = gather(site_root, theme)?;
    let inputs = crate::incremental::fingerprint::of(&(&gathered.templates, &gathered.statics, &gathered.origins));
    if let Some((fingerprint, theme)) = cache.as_ref()
        && *fingerprint == inputs
    {
        return Ok(Arc::clone(theme));
    }
    let theme = Arc::new(compile(gathered)?);
    *cache = Some((inputs, Arc::clone(&theme)));
    Ok(theme)
}

/// (name, content) pairs: templates as text, static files as bytes.
type Templates = Vec<(String, String)>;
type Files = Vec<(String, Vec<u8>)>;

/// A theme's files before compiling.
struct Gathered {
    templates: Templates,
    statics: Files,
    /// Each template a site or theme folder replaces, by name: its file, relative to the site.
    origins: Vec<(String, PathBuf)>,
}

/// The templates (as text) and static files of the default theme with the
/// site's overrides laid over them.
fn gather(site_root: &Path, theme: Option<&Path>) -> Result<Gathered, Vec<Diagnostic>> {
    let mut origins: Vec<(String, PathBuf)> = Vec::new();
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    if let Some(dir) = DEFAULT.get_dir("templates") {
        embedded(dir, "templates/", &mut templates);
    }
    if let Some(dir) = DEFAULT.get_dir("static") {
        embedded(dir, "static/", &mut statics);
    }
    let mut problems = Vec::new();
    if let Some(theme) = theme
        && !site_root.join(theme).is_dir()
    {
        problems.push(
            Diagnostic::error("missing-theme", format!("the theme folder `{}` does not exist", theme.display()))
                .at(crate::load::CONFIG_FILE, None)
                .help("fix `theme:` in charted.yaml (a folder relative to the site, holding templates/ and static/), or remove it"),
        );
    }
    for layer in layers(site_root, theme) {
        for (kind, set) in [("templates", &mut templates), ("static", &mut statics)] {
            let found = files_under(&layer.join(kind), &layer, site_root, &mut problems);
            for (name, path) in found {
                match fs::read(&path) {
                    Ok(content) => {
                        if kind == "templates" {
                            let file = path.strip_prefix(site_root).unwrap_or(&path).to_path_buf();
                            origins.retain(|(n, _)| *n != name);
                            origins.push((name.clone(), file));
                        }
                        overlay(set, name, content)
                    }
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
    origins.sort();
    Ok(Gathered { templates: sources, statics, origins })
}

fn compile(gathered: Gathered) -> Result<Theme, Vec<Diagnostic>> {
    let Gathered { templates: sources, mut statics, origins } = gathered;
    let mut problems = Vec::new();
    let fingerprint = crate::incremental::fingerprint::of(&sources);
    let overrides = origins
        .into_iter()
        .filter_map(|(name, file)| {
            let text = sources.iter().find(|(n, _)| *n == name)?.1.clone();
            Some((name, (file, text)))
        })
        .collect();
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
    Ok(Theme { tera, statics, fingerprint, overrides })
}

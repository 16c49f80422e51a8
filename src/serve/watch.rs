//! Watching the site folder: which changes matter, and what kind they are.

use std::path::{Component, Path};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::load::{CONFIG_FILE, CONTENT_DIR};

/// What a changed path is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// A stylesheet: browsers can swap it without reloading.
    Stylesheet,
    /// Anything else the build reads: content, config, templates, static files.
    Site,
}

/// Files editors and systems leave behind while saving: never a reason to rebuild.
pub(crate) fn is_editor_dropping(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || name == ".DS_Store"
        || name == "4913"
}

/// Classifies a changed path (absolute, or relative to `root`); `None` when
/// the build does not read it: the output folder, hidden folders, droppings.
/// `theme` is the config's `theme:` folder, relative to `root` or absolute
/// (it may lie outside the site).
pub(crate) fn classify(root: &Path, path: &Path, theme: Option<&Path>) -> Option<Change> {
    // Relative to the theme folder when the path is in it, else to the site folder.
    let in_theme = theme.and_then(|t| {
        path.strip_prefix(t).ok().or_else(|| path.strip_prefix(root).unwrap_or(path).strip_prefix(t).ok())
    });
    let rel = in_theme.unwrap_or_else(|| path.strip_prefix(root).unwrap_or(path));
    let name = rel.file_name()?.to_string_lossy();
    if is_editor_dropping(&name) {
        return None;
    }
    let hidden = rel.components().any(|c| matches!(c, Component::Normal(p) if p.to_string_lossy().starts_with('.')));
    if hidden {
        return None;
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    if in_theme.is_none() && (rel == Path::new(CONFIG_FILE) || first == CONTENT_DIR) {
        return Some(Change::Site);
    }
    if first == "templates" {
        return Some(Change::Site);
    }
    if first == "static" {
        let css = rel.extension().is_some_and(|e| e == "css");
        return Some(if css { Change::Stylesheet } else { Change::Site });
    }
    None
}

/// Whether an event changes a file (not merely opens or reads it).
pub(crate) fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    matches!(kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any)
}

/// Whether an event says that something changed without naming what: the
/// watcher lost events (a rescan) or could not tell the kind. Every file is
/// then read again.
pub(crate) fn is_ambiguous(event: &notify::Event) -> bool {
    use notify::EventKind;
    event.need_rescan() || (is_change(&event.kind) && (event.paths.is_empty() || event.kind == EventKind::Any))
}

/// An event's path spelled from the canonical `root`: watchers report paths
/// as the watched folder was spelled, or resolved (macOS), while the site may
/// be named `../site` or through a symbolic link. The parent is resolved, not
/// the path itself, which may be gone (a removed file) or be a link.
pub(crate) fn from_root(root: &Path, path: &Path) -> std::path::PathBuf {
    if path.starts_with(root) {
        return path.to_path_buf();
    }
    let resolved = path
        .parent()
        .zip(path.file_name())
        .and_then(|(parent, name)| std::fs::canonicalize(parent).ok().map(|p| p.join(name)));
    resolved.unwrap_or_else(|| path.to_path_buf())
}

/// A running watcher; dropping it stops watching.
pub(crate) enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Watches `root` recursively, sending debounced batches of events to `tx`.
/// `poll` uses a polling watcher for file systems without native events.
pub(crate) fn watch(root: &Path, poll: bool, tx: Sender<DebounceEventResult>) -> notify::Result<Watcher> {
    // Short: the rebuild itself coalesces bursts, and every millisecond here is reload latency.
    let timeout = Duration::from_millis(10);
    let mut watcher = if poll {
        let config =
            notify::Config::default().with_poll_interval(Duration::from_millis(250)).with_compare_contents(true);
        Watcher::Poll(new_debouncer_opt(timeout, None, tx, NoCache, config)?)
    } else {
        Watcher::Native(new_debouncer(timeout, None, tx)?)
    };
    watcher.add(root)?;
    Ok(watcher)
}

impl Watcher {
    /// Watches one more folder, recursively (a theme outside the site).
    pub(crate) fn add(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(dir, RecursiveMode::Recursive),
            Watcher::Poll(d) => d.watch(dir, RecursiveMode::Recursive),
        }
    }

    /// Watches one file wherever it is (a shared vocabulary outside the
    /// site), through its folder: editors save by replacing the file, which
    /// a watch on the file itself would lose.
    pub(crate) fn add_file(&mut self, file: &Path) -> notify::Result<()> {
        let Some(dir) = file.parent() else { return Ok(()) };
        match self {
            Watcher::Native(d) => d.watch(dir, RecursiveMode::NonRecursive),
            Watcher::Poll(d) => d.watch(dir, RecursiveMode::NonRecursive),
        }
    }
}

/// A file as events spell it: its folder resolved (see [`from_root`]).
pub(crate) fn resolved_file(file: &Path) -> Option<std::path::PathBuf> {
    Some(std::fs::canonicalize(file.parent()?).ok()?.join(file.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_what_the_build_reads() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, Path::new(p), None);
        assert_eq!(c("/site/content/pain/a.md"), Some(Change::Site));
        assert_eq!(c("/site/charted.yaml"), Some(Change::Site));
        assert_eq!(c("/site/templates/item.html"), Some(Change::Site));
        assert_eq!(c("/site/static/style.css"), Some(Change::Stylesheet));
        assert_eq!(c("/site/static/logo.svg"), Some(Change::Site));
        assert_eq!(c("/site/public/index.html"), None);
        assert_eq!(c("/site/.git/index"), None);
        assert_eq!(c("/site/README.md"), None);
        assert_eq!(
            classify(root, Path::new("/site/themes/x/static/a.css"), Some(Path::new("themes/x"))),
            Some(Change::Stylesheet)
        );
        // A theme outside the site, named by its absolute path.
        let outside = Some(Path::new("/shared/theme"));
        assert_eq!(classify(root, Path::new("/shared/theme/templates/item.html"), outside), Some(Change::Site));
        assert_eq!(classify(root, Path::new("/shared/theme/static/a.css"), outside), Some(Change::Stylesheet));
        assert_eq!(classify(root, Path::new("/shared/theme/notes.md"), outside), None);
        assert_eq!(classify(root, Path::new("/site/themes/x/templates/a.html"), None), None);
    }

    #[test]
    fn events_that_name_no_file_are_ambiguous() {
        use notify::event::{AccessKind, CreateKind, Flag};
        use notify::{Event, EventKind};
        let named = Event::new(EventKind::Create(CreateKind::File)).add_path("/site/content/a.md".into());
        assert!(!is_ambiguous(&named));
        assert!(is_ambiguous(&Event::new(EventKind::Any).add_path("/site/content/a.md".into())));
        assert!(is_ambiguous(&Event::new(EventKind::Create(CreateKind::Any))));
        assert!(is_ambiguous(&Event::new(EventKind::Other).set_flag(Flag::Rescan)));
        assert!(!is_ambiguous(&Event::new(EventKind::Access(AccessKind::Any))), "a read changes nothing");
    }

    #[test]
    fn spells_paths_from_the_canonical_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("site/content")).unwrap();
        let site = root.join("site");
        assert_eq!(from_root(&site, &site.join("content/a.md")), site.join("content/a.md"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&site, root.join("link")).unwrap();
            assert_eq!(from_root(&site, &root.join("link/content/a.md")), site.join("content/a.md"));
            // A file already removed: its folder still resolves.
            assert_eq!(from_root(&site, &root.join("link/content/gone.md")), site.join("content/gone.md"));
        }
    }

    #[test]
    fn ignores_editor_droppings() {
        let root = Path::new("/site");
        for p in [
            "content/pain/.a.md.swp",
            "content/pain/a.md~",
            "content/pain/#a.md#",
            "content/.DS_Store",
            "content/pain/4913",
            "content/pain/.#a.md",
        ] {
            assert_eq!(classify(root, &root.join(p), None), None, "{p}");
        }
    }
}

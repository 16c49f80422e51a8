//! The site's past states from its git repository: which commits are
//! reviews (tags, quarters) and the files each one held. The only module
//! that imports gix; it reads objects in-process, no `git` binary needed.

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use jiff::civil::Date;

use crate::config::HistoryConfig;

/// A blob's id: equal ids, equal bytes.
pub(crate) type BlobId = gix::ObjectId;

/// Why a site has no history (or less than it asked for).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Unavailable {
    /// The site is not inside a git repository.
    NotGit,
    /// The repository is a shallow clone: its past commits are not there.
    Shallow,
    /// No tag matches the pattern, and no quarter was asked for.
    NoReviews { pattern: String },
    /// The repository could not be read.
    Broken(String),
}

/// A commit that is a review, and the site's files in it.
pub(crate) struct Revision {
    /// The tag's name, or the quarter (`2026-Q3`).
    pub name: String,
    pub date: Date,
    pub commit: gix::ObjectId,
}

impl Revision {
    /// The commit's id, abbreviated to 12 hex digits.
    pub(crate) fn short(&self) -> String {
        self.commit.to_hex_with_len(12).to_string()
    }
}

/// The site's files in one commit.
pub(crate) struct Files {
    /// `charted.yaml`; `None` when the site did not exist yet.
    pub config: Option<BlobId>,
    /// Every `content/**/*.md` file, relative to the site, with its blob, by path.
    pub items: Vec<(PathBuf, BlobId)>,
}

/// The repository, opened once for a run; shared across threads.
pub(crate) struct Repository {
    repo: gix::ThreadSafeRepository,
    /// Where the site lies in the work tree.
    prefix: PathBuf,
}

/// The reviews of the site at `root`, oldest first, as `config` selects them.
pub(crate) fn reviews(root: &Path, config: &HistoryConfig) -> Result<(Repository, Vec<Revision>), Unavailable> {
    let repo = gix::discover(root).map_err(|_| Unavailable::NotGit)?;
    if repo.is_shallow().unwrap_or(false) {
        return Err(Unavailable::Shallow);
    }
    let prefix = site_prefix(&repo, root)?;
    let broken = |e: &dyn std::fmt::Display| Unavailable::Broken(e.to_string());
    let mut picked: Vec<(String, i64, gix::ObjectId)> = Vec::new();
    if let Some(pattern) = &config.tags {
        picked.extend(tagged(&repo, pattern).map_err(|e| broken(&e))?);
    }
    if config.quarterly {
        for (name, time, id) in quarters(&repo).map_err(|e| broken(&e))? {
            if !picked.iter().any(|(_, _, seen)| *seen == id) {
                picked.push((name, time, id));
            }
        }
    }
    if picked.is_empty() {
        return match &config.tags {
            Some(pattern) if !config.quarterly => Err(Unavailable::NoReviews { pattern: pattern.clone() }),
            _ => Ok((Repository { repo: repo.into_sync(), prefix }, Vec::new())),
        };
    }
    picked.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let keep = picked.len().saturating_sub(config.limit);
    let out = picked
        .into_iter()
        .skip(keep)
        .map(|(name, time, commit)| Revision { name, date: date_of(time), commit })
        .collect();
    Ok((Repository { repo: repo.into_sync(), prefix }, out))
}

/// A thread's own handle on the repository (gix handles are not shared).
pub(crate) type Local = Option<gix::Repository>;

impl Repository {
    fn local<'a>(&self, local: &'a mut Local) -> &'a gix::Repository {
        local.get_or_insert_with(|| self.repo.to_thread_local())
    }

    /// The bytes of a blob; `None` when it cannot be read.
    pub(crate) fn read(&self, local: &mut Local, id: BlobId) -> Option<Vec<u8>> {
        self.local(local).find_blob(id).ok().map(|mut blob| blob.take_data())
    }

    /// The site's files in `revision`.
    pub(crate) fn files(&self, local: &mut Local, revision: &Revision) -> Result<Files, Unavailable> {
        site_files(self.local(local), revision.commit, &self.prefix).map_err(Unavailable::Broken)
    }
}

/// Where the site lies inside the repository's work tree (empty at its root).
fn site_prefix(repo: &gix::Repository, root: &Path) -> Result<PathBuf, Unavailable> {
    let Some(workdir) = repo.workdir() else {
        return Err(Unavailable::Broken("the repository has no work tree (a bare repository)".into()));
    };
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    real(root)
        .strip_prefix(real(workdir))
        .map(Path::to_path_buf)
        .map_err(|_| Unavailable::Broken("the site lies outside the repository's work tree".into()))
}

/// Tags matching `pattern`: name, time (the tagger's for an annotated tag,
/// else the commit's) and commit.
fn tagged(repo: &gix::Repository, pattern: &str) -> Result<Vec<(String, i64, gix::ObjectId)>, String> {
    let platform = repo.references().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for reference in platform.tags().map_err(|e| e.to_string())? {
        let Ok(mut reference) = reference else { continue };
        let name = reference.name().shorten().to_str_lossy().into_owned();
        if !glob(pattern, &name) {
            continue;
        }
        let tagger_time = repo
            .find_tag(reference.id())
            .ok()
            .and_then(|tag| tag.tagger().ok().flatten().and_then(|s| s.time().ok()).map(|t| t.seconds));
        let Ok(commit) = reference.peel_to_commit() else { continue };
        let Ok(time) = commit.time() else { continue };
        out.push((name, tagger_time.unwrap_or(time.seconds), commit.id));
    }
    Ok(out)
}

/// One commit per past calendar quarter along the first parents of HEAD:
/// the last commit of each quarter before the current one.
fn quarters(repo: &gix::Repository) -> Result<Vec<(String, i64, gix::ObjectId)>, String> {
    let head = match repo.head_commit() {
        Ok(head) => head,
        Err(_) => return Ok(Vec::new()),
    };
    let this_quarter = quarter_of(head.time().map_err(|e| e.to_string())?.seconds);
    let mut out: Vec<(String, i64, gix::ObjectId)> = Vec::new();
    let walk = repo.rev_walk([head.id]).first_parent_only().all().map_err(|e| e.to_string())?;
    for info in walk {
        let info = info.map_err(|e| e.to_string())?;
        let commit = info.object().map_err(|e| e.to_string())?;
        let time = commit.time().map_err(|e| e.to_string())?.seconds;
        let quarter = quarter_of(time);
        if quarter == this_quarter || out.iter().any(|(name, _, _)| *name == quarter) {
            continue;
        }
        out.push((quarter, time, info.id));
    }
    Ok(out)
}

/// `2026-Q3`, the calendar quarter of a time (UTC).
fn quarter_of(seconds: i64) -> String {
    let date = date_of(seconds);
    format!("{}-Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

fn date_of(seconds: i64) -> Date {
    let when = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::tz::TimeZone::UTC.to_datetime(when).date()
}

/// `charted.yaml` and the Markdown files under `content/` of the site in commit `id`.
fn site_files(repo: &gix::Repository, id: gix::ObjectId, prefix: &Path) -> Result<Files, String> {
    let commit = repo.find_commit(id).map_err(|e| e.to_string())?;
    let mut tree = commit.tree().map_err(|e| e.to_string())?;
    if !prefix.as_os_str().is_empty() {
        match tree.peel_to_entry_by_path(prefix).map_err(|e| e.to_string())? {
            Some(entry) if entry.mode().is_tree() => {
                tree = repo.find_tree(entry.object_id()).map_err(|e| e.to_string())?;
            }
            _ => return Ok(Files { config: None, items: Vec::new() }),
        }
    }
    let config = tree
        .find_entry(crate::load::CONFIG_FILE)
        .filter(|e| e.mode().is_blob())
        .map(|e| e.object_id());
    let Some(content) = tree.find_entry(crate::load::CONTENT_DIR).filter(|e| e.mode().is_tree()) else {
        return Ok(Files { config, items: Vec::new() });
    };
    let content = repo.find_tree(content.object_id()).map_err(|e| e.to_string())?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    content.traverse().breadthfirst(&mut recorder).map_err(|e| e.to_string())?;
    let mut items: Vec<(PathBuf, BlobId)> = recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob() && e.filepath.ends_with(b".md"))
        .filter_map(|e| {
            let path = e.filepath.to_str().ok()?;
            Some((Path::new(crate::load::CONTENT_DIR).join(path), e.oid))
        })
        .collect();
    items.sort();
    Ok(Files { config, items })
}

/// Whether `name` matches `pattern`, where `*` is any run of characters and `?` one.
pub(crate) fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_review_tags() {
        assert!(glob("review-*", "review-2026-q3"));
        assert!(glob("review-*", "review-"));
        assert!(!glob("review-*", "v1.0"));
        assert!(glob("r?v*-q*", "rev-2026-q1"));
        assert!(glob("*", ""));
        assert!(!glob("a*b", "ac"));
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        assert_eq!(quarter_of(0), "1970-Q1");
        // 2026-07-01T00:00:00Z
        assert_eq!(quarter_of(1_782_864_000), "2026-Q3");
    }
}

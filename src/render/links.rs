//! Links in the rendered output: naming `index.html` in directory links (so
//! the output folder works opened from disk), and the built-in link check
//! that every internal `href` and `src` resolves to a file of the output.
//!
//! Both run on the pages in memory, before anything is written: a broken link
//! fails the build and the last good output stays in place.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::Page;
use super::html::{self, Attr};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// The page a directory URL serves.
pub const INDEX: &str = "index.html";

/// Rewrites `pain/x/` to `pain/x/index.html` in every link of every HTML page
/// whose target is a folder of the site. Browsers opening files from disk do
/// not serve `index.html` for a folder; every web server serves both forms.
pub fn name_index_files(pages: &mut [Page]) {
    pages.par_iter_mut().for_each(name_index_file);
}

/// [`name_index_files`] for one page (HTML pages only; others are left alone).
pub fn name_index_file(page: &mut Page) {
    {
        if !page.path.ends_with(".html") {
            return;
        }
        let Ok(text) = std::str::from_utf8(&page.bytes) else {
            return;
        };
        let edits: Vec<(std::ops::Range<usize>, String)> = html::attributes(text)
            .into_iter()
            .filter(|a| a.name == "href" && matches!(a.tag.as_str(), "a" | "area"))
            .filter_map(|a| with_index(&a.value).map(|v| (a.span, html::escape(&v))))
            .collect();
        if edits.is_empty() {
            return;
        }
        let mut out = String::with_capacity(text.len() + edits.len() * INDEX.len());
        let mut last = 0;
        for (span, value) in edits {
            out.push_str(&text[last..span.start]);
            out.push_str(&value);
            last = span.end;
        }
        out.push_str(&text[last..]);
        page.bytes = out.into_bytes();
    }
}

/// `../pain/x/#h` → `../pain/x/index.html#h`; `None` for links that do not name a
/// folder of this site (external, fragment-only, files, the empty link).
pub fn with_index(link: &str) -> Option<String> {
    if link.is_empty() || link.starts_with('#') || link.starts_with("//") || has_scheme(link) {
        return None;
    }
    let cut = link.find(['?', '#']).unwrap_or(link.len());
    let (path, rest) = link.split_at(cut);
    if path.is_empty() {
        return None;
    }
    let folder = path.ends_with('/') || path == "." || path == ".." || path.ends_with("/.") || path.ends_with("/..");
    if !folder {
        return None;
    }
    let slash = if path.ends_with('/') { "" } else { "/" };
    Some(format!("{path}{slash}{INDEX}{rest}"))
}

fn has_scheme(link: &str) -> bool {
    let Some(colon) = link.find(':') else {
        return false;
    };
    let scheme = &link[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Where a link leads within the output.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Not ours to check: another site, `mailto:`, the page itself.
    External,
    /// An output file and a fragment (empty for none).
    File(String, String),
}

/// Resolves a link found on `page` (an output path) against the site's base URL.
fn resolve(config: &Config, page: &str, link: &str) -> Result<Target, String> {
    let link = link.trim();
    let base_path = config.base_path();
    let (path, from_root) = if link.is_empty() {
        return Ok(Target::External);
    } else if let Some(fragment) = link.strip_prefix('#') {
        return Ok(Target::File(page.to_string(), decode_percent(fragment)));
    } else if config.has_host() && link.starts_with(&config.base_url) {
        (&link[config.base_url.len()..], true)
    } else if link.starts_with("//") || has_scheme(link) {
        return Ok(Target::External);
    } else if let Some(rest) = link.strip_prefix('/') {
        match link.strip_prefix(base_path) {
            Some(inside) => (inside, true),
            None if base_path == "/" => (rest, true),
            None => {
                return Err(format!(
                    "it starts with `/` but not with the site's base path `{base_path}`, so it leaves the site when published there"
                ));
            }
        }
    } else {
        (link, false)
    };
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, decode_percent(f)),
        None => (path, String::new()),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    if !from_root {
        parts.extend(page.split('/').map(str::to_string));
        parts.pop();
    }
    let segments: Vec<&str> = path.split('/').collect();
    for (n, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            "" if n + 1 < segments.len() => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it climbs above the root of the site".to_string());
                }
            }
            s => parts.push(decode_percent(s)),
        }
    }
    let ends_in_folder = parts.last().is_none_or(|p| p.is_empty()) || matches!(segments.last(), Some(&".." | &"."));
    parts.retain(|p| !p.is_empty());
    if ends_in_folder {
        parts.push(INDEX.to_string());
    }
    Ok(Target::File(parts.join("/"), fragment))
}

fn decode_percent(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The links an attribute carries: `href`, `src`, and the URL of a meta refresh.
fn link_of<'a>(attr: &'a Attr<'_>, refresh: bool) -> Option<&'a str> {
    match attr.name.as_str() {
        "href" | "src" | "xlink:href" => Some(&attr.value),
        "content" if refresh => {
            let lower = attr.value.to_ascii_lowercase();
            let at = lower.find("url=")?;
            Some(attr.value[at + 4..].trim().trim_matches(|c| c == '\'' || c == '"'))
        }
        _ => None,
    }
}

/// The attributes the link check reads from one page, owned so they can be
/// kept: scanning is the costly part, and in `serve` most pages are unchanged.
fn scan(text: &str) -> Vec<Attr<'static>> {
    html::attributes(text)
        .into_iter()
        .filter(|a| matches!(a.name.as_str(), "href" | "src" | "xlink:href" | "id" | "name" | "content" | "http-equiv"))
        .map(|a| Attr { tag: a.tag, name: a.name, value: std::borrow::Cow::Owned(a.value.into_owned()), span: a.span })
        .collect()
}

/// Scanned pages of the previous run, by path, with a hash of their bytes.
#[derive(Default)]
pub struct ScanCache {
    map: Mutex<ScannedPages>,
}

type ScannedPages = HashMap<String, (u64, Arc<Vec<Attr<'static>>>)>;

impl ScanCache {
    fn take(&self) -> ScannedPages {
        std::mem::take(&mut *self.map.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn store(&self, pages: ScannedPages) {
        *self.map.lock().unwrap_or_else(|p| p.into_inner()) = pages;
    }
}

/// Every `href`/`src` of every HTML page must name a file of the output, and
/// its fragment an element of that file. `sources` maps pages to the content
/// file they show, so a problem names the file to fix.
pub fn check(
    pages: &[Page],
    config: &Config,
    sources: &HashMap<String, PathBuf>,
    cache: Option<&ScanCache>,
) -> Vec<Diagnostic> {
    let files: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let previous = cache.map(ScanCache::take).unwrap_or_default();
    let scanned: Vec<(&Page, u64, Arc<Vec<Attr<'static>>>)> = pages
        .par_iter()
        .filter(|p| p.path.ends_with(".html"))
        .filter_map(|p| {
            let mut h = DefaultHasher::new();
            p.bytes.hash(&mut h);
            let key = h.finish();
            if let Some((k, attrs)) = previous.get(&p.path)
                && *k == key
            {
                return Some((p, key, Arc::clone(attrs)));
            }
            Some((p, key, Arc::new(scan(std::str::from_utf8(&p.bytes).ok()?))))
        })
        .collect();
    if let Some(cache) = cache {
        cache.store(scanned.iter().map(|(p, k, a)| (p.path.clone(), (*k, Arc::clone(a)))).collect());
    }
    let ids: HashMap<&str, HashSet<&str>> = scanned
        .iter()
        .map(|(page, _, attrs)| {
            let ids = attrs.iter().filter(|a| a.name == "id" || (a.name == "name" && a.tag == "a"));
            (page.path.as_str(), ids.map(|a| a.value.as_ref()).collect())
        })
        .collect();
    // One problem per distinct link, with the first page that has it and how many more.
    let mut problems: Vec<(String, String, String, usize)> = Vec::new();
    for (page, _, attrs) in &scanned {
        let refresh =
            attrs.iter().any(|a| a.tag == "meta" && a.name == "http-equiv" && a.value.eq_ignore_ascii_case("refresh"));
        for attr in attrs.iter() {
            let Some(link) = link_of(attr, refresh && attr.tag == "meta") else {
                continue;
            };
            let why = match resolve(config, &page.path, link) {
                Ok(Target::External) => continue,
                Ok(Target::File(file, fragment)) => {
                    if !files.contains(file.as_str()) {
                        let folder = format!("{file}/{INDEX}");
                        if files.contains(folder.as_str()) {
                            format!("`{file}` is a folder: end the link with `/`")
                        } else {
                            format!("there is no `{file}` in the output")
                        }
                    } else if !fragment.is_empty()
                        && ids.get(file.as_str()).is_some_and(|set| !set.contains(fragment.as_str()))
                    {
                        format!("`{file}` has no element with id `{fragment}`")
                    } else {
                        continue;
                    }
                }
                Err(why) => why,
            };
            match problems.iter_mut().find(|p| p.1 == link && p.2 == why) {
                Some(p) => p.3 += 1,
                None => problems.push((page.path.clone(), link.to_string(), why, 0)),
            }
        }
    }
    problems
        .into_iter()
        .map(|(page, link, why, more)| {
            let also = if more > 0 { format!(" (and on {more} more pages)") } else { String::new() };
            let mut d = Diagnostic::error("broken-output-link", format!("the page `{page}` links to `{link}`{also}: {why}"));
            d = match sources.get(&page) {
                Some(file) => d.at(file, None).help(
                    "fix the link in this file's body, or in the template that writes it if the file does not contain it",
                ),
                None => d.help("fix the template that writes this link (in the site's templates/ folder if you override it)"),
            };
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> Config {
        Config { base_url: base.to_string(), ..Config::default() }
    }

    fn file(path: &str, fragment: &str) -> Result<Target, String> {
        Ok(Target::File(path.to_string(), fragment.to_string()))
    }

    #[test]
    fn names_index_files_in_folder_links_only() {
        assert_eq!(with_index("../pain/x/").as_deref(), Some("../pain/x/index.html"));
        assert_eq!(with_index("../pain/x/#h").as_deref(), Some("../pain/x/index.html#h"));
        assert_eq!(with_index("./").as_deref(), Some("./index.html"));
        assert_eq!(with_index("..").as_deref(), Some("../index.html"));
        assert_eq!(with_index("/roadmap/").as_deref(), Some("/roadmap/index.html"));
        for unchanged in ["", "#top", "style.css", "https://x.org/a/", "//x.org/", "mailto:a@b", "../a/b.svg"] {
            assert_eq!(with_index(unchanged), None, "{unchanged}");
        }
    }

    #[test]
    fn resolves_relative_and_absolute_links() {
        let sub = config("https://acme.github.io/roadmap/");
        let page = "pain/slow/index.html";
        assert_eq!(resolve(&sub, page, "../../solutions/x/"), file("solutions/x/index.html", ""));
        assert_eq!(resolve(&sub, page, "../"), file("pain/index.html", ""));
        assert_eq!(resolve(&sub, page, "../../style.css"), file("style.css", ""));
        assert_eq!(resolve(&sub, page, "#why"), file(page, "why"));
        assert_eq!(resolve(&sub, page, "./index.html#a%20b"), file(page, "a b"));
        assert_eq!(resolve(&sub, page, "/roadmap/pain/"), file("pain/index.html", ""));
        assert_eq!(resolve(&sub, page, "https://acme.github.io/roadmap/badges/slow.svg"), file("badges/slow.svg", ""));
        assert_eq!(resolve(&sub, page, "https://github.com/acme/"), Ok(Target::External));
        assert!(resolve(&sub, page, "/pain/").unwrap_err().contains("base path `/roadmap/`"));
        assert!(resolve(&sub, page, "../../../x/").unwrap_err().contains("climbs above"));
        let root = config("/");
        assert_eq!(resolve(&root, "index.html", "/pain/"), file("pain/index.html", ""));
        assert_eq!(resolve(&root, "index.html", "./"), file("index.html", ""));
        assert_eq!(resolve(&root, "index.html", ""), Ok(Target::External));
    }

    fn page(path: &str, html: &str) -> Page {
        Page { path: path.into(), bytes: html.as_bytes().to_vec() }
    }

    #[test]
    fn reports_missing_files_and_fragments_once_per_link() {
        let pages = vec![
            page("index.html", r##"<a href="pain/">p</a><a href="nope/">n</a><a href="pain/#gone">g</a>"##),
            page(
                "pain/index.html",
                r##"<h1 id="top">P</h1><a href="../nope/">n</a><a href="#top">t</a><a href="../pain">f</a>"##,
            ),
        ];
        let d = check(&pages, &config("/"), &HashMap::new(), None);
        // A warm scan cache gives the same answer.
        let cache = ScanCache::default();
        assert_eq!(check(&pages, &config("/"), &HashMap::new(), Some(&cache)), d);
        assert_eq!(check(&pages, &config("/"), &HashMap::new(), Some(&cache)), d);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[0].contains("`index.html` links to `nope/`: there is no `nope/index.html`"));
        assert!(messages[1].contains("no element with id `gone`"));
        assert!(messages[2].contains("`../nope/`"));
        assert!(messages[3].contains("is a folder: end the link with `/`"));
    }

    #[test]
    fn rewriting_keeps_other_attributes_and_checks_clean() {
        let mut pages = vec![
            page(
                "index.html",
                r#"<link href="style.css" rel="stylesheet"><a class="x" href="pain/?q=1&amp;r=2">p</a>"#,
            ),
            page("pain/index.html", r#"<meta http-equiv="refresh" content="0; url=../"><a href="..">up</a>"#),
            page("style.css", ""),
        ];
        name_index_files(&mut pages);
        assert_eq!(
            String::from_utf8_lossy(&pages[0].bytes),
            r#"<link href="style.css" rel="stylesheet"><a class="x" href="pain/index.html?q=1&amp;r=2">p</a>"#
        );
        assert_eq!(
            String::from_utf8_lossy(&pages[1].bytes),
            r#"<meta http-equiv="refresh" content="0; url=../"><a href="../index.html">up</a>"#
        );
        assert!(check(&pages, &config("/"), &HashMap::new(), None).is_empty());
    }
}

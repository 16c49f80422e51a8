//! Links in the rendered output: naming `index.html` in directory links (so
//! the output folder works opened from disk), and the built-in link check
//! that every internal `href` and `src` resolves to a file of the output.
//!
//! Both run on the pages in memory, before anything is written: a broken link
//! fails the build and the last good output stays in place.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::Page;
use super::html::{self, Attr};
use crate::config::Config;

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
    if !page.path.ends_with(".html") {
        return;
    }
    let Ok(text) = std::str::from_utf8(&page.bytes) else {
        return;
    };
    let mut attrs = link_attributes(text);
    if let Some(named) = name_index(text, &mut attrs) {
        page.bytes = named.into();
    }
}

/// A rendered page made final in one pass over its attributes: `index.html`
/// named in its folder links (unless `clean_urls`), and its scan for the
/// link check (`None` for a file that is not an HTML page).
pub fn settle(config: &Config, page: &mut Page) -> Option<Arc<Scan>> {
    if !page.path.ends_with(".html") {
        return None;
    }
    let text = std::str::from_utf8(&page.bytes).ok()?;
    let mut attrs = link_attributes(text);
    let named = if config.clean_urls { None } else { name_index(text, &mut attrs) };
    let scan = Arc::new(scan_attributes(config, &attrs));
    drop(attrs);
    if let Some(named) = named {
        page.bytes = named.into();
    }
    Some(scan)
}

/// The attributes the link side reads (links, ids, a meta refresh), and no
/// others: a page of highlighted code has a `class` on every token.
fn link_attributes(text: &str) -> Vec<Attr<'_>> {
    html::attributes_where(text, |tag, name| match name {
        "href" | "src" | "xlink:href" | "id" => true,
        "name" => tag == "a",
        "http-equiv" | "content" => tag == "meta",
        _ => false,
    })
}

/// The page with `index.html` named in its folder links, if any link changed;
/// the changed attributes then hold their new values.
fn name_index(text: &str, attrs: &mut [Attr]) -> Option<String> {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for attr in attrs.iter_mut().filter(|a| a.name == "href" && matches!(&*a.tag, "a" | "area")) {
        if let Some(named) = with_index(&attr.value) {
            edits.push((attr.span.clone(), crate::escape::html(&named)));
            attr.value = named.into();
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + edits.len() * INDEX.len());
    let mut last = 0;
    for (span, value) in edits {
        out.push_str(&text[last..span.start]);
        out.push_str(&value);
        last = span.end;
    }
    out.push_str(&text[last..]);
    Some(out)
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
    // Borrowed where no `%` needs decoding: this runs for every link of every page.
    let mut parts: Vec<Cow<str>> = Vec::new();
    if !from_root {
        parts.extend(page.split('/').map(Cow::Borrowed));
        parts.pop();
    }
    let mut segments = path.split('/').peekable();
    let mut last = "";
    while let Some(segment) = segments.next() {
        last = segment;
        match segment {
            "." => {}
            "" if segments.peek().is_some() => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it climbs above the root of the site".to_string());
                }
            }
            s => parts.push(decode_percent_cow(s)),
        }
    }
    let ends_in_folder = parts.last().is_none_or(|p| p.is_empty()) || matches!(last, ".." | ".");
    parts.retain(|p| !p.is_empty());
    if ends_in_folder {
        parts.push(Cow::Borrowed(INDEX));
    }
    Ok(Target::File(parts.join("/"), fragment))
}

/// Whether [`resolve`] would call `link` external, without resolving it: the
/// scan keeps only the links the check must follow.
fn is_external(config: &Config, link: &str) -> bool {
    let link = link.trim();
    if link.is_empty() {
        return true;
    }
    if link.starts_with('#') || (config.has_host() && link.starts_with(&config.base_url)) {
        return false;
    }
    link.starts_with("//") || has_scheme(link)
}

pub(crate) fn decode_percent(s: &str) -> String {
    decode_percent_cow(s).into_owned()
}

/// [`decode_percent`], borrowing `s` when it has nothing to decode.
fn decode_percent_cow(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
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
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The links an attribute carries: `href`, `src`, and the URL of a meta refresh.
fn link_of<'a>(attr: &'a Attr<'_>, refresh: bool) -> Option<&'a str> {
    match &*attr.name {
        "href" | "src" | "xlink:href" => Some(&attr.value),
        "content" if refresh => {
            let lower = attr.value.to_ascii_lowercase();
            let at = lower.find("url=")?;
            Some(attr.value[at + 4..].trim().trim_matches(|c| c == '\'' || c == '"'))
        }
        _ => None,
    }
}

/// What the link check needs from one page: its ids, and each distinct link
/// into the site. Reading a page is the costly part; in `serve` most pages are
/// unchanged and their scan is kept. Links are kept as written (and resolved
/// when checked): a large site's list pages hold millions of them, so a
/// page's links share one buffer rather than one allocation each.
pub struct Scan {
    ids: HashSet<String>,
    /// Where a redirect page (a meta refresh) sends its reader: a link to
    /// it with a `#fragment` is judged by the page it leads to.
    redirect: Option<Box<str>>,
    /// Every link, one after another; `ends` says where each stops.
    links: Box<str>,
    ends: Box<[u32]>,
}

impl Scan {
    fn links(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(start, end)| &self.links[start as usize..end as usize])
    }
}

fn scan(config: &Config, text: &str) -> Scan {
    scan_attributes(config, &link_attributes(text))
}

fn scan_attributes(config: &Config, attrs: &[Attr]) -> Scan {
    let refresh =
        attrs.iter().any(|a| a.tag == "meta" && a.name == "http-equiv" && a.value.eq_ignore_ascii_case("refresh"));
    let ids = attrs
        .iter()
        .filter(|a| a.name == "id" || (a.name == "name" && a.tag == "a"))
        .map(|a| a.value.to_string())
        .collect();
    let redirect = attrs
        .iter()
        .find(|a| refresh && a.tag == "meta" && a.name == "content")
        .and_then(|a| link_of(a, true))
        .map(Box::from);
    let mut seen = HashSet::new();
    let mut links = String::new();
    let mut ends = Vec::new();
    for attr in attrs {
        let Some(link) = link_of(attr, refresh && attr.tag == "meta") else {
            continue;
        };
        if seen.insert(link) && !is_external(config, link) {
            links.push_str(link);
            // A page of over 4 GiB of links is not one charted writes; stop there.
            let Ok(end) = u32::try_from(links.len()) else { break };
            ends.push(end);
        }
    }
    Scan { ids, redirect, links: links.into(), ends: ends.into() }
}

/// Pages scanned as they were rendered, by path (a streamed page's bytes are gone: written out).
pub type Prescanned = HashMap<String, Option<Arc<Scan>>>;

/// The scan of one page (`None` for a file that is not an HTML page).
pub fn scan_page(config: &Config, page: &Page) -> Option<Arc<Scan>> {
    if !page.path.ends_with(".html") {
        return None;
    }
    Some(Arc::new(scan(config, std::str::from_utf8(&page.bytes).ok()?)))
}

/// Scanned pages of the previous run, by path. A page the page loop reports
/// unchanged (its bytes reused from the page memo) keeps its scan.
#[derive(Default)]
pub struct ScanCache {
    map: Mutex<Scanned>,
}

#[derive(Default)]
struct Scanned {
    /// What the links were resolved against, and which files existed.
    config: u64,
    files: u64,
    pages: HashMap<String, Checked>,
}

/// One page as last checked: its scan and its broken links.
#[derive(Clone)]
struct Checked {
    scan: Arc<Scan>,
    broken: Arc<Vec<(String, String)>>,
}

impl ScanCache {
    fn take(&self) -> Scanned {
        std::mem::take(&mut *self.map.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn store(&self, scanned: Scanned) {
        *self.map.lock().unwrap_or_else(|p| p.into_inner()) = scanned;
    }
}

/// The broken links of one page: (link, why), in the order they appear.
fn broken_links(
    config: &Config,
    path: &str,
    scan: &Scan,
    files: &HashSet<&str>,
    scans: &HashMap<&str, &Scan>,
) -> Vec<(String, String)> {
    let has_id = |file: &str, fragment: &str| {
        let Some(scan) = scans.get(file) else { return true };
        if let Some(target) = &scan.redirect
            && let Ok(Target::File(to, _)) = resolve(config, file, target)
            && let Some(to) = scans.get(to.as_str())
        {
            return to.ids.contains(fragment);
        }
        scan.ids.contains(fragment)
    };
    let mut out = Vec::new();
    for link in scan.links() {
        let why = match resolve(config, path, link) {
            Ok(Target::External) => continue,
            Ok(Target::File(file, fragment)) => {
                if !files.contains(file.as_str()) {
                    let folder = format!("{file}/{INDEX}");
                    if files.contains(folder.as_str()) {
                        format!("`{file}` is a folder: end the link with `/`")
                    } else {
                        format!("there is no `{file}` in the output")
                    }
                } else if !fragment.is_empty() && !has_id(&file, &fragment) {
                    format!("`{file}` has no element with id `{fragment}`")
                } else {
                    continue;
                }
            }
            Err(why) => why,
        };
        out.push((link.to_string(), why));
    }
    out
}

/// A link of the output that leads nowhere: the first page that has it, how
/// many more pages have it too, and why it is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub page: String,
    pub link: String,
    pub why: String,
    pub more: usize,
}

/// Every `href`/`src` of every HTML page must name a file of the output, and
/// its fragment an element of that file. One finding per distinct link
/// ([`super::origin`] says where each was written).
///
/// With a cache, a page whose bytes are unchanged keeps its scan, and also
/// its verdict while the set of files and every changed page's ids are the same.
/// `unchanged`: the pages whose bytes the page loop reused from the previous run.
pub fn check(
    pages: &[Page],
    config: &Config,
    cache: Option<&ScanCache>,
    prescanned: &Prescanned,
    unchanged: &HashSet<String>,
) -> Vec<Broken> {
    let files: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let files_key = crate::incremental::fingerprint::of(&pages.iter().map(|p| p.path.as_str()).collect::<Vec<_>>());
    let config_key = crate::incremental::fingerprint::of(&(&config.base_url, config.base_path()));
    let mut previous = cache.map(ScanCache::take).unwrap_or_default();
    if previous.config != config_key {
        previous.pages.clear();
    }
    // (page, scan, the previous check when the bytes are the same buffer)
    let scanned: Vec<(&Page, Arc<Scan>, Option<&Checked>)> = pages
        .par_iter()
        .filter(|p| p.path.ends_with(".html"))
        .filter_map(|p| {
            if let Some(scanned) = prescanned.get(&p.path) {
                return Some((p, Arc::clone(scanned.as_ref()?), None));
            }
            match previous.pages.get(&p.path) {
                Some(old) if unchanged.contains(&p.path) => Some((p, Arc::clone(&old.scan), Some(old))),
                _ => Some((p, Arc::new(scan(config, std::str::from_utf8(&p.bytes).ok()?)), None)),
            }
        })
        .collect();
    let scans: HashMap<&str, &Scan> = scanned.iter().map(|(page, scan, _)| (page.path.as_str(), &**scan)).collect();
    // A changed page whose ids changed may break or mend fragment links on any page.
    let ids_same = scanned.iter().filter(|(_, _, old)| old.is_none()).all(|(page, scan, _)| {
        previous.pages.get(&page.path).is_some_and(|old| old.scan.ids == scan.ids && old.scan.redirect == scan.redirect)
    });
    let keep = previous.files == files_key && ids_same;
    let checked: Vec<(&Page, Checked)> = scanned
        .par_iter()
        .map(|(page, scan, old)| {
            let broken = match old {
                Some(old) if keep => Arc::clone(&old.broken),
                _ => Arc::new(broken_links(config, &page.path, scan, &files, &scans)),
            };
            (*page, Checked { scan: Arc::clone(scan), broken })
        })
        .collect();
    drop(scanned);
    // One finding per distinct link, with the first page that has it and how many more.
    let mut found: Vec<Broken> = Vec::new();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (page, check) in &checked {
        for (link, why) in check.broken.iter() {
            match seen.get(&(link.as_str(), why.as_str())) {
                Some(&at) => found[at].more += 1,
                None => {
                    seen.insert((link.as_str(), why.as_str()), found.len());
                    found.push(Broken { page: page.path.clone(), link: link.clone(), why: why.clone(), more: 0 });
                }
            }
        }
    }
    drop(seen);
    if let Some(cache) = cache {
        let pages = checked.into_iter().map(|(p, c)| (p.path.clone(), c)).collect();
        cache.store(Scanned { config: config_key, files: files_key, pages });
    }
    found
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

    #[test]
    fn the_scan_keeps_exactly_the_links_resolve_follows() {
        let links = [
            "",
            " ",
            "#a",
            "x",
            "../",
            "/",
            "/roadmap/x/",
            "//cdn.org/x",
            "mailto:a@b",
            "https://acme.github.io/roadmap/x",
            " https://acme.github.io/roadmap/",
            "https://other.org/",
            "c:d",
            "1x:y",
            "../../../../up",
            "%2e%2e/",
        ];
        for base in ["/", "/roadmap/", "https://acme.github.io/roadmap/"] {
            let config = config(base);
            for link in links {
                let resolved = resolve(&config, "pain/x/index.html", link);
                assert_eq!(is_external(&config, link), resolved == Ok(Target::External), "{base} {link:?}");
            }
        }
    }

    fn page(path: &str, html: &str) -> Page {
        Page::new(path, html.as_bytes().to_vec())
    }

    /// The pages the page loop reports unchanged since the previous check.
    fn unchanged(paths: &[&str]) -> HashSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
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
        let d = check(&pages, &config("/"), None, &Prescanned::new(), &unchanged(&[]));
        // A warm scan cache gives the same answer.
        let cache = ScanCache::default();
        assert_eq!(check(&pages, &config("/"), Some(&cache), &Prescanned::new(), &unchanged(&[])), d);
        let all = unchanged(&["index.html", "pain/index.html"]);
        assert_eq!(check(&pages, &config("/"), Some(&cache), &Prescanned::new(), &all), d);
        let found: Vec<String> = d.iter().map(|b| format!("{} {}: {}", b.page, b.link, b.why)).collect();
        assert_eq!(
            found,
            [
                "index.html nope/: there is no `nope/index.html` in the output",
                "index.html pain/#gone: `pain/index.html` has no element with id `gone`",
                "pain/index.html ../nope/: there is no `nope/index.html` in the output",
                "pain/index.html ../pain: `pain` is a folder: end the link with `/`",
            ]
        );
    }

    #[test]
    fn a_cached_verdict_is_dropped_when_a_linked_page_loses_the_id() {
        let config = config("/");
        let cache = ScanCache::default();
        let linking = page("index.html", r##"<a href="pain/#why">w</a>"##);
        let mut pages = vec![linking.clone(), page("pain/index.html", r#"<h2 id="why">Why</h2>"#)];
        assert!(check(&pages, &config, Some(&cache), &Prescanned::new(), &unchanged(&[])).is_empty());
        // Only the linked page changes: the linking page keeps its bytes (and scan), not its verdict.
        pages[1] = page("pain/index.html", r#"<h2 id="because">Because</h2>"#);
        let d = check(&pages, &config, Some(&cache), &Prescanned::new(), &unchanged(&["index.html"]));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].why.contains("has no element with id `why`"));
        // A page gone changes the set of files: the link to it breaks.
        pages.remove(1);
        let d = check(&pages, &config, Some(&cache), &Prescanned::new(), &unchanged(&["index.html"]));
        assert!(d[0].why.contains("there is no `pain/index.html`"), "{d:#?}");
        assert!(std::ptr::eq(pages[0].bytes.as_ptr(), linking.bytes.as_ptr()));
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
        assert!(check(&pages, &config("/"), None, &Prescanned::new(), &unchanged(&[])).is_empty());
    }
}

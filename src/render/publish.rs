//! What other documents and tools link to: `items.json`, the Atom feed, the
//! sitemap, redirect pages for aliases, and GitHub Pages' `.nojekyll` and
//! `CNAME`. Everything is built from the model, never from the pages.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Page;
use super::html::escape;
use super::links::INDEX;
use super::memo::Pieces;
use super::view::Views;
use crate::load::fields::Choice;
use crate::model::{Details, Kind, Site, Validation, url_of};

/// The version of the `items.json` format; raised when a field changes meaning
/// or disappears (new fields may appear without a raise).
pub const SCHEMA_VERSION: u32 = 1;

/// The publishing files of a site. `html_pages` are the rendered HTML pages, for the sitemap.
fn pages_for(site: &Site, views: &Views, memo: Option<&Pieces>, html_pages: &[&str]) -> Vec<Page> {
    let json = items_json(site, views, memo);
    let mut out = vec![Page::new(".nojekyll", Vec::new()), Page::new("items.json", json)];
    if let Some(domain) = &site.config.cname {
        out.push(Page::new("CNAME", format!("{domain}\n")));
    }
    if site.config.has_host() {
        out.push(Page::new("feed.xml", feed(site)));
        out.push(Page::new("sitemap.xml", sitemap(site, html_pages)));
    }
    out.extend(aliases(site));
    out
}

/// An item's permalink: `base_url` + `pain/<id>/`.
pub fn permalink(site: &Site, kind: Kind, id: &str) -> String {
    format!("{}{}", site.config.base_url, url_of(kind, id))
}

#[derive(Serialize)]
struct ItemsJson<'a> {
    schema_version: u32,
    site: SiteInfo<'a>,
    figures: Figures,
    items: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    generated: String,
}

#[derive(Serialize)]
struct Figures {
    split: SplitFigures,
    validation: ValidationCounts,
    counts: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct SplitFigures {
    target: Split,
    actual: Option<Split>,
    planned_effort: f64,
    tolerance: f64,
    within_tolerance: bool,
}

#[derive(Serialize)]
struct Split {
    immediate: f64,
    future: f64,
}

#[derive(Serialize)]
struct ValidationCounts {
    unvalidated: usize,
    validating: usize,
    validated: usize,
    invalidated: usize,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    category: Option<&'static str>,
    status: Option<&'static str>,
    validation: Option<&'static str>,
    priority: Option<i64>,
    score: Option<f64>,
    rank: Option<usize>,
    evidence_weight: Option<u32>,
    phase: Option<&'static str>,
    effort: Option<f64>,
    value: Option<f64>,
    value_per_effort: Option<f64>,
    date: Option<String>,
    updated: Option<String>,
    references: Vec<&'a str>,
    aliases: Vec<&'a str>,
    badge: String,
}

/// `items.json`, pretty-printed. Each item is printed on its own (in
/// parallel, or kept from the previous run) and indented into place: the
/// bytes are those of printing the whole document at once.
fn items_json(site: &Site, views: &Views, memo: Option<&Pieces>) -> Vec<u8> {
    let b = &site.balance;
    let split = |s: &crate::model::item::Split| Split { immediate: s.immediate, future: s.future };
    let count = |v: Validation| site.computed.iter().filter(|c| c.validation == Some(v)).count();
    let doc = ItemsJson {
        schema_version: SCHEMA_VERSION,
        site: SiteInfo {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            language: &site.config.language,
            generated: site.today.to_string(),
        },
        figures: Figures {
            split: SplitFigures {
                target: split(&b.target),
                actual: b.actual.as_ref().map(split),
                planned_effort: b.planned_effort,
                tolerance: b.tolerance,
                within_tolerance: b.within,
            },
            validation: ValidationCounts {
                unvalidated: count(Validation::Unvalidated),
                validating: count(Validation::Validating),
                validated: count(Validation::Validated),
                invalidated: count(Validation::Invalidated),
            },
            counts: Kind::ALL.iter().map(|&k| (k.as_str(), site.of_kind(k).count())).collect(),
        },
        items: Vec::new(),
    };
    let mut json = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    // An item shows its own fields, the ids it refers to and the base URL.
    let key = |i: usize| {
        let refers: Vec<&str> = site.links[i].iter().map(|&j| site.items[j].id.as_str()).collect();
        crate::fingerprint::of(&(views.own_inputs[i], refers, &site.config.base_url))
    };
    let items = Pieces::make_all(memo, site.items.len(), key, |i| {
        let item = serde_json::to_string_pretty(&item_json(site, i)).unwrap_or_default();
        // JSON strings hold no raw newline, so every newline is layout.
        format!("    {}", item.replace('\n', "\n    "))
    });
    if !items.is_empty() && json.ends_with(b"[]\n}") {
        json.truncate(json.len() - b"]\n}".len());
        for (n, item) in items.iter().enumerate() {
            json.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
            json.extend_from_slice(item.as_bytes());
        }
        json.extend_from_slice(b"\n  ]\n}");
    }
    json.push(b'\n');
    json
}

fn item_json(site: &Site, i: usize) -> ItemJson<'_> {
    let item = &site.items[i];
    let c = &site.computed[i];
    let solution = match &item.details {
        Details::Solution(x) => Some(x),
        _ => None,
    };
    ItemJson {
        id: &item.id,
        kind: item.kind.as_str(),
        title: &item.title,
        url: permalink(site, item.kind, &item.id),
        summary: item.summary.as_deref(),
        category: super::view::category(item),
        status: super::view::status(item),
        validation: c.validation.map(|v| v.as_str()),
        priority: match &item.details {
            Details::Pain(p) => p.priority,
            _ => None,
        },
        score: c.score,
        rank: c.rank,
        evidence_weight: matches!(item.details, Details::Pain(_)).then_some(c.evidence_weight),
        phase: solution.map(|x| x.phase.as_str()),
        effort: solution.and_then(|x| x.effort),
        value: c.value,
        value_per_effort: c.value_per_effort,
        date: item.date.map(|d| d.to_string()),
        updated: item.updated.map(|d| d.to_string()),
        references: site.links[i].iter().map(|&to| site.items[to].id.as_str()).collect(),
        aliases: item.aliases.iter().map(|a| a.value.as_str()).collect(),
        badge: format!("{}badges/{}.svg", site.config.base_url, item.id),
    }
}

/// Escapes text for XML content and attributes.
fn xml(text: &str) -> String {
    escape(text).replace("&#39;", "&apos;")
}

/// Items with a date, newest first (then by id), with that date.
fn dated(site: &Site) -> Vec<(usize, jiff::civil::Date)> {
    let mut list: Vec<(usize, jiff::civil::Date)> =
        site.items.iter().enumerate().filter_map(|(i, item)| Some((i, item.updated.or(item.date)?))).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| site.items[a.0].id.cmp(&site.items[b.0].id)));
    list
}

/// An Atom feed of the items that carry `updated` or `date`, newest first.
fn feed(site: &Site) -> String {
    let config = &site.config;
    let entries = dated(site);
    let newest = entries.first().map_or(site.today, |e| e.1);
    let title = if config.title.is_empty() { "charted site" } else { config.title.as_str() };
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out += &format!("  <title>{}</title>\n", xml(title));
    if !config.description.is_empty() {
        out += &format!("  <subtitle>{}</subtitle>\n", xml(&config.description));
    }
    out += &format!("  <id>{}</id>\n", xml(&config.base_url));
    out += &format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(&config.base_url));
    out +=
        &format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}feed.xml\"/>\n", xml(&config.base_url));
    out += &format!("  <updated>{newest}T00:00:00Z</updated>\n");
    out += &format!("  <author><name>{}</name></author>\n", xml(title));
    out += "  <generator>charted</generator>\n";
    for (i, when) in entries {
        let item = &site.items[i];
        let url = permalink(site, item.kind, &item.id);
        out += "  <entry>\n";
        out += &format!("    <title>{}: {}</title>\n", xml(item.kind.label()), xml(&item.title));
        out += &format!("    <id>{}</id>\n", xml(&url));
        out += &format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(&url));
        out += &format!("    <updated>{when}T00:00:00Z</updated>\n");
        if let Some(date) = item.date {
            out += &format!("    <published>{date}T00:00:00Z</published>\n");
        }
        if let Some(owner) = &item.owner {
            out += &format!("    <author><name>{}</name></author>\n", xml(owner));
        }
        out += &format!("    <category term=\"{}\"/>\n", item.kind.as_str());
        if let Some(summary) = &item.summary {
            out += &format!("    <summary>{}</summary>\n", xml(summary));
        }
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    out
}

/// Every HTML page but the 404 page and redirects, with the date of items that have one.
fn sitemap(site: &Site, html_pages: &[&str]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Page path → the date of the item it shows: one map, not a search per page.
    let dates: HashMap<String, jiff::civil::Date> = site
        .items
        .iter()
        .filter_map(|item| Some((format!("{}{INDEX}", url_of(item.kind, &item.id)), item.updated.or(item.date)?)))
        .collect();
    let lastmod = |path: &str| dates.get(path).copied();
    for path in html_pages.iter().filter(|p| p.ends_with(INDEX)) {
        let url = format!("{}{}", site.config.base_url, path.trim_end_matches(INDEX));
        out += &format!("  <url>\n    <loc>{}</loc>\n", xml(&url));
        if let Some(date) = lastmod(path) {
            out += &format!("    <lastmod>{date}</lastmod>\n");
        }
        out += "  </url>\n";
    }
    out += "</urlset>\n";
    out
}

/// A redirect page at each alias's old URL, pointing at the item's page.
fn aliases(site: &Site) -> Vec<Page> {
    let config = &site.config;
    let mut out = Vec::new();
    for item in site.items.iter().filter(|i| i.kind != Kind::Charter) {
        // Alias pages sit beside the item's page: `<folder>/<alias>/index.html`.
        let mut target = format!("../{}/", item.id);
        if !config.clean_urls {
            target.push_str(INDEX);
        }
        // Without a host, a path-only canonical link would break from disk: keep it relative.
        let canonical = if config.has_host() { permalink(site, item.kind, &item.id) } else { target.clone() };
        for alias in &item.aliases {
            let title = format!("{} has moved", item.title);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
<meta name=\"robots\" content=\"noindex\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n\
<body>\n<p>This page has moved to <a href=\"{target}\">{name}</a>.</p>\n</body>\n</html>\n",
                lang = escape(&config.language),
                title = escape(&title),
                target = escape(&target),
                canonical = escape(&canonical),
                name = escape(&item.title),
            );
            out.push(Page::new(format!("{}/{}/{INDEX}", item.kind.folder(), alias.value), html));
        }
    }
    out
}

/// Adds the publishing files to the rendered pages and names `index.html`
/// in folder links unless `clean_urls` is set. A file the theme or site
/// already provides (say its own `CNAME`) is kept.
pub fn finish(site: &Site, views: &Views, pages: &mut Vec<Page>, memo: Option<&super::memo::PageMemo>) {
    let html: Vec<&str> = pages.iter().map(|p| p.path.as_str()).filter(|p| p.ends_with(".html")).collect();
    // Made from the model and the list of pages alone: kept while both are the same.
    let derived = || {
        let pieces = |f: fn(&super::memo::PageMemo) -> &Pieces| memo.map(f);
        let (mut out, badges) = rayon::join(
            || pages_for(site, views, pieces(|m| &m.items_json), &html),
            || super::badges::pages(site, views, pieces(|m| &m.badges)),
        );
        out.extend(badges);
        if !site.config.clean_urls {
            super::links::name_index_files(&mut out);
        }
        out
    };
    let (mut extra, search) = rayon::join(
        || match memo {
            Some(memo) => memo.derived.get_or_make(crate::fingerprint::of(&(site.structure, &html)), derived),
            None => derived(),
        },
        || super::search::page(site, views, memo.map(|m| &m.search)),
    );
    extra.push(search);
    // A rendered page or theme file of the same path wins.
    let taken: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    extra.retain(|p| !taken.contains(p.path.as_str()));
    pages.extend(extra);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
}

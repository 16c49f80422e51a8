//! What other documents and tools link to: `items.json` and its schema, the
//! Atom feed, the sitemap, redirect pages for aliases, `robots.txt`, and
//! GitHub Pages' `.nojekyll` and `CNAME`. Everything is built from the model,
//! never from the pages.

use std::collections::{HashMap, HashSet};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::Page;
use super::html::escape;
use super::links::INDEX;
use super::view::Views;
use crate::diagnostic::Diagnostic;
use crate::incremental::memo::Pieces;
use crate::load::fields::Choice;
use crate::model::{Details, Kind, Site, Validation, url_of};

/// The version of the `items.json` format; raised when a field changes meaning
/// or disappears (new fields may appear without a raise).
pub const SCHEMA_VERSION: u32 = 1;

/// The publishing files of a site. `html_pages` are the rendered HTML pages, for the sitemap.
fn pages_for(site: &Site, keys: &[u64], memo: Option<&Pieces>, html_pages: &[&str]) -> Vec<Page> {
    let json = items_json(site, keys, memo);
    let mut out = vec![
        Page::new(".nojekyll", Vec::new()),
        Page::new("items.json", json),
        Page::new("items.schema.json", items_schema()),
    ];
    if let Some(domain) = &site.config.cname {
        out.push(Page::new("CNAME", format!("{domain}\n")));
    }
    if site.config.noindex {
        // Read by crawlers only at a host's root; the robots meta tag of every page covers sub-paths.
        out.push(Page::new("robots.txt", "User-agent: *\nDisallow: /\n"));
    }
    if site.config.has_host() {
        out.push(Page::new("feed.xml", feed(site)));
        let entries = sitemap_entries(site, html_pages);
        out.extend(sitemaps(&site.config.base_url, &entries).into_iter().map(|(name, xml)| Page::new(name, xml)));
    }
    out.extend(aliases(site));
    out
}

/// The theme's own link-preview image, and what it shows.
const DEFAULT_CARD: (&str, &str) = ("card.png", "The word charted beside a rising bar chart");

/// The link-preview image of every page (`og:image`): `card_image`, else the
/// theme's `card.png` (which a site's `static/card.png` replaces). `None`
/// without a host: `og:image` must be an absolute URL. An error when
/// `card_image` names no file of the output.
pub fn card(site: &Site, statics: &[(String, Vec<u8>)]) -> Result<Option<tera::Value>, Diagnostic> {
    let config = &site.config;
    let path = config.card_image.as_deref().unwrap_or(DEFAULT_CARD.0);
    let Some((_, bytes)) = statics.iter().find(|(name, _)| name == path) else {
        if config.card_image.is_none() {
            return Ok(None);
        }
        return Err(Diagnostic::error(
            "missing-card-image",
            format!("`card_image` in charted.yaml is `{path}`, which is not a file of the output"),
        )
        .help(format!("put the image at `static/{path}` (or the theme's `static/`), or remove `card_image`")));
    };
    if !config.has_host() {
        return Ok(None);
    }
    // The theme's own card shows charted's name; a site's own says something of the site.
    let ours = theme_default_card().is_some_and(|d| d == bytes.as_slice());
    let alt = if ours { DEFAULT_CARD.1 } else { config.title.as_str() };
    let size = png_size(bytes);
    Ok(Some(
        super::view::Obj::default()
            .set("url", format!("{}{path}", config.base_url))
            .set("alt", alt)
            .set("width", size.map(|s| s.0))
            .set("height", size.map(|s| s.1))
            .value(),
    ))
}

/// The shields.io endpoint badge URL of an item, but for `<id>.json`:
/// shields.io fetches the badge's JSON from the site, so it needs a host.
pub fn shields_prefix(config: &crate::config::Config) -> Option<String> {
    config.has_host().then(|| {
        let json_folder = format!("{}badges/", config.base_url);
        format!("https://img.shields.io/endpoint?url={}", percent_encode(&json_folder))
    })
}

/// `text` as a URL query value: every byte but the unreserved ones percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out += &format!("%{byte:02X}");
        }
    }
    out
}

/// The bytes of the built-in theme's `card.png`.
fn theme_default_card() -> Option<&'static [u8]> {
    super::theme::default_static(DEFAULT_CARD.0)
}

/// The width and height of a PNG image, from its header; `None` for another format.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let header = bytes.get(..24)?;
    if &header[..8] != b"\x89PNG\r\n\x1a\n" || &header[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    Some((number(16), number(20)))
}

/// An item's permalink: `base_url` + `pain/<id>/`.
pub fn permalink(site: &Site, kind: Kind, id: &str) -> String {
    format!("{}{}", site.config.base_url, url_of(kind, id))
}

/// Every item of a charted site and the site-wide figures (`items.json`).
/// `schema_version` is raised when a field changes meaning or disappears;
/// new fields may appear without a raise.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "charted items.json")]
struct ItemsJson<'a> {
    /// Where this file's JSON Schema is: `items.schema.json` beside it.
    #[serde(rename = "$schema")]
    schema: String,
    /// The version of this format.
    #[schemars(schema_with = "schema_version")]
    schema_version: u32,
    site: SiteInfo<'a>,
    figures: Figures,
    /// Every item, by kind then id.
    items: Vec<ItemJson<'a>>,
}

/// The site's settings.
#[derive(Serialize, JsonSchema)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    /// Where the site is published; always ends in `/`.
    #[schemars(regex(pattern = "/$"))]
    base_url: &'a str,
    /// The page language.
    language: &'a str,
    /// The day the site was built.
    #[schemars(schema_with = "date")]
    generated: String,
}

/// The site-wide figures, as on the dashboard.
#[derive(Serialize, JsonSchema)]
struct Figures {
    split: SplitFigures,
    /// How many solutions are at each validation stage.
    validation: ValidationCounts,
    /// How many items of each kind.
    #[schemars(schema_with = "kind_counts")]
    counts: std::collections::BTreeMap<&'static str, usize>,
}

/// The planned split of effort between immediate and future work.
#[derive(Serialize, JsonSchema)]
struct SplitFigures {
    /// The charter's target split.
    target: Split,
    /// The split of the planned solutions' effort; null when none is planned.
    actual: Option<Split>,
    /// The effort of the solutions planned now and next.
    #[schemars(range(min = 0))]
    planned_effort: f64,
    /// Percentage points the actual split may be off target.
    #[schemars(range(min = 0))]
    tolerance: f64,
    /// Whether the actual split is within `tolerance` of the target.
    within_tolerance: bool,
}

/// Two percentages adding up to 100.
#[derive(Serialize, JsonSchema)]
struct Split {
    #[schemars(range(min = 0, max = 100))]
    immediate: f64,
    #[schemars(range(min = 0, max = 100))]
    future: f64,
}

#[derive(Serialize, JsonSchema)]
struct ValidationCounts {
    unvalidated: usize,
    validating: usize,
    validated: usize,
    invalidated: usize,
}

/// One item; fields its kind does not have are null.
#[derive(Serialize, JsonSchema)]
struct ItemJson<'a> {
    #[schemars(schema_with = "id")]
    id: &'a str,
    #[schemars(schema_with = "kind")]
    kind: &'static str,
    title: &'a str,
    /// The item's permalink.
    #[schemars(regex(pattern = "/$"))]
    url: String,
    summary: Option<&'a str>,
    /// Pains and solutions: immediate or future.
    #[schemars(schema_with = "category")]
    category: Option<&'static str>,
    /// Pains and experiments.
    #[schemars(schema_with = "status")]
    status: Option<&'static str>,
    /// Solutions: how far the experiments that test it have got.
    #[schemars(schema_with = "validation")]
    validation: Option<&'static str>,
    /// Pains: the `priority` set in front matter, if any.
    priority: Option<i64>,
    /// Pains: the score of the scoring formula.
    score: Option<f64>,
    /// Pains: the place in the ranking (1 = most important).
    #[schemars(range(min = 1))]
    rank: Option<usize>,
    /// Pains: the sum of their evidence weights.
    evidence_weight: Option<u32>,
    /// Solutions: now, next or later.
    #[schemars(schema_with = "phase")]
    phase: Option<&'static str>,
    /// Solutions: the effort estimate.
    #[schemars(range(min = 0))]
    effort: Option<f64>,
    /// Solutions: the sum over the pains it covers of pain score × how weight.
    value: Option<f64>,
    /// Solutions: value divided by effort.
    value_per_effort: Option<f64>,
    #[schemars(schema_with = "date_or_null")]
    date: Option<String>,
    #[schemars(schema_with = "date_or_null")]
    updated: Option<String>,
    /// The ids of the items it refers to.
    #[schemars(schema_with = "ids")]
    references: Vec<&'a str>,
    /// Its earlier ids, oldest first: each has a redirect page.
    #[schemars(schema_with = "ids")]
    aliases: Vec<&'a str>,
    /// The URL of its status badge (SVG; a shields.io endpoint JSON is beside it).
    #[schemars(regex(pattern = "\\.svg$"))]
    badge: String,
}

// The schemas of fields whose values are words or shapes the code knows.

fn schema_version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": SCHEMA_VERSION })
}

const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": DATE })
}

fn date_or_null(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": DATE })
}

const ID: &str = "^[a-z0-9][a-z0-9-]*$";

fn id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": ID })
}

fn ids(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": { "type": "string", "pattern": ID } })
}

fn kind(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json_schema!({ "type": "string", "enum": kinds })
}

fn kind_counts(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json_schema!({
        "type": "object",
        "required": kinds,
        "additionalProperties": { "type": "integer", "minimum": 0 }
    })
}

/// One word of `words`, or null.
fn words_or_null(words: impl IntoIterator<Item = &'static str>) -> Schema {
    let mut list: Vec<serde_json::Value> = Vec::new();
    for word in words {
        if !list.iter().any(|w| w == word) {
            list.push(word.into());
        }
    }
    list.push(serde_json::Value::Null);
    json_schema!({ "enum": list })
}

fn category(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Category::ALL.iter().map(|c| c.as_str()))
}

fn status(_: &mut SchemaGenerator) -> Schema {
    let pains = crate::model::PainStatus::ALL.iter().map(|s| s.as_str());
    words_or_null(pains.chain(crate::model::ExperimentStatus::ALL.iter().map(|s| s.as_str())))
}

fn validation(_: &mut SchemaGenerator) -> Schema {
    words_or_null(Validation::ALL.iter().map(|v| v.as_str()))
}

fn phase(_: &mut SchemaGenerator) -> Schema {
    words_or_null(crate::model::Phase::ALL.iter().map(|p| p.as_str()))
}

/// The JSON Schema of `items.json`, generated from the types that print it,
/// so the two cannot drift. `docs/items.schema.json` is a copy (a test keeps
/// it equal). Made once: the same bytes every build.
pub fn items_schema() -> bytes::Bytes {
    static SCHEMA: std::sync::OnceLock<bytes::Bytes> = std::sync::OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let generator = schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
            let schema = generator.into_root_schema_for::<ItemsJson>();
            let mut text = serde_json::to_vec_pretty(&schema).unwrap_or_default();
            text.push(b'\n');
            text.into()
        })
        .clone()
}

/// `items.json`, pretty-printed. Each item is printed on its own (in
/// parallel, or kept from the previous run) and indented into place: the
/// bytes are those of printing the whole document at once.
/// `keys`: per item, what its entry is made from (see `incremental::pieces`).
fn items_json(site: &Site, keys: &[u64], memo: Option<&Pieces>) -> Vec<u8> {
    let b = &site.balance;
    let split = |s: &crate::model::item::Split| Split { immediate: s.immediate, future: s.future };
    let count = |v: Validation| site.computed.iter().filter(|c| c.validation == Some(v)).count();
    let config = &site.config;
    let schema =
        if config.has_host() { format!("{}items.schema.json", config.base_url) } else { "items.schema.json".into() };
    let doc = ItemsJson {
        schema,
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
    let items = Pieces::make_all(
        memo,
        site.items.len(),
        |i| keys[i],
        |i| {
            let item = serde_json::to_string_pretty(&item_json(site, i)).unwrap_or_default();
            // JSON strings hold no raw newline, so every newline is layout.
            format!("    {}", item.replace('\n', "\n    "))
        },
    );
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

/// Escapes text for XML content and attributes. Characters XML 1.0 does not
/// allow (C0 controls but tab, newline and return; U+FFFE, U+FFFF) are left
/// out: a title holding one must not make the feed unreadable.
fn xml(text: &str) -> String {
    let allowed =
        |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    let clean: std::borrow::Cow<str> =
        if text.chars().all(allowed) { text.into() } else { text.chars().filter(|&c| allowed(c)).collect() };
    escape(&clean).replace("&#39;", "&apos;")
}

/// Items with a date, newest first (then by id), with that date.
fn dated(site: &Site) -> Vec<(usize, jiff::civil::Date)> {
    let mut list: Vec<(usize, jiff::civil::Date)> =
        site.items.iter().enumerate().filter_map(|(i, item)| Some((i, item.updated.or(item.date)?))).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| site.items[a.0].id.cmp(&site.items[b.0].id)));
    list
}

/// An item's Atom entry id: the same for the item's whole life, so a feed
/// reader does not show a renamed item as new. A permalink changes with a
/// rename; this is made of the site's address (without the scheme) and the
/// item's original id: its first alias (`charted mv` appends the old id, so
/// the first is the oldest name), else its id.
/// `urn:charted:acme.github.io/roadmap/pain:slow-ci`.
pub fn entry_id(site: &Site, i: usize) -> String {
    let item = &site.items[i];
    let original = item.aliases.first().map_or(item.id.as_str(), |a| a.value.as_str());
    let base = &site.config.base_url;
    let place = base.split_once("://").map_or(base.as_str(), |(_, rest)| rest);
    format!("urn:charted:{place}{}:{original}", item.kind.as_str())
}

/// An Atom feed of the newest `feed_limit` items that carry `updated` or `date`, newest first.
fn feed(site: &Site) -> String {
    let config = &site.config;
    let mut entries = dated(site);
    if config.feed_limit > 0 {
        entries.truncate(config.feed_limit);
    }
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
        out += &entry(site, i, when);
    }
    out += "</feed>\n";
    out
}

/// One `<entry>` of the feed.
fn entry(site: &Site, i: usize, when: jiff::civil::Date) -> String {
    let item = &site.items[i];
    let url = permalink(site, item.kind, &item.id);
    let mut out = String::from("  <entry>\n");
    out += &format!("    <title>{}: {}</title>\n", xml(item.kind.label()), xml(&item.title));
    out += &format!("    <id>{}</id>\n", xml(&entry_id(site, i)));
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
    out
}

/// One URL of the sitemap, with the date of the item its page shows.
type SitemapEntry = (String, Option<jiff::civil::Date>);

/// Every HTML page but the 404 page and redirects, with the date of items that have one.
fn sitemap_entries(site: &Site, html_pages: &[&str]) -> Vec<SitemapEntry> {
    // Page path → the date of the item it shows: one map, not a search per page.
    let dates: HashMap<String, jiff::civil::Date> = site
        .items
        .iter()
        .filter_map(|item| Some((format!("{}{INDEX}", url_of(item.kind, &item.id)), item.updated.or(item.date)?)))
        .collect();
    html_pages
        .iter()
        .filter(|p| p.ends_with(INDEX))
        .map(|path| (format!("{}{}", site.config.base_url, path.trim_end_matches(INDEX)), dates.get(*path).copied()))
        .collect()
}

/// The most URLs one sitemap file may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// The sitemap files, as (output path, XML): one `sitemap.xml` up to
/// [`SITEMAP_LIMIT`] URLs; past it, `sitemap-1.xml`, `sitemap-2.xml`… of at
/// most that many each, and a `sitemap.xml` that is their index.
pub fn sitemaps(base_url: &str, entries: &[SitemapEntry]) -> Vec<(String, String)> {
    if entries.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let parts: Vec<(String, String)> = entries
        .chunks(SITEMAP_LIMIT)
        .enumerate()
        .map(|(n, chunk)| (format!("sitemap-{}.xml", n + 1), urlset(chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (name, _) in &parts {
        index += &format!("  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n", xml(&format!("{base_url}{name}")));
    }
    index += "</sitemapindex>\n";
    std::iter::once(("sitemap.xml".into(), index)).chain(parts).collect()
}

/// One sitemap file listing `entries`.
fn urlset(entries: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in entries {
        out += &format!("  <url>\n    <loc>{}</loc>\n", xml(url));
        if let Some(date) = date {
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
        let page = redirect(&config.language, &item.title, &target, &canonical);
        for alias in &item.aliases {
            out.push(Page::new(format!("{}/{}/{INDEX}", item.kind.folder(), alias.value), page.clone()));
        }
    }
    out
}

/// A page that sends its reader to `target`, keeping the `#fragment` of the
/// old URL (a link to a heading of the old page reaches that heading). The
/// script does that; the meta refresh (which cannot keep a fragment) and
/// the link are for readers without scripts. The script runs first: it is
/// before the refresh.
fn redirect(language: &str, name: &str, target: &str, canonical: &str) -> String {
    // A JSON string is a JavaScript string; `<` escaped so no `</script>` can close the element.
    let js_target = serde_json::to_string(target).unwrap_or_default().replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<script>location.replace({js_target} + location.hash);</script>\n\
<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
<meta name=\"robots\" content=\"noindex\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n\
<body>\n<p>This page has moved to <a href=\"{target}\">{name}</a>.</p>\n</body>\n</html>\n",
        lang = escape(language),
        title = escape(&format!("{name} has moved")),
        target = escape(target),
        canonical = escape(canonical),
        name = escape(name),
    )
}

/// Adds the publishing files to the rendered pages and names `index.html`
/// in folder links unless `clean_urls` is set. A file the theme or site
/// already provides (say its own `CNAME`) is kept.
pub fn finish(
    site: &Site,
    views: &Views,
    keys: &crate::incremental::pieces::PieceKeys,
    pages: &mut Vec<Page>,
    memo: Option<&crate::incremental::memo::PageMemo>,
) {
    let html: Vec<&str> = pages.iter().map(|p| p.path.as_str()).filter(|p| p.ends_with(".html")).collect();
    // Made from the model and the list of pages alone: kept while both are the same.
    let derived = || {
        let pieces = |f: fn(&crate::incremental::memo::PageMemo) -> &Pieces| memo.map(f);
        let (mut out, badges) = rayon::join(
            || pages_for(site, &keys.items_json, pieces(|m| &m.items_json), &html),
            || super::badges::pages(site, &keys.badges, pieces(|m| &m.badges)),
        );
        out.extend(badges);
        if !site.config.clean_urls {
            super::links::name_index_files(&mut out);
        }
        out
    };
    let (mut extra, search) = rayon::join(
        || match memo {
            Some(memo) => memo.derived.get_or_make(keys.derived(&html), derived),
            None => derived(),
        },
        || super::search::page(site, views, &keys.search, memo.map(|m| &m.search)),
    );
    extra.push(search);
    // A rendered page or theme file of the same path wins.
    let taken: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    extra.retain(|p| !taken.contains(p.path.as_str()));
    pages.extend(extra);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<SitemapEntry> {
        (0..n).map(|i| (format!("https://acme.dev/p/{i}/"), None)).collect()
    }

    fn locs(xml: &str) -> usize {
        xml.matches("<loc>").count()
    }

    #[test]
    fn one_sitemap_holds_up_to_50000_urls() {
        let files = sitemaps("https://acme.dev/", &entries(SITEMAP_LIMIT));
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<urlset "));
        assert_eq!(locs(&files[0].1), SITEMAP_LIMIT);
    }

    #[test]
    fn past_50000_urls_the_sitemap_is_an_index_of_parts() {
        let files = sitemaps("https://acme.dev/", &entries(SITEMAP_LIMIT + 1));
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = &files[0].1;
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(index.contains("<loc>https://acme.dev/sitemap-1.xml</loc>"));
        assert!(index.contains("<loc>https://acme.dev/sitemap-2.xml</loc>"));
        assert_eq!((locs(&files[1].1), locs(&files[2].1)), (SITEMAP_LIMIT, 1));
        assert!(files[2].1.contains("<loc>https://acme.dev/p/50000/</loc>"), "in order");
    }

    #[test]
    fn the_xml_escaper_drops_what_xml_forbids() {
        assert_eq!(xml("a\u{1}b\u{b}c\u{fffe}d\u{ffff}"), "abcd");
        assert_eq!(xml("tab\there\nline\r<&>\"'"), "tab\there\nline\r&lt;&amp;&gt;&quot;&apos;");
    }

    #[test]
    fn card_sizes_are_read_from_png_headers() {
        let card = super::super::theme::default_static("card.png").unwrap();
        assert_eq!(png_size(card), Some((1200, 630)));
        assert!(card.len() < 60_000, "the default card is small: {} bytes", card.len());
        assert_eq!(png_size(b"GIF89a........................"), None);
        assert_eq!(png_size(b"\x89PNG"), None);
    }

    #[test]
    fn shields_urls_carry_the_json_url_encoded() {
        assert_eq!(percent_encode("https://a.dev/r oad/ü"), "https%3A%2F%2Fa.dev%2Fr%20oad%2F%C3%BC");
    }
}

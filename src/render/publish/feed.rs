//! The Atom feed `feed.xml`: the newest dated items, with entry ids that
//! survive a rename.

use super::{Site, permalink, xml};
use crate::model::Choice;

/// Items with a date, newest first (then by id), with that date.
fn dated(site: &Site) -> Vec<(usize, jiff::civil::Date)> {
    site.recently_changed().into_iter().filter_map(|i| Some((i, site.items[i].last_changed()?))).collect()
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
pub(super) fn feed(site: &Site) -> String {
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

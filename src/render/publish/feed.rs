//! The Atom feed `feed.xml`: the newest dated items, with entry ids that
//! survive a rename, and each status change of a pain, solution or
//! experiment between two states of the site's history.

use jiff::civil::Date;

use super::{Site, permalink, xml};
use crate::history::{History, Transition};
use crate::model::{Choice, Kind};

/// One entry of the feed: a dated item, or a status change at a review.
enum Entry<'a> {
    Item(usize),
    /// `from` and `review`: the states before and after the change.
    Change {
        from: &'a str,
        review: &'a str,
        change: Transition,
        /// How many times this item made this very change, this one included.
        nth: usize,
    },
}

/// Every status change of a pain (`status`), a solution (`validation`) or an
/// experiment (`status`) from one state to the next, dated at the later
/// state, oldest first.
fn status_changes(history: &History) -> Vec<(Entry<'_>, Date)> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<(String, &'static str, String, String), usize> = Default::default();
    for (before, after) in history.steps() {
        let changes = crate::history::between(&before.state, &after.state);
        for change in changes.transitions {
            let counted = match change.item.kind {
                Kind::Pain | Kind::Experiment => change.field == "status",
                Kind::Solution => change.field == "validation",
                _ => false,
            };
            if counted {
                let key = (change.item.id.clone(), change.field, change.from.clone(), change.to.clone());
                let nth = *seen.entry(key).and_modify(|n| *n += 1).or_insert(1);
                out.push((
                    Entry::Change { from: before.name.as_str(), review: after.name.as_str(), change, nth },
                    after.date,
                ));
            }
        }
    }
    out
}

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
pub(super) fn entry_id(site: &Site, i: usize) -> String {
    let item = &site.items[i];
    let original = item.aliases.first().map_or(item.id.as_str(), |a| a.value.as_str());
    let base = &site.config.base_url;
    let place = base.split_once("://").map_or(base.as_str(), |(_, rest)| rest);
    format!("urn:charted:{place}{}:{original}", item.kind.as_str())
}

/// An Atom feed of the newest `feed_limit` entries, newest first: items that
/// carry `updated` or `date`, and status changes in the site's history. On
/// one date, items come before changes, each in its own order, so the same
/// input gives the same feed.
pub(super) fn feed(site: &Site, history: &History) -> String {
    let config = &site.config;
    let mut entries: Vec<(Entry, Date)> = dated(site).into_iter().map(|(i, when)| (Entry::Item(i), when)).collect();
    let mut changes = status_changes(history);
    changes.reverse();
    entries.extend(changes);
    // Stable: ties keep items first, then the newest changes first.
    entries.sort_by_key(|e| std::cmp::Reverse(e.1));
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
    for (e, when) in entries {
        out += &match e {
            Entry::Item(i) => entry(site, i, when),
            Entry::Change { from, review, change, nth } => change_entry(site, (from, review), &change, nth, when),
        };
    }
    out += "</feed>\n";
    out
}

/// The `<entry>` of one status change: `remote-build-cache: validating →
/// validated`, linking to the item's page (by its id now, when it was
/// renamed since; the site's home when it is gone), with an id made of the
/// item's id then, the field and its two values (and which time the item
/// made this change, from the second on): no review is named in it, so a
/// change made since the last review keeps its id once the next is tagged.
fn change_entry(site: &Site, (from, review): (&str, &str), change: &Transition, nth: usize, when: Date) -> String {
    let item = &change.item;
    let now = site.index_of(&item.id).or_else(|| {
        site.items.iter().position(|i| i.kind == item.kind && i.aliases.iter().any(|a| a.value == item.id))
    });
    let url = match now {
        Some(i) => permalink(site, site.items[i].kind, &site.items[i].id),
        None => site.config.base_url.clone(),
    };
    let base = &site.config.base_url;
    let place = base.split_once("://").map_or(base.as_str(), |(_, rest)| rest);
    let again = if nth > 1 { format!(":{nth}") } else { String::new() };
    let (kind, field, old, new) = (item.kind.as_str(), change.field, &change.from, &change.to);
    let id = format!("urn:charted:{place}{kind}:{}:{field}:{old}-{new}{again}", item.id);
    let mut out = String::from("  <entry>\n");
    out += &format!("    <title>{}: {} → {}</title>\n", xml(&item.id), xml(&change.from), xml(&change.to));
    out += &format!("    <id>{}</id>\n", xml(&id));
    out += &format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(&url));
    out += &format!("    <updated>{when}T00:00:00Z</updated>\n");
    out += &format!("    <category term=\"{}\"/>\n", item.kind.as_str());
    let (kind, title, field) = (item.kind.label(), &item.title, change.field);
    let mut summary = format!("{kind} “{title}”: {field} {} → {} between {from} and {review}", change.from, change.to);
    if let Some(result) = &change.result {
        summary += &format!(" ({result})");
    }
    out += &format!("    <summary>{}.</summary>\n", xml(&summary));
    out += "  </entry>\n";
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

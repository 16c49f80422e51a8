//! The changes between two states as text, for a review meeting, or as
//! Markdown, for a pull request comment (`charted history`).

use std::fmt::Write;

use super::{Changes, Named, Review};
use crate::model::item::Split;
use crate::model::Choice;

/// How `charted history` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

/// The changes from `from` to `to` in `format`.
pub(crate) fn write(from: &Review, to: &Review, changes: &Changes, format: Format) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let title = format!("Changes from {} to {}", label(from), label(to));
    let _ = writeln!(out, "{}{title}", if md { "## " } else { "" });
    if !md {
        let _ = writeln!(out, "{}", "=".repeat(title.chars().count()));
    }
    let mut section = |heading: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(out);
        if md {
            let _ = writeln!(out, "### {heading} ({})\n", lines.len());
        } else {
            let _ = writeln!(out, "{heading} ({}):", lines.len());
        }
        for line in lines {
            let _ = writeln!(out, "{} {line}", if md { "-" } else { " " });
        }
    };
    let name = |n: &Named| item(n, md);
    section("Added", changes.added.iter().map(name).collect());
    section("Removed", changes.removed.iter().map(name).collect());
    section(
        "Renamed",
        changes.renamed.iter().map(|(old, n)| format!("{} → {}", code(old, md), item(n, md))).collect(),
    );
    section(
        "Pain rank moves",
        changes
            .moves
            .iter()
            .map(|m| format!("{} #{} → #{}: {}", if m.to < m.from { "▲" } else { "▼" }, m.from, m.to, item(&m.item, md)))
            .collect(),
    );
    section(
        "Status changes",
        changes
            .transitions
            .iter()
            .map(|t| {
                let result = t.result.as_deref().map(|r| format!(" (result: {r})")).unwrap_or_default();
                format!("{}: {} → {}{result}", item(&t.item, md), t.from, t.to)
            })
            .collect(),
    );
    section(
        "Roadmap moves",
        changes
            .replans
            .iter()
            .map(|r| format!("{}: {} → {}", item(&r.item, md), r.from.as_str(), r.to.as_str()))
            .collect(),
    );
    section(
        "SLA levels",
        changes
            .shifts
            .iter()
            .map(|s| {
                let unit = s.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                format!("{}: {} → {}{unit} (expected {}{unit})", item(&s.item, md), num(s.from), num(s.to), num(s.expected))
            })
            .collect(),
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} then, {} now (target {}).",
        if md { "**70/30 split:**" } else { "70/30 split:" },
        split(changes.split.0),
        split(changes.split.1),
        split(Some(to.state.target))
    );
    if changes.is_empty() {
        let _ = writeln!(out, "\nNo item was added, removed, renamed, re-ranked or moved between these states.");
    }
    out
}

/// `review-2026-q3 (2026-09-30, 1a2b3c4d5e6f)`, or `now (2026-11-30)`.
fn label(review: &Review) -> String {
    if review.commit.is_empty() {
        format!("{} ({})", review.name, review.date)
    } else {
        format!("{} ({}, {})", review.name, review.date, review.commit)
    }
}

fn item(n: &Named, md: bool) -> String {
    format!("{} {} “{}”", n.kind.as_str(), code(&n.id, md), n.title)
}

fn code(id: &str, md: bool) -> String {
    if md { format!("`{id}`") } else { id.to_string() }
}

fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn split(split: Option<Split>) -> String {
    match split {
        Some(s) => format!("{}/{}", s.immediate.round(), s.future.round()),
        None => "nothing planned".into(),
    }
}

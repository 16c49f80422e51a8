//! The reference graph: every id an item names, resolved to an item, with
//! dangling and wrong-kind references reported where they were written.

use std::collections::HashMap;

use super::item::{Details, Item, Ref};
use super::kind::Kind;
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};

/// Items by id, and the ids that exist but were left out (drafts, unreadable files).
pub(crate) struct Index<'a> {
    pub by_id: HashMap<&'a str, usize>,
    pub left_out: HashMap<String, &'static str>,
}

impl Index<'_> {
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

/// One front-matter reference: which field, to what, and which kinds it may name.
pub(crate) struct Edge<'a> {
    pub field: &'static str,
    pub target: &'a Ref,
    pub kinds: &'static [Kind],
}

/// Every front-matter field that refers to items, and the kind it takes.
static FIELDS: &[(&str, Kind)] = &[
    ("evidence", Kind::Discovery),
    ("addresses", Kind::Pain),
    ("advances", Kind::Vision),
    ("tests", Kind::Solution),
    ("surfaces", Kind::Pain),
    ("pains", Kind::Pain),
];

/// The reference field spelled `name` and the kind it takes; `body` (a body
/// link) takes any kind.
pub(crate) fn field(name: &str) -> Option<(&'static str, Option<Kind>)> {
    if name == "body" {
        return Some(("body", None));
    }
    FIELDS.iter().find(|(f, _)| *f == name).map(|(f, k)| (*f, Some(*k)))
}

/// Every reference an item makes in its front matter.
pub(crate) fn edges(item: &Item) -> Vec<Edge<'_>> {
    let edge = |name: &str, target| {
        let i = FIELDS.iter().position(|(f, _)| *f == name).unwrap_or_default();
        Edge { field: FIELDS[i].0, target, kinds: std::slice::from_ref(&FIELDS[i].1) }
    };
    match &item.details {
        Details::Pain(p) => p.evidence.iter().map(|e| edge("evidence", &e.discovery)).collect(),
        Details::Solution(s) => {
            let pains = s.addresses.iter().map(|c| edge("addresses", &c.pain));
            pains.chain(s.advances.iter().map(|r| edge("advances", r))).collect()
        }
        Details::Experiment(e) => e.tests.iter().map(|r| edge("tests", r)).collect(),
        Details::Discovery(d) => d.surfaces.iter().map(|r| edge("surfaces", r)).collect(),
        Details::Sla(s) => s.pains.iter().map(|r| edge("pains", r)).collect(),
        Details::Charter(_) | Details::Vision(_) => Vec::new(),
    }
}

/// The reference `edge` makes when it names another team's item
/// (`ci:slow-pr-builds`): not resolved here, linked where `addresses` says.
pub(crate) fn other_team(edge: &Edge, addresses: &super::elsewhere::Addresses) -> Option<super::elsewhere::TeamRef> {
    let (team, id) = super::elsewhere::split(&edge.target.value)?;
    let kind = match edge.kinds {
        [kind] => Some(*kind),
        _ => None,
    };
    let found = addresses.find(team, id, kind);
    Some(super::elsewhere::TeamRef {
        field: edge.field,
        team: team.to_string(),
        id: id.to_string(),
        kind,
        pos: edge.target.pos,
        url: found.url,
        title: found.title,
        missing: found.missing,
        suggestion: found.suggestion,
    })
}

/// Resolves one reference, reporting it when it points nowhere or at the wrong kind.
pub(crate) fn resolve(
    items: &[Item],
    index: &Index,
    from: &Item,
    edge: &Edge,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let id = edge.target.value.as_str();
    let wanted: Vec<&str> = edge.kinds.iter().map(|k| k.label()).collect();
    let wanted = wanted.join(" or ").to_lowercase();
    let Some(to) = index.get(id) else {
        let diagnostic = match index.left_out.get(id) {
            Some(why) => {
                Diagnostic::error("dangling-reference", format!("`{}` refers to `{id}`, which is {why}", edge.field))
                    .help(format!("publish `{id}` or remove this reference"))
            }
            None => {
                let candidates = items.iter().filter(|i| edge.kinds.contains(&i.kind)).map(|i| i.id.as_str());
                let hint = did_you_mean(id, candidates).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
                Diagnostic::error(
                    "dangling-reference",
                    format!("`{}` refers to `{id}`, but no item has that id", edge.field),
                )
                .help(format!("{hint}`{}` takes the id of a {wanted}: fix the id or create the item", edge.field))
            }
        };
        diags.push(diagnostic.at(&from.file, Some(edge.target.pos)));
        return None;
    };
    let target = &items[to];
    if !edge.kinds.contains(&target.kind) {
        diags.push(
            Diagnostic::error(
                "wrong-kind",
                format!(
                    "`{}` must name a {wanted}, but `{id}` is a {}",
                    edge.field,
                    target.kind.label().to_lowercase()
                ),
            )
            .at(&from.file, Some(edge.target.pos))
            .help(format!("use the id of a {wanted} here")),
        );
        return None;
    }
    Some(to)
}

//! Where a broken output link was written: the line and column in an item's
//! body, or the template that made it, so `broken-output-link` points at the
//! text to fix rather than at a page of the output.

use std::collections::HashMap;

use super::links::{Broken, INDEX, decode_percent, with_index};
use super::theme::Theme;
use crate::diagnostic::{Diagnostic, Pos};
use crate::model::{Site, url_of};

/// Turns the link check's findings into diagnostics. `templates` maps each
/// templated page to the template that rendered it.
pub(crate) fn diagnose(
    site: &Site,
    theme: &Theme,
    templates: &HashMap<String, &'static str>,
    found: Vec<Broken>,
) -> Vec<Diagnostic> {
    // Only built when a link is broken: item page → item.
    let items: HashMap<String, usize> =
        site.items.iter().enumerate().map(|(i, item)| (format!("{}{INDEX}", url_of(item.kind, &item.id)), i)).collect();
    found.into_iter().map(|broken| diagnose_one(site, theme, templates, &items, broken)).collect()
}

fn diagnose_one(
    site: &Site,
    theme: &Theme,
    templates: &HashMap<String, &'static str>,
    items: &HashMap<String, usize>,
    broken: Broken,
) -> Diagnostic {
    let Broken { page, link, why, more } = broken;
    let also = if more > 0 { format!(" (and on {more} more pages)") } else { String::new() };
    let d = Diagnostic::error("broken-output-link", format!("the page `{page}` links to `{link}`{also}: {why}"));
    if let Some(&i) = items.get(&page) {
        let item = &site.items[i];
        let written = site.bodies[i].hrefs.iter().find(|href| same_link(&href.url, &link));
        if let Some(href) = written {
            let help = if why.contains("no element with id") {
                "fix the `#fragment`: it must be the id of a heading on that page (`## Why it hurts` has `#why-it-hurts`)"
            } else {
                "link to an item's `.md` file, or put the file in the site's static/ folder (copied to the output root) and link to it from this page"
            };
            return d.at(&item.file, Some(item.body_pos(href.line, href.column))).help(help);
        }
    }
    let Some(template) = templates.get(&page) else {
        return d.help("fix the file that writes this link (a file in the site's static/ or the theme's)");
    };
    // The page's own template if the site replaces it, else any replaced
    // template (a partial it includes) that holds the link as written.
    let own = theme.overrides.get(*template).map(|(file, text)| (file, find_in(text, &link)));
    let holding = || {
        let mut found: Vec<_> =
            theme.overrides.values().filter_map(|(file, text)| Some((file, Some(find_in(text, &link)?)))).collect();
        found.sort();
        found.into_iter().next()
    };
    match own.filter(|(_, pos)| pos.is_some()).or_else(holding).or(own) {
        Some((file, pos)) => d.at(file, pos).help(format!(
            "this link is written by the template `{template}` or one it includes: fix it there (or base_url, if the link starts with `/`)"
        )),
        None => d.help(format!(
            "the built-in template `{template}` writes this link: check base_url in charted.yaml, or override the template in templates/{template}"
        )),
    }
}

/// Whether a link as the author wrote it is the one the page carries:
/// the page may name `index.html` in it and percent-encode what Markdown escapes.
fn same_link(written: &str, output: &str) -> bool {
    if written == output || with_index(written).is_some_and(|named| named == output) {
        return true;
    }
    let output = decode_percent(output);
    let written = decode_percent(written);
    written == output || with_index(&written).is_some_and(|named| named == output)
}

/// The first place a template holds the link as written: whole, without the
/// `index.html` the build named, or without the `../` that `{{ root }}` makes.
fn find_in(text: &str, link: &str) -> Option<Pos> {
    let bare = link.strip_suffix(INDEX).unwrap_or(link);
    let mut from_root = bare;
    while let Some(rest) = from_root.strip_prefix("../").or_else(|| from_root.strip_prefix("./")) {
        from_root = rest;
    }
    let at = [link, bare, from_root].into_iter().filter(|l| !l.is_empty()).find_map(|l| text.find(l))?;
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Some(Pos { line, column })
}

#[cfg(test)]
mod tests {
    use super::same_link;

    #[test]
    fn a_written_link_matches_what_the_page_carries() {
        assert!(same_link("other.md", "other.md"));
        assert!(same_link("../../pain/x/#nope", "../../pain/x/index.html#nope"));
        assert!(same_link("diagrams/flöw.png", "diagrams/fl%C3%B6w.png"));
        assert!(!same_link("../a/", "../b/index.html"));
    }
}

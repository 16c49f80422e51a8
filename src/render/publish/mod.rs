//! What other documents and tools link to, each output in its own file:
//! `items.json` and its schema, the Atom feed, the sitemap, redirect pages
//! for aliases, badges, the search index and the link-preview card; here,
//! `robots.txt`, GitHub Pages' `.nojekyll` and `CNAME`, and `finish`, which
//! adds them all to the rendered pages. Everything is built from the model,
//! never from the pages.

pub(crate) mod badges;
mod card;
mod feed;
mod items_json;
mod redirects;
pub(crate) mod search;
mod sitemap;

use std::collections::HashSet;

// render's modules the outputs below read, in scope so each file names them `super::…`.
use super::{Page, links, theme, view};
use crate::escape::{html as escape, xml};
use crate::history::History;
use crate::incremental::memo::Pieces;
use crate::model::{Kind, Site, url_of};
use links::INDEX;
use view::Views;

pub(crate) use badges::shields_prefix;
pub(crate) use card::card;
use feed::feed;
use items_json::{items_json, items_schema};
use redirects::aliases;
use sitemap::{sitemap_entries, sitemaps};

/// The publishing files of a site. `html_pages` are the rendered HTML pages, for the sitemap.
fn pages_for(site: &Site, history: &History, keys: &[u64], memo: Option<&Pieces>, html_pages: &[&str]) -> Vec<Page> {
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
        out.push(Page::new("feed.xml", feed(site, history)));
        let entries = sitemap_entries(site, html_pages);
        out.extend(sitemaps(&site.config.base_url, &entries).into_iter().map(|(name, xml)| Page::new(name, xml)));
    }
    out.extend(aliases(site));
    out
}

/// An item's permalink: `base_url` + `pain/<id>/`.
pub(crate) fn permalink(site: &Site, kind: Kind, id: &str) -> String {
    format!("{}{}", site.config.base_url, url_of(kind, id))
}

/// Adds the publishing files to the rendered pages and names `index.html`
/// in folder links unless `clean_urls` is set. A file the theme or site
/// already provides (say its own `CNAME`) is kept.
pub(crate) fn finish(
    site: &Site,
    history: &History,
    views: &Views,
    keys: &crate::incremental::pieces::PieceKeys,
    pages: &mut Vec<Page>,
    memo: Option<&crate::incremental::memo::PageMemo>,
) {
    let html: Vec<&str> = pages.iter().map(|p| p.path.as_str()).filter(|p| p.ends_with(".html")).collect();
    // Made from the model, the past reviews (the feed's status changes) and
    // the list of pages alone: kept while all are the same.
    let derived = || {
        let pieces = |f: fn(&crate::incremental::memo::PageMemo) -> &Pieces| memo.map(f);
        let (mut out, badges) = rayon::join(
            || pages_for(site, history, &keys.items_json, pieces(|m| &m.items_json), &html),
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
        || super::search::pages(site, views, &keys.search, memo.map(|m| &m.search)),
    );
    extra.extend(search);
    // A rendered page or theme file of the same path wins.
    let taken: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    extra.retain(|p| !taken.contains(p.path.as_str()));
    pages.extend(extra);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
}

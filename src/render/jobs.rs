//! What pages a site has: one [`Job`] per page, its [`Spec`] (template,
//! path, title) and its inputs, and the navigation every page shows.

use super::{Shared, inputs, listing};
use crate::model::{Kind, Site, depth_of};

/// What one page is.
pub(super) enum Job {
    Dashboard,
    Charter(usize),
    /// Page `page` (from 1) of a list, by index into the listings.
    List {
        listing: usize,
        page: usize,
    },
    Roadmap,
    Item(usize),
    /// A changes page: comparison `index` of `History::comparisons` (the
    /// only page, saying why, when there is none), at `url`.
    Changes {
        index: usize,
        url: String,
        title: String,
    },
    NotFound,
    /// One of a portfolio's org pages.
    Org(super::org::OrgPage),
}

/// Where a page goes and what it is called: the part of its inputs every page has.
pub(crate) struct Spec {
    pub template: &'static str,
    pub path: String,
    /// How many folders deep the page is (its `root` is made from it).
    pub depth: usize,
    pub title: String,
    pub section: &'static str,
    pub url: String,
}

pub(super) const NAV: &[(&str, &str, &str)] = &[
    ("Dashboard", "", "dashboard"),
    ("Organisation", "org/", "org"),
    ("Charter", "charter/", "charter"),
    ("Vision", "vision/", "vision"),
    ("Pains", "pain/", "pain"),
    ("Solutions", "solutions/", "solutions"),
    ("Roadmap", "roadmap/", "roadmap"),
    ("Experiments", "experiments/", "experiments"),
    ("Discovery", "discovery/", "discovery"),
    ("SLAs", "slas/", "slas"),
    ("Changes", "changes/", "changes"),
];

pub(super) fn list_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Charter => "charter.html",
        Kind::Vision => "vision.html",
        Kind::Pain => "pains.html",
        Kind::Solution => "solutions.html",
        Kind::Experiment => "experiments.html",
        Kind::Discovery => "discovery.html",
        Kind::Sla => "slas.html",
    }
}

impl Job {
    /// This page's inputs: its spec and `root`, the base context and what it shows.
    pub(super) fn inputs<'a>(
        &self,
        site: &'a Site,
        shared: &'a Shared,
        spec: &'a Spec,
        root: &'a str,
    ) -> inputs::PageInputs<'a> {
        use inputs::{Body, Figures, Shows, Whole};
        let shown = shared.shown;
        let shows = match *self {
            Job::Charter(i) | Job::Item(i) => {
                let body = Body { site, index: i, markdown: &shared.markdown };
                Shows::Item { view: &shown.views.items[i], body, timeline: &shown.timelines[i] }
            }
            Job::List { listing, page } => {
                let listing = &shown.listings[listing];
                let figures = Figures::of(listing, site, shown);
                Shows::List { listing, page, views: &shown.views, bars: &shown.bars, figures }
            }
            Job::Dashboard => Shows::Dashboard(Whole { site, shown }, shared.time()),
            Job::Changes { index, .. } => Shows::Changes { site, time: shared.time(), current: index },
            Job::Roadmap => Shows::Roadmap(Whole { site, shown }),
            Job::NotFound => Shows::NotFound,
            Job::Org(page) => Shows::Org { portfolio: shared.portfolio, page },
        };
        inputs::PageInputs { spec, root, base: shared.base, shows }
    }

    pub(super) fn spec(&self, site: &Site, listings: &[listing::Listing]) -> Spec {
        let page = |template, url: String, depth, title: String, section| Spec {
            template,
            path: format!("{url}index.html"),
            depth,
            title,
            section,
            url,
        };
        match *self {
            Job::Dashboard => page("index.html", String::new(), 0, "Dashboard".into(), "dashboard"),
            Job::Charter(i) => page("charter.html", "charter/".into(), 1, site.items[i].title.clone(), "charter"),
            Job::List { listing, page: number } => {
                let l = &listings[listing];
                let pages = l.pages();
                let title = if pages > 1 { format!("{}, page {number} of {pages}", l.title) } else { l.title.clone() };
                let url = listing::page_url(&l.url, number);
                let template = match l.groups {
                    listing::Groups::Values(_) => "values.html",
                    _ => list_template(l.kind),
                };
                page(template, url.clone(), url.matches('/').count(), title, l.kind.folder())
            }
            Job::Roadmap => page("roadmap.html", "roadmap/".into(), 1, "Roadmap".into(), "roadmap"),
            Job::Item(i) => {
                let item = &site.items[i];
                let url = crate::model::url_of(item.kind, &item.id);
                page("item.html", url, depth_of(item.kind), item.title.clone(), item.kind.folder())
            }
            Job::Changes { ref url, ref title, .. } => {
                page("changes.html", url.clone(), url.matches('/').count(), title.clone(), "changes")
            }
            Job::Org(org) => {
                let (template, url, title) = org.spec();
                page(template, url.into(), url.matches('/').count(), title.into(), "org")
            }
            Job::NotFound => Spec {
                template: "404.html",
                path: "404.html".into(),
                depth: 0,
                title: "Page not found".into(),
                section: "notfound",
                url: "404.html".into(),
            },
        }
    }
}

/// Every page of the site, the list pages first: they are the biggest, so
/// no core is left idle while another finishes one at the end.
pub(super) fn all(
    site: &Site,
    listings: &[listing::Listing],
    changes: &[super::changes::Page],
    portfolio: &crate::portfolio::Portfolio,
) -> Vec<Job> {
    let mut jobs = vec![Job::Dashboard, Job::Roadmap, Job::NotFound];
    if portfolio.is_set() {
        jobs.extend(super::org::OrgPage::ALL.iter().map(|&page| Job::Org(page)));
    }
    jobs.extend(changes.iter().enumerate().map(|(index, p)| Job::Changes {
        index,
        url: p.url.clone(),
        title: p.title.clone(),
    }));
    if let Some((i, _)) = site.of_kind(Kind::Charter).next() {
        jobs.push(Job::Charter(i));
    }
    for (l, listing) in listings.iter().enumerate() {
        jobs.extend((1..=listing.pages()).map(|page| Job::List { listing: l, page }));
    }
    jobs.extend(site.items.iter().enumerate().filter(|(_, i)| i.kind != Kind::Charter).map(|(i, _)| Job::Item(i)));
    jobs
}

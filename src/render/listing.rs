//! List pages: every list (a kind's list page, or one of its filtered pages)
//! as its items in the order it shows them, built once per site structure and
//! split into pages of `paginate_by` items. Each page then costs only its own
//! items, so a long list neither makes one huge page nor sorts once per page.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use tera::Value;

use super::insight::{self, Filter};
use super::view::{Obj, Views};
use crate::incremental::memo::{Known, fingerprint_value};
use crate::model::Choice;
use crate::model::{Details, ExperimentStatus, Kind, Site};

/// The statuses of the experiment board, in column order.
pub const BOARD: [ExperimentStatus; 5] = {
    use ExperimentStatus::*;
    [Planned, Running, Validated, Invalidated, Inconclusive]
};

/// One list: the items of a list page (or a filtered one) in display order.
pub struct Listing {
    pub kind: Kind,
    /// Its title: the kind's plural, and the filter that narrows it, if any.
    pub title: String,
    /// Its first page: `pain/` or `pain/_by/bucket/slow-feedback/`.
    pub url: String,
    /// Items in the order the list shows them.
    pub order: Vec<usize>,
    /// How many items of its kind the site has, filtered or not.
    pub total: usize,
    /// The filtered page it is (an index into the filters), if any: its
    /// pages' filter bar is made from it when they are rendered.
    pub current: Option<usize>,
    /// On the page of a facet's values, which facet (see [`Groups::Values`]).
    pub about: Value,
    /// What a kind's list groups its items by, over the whole list.
    pub groups: Groups,
    /// Items to a page (`paginate_by`; 0: all on one).
    per_page: usize,
    /// The fingerprint of all the above but the order (each page adds its own items).
    fingerprint: u64,
}

/// Groups that span pages, so a group keeps its whole count and each item its
/// place in the group on every page.
pub enum Groups {
    None,
    /// Pains by bucket: per bucket its name, size and open pains no solution
    /// covers; per item of `order`, its bucket and its place in it.
    Buckets {
        buckets: Vec<(String, usize, usize)>,
        place: Vec<(usize, usize)>,
    },
    /// Experiments by status: how many are in each board column.
    Columns([usize; BOARD.len()]),
    /// Not items: the values of one facet (`order` indexes them), each a
    /// `{label, url, count}`; the listing's `about` says which facet.
    Values(Vec<Value>),
}

impl Listing {
    /// The pages this list takes. A board's columns page on their own, so it
    /// takes as many pages as its longest column needs.
    pub fn pages(&self) -> usize {
        let per_page = self.page_size();
        if per_page == 0 { 1 } else { self.longest().div_ceil(per_page).max(1) }
    }

    /// What pages are counted in: the whole list, or a board's longest column.
    fn longest(&self) -> usize {
        match &self.groups {
            Groups::Columns(counts) => counts.iter().copied().max().unwrap_or(0),
            _ => self.order.len(),
        }
    }

    /// Items a page shows of the list, or on a board of each column (0: all).
    /// A board that fits on a page shows every column whole; a longer one
    /// shows an equal share of `paginate_by` from each column, so that a page
    /// holds about `paginate_by` cards, as a page of any list does.
    fn page_size(&self) -> usize {
        match &self.groups {
            Groups::Columns(_) if self.per_page > 0 && self.order.len() > self.per_page => {
                (self.per_page / BOARD.len()).max(1)
            }
            Groups::Columns(_) => 0,
            _ => self.per_page,
        }
    }

    /// The fingerprint of everything page `number` shows of the list: the
    /// list's own figures, and each shown item's view and place in its group.
    /// With the figures a kind's page adds (see `page_key` in the render
    /// module), it is the page's whole input, so a page whose fingerprint is
    /// unchanged is not rendered again.
    pub fn page_fingerprint(&self, views: &crate::incremental::views::ViewKeys, number: usize) -> u64 {
        let mut h = crate::incremental::fingerprint::hasher();
        (self.fingerprint, number, self.pages()).hash(&mut h);
        if let Groups::Values(_) = self.groups {
            // The listing's fingerprint covers every value.
            return h.finish();
        }
        for shown in self.column_bounds(number) {
            for &i in &self.order[shown.clone()] {
                (views.fingerprints[i], views.ref_fingerprints[i]).hash(&mut h);
            }
            if let Groups::Buckets { place, .. } = &self.groups {
                place[shown].hash(&mut h);
            }
        }
        h.finish()
    }

    /// The positions in `order` that page `number` (from 1) shows.
    pub fn bounds(&self, number: usize) -> Range<usize> {
        page_range(self.order.len(), self.per_page, number)
    }

    /// On a board, the positions in `order` that page `number` shows of each
    /// column: every column continues on its own, so each page shows some of
    /// every column that is that long. Any other list: its one [`Listing::bounds`].
    pub fn column_bounds(&self, number: usize) -> Vec<Range<usize>> {
        let Groups::Columns(counts) = &self.groups else {
            return vec![self.bounds(number)];
        };
        // The columns are the end of `order`, one run each, in board order.
        let mut start = self.order.len().saturating_sub(counts.iter().sum());
        counts
            .iter()
            .map(|&count| {
                let page = page_range(count, self.page_size(), number);
                let shown = start + page.start..start + page.end;
                start += count;
                shown
            })
            .collect()
    }
}

/// The positions `0..len` that page `number` (from 1) of `per_page` shows.
fn page_range(len: usize, per_page: usize, number: usize) -> Range<usize> {
    if per_page == 0 {
        return 0..len;
    }
    let start = number.saturating_sub(1).saturating_mul(per_page).min(len);
    start..(start + per_page).min(len)
}

/// The address of page `number` of a list whose first page is at `first`.
pub fn page_url(first: &str, number: usize) -> String {
    if number <= 1 { first.to_string() } else { format!("{first}page/{number}/") }
}

/// Every list of the site: one per listed kind, then one per filter, then
/// one per facet with more values than its filter bar shows (the page of them all).
pub fn listings(site: &Site, filters: &[Filter], bars: &insight::Bars) -> Vec<Listing> {
    let kinds = [Kind::Vision, Kind::Pain, Kind::Solution, Kind::Experiment, Kind::Discovery, Kind::Sla];
    let mut out = Vec::with_capacity(kinds.len() + filters.len());
    // Each item's place in its kind's list, to narrow it without a scan per filter.
    let mut place = vec![0; site.items.len()];
    for kind in kinds {
        let order = site.in_order(kind);
        for (at, &i) in order.iter().enumerate() {
            place[i] = at;
        }
        let total = order.len();
        let nav = (None, bars.fingerprint(kind, None));
        out.push(listing(site, kind, kind.plural().into(), format!("{}/", kind.folder()), (order, total), nav));
    }
    let whole = out.len();
    for (f, filter) in filters.iter().enumerate().filter(|(_, f)| f.page) {
        // The whole list's order, narrowed: one sort per kind, then each
        // filter's members put in that order, so a filter costs its own size.
        let total = out[..whole].iter().find(|l| l.kind == filter.kind).map_or(0, |l| l.order.len());
        let mut order = filter.members.clone();
        order.sort_unstable_by_key(|&i| place[i]);
        let nav = (Some(f), bars.fingerprint(filter.kind, Some(f)));
        let title = format!("{}: {}", filter.kind.plural(), insight::humanize(filter.facet, &filter.label));
        out.push(listing(site, filter.kind, title, filter.url.clone(), (order, total), nav));
    }
    for (kind, facet, label, range) in bars.capped() {
        out.push(values_listing(site, kind, facet, label, &filters[range]));
    }
    out
}

/// The list of every value of one facet, paged like any list: each links to
/// its filtered page, or, when it has none (see [`Filter::page`]), lists its
/// few items itself.
fn values_listing(site: &Site, kind: Kind, facet: &'static str, label: &str, filters: &[Filter]) -> Listing {
    let values: Vec<Value> = filters
        .iter()
        .map(|f| {
            let mut value = Obj::default()
                .set("label", insight::humanize(f.facet, &f.label))
                .set("url", f.url.as_str())
                .set("count", f.members.len())
                .set("page", f.page);
            if !f.page {
                let items: Vec<Value> = f
                    .members
                    .iter()
                    .map(|&i| {
                        let item = &site.items[i];
                        Obj::default()
                            .set("title", item.title.as_str())
                            .set("url", crate::model::url_of(item.kind, &item.id))
                            .value()
                    })
                    .collect();
                let anchor = f.url.rsplit_once('#').map_or("", |(_, a)| a);
                value = value.set("items", Value::from(items)).set("anchor", anchor);
            }
            value.value()
        })
        .collect();
    let about = Obj::default()
        .set("facet", facet)
        .set("label", label)
        .set("plural", insight::facet_plural(facet))
        .set("count", filters.len())
        .set("count_text", insight::thousands(filters.len()))
        .set("noun", kind.plural().to_lowercase())
        .set("list_url", format!("{}/", kind.folder()))
        .value();
    let title = format!("{} by {}", kind.plural(), label.to_lowercase());
    let url = insight::values_url(kind, facet);
    let per_page = site.config.paginate_by;
    let known = Known::default();
    let each: Vec<u64> = values.iter().map(|v| fingerprint_value(v, &known)).collect();
    let fingerprint = crate::incremental::fingerprint::of(&(
        kind.as_str(),
        &title,
        &url,
        per_page,
        fingerprint_value(&about, &known),
        each,
    ));
    Listing {
        kind,
        title,
        url,
        order: (0..filters.len()).collect(),
        total: filters.len(),
        current: None,
        about,
        groups: Groups::Values(values),
        per_page,
        fingerprint,
    }
}

/// A list of `order`, narrowed from a kind's `total` items; `nav` is the
/// filtered page it is, if any, and its filter bar's fingerprint.
fn listing(
    site: &Site,
    kind: Kind,
    title: String,
    url: String,
    (order, total): (Vec<usize>, usize),
    (current, nav): (Option<usize>, u64),
) -> Listing {
    let groups = match kind {
        Kind::Pain => buckets(site, &order),
        Kind::Experiment => {
            let mut counts = [0; BOARD.len()];
            for &i in &order {
                if let Some(c) = column(site, i) {
                    counts[c] += 1;
                }
            }
            Groups::Columns(counts)
        }
        _ => Groups::None,
    };
    let mut h = crate::incremental::fingerprint::hasher();
    let per_page = site.config.paginate_by;
    (kind.as_str(), &title, &url, total, order.len(), per_page, nav).hash(&mut h);
    match &groups {
        Groups::None | Groups::Values(_) => {}
        Groups::Buckets { buckets, .. } => buckets.hash(&mut h),
        Groups::Columns(totals) => totals.hash(&mut h),
    }
    let fingerprint = h.finish();
    Listing { kind, title, url, order, total, current, about: Value::none(), groups, per_page, fingerprint }
}

/// The board column of an experiment.
fn column(site: &Site, i: usize) -> Option<usize> {
    match &site.items[i].details {
        Details::Experiment(e) => BOARD.iter().position(|&s| s == e.status),
        _ => None,
    }
}

fn buckets(site: &Site, ranked: &[usize]) -> Groups {
    let buckets = site.buckets(ranked);
    // A map, not a vector of every item: a filtered list costs only its own size.
    let mut place: std::collections::HashMap<usize, (usize, usize)> =
        std::collections::HashMap::with_capacity(ranked.len());
    let mut sizes = Vec::with_capacity(buckets.len());
    for (b, (name, pains)) in buckets.into_iter().enumerate() {
        for (k, &p) in pains.iter().enumerate() {
            place.insert(p, (b, k));
        }
        let uncovered = pains.iter().filter(|&&p| site.open_and_uncovered(p)).count();
        sizes.push((name, pains.len(), uncovered));
    }
    let place = ranked.iter().map(|&p| place.get(&p).copied().unwrap_or((0, 0))).collect();
    Groups::Buckets { buckets: sizes, place }
}

/// The bucket sections of one page of a pain list: the buckets its pains are
/// in, in bucket order, each with its whole size, its uncovered count, the
/// place of its first pain shown (from 1) and the pains shown.
pub fn bucket_sections(listing: &Listing, views: &Views, shown: Range<usize>) -> Value {
    let Groups::Buckets { buckets, place } = &listing.groups else {
        return Value::from(Vec::<Value>::new());
    };
    let mut on_page: BTreeMap<usize, (usize, Vec<usize>)> = BTreeMap::new();
    for at in shown {
        let (b, k) = place[at];
        on_page.entry(b).or_insert((k, Vec::new())).1.push(listing.order[at]);
    }
    let sections: Vec<Value> = on_page
        .into_iter()
        .map(|(b, (first, pains))| {
            let (name, size, uncovered) = &buckets[b];
            Obj::default()
                .set("name", name.as_str())
                .set("size", *size)
                .set("uncovered", *uncovered)
                .set("first", first + 1)
                .set("pains", views.list(pains))
                .value()
        })
        .collect();
    Value::from(sections)
}

/// The board columns of one page of an experiment list, each with its whole
/// count and the experiments shown.
pub fn board_columns(listing: &Listing, views: &Views, number: usize) -> Value {
    let totals = match &listing.groups {
        Groups::Columns(totals) => *totals,
        _ => [0; BOARD.len()],
    };
    let shown = listing.column_bounds(number);
    let columns: Vec<Value> = BOARD
        .iter()
        .zip(totals)
        .enumerate()
        .map(|(c, (status, total))| {
            let items = shown.get(c).map_or(&[][..], |run| &listing.order[run.clone()]);
            let label = status.as_str();
            let label = format!("{}{}", label[..1].to_uppercase(), &label[1..]);
            Obj::default()
                .set("status", status.as_str())
                .set("label", label)
                .set("total", total)
                .set("items", views.list(items.iter().copied()))
                .value()
        })
        .collect();
    Value::from(columns)
}

/// What a page knows of its place in its list: `number` and `pages`, the
/// items shown (`first` to `last`, from 1, of `count`; on a board, the
/// places shown in each column), the addresses of the
/// `previous` and `next` pages, and `links` for a page bar (the first and
/// last pages, and the two either side of this one; a gap is `{gap: true}`).
pub fn paginator(listing: &Listing, number: usize) -> Value {
    let pages = listing.pages();
    let shown = page_range(listing.longest(), listing.page_size(), number);
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        let near = n == 1 || n == pages || n.abs_diff(number) <= 2;
        if !near {
            continue;
        }
        if n > last_shown + 1 {
            links.push(Obj::default().set("gap", true).value());
        }
        links.push(
            Obj::default().set("number", n).set("url", page_url(&listing.url, n)).set("current", n == number).value(),
        );
        last_shown = n;
    }
    Obj::default()
        .set("number", number)
        .set("pages", pages)
        .set("count", listing.order.len())
        .set("first", if shown.is_empty() { 0 } else { shown.start + 1 })
        .set("last", shown.end)
        .opt("previous", (number > 1).then(|| page_url(&listing.url, number - 1)))
        .opt("next", (number < pages).then(|| page_url(&listing.url, number + 1)))
        .set("links", Value::from(links))
        .value()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(len: usize, per_page: usize) -> Listing {
        Listing {
            kind: Kind::Pain,
            title: "Pains".into(),
            url: "pain/".into(),
            order: (0..len).collect(),
            total: len,
            current: None,
            about: Value::none(),
            groups: Groups::None,
            per_page,
            fingerprint: 0,
        }
    }

    #[test]
    fn pages_split_the_list_and_cover_every_item_once() {
        let l = list(250, 100);
        assert_eq!(l.pages(), 3);
        assert_eq!(l.bounds(1), 0..100);
        assert_eq!(l.bounds(3), 200..250);
        assert_eq!(list(250, 0).pages(), 1);
        assert_eq!(list(250, 0).bounds(1), 0..250);
        assert_eq!(list(0, 100).pages(), 1, "an empty list still has its page");
        assert_eq!(list(100, 100).pages(), 1);
    }

    #[test]
    fn each_board_column_pages_on_its_own() {
        let board = |counts: [usize; BOARD.len()], per_page| {
            let mut l = list(counts.iter().sum(), per_page);
            l.kind = Kind::Experiment;
            l.groups = Groups::Columns(counts);
            l
        };
        // 22 cards, 10 a page: two from each column a page.
        let long = board([12, 3, 0, 7, 0], 10);
        assert_eq!(long.pages(), 6, "as many pages as the longest column needs");
        assert_eq!(long.column_bounds(1), [0..2, 12..14, 15..15, 15..17, 22..22]);
        assert_eq!(long.column_bounds(4), [6..8, 15..15, 15..15, 21..22, 22..22]);
        let mut shown: Vec<usize> = (1..=6).flat_map(|n| long.column_bounds(n)).flatten().collect();
        shown.sort_unstable();
        assert_eq!(shown, (0..22).collect::<Vec<_>>(), "every card on exactly one page");
        let p = paginator(&long, 2);
        assert_eq!(p.get_from_path("first").and_then(|v| v.as_i128()), Some(3));
        assert_eq!(p.get_from_path("last").and_then(|v| v.as_i128()), Some(4));
        // A board that fits on a page shows every column whole.
        let short = board([6, 3, 0, 1, 0], 10);
        assert_eq!(short.pages(), 1);
        assert_eq!(short.column_bounds(1), [0..6, 6..9, 9..9, 9..10, 10..10]);
    }

    #[test]
    fn page_addresses_keep_the_first_page_where_it_was() {
        assert_eq!(page_url("pain/", 1), "pain/");
        assert_eq!(page_url("pain/_by/bucket/x/", 3), "pain/_by/bucket/x/page/3/");
    }

    #[test]
    fn the_page_bar_shows_the_ends_and_the_neighbourhood_with_gaps() {
        let p = paginator(&list(2000, 100), 10);
        let links = p.get_from_path("links").and_then(|l| l.as_array().map(<[Value]>::to_vec)).unwrap();
        let shown: Vec<String> = links
            .iter()
            .map(|l| match l.get_from_path("number") {
                Some(n) => n.to_string(),
                None => "…".into(),
            })
            .collect();
        assert_eq!(shown, ["1", "…", "8", "9", "10", "11", "12", "…", "20"]);
        assert_eq!(p.get_from_path("previous").unwrap().as_str(), Some("pain/page/9/"));
        assert_eq!(p.get_from_path("first").unwrap().to_string(), "901");
        assert_eq!(p.get_from_path("last").unwrap().to_string(), "1000");
        let first = paginator(&list(2000, 100), 1);
        assert!(first.get_from_path("previous").is_none());
        assert_eq!(first.get_from_path("next").unwrap().as_str(), Some("pain/page/2/"));
    }
}

#[cfg(test)]
mod board_tests {
    use super::*;

    #[test]
    fn the_board_columns_are_the_statuses_in_the_models_order() {
        // `Site::in_order` sorts experiments by status; the board relies on it.
        assert_eq!(BOARD.as_slice(), ExperimentStatus::ALL);
    }
}

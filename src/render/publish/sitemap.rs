//! The sitemap: `sitemap.xml`, or past 50,000 URLs an index of sitemap parts.

use std::collections::HashMap;

use super::{INDEX, Site, url_of, xml};

/// One URL of the sitemap, with the date of the item its page shows.
pub(super) type SitemapEntry = (String, Option<jiff::civil::Date>);

/// Every HTML page but the 404 page and redirects, with the date of items that have one.
pub(super) fn sitemap_entries(site: &Site, html_pages: &[&str]) -> Vec<SitemapEntry> {
    // Page path → the date of the item it shows: one map, not a search per page.
    let dates: HashMap<String, jiff::civil::Date> = site
        .items
        .iter()
        .filter_map(|item| Some((format!("{}{INDEX}", url_of(item.kind, &item.id)), item.last_changed()?)))
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
}

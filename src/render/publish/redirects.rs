//! Redirect pages: one at each alias's old URL, sending readers to the item's page.

use super::{INDEX, Kind, Page, Site, escape, permalink};

/// A redirect page at each alias's old URL, pointing at the item's page.
pub(super) fn aliases(site: &Site) -> Vec<Page> {
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
    // A JSON string is a JavaScript string, escaped to sit in the `<script>`.
    let js_target = crate::escape::script_json(&serde_json::to_string(target).unwrap_or_default());
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

//! Every limit charted puts on its input, named in one place.
//!
//! Each keeps one small input from costing gigabytes or minutes; none is
//! near what a real site needs. The message for each names the limit, says
//! where it was hit and what to change; docs/reliability.md lists them all.

/// The largest item file (or `charted.yaml`) charted reads. Real items are a
/// few kilobytes; a file past this is almost surely a log or a binary
/// committed by mistake.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// How deep YAML values may nest (lists in mappings in lists…): it bounds
/// the recursion of everything that walks the tree.
pub(crate) const YAML_MAX_DEPTH: usize = 64;

/// How many values (scalars, lists and mappings, each value an alias
/// repeats counted again) one front matter may hold. Real ones hold tens;
/// a `users:` list of 2,000 groups is 2,000.
pub(crate) const YAML_MAX_VALUES: usize = 100_000;

/// How many aliases (`*name`) one front matter may use.
pub(crate) const YAML_MAX_ALIASES: usize = 10_000;

/// How many anchors (`&name`) one front matter may define.
pub(crate) const YAML_MAX_ANCHORS: usize = 10_000;

/// How many Markdown and HTML elements may nest inside each other in a body
/// (lists, quotes, `<div>`s…). The sanitiser's time grows with the square of
/// the depth, and browsers flatten anything past a few hundred anyway.
pub(crate) const MAX_BODY_NESTING: usize = 1_000;

/// How many Markdown elements (runs of text, links, emphasis, tags…) one
/// body may have. A 10 MB body of ordinary prose has about 250,000; each
/// costs about 100 bytes while the page is made.
pub(crate) const MAX_BODY_ELEMENTS: usize = 1_000_000;

/// How many unknown (or duplicate) fields of one mapping are listed one by
/// one; the rest are counted in one last diagnostic.
pub(crate) const MAX_LISTED_FIELDS: usize = 20;

/// How many bytes a theme template may write for one page. The largest
/// real pages are a few megabytes; a runaway loop is stopped here instead of
/// filling memory.
pub(crate) const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// How long a theme template may run for one page, measured each time it
/// writes (Tera has no step limit; a loop that writes nothing is not stopped).
pub(crate) const TEMPLATE_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

/// The largest shared vocabulary file charted fetches from a URL. A list of
/// a thousand teams with their aliases is tens of kilobytes; a response past
/// this is not a vocabulary (an error page, a wrong address).
pub(crate) const MAX_FETCH_BYTES: u64 = 1024 * 1024;

/// The largest team `items.json` a portfolio reads, from a file or a URL.
/// A team of a thousand items publishes about a megabyte; ten thousand,
/// about ten.
pub(crate) const MAX_ITEMS_BYTES: u64 = 64 * 1024 * 1024;

/// How long fetching a shared vocabulary may take, connecting and reading
/// together: a network that does not answer must not hang a build (the
/// cached copy is used instead).
pub(crate) const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// 250000 → "250,000": limits in messages, and counts on pages, read better
/// with their thousands marked.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_marked() {
        assert_eq!(thousands(250_000), "250,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}

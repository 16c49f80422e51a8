//! Markdown bodies → HTML: pulldown-cmark, cross-links, heading anchors, highlighted code, sanitising.
//!
//! [`render`] parses a body once, rewrites the event stream (cross-links,
//! heading ids and anchors, code blocks) and, in [`Mode::Html`], writes HTML
//! and sanitises it unless raw HTML is allowed. It never panics and its output
//! depends only on its input.

pub(crate) mod bounds;
pub(crate) mod cache;
pub(crate) mod highlight;
pub(crate) mod sources;
pub(crate) mod stray;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

/// What a body link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The relative link as written, fragment removed, e.g. `"../pain/slow-deploys.md"`.
    Path(&'a str),
    /// An item id, from a `[[id]]` wikilink.
    Id(&'a str),
}

/// A link target the resolver found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedLink {
    /// The target item's id.
    pub id: String,
    /// The target page's URL, already relative to the page being rendered, e.g. `"../../pain/slow-deploys/"`.
    pub url: String,
    /// The target item's title (the default text of a `[[id]]` link).
    pub title: String,
}

/// Why a link target could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub message: String,
    pub help: String,
}

/// Turns body link targets into item pages.
pub trait LinkResolver: Sync {
    fn resolve(&self, target: Target<'_>) -> Result<ResolvedLink, LinkError>;
}

/// How much work [`render`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Parse for links (and headings) only: no HTML, no highlighting (used by `charted check`).
    LinksOnly,
    /// Everything but the HTML: links, headings and the plain text. A build
    /// renders each body's HTML later, when its page is rendered, so it
    /// never holds every body's HTML at once.
    Outline,
    /// Full HTML.
    Html,
    /// HTML with code blocks escaped but not highlighted: what `charted
    /// check` renders, since nothing a page links to depends on highlighting.
    Unhighlighted,
}

/// Rendering options.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Pass raw HTML through unchanged instead of sanitising the output.
    pub unsafe_html: bool,
    /// Highlighted code blocks kept between builds.
    pub highlights: Option<std::sync::Arc<cache::HighlightCache>>,
}

/// A heading of the body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's element id (unique within the body unless set twice by hand).
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A resolved cross-link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The target item's id.
    pub id: String,
    /// Byte offset in the body of the link's start.
    pub offset: usize,
}

/// A cross-link that could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    /// Byte offset in the body of the link's start.
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// A link or image of the body that stays inside the site, as the page
/// will carry it, and where the author wrote it: the output link check
/// points its findings back at the body with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Href {
    /// The destination as rendered (a cross-link already turned into its page's URL).
    pub url: String,
    /// The line within the body (0 is the body's first line) and the column (from 1, in characters).
    pub line: u32,
    pub column: u32,
}

/// The result of [`render`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderedBody {
    /// The body's HTML; empty in [`Mode::LinksOnly`].
    pub html: String,
    pub toc: Vec<Heading>,
    pub links: Vec<BodyLink>,
    /// Every link and image that does not leave the site, in body order.
    pub hrefs: Vec<Href>,
    /// Raw HTML that hides text (unclosed tags are shown as text instead).
    pub strays: Vec<stray::Stray>,
    pub problems: Vec<BodyProblem>,
    /// A limit the body passed ([`bounds`]): then nothing else is rendered.
    pub limit: Option<bounds::LimitHit>,
    /// The body's words as plain text, for the search index; empty in [`Mode::LinksOnly`].
    pub text: String,
}

/// Renders a Markdown body. Never panics; deterministic.
pub fn render(body: &str, options: &Options, resolver: &dyn LinkResolver) -> RenderedBody {
    let mut rendered = RenderedBody::default();
    if let Some(hit) = bounds::prescan(body) {
        rendered.limit = Some(hit);
        return rendered;
    }
    let mut raw_html = Vec::new();
    let mut events = resolve_links(body, resolver, &mut rendered, &mut raw_html);
    if rendered.limit.is_some() {
        return rendered;
    }
    let strays = if raw_html.is_empty() { Vec::new() } else { stray::find(body, &raw_html) };
    // An unclosed hiding tag would take every later paragraph with it: read
    // the body again with that tag escaped (rare: only bodies that have one).
    let escaped: String;
    if strays.iter().any(|s| s.unclosed) {
        let inserted;
        (escaped, inserted) = stray::escape(body, &strays);
        rendered = RenderedBody::default();
        events = resolve_links(&escaped, resolver, &mut rendered, &mut Vec::new());
        // Hrefs keep the escaped body's columns: off by one after a tag on the same line.
        for problem in &mut rendered.problems {
            problem.offset = stray::original_offset(problem.offset, &inserted);
        }
        for link in &mut rendered.links {
            link.offset = stray::original_offset(link.offset, &inserted);
        }
        if let Some(hit) = &mut rendered.limit {
            hit.offset = stray::original_offset(hit.offset, &inserted);
            return rendered;
        }
    }
    rendered.strays = strays;
    let html_mode = matches!(options.mode, Mode::Html | Mode::Unhighlighted);
    // Decided before our own HTML (code blocks, anchors) joins the events.
    let sanitise = html_mode && !options.unsafe_html && needs_sanitising(&events);
    let highlight = |code: &str, lang: &str| match (&options.highlights, options.mode) {
        (_, Mode::Unhighlighted) => {
            let mut html = String::with_capacity(code.len() + code.len() / 8);
            crate::escape::push_html(&mut html, code);
            html
        }
        (Some(cache), _) => cache.get_or_make(code, lang, || highlight::highlight(code, lang)),
        (None, _) => highlight::highlight(code, lang),
    };
    let events = headings_and_code(events, html_mode.then_some(&highlight), &mut rendered.toc);
    if options.mode != Mode::LinksOnly {
        rendered.text = plain_text(&events);
    }
    if html_mode {
        let mut html = String::with_capacity(body.len() + body.len() / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        rendered.html = if sanitise { SANITISER.clean(&html).to_string() } else { html };
    }
    rendered
}

/// A body's `#` is the page's second level: the item's title is its one `<h1>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Whether the author's Markdown holds anything pulldown-cmark would pass
/// through unescaped: raw HTML, a link or image URL with a scheme other than
/// http, https or mailto, or heading attributes beyond id and class. Bodies
/// without any (nearly all) skip the sanitiser, which costs more than the
/// rest of rendering; bodies with any go through it whole.
fn needs_sanitising(events: &[Event<'_>]) -> bool {
    let unsafe_url = |url: &str| {
        let url = url.trim_start();
        has_scheme(url)
            && !["http:", "https:", "mailto:"]
                .iter()
                .any(|s| url.len() >= s.len() && url[..s.len()].eq_ignore_ascii_case(s))
    };
    events.iter().any(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            unsafe_url(dest_url)
                || dest_url.contains(['<', '>', '"', '\'', '`'])
                || dest_url.chars().any(char::is_control)
        }
        Event::Start(Tag::Heading { attrs, .. }) => !attrs.is_empty(),
        _ => false,
    })
}

/// The words of the body, one space between blocks and breaks.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            // Inline ends (emphasis, links) sit inside a word run: no space.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') && !text.is_empty() => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES
        | O::ENABLE_FOOTNOTES
        | O::ENABLE_STRIKETHROUGH
        | O::ENABLE_TASKLISTS
        | O::ENABLE_HEADING_ATTRIBUTES
        | O::ENABLE_GFM
        | O::ENABLE_WIKILINKS
}

/// What happens to a link's events between its start and end.
enum LinkFrame {
    /// Left as it is (other links, links inside images).
    Keep,
    /// Resolved; the start was rewritten.
    Resolved,
    /// Resolved wikilink without its own text: the text becomes the title.
    ReplaceText(String),
    /// Unresolved: the link tags are dropped, the text stays.
    Unlinked,
}

/// Pass 1: parses the body and rewrites cross-links, recording links and problems.
/// `raw_html` receives the byte range of every raw HTML event.
fn resolve_links<'a>(
    body: &'a str,
    resolver: &dyn LinkResolver,
    rendered: &mut RenderedBody,
    raw_html: &mut Vec<std::ops::Range<usize>>,
) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut frames: Vec<LinkFrame> = Vec::new();
    let mut image_depth = 0usize;
    let mut lines = LineCounter::new(body);
    let mut bounds = bounds::Bounds::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if let Some(hit) = bounds.check(&event, range.start) {
            // Refused: nothing more is worth parsing or keeping.
            rendered.limit = Some(hit);
            return Vec::new();
        }
        match event {
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                image_depth += 1;
                record_href(&mut rendered.hrefs, dest_url, range.start, &mut lines);
                events.push(event);
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let request = if image_depth > 0 { None } else { cross_link(link_type, &dest_url) };
                let Some((target, fragment)) = request else {
                    frames.push(LinkFrame::Keep);
                    if !matches!(link_type, LinkType::Autolink | LinkType::Email) {
                        record_href(&mut rendered.hrefs, &dest_url, range.start, &mut lines);
                    }
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                    continue;
                };
                match resolver.resolve(target) {
                    // Another team's item with no address to link to: its text, unlinked.
                    Ok(resolved) if resolved.url.is_empty() => {
                        frames.push(LinkFrame::Unlinked);
                        rendered.links.push(BodyLink { id: resolved.id, offset: range.start });
                    }
                    Ok(resolved) => {
                        let mut url = resolved.url;
                        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                            url.push('#');
                            url.push_str(fragment);
                        }
                        let wiki_without_text = matches!(link_type, LinkType::WikiLink { has_pothole: false });
                        frames.push(if wiki_without_text && !resolved.title.is_empty() {
                            LinkFrame::ReplaceText(resolved.title)
                        } else {
                            LinkFrame::Resolved
                        });
                        rendered.links.push(BodyLink { id: resolved.id, offset: range.start });
                        record_href(&mut rendered.hrefs, &url, range.start, &mut lines);
                        events.push(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(url), title, id }));
                    }
                    Err(error) => {
                        frames.push(LinkFrame::Unlinked);
                        rendered.problems.push(BodyProblem {
                            offset: range.start,
                            message: error.message,
                            help: error.help,
                        });
                    }
                }
            }
            Event::End(TagEnd::Link) => match frames.pop() {
                Some(LinkFrame::Unlinked) => {}
                Some(LinkFrame::ReplaceText(title)) => {
                    events.push(Event::Text(CowStr::from(title)));
                    events.push(event);
                }
                Some(LinkFrame::Keep | LinkFrame::Resolved) | None => events.push(event),
            },
            event => {
                if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
                    raw_html.push(range);
                }
                if !matches!(frames.last(), Some(LinkFrame::ReplaceText(_))) {
                    events.push(event);
                }
            }
        }
    }
    events
}

/// Notes a link destination that stays inside the site (no scheme, not `//`).
fn record_href(hrefs: &mut Vec<Href>, url: &str, offset: usize, lines: &mut LineCounter<'_>) {
    let url = url.trim();
    if url.is_empty() || url.starts_with("//") || has_scheme(url) {
        return;
    }
    let (line, column) = lines.at(offset);
    hrefs.push(Href { url: url.to_string(), line, column });
}

/// Turns byte offsets, asked for in increasing order, into lines and
/// columns in one pass over the text (not one pass per offset).
struct LineCounter<'t> {
    text: &'t str,
    /// Where counting stopped, the lines before it, and the characters
    /// between the start of its line and it.
    offset: usize,
    line: u32,
    column: u32,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter { text, offset: 0, line: 0, column: 0 }
    }

    /// The line (from 0) and column (from 1, in characters) of a byte offset.
    fn at(&mut self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            // Out of order (not seen from pulldown-cmark): count again from the start.
            *self = LineCounter::new(self.text);
        }
        let span = &self.text[self.offset..offset];
        match span.rfind('\n') {
            Some(last) => {
                self.line += span.matches('\n').count() as u32;
                self.column = span[last + 1..].chars().count() as u32;
            }
            None => self.column += span.chars().count() as u32,
        }
        self.offset = offset;
        (self.line, self.column + 1)
    }
}

/// If a link is a cross-link, its target and `#fragment`.
fn cross_link<'d>(link_type: LinkType, dest: &'d str) -> Option<(Target<'d>, Option<&'d str>)> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    match link_type {
        LinkType::WikiLink { .. } => {
            let id = path.trim();
            (!id.is_empty()).then_some((Target::Id(id), fragment))
        }
        LinkType::Autolink | LinkType::Email => None,
        _ => {
            let relative = !(dest.is_empty()
                || dest.starts_with('/')
                || dest.starts_with('\\')
                || dest.starts_with('#')
                || has_scheme(dest));
            (relative && path.ends_with(".md")).then_some((Target::Path(path), fragment))
        }
    }
}

/// Whether a URL starts with `scheme:` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Highlights code in a language: (code, lang) → the inner HTML of `<code>`.
type Highlight<'h> = dyn Fn(&str, &str) -> String + 'h;

/// Pass 2: gives headings ids and anchors (collecting the toc) and, in HTML
/// mode, renders code blocks.
/// `highlight` is given in HTML mode only.
fn headings_and_code<'a>(
    events: Vec<Event<'a>>,
    highlight: Option<&Highlight<'_>>,
    toc: &mut Vec<Heading>,
) -> Vec<Event<'a>> {
    // Explicit `{#id}`s win; generated ids avoid them and the templates' own.
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .chain(TEMPLATE_IDS.iter().map(|id| id.to_string()))
        .collect();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();

    let mut out = Vec::with_capacity(events.len() + 8);
    // Index in `out` of the open heading's start, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    // The open code block's language (None: no language) and text so far.
    let mut code: Option<(Option<String>, String)> = None;
    let html_mode = highlight.is_some();

    for event in events {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, text)) = code.take()
                        && let Some(highlight) = highlight
                    {
                        out.push(Event::Html(CowStr::from(code_block(lang.as_deref(), &text, highlight))));
                    }
                }
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) if html_mode => {
                    text.push_str(&t);
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => fence_language(&info),
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) if heading.is_none() => {
                heading = Some((out.len(), String::new()));
                out.push(Event::Start(Tag::Heading { level: demote(level), id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = demote(level);
                if let Some((start, text)) = heading.take() {
                    let text = collapse_whitespace(&text);
                    let id = match &mut out[start] {
                        Event::Start(Tag::Heading { id, .. }) => match id {
                            Some(explicit) => explicit.to_string(),
                            None => {
                                let generated = unique_id(slug(&text), &mut used, &mut next_suffix);
                                *id = Some(CowStr::from(generated.clone()));
                                generated
                            }
                        },
                        _ => unique_id(slug(&text), &mut used, &mut next_suffix),
                    };
                    if html_mode {
                        out.push(Event::Html(CowStr::from(anchor(&id))));
                    }
                    toc.push(Heading { level: level as u8, id, text });
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(t);
                }
                out.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push(' ');
                }
                out.push(event);
            }
            event => out.push(event),
        }
    }
    // An unterminated code block cannot happen with pulldown-cmark, but never lose it.
    if let Some((lang, text)) = code
        && let Some(highlight) = highlight
    {
        out.push(Event::Html(CowStr::from(code_block(lang.as_deref(), &text, highlight))));
    }
    out
}

/// The language of a fence's info string: its first word, up to any `,` or `{`
/// (as in ```` ```rust,ignore ```` or ```` ```python {.numbers} ````).
fn fence_language(info: &str) -> Option<String> {
    let word = info.split_whitespace().next()?;
    let lang = word.split([',', '{']).next().unwrap_or_default();
    (!lang.is_empty()).then(|| lang.to_string())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The element ids the default theme's templates write (`id="main"`, the
/// search box…). A body is rendered inside them, so a generated heading id
/// that equals one takes a suffix instead (`main-1`): two elements with one id
/// would break the skip link, the search box or `aria-labelledby`. A unit
/// test keeps this list equal to the ids in themes/default/templates.
pub(crate) const TEMPLATE_IDS: &[&str] = &[
    "about-heading",
    "added-heading",
    "attention-heading",
    "backlinks-heading",
    "balance-heading",
    "buckets-heading",
    "charter-heading",
    "counts-heading",
    "discovery-heading",
    "disproved-heading",
    "elsewhere-heading",
    "fields-heading",
    "funnel-heading",
    "funnel-time-heading",
    "history-heading",
    "hours-heading",
    "how-scored",
    "inbound-heading",
    "log-heading",
    "main",
    "matrix-heading",
    "methods-heading",
    "moves-heading",
    "none-heading",
    "org-balance-heading",
    "org-links-heading",
    "org-warnings-heading",
    "pains-heading",
    "planned-heading",
    "quarters-heading",
    "ranked-heading",
    "recent-heading",
    "removed-heading",
    "renamed-heading",
    "roadmap-heading",
    "search-input",
    "search-status",
    "share-heading",
    "since-heading",
    "sla-heading",
    "split-heading",
    "split-time-heading",
    "stale-heading",
    "status-heading",
    "toc-heading",
];

/// A heading's slug: lowercase ASCII alphanumerics, other runs → `-`, trimmed; empty → `section`.
/// Other scripts are transliterated first ("Über uns" → `uber-uns`), so an
/// anchor stays readable and a heading in Japanese does not become `section`.
fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// `base`, or `base-1`, `base-2`… whichever is not used yet; marks it used.
fn unique_id(base: String, used: &mut HashSet<String>, next_suffix: &mut HashMap<String, usize>) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let n = next_suffix.entry(base.clone()).or_insert(1);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn anchor(id: &str) -> String {
    let mut html = String::from("<a class=\"anchor\" href=\"#");
    crate::escape::push_html(&mut html, id);
    html.push_str("\" aria-label=\"Link to this section\">#</a>");
    html
}

fn code_block(lang: Option<&str>, code: &str, highlight: &Highlight<'_>) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 64);
    match lang {
        Some(lang) => {
            html.push_str("<pre class=\"code\" data-lang=\"");
            crate::escape::push_html(&mut html, lang);
            html.push_str("\"><code>");
            html.push_str(&highlight(code, lang));
        }
        None => {
            html.push_str("<pre class=\"code\"><code>");
            crate::escape::push_html(&mut html, code);
        }
    }
    html.push_str("</code></pre>\n");
    html
}

/// Keeps what [`render`] itself writes; removes scripts, styles, frames, event
/// handlers and `javascript:` URLs from raw HTML.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["section", "input"])
        .add_clean_content_tags([
            "iframe", "frame", "frameset", "object", "embed", "noscript", "noembed", "noframes", "template",
        ])
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("input", ["checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None);
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "div", "sup", "li", "section"] {
        builder.add_tag_attributes(tag, ["id"]);
    }
    builder
});

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Knows one pain, by path and by id; records every request.
    #[derive(Default)]
    struct FakeResolver {
        asked: Mutex<Vec<String>>,
    }

    impl LinkResolver for FakeResolver {
        fn resolve(&self, target: Target<'_>) -> Result<ResolvedLink, LinkError> {
            let found = match target {
                Target::Path(p) => {
                    self.asked.lock().unwrap().push(format!("path:{p}"));
                    p == "../pain/slow-deploys.md"
                }
                Target::Id(id) => {
                    self.asked.lock().unwrap().push(format!("id:{id}"));
                    id == "slow-deploys"
                }
            };
            if found {
                Ok(ResolvedLink {
                    id: "slow-deploys".into(),
                    url: "../../pain/slow-deploys/".into(),
                    title: "Slow <deploys>".into(),
                })
            } else {
                Err(LinkError { message: format!("no item for {target:?}"), help: "check the id".into() })
            }
        }
    }

    fn html_opts(unsafe_html: bool) -> Options {
        Options { mode: Mode::Html, unsafe_html, highlights: None }
    }

    fn html(body: &str) -> String {
        render(body, &html_opts(false), &FakeResolver::default()).html
    }

    #[test]
    fn relative_md_link_resolves_with_fragment() {
        let body = "Intro.\n\nSee [deploys](../pain/slow-deploys.md#why) and [plain](../pain/slow-deploys.md).\n";
        let r = render(body, &html_opts(false), &FakeResolver::default());
        assert!(r.html.contains("<a href=\"../../pain/slow-deploys/#why\">deploys</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"../../pain/slow-deploys/\">plain</a>"), "{}", r.html);
        assert_eq!(
            r.links,
            vec![
                BodyLink { id: "slow-deploys".into(), offset: body.find("[deploys]").unwrap() },
                BodyLink { id: "slow-deploys".into(), offset: body.find("[plain]").unwrap() },
            ]
        );
        assert!(r.problems.is_empty());
    }

    #[test]
    fn wikilinks_resolve_by_id_with_title_or_own_text() {
        let body = "A [[slow-deploys]] b [[slow-deploys|the pain]] c [[slow-deploys#fix]].";
        let r = render(body, &html_opts(false), &FakeResolver::default());
        assert!(r.html.contains("<a href=\"../../pain/slow-deploys/\">Slow &lt;deploys&gt;</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"../../pain/slow-deploys/\">the pain</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"../../pain/slow-deploys/#fix\">"), "{}", r.html);
        let offsets: Vec<usize> = r.links.iter().map(|l| l.offset).collect();
        assert_eq!(
            offsets,
            vec![
                body.find("[[slow-deploys]]").unwrap(),
                body.find("[[slow-deploys|").unwrap(),
                body.find("[[slow-deploys#").unwrap(),
            ]
        );
        assert!(r.problems.is_empty());
    }

    #[test]
    fn missing_targets_are_problems_at_the_right_offset() {
        let body = "# Title\n\nÜber text, see [the x](../pain/nope.md#a) and\n- item [[ghost]]\n";
        let r = render(body, &html_opts(false), &FakeResolver::default());
        assert!(r.links.is_empty());
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert_eq!(r.problems[0].offset, body.find("[the x]").unwrap());
        assert_eq!(r.problems[0].message, "no item for Path(\"../pain/nope.md\")");
        assert_eq!(r.problems[0].help, "check the id");
        assert_eq!(r.problems[1].offset, body.find("[[ghost]]").unwrap());
        assert_eq!(r.problems[1].message, "no item for Id(\"ghost\")");
        // The text stays, without a link.
        assert!(r.html.contains("see the x and"), "{}", r.html);
        assert!(r.html.contains("item ghost"), "{}", r.html);
        assert!(!r.html.contains("nope"), "{}", r.html);
    }

    #[test]
    fn other_links_are_untouched() {
        let body = "[a](https://example.com/x.md) [b](mailto:me@example.com) [c](#here) \
                    [d](/abs/x.md) [e](notes.txt) [f](//cdn.example/x.md) <me@example.md> \
                    <https://example.com/y.md> ![img](picture.md) [![alt](p.png)](x.md?raw) [g]\n\n\
                    [g]: ../pain/slow-deploys.md\n";
        let resolver = FakeResolver::default();
        let r = render(body, &html_opts(false), &resolver);
        // Only the reference-style link is a cross-link.
        assert_eq!(*resolver.asked.lock().unwrap(), vec!["path:../pain/slow-deploys.md".to_string()]);
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].offset, body.find("[g]\n").unwrap());
        for href in [
            "https://example.com/x.md",
            "mailto:me@example.com",
            "#here",
            "/abs/x.md",
            "notes.txt",
            "//cdn.example/x.md",
            "mailto:me@example.md",
            "x.md?raw",
        ] {
            assert!(r.html.contains(&format!("href=\"{href}\"")), "{href}: {}", r.html);
        }
        assert!(r.html.contains("src=\"picture.md\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let body = "# Intro\n\n## Intro\n\n## Intro\n\n### Set *up* `x` & Go!\n\n\
                    #### Über\n\n##### !!!\n\n## Custom {#setup}\n\n## setup\n";
        let r = render(body, &html_opts(false), &FakeResolver::default());
        let got: Vec<(u8, &str, &str)> = r.toc.iter().map(|h| (h.level, h.id.as_str(), h.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                // Levels as rendered: a body's `#` is an `<h2>` under the item's title.
                (2, "intro", "Intro"),
                (3, "intro-1", "Intro"),
                (3, "intro-2", "Intro"),
                (4, "set-up-x-go", "Set up x & Go!"),
                (5, "uber", "Über"),
                (6, "section", "!!!"),
                (3, "setup", "Custom"),
                (3, "setup-1", "setup"),
            ]
        );
        assert!(
            r.html.contains(
                "<h3 id=\"intro-1\">Intro<a class=\"anchor\" href=\"#intro-1\" \
                 aria-label=\"Link to this section\">#</a></h3>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h3 id=\"setup\">Custom<a"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"intro\">Intro<a"), "a body's `#` is an <h2>: {}", r.html);
        assert!(!r.html.contains("<h1"), "the page's title is its only <h1>: {}", r.html);
        assert_eq!(r.html.matches("class=\"anchor\"").count(), 8);
    }

    #[test]
    fn heading_with_wikilink_uses_the_title_in_the_toc() {
        let r = render("## About [[slow-deploys]]\n", &html_opts(false), &FakeResolver::default());
        assert_eq!(r.toc[0].text, "About Slow <deploys>");
        assert_eq!(r.toc[0].id, "about-slow-deploys");
    }

    #[test]
    fn gfm_features_render() {
        let body = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n\
                    Text with a note[^n] and ~~old~~ words.\n\n\
                    [^n]: The note.\n\n\
                    - [x] done\n- [ ] todo\n\n\
                    > [!WARNING]\n> Careful.\n";
        let h = html(body);
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<th style=\"text-align: center\">b</th>"), "{h}");
        assert!(h.contains("<td style=\"text-align: right\">3</td>"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("class=\"footnote-reference\""), "{h}");
        assert!(h.contains("<a href=\"#n\">1</a>"), "{h}");
        assert!(h.contains("class=\"footnote-definition\" id=\"n\""), "{h}");
        assert!(h.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"), "{h}");
        assert!(h.contains("<input disabled=\"\" type=\"checkbox\"/>"), "{h}");
        assert!(h.contains("class=\"markdown-alert-warning\""), "{h}");
    }

    #[test]
    fn code_blocks_are_highlighted_or_escaped() {
        let h = html("```rust\nfn main() {}\n```\n\n```\n<b>&</b>\n```\n\n    indented <x>\n");
        assert!(h.contains("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"l"), "{h}");
        assert!(h.contains("<pre class=\"code\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>"), "{h}");
        assert!(h.contains("<pre class=\"code\"><code>indented &lt;x&gt;\n</code></pre>"), "{h}");
        // Info strings: first word, before any ',' or '{'.
        let h = html("```python,ignore {.x}\nx = 1\n```\n");
        assert!(h.contains("data-lang=\"python\""), "{h}");
        // Unknown language: escaped text, still marked.
        let h = html("```klingon\n<q>\n```\n");
        assert!(h.contains("<pre class=\"code\" data-lang=\"klingon\"><code>&lt;q&gt;\n</code></pre>"), "{h}");
    }

    #[test]
    fn listed_languages_highlight_through_render() {
        for lang in [
            "terraform",
            "hcl",
            "dockerfile",
            "yaml",
            "toml",
            "bash",
            "sh",
            "shell",
            "go",
            "python",
            "rust",
            "sql",
            "json",
        ] {
            let h = html(&format!("```{lang}\n# note\nfoo = \"bar\" # 1\n```\n"));
            let code = h.split(&format!("data-lang=\"{lang}\"><code>")).nth(1).unwrap_or_default();
            assert!(code.contains("<span class=\"l") || code.contains("<span class=\"d"), "{lang}: {h}");
        }
    }

    const NASTY: &[(&str, &str)] = &[
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("<iframe src=\"https://evil.example\"></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("# Hi {onclick=alert(1)}", "onclick"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript:"),
        ("<div onmouseover=\"alert(1)\">x</div>", "onmouseover"),
    ];

    #[test]
    fn raw_html_is_sanitised_unless_unsafe() {
        for (body, bad) in NASTY {
            let safe = render(body, &html_opts(false), &FakeResolver::default()).html;
            assert!(!safe.contains(bad), "{body} → {safe}");
            let raw = render(body, &html_opts(true), &FakeResolver::default()).html;
            assert!(raw.contains(bad), "{body} → {raw}");
        }
        let safe = html("<img src=x onerror=alert(1)> <b class=\"x\">ok</b>");
        assert!(safe.contains("<img src=\"x\">"), "{safe}");
        assert!(safe.contains("<b class=\"x\">ok</b>"), "{safe}");
        assert!(!html("<script>alert(1)</script>").contains("alert"));
        assert!(!html("<iframe>alert(1)</iframe>").contains("alert"));
        // No rel added to links.
        assert!(!html("[a](https://x.example/)").contains("rel="));
    }

    #[test]
    fn links_only_mode_gives_links_and_no_html() {
        let body = "# T\n\n[a](../pain/slow-deploys.md) [[ghost]]\n\n```rust\nfn x() {}\n```\n";
        let r = render(
            body,
            &Options { mode: Mode::LinksOnly, unsafe_html: false, highlights: None },
            &FakeResolver::default(),
        );
        assert_eq!(r.html, "");
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].id, "slow-deploys");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].offset, body.find("[[ghost]]").unwrap());
        assert_eq!(r.toc.len(), 1);
        // Same links, problems and toc as a full render.
        let full = render(body, &html_opts(false), &FakeResolver::default());
        assert_eq!((full.links, full.problems, full.toc), (r.links, r.problems, r.toc));
    }

    #[test]
    fn outline_mode_gives_all_but_the_html_as_a_full_render_does() {
        let body = "# T\n\nSome *prose* and `code`.\n\n[a](../pain/slow-deploys.md) [[ghost]]\n\n\
                    ```rust\nfn x() {}\n```\n\n## T\n\n| a | b |\n|---|---|\n| c | d |\n\n> quoted\n";
        let outline = render(
            body,
            &Options { mode: Mode::Outline, unsafe_html: false, highlights: None },
            &FakeResolver::default(),
        );
        assert_eq!(outline.html, "");
        assert!(outline.text.contains("Some prose and code. a ghost T"), "{}", outline.text);
        assert!(!outline.text.contains("fn x"), "code blocks are not words: {}", outline.text);
        let full = render(body, &html_opts(false), &FakeResolver::default());
        assert_eq!(
            (full.links, full.problems, full.toc, full.text),
            (outline.links, outline.problems, outline.toc, outline.text)
        );
    }

    #[test]
    fn output_is_deterministic() {
        let body = "# A\n\n# A\n\n[[slow-deploys]] [x](../pain/slow-deploys.md)\n\n\
                    ```go\nfunc main() {}\n```\n\n| a |\n|---|\n| b |\n\n[^1]\n\n[^1]: n\n";
        let first = render(body, &html_opts(false), &FakeResolver::default());
        let others: Vec<RenderedBody> = std::thread::scope(|s| {
            let handles: Vec<_> =
                (0..3).map(|_| s.spawn(|| render(body, &html_opts(false), &FakeResolver::default()))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for other in others {
            assert_eq!(first, other);
        }
    }

    #[test]
    fn never_panics_on_nasty_input() {
        let deep = 10_000;
        let mut inputs = vec![
            "- ".repeat(deep) + "x",
            "> ".repeat(deep) + "x",
            "1. ".repeat(deep) + "x",
            "[".repeat(deep) + &"]".repeat(deep),
            "[[".repeat(deep),
            "*".repeat(deep) + "x" + &"*".repeat(deep),
            "<div>".repeat(deep) + &"</div>".repeat(deep),
            "<span>".repeat(deep),
            "![".repeat(deep) + "x",
            "|".repeat(deep) + "\n" + &"|-".repeat(deep) + "\n",
            (0..deep).map(|i| format!("{}- x\n", " ".repeat(i % 200))).collect(),
            "```rust\nfn main() {\n".to_string(),
            "~~~\nunclosed".into(),
            "[[]] [[|]] [[#]] [[ |x]] [[a|]] [[x#]] [](.md) [](#.md) [x](.md#)".into(),
            "# {#} \n## {.} \n### {#a #b}\n#### x {=}\n".into(),
            "[^]: x\n[^a]: [^a]\n[^a]".into(),
            "\u{0}\u{feff}\r\n\r# \u{0}\n\t- \u{200b}".into(),
            "<!-- unclosed comment".into(),
            "<![CDATA[ x".into(),
            "> [!NOTE]\n".into(),
            "- [x]".into(),
            "`".repeat(deep),
            "#".repeat(deep),
        ];
        inputs.push("a".repeat(1 << 20));
        for input in &inputs {
            for options in [
                html_opts(false),
                html_opts(true),
                Options { mode: Mode::LinksOnly, unsafe_html: false, highlights: None },
            ] {
                let _ = render(input, &options, &FakeResolver::default());
            }
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("  --a--b--  "), "a-b");
        assert_eq!(slug("v1.2 API"), "v1-2-api");
        assert_eq!(slug(""), "section");
    }

    #[test]
    fn slugs_transliterate_other_scripts() {
        assert_eq!(slug("Über uns"), "uber-uns");
        assert_eq!(slug("Ärger mit CI"), "arger-mit-ci");
        let japanese = slug("日本語");
        assert!(!japanese.is_empty() && japanese != "section", "{japanese}");
        assert!(japanese.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{japanese}");
    }

    #[test]
    fn generated_heading_ids_never_take_a_template_id() {
        let body = "# Main\n\n## Search input\n\n# Main {#main}\n\n## Toc heading\n";
        let r = render(body, &html_opts(false), &FakeResolver::default());
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        // An explicit `{#main}` is the author's choice; generated ones step aside.
        assert_eq!(ids, ["main-1", "search-input-1", "main", "toc-heading-1"]);
    }

    /// Every literal `id="…"` in the default templates (not those made of a
    /// template expression, which carry a prefix no slug can predict).
    fn ids_in_templates(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                ids_in_templates(&path, out);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices(" id=\"") {
                let rest = &text[at + 5..];
                let value = &rest[..rest.find('"').unwrap()];
                if !value.contains("{{") && !value.contains("{%") {
                    out.push(value.to_string());
                }
            }
        }
    }

    #[test]
    fn template_ids_match_the_templates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut found = Vec::new();
        ids_in_templates(&dir, &mut found);
        found.sort();
        found.dedup();
        assert_eq!(found, TEMPLATE_IDS, "update TEMPLATE_IDS in src/markdown/mod.rs to the templates' ids");
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(has_scheme("JavaScript:alert(1)"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a.md"));
        assert!(!has_scheme(":x.md"));
        assert!(!has_scheme("dir/a:b.md"));
    }
}

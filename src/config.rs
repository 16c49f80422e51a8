//! The site configuration, `charted.yaml`.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::fields::Fields;
use crate::load::yaml::Node;
use crate::model::item::MAX_AMOUNT;
use crate::vocabulary::{self, SharedSource, Vocabulary};

/// Every field `charted.yaml` knows, for unknown-field suggestions and the guide.
pub const FIELDS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "tolerance",
    "stale_after_days",
    "theme",
    "cname",
    "clean_urls",
    "unsafe_html",
    "scoring",
    "warnings",
    "top_pains",
    "discovery_gap_days",
    "discovery_window_days",
    "untested_favourite_days",
    "untested_favourite_effort",
    "paginate_by",
    "noindex",
    "feed_limit",
    "card_image",
    "discovery_budget",
    "teams",
    "user_groups",
    "vocabulary",
    "history",
    "portfolio",
    "portfolio_limits",
    "neighbours",
];

/// Site-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Where the site is published: `/`, `/sub/path/` or `https://host/sub/path/`; always ends in `/`.
    pub base_url: String,
    pub language: String,
    /// Percentage points the actual split may be off target before `check` warns.
    pub tolerance: f64,
    pub stale_after_days: i64,
    /// An extra theme folder, relative to the site.
    pub theme: Option<PathBuf>,
    /// A custom domain for GitHub Pages: written to the output's `CNAME` file.
    pub cname: Option<String>,
    /// Links inside pages end in `/` instead of `/index.html` (for sites only
    /// ever served by a web server; the output then cannot be browsed from disk).
    pub clean_urls: bool,
    /// Pass raw HTML in bodies through unsanitised (default: sanitise).
    pub unsafe_html: bool,
    /// The pain score formula.
    pub scoring: Scoring,
    /// Warnings switched off with `warnings: {code: false}`, sorted.
    pub disabled_warnings: Vec<String>,
    /// How many of the top-ranked open pains must have a solution.
    pub top_pains: usize,
    /// The longest discovery-free stretch before `check` warns.
    pub discovery_gap_days: i64,
    /// The window of the discovery page's per-method and last-quarter figures.
    pub discovery_window_days: i64,
    /// `untested-favourite`: how many days a solution may go without an
    /// experiment since its `date`, when its effort is at least
    /// `untested_favourite_effort` person-weeks.
    pub untested_favourite_days: i64,
    pub untested_favourite_effort: f64,
    /// Items per list page, over as many pages as it takes; 0 shows every item on one page.
    pub paginate_by: usize,
    /// Ask search engines not to index the site: a robots meta tag on every
    /// page and a `robots.txt` that disallows all (for an internal site).
    pub noindex: bool,
    /// How many of the newest entries the Atom feed holds; 0 holds every dated item.
    pub feed_limit: usize,
    /// The link-preview image, as a path in the output (a file of `static/`);
    /// `None` uses the theme's `card.png`.
    pub card_image: Option<String>,
    /// Hours of other teams' time discovery may take per calendar quarter.
    pub discovery_budget: Option<DiscoveryBudget>,
    /// The canonical teams and user groups, with their aliases: the site's
    /// own, merged by the load stage with the shared file's.
    pub vocabulary: Vocabulary,
    /// `vocabulary:`, the organisation's shared vocabulary file.
    pub shared_vocabulary: Option<SharedSource>,
    /// Which past states of the site, read from its git history, are reviews.
    pub history: HistoryConfig,
    /// `portfolio:`, the team sites an organisation's portfolio is built from.
    pub portfolio: Vec<crate::portfolio::TeamEntry>,
    /// `portfolio_limits:`, what the shared discovery ledger allows.
    pub portfolio_limits: crate::portfolio::Limits,
    /// `neighbours:`, the short names of the teams whose published items
    /// this site reads, so references to them resolve and theirs show here.
    pub neighbours: Vec<crate::load::fields::At<String>>,
}

/// `history:` — which commits of the site's repository count as reviews.
/// `history: false` turns history off.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryConfig {
    pub enabled: bool,
    /// Tags whose names match this pattern (`*` any run of characters, `?`
    /// one) mark reviews; `None` when tags are not used.
    pub tags: Option<String>,
    /// Also one review per past calendar quarter: its last commit.
    pub quarterly: bool,
    /// At most this many reviews, the most recent.
    pub limit: usize,
    /// Where `history:` was written; `None` when it was not, and then a
    /// site without history is not worth a warning.
    pub pos: Option<Pos>,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig { enabled: true, tags: Some("review-*".into()), quarterly: false, limit: 12, pos: None }
    }
}

/// The fields of `history:`.
pub const HISTORY_FIELDS: &[&str] = &["tags", "quarterly", "limit"];

/// `discovery_budget: {per_quarter: 40, per_team: {Payments: 10}}`: hours of
/// other teams' time per calendar quarter, overall and for named teams.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiscoveryBudget {
    pub per_quarter: Option<f64>,
    /// Each team's own limit, in the order written.
    pub per_team: Vec<(String, f64)>,
    /// Where `discovery_budget` was written.
    pub pos: Pos,
}

/// The fields of `discovery_budget:`.
pub const BUDGET_FIELDS: &[&str] = &["per_quarter", "per_team"];

/// The pain score: `severity^severity × frequency weight^frequency ×
/// log10(reach + 10)^reach × (1 + evidence × evidence weights)`. The defaults
/// (1, 1, 1, 0.1) make each point of evidence weight add 10% to the plain
/// `severity × frequency weight × log10(reach + 10)`; `evidence: 0` turns that off.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scoring {
    pub severity: f64,
    pub frequency: f64,
    pub reach: f64,
    /// What each point of evidence weight adds, as a fraction of the score.
    pub evidence: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring { severity: 1.0, frequency: 1.0, reach: 1.0, evidence: 0.1 }
    }
}

/// The fields of `scoring:`.
pub const SCORING_FIELDS: &[&str] = &["severity", "frequency", "reach", "evidence"];

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "/".to_string(),
            language: "en".to_string(),
            tolerance: 10.0,
            stale_after_days: 30,
            theme: None,
            cname: None,
            clean_urls: false,
            unsafe_html: false,
            scoring: Scoring::default(),
            disabled_warnings: Vec::new(),
            top_pains: 5,
            discovery_gap_days: 60,
            discovery_window_days: 180,
            untested_favourite_days: 90,
            untested_favourite_effort: 8.0,
            paginate_by: 50,
            noindex: false,
            feed_limit: 50,
            card_image: None,
            discovery_budget: None,
            vocabulary: Vocabulary::default(),
            shared_vocabulary: None,
            history: HistoryConfig::default(),
            portfolio: Vec::new(),
            portfolio_limits: crate::portfolio::Limits::default(),
            neighbours: Vec::new(),
        }
    }
}

impl Config {
    /// Reads the parsed `charted.yaml`; problems go to `diags`, defaults fill the gaps.
    pub fn from_node(file: &Path, node: &Node, diags: &mut Diagnostics) -> Config {
        let mut config = Config::default();
        let Some(mut f) = Fields::new(file, node, "charted.yaml", diags) else {
            return config;
        };
        if let Some(title) = f.required_string("title", "Developer Platform") {
            config.title = title.value;
        }
        if let Some(d) = f.string("description") {
            config.description = d.value;
        }
        if let Some(url) = f.string("base_url") {
            match normalize_base_url(&url.value) {
                Ok(base) => config.base_url = base,
                Err(why) => f.report(
                    Diagnostic::error("invalid-base-url", format!("`base_url` is `{}`, {why}", url.value))
                        .at(file, Some(url.pos))
                        .help(
                            "write a full URL such as `https://acme.github.io/infra-roadmap/`, or a path such as `/`",
                        ),
                ),
            }
        }
        if let Some(lang) = f.string("language") {
            config.language = lang.value;
        }
        if let Some(t) = f.number("tolerance", 0.0, false, "10") {
            config.tolerance = t.value.min(100.0);
        }
        if let Some(days) = f.integer("stale_after_days", 1, 36_500, "30") {
            config.stale_after_days = days.value;
        }
        config.theme = f.string("theme").map(|t| PathBuf::from(t.value));
        if let Some(cname) = f.string("cname") {
            let domain = cname.value.trim().to_ascii_lowercase();
            let valid = !domain.is_empty()
                && domain.split('.').count() >= 2
                && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if valid {
                config.cname = Some(domain);
            } else {
                f.report(
                    Diagnostic::error(
                        "invalid-cname",
                        format!("`cname` is `{}`, which is not a domain name", cname.value),
                    )
                    .at(file, Some(cname.pos))
                    .help("write only the custom domain, such as `roadmap.acme.dev` (no https://, no path)"),
                );
            }
        }
        config.clean_urls = f.bool("clean_urls").unwrap_or(false);
        if f.bool("unsafe_html") == Some(true) {
            config.unsafe_html = true;
            let pos = f.node("unsafe_html").map(|n| n.pos);
            f.report(
                Diagnostic::warning("unsafe-html", "`unsafe_html` is on: raw HTML in bodies reaches the pages unsanitised")
                    .at(file, pos)
                    .help("any editor can then put scripts on the site; remove `unsafe_html: true` unless every author is trusted"),
            );
        }
        if let Some(n) = f.integer("top_pains", 0, 1000, "5") {
            config.top_pains = n.value as usize;
        }
        if let Some(days) = f.integer("discovery_gap_days", 1, 36_500, "60") {
            config.discovery_gap_days = days.value;
        }
        if let Some(days) = f.integer("discovery_window_days", 1, 36_500, "180") {
            config.discovery_window_days = days.value;
        }
        if let Some(days) = f.integer("untested_favourite_days", 0, 36_500, "90") {
            config.untested_favourite_days = days.value;
        }
        if let Some(effort) = f.number_within("untested_favourite_effort", 0.0, false, 1_000_000.0, "8") {
            config.untested_favourite_effort = effort.value;
        }
        if let Some(n) = f.integer("paginate_by", 0, 100_000, "50") {
            config.paginate_by = n.value as usize;
        }
        config.noindex = f.bool("noindex").unwrap_or(false);
        if let Some(n) = f.integer("feed_limit", 0, 100_000, "50") {
            config.feed_limit = n.value as usize;
        }
        if let Some(path) = f.string("card_image") {
            match card_path(&path.value) {
                Some(clean) => config.card_image = Some(clean),
                None => f.report(
                    Diagnostic::error(
                        "invalid-card-image",
                        format!("`card_image` is `{}`, which is not a path inside the site's output", path.value),
                    )
                    .at(file, Some(path.pos))
                    .help("write the path of a file of `static/` as the output has it, such as `images/card.png`"),
                ),
            }
        }
        if let Some(source) = f.string("vocabulary") {
            match vocabulary::source(&source.value) {
                Ok(found) => config.shared_vocabulary = Some(SharedSource { source: found, pos: source.pos }),
                Err(why) => f.report(
                    Diagnostic::error("invalid-vocabulary", format!("`vocabulary` is `{}`, {why}", source.value))
                        .at(file, Some(source.pos))
                        .help("write the path of the shared vocabulary file, relative to the site folder (`../org/vocabulary.yaml`), or its https URL"),
                ),
            }
        }
        for neighbour in f.strings("neighbours") {
            match crate::model::item::id_problem(&neighbour.value) {
                None => config.neighbours.push(neighbour),
                Some(problem) => f.report(
                    Diagnostic::error("invalid-id", format!("the neighbour `{}` {problem}", neighbour.value))
                        .at(file, Some(neighbour.pos))
                        .help("list teams by the short name their `team:id` references use, such as `ci`"),
                ),
            }
        }
        // Marked as read here; read below, once `f` has let go of `diags`.
        let _ = (f.node("scoring"), f.node("warnings"));
        let _ = (f.node("discovery_budget"), f.node("teams"), f.node("user_groups"), f.node("history"));
        let _ = (f.node("portfolio"), f.node("portfolio_limits"));
        let history_key = f.key_pos("history");
        let limits_key = f.key_pos("portfolio_limits");
        f.finish(FIELDS);
        if let Some(budget) = entry(node, "discovery_budget") {
            config.discovery_budget = Some(read_budget(file, budget, diags));
        }
        if let Some(history) = entry(node, "history") {
            config.history = read_history(file, history, diags);
            // Its warning points at `history:` itself, not at its first field.
            config.history.pos = history_key.or(config.history.pos);
        }
        if let Some(portfolio) = entry(node, "portfolio") {
            config.portfolio = crate::portfolio::entries::read(file, portfolio, diags);
        }
        if let Some(limits) = entry(node, "portfolio_limits") {
            config.portfolio_limits = crate::portfolio::entries::read_limits(file, limits, diags);
            // Its warnings point at `portfolio_limits:` itself, not at its first field.
            config.portfolio_limits.pos = limits_key.or(config.portfolio_limits.pos);
        }
        if let Some(teams) = entry(node, "teams") {
            config.vocabulary.teams = Some(vocabulary::read_list(file, teams, "teams", diags));
        }
        if let Some(groups) = entry(node, "user_groups") {
            config.vocabulary.user_groups = Some(vocabulary::read_list(file, groups, "user_groups", diags));
        }
        let (scoring, warnings) = (entry(node, "scoring"), entry(node, "warnings"));
        if let Some(node) = scoring {
            config.scoring = read_scoring(file, node, diags);
        }
        if let Some(node) = warnings {
            config.disabled_warnings = read_warnings(file, node, diags);
        }
        config
    }

    /// Whether the warning `code` is switched on.
    pub fn warns(&self, code: &str) -> bool {
        !self.disabled_warnings.iter().any(|c| c == code)
    }
}

/// The value of a top-level key, when it is set.
fn entry<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    match &node.value {
        crate::load::yaml::Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
            .filter(|v| v.value != crate::load::yaml::Value::Null),
        _ => None,
    }
}

/// The largest scoring number: with every input at its largest, a score
/// stays a finite number that pages can print (about 10^29).
const MAX_WEIGHT: f64 = 10.0;

fn read_scoring(file: &Path, node: &Node, diags: &mut Diagnostics) -> Scoring {
    let mut scoring = Scoring::default();
    let Some(mut f) = Fields::new(file, node, "`scoring`", diags) else {
        return scoring;
    };
    if let Some(x) = f.number_within("severity", 0.0, false, MAX_WEIGHT, "1") {
        scoring.severity = x.value;
    }
    if let Some(x) = f.number_within("frequency", 0.0, false, MAX_WEIGHT, "1") {
        scoring.frequency = x.value;
    }
    if let Some(x) = f.number_within("reach", 0.0, false, MAX_WEIGHT, "1") {
        scoring.reach = x.value;
    }
    if let Some(x) = f.number_within("evidence", 0.0, false, MAX_WEIGHT, "0.1") {
        scoring.evidence = x.value;
    }
    f.finish(SCORING_FIELDS);
    scoring
}

fn read_budget(file: &Path, node: &Node, diags: &mut Diagnostics) -> DiscoveryBudget {
    let mut budget = DiscoveryBudget { pos: node.pos, ..DiscoveryBudget::default() };
    let Some(mut f) = Fields::new(file, node, "`discovery_budget`", diags) else {
        return budget;
    };
    budget.per_quarter = f.number_within("per_quarter", 0.0, false, MAX_AMOUNT, "40").map(|h| h.value);
    let _ = f.node("per_team");
    f.finish(BUDGET_FIELDS);
    let Some(per_team) = entry(node, "per_team") else {
        return budget;
    };
    let Some(mut teams) = Fields::new(file, per_team, "`per_team`", diags) else {
        return budget;
    };
    let names: Vec<String> = match &per_team.value {
        crate::load::yaml::Value::Map(entries) => entries.iter().map(|(k, _)| k.name.clone()).collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    for name in names.iter().filter(|n| seen.insert(n.as_str())) {
        if let Some(h) = teams.number_within(name, 0.0, false, MAX_AMOUNT, "10") {
            budget.per_team.push((name.clone(), h.value));
        }
    }
    let known: Vec<&str> = names.iter().map(String::as_str).collect();
    teams.finish(&known);
    budget
}

/// `history: false`, or `history: {tags: "review-*", quarterly: true, limit: 8}`.
fn read_history(file: &Path, node: &Node, diags: &mut Diagnostics) -> HistoryConfig {
    let mut history = HistoryConfig { pos: Some(node.pos), ..HistoryConfig::default() };
    match &node.value {
        crate::load::yaml::Value::Bool(on) => {
            history.enabled = *on;
            return history;
        }
        crate::load::yaml::Value::Map(_) | crate::load::yaml::Value::Null => {}
        other => {
            diags.push(
                Diagnostic::error(
                    "wrong-type",
                    format!("`history` must be `false` or a mapping of fields, but it is {}", other.describe()),
                )
                .at(file, Some(node.pos))
                .help("write `history: false` to build without history, or its fields: `history: {tags: \"review-*\", quarterly: true, limit: 12}`"),
            );
            return history;
        }
    }
    let Some(mut f) = Fields::new(file, node, "`history`", diags) else {
        return history;
    };
    if let Some(tags) = read_tags(&mut f, node) {
        history.tags = tags;
    }
    history.quarterly = f.bool("quarterly").unwrap_or(false);
    if let Some(n) = f.integer("limit", 1, 1000, "12") {
        history.limit = n.value as usize;
    }
    f.finish(HISTORY_FIELDS);
    history
}

/// `tags: "review-*"`, or `tags: false` (`Some(None)`): the review tags
/// pattern; `None` when unset or wrong.
fn read_tags(f: &mut Fields<'_>, node: &Node) -> Option<Option<String>> {
    use crate::load::yaml::Value;
    match &entry(node, "tags")?.value {
        Value::Bool(false) => {
            let _ = f.node("tags");
            Some(None)
        }
        Value::List(_) | Value::Map(_) | Value::Bool(true) => {
            let tags = f.node("tags")?;
            let message = format!("`tags` must be a tag pattern or `false`, but it is {}", tags.value.describe());
            f.report(Diagnostic::error("wrong-type", message).at(f.file(), Some(tags.pos)).help(
                "write one pattern, `tags: \"review-*\"` (`*` is any run of characters, `?` one), or `tags: false` to use no tags",
            ));
            None
        }
        _ => f.string("tags").map(|pattern| Some(pattern.value).filter(|p| !p.trim().is_empty())),
    }
}

/// `warnings: {no-evidence: false}`: the codes switched off.
fn read_warnings(file: &Path, node: &Node, diags: &mut Diagnostics) -> Vec<String> {
    let codes: Vec<&str> = crate::model::checks::WARNINGS.iter().map(|w| w.code).collect();
    let Some(mut f) = Fields::new(file, node, "`warnings`", diags) else {
        return Vec::new();
    };
    let mut off: Vec<String> = codes.iter().filter(|c| f.bool(c) == Some(false)).map(|c| c.to_string()).collect();
    f.finish(&codes);
    off.sort();
    off
}

impl Config {
    /// The path part of `base_url`, e.g. `/infra-roadmap/`.
    pub fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => &self.base_url,
        }
    }

    /// Whether `base_url` names a host, so absolute links (feeds, previews) can be made.
    pub fn has_host(&self) -> bool {
        self.base_url.contains("://")
    }
}

/// A `card_image` path made relative to the output root (`/images/c.png` →
/// `images/c.png`), or `None` when it is a URL or leaves the output.
fn card_path(raw: &str) -> Option<String> {
    let path = raw.trim().trim_start_matches('/');
    let fits = !path.is_empty()
        && !path.contains("://")
        && !path.ends_with('/')
        && !path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '?' | '#'))
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    fits.then(|| path.to_string())
}

/// Checks a base URL and gives it a trailing slash. Only two shapes pass:
/// an absolute http(s) URL with a host and no user name or password, or a
/// path that starts with one `/`. Browsers read a backslash as a slash, so
/// Whether `text` starts with `http://` or `https://`, in any case: an
/// address to fetch or link to, rather than a path.
pub(crate) fn is_web_url(text: &str) -> bool {
    let starts = |scheme: &str| text.get(..scheme.len()).is_some_and(|p| p.eq_ignore_ascii_case(scheme));
    starts("https://") || starts("http://")
}

/// `/\evil.example/` would load scripts from another host: none is allowed.
pub(crate) fn normalize_base_url(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>') {
        return Err("which contains characters a URL cannot hold");
    }
    if raw.contains('\\') {
        return Err("which contains a backslash, which browsers read as `/`");
    }
    if raw.contains(['?', '#']) {
        return Err("which has a query or a fragment, which a base URL cannot have");
    }
    let mut base = if is_web_url(raw) {
        let after_scheme = raw.split_once("://").map_or("", |(_, rest)| rest);
        let url = url::Url::parse(raw).map_err(|_| "which is not a valid URL")?;
        if after_scheme.starts_with('/') || !url.has_host() || url.host_str().is_none_or(str::is_empty) {
            return Err("which has no host");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("which has a user name or password in it (`user@host`), which would send readers elsewhere");
        }
        url.to_string()
    } else if raw.starts_with('/') && !raw.starts_with("//") {
        raw.to_string()
    } else {
        return Err("which is neither an http(s) URL nor a path starting with `/`");
    };
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("https://acme.github.io/roadmap").unwrap(), "https://acme.github.io/roadmap/");
        assert_eq!(normalize_base_url("/").unwrap(), "/");
        assert!(normalize_base_url("acme.github.io").is_err());
        assert!(normalize_base_url("https://").is_err());
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        assert_eq!(
            normalize_base_url("https://acme.dev/a b").unwrap_err(),
            "which contains characters a URL cannot hold"
        );
        for bad in [
            "/\\evil.example/",
            "https://evil.example\\@acme.dev/",
            "https://evil.example@acme.dev/",
            "https://u:p@acme.dev/",
            "//evil.example/",
            "/roadmap/?x=1",
            "https:///path",
            "ftp://acme.dev/",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad} was accepted");
        }
        assert_eq!(normalize_base_url("HTTPS://Acme.Dev/Roadmap").unwrap(), "https://acme.dev/Roadmap/");
        let config = Config { base_url: "https://acme.github.io/roadmap/".into(), ..Config::default() };
        assert_eq!(config.base_path(), "/roadmap/");
        let config = Config { base_url: "https://acme.dev".into(), ..Config::default() };
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn card_image_paths_stay_inside_the_output() {
        assert_eq!(card_path("/images/card.png").as_deref(), Some("images/card.png"));
        assert_eq!(card_path("card.png").as_deref(), Some("card.png"));
        for bad in ["", "/", "../card.png", "a/../../b.png", "https://x.dev/c.png", "images/", "a b.png", "c.png?v=1"] {
            assert_eq!(card_path(bad), None, "{bad}");
        }
    }
}

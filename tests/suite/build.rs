//! `charted build` on the example site and on small fixture sites: the right
//! pages, figures, labels, links and backlinks; reproducible; never half-written.

use crate::common;

use std::fs;
use std::path::Path;

use common::{Site, page, snapshot_tree, texts};
use scraper::{Html, Selector};

fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

#[test]
fn example_site_builds_every_page() {
    let site = Site::example();
    let out = site.build();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // 147 pages and files, a shields.io JSON beside each of the 46 badges, the schema and the card
    // image; the search index is its meta, 13 chunk files and 6 fragment files of 8 items; and the
    // changes page (saying why there is no history: the copy is not in git).
    assert!(stdout.starts_with("Built 46 items into 215 files in "), "{stdout}");
    for rel in [
        "index.html",
        "404.html",
        "style.css",
        "syntax.css",
        "charter/index.html",
        "roadmap/index.html",
        "changes/index.html",
        "vision/index.html",
        "vision/ten-second-feedback/index.html",
        "pain/index.html",
        "pain/slow-pr-builds/index.html",
        "solutions/remote-build-cache/index.html",
        "experiments/index.html",
        "experiments/quarantine-bot-pilot/index.html",
        "discovery/survey-2026-q1/index.html",
        "slas/ci-p95-duration/index.html",
        "pain/slow-ci-builds/index.html",
        "badges/slow-pr-builds.svg",
        "badges/slow-pr-builds.json",
        "items.json",
        "items.schema.json",
        "card.png",
        "search/meta.js",
        "search/f/0.js",
        "search.js",
        ".nojekyll",
        "pain/_by/bucket/slow-feedback/index.html",
        "solutions/_by/validation/validated/index.html",
    ] {
        assert!(site.out().join(rel).is_file(), "missing {rel}");
    }
}

#[test]
fn every_internal_link_points_at_a_page() {
    let site = Site::example();
    site.build();
    let links = Selector::parse("a[href], link[href]").unwrap();
    let mut checked = 0;
    for (rel, bytes) in snapshot_tree(&site.out()) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        let dir = Path::new(&rel).parent().unwrap().to_path_buf();
        for a in html.select(&links) {
            let href = a.value().attr("href").unwrap();
            if href.starts_with('#') || href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let path = href.split('#').next().unwrap();
            let mut target = site.out().join(&dir).join(path);
            if path.is_empty() || path.ends_with('/') {
                target = target.join("index.html");
            }
            assert!(target.is_file(), "{rel}: broken link {href}");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn dashboard_shows_charter_balance_funnel_and_top_pains() {
    let site = Site::example();
    site.build();
    let html = page(&site, "index.html");
    let text = main_text(&html);
    assert!(text.contains("Innovation"), "{text}");
    assert!(text.contains("Future work is 28.6% of planned effort (now + next); target 30%."), "{text}");
    assert_eq!(html.select(&Selector::parse("main svg[role=img]").unwrap()).count(), 2, "balance and funnel charts");
    let top = texts(&html, "main table tbody tr");
    assert!(top[0].starts_with("1 Pull-request builds take 38 minutes at p95"), "{top:?}");
    // 4 × daily 4 × log10(380 + 10) × (1 + 0.1 × evidence weight 4) = 58.0
    assert!(top[0].ends_with(" 58"), "{top:?}");
}

#[test]
fn pain_page_shows_rank_score_labels_coverage_and_backlinks() {
    let site = Site::example();
    site.build();
    let html = page(&site, "pain/slow-pr-builds/index.html");
    let text = main_text(&html);
    for expected in [
        "#1",
        "explicit priority 1",
        "Score 58 severity × frequency weight × log10(reach + 10) × (1 + 0.1 × evidence weight)",
        "Slow feedback",
        "Immediate",
        "Open",
        "380 people",
        "Daily",
        "×3",
        "Evidence weight 4",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let labels = texts(&html, "main .label");
    assert!(labels.iter().any(|l| l.contains("Immediate")), "{labels:?}");
    let hrefs: Vec<&str> =
        html.select(&Selector::parse("main a").unwrap()).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"../../solutions/remote-build-cache/index.html"), "addressed by: {hrefs:?}");
    assert!(hrefs.contains(&"../../discovery/survey-2026-q1/index.html"), "evidence: {hrefs:?}");
    assert!(hrefs.contains(&"../../slas/ci-p95-duration/index.html"), "backlink from the SLA: {hrefs:?}");
}

#[test]
fn ranks_follow_priority_then_score_then_id() {
    let site = Site::example();
    site.build();
    let html = page(&site, "pain/index.html");
    let rows = Selector::parse("main table tbody tr").unwrap();
    let link = Selector::parse("a").unwrap();
    let ranked: Vec<String> = html
        .select(&rows)
        .filter_map(|row| row.select(&link).next()?.value().attr("href").map(str::to_string))
        .take(8)
        .collect();
    // Explicit priorities 1-3 first (whatever their scores: flaky-integration-tests
    // outscores slow-pr-builds, 62.2 to 58.0), then by score: 36.8, 35.0, 34.8, and
    // the 32.9 tie breaks by id.
    let expected = [
        "slow-pr-builds",
        "flaky-integration-tests",
        "manual-deploy-approvals",
        "opaque-ci-failures",
        "staging-drift",
        "build-graph-ceiling",
        "ci-runner-starvation",
        "cold-build-cache",
    ];
    let expected: Vec<String> = expected.iter().map(|id| format!("../pain/{id}/index.html")).collect();
    assert_eq!(ranked, expected);
}

#[test]
fn solution_page_shows_value_validation_and_experiments() {
    let site = Site::example();
    site.build();
    let text = main_text(&page(&site, "solutions/remote-build-cache/index.html"));
    for expected in
        ["Now", "Validated", "derived from its experiments", "123.8", "6 person-weeks", "Ten-second feedback"]
    {
        assert!(text.to_lowercase().contains(&expected.to_lowercase()), "missing {expected:?} in {text}");
    }
    // Body cross-links were rewritten to item pages, and code was highlighted.
    let html = site.read_out("solutions/remote-build-cache/index.html");
    assert!(html.contains("href=\"../../pain/slow-pr-builds/index.html\""));
    assert!(html.contains("<pre class=\"code\" data-lang=\"hcl\">"), "highlighted HCL");
    assert!(html.contains("<span class=\"l"), "syntax classes");
}

#[test]
fn experiment_board_has_a_column_per_status() {
    let site = Site::example();
    site.build();
    let html = page(&site, "experiments/index.html");
    let headings = texts(&html, "main h2");
    for status in ["Planned", "Running", "Validated", "Invalidated", "Inconclusive"] {
        assert!(headings.iter().any(|h| h.starts_with(status)), "{status} missing from {headings:?}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::example();
    site.build();
    let first = snapshot_tree(&site.out());
    site.build();
    assert_eq!(first, snapshot_tree(&site.out()));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::example();
    site.build();
    let before = snapshot_tree(&site.out());
    site.write("content/pain/slow-pr-builds.md", "---\ntitle: [broken\n---\n");
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("previous output was left as it was"));
    assert_eq!(before, snapshot_tree(&site.out()));
    let leftovers: Vec<String> =
        fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!leftovers.iter().any(|n| n.contains("charted-tmp")), "{leftovers:?}");
}

#[test]
fn a_strict_build_with_warnings_fails_and_writes_nothing() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nserverity: 3\n---\n");
    let dir = site.path().to_str().unwrap();
    let out = site.run(&["build", "--strict", dir]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning[unknown-field]") && stderr.contains("--strict fails on warnings"), "{stderr}");
    assert!(out.stdout.is_empty());
    let names: Vec<String> =
        fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "only charted.yaml and content/: {names:?}");
    // The same site builds without --strict, and a strict failure then keeps that output.
    site.build();
    let before = snapshot_tree(&site.out());
    site.write("content/pain/b.md", "---\ntitle: B\nreech: 3\n---\n");
    assert_eq!(site.run(&["build", "--strict", dir]).status.code(), Some(1));
    assert_eq!(before, snapshot_tree(&site.out()));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new().file("content/pain/wip.md", "---\ntitle: Work in progress\ndraft: true\n---\n");
    site.build();
    assert!(!site.out().join("pain/wip/index.html").exists());
    let out = site.run(&["build", site.path().to_str().unwrap(), "--drafts"]);
    assert!(out.status.success());
    assert!(site.out().join("pain/wip/index.html").exists());
}

#[test]
fn a_site_overrides_templates_and_static_files() {
    let site = Site::new()
        .file("templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock %}")
        .file("static/style.css", "body { color: red }")
        .file("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build();
    assert!(site.read_out("404.html").contains("<h1>Lost</h1>"));
    assert_eq!(site.read_out("style.css"), "body { color: red }");
    assert!(site.out().join("logo.svg").is_file());
}

#[test]
fn a_broken_template_override_is_reported_once() {
    let site =
        Site::new().file("content/pain/a.md", "---\ntitle: A\n---\n").file("templates/item.html", "{{ nope.nothing }}");
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("error[template]").count(), 1, "{stderr}");
}

#[test]
fn refuses_to_write_over_the_site() {
    let site = Site::new();
    let dir = site.path().to_str().unwrap();
    let out = site.run(&["build", dir, "--out", dir]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
    assert!(site.path().join("content").is_dir());
}

#[test]
fn base_url_override_is_checked() {
    let site = Site::new();
    let dir = site.path().to_str().unwrap();
    assert_eq!(site.run(&["build", dir, "--base-url", "not a url"]).status.code(), Some(2));
    assert!(site.run(&["build", dir, "--base-url", "https://acme.github.io/roadmap"]).status.success());
}

#[test]
fn init_makes_a_site_that_checks_clean_and_builds() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("our-site");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_charted"))
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1795651200")
            .output()
            .unwrap()
    };
    let d = dir.to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    assert!(dir.join(".github/workflows/pages.yml").is_file());
    let check = run(&["check", d, "--strict"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert_eq!(run(&["init", d]).status.code(), Some(2), "init refuses a non-empty folder");
    for kind in ["pain", "solution", "experiment", "discovery", "sla", "vision"] {
        // An experiment must be told which solution it tests (tests/suite/scaffold.rs).
        let tests: &[&str] = if kind == "experiment" { &["--tests", "new-solution"] } else { &[] };
        let new = run(&[&["new", kind, &format!("New {kind}"), "--site", d], tests].concat());
        assert!(new.status.success(), "{kind}: {}", String::from_utf8_lossy(&new.stderr));
    }
    assert!(dir.join("content/pain/new-pain.md").is_file());
    assert!(dir.join("content/solutions/new-solution.md").is_file());
    let check = run(&["check", d]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(run(&["build", d]).status.success());
    assert_eq!(run(&["new", "pain", "New pain", "--site", d]).status.code(), Some(2), "no overwrite");
    assert_eq!(run(&["new", "solution", "New pain", "--site", d]).status.code(), Some(2), "ids are unique site-wide");
    assert_eq!(run(&["new", "widget", "X", "--site", d]).status.code(), Some(2));
}

/// The highlight cache changes how long a build takes, never what it writes:
/// a cold build, a warm one, and one with the cache off give the same bytes.
#[test]
fn a_warm_highlight_cache_gives_the_same_site() {
    let site = Site::example();
    let cache = tempfile::tempdir().unwrap();
    let build = |out: &str, cache_dir: &std::path::Path| {
        let out = site.path().join(out);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_charted"))
            .args(["build", site.path().to_str().unwrap(), "--out", out.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1795651200")
            .env("CHARTED_CACHE_DIR", cache_dir)
            .status()
            .unwrap();
        assert!(status.success());
        common::snapshot_tree(&out)
    };
    let cold = build("cold", cache.path());
    let packs: Vec<_> = std::fs::read_dir(cache.path()).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(packs.len(), 1, "one pack for the one site: {packs:?}");
    assert!(std::fs::metadata(&packs[0]).unwrap().len() > 100, "the build filled the cache");
    let warm = build("warm", cache.path());
    let off = build("off", std::path::Path::new(""));
    assert!(cold == warm, "a warm cache changed the output");
    assert!(cold == off, "the cache changed the output");
}

const OLD: &str = "flaky-integration-tests";

/// A discovery that names the pain every way a body and a front matter can,
/// with CRLF line ends, quotes and comments that must survive.
const NAMES_IT_EVERY_WAY: &str = "---\r\ntitle: Notes on flaky tests\r\nmethod: coffee-chat\r\ndate: 2026-11-01\r\n# which pains this surfaced\r\nsurfaces: [\"flaky-integration-tests\", 'slow-pr-builds']  # quoted\r\n---\r\n\r\nSee [[flaky-integration-tests|the flakes]], [[flaky-integration-tests#backlinks-heading]] and [the page][flakes].\r\nNot a link: `[[flaky-integration-tests]]`.\r\n\r\n[flakes]: <../pain/flaky-integration-tests.md> \"flakes\"\r\n";

fn content(site: &Site) -> Vec<(String, Vec<u8>)> {
    common::snapshot_tree(site.path()).into_iter().filter(|(rel, _)| !rel.starts_with("public")).collect()
}

/// `charted mv` renames a pain that front matter and bodies refer to: the
/// rebuilt site has no broken link and a redirect at the old URL, files that
/// did not name it are untouched, and renaming back is clean.
#[test]
fn mv_renames_an_item_everywhere_and_back() {
    let site = Site::example().file("content/discovery/flaky-notes.md", NAMES_IT_EVERY_WAY);
    let before = content(&site);
    let dir = site.path().to_str().unwrap();
    let out = site.run(&["mv", OLD, "flaky-tests", dir]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("content/pain/flaky-integration-tests.md → content/pain/flaky-tests.md"), "{stdout}");
    assert!(stdout.contains("content/pain/flaky-tests.md:21\n  + aliases: [flaky-integration-tests]"), "{stdout}");

    let after = content(&site);
    for (rel, bytes) in &before {
        let named_it = String::from_utf8_lossy(bytes).contains(OLD);
        let now = after.iter().find(|(r, _)| r == rel).map(|(_, b)| b);
        if rel.ends_with("pain/flaky-integration-tests.md") {
            assert!(now.is_none(), "the old file is gone");
        } else if !named_it {
            assert_eq!(now, Some(bytes), "{rel} does not name the pain and must not change");
        } else {
            let text = String::from_utf8_lossy(now.unwrap());
            assert!(!text.replace("`[[flaky-integration-tests]]`", "").contains(OLD), "{rel} still names it:\n{text}");
        }
    }
    let notes = fs::read_to_string(site.path().join("content/discovery/flaky-notes.md")).unwrap();
    assert_eq!(
        notes,
        NAMES_IT_EVERY_WAY.replace(OLD, "flaky-tests").replace("`[[flaky-tests]]`", "`[[flaky-integration-tests]]`")
    );

    let built = String::from_utf8(site.build().stdout).unwrap();
    assert!(built.contains("(0 errors"), "{built}");
    let redirect = site.read_out("pain/flaky-integration-tests/index.html");
    assert!(redirect.contains("url=../flaky-tests/index.html"), "{redirect}");
    let notes_page = site.read_out("discovery/flaky-notes/index.html");
    assert!(notes_page.contains("../../pain/flaky-tests/index.html#backlinks-heading"), "the anchor is kept");

    let back = site.run(&["mv", "flaky-tests", OLD, "--site", dir]);
    assert!(back.status.success(), "{}", String::from_utf8_lossy(&back.stderr));
    let pain = "content/pain/flaky-integration-tests.md";
    for ((rel, was), (rel_now, now)) in before.iter().zip(&content(&site)) {
        assert_eq!(rel, rel_now);
        if rel != pain {
            assert!(was == now, "{rel} is not as it was after renaming back");
        }
    }
    // The pain keeps the name it had meanwhile as an alias: that URL was published too.
    let original = fs::read_to_string(common::example_dir().join(pain)).unwrap();
    let expected = original.replacen("updated: 2026-10-01\n", "updated: 2026-10-01\naliases: [flaky-tests]\n", 1);
    assert_eq!(fs::read_to_string(site.path().join(pain)).unwrap(), expected);
    site.build();
}

/// Every refusal says why and leaves every file as it was.
#[test]
fn mv_refuses_and_changes_nothing() {
    let site = Site::example().file("content/pain/flaky-tests.md", "---\ntitle: Other\nid: another-pain\n---\n");
    let dir = site.path().to_str().unwrap();
    let before = content(&site);
    for (old, new, says) in [
        (OLD, "slow-pr-builds", "the id `slow-pr-builds` is taken by content/pain/slow-pr-builds.md"),
        (OLD, "slow-ci-builds", "is an alias of content/pain/slow-pr-builds.md"),
        (OLD, "Flaky Tests", "`Flaky Tests` is not a valid id"),
        ("no-such-pain", "x", "no item has the id `no-such-pain`"),
        ("slow-ci-builds", "x", "is an old id of `slow-pr-builds`"),
        (OLD, "flaky-tests", "content/pain/flaky-tests.md exists already"),
        (OLD, OLD, "is called `flaky-integration-tests` already"),
    ] {
        let out = site.run(&["mv", old, new, dir]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{old} → {new}: {stderr}");
        assert!(stderr.contains(says), "{old} → {new}: {stderr}");
        assert!(content(&site) == before, "{old} → {new} changed a file");
    }
    site.write("content/pain/broken.md", "---\ntitle: [unclosed\n---\n");
    let before = content(&site);
    let out = site.run(&["mv", OLD, "flaky-tests-2", dir]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("content/pain/broken.md:2") && stderr.contains("charted check"), "{stderr}");
    assert!(content(&site) == before, "a site with errors was changed");
}

#[test]
fn new_takes_an_id_or_makes_a_readable_one_from_any_title() {
    let site = Site::new();
    let d = site.path().to_str().unwrap();
    let out = site.run(&["new", "pain", "Über uns", "--site", d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.path().join("content/pain/uber-uns.md").is_file());
    let out = site.run(&["new", "pain", "Ärger mit CI", "--id", "ci-trouble", "--site", d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = fs::read_to_string(site.path().join("content/pain/ci-trouble.md")).unwrap();
    assert!(text.contains("title: \"Ärger mit CI\""), "{text}");
    let before = common::snapshot_tree(site.path());
    for (args, says) in [
        (&["new", "pain", "X", "--id", "Bad Id", "--site", d][..], "`Bad Id` is not a valid id"),
        (&["new", "pain", "X", "--id", "ci-trouble", "--site", d][..], "already exists"),
        (&["new", "charter", "X", "--id", "ours", "--site", d][..], "leave out --id"),
    ] {
        let out = site.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(common::snapshot_tree(site.path()) == before, "a refused `new` wrote a file");
    assert!(site.check().iter().all(|d| d.severity != charted::Severity::Error));
}

#[test]
fn buckets_and_user_groups_spelled_two_ways_are_one_group_under_the_first_spelling() {
    let site = Site::new()
        .file("content/pain/a.md", "---\ntitle: A\nusers: [Backend, \u{c9}quipe]\nbucket: CI Speed\n---\n")
        .file("content/pain/b.md", "---\ntitle: B\nusers: [backend, E\u{301}quipe, BACKEND]\nbucket: ci  speed\n---\n");
    let variants = site.check().iter().filter(|d| d.code == "name-variant").count();
    assert_eq!(variants, 4, "one warning per other spelling");
    site.build();
    let index = page(&site, "pain/index.html");
    let titles = texts(&index, ".bucket-title");
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with("CI Speed") && titles[0].contains("2 pains"), "{titles:?}");
    let groups: Vec<String> = fs::read_dir(site.out().join("pain/_by/users"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(groups.len(), 2, "{groups:?}");
    // The page of b shows each group once, spelled as a.md first wrote it, in NFC.
    let chips = texts(&page(&site, "pain/b/index.html"), ".chips li");
    assert_eq!(chips, ["Backend", "\u{c9}quipe"]);
}

//! Publishing and linking: the example site served under a GitHub Pages
//! sub-path, at a root, and opened from disk has no broken link; items.json
//! matches its schema; the feed, sitemap and badges are well-formed XML;
//! aliases redirect; the built-in link check catches what a host would 404.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use charted::BuildOptions;
use common::Site;
use common::http::{Server, join};
use scraper::{Html, Selector};

const SUB: &str = "https://example.github.io/team-roadmap/";
const ROOT: &str = "https://example.github.io/";

fn today() -> jiff::civil::Date {
    "2026-11-26".parse().unwrap()
}

/// Builds a copy of the example site with the library; panics on errors.
fn build_example(base_url: Option<&str>, clean_urls: bool) -> (Site, PathBuf) {
    let site = Site::example();
    let report = charted::build(&BuildOptions {
        site: site.path().to_path_buf(),
        base_url: base_url.map(str::to_string),
        clean_urls,
        today: Some(today()),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    let out = site.out();
    (site, out)
}

/// Every file of the output, relative, with `/`.
fn files(out: &Path) -> Vec<String> {
    let mut list: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    list.sort();
    list
}

/// Every link of an HTML page: href, src, and a meta refresh's URL.
fn links(html: &Html) -> Vec<String> {
    let mut out = Vec::new();
    let any = Selector::parse("[href], [src]").unwrap();
    for e in html.select(&any) {
        out.extend(e.value().attr("href").map(str::to_string));
        out.extend(e.value().attr("src").map(str::to_string));
    }
    let refresh = Selector::parse("meta[http-equiv=refresh]").unwrap();
    for e in html.select(&refresh) {
        let content = e.value().attr("content").unwrap();
        out.push(content.split_once("url=").unwrap().1.to_string());
    }
    out
}

fn ids(html: &Html) -> HashSet<String> {
    let sel = Selector::parse("[id]").unwrap();
    html.select(&sel).filter_map(|e| e.value().attr("id")).map(str::to_string).collect()
}

fn is_external(link: &str) -> bool {
    link.starts_with("//") || link.split_once(':').is_some_and(|(s, _)| !s.contains('/'))
}

fn search_urls(out: &Path) -> Vec<String> {
    // Every fragment file: `window.chartedSearch.fragments(n,[[title, url, kind, summary, body], …]);`.
    let mut urls = Vec::new();
    for entry in fs::read_dir(out.join("search/f")).unwrap() {
        let js = fs::read_to_string(entry.unwrap().path()).unwrap();
        let json = js.split_once(',').unwrap().1.trim_end().trim_end_matches(");");
        let entries: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        urls.extend(entries.iter().map(|e| e[1].as_str().unwrap().to_string()));
    }
    assert!(!urls.is_empty(), "the search index lists the items");
    urls.sort();
    urls
}

fn items_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("items.json")).unwrap()).unwrap()
}

/// Serves `out` under the path of `base_url` and follows every link of every
/// page, every search result, and every URL of items.json, the feed and the sitemap.
fn check_served(out: &Path, base_url: &str) {
    let prefix = &base_url[base_url.find("://").unwrap() + 3..];
    let prefix = &prefix[prefix.find('/').unwrap()..];
    let server = Server::start(out, prefix);
    let mut fetched: HashMap<String, (u16, Option<HashSet<String>>)> = HashMap::new();
    let mut fetch = |path: &str| -> (u16, Option<HashSet<String>>) {
        fetched
            .entry(path.to_string())
            .or_insert_with(|| {
                let (status, body) = server.get(path);
                let is_html = path.ends_with('/') || path.ends_with(".html");
                let ids =
                    (status == 200 && is_html).then(|| ids(&Html::parse_document(&String::from_utf8_lossy(&body))));
                (status, ids)
            })
            .clone()
    };
    let to_server = |url: &str| -> Option<String> { url.strip_prefix(base_url).map(|rest| format!("{prefix}{rest}")) };
    let mut checked = 0;
    let all = files(out);
    for rel in all.iter().filter(|f| f.ends_with(".html")) {
        // Pages are visited at their folder URL, as a reader arriving by permalink would.
        let page = format!("{prefix}{}", rel.strip_suffix("index.html").unwrap_or(rel));
        let (status, _) = fetch(&page);
        assert_eq!(status, 200, "{page}");
        let html = Html::parse_document(&fs::read_to_string(out.join(rel)).unwrap());
        for link in links(&html) {
            let (target, fragment) = if let Some(path) = to_server(&link) {
                join("/", &path)
            } else if is_external(&link) {
                assert!(!link.contains("127.0.0.1"), "{page}: {link}");
                continue;
            } else {
                join(&page, &link)
            };
            assert!(target.starts_with(prefix), "{page}: `{link}` leaves the site's path {prefix} ({target})");
            let (status, ids) = fetch(&target);
            assert_eq!(status, 200, "{page}: `{link}` → {target} is {status}");
            if !fragment.is_empty()
                && let Some(ids) = ids
            {
                assert!(ids.contains(&fragment), "{page}: `{link}`: no id `{fragment}` in {target}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // Search results are relative to the site root.
    for url in search_urls(out) {
        assert_eq!(fetch(&format!("{prefix}{url}")).0, 200, "search result {url}");
    }
    // items.json, the feed and the sitemap carry absolute URLs under base_url.
    let json = items_json(out);
    let mut absolute: Vec<String> = Vec::new();
    for item in json["items"].as_array().unwrap() {
        absolute.push(item["url"].as_str().unwrap().into());
        absolute.push(item["badge"].as_str().unwrap().into());
    }
    for file in ["feed.xml", "sitemap.xml"] {
        let text = fs::read_to_string(out.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        for node in doc.descendants() {
            // The feed's own id is its address; an entry's id is a name (a URN), not a URL.
            let feed_id = node.has_tag_name("id") && node.parent_element().is_some_and(|p| p.has_tag_name("feed"));
            if node.has_tag_name("loc") || feed_id {
                absolute.push(node.text().unwrap().to_string());
            }
            if node.has_tag_name("link") {
                absolute.push(node.attribute("href").unwrap().to_string());
            }
        }
    }
    assert!(absolute.len() > 10);
    for url in absolute {
        let path = to_server(&url).unwrap_or_else(|| panic!("{url} is not under {base_url}"));
        assert_eq!(fetch(&path).0, 200, "{url}");
    }
}

#[test]
fn every_link_resolves_served_under_a_github_pages_sub_path() {
    let (_site, out) = build_example(Some(SUB), false);
    check_served(&out, SUB);
}

#[test]
fn every_link_resolves_under_a_sub_path_with_clean_urls() {
    let (_site, out) = build_example(Some(SUB), true);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"pain/\"") && !index.contains("index.html\""), "clean links");
    check_served(&out, SUB);
}

#[test]
fn every_link_resolves_served_at_the_root() {
    let (_site, out) = build_example(Some(ROOT), false);
    check_served(&out, ROOT);
}

#[test]
fn every_link_resolves_opened_from_disk() {
    let (_site, out) = build_example(None, false);
    let mut checked = 0;
    for rel in files(&out).iter().filter(|f| f.ends_with(".html")) {
        // The 404 page is only ever shown by a web server, for any path: it links from the site root.
        if rel == "404.html" {
            continue;
        }
        let file = out.join(rel);
        let html = Html::parse_document(&fs::read_to_string(&file).unwrap());
        for link in links(&html) {
            if is_external(&link) {
                continue;
            }
            assert!(!link.starts_with('/'), "{rel}: `{link}` starts with `/`, which from disk is the file system root");
            let (target, fragment) = join(&format!("/{rel}"), &link);
            let path = out.join(target.trim_start_matches('/'));
            assert!(path.is_file(), "{rel}: `{link}` → {} is not a file", path.display());
            if !fragment.is_empty() && target.ends_with(".html") {
                let ids = ids(&Html::parse_document(&fs::read_to_string(&path).unwrap()));
                assert!(ids.contains(&fragment), "{rel}: `{link}`: no id `{fragment}`");
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    for url in search_urls(&out) {
        assert!(out.join(&url).is_file(), "search result {url} is not a file");
    }
}

#[test]
fn items_json_matches_its_documented_schema() {
    let (site, out) = build_example(Some(SUB), false);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/items.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let json = items_json(&out);
    let errors: Vec<String> = validator.iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["site"]["base_url"], SUB);
    let items = json["items"].as_array().unwrap();
    let count = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(items.len(), count);
    let pain = items.iter().find(|i| i["id"] == "slow-pr-builds").unwrap();
    assert_eq!(pain["kind"], "pain");
    assert_eq!(pain["url"], format!("{SUB}pain/slow-pr-builds/"));
    assert_eq!(pain["badge"], format!("{SUB}badges/slow-pr-builds.svg"));
    assert!(pain["score"].is_number() && pain["rank"].is_number() && pain["category"].is_string());
    assert!(pain["evidence_weight"].as_u64().unwrap() > 0 && pain["phase"].is_null());
    let solution = items.iter().find(|i| i["id"] == "remote-build-cache").unwrap();
    assert!(solution["validation"].is_string());
    assert_eq!(solution["phase"], "now");
    let (value, effort) = (solution["value"].as_f64().unwrap(), solution["effort"].as_f64().unwrap());
    let per_effort = solution["value_per_effort"].as_f64().unwrap();
    assert!((per_effort - value / effort).abs() < 0.06, "{value} / {effort} ≈ {per_effort}");
    assert!(solution["evidence_weight"].is_null() && solution["score"].is_null());
    assert!(solution["references"].as_array().unwrap().iter().any(|r| r == "slow-pr-builds"));
    let validation = &json["figures"]["validation"];
    let total: u64 =
        ["unvalidated", "validating", "validated", "invalidated"].iter().map(|k| validation[k].as_u64().unwrap()).sum();
    assert_eq!(total, json["figures"]["counts"]["solution"].as_u64().unwrap());
    assert!(json["figures"]["split"]["target"]["immediate"].is_number());
}

#[test]
fn feed_and_sitemap_are_xml_with_the_expected_entries() {
    let (site, out) = build_example(Some(SUB), false);
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
    let dated = items_json(&out)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["updated"].is_null() || !i["date"].is_null())
        .count();
    assert!(dated > 0);
    assert_eq!(entries.len(), dated);
    let updated: Vec<&str> =
        entries.iter().map(|e| e.children().find(|c| c.has_tag_name("updated")).unwrap().text().unwrap()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "newest first: {updated:?}");
    for e in &entries {
        let id = e.children().find(|c| c.has_tag_name("id")).unwrap().text().unwrap();
        assert!(
            id.starts_with("urn:charted:example.github.io/team-roadmap/"),
            "a stable name, not the permalink: {id}"
        );
        assert!(e.children().any(|c| c.has_tag_name("title")));
    }

    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    for expected in ["", "pain/", "roadmap/", "charter/", "pain/slow-pr-builds/", "solutions/remote-build-cache/"] {
        assert!(locs.contains(&format!("{SUB}{expected}").as_str()), "sitemap lacks {expected}: {locs:#?}");
    }
    assert!(!locs.iter().any(|l| l.contains("404") || l.contains("slow-ci-builds")), "no 404 page or redirects");
    let _ = site;
}

#[test]
fn every_item_has_a_well_formed_svg_badge() {
    let (_site, out) = build_example(Some(SUB), false);
    let items = items_json(&out);
    for item in items["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let svg = fs::read_to_string(out.join(format!("badges/{id}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{id}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root.children().find(|n| n.has_tag_name("title")).unwrap().text().unwrap();
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert_eq!(title, texts.join(": "), "{id}");
        let expected = item["validation"].as_str().or(item["status"].as_str());
        match (item["kind"].as_str(), expected) {
            // A pain's badge carries its rank and whether anything covers it.
            (Some("pain"), Some(status)) => {
                let (rank, state) = texts[1].split_once(" · ").unwrap_or_else(|| panic!("{id}: {}", texts[1]));
                assert_eq!(rank, format!("#{}", item["rank"]), "{id}");
                let states: &[&str] = match status {
                    "open" | "mitigated" => &["covered", "uncovered"],
                    other => &[other],
                };
                assert!(states.contains(&state), "{id}: {state}");
            }
            // A running experiment past its end says so.
            (Some("experiment"), Some("running")) => assert!(["running", "overdue"].contains(&texts[1]), "{id}"),
            (_, Some(state)) => assert_eq!(texts[1], state, "{id}"),
            _ => {}
        }
    }
    // The item page shows the badge and how to embed it.
    let page = fs::read_to_string(out.join("pain/slow-pr-builds/index.html")).unwrap();
    assert!(
        page.contains(&format!(
            "[![Pull-request builds take 38 minutes at p95]({SUB}badges/slow-pr-builds.svg)]({SUB}pain/slow-pr-builds/)"
        )),
        "markdown snippet"
    );
    assert!(page.contains(&format!("&lt;img src=\"{SUB}badges/slow-pr-builds.svg\"")), "html snippet");
}

#[test]
fn an_alias_leaves_a_redirect_page_at_the_old_url() {
    let site =
        Site::new().file("content/pain/faster-ci.md", "---\ntitle: Faster CI\naliases: [slow-ci]\n---\nBody.\n").file(
            "content/solutions/cache.md",
            "---\ntitle: Cache\naddresses: [{pain: faster-ci, how: address}]\n---\nSee [[faster-ci]].\n",
        );
    let out = site.run(&["build", site.path().to_str().unwrap(), "--base-url", SUB]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = Html::parse_document(&site.read_out("pain/slow-ci/index.html"));
    let refresh = Selector::parse("meta[http-equiv=refresh]").unwrap();
    let content = html.select(&refresh).next().unwrap().value().attr("content").unwrap();
    assert_eq!(content, "0; url=../faster-ci/index.html");
    let canonical = Selector::parse("link[rel=canonical]").unwrap();
    assert_eq!(html.select(&canonical).next().unwrap().value().attr("href"), Some(&*format!("{SUB}pain/faster-ci/")));
    let a = Selector::parse("body a").unwrap();
    assert_eq!(html.select(&a).next().unwrap().value().attr("href"), Some("../faster-ci/index.html"));
    // The redirect leads to the page: the path it names exists.
    assert!(site.out().join("pain/slow-ci/../faster-ci/index.html").is_file());
}

#[test]
fn a_broken_link_in_the_output_fails_the_build_and_keeps_the_last_output() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\n---\nNo diagram yet.\n");
    assert!(site.run(&["build", site.path().to_str().unwrap()]).status.success());
    let last_good = common::snapshot_tree(&site.out());
    site.write("content/pain/a.md", "---\ntitle: A\n---\nSee [the diagram](../../images/flow.png).\n");
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken-output-link"), "{stderr}");
    assert!(stderr.contains("the page `pain/a/index.html` links to `../../images/flow.png`"), "{stderr}");
    assert!(stderr.contains("there is no `images/flow.png` in the output"), "{stderr}");
    assert!(stderr.contains("content/pain/a.md"), "names the source file: {stderr}");
    assert_eq!(common::snapshot_tree(&site.out()), last_good, "the last good output is untouched");
    // With the image in static/, the same link resolves.
    site.write("static/images/flow.png", "png");
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn github_pages_files_and_no_feed_without_a_host() {
    let site = Site::new()
        .file("charted.yaml", "title: T\nbase_url: https://acme.github.io/roadmap\ncname: Roadmap.Acme.dev\n");
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.out().join(".nojekyll").is_file());
    assert_eq!(site.read_out("CNAME"), "roadmap.acme.dev\n");
    assert!(site.out().join("feed.xml").is_file() && site.out().join("sitemap.xml").is_file());
    let index = site.read_out("index.html");
    assert!(index.contains(r#"<link rel="canonical" href="https://acme.github.io/roadmap/">"#), "{index}");
    assert!(index.contains(r#"<meta property="og:url" content="https://acme.github.io/roadmap/">"#));
    assert!(index.contains(r#"<meta name="description""#) && index.contains(r#"<meta property="og:title""#));

    let local = Site::new();
    let out = local.run(&["build", local.path().to_str().unwrap()]);
    assert!(out.status.success());
    assert!(!local.out().join("feed.xml").exists(), "a feed needs absolute URLs");
    assert!(!local.out().join("CNAME").exists());
    assert!(!local.read_out("index.html").contains("application/atom+xml"));

    let bad = Site::new().file("charted.yaml", "title: T\ncname: https://roadmap.acme.dev/\n");
    let diags = common::brief(&bad.check());
    assert!(
        diags.iter().any(|d| d.starts_with("charted.yaml:2:8 `cname` is `https://roadmap.acme.dev/`")),
        "{diags:?}"
    );
}

#[test]
fn check_prints_github_annotations() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\nseverity: 9\n---\nSee [[nowhere]].\n");
    let out = site.run(&["check", site.path().to_str().unwrap(), "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let prefix = site.path().join("content/pain/a.md").to_string_lossy().into_owned();
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("::error file={prefix},line=5,col=5,title=charted broken-link::"))
            && l.contains("%0Ahelp: ")),
        "{stdout}"
    );
    assert!(lines.iter().all(|l| !l.contains('\n')));
}

#[test]
fn the_init_workflow_checks_then_builds_and_deploys_with_the_official_actions() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-team");
    charted::init(&site).unwrap();
    let workflow = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    for needle in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
        "actions/cache@",
    ] {
        assert!(workflow.contains(needle), "{needle}");
    }
    let check = workflow.find("charted check").expect("runs charted check");
    let build = workflow.find("charted build").expect("runs charted build");
    assert!(check < build, "check runs before build");
    assert_eq!(workflow.matches("CHARTED_VERSION:").count(), 1, "the version is named once");
    // As a new user would: init, then build for the Pages address; the link check passed.
    let report = charted::build(&BuildOptions {
        site: site.clone(),
        base_url: Some("https://acme.github.io/my-team/".into()),
        clean_urls: true,
        today: Some(today()),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    check_served(&site.join("public"), "https://acme.github.io/my-team/");
}

/// The site workflow `init` writes, parsed.
fn init_workflow(site: &Path) -> (String, serde_json::Value) {
    charted::init(site).unwrap();
    let text = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let yaml: serde_json::Value = serde_saphyr::from_str(&text).expect("the workflow is valid YAML");
    (text, yaml)
}

#[test]
fn the_init_workflow_names_cargo_tomls_repository_and_version_and_no_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let (text, yaml) = init_workflow(&dir.path().join("site"));
    for placeholder in ["OWNER", "@CHARTED_", "@INSTALL_SCRIPT@"] {
        assert!(!text.contains(placeholder), "{placeholder} left in:\n{text}");
    }
    // No file of the new site names a placeholder either.
    for (file, bytes) in common::snapshot_tree(&dir.path().join("site")) {
        let content = String::from_utf8_lossy(&bytes);
        for placeholder in ["OWNER", "@CHARTED_"] {
            assert!(!content.contains(placeholder), "{placeholder} left in {file}:\n{content}");
        }
    }
    let config = fs::read_to_string(dir.path().join("site/charted.yaml")).unwrap();
    let reference =
        format!("{}/blob/v{}/docs/reference/config.md", env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_VERSION"));
    assert!(config.contains(&reference), "{config}");
    assert_eq!(env!("CARGO_PKG_REPOSITORY"), "https://github.com/charted-ssg/charted");
    assert_eq!(yaml["env"]["CHARTED_REPOSITORY"], env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(yaml["env"]["CHARTED_VERSION"], env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&format!("Written by charted {}", env!("CARGO_PKG_VERSION"))));
    // Nothing expands a `${{ }}` expression inside a shell script: values come through `env:`.
    for job in yaml["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            let run = step["run"].as_str().unwrap_or("");
            assert!(!run.contains("${{"), "an expression inside run: {run}");
        }
    }
    let install = yaml["jobs"]["build"]["steps"].as_array().unwrap().iter().find(|s| s["name"] == "Install charted");
    assert_eq!(install.unwrap()["run"], charted::INSTALL_SCRIPT, "the script is indented in whole");
    // Least privilege: only the deploy job may write to Pages or mint an OIDC token.
    assert_eq!(yaml["permissions"], serde_json::json!({ "contents": "read" }));
    assert_eq!(yaml["jobs"]["deploy"]["permissions"], serde_json::json!({ "pages": "write", "id-token": "write" }));
    assert_eq!(yaml["jobs"]["build"]["permissions"], serde_json::json!({ "contents": "read", "pages": "read" }));
}

#[test]
fn the_init_workflow_checks_pull_requests_and_deploys_only_main() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yaml) = init_workflow(&dir.path().join("site"));
    assert!(yaml["on"].get("pull_request").is_some(), "runs on pull requests");
    assert_eq!(yaml["on"]["push"]["branches"], serde_json::json!(["main"]));
    let steps = yaml["jobs"]["build"]["steps"].as_array().unwrap();
    let not_on_prs = serde_json::json!("github.event_name != 'pull_request'");
    for step in steps {
        let what = serde_json::to_string(step).unwrap();
        if what.contains("charted check") {
            assert!(step["if"].is_null(), "check runs on pull requests too");
        } else if what.contains("charted build") || what.contains("pages-artifact") || what.contains("configure-pages")
        {
            assert_eq!(step["if"], not_on_prs, "{what}");
        }
    }
    assert_eq!(yaml["jobs"]["deploy"]["if"], not_on_prs);
    assert_eq!(yaml["jobs"]["deploy"]["needs"], "build");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0, "the whole history is fetched");
    let upload =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.contains("upload-pages-artifact"))).unwrap();
    assert_eq!(upload["with"]["include-hidden-files"], true, ".well-known/ ships");
    let build = steps.iter().find(|s| s["run"].as_str().is_some_and(|r| r.contains("charted build"))).unwrap();
    assert_eq!(build["env"]["BASE_URL"], "${{ steps.pages.outputs.base_url }}");
    let highlights =
        steps.iter().find(|s| s["with"]["path"] == "~/.cache/charted").expect("the highlight cache is kept");
    assert_eq!(highlights["with"]["restore-keys"], "charted-highlights-");
}

/// The release target `install.sh` picks on this machine, as release.yml names it.
fn release_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-gnu"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-gnu"),
        ("macos", "x86_64") => Some("x86_64-apple-darwin"),
        ("macos", "aarch64") => Some("aarch64-apple-darwin"),
        _ => None,
    }
}

fn run_ok(cmd: &mut std::process::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A release-shaped folder, as release.yml uploads it: `charted-<target>.tar.gz`
/// holding the freshly built binary at its root, and `charted-<target>.sha256`.
fn release_assets(dir: &Path, target: &str, checksum: Option<&str>) {
    let staging = dir.join("staging");
    fs::create_dir_all(&staging).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_charted"), staging.join("charted")).unwrap();
    let tar = dir.join(format!("charted-{target}.tar"));
    run_ok(std::process::Command::new("tar").arg("-cf").arg(&tar).arg("-C").arg(&staging).arg("charted"));
    run_ok(std::process::Command::new("gzip").arg("-1").arg(&tar));
    let archive = format!("charted-{target}.tar.gz");
    let sum = run_ok(
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("sha256sum {archive} 2>/dev/null || shasum -a 256 {archive}"))
            .current_dir(dir),
    );
    let line = match checksum {
        Some(wrong) => format!("{wrong}  {archive}\n"),
        None => String::from_utf8(sum.stdout).unwrap(),
    };
    fs::write(dir.join(format!("charted-{target}.sha256")), line).unwrap();
}

/// Runs the workflow's install step as the runner would (bash, the workflow's
/// `env:`), downloading from `base`, into `root/bin`; `cargo` on its PATH only
/// records that it was called. Returns the output and how long it took.
fn run_install_step(yaml: &serde_json::Value, root: &Path, base: &str) -> (std::process::Output, std::time::Duration) {
    let steps = yaml["jobs"]["build"]["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["name"] == "Install charted").expect("an install step");
    assert_eq!(step["shell"], "bash");
    let script = step["run"].as_str().unwrap();
    let fake_bin = root.join("fake-bin");
    fs::create_dir_all(&fake_bin).unwrap();
    let cargo = fake_bin.join("cargo");
    fs::write(&cargo, format!("#!/bin/sh\necho \"$@\" > '{}'\nexit 1\n", root.join("cargo-args").display())).unwrap();
    run_ok(std::process::Command::new("chmod").arg("+x").arg(&cargo));
    let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c").arg(script).env("PATH", path).env("HOME", root).env("GITHUB_PATH", root.join("github-path"));
    for (key, value) in yaml["env"].as_object().unwrap() {
        cmd.env(key, value.as_str().unwrap());
    }
    cmd.env("CHARTED_DOWNLOAD_BASE", base).env("CHARTED_INSTALL_DIR", root.join("bin"));
    let started = std::time::Instant::now();
    let out = cmd.output().unwrap();
    (out, started.elapsed())
}

#[test]
fn the_init_workflow_installs_a_verified_release_binary_in_seconds() {
    let Some(target) = release_target() else { return eprintln!("no release target for this machine; skipped") };
    let dir = tempfile::tempdir().unwrap();
    let (_, yaml) = init_workflow(&dir.path().join("site"));
    let release = dir.path().join("release");
    release_assets(&release, target, None);
    let server = Server::start(&release, "/download/v0.1.0/");
    let root = dir.path().join("runner");
    let (out, took) = run_install_step(&yaml, &root, server.base().trim_end_matches('/'));
    let log = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    eprintln!("install step took {took:?}:\n{log}");
    assert!(out.status.success(), "{log}");
    assert!(log.contains("checksum verified"), "{log}");
    assert!(!root.join("cargo-args").exists(), "no fallback to cargo: {log}");
    assert!(took < std::time::Duration::from_secs(10), "the install took {took:?}");
    let installed = root.join("bin/charted");
    let version = run_ok(std::process::Command::new(&installed).arg("--version"));
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("charted {}", env!("CARGO_PKG_VERSION")));
    let github_path = fs::read_to_string(root.join("github-path")).unwrap();
    assert_eq!(github_path.trim(), root.join("bin").to_string_lossy());
    // A second run, its binary restored from the cache, downloads nothing.
    drop(server);
    let (again, _) = run_install_step(&yaml, &root, "http://127.0.0.1:9/nothing-here");
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("downloading"));
}

#[test]
fn the_install_step_refuses_a_binary_whose_checksum_is_wrong() {
    let Some(target) = release_target() else { return eprintln!("no release target for this machine; skipped") };
    let dir = tempfile::tempdir().unwrap();
    let (_, yaml) = init_workflow(&dir.path().join("site"));
    let release = dir.path().join("release");
    release_assets(&release, target, Some(&"0".repeat(64)));
    let server = Server::start(&release, "/r/");
    let root = dir.path().join("runner");
    let (out, _) = run_install_step(&yaml, &root, server.base().trim_end_matches('/'));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("::error::charted: checksum mismatch"), "{stdout}");
    assert!(!root.join("bin/charted").exists(), "an unverified binary was installed");
    assert!(!root.join("cargo-args").exists(), "a wrong checksum is not a reason to build from source");
    assert!(!root.join("github-path").exists());
}

#[test]
fn without_a_release_binary_the_install_step_says_so_and_compiles_the_tag() {
    let dir = tempfile::tempdir().unwrap();
    let (_, yaml) = init_workflow(&dir.path().join("site"));
    let empty = dir.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let server = Server::start(&empty, "/r/");
    let root = dir.path().join("runner");
    let (out, _) = run_install_step(&yaml, &root, server.base().trim_end_matches('/'));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The fake cargo fails, so the step fails; what matters is what it ran.
    assert!(!out.status.success());
    assert!(stdout.contains("::warning::charted:") && stdout.contains("compiling charted"), "{stdout}");
    let args = fs::read_to_string(root.join("cargo-args")).expect("fell back to cargo install");
    let expected = format!("--git {} --tag v{} charted", env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_VERSION"));
    assert!(args.starts_with("install --locked --root ") && args.trim_end().ends_with(&expected), "{args}");
    assert!(!root.join("bin/charted").exists());
}

#[test]
fn the_composite_action_installs_with_the_same_script_and_checks_then_builds_and_uploads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action: serde_json::Value =
        serde_saphyr::from_str(&fs::read_to_string(root.join("action.yml")).unwrap()).expect("action.yml is YAML");
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["version", "site", "base-url", "check", "upload"] {
        assert!(action["inputs"].get(input).is_some(), "input {input}");
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().all(|r| !r.contains("${{")), "values reach scripts through env:");
    assert!(runs.contains(&r#"bash "$GITHUB_ACTION_PATH/src/scaffold/install.sh""#));
    assert!(root.join("src/scaffold/install.sh").is_file());
    let position = |needle: &str| runs.iter().position(|r| r.contains(needle)).expect(needle);
    assert!(
        position("install.sh") < position("charted check") && position("charted check") < position("charted build")
    );
    let upload =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@")));
    assert_eq!(upload.unwrap()["with"]["include-hidden-files"], true);
}

#[test]
fn the_release_assets_are_named_alike_by_the_release_workflow_binstall_and_the_install_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(&format!("target: {target}\n")), "release.yml builds {target}");
        assert!(release.contains(&format!("#   charted-{target}.")), "release.yml's header names {target}'s assets");
        assert!(charted::INSTALL_SCRIPT.contains(&format!("target={target} ")), "install.sh picks {target}");
    }
    assert!(release.contains("archive: charted-$target\n") && release.contains("checksum: sha256\n"));
    let script = charted::INSTALL_SCRIPT;
    assert!(script.contains(r#"archive="charted-$target.$ext""#) && script.contains("charted-$target.sha256"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        manifest
            .contains(r#"pkg-url = "{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }""#)
    );
}

/// `Site::new()`'s config plus `extra` lines.
fn site_with(extra: &str) -> Site {
    Site::with_config(&format!(
        "title: Test site\nwarnings:\n  no-evidence: false\n  uncovered-pain: false\n  covers-nothing: false\n  discovery-gap: false\n{extra}"
    ))
}

/// Builds `site` with the real binary and `--base-url`, failing the test on errors.
fn build_at(site: &Site, base_url: &str) {
    let out = site.run(&["build", site.path().to_str().unwrap(), "--base-url", base_url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn robots_meta(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("meta[name=robots]").unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("content")).map(str::to_string).collect()
}

#[test]
fn noindex_marks_every_page_and_disallows_all_in_robots_txt() {
    let site = site_with("noindex: true\n")
        .file("content/pain/faster-ci.md", "---\ntitle: Faster CI\naliases: [slow-ci]\n---\nBody.\n");
    build_at(&site, ROOT);
    assert_eq!(site.read_out("robots.txt"), "User-agent: *\nDisallow: /\n");
    let pages: Vec<String> = files(&site.out()).into_iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() > 5);
    for page in pages {
        assert_eq!(robots_meta(&site.read_out(&page)), ["noindex"], "{page}");
    }
}

#[test]
fn without_noindex_pages_have_no_robots_tag_and_there_is_no_robots_txt() {
    let site = site_with("noindex: false\n").file("content/pain/a.md", "---\ntitle: A\n---\nBody.\n");
    build_at(&site, ROOT);
    assert!(!site.out().join("robots.txt").exists());
    for page in ["index.html", "pain/a/index.html", "404.html"] {
        assert!(robots_meta(&site.read_out(page)).is_empty(), "{page}");
    }
    // A site's own robots.txt is kept.
    site.write("static/robots.txt", "User-agent: *\nAllow: /\n");
    build_at(&site, ROOT);
    assert_eq!(site.read_out("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn init_writes_noindex_on() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("team");
    charted::init(&site).unwrap();
    let config = fs::read_to_string(site.join("charted.yaml")).unwrap();
    assert!(config.lines().any(|l| l == "noindex: true"), "{config}");
    let report =
        charted::build(&BuildOptions { site: site.clone(), today: Some(today()), ..BuildOptions::default() }).unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    assert!(site.join("public/robots.txt").is_file());
}

#[test]
fn a_redirect_keeps_the_fragment_with_a_script_and_passes_the_link_check() {
    for clean in [false, true] {
        let site = site_with(&format!("clean_urls: {clean}\n"))
            .file("content/pain/faster-ci.md", "---\ntitle: Faster CI\naliases: [slow-ci]\n---\n## Numbers\n")
            .file(
                "content/pain/other.md",
                "---\ntitle: Other\n---\nSee [the old page](../../pain/slow-ci/) and [its numbers](../../pain/slow-ci/#numbers).\n",
            );
        // The build's link check follows the old URL, and the redirect's refresh and link;
        // a `#fragment` of the old URL is judged on the page the redirect leads to.
        build_at(&site, SUB);
        let page = site.read_out("pain/slow-ci/index.html");
        let target = if clean { "../faster-ci/" } else { "../faster-ci/index.html" };
        let script = format!("<script>location.replace(\"{target}\" + location.hash);</script>");
        assert!(page.contains(&script), "{page}");
        let refresh = format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">");
        assert!(page.find(&script) < page.find(&refresh), "the script runs before the refresh: {page}");
        assert!(page.contains(&format!("<a href=\"{target}\">Faster CI</a>")), "{page}");
        site.write("content/pain/other.md", "---\ntitle: Other\n---\nSee [gone](../../pain/slow-ci/#gone).\n");
        let report = charted::check(site.path(), false, Some(today())).unwrap();
        let broken: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "broken-output-link").collect();
        assert_eq!(broken.len(), 1, "{}", report.render_text());
        assert!(broken[0].message.contains("has no element with id `gone`"), "{}", broken[0].message);
    }
}

/// The entry ids of `feed.xml`, by entry link.
fn feed_ids(site: &Site) -> HashMap<String, String> {
    let feed = site.read_out("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| e.children().find(|c| c.has_tag_name(name)).unwrap();
            (child("link").attribute("href").unwrap().to_string(), child("id").text().unwrap().to_string())
        })
        .collect()
}

#[test]
fn a_feed_entry_keeps_its_id_across_renames() {
    let site = Site::new().file("content/pain/slow-ci.md", "---\ntitle: Slow CI\ndate: 2026-01-05\n---\nBody.\n");
    build_at(&site, SUB);
    let before = feed_ids(&site)[&format!("{SUB}pain/slow-ci/")].clone();
    assert_eq!(before, "urn:charted:example.github.io/team-roadmap/pain:slow-ci");
    // Renamed as `charted mv` does: the old id becomes an alias, and another rename appends.
    fs::remove_file(site.path().join("content/pain/slow-ci.md")).unwrap();
    for (file, aliases) in [("faster-ci", "[slow-ci]"), ("fast-ci", "[slow-ci, faster-ci]")] {
        let _ = fs::remove_file(site.path().join("content/pain/faster-ci.md"));
        site.write(
            &format!("content/pain/{file}.md"),
            &format!("---\ntitle: Slow CI\ndate: 2026-01-05\naliases: {aliases}\n---\nBody.\n"),
        );
        build_at(&site, SUB);
        let ids = feed_ids(&site);
        assert_eq!(ids[&format!("{SUB}pain/{file}/")], before, "{ids:?}");
    }
}

#[test]
fn the_feed_holds_the_newest_feed_limit_entries() {
    let dated = |site: Site| {
        (1..=4).fold(site, |s, n| {
            s.file(&format!("content/pain/p{n}.md"), &format!("---\ntitle: P{n}\ndate: 2026-01-0{n}\n---\nBody.\n"))
        })
    };
    let site = dated(site_with("feed_limit: 2\n"));
    build_at(&site, SUB);
    let mut links: Vec<String> = feed_ids(&site).into_keys().collect();
    links.sort();
    assert_eq!(links, [format!("{SUB}pain/p3/"), format!("{SUB}pain/p4/")]);
    let all = dated(site_with("feed_limit: 0\n"));
    build_at(&all, SUB);
    assert_eq!(feed_ids(&all).len(), 4);
    let default = dated(Site::new());
    build_at(&default, SUB);
    assert_eq!(feed_ids(&default).len(), 4, "the default (50) holds every entry of a small site");
}

#[test]
fn characters_xml_forbids_never_reach_the_feed_or_the_sitemap() {
    let site = Site::with_config(
        "title: \"Team \\x01 site\\uFFFE\"\ndescription: \"Says \\x1f hi\"\nwarnings:\n  no-evidence: false\n",
    )
    .file(
        "content/pain/a.md",
        "---\ntitle: \"Bad \\x01 title\\x0b\"\nsummary: \"Tab\\tand \\x08 bell\"\ndate: 2026-01-05\nowner: \"Ann \\x02\"\n---\nBody.\n",
    );
    build_at(&site, SUB);
    for file in ["feed.xml", "sitemap.xml"] {
        let text = site.read_out(file);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not well-formed: {e}"));
        assert!(doc.descendants().count() > 5);
    }
    let feed = site.read_out("feed.xml");
    assert!(feed.contains("<title>Pain: Bad  title</title>"), "{feed}");
    assert!(feed.contains("<summary>Tab\tand  bell</summary>"), "{feed}");
    assert!(feed.contains("<title>Team  site</title>"), "{feed}");
}

/// The `content` of each `<meta property|name=…>` of a page.
fn metas(html: &str) -> HashMap<String, String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("meta[content]").unwrap();
    doc.select(&sel)
        .filter_map(|e| {
            let key = e.value().attr("property").or(e.value().attr("name"))?;
            Some((key.to_string(), e.value().attr("content")?.to_string()))
        })
        .collect()
}

#[test]
fn every_page_has_a_preview_card_when_the_site_has_a_host() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\n---\nBody.\n");
    build_at(&site, SUB);
    let card = fs::read(site.out().join("card.png")).unwrap();
    assert!(card.starts_with(b"\x89PNG") && card.len() < 60_000, "{} bytes", card.len());
    for page in ["index.html", "pain/a/index.html", "pain/index.html", "404.html"] {
        let m = metas(&site.read_out(page));
        assert_eq!(m["og:image"], format!("{SUB}card.png"), "{page}");
        assert_eq!((m["og:image:width"].as_str(), m["og:image:height"].as_str()), ("1200", "630"), "{page}");
        assert!(!m["og:image:alt"].is_empty(), "{page}");
        assert_eq!(m["twitter:card"], "summary_large_image", "{page}");
    }
    // Without a host no absolute image URL can be made: the small card, no image.
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert!(out.status.success());
    let m = metas(&site.read_out("pain/a/index.html"));
    assert_eq!(m["twitter:card"], "summary");
    assert!(!m.contains_key("og:image"));
}

/// A PNG header of the given size (all a card needs to be read).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0]);
    bytes
}

#[test]
fn a_site_replaces_the_card_with_static_card_png_or_card_image() {
    let site = Site::new();
    fs::create_dir_all(site.path().join("static/img")).unwrap();
    fs::write(site.path().join("static/card.png"), png(800, 418)).unwrap();
    build_at(&site, SUB);
    let m = metas(&site.read_out("index.html"));
    assert_eq!(m["og:image"], format!("{SUB}card.png"));
    assert_eq!((m["og:image:width"].as_str(), m["og:image:height"].as_str()), ("800", "418"));
    assert_eq!(m["og:image:alt"], "Test site", "a site's own card is described by its title");

    let site = site_with("card_image: /img/team.jpg\n");
    site.write("static/img/team.jpg", "not a png");
    build_at(&site, SUB);
    let m = metas(&site.read_out("index.html"));
    assert_eq!(m["og:image"], format!("{SUB}img/team.jpg"));
    assert!(!m.contains_key("og:image:width"), "the size of a JPEG is not read");

    let missing = site_with("card_image: img/nope.png\n");
    let out = missing.run(&["build", missing.path().to_str().unwrap(), "--base-url", SUB]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing-card-image") && stderr.contains("static/img/nope.png"), "{stderr}");
}

#[test]
fn items_json_names_its_schema_which_ships_and_matches_the_docs() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\n---\nBody.\n");
    build_at(&site, SUB);
    let json = site.read_out("items.json");
    assert!(json.starts_with(&format!("{{\n  \"$schema\": \"{SUB}items.schema.json\",\n")), "{json}");
    let shipped = site.read_out("items.schema.json");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/items.schema.json");
    if std::env::var_os("CHARTED_BLESS").is_some() {
        fs::write(&docs, &shipped).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&docs).unwrap(),
        shipped,
        "docs/items.schema.json differs from the generated schema (CHARTED_BLESS=1 cargo test --test suite publish:: items_json_names rewrites it)"
    );
    // The schema validates the file that names it.
    let schema: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&json));
    assert!(schema["$defs"]["ItemJson"]["properties"]["rank"]["description"].is_string(), "doc comments kept");
    // Without a host, the schema is named relative to items.json.
    assert!(site.run(&["build", site.path().to_str().unwrap()]).status.success());
    assert!(site.read_out("items.json").starts_with("{\n  \"$schema\": \"items.schema.json\",\n"));
}

#[test]
fn each_badge_has_a_shields_endpoint_json_with_the_same_words() {
    let (_site, out) = build_example(Some(SUB), false);
    let items = items_json(&out);
    for item in items["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let svg = fs::read_to_string(out.join(format!("badges/{id}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        let fills: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("rect")).filter_map(|n| n.attribute("fill")).collect();
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out.join(format!("badges/{id}.json"))).unwrap()).unwrap();
        assert_eq!(json["schemaVersion"], 1, "{id}");
        assert_eq!([json["label"].as_str().unwrap(), json["message"].as_str().unwrap()], texts[..], "{id}");
        let colour = |key: &str| format!("#{}", json[key].as_str().unwrap());
        assert_eq!([colour("labelColor"), colour("color")], fills[..], "{id}");
    }
    let page = fs::read_to_string(out.join("pain/slow-pr-builds/index.html")).unwrap();
    let endpoint = "https://img.shields.io/endpoint?url=https%3A%2F%2Fexample.github.io%2Fteam-roadmap%2Fbadges%2Fslow-pr-builds.json";
    assert!(page.contains(&format!("({endpoint})")), "shields.io snippet");
}

#[test]
fn no_shields_snippet_without_a_host() {
    let site = Site::new().file("content/pain/a.md", "---\ntitle: A\n---\nBody.\n");
    site.build();
    assert!(!site.read_out("pain/a/index.html").contains("img.shields.io"));
    assert!(site.out().join("badges/a.json").is_file(), "the JSON is still there, for a host added later");
}

//! A portfolio whose teams come three ways (`tests/fixtures/portfolio/`):
//! CI by its site folder, Data by the items.json file its own build wrote,
//! and Web by its items.json served over HTTP from a server in the test.
//! Web's edge cache addresses CI's `ci:slow-builds`: the org dashboard shows
//! it on CI's pain, a wrong id is an error where it was written, and Web's
//! own build, without CI, links to CI's published site. Teams that name each
//! other as `neighbours:` read each other's published items: CI's own pain
//! page shows Web's solution.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

/// A copy of the fixture, and a cache folder of its own for fetched copies.
struct Org {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio"), dir.path());
        Org { dir, cache: tempfile::tempdir().unwrap() }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `charted ARGS` with today fixed and this org's cache folder.
    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_charted"))
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("CHARTED_CACHE_DIR", self.cache.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Builds team `team`'s own site into `<team>/public`: its items.json.
    fn publish(&self, team: &str) -> PathBuf {
        let site = self.path(team);
        let out = self.run(&["build", site.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        site.join("public/items.json")
    }

    /// The org's `portfolio:` replaced by `entries`.
    fn portfolio(&self, entries: &str) {
        let config = self.path("org/charted.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        let start = text.find("portfolio:\n").unwrap();
        let end = text.find("portfolio_limits:").unwrap();
        std::fs::write(&config, format!("{}portfolio:\n{entries}{}", &text[..start], &text[end..])).unwrap();
    }

    /// Web's edge-cache solution with `from` replaced by `to` (in its original text).
    fn edit_edge_cache(&self, from: &str, to: &str) {
        let solution = self.path("web/content/solutions/edge-cache.md");
        let original =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio/web/content/solutions/edge-cache.md");
        std::fs::write(solution, read(original).replace(from, to)).unwrap();
    }

    fn build_org(&self, out: &str) -> Output {
        self.run(&["build", self.path("org").to_str().unwrap(), "--out", self.path(out).to_str().unwrap()])
    }
}

/// 2026-11-30, 00:00 UTC, as seconds since the epoch.
const EPOCH: &str = "1795996800";

/// Serves `body` at every path of a local address until the test ends; its URL.
fn serve(body: Vec<u8>) -> String {
    serve_times(body, usize::MAX)
}

/// Serves `body` to the first `times` requests, then stops listening; its URL.
fn serve_times(body: Vec<u8>, times: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/web/items.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(times) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    url
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The three ways in one portfolio: CI by path, Data by file, Web by URL.
fn three_ways(org: &Org) -> String {
    let data = org.publish("data");
    let web = serve(std::fs::read(org.publish("web")).unwrap());
    let entries = format!(
        "  - team: ci\n    path: ../ci\n  - team: data\n    items: {}\n  - team: web\n    items: {web}\n    name: Web Experience\n",
        data.display()
    );
    org.portfolio(&entries);
    web
}

#[test]
fn teams_read_from_their_items_json_show_as_teams_read_from_their_folders() {
    let org = Org::new();
    let by_path = org.build_org("by-path");
    assert!(by_path.status.success(), "{}", stderr(&by_path));
    three_ways(&org);
    let mixed = org.build_org("mixed");
    assert!(mixed.status.success(), "{}", stderr(&mixed));
    for page in ["org/index.html", "org/roadmap/index.html", "org/discovery/index.html", "org/users/index.html"] {
        assert_eq!(
            read(org.path("by-path").join(page)),
            read(org.path("mixed").join(page)),
            "{page}: a team's published items give the figures its folder gives"
        );
    }
    let dashboard = read(org.path("mixed/org/index.html"));
    assert!(dashboard.contains("<strong>100/0</strong> planned, target 100/0"), "Data, from its items.json file");
    assert!(dashboard.contains("<strong>33.3/66.7</strong> planned, target 60/40"), "Web, from its URL");
    assert!(dashboard.contains("57.9% immediate"), "the organisation's split over all three");
    // All three teams asked Checkout in 2026-Q3; the portfolio allows two askers.
    let warnings = stderr(&mixed);
    assert!(
        warnings.contains("warning[discovery-fatigue]: 3 teams asked Checkout for discovery time in 2026-Q3 (CI, Data Platform, Web Experience)"),
        "{warnings}"
    );
    assert!(read(org.path("mixed/org/discovery/index.html")).contains("Checkout"));
}

#[test]
fn a_solution_of_one_team_shows_on_the_pain_of_another_it_addresses() {
    let org = Org::new();
    three_ways(&org);
    let out = org.build_org("public");
    assert!(out.status.success(), "{}", stderr(&out));
    let dashboard = read(org.path("public/org/index.html"));
    // CI's top pain lists Web's solution, read from Web's items.json over HTTP.
    let ci = &dashboard[dashboard.find(r#"id="team-ci""#).unwrap()..dashboard.find(r#"id="team-data""#).unwrap()];
    assert!(ci.contains("Addressed by Web Experience's Cache pages at the edge"), "{ci}");
    // The across-teams table: Web's solution names CI's pain, linked to CI's site.
    assert!(dashboard.contains("Across teams"));
    // Named in its front matter and its body: one row.
    assert!(
        dashboard.contains(r#"Web Experience: Cache pages at the edge</td><td><code>addresses</code>, <code>body</code></td><td>CI: <a href="https://acme.example/ci/pain/slow-builds/">Pull-request builds take 40 minutes</a>"#),
        "{dashboard}"
    );
    assert_eq!(dashboard.matches("Web Experience: Cache pages at the edge</td>").count(), 1);
}

#[test]
fn a_dangling_reference_to_another_team_fails_the_portfolio_where_it_was_written() {
    let org = Org::new();
    let first = org.build_org("public");
    assert!(first.status.success(), "{}", stderr(&first));
    let before = read(org.path("public/org/index.html"));
    org.edit_edge_cache("pain: ci:slow-builds", "pain: ci:slow-build");
    let out = org.build_org("public");
    assert_eq!(out.status.code(), Some(1), "a dangling cross-team reference is an error");
    let err = stderr(&out);
    assert!(
        err.contains("error[dangling-reference]: `addresses` of `edge-cache` names `ci:slow-build`, but CI has no pain with that id"),
        "{err}"
    );
    assert!(err.contains("--> ../web/content/solutions/edge-cache.md:6:11"), "{err}");
    assert!(err.contains("6 |   - pain: ci:slow-build"), "the line is quoted from the team's file: {err}");
    assert!(err.contains("did you mean `slow-builds`?"), "{err}");
    assert_eq!(read(org.path("public/org/index.html")), before, "the last good output is kept");

    // A team the portfolio does not list, from a team read by its items.json:
    // the error is at the entry, naming the item.
    org.edit_edge_cache("pain: ci:slow-builds", "pain: ops:slow-builds");
    let web = org.publish("web");
    org.portfolio(&format!(
        "  - team: ci\n    path: ../ci\n  - team: data\n    path: ../data\n  - team: web\n    items: {}\n",
        web.display()
    ));
    let err = stderr(&org.build_org("public"));
    assert!(
        err.contains("error[dangling-reference]: `addresses` of `edge-cache` names the team `ops`, which the portfolio does not list"),
        "{err}"
    );
    assert!(err.contains("--> charted.yaml:10:12"), "at the entry's `items:`: {err}");
}

#[test]
fn a_teams_own_build_links_another_teams_item_to_its_published_site() {
    let org = Org::new();
    // Web builds alone: CI is not there, and that is no error.
    let out = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
    let page = read(org.path("web/public/solutions/edge-cache/index.html"));
    assert!(
        page.contains(r#"<a href="https://acme.example/ci/pain/slow-builds/" rel="external">ci:slow-builds</a>"#),
        "the front-matter reference links to CI's pain on CI's site: {page}"
    );
    assert!(page.contains(r#"shortens <a href="https://acme.example/ci/">ci:slow-builds</a>"#), "{page}");
    let items: serde_json::Value = serde_json::from_str(&read(org.path("web/public/items.json"))).unwrap();
    let edge = items["items"].as_array().unwrap().iter().find(|i| i["id"] == "edge-cache").unwrap();
    assert_eq!(
        edge["team_references"],
        serde_json::json!([
            {"field": "addresses", "team": "ci", "id": "slow-builds"},
            {"field": "body", "team": "ci", "id": "slow-builds"}
        ])
    );

    // A team with no address in the shared list: a warning, and plain text.
    org.edit_edge_cache("ci:slow-builds", "data:stale-dashboards");
    let out = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("warning[team-without-site]: `addresses` names `data:stale-dashboards`, but no team `data` with a `site:` is in the `teams:` list"),
        "{}",
        stderr(&out)
    );
    let page = read(org.path("web/public/solutions/edge-cache/index.html"));
    assert!(page.contains("shortens data:stale-dashboards."), "an unlinked reference is its text: {page}");
}

#[test]
fn an_items_source_that_cannot_be_read_is_the_portfolios_error() {
    let org = Org::new();
    let data = org.publish("data");
    let newer = read(data.clone()).replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    std::fs::write(&data, newer).unwrap();
    org.portfolio(&format!("  - team: data\n    items: {}\n", data.display()));
    let err = stderr(&org.build_org("public"));
    assert!(err.contains("its `schema_version` is 2, newer than the 1 this charted reads"), "{err}");

    // A URL nobody answers, never fetched before: no copy to fall back on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    org.portfolio(&format!("  - team: data\n    items: http://{closed}/items.json\n"));
    let out = org.build_org("public");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot be fetched"), "{}", stderr(&out));

    // Fetched once, then gone: the kept copy stands in, with a warning.
    let url = serve_times(std::fs::read(org.publish("web")).unwrap(), 1);
    org.portfolio(&format!("  - team: ci\n    path: ../ci\n  - team: web\n    items: {url}\n"));
    let first = org.build_org("public");
    assert!(first.status.success(), "{}", stderr(&first));
    let again = org.build_org("public");
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("warning[items-cached]: the team `web`'s items at"), "{}", stderr(&again));
    assert!(read(org.path("public/org/index.html")).contains("Cache pages at the edge"), "shown from the kept copy");
}

/// Points team `name`'s `site:` in the shared vocabulary at `url`.
fn address(org: &Org, name: &str, url: &str) {
    let file = org.path("vocabulary.yaml");
    let text = read(file.clone());
    let text = match text.find(&format!("  - name: {name}\n    site: ")) {
        Some(at) => {
            let line = at + format!("  - name: {name}\n").len();
            let end = line + text[line..].find('\n').unwrap();
            format!("{}    site: {url}{}", &text[..line], &text[end..])
        }
        None => text.replacen(&format!("  - {name}\n"), &format!("  - name: {name}\n    site: {url}\n"), 1),
    };
    std::fs::write(file, text).unwrap();
}

/// Adds `neighbours: [..]` to team `team`'s charted.yaml.
fn neighbours(org: &Org, team: &str, list: &str) {
    let config = org.path(&format!("{team}/charted.yaml"));
    std::fs::write(&config, format!("{}neighbours: [{list}]\n", read(config.clone()))).unwrap();
}

/// The site an items.json is served at, from its URL.
fn site_of(items_url: &str) -> String {
    items_url.trim_end_matches("web/items.json").to_string()
}

#[test]
fn neighbours_read_each_others_published_items_so_each_pain_page_shows_the_other_teams_solutions() {
    let org = Org::new();
    // CI and Web publish; each names the other as a neighbour.
    let ci_site = site_of(&serve(std::fs::read(org.publish("ci")).unwrap())) + "web/";
    address(&org, "CI", &ci_site);
    let web_site = site_of(&serve(std::fs::read(org.publish("web")).unwrap())) + "web/";
    address(&org, "Web", &web_site);
    neighbours(&org, "web", "ci");
    neighbours(&org, "ci", "web");

    let web = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(web.status.success(), "{}", stderr(&web));
    let page = read(org.path("web/public/solutions/edge-cache/index.html"));
    assert!(
        page.contains(&format!(
            r#"shortens <a href="{ci_site}pain/slow-builds/">Pull-request builds take 40 minutes</a>"#
        )),
        "a body link to a neighbour's item goes to its page, titled: {page}"
    );
    assert!(page.contains(&format!(
        r#"<a href="{ci_site}pain/slow-builds/" rel="external">Pull-request builds take 40 minutes</a>"#
    )));

    let ci = org.run(&["build", org.path("ci").to_str().unwrap()]);
    assert!(ci.status.success(), "{}", stderr(&ci));
    let pain = read(org.path("ci/public/pain/slow-builds/index.html"));
    let addressed = &pain[pain.find("<dt>Addressed by</dt>").unwrap()..pain.find("<dt>Evidence</dt>").unwrap()];
    assert!(
        addressed.contains(&format!(
            r#"Web's <a href="{web_site}solutions/edge-cache/" rel="external">Cache pages at the edge</a> <span class="hint">another team's solution</span>"#
        )),
        "CI's own pain page shows Web's solution: {addressed}"
    );
    assert_eq!(
        pain.matches(&format!("{web_site}solutions/edge-cache/")).count(),
        2,
        "once addressing, once under From other teams"
    );
    let flaky = read(org.path("ci/public/pain/flaky-tests/index.html"));
    assert!(!flaky.contains("From other teams"), "only the items Web names");

    // An id the neighbour does not have: a warning, and a link to its site.
    org.edit_edge_cache("pain: ci:slow-builds", "pain: ci:slow-build");
    let out = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("warning[unknown-team-item]: `addresses` names `ci:slow-build`, but the published items of `ci` have no pain with that id"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("help: did you mean `ci:slow-builds`?"), "{}", stderr(&out));
}

#[test]
fn a_neighbour_that_does_not_answer_warns_and_the_build_goes_on() {
    let org = Org::new();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    address(&org, "CI", &format!("http://{closed}/"));
    neighbours(&org, "web", "ci");
    let out = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "warning[neighbour-unavailable]: the items of `ci` at http://{closed}/items.json cannot be read"
        )),
        "{}",
        stderr(&out)
    );
    let page = read(org.path("web/public/solutions/edge-cache/index.html"));
    assert!(
        page.contains(&format!(r#"<a href="http://{closed}/pain/slow-builds/" rel="external">ci:slow-builds</a>"#)),
        "{page}"
    );
}

#[test]
fn serve_rebuilds_the_org_pages_when_a_teams_items_file_changes() {
    let org = Org::new();
    let data = org.publish("data");
    org.portfolio(&format!("  - team: data\n    items: {}\n", data.display()));
    let server = crate::serve::serve_with(&org.path("org"), |_| {});
    assert!(crate::serve::get(&server, "/org/").1.contains("Dashboards show yesterday&#39;s numbers"));
    let mut rx = server.shared.subscribe();
    let text = read(data.clone()).replace("Dashboards show yesterday's numbers", "Dashboards lag a day");
    std::fs::write(&data, text).unwrap();
    assert_eq!(crate::serve::next_notice(&mut rx, std::time::Duration::from_secs(10)), charted::Notice::Reload);
    assert!(crate::serve::get(&server, "/org/").1.contains("Dashboards lag a day"));
}

#[test]
fn a_portfolio_does_not_fetch_its_teams_neighbours() {
    let org = Org::new();
    // Web names CI as a neighbour, at an address nobody answers.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    address(&org, "CI", &format!("http://{closed}/"));
    neighbours(&org, "web", "ci");
    let own = org.run(&["build", org.path("web").to_str().unwrap()]);
    assert!(stderr(&own).contains("warning[neighbour-unavailable]"), "Web's own build reads its neighbours");
    let out = org.build_org("public");
    assert!(out.status.success(), "{}", stderr(&out));
    let dashboard = read(org.path("public/org/index.html"));
    assert!(!dashboard.contains("neighbour-unavailable"), "the org pages show no team page, so no neighbour is read");
}

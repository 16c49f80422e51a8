//! One vocabulary for an organisation: team sites that read their `teams:`
//! and `user_groups:` from a shared file, by path or by URL (fetched, kept on
//! disk for when the network fails), with errors at the shared file's own
//! lines, and `serve` rebuilding when the shared file changes.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::{Site, brief, texts};

const SHARED: &str = "\
teams:
  - Developer Platform
  - name: Payments
    aliases: [Payments team, Pay team]
    site: https://acme.github.io/payments-roadmap
  - Checkout
user_groups:
  - name: Product engineers
    aliases: [Product devs]
";

/// A team site in `dir/name` reading `vocabulary`, with a charter and one
/// discovery that asks `teams` for an hour each.
fn team_site(dir: &Path, name: &str, vocabulary: &str, teams: &[&str]) -> std::path::PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(root.join("content/discovery")).unwrap();
    let config = format!(
        "title: {name}\nvocabulary: {vocabulary}\nhistory: false\nwarnings:\n  discovery-gap: false\n  no-evidence: false\n  uncovered-pain: false\n  covers-nothing: false\n"
    );
    std::fs::write(root.join("charted.yaml"), config).unwrap();
    let charter = "---\ntitle: Charter\nteam: Developer Platform\nmode: innovation\nusers: [Product devs]\n---\n";
    std::fs::write(root.join("content/charter.md"), charter).unwrap();
    let parts: String = teams.iter().map(|t| format!("  - team: {t}\n    hours: 1\n")).collect();
    let discovery =
        format!("---\ntitle: Chats\nmethod: coffee-chat\ndate: 2026-11-02\nparticipants:\n{parts}surfaces: []\n---\n");
    std::fs::write(root.join("content/discovery/chats.md"), discovery).unwrap();
    root
}

fn check(site: &Path) -> Vec<charted::Diagnostic> {
    charted::check(site, false, Some("2026-11-26".parse().unwrap())).unwrap().diagnostics
}

fn coded<'a>(diags: &'a [charted::Diagnostic], code: &str) -> Vec<&'a charted::Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

#[test]
fn two_team_sites_read_one_shared_file_by_path() {
    let org = tempfile::tempdir().unwrap();
    std::fs::create_dir(org.path().join("org")).unwrap();
    std::fs::write(org.path().join("org/vocabulary.yaml"), SHARED).unwrap();
    let ci = team_site(org.path(), "ci", "../org/vocabulary.yaml", &["Pay team", "checkout"]);
    let web = team_site(org.path(), "web", "../org/vocabulary.yaml", &["Paymnts", "Checkout"]);

    // An alias and another case are the listed team; the user group's alias too.
    let ci_diags = check(&ci);
    assert!(coded(&ci_diags, "unknown-name").is_empty(), "{:?}", brief(&ci_diags));
    assert!(ci_diags.iter().all(|d| d.severity == charted::Severity::Warning), "{:?}", brief(&ci_diags));
    // A misspelling warns, with a did-you-mean from the shared list.
    let web_diags = check(&web);
    let unknown = coded(&web_diags, "unknown-name");
    assert_eq!(
        brief(&unknown.iter().map(|d| (*d).clone()).collect::<Vec<_>>()),
        [
            "content/discovery/chats.md:6:11 the team `Paymnts` is not in the `teams` list of charted.yaml or of the shared vocabulary ../org/vocabulary.yaml"
        ]
    );
    let help = unknown[0].help.as_deref().unwrap();
    assert!(help.starts_with("did you mean `Payments`?"), "{help}");
    assert!(help.contains("add it to `teams:` in ../org/vocabulary.yaml"), "{help}");

    // Both sites show the one canonical name.
    let out = |site: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_charted"))
            .args(["build", site.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1795651200")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let html = std::fs::read_to_string(site.join("public/discovery/index.html")).unwrap();
        scraper::Html::parse_document(&html)
    };
    let ci_teams = texts(&out(&ci), ".hours tbody tr");
    assert!(ci_teams.iter().any(|r| r.starts_with("Payments ")), "{ci_teams:?}");
    assert!(ci_teams.iter().any(|r| r.starts_with("Checkout ")), "{ci_teams:?}");
}

#[test]
fn a_sites_own_list_adds_to_the_shared_one_and_a_conflict_is_an_error_at_its_entry() {
    let site = Site::with_config(
        "title: T\nvocabulary: vocabulary.yaml\nteams:\n  - name: Payments\n    aliases: [Paymnts]\n  - Search\n  - name: Till\n    aliases: [checkout]\n",
    )
    .file("vocabulary.yaml", SHARED);
    let diags = site.check();
    assert_eq!(
        brief(&coded(&diags, "vocabulary-conflict").into_iter().cloned().collect::<Vec<_>>()),
        ["charted.yaml:7:5 `checkout` in `teams:` here is already `Checkout` in the shared vocabulary vocabulary.yaml"]
    );
    // `Paymnts` is now an alias of the shared Payments; `Search` a team of this site's own.
    let site = Site::with_config(
        "title: T\nvocabulary: vocabulary.yaml\nteams:\n  - name: Payments\n    aliases: [Paymnts]\n  - Search\n",
    )
    .file("vocabulary.yaml", SHARED)
    .file(
        "content/discovery/d.md",
        "---\ntitle: D\nmethod: survey\ndate: 2026-11-01\nparticipants:\n  - team: Paymnts\n    hours: 1\n  - team: Search\n    hours: 1\n  - team: Checkout\n    hours: 1\nsurfaces: []\n---\n",
    );
    let diags = site.check();
    assert!(coded(&diags, "unknown-name").is_empty(), "{:?}", brief(&diags));
    assert!(coded(&diags, "vocabulary-conflict").is_empty(), "{:?}", brief(&diags));
}

#[test]
fn a_missing_file_is_an_error_at_the_config_and_a_broken_one_at_its_own_line() {
    let site = Site::with_config("title: T\nvocabulary: ../nowhere/vocabulary.yaml\n");
    let diags = site.check();
    let missing = coded(&diags, "missing-vocabulary");
    assert_eq!(missing.len(), 1, "{:?}", brief(&diags));
    assert_eq!(missing[0].file.as_deref(), Some(Path::new("charted.yaml")));
    assert_eq!(missing[0].pos.map(|p| (p.line, p.column)), Some((2, 13)));
    assert!(missing[0].message.contains("../nowhere/vocabulary.yaml"), "{}", missing[0].message);

    let site = Site::with_config("title: T\nvocabulary: org/vocabulary.yaml\n")
        .file("org/vocabulary.yaml", "teams:\n  - Payments\n  - name: [Checkout\n");
    let diags = site.check();
    assert_eq!(brief(&coded(&diags, "yaml").into_iter().cloned().collect::<Vec<_>>()).len(), 1);
    let yaml = coded(&diags, "yaml")[0];
    assert_eq!(yaml.file.as_deref(), Some(Path::new("org/vocabulary.yaml")));
    assert_eq!(yaml.pos.map(|p| (p.line, p.column)), Some((3, 11)));
    // `check` prints the offending line of the shared file.
    let out = site.run(&["check", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("org/vocabulary.yaml:3:11") && stderr.contains("- name: [Checkout"), "{stderr}");
}

/// A one-file HTTP server on a thread: answers every GET with `body` while
/// `up`, and stops accepting when dropped.
struct Served {
    addr: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    /// How many requests it answered.
    hits: Arc<AtomicUsize>,
}

impl Served {
    fn start(body: &'static str) -> Served {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 4096];
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = stream.read(&mut request);
                counted.fetch_add(1, Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
        Served { addr, stop, hits }
    }

    fn url(&self) -> String {
        format!("http://{}/org/vocabulary.yaml", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees `stop` and drops the listener.
        let _ = std::net::TcpStream::connect(self.addr);
    }
}

/// `charted check --format json` of `site` with the cache folder `cache`.
fn check_json(site: &Path, cache: &Path) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(["check", site.to_str().unwrap(), "--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .env("CHARTED_CACHE_DIR", cache)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn codes(diags: &[serde_json::Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn a_url_is_fetched_and_its_last_copy_used_with_a_warning_when_the_server_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let server = Served::start(SHARED);
    let url = server.url();
    let site = team_site(dir.path(), "ci", &url, &["Pay team", "Paymnts"]);

    let fresh = check_json(&site, &cache);
    assert_eq!(codes(&fresh), ["unknown-name"], "{fresh:?}");
    assert!(fresh[0]["help"].as_str().unwrap().starts_with("did you mean `Payments`?"));
    drop(server);

    // The server is gone: the copy kept in the cache folder answers, with a warning.
    let cached = check_json(&site, &cache);
    assert_eq!(codes(&cached), ["vocabulary-cached", "unknown-name"], "{cached:?}");
    assert_eq!(cached[0]["file"], "charted.yaml");
    assert_eq!(cached[0]["line"], 2);
    assert!(cached[0]["message"].as_str().unwrap().contains(&url), "{:?}", cached[0]);

    // No server and no copy: a warning naming the URL, and no list to warn against.
    let bare = check_json(&site, &dir.path().join("empty-cache"));
    assert_eq!(codes(&bare), ["vocabulary-unavailable"], "{bare:?}");
    assert!(bare[0]["message"].as_str().unwrap().contains(&url));
}

#[test]
fn a_bad_vocabulary_value_is_an_error_at_the_config() {
    let site = Site::with_config("title: T\nvocabulary: ftp://acme.dev/vocabulary.yaml\n");
    let diags = site.check();
    assert_eq!(
        brief(&coded(&diags, "invalid-vocabulary").into_iter().cloned().collect::<Vec<_>>()),
        [
            "charted.yaml:2:13 `vocabulary` is `ftp://acme.dev/vocabulary.yaml`, which is a URL charted cannot fetch (only http and https)"
        ]
    );
}

#[test]
fn serve_rebuilds_when_the_shared_file_outside_the_site_changes() {
    let org = tempfile::tempdir().unwrap();
    let shared = org.path().join("org/vocabulary.yaml");
    std::fs::create_dir_all(shared.parent().unwrap()).unwrap();
    std::fs::write(&shared, SHARED).unwrap();
    let sites = tempfile::tempdir().unwrap();
    let root = team_site(sites.path(), "ci", &shared.display().to_string(), &["Pay team"]);
    let options = charted::ServeOptions {
        site: root.clone(),
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 0,
        ..charted::ServeOptions::default()
    };
    let server = charted::serve(&options).expect("server starts");
    let (_, before) = crate::serve::get(&server, "/discovery/");
    assert!(before.contains("Payments"), "the alias is shown as the listed name");
    let mut rx = server.shared.subscribe();
    std::fs::write(&shared, SHARED.replace("name: Payments", "name: Payments squad")).unwrap();
    let notice = crate::serve::next_notice(&mut rx, Duration::from_secs(10));
    assert_eq!(notice, charted::Notice::Reload);
    let (_, after) = crate::serve::get(&server, "/discovery/");
    assert!(after.contains("Payments squad"), "the renamed team reaches the page");
    server.stop();
}

#[test]
fn serve_fetches_a_url_once_per_session_not_on_every_rebuild() {
    let server = Served::start(SHARED);
    let sites = tempfile::tempdir().unwrap();
    let root = team_site(sites.path(), "ci", &server.url(), &["Pay team"]);
    let options = charted::ServeOptions {
        site: root.clone(),
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 0,
        ..charted::ServeOptions::default()
    };
    let serving = charted::serve(&options).expect("server starts");
    assert!(crate::serve::get(&serving, "/discovery/").1.contains("Payments"));
    let mut rx = serving.shared.subscribe();
    let chats = root.join("content/discovery/chats.md");
    let text = std::fs::read_to_string(&chats).unwrap().replace("title: Chats", "title: Coffee chats");
    std::fs::write(&chats, text).unwrap();
    assert_eq!(crate::serve::next_notice(&mut rx, Duration::from_secs(10)), charted::Notice::Reload);
    assert!(crate::serve::get(&serving, "/discovery/").1.contains("Coffee chats"));
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "one fetch for the session");
    serving.stop();
}

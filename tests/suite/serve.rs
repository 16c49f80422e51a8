//! `charted serve`: the HTTP server, the live-reload stream, incremental
//! rebuilds that equal a full build, and the binary's defaults.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::time::{Duration, Instant};

use charted::Notice;
use charted::{ServeOptions, Server, serve as start};
use common::Site;

pub(crate) fn serve(site: &Site) -> Server {
    let options = ServeOptions {
        site: site.path().to_path_buf(),
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        poll: false,
        drafts: false,
        ..ServeOptions::default()
    };
    start(&options).expect("server starts")
}

/// A raw HTTP/1.1 GET, so the path reaches the server exactly as written.
pub(crate) fn get(server: &Server, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

/// Waits for the next notice of a rebuild, or panics after `limit`.
pub(crate) fn next_notice(rx: &mut tokio::sync::broadcast::Receiver<Notice>, limit: Duration) -> Notice {
    let deadline = Instant::now() + limit;
    loop {
        match rx.try_recv() {
            Ok(notice) => return notice,
            Err(tokio::sync::broadcast::error::TryRecvError::Empty) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Err(e) => panic!("no rebuild within {limit:?}: {e:?}"),
        }
    }
}

/// Waits until no rebuild has happened for `quiet`.
fn settle(rx: &mut tokio::sync::broadcast::Receiver<Notice>, quiet: Duration) {
    let mut last = Instant::now();
    while last.elapsed() < quiet {
        if rx.try_recv().is_ok() {
            last = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn serves_pages_with_types_and_the_sites_404() {
    let site = Site::example();
    let server = serve(&site);
    let (status, page) = get(&server, "/pain/slow-pr-builds/");
    assert_eq!(status, 200);
    assert!(page.contains("content-type: text/html; charset=utf-8"), "{page}");
    assert!(page.contains("/__charted/livereload.js"), "live-reload script injected");
    let (status, css) = get(&server, "/style.css");
    assert_eq!(status, 200);
    assert!(css.contains("content-type: text/css"));
    let (status, redirect) = get(&server, "/pain/slow-pr-builds");
    assert_eq!(status, 301);
    assert!(redirect.contains("location: /pain/slow-pr-builds/"), "{redirect}");
    let (status, missing) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(missing.contains("<html"), "the site's 404.html");
    server.stop();
}

#[test]
fn paths_that_leave_the_site_get_404() {
    let site = Site::example();
    let server = serve(&site);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/pain/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/etc/passwd",
        "/charted.yaml",
        "/content/pain/slow-pr-builds.md",
    ] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    server.stop();
}

#[test]
fn livereload_stream_sends_reload_after_a_change() {
    let site = Site::example();
    let server = serve(&site);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET /__charted/livereload HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        .unwrap();
    let mut lines = BufReader::new(stream).lines();
    let mut wait_for = |wanted: &str| {
        for line in lines.by_ref() {
            if line.unwrap().trim() == wanted {
                return;
            }
        }
        panic!("stream ended before {wanted}");
    };
    wait_for("event: hello");
    site.write(
        "content/pain/slow-pr-builds.md",
        &std::fs::read_to_string(site.path().join("content/pain/slow-pr-builds.md"))
            .unwrap()
            .replace("most of an hour", "nearly an hour"),
    );
    wait_for("event: reload");
    let (_, page) = get(&server, "/pain/slow-pr-builds/");
    assert!(page.contains("nearly an hour"));
    // A broken edit keeps the last good site and sends the problems.
    site.write("content/pain/slow-pr-builds.md", "---\ntitle: [broken\n---\n");
    wait_for("event: problems");
    let (status, page) = get(&server, "/pain/slow-pr-builds/");
    assert_eq!(status, 200);
    assert!(page.contains("nearly an hour"), "last good page still served");
    server.stop();
}

#[test]
fn a_body_edit_rewrites_only_the_pages_whose_bytes_change() {
    let site = Site::example();
    let server = serve(&site);
    let before: Vec<(String, Vec<u8>)> =
        server.shared.site().files().iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    let mut rx = server.shared.subscribe();
    let file = site.path().join("content/solutions/remote-build-cache.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Only CI writes; laptops read.", "Only CI writes; laptops only read.")).unwrap();
    assert_eq!(next_notice(&mut rx, Duration::from_secs(10)), Notice::Reload);
    let after = server.shared.site();
    let differing: Vec<&str> = before
        .iter()
        .filter(|(path, bytes)| after.get(path).is_none_or(|b| b.as_ref() != bytes.as_slice()))
        .map(|(p, _)| p.as_str())
        .collect();
    // The item's own page shows its body; the search index holds its words:
    // the chunks of the words the edit changed, and its fragment, not the whole index.
    let (search, pages): (Vec<&str>, Vec<&str>) = differing.iter().partition(|p| p.starts_with("search/"));
    assert_eq!(pages, ["solutions/remote-build-cache/index.html"], "only the item's page carries its body");
    assert!((1..=3).contains(&search.len()), "only the search files of its words change: {search:?}");
    server.stop();
}

/// Builds the site afresh and compares every file with what `server` serves.
pub(crate) fn assert_served_equals_a_full_build(site: &std::path::Path, server: &Server) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let report = charted::build(&charted::BuildOptions {
        site: site.to_path_buf(),
        out: Some(out.path().join("site")),
        base_url: Some(server.url()),
        ..Default::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    let built = common::snapshot_tree(&out.path().join("site"));
    let served: Vec<(String, Vec<u8>)> =
        server.shared.site().files().iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    let expected: Vec<(String, Vec<u8>)> = built
        .into_iter()
        // The marker that says a folder was written by charted exists only on disk.
        // The live-reload script is added per response, so memory holds build's bytes.
        .filter(|(p, _)| p != charted::MARKER)
        .collect();
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&served), names(&expected));
    for ((path, served), (_, built)) in served.iter().zip(&expected) {
        assert!(served == built, "{path} differs from a full build");
    }
    served
}

#[test]
fn after_edits_creates_deletes_and_renames_the_served_site_equals_a_full_build() {
    let site = Site::example();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let content = site.path().join("content");
    let step = |rx: &mut _, what: &dyn Fn()| {
        what();
        next_notice(rx, Duration::from_secs(10));
    };
    step(&mut rx, &|| {
        std::fs::write(content.join("pain/new-pain.md"), "---\ntitle: A new pain\nseverity: 5\nreach: 900\nfrequency: hourly\nbucket: Slow feedback\n---\nSee [[remote-build-cache]].\n").unwrap()
    });
    step(&mut rx, &|| {
        let p = content.join("solutions/remote-build-cache.md");
        let t = std::fs::read_to_string(&p)
            .unwrap()
            .replace("title: Shared remote build cache", "title: Shared build cache");
        std::fs::write(p, t).unwrap()
    });
    step(&mut rx, &|| std::fs::rename(content.join("pain/new-pain.md"), content.join("pain/renamed-pain.md")).unwrap());
    step(&mut rx, &|| std::fs::write(content.join("pain/short-lived.md"), "---\ntitle: Short-lived\n---\n").unwrap());
    step(&mut rx, &|| std::fs::remove_file(content.join("pain/short-lived.md")).unwrap());
    step(&mut rx, &|| {
        // An editor that saves by writing a temporary file and renaming it over the original.
        let p = content.join("vision/ten-second-feedback.md");
        let t = std::fs::read_to_string(&p).unwrap() + "\nOne more paragraph.\n";
        std::fs::write(content.join("vision/.ten-second-feedback.md.swp"), "junk").unwrap();
        std::fs::write(content.join("vision/ten-second-feedback.md.tmp"), t).unwrap();
        std::fs::rename(content.join("vision/ten-second-feedback.md.tmp"), &p).unwrap();
        std::fs::remove_file(content.join("vision/.ten-second-feedback.md.swp")).unwrap();
    });
    // Prose only: the site's structure is unchanged, so only body pages are remade.
    step(&mut rx, &|| {
        let p = content.join("pain/slow-pr-builds.md");
        let t = std::fs::read_to_string(&p).unwrap() + "\nA paragraph typed while serving.\n";
        std::fs::write(p, t).unwrap()
    });
    // A link in a body changes references, backlinks and every page showing them.
    step(&mut rx, &|| {
        let p = content.join("pain/slow-pr-builds.md");
        let t = std::fs::read_to_string(&p).unwrap() + "\nRelated: [[renamed-pain]].\n";
        std::fs::write(p, t).unwrap()
    });
    step(&mut rx, &|| {
        let p = site.path().join("charted.yaml");
        let t = std::fs::read_to_string(&p).unwrap().replacen("title: ", "title: Renamed ", 1);
        std::fs::write(p, t).unwrap()
    });
    step(&mut rx, &|| {
        std::fs::create_dir_all(site.path().join("static")).unwrap();
        std::fs::write(site.path().join("static/extra.css"), "p { margin: 0 }").unwrap()
    });
    settle(&mut rx, Duration::from_millis(600));
    let served = assert_served_equals_a_full_build(site.path(), &server);
    assert!(served.iter().any(|(p, _)| p == "pain/renamed-pain/index.html"));
    assert!(!served.iter().any(|(p, _)| p == "pain/new-pain/index.html" || p == "pain/short-lived/index.html"));
    server.stop();
}

#[test]
fn edits_that_move_items_between_list_pages_serve_what_a_full_build_writes() {
    let site = Site::example();
    let config = site.path().join("charted.yaml");
    std::fs::write(&config, std::fs::read_to_string(&config).unwrap() + "paginate_by: 3\n").unwrap();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let content = site.path().join("content");
    let edit = |rel: &str, from: &str, to: &str| {
        let p = content.join(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{rel} has no `{from}`");
        std::fs::write(p, t.replacen(from, to, 1)).unwrap();
    };
    // Each step is compared with a full build: a later edit that touches
    // every list must not hide a page an earlier one left stale.
    let mut step = |what: &dyn Fn()| {
        what();
        next_notice(&mut rx, Duration::from_secs(10));
        settle(&mut rx, Duration::from_millis(300));
        assert_served_equals_a_full_build(site.path(), &server);
    };
    // The lowest-ranked pain jumps to the top: every page of the pain lists shifts.
    step(&|| edit("pain/windows-dev-support.md", "title:", "priority: 1\ntitle:"));
    // A summary shows on its item's page and cards; links to the item do not show it.
    step(&|| edit("pain/staging-drift.md", "summary:", "summary: Now drifting faster."));
    // A discovery's new title reaches the pains citing it.
    step(&|| edit("discovery/survey-2026-q1.md", "title: Developer", "title: Renamed developer"));
    // A vision theme's new title reaches the solutions that advance it: a link
    // out of them only (the theme does not link back).
    step(&|| edit("vision/ten-second-feedback.md", "title: Ten-second", "title: Five-second"));
    // A new bucket: a new filtered list, and the bucket lists lose a pain.
    step(&|| edit("pain/slow-rollbacks.md", "bucket: Deploy friction", "bucket: Brand new"));
    // Enough new pains for another page; then one goes again.
    step(&|| {
        for n in 0..4 {
            std::fs::write(
                content.join(format!("pain/extra-{n}.md")),
                format!("---\ntitle: Extra {n}\nseverity: {}\n---\n", n + 1),
            )
            .unwrap();
        }
    });
    step(&|| std::fs::remove_file(content.join("pain/extra-2.md")).unwrap());
    // Another page size reshapes every list.
    step(&|| {
        std::fs::write(&config, std::fs::read_to_string(&config).unwrap().replace("paginate_by: 3", "paginate_by: 4"))
            .unwrap()
    });
    settle(&mut rx, Duration::from_millis(600));
    let served = assert_served_equals_a_full_build(site.path(), &server);
    assert!(served.iter().any(|(p, _)| p == "pain/page/5/index.html"));
    assert!(served.iter().any(|(p, _)| p == "pain/_by/bucket/brand-new/index.html"));
    server.stop();
}

#[test]
fn a_verdict_losing_its_result_or_a_solution_disproved_reaches_every_page_that_shows_it() {
    // Validation is derived from another file (an experiment), and a pain's
    // coverage from its solutions' validation: each step must reach the
    // solution's and the pains' pages, lists and the dashboard as a full build does.
    let site = Site::example();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let content = site.path().join("content");
    let edit = |rx: &mut _, rel: &str, from: &str, to: &str| {
        let p = content.join(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{rel} has no {from}");
        std::fs::write(p, t.replacen(from, to, 1)).unwrap();
        next_notice(rx, Duration::from_secs(10));
    };
    // Without its result the verdict is only claimed.
    edit(&mut rx, "experiments/cache-shadow-payments.md", "result: ", "notes: ");
    settle(&mut rx, Duration::from_millis(600));
    let served = assert_served_equals_a_full_build(site.path(), &server);
    let cache = served.iter().find(|(p, _)| p == "solutions/remote-build-cache/index.html").unwrap();
    assert!(String::from_utf8_lossy(&cache.1).contains(">Claimed<"));
    edit(&mut rx, "experiments/cache-shadow-payments.md", "notes: ", "result: ");
    edit(&mut rx, "solutions/policy-deploy-approvals.md", "effort: 4", "effort: 4\nvalidation: invalidated");
    settle(&mut rx, Duration::from_millis(600));
    let served = assert_served_equals_a_full_build(site.path(), &server);
    let pain = served.iter().find(|(p, _)| p == "pain/manual-deploy-approvals/index.html").unwrap();
    assert!(String::from_utf8_lossy(&pain.1).contains("Only disproved solutions"));
    server.stop();
}

#[test]
fn base_url_and_clean_urls_shape_the_served_links() {
    let site = Site::example();
    let options = ServeOptions {
        site: site.path().to_path_buf(),
        port: 0,
        base_url: Some("http://devbox:1111".into()),
        clean_urls: true,
        ..ServeOptions::default()
    };
    let server = start(&options).expect("server starts");
    let (status, page) = get(&server, "/pain/slow-pr-builds/");
    assert_eq!(status, 200);
    assert!(page.contains("http://devbox:1111/pain/slow-pr-builds/"), "the canonical link uses --base-url: {page}");
    assert!(!page.contains("/index.html\""), "clean links end in `/`");
    server.stop();
    let wrong = ServeOptions { base_url: Some("devbox".into()), ..options };
    let error = start(&wrong).err().expect("a base URL that is no URL is refused").to_string();
    assert!(error.contains("--base-url `devbox`"), "{error}");
}

#[test]
fn the_binary_binds_to_localhost_by_default_and_prints_the_url() {
    let site = Site::example();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_charted"))
        .args(["serve", site.path().to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut url = None;
    for _ in 0..5 {
        line.clear();
        out.read_line(&mut line).unwrap();
        if let Some(at) = line.find("http://") {
            url = Some(line[at..].split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let url = url.expect("a URL is printed");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}

#[test]
fn keeps_answering_through_200_rapid_edits_and_ends_on_the_last_one() {
    let site = Site::example();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let file = site.path().join("content/pain/slow-pr-builds.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let editor = {
        let file = file.clone();
        let original = original.clone();
        std::thread::spawn(move || {
            for i in 0..200 {
                std::fs::write(&file, original.replace("most of an hour", &format!("edit {i} of an hour"))).unwrap();
            }
        })
    };
    let mut answered = 0;
    while !editor.is_finished() {
        let (status, _) = get(&server, "/pain/slow-pr-builds/");
        assert_eq!(status, 200, "the server must keep answering during a burst of edits");
        answered += 1;
    }
    editor.join().unwrap();
    settle(&mut rx, Duration::from_millis(800));
    let (_, page) = get(&server, "/pain/slow-pr-builds/");
    assert!(page.contains("edit 199 of an hour"), "the served page reflects the last edit");
    assert!(answered > 0);
    server.stop();
}

#[test]
fn survives_500_concurrent_requests_and_slow_or_malformed_ones() {
    let site = Site::example();
    let server = serve(&site);
    // A client that sends half a request and stalls, and garbage that is no HTTP at all.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    write!(slow, "GET /index.html HTTP/1.1\r\nHost: loc").unwrap();
    for garbage in [&b"\x00\xff\x16\x03\x01 not http\r\n\r\n"[..], b"GET /\r\n\r\n", b"BREW /pot HTCPCP/1.0\r\n\r\n"] {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(garbage).unwrap();
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    }
    let paths = ["/", "/pain/", "/style.css", "/pain/slow-pr-builds/", "/no/such/page/"];
    let mut streams: Vec<(TcpStream, &str)> = (0..500)
        .map(|i| {
            let path = paths[i % paths.len()];
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            (s, path)
        })
        .collect();
    for (stream, path) in &mut streams {
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let expected = if *path == "/no/such/page/" { "404" } else { "200" };
        assert_eq!(response.split(' ').nth(1), Some(expected), "{path}");
    }
    // The stalled client did not stop anyone; the server still answers.
    assert_eq!(get(&server, "/").0, 200);
    drop(slow);
    server.stop();
}

/// A `theme:` folder is watched like the site's own templates and static
/// files, inside the site or outside it.
#[test]
fn edits_to_a_theme_folder_inside_or_outside_the_site_rebuild() {
    for inside in [true, false] {
        let site = Site::example();
        let elsewhere = tempfile::tempdir().unwrap();
        let theme = if inside { site.path().join("mytheme") } else { elsewhere.path().join("mytheme") };
        std::fs::create_dir_all(theme.join("static")).unwrap();
        std::fs::write(theme.join("static/extra.css"), "p { margin: 0 }").unwrap();
        let named = if inside { "mytheme".to_string() } else { theme.display().to_string() };
        let config = site.path().join("charted.yaml");
        let text = std::fs::read_to_string(&config).unwrap() + &format!("theme: {named}\n");
        std::fs::write(&config, text).unwrap();

        let server = serve(&site);
        assert!(get(&server, "/extra.css").1.contains("margin: 0"));
        let mut rx = server.shared.subscribe();
        std::fs::write(theme.join("static/extra.css"), "p { margin: 1em }").unwrap();
        assert_eq!(next_notice(&mut rx, Duration::from_secs(10)), Notice::Css, "theme inside the site: {inside}");
        assert!(get(&server, "/extra.css").1.contains("margin: 1em"));
    }
}

/// A pain's page shows the scoring formula: changing the formula in the
/// config reaches the page even when the pain's own figures stay the same.
#[test]
fn a_new_scoring_formula_reaches_a_pain_page_whose_score_it_leaves_alone() {
    let site = Site::with_config("title: Formula\n").file(
        "content/pain/alone.md",
        "---\ntitle: Alone\nseverity: 3\nreach: 10\nfrequency: weekly\n---\nNo evidence.\n",
    );
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let formula = |server: &Server| {
        let page = String::from_utf8(server.shared.site().get("pain/alone/index.html").unwrap().to_vec()).unwrap();
        page.contains("0.4 × evidence weight")
    };
    assert!(!formula(&server));
    site.write("charted.yaml", "title: Formula\nscoring:\n  evidence: 0.4\n");
    next_notice(&mut rx, Duration::from_secs(10));
    assert!(formula(&server), "the pain page still shows the old formula");
}

/// The `Location` header of a response, if any.
fn location(response: &str) -> Option<&str> {
    response.lines().find_map(|l| l.strip_prefix("location: ").map(str::trim))
}

/// A path-only redirect that a browser resolves on this host: one `/`, then no `/` or `\`.
fn stays_on_site(location: &str) -> bool {
    location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\")
}

#[test]
fn folder_redirects_never_lead_off_the_site() {
    let site = Site::example();
    let server = serve(&site);
    assert_eq!(get(&server, "/charter/").0, 200, "the example has a charter page");
    let (status, response) = get(&server, "//charter");
    assert_eq!(status, 301, "{response}");
    assert_eq!(location(&response), Some("/charter/"), "{response}");
    for path in [
        "//charter",
        "///charter",
        "/%2F%2Fcharter",
        "/%2Fcharter",
        "/\\evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "/\\charter",
        "/.//charter",
    ] {
        let (status, response) = get(&server, path);
        if let Some(to) = location(&response) {
            assert!(stays_on_site(to), "{path} → {status} Location: {to}");
        }
    }
    server.stop();
}

pub(crate) fn serve_with(site: &std::path::Path, change: impl FnOnce(&mut ServeOptions)) -> Server {
    let mut options =
        ServeOptions { site: site.to_path_buf(), bind: Ipv4Addr::LOCALHOST.into(), port: 0, ..ServeOptions::default() };
    change(&mut options);
    start(&options).expect("server starts")
}

/// Reads from `stream` until the server closes it; how long that took, or `None` past `limit`.
fn closed_within(mut stream: TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => Some(started.elapsed()),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Some(started.elapsed()),
        Err(_) => None,
    }
}

#[test]
fn a_client_that_sends_half_a_header_is_cut_off_after_the_header_timeout() {
    let site = Site::example();
    let server = serve_with(site.path(), |o| o.header_timeout = Duration::from_millis(300));
    let mut slow = TcpStream::connect(server.addr).unwrap();
    write!(slow, "GET /index.html HTTP/1.1\r\nHost: loc").unwrap();
    let silent = TcpStream::connect(server.addr).unwrap();
    let took = closed_within(slow, Duration::from_secs(5)).expect("the half-sent request is cut off");
    assert!(took >= Duration::from_millis(250), "not before the timeout: {took:?}");
    closed_within(silent, Duration::from_secs(5)).expect("a connection that sends nothing is cut off");
    // A kept-alive connection that waits too long for its next request is closed too.
    let mut kept = TcpStream::connect(server.addr).unwrap();
    write!(kept, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    closed_within(kept, Duration::from_secs(5)).expect("an idle kept-alive connection is closed");
    // Whoever sends a whole request in time is served.
    assert_eq!(get(&server, "/").0, 200);
    server.stop();
}

#[test]
fn a_connection_that_moves_no_byte_is_closed_after_the_idle_timeout() {
    let site = Site::example();
    let server = serve_with(site.path(), |o| {
        o.header_timeout = Duration::from_secs(60);
        o.idle_timeout = Duration::from_millis(300);
    });
    let silent = TcpStream::connect(server.addr).unwrap();
    let took = closed_within(silent, Duration::from_secs(5)).expect("the silent connection is closed");
    assert!(took >= Duration::from_millis(250), "not before the timeout: {took:?}");
    assert_eq!(get(&server, "/").0, 200);
    server.stop();
}

/// A raw GET with this `Host` header.
fn get_for_host(server: &Server, path: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

#[test]
fn requests_for_another_host_name_are_refused() {
    let site = Site::example();
    let server = serve(&site);
    let port = server.addr.port();
    for host in ["evil.example".to_string(), format!("evil.example:{port}"), format!("localhost:{}", port ^ 1)] {
        for path in ["/", "/pain/slow-pr-builds/", "/__charted/livereload"] {
            let (status, response) = get_for_host(&server, path, &host);
            assert_eq!(status, 421, "{host}{path}: {response}");
            assert!(response.contains("DNS rebinding") && response.contains("--base-url"), "{response}");
            assert!(!response.contains("<html"), "no page of the site: {response}");
        }
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "localhost".to_string()] {
        let (status, response) = get_for_host(&server, "/pain/slow-pr-builds/", &host);
        assert_eq!(status, 200, "{host}: {response}");
    }
    server.stop();
}

/// Edits a pain and waits for the server to show it.
fn assert_sees_an_edit(site: &Site, server: &Server) {
    let mut rx = server.shared.subscribe();
    let file = site.path().join("content/pain/slow-pr-builds.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("most of an hour", "nearly an hour")).unwrap();
    assert_eq!(next_notice(&mut rx, Duration::from_secs(10)), Notice::Reload);
    assert!(get(server, "/pain/slow-pr-builds/").1.contains("nearly an hour"));
}

#[test]
fn a_site_named_through_dot_dot_sees_edits() {
    let site = Site::example();
    // `../../tmp/.../site`: relative to the working folder, through `..`.
    let cwd = std::env::current_dir().unwrap();
    let ups = "../".repeat(cwd.components().count().saturating_sub(1));
    let absolute = site.path().strip_prefix("/").unwrap();
    let relative = std::path::PathBuf::from(format!("{ups}{}", absolute.display()));
    assert!(relative.join("charted.yaml").is_file(), "{}", relative.display());
    let server = serve_with(&relative, |_| {});
    assert_sees_an_edit(&site, &server);
    server.stop();
}

#[cfg(unix)]
#[test]
fn a_site_named_through_a_symbolic_link_sees_edits() {
    let site = Site::example();
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("linked-site");
    std::os::unix::fs::symlink(site.path(), &link).unwrap();
    let server = serve_with(&link, |_| {});
    assert_sees_an_edit(&site, &server);
    server.stop();
}

/// `cp -p`, `rsync -t` and `tar x` write new bytes but keep the size and time.
#[test]
fn an_edit_that_keeps_the_size_and_modification_time_is_seen() {
    let site = Site::example();
    let file = site.path().join("content/pain/slow-pr-builds.md");
    // An old time, as a restored file has: a fresh one is re-read anyway.
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("most of an hour", "most of an HOUR");
    assert_eq!(edited.len(), text.len(), "same size");
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.len(), meta.modified().unwrap()), (text.len() as u64, old), "same stamp");
    assert_eq!(next_notice(&mut rx, Duration::from_secs(10)), Notice::Reload);
    assert!(get(&server, "/pain/slow-pr-builds/").1.contains("most of an HOUR"));
    server.stop();
}

/// The names of the events a live-reload stream receives, read on a thread.
struct EventLog {
    events: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl EventLog {
    fn open(server: &Server) -> EventLog {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(stream, "GET /__charted/livereload HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        // Bounded: the thread ends when the server stops, or after a minute.
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&events);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(name) = line.strip_prefix("event: ") {
                    log.lock().unwrap().push(name.trim().to_string());
                }
            }
        });
        let log = EventLog { events };
        let deadline = Instant::now() + Duration::from_secs(5);
        while log.count("hello") == 0 {
            assert!(Instant::now() < deadline, "the stream says hello");
            std::thread::sleep(Duration::from_millis(10));
        }
        log
    }

    fn count(&self, name: &str) -> usize {
        self.events.lock().unwrap().iter().filter(|e| *e == name).count()
    }
}

#[test]
fn saves_that_empty_the_file_then_write_it_show_no_error_overlay() {
    let site = Site::example();
    let server = serve(&site);
    let mut rx = server.shared.subscribe();
    let log = EventLog::open(&server);
    let file = site.path().join("content/pain/slow-pr-builds.md");
    let original = std::fs::read_to_string(&file).unwrap();
    for i in 0..200 {
        // Truncate, then write, as editors that save in place do; the gap varies.
        let mut f = std::fs::File::create(&file).unwrap();
        std::thread::sleep(Duration::from_millis((i % 4) * 4));
        f.write_all(original.replace("most of an hour", &format!("edit {i} of an hour")).as_bytes()).unwrap();
        drop(f);
        std::thread::sleep(Duration::from_millis(3));
    }
    settle(&mut rx, Duration::from_millis(800));
    assert!(get(&server, "/pain/slow-pr-builds/").1.contains("edit 199 of an hour"));
    assert!(log.count("reload") > 0, "the edits were seen");
    assert_eq!(log.count("problems"), 0, "an always-valid file never shows an error overlay");
    // A file that stays broken is shown, after the settle delay.
    std::fs::write(&file, "---\ntitle: [broken\n---\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while log.count("problems") == 0 {
        assert!(Instant::now() < deadline, "a lasting error reaches the page");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.stop();
}

/// The header timeout is for requests, not for the live-reload stream that a
/// page keeps open for as long as it is shown.
#[test]
fn the_live_reload_stream_outlives_the_header_timeout() {
    let site = Site::example();
    let server = serve_with(site.path(), |o| o.header_timeout = Duration::from_millis(200));
    let log = EventLog::open(&server);
    std::thread::sleep(Duration::from_millis(800));
    let file = site.path().join("content/pain/slow-pr-builds.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("most of an hour", "nearly an hour")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while log.count("reload") == 0 {
        assert!(Instant::now() < deadline, "the stream still delivers a reload");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.stop();
}

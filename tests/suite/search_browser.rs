//! The search box in a real browser: headless Chromium, driven over its
//! DevTools protocol. Type a query, see the matching item, click it, land on
//! its page — served under a GitHub Pages sub-path, and opened from disk.
//!
//! Without Chromium the test says so loudly and stops; `.ci/run` installs
//! Chromium and sets `CHARTED_REQUIRE_BROWSER=1`, which turns that into a failure.

use crate::common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use charted::BuildOptions;
use common::Site;
use common::http::Server;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

const SUB: &str = "https://example.github.io/team-roadmap/";

fn chromium() -> Option<PathBuf> {
    let candidates =
        [std::env::var("CHROMIUM").unwrap_or_default(), "/usr/bin/chromium".into(), "/usr/bin/chromium-browser".into()];
    candidates.into_iter().filter(|c| !c.is_empty()).map(PathBuf::from).find(|p| p.is_file())
}

/// A headless Chromium and a DevTools session on one of its pages.
struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Chromium prints the browser's DevTools address on stderr.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let ws_url = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("chromium did not print its DevTools address within 30 s");
            }
        };
        let host = ws_url.trim_start_matches("ws://").split('/').next().unwrap().to_string();
        let stream = TcpStream::connect(&host).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let (socket, _) = tungstenite::client(ws_url.as_str(), stream).expect("DevTools websocket");
        let mut browser = Browser { child, socket, session: String::new(), next_id: 0, _profile: profile };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}), false);
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call("Target.attachToTarget", json!({"targetId": target_id, "flatten": true}), false);
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser.call("Page.enable", json!({}), true);
        browser.call("Runtime.enable", json!({}), true);
        browser
    }

    /// Sends a command and waits for its result (events in between are skipped).
    fn call(&mut self, method: &str, params: Value, in_page: bool) -> Value {
        self.try_call(method, params, in_page).unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    /// [`Browser::call`], with the error DevTools answered instead of a panic.
    fn try_call(&mut self, method: &str, params: Value, in_page: bool) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if in_page {
            message["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::text(message.to_string())).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let Message::Text(text) = self.socket.read().expect("a DevTools message") else {
                continue;
            };
            let reply: Value = serde_json::from_str(text.as_str()).unwrap();
            if reply["id"] == json!(id) {
                return match reply.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(reply["result"].clone()),
                };
            }
        }
        panic!("{method}: no reply within 30 s");
    }

    /// Evaluates JavaScript in the page and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        self.try_eval(expression).unwrap_or_else(|error| panic!("Runtime.evaluate: {error}"))
    }

    /// [`Browser::eval`]; `Err` when the page went away while it ran (it was
    /// navigating: the new page is not there yet).
    fn try_eval(&mut self, expression: &str) -> Result<Value, Value> {
        let params = json!({"expression": expression, "returnByValue": true, "awaitPromise": true});
        let result = self.try_call("Runtime.evaluate", params, true)?;
        assert!(result.get("exceptionDetails").is_none(), "{expression}: {}", result["exceptionDetails"]);
        Ok(result["result"]["value"].clone())
    }

    /// Polls `expression` until it is truthy; returns its value.
    fn wait_for(&mut self, expression: &str, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            // A page that navigates while the expression runs answers with an
            // error ("Inspected target navigated or closed"): ask the next one.
            let value = self.try_eval(expression).unwrap_or(Value::Null);
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return value;
            }
            if Instant::now() >= deadline {
                let state = self.eval(
                    "JSON.stringify({url: location.href, value: (document.getElementById('search-input') || {}).value, \
                     results: [...document.querySelectorAll('.search-results a')].map(a => a.textContent)})",
                );
                panic!("timed out waiting for {what}; the page: {state}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let s = c.to_string();
            self.call("Input.dispatchKeyEvent", json!({"type": "keyDown", "text": s, "key": s}), true);
            self.call("Input.dispatchKeyEvent", json!({"type": "keyUp", "key": s}), true);
        }
    }

    fn click(&mut self, x: f64, y: f64) {
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
                true,
            );
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// On the page at `start`: type a query, see the item, click it, land on `expected`.
fn search_and_follow(browser: &mut Browser, start: &str, expected: &str) {
    browser.call("Page.navigate", json!({"url": start}), true);
    browser.wait_for(
        &format!(
            "location.href === {} && document.readyState === 'complete' && !document.querySelector('[data-search]').hidden",
            json!(start)
        ),
        "the search box to appear",
    );
    browser.eval("document.getElementById('search-input').focus()");
    browser.type_text("shared cache");
    let titles = browser.wait_for(
        "(() => { const t = [...document.querySelectorAll('.search-results a .search-title')].map(a => a.textContent);\
         return t.includes('Shared remote build cache') && t; })()",
        "the matching item in the results",
    );
    assert_eq!(titles[0], "Shared remote build cache", "{titles}");
    let status = browser.eval("document.querySelector('.search-status').textContent");
    assert!(status.as_str().unwrap().contains("match"), "{status}");
    let rect = browser.eval(
        "(() => { const a = [...document.querySelectorAll('.search-results a')]\
           .find(a => a.querySelector('.search-title').textContent === 'Shared remote build cache');\
         const r = a.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()",
    );
    browser.click(rect[0].as_f64().unwrap(), rect[1].as_f64().unwrap());
    let landed = browser.wait_for(
        &format!("location.href === {} && document.readyState !== 'loading' && location.href", json!(expected)),
        &format!("navigation to {expected}"),
    );
    assert_eq!(landed, json!(expected));
    let h1 =
        browser.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent", "the item page");
    assert_eq!(h1, "Shared remote build cache");

    // Words of the summary find the item too (once search.js has run on the new page).
    browser.wait_for("!document.querySelector('[data-search]').hidden", "the search box on the item page");
    browser.eval("document.getElementById('search-input').focus()");
    browser.type_text("content-addressed");
    browser.wait_for(
        "[...document.querySelectorAll('.search-results .search-title')].some(t => t.textContent === 'Shared remote build cache')",
        "a match on summary text",
    );
    browser.eval(
        "{ const i = document.getElementById('search-input'); i.value = ''; i.dispatchEvent(new Event('input')); }",
    );
    browser.type_text("zzzz-no-such-thing");
    let status = browser.wait_for("document.querySelector('.search-status').textContent", "the no-match message");
    assert_eq!(status, "No items match.");
}

#[test]
fn search_box_finds_an_item_and_leads_to_its_page() {
    let Some(binary) = chromium() else {
        let message = "\n\n!!!!!!!! SKIPPED: the browser test of search needs Chromium (/usr/bin/chromium, or set CHROMIUM).\n\
                       !!!!!!!! Install it with `apt-get install -y chromium`; .ci/run does.\n";
        assert!(std::env::var_os("CHARTED_REQUIRE_BROWSER").is_none(), "{message}");
        eprintln!("{message}");
        return;
    };
    let site = Site::example();
    let report = charted::build(&BuildOptions {
        site: site.path().to_path_buf(),
        base_url: Some(SUB.into()),
        today: Some("2026-11-26".parse().unwrap()),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    let server = Server::start(&site.out(), "/team-roadmap/");
    let mut browser = Browser::launch(&binary);

    // Served under the sub-path, starting from a page two folders deep.
    let base = server.base();
    search_and_follow(
        &mut browser,
        &format!("{base}pain/slow-pr-builds/"),
        &format!("{base}solutions/remote-build-cache/index.html"),
    );

    // Opened from disk: the index is a script, so no fetch() is needed.
    let out = std::fs::canonicalize(site.out()).unwrap();
    let file_url = |rel: &str| format!("file://{}/{rel}", out.display());
    search_and_follow(&mut browser, &file_url("index.html"), &file_url("solutions/remote-build-cache/index.html"));
}

//! A tiny static file server for tests: serves a folder under a URL prefix on
//! 127.0.0.1, like GitHub Pages serves a project site under `/<repo>/`. It
//! stops when dropped, and on its own after a few minutes at the latest.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) struct Server {
    pub addr: SocketAddr,
    prefix: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How long a test server lives at most.
const LIFETIME: Duration = Duration::from_secs(300);

impl Server {
    /// Serves `root` at `http://127.0.0.1:<port><prefix>` (`prefix` starts and ends with `/`).
    pub(crate) fn start(root: &Path, prefix: &str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, prefix_owned, flag) = (root.to_path_buf(), prefix.to_string(), stop.clone());
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !flag.load(Ordering::Relaxed) && started.elapsed() < LIFETIME {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                        let (root, prefix) = (root.clone(), prefix_owned.clone());
                        std::thread::spawn(move || handle(stream, &root, &prefix));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { addr, prefix: prefix.to_string(), stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:<port><prefix>`
    pub(crate) fn base(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// GETs a path (starting with `/`): the status and the body.
    pub(crate) fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = String::from_utf8_lossy(&response[..head_end]);
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response[head_end + 4..].to_vec())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Serves like GitHub Pages: `/x/` serves `x/index.html`; nothing outside the prefix.
fn handle(mut stream: TcpStream, root: &Path, prefix: &str) {
    // Read the whole request head: closing with unread bytes would reset the connection.
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header.trim_end() != "" {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file: Option<PathBuf> = path
        .strip_prefix(prefix)
        .or(if path == prefix.trim_end_matches('/') { Some("") } else { None })
        .filter(|rel| !rel.split('/').any(|s| s == ".."))
        .map(|rel| {
            let rel = percent_decode(rel);
            if rel.is_empty() || rel.ends_with('/') { root.join(rel).join("index.html") } else { root.join(rel) }
        })
        .filter(|f| f.is_file());
    let response = match file {
        Some(f) => {
            let body = std::fs::read(&f).unwrap_or_default();
            let mut r = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content_type(&f),
                body.len()
            )
            .into_bytes();
            r.extend(body);
            r
        }
        None => b"HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found".to_vec(),
    };
    let _ = stream.write_all(&response);
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `link` against the URL path of the page it is on (`/sub/pain/x/index.html`):
/// the absolute path, without query; the fragment separately.
pub(crate) fn join(page: &str, link: &str) -> (String, String) {
    let (link, fragment) = match link.split_once('#') {
        Some((l, f)) => (l, f.to_string()),
        None => (link, String::new()),
    };
    let link = link.split('?').next().unwrap_or("");
    if link.is_empty() {
        return (page.to_string(), fragment);
    }
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
        p.pop();
        // A page path ending in `/` names its folder.
        if page.ends_with('/') {
            p = page.split('/').filter(|s| !s.is_empty()).collect();
        }
        p
    };
    for s in link.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "`{link}` on `{page}` climbs above the server root");
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if (link.ends_with('/') || link.ends_with("/.") || link.ends_with("/..") || link == "." || link == "..")
        && !path.ends_with('/')
    {
        path.push('/');
    }
    (path, fragment)
}

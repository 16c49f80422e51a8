//! The development HTTP server: the in-memory site, the live-reload stream,
//! and nothing else. This is the only module that knows HTTP.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::memory::MemorySite;

/// The path of the Server-Sent Events stream.
pub const LIVERELOAD: &str = "/__charted/livereload";
const SCRIPT_PATH: &str = "/__charted/livereload.js";
const SCRIPT: &str = include_str!("livereload.js");

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The site changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The last edit broke the site: show these problems over the page.
    Problems(Arc<str>),
}

/// What the server shares with the rebuild loop.
pub struct Shared {
    site: RwLock<Arc<MemorySite>>,
    problems: RwLock<Option<Arc<str>>>,
    notices: broadcast::Sender<Notice>,
}

impl Shared {
    pub fn new(site: MemorySite) -> Arc<Shared> {
        let (notices, _) = broadcast::channel(64);
        Arc::new(Shared { site: RwLock::new(Arc::new(site)), problems: RwLock::new(None), notices })
    }

    pub fn site(&self) -> Arc<MemorySite> {
        Arc::clone(&self.site.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Puts a complete new site in place, then tells the pages. The order
    /// matters: a page must never reload into a site that is not all there.
    pub fn publish(&self, site: MemorySite, notice: Notice) {
        *self.site.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(site);
        *self.problems.write().unwrap_or_else(|p| p.into_inner()) = None;
        let _ = self.notices.send(notice);
    }

    /// Keeps the last good site and shows the problems in every page.
    pub fn fail(&self, problems: &str) {
        let problems: Arc<str> = Arc::from(problems);
        *self.problems.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&problems));
        let _ = self.notices.send(Notice::Problems(problems));
    }

    /// Subscribes to notices (tests use this to wait for a rebuild).
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }
}

/// The router: the live-reload stream and script, and the site for
/// everything else; only for requests addressed to one of `hosts`.
pub fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(LIVERELOAD, get(livereload))
        .route(SCRIPT_PATH, get(script))
        .fallback(get(file))
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(Arc::new(hosts), check_host))
}

/// The names a request may address the server by. A web page can point a
/// name it controls at 127.0.0.1 (DNS rebinding) and read the preview as its
/// own origin; the browser then sends that name as `Host`, so requests for
/// any other name are refused.
#[derive(Debug, Clone)]
pub struct Hosts {
    /// Allowed names (lowercase; IPv6 in brackets) and the port each goes with.
    names: Vec<(String, u16)>,
    /// Bound to every address (`0.0.0.0`): any IP address with this port, since
    /// rebinding needs a name, and the machine's addresses are not known here.
    any_ip: Option<u16>,
}

impl Hosts {
    /// The bind address, `localhost`, the loopback addresses (all with the
    /// server's port) and the host of `--base-url` (with its port).
    pub fn new(addr: SocketAddr, base_url: Option<&str>) -> Hosts {
        let port = addr.port();
        let bound = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let mut names: Vec<(String, u16)> =
            ["localhost", "127.0.0.1", "[::1]", &bound].iter().map(|n| (n.to_string(), port)).collect();
        if let Some(url) = base_url.and_then(|u| url::Url::parse(u).ok())
            && let Some(host) = url.host_str()
        {
            names.push((host.to_ascii_lowercase(), url.port_or_known_default().unwrap_or(port)));
        }
        Hosts { names, any_ip: addr.ip().is_unspecified().then_some(port) }
    }

    /// Whether a `Host` value names this server. A value without a port is
    /// taken for any port: only the name matters to rebinding.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        let name = name.to_ascii_lowercase();
        let fits = |p: u16| port.is_none_or(|port| port == p);
        self.names.iter().any(|(n, p)| *n == name && fits(*p))
            || self.any_ip.is_some_and(|p| fits(p) && is_ip_literal(&name))
    }

    fn listed(&self) -> String {
        let names: Vec<String> = self.names.iter().map(|(n, p)| format!("{n}:{p}")).collect();
        names.join(", ")
    }
}

/// `name[:port]`, the name possibly an IPv6 address in brackets.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        match rest {
            "" => (name, None),
            _ => (name, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

fn is_ip_literal(name: &str) -> bool {
    name.parse::<Ipv4Addr>().is_ok()
        || name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).is_some_and(|n| n.parse::<Ipv6Addr>().is_ok())
}

/// Answers only requests addressed to this server (see [`Hosts`]). A request
/// naming no host at all comes from no browser, and is served.
async fn check_host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let header = request.headers().get(header::HOST).map(|h| h.to_str().unwrap_or("(not text)"));
    let authority = request.uri().authority().map(|a| a.as_str());
    match header.into_iter().chain(authority).find(|host| !hosts.allows(host)) {
        None => next.run(request).await,
        Some(host) => {
            let shown: String = host.chars().take(100).collect();
            let body = format!(
                "charted serve refused this request: it is addressed to `{shown}`, and this preview answers only {}.\n\
                 This keeps a web page from reading it through a name of its own (DNS rebinding).\n\
                 To open the preview under another name, pass that address as --base-url \
                 (for example --base-url http://NAME:PORT/).\n",
                hosts.listed()
            );
            let mut response = respond(StatusCode::MISDIRECTED_REQUEST, "refused.txt", bytes::Bytes::from(body));
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// The dev server's connection limits.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// To send a request's headers, and to start the next request on a kept-alive connection.
    pub header: Duration,
    /// With no byte moving either way.
    pub idle: Duration,
}

/// Serves HTTP/1.1 on `listener` until the runtime stops. Not `axum::serve`,
/// which sets no header-read timeout: a client that sends half a header
/// would hold its connection forever.
pub async fn serve(listener: tokio::net::TcpListener, router: Router, timeouts: Timeouts) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, router.clone(), timeouts));
            }
            // Out of file descriptors, most likely: wait for connections to end rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// One connection, closed when its headers take longer than `timeouts.header`
/// or it moves no byte for `timeouts.idle`.
async fn connection(stream: tokio::net::TcpStream, router: Router, timeouts: Timeouts) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = hyper_util::rt::TokioIo::new(Watched { inner: stream, activity: Arc::clone(&activity) });
    let service = hyper_util::service::TowerToHyperService::new(router);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(timeouts.header);
    tokio::select! {
        // A connection that fails (a malformed request, a timeout) just ends.
        _ = builder.serve_connection(io, service) => {}
        () = activity.idle_for(timeouts.idle) => {}
    }
}

/// When a connection last moved a byte.
struct Activity {
    start: tokio::time::Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity { start: tokio::time::Instant::now(), last: AtomicU64::new(0) }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// Completes once no byte has moved for `limit`.
    async fn idle_for(&self, limit: Duration) {
        loop {
            let deadline = self.start + Duration::from_millis(self.last.load(Ordering::Relaxed)) + limit;
            if tokio::time::Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A connection that records each byte moved in its [`Activity`].
struct Watched<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Watched<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], SCRIPT)
        .into_response()
}

fn event(notice: &Notice) -> Event {
    match notice {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Css => Event::default().event("css").data("css"),
        Notice::Problems(text) => Event::default().event("problems").data(text.as_ref()),
    }
}

async fn livereload(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let mut first = vec![Event::default().event("hello").data("charted")];
    if let Some(problems) = shared.problems.read().unwrap_or_else(|p| p.into_inner()).clone() {
        first.push(event(&Notice::Problems(problems)));
    }
    let updates = BroadcastStream::new(shared.notices.subscribe()).filter_map(|n| n.ok().map(|n| event(&n)));
    let stream = tokio_stream::iter(first).chain(updates).map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Maps a request path to a file of the site: percent-decoded, `index.html`
/// for folders; `None` for anything that tries to climb out (`..`).
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains('\0') => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Where a folder's path without its `/` redirects, spelt from the cleaned
/// `path` (see [`site_path`]), never from the request: `//charter/` or
/// `/\charter/` would send the browser to another host.
pub fn folder_location(path: &str, query: Option<&str>) -> HeaderValue {
    let mut location = String::with_capacity(path.len() + 2);
    location.push('/');
    for byte in path.bytes() {
        // Everything a path segment may hold as is (RFC 3986), and `/`.
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&byte) {
            location.push(char::from(byte));
        } else {
            location.push_str(&format!("%{byte:02X}"));
        }
    }
    location.push('/');
    let with_query = query.map(|q| format!("{location}?{q}"));
    with_query
        .and_then(|l| HeaderValue::from_str(&l).ok())
        .or_else(|| HeaderValue::from_str(&location).ok())
        .unwrap_or(HeaderValue::from_static("/"))
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Adds the live-reload script to an HTML page, just before `</body>`.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A file of the site as served: HTML pages get the live-reload script here,
/// per request, so the site in memory stays exactly what `build` writes.
fn respond_file(status: StatusCode, path: &str, bytes: &bytes::Bytes) -> Response {
    let body = if path.ends_with(".html") { bytes::Bytes::from(inject(bytes)) } else { bytes.clone() };
    respond(status, path, body)
}

fn respond(status: StatusCode, path: &str, bytes: bytes::Bytes) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript" || mime.subtype() == "json" => format!("{mime}; charset=utf-8"),
        _ => mime.to_string(),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// What is served before the site ever built: its problems, with the script
/// so the page reloads once they are fixed.
fn problems_page(problems: &str) -> Response {
    let escaped = crate::escape::html(problems);
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>charted: the site has errors</title></head>\
         <body><h1>The site has errors</h1><p>Fix them and this page reloads.</p><pre>{escaped}</pre></body></html>"
    );
    respond(StatusCode::SERVICE_UNAVAILABLE, "problems.html", bytes::Bytes::from(inject(html.as_bytes())))
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let site = shared.site();
    if site.is_empty() {
        let problems = shared.problems.read().unwrap_or_else(|p| p.into_inner()).clone();
        return problems_page(problems.as_deref().unwrap_or("The site is being built."));
    }
    let raw = uri.path();
    if let Some(path) = site_path(raw) {
        if let Some(bytes) = site.get(&path) {
            return respond_file(StatusCode::OK, &path, bytes);
        }
        // `/pain/x` → `/pain/x/`, so the page's relative links resolve.
        if !raw.ends_with('/') && site.get(&format!("{path}/index.html")).is_some() {
            let location = folder_location(&path, uri.query());
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
        }
    }
    match site.get("404.html") {
        Some(bytes) => respond_file(StatusCode::NOT_FOUND, "404.html", bytes),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_climb_out() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/pain/x/").as_deref(), Some("pain/x/index.html"));
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/pain/%2E%2E/%2e%2e/x"), None);
        assert_eq!(site_path("/a/..%2f..%2fetc"), None);
        assert_eq!(site_path("/bad%zz"), None);
        assert_eq!(site_path("//etc/passwd").as_deref(), Some("etc/passwd"));
    }

    #[test]
    fn folder_redirects_stay_on_this_site() {
        let at = |raw: &str| folder_location(&site_path(raw).unwrap(), None);
        assert_eq!(at("/pain/x"), "/pain/x/");
        assert_eq!(at("//charter"), "/charter/");
        assert_eq!(at("///charter"), "/charter/");
        assert_eq!(at("/%2F%2Fcharter"), "/charter/");
        assert_eq!(at("/a%20b"), "/a%20b/");
        assert_eq!(at("/caf%C3%A9"), "/caf%C3%A9/");
        assert_eq!(folder_location("pain/x", Some("q=1")), "/pain/x/?q=1");
        assert_eq!(site_path("/\\evil.example"), None, "a backslash never names a file");
        assert_eq!(site_path("/%5Cevil.example"), None);
    }

    #[test]
    fn answers_only_its_own_host_names() {
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap(), None);
        for ok in ["localhost:4000", "LOCALHOST:4000", "localhost", "127.0.0.1:4000", "[::1]:4000", "127.0.0.1"] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in
            ["evil.example", "evil.example:4000", "localhost:4001", "localhost.evil.example", "", ":4000", "[::1"]
        {
            assert!(!hosts.allows(refused), "{refused}");
        }
        let proxied = Hosts::new("127.0.0.1:4000".parse().unwrap(), Some("http://devbox:1111/"));
        assert!(proxied.allows("devbox:1111") && proxied.allows("devbox") && !proxied.allows("devbox:4000"));
        let everywhere = Hosts::new("0.0.0.0:4000".parse().unwrap(), None);
        assert!(everywhere.allows("192.168.1.20:4000") && everywhere.allows("[fe80::1]:4000"));
        assert!(!everywhere.allows("rebind.evil.example:4000") && !everywhere.allows("192.168.1.20:80"));
    }

    #[test]
    fn injects_before_the_closing_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script src=\"/__charted/livereload.js\" defer></script></body></html>");
    }
}

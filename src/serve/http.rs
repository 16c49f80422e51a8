//! The development HTTP server: the in-memory site, the live-reload stream,
//! and nothing else. This is the only module that knows HTTP.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::write::MemorySite;

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

/// The router: the live-reload stream and script, and the site for everything else.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVERELOAD, get(livereload))
        .route(SCRIPT_PATH, get(script))
        .fallback(get(file))
        .with_state(shared)
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
    let escaped = crate::markdown::highlight::escape_html(problems);
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
            let location = format!("{raw}/");
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
    fn injects_before_the_closing_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script src=\"/__charted/livereload.js\" defer></script></body></html>");
    }
}

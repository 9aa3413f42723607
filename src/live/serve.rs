//! The preview server: serves the built site over HTTP, injects a small
//! live-reload script into HTML pages (never into `build` output), and
//! pushes `reload` and `error` events to open pages by server-sent events.
//! A failed rebuild keeps the last good pages served and shows the error as
//! an overlay until the file is fixed.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::sync::broadcast;

use super::memory::{Answer, Memory};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

/// Where the live-reload events are served.
pub(crate) const EVENTS_PATH: &str = "/__gazette/events";

/// The script injected before `</body>` of served HTML pages.
pub(crate) const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// What the open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// The site was rebuilt: reload.
    Reload,
    /// The search index caught up with the pages: the search page reloads
    /// (other pages show nothing of the index).
    SearchReload,
    /// The last rebuild failed: show this text over the page.
    Error(String),
}

/// Shared between the rebuild loop and the HTTP handlers.
#[derive(Clone)]
pub struct Preview {
    dir: Arc<PathBuf>,
    notices: broadcast::Sender<Notice>,
    current_error: Arc<RwLock<Option<String>>>,
    /// The live site, which answers what the files do not hold yet.
    memory: Option<Arc<Memory>>,
}

impl Preview {
    /// A preview of the site built into `dir`, served from its files.
    pub fn new(dir: &Path) -> Preview {
        let (notices, _) = broadcast::channel(64);
        Preview {
            dir: Arc::new(dir.to_path_buf()),
            notices,
            current_error: Arc::new(RwLock::new(None)),
            memory: None,
        }
    }

    /// A preview of a live site being built into `dir` (`Live::preview`).
    pub(crate) fn of_memory(dir: &Path, memory: Arc<Memory>) -> Preview {
        Preview {
            memory: Some(memory),
            ..Preview::new(dir)
        }
    }

    /// Tells every open page that the site changed (clearing any error).
    pub fn reloaded(&self) {
        *self.current_error.write().expect("lock not poisoned") = None;
        let _ = self.notices.send(Notice::Reload);
    }

    /// Tells the open search pages that the search index caught up.
    pub fn search_updated(&self) {
        let _ = self.notices.send(Notice::SearchReload);
    }

    /// Tells every open page that the last rebuild failed.
    pub fn failed(&self, message: String) {
        *self.current_error.write().expect("lock not poisoned") = Some(message.clone());
        let _ = self.notices.send(Notice::Error(message));
    }

    /// The HTTP routes.
    pub(crate) fn router(&self) -> Router {
        Router::new()
            .route(EVENTS_PATH, get(events))
            .fallback(get(file))
            .with_state(self.clone())
    }
}

/// Binds `interface:port`, or the next free port above it (up to 20 tries).
pub fn bind_preview(interface: &str, port: u16) -> std::io::Result<TcpListener> {
    let host: IpAddr = match interface.parse() {
        Ok(ip) => ip,
        Err(_) => (interface, 0)
            .to_socket_addrs()?
            .next()
            .map(|a| a.ip())
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("unknown interface {interface}"),
                )
            })?,
    };
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(19)
    };
    let mut last_error = None;
    for candidate in port..=last {
        match TcpListener::bind(SocketAddr::new(host, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no port to try")))
}

/// The URL of a bound address (`http://[::1]:1111/` for IPv6).
pub fn preview_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        addr.ip()
    };
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", addr.port()),
        IpAddr::V4(v4) => format!("http://{v4}:{}/", addr.port()),
    }
}

/// Serves `preview` on `listener` until the process ends.
pub async fn serve_preview(preview: Preview, listener: TcpListener) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, preview.router()).await
}

/// The query of the events request: the page that listens.
#[derive(Debug, Deserialize)]
struct Listener {
    page: Option<String>,
}

/// Counts a page as open while its events stream lives.
struct OpenPage {
    memory: Arc<Memory>,
    page: String,
}

impl OpenPage {
    fn new(memory: Arc<Memory>, page: String) -> OpenPage {
        memory.page_open(&page, true);
        OpenPage { memory, page }
    }
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        self.memory.page_open(&self.page, false);
    }
}

async fn events(
    State(preview): State<Preview>,
    Query(listener): Query<Listener>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let open = match (&preview.memory, listener.page) {
        (Some(memory), Some(page)) if page.starts_with('/') && page.len() < 2048 => {
            Some(OpenPage::new(memory.clone(), page))
        }
        _ => None,
    };
    let first = preview
        .current_error
        .read()
        .expect("lock not poisoned")
        .clone()
        .map(Notice::Error);
    let updates = BroadcastStream::new(preview.notices.subscribe()).filter_map(|n| n.ok());
    let search_page = open
        .as_ref()
        .is_some_and(|o| o.page.starts_with(crate::search::SEARCH_DIR));
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .filter_map(move |notice| {
            let _listening = &open;
            Some(Ok(match notice {
                Notice::Reload => Event::default().event("reload").data("reload"),
                Notice::SearchReload if search_page => {
                    Event::default().event("reload").data("search")
                }
                Notice::SearchReload => return None,
                Notice::Error(text) => Event::default().event("build-error").data(text),
            }))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(preview): State<Preview>, uri: Uri) -> Response {
    let Some(rel) = safe_relative_path(uri.path()) else {
        return (
            StatusCode::FORBIDDEN,
            "403 Forbidden: that path leaves the site\n",
        )
            .into_response();
    };
    if let Some(memory) = preview.memory.clone() {
        if let Some(response) = from_memory(memory, rel.clone(), uri.path().ends_with('/')).await {
            return response;
        }
    }
    let mut path = preview.dir.join(&rel);
    if path.is_dir() {
        if !uri.path().ends_with('/') {
            // Built from the checked path: `//people` must not become a
            // protocol-relative `//people/`.
            let segments: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            let location = format!("/{}/", segments.join("/")).replace("//", "/");
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        path = path.join("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => respond(StatusCode::OK, &path, bytes),
        Err(_) => {
            let not_found = preview.dir.join("404.html");
            match tokio::fs::read(&not_found).await {
                Ok(bytes) => respond(StatusCode::NOT_FOUND, &not_found, bytes),
                Err(_) => (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
            }
        }
    }
}

/// The answer from the live site, while the files are behind it (`None`:
/// serve the file on disk). Waits for the first load.
async fn from_memory(memory: Arc<Memory>, rel: PathBuf, dir: bool) -> Option<Response> {
    memory.wait_loaded().await;
    let answer = tokio::task::spawn_blocking(move || memory.answer(&rel, dir))
        .await
        .unwrap_or(Answer::Disk);
    match answer {
        Answer::Bytes(file, bytes) => Some(respond(StatusCode::OK, Path::new(&file), bytes)),
        Answer::NotFound(bytes) => {
            Some(respond(StatusCode::NOT_FOUND, Path::new("404.html"), bytes))
        }
        Answer::Redirect(location) => Some(
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response(),
        ),
        Answer::Disk => None,
    }
}

fn respond(status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html { inject_reload(bytes) } else { bytes };
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/xml"
            || mime.essence_str() == "application/atom+xml" =>
        {
            format!("{}; charset=utf-8", mime.essence_str())
        }
        _ => mime.essence_str().to_string(),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Inserts the live-reload script before `</body>` (or at the end).
pub(crate) fn inject_reload(mut html: Vec<u8>) -> Vec<u8> {
    let script = format!("<script>{RELOAD_SCRIPT}</script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, script.into_bytes());
    html
}

/// The file path a request path names under the site, or `None` when it
/// would leave it (`..` in any spelling, backslashes, NUL).
pub(crate) fn safe_relative_path(request_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(request_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut out = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(safe_relative_path("/a/b/"), Some(PathBuf::from("a/b")));
        assert_eq!(safe_relative_path("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative_path("/../etc/passwd"), None);
        assert_eq!(safe_relative_path("/a/%2e%2e/%2e%2e/etc"), None);
        assert_eq!(safe_relative_path("/a/%2E%2E/x"), None);
        assert_eq!(safe_relative_path("/a%5c..%5cx"), None);
    }

    #[test]
    fn script_goes_before_body_end() {
        let out =
            String::from_utf8(inject_reload(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert!(out.contains("x<script>"), "{out}");
        assert!(out.ends_with("</script></body></html>"), "{out}");
    }
}

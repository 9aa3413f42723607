//! End to end in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver HTTP API, opens a page of `gazette serve`; the
//! article file is edited on disk and the open page must reload by itself
//! and show the new text (and show a broken build's error over the page).
//!
//! Needs Debian's `chromium` and `chromium-driver` packages. Without them the
//! test fails on CI (`CI=true`) and is skipped with a notice elsewhere.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::common::{http_request, md_body, poll_until, Serving, SiteFixture, PATIENCE};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The installed program at `default` (or on PATH), if any.
fn tool(default: &str) -> Option<PathBuf> {
    let default = Path::new(default);
    if default.is_file() {
        return Some(default.to_path_buf());
    }
    let name = default.file_name()?;
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or `None` after printing why the test is
/// skipped; on CI a missing browser is a failure.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    match (tool(CHROMIUM), tool(CHROMEDRIVER)) {
        (Some(chromium), Some(driver)) => Some((chromium, driver)),
        (chromium, driver) => {
            let missing: Vec<&str> = [
                chromium.is_none().then_some("chromium"),
                driver
                    .is_none()
                    .then_some("chromedriver (package chromium-driver)"),
            ]
            .into_iter()
            .flatten()
            .collect();
            let message = format!(
                "the browser test needs {} (apt-get install -y chromium chromium-driver)",
                missing.join(" and ")
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{message}; CI must install them (see .ci/run)");
            }
            eprintln!("skipped: {message}");
            None
        }
    }
}

/// chromedriver and one browser session; the session is closed (so the
/// browser quits) and chromedriver killed on drop, even on panic.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: Option<String>,
    profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("a free port");
            probe.local_addr().unwrap().port()
        };
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
        let profile = tempfile::Builder::new()
            .prefix("gazette-chromium-")
            .tempdir()
            .expect("a profile dir");
        let mut browser = Browser {
            driver,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            session: None,
            profile,
        };
        poll_until("chromedriver to be ready", PATIENCE, || {
            if let Ok(Some(status)) = browser.driver.try_wait() {
                panic!("chromedriver exited at start ({status})");
            }
            browser
                .call("GET", "/status", None)
                .and_then(|v| match v["ready"].as_bool() {
                    Some(true) => Ok(()),
                    _ => Err(format!("not ready: {v}")),
                })
        });
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            format!("--user-data-dir={}", browser.profile.path().display()),
        ]);
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium.to_string_lossy(),
                        "args": args,
                    }
                }
            }
        });
        let created = browser
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("cannot start a headless Chromium session: {e}"));
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {created}"))
            .to_string();
        browser.session = Some(id);
        browser
    }

    /// One WebDriver command; the `value` of the answer, or its error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let text = body.map(|b| b.to_string());
        let r = http_request(self.addr, method, path, text.as_deref())
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("{method} {path}: {e}: {}", r.text()))?;
        if r.status == 200 {
            Ok(v["value"].clone())
        } else {
            Err(format!(
                "{method} {path}: {} {}: {}",
                r.status, v["value"]["error"], v["value"]["message"]
            ))
        }
    }

    /// A command of the current session.
    fn session_call(&self, method: &str, rest: &str, body: Option<Value>) -> Result<Value, String> {
        let id = self.session.as_deref().expect("a session");
        self.call(method, &format!("/session/{id}{rest}"), body)
    }

    fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })))
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// Runs `script` (a function body) in the page; errors while the page
    /// is reloading come back as `Err`.
    fn js(&self, script: &str) -> Result<Value, String> {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.session.is_some() {
            let _ = self.session_call("DELETE", "", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Records every EventSource a page opens, before the page's own scripts
/// run, so the test knows when the live-reload stream is connected.
const TRACK_EVENT_SOURCES: &str = "(function () {
  var Original = window.EventSource;
  window.__gazetteSources = [];
  window.EventSource = function (url, options) {
    var source = new Original(url, options);
    window.__gazetteSources.push(source);
    return source;
  };
  window.EventSource.prototype = Original.prototype;
})();";

/// What the page shows, its marker, and whether its stream is open.
const LOOK: &str = "return {
  text: document.body ? document.body.innerText : '',
  marker: window.__gazetteMarker === undefined ? null : window.__gazetteMarker,
  connected: (window.__gazetteSources || []).some(function (s) { return s.readyState === 1; }),
  overlay: (document.getElementById('gazette-error') || {}).textContent || null,
  ready: document.readyState
};";

const TALKS: &str = "content/2026/02/talks.md";

fn talks(body: &str) -> String {
    md_body(
        "Talks resume",
        "2026-02-10",
        "people: [Ann Lee]\ntags: [diplomacy]\nsummary: \"Talks summary.\"\n",
        &format!("{body}\n"),
    )
}

/// Polls the page until `ok` holds for what [`LOOK`] returns.
fn wait_for_page(browser: &Browser, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    poll_until(what, PATIENCE, || match browser.js(LOOK) {
        Ok(v) if ok(&v) => Ok(v),
        Ok(v) => Err(v.to_string()),
        Err(e) => Err(e),
    })
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let fixture = SiteFixture::new()
        .file(TALKS, talks("Original body text."))
        .file(
            "content/2026/01/older.md",
            md_body("Older story", "2026-01-03", "", "Older body.\n"),
        );
    let server = Serving::start(fixture.root(), &fixture.out(), &[]);
    let browser = Browser::start(&chromium, &chromedriver);
    browser
        .session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": { "source": TRACK_EVENT_SOURCES }
            })),
        )
        .unwrap_or_else(|e| panic!("install the EventSource tracker: {e}"));

    let page_url = format!("{}2026/02/talks/", server.url);
    browser.goto(&page_url);
    wait_for_page(
        &browser,
        "the page to load and connect its event stream",
        |v| {
            v["text"]
                .as_str()
                .unwrap_or("")
                .contains("Original body text.")
                && v["connected"] == true
        },
    );
    browser
        .js("window.__gazetteMarker = 1; return window.__gazetteMarker;")
        .expect("set the marker");

    // Edit the file on disk: the page reloads by itself (the marker set on
    // the old document is gone) and shows the new text.
    std::fs::write(
        fixture.root().join(TALKS),
        talks("Edited in the browser test."),
    )
    .unwrap();
    let after = wait_for_page(&browser, "the page to reload with the new text", |v| {
        v["text"]
            .as_str()
            .unwrap_or("")
            .contains("Edited in the browser test.")
            && v["marker"].is_null()
    });
    assert!(after["overlay"].is_null(), "{after}");
    assert!(!after["text"]
        .as_str()
        .unwrap_or("")
        .contains("Original body text."));

    // A broken file: the error is shown over the page, which stays as it was.
    wait_for_page(&browser, "the reloaded page's stream to connect", |v| {
        v["connected"] == true
    });
    browser
        .js("window.__gazetteMarker = 2; return 2;")
        .expect("set the marker");
    std::fs::write(
        fixture.root().join(TALKS),
        "---\ntitle: Talks resume\ndate: 2026-02-10\nsource: a: b\n---\nBroken.\n",
    )
    .unwrap();
    let broken = wait_for_page(&browser, "the error overlay", |v| {
        v["overlay"]
            .as_str()
            .is_some_and(|t| t.contains("content/2026/02/talks.md:4:"))
    });
    assert_eq!(broken["marker"], 2, "the page must not reload on an error");
    assert!(broken["text"]
        .as_str()
        .unwrap_or("")
        .contains("Edited in the browser test."));

    // Fixed: the page reloads again, without the overlay.
    std::fs::write(
        fixture.root().join(TALKS),
        talks("Fixed in the browser test."),
    )
    .unwrap();
    wait_for_page(&browser, "the fixed page", |v| {
        v["text"]
            .as_str()
            .unwrap_or("")
            .contains("Fixed in the browser test.")
            && v["marker"].is_null()
            && v["overlay"].is_null()
    });
    drop(browser);
    drop(server);
}

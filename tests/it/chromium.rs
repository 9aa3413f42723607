//! Headless Chromium for the tests that look at pages as a person does,
//! driven through chromedriver's WebDriver HTTP API (and the DevTools
//! Protocol it forwards): Debian's `chromium` and `chromium-driver`. Without
//! them a test fails on CI (`CI=true`) and is skipped with a notice
//! elsewhere.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::common::{http_request, poll_until, PATIENCE};

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
pub(crate) fn browser_tools() -> Option<(PathBuf, PathBuf)> {
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
pub(crate) struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: Option<String>,
    profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) fn start(chromium: &Path, chromedriver: &Path) -> Browser {
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
                    "goog:loggingPrefs": { "browser": "ALL" },
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
    pub(crate) fn session_call(
        &self,
        method: &str,
        rest: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let id = self.session.as_deref().expect("a session");
        self.call(method, &format!("/session/{id}{rest}"), body)
    }

    pub(crate) fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })))
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// Runs `script` (a function body) in the page; errors while the page
    /// is reloading come back as `Err`.
    pub(crate) fn js(&self, script: &str) -> Result<Value, String> {
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

impl Browser {
    /// Runs a Chrome DevTools Protocol command in the page.
    pub(crate) fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Makes the page `width` CSS pixels wide (a phone's viewport below
    /// 600), with the colour scheme `scheme` (`light` or `dark`).
    pub(crate) fn emulate(&self, width: u32, scheme: &str) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// A PNG of the whole page (beyond the viewport), written to `path`.
    pub(crate) fn screenshot(&self, path: &Path) {
        use base64::Engine as _;
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        );
        let data = shot["data"].as_str().expect("screenshot data");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64 PNG");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// The browser console's messages of level SEVERE since the last call
    /// (failed loads such as a missing favicon, script errors).
    pub(crate) fn console_errors(&self) -> Vec<String> {
        let log = self
            .session_call("POST", "/se/log", Some(json!({ "type": "browser" })))
            .unwrap_or_else(|e| panic!("the browser log: {e}"));
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Types `text` into the element `css` selects, key by key, as a
    /// person would (each key fires the input's events).
    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let found = self
            .session_call(
                "POST",
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .unwrap_or_else(|e| panic!("find {css}: {e}"));
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element id for {css}: {found}"))
            .to_string();
        self.session_call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Presses Tab once, as a keyboard user would.
    pub(crate) fn press_tab(&self) {
        let tab = "\u{E004}";
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": tab }, { "type": "keyUp", "value": tab }
        ]}]});
        self.session_call("POST", "/actions", Some(actions))
            .unwrap_or_else(|e| panic!("press Tab: {e}"));
    }
}

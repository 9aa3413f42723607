//! End to end in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver HTTP API, opens a page of `gazette serve`; the
//! article file is edited on disk and the open page must reload by itself
//! and show the new text (and show a broken build's error over the page).
//!
//! Needs Debian's `chromium` and `chromium-driver` packages (see
//! chromium.rs).

use serde_json::{json, Value};

use crate::chromium::{browser_tools, Browser};
use crate::common::{md_body, poll_until, Serving, SiteFixture, PATIENCE};

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

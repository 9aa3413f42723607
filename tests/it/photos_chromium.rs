//! A story's photo in a real browser (headless Chromium): its box has its
//! final size and a placeholder colour before the photo loads, nothing
//! shifts when it does, the caption sits below it, and the list's
//! thumbnail stays inside its card, and a person's portrait sits beside
//! their profile, on a phone and on a wide screen.

use std::path::Path;

use crate::common::{md, SiteFixture};
use crate::photos::{iptc, jpeg, with_image};

/// The lead photo's box, its caption's place, whether it loaded, and the
/// page's layout shift so far.
const PHOTO_LOOK: &str = r"
var img = document.querySelector('figure.photo img'), cap = document.querySelector('figure.photo figcaption');
var r = img.getBoundingClientRect(), c = cap.getBoundingClientRect();
var shift = 0;
(window.__shifts || []).forEach(function (s) { shift += s; });
var thumb = document.querySelector('li.card img.thumb');
return { ready: document.readyState, width: r.width, height: r.height, captionTop: c.top, imgBottom: r.bottom,
  loaded: img.complete && img.naturalWidth > 0, current: img.currentSrc, shift: shift,
  scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  background: getComputedStyle(img).backgroundColor };";

/// Records layout shifts from the start of every page (run before its scripts).
const RECORD_SHIFTS: &str = "window.__shifts = []; new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__shifts.push(e.value); }); }).observe({ type: 'layout-shift', buffered: true });";

#[test]
fn in_chromium_the_photo_keeps_its_box_before_it_loads_and_shows_its_caption() {
    use crate::chromium::{browser_tools, Browser};
    use crate::common::{poll_until, Serving, PATIENCE};
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let fixture = SiteFixture::new()
        .file(
            "content/2026/02/summit.jpg",
            jpeg(
                1600,
                1000,
                12,
                &[iptc("Leaders meet in London.", "Reuters", "")],
            ),
        )
        .file(
            "data/people.yaml",
            "- name: Ann Lee\n  role: Envoy\n  image: {src: people/ann.jpg, alt: Ann Lee at a briefing, credit: Pool}\n",
        )
        .file("static/people/ann.jpg", jpeg(600, 800, 21, &[]))
        .article(
            "2026/02/talks.md",
            with_image(
                "Talks",
                "2026-02-20",
                "{src: summit.jpg, alt: Leaders at a table}\npeople: [Ann Lee]\npictured: [Ann Lee]",
            ),
        )
        .article("2026/02/other.md", md("Other", "2026-02-19", ""));
    let out = tempfile::tempdir().unwrap();
    let serving = Serving::start(fixture.root(), out.path(), &[]);
    // The preview's start read only the photo's header: its colour comes
    // once the photo is finished in the background.
    serving.wait_for_text("/2026/02/talks/", "background-color");
    let browser = Browser::start(&chromium, &chromedriver);
    browser.cdp("Page.enable", serde_json::json!({}));
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": RECORD_SHIFTS }),
    );
    browser.cdp("Network.enable", serde_json::json!({}));
    browser.cdp(
        "Network.setCacheDisabled",
        serde_json::json!({ "cacheDisabled": true }),
    );
    let url = format!("{}2026/02/talks/", serving.url);
    let look = |what: &str| {
        poll_until(what, PATIENCE, || match browser.js(PHOTO_LOOK) {
            Ok(v) if v["ready"] == "complete" => Ok(v),
            Ok(v) => Err(v.to_string()),
            Err(e) => Err(e),
        })
    };
    for width in [390u32, 1280] {
        browser.emulate(width, "light");
        // The photo's copies never arrive: the box is already its final size.
        browser.cdp(
            "Network.setBlockedURLs",
            serde_json::json!({ "urls": ["*/photos/*"] }),
        );
        browser.goto(&url);
        let blocked = look("the page without its photo");
        assert_eq!(blocked["loaded"], false, "{blocked}");
        let (w, h) = (
            blocked["width"].as_f64().unwrap(),
            blocked["height"].as_f64().unwrap(),
        );
        assert!(
            w > 100.0 && (h - w * 1000.0 / 1600.0).abs() < 1.0,
            "the box keeps the photo's shape at {width}: {blocked}"
        );
        assert!(
            blocked["captionTop"].as_f64() >= blocked["imgBottom"].as_f64(),
            "{blocked}"
        );
        assert_ne!(
            blocked["background"], "rgba(0, 0, 0, 0)",
            "a placeholder colour: {blocked}"
        );
        // With the photo: the same box, no layout shift, a copy of the right width.
        browser.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": [] }));
        browser.goto(&url);
        let shown = poll_until("the photo to load", PATIENCE, || {
            match browser.js(PHOTO_LOOK) {
                Ok(v) if v["loaded"] == true => Ok(v),
                Ok(v) => Err(v.to_string()),
                Err(e) => Err(e),
            }
        });
        assert_eq!(shown["height"], blocked["height"], "{shown}");
        assert_eq!(
            shown["shift"].as_f64(),
            Some(0.0),
            "no layout shift at {width}: {shown}"
        );
        assert!(
            shown["current"].as_str().unwrap().contains("/photos/"),
            "{shown}"
        );
        assert!(
            shown["scrollWidth"].as_u64() <= shown["innerWidth"].as_u64(),
            "{shown}"
        );
        browser.screenshot(&screenshots().join(format!("photo-article-{width}.png")));
        // The list: the thumbnail sits beside the card, inside the page.
        browser.goto(&format!("{}2026/02/", serving.url));
        let list = poll_until("the list", PATIENCE, || {
            browser
                .js("var t = document.querySelector('li.card img.thumb'); if (!t || !t.complete) return null;
                     var r = t.getBoundingClientRect(), c = t.closest('li').getBoundingClientRect();
                     return { w: r.width, h: r.height, right: r.right, cardRight: c.right, natural: t.naturalWidth,
                              scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };")
                .and_then(|v| if v.is_null() { Err("no thumbnail yet".into()) } else { Ok(v) })
        });
        let (tw, th) = (list["w"].as_f64().unwrap(), list["h"].as_f64().unwrap());
        assert!((th - tw * 0.75).abs() < 1.0 && tw >= 80.0, "{list}");
        assert!(
            list["right"].as_f64() <= list["cardRight"].as_f64(),
            "{list}"
        );
        assert!(
            list["scrollWidth"].as_u64() <= list["innerWidth"].as_u64(),
            "{list}"
        );
        assert_eq!(list["natural"], 320, "{list}");
        browser.screenshot(&screenshots().join(format!("photo-list-{width}.png")));
        portrait_fits(&browser, &format!("{}people/ann-lee/", serving.url), width);
    }
    let errors: Vec<String> = browser
        .console_errors()
        .into_iter()
        .filter(|e| !e.contains("ERR_BLOCKED_BY_CLIENT"))
        .collect();
    assert!(errors.is_empty(), "console errors {errors:#?}");
}

/// A person's page: the portrait loaded beside the profile, 11rem wide on
/// a wide screen and 36% of a phone's width, inside the page.
fn portrait_fits(browser: &crate::chromium::Browser, url: &str, width: u32) {
    use crate::common::{poll_until, PATIENCE};
    browser.goto(url);
    let look = poll_until("the portrait", PATIENCE, || {
        browser
            .js("var i = document.querySelector('figure.portrait img'); if (!i || !i.complete) return null;
                 var r = i.getBoundingClientRect(), h = document.querySelector('h1').getBoundingClientRect();
                 return { w: r.width, h: r.height, right: r.right, top: r.top, h1Bottom: h.bottom,
                          natural: i.naturalWidth, inPhotos: document.querySelectorAll('section.pictured img').length,
                          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };")
            .and_then(|v| if v.is_null() { Err("no portrait yet".into()) } else { Ok(v) })
    });
    let (w, h) = (look["w"].as_f64().unwrap(), look["h"].as_f64().unwrap());
    let expected = if width > 480 {
        176.0
    } else {
        width as f64 * 0.36
    };
    assert!(
        (w - expected).abs() < 2.0,
        "portrait width at {width}: {look}"
    );
    assert!((h - w * 800.0 / 600.0).abs() < 1.0, "its shape: {look}");
    assert!(look["natural"].as_u64() > Some(0), "{look}");
    assert_eq!(look["inPhotos"], 1, "the photo Ann is pictured in: {look}");
    assert!(
        look["right"].as_f64() <= look["innerWidth"].as_f64()
            && look["scrollWidth"].as_u64() <= look["innerWidth"].as_u64(),
        "inside the page: {look}"
    );
    browser.screenshot(&screenshots().join(format!("person-portrait-{width}.png")));
}

fn screenshots() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

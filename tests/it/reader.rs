//! The reader's site as a person sees it, in headless Chromium: the example
//! site served by `gazette serve`, its home, an article, a person's and a
//! country's page, at a phone's 390 px and a desk's 1280 px, in the light
//! and the dark colour scheme. Screenshots of each go to
//! target/screenshots/ for people to look at.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::chromium::{browser_tools, Browser};
use crate::common::{md, poll_until, Serving, SiteFixture, PATIENCE};

/// The pages of the example site a reader lands on most.
const PAGES: [(&str, &str); 9] = [
    ("home", "/"),
    (
        "article",
        "/2026/02/european-defence-ministers-demand-robust-guarantees-for-ukraine/",
    ),
    (
        "article-photo",
        "/2025/03/lancaster-house-summit-backs-plan-for-ukraine/",
    ),
    ("month-photo", "/2025/03/"),
    ("person", "/people/volodymyr-zelenskiy/"),
    ("country", "/countries/ukraine/"),
    ("story", "/stories/coalition-of-the-willing/"),
    ("countries", "/countries/"),
    ("on-this-day", "/on-this-day/03-02/"),
];

/// What a page looks like to the test: its size, its colours, its parts,
/// and the contrast of every kind of text on it.
const LOOK: &str = r#"
function rgb(s) { var m = s.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; }
function lum(c) { var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
function background(el) { for (; el; el = el.parentElement) { var c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0) return c; }
  return { r: 255, g: 255, b: 255, a: 1 }; }
function contrast(el) { var a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }
var worst = {};
['body', 'h1', 'main a', '.meta', '.count', 'nav.crumbs a', 'nav.sections a', '.card-terms a', '.summary', 'footer.site', 'figcaption', '.pager .off']
  .forEach(function (sel) { document.querySelectorAll(sel).forEach(function (el) {
    if (el.offsetParent === null && sel !== 'body') return;
    var c = contrast(el); if (!(sel in worst) || c < worst[sel]) worst[sel] = c; }); });
return {
  ready: document.readyState,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  background: getComputedStyle(document.body).backgroundColor,
  color: getComputedStyle(document.body).color,
  mains: document.querySelectorAll('main').length,
  headers: document.querySelectorAll('body > header').length,
  footers: document.querySelectorAll('body > footer').length,
  labelledNavs: document.querySelectorAll('nav[aria-label]').length,
  firstFocusable: (document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])') || {}).className || null,
  contrast: worst
};"#;

/// The example site served by `gazette serve` from a fresh folder, and a
/// browser to read it with.
struct Example {
    /// The preview's folder, kept for as long as the server runs.
    _out: tempfile::TempDir,
    serving: Serving,
    browser: Browser,
}

/// The example site in a browser; `None` (the test is skipped, or fails
/// on CI) without the browser.
fn example() -> Option<Example> {
    let (chromium, chromedriver) = browser_tools()?;
    let out = tempfile::tempdir().unwrap();
    let serving = Serving::start(Path::new(env!("CARGO_MANIFEST_DIR")), out.path(), &[]);
    let browser = Browser::start(&chromium, &chromedriver);
    Some(Example {
        _out: out,
        serving,
        browser,
    })
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// Opens `url` and waits until it has loaded.
fn open(browser: &Browser, url: &str) -> Value {
    browser.goto(url);
    poll_until(&format!("{url} to load"), PATIENCE, || {
        match browser.js(LOOK) {
            Ok(v) if v["ready"] == "complete" => Ok(v),
            Ok(v) => Err(v.to_string()),
            Err(e) => Err(e),
        }
    })
}

#[test]
fn every_page_fits_a_phone_and_a_desk_in_light_and_dark() {
    let Some(Example {
        _out,
        serving,
        browser,
    }) = example()
    else {
        return;
    };
    let base = serving.url.trim_end_matches('/');
    for (name, path) in PAGES {
        let url = format!("{base}{path}");
        let mut backgrounds = Vec::new();
        for scheme in ["light", "dark"] {
            for width in [390, 1280] {
                browser.emulate(width, scheme);
                let look = open(&browser, &url);
                let shot = screenshots().join(format!("{name}-{width}-{scheme}.png"));
                browser.screenshot(&shot);
                let at = format!("{name} at {width} px, {scheme}");
                assert!(
                    look["scrollWidth"].as_u64() <= look["innerWidth"].as_u64(),
                    "{at} scrolls sideways: {look}"
                );
                assert_eq!(look["mains"], 1, "{at}: one main");
                assert_eq!(look["headers"], 1, "{at}: one header");
                assert_eq!(look["footers"], 1, "{at}: one footer");
                assert!(look["labelledNavs"].as_u64() >= Some(2), "{at}: {look}");
                assert_eq!(look["firstFocusable"], "skip", "{at}: {look}");
                for (what, ratio) in look["contrast"].as_object().unwrap() {
                    let ratio = ratio.as_f64().unwrap();
                    assert!(
                        ratio >= 4.5,
                        "{at}: `{what}` has contrast {ratio:.2}, under AA's 4.5"
                    );
                }
                backgrounds.push((look["background"].clone(), look["color"].clone()));
            }
        }
        assert_ne!(
            backgrounds[0], backgrounds[2],
            "{name}: the dark scheme changes the page's colours"
        );
        let errors = browser.console_errors();
        assert!(errors.is_empty(), "{name}: console errors {errors:#?}");
    }
}

#[test]
fn tab_reaches_the_skip_link_first_and_it_leads_to_the_content() {
    let Some(Example {
        _out,
        serving,
        browser,
    }) = example()
    else {
        return;
    };
    browser.emulate(390, "light");
    open(&browser, &serving.url);
    browser.press_tab();
    let focused = browser
        .js("var a = document.activeElement, r = a.getBoundingClientRect();
             return { cls: a.className, href: a.getAttribute('href'), top: r.top, height: r.height,
                      visible: getComputedStyle(a).visibility, outline: getComputedStyle(a).outlineStyle };")
        .unwrap();
    assert_eq!(focused["cls"], "skip", "{focused}");
    assert_eq!(focused["href"], "#main", "{focused}");
    assert!(
        focused["top"].as_f64() >= Some(0.0),
        "shown when focused: {focused}"
    );
    assert!(focused["height"].as_f64() > Some(0.0), "{focused}");
    assert_ne!(focused["outline"], "none", "focus is visible: {focused}");
    browser.screenshot(&screenshots().join("skip-link-focused-390.png"));
}

/// A site with a person mentioned once and one mentioned every month for
/// ten years.
fn timeline_site() -> SiteFixture {
    let mut site = SiteFixture::new().article(
        "once.md",
        md("Only once", "2026-02-10", "people: [One Time]\n"),
    );
    for i in 0..120 {
        let (y, m) = (2016 + i / 12, 1 + i % 12);
        site = site.article(
            &format!("{y}/{m:02}/tenure-{i}.md"),
            md(
                &format!("Month {i}"),
                &format!("{y}-{m:02}-15"),
                "people: [Ten Years]\n",
            ),
        );
    }
    site
}

#[test]
fn the_timeline_stays_legible_with_one_mention_or_ten_years() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let site = timeline_site();
    let out = tempfile::tempdir().unwrap();
    let serving = Serving::start(site.root(), out.path(), &[]);
    let browser = Browser::start(&chromium, &chromedriver);
    let base = serving.url.trim_end_matches('/');
    let measure = "var svg = document.querySelector('figure.timeline svg'), box = svg.getBoundingClientRect();
        var bars = Array.from(svg.querySelectorAll('rect')).map(function (r) { return r.getBoundingClientRect().width; });
        var labels = Array.from(document.querySelectorAll('figure.timeline .axis span')).map(function (s) {
          var r = s.getBoundingClientRect(); return { text: s.textContent, left: r.left, right: r.right, height: r.height }; });
        return { width: box.width, height: box.height, bars: bars.length, narrowest: Math.min.apply(null, bars),
                 widest: Math.max.apply(null, bars), labels: labels, fontSize: parseFloat(getComputedStyle(document.querySelector('figure.timeline .axis')).fontSize) };";
    for (slug, bars, from, to) in [
        ("one-time", 1, "March 2025", "February 2026"),
        ("ten-years", 120, "January 2016", "December 2025"),
    ] {
        for width in [390, 1280] {
            browser.emulate(width, "light");
            open(&browser, &format!("{base}/people/{slug}/"));
            let chart = browser.js(measure).unwrap();
            let at = format!("{slug} at {width} px: {chart}");
            assert_eq!(chart["bars"], bars, "{at}");
            assert!(chart["height"].as_f64() >= Some(60.0), "{at}");
            assert!(
                chart["narrowest"].as_f64() >= Some(2.0),
                "bars at least 2 px: {at}"
            );
            // One mention is a bar, not a block across the page.
            assert!(
                chart["widest"].as_f64() <= Some(chart["width"].as_f64().unwrap() / 10.0),
                "{at}"
            );
            let labels = chart["labels"].as_array().unwrap();
            assert_eq!(labels[0]["text"], from, "{at}");
            assert_eq!(labels[1]["text"], to, "{at}");
            assert!(
                labels[0]["right"].as_f64() < labels[1]["left"].as_f64(),
                "labels apart: {at}"
            );
            assert!(chart["fontSize"].as_f64() >= Some(12.0), "{at}");
            browser.screenshot(&screenshots().join(format!("timeline-{slug}-{width}.png")));
        }
    }
}

/// What a printed article keeps and drops, in print media.
const PRINTED: &str = r"
function shown(sel) { var el = document.querySelector(sel); return !!el && getComputedStyle(el).display !== 'none'; }
return {
  header: shown('header.site'), footer: shown('footer.site'), search: shown('form.search'),
  neighbours: shown('.neighbours'), crumbs: shown('nav.crumbs'),
  headline: shown('article h1'), meta: shown('article .meta'), photo: shown('figure.photo'),
  caption: shown('figure.photo figcaption'), body: shown('article .body'),
  address: shown('.print-address') ? document.querySelector('.print-address').textContent : null,
  background: getComputedStyle(document.body).backgroundColor, color: getComputedStyle(document.body).color
};";

#[test]
fn an_article_prints_its_story_and_address_and_not_the_site_s_furniture() {
    let Some(Example {
        _out,
        serving,
        browser,
    }) = example()
    else {
        return;
    };
    let base = serving.url.trim_end_matches('/');
    let url = format!("{base}{}", PAGES[2].1);
    for scheme in ["light", "dark"] {
        browser.emulate(1280, scheme);
        open(&browser, &url);
        let screen = browser.js(PRINTED).unwrap();
        assert_eq!(
            screen["address"],
            Value::Null,
            "the address is for paper only"
        );
        assert_eq!(screen["header"], true);
        browser.cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "print", "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        let paper = browser.js(PRINTED).unwrap();
        for gone in ["header", "footer", "search", "neighbours", "crumbs"] {
            assert_eq!(paper[gone], false, "{scheme}: {gone} is printed: {paper}");
        }
        for kept in ["headline", "meta", "photo", "caption", "body"] {
            assert_eq!(
                paper[kept], true,
                "{scheme}: {kept} is not printed: {paper}"
            );
        }
        let address = paper["address"].as_str().unwrap_or_default();
        assert!(
            address.ends_with(PAGES[2].1),
            "{scheme}: the article's address: {paper}"
        );
        assert_eq!(
            paper["background"], "rgb(255, 255, 255)",
            "{scheme}: white paper"
        );
        assert_eq!(paper["color"], "rgb(0, 0, 0)", "{scheme}: black ink");
        browser.screenshot(&screenshots().join(format!("article-print-{scheme}.png")));
    }
    for (paper, width, height) in [("a4", 8.27, 11.69), ("letter", 8.5, 11.0)] {
        use base64::Engine as _;
        let pdf = browser.cdp(
            "Page.printToPDF",
            serde_json::json!({ "paperWidth": width, "paperHeight": height, "printBackground": false }),
        );
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(pdf["data"].as_str().expect("PDF data"))
            .unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{paper}: a PDF");
        let pages = bytes.windows(10).filter(|w| w == b"/Type /Pag").count();
        assert!(
            (2..=4).contains(&pages),
            "{paper}: {pages} page objects for one article"
        );
        std::fs::write(screenshots().join(format!("article-{paper}.pdf")), bytes).unwrap();
    }
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors {errors:#?}");
}

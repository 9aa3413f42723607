//! The world map: `/countries/`'s links, shades, legend and size, the
//! small maps of a country's and a person's page, and in Chromium, the
//! keyboard, both schemes and the shared outlines drawn.

use scraper::Selector;

use super::newsroom::texts;
use crate::common::{md_body, SiteFixture};

#[test]
fn the_countries_page_maps_each_country_by_its_articles_with_links_and_names() {
    let story = |title: &str, date: &str, countries: &str| {
        md_body(
            title,
            date,
            &format!("countries: [{countries}]\npeople: [\"Ann Lee\"]\n"),
            "Body.\n",
        )
    };
    let built = SiteFixture::new()
        .article("a.md", story("One", "2026-01-01", "France, Ukraine"))
        .article("b.md", story("Two", "2026-01-02", "France, Kosovo"))
        .article("c.md", story("Three", "2026-01-03", "France, Luxembourg"))
        .article("d.md", story("Four", "2026-01-04", "\"<Atlantis>\""))
        .build();
    let page = built.html("/countries/");
    let links = Selector::parse("figure.world-map svg.world a").unwrap();
    let mut seen: Vec<(String, String, String)> = page
        .select(&links)
        .map(|a| {
            let path = a.select(&Selector::parse("path").unwrap()).next().unwrap();
            (
                a.value().attr("href").unwrap().to_string(),
                path.value().attr("class").unwrap().to_string(),
                path.text().collect::<String>(),
            )
        })
        .collect();
    seen.sort();
    let base = crate::common::BASE;
    assert_eq!(
        seen,
        [
            (
                format!("{base}countries/france/"),
                "s5".to_string(),
                "France: 3 articles".to_string()
            ),
            (
                format!("{base}countries/kosovo/"),
                "s1".to_string(),
                "Kosovo: 1 article".to_string()
            ),
            (
                format!("{base}countries/luxembourg/"),
                "s1".to_string(),
                "Luxembourg: 1 article".to_string()
            ),
            (
                format!("{base}countries/ukraine/"),
                "s1".to_string(),
                "Ukraine: 1 article".to_string()
            ),
        ],
        "every mapped country with articles is a link; Atlantis has a page but no outline"
    );
    assert_eq!(
        texts(&page, "figure.world-map .legend .key").len(),
        4,
        "1, 2, 3+ and none"
    );
    let html = built.page("/countries/");
    let svg = &html[html.find("<svg class=\"world\"").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.len() < 110_000, "{} bytes", svg.len());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, svg.as_bytes()).unwrap();
    let zipped = gz.finish().unwrap().len();
    assert!(zipped < 60 * 1024, "{zipped} bytes gzipped");
    // A country's page marks it, a person's shades the countries alongside
    // them: both frame the shared /world.svg, whose outlines take their
    // colours from the page.
    let small = |page: &str| {
        let doc = built.html(page);
        let svg = doc
            .select(&Selector::parse("figure.term-map svg.world").unwrap())
            .next()
            .unwrap();
        let used = svg.select(&Selector::parse("use").unwrap()).next().unwrap();
        assert_eq!(
            used.value().attr("href"),
            Some("https://example.org/world.svg#map")
        );
        svg.value().attr("style").unwrap().to_string()
    };
    assert_eq!(small("/countries/france/"), "--c-FR: var(--accent);");
    let person = small("/people/ann-lee/");
    for code in ["FR", "UA", "XK", "LU"] {
        assert!(person.contains(&format!("--c-{code}: var(--s")), "{person}");
    }
    let world = built.page("/world.svg");
    let doc = roxmltree::Document::parse(&world).expect("world.svg is XML");
    assert!(doc.descendants().any(|n| n.attribute("id") == Some("map")));
    assert!(world.contains("fill: var(--c-UA, var(--land, #dedad0))"));
}

#[test]
fn in_chromium_the_map_s_countries_are_links_a_keyboard_reaches_in_both_schemes() {
    let Some((chromium, chromedriver)) = crate::chromium::browser_tools() else {
        return;
    };
    let site = SiteFixture::new()
        .article(
            "a.md",
            md_body(
                "One",
                "2026-01-01",
                "countries: [France, Ukraine]\npeople: [Ann Lee]\n",
                "Body.\n",
            ),
        )
        .article(
            "b.md",
            md_body(
                "Two",
                "2026-01-02",
                "countries: [France, Poland]\n",
                "Body.\n",
            ),
        );
    let port = crate::common::static_server(site.out(), "/archive/");
    let base = format!("http://127.0.0.1:{port}/archive");
    let out = site.gazette(&["build", "-q", "--base-url", &base]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let browser = crate::chromium::Browser::start(&chromium, &chromedriver);
    let mut fills = Vec::new();
    for scheme in ["light", "dark"] {
        for width in [390, 1280] {
            browser.emulate(width, scheme);
            browser.goto(&format!("{base}/countries/"));
            let look = crate::common::poll_until("the map", crate::common::PATIENCE, || {
                let v = browser.js(
                    "var links = document.querySelectorAll('svg.world a'); if (!links.length || document.readyState !== 'complete') return null; \
                     links[0].focus(); var svg = document.querySelector('svg.world').getBoundingClientRect(); \
                     return { links: links.length, focused: document.activeElement === links[0], \
                     fill: getComputedStyle(document.querySelector('svg.world path.s5')).fill, \
                     land: getComputedStyle(document.querySelector('svg.world path.land')).fill, \
                     width: svg.width, scroll: document.documentElement.scrollWidth, inner: window.innerWidth };",
                )?;
                if v.is_null() {
                    Err("no map yet".into())
                } else {
                    Ok(v)
                }
            });
            assert_eq!(look["links"], 3, "{look}");
            assert_eq!(
                look["focused"], true,
                "a country's link takes the focus: {look}"
            );
            assert!(
                look["scroll"].as_u64() <= look["inner"].as_u64(),
                "no sideways scroll: {look}"
            );
            assert_ne!(look["fill"], look["land"]);
            fills.push(look["fill"].clone());
            let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
                "target/screenshots/countries-map-{width}-{scheme}.png"
            ));
            browser.screenshot(&shot);
        }
    }
    assert_ne!(fills[0], fills[2], "the dark scheme has its own shades");
    // The small maps draw the shared outlines (looked at in the screenshots).
    for (name, page) in [
        ("country", "/countries/ukraine/"),
        ("person", "/people/ann-lee/"),
    ] {
        for scheme in ["light", "dark"] {
            browser.emulate(390, scheme);
            browser.goto(&format!("{base}{page}"));
            let size = crate::common::poll_until("the small map", crate::common::PATIENCE, || {
                let v = browser.js("var s = document.querySelector('figure.term-map svg.world'); return s ? s.getBoundingClientRect().height : null;")?;
                if v.as_f64().is_some_and(|h| h > 50.0) {
                    Ok(v)
                } else {
                    Err(v.to_string())
                }
            });
            assert!(size.as_f64().unwrap() > 50.0);
            let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("target/screenshots/{name}-map-390-{scheme}.png"));
            browser.screenshot(&shot);
        }
    }
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors {errors:#?}");
}

//! Search as a reader uses it, in headless Chromium: the header box of any
//! page, the search page with its filters, a deep link, escaping, scripts
//! turned off, the preview following an edit, and a built site under a
//! sub-path served by a plain static server. Screenshots of the search
//! page go to target/screenshots/. Without a browser: `[search] enabled =
//! false` leaves no trace.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::chromium::{browser_tools, Browser};
use crate::common::{
    list_files, md_body, poll_until, static_server, yaml_str, Serving, SiteFixture, PATIENCE,
};

const PEOPLE_YAML: &str =
    "- name: Volodymyr Zelenskiy\n  aliases: [Zelensky, Volodymyr Zelenskyy]\n  country: Ukraine\n";

const HOSTILE_TITLE: &str =
    "Q&A: </script><b>bold</b> \"quoted\" 'single' <img src=x onerror=alert(1)>";

/// Four articles: one with a word found nowhere else in its body, two
/// naming Zelenskiy as written in the directory, one with a hostile title.
fn fixture() -> SiteFixture {
    SiteFixture::new()
        .file("data/people.yaml", PEOPLE_YAML)
        .article(
            "2026/02/airship.md",
            md_body(
                "Ministers meet in Brussels",
                "2026-02-12",
                "people: [Ann Lee]\ncountries: [Belgium]\ntags: [defence]\nsource: AFP\n",
                "The talks ended late.\n\nA zeppelin was seen over the square.\n",
            ),
        )
        .article(
            "2026/02/kyiv.md",
            md_body(
                "Leaders arrive in Kyiv",
                "2026-02-10",
                "people: [Volodymyr Zelenskiy, Ann Lee]\ncountries: [Ukraine, UK]\ntags: [diplomacy]\nsource: Reuters\n",
                "Talks on guarantees for Ukraine.\n",
            ),
        )
        .article(
            "2025/12/call.md",
            md_body(
                "A call on guarantees",
                "2025-12-01",
                "people: [Zelensky]\ncountries: [Ukraine]\ntags: [diplomacy]\nsource: AFP\n",
                "Guarantees for Ukraine were discussed on the phone.\n",
            ),
        )
        .article(
            "2025/11/odd.md",
            md_body(
                HOSTILE_TITLE,
                "2025-11-20",
                &format!("summary: {}\ncountries: [France]\n", yaml_str("Fish & <i>chips</i> </script> for Ukraine")),
                "Ukraine and markup.\n",
            ),
        )
}

/// What the search UI shows: results, the status line, the filters.
const LOOK: &str = r#"
var items = Array.from(document.querySelectorAll('#search-results li.result, #search-popup li.result'));
return {
  ready: document.readyState,
  marker: window.__searchMarker || null,
  status: (document.getElementById('search-status') || document.querySelector('#search-popup .search-status') || {}).textContent || '',
  titles: items.map(function (li) { return li.querySelector('h3').textContent; }),
  links: items.map(function (li) { return li.querySelector('h3 a').getAttribute('href'); }),
  marks: Array.from(document.querySelectorAll('li.result mark')).map(function (m) { return m.textContent; }),
  injected: document.querySelectorAll('li.result script, li.result img, li.result b, li.result i').length,
  filters: Array.from(document.querySelectorAll('#search-filters input')).map(function (i) {
    return { name: i.name, value: i.value, checked: i.checked, label: document.querySelector('label[for="' + i.id + '"]').textContent };
  }),
  location: location.pathname + location.search,
  hint: Array.from(document.querySelectorAll('#search-hint, #search-popup .search-hint')).map(function (p) { return p.hidden ? '' : p.textContent; }).join(''),
  excerpts: Array.from(document.querySelectorAll('.result-excerpt')).map(function (p) { return p.textContent; }),
  suggested: Array.from(document.querySelectorAll('.did-you-mean a')).map(function (a) { return a.getAttribute('href'); }),
  noscript: Array.from(document.querySelectorAll('main p.notice')).map(function (p) { return p.offsetParent !== null ? p.textContent : ''; }).join('')
};"#;

fn look(browser: &Browser, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    poll_until(what, PATIENCE, || match browser.js(LOOK) {
        Ok(v) if v["ready"] == "complete" && ok(&v) => Ok(v),
        Ok(v) => Err(v.to_string()),
        Err(e) => Err(e),
    })
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[test]
fn a_reader_searches_narrows_and_shares_a_query() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let site = fixture();
    let serving = Serving::start(site.root(), &site.out(), &[]);
    let base = serving.url.trim_end_matches('/').to_string();
    let browser = Browser::start(&chromium, &chromedriver);

    // The header box of an article page: a word only in one body.
    browser.goto(&format!("{base}/2026/02/kyiv/"));
    look(&browser, "the article page", |_| true);
    browser.type_into("#site-search", "zeppelin");
    let v = look(&browser, "one result under the box", |v| {
        strings(&v["titles"]).len() == 1
    });
    assert_eq!(strings(&v["titles"]), ["Ministers meet in Brussels"]);
    assert!(
        v["status"].as_str().unwrap().contains("See the 1 result"),
        "{v}"
    );
    browser.screenshot(&screenshots().join("search-header-box-1280.png"));

    // The search page: a query, then a person filter, without leaving the page.
    browser.goto(&format!("{base}/search/?q=ukraine"));
    let v = look(&browser, "results for ukraine", |v| {
        strings(&v["titles"]).len() == 3
    });
    assert_eq!(
        strings(&v["titles"]),
        [
            "Leaders arrive in Kyiv",
            "A call on guarantees",
            HOSTILE_TITLE
        ],
        "newest first"
    );
    assert!(
        v["status"]
            .as_str()
            .unwrap()
            .starts_with("3 articles match"),
        "{v}"
    );
    let person = v["filters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "volodymyr-zelenskiy")
        .unwrap_or_else(|| panic!("a filter for Zelenskiy: {v}"));
    assert_eq!(person["label"], "Volodymyr Zelenskiy (2)");
    browser.js("window.__searchMarker = 'same page'; document.querySelector('#search-filters input[value=\"volodymyr-zelenskiy\"]').click(); return null;").unwrap();
    let narrowed = look(&browser, "the person filter applied", |v| {
        strings(&v["titles"]).len() == 2
    });
    assert_eq!(narrowed["marker"], "same page", "filtering does not reload");
    assert_eq!(
        strings(&narrowed["titles"]),
        ["Leaders arrive in Kyiv", "A call on guarantees"]
    );
    let shared = narrowed["location"].as_str().unwrap().to_string();
    assert!(shared.contains("person=volodymyr-zelenskiy"), "{shared}");
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    browser.screenshot(&screenshots().join("search-1280.png"));

    // The shared link reproduces the results, with the filter checked.
    browser.goto(&format!("{base}{shared}"));
    let again = look(&browser, "the deep link", |v| {
        strings(&v["titles"]).len() == 2
    });
    assert_eq!(again["titles"], narrowed["titles"]);
    let checked: Vec<&Value> = again["filters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["checked"] == true)
        .collect();
    assert_eq!(checked.len(), 1);
    assert_eq!(checked[0]["value"], "volodymyr-zelenskiy");

    // Aliases: Zelensky finds the articles that write Zelenskiy; UK the
    // United Kingdom's.
    browser.goto(&format!("{base}/search/?q=Zelensky&sort=relevance"));
    let v = look(&browser, "Zelensky", |v| strings(&v["titles"]).len() == 2);
    assert_eq!(
        v["marks"].as_array().map(Vec::len),
        Some(0),
        "an alias is not in the text shown"
    );
    browser.goto(&format!("{base}/search/?q=UK"));
    let v = look(&browser, "UK", |v| strings(&v["titles"]).len() == 1);
    assert_eq!(strings(&v["titles"]), ["Leaders arrive in Kyiv"]);

    // Markup in a title or summary is text, and the words are marked.
    browser.goto(&format!("{base}/search/?q=chips"));
    let v = look(&browser, "the hostile article", |v| {
        strings(&v["titles"]).len() == 1
    });
    assert_eq!(strings(&v["titles"]), [HOSTILE_TITLE]);
    assert_eq!(v["injected"], 0, "{v}");
    assert_eq!(strings(&v["marks"]), ["chips"]);
    browser.emulate(390, "light");
    browser.goto(&format!("{base}/search/?q=guarantees"));
    look(&browser, "results at 390 px", |v| {
        strings(&v["titles"]).len() == 2
    });
    browser.screenshot(&screenshots().join("search-390.png"));
    let width = browser
        .js("return document.documentElement.scrollWidth;")
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 390,
        "no sideways scrolling: {width}"
    );
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // With scripts off, the form is there and the page says why there are
    // no results.
    browser.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    browser.goto(&format!("{base}/search/?q=ukraine"));
    let v = look(&browser, "the notice without scripts", |v| {
        v["noscript"].as_str().is_some_and(|s| !s.is_empty())
    });
    assert!(
        v["noscript"].as_str().unwrap().contains("needs JavaScript"),
        "{v}"
    );
    assert_eq!(strings(&v["titles"]).len(), 0);
    browser.screenshot(&screenshots().join("search-noscript-390.png"));
    let html = serving.get("/search/?q=ukraine").text();
    assert!(html.contains("<form id=\"search-form\"") && html.contains("name=\"q\""));
}

#[test]
fn a_reader_finds_other_forms_of_a_word_and_is_offered_a_name_typed_wrong() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let site = fixture().article(
        "2026/01/late.md",
        md_body(
            "Ministers stay late",
            "2026-01-20",
            "countries: [Belgium]\n",
            "The ministers talked until dawn.\n\nTheir talks, they said, ended nothing.\n",
        ),
    )
    .article(
        "2025/06/long.md",
        md_body(
            "A long day of meetings",
            "2025-06-02",
            "summary: \"Delegates met all day.\"\n",
            &format!(
                "{}\n\nAt the end the quartermaster counted the chairs and locked the hall.\n\n{}\n",
                "The morning began with coffee and a long agenda. ".repeat(8),
                "Nobody spoke to the press afterwards. ".repeat(8)
            ),
        ),
    );
    let serving = Serving::start(site.root(), &site.out(), &[]);
    let base = serving.url.trim_end_matches('/').to_string();
    let browser = Browser::start(&chromium, &chromedriver);

    // `talks` finds the article whose body says only "talked".
    browser.goto(&format!("{base}/search/?q=talks"));
    let v = look(&browser, "the forms of talk", |v| {
        strings(&v["titles"]).len() == 3
    });
    assert_eq!(
        strings(&v["titles"]),
        [
            "Ministers meet in Brussels",
            "Leaders arrive in Kyiv",
            "Ministers stay late"
        ]
    );
    assert_eq!(v["hint"], "", "every word found something");

    // A quoted phrase: only the article where the words stand together.
    browser.goto(&format!("{base}/search/?q=talks+ended"));
    let v = look(&browser, "both words anywhere", |v| {
        strings(&v["titles"]).len() == 2
    });
    assert_eq!(
        strings(&v["titles"]),
        ["Ministers meet in Brussels", "Ministers stay late"]
    );
    browser.goto(&format!("{base}/search/?q=%22talks+ended%22"));
    let v = look(&browser, "the phrase", |v| strings(&v["titles"]).len() == 1);
    assert_eq!(strings(&v["titles"]), ["Ministers meet in Brussels"]);
    browser.goto(&format!("{base}/search/?q=%22talks+nothing%22+dawn"));
    // The hint is written with the count; the results follow once their
    // records load, so wait for both.
    let v = look(&browser, "a phrase that is not there", |v| {
        v["hint"].as_str().is_some_and(|h| !h.is_empty()) && !strings(&v["titles"]).is_empty()
    });
    assert_eq!(
        v["hint"],
        "No article has “talks nothing”; showing results for the other words."
    );
    assert_eq!(strings(&v["titles"]), ["Ministers stay late"]);

    // A match deep in the body shows an excerpt around it, the word marked,
    // instead of the summary.
    browser.emulate(1280, "light");
    browser.goto(&format!("{base}/search/?q=quartermaster"));
    let v = look(&browser, "the excerpt", |v| {
        v["excerpts"].as_array().is_some_and(|a| !a.is_empty())
    });
    let excerpt = strings(&v["excerpts"]).remove(0);
    assert!(
        excerpt.starts_with('…') && excerpt.ends_with('…'),
        "{excerpt}"
    );
    assert!(
        excerpt.contains("the quartermaster counted the chairs"),
        "{excerpt}"
    );
    assert!(excerpt.split_whitespace().count() <= 32, "{excerpt}");
    assert_eq!(strings(&v["marks"]), ["quartermaster"]);
    browser.screenshot(&screenshots().join("search-excerpt-1280.png"));

    // A name typed wrong: the other word still answers, the page says
    // which word found nothing and offers the name.
    browser.goto(&format!("{base}/search/?q=Zelemskiy+guarantees"));
    let v = look(&browser, "the suggestion", |v| {
        v["suggested"].as_array().is_some_and(|a| !a.is_empty()) && strings(&v["titles"]).len() == 2
    });
    assert_eq!(
        strings(&v["titles"]),
        ["Leaders arrive in Kyiv", "A call on guarantees"]
    );
    assert_eq!(
        v["hint"],
        "No article has “zelemskiy”; showing results for the other words. Did you mean Volodymyr Zelenskiy?"
    );
    browser.screenshot(&screenshots().join("search-suggestion-1280.png"));
    browser.emulate(390, "dark");
    browser.goto(&format!("{base}/search/?q=Meloney"));
    let v = look(&browser, "nothing for Meloney", |v| {
        v["hint"].as_str().is_some_and(|h| !h.is_empty())
    });
    assert_eq!(v["hint"], "No article has “meloney”.", "no such name here");
    browser.goto(&format!("{base}/search/?q=Zelemskiy+guarantees"));
    look(&browser, "the suggestion at 390 px", |v| {
        v["suggested"].as_array().is_some_and(|a| !a.is_empty())
    });
    browser.screenshot(&screenshots().join("search-suggestion-390.png"));
    browser
        .js("document.querySelector('.did-you-mean a').click(); return null;")
        .unwrap();
    let v = look(&browser, "the suggested search", |v| {
        v["location"]
            .as_str()
            .is_some_and(|l| l.contains("Volodymyr"))
            && strings(&v["titles"]).len() == 2
    });
    assert_eq!(v["hint"], "");
    assert!(
        v["location"]
            .as_str()
            .unwrap()
            .contains("q=Volodymyr+Zelenskiy+guarantees"),
        "{v}"
    );

    // In the header box too.
    browser.goto(&format!("{base}/2026/02/kyiv/"));
    look(&browser, "the article page", |_| true);
    browser.type_into("#site-search", "Zelemskiy");
    let v = look(&browser, "the suggestion under the box", |v| {
        v["suggested"].as_array().is_some_and(|a| !a.is_empty())
    });
    assert!(
        v["hint"]
            .as_str()
            .unwrap()
            .contains("Did you mean Volodymyr Zelenskiy?"),
        "{v}"
    );
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn the_preview_finds_a_word_once_the_index_catches_up() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let site = fixture();
    let serving = Serving::start(site.root(), &site.out(), &[]);
    let base = serving.url.trim_end_matches('/').to_string();
    let browser = Browser::start(&chromium, &chromedriver);
    browser.goto(&format!("{base}/search/?q=quokka"));
    let v = look(&browser, "no quokka yet", |v| {
        v["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("No articles"))
    });
    assert_eq!(strings(&v["titles"]).len(), 0);
    let updates = serving.process.count_lines("search index updated");
    site.put(
        "content/2025/12/call.md",
        md_body(
            "A call on guarantees",
            "2025-12-01",
            "people: [Zelensky]\ncountries: [Ukraine]\ntags: [diplomacy]\nsource: AFP\n",
            "Guarantees for Ukraine were discussed on the phone. A quokka listened.\n",
        ),
    );
    poll_until("the index update", PATIENCE, || {
        match serving.process.count_lines("search index updated") > updates {
            true => Ok(()),
            false => Err(serving.process.stderr()),
        }
    });
    // The open search page reloads once the index caught up; the new word
    // is found.
    let v = look(&browser, "the quokka found", |v| {
        strings(&v["titles"]).len() == 1
    });
    assert_eq!(strings(&v["titles"]), ["A call on guarantees"]);
}

#[test]
fn a_built_site_under_a_sub_path_searches_from_a_static_host() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    // The port is known only once the server listens: build for it then.
    let port = static_server(dir.clone(), "/archive/");
    let base = format!("http://127.0.0.1:{port}/archive/");
    let site = fixture().base_url(&base);
    site.try_build_into(&dir, false).expect("build");
    let browser = Browser::start(&chromium, &chromedriver);
    browser.goto(&format!("{base}search/?q=zeppelin"));
    let v = look(&browser, "results under /archive/", |v| {
        strings(&v["titles"]).len() == 1
    });
    assert_eq!(strings(&v["links"]), [format!("{base}2026/02/airship/")]);
    browser.goto(&format!("{base}2026/02/kyiv/"));
    look(&browser, "an article under /archive/", |_| true);
    browser.type_into("#site-search", "guarantees");
    let v = look(&browser, "the header box under /archive/", |v| {
        strings(&v["titles"]).len() == 2
    });
    assert!(
        strings(&v["links"]).iter().all(|l| l.starts_with(&base)),
        "{v}"
    );
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn search_turned_off_leaves_no_box_no_page_and_no_index() {
    let built = fixture().config("[search]\nenabled = false").build();
    let files = list_files(&built.out);
    assert!(files.iter().all(|f| !f.starts_with("search/")), "{files:?}");
    for page in ["/", "2026/02/kyiv/", "people/ann-lee/"] {
        let html = built.page(page);
        assert!(
            !html.contains("search.js") && !html.contains("role=\"search\""),
            "{page}"
        );
    }
    let on = fixture().build();
    assert!(on.page("/").contains("role=\"search\""));
    assert!(on.exists("search/"));
}

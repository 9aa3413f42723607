//! Hostile and careless input, as wire copy and several editors bring it:
//! no page gets a link that runs a script, no page, feed or sitemap a
//! character that HTML or XML forbid, raw HTML is treated as site.toml
//! says, and over-long names still make pages.

use scraper::{Html, Selector};

use crate::common::{md, md_body, Built, SiteFixture};

/// Every `href` and `src` of every HTML page.
fn urls(built: &Built) -> Vec<(String, String)> {
    let any = Selector::parse("[href], [src]").unwrap();
    let mut found = Vec::new();
    for (rel, bytes) in built.files() {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for e in doc.select(&any) {
            for attr in ["href", "src"] {
                if let Some(v) = e.value().attr(attr) {
                    found.push((rel.clone(), v.to_string()));
                }
            }
        }
    }
    found
}

fn is_script_url(url: &str) -> bool {
    let folded: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| folded.starts_with(s))
        && !folded.starts_with("data:image/png")
}

const SCRIPT_LINKS: &str = "Links: [a](javascript:alert(1)), [b](JAVASCRIPT:alert(2)), \
[c](  vbscript:msgbox(3)), [d](data:text/html;base64,PHNjcmlwdD4=), <javascript:alert(4)>, \
[e](&#x6A;avascript:alert(5)), [f][ref], ![g](javascript:alert(6)), ![h](data:text/html,x), \
![dot](data:image/png;base64,iVBORw0KGgo=).\n\n[ref]: javascript:alert(7)\n";

#[test]
fn no_page_links_to_a_script_by_default_and_the_text_stays() {
    let built = SiteFixture::new()
        .article(
            "2026/01/links.md",
            md_body(
                "Links",
                "2026-01-10",
                "url: https://example.com/original\n",
                SCRIPT_LINKS,
            ),
        )
        .build();
    let bad: Vec<_> = urls(&built)
        .into_iter()
        .filter(|(_, u)| is_script_url(u))
        .collect();
    assert!(bad.is_empty(), "script URLs in pages: {bad:#?}");
    let body = built.texts("2026/01/links/", "div.body p").join(" ");
    for text in [
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "h",
        "javascript:alert(4)",
    ] {
        assert!(body.contains(text), "`{text}` is still readable: {body}");
    }
    let images = crate::common::attrs(&built.html("2026/01/links/"), "div.body img", "src");
    assert_eq!(images, ["data:image/png;base64,iVBORw0KGgo="]);
}

#[test]
fn a_url_field_that_could_run_a_script_is_an_error_at_its_line() {
    let site = SiteFixture::new().article(
        "a.md",
        md("A", "2026-01-10", "url: \" JavaScript:alert(1)\"\n"),
    );
    let err = site.try_build().unwrap_err().to_string();
    assert!(err.contains("a.md:4:"), "{err}");
}

#[test]
fn raw_html_is_passed_escaped_or_sanitized_as_site_toml_says() {
    let body = "<div onclick=\"steal()\"><b>Bold</b> <script>alert(1)</script>\
<a href=\"javascript:alert(2)\">link</a> <img src=x onerror=alert(3)></div>\n\nText.\n";
    let article = md_body("Raw", "2026-01-10", "", body);
    let page = "2026/01/raw/";
    let allow = SiteFixture::new()
        .article("2026/01/raw.md", &article)
        .build();
    assert!(allow.page(page).contains("<script>alert(1)</script>"));

    let escape = SiteFixture::new()
        .config("[markdown]\nraw_html = \"escape\"")
        .article("2026/01/raw.md", &article)
        .build();
    let shown = escape.texts(page, "div.body").join(" ");
    assert!(
        shown.contains("<script>alert(1)</script>"),
        "shown as text: {shown}"
    );
    let doc = escape.html(page);
    assert_eq!(
        doc.select(&Selector::parse("div.body script, div.body b, div.body img").unwrap())
            .count(),
        0
    );

    let sanitize = SiteFixture::new()
        .config("[markdown]\nraw_html = \"sanitize\"")
        .article("2026/01/raw.md", &article)
        .build();
    let html = sanitize.page(page);
    let body_html = &html[html.find("<div class=\"body\">").unwrap()..];
    for bad in ["<script", "onclick", "onerror", "javascript:"] {
        assert!(
            !body_html.contains(bad),
            "{bad} survived sanitizing: {body_html}"
        );
    }
    assert_eq!(sanitize.texts(page, "div.body b"), ["Bold"]);
}

#[test]
fn a_bad_raw_html_setting_names_its_line_and_the_choices() {
    let site = SiteFixture::new().config("[markdown]\nraw_html = \"maybe\"");
    let err = site.try_build().unwrap_err().to_string();
    assert!(err.contains("site.toml:4:"), "{err}");
    for choice in ["allow", "escape", "sanitize"] {
        assert!(err.contains(choice), "{err}");
    }
}

/// Characters HTML or XML forbid, and a terminal's colour codes, as raw
/// text (a body may hold them) and as YAML escapes (YAML itself refuses
/// raw control characters, but a quoted string can name them).
const CONTROLS: &str = "\u{b}\u{c}\u{1b}[31m\u{7f}\u{85}\u{9f}\u{fdd0}\u{fffe}\u{1ffff}\u{0}";
const YAML_CONTROLS: &str = r"\v\f\e[31m\x7f\N\x9f\uFDD0\uFFFE\U0001FFFF\0";

#[test]
fn forbidden_characters_reach_no_page_feed_or_sitemap() {
    let q = |s: &str| format!("\"{s}{YAML_CONTROLS}\"");
    let front = format!(
        "---\ntitle: {}\ndate: 2026-01-10\npeople: [{}]\ncountries: [{}]\ntags: [{}]\nsource: {}\nlocation: {}\nsummary: {}\n---\n",
        q("Red alert"),
        q("Ann Lee"),
        q("France"),
        q("t"),
        q("AFP"),
        q("Paris"),
        q("In short"),
    );
    let body = format!("First{CONTROLS} paragraph.\n\n```\ncode{CONTROLS}\n```\n");
    // Found by the `article` fuzz target: a summary taken from the first
    // paragraph kept its NULs (shown as U+FFFD).
    let no_summary = md_body("Plain", "2026-01-11", "", "The \0\0\u{b}first round.\n");
    let built = SiteFixture::new()
        .article("2026/01/c.md", format!("{front}{body}"))
        .article("2026/01/d.md", no_summary)
        .build();
    // The summary taken from the first paragraph is the list's (the page
    // shows the paragraph once, as the body's).
    assert!(built
        .texts("/", "ol.articles p.summary")
        .contains(&"The first round.".to_string()));
    let title = built.texts("2026/01/c/", "article h1").join("");
    assert!(title.starts_with("Red alert"), "{title:?}");
    for (rel, bytes) in built.files() {
        // The search shards are binary; the words in them are letters and
        // digits only (src/words/fold.rs), and the records are JSON here.
        if rel.ends_with(".bin") {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            panic!("{rel} is not UTF-8");
        };
        let bad: Vec<String> = text
            .chars()
            .filter(|&c| {
                let n = c as u32;
                (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                    || (0xFDD0..=0xFDEF).contains(&n)
                    || n & 0xFFFE == 0xFFFE
            })
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(bad.is_empty(), "{rel} holds {bad:?}");
        if rel.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
    }
    let body = built.texts("2026/01/c/", "div.body p").join(" ");
    assert!(
        built.exists("countries/france/"),
        "the name is the name without its controls"
    );
    assert!(body.starts_with("First"), "{body}");
    assert!(!body.contains("[31m"), "{body}");
}

/// The longest file or folder name under `dir`, in bytes.
fn longest_name(dir: &std::path::Path) -> usize {
    crate::common::list_files(dir)
        .iter()
        .flat_map(|rel| rel.split('/').map(str::len).collect::<Vec<_>>())
        .max()
        .unwrap_or(0)
}

#[test]
fn very_long_slugs_and_names_still_make_distinct_pages() {
    let long = "Extraordinarily ".repeat(40);
    let built = SiteFixture::new()
        .article(
            "2026/01/a.md",
            md(
                "A",
                "2026-01-10",
                &format!(
                    "slug: \"{long} one\"\npeople: [\"{long} Ann\", \"{long} Bo\"]\ntags: [\"{}\"]\n",
                    "t".repeat(3000)
                ),
            ),
        )
        .article(
            "2026/01/b.md",
            md("B", "2026-01-11", &format!("slug: \"{long} two\"\n")),
        )
        .build();
    assert!(
        longest_name(&built.out) <= 255,
        "{}",
        longest_name(&built.out)
    );
    let people = built.article_links("people/");
    let persons: Vec<String> =
        crate::common::attrs(&built.html("people/"), "ul.term-list a", "href");
    assert_eq!(persons.len(), 2, "{persons:?} {people:?}");
    assert_ne!(persons[0], persons[1]);
    let articles = built.article_links("");
    assert_eq!(articles.len(), 2);
    assert_ne!(articles[0], articles[1]);
    for url in persons.iter().chain(&articles) {
        let path = url.trim_start_matches(crate::common::BASE);
        assert!(built.exists(path), "{path}");
    }
}

#[test]
fn an_article_naming_thousands_of_people_is_refused_where_it_says_so() {
    let names: Vec<String> = (0..20_000).map(|i| format!("\"Person {i}\"")).collect();
    let site = SiteFixture::new().article(
        "crowd.md",
        md(
            "Crowd",
            "2026-01-10",
            &format!("tags: [t]\npeople: [{}]\n", names.join(", ")),
        ),
    );
    let err = site.try_build().unwrap_err().to_string();
    assert!(
        err.contains("crowd.md:5:9: error: `people` lists 20000 names"),
        "{err}"
    );
    assert!(err.contains("at most 500"), "{err}");
    // 500 is still an article.
    let names: Vec<String> = (0..500).map(|i| format!("\"Person {i}\"")).collect();
    let built = SiteFixture::new()
        .article(
            "many.md",
            md(
                "Many",
                "2026-01-10",
                &format!("people: [{}]\n", names.join(", ")),
            ),
        )
        .build();
    assert!(built.exists("people/person-499/"));
}

#[test]
fn deep_nesting_and_exploding_aliases_are_located_errors() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let laughs = {
        let mut y = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, c) in ('b'..='j').enumerate() {
            let prev = (b'a' + i as u8) as char;
            y.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        y
    };
    let site = SiteFixture::new()
        .article(
            "deep.md",
            format!("---\ntitle: T\ndate: 2026-01-10\nextra: {deep}\n---\nBody.\n"),
        )
        .article(
            "laughs.md",
            format!("---\ntitle: T\ndate: 2026-01-10\n{laughs}---\nBody.\n"),
        );
    let err = site.try_build().unwrap_err().to_string();
    assert!(err.contains("deep.md:4:"), "{err}");
    assert!(err.contains("recursion limit"), "{err}");
    assert!(err.contains("laughs.md:"), "{err}");
    assert!(err.contains("repetition limit"), "{err}");
}

#[test]
fn an_enormous_article_file_is_refused_at_its_first_line() {
    let body = "All work and no play. ".repeat(500_000);
    let site = SiteFixture::new().article("huge.md", md_body("Huge", "2026-01-10", "", &body));
    let err = site.try_build().unwrap_err().to_string();
    assert!(
        err.contains("huge.md:1:1: error: the file is 10 MiB"),
        "{err}"
    );
}

/// `path:line:col` of every error line of a failed build.
fn located(err: &str) -> Vec<String> {
    err.lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| {
            let at = l.split(": error: ").next().unwrap();
            let parts: Vec<&str> = at.rsplitn(3, ':').collect();
            let file = parts[2].rsplit('/').next().unwrap();
            format!("{file}:{}:{}", parts[1], parts[0])
        })
        .collect()
}

#[test]
fn every_front_matter_mistake_is_reported_each_at_its_value() {
    let site = SiteFixture::new()
        .article(
            "three.md",
            "---\ntitle: [a list, not a title]\ndate: 2026-02-30\npeople: {a: mapping}\ntags: [fine]\n---\nBody.\n",
        )
        .article(
            "twice.md",
            "---\ntitle: A\ndate: 2026-01-01\ntags: [x]\ntitle: B\n---\nBody.\n",
        )
        .article(
            "quote.md",
            "---\ntitle: A\nsummary: \"never closed\ndate: 2026-01-01\n---\nBody.\n",
        );
    let err = site.try_build().unwrap_err().to_string();
    assert_eq!(
        located(&err),
        [
            "quote.md:3:10",
            "three.md:2:8",
            "three.md:3:7",
            "three.md:4:9",
            "twice.md:5:1"
        ],
        "{err}"
    );
    assert!(
        err.contains("`title`: expected a string, found a list"),
        "{err}"
    );
    assert!(err.contains("invalid date `2026-02-30`"), "{err}");
    assert!(
        err.contains("`people`: expected a list of strings, found a mapping"),
        "{err}"
    );
    assert!(
        err.contains("`title` is written twice (first on line 2)"),
        "{err}"
    );
    assert!(err.contains("a quoted string is not closed"), "{err}");
    assert!(err.trim_end().ends_with("5 errors"), "{err}");
}

#[test]
fn a_file_with_a_thousand_errors_reports_twenty_and_how_many_more() {
    let mut front = String::from("---\ntitle: A\ndate: 2026-01-01\n");
    for _ in 0..1000 {
        front.push_str("title: again\n");
    }
    let site = SiteFixture::new().article("noisy.md", format!("{front}---\nBody.\n"));
    let err = site.try_build().unwrap_err().to_string();
    let lines = located(&err);
    assert_eq!(lines.len(), 21, "{err}");
    assert_eq!(lines[0], "noisy.md:4:1");
    assert_eq!(lines[19], "noisy.md:23:1");
    assert!(
        err.contains("noisy.md:24:1: error: and 980 more errors in this file"),
        "{err}"
    );
}

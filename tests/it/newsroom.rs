//! What a newsroom's archive has beyond lists: the standfirst shown only
//! when it is not the body's own first paragraph, JSON Feeds, corrections,
//! and on this day (the pages and the home page's box, in Chromium too).
//! Story threads are in `stories.rs`, the world map in `world_map.rs`.

use chrono::{Datelike, Duration, Local, Timelike};
use scraper::Selector;

use crate::common::{md_body, SiteFixture};

#[test]
fn a_standfirst_is_shown_only_when_it_is_not_the_first_paragraph() {
    let body = "Leaders met in Paris on Monday.\n\nA second paragraph.\n";
    let built = SiteFixture::new()
        .article(
            "2026/02/none.md",
            md_body("No summary", "2026-02-21", "", body),
        )
        .article(
            "2026/02/same.md",
            md_body(
                "Same summary",
                "2026-02-21",
                "summary: \"Leaders met in  Paris on Monday.\"\n",
                body,
            ),
        )
        .article(
            "2026/02/own.md",
            md_body(
                "Own summary",
                "2026-02-21",
                "summary: \"Europe's leaders weigh guarantees.\"\n",
                body,
            ),
        )
        .build();
    let standfirst = Selector::parse("article header p.summary").unwrap();
    let paragraphs = Selector::parse("article .body p").unwrap();
    for (slug, shown) in [
        ("none", None),
        ("same", None),
        ("own", Some("Europe's leaders weigh guarantees.")),
    ] {
        let doc = built.html(&format!("/2026/02/{slug}/"));
        let got: Vec<String> = doc
            .select(&standfirst)
            .map(|p| p.text().collect())
            .collect();
        assert_eq!(got.first().map(String::as_str), shown, "{slug}");
        let first: String = doc.select(&paragraphs).next().unwrap().text().collect();
        assert_eq!(
            first, "Leaders met in Paris on Monday.",
            "{slug}: the body is whole"
        );
        let page = built.page(&format!("/2026/02/{slug}/"));
        assert_eq!(
            page.matches("Leaders met in Paris on Monday.</p>").count(),
            1,
            "{slug}: once"
        );
    }
    // Lists still show the first paragraph as the summary.
    let home = built.page("/");
    assert!(home.contains("Leaders met in Paris on Monday."));
}

/// Checks a JSON Feed 1.1 document's required fields and types.
#[track_caller]
pub(crate) fn assert_json_feed(text: &str, feed_url: &str) -> serde_json::Value {
    let feed: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(feed["feed_url"], feed_url);
    assert!(feed["home_page_url"]
        .as_str()
        .unwrap()
        .starts_with(crate::common::BASE));
    assert_eq!(feed["language"], "en");
    for item in feed["items"].as_array().expect("items") {
        assert!(item["id"].as_str().is_some_and(|i| !i.is_empty()), "{item}");
        assert!(
            item["content_html"].is_string() || item["content_text"].is_string(),
            "{item}"
        );
        let date = item["date_published"].as_str().unwrap();
        chrono::DateTime::parse_from_rfc3339(date).unwrap_or_else(|e| panic!("{date}: {e}"));
        if let Some(modified) = item["date_modified"].as_str() {
            chrono::DateTime::parse_from_rfc3339(modified).unwrap();
        }
        assert!(item["authors"][0]["name"].is_string(), "{item}");
    }
    feed
}

#[test]
fn json_feeds_sit_beside_the_atom_feeds_and_keep_titles_as_text() {
    let photo = crate::photos::jpeg(1600, 900, 7, &[]);
    let built = SiteFixture::new()
        .file("content/2026/02/leaders.jpg", photo)
        .article(
            "2026/02/leaders.md",
            md_body(
                "Leaders <script>alert(1)</script> & \"allies\" meet",
                "2026-02-21T09:00:00Z",
                "source: AFP\nupdated: 2026-02-22T10:00:00Z\npeople: [\"Emmanuel Macron\"]\ncountries: [\"France\"]\ntags: [\"defence\"]\nsummary: \"Talks <b>opened</b> in Paris.\"\nimage: {src: leaders.jpg, alt: \"Leaders\"}\n",
                "Body.\n",
            ),
        )
        .article("2026/02/later.md", md_body("A later story", "2026-02-23", "countries: [\"France\"]\n", "Body.\n"))
        .build();
    let feed = assert_json_feed(
        &built.page("/feed.json"),
        &format!("{}feed.json", crate::common::BASE),
    );
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["title"], "A later story", "newest first");
    let first = &items[1];
    assert_eq!(
        first["title"],
        "Leaders <script>alert(1)</script> & \"allies\" meet"
    );
    assert_eq!(
        first["url"],
        format!("{}2026/02/leaders/", crate::common::BASE)
    );
    assert_eq!(
        first["content_html"],
        "<p>Talks &lt;b&gt;opened&lt;/b&gt; in Paris.</p>"
    );
    assert_eq!(first["authors"][0]["name"], "AFP");
    assert_eq!(first["tags"], serde_json::json!(["defence"]));
    assert_eq!(first["date_modified"], "2026-02-22T10:00:00Z");
    assert!(
        first["image"].as_str().unwrap().contains("/photos/"),
        "{first}"
    );
    let person = assert_json_feed(
        &built.page("/people/emmanuel-macron/feed.json"),
        &format!("{}people/emmanuel-macron/feed.json", crate::common::BASE),
    );
    assert_eq!(person["items"].as_array().unwrap().len(), 1);
    let country = assert_json_feed(
        &built.page("/countries/france/feed.json"),
        &format!("{}countries/france/feed.json", crate::common::BASE),
    );
    assert_eq!(country["items"].as_array().unwrap().len(), 2);
    // Linked from every page, and each person's and country's page.
    let alternate = |page: &str| {
        let doc = built.html(page);
        let sel =
            Selector::parse(r#"link[rel="alternate"][type="application/feed+json"]"#).unwrap();
        doc.select(&sel)
            .map(|l| l.value().attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(alternate("/2026/02/later/")
        .iter()
        .any(|h| h.ends_with("/feed.json")));
    assert!(alternate("/countries/france/")
        .iter()
        .any(|h| h.ends_with("/countries/france/feed.json")));
    assert!(
        !built.page("/sitemap.xml").contains("feed.json"),
        "feeds are not in the sitemap"
    );
}

#[test]
fn corrections_show_on_the_article_in_its_metadata_feeds_and_the_archive_s_record() {
    let corrected = "title: \"Talks open\"\nsummary: \"Talks opened.\"\ncorrections:\n  - date: 2026-02-24T10:00:00Z\n    text: \"An earlier version gave the wrong <venue>.\"\n  - {date: 2026-02-22, text: \"The minister's name was misspelled.\"}\n";
    let built = SiteFixture::new()
        .article(
            "2026/02/talks.md",
            format!("---\ndate: 2026-02-21T09:00:00Z\n{corrected}---\nBody.\n"),
        )
        .article(
            "2026/02/plain.md",
            md_body("Plain story", "2026-02-23", "", "Body.\n"),
        )
        .build();
    // The notice, oldest first, the text as text.
    let doc = built.html("/2026/02/talks/");
    let items: Vec<String> = doc
        .select(&Selector::parse("aside.corrections li").unwrap())
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].contains("misspelled") && items[1].contains("wrong <venue>."),
        "{items:?}"
    );
    assert!(
        !built.page("/2026/02/talks/").contains("<venue>"),
        "escaped"
    );
    assert!(built
        .page("/2026/02/plain/")
        .find("aside class=\"corrections\"")
        .is_none());
    // dateModified, article:modified_time and the feeds' updated: the latest correction.
    let (_, ld) = crate::common::without_json_ld(&built.page("/2026/02/talks/"));
    let graph: Vec<&serde_json::Value> = ld
        .iter()
        .flat_map(|d| d["@graph"].as_array().into_iter().flatten().chain([d]))
        .collect();
    let article = graph
        .iter()
        .find(|d| d["@type"] == "NewsArticle")
        .expect("NewsArticle");
    assert_eq!(article["dateModified"], "2026-02-24T10:00:00Z");
    assert_eq!(article["correction"][1]["@type"], "CorrectionComment");
    assert_eq!(
        article["correction"][1]["datePublished"],
        "2026-02-24T10:00:00Z"
    );
    assert_eq!(
        article["correction"][1]["text"],
        "An earlier version gave the wrong <venue>."
    );
    assert!(built
        .page("/2026/02/talks/")
        .contains(r#"<meta property="article:modified_time" content="2026-02-24T10:00:00Z">"#));
    assert!(built
        .page("/atom.xml")
        .contains("<updated>2026-02-24T10:00:00Z</updated>"));
    let feed: serde_json::Value = serde_json::from_str(&built.page("/feed.json")).unwrap();
    let item = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Talks open")
        .unwrap();
    assert_eq!(item["date_modified"], "2026-02-24T10:00:00Z");
    // The archive's record, newest first, linked from every page.
    let record = built.html("/corrections/");
    let lines: Vec<String> = record
        .select(&Selector::parse("ol.corrections-list li").unwrap())
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("wrong <venue>") && lines[0].contains("Talks open"),
        "{lines:?}"
    );
    assert!(lines[1].contains("misspelled"));
    let links = crate::common::attrs(&record, "ol.corrections-list a", "href");
    assert!(
        links.iter().all(|l| l.ends_with("/2026/02/talks/")),
        "{links:?}"
    );
    assert!(built.page("/").contains("/corrections/\">Corrections</a>"));
}

#[test]
fn a_bad_correction_is_an_error_at_its_line() {
    let site = SiteFixture::new().article(
        "2026/02/bad.md",
        "---\ntitle: Bad\ndate: 2026-02-21\ncorrections:\n  - {date: someday, text: x}\n  - {date: 2026-02-22, text: \"  \"}\n  - {text: no date}\n---\nBody.\n",
    );
    let err = site.try_build().unwrap_err().to_string();
    assert!(
        err.contains("bad.md:4:") || err.contains("bad.md:5:"),
        "{err}"
    );
    assert!(err.contains("correction 1:"), "{err}");
    assert!(err.contains("correction 2: `text` is empty"), "{err}");
    assert!(err.contains("correction 3: missing `date`"), "{err}");
}

/// Runs `gazette build` in the site with the build's clock at `epoch`.
fn build_at(site: &SiteFixture, epoch: i64) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "-q"])
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
}

fn day_site() -> SiteFixture {
    let story = |title: &str, date: &str| md_body(title, date, "", "Body.\n");
    SiteFixture::new()
        .article("a.md", story("Leap day talks", "2024-02-29T10:00:00Z"))
        .article("b.md", story("A year before", "2025-02-28T09:00:00Z"))
        .article("c.md", story("Two years before", "2024-02-28T09:00:00Z"))
        .article("d.md", story("Today's news", "2026-02-28T08:00:00Z"))
        .article("e.md", story("Spring", "2025-03-01T08:00:00Z"))
        .article("f.md", story("New year", "2026-01-01T08:00:00Z"))
}

pub(crate) fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn on_this_day_pages_list_a_day_across_the_years_and_the_home_page_boxes_the_build_day() {
    let site = day_site();
    // 2026-02-28T12:00:00Z
    build_at(&site, 1_772_280_000);
    let read = |page: &str| {
        scraper::Html::parse_document(&std::fs::read_to_string(site.out().join(page)).unwrap())
    };
    let day = read("on-this-day/02-28/index.html");
    assert_eq!(texts(&day, "h1"), ["On this day: 28 February"]);
    assert_eq!(
        texts(&day, "section.year > h2"),
        ["2026", "2025", "2024"],
        "latest year first"
    );
    assert_eq!(
        texts(&day, "section.year li.card h2"),
        ["Today's news", "A year before", "Two years before"]
    );
    let around = crate::common::attrs(&day, "nav.days a", "href");
    assert_eq!(
        around,
        [
            format!("{}on-this-day/01-01/", crate::common::BASE),
            format!("{}on-this-day/02-29/", crate::common::BASE)
        ]
    );
    let leap = read("on-this-day/02-29/index.html");
    assert_eq!(texts(&leap, "h1"), ["On this day: 29 February"]);
    assert_eq!(texts(&leap, "section.year li.card h2"), ["Leap day talks"]);
    // Around the calendar: the last day leads to the first.
    let last = read("on-this-day/03-01/index.html");
    assert!(
        crate::common::attrs(&last, "nav.days a[rel=next]", "href")[0]
            .ends_with("/on-this-day/01-01/")
    );
    assert!(!site.out().join("on-this-day/03-02").exists());
    // The home page's box: the build day's articles of earlier years.
    let home = read("index.html");
    assert_eq!(
        texts(&home, "#on-this-day h2"),
        ["On this day, 28 February"]
    );
    assert_eq!(
        texts(&home, "#on-this-day li a"),
        ["A year before", "Two years before"]
    );
    assert_eq!(texts(&home, "#on-this-day .year"), ["2025", "2024"]);
    // Another build day, another box; a day without earlier years says so.
    build_at(&site, 1_772_366_400); // 2026-03-01T12:00:00Z
    let home = read("index.html");
    assert_eq!(texts(&home, "#on-this-day li a"), ["Spring"]);
    build_at(&site, 1_767_268_800); // 2026-01-01T12:00:00Z
    let home = read("index.html");
    assert_eq!(
        texts(&home, "#on-this-day p.none"),
        ["No article of an earlier year on this day."]
    );
}

#[test]
fn the_home_page_s_box_turns_to_the_reader_s_today_in_a_browser() {
    let Some((chromium, chromedriver)) = crate::chromium::browser_tools() else {
        return;
    };
    let today = Local::now();
    let built_on = today - Duration::days(100);
    let key = format!("{:02}-{:02}", today.month(), today.day());
    let site = SiteFixture::new()
        .article(
            "a.md",
            md_body(
                "The reader's day, years ago",
                &format!("2020-{key}"),
                "",
                "Body.\n",
            ),
        )
        .article(
            "b.md",
            md_body(
                "The build day, years ago",
                &format!("2021-{:02}-{:02}", built_on.month(), built_on.day()),
                "",
                "Body.\n",
            ),
        );
    let port = crate::common::static_server(site.out(), "/archive/");
    let base = format!("http://127.0.0.1:{port}/archive");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "-q", "--base-url", &base])
        .current_dir(site.root())
        .env(
            "SOURCE_DATE_EPOCH",
            built_on.with_hour(12).unwrap().timestamp().to_string(),
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let built = std::fs::read_to_string(site.out().join("index.html")).unwrap();
    assert!(
        built.contains("The build day, years ago"),
        "the build day's box"
    );
    let browser = crate::chromium::Browser::start(&chromium, &chromedriver);
    for width in [390, 1280] {
        browser.emulate(width, "light");
        browser.goto(&format!("{base}/"));
        let read = "var box = document.getElementById('on-this-day'); return { day: box.getAttribute('data-day'), \
                    links: Array.from(box.querySelectorAll('li a')).map(function (a) { return a.textContent; }), \
                    years: Array.from(box.querySelectorAll('.year')).map(function (y) { return y.textContent; }), \
                    href: box.querySelector('h2 .day').getAttribute('href') };";
        let seen =
            crate::common::poll_until("the box to show today", crate::common::PATIENCE, || {
                let v = browser.js(read)?;
                if v["day"] == key.as_str() {
                    Ok(v)
                } else {
                    Err(v.to_string())
                }
            });
        assert_eq!(
            seen["links"],
            serde_json::json!(["The reader's day, years ago"]),
            "{seen}"
        );
        assert_eq!(seen["years"], serde_json::json!(["2020"]));
        assert_eq!(seen["href"], format!("{base}/on-this-day/{key}/"));
        let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("target/screenshots/home-on-this-day-{width}.png"));
        browser.screenshot(&shot);
    }
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors {errors:#?}");
}

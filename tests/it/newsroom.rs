//! What a newsroom's archive has beyond lists: for now, the standfirst
//! shown only when it is not the body's own first paragraph (a story made
//! by `gazette import` has no `summary`, and its page showed the first
//! paragraph twice).

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
fn assert_json_feed(text: &str, feed_url: &str) -> serde_json::Value {
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

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
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

fn story_site() -> SiteFixture {
    let story = |title: &str, date: &str, extra: &str| md_body(title, date, extra, "Body.\n");
    SiteFixture::new()
        .article(
            "2026/02/a.md",
            story(
                "Talks open in Geneva",
                "2026-02-21T09:00:00Z",
                "story: \"Ukraine peace talks\"\npeople: [\"Volodymyr Zelensky\", \"Emmanuel Macron\"]\ncountries: [\"Ukraine\", \"France\"]\n",
            ),
        )
        .article(
            "2026/02/b.md",
            story(
                "A second round",
                "2026-02-25T09:00:00Z",
                "story: \"ukraine  PEACE talks\"\npeople: [\"Volodymyr Zelensky\"]\ncountries: [\"Ukraine\"]\n",
            ),
        )
        .article(
            "2026/03/c.md",
            story(
                "Talks end <with> a text",
                "2026-03-04T09:00:00Z",
                "story: \"Ukraine peace-talks\"\ncountries: [\"Ukraine\", \"Poland\"]\n",
            ),
        )
        .article("2026/03/d.md", story("Budget day", "2026-03-05T09:00:00Z", "story: Budget\n"))
        .article("2026/03/e.md", story("Unrelated", "2026-03-03T09:00:00Z", ""))
}

#[test]
fn a_story_has_its_page_its_feeds_and_a_box_on_each_of_its_articles() {
    let built = story_site().build();
    // Any spelling resolves to the story; its name is its first article's.
    let page = built.html("/stories/ukraine-peace-talks/");
    assert_eq!(texts(&page, "h1"), ["Ukraine peace talks"]);
    let span = texts(&page, "p.span").join("");
    assert!(
        span.starts_with("21 February 2026 to 4 March 2026, 3 articles"),
        "{span}"
    );
    assert_eq!(
        texts(&page, "ol.timeline li.card h2"),
        [
            "Talks open in Geneva",
            "A second round",
            "Talks end <with> a text"
        ],
        "oldest first"
    );
    let people = texts(&page, ".story-terms p:first-child").join("");
    assert!(
        people.contains("Volodymyr Zelenskiy (2)") || people.contains("Volodymyr Zelensky (2)"),
        "{people}"
    );
    let countries = texts(&page, ".story-terms p:last-child").join("");
    assert!(
        countries.contains("Ukraine (3)") && countries.contains("Poland (1)"),
        "{countries}"
    );
    // /stories/: the latest first.
    let stories = built.html("/stories/");
    assert_eq!(
        texts(&stories, "ol.stories li a"),
        ["Budget", "Ukraine peace talks"]
    );
    // The box: before and after in the story, and the story's page.
    let middle = built.html("/2026/02/b/");
    assert_eq!(
        texts(&middle, "aside.this-story h2 a"),
        ["Ukraine peace talks"]
    );
    let around: Vec<String> = texts(&middle, "aside.this-story li a");
    assert_eq!(around, ["Talks open in Geneva", "Talks end <with> a text"]);
    let first = built.html("/2026/02/a/");
    assert_eq!(texts(&first, "aside.this-story li a"), ["A second round"]);
    assert!(texts(&built.html("/2026/03/e/"), "aside.this-story").is_empty());
    // JSON-LD: the article is part of the story's page.
    let (_, ld) = crate::common::without_json_ld(&built.page("/2026/02/b/"));
    let graph: Vec<&serde_json::Value> = ld
        .iter()
        .flat_map(|d| d["@graph"].as_array().into_iter().flatten().chain([d]))
        .collect();
    let article = graph.iter().find(|d| d["@type"] == "NewsArticle").unwrap();
    assert_eq!(
        article["isPartOf"]["url"],
        format!("{}stories/ukraine-peace-talks/", crate::common::BASE)
    );
    // Its own feeds, newest first.
    let atom = built.page("/stories/ukraine-peace-talks/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        titles,
        [
            "Talks end <with> a text",
            "A second round",
            "Talks open in Geneva"
        ]
    );
    let json = assert_json_feed(
        &built.page("/stories/ukraine-peace-talks/feed.json"),
        &format!(
            "{}stories/ukraine-peace-talks/feed.json",
            crate::common::BASE
        ),
    );
    assert_eq!(json["items"].as_array().unwrap().len(), 3);
}

#[test]
fn check_suggests_the_story_an_unmarked_article_probably_belongs_to() {
    let site = story_site()
        .article(
            "2026/02/f.md",
            md_body(
                "Envoys meet again",
                "2026-02-26T09:00:00Z",
                "people: [\"Volodymyr Zelensky\"]\ncountries: [\"Ukraine\", \"France\"]\n",
                "Body.\n",
            ),
        )
        .article(
            "2026/06/g.md",
            md_body(
                "Months later",
                "2026-06-26T09:00:00Z",
                "people: [\"Volodymyr Zelensky\"]\ncountries: [\"Ukraine\", \"France\"]\n",
                "Body.\n",
            ),
        )
        .article(
            "2026/02/h.md",
            md_body(
                "Same days, other news",
                "2026-02-24T09:00:00Z",
                "people: [\"Keir Starmer\"]\ncountries: [\"United Kingdom\", \"Ukraine\"]\n",
                "Body.\n",
            ),
        );
    let found = gazette::check(site.root(), &gazette::LoadOptions::default());
    let notes: Vec<String> = found
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("part of the story"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(notes[0].contains("f.md:2:"), "{}", notes[0]);
    assert!(
        notes[0].contains("add `story: \"Ukraine peace talks\"`"),
        "{}",
        notes[0]
    );
    assert!(notes[0].contains("note"), "{}", notes[0]);
}

#[test]
fn new_and_import_take_a_story_by_any_spelling_of_its_name() {
    let site = story_site();
    let out = site.gazette(&[
        "new",
        "Envoys meet again",
        "--date",
        "2026-02-26",
        "--story",
        "UKRAINE peace talks",
    ]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let text =
        std::fs::read_to_string(site.root().join("content/2026/02/envoys-meet-again.md")).unwrap();
    assert!(text.contains("story: \"Ukraine peace talks\"\n"), "{text}");
    let said = format!(
        "{}{}",
        crate::common::stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        said.contains("written as the site knows it: `Ukraine peace talks`"),
        "{said}"
    );
    let wire = "Ceasefire monitors named\n\nGENEVA (Reuters) - Monitors were named on Friday.\n";
    let imported = gazette::import(
        site.root(),
        wire,
        gazette::ImportOptions {
            story: Some("A brand new story".into()),
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        imported.text.contains("story: \"A brand new story\"\n"),
        "{}",
        imported.text
    );
    assert!(
        imported
            .report
            .iter()
            .any(|l| l.contains("starts a new story")),
        "{:?}",
        imported.report
    );
    // The new article joins the story on the next build.
    let built = site.build();
    let page = built.html("/stories/ukraine-peace-talks/");
    assert!(texts(&page, "ol.timeline li.card h2").contains(&"Envoys meet again".to_string()));
}

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
                    "var links = document.querySelectorAll('svg.world a'); if (!links.length) return null; \
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

//! Story threads: a story's page and feeds, the box on its articles, the
//! `check` note for an article that probably belongs to one, and `new`
//! and `import --story`.

use super::newsroom::{assert_json_feed, texts};
use crate::common::{md_body, SiteFixture};

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

//! What pages say about themselves to machines: the description, Open
//! Graph and Twitter fields of a shared link's card, schema.org JSON-LD for
//! news aggregators and search engines, the feeds linked from each page,
//! and the news sitemap. Every string is checked as a reader of the
//! markup would get it back, hostile titles included.

use std::process::Command;

use serde_json::Value;

use crate::common::{attrs, md, without_json_ld, yaml_str, Built, SiteFixture, BASE};

/// The content of `<meta property|name="key">`, one per tag.
fn meta(built: &Built, page: &str, key: &str) -> Vec<String> {
    let doc = built.html(page);
    let mut found = attrs(&doc, &format!("meta[property=\"{key}\"]"), "content");
    found.extend(attrs(&doc, &format!("meta[name=\"{key}\"]"), "content"));
    found
}

/// The page's JSON-LD graph (it has exactly one block).
fn graph(built: &Built, page: &str) -> Vec<Value> {
    let (_, docs) = without_json_ld(&built.page(page));
    assert_eq!(docs.len(), 1, "{page}: one JSON-LD block");
    assert_eq!(docs[0]["@context"], "https://schema.org");
    docs[0]["@graph"].as_array().expect("a @graph").clone()
}

fn of_type<'a>(graph: &'a [Value], kind: &str) -> &'a Value {
    graph
        .iter()
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {graph:#?}"))
}

fn names(list: &Value, kind: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["@type"] == kind)
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

fn news_site() -> Built {
    let people =
        "- name: Ann Lee\n  role: Envoy to the talks\n  country: France\n  aliases: [A. Lee]\n";
    SiteFixture::new()
        .file("data/people.yaml", people)
        .article(
            "2026/02/talks.md",
            md(
                "Talks resume",
                "2026-02-20T09:30:00Z",
                "updated: 2026-02-21T10:00:00Z\nsource: AFP\nurl: https://news.example.com/talks\nlocation: Geneva, Switzerland\npeople: [Ann Lee, Bo Chen]\ncountries: [France, Poland]\ntags: [diplomacy, security]\nsummary: \"Envoys meet again.\"\n",
            ),
        )
        .article(
            "2026/01/earlier.md",
            md("Earlier", "2026-01-05", "people: [Ann Lee]\n"),
        )
        .build()
}

#[test]
fn an_article_is_a_news_article_for_cards_and_search_engines() {
    let built = news_site();
    let page = "2026/02/talks/";
    let url = format!("{BASE}2026/02/talks/");
    assert_eq!(meta(&built, page, "description"), ["Envoys meet again."]);
    assert_eq!(meta(&built, page, "og:type"), ["article"]);
    assert_eq!(meta(&built, page, "og:title"), ["Talks resume"]);
    assert_eq!(meta(&built, page, "og:description"), ["Envoys meet again."]);
    assert_eq!(meta(&built, page, "og:url"), [url.as_str()]);
    assert_eq!(meta(&built, page, "og:site_name"), ["Test Gazette"]);
    assert_eq!(
        meta(&built, page, "article:published_time"),
        ["2026-02-20T09:30:00Z"]
    );
    assert_eq!(
        meta(&built, page, "article:modified_time"),
        ["2026-02-21T10:00:00Z"]
    );
    assert_eq!(meta(&built, page, "article:tag"), ["diplomacy", "security"]);
    assert_eq!(meta(&built, page, "twitter:card"), ["summary"]);
    assert_eq!(meta(&built, page, "twitter:title"), ["Talks resume"]);
    assert_eq!(
        attrs(&built.html(page), "link[rel=canonical]", "href"),
        [url.as_str()]
    );

    let graph = graph(&built, page);
    let article = of_type(&graph, "NewsArticle");
    assert_eq!(article["headline"], "Talks resume");
    assert_eq!(article["url"], url.as_str());
    assert_eq!(article["datePublished"], "2026-02-20T09:30:00Z");
    assert_eq!(article["dateModified"], "2026-02-21T10:00:00Z");
    assert_eq!(article["isBasedOn"], "https://news.example.com/talks");
    assert_eq!(article["sourceOrganization"]["name"], "AFP");
    assert_eq!(article["publisher"]["name"], "Test Gazette");
    assert_eq!(article["locationCreated"]["name"], "Geneva, Switzerland");
    assert_eq!(
        names(&article["mentions"], "Person"),
        ["Ann Lee", "Bo Chen"]
    );
    assert_eq!(names(&article["mentions"], "Country"), ["France", "Poland"]);
    assert_eq!(
        names(&article["contentLocation"], "Country"),
        ["France", "Poland"]
    );
    assert_eq!(
        article["keywords"],
        serde_json::json!(["diplomacy", "security"])
    );
    let person = &article["mentions"][0];
    assert_eq!(person["url"], format!("{BASE}people/ann-lee/"));

    let crumbs = of_type(&graph, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    let trail: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        trail,
        ["Test Gazette", "2026", "February 2026", "Talks resume"]
    );
    assert_eq!(crumbs[3]["item"], url.as_str());
    assert_eq!(crumbs[3]["position"], 4);
    // The same trail is shown to readers, without the page itself.
    assert_eq!(
        built.texts(page, "nav.crumbs li"),
        ["Test Gazette", "2026", "February 2026"]
    );
}

#[test]
fn a_person_is_a_profile_page_and_a_country_a_collection() {
    let built = news_site();
    let page = "people/ann-lee/";
    assert_eq!(
        meta(&built, page, "description"),
        ["Ann Lee: Envoy to the talks"]
    );
    assert_eq!(meta(&built, page, "og:type"), ["website"]);
    assert_eq!(meta(&built, page, "og:title"), ["Ann Lee"]);
    let feeds = attrs(
        &built.html(page),
        "link[rel=alternate][type=\"application/atom+xml\"]",
        "href",
    );
    assert_eq!(
        feeds,
        [
            format!("{BASE}atom.xml"),
            format!("{BASE}people/ann-lee/atom.xml")
        ]
    );
    let graph = graph(&built, page);
    let profile = of_type(&graph, "ProfilePage");
    assert_eq!(profile["about"]["@type"], "Person");
    assert_eq!(profile["about"]["name"], "Ann Lee");
    assert_eq!(profile["about"]["jobTitle"], "Envoy to the talks");
    assert_eq!(profile["about"]["nationality"]["name"], "France");
    assert_eq!(
        profile["about"]["alternateName"],
        serde_json::json!(["A. Lee"])
    );

    let country = "countries/france/";
    let graph = self::graph(&built, country);
    let collection = of_type(&graph, "CollectionPage");
    assert_eq!(collection["about"]["@type"], "Country");
    assert_eq!(collection["about"]["identifier"], "FR");
    let description = &meta(&built, country, "description")[0];
    assert!(description.contains("about France"), "{description}");
    assert!(meta(&built, country, "og:url")[0].ends_with("/countries/france/"));

    // Every other page is a website, with a description of its own.
    for page in [
        "",
        "people/",
        "2026/",
        "2026/02/",
        "tags/security/",
        "404.html",
    ] {
        assert_eq!(meta(&built, page, "og:type"), ["website"], "{page}");
        assert_eq!(meta(&built, page, "description").len(), 1, "{page}");
        assert!(!self::graph(&built, page).is_empty(), "{page}");
    }
    let home = self::graph(&built, "");
    assert_eq!(home[0]["@type"], "WebSite");
}

#[test]
fn hostile_titles_and_names_stay_text_in_meta_tags_and_json_ld() {
    let title = "Quotes \" and ' </script><script>alert(1)</script> & <b>bold</b>";
    let person = "Evil </script> \"Name\" & Co";
    let built = SiteFixture::new()
        .article(
            "2026/02/x.md",
            md(
                title,
                "2026-02-20",
                &format!(
                    "people: [{}]\ntags: [{}]\nsummary: {}\n",
                    yaml_str(person),
                    yaml_str("</script>"),
                    yaml_str(title)
                ),
            ),
        )
        .build();
    let page = "2026/02/x/";
    assert_eq!(meta(&built, page, "og:title"), [title]);
    assert_eq!(meta(&built, page, "og:description"), [title]);
    assert_eq!(meta(&built, page, "description"), [title]);
    assert_eq!(meta(&built, page, "twitter:title"), [title]);
    assert_eq!(meta(&built, page, "article:tag"), ["</script>"]);
    let graph = graph(&built, page);
    let article = of_type(&graph, "NewsArticle");
    assert_eq!(article["headline"], title);
    assert_eq!(names(&article["mentions"], "Person"), [person]);
    assert_eq!(article["keywords"][0], "</script>");
    // The person's page too.
    let person_page = attrs(
        &built.html(page),
        "footer.article-terms a[href*='/people/']",
        "href",
    );
    let path = person_page[0].trim_start_matches(BASE).to_string();
    assert_eq!(meta(&built, &path, "og:title"), [person]);
    assert_eq!(
        of_type(&self::graph(&built, &path), "ProfilePage")["about"]["name"],
        person
    );
}

/// The gazette binary built at a fixed build clock, in the site's folder.
fn build_at(site: &SiteFixture, epoch: i64) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build"])
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .current_dir(site.root())
        .output()
        .expect("run gazette");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_news_sitemap_lists_the_last_two_days_by_the_build_clock() {
    // 2026-02-20T12:00:00Z.
    let now = 1_771_588_800;
    let site = SiteFixture::new()
        .article("a/hour.md", md("An hour ago", "2026-02-20T11:00:00Z", ""))
        .article("a/day.md", md("A day & more", "2026-02-19T06:00:00Z", ""))
        .article("a/edge.md", md("Just inside", "2026-02-18T12:00:00Z", ""))
        .article("a/old.md", md("Three days ago", "2026-02-17T11:00:00Z", ""))
        .article("a/future.md", md("Tomorrow", "2026-02-21T09:00:00Z", ""));
    build_at(&site, now);
    let xml = std::fs::read_to_string(site.out().join("news-sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let field = |url: &roxmltree::Node, name: &str| {
        url.descendants()
            .find(|n| n.has_tag_name((news, name)))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let titles: Vec<String> = urls.iter().map(|u| field(u, "title")).collect();
    assert_eq!(titles, ["An hour ago", "A day & more", "Just inside"]);
    let first = &urls[0];
    assert_eq!(field(first, "name"), "Test Gazette");
    assert_eq!(field(first, "language"), "en");
    assert_eq!(field(first, "publication_date"), "2026-02-20T11:00:00Z");
    let loc = first
        .children()
        .find(|n| n.has_tag_name("loc"))
        .and_then(|n| n.text());
    assert_eq!(loc, Some(format!("{BASE}2026/02/hour/").as_str()));
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {BASE}news-sitemap.xml")),
        "{robots}"
    );
    // A later build clock moves the window: nothing is that recent.
    build_at(&site, now + 5 * 86_400);
    let xml = std::fs::read_to_string(site.out().join("news-sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("url")).count(),
        0
    );
}

//! Building whole sites and checking what a reader would see.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::common::BASE;

use crate::common::{
    self, assert_same_files, file_of, links_in, list_files, md, md_body, without_json_ld, yaml_str,
    SiteFixture,
};

/// A small site: four articles over two years, people, countries and tags,
/// a static file, an image beside an article; two articles per page.
fn small_site() -> SiteFixture {
    SiteFixture::new()
        .config("per_page = 2")
        .article(
            "2026/02/talks-resume.md",
            md(
                "Talks resume",
                "2026-02-20",
                "people: [Ann Lee, Bo Chen]\ncountries: [France]\ntags: [diplomacy]\n",
            ),
        )
        .article(
            "2026/02/summit.md",
            md(
                "Summit opens",
                "2026-02-10",
                "people: [Ann Lee]\ncountries: [Poland]\ntags: [security]\n",
            ),
        )
        .article(
            "2026/01/new-year.md",
            md(
                "New year pledges",
                "2026-01-05",
                "slug: pledges\ncountries: [France]\ntags: [diplomacy]\n",
            ),
        )
        .article(
            "2025/12/review.md",
            md("Year in review", "2025-12-30", "people: [Bo Chen]\n"),
        )
        .file(
            "content/2026/02/photo.jpg",
            b"\xff\xd8\xff\xe0 not really a jpeg",
        )
        .file("static/humans.txt", "Made by the desk\n")
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
}

#[test]
fn every_expected_page_exists() {
    let built = small_site().build();
    let expected: BTreeSet<String> = [
        // articles (the slug in front matter wins over the file name)
        "2026/02/talks-resume/",
        "2026/02/summit/",
        "2026/01/pledges/",
        "2025/12/review/",
        // home, two per page
        "/",
        "page/2/",
        // taxonomies and their terms
        "people/",
        "people/ann-lee/",
        "people/ann-lee/atom.xml",
        "people/ann-lee/feed.json",
        "people/bo-chen/",
        "people/bo-chen/atom.xml",
        "people/bo-chen/feed.json",
        "countries/",
        "countries/france/",
        "countries/france/atom.xml",
        "countries/france/feed.json",
        "countries/poland/",
        "countries/poland/atom.xml",
        "countries/poland/feed.json",
        "tags/",
        "tags/diplomacy/",
        "tags/security/",
        // archives: 2026 has three articles, so two pages
        "2026/",
        "2026/page/2/",
        "2026/01/",
        "2026/02/",
        "2025/",
        "2025/12/",
        // on this day: one page per calendar day with articles
        "on-this-day/01-05/",
        "on-this-day/02-10/",
        "on-this-day/02-20/",
        "on-this-day/12-30/",
        // generated files
        "atom.xml",
        "feed.json",
        "/corrections/",
        "/stories/",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "theme.css",
        "syntax.css",
        ".gazette-manifest",
        "news-sitemap.xml",
        // the theme's own files
        "favicon.svg",
        "on-this-day.js",
        "world.svg",
        // copied as they are
        "humans.txt",
        "img/logo.svg",
        "2026/02/photo.jpg",
        // search: its page, the client, the entry, one shard, one chunk
        "/search/",
        "search/search.js",
        "search/index.json",
        "search/filters.bin",
        "search/words/0.bin",
        "search/pairs/0.bin",
        "search/pairs/starts.json",
        "search/rank/0.bin",
        "search/rank/starts.json",
        // the people's and countries' names by first letter
        "search/names/a.json",
        "search/names/b.json",
        "search/names/c.json",
        "search/names/f.json",
        "search/names/l.json",
        "search/names/p.json",
        "search/docs/0.json",
    ]
    .iter()
    .map(|p| file_of(p))
    .collect();
    let actual: BTreeSet<String> = list_files(&built.out).into_iter().collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing {missing:?}, unexpected {unexpected:?}"
    );

    assert_eq!(built.page("humans.txt"), "Made by the desk\n");
    assert_eq!(
        std::fs::read(built.file_of("2026/02/photo.jpg")).unwrap(),
        b"\xff\xd8\xff\xe0 not really a jpeg"
    );
    assert_eq!(built.article_titles("/"), ["Talks resume", "Summit opens"]);
    assert_eq!(
        built.article_titles("page/2/"),
        ["New year pledges", "Year in review"]
    );
    assert_eq!(
        built.article_titles("2026/"),
        ["Talks resume", "Summit opens"]
    );
    assert_eq!(built.article_titles("2026/page/2/"), ["New year pledges"]);
    assert_eq!(
        built.article_titles("2026/02/"),
        ["Talks resume", "Summit opens"]
    );
    assert_eq!(
        built.article_titles("countries/france/"),
        ["Talks resume", "New year pledges"]
    );
    assert_eq!(
        built.texts("2026/02/summit/", "article h1"),
        ["Summit opens"]
    );
    assert!(built
        .page("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
    assert_eq!(
        built.report.files.files,
        expected.len() - 1,
        "all but the manifest"
    );
}

#[test]
fn person_pages_list_their_articles_newest_first_across_pages() {
    // File names are not in date order, so the order must come from dates.
    let built = SiteFixture::new()
        .config("per_page = 2")
        .article(
            "2026/03/a.md",
            md("Ann 3", "2026-03-01", "people: [Ann Lee, Bo Chen]\n"),
        )
        .article(
            "2026/01/b.md",
            md("Ann 1", "2026-01-01", "people: [Ann Lee]\n"),
        )
        .article(
            "2026/05/c.md",
            md("Ann 5", "2026-05-01", "people: [\"ann  lee\"]\n"),
        )
        .article(
            "2026/02/d.md",
            md("Ann 2", "2026-02-01", "people: [ANN LEE]\n"),
        )
        .article(
            "2026/04/e.md",
            md("Ann 4", "2026-04-01", "people: [Ann Lee]\n"),
        )
        .article(
            "2026/04/f.md",
            md("Other", "2026-04-02", "people: [Bo Chen]\n"),
        )
        .build();

    assert_eq!(built.article_titles("people/ann-lee/"), ["Ann 5", "Ann 4"]);
    assert_eq!(
        built.article_titles("people/ann-lee/page/2/"),
        ["Ann 3", "Ann 2"]
    );
    assert_eq!(built.article_titles("people/ann-lee/page/3/"), ["Ann 1"]);
    assert!(!built.exists("people/ann-lee/page/4/"));
    // One person, whatever the spelling: no second page for "ann  lee".
    assert!(!built.exists("people/ann-lee-2/"));
    let people_pages: Vec<_> = list_files(&built.out.join("people"))
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && !f.contains("/page/"))
        .collect();
    assert_eq!(people_pages, ["ann-lee/index.html", "bo-chen/index.html"]);

    assert_eq!(built.texts("people/ann-lee/", "main h1"), ["Ann Lee"]);
    assert_eq!(
        built.texts("people/ann-lee/", "main p.count"),
        ["5 articles, first mentioned 1 January 2026, last 1 May 2026 · Atom feed"]
    );
    assert_eq!(
        built.texts("people/", "ul.term-list li"),
        ["Ann Lee (5)", "Bo Chen (2)"]
    );
    assert_eq!(
        common::attrs(&built.html("people/"), "ul.term-list a", "href"),
        [
            "https://example.org/people/ann-lee/",
            "https://example.org/people/bo-chen/"
        ]
    );

    // The pager walks the pages in order.
    let next = |page: &str| common::attrs(&built.html(page), "nav.pager a[rel=next]", "href");
    let prev = |page: &str| common::attrs(&built.html(page), "nav.pager a[rel=prev]", "href");
    assert_eq!(
        next("people/ann-lee/"),
        ["https://example.org/people/ann-lee/page/2/"]
    );
    assert_eq!(
        prev("people/ann-lee/page/3/"),
        ["https://example.org/people/ann-lee/page/2/"]
    );
    assert!(next("people/ann-lee/page/3/").is_empty());

    // The article written with another spelling links to the same page.
    assert!(built
        .links("2026/05/c/")
        .contains(&"https://example.org/people/ann-lee/".to_string()));
}

#[test]
fn markup_in_titles_names_and_summaries_is_escaped_everywhere() {
    let title = "Q&A: <script>alert(1)</script> \"quoted\"";
    let person = "<script>alert(1)</script>";
    let summary = "<script>alert(1)</script> & more";
    let tag = "<b>bold</b>";
    let built = SiteFixture::new()
        .config("description = \"<script>alert(1)</script>\"")
        .article(
            "2026/02/x.md",
            md_body(
                title,
                "2026-02-20",
                &format!(
                    "people: [{}]\ntags: [{}]\nsummary: {}\nsource: {}\nlocation: {}\n",
                    yaml_str(person),
                    yaml_str(tag),
                    yaml_str(summary),
                    yaml_str("<script>src</script>"),
                    yaml_str("<script>loc</script>"),
                ),
                "A plain body.\n",
            ),
        )
        .build();

    // Nothing in the output carries a live script tag.
    // (JSON-LD aside: it is checked to hold no `<` and to parse.)
    for (rel, bytes) in built.files() {
        let (text, _) = without_json_ld(&String::from_utf8_lossy(&bytes));
        let text = text.to_lowercase();
        assert!(!text.contains("<script"), "raw <script> in {rel}:\n{text}");
        assert!(!text.contains("<b>bold"), "raw <b> in {rel}:\n{text}");
    }

    // Readers see the text exactly as written (escaped once, not twice).
    assert_eq!(built.texts("2026/02/x/", "article h1"), [title]);
    assert_eq!(built.texts("2026/02/x/", "article p.summary"), [summary]);
    assert_eq!(built.article_titles("/"), [title]);
    assert_eq!(built.texts("/", "ol.articles p.summary"), [summary]);
    let person_url = common::attrs(&built.html("people/"), "ul.term-list a", "href");
    assert_eq!(person_url.len(), 1);
    let person_page = person_url[0]
        .strip_prefix("https://example.org/")
        .expect("absolute link");
    assert_eq!(built.texts(person_page, "main h1"), [person]);
    assert!(
        built.texts(person_page, "title")[0].starts_with(person),
        "{:?}",
        built.texts(person_page, "title")
    );
    assert_eq!(built.article_titles(person_page), [title]);
    assert_eq!(built.texts("people/", "ul.term-list a"), [person]);

    // The feed and the sitemap are XML, with the same text inside.
    let atom = built.page("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entry = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .expect("an entry");
    let child_text = |name: &str| {
        entry
            .children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(child_text("title").as_deref(), Some(title));
    assert_eq!(child_text("summary").as_deref(), Some(summary));
    let category = entry
        .children()
        .find(|n| n.has_tag_name("category"))
        .and_then(|n| n.attribute("term"));
    assert_eq!(category, Some(tag));
    let sitemap = built.page("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
}

#[test]
fn colliding_slugs_get_distinct_pages_and_names_are_transliterated() {
    let built = SiteFixture::new()
        .article(
            "2026/02/plus.md",
            md(
                "About C++",
                "2026-02-01",
                "tags: [C++]\npeople: [Олена Коваль]\n",
            ),
        )
        .article(
            "2026/02/sharp.md",
            md(
                "About C#",
                "2026-02-02",
                "tags: [C#]\npeople: [Łukasz Żółć]\n",
            ),
        )
        .build();

    assert!(built.exists("tags/c/"));
    assert!(built.exists("tags/c-2/"));
    for page in ["tags/c/", "tags/c-2/"] {
        let name = built.texts(page, "main h1").remove(0);
        let expected = match name.as_str() {
            "C++" => "About C++",
            "C#" => "About C#",
            other => panic!("unexpected term {other:?} on {page}"),
        };
        assert_eq!(built.article_titles(page), [expected], "{page}");
    }
    // Each article links to its own tag's page.
    for (article, tag) in [("2026/02/plus/", "C++"), ("2026/02/sharp/", "C#")] {
        let doc = built.html(article);
        let href = common::attrs(&doc, "footer.article-terms a[href*='/tags/']", "href");
        assert_eq!(href.len(), 1, "{article}: {href:?}");
        let page = href[0].strip_prefix("https://example.org/").unwrap();
        assert_eq!(
            built.texts(page, "main h1"),
            [tag],
            "{article} links {page}"
        );
    }
    assert_eq!(built.texts("tags/", "ul.term-list li").len(), 2);

    assert_eq!(
        built.texts("people/olena-koval/", "main h1"),
        ["Олена Коваль"]
    );
    assert_eq!(built.article_titles("people/olena-koval/"), ["About C++"]);
    assert_eq!(
        built.texts("people/lukasz-zolc/", "main h1"),
        ["Łukasz Żółć"]
    );
    assert_eq!(built.article_titles("people/lukasz-zolc/"), ["About C#"]);
}

/// A site whose articles link to each other, to people, to images.
fn linked_site() -> SiteFixture {
    SiteFixture::new()
        .config("per_page = 1")
        .article(
            "2026/02/a.md",
            md_body(
                "Alpha",
                "2026-02-20",
                "people: [Ann Lee]\ncountries: [France]\ntags: [t1]\nurl: https://news.example.com/story\n",
                "See [beta](../01/b.md), [Ann](/people/ann-lee/), the [section](#s) and ![photo](photo.jpg).\n\n## S\n",
            ),
        )
        .article(
            "2026/01/b.md",
            md("Beta", "2026-01-10", "people: [Ann Lee, Bo]\ntags: [t2]\n"),
        )
        .article("2025/11/c.md", md("Gamma", "2025-11-01", "countries: [Chad]\n"))
        .file("content/2026/02/photo.jpg", crate::photos::jpeg(40, 30, 1, &[]))
        .file("static/favicon.ico", b"ico")
}

/// Every link on every HTML page that points at the site starts with
/// `prefix` and names a file of the output; returns how many were checked.
#[track_caller]
fn assert_site_links(built: &crate::common::Built, prefix: &str) -> usize {
    let site_host = {
        let after = prefix.split_once("://").unwrap().1;
        let host = after.split('/').next().unwrap();
        format!("{}://{host}", prefix.split_once("://").unwrap().0)
    };
    let mut bad = Vec::new();
    let mut checked = 0;
    for rel in list_files(&built.out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(built.out.join(&rel)).unwrap();
        for link in links_in(&html) {
            if link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let absolute = link.starts_with("http://") || link.starts_with("https://");
            if absolute && !link.starts_with(&site_host) {
                continue; // another site
            }
            checked += 1;
            let Some(path) = link.strip_prefix(prefix) else {
                bad.push(format!("{rel}: {link} does not start with {prefix}"));
                continue;
            };
            let path = path.split(['#', '?']).next().unwrap();
            if !built.exists(path) {
                bad.push(format!("{rel}: {link} has no file {}", file_of(path)));
            }
        }
    }
    assert!(bad.is_empty(), "bad links:\n{}", bad.join("\n"));
    checked
}

#[test]
fn sub_path_base_url_prefixes_every_link_and_every_link_resolves() {
    let prefix = "https://example.org/archive/";
    let built = linked_site().base_url(prefix).build();
    let checked = assert_site_links(&built, prefix);
    assert!(checked > 100, "only {checked} links checked");

    // The article body's links were rewritten under the sub-path.
    let links = built.links("2026/02/a/");
    // The photo is shown by its copy, under the sub-path too.
    assert!(
        links.iter().any(
            |l| l.starts_with("https://example.org/archive/photos/") && l.ends_with("-w40.jpg")
        ),
        "{links:?}"
    );
    for expected in [
        "https://example.org/archive/2026/01/b/",
        "https://example.org/archive/people/ann-lee/",
        "https://news.example.com/story",
    ] {
        assert!(
            links.contains(&expected.to_string()),
            "{expected} not in {links:?}"
        );
    }

    // The feed and the sitemap point under the sub-path too.
    for (file, tag, attr) in [
        ("atom.xml", "link", Some("href")),
        ("sitemap.xml", "loc", None),
    ] {
        let text = built.page(file);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let urls: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name(tag))
            .filter_map(|n| match attr {
                Some(a) => n.attribute(a).map(str::to_string),
                None => n.text().map(str::to_string),
            })
            .collect();
        assert!(!urls.is_empty(), "{file}");
        for url in urls {
            let path = url
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{file}: {url} is not under {prefix}"));
            assert!(built.exists(path), "{file}: {url} has no file");
        }
    }
    assert!(built
        .page("robots.txt")
        .contains("Sitemap: https://example.org/archive/sitemap.xml"));
}

#[test]
fn base_url_override_replaces_site_toml() {
    let preview = "https://preview.example.net/pr-7/";
    let built = linked_site()
        .base_url("https://example.org/archive/")
        .base_url_override(preview)
        .build();
    assert_site_links(&built, preview);
    for (rel, bytes) in built.files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("example.org"),
            "{rel} still names site.toml's base_url"
        );
    }

    // The same through the command line's -u.
    let fixture = linked_site().base_url("https://example.org/archive/");
    let out = fixture.root().join("cli-out");
    let run = fixture.gazette(&[
        "build",
        "-o",
        out.to_str().unwrap(),
        "-u",
        "https://cli.example.net",
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let canonical = common::attrs(
        &scraper::Html::parse_document(&home),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(canonical, ["https://cli.example.net/"]);
    let links = links_in(&std::fs::read_to_string(out.join("2026/02/a/index.html")).unwrap());
    assert!(
        links.contains(&"https://cli.example.net/2026/01/b/".to_string()),
        "{links:?}"
    );
    assert!(
        !links.iter().any(|l| l.contains("example.org")),
        "{links:?}"
    );
}

#[test]
fn builds_are_deterministic() {
    let fixture = linked_site()
        .article(
            "2026/02/d.md",
            md(
                "Delta",
                "2026-02-20",
                "people: [ann lee, Cy, Dee]\ntags: [t1, t2, t3]\n",
            ),
        )
        .article(
            "2026/02/e.md",
            md("Epsilon", "2026-02-20", "people: [cy]\n"),
        );
    let first = fixture.root().join("out-1");
    let second = fixture.root().join("out-2");
    fixture.try_build_into(&first, false).unwrap();
    fixture.try_build_into(&second, false).unwrap();
    let a = common::snapshot(&first);
    assert!(a.len() > 20);
    assert_same_files(&a, &common::snapshot(&second));
}

#[test]
fn rebuild_with_nothing_changed_writes_nothing() {
    let mut built = linked_site().build();
    let files_before = built.files();
    let mtimes_before = built.mtimes();
    std::thread::sleep(Duration::from_millis(20));

    let report = built.rebuild().clone();
    assert_eq!(report.files.written, 0, "{report:?}");
    assert_eq!(report.files.removed, 0, "{report:?}");
    assert_eq!(report.files.unchanged, report.files.files, "{report:?}");
    assert_same_files(&files_before, &built.files());
    let mtimes_after = built.mtimes();
    let touched: Vec<_> = mtimes_before
        .iter()
        .filter(|(rel, t)| rel.as_str() != ".gazette-manifest" && mtimes_after.get(*rel) != Some(t))
        .map(|(rel, _)| rel)
        .collect();
    assert!(touched.is_empty(), "rewritten: {touched:?}");

    // Editing the second paragraph of one article rewrites only its page.
    built.fixture.put(
        "content/2026/01/b.md",
        md_body(
            "Beta",
            "2026-01-10",
            "people: [Ann Lee, Bo]\ntags: [t2]\n",
            "Body of Beta.\n\nA new paragraph.\n",
        ),
    );
    std::thread::sleep(Duration::from_millis(20));
    let report = built.rebuild().clone();
    let mtimes_edit = built.mtimes();
    let touched: Vec<_> = mtimes_after
        .iter()
        .filter(|(rel, t)| rel.as_str() != ".gazette-manifest" && mtimes_edit.get(*rel) != Some(t))
        .map(|(rel, _)| rel.as_str())
        .collect();
    // The page, and the search index's entry, the shard of the new words,
    // their ranks and the pairs (whose files start at a new first word,
    // `a`).
    assert_eq!(
        touched,
        [
            "2026/01/b/index.html",
            "search/index.json",
            "search/pairs/0.bin",
            "search/pairs/starts.json",
            "search/rank/0.bin",
            "search/rank/starts.json",
            "search/words/0.bin"
        ]
    );
    assert_eq!(report.files.written, 7, "{report:?}");
    assert!(built.page("2026/01/b/").contains("A new paragraph."));
}

#[test]
fn drafts_are_hidden_unless_asked_for() {
    let site = || {
        SiteFixture::new()
            .article(
                "2026/02/pub.md",
                md("Published", "2026-02-01", "people: [Ann Lee]\n"),
            )
            .article(
                "2026/02/secret.md",
                md(
                    "Secret draft",
                    "2026-02-02",
                    "draft: true\npeople: [Ann Lee, Zed Hidden]\ntags: [embargo]\n",
                ),
            )
    };

    let hidden = site().build();
    assert!(!hidden.exists("2026/02/secret/"));
    assert!(!hidden.exists("people/zed-hidden/"));
    assert!(!hidden.exists("tags/embargo/"));
    assert_eq!(hidden.article_titles("/"), ["Published"]);
    assert_eq!(hidden.article_titles("people/ann-lee/"), ["Published"]);
    assert_eq!(hidden.texts("people/", "ul.term-list li"), ["Ann Lee (1)"]);
    for (rel, bytes) in hidden.files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Secret") && !text.contains("secret") && !text.contains("Zed"),
            "the draft shows in {rel}"
        );
    }

    let shown = site().drafts(true).build();
    assert!(shown.exists("2026/02/secret/"));
    assert_eq!(shown.article_titles("/"), ["Secret draft", "Published"]);
    assert_eq!(shown.article_titles("people/zed-hidden/"), ["Secret draft"]);
    assert_eq!(shown.article_titles("tags/embargo/"), ["Secret draft"]);
    assert!(shown.page("atom.xml").contains("Secret draft"));

    // The command line's --drafts does the same.
    let fixture = site();
    let run = fixture.gazette(&["build", "--drafts"]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    assert!(fixture.out().join("2026/02/secret/index.html").is_file());
}

#[test]
fn dates_without_offset_are_read_in_the_site_timezone() {
    let built = SiteFixture::new()
        .config("timezone = \"America/New_York\"")
        .article("2026/01/winter.md", md("Winter", "2026-01-15 09:30", ""))
        .article("2026/07/summer.md", md("Summer", "2026-07-01", ""))
        .article(
            "2026/03/fixed.md",
            md("Fixed", "2026-03-10T08:00:00+01:00", ""),
        )
        .article("2026/03/utc.md", md("Utc", "2026-03-11T08:00:00Z", ""))
        // Already 1 May in UTC, still 30 April in New York.
        .article("2026/04/late.md", md("Late", "2026-04-30 22:00", ""))
        .build();
    let datetime = |page: &str| common::attrs(&built.html(page), "article p.meta time", "datetime");
    assert_eq!(datetime("2026/01/winter/"), ["2026-01-15T09:30:00-05:00"]);
    assert_eq!(datetime("2026/07/summer/"), ["2026-07-01T00:00:00-04:00"]);
    assert_eq!(datetime("2026/03/fixed/"), ["2026-03-10T08:00:00+01:00"]);
    assert_eq!(datetime("2026/03/utc/"), ["2026-03-11T08:00:00Z"]);
    assert_eq!(datetime("2026/04/late/"), ["2026-04-30T22:00:00-04:00"]);
    assert_eq!(built.article_titles("2026/04/"), ["Late"]);
    assert!(!built.exists("2026/05/"));
    assert_eq!(
        built.texts("2026/04/late/", "article p.meta time"),
        ["30 April 2026"]
    );

    let utc = SiteFixture::new()
        .article("2026/01/winter.md", md("Winter", "2026-01-15 09:30", ""))
        .build();
    assert_eq!(
        common::attrs(&utc.html("2026/01/winter/"), "article time", "datetime"),
        ["2026-01-15T09:30:00Z"]
    );
}

#[test]
fn markdown_highlights_code_ids_headings_and_resolves_article_links() {
    let body = "\
## Key figures

```rust
fn main() { let x = 1; }
```

```nosuchlang
<b>x</b> & y
```

Read [the summit](summit.md), [its outcome](summit.md#outcome), \
[January](../01/new-year.md) and ![a photo](photo.jpg).
";
    let built = SiteFixture::new()
        .article("2026/02/a.md", md_body("Alpha", "2026-02-20", "", body))
        .article("2026/02/summit.md", md("Summit", "2026-02-10", ""))
        .article(
            "2026/01/new-year.md",
            md("Pledges", "2026-01-05", "slug: pledges\n"),
        )
        .file(
            "content/2026/02/photo.jpg",
            crate::photos::jpeg(40, 30, 2, &[]),
        )
        .build();
    let page = "2026/02/a/";
    let doc = built.html(page);

    assert_eq!(
        built.texts(page, "div.body h2#key-figures"),
        ["Key figures"]
    );

    let rust_classes = common::attrs(&doc, "pre.code[data-lang=rust] span", "class");
    assert!(
        rust_classes.iter().any(|c| c.contains("hl-")),
        "no hl- classes in {rust_classes:?}"
    );
    assert_eq!(
        built.texts(page, "pre.code[data-lang=rust] code"),
        ["fn main() { let x = 1; }"]
    );
    assert_eq!(
        built.texts(page, "pre.code[data-lang=nosuchlang] code"),
        ["<b>x</b> & y"]
    );
    assert!(
        built.texts(page, "pre.code b").is_empty(),
        "markup inside code ran"
    );
    assert!(built.page("syntax.css").contains(".hl-"));

    let links = common::attrs(&doc, "div.body a", "href");
    assert_eq!(
        links,
        [
            "https://example.org/2026/02/summit/",
            "https://example.org/2026/02/summit/#outcome",
            "https://example.org/2026/01/pledges/",
        ]
    );
    let src = common::attrs(&doc, "div.body img", "src");
    assert!(
        src[0].starts_with("https://example.org/photos/") && src[0].ends_with("-w40.jpg"),
        "{src:?}"
    );
    assert!(built.exists(src[0].strip_prefix("https://example.org").unwrap()));
}

#[test]
fn the_feed_has_the_latest_fifty_and_the_sitemap_has_everything() {
    let mut fixture = SiteFixture::new().config("per_page = 10");
    for i in 1..=55 {
        let day = (i - 1) % 28 + 1;
        let month = (i - 1) / 28 + 1;
        fixture = fixture.article(
            &format!("2026/{month:02}/n{i:02}.md"),
            md(
                &format!("News {i:02}"),
                &format!("2026-{month:02}-{day:02}"),
                "",
            ),
        );
    }
    let built = fixture.build();
    let atom = built.page("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|n| n.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    let expected: Vec<String> = (6..=55).rev().map(|i| format!("News {i:02}")).collect();
    assert_eq!(titles, expected);
    let newest_updated = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("updated"))
        .and_then(|n| n.text());
    assert_eq!(newest_updated, Some("2026-02-27T00:00:00Z"));

    let sitemap = built.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains("https://example.org/2026/01/n01/"));
    assert!(locs.contains("https://example.org/2026/02/n55/"));
    assert!(locs.contains("https://example.org/page/6/"));
    assert!(!built.exists("page/7/"));
    assert_eq!(built.article_titles("page/6/").len(), 5);
}

#[test]
fn the_feed_stays_xml_when_text_holds_control_characters() {
    let built = SiteFixture::new()
        .article(
            "2026/02/a.md",
            // `\v` is YAML's escape for U+000B; the body holds a raw one.
            "---\ntitle: \"Line\\vbreak\"\ndate: 2026-02-20\n---\nPasted\u{0B}from a word processor.\n",
        )
        .build();
    let atom = built.page("atom.xml");
    if let Err(e) = roxmltree::Document::parse(&atom) {
        panic!("atom.xml is not XML: {e}\n{atom}");
    }
}

#[test]
fn a_symlink_loop_under_content_is_skipped_with_a_warning() {
    let fixture = SiteFixture::new().article("2026/02/a.md", md("Loop-proof", "2026-02-20", ""));
    // content/2026/back -> content: following it would walk forever.
    std::os::unix::fs::symlink(
        fixture.root().join("content"),
        fixture.root().join("content/2026/back"),
    )
    .unwrap();
    let site = fixture.load().expect("a symlink loop is not an error");
    assert_eq!(site.article_count(), 1);
    assert!(
        site.warnings()
            .iter()
            .any(|w| w.message.contains("symlink loop")),
        "{:?}",
        site.warnings()
    );
    let run = fixture.gazette(&["build"]);
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
    assert!(
        common::stderr(&run).contains("warning: symlink loop skipped"),
        "{}",
        common::stderr(&run)
    );
}

#[test]
fn lists_show_each_articles_facts_and_pagers_say_where_the_reader_is() {
    let mut site = SiteFixture::new().config("per_page = 2");
    for i in 0..5 {
        site = site.article(
            &format!("2026/01/a{i}.md"),
            md(
                &format!("Story {i}"),
                &format!("2026-01-{:02}", 10 + i),
                "source: AFP\nlocation: Paris, France\npeople: [Ann Lee, Bo Chen]\ncountries: [France]\nsummary: \"In short.\"\n",
            ),
        );
    }
    let built = site.build();
    let home = built.html("");
    let cards: Vec<_> = home
        .select(&scraper::Selector::parse("ol.articles > li").unwrap())
        .collect();
    assert_eq!(cards.len(), 2);
    let card = scraper::Html::parse_fragment(&cards[0].html());
    let text = |css: &str| -> Vec<String> {
        let s = scraper::Selector::parse(css).unwrap();
        card.select(&s)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    };
    assert_eq!(text("h2 a"), ["Story 4"]);
    assert_eq!(text("time"), ["14 January 2026"]);
    assert_eq!(text(".source"), ["AFP"]);
    assert_eq!(text(".location"), ["Paris, France"]);
    assert_eq!(text(".summary"), ["In short."]);
    assert_eq!(text(".card-terms.people a"), ["Ann Lee", "Bo Chen"]);
    assert_eq!(text(".card-terms.countries a"), ["France"]);
    assert_eq!(
        common::attrs(&card, ".card-terms a", "href"),
        [
            format!("{BASE}people/ann-lee/"),
            format!("{BASE}people/bo-chen/"),
            format!("{BASE}countries/france/")
        ]
    );
    // Page 2 of 3: every way on is there.
    let pager = |page: &str, css: &str| common::attrs(&built.html(page), css, "href");
    assert_eq!(built.texts("page/2/", "nav.pager .where"), ["Page 2 of 3"]);
    let links = built.texts("page/2/", "nav.pager a");
    assert_eq!(links, ["« First", "‹ Newer", "Older ›", "Last »"]);
    assert_eq!(
        pager("page/2/", "nav.pager a[rel=prev]"),
        [BASE.to_string()]
    );
    assert_eq!(
        pager("page/2/", "nav.pager a[rel=next]"),
        [format!("{BASE}page/3/")]
    );
    assert_eq!(
        pager("page/2/", "nav.pager a"),
        [
            BASE.to_string(),
            BASE.to_string(),
            format!("{BASE}page/3/"),
            format!("{BASE}page/3/")
        ]
    );
    // On the first and the last page, the ways that lead nowhere are not links.
    assert_eq!(built.texts("", "nav.pager a"), ["Older ›", "Last »"]);
    assert_eq!(
        built.texts("page/3/", "nav.pager a"),
        ["« First", "‹ Newer"]
    );
    assert_eq!(built.texts("page/3/", "nav.pager .where"), ["Page 3 of 3"]);
}

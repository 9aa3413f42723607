//! Sites held in memory for the render stage's tests: no files but the
//! ones nothing here reads (bodies are read only by `finish`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use crate::load::TemplateSet;
use crate::model::{People, PersonEntry, Registry};

/// A loaded site's parts, as `Site` holds them.
pub(crate) struct TestSite {
    config: Config,
    articles: Vec<Article>,
    index: Index,
    entities: Entities,
    templates: TemplateSet,
    cards: Cards,
}

impl TestSite {
    /// A site of these articles (path under content/, front matter
    /// lines), `per_page` to a list page; Ann Lee is in the people
    /// directory, from France.
    pub(crate) fn new(per_page: usize, articles: &[(String, String)]) -> TestSite {
        let toml =
            format!("title = \"T\"\nbase_url = \"https://example.org/\"\nper_page = {per_page}\n");
        let config = Config::parse(Path::new("site.toml"), &toml).unwrap();
        let articles: Vec<Article> = articles
            .iter()
            .map(|(rel, front)| {
                let text = format!("---\n{front}---\nBody of {rel}.\n");
                let file = PathBuf::from("content").join(rel);
                load::parse_article(file, rel.clone(), text.as_bytes(), chrono_tz::UTC).unwrap()
            })
            .collect();
        let countries = Registry::builtin();
        let ann = PersonEntry {
            name: "Ann Lee".into(),
            aliases: vec!["A. Lee".into()],
            role: Some("Envoy".into()),
            country: Some("France".into()),
            description: None,
            line: 1,
            ..PersonEntry::default()
        };
        let people = People::from_entries(vec![ann], &countries, Path::new("p")).unwrap();
        let entities = Entities { countries, people };
        let index = Index::build(&articles, &entities);
        let templates = TemplateSet::load(Path::new("/nonexistent/templates")).unwrap();
        let cards = Cards::unrendered(articles.len());
        TestSite {
            config,
            articles,
            index,
            entities,
            templates,
            cards,
        }
    }

    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer::new(
            &self.config,
            &self.articles,
            &self.index,
            &self.entities,
            &self.templates.tera,
            &self.templates.hashes,
            &self.cards,
        )
    }
}

/// A small random site of 1 to 30 articles over three years, drawn from
/// a few people (one in the directory), countries and tags.
pub(crate) fn random_site(seed: u64) -> TestSite {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let people = ["Ann Lee", "A. Lee", "Bo Chen", "Cy Diaz", "Dee Eng"];
    let countries = ["France", "Poland", "UK", "Peru"];
    let tags = ["trade", "security", "c++", "c#"];
    let count = 1 + next(30);
    let pick = |next: &mut dyn FnMut(u64) -> u64, pool: &[&str]| {
        let names: BTreeSet<&str> = (0..next(3))
            .map(|_| pool[next(pool.len() as u64) as usize])
            .collect();
        names.into_iter().collect::<Vec<_>>().join(", ")
    };
    let articles: Vec<(String, String)> = (0..count)
        .map(|i| {
            let (y, m, d) = (2024 + next(3), 1 + next(12), 1 + next(28));
            let mut front = format!(
                "title: \"Story {i}\"\ndate: {y}-{m:02}-{d:02}\npeople: [{}]\ncountries: [{}]\ntags: [{}]\n",
                pick(&mut next, &people),
                pick(&mut next, &countries),
                pick(&mut next, &tags),
            );
            // Half the stories have a photo of some people (not always
            // those they mention).
            if next(2) == 0 {
                let pictured = pick(&mut next, &people);
                front.push_str(&format!("image: p{i}.jpg\npictured: [{pictured}]\n"));
            }
            (format!("{y}/{m:02}/story-{i}.md"), front)
        })
        .collect();
    TestSite::new(2 + next(2) as usize, &articles)
}

fn article(rel: &str, date: &str, people: &str) -> (String, String) {
    let front = format!("title: \"{rel}\"\ndate: {date}\npeople: [{people}]\ntags: [t]\n");
    (rel.to_string(), front)
}

#[test]
fn pages_list_every_page_once_in_a_stable_order() {
    let site = TestSite::new(
        2,
        &[
            article("2026/02/b.md", "2026-02-20", "Ann Lee"),
            article("2025/12/a.md", "2025-12-01", "Bo Chen, Ann Lee"),
            article("2026/02/c.md", "2026-02-21", "Bo Chen"),
        ],
    );
    let r = site.renderer();
    let pages = r.pages();
    let paths: Vec<String> = pages.iter().map(|&p| r.path(p)).collect();
    let distinct: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(distinct.len(), paths.len(), "{paths:#?}");
    // Articles first, newest first.
    assert_eq!(&paths[..3], ["/2026/02/c/", "/2026/02/b/", "/2025/12/a/"]);
    let expected = [
        "/",
        "/page/2/",
        "/people/",
        "/people/ann-lee/",
        "/people/ann-lee/atom.xml",
        "/people/ann-lee/feed.json",
        "/people/bo-chen/",
        "/people/bo-chen/atom.xml",
        "/people/bo-chen/feed.json",
        "/countries/",
        "/tags/",
        "/tags/t/",
        "/tags/t/page/2/",
        "/2025/",
        "/2025/12/",
        "/2026/",
        "/2026/02/",
        "/on-this-day/02-20/",
        "/on-this-day/02-21/",
        "/on-this-day/12-01/",
        "/stories/",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/404.html",
        "/corrections/",
        "/search/",
    ];
    assert_eq!(&paths[3..], expected);
    assert_eq!(r.pages(), pages, "the same site gives the same pages");
}

#[test]
fn an_empty_site_still_has_its_home_indexes_and_feeds() {
    let site = TestSite::new(20, &[]);
    let r = site.renderer();
    let paths: Vec<String> = r.pages().into_iter().map(|p| r.path(p)).collect();
    let expected = [
        "/",
        "/people/",
        "/countries/",
        "/tags/",
        "/stories/",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/404.html",
        "/corrections/",
        "/search/",
    ];
    assert_eq!(paths, expected);
}

#[test]
fn the_sitemap_lists_the_pages_readers_browse() {
    let site = random_site(3);
    let r = site.renderer();
    let listed = r.sitemap_pages();
    assert!(listed.iter().all(|p| p.in_sitemap()));
    let all = r.pages();
    let browsed = all.iter().filter(|p| p.in_sitemap()).count();
    assert_eq!(listed.len(), browsed);
    assert!(listed.len() < all.len());
}

#[test]
fn every_page_renders_through_the_default_theme() {
    let site = random_site(11);
    let r = site.renderer();
    for page in r.pages() {
        if matches!(page, Page::Article(_)) {
            continue; // reads its body from a file these sites do not have
        }
        let out = r.finish(r.prepare(page)).unwrap();
        assert!(!out.is_empty(), "{page:?}");
    }
}

#[test]
fn a_card_as_templates_see_it_is_its_fields_then_its_html() {
    let site = TestSite::new(10, &[article("2026/02/a.md", "2026-02-01", "Ann Lee")]);
    let article = &site.articles[0];
    let card = Card::new(&site.config, article);
    let view = views::CardView {
        card: &card,
        article,
        html: "<li>A</li>".into(),
    };
    let json = serde_json::to_string(&view).unwrap();
    let keys: Vec<&str> = json
        .split("\":")
        .map(|k| k.rsplit('"').next().unwrap())
        .collect();
    let fields = [
        "title",
        "url",
        "path",
        "date",
        "date_display",
        "updated",
        "updated_display",
        "source",
        "location",
        "summary",
        "standfirst",
        "image",
        "html",
    ];
    assert_eq!(keys[..keys.len() - 1], fields, "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["title"], article.title.as_str());
    assert_eq!(value["summary"], article.summary.as_str());
    assert_eq!(value["path"], article.path.as_str());
    assert_eq!(value["url"], card.url.as_str());
    assert_eq!(value["html"], "<li>A</li>");
}

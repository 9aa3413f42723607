//! Every URL path of the site, and the file each is written to, in one
//! place (but an article's own, `/YYYY/MM/<slug>/`, which is part of the
//! article value and made by `load::article_path`): the path of a [`Page`], of a list's page `n`, of a term, a feed,
//! a year or a month, which pages a sitemap lists, and the file a site
//! path becomes on disk. Templates, feeds, the sitemap, the incremental
//! routes and the writer all ask here, so two of them cannot disagree.
//!
//! Site paths start and end with `/` for pages (`/people/ann/page/2/`) and
//! name the file for the rest (`/atom.xml`); [`crate::load::Config::permalink`]
//! turns one into an absolute URL under `base_url`.

use super::{Page, Renderer};
use crate::model::Kind;

/// The site feed.
pub(crate) const FEED_PATH: &str = "/atom.xml";

/// The site feed as JSON Feed.
pub(crate) const JSON_FEED_PATH: &str = "/feed.json";

/// The archive's record of its corrections.
pub(crate) const CORRECTIONS_PATH: &str = "/corrections/";

/// Where the search page and its files are (`search` writes under it).
pub(crate) const SEARCH_DIR: &str = "/search/";

/// `/people/`, `/countries/`, `/tags/`.
pub(crate) fn taxonomy_path(kind: Kind) -> String {
    format!("/{}/", kind.key())
}

/// The first page of a term's list: `/people/keir-starmer/`.
pub(crate) fn term_path(kind: Kind, slug: &str) -> String {
    format!("/{}/{slug}/", kind.key())
}

/// A person's or country's own feed: `/people/keir-starmer/atom.xml`.
pub(crate) fn term_feed_path(kind: Kind, slug: &str) -> String {
    format!("{}atom.xml", term_path(kind, slug))
}

/// A person's or country's JSON Feed: `/people/keir-starmer/feed.json`.
pub(crate) fn term_json_feed_path(kind: Kind, slug: &str) -> String {
    format!("{}feed.json", term_path(kind, slug))
}

/// A calendar day's articles across the years: `/on-this-day/02-21/`.
pub(crate) fn day_path(month: u32, day: u32) -> String {
    format!("/on-this-day/{month:02}-{day:02}/")
}

/// The story threads: `/stories/`.
pub(crate) const STORIES_PATH: &str = "/stories/";

/// A story's page: `/stories/ukraine-peace-talks/`.
pub(crate) fn story_path(slug: &str) -> String {
    format!("{STORIES_PATH}{slug}/")
}

/// A year's archive: `/2026/`.
pub(crate) fn year_path(year: i32) -> String {
    format!("/{year:04}/")
}

/// A month's archive: `/2026/02/`.
pub(crate) fn month_path(year: i32, month: u32) -> String {
    format!("/{year:04}/{month:02}/")
}

/// Part `n` (from 1) of a sitemap split past the protocol's limit.
pub(crate) fn sitemap_part_path(n: usize) -> String {
    format!("/sitemap-{n}.xml")
}

/// The path of page `n` (1-based) of a list whose first page is `base`.
pub(crate) fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Pages needed for `len` items, at least one (an empty list still has a page).
pub(crate) fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page).max(1)
}

/// The file a site path is written to: `/` -> `index.html`,
/// `/a/b/` -> `a/b/index.html`, `/atom.xml` -> `atom.xml`.
pub(crate) fn file_of(site_path: &str) -> String {
    let trimmed = site_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// What an output file is to a reader following links, which decides
/// when `deploy` may publish it: before the pages that link to it, or
/// after the pages it links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FileRole {
    /// A stylesheet, script, photo, icon or any other file a page uses.
    Asset,
    /// An article's own page, `YYYY/MM/<slug>/index.html`.
    Article,
    /// Any other page (a list, a term, a year, the home page) and the
    /// search page's data, which name articles.
    List,
    /// Feeds, sitemaps and robots.txt, which name pages for machines.
    Feed,
}

/// The role of the output file `file` (as [`file_of`] writes it).
pub(crate) fn role_of(file: &str) -> FileRole {
    let parts: Vec<&str> = file.split('/').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let is_feed = file.ends_with(".xml") || file.ends_with("feed.json") || file == "robots.txt";
    if is_feed {
        FileRole::Feed
    } else if let [year, month, slug, "index.html"] = parts[..] {
        if digits(year, 4) && digits(month, 2) && slug != "page" {
            FileRole::Article
        } else {
            FileRole::List
        }
    } else if file.ends_with(".html") || file.starts_with(SEARCH_DIR.trim_start_matches('/')) {
        if file.ends_with(".js") {
            FileRole::Asset
        } else {
            FileRole::List
        }
    } else {
        FileRole::Asset
    }
}

impl Page {
    /// True for the pages whose context holds an entry for each of up to
    /// 50,000 pages (the sitemap's parts): 18 to 30 MB each at 100,000
    /// articles, against a few kilobytes for a list of cards.
    pub(crate) fn lists_many_pages(self) -> bool {
        matches!(self, Page::Sitemap | Page::SitemapPart(_))
    }

    /// True for the pages a sitemap lists: every page a reader browses, not
    /// the feeds, the sitemaps themselves, robots.txt or the 404 page.
    pub(crate) fn in_sitemap(self) -> bool {
        !matches!(
            self,
            Page::TermFeed(..)
                | Page::Feed
                | Page::JsonFeed
                | Page::TermJsonFeed(..)
                | Page::StoryFeed(_)
                | Page::StoryJsonFeed(_)
                | Page::Sitemap
                | Page::SitemapPart(_)
                | Page::NewsSitemap
                | Page::Robots
                | Page::NotFound
                | Page::Search
        )
    }
}

impl Renderer<'_> {
    /// The site path of a page (`/people/ann/page/2/`, `/atom.xml`).
    pub(crate) fn path(&self, page: Page) -> String {
        let slug = |kind: Kind, t: usize| &self.index.taxonomy(kind).terms[t].slug;
        match page {
            Page::Article(id) => self.articles[id].path.clone(),
            Page::Home(n) => page_path("/", n),
            Page::Taxonomy(kind) => taxonomy_path(kind),
            Page::Term(kind, t, n) => page_path(&term_path(kind, slug(kind, t)), n),
            Page::Year(y, n) => page_path(&year_path(y), n),
            Page::Month(y, m, n) => page_path(&month_path(y, m), n),
            Page::Feed => FEED_PATH.into(),
            Page::TermFeed(kind, t) => term_feed_path(kind, slug(kind, t)),
            Page::JsonFeed => JSON_FEED_PATH.into(),
            Page::TermJsonFeed(kind, t) => term_json_feed_path(kind, slug(kind, t)),
            Page::Sitemap => "/sitemap.xml".into(),
            Page::SitemapPart(n) => sitemap_part_path(n),
            Page::NewsSitemap => "/news-sitemap.xml".into(),
            Page::Robots => "/robots.txt".into(),
            Page::NotFound => "/404.html".into(),
            Page::Search => SEARCH_DIR.into(),
            Page::Corrections => CORRECTIONS_PATH.into(),
            Page::OnThisDay(m, d, n) => page_path(&day_path(m, d), n),
            Page::Stories => STORIES_PATH.into(),
            Page::Story(s) => story_path(&self.index.stories.list[s].slug),
            Page::StoryFeed(s) => {
                format!("{}atom.xml", story_path(&self.index.stories.list[s].slug))
            }
            Page::StoryJsonFeed(s) => {
                format!("{}feed.json", story_path(&self.index.stories.list[s].slug))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_number_their_pages_from_the_second() {
        assert_eq!(page_path("/", 1), "/");
        assert_eq!(page_path("/", 2), "/page/2/");
        assert_eq!(page_path("/people/ann/", 3), "/people/ann/page/3/");
    }

    #[test]
    fn each_output_file_has_the_role_its_links_give_it() {
        let role = |f| role_of(f);
        assert_eq!(role("2026/02/talks-open/index.html"), FileRole::Article);
        assert_eq!(role("2026/02/page/2/index.html"), FileRole::List);
        assert_eq!(role("2026/02/index.html"), FileRole::List);
        assert_eq!(role("index.html"), FileRole::List);
        assert_eq!(role("people/ann/index.html"), FileRole::List);
        assert_eq!(role("search/index.json"), FileRole::List);
        assert_eq!(role("search/words/3.bin"), FileRole::List);
        assert_eq!(role("search/search.js"), FileRole::Asset);
        assert_eq!(role("people/ann/atom.xml"), FileRole::Feed);
        assert_eq!(role("sitemap-2.xml"), FileRole::Feed);
        assert_eq!(role("robots.txt"), FileRole::Feed);
        assert_eq!(role("photos/ab/ab12-w800.jpg"), FileRole::Asset);
        assert_eq!(role("theme.css"), FileRole::Asset);
        assert_eq!(role("2026/02/talks-open/map.png"), FileRole::Asset);
    }

    #[test]
    fn an_empty_list_still_has_a_page() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(1, 1), 1);
    }

    #[test]
    fn site_paths_map_to_files() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/2026/02/a/"), "2026/02/a/index.html");
        assert_eq!(file_of("/atom.xml"), "atom.xml");
        assert_eq!(
            file_of("/people/ann/page/2/"),
            "people/ann/page/2/index.html"
        );
    }

    #[test]
    fn terms_years_and_months_have_fixed_shapes() {
        assert_eq!(taxonomy_path(Kind::Countries), "/countries/");
        assert_eq!(term_path(Kind::People, "ann"), "/people/ann/");
        assert_eq!(term_feed_path(Kind::People, "ann"), "/people/ann/atom.xml");
        assert_eq!(year_path(987), "/0987/");
        assert_eq!(month_path(2026, 2), "/2026/02/");
        assert_eq!(sitemap_part_path(3), "/sitemap-3.xml");
        let date = chrono::DateTime::parse_from_rfc3339("2026-02-21T08:00:00+01:00").unwrap();
        assert_eq!(crate::load::article_path(&date, "talks"), "/2026/02/talks/");
    }

    #[test]
    fn the_sitemap_lists_what_readers_browse() {
        assert!(Page::Article(0).in_sitemap());
        assert!(Page::Term(Kind::Tags, 0, 2).in_sitemap());
        assert!(Page::Month(2026, 1, 1).in_sitemap());
        for page in [
            Page::Feed,
            Page::TermFeed(Kind::People, 0),
            Page::Sitemap,
            Page::SitemapPart(1),
            Page::NewsSitemap,
            Page::Robots,
            Page::NotFound,
            Page::Search,
        ] {
            assert!(!page.in_sitemap(), "{page:?}");
        }
    }
}

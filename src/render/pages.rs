//! Which pages a site has, in a stable order, and the template each is
//! rendered with: the one list that a build, the sitemap and the
//! incremental routes all start from.

use super::feeds::sitemap_parts;
use super::paths::page_count;
use super::{Page, Renderer};
use crate::model::Kind;

impl Renderer<'_> {
    /// Every page of the site, in a stable order.
    pub(crate) fn pages(&self) -> Vec<Page> {
        let per = self.config.per_page;
        // Newest first, not load order: output never depends on how the files were found.
        let mut pages: Vec<Page> = self
            .index
            .newest_first
            .iter()
            .map(|&id| Page::Article(id))
            .collect();
        pages.extend(self.home_pages());
        for kind in Kind::ALL {
            pages.push(Page::Taxonomy(kind));
            for (t, term) in self.index.taxonomy(kind).terms.iter().enumerate() {
                pages.extend(
                    (1..=page_count(term.articles.len(), per)).map(|n| Page::Term(kind, t, n)),
                );
                if kind != Kind::Tags {
                    pages.extend([Page::TermFeed(kind, t), Page::TermJsonFeed(kind, t)]);
                }
            }
        }
        for (&y, year) in &self.index.years {
            pages.extend((1..=page_count(year.articles.len(), per)).map(|n| Page::Year(y, n)));
            for (&m, month) in &year.months {
                pages.extend(
                    (1..=page_count(month.articles.len(), per)).map(|n| Page::Month(y, m, n)),
                );
            }
        }
        for (&(m, d), ids) in &self.index.days {
            pages.extend((1..=page_count(ids.len(), per)).map(|n| Page::OnThisDay(m, d, n)));
        }
        pages.push(Page::Stories);
        for s in 0..self.index.stories.list.len() {
            pages.extend([Page::Story(s), Page::StoryFeed(s), Page::StoryJsonFeed(s)]);
        }
        let listed = pages.iter().filter(|p| p.in_sitemap()).count();
        pages.extend([
            Page::Feed,
            Page::JsonFeed,
            Page::Sitemap,
            Page::NewsSitemap,
            Page::Robots,
            Page::NotFound,
            Page::Corrections,
        ]);
        if self.config.search {
            pages.push(Page::Search);
        }
        pages.extend(sitemap_parts(listed).map(Page::SitemapPart));
        pages
    }

    /// Every page of the home page's list.
    pub(crate) fn home_pages(&self) -> impl Iterator<Item = Page> {
        (1..=page_count(self.articles.len(), self.config.per_page)).map(Page::Home)
    }

    /// The template a page is rendered with.
    pub(crate) fn template(page: Page) -> &'static str {
        match page {
            Page::Article(_) => "article.html",
            Page::Home(_) => "index.html",
            Page::Taxonomy(_) => "taxonomy.html",
            Page::Term(..) => "term.html",
            Page::Year(..) | Page::Month(..) => "archive.html",
            Page::Feed | Page::TermFeed(..) => "atom.xml",
            Page::JsonFeed | Page::TermJsonFeed(..) => "feed.json",
            Page::Sitemap | Page::SitemapPart(_) => "sitemap.xml",
            Page::NewsSitemap => "news-sitemap.xml",
            Page::Robots => "robots.txt",
            Page::NotFound => "404.html",
            Page::Search => "search.html",
            Page::Corrections => "corrections.html",
            Page::OnThisDay(..) => "on-this-day.html",
            Page::Stories => "stories.html",
            Page::Story(_) => "story.html",
            Page::StoryFeed(_) => "atom.xml",
            Page::StoryJsonFeed(_) => "feed.json",
        }
    }
}

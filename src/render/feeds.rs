//! The machine-readable pages: the site's Atom feed and each person's and
//! country's, and the sitemap (split into parts past the protocol's limit).

use std::borrow::Cow;

use serde::Serialize;

use super::context::PageContext;
use super::paths;
use super::views::{self, FeedEntry, SiteView};
use super::{Page, Renderer};
use crate::error::Diagnostic;
use crate::load::ArticleId;
use crate::model::{Kind, TermId};

/// How far back the news sitemap goes from the build's clock.
pub(crate) const NEWS_WINDOW_HOURS: i64 = 48;
/// The most articles a news sitemap lists.
pub(crate) const NEWS_LIMIT: usize = 1000;

/// Articles in the site feed.
pub(crate) const FEED_LENGTH: usize = 50;
/// Articles in a person's or country's feed.
pub(crate) const TERM_FEED_LENGTH: usize = 20;
/// URLs in one sitemap file (the limit of the sitemaps protocol).
pub(crate) const SITEMAP_LIMIT: usize = 50_000;

impl Renderer<'_> {
    /// The site's feed: its latest [`FEED_LENGTH`] articles.
    pub(super) fn feed_context(&self, ctx: &mut PageContext) -> Option<Diagnostic> {
        let n = self.index.newest_first.len().min(FEED_LENGTH);
        let latest = &self.index.newest_first[..n];
        self.insert_feed(
            ctx,
            latest,
            self.config.title.clone(),
            paths::FEED_PATH,
            "/",
        )
    }

    /// A person's or country's feed: their latest [`TERM_FEED_LENGTH`] articles.
    pub(super) fn term_feed_context(
        &self,
        ctx: &mut PageContext,
        kind: Kind,
        t: TermId,
    ) -> Option<Diagnostic> {
        let term = &self.index.taxonomy(kind).terms[t];
        let latest = &term.articles[..term.articles.len().min(TERM_FEED_LENGTH)];
        self.insert_feed(
            ctx,
            latest,
            format!("{} · {}", term.name, self.config.title),
            &paths::term_feed_path(kind, &term.slug),
            &paths::term_path(kind, &term.slug),
        )
    }

    /// The variables of `atom.xml`: the feed itself and its entries.
    pub(super) fn insert_feed(
        &self,
        ctx: &mut PageContext,
        ids: &[ArticleId],
        title: String,
        path: &str,
        alternate: &str,
    ) -> Option<Diagnostic> {
        ctx.shows(ids.iter().copied());
        let mut entries = Vec::with_capacity(ids.len());
        for &i in ids {
            let xml = match self.entry_xml(i) {
                Ok(xml) => xml,
                Err(e) => return Some(e.clone()),
            };
            ctx.fail(self.card_error(i));
            let card = self.card(i);
            entries.push(FeedEntry {
                title: &self.articles[i].title,
                url: &card.url,
                date: &card.date,
                xml,
            });
        }
        let updated = ids
            .iter()
            .map(|&i| {
                let a = &self.articles[i];
                a.updated.map_or(a.date, |u| u.max(a.date))
            })
            .max()
            .map_or_else(
                || "1970-01-01T00:00:00Z".to_string(),
                |d| views::rfc3339(&d),
            );
        ctx.insert(
            "feed",
            &FeedView {
                title: &title,
                url: self.config.permalink(path),
                alternate: self.config.permalink(alternate),
                updated,
            },
        );
        ctx.insert("articles", &entries);
        None
    }

    /// Article `id`'s `<entry>`, rendered through `entry.xml` on first use.
    fn entry_xml(&self, id: ArticleId) -> Result<Cow<'_, str>, &Diagnostic> {
        self.entries[id]
            .get_or_init(|| {
                let mut ctx = tera::Context::new();
                ctx.insert("card", &self.card_view(id));
                ctx.insert(
                    "tags",
                    &views::term_links(self.config, self.index, Kind::Tags, id),
                );
                ctx.insert("site", &SiteView::of(self.config));
                let xml = self.tera.render("entry.xml", &ctx);
                xml.map(|xml| self.cards.fragments().keep(xml))
                    .map_err(|e| crate::load::render_error(&e))
            })
            .as_ref()
            .map(|xml| self.cards.fragments().read(xml))
    }

    /// The pages a sitemap lists: every page but feeds, the sitemap itself,
    /// robots.txt and the 404 page.
    pub(crate) fn sitemap_pages(&self) -> Vec<Page> {
        let mut pages = self.pages();
        pages.retain(|p| p.in_sitemap());
        pages
    }

    /// `entries` for the news sitemap: the articles published in the
    /// [`NEWS_WINDOW_HOURS`] before the build's clock, newest first, at
    /// most [`NEWS_LIMIT`] (the limits of Google's news sitemaps).
    pub(super) fn news_context(&self, ctx: &mut PageContext) {
        let now = self.now.fixed_offset();
        let since = now - chrono::Duration::hours(NEWS_WINDOW_HOURS);
        let recent: Vec<ArticleId> = self
            .index
            .newest_first
            .iter()
            .copied()
            .skip_while(|&id| self.articles[id].date > now)
            .take_while(|&id| self.articles[id].date >= since)
            .take(NEWS_LIMIT)
            .collect();
        ctx.shows(recent.iter().copied());
        let entries: Vec<NewsEntry> = recent
            .iter()
            .map(|&id| NewsEntry {
                url: &self.card(id).url,
                title: &self.articles[id].title,
                date: &self.card(id).date,
            })
            .collect();
        ctx.insert("entries", &entries);
    }

    /// `entries` for a sitemap (or one part of it), or `sitemaps`, the
    /// parts, for the index of a sitemap too large for one file.
    pub(super) fn sitemap_context(&self, ctx: &mut PageContext, part: Option<usize>) {
        let pages = self.sitemap_pages();
        let parts = sitemap_parts(pages.len()).count();
        let (chunk, sitemaps): (&[Page], Vec<SitemapPartView>) = match part {
            None if parts > 0 => (
                &[],
                (1..=parts)
                    .map(|n| SitemapPartView {
                        url: self.config.permalink(&paths::sitemap_part_path(n)),
                    })
                    .collect(),
            ),
            None => (&pages, Vec::new()),
            Some(n) => {
                let start = ((n - 1) * SITEMAP_LIMIT).min(pages.len());
                (
                    &pages[start..(start + SITEMAP_LIMIT).min(pages.len())],
                    Vec::new(),
                )
            }
        };
        ctx.shows(chunk.iter().filter_map(|&p| match p {
            Page::Article(id) => Some(id),
            _ => None,
        }));
        let entries: Vec<SitemapEntry> = chunk
            .iter()
            .map(|&p| {
                let lastmod = match p {
                    Page::Article(id) => {
                        let a = &self.articles[id];
                        Some(views::rfc3339(&a.updated.unwrap_or(a.date)))
                    }
                    _ => None,
                };
                SitemapEntry {
                    url: self.config.permalink(&self.path(p)),
                    lastmod,
                }
            })
            .collect();
        ctx.insert("entries", &entries);
        ctx.insert("sitemaps", &sitemaps);
    }
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: &'a str,
    url: String,
    alternate: String,
    updated: String,
}

#[derive(Serialize)]
struct NewsEntry<'a> {
    url: &'a str,
    title: &'a str,
    date: &'a str,
}

#[derive(Serialize)]
struct SitemapPartView {
    url: String,
}

/// The part numbers of a sitemap of `urls` URLs: none when one file holds
/// them all.
pub(crate) fn sitemap_parts(urls: usize) -> std::ops::Range<usize> {
    let parts = if urls > SITEMAP_LIMIT {
        urls.div_ceil(SITEMAP_LIMIT)
    } else {
        0
    };
    1..parts + 1
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_split_past_the_protocol_limit() {
        assert_eq!(sitemap_parts(0).count(), 0);
        assert_eq!(sitemap_parts(SITEMAP_LIMIT).count(), 0);
        assert_eq!(
            sitemap_parts(SITEMAP_LIMIT + 1).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(sitemap_parts(3 * SITEMAP_LIMIT).count(), 3);
    }
}

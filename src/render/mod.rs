//! Render: every output page as a value. [`Page`] says which page it is,
//! [`Renderer`] builds its context and fingerprint ([`Prepared`]) and turns
//! it into bytes through Tera; [`paths`] owns every URL and output path,
//! [`reach`] says which pages show an article (for the incremental routes
//! of `live/`). Each page is a pure function of the templates and the
//! metadata of a known set of articles; only an article's own page reads
//! its body, from its file, when it is rendered (the one read outside
//! `load/`, so that memory holds metadata only).
//!
//! This stage reads `load`'s and `model`'s values and never changes them;
//! what it makes goes to a [`PageSink`] (the writer of `output/`).

mod context;
mod corrections;
mod feeds;
mod fragments;
mod json_feed;
mod links;
mod map;
mod meta;
mod on_this_day;
mod pages;
mod paths;
mod photo;
mod pieces;
mod profile;
mod reach;
mod stories;
mod timeline;
mod views;

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use context::PageContext;
pub(crate) use context::PageSink;
pub(crate) use feeds::sitemap_parts;
pub(crate) use fragments::HELD_BYTES as FRAGMENTS_HELD;
pub(crate) use links::{join_relative, SiteLinks};
pub(crate) use map::world_svg;
pub(crate) use paths::{file_of, role_of, taxonomy_path, FileRole, SEARCH_DIR};
pub(crate) use reach::{changes_every_page, Reach};
pub(crate) use views::{display_date, Card, Cards};

use crate::error::Diagnostic;
use crate::load::{self, Article, ArticleId, Config, TemplateHashes};
use crate::markdown;
use crate::model::{related, Entities, Index, Kind, StoryId, Term, TermId};
use chrono::{DateTime, Datelike, Utc};
use json_feed::FeedOf;
use meta::{crumbs, Meta};
use paths::term_path;
/// The most photos a person's page shows of them.
const MAX_PICTURED: usize = 12;

use views::{ArticleView, MonthLink, Paginator, SiteView, TermSummary, YearLink};

/// Terms in the "most mentioned" list of a taxonomy page.
const TOP_TERMS: usize = 20;

/// What a page fails with when its article's file changed since it was
/// read (a body saved again, or the file deleted, while a pass renders).
const CHANGED_DURING_BUILD: &str = "the file changed during the build: build again";

/// True for the error of a page whose article's file changed since it was
/// read: the preview takes it as an edit still to come, not a failure.
pub(crate) fn is_changed_during_build(error: &Diagnostic) -> bool {
    error.message == CHANGED_DURING_BUILD
}

/// One output page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Page {
    /// An article's own page.
    Article(ArticleId),
    /// Page `n` of the home page's list.
    Home(usize),
    /// `/people/`, `/countries/`, `/tags/`.
    Taxonomy(Kind),
    /// Page `n` of one term's list.
    Term(Kind, TermId, usize),
    /// Page `n` of a year's archive.
    Year(i32, usize),
    /// Page `n` of a month's archive.
    Month(i32, u32, usize),
    /// `/atom.xml`.
    Feed,
    /// `/people/<slug>/atom.xml` or `/countries/<slug>/atom.xml`.
    TermFeed(Kind, TermId),
    /// `/feed.json`: the site feed as JSON Feed 1.1.
    JsonFeed,
    /// `/people/<slug>/feed.json` or `/countries/<slug>/feed.json`.
    TermJsonFeed(Kind, TermId),
    /// `/sitemap.xml`: the sitemap, or past [`SITEMAP_LIMIT`] URLs the
    /// index of its parts.
    Sitemap,
    /// `/sitemap-<n>.xml`: part `n` (from 1) of a large sitemap.
    SitemapPart(usize),
    /// `/news-sitemap.xml`: the articles of the last two days, for news
    /// aggregators.
    NewsSitemap,
    /// `/robots.txt`.
    Robots,
    /// `/404.html`.
    NotFound,
    /// `/search/`: the search page (when `[search] enabled`).
    Search,
    /// `/corrections/`: every correction of the archive, newest first.
    Corrections,
    /// Page `n` of `/on-this-day/MM-DD/`: the articles of a calendar day,
    /// latest year first.
    OnThisDay(u32, u32, usize),
    /// `/stories/`: the story threads, the latest first.
    Stories,
    /// `/stories/<slug>/`: a story's articles, oldest first.
    Story(StoryId),
    /// `/stories/<slug>/atom.xml`.
    StoryFeed(StoryId),
    /// `/stories/<slug>/feed.json`.
    StoryJsonFeed(StoryId),
}

/// Renders pages of one loaded site, from its metadata, its cards and its
/// templates.
pub(crate) struct Renderer<'a> {
    config: &'a Config,
    articles: &'a [Article],
    index: &'a Index,
    entities: &'a Entities,
    tera: &'a Tera,
    template_hashes: &'a TemplateHashes,
    cards: &'a Cards,
    base: PageContext,
    md_targets: OnceLock<HashMap<&'a str, &'a str>>,
    /// Each article's feed `<entry>`, rendered once on first use: an article
    /// is in the site feed and the feeds of its people and countries.
    entries: Vec<OnceLock<Result<fragments::Fragment, Diagnostic>>>,
    /// The build's clock, for the news sitemap's two days.
    now: DateTime<Utc>,
}

/// A page ready to render: its path, context and fingerprint.
pub(crate) struct Prepared {
    page: Page,
    path: String,
    ctx: PageContext,
    fingerprint: u64,
    /// An error met while building the context (a feed entry that failed).
    error: Option<Diagnostic>,
}

impl<'a> Renderer<'a> {
    /// Prepares the views shared by all pages (one card per article).
    pub(crate) fn new(
        config: &'a Config,
        articles: &'a [Article],
        index: &'a Index,
        entities: &'a Entities,
        tera: &'a Tera,
        template_hashes: &'a TemplateHashes,
        cards: &'a Cards,
    ) -> Self {
        let mut base = PageContext::new();
        base.insert("site", &SiteView::of(config));
        let years: Vec<YearLink> = index
            .years
            .keys()
            .rev()
            .map(|&year| YearLink {
                year,
                url: config.permalink(&paths::year_path(year)),
            })
            .collect();
        base.insert("years", &years);
        Renderer {
            config,
            articles,
            index,
            entities,
            tera,
            template_hashes,
            cards,
            base,
            md_targets: OnceLock::new(),
            entries: (0..articles.len()).map(|_| OnceLock::new()).collect(),
            now: DateTime::UNIX_EPOCH,
        }
    }

    /// The same renderer with the build's clock at `now` (until it is set,
    /// the clock says 1970, and the news sitemap is empty).
    pub(crate) fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    /// Builds a page's context and fingerprint, without rendering it.
    pub(crate) fn prepare(&self, page: Page) -> Prepared {
        self.prepare_at(page, self.path(page))
    }

    /// [`Renderer::prepare`] of the page at `path` (its site path).
    fn prepare_at(&self, page: Page, path: String) -> Prepared {
        let mut ctx = self.base.clone();
        let permalink = self.config.permalink(&path);
        ctx.insert("page_path", &path);
        ctx.insert("permalink", &permalink);
        let template = Self::template(page);
        ctx.mix(self.template_hashes.get(template).copied().unwrap_or(0));
        let mut error = None;
        match page {
            Page::Article(id) => self.article_context(&mut ctx, id),
            Page::Home(n) => self.home_context(&mut ctx, n, &permalink),
            Page::Taxonomy(kind) => self.taxonomy_context(&mut ctx, kind),
            Page::Term(kind, t, n) => self.term_context(&mut ctx, kind, t, n),
            Page::Year(y, n) => self.year_context(&mut ctx, y, None, n),
            Page::Month(y, m, n) => self.year_context(&mut ctx, y, Some(m), n),
            Page::Feed => error = self.feed_context(&mut ctx),
            Page::TermFeed(kind, t) => error = self.term_feed_context(&mut ctx, kind, t),
            Page::JsonFeed => self.json_feed_context(&mut ctx, FeedOf::Site),
            Page::TermJsonFeed(kind, t) => self.json_feed_context(&mut ctx, FeedOf::Term(kind, t)),
            Page::Sitemap => self.sitemap_context(&mut ctx, None),
            Page::SitemapPart(n) => self.sitemap_context(&mut ctx, Some(n)),
            Page::NewsSitemap => self.news_context(&mut ctx),
            Page::NotFound => {
                let meta = Meta::website(
                    self.config,
                    "Not found",
                    "There is no page at this address.".into(),
                    &permalink,
                    crumbs(self.config, &[]),
                );
                ctx.insert("meta", &meta);
            }
            Page::Search => {
                let meta = Meta::website(
                    self.config,
                    "Search",
                    format!("Search every article of {}.", self.config.title),
                    &permalink,
                    crumbs(self.config, &[]),
                );
                ctx.insert("meta", &meta);
            }
            Page::Corrections => self.corrections_context(&mut ctx, &permalink),
            Page::OnThisDay(m, d, n) => self.day_context(&mut ctx, (m, d), n, &permalink),
            Page::Stories => self.stories_context(&mut ctx, &permalink),
            Page::Story(s) => self.story_context(&mut ctx, s, &permalink),
            Page::StoryFeed(s) => error = self.story_feed_context(&mut ctx, s),
            Page::StoryJsonFeed(s) => self.json_feed_context(&mut ctx, FeedOf::Story(s)),
            Page::Robots => {}
        }
        // A card whose template failed fails the pages that show it.
        let error = error.or_else(|| ctx.take_error());
        let fingerprint = ctx.fingerprint();
        Prepared {
            page,
            path,
            ctx,
            fingerprint,
            error,
        }
    }

    /// An article's page: the article, its neighbours and related cards.
    fn article_context(&self, ctx: &mut PageContext, id: ArticleId) {
        let view = self.article_view(id);
        ctx.fail(self.card_error(id));
        ctx.insert("meta", &self.article_meta(id, &view));
        ctx.insert("article", &view);
        ctx.shows([id]);
        ctx.mix(self.articles[id].body_hash);
        // The body's HTML depends on the raw-HTML policy too.
        ctx.mix(self.config.raw_html as u64);
        let (newer, older) = self.index.neighbours(id);
        self.insert_card(ctx, "newer", newer);
        self.insert_card(ctx, "older", older);
        self.insert_cards(ctx, "related", &related(self.index, id));
        self.story_box(ctx, id);
    }

    /// Home page `n`: the newest articles first.
    fn home_context(&self, ctx: &mut PageContext, n: usize, permalink: &str) {
        let description = if self.config.description.is_empty() {
            format!(
                "The latest articles of {}, newest first.",
                self.config.title
            )
        } else {
            self.config.description.clone()
        };
        // The first home page is the root of every trail.
        let trail = if n == 1 {
            Vec::new()
        } else {
            crumbs(self.config, &[])
        };
        let meta = Meta::website(
            self.config,
            &self.config.title,
            description,
            permalink,
            trail,
        );
        ctx.insert("meta", &meta);
        self.list_context(ctx, "/", &self.index.newest_first, n);
        if n == 1 {
            self.on_this_day_box(ctx);
        }
    }

    /// Renders a prepared page (an article's body is rendered here, once).
    pub(crate) fn finish(&self, prepared: Prepared) -> Result<String, Diagnostic> {
        let Prepared {
            page,
            mut ctx,
            error,
            ..
        } = prepared;
        if let Some(e) = error {
            return Err(e);
        }
        if let Page::Article(id) = page {
            let body = self.article_body(id)?;
            ctx.set_field_unhashed("article", "content", body.into());
        }
        self.tera
            .render(Self::template(page), ctx.tera())
            .map_err(|e| load::render_error(&e))
    }

    /// Renders, in parallel, every page whose fingerprint the sink does not
    /// already hold, and returns all errors.
    pub(crate) fn render_all(&self, pages: &[Page], sink: &dyn PageSink) -> Vec<Diagnostic> {
        pages
            .par_iter()
            .filter_map(|&page| {
                let path = self.path(page);
                if sink.skip(&path) {
                    return None;
                }
                let prepared = self.prepare_at(page, path);
                let (path, fingerprint) = (prepared.path.clone(), prepared.fingerprint);
                if sink.unchanged(&path, fingerprint) {
                    return None;
                }
                match self.finish(prepared) {
                    Ok(out) => sink.write(&path, out.as_bytes(), fingerprint).err(),
                    Err(e) => Some(e),
                }
            })
            .collect()
    }

    /// The article's body as HTML. The markdown is read from its file here,
    /// the one read outside `load/`: deliberate, so that a loaded archive
    /// holds metadata only and each body is in memory just while its page
    /// renders. A file changed since it was loaded is an error, never a
    /// page mixing old metadata with a new body.
    fn article_body(&self, id: ArticleId) -> Result<String, Diagnostic> {
        let article = &self.articles[id];
        // A file deleted since it was read is a change still to come, as
        // one saved again is (the preview's deletion follows).
        let text = std::fs::read_to_string(&article.file).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Diagnostic::file(&article.file, CHANGED_DURING_BUILD),
            _ => Diagnostic::file(&article.file, format!("cannot read: {e}")),
        })?;
        let body = load::body(&text)
            .filter(|b| xxhash_rust::xxh3::xxh3_64(b.as_bytes()) == article.body_hash)
            .ok_or_else(|| Diagnostic::file(&article.file, CHANGED_DURING_BUILD))?;
        let targets = self.md_targets.get_or_init(|| {
            self.articles
                .iter()
                .map(|a| (a.rel.as_str(), a.path.as_str()))
                .collect()
        });
        let links = SiteLinks {
            config: self.config,
            targets,
            dir: article.rel.rsplit_once('/').map_or("", |(d, _)| d),
            photos: &article.body_images,
        };
        Ok(markdown::render(body, &links, self.config.raw_html))
    }

    /// The article's view with an empty `content`: the body is set in
    /// [`Renderer::finish`], only when the page is rendered.
    fn article_view(&self, id: ArticleId) -> ArticleView<'_> {
        let article = &self.articles[id];
        ArticleView {
            card: self.card_view(id),
            source_url: article.url.as_deref(),
            slug: &article.slug,
            people: self.people_with_roles(id),
            countries: views::term_links(self.config, self.index, Kind::Countries, id),
            tags: views::term_links(self.config, self.index, Kind::Tags, id),
            extra: &article.extra,
            images: article
                .body_images
                .iter()
                .filter_map(|p| photo::PhotoView::of(self.config, p))
                .collect(),
            content: "",
            corrections: article
                .corrections
                .iter()
                .map(views::CorrectionView::of)
                .collect(),
            story: self.index.stories.of_article[id].map(|s| self.story_link(s)),
        }
    }

    /// The people of article `id`, linked, with their roles from
    /// data/people.yaml: a reader sees who each one is.
    fn people_with_roles(&self, id: ArticleId) -> Vec<views::TermLink> {
        let mut links = views::term_links(self.config, self.index, Kind::People, id);
        for link in &mut links {
            let entry = self.entities.people.resolve(&link.name);
            link.role = entry.and_then(|p| self.entities.people.entry(p).role.clone());
        }
        links
    }

    /// An article's metadata; its trail is its year and month.
    fn article_meta(&self, id: ArticleId, view: &ArticleView) -> Meta {
        let date = self.articles[id].date;
        let (y, m) = (date.year(), date.month());
        let trail = [
            (y.to_string(), paths::year_path(y)),
            (
                format!("{} {y}", views::month_name(m)),
                paths::month_path(y, m),
            ),
        ];
        let crumbs = crumbs(self.config, &trail);
        Meta::article(self.config, view, crumbs)
    }

    fn list_context(&self, ctx: &mut PageContext, base: &str, ids: &[ArticleId], n: usize) {
        let per = self.config.per_page;
        let start = ((n - 1) * per).min(ids.len());
        self.insert_cards(ctx, "articles", &ids[start..(start + per).min(ids.len())]);
        ctx.insert(
            "paginator",
            &Paginator::new(self.config, base, n, ids.len()),
        );
    }

    /// Sets `key` to the cards of `ids`, fingerprinted by their stored hashes.
    fn insert_cards(&self, ctx: &mut PageContext, key: &str, ids: &[ArticleId]) {
        ctx.shows(ids.iter().copied());
        for &i in ids {
            ctx.fail(self.card_error(i));
        }
        let values: Vec<tera::Value> = ids.iter().map(|&i| self.card_value(i)).collect();
        let fingerprints = ids.iter().map(|&i| self.card_entry(i).fingerprint);
        ctx.insert_known(key, values.into(), fingerprints);
    }

    /// Sets `key` to the card of `id`, or to nothing.
    fn insert_card(&self, ctx: &mut PageContext, key: &str, id: Option<ArticleId>) {
        ctx.shows(id);
        ctx.fail(id.and_then(|i| self.card_error(i)));
        let value = id.map_or_else(tera::Value::none, |i| self.card_value(i));
        let fingerprints = id.map(|i| self.card_entry(i).fingerprint);
        ctx.insert_known(key, value, fingerprints.into_iter());
    }

    /// Card `id`, rendered on first use.
    pub(crate) fn card(&self, id: ArticleId) -> &Card {
        &self.card_entry(id).card
    }

    pub(crate) fn card_error(&self, id: ArticleId) -> Option<Diagnostic> {
        self.card_entry(id).error.as_deref().cloned()
    }

    fn card_entry(&self, id: ArticleId) -> &views::KeptCard {
        let article = &self.articles[id];
        self.cards
            .get(id, self.config, self.index, article, self.tera)
    }

    /// Card `id` with its HTML, as templates see it.
    fn card_view(&self, id: ArticleId) -> views::CardView<'_> {
        self.cards.view(self.card_entry(id), &self.articles[id])
    }

    /// Card `id` as a template value, converted on each use: kept for the
    /// build, the values cost 30 MB at 10k articles (200 -> 169 MB peak)
    /// for 4 % of the CPU (bench/RESULTS.md).
    fn card_value(&self, id: ArticleId) -> tera::Value {
        tera::Value::from_serializable(&self.card_view(id))
    }

    fn taxonomy_view(&self, kind: Kind) -> TaxonomyView {
        TaxonomyView {
            kind: kind.key(),
            title: kind.title(),
            url: self.config.permalink(&paths::taxonomy_path(kind)),
        }
    }

    fn taxonomy_context(&self, ctx: &mut PageContext, kind: Kind) {
        let all = &self.index.taxonomy(kind).terms;
        let summary = |t: &'a Term| TermSummary {
            name: &t.name,
            slug: &t.slug,
            url: self.config.permalink(&term_path(kind, &t.slug)),
            count: t.articles.len(),
        };
        let mut terms: Vec<TermSummary> = all.iter().map(summary).collect();
        terms.sort_by(|a, b| a.slug.cmp(b.slug).then_with(|| a.name.cmp(b.name)));
        let mut top: Vec<&Term> = all.iter().collect();
        top.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let top: Vec<TermSummary> = top.into_iter().take(TOP_TERMS).map(summary).collect();
        let view = self.taxonomy_view(kind);
        let description = format!(
            "{} in the articles of {}, A to Z, with how often each is mentioned.",
            kind.title(),
            self.config.title
        );
        let meta = Meta::website(
            self.config,
            view.title,
            description,
            &view.url,
            crumbs(self.config, &[]),
        );
        ctx.insert("meta", &meta);
        ctx.insert("taxonomy", &view);
        ctx.insert("letters", &views::by_letter(&terms));
        ctx.insert("terms", &terms);
        ctx.insert("top", &top);
        if kind == Kind::Countries {
            let (map, legend) = self.countries_map();
            ctx.insert("world_map", &map);
            ctx.insert("map_legend", &legend);
        }
    }

    fn term_context(&self, ctx: &mut PageContext, kind: Kind, t: TermId, n: usize) {
        let term = &self.index.taxonomy(kind).terms[t];
        let base = term_path(kind, &term.slug);
        ctx.insert("taxonomy", &self.taxonomy_view(kind));
        ctx.insert(
            "term",
            &TermSummary {
                name: &term.name,
                slug: &term.slug,
                url: self.config.permalink(&base),
                count: term.articles.len(),
            },
        );
        let profile = (n == 1 && kind != Kind::Tags).then(|| {
            ctx.shows(profile::shown(self.index, self.entities, kind, t));
            profile::build(
                self.config,
                self.articles,
                self.index,
                self.entities,
                kind,
                t,
            )
        });
        let url = self.config.permalink(&base);
        let trail = [(kind.title().to_string(), paths::taxonomy_path(kind))];
        let meta = Meta::term(
            self.config,
            kind,
            &term.name,
            &url,
            profile.as_ref(),
            crumbs(self.config, &trail),
        );
        ctx.insert("meta", &meta);
        ctx.insert("profile", &profile);
        if kind == Kind::People && n == 1 {
            self.pictured_context(ctx, t);
        }
        let map = match (kind, n) {
            (Kind::Countries, 1) => Some(self.country_map(t)),
            (Kind::People, 1) => self.person_map(t),
            _ => None,
        };
        ctx.insert("term_map", &map);
        self.list_context(ctx, &base, &term.articles, n);
    }

    /// `pictured`: the newest photos that show person `t`, each linking
    /// to its article (on the first page of the person's list).
    fn pictured_context(&self, ctx: &mut PageContext, t: TermId) {
        let ids: Vec<ArticleId> = self.index.pictured.by_person[t]
            .iter()
            .take(MAX_PICTURED)
            .copied()
            .collect();
        ctx.shows(ids.iter().copied());
        let photos: Vec<views::PicturedView> = ids
            .iter()
            .filter_map(|&id| views::PicturedView::of(self.card(id), &self.articles[id]))
            .collect();
        ctx.insert("pictured", &photos);
    }

    fn year_context(&self, ctx: &mut PageContext, y: i32, month: Option<u32>, n: usize) {
        let year = &self.index.years[&y];
        let year_url = self.config.permalink(&paths::year_path(y));
        let (base, title, ids) = match month {
            Some(m) => (
                paths::month_path(y, m),
                format!("{} {y}", views::month_name(m)),
                &year.months[&m].articles,
            ),
            None => (paths::year_path(y), y.to_string(), &year.articles),
        };
        let months: Vec<MonthLink> = match month {
            Some(_) => Vec::new(),
            None => year
                .months
                .iter()
                .map(|(&m, mo)| MonthLink {
                    month: m,
                    name: format!("{} {y}", views::month_name(m)),
                    url: self.config.permalink(&paths::month_path(y, m)),
                    count: mo.articles.len(),
                })
                .collect(),
        };
        let url = self.config.permalink(&base);
        let trail = match month {
            Some(_) => vec![(y.to_string(), paths::year_path(y))],
            None => Vec::new(),
        };
        let description = format!(
            "The articles of {} from {title}, newest first.",
            self.config.title
        );
        let meta = Meta::website(
            self.config,
            &title,
            description,
            &url,
            crumbs(self.config, &trail),
        );
        ctx.insert("meta", &meta);
        ctx.insert(
            "archive",
            &ArchiveView {
                year: y,
                month,
                title,
                url,
                year_url,
            },
        );
        ctx.insert("months", &months);
        self.list_context(ctx, &base, ids, n);
    }
}

#[derive(Serialize)]
struct TaxonomyView {
    kind: &'static str,
    title: &'static str,
    url: String,
}

#[derive(Serialize)]
struct ArchiveView {
    year: i32,
    month: Option<u32>,
    title: String,
    url: String,
    year_url: String,
}

#[cfg(test)]
pub(crate) mod tests;

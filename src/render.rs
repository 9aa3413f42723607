//! Every output page as a value: [`Page`] says which page it is, and
//! [`Renderer`] turns it into (path, bytes) through Tera. Each page is a pure
//! function of the templates and the metadata of a known set of articles;
//! only an article's own page reads its body.

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::config::Config;
use crate::content::{self, Article, ArticleId};
use crate::context::{PageContext, PageSink};
use crate::entities::Entities;
use crate::error::Diagnostic;
use crate::index::{Index, Kind, TermId};
use crate::links::SiteLinks;
use crate::markdown;
use crate::views::{
    self, page_count, page_path, term_path, ArticleView, Card, MonthLink, Paginator, SiteView,
    TermSummary, YearLink,
};
use crate::{insights, profile};

mod feeds;
pub use feeds::{sitemap_parts, FEED_LENGTH, SITEMAP_LIMIT, TERM_FEED_LENGTH};

/// Terms in the "most mentioned" list of a taxonomy page.
pub const TOP_TERMS: usize = 20;

/// One output page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
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
    /// `/sitemap.xml`: the sitemap, or past [`SITEMAP_LIMIT`] URLs the
    /// index of its parts.
    Sitemap,
    /// `/sitemap-<n>.xml`: part `n` (from 1) of a large sitemap.
    SitemapPart(usize),
    /// `/robots.txt`.
    Robots,
    /// `/404.html`.
    NotFound,
}

/// Renders pages of one loaded site, from its metadata, its cards and its
/// templates.
pub struct Renderer<'a> {
    config: &'a Config,
    articles: &'a [Article],
    index: &'a Index,
    entities: &'a Entities,
    tera: &'a Tera,
    template_hashes: &'a HashMap<String, u64>,
    cards: &'a [Card],
    base: PageContext,
    md_targets: OnceLock<HashMap<&'a str, &'a str>>,
    /// Each article's feed `<entry>`, rendered once on first use: an article
    /// is in the site feed and the feeds of its people and countries.
    entries: Vec<OnceLock<Result<String, Diagnostic>>>,
    /// Each card as a template value, converted on first use.
    card_values: Vec<OnceLock<tera::Value>>,
}

/// A page ready to render: its path, context and fingerprint.
pub struct Prepared {
    page: Page,
    path: String,
    ctx: PageContext,
    fingerprint: u64,
    /// An error met while building the context (a feed entry that failed).
    error: Option<Diagnostic>,
}

impl Prepared {
    /// The fingerprint of the page's inputs.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

impl<'a> Renderer<'a> {
    /// Prepares the views shared by all pages (one card per article).
    pub fn new(
        config: &'a Config,
        articles: &'a [Article],
        index: &'a Index,
        entities: &'a Entities,
        tera: &'a Tera,
        template_hashes: &'a HashMap<String, u64>,
        cards: &'a [Card],
    ) -> Self {
        let mut base = PageContext::new();
        base.insert("site", &SiteView::of(config));
        let years: Vec<YearLink> = index
            .years
            .keys()
            .rev()
            .map(|&year| YearLink {
                year,
                url: config.permalink(&format!("/{year:04}/")),
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
            card_values: (0..articles.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let per = self.config.per_page;
        // Newest first, not load order: output never depends on how the files were found.
        let mut pages: Vec<Page> = self
            .index
            .newest_first
            .iter()
            .map(|&id| Page::Article(id))
            .collect();
        pages.extend((1..=page_count(self.articles.len(), per)).map(Page::Home));
        for kind in Kind::ALL {
            pages.push(Page::Taxonomy(kind));
            for (t, term) in self.index.taxonomy(kind).terms.iter().enumerate() {
                pages.extend(
                    (1..=page_count(term.articles.len(), per)).map(|n| Page::Term(kind, t, n)),
                );
                if kind != Kind::Tags {
                    pages.push(Page::TermFeed(kind, t));
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
        let listed = pages
            .iter()
            .filter(|p| !matches!(p, Page::TermFeed(..)))
            .count();
        pages.extend([Page::Feed, Page::Sitemap, Page::Robots, Page::NotFound]);
        pages.extend(sitemap_parts(listed).map(Page::SitemapPart));
        pages
    }

    /// How many articles the site has.
    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    /// The metadata of article `id`.
    pub fn article(&self, id: ArticleId) -> &Article {
        &self.articles[id]
    }

    /// The site path of a page (`/people/ann/page/2/`, `/atom.xml`).
    pub fn path(&self, page: Page) -> String {
        match page {
            Page::Article(id) => self.articles[id].path.clone(),
            Page::Home(n) => page_path("/", n),
            Page::Taxonomy(kind) => format!("/{}/", kind.key()),
            Page::Term(kind, t, n) => page_path(
                &term_path(kind, &self.index.taxonomy(kind).terms[t].slug),
                n,
            ),
            Page::Year(y, n) => page_path(&format!("/{y:04}/"), n),
            Page::Month(y, m, n) => page_path(&format!("/{y:04}/{m:02}/"), n),
            Page::Feed => "/atom.xml".into(),
            Page::TermFeed(kind, t) => {
                profile::feed_path(kind, &self.index.taxonomy(kind).terms[t].slug)
            }
            Page::Sitemap => "/sitemap.xml".into(),
            Page::SitemapPart(n) => format!("/sitemap-{n}.xml"),
            Page::Robots => "/robots.txt".into(),
            Page::NotFound => "/404.html".into(),
        }
    }

    /// The template a page is rendered with.
    pub fn template(page: Page) -> &'static str {
        match page {
            Page::Article(_) => "article.html",
            Page::Home(_) => "index.html",
            Page::Taxonomy(_) => "taxonomy.html",
            Page::Term(..) => "term.html",
            Page::Year(..) | Page::Month(..) => "archive.html",
            Page::Feed | Page::TermFeed(..) => "atom.xml",
            Page::Sitemap | Page::SitemapPart(_) => "sitemap.xml",
            Page::Robots => "robots.txt",
            Page::NotFound => "404.html",
        }
    }

    /// Builds a page's context and fingerprint, without rendering it.
    pub fn prepare(&self, page: Page) -> Prepared {
        let path = self.path(page);
        let mut ctx = self.base.clone();
        ctx.insert("page_path", &path);
        ctx.insert("permalink", &self.config.permalink(&path));
        let template = Self::template(page);
        ctx.mix(self.template_hashes.get(template).copied().unwrap_or(0));
        let mut error = None;
        match page {
            Page::Article(id) => {
                ctx.insert("article", &self.article_view(id));
                ctx.mix(self.articles[id].body_hash);
                let (newer, older) = self.index.neighbours(id);
                self.insert_card(&mut ctx, "newer", newer);
                self.insert_card(&mut ctx, "older", older);
                self.insert_cards(&mut ctx, "related", &insights::related(self.index, id));
            }
            Page::Home(n) => self.list_context(&mut ctx, "/", &self.index.newest_first, n),
            Page::Taxonomy(kind) => self.taxonomy_context(&mut ctx, kind),
            Page::Term(kind, t, n) => self.term_context(&mut ctx, kind, t, n),
            Page::Year(y, n) => self.year_context(&mut ctx, y, None, n),
            Page::Month(y, m, n) => self.year_context(&mut ctx, y, Some(m), n),
            Page::Feed => error = self.feed_context(&mut ctx),
            Page::TermFeed(kind, t) => error = self.term_feed_context(&mut ctx, kind, t),
            Page::Sitemap => self.sitemap_context(&mut ctx, None),
            Page::SitemapPart(n) => self.sitemap_context(&mut ctx, Some(n)),
            Page::Robots | Page::NotFound => {}
        }
        let fingerprint = ctx.fingerprint();
        Prepared {
            page,
            path,
            ctx,
            fingerprint,
            error,
        }
    }

    /// Renders a prepared page (an article's body is rendered here, once).
    pub fn finish(&self, prepared: Prepared) -> Result<String, Diagnostic> {
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
            .map_err(|e| {
                crate::templates::template_diagnostic(&e, std::path::Path::new("templates"))
            })
    }

    /// Renders, in parallel, every page whose fingerprint the sink does not
    /// already hold, and returns all errors.
    pub fn render_all(&self, pages: &[Page], sink: &dyn PageSink) -> Vec<Diagnostic> {
        pages
            .par_iter()
            .filter_map(|&page| {
                let prepared = self.prepare(page);
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

    fn article_body(&self, id: ArticleId) -> Result<String, Diagnostic> {
        let article = &self.articles[id];
        let text = std::fs::read_to_string(&article.file)
            .map_err(|e| Diagnostic::file(&article.file, format!("cannot read: {e}")))?;
        let body = content::body(&text)
            .filter(|b| xxhash_rust::xxh3::xxh3_64(b.as_bytes()) == article.body_hash)
            .ok_or_else(|| {
                Diagnostic::file(
                    &article.file,
                    "the file changed during the build: build again",
                )
            })?;
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
        };
        Ok(markdown::render(body, &links))
    }

    /// The article's view with an empty `content`: the body is set in
    /// [`Renderer::finish`], only when the page is rendered.
    fn article_view(&self, id: ArticleId) -> ArticleView<'_> {
        let article = &self.articles[id];
        ArticleView {
            card: &self.cards[id],
            source_url: article.url.as_deref(),
            slug: &article.slug,
            people: views::term_links(self.config, self.index, Kind::People, id),
            countries: views::term_links(self.config, self.index, Kind::Countries, id),
            tags: views::term_links(self.config, self.index, Kind::Tags, id),
            extra: &article.extra,
            content: "",
        }
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
        let values: Vec<tera::Value> = ids.iter().map(|&i| self.card_value(i)).collect();
        let fingerprints = ids.iter().map(|&i| self.cards[i].fingerprint);
        ctx.insert_known(key, values.into(), fingerprints);
    }

    /// Sets `key` to the card of `id`, or to nothing.
    fn insert_card(&self, ctx: &mut PageContext, key: &str, id: Option<ArticleId>) {
        let value = id.map_or_else(tera::Value::none, |i| self.card_value(i));
        let fingerprints = id.map(|i| self.cards[i].fingerprint);
        ctx.insert_known(key, value, fingerprints.into_iter());
    }

    /// Card `id` as a template value, converted once: copies share its
    /// strings, so a card costs nothing more on each list it is on.
    fn card_value(&self, id: ArticleId) -> tera::Value {
        self.card_values[id]
            .get_or_init(|| tera::Value::from_serializable(&self.cards[id]))
            .clone()
    }

    fn taxonomy_view(&self, kind: Kind) -> TaxonomyView {
        TaxonomyView {
            kind: kind.key(),
            title: kind.title(),
            url: self.config.permalink(&format!("/{}/", kind.key())),
        }
    }

    fn taxonomy_context(&self, ctx: &mut PageContext, kind: Kind) {
        let all = &self.index.taxonomy(kind).terms;
        let summary = |t: &'a crate::index::Term| TermSummary {
            name: &t.name,
            slug: &t.slug,
            url: self.config.permalink(&term_path(kind, &t.slug)),
            count: t.articles.len(),
        };
        let mut terms: Vec<TermSummary> = all.iter().map(summary).collect();
        terms.sort_by(|a, b| a.slug.cmp(b.slug).then_with(|| a.name.cmp(b.name)));
        let mut top: Vec<&crate::index::Term> = all.iter().collect();
        top.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let top: Vec<TermSummary> = top.into_iter().take(TOP_TERMS).map(summary).collect();
        ctx.insert("taxonomy", &self.taxonomy_view(kind));
        ctx.insert("letters", &views::by_letter(&terms));
        ctx.insert("terms", &terms);
        ctx.insert("top", &top);
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
            profile::build(
                self.config,
                self.articles,
                self.index,
                self.entities,
                kind,
                t,
            )
        });
        ctx.insert("profile", &profile);
        self.list_context(ctx, &base, &term.articles, n);
    }

    fn year_context(&self, ctx: &mut PageContext, y: i32, month: Option<u32>, n: usize) {
        let year = &self.index.years[&y];
        let year_url = self.config.permalink(&format!("/{y:04}/"));
        let (base, title, ids) = match month {
            Some(m) => (
                format!("/{y:04}/{m:02}/"),
                format!("{} {y}", views::month_name(m)),
                &year.months[&m].articles,
            ),
            None => (format!("/{y:04}/"), y.to_string(), &year.articles),
        };
        let months: Vec<MonthLink> = match month {
            Some(_) => Vec::new(),
            None => year
                .months
                .iter()
                .map(|(&m, mo)| MonthLink {
                    month: m,
                    name: format!("{} {y}", views::month_name(m)),
                    url: self.config.permalink(&format!("/{y:04}/{m:02}/")),
                    count: mo.articles.len(),
                })
                .collect(),
        };
        ctx.insert(
            "archive",
            &ArchiveView {
                year: y,
                month,
                title,
                url: self.config.permalink(&base),
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

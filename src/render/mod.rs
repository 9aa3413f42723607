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
//! what it makes goes to a [`PageSink`] (the writer of `output.rs`).

mod context;
mod feeds;
mod links;
mod meta;
mod paths;
mod profile;
mod reach;
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
pub(crate) use links::{join_relative, SiteLinks};
pub(crate) use paths::{article_path, file_of, taxonomy_path};
pub(crate) use reach::{changes_every_page, Reach};
pub(crate) use views::{display_date, Card, Cards};

use crate::error::Diagnostic;
use crate::load::{self, Article, ArticleId, Config, TemplateHashes};
use crate::markdown;
use crate::model::{related, Entities, Index, Kind, Term, TermId};
use chrono::{DateTime, Datelike, Utc};
use meta::{crumbs, Meta};
use paths::{page_count, term_path};
use views::{ArticleView, MonthLink, Paginator, SiteView, TermSummary, YearLink};

/// Terms in the "most mentioned" list of a taxonomy page.
const TOP_TERMS: usize = 20;

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
    entries: Vec<OnceLock<Result<String, Diagnostic>>>,
    /// Each card as a template value, converted on first use.
    card_values: Vec<OnceLock<tera::Value>>,
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
            card_values: (0..articles.len()).map(|_| OnceLock::new()).collect(),
            now: DateTime::UNIX_EPOCH,
        }
    }

    /// The same renderer with the build's clock at `now` (until it is set,
    /// the clock says 1970, and the news sitemap is empty).
    pub(crate) fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

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
        let listed = pages.iter().filter(|p| p.in_sitemap()).count();
        pages.extend([
            Page::Feed,
            Page::Sitemap,
            Page::NewsSitemap,
            Page::Robots,
            Page::NotFound,
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
            Page::Sitemap | Page::SitemapPart(_) => "sitemap.xml",
            Page::NewsSitemap => "news-sitemap.xml",
            Page::Robots => "robots.txt",
            Page::NotFound => "404.html",
            Page::Search => "search.html",
        }
    }

    /// Builds a page's context and fingerprint, without rendering it.
    pub(crate) fn prepare(&self, page: Page) -> Prepared {
        let path = self.path(page);
        let mut ctx = self.base.clone();
        let permalink = self.config.permalink(&path);
        ctx.insert("page_path", &path);
        ctx.insert("permalink", &permalink);
        let template = Self::template(page);
        ctx.mix(self.template_hashes.get(template).copied().unwrap_or(0));
        let mut error = None;
        match page {
            Page::Article(id) => {
                let view = self.article_view(id);
                ctx.fail(self.card_error(id));
                ctx.insert("meta", &self.article_meta(id, &view));
                ctx.insert("article", &view);
                ctx.shows([id]);
                ctx.mix(self.articles[id].body_hash);
                // The body's HTML depends on the raw-HTML policy too.
                ctx.mix(self.config.raw_html as u64);
                let (newer, older) = self.index.neighbours(id);
                self.insert_card(&mut ctx, "newer", newer);
                self.insert_card(&mut ctx, "older", older);
                self.insert_cards(&mut ctx, "related", &related(self.index, id));
            }
            Page::Home(n) => {
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
                    &permalink,
                    trail,
                );
                ctx.insert("meta", &meta);
                self.list_context(&mut ctx, "/", &self.index.newest_first, n);
            }
            Page::Taxonomy(kind) => self.taxonomy_context(&mut ctx, kind),
            Page::Term(kind, t, n) => self.term_context(&mut ctx, kind, t, n),
            Page::Year(y, n) => self.year_context(&mut ctx, y, None, n),
            Page::Month(y, m, n) => self.year_context(&mut ctx, y, Some(m), n),
            Page::Feed => error = self.feed_context(&mut ctx),
            Page::TermFeed(kind, t) => error = self.term_feed_context(&mut ctx, kind, t),
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

    /// The article's body as HTML. The markdown is read from its file here,
    /// the one read outside `load/`: deliberate, so that a loaded archive
    /// holds metadata only and each body is in memory just while its page
    /// renders. A file changed since it was loaded is an error, never a
    /// page mixing old metadata with a new body.
    fn article_body(&self, id: ArticleId) -> Result<String, Diagnostic> {
        let article = &self.articles[id];
        let text = std::fs::read_to_string(&article.file)
            .map_err(|e| Diagnostic::file(&article.file, format!("cannot read: {e}")))?;
        let body = load::body(&text)
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
        Ok(markdown::render(body, &links, self.config.raw_html))
    }

    /// The article's view with an empty `content`: the body is set in
    /// [`Renderer::finish`], only when the page is rendered.
    fn article_view(&self, id: ArticleId) -> ArticleView<'_> {
        let article = &self.articles[id];
        ArticleView {
            card: self.card(id),
            source_url: article.url.as_deref(),
            slug: &article.slug,
            people: self.people_with_roles(id),
            countries: views::term_links(self.config, self.index, Kind::Countries, id),
            tags: views::term_links(self.config, self.index, Kind::Tags, id),
            extra: &article.extra,
            content: "",
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
        let fingerprints = ids.iter().map(|&i| self.card(i).fingerprint);
        ctx.insert_known(key, values.into(), fingerprints);
    }

    /// Sets `key` to the card of `id`, or to nothing.
    fn insert_card(&self, ctx: &mut PageContext, key: &str, id: Option<ArticleId>) {
        ctx.shows(id);
        ctx.fail(id.and_then(|i| self.card_error(i)));
        let value = id.map_or_else(tera::Value::none, |i| self.card_value(i));
        let fingerprints = id.map(|i| self.card(i).fingerprint);
        ctx.insert_known(key, value, fingerprints.into_iter());
    }

    /// Card `id`, rendered on first use.
    pub(crate) fn card(&self, id: ArticleId) -> &Card {
        &self.card_entry(id).0
    }

    pub(crate) fn card_error(&self, id: ArticleId) -> Option<Diagnostic> {
        self.card_entry(id).1.clone()
    }

    fn card_entry(&self, id: ArticleId) -> &(Card, Option<Diagnostic>) {
        let article = &self.articles[id];
        self.cards
            .get(id, self.config, self.index, article, self.tera)
    }

    /// Card `id` as a template value, converted once: copies share its
    /// strings, so a card costs nothing more on each list it is on.
    fn card_value(&self, id: ArticleId) -> tera::Value {
        self.card_values[id]
            .get_or_init(|| tera::Value::from_serializable(self.card(id)))
            .clone()
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
        self.list_context(ctx, &base, &term.articles, n);
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
pub(crate) mod tests {
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
            let toml = format!(
                "title = \"T\"\nbase_url = \"https://example.org/\"\nper_page = {per_page}\n"
            );
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
                let front = format!(
                    "title: \"Story {i}\"\ndate: {y}-{m:02}-{d:02}\npeople: [{}]\ncountries: [{}]\ntags: [{}]\n",
                    pick(&mut next, &people),
                    pick(&mut next, &countries),
                    pick(&mut next, &tags),
                );
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
            "/people/bo-chen/",
            "/people/bo-chen/atom.xml",
            "/countries/",
            "/tags/",
            "/tags/t/",
            "/tags/t/page/2/",
            "/2025/",
            "/2025/12/",
            "/2026/",
            "/2026/02/",
            "/atom.xml",
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/robots.txt",
            "/404.html",
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
            "/atom.xml",
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/robots.txt",
            "/404.html",
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
}

//! What templates see: small serialisable views of articles, terms and
//! pagers, built from metadata (never from rendered bodies). The README's
//! "Template variables" section documents these fields.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use tera::Tera;

use super::fragments::{Fragment, Fragments};
use super::paths::{page_count, page_path, term_path};
use crate::error::Diagnostic;
use crate::load::{Article, ArticleId, Config};
use crate::model::{Index, Kind, TermId};

/// A link to a person, country or tag page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    /// The name shown.
    pub(crate) name: String,
    /// Its page's absolute URL.
    pub(crate) url: String,
    /// A person's role, from data/people.yaml (on an article's own page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<String>,
}

/// What lists and feeds show of an article beside its own fields (title,
/// path, source, location, summary, standfirst, read from the article
/// itself: a copy of each was a fifth of a build's cards at 100,000
/// articles): made once, kept for the build.
#[derive(Debug, Clone, Default)]
pub(crate) struct Card {
    /// Absolute URL of the article's page.
    pub(crate) url: String,
    /// RFC 3339 date (`2026-02-20T09:30:00+01:00`).
    pub(crate) date: String,
    /// Human date (`20 February 2026`).
    pub(crate) date_display: String,
    /// RFC 3339 `updated`, when set.
    pub(crate) updated: Option<String>,
    /// Human `updated`, when set.
    pub(crate) updated_display: Option<String>,
    /// The lead photo (`image`), with its copies (boxed: most cards have
    /// none, and a card is kept for the whole build).
    pub(crate) image: Option<Box<super::photo::PhotoView>>,
}

/// A card as templates see it: its fields, and its HTML rendered once
/// through `card.html` (print with `| safe`): lists show it as it is
/// instead of rendering each article again on every list it appears in.
#[derive(Debug)]
pub(crate) struct CardView<'a> {
    pub(crate) card: &'a Card,
    pub(crate) article: &'a Article,
    pub(crate) html: Cow<'a, str>,
}

/// The card's fields (`title`, `url`, `path`, `date`, `date_display`,
/// `updated`, `updated_display`, `source`, `location`, `summary`,
/// `standfirst`, `image`), then `html`, as one struct: serde's `flatten`
/// would make each card a map, which costs a list of 50 cards a tenth more
/// to make into template values (a card is made one on every list).
impl Serialize for CardView<'_> {
    fn serialize<S: serde::Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (c, a) = (self.card, self.article);
        let mut out = to.serialize_struct("Card", 13)?;
        out.serialize_field("title", &a.title)?;
        out.serialize_field("url", &c.url)?;
        out.serialize_field("path", &a.path)?;
        out.serialize_field("date", &c.date)?;
        out.serialize_field("date_display", &c.date_display)?;
        out.serialize_field("updated", &c.updated)?;
        out.serialize_field("updated_display", &c.updated_display)?;
        out.serialize_field("source", &a.source)?;
        out.serialize_field("location", &a.location)?;
        out.serialize_field("summary", &a.summary)?;
        out.serialize_field("standfirst", &a.standfirst)?;
        out.serialize_field("image", &c.image)?;
        out.serialize_field("html", &self.html)?;
        out.end()
    }
}

/// A card kept for the build: its fields, its HTML ([`Fragments`]), a hash
/// of both (page fingerprints mix it in instead of serialising the card
/// again on each list it is on) and the error of its template, if any.
#[derive(Debug)]
pub(crate) struct KeptCard {
    pub(crate) card: Card,
    html: Fragment,
    pub(crate) fingerprint: u64,
    pub(crate) error: Option<Box<Diagnostic>>,
}

/// Formats a date as RFC 3339 (`Z` for UTC).
pub(crate) fn rfc3339(d: &DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Formats a date for readers: `20 February 2026`.
pub(crate) fn display_date(d: &DateTime<FixedOffset>) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The people, countries or tags of article `id`, linked to their pages.
pub(crate) fn term_links(config: &Config, index: &Index, kind: Kind, id: usize) -> Vec<TermLink> {
    let taxonomy = index.taxonomy(kind);
    taxonomy.by_article[id]
        .iter()
        .map(|&t: &TermId| {
            let term = &taxonomy.terms[t];
            TermLink {
                name: term.name.clone(),
                url: config.permalink(&term_path(kind, &term.slug)),
                role: None,
            }
        })
        .collect()
}

/// Each article's card by article id, rendered on first use: a preview
/// answers its first page without rendering the cards of the whole
/// archive (1.5 s at 100k articles), and an edit that changes cards only
/// forgets them.
#[derive(Debug, Default)]
pub(crate) struct Cards {
    cells: Vec<OnceLock<KeptCard>>,
    /// Where the cards' HTML and the feed entries are kept.
    fragments: Fragments,
}

impl Cards {
    /// `n` cards, none rendered yet.
    pub(crate) fn unrendered(n: usize) -> Cards {
        Cards {
            cells: (0..n).map(|_| OnceLock::new()).collect(),
            fragments: Fragments::default(),
        }
    }

    /// Where the cards' HTML and the feed entries are kept.
    pub(crate) fn fragments(&self) -> &Fragments {
        &self.fragments
    }

    /// Card `kept` of `article` as templates see it.
    pub(crate) fn view<'c>(&'c self, kept: &'c KeptCard, article: &'c Article) -> CardView<'c> {
        CardView {
            card: &kept.card,
            article,
            html: self.fragments.read(&kept.html),
        }
    }

    /// Card `id` of `article` (in `index`), rendered now if it was not; a
    /// card whose template failed is there without its HTML, with the error.
    pub(crate) fn get(
        &self,
        id: ArticleId,
        config: &Config,
        index: &Index,
        article: &Article,
        tera: &Tera,
    ) -> &KeptCard {
        self.cells[id].get_or_init(|| {
            let card = Card::new(config, article);
            let html = CardTerms::of(config, index, id, &card, article).render(config, tera);
            match html {
                Ok(html) => self.kept(card, article, html),
                Err(e) => KeptCard {
                    card,
                    html: Fragment::empty(),
                    fingerprint: 0,
                    error: Some(Box::new(e)),
                },
            }
        })
    }

    /// `card` with its `html`, hashed and kept.
    fn kept(&self, card: Card, article: &Article, html: String) -> KeptCard {
        // Every field, the links included (they are in the HTML).
        let view = CardView {
            card: &card,
            article,
            html: Cow::Borrowed(&html),
        };
        let json = serde_json::to_vec(&view).expect("a card serialises");
        KeptCard {
            fingerprint: xxhash_rust::xxh3::xxh3_64(&json),
            html: self.fragments.keep(html),
            card,
            error: None,
        }
    }

    /// Card `id` is rendered again on its next use.
    pub(crate) fn forget(&mut self, id: ArticleId) {
        self.cells[id] = OnceLock::new();
    }

    /// One more card, not rendered.
    pub(crate) fn push(&mut self) {
        self.cells.push(OnceLock::new());
    }

    /// Keeps the cards for which `keep` says true, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut() -> bool) {
        self.cells.retain(|_| keep());
    }
}

impl Card {
    /// The card of an article: what lists and feeds show (kept lean: lists
    /// are most of a site's pages).
    pub(crate) fn new(config: &Config, article: &Article) -> Card {
        Card {
            url: config.permalink(&article.path),
            date: rfc3339(&article.date),
            date_display: display_date(&article.date),
            updated: article.updated.as_ref().map(rfc3339),
            updated_display: article.updated.as_ref().map(display_date),
            image: article
                .image
                .as_ref()
                .and_then(|photo| super::photo::PhotoView::of(config, photo))
                .map(Box::new),
        }
    }
}

/// A card with its people and countries, as `card.html` sees it. The term
/// links live only while the card's HTML is rendered: kept on every card
/// (and on its template value) they cost 40 MB at 10k articles.
#[derive(Serialize)]
struct CardTerms<'a> {
    /// The card, its HTML still empty.
    #[serde(flatten)]
    card: CardView<'a>,
    people: Vec<TermLink>,
    countries: Vec<TermLink>,
}

impl<'a> CardTerms<'a> {
    fn of(
        config: &Config,
        index: &Index,
        id: ArticleId,
        card: &'a Card,
        article: &'a Article,
    ) -> CardTerms<'a> {
        CardTerms {
            card: CardView {
                card,
                article,
                html: Cow::Borrowed(""),
            },
            people: term_links(config, index, Kind::People, id),
            countries: term_links(config, index, Kind::Countries, id),
        }
    }

    fn render(&self, config: &Config, tera: &Tera) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("card", self);
        ctx.insert("site", &SiteView::of(config));
        tera.render("card.html", &ctx)
            .map_err(|e| crate::load::render_error(&e))
    }
}

/// The full view of an article on its own page.
#[derive(Debug, Serialize)]
pub(crate) struct ArticleView<'a> {
    /// Everything a list shows.
    #[serde(flatten)]
    pub(crate) card: CardView<'a>,
    /// `url`: the original story.
    pub(crate) source_url: Option<&'a str>,
    /// The URL segment.
    pub(crate) slug: &'a str,
    /// People mentioned, linked.
    pub(crate) people: Vec<TermLink>,
    /// Countries mentioned, linked.
    pub(crate) countries: Vec<TermLink>,
    /// Tags, linked.
    pub(crate) tags: Vec<TermLink>,
    /// Other front-matter keys.
    pub(crate) extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    /// The photos in the body, as shown there (and in the page's
    /// fingerprint: a photo replaced changes the page).
    pub(crate) images: Vec<super::photo::PhotoView>,
    /// The rendered body (HTML; print with `| safe`).
    pub(crate) content: &'a str,
    /// Its corrections, oldest first.
    pub(crate) corrections: Vec<CorrectionView>,
    /// The story it is part of.
    pub(crate) story: Option<super::stories::StoryLink<'a>>,
}

/// A correction as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CorrectionView {
    /// RFC 3339.
    pub(crate) date: String,
    /// As readers read dates.
    pub(crate) date_display: String,
    /// What was corrected (text, escaped by Tera).
    pub(crate) text: String,
}

impl CorrectionView {
    /// The view of `c`.
    pub(crate) fn of(c: &crate::load::Correction) -> Self {
        CorrectionView {
            date: rfc3339(&c.date),
            date_display: display_date(&c.date),
            text: c.text.clone(),
        }
    }
}

/// A photo that shows a person, on their page: its thumbnail and its
/// article.
#[derive(Debug, Serialize)]
pub(crate) struct PicturedView<'a> {
    /// The article's page.
    pub(crate) url: &'a str,
    /// The article's title.
    pub(crate) title: &'a str,
    /// RFC 3339 date of the article.
    pub(crate) date: &'a str,
    /// Human date.
    pub(crate) date_display: &'a str,
    /// The photo.
    pub(crate) photo: &'a super::photo::PhotoView,
}

impl<'a> PicturedView<'a> {
    /// The view of an article's card, when it has a photo.
    pub(crate) fn of(card: &'a Card, article: &'a Article) -> Option<PicturedView<'a>> {
        Some(PicturedView {
            url: &card.url,
            title: &article.title,
            date: &card.date,
            date_display: &card.date_display,
            photo: card.image.as_ref()?,
        })
    }
}

/// An entry of an Atom feed: the article's `<entry>` rendered once through
/// `entry.xml`, and the few fields a custom feed template may want.
#[derive(Debug, Serialize)]
pub(crate) struct FeedEntry<'a> {
    /// `title`.
    pub(crate) title: &'a str,
    /// The article's page.
    pub(crate) url: &'a str,
    /// RFC 3339 date.
    pub(crate) date: &'a str,
    /// The `<entry>` element (print with `| safe`).
    pub(crate) xml: Cow<'a, str>,
}

/// Where a paginated list is and where its neighbours are.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Paginator {
    /// This page's number, from 1.
    pub(crate) current: usize,
    /// How many pages the list has.
    pub(crate) total: usize,
    /// Articles per page.
    pub(crate) per_page: usize,
    /// Articles in the whole list.
    pub(crate) total_articles: usize,
    /// URL of the previous (newer) page.
    pub(crate) previous: Option<String>,
    /// URL of the next (older) page.
    pub(crate) next: Option<String>,
    /// URL of the first page.
    pub(crate) first: String,
    /// URL of the last page.
    pub(crate) last: String,
}

impl Paginator {
    /// The pager for page `current` of a list of `len` articles at `base`.
    pub(crate) fn new(config: &Config, base: &str, current: usize, len: usize) -> Paginator {
        let total = page_count(len, config.per_page);
        let url = |n: usize| config.permalink(&page_path(base, n));
        Paginator {
            current,
            total,
            per_page: config.per_page,
            total_articles: len,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            first: url(1),
            last: url(total),
        }
    }
}

/// The site's settings as templates see them (`site.*`).
#[derive(Debug, Serialize)]
pub(crate) struct SiteView<'a> {
    /// `title`.
    pub(crate) title: &'a str,
    /// `base_url`, without a trailing slash.
    pub(crate) base_url: &'a str,
    /// `description`.
    pub(crate) description: &'a str,
    /// `language`.
    pub(crate) language: &'a str,
    /// The `[extra]` table.
    pub(crate) extra: &'a serde_json::Value,
    /// Whether the search box and page exist (`[search] enabled`).
    pub(crate) search: bool,
}

impl<'a> SiteView<'a> {
    /// The view of a site's settings.
    pub(crate) fn of(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            base_url: &config.base_url,
            description: &config.description,
            language: &config.language,
            extra: &config.extra,
            search: config.search,
        }
    }
}

/// A year in the navigation.
#[derive(Debug, Serialize)]
pub(crate) struct YearLink {
    /// The year.
    pub(crate) year: i32,
    /// Its archive page.
    pub(crate) url: String,
}

/// A month on a year's page.
#[derive(Debug, Serialize)]
pub(crate) struct MonthLink {
    /// 1-12.
    pub(crate) month: u32,
    /// `February 2026`.
    pub(crate) name: String,
    /// Its archive page.
    pub(crate) url: String,
    /// Articles that month.
    pub(crate) count: usize,
}

/// A term on its taxonomy's page.
#[derive(Debug, Serialize)]
pub(crate) struct TermSummary<'a> {
    /// The name shown.
    pub(crate) name: &'a str,
    /// The URL segment.
    pub(crate) slug: &'a str,
    /// The term page's URL.
    pub(crate) url: String,
    /// Articles mentioning it.
    pub(crate) count: usize,
}

/// Terms grouped under their initial letter (A-Z, then `#` for the rest).
#[derive(Debug, Serialize)]
pub(crate) struct LetterGroup<'a> {
    /// `A`...`Z` or `#`.
    pub(crate) letter: char,
    /// The terms, in the order given.
    pub(crate) terms: &'a [TermSummary<'a>],
}

/// Splits terms sorted by slug into letter groups for an index page.
pub(crate) fn by_letter<'a>(terms: &'a [TermSummary<'a>]) -> Vec<LetterGroup<'a>> {
    let letter = |t: &TermSummary| match t.slug.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    };
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=terms.len() {
        if i == terms.len() || letter(&terms[i]) != letter(&terms[start]) {
            groups.push(LetterGroup {
                letter: letter(&terms[start]),
                terms: &terms[start..i],
            });
            start = i;
        }
    }
    groups
}

/// The English name of a month (1-12).
pub(crate) fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month as usize).clamp(1, 12) - 1]
}

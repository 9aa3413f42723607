//! Which pages an edit to some articles' metadata can change. Every page's
//! context names the articles it shows, so the pages touching an article
//! are: its own page and its neighbours', every page of its people,
//! countries, tags, year and month, the home pages from its position on,
//! the taxonomy indexes, the feed and the sitemap. The union over the state
//! before and after the edit is a superset of the pages that changed; the
//! fingerprints then tell which of those really did.

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;

use crate::content::ArticleId;
use crate::index::{Index, Kind};
use crate::render::{Page, Renderer};
use crate::views::page_count;

/// What an article edit requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Something every page shows changed (the years in the navigation, a
    /// term's name or slug): check every page.
    Everything,
    /// Only these pages can differ.
    Pages {
        /// Site paths to fingerprint (and render if changed).
        check: BTreeSet<String>,
        /// Site paths of pages that no longer exist.
        removed: BTreeSet<String>,
    },
}

/// One state of the site, as seen by the functions here.
pub struct State<'a> {
    /// The renderer of that state (for paths).
    pub renderer: &'a Renderer<'a>,
    /// Its indexes.
    pub index: &'a Index,
    /// Articles per page.
    pub per_page: usize,
}

/// The pages of `state` that show any of `ids`, except the home pages
/// (which depend on positions: see [`home_pages`]).
pub fn pages_showing(state: &State, ids: &[ArticleId]) -> BTreeSet<String> {
    let r = state.renderer;
    let per = state.per_page;
    let mut pages = vec![Page::Feed, Page::Sitemap];
    pages.extend(Kind::ALL.map(Page::Taxonomy));
    for &id in ids {
        pages.push(Page::Article(id));
        let (newer, older) = state.index.neighbours(id);
        pages.extend(newer.into_iter().chain(older).map(Page::Article));
        for kind in Kind::ALL {
            let taxonomy = state.index.taxonomy(kind);
            for &t in &taxonomy.by_article[id] {
                let n = page_count(taxonomy.terms[t].articles.len(), per);
                pages.extend((1..=n).map(|p| Page::Term(kind, t, p)));
            }
        }
        let date = r.article(id).date;
        let (y, m) = (date.year(), date.month());
        if let Some(year) = state.index.years.get(&y) {
            pages.extend((1..=page_count(year.articles.len(), per)).map(|p| Page::Year(y, p)));
            if let Some(month) = year.months.get(&m) {
                pages.extend(
                    (1..=page_count(month.articles.len(), per)).map(|p| Page::Month(y, m, p)),
                );
            }
        }
    }
    pages.into_iter().map(|p| r.path(p)).collect()
}

/// The home pages holding positions `first..=last` (newest first).
pub fn home_pages(state: &State, first: usize, last: usize) -> BTreeSet<String> {
    let total = page_count(state.index.newest_first.len(), state.per_page);
    let from = first / state.per_page + 1;
    let to = (last / state.per_page + 1).min(total);
    (from..=to)
        .map(|n| state.renderer.path(Page::Home(n)))
        .collect()
}

/// True when the edit changed something shown on pages that do not show
/// the edited articles: the set of years (every page's navigation), or the
/// name or slug of a term that exists before and after.
pub fn changes_everything(before: &Index, after: &Index) -> bool {
    if !before.years.keys().eq(after.years.keys()) {
        return true;
    }
    Kind::ALL.iter().any(|&kind| {
        let old: HashMap<&str, (&str, &str)> = before
            .taxonomy(kind)
            .terms
            .iter()
            .map(|t| (t.key.as_str(), (t.name.as_str(), t.slug.as_str())))
            .collect();
        after.taxonomy(kind).terms.iter().any(|t| {
            old.get(t.key.as_str())
                .is_some_and(|&(name, slug)| name != t.name || slug != t.slug)
        }) || slug_moved_to_new_key(before, after, kind)
    })
}

/// A slug that belonged to one term before and to another after (terms
/// that came and went are handled by their own pages).
fn slug_moved_to_new_key(before: &Index, after: &Index, kind: Kind) -> bool {
    let old: HashMap<&str, &str> = before
        .taxonomy(kind)
        .terms
        .iter()
        .map(|t| (t.slug.as_str(), t.key.as_str()))
        .collect();
    after
        .taxonomy(kind)
        .terms
        .iter()
        .any(|t| old.get(t.slug.as_str()).is_some_and(|&key| key != t.key))
}

//! Which pages show an article: the inverse of what [`Renderer::prepare`]
//! puts on a page, kept beside it so that the incremental routes of `live/`
//! ask the render stage instead of repeating what pages contain.
//!
//! Every page's context records the articles it was built from
//! ([`super::context::PageContext::shows`]: cards, feed entries, the
//! articles behind a profile, the whole archive for a sitemap). The inverse
//! cannot be read off those records without preparing every page (at 10k
//! articles that costs more than the whole metadata rebuild), so it is
//! stated here by rule, and the test at the bottom holds the two together:
//! on random sites, every page that records an article is in that
//! article's [`Reach`]. A page that starts to show another article through
//! `insert_cards`, `insert_card` or `shows` fails that test until the rule
//! here follows.
//!
//! A [`Reach`] holds identities that survive an edit (article files, term
//! keys, months), so one value collects what an edit touches before and
//! after it, and [`Reach::pages`] lists those pages in the new state.

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;

use super::paths::page_count;
use super::{sitemap_parts, Page, Renderer};
use crate::load::ArticleId;
use crate::model::{entity_terms, window, Entities, Index, Kind, RELATED_WINDOW};

/// What some articles appear on, by identities valid before and after an
/// edit.
#[derive(Debug, Default)]
pub(crate) struct Reach {
    /// Article files (under content/) whose own pages show them.
    articles: BTreeSet<String>,
    /// Terms whose pages (every page: the pager counts the list) and feeds
    /// show them.
    terms: BTreeSet<(Kind, String)>,
    /// People whose profiles link to one of their countries.
    profiles: BTreeSet<String>,
    /// Months (and so years) whose archives list them.
    months: BTreeSet<(i32, u32)>,
    /// Their positions in the newest-first list: the home pages.
    ranks: Vec<usize>,
    /// One of them has corrections: `/corrections/` lists them.
    corrections: bool,
    /// Calendar days whose on-this-day pages list them, and the days
    /// beside, which link to those.
    days: BTreeSet<(u32, u32)>,
    /// One of them is in the home page's on-this-day box.
    home_box: bool,
    /// Stories (by key) they are in: the story's page and feeds, and
    /// `/stories/`.
    stories: BTreeSet<String>,
}

impl Reach {
    /// Adds the pages that show article `id` in `r`'s state.
    pub(crate) fn add(&mut self, r: &Renderer, id: ArticleId) {
        let index = r.index;
        self.corrections |= !r.articles[id].corrections.is_empty();
        let (newer, older) = index.neighbours(id);
        for a in [Some(id), newer, older].into_iter().flatten() {
            self.articles.insert(r.articles[a].rel.clone());
        }
        for kind in Kind::ALL {
            let taxonomy = index.taxonomy(kind);
            for &t in &taxonomy.by_article[id] {
                self.terms.insert((kind, taxonomy.terms[t].key.clone()));
            }
        }
        // Related lists come from neighbours in people's and countries'
        // lists: whoever has this article within reach may list it.
        for (kind, t) in entity_terms(index, id) {
            for &near in window(index, kind, t, id, RELATED_WINDOW + 1) {
                self.articles.insert(r.articles[near].rel.clone());
            }
        }
        // A person's profile links to their country's page while it exists.
        for &c in &index.taxonomy(Kind::Countries).by_article[id] {
            let country = &index.taxonomy(Kind::Countries).terms[c].key;
            self.profiles.extend(people_of_country(r.entities, country));
        }
        // A person's first page shows the photos they are in.
        let people = index.taxonomy(Kind::People);
        for &t in &index.pictured.by_article[id] {
            self.profiles.insert(people.terms[t].key.clone());
        }
        let date = r.articles[id].date;
        self.months.insert((date.year(), date.month()));
        let day = (date.month(), date.day());
        self.days.insert(day);
        self.days
            .extend(index.day_neighbours(day).into_iter().flatten());
        self.home_box |= r.box_articles().contains(&id);
        let stories = &index.stories;
        if let Some(s) = stories.of_article[id] {
            let story = &stories.list[s];
            self.stories.insert(story.key.clone());
            let (before, after) = stories.neighbours(id);
            // Each article's box names the story as its first article does.
            let all = story.articles.first() == Some(&id);
            let boxes: Vec<ArticleId> = if all {
                story.articles.clone()
            } else {
                [before, after].into_iter().flatten().collect()
            };
            for a in boxes {
                self.articles.insert(r.articles[a].rel.clone());
            }
        }
        self.ranks.push(index.rank[id]);
    }

    /// Every page (of `r`'s state) that shows what was added. The home
    /// pages are those of the added positions, or all of them when
    /// `count_changed` (each home page's pager counts the articles).
    pub(crate) fn pages(&self, r: &Renderer, count_changed: bool) -> Vec<Page> {
        let (index, per) = (r.index, r.config.per_page);
        let mut pages = vec![Page::Feed, Page::JsonFeed, Page::Sitemap, Page::NewsSitemap];
        pages.extend(sitemap_parts(r.sitemap_pages().len()).map(Page::SitemapPart));
        pages.extend(Kind::ALL.map(Page::Taxonomy));
        if self.corrections {
            pages.push(Page::Corrections);
        }
        let ids: HashMap<&str, ArticleId> = r
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| self.articles.contains(&a.rel))
            .map(|(id, a)| (a.rel.as_str(), id))
            .collect();
        pages.extend(ids.values().map(|&id| Page::Article(id)));
        for (kind, key) in &self.terms {
            let Some(t) = find_term(index, *kind, key) else {
                continue;
            };
            let n = page_count(index.taxonomy(*kind).terms[t].articles.len(), per);
            pages.extend((1..=n).map(|p| Page::Term(*kind, t, p)));
            if *kind != Kind::Tags {
                pages.extend([Page::TermFeed(*kind, t), Page::TermJsonFeed(*kind, t)]);
            }
        }
        for key in &self.profiles {
            pages.extend(
                find_term(index, Kind::People, key).map(|t| Page::Term(Kind::People, t, 1)),
            );
        }
        for &(y, m) in &self.months {
            let Some(year) = index.years.get(&y) else {
                continue;
            };
            pages.extend((1..=page_count(year.articles.len(), per)).map(|p| Page::Year(y, p)));
            if let Some(month) = year.months.get(&m) {
                let n = page_count(month.articles.len(), per);
                pages.extend((1..=n).map(|p| Page::Month(y, m, p)));
            }
        }
        for day in &self.days {
            if let Some(ids) = index.days.get(day) {
                let n = page_count(ids.len(), per);
                pages.extend((1..=n).map(|p| Page::OnThisDay(day.0, day.1, p)));
            }
        }
        if self.home_box {
            pages.push(Page::Home(1));
        }
        if !self.stories.is_empty() {
            pages.push(Page::Stories);
        }
        for key in &self.stories {
            if let Some(s) = index.stories.find(key) {
                pages.extend([Page::Story(s), Page::StoryFeed(s), Page::StoryJsonFeed(s)]);
            }
        }
        let homes = page_count(r.articles.len(), per);
        match (
            count_changed,
            self.ranks.iter().min(),
            self.ranks.iter().max(),
        ) {
            (true, _, _) => pages.extend(r.home_pages()),
            (false, Some(&first), Some(&last)) => {
                let last_page = (last / per + 1).min(homes);
                pages.extend((first / per + 1..=last_page).map(Page::Home));
            }
            _ => {}
        }
        pages.sort_unstable();
        pages.dedup();
        pages
    }
}

/// The term keys of the people whose `data/people.yaml` entry names the
/// country with term key `country`.
fn people_of_country<'e>(
    entities: &'e Entities,
    country: &'e str,
) -> impl Iterator<Item = String> + 'e {
    entities.people.entries().iter().filter_map(move |entry| {
        let of = entry.country.as_deref()?;
        (entities.identify(Kind::Countries, of).key == country)
            .then(|| entities.identify(Kind::People, &entry.name).key)
    })
}

/// The term of `kind` with identity `key`, if it has articles.
fn find_term(index: &Index, kind: Kind, key: &str) -> Option<usize> {
    let terms = &index.taxonomy(kind).terms;
    terms.binary_search_by(|t| t.key.as_str().cmp(key)).ok()
}

/// True when an edit changed something that pages which do not show the
/// edited articles show too: the set of years (in every page's
/// navigation), or the name or slug of a term that exists before and after
/// (on the pages of every article that names it, and in profiles'
/// co-mentions), or a slug that passed from one term to another.
pub(crate) fn changes_every_page(before: &Index, after: &Index) -> bool {
    if !before.years.keys().eq(after.years.keys()) {
        return true;
    }
    Kind::ALL.iter().any(|&kind| {
        let old = &before.taxonomy(kind).terms;
        let by_key: HashMap<&str, (&str, &str)> = old
            .iter()
            .map(|t| (t.key.as_str(), (t.name.as_str(), t.slug.as_str())))
            .collect();
        let by_slug: HashMap<&str, &str> = old
            .iter()
            .map(|t| (t.slug.as_str(), t.key.as_str()))
            .collect();
        after.taxonomy(kind).terms.iter().any(|t| {
            let renamed = by_key
                .get(t.key.as_str())
                .is_some_and(|&(n, s)| n != t.name || s != t.slug);
            let slug_moved = by_slug.get(t.slug.as_str()).is_some_and(|&k| k != t.key);
            renamed || slug_moved
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::{random_site, TestSite};

    /// Every page that records an article is in that article's reach.
    fn assert_reach_covers_what_pages_show(site: &TestSite) {
        let r = site.renderer();
        let reach: Vec<BTreeSet<Page>> = (0..r.articles.len())
            .map(|id| {
                let mut reach = Reach::default();
                reach.add(&r, id);
                reach.pages(&r, false).into_iter().collect()
            })
            .collect();
        for page in r.pages() {
            let prepared = r.prepare(page);
            for &id in prepared.ctx.shown() {
                assert!(
                    reach[id].contains(&page),
                    "{page:?} ({}) shows {} but is not in its reach",
                    r.path(page),
                    r.articles[id].rel
                );
            }
        }
    }

    #[test]
    fn reach_covers_every_page_that_shows_an_article() {
        for seed in 1..=40 {
            assert_reach_covers_what_pages_show(&random_site(seed));
        }
    }

    #[test]
    fn pages_record_the_articles_they_list() {
        let site = random_site(7);
        let r = site.renderer();
        let first = r.index.newest_first[0];
        let home = r.prepare(Page::Home(1));
        assert!(home.ctx.shown().contains(&first));
        let sitemap = r.prepare(Page::Sitemap);
        assert_eq!(sitemap.ctx.shown().len(), r.articles.len());
        let article = r.prepare(Page::Article(first));
        assert!(article.ctx.shown().contains(&first));
    }
}

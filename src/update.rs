//! Taking in edits to article files without reloading the site: the edited
//! files are parsed again, and the pages the edit can have changed are
//! worked out from what the articles touch (their page and neighbours',
//! the pages whose related lists can include them, their people,
//! countries, tags, year and month, their place on the home pages), before
//! and after the edit. Fingerprints then tell which of those
//! pages really changed. The property test in tests/incremental.rs checks
//! the result against clean builds.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use chrono::Datelike;

use crate::content::{self, Article, ArticleId};
use crate::error::{Diagnostic, Error, Result};
use crate::index::{Index, Kind};
use crate::insights;
use crate::render::{self, Page, Renderer};
use crate::views::{self, page_count};
use crate::Site;

/// How an edit to some articles was taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleUpdate {
    /// Only these articles' bodies changed: only their own pages can differ.
    BodiesOnly(Vec<ArticleId>),
    /// Metadata changed (or articles came or went): the indexes were
    /// rebuilt, and this says which pages may have changed.
    Reindexed(Affected),
}

/// Which pages an edit may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Something every page shows changed (the years in the navigation, a
    /// term's name or slug): check every page.
    Everything,
    /// Only these pages can differ.
    Pages {
        /// Pages (of the new state) to fingerprint, and render if changed.
        check: Vec<Page>,
        /// Site paths of pages that no longer exist.
        removed: BTreeSet<String>,
    },
}

impl Site {
    /// Takes in edits to article files (changed, new or deleted). Files
    /// with errors are left out (the site keeps their last good version)
    /// and their errors returned beside the update; an error in the edits
    /// as a whole (two articles on one page) changes nothing.
    pub fn update_articles(
        &mut self,
        files: &[PathBuf],
        drafts: bool,
    ) -> Result<(ArticleUpdate, Vec<Diagnostic>)> {
        let (parsed, broken) = self.parse_files(files, drafts);
        let update = self.take_in_parsed(parsed)?;
        Ok((update, broken))
    }

    fn take_in_parsed(&mut self, parsed: Vec<(String, Option<Article>)>) -> Result<ArticleUpdate> {
        if let Some(ids) = self.bodies_only(&parsed) {
            for (&id, (_, new)) in ids.iter().zip(parsed) {
                // Cards and indexes hold metadata only, which did not change.
                self.content.articles[id] = new.expect("bodies_only checked it exists");
            }
            return Ok(ArticleUpdate::BodiesOnly(ids));
        }
        let mut touched = Touched::default();
        let old_pages = {
            let r = self.renderer();
            for (rel, _) in &parsed {
                if let Some(id) = find(&self.content.articles, rel) {
                    touched.add(&r, &self.index, id);
                }
            }
            touched.paths(&r, &self.index, self.config.per_page)
        };
        let old_home_pages = page_count(self.content.articles.len(), self.config.per_page);
        let old_count = self.content.articles.len();
        let duplicates = self.duplicates_after(&parsed);
        if !duplicates.is_empty() {
            return Err(Error::Input(duplicates));
        }
        self.apply(parsed.clone())
            .map_err(|e| Error::Input(vec![e]))?;
        let index = Index::build(&self.content.articles, &self.entities);
        let everything = changes_everything(&self.index, &index);
        let count_changed = self.content.articles.len() != old_count;
        self.index = index;
        if everything {
            return Ok(ArticleUpdate::Reindexed(Affected::Everything));
        }
        let r = self.renderer();
        for (rel, _) in &parsed {
            if let Some(id) = find(&self.content.articles, rel) {
                touched.add(&r, &self.index, id);
            }
        }
        let per_page = self.config.per_page;
        let mut check = touched.pages(&r, &self.index, per_page);
        let new_home_pages = page_count(self.content.articles.len(), per_page);
        // Every home page's pager counts the articles: a new count touches them all.
        let homes = match (count_changed, touched.ranks.first(), touched.ranks.last()) {
            (true, _, _) => Some((1, new_home_pages)),
            (false, Some(&first), Some(&last)) => Some((
                first / per_page + 1,
                (last / per_page + 1).min(new_home_pages),
            )),
            _ => None,
        };
        if let Some((from, to)) = homes {
            check.extend((from..=to).map(Page::Home));
        }
        let new_paths: BTreeSet<String> = check.iter().map(|&p| r.path(p)).collect();
        let mut removed: BTreeSet<String> = old_pages.difference(&new_paths).cloned().collect();
        removed.extend((new_home_pages + 1..=old_home_pages).map(|n| r.path(Page::Home(n))));
        Ok(ArticleUpdate::Reindexed(Affected::Pages { check, removed }))
    }

    /// Reads and parses the edited files; a missing file (or a draft when
    /// drafts are hidden) is `None`: the article is gone.
    fn parse_files(
        &self,
        files: &[PathBuf],
        drafts: bool,
    ) -> (Vec<(String, Option<Article>)>, Vec<Diagnostic>) {
        let content_dir = self.root.join("content");
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for file in files {
            let rel = content::relative(&content_dir, file);
            match std::fs::read(file) {
                Ok(bytes) => match content::parse_article(
                    file.clone(),
                    rel.clone(),
                    &bytes,
                    self.config.timezone,
                ) {
                    Ok(a) => out.push((rel, (drafts || !a.draft).then_some(a))),
                    Err(mut e) => errors.append(&mut e),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push((rel, None)),
                Err(e) => errors.push(Diagnostic::file(file, format!("cannot read: {e}"))),
            }
        }
        (out, errors)
    }

    /// Two articles that would share a page once the edits are in (only an
    /// edited article can cause that).
    fn duplicates_after(&self, parsed: &[(String, Option<Article>)]) -> Vec<Diagnostic> {
        let edited: BTreeSet<&str> = parsed.iter().map(|(rel, _)| rel.as_str()).collect();
        let kept = self
            .content
            .articles
            .iter()
            .filter(|a| !edited.contains(a.rel.as_str()));
        let new = parsed.iter().filter_map(|(_, a)| a.as_ref());
        crate::duplicate_paths(kept.chain(new))
    }

    /// Puts the edits in place: articles (and their cards) replaced, added
    /// or removed, without copying the others.
    fn apply(&mut self, mut parsed: Vec<(String, Option<Article>)>) -> Result<(), Diagnostic> {
        parsed.sort_by(|a, b| a.0.cmp(&b.0));
        // Cards first: a card that fails to render changes nothing.
        let mut edits = Vec::with_capacity(parsed.len());
        for (rel, new) in parsed {
            let card = match &new {
                Some(article) => Some(views::Card::rendered(&self.config, article, &self.tera)?),
                None => None,
            };
            edits.push((rel, new.zip(card)));
        }
        let mut gone = vec![false; self.content.articles.len()];
        for (rel, new) in edits {
            match (find(&self.content.articles, &rel), new) {
                (Some(id), Some((article, card))) => {
                    self.cards[id] = card;
                    self.content.articles[id] = article;
                }
                (Some(id), None) => gone[id] = true,
                (None, Some((article, card))) => {
                    self.cards.push(card);
                    self.content.articles.push(article);
                    gone.push(false);
                }
                (None, None) => {}
            }
        }
        let mut keep = gone.iter().map(|g| !g);
        self.content
            .articles
            .retain(|_| keep.next().unwrap_or(true));
        let mut keep = gone.iter().map(|g| !g);
        self.cards.retain(|_| keep.next().unwrap_or(true));
        Ok(())
    }

    /// The ids of the edited articles if every edit changed only a body.
    fn bodies_only(&self, parsed: &[(String, Option<Article>)]) -> Option<Vec<ArticleId>> {
        parsed
            .iter()
            .map(|(rel, new)| {
                let new = new.as_ref()?;
                let id = find(&self.content.articles, rel)?;
                let old = &self.content.articles[id];
                let same_meta = Article {
                    body_hash: old.body_hash,
                    ..new.clone()
                } == *old;
                same_meta.then_some(id)
            })
            .collect()
    }
}

/// The article with this path under content/.
fn find(articles: &[Article], rel: &str) -> Option<ArticleId> {
    articles.iter().position(|a| a.rel == rel)
}

/// What edited articles appear on, by identity (valid before and after the
/// edit): their own pages and their neighbours', their terms, years and
/// months, and their positions on the home pages.
#[derive(Default)]
struct Touched {
    articles: BTreeSet<String>,
    terms: BTreeSet<(Kind, String)>,
    months: BTreeSet<(i32, u32)>,
    ranks: Vec<usize>,
}

impl Touched {
    fn add(&mut self, r: &Renderer, index: &Index, id: ArticleId) {
        let (newer, older) = index.neighbours(id);
        for a in [Some(id), newer, older].into_iter().flatten() {
            self.articles.insert(r.article(a).rel.clone());
        }
        for kind in Kind::ALL {
            let taxonomy = index.taxonomy(kind);
            for &t in &taxonomy.by_article[id] {
                self.terms.insert((kind, taxonomy.terms[t].key.clone()));
            }
        }
        // Related lists come from neighbours in people's and countries'
        // lists: whoever has this article within reach may list it.
        for (kind, t) in insights::entity_terms(index, id) {
            for &near in insights::window(index, kind, t, id, insights::RELATED_WINDOW + 1) {
                self.articles.insert(r.article(near).rel.clone());
            }
        }
        let date = r.article(id).date;
        self.months.insert((date.year(), date.month()));
        self.ranks.push(index.rank[id]);
        self.ranks.sort_unstable();
    }

    /// Every page (of this state) of what was touched, but the home pages.
    fn pages(&self, r: &Renderer, index: &Index, per: usize) -> Vec<Page> {
        let mut pages = vec![Page::Feed, Page::Sitemap];
        pages.extend(render::sitemap_parts(r.sitemap_pages().len()).map(Page::SitemapPart));
        pages.extend(Kind::ALL.map(Page::Taxonomy));
        for rel in &self.articles {
            pages.extend(
                (0..r.article_count())
                    .find(|&id| r.article(id).rel == *rel)
                    .map(Page::Article),
            );
        }
        for (kind, key) in &self.terms {
            let terms = &index.taxonomy(*kind).terms;
            if let Ok(t) = terms.binary_search_by(|term| term.key.as_str().cmp(key)) {
                let n = page_count(terms[t].articles.len(), per);
                pages.extend((1..=n).map(|p| Page::Term(*kind, t, p)));
                if *kind != Kind::Tags {
                    pages.push(Page::TermFeed(*kind, t));
                }
            }
        }
        for &(y, m) in &self.months {
            let Some(year) = index.years.get(&y) else {
                continue;
            };
            pages.extend((1..=page_count(year.articles.len(), per)).map(|p| Page::Year(y, p)));
            if let Some(month) = year.months.get(&m) {
                pages.extend(
                    (1..=page_count(month.articles.len(), per)).map(|p| Page::Month(y, m, p)),
                );
            }
        }
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    fn paths(&self, r: &Renderer, index: &Index, per: usize) -> BTreeSet<String> {
        self.pages(r, index, per)
            .into_iter()
            .map(|p| r.path(p))
            .collect()
    }
}

/// True when the edit changed something shown on pages that do not show
/// the edited articles: the set of years (every page's navigation), or the
/// name or slug of a term that exists before and after, or a slug that
/// passed from one term to another.
fn changes_everything(before: &Index, after: &Index) -> bool {
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

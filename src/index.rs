//! The indexes of the archive: which articles mention whom, where, what and
//! when. Built from article metadata only, in time linear in the number of
//! (article, name) mentions; every list is newest first.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;

use crate::content::{Article, ArticleId};
use crate::entities::{Entities, Identity};
use crate::slugs::{assign_unique, slugify};

/// The three taxonomies of a news archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `people`.
    People,
    /// `countries`.
    Countries,
    /// `tags`.
    Tags,
}

impl Kind {
    /// All kinds, in display order.
    pub const ALL: [Kind; 3] = [Kind::People, Kind::Countries, Kind::Tags];

    /// The front-matter key and URL segment (`people`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::People => "people",
            Kind::Countries => "countries",
            Kind::Tags => "tags",
        }
    }

    /// The heading shown to readers (`People`).
    pub fn title(self) -> &'static str {
        match self {
            Kind::People => "People",
            Kind::Countries => "Countries",
            Kind::Tags => "Tags",
        }
    }

    /// The names an article gives for this kind.
    pub fn names(self, article: &Article) -> &[String] {
        match self {
            Kind::People => &article.people,
            Kind::Countries => &article.countries,
            Kind::Tags => &article.tags,
        }
    }
}

/// A term's position in [`Taxonomy::terms`].
pub type TermId = usize;

/// One person, country or tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Its identity: the name folded for case and spacing.
    pub key: String,
    /// The name shown: the canonical name, else the most frequent spelling.
    pub name: String,
    /// Its URL segment, unique within the taxonomy.
    pub slug: String,
    /// Every spelling seen in articles, most frequent first, with counts.
    pub spellings: Vec<(String, usize)>,
    /// The articles that mention it, newest first.
    pub articles: Vec<ArticleId>,
}

/// All terms of one kind, sorted by key (case- and spacing-insensitive name).
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The terms.
    pub terms: Vec<Term>,
    /// For each article, the terms it mentions, in front-matter order.
    pub by_article: Vec<Vec<TermId>>,
}

/// Articles of one month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Month {
    /// The articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// Articles of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Year {
    /// Its months (1-12) that have articles.
    pub months: BTreeMap<u32, Month>,
    /// Every article of the year, newest first.
    pub articles: Vec<ArticleId>,
}

/// Every index of the site.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// All articles, newest first (ties broken by path, so output is stable).
    pub newest_first: Vec<ArticleId>,
    /// Each article's position in `newest_first`.
    pub rank: Vec<usize>,
    /// People, countries and tags, in [`Kind::ALL`] order.
    pub taxonomies: [Taxonomy; 3],
    /// Years with articles.
    pub years: BTreeMap<i32, Year>,
}

impl Index {
    /// Builds every index from the articles' metadata, resolving people and
    /// countries through `entities`.
    pub fn build(articles: &[Article], entities: &Entities) -> Index {
        let mut newest_first: Vec<ArticleId> = (0..articles.len()).collect();
        newest_first.sort_by(|&a, &b| {
            let (a, b) = (&articles[a], &articles[b]);
            b.date.cmp(&a.date).then_with(|| a.rel.cmp(&b.rel))
        });
        let mut rank = vec![0; articles.len()];
        for (position, &id) in newest_first.iter().enumerate() {
            rank[id] = position;
        }
        let taxonomies =
            Kind::ALL.map(|kind| build_taxonomy(kind, articles, &newest_first, entities));
        let mut years: BTreeMap<i32, Year> = BTreeMap::new();
        for &id in &newest_first {
            let date = articles[id].date;
            let year = years.entry(date.year()).or_default();
            year.articles.push(id);
            year.months
                .entry(date.month())
                .or_default()
                .articles
                .push(id);
        }
        Index {
            newest_first,
            rank,
            taxonomies,
            years,
        }
    }

    /// The taxonomy of `kind`.
    pub fn taxonomy(&self, kind: Kind) -> &Taxonomy {
        &self.taxonomies[kind as usize]
    }

    /// The articles before (newer) and after (older) `id` in date order.
    pub fn neighbours(&self, id: ArticleId) -> (Option<ArticleId>, Option<ArticleId>) {
        let r = self.rank[id];
        let newer = r.checked_sub(1).map(|p| self.newest_first[p]);
        let older = self.newest_first.get(r + 1).copied();
        (newer, older)
    }
}

/// Groups the names of `kind` by identity, picks each term's display name
/// (the canonical name, else the most frequent spelling) and slug, and lists
/// its articles newest first. Each distinct spelling is resolved once.
fn build_taxonomy(
    kind: Kind,
    articles: &[Article],
    newest_first: &[ArticleId],
    entities: &Entities,
) -> Taxonomy {
    let mut identities: HashMap<&str, Identity> = HashMap::new();
    // key -> (canonical name, spelling -> count)
    let mut groups: BTreeMap<&str, (Option<&str>, HashMap<&str, usize>)> = BTreeMap::new();
    for article in articles {
        for name in kind.names(article) {
            identities
                .entry(name.as_str())
                .or_insert_with(|| entities.identify(kind, name));
        }
    }
    for article in articles {
        for name in kind.names(article) {
            let identity = &identities[name.as_str()];
            let group = groups.entry(identity.key.as_str()).or_default();
            group.0 = identity.canonical.as_deref();
            *group.1.entry(name).or_default() += 1;
        }
    }
    let names: Vec<String> = groups
        .values()
        .map(|(canonical, counts)| match canonical {
            Some(name) => name.to_string(),
            None => most_frequent(counts).to_string(),
        })
        .collect();
    let slugs = assign_unique(
        groups
            .keys()
            .zip(&names)
            .map(|(&key, name)| (key, slugify(name))),
    );
    let id_of: HashMap<&str, TermId> = groups.keys().enumerate().map(|(i, &k)| (k, i)).collect();
    let mut terms: Vec<Term> = names
        .into_iter()
        .zip(slugs)
        .zip(groups.iter())
        .map(|((name, slug), (&key, (_, counts)))| {
            let mut spellings: Vec<(String, usize)> =
                counts.iter().map(|(s, &n)| (s.to_string(), n)).collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Term {
                key: key.to_string(),
                name,
                slug,
                spellings,
                articles: Vec::new(),
            }
        })
        .collect();
    let by_article: Vec<Vec<TermId>> = articles
        .iter()
        .map(|a| {
            let mut ids: Vec<TermId> = Vec::with_capacity(kind.names(a).len());
            for n in kind.names(a) {
                let id = id_of[identities[n.as_str()].key.as_str()];
                // `UK` and `Britain` in one article are one mention.
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        })
        .collect();
    for &id in newest_first {
        for &term in &by_article[id] {
            terms[term].articles.push(id);
        }
    }
    Taxonomy { terms, by_article }
}

/// The most frequent spelling (ties: the first in sort order).
fn most_frequent<'a>(counts: &HashMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(name, _)| *name)
        .expect("a group has at least one spelling")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn article(rel: &str, date: &str, people: &[&str]) -> Article {
        let text = format!(
            "---\ntitle: {rel}\ndate: {date}\npeople: [{}]\n---\n",
            people.join(", ")
        );
        crate::content::parse_article(
            PathBuf::from(rel),
            rel.into(),
            text.as_bytes(),
            chrono_tz::UTC,
        )
        .unwrap()
    }

    #[test]
    fn terms_merge_spellings_and_sort_newest_first() {
        let articles = vec![
            article("a.md", "2026-01-01", &["Ann Lee"]),
            article("b.md", "2026-03-01", &["ann  lee", "Bo"]),
            article("c.md", "2026-02-01", &["Ann Lee"]),
        ];
        let index = Index::build(&articles, &Entities::builtin());
        let people = index.taxonomy(Kind::People);
        assert_eq!(people.terms.len(), 2);
        let ann = &people.terms[0];
        assert_eq!(ann.name, "Ann Lee");
        assert_eq!(ann.slug, "ann-lee");
        assert_eq!(ann.articles, vec![1, 2, 0]);
        assert_eq!(index.newest_first, vec![1, 2, 0]);
        assert_eq!(index.neighbours(2), (Some(1), Some(0)));
    }

    #[test]
    fn colliding_tag_slugs_stay_distinct() {
        let mut a = article("a.md", "2026-01-01", &[]);
        a.tags = vec!["C++".into(), "C#".into()];
        let index = Index::build(&[a], &Entities::builtin());
        let slugs: Vec<_> = index
            .taxonomy(Kind::Tags)
            .terms
            .iter()
            .map(|t| t.slug.clone())
            .collect();
        assert_eq!(slugs, vec!["c", "c-2"]);
    }

    #[test]
    fn years_and_months() {
        let articles = vec![
            article("a.md", "2025-12-01", &[]),
            article("b.md", "2026-01-05", &[]),
            article("c.md", "2026-01-02", &[]),
        ];
        let index = Index::build(&articles, &Entities::builtin());
        assert_eq!(index.years[&2026].months[&1].articles, vec![1, 2]);
        assert_eq!(index.years[&2025].articles, vec![0]);
    }
}

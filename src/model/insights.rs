//! What the index can tell about an entity or an article beyond its list of
//! articles: mentions per month, who is most often mentioned alongside, and
//! which articles are related. Each runs in time linear in the mentions it
//! looks at, never in the square of a term's article count.

use chrono::Datelike;

use crate::load::{Article, ArticleId};
use crate::model::{Index, Kind, TermId};

/// How many neighbours on each side of an article, in each of its people's
/// and countries' lists, are candidates for its related articles.
pub(crate) const RELATED_WINDOW: usize = 10;

/// Related articles shown on an article's page.
pub(crate) const RELATED_COUNT: usize = 5;

/// Articles mentioning a term in each month: `((year, month), count)`,
/// oldest first, only months with mentions.
pub(crate) fn mentions_per_month(
    articles: &[Article],
    ids: &[ArticleId],
) -> Vec<((i32, u32), usize)> {
    let mut counts: Vec<((i32, u32), usize)> = Vec::new();
    // `ids` is newest first: walk it backwards so months come oldest first.
    for &id in ids.iter().rev() {
        let d = articles[id].date;
        let month = (d.year(), d.month());
        match counts.last_mut() {
            Some((m, n)) if *m == month => *n += 1,
            _ => counts.push((month, 1)),
        }
    }
    counts
}

/// The terms of `kind` mentioned most often alongside `term` (of `of`),
/// with the number of shared articles: most first, then by term id; at
/// most `limit`. Linear in the mentions of the term's articles.
pub(crate) fn co_mentions(
    index: &Index,
    of: Kind,
    term: TermId,
    kind: Kind,
    limit: usize,
) -> Vec<(TermId, usize)> {
    let taxonomy = index.taxonomy(kind);
    // Every co-mentioned term once per shared article, sorted so that equal
    // terms sit together: counting runs is cheaper than hashing each one.
    let mut others: Vec<TermId> = index.taxonomy(of).terms[term]
        .articles
        .iter()
        .flat_map(|&id| taxonomy.by_article[id].iter().copied())
        .filter(|&other| of != kind || other != term)
        .collect();
    others.sort_unstable();
    let mut top: Vec<(TermId, usize)> = others
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .collect();
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(limit);
    top
}

/// The articles related to `id`: among the [`RELATED_WINDOW`] nearest
/// articles on each side in each of its people's and countries' lists,
/// those found in the most lists, then the most recent.
pub(crate) fn related(index: &Index, id: ArticleId) -> Vec<ArticleId> {
    let mut candidates = Vec::new();
    for (kind, term) in entity_terms(index, id) {
        candidates.extend(window(index, kind, term, id, RELATED_WINDOW));
    }
    candidates.retain(|&c| c != id);
    candidates.sort_unstable();
    let mut scored: Vec<(usize, ArticleId)> = Vec::new();
    for chunk in candidates.chunk_by(|a, b| a == b) {
        scored.push((chunk.len(), chunk[0]));
    }
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(index.rank[a.1].cmp(&index.rank[b.1])));
    scored
        .into_iter()
        .take(RELATED_COUNT)
        .map(|(_, a)| a)
        .collect()
}

/// The people and countries of an article.
pub(crate) fn entity_terms(
    index: &Index,
    id: ArticleId,
) -> impl Iterator<Item = (Kind, TermId)> + '_ {
    [Kind::People, Kind::Countries]
        .into_iter()
        .flat_map(move |kind| {
            index.taxonomy(kind).by_article[id]
                .iter()
                .map(move |&t| (kind, t))
        })
}

/// The articles within `radius` positions of `id` in a term's list.
pub(crate) fn window(
    index: &Index,
    kind: Kind,
    term: TermId,
    id: ArticleId,
    radius: usize,
) -> &[ArticleId] {
    let list = &index.taxonomy(kind).terms[term].articles;
    let rank = index.rank[id];
    let at = list.partition_point(|&a| index.rank[a] < rank);
    &list[at.saturating_sub(radius)..(at + radius + 1).min(list.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entities;
    use std::path::PathBuf;

    fn article(n: usize, date: &str, people: &[&str], countries: &[&str]) -> Article {
        let text = format!(
            "---\ntitle: A{n}\ndate: {date}\npeople: [{}]\ncountries: [{}]\n---\n",
            people.join(", "),
            countries.join(", ")
        );
        crate::load::parse_article(
            PathBuf::from(format!("a{n}.md")),
            format!("a{n}.md"),
            text.as_bytes(),
            chrono_tz::UTC,
        )
        .unwrap()
    }

    #[test]
    fn months_count_oldest_first() {
        let articles = vec![
            article(0, "2026-01-05", &["Ann"], &[]),
            article(1, "2026-01-20", &["Ann"], &[]),
            article(2, "2026-03-01", &["Ann"], &[]),
        ];
        let index = Index::build(&articles, &Entities::builtin());
        let ann = &index.taxonomy(Kind::People).terms[0];
        assert_eq!(
            mentions_per_month(&articles, &ann.articles),
            vec![((2026, 1), 2), ((2026, 3), 1)]
        );
    }

    /// Co-mention counts equal a brute-force count over all article pairs.
    #[test]
    fn co_mentions_match_brute_force() {
        let names = ["Ann", "Bo", "Cy", "Di", "Ed"];
        let countries = ["France", "Poland", "Italy"];
        let mut articles = Vec::new();
        let mut seed = 17u64;
        for n in 0..200 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let people: Vec<&str> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| seed >> (i + 20) & 1 == 1)
                .map(|(_, p)| *p)
                .collect();
            let cs: Vec<&str> = countries
                .iter()
                .enumerate()
                .filter(|(i, _)| seed >> (i + 40) & 1 == 1)
                .map(|(_, c)| *c)
                .collect();
            let day = 1 + (seed >> 50) % 28;
            articles.push(article(n, &format!("2025-02-{day:02}"), &people, &cs));
        }
        let index = Index::build(&articles, &Entities::builtin());
        let people = index.taxonomy(Kind::People);
        for (t, term) in people.terms.iter().enumerate() {
            for kind in [Kind::People, Kind::Countries] {
                let got = co_mentions(&index, Kind::People, t, kind, usize::MAX);
                for (other, count) in &got {
                    let other_name = &index.taxonomy(kind).terms[*other].name;
                    let brute = articles
                        .iter()
                        .filter(|a| {
                            a.people.iter().any(|n| *n == term.name)
                                && kind.names(a).iter().any(|n| n == other_name)
                        })
                        .count();
                    assert_eq!(*count, brute, "{} with {other_name}", term.name);
                }
                let listed: usize = got.len();
                let expected = index
                    .taxonomy(kind)
                    .terms
                    .iter()
                    .enumerate()
                    .filter(|(o, other)| {
                        !(kind == Kind::People && *o == t)
                            && articles.iter().any(|a| {
                                a.people.iter().any(|n| *n == term.name)
                                    && kind.names(a).iter().any(|n| *n == other.name)
                            })
                    })
                    .count();
                assert_eq!(listed, expected);
            }
        }
    }

    #[test]
    fn related_prefers_most_shared_then_recent() {
        let articles = vec![
            article(0, "2026-01-01", &["Ann", "Bo"], &["France"]),
            article(1, "2026-01-02", &["Ann", "Bo"], &["France"]),
            article(2, "2026-01-03", &["Ann"], &[]),
            article(3, "2026-01-04", &["Cy"], &[]),
            article(4, "2026-01-05", &["Bo"], &[]),
        ];
        let index = Index::build(&articles, &Entities::builtin());
        assert_eq!(related(&index, 0), vec![1, 4, 2]);
        assert!(related(&index, 3).is_empty());
    }
}

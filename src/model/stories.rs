//! Story threads: the articles that front matter's `story:` puts in one
//! running story, resolved by name the way people are (any spelling that
//! differs only in case, accents, spacing or punctuation is the same
//! story), each story's articles oldest first, the stories by their latest
//! article.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use super::people::name_key;
use crate::load::{Article, ArticleId};
use crate::slugs::{assign_unique, slugify};

/// A story's position in [`Stories::list`].
pub(crate) type StoryId = usize;

/// One story.
#[derive(Debug, Clone)]
pub(crate) struct Story {
    /// What its spellings share (see [`name_key`]).
    pub(crate) key: String,
    /// Its name as its first article writes it (so that the name, shown on
    /// every article of the story, changes only with that article).
    pub(crate) name: String,
    /// Its URL segment, unique among stories.
    pub(crate) slug: String,
    /// Its articles, oldest first.
    pub(crate) articles: Vec<ArticleId>,
}

/// Every story, and each article's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stories {
    /// The stories, the one with the latest article first.
    pub(crate) list: Vec<Story>,
    /// Each article's story.
    pub(crate) of_article: Vec<Option<StoryId>>,
    /// Each article's position in its story's articles.
    at: Vec<usize>,
}

impl Stories {
    /// The stories of `articles`, whose order newest first is `newest_first`.
    pub(crate) fn build<A: Borrow<Article>>(articles: &[A], newest_first: &[ArticleId]) -> Self {
        // key -> articles newest first
        let mut groups: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
        for &id in newest_first {
            if let Some(name) = articles[id].borrow().story.as_deref() {
                groups.entry(name_key(name)).or_default().push(id);
            }
        }
        let mut list: Vec<Story> = groups
            .into_iter()
            .map(|(key, mut ids)| {
                ids.reverse();
                let name = ids
                    .first()
                    .and_then(|&id| articles[id].borrow().story.clone())
                    .unwrap_or_default();
                Story {
                    key,
                    name,
                    slug: String::new(),
                    articles: ids,
                }
            })
            .collect();
        let slugs = assign_unique(list.iter().map(|s| (s.key.as_str(), slugify(&s.name))));
        for (story, slug) in list.iter_mut().zip(slugs) {
            story.slug = slug;
        }
        let rank: Vec<usize> = {
            let mut rank = vec![0; articles.len()];
            for (position, &id) in newest_first.iter().enumerate() {
                rank[id] = position;
            }
            rank
        };
        // The latest article first; ties by key.
        list.sort_by_key(|s| {
            (
                s.articles.last().map_or(usize::MAX, |&id| rank[id]),
                s.key.clone(),
            )
        });
        let mut of_article = vec![None; articles.len()];
        let mut at = vec![0; articles.len()];
        for (s, story) in list.iter().enumerate() {
            for (position, &id) in story.articles.iter().enumerate() {
                of_article[id] = Some(s);
                at[id] = position;
            }
        }
        Stories {
            list,
            of_article,
            at,
        }
    }

    /// The story a name written in front matter is (any spelling of it).
    pub(crate) fn resolve(&self, written: &str) -> Option<&Story> {
        let key = name_key(written);
        self.list.iter().find(|s| s.key == key)
    }

    /// The story whose key is `key`.
    pub(crate) fn find(&self, key: &str) -> Option<StoryId> {
        self.list.iter().position(|s| s.key == key)
    }

    /// The articles before and after `id` in its story.
    pub(crate) fn neighbours(&self, id: ArticleId) -> (Option<ArticleId>, Option<ArticleId>) {
        let Some(story) = self.of_article.get(id).copied().flatten() else {
            return (None, None);
        };
        let (ids, at) = (&self.list[story].articles, self.at[id]);
        (at.checked_sub(1).map(|i| ids[i]), ids.get(at + 1).copied())
    }
}

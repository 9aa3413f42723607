//! Story threads on the page: `/stories/` (the stories, the latest first,
//! each with its span and count), `/stories/<slug>/` (its articles oldest
//! first as a timeline, its span, the people and countries across it with
//! their counts, its feeds), a story's feeds, and the "This story" box of
//! an article in one (the articles before and after it in the story).

use std::collections::HashMap;

use serde::Serialize;

use super::context::PageContext;
use super::feeds::TERM_FEED_LENGTH;
use super::meta::{crumbs, Meta};
use super::paths::{story_path, term_path, STORIES_PATH};
use super::views::display_date;
use super::Renderer;
use crate::error::Diagnostic;
use crate::load::ArticleId;
use crate::model::{Kind, StoryId};

/// A story in a list or a box.
#[derive(Serialize)]
struct StoryView<'a> {
    name: &'a str,
    url: String,
    count: usize,
    /// `21 February 2026 to 4 March 2026` (one date for a one-day story).
    span: String,
}

/// The story an article is in, for its box and its JSON-LD.
#[derive(Debug, Serialize)]
pub(crate) struct StoryLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: String,
}

/// A person or country across a story, with its number of articles there.
#[derive(Serialize)]
struct Counted<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

impl Renderer<'_> {
    fn story_view(&self, s: StoryId) -> StoryView<'_> {
        let story = &self.index.stories.list[s];
        let date = |id: Option<&ArticleId>| id.map(|&i| display_date(&self.articles[i].date));
        let (first, last) = (date(story.articles.first()), date(story.articles.last()));
        let span = match (first, last) {
            (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
            (Some(a), _) => a,
            _ => String::new(),
        };
        StoryView {
            name: &story.name,
            url: self.config.permalink(&story_path(&story.slug)),
            count: story.articles.len(),
            span,
        }
    }

    /// The name and address of story `s`.
    pub(crate) fn story_link(&self, s: StoryId) -> StoryLink<'_> {
        let story = &self.index.stories.list[s];
        StoryLink {
            name: &story.name,
            url: self.config.permalink(&story_path(&story.slug)),
        }
    }

    /// A story's latest articles, newest first, for its feeds.
    pub(super) fn story_latest(&self, s: StoryId) -> (Vec<ArticleId>, usize) {
        let ids = &self.index.stories.list[s].articles;
        let latest: Vec<ArticleId> = ids.iter().rev().take(TERM_FEED_LENGTH).copied().collect();
        (latest, ids.len())
    }

    /// `/stories/`.
    pub(super) fn stories_context(&self, ctx: &mut PageContext, permalink: &str) {
        let list = &self.index.stories.list;
        ctx.shows(list.iter().flat_map(|s| s.articles.iter().copied()));
        let views: Vec<StoryView> = (0..list.len()).map(|s| self.story_view(s)).collect();
        ctx.insert("stories", &views);
        let description = format!(
            "The running stories of {}, the latest first.",
            self.config.title
        );
        let meta = Meta::website(
            self.config,
            "Stories",
            description,
            permalink,
            crumbs(self.config, &[]),
        );
        ctx.insert("meta", &meta);
    }

    /// `/stories/<slug>/`.
    pub(super) fn story_context(&self, ctx: &mut PageContext, s: StoryId, permalink: &str) {
        let story = &self.index.stories.list[s];
        let view = self.story_view(s);
        self.insert_cards(ctx, "articles", &story.articles);
        ctx.insert("people", &self.counted(Kind::People, &story.articles));
        ctx.insert("countries", &self.counted(Kind::Countries, &story.articles));
        let description = format!("{}: {} articles, {}.", story.name, view.count, view.span);
        let trail = crumbs(
            self.config,
            &[("Stories".to_string(), STORIES_PATH.to_string())],
        );
        let meta = Meta::website(self.config, &story.name, description, permalink, trail);
        ctx.insert("meta", &meta);
        ctx.insert("story", &view);
    }

    /// The people or countries of `ids`, the most frequent first.
    fn counted(&self, kind: Kind, ids: &[ArticleId]) -> Vec<Counted<'_>> {
        let taxonomy = self.index.taxonomy(kind);
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &id in ids {
            for &t in &taxonomy.by_article[id] {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut counted: Vec<Counted> = counts
            .into_iter()
            .map(|(t, count)| {
                let term = &taxonomy.terms[t];
                Counted {
                    name: &term.name,
                    url: self.config.permalink(&term_path(kind, &term.slug)),
                    count,
                }
            })
            .collect();
        counted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name)));
        counted
    }

    /// A story's Atom feed.
    pub(super) fn story_feed_context(
        &self,
        ctx: &mut PageContext,
        s: StoryId,
    ) -> Option<Diagnostic> {
        let story = &self.index.stories.list[s];
        let (latest, _) = self.story_latest(s);
        let page = story_path(&story.slug);
        let title = format!("{} · {}", story.name, self.config.title);
        self.insert_feed(ctx, &latest, title, &format!("{page}atom.xml"), &page)
    }

    /// The "This story" box of article `id`, when it is in one (its
    /// story's name and address are in the article's view).
    pub(super) fn story_box(&self, ctx: &mut PageContext, id: ArticleId) {
        let Some(s) = self.index.stories.of_article[id] else {
            return;
        };
        let story = &self.index.stories.list[s];
        // The name and the address are the first article's.
        ctx.shows(story.articles.first().copied());
        let (before, after) = self.index.stories.neighbours(id);
        self.insert_card(ctx, "story_previous", before);
        self.insert_card(ctx, "story_next", after);
    }
}

//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) beside each Atom
//! feed: the site's `/feed.json` and each person's and country's. The
//! document is made with serde_json (so it is valid JSON whatever a title
//! holds) and handed to the `feed.json` template whole.

use serde::Serialize;

use super::context::PageContext;
use super::feeds::{FEED_LENGTH, TERM_FEED_LENGTH};
use super::paths;
use super::views::{self, Card};
use super::Renderer;
use crate::load::ArticleId;
use crate::model::{Kind, TermId};

/// The feed document.
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: [Author<'a>; 1],
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

/// One article.
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    authors: [Author<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

/// Whose feed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FeedOf {
    /// The site's.
    Site,
    /// A person's or country's.
    Term(Kind, TermId),
    /// A story's.
    Story(crate::model::StoryId),
}

impl Renderer<'_> {
    /// A JSON Feed: the site's, a person's or country's, or a story's.
    pub(super) fn json_feed_context(&self, ctx: &mut PageContext, of: FeedOf) {
        let (ids, title, path, home) = match of {
            FeedOf::Story(s) => {
                let story = &self.index.stories.list[s];
                let (ids, _) = self.story_latest(s);
                let page = paths::story_path(&story.slug);
                (
                    ids,
                    format!("{} · {}", story.name, self.config.title),
                    format!("{page}feed.json"),
                    page,
                )
            }
            FeedOf::Site => {
                let n = self.index.newest_first.len().min(FEED_LENGTH);
                (
                    self.index.newest_first[..n].to_vec(),
                    self.config.title.clone(),
                    paths::JSON_FEED_PATH.to_string(),
                    "/".to_string(),
                )
            }
            FeedOf::Term(kind, t) => {
                let term = &self.index.taxonomy(kind).terms[t];
                let n = term.articles.len().min(TERM_FEED_LENGTH);
                (
                    term.articles[..n].to_vec(),
                    format!("{} · {}", term.name, self.config.title),
                    paths::term_json_feed_path(kind, &term.slug),
                    paths::term_path(kind, &term.slug),
                )
            }
        };
        ctx.shows(ids.iter().copied());
        let feed = JsonFeed {
            version: "https://jsonfeed.org/version/1.1",
            title,
            home_page_url: self.config.permalink(&home),
            feed_url: self.config.permalink(&path),
            description: &self.config.description,
            language: &self.config.language,
            authors: [Author {
                name: &self.config.title,
            }],
            items: ids.iter().map(|&id| self.json_item(id)).collect(),
        };
        // `<`, `>` and `&` only occur inside strings: written as escapes,
        // the same JSON holds no markup for a sniffing browser to run.
        let text = serde_json::to_string_pretty(&feed)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        ctx.insert("feed_json", &text);
    }

    fn json_item(&self, id: ArticleId) -> Item<'_> {
        let (card, a): (&Card, _) = (self.card(id), &self.articles[id]);
        let tags = views::term_links(self.config, self.index, Kind::Tags, id)
            .into_iter()
            .map(|t| t.name)
            .collect();
        Item {
            id: &card.url,
            url: &card.url,
            title: &a.title,
            content_html: format!("<p>{}</p>", escape(&a.summary)),
            summary: &a.summary,
            image: card.image.as_ref().map(|p| p.share.url.as_str()),
            date_published: &card.date,
            date_modified: card.updated.as_deref(),
            authors: [Author {
                name: a.source.as_deref().unwrap_or(&self.config.title),
            }],
            tags,
        }
    }
}

/// Text as HTML text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).unwrap_or_default();
    out
}

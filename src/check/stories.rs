//! Articles that probably belong to a running story but do not say so:
//! an article without `story:` that shares most of its people and
//! countries with a story and is dated within [`WINDOW_DAYS`] of one of
//! its articles gets a note with the line to add.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use super::key_position;
use crate::error::Diagnostic;
use crate::load::ArticleId;
use crate::model::{Kind, StoryId};
use crate::site::Site;

/// How near in time an article must be to one of the story's.
pub(crate) const WINDOW_DAYS: i64 = 3;

/// The people and countries of article `id`.
fn entities(site: &Site, id: ArticleId) -> HashSet<(Kind, usize)> {
    let index = site.index();
    [Kind::People, Kind::Countries]
        .into_iter()
        .flat_map(|kind| {
            index.taxonomy(kind).by_article[id]
                .iter()
                .map(move |&t| (kind, t))
        })
        .collect()
}

/// A note for each article that probably belongs to a story.
pub(super) fn story_suggestions(site: &Site) -> Vec<Diagnostic> {
    let index = site.index();
    let stories = &index.stories;
    if stories.list.is_empty() {
        return Vec::new();
    }
    let articles = site.articles();
    let story_entities: Vec<HashSet<(Kind, usize)>> = stories
        .list
        .iter()
        .map(|s| {
            s.articles
                .iter()
                .flat_map(|&id| entities(site, id))
                .collect()
        })
        .collect();
    // Every article of a story, by date, to find those near a date.
    let mut dated: Vec<(chrono::DateTime<chrono::FixedOffset>, StoryId)> = stories
        .list
        .iter()
        .enumerate()
        .flat_map(|(s, story)| story.articles.iter().map(move |&id| (articles[id].date, s)))
        .collect();
    dated.sort();
    let mut found = Vec::new();
    for (id, article) in articles.iter().enumerate() {
        if article.story.is_some() {
            continue;
        }
        let own = entities(site, id);
        if own.len() < 2 {
            continue;
        }
        let window = Duration::days(WINDOW_DAYS);
        let from = dated.partition_point(|(d, _)| *d < article.date - window);
        let near: HashSet<StoryId> = dated[from..]
            .iter()
            .take_while(|(d, _)| *d <= article.date + window)
            .map(|&(_, s)| s)
            .collect();
        let mut shared: HashMap<StoryId, usize> = HashMap::new();
        for s in near {
            shared.insert(s, own.intersection(&story_entities[s]).count());
        }
        // The most shared, then the story with the latest article.
        let best = shared
            .into_iter()
            .filter(|&(_, n)| n >= 2 && n * 2 > own.len())
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)));
        if let Some((s, n)) = best {
            let name = &stories.list[s].name;
            let text = std::fs::read_to_string(&article.file).unwrap_or_default();
            let (line, column) = key_position(&text, "title").unwrap_or((1, 1));
            let message = format!(
                "probably part of the story `{name}` (it shares {n} of its {} people and countries with it, within {WINDOW_DAYS} days of its articles): add `story: \"{}\"`",
                own.len(),
                name.replace('"', "\\\"")
            );
            found.push(Diagnostic::at(&article.file, line, column, message).note());
        }
    }
    found
}

//! `/corrections/`: the archive's own record of what it got wrong, every
//! correction of every article, newest first, each linking to its article.

use serde::Serialize;

use super::context::PageContext;
use super::meta::{crumbs, Meta};
use super::views::{display_date, rfc3339};
use super::Renderer;
use crate::load::ArticleId;

/// One line of the page.
#[derive(Serialize)]
struct Listed<'a> {
    date: String,
    date_display: String,
    text: &'a str,
    title: &'a str,
    url: &'a str,
}

impl Renderer<'_> {
    /// The corrections of every article, newest first.
    pub(super) fn corrections_context(&self, ctx: &mut PageContext, permalink: &str) {
        let mut all: Vec<(ArticleId, &crate::load::Correction)> = self
            .index
            .newest_first
            .iter()
            .flat_map(|&id| self.articles[id].corrections.iter().map(move |c| (id, c)))
            .collect();
        // Ties by the articles' order newest first, never by their ids,
        // which an unrelated article's rename shifts.
        let rank = &self.index.rank;
        all.sort_by(|a, b| b.1.date.cmp(&a.1.date).then(rank[a.0].cmp(&rank[b.0])));
        ctx.shows(all.iter().map(|(id, _)| *id));
        let listed: Vec<Listed> = all
            .iter()
            .map(|&(id, c)| {
                let card = self.card(id);
                Listed {
                    date: rfc3339(&c.date),
                    date_display: display_date(&c.date),
                    text: &c.text,
                    title: &self.articles[id].title,
                    url: &card.url,
                }
            })
            .collect();
        ctx.insert("corrections", &listed);
        let meta = Meta::website(
            self.config,
            "Corrections",
            format!(
                "Every correction made to the articles of {}, newest first.",
                self.config.title
            ),
            permalink,
            crumbs(self.config, &[]),
        );
        ctx.insert("meta", &meta);
    }
}

//! On this day: `/on-this-day/MM-DD/`, the articles of a calendar day
//! across the years (latest year first, a heading a year), with links to
//! the previous and next days that have articles; and the home page's box
//! of the build day's articles of earlier years (a small script on the
//! page puts the reader's own today in its place).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::context::PageContext;
use super::meta::{crumbs, Meta};
use super::paths::day_path;
use super::views::Paginator;
use super::Renderer;
use crate::load::ArticleId;

/// How many articles of earlier years the home page's box shows.
pub(crate) const BOX_LENGTH: usize = 8;

/// A day as the page names it, and its address.
#[derive(Serialize)]
struct DayLink {
    /// `21 February`.
    title: String,
    /// Absolute URL of its first page (empty when the day has none).
    url: String,
}

/// A year's run of the page's articles: `articles[from..to]`.
#[derive(Serialize)]
struct YearRun {
    year: i32,
    from: usize,
    to: usize,
}

/// One line of the home page's box.
#[derive(Serialize)]
struct BoxLine<'a> {
    year: i32,
    title: &'a str,
    url: &'a str,
}

/// `21 February` (named in a leap year, so 29 February has a name).
fn day_title((month, day): (u32, u32)) -> String {
    NaiveDate::from_ymd_opt(2000, month, day).map_or_else(
        || format!("{day:02}-{month:02}"),
        |d| d.format("%-d %B").to_string(),
    )
}

impl Renderer<'_> {
    fn day_link(&self, day: (u32, u32)) -> DayLink {
        DayLink {
            title: day_title(day),
            url: self.config.permalink(&day_path(day.0, day.1)),
        }
    }

    /// Page `n` of a day's articles.
    pub(super) fn day_context(
        &self,
        ctx: &mut PageContext,
        day: (u32, u32),
        n: usize,
        permalink: &str,
    ) {
        let empty = Vec::new();
        let ids: &[ArticleId] = self.index.days.get(&day).unwrap_or(&empty);
        let per = self.config.per_page;
        let start = ((n - 1) * per).min(ids.len());
        let shown = &ids[start..(start + per).min(ids.len())];
        let mut runs: Vec<YearRun> = Vec::new();
        for (i, &id) in shown.iter().enumerate() {
            let year = self.articles[id].date.year();
            match runs.last_mut() {
                Some(run) if run.year == year => run.to = i + 1,
                _ => runs.push(YearRun {
                    year,
                    from: i,
                    to: i + 1,
                }),
            }
        }
        self.insert_cards(ctx, "articles", shown);
        ctx.insert("year_runs", &runs);
        let base = day_path(day.0, day.1);
        ctx.insert(
            "paginator",
            &Paginator::new(self.config, &base, n, ids.len()),
        );
        let [previous, next] = self.index.day_neighbours(day);
        ctx.insert("day", &self.day_link(day));
        ctx.insert("previous_day", &previous.map(|d| self.day_link(d)));
        ctx.insert("next_day", &next.map(|d| self.day_link(d)));
        let title = format!("On this day: {}", day_title(day));
        let description = format!(
            "The articles of {} on {}, latest year first.",
            self.config.title,
            day_title(day)
        );
        let trail = crumbs(self.config, &[]);
        let meta = Meta::website(self.config, &title, description, permalink, trail);
        ctx.insert("meta", &meta);
    }

    /// The day the home page's box is about: the build clock's, in the
    /// site's time zone.
    pub(crate) fn box_day(&self) -> ((u32, u32), i32) {
        let local = self.now.with_timezone(&self.config.timezone);
        ((local.month(), local.day()), local.year())
    }

    /// The articles the home page's box shows.
    pub(crate) fn box_articles(&self) -> Vec<ArticleId> {
        let (day, year) = self.box_day();
        self.index.days.get(&day).map_or_else(Vec::new, |ids| {
            ids.iter()
                .copied()
                .filter(|&id| self.articles[id].date.year() < year)
                .take(BOX_LENGTH)
                .collect()
        })
    }

    /// `on_this_day` for the home page's first page.
    pub(super) fn on_this_day_box(&self, ctx: &mut PageContext) {
        let (day, _) = self.box_day();
        let ids = self.box_articles();
        ctx.shows(ids.iter().copied());
        let lines: Vec<BoxLine> = ids
            .iter()
            .map(|&id| {
                let card = self.card(id);
                BoxLine {
                    year: self.articles[id].date.year(),
                    title: &self.articles[id].title,
                    url: &card.url,
                }
            })
            .collect();
        let mut link = self.day_link(day);
        if !self.index.days.contains_key(&day) {
            // No article on that day in any year: no page to link to.
            link.url = String::new();
        }
        ctx.insert("on_this_day", &link);
        ctx.insert("on_this_day_key", &format!("{:02}-{:02}", day.0, day.1));
        ctx.insert("on_this_day_articles", &lines);
    }
}

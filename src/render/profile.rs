//! The header of a person's or country's page: who or what it is (role,
//! country, description, flag, other spellings), how often and when it was
//! mentioned (with the timeline), and who is mentioned alongside it.

use serde::Serialize;

use super::paths::{term_feed_path, term_path};
use super::photo::PhotoView;
use super::timeline::chart_start;
use super::views::{display_date, month_name, rfc3339, TermLink};
use crate::load::Config;
use crate::load::{Article, ArticleId};
use crate::model::Entities;
use crate::model::{co_mentions, mentions_per_month};
use crate::model::{Index, Kind, TermId};

/// How many co-mentioned people and countries a page lists.
pub(crate) const CO_MENTIONS: usize = 10;

/// Everything known about a person or country, for the first page of its list.
#[derive(Debug, Serialize)]
pub(crate) struct Profile {
    /// `people` or `countries`.
    pub(crate) kind: &'static str,
    /// The canonical name.
    pub(crate) name: String,
    /// The flag emoji (countries).
    pub(crate) flag: Option<String>,
    /// The ISO 3166-1 alpha-2 code (countries).
    pub(crate) code: Option<String>,
    /// The role, from data/people.yaml.
    pub(crate) role: Option<String>,
    /// The person's country, linked when it has a page.
    pub(crate) country: Option<TermLink>,
    /// A description, from data/people.yaml.
    pub(crate) description: Option<String>,
    /// Other spellings seen in articles and declared aliases.
    pub(crate) also_written_as: Vec<String>,
    /// Articles mentioning it.
    pub(crate) count: usize,
    /// The oldest mention: RFC 3339 and human dates.
    pub(crate) first_mention: Option<(String, String)>,
    /// The newest mention.
    pub(crate) last_mention: Option<(String, String)>,
    /// The timeline as inline SVG (print with `| safe`).
    pub(crate) timeline_svg: String,
    /// The chart's first month (`January 2025`), for its axis: a year
    /// before the last mention when the history is shorter.
    pub(crate) timeline_from: String,
    /// The chart's last month.
    pub(crate) timeline_to: String,
    /// The same figures for the table fallback: months with mentions.
    pub(crate) timeline: Vec<MonthCount>,
    /// People most often mentioned alongside, with shared article counts.
    pub(crate) with_people: Vec<CoMention>,
    /// Countries most often mentioned alongside.
    pub(crate) with_countries: Vec<CoMention>,
    /// Its Atom feed.
    pub(crate) feed_url: String,
    /// The person's portrait, from data/people.yaml.
    pub(crate) portrait: Option<PhotoView>,
}

/// Mentions in one month.
#[derive(Debug, Serialize)]
pub(crate) struct MonthCount {
    /// `2026-02`.
    pub(crate) month: String,
    /// `February 2026`.
    pub(crate) name: String,
    /// Articles that month.
    pub(crate) count: usize,
}

/// A term mentioned alongside, with the number of shared articles.
#[derive(Debug, Serialize)]
pub(crate) struct CoMention {
    /// Its name.
    pub(crate) name: String,
    /// Its page.
    pub(crate) url: String,
    /// Shared articles.
    pub(crate) count: usize,
}

/// The articles a profile is built from: the term's own (counts, first and
/// last mention, timeline, co-mentions) and, for a person whose data entry
/// names a country, that country's (its page is linked while it has any).
pub(crate) fn shown<'i>(
    index: &'i Index,
    entities: &Entities,
    kind: Kind,
    t: TermId,
) -> impl Iterator<Item = ArticleId> + 'i {
    let term = &index.taxonomy(kind).terms[t];
    let country = match kind {
        Kind::People => person_country(index, entities, &term.name),
        _ => None,
    };
    let country_articles = country.map_or(&[][..], |c| {
        &index.taxonomy(Kind::Countries).terms[c].articles[..]
    });
    term.articles.iter().chain(country_articles).copied()
}

/// The country term of a person's data entry, while it has articles.
fn person_country(index: &Index, entities: &Entities, name: &str) -> Option<TermId> {
    let entry = entities.people.entry(entities.people.resolve(name)?);
    let key = entities
        .identify(Kind::Countries, entry.country.as_ref()?)
        .key;
    let terms = &index.taxonomy(Kind::Countries).terms;
    terms.binary_search_by(|t| t.key.as_str().cmp(&key)).ok()
}

/// Builds the profile of term `t` of `kind` (people or countries).
pub(crate) fn build(
    config: &Config,
    articles: &[Article],
    index: &Index,
    entities: &Entities,
    kind: Kind,
    t: TermId,
) -> Profile {
    let term = &index.taxonomy(kind).terms[t];
    let months = mentions_per_month(articles, &term.articles);
    let mention = |id: Option<&usize>| {
        id.map(|&i| (rfc3339(&articles[i].date), display_date(&articles[i].date)))
    };
    let co = |other: Kind| -> Vec<CoMention> {
        co_mentions(index, kind, t, other, CO_MENTIONS)
            .into_iter()
            .map(|(o, count)| {
                let term = &index.taxonomy(other).terms[o];
                CoMention {
                    name: term.name.clone(),
                    url: config.permalink(&term_path(other, &term.slug)),
                    count,
                }
            })
            .collect()
    };
    let mut profile = Profile {
        kind: kind.key(),
        name: term.name.clone(),
        flag: None,
        code: None,
        role: None,
        country: None,
        description: None,
        also_written_as: term
            .spellings
            .iter()
            .map(|(s, _)| s.clone())
            .filter(|s| *s != term.name)
            .collect(),
        count: term.articles.len(),
        first_mention: mention(term.articles.last()),
        last_mention: mention(term.articles.first()),
        timeline_svg: super::timeline::svg(&term.name, &months),
        timeline_from: match (months.first(), months.last()) {
            (Some(&(first, _)), Some(&(last, _))) => month_label(chart_start(first, last)),
            _ => String::new(),
        },
        timeline_to: months
            .last()
            .map(|&(m, _)| month_label(m))
            .unwrap_or_default(),
        timeline: months
            .iter()
            .map(|&((y, m), count)| MonthCount {
                month: format!("{y:04}-{m:02}"),
                name: format!("{} {y}", month_name(m)),
                count,
            })
            .collect(),
        with_people: co(Kind::People),
        with_countries: co(Kind::Countries),
        feed_url: config.permalink(&term_feed_path(kind, &term.slug)),
        portrait: None,
    };
    match kind {
        Kind::Countries => {
            if let Some(country) = entities.countries.lookup(&term.name) {
                profile.flag = Some(country.flag()).filter(|f| !f.is_empty());
                profile.code = Some(country.code.clone()).filter(|c| !c.is_empty());
            }
        }
        Kind::People => add_person_details(&mut profile, config, index, entities, &term.name),
        Kind::Tags => {}
    }
    profile
}

/// `February 2026`, for a month of the timeline.
fn month_label((y, m): (i32, u32)) -> String {
    format!("{} {y}", month_name(m))
}

/// Role, country, description and portrait from data/people.yaml, when
/// the person has an entry.
fn add_person_details(
    profile: &mut Profile,
    config: &Config,
    index: &Index,
    entities: &Entities,
    name: &str,
) {
    let Some(id) = entities.people.resolve(name) else {
        return;
    };
    let entry = entities.people.entry(id);
    profile.role = entry.role.clone();
    profile.description = entry.description.clone();
    profile.portrait = entry.image.as_ref().and_then(|p| PhotoView::of(config, p));
    for alias in &entry.aliases {
        if !profile.also_written_as.contains(alias) && *alias != profile.name {
            profile.also_written_as.push(alias.clone());
        }
    }
    profile.country = entry.country.as_ref().map(|country| {
        let terms = &index.taxonomy(Kind::Countries).terms;
        let url = person_country(index, entities, name)
            .map(|i| config.permalink(&term_path(Kind::Countries, &terms[i].slug)))
            .unwrap_or_default();
        TermLink {
            name: country.clone(),
            url,
            role: None,
        }
    });
}

//! The header of a person's or country's page: who or what it is (role,
//! country, description, flag, other spellings), how often and when it was
//! mentioned (with the timeline), and who is mentioned alongside it.

use serde::Serialize;

use crate::config::Config;
use crate::content::Article;
use crate::entities::Entities;
use crate::index::{Index, Kind, TermId};
use crate::insights::{co_mentions, mentions_per_month};
use crate::views::{display_date, month_name, rfc3339, term_path, TermLink};

/// How many co-mentioned people and countries a page lists.
pub const CO_MENTIONS: usize = 10;

/// Everything known about a person or country, for the first page of its list.
#[derive(Debug, Serialize)]
pub struct Profile {
    /// `people` or `countries`.
    pub kind: &'static str,
    /// The canonical name.
    pub name: String,
    /// The flag emoji (countries).
    pub flag: Option<String>,
    /// The ISO 3166-1 alpha-2 code (countries).
    pub code: Option<String>,
    /// The role, from data/people.yaml.
    pub role: Option<String>,
    /// The person's country, linked when it has a page.
    pub country: Option<TermLink>,
    /// A description, from data/people.yaml.
    pub description: Option<String>,
    /// Other spellings seen in articles and declared aliases.
    pub also_written_as: Vec<String>,
    /// Articles mentioning it.
    pub count: usize,
    /// The oldest mention: RFC 3339 and human dates.
    pub first_mention: Option<(String, String)>,
    /// The newest mention.
    pub last_mention: Option<(String, String)>,
    /// The timeline as inline SVG (print with `| safe`).
    pub timeline_svg: String,
    /// The same figures for the table fallback: months with mentions.
    pub timeline: Vec<MonthCount>,
    /// People most often mentioned alongside, with shared article counts.
    pub with_people: Vec<CoMention>,
    /// Countries most often mentioned alongside.
    pub with_countries: Vec<CoMention>,
    /// Its Atom feed.
    pub feed_url: String,
}

/// Mentions in one month.
#[derive(Debug, Serialize)]
pub struct MonthCount {
    /// `2026-02`.
    pub month: String,
    /// `February 2026`.
    pub name: String,
    /// Articles that month.
    pub count: usize,
}

/// A term mentioned alongside, with the number of shared articles.
#[derive(Debug, Serialize)]
pub struct CoMention {
    /// Its name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Shared articles.
    pub count: usize,
}

/// The site path of a term's feed.
pub fn feed_path(kind: Kind, slug: &str) -> String {
    format!("{}atom.xml", term_path(kind, slug))
}

/// Builds the profile of term `t` of `kind` (people or countries).
pub fn build(
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
        timeline_svg: crate::timeline::svg(&term.name, &months),
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
        feed_url: config.permalink(&feed_path(kind, &term.slug)),
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

/// Role, country and description from data/people.yaml, when the person
/// has an entry.
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
    for alias in &entry.aliases {
        if !profile.also_written_as.contains(alias) && *alias != profile.name {
            profile.also_written_as.push(alias.clone());
        }
    }
    profile.country = entry.country.as_ref().map(|country| {
        let key = entities.identify(Kind::Countries, country).key;
        let terms = &index.taxonomy(Kind::Countries).terms;
        let url = terms
            .binary_search_by(|t| t.key.as_str().cmp(&key))
            .map(|i| config.permalink(&term_path(Kind::Countries, &terms[i].slug)))
            .unwrap_or_default();
        TermLink {
            name: country.clone(),
            url,
        }
    });
}

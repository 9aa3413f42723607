//! Who and where a wire story is about, with the words that say so: the
//! people and countries the site already knows (every spelling, through
//! check's name scanner), people introduced by a title as wire copy writes
//! them (`French President Emmanuel Macron`, `NATO Secretary General Mark
//! Rutte`), and countries by name, possessive, code (`U.S.`) or demonym
//! (`French`). Nothing is guessed silently: each finding carries its
//! evidence, for the editor to confirm.

use crate::check::NameScanner;
use crate::model::{Entities, Index, Kind};

/// A person or country found, and the words that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// People or countries.
    pub(crate) kind: Kind,
    /// The name to write (the canonical one when the site knows it).
    pub(crate) name: String,
    /// The words that produced it, in text order, distinct.
    pub(crate) evidence: Vec<String>,
    /// For a person the site does not know: the role and country their
    /// title gave, as a data/people.yaml entry would hold them.
    pub(crate) suggestion: Option<(String, Option<String>)>,
}

/// Titles that introduce a person, longest first where one holds another.
const TITLES: &[&str] = &[
    "Minister of Foreign Affairs",
    "Secretary of State",
    "Secretary General",
    "Secretary-General",
    "Interim President",
    "Vice President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Defense Minister",
    "Finance Minister",
    "Interior Minister",
    "Economy Minister",
    "Health Minister",
    "High Representative",
    "Chancellor",
    "President",
    "Commissioner",
    "Ambassador",
    "Spokesperson",
    "Spokesman",
    "King",
    "Queen",
    "Pope",
    "Mayor",
    "Governor",
    "Senator",
];

/// Words that may sit inside a name in lower case.
const PARTICLES: &[&str] = &[
    "von", "der", "van", "de", "da", "di", "du", "la", "le", "al", "bin", "dos", "das", "del",
];

/// Demonyms as wire copy uses them, and their country.
const DEMONYMS: &[(&str, &str)] = &[
    ("French", "France"),
    ("German", "Germany"),
    ("British", "United Kingdom"),
    ("Ukrainian", "Ukraine"),
    ("Russian", "Russia"),
    ("Polish", "Poland"),
    ("Italian", "Italy"),
    ("Spanish", "Spain"),
    ("Dutch", "Netherlands"),
    ("Belgian", "Belgium"),
    ("Swedish", "Sweden"),
    ("Finnish", "Finland"),
    ("Danish", "Denmark"),
    ("Norwegian", "Norway"),
    ("Czech", "Czechia"),
    ("Romanian", "Romania"),
    ("Hungarian", "Hungary"),
    ("Greek", "Greece"),
    ("Turkish", "Türkiye"),
    ("American", "United States"),
    ("Canadian", "Canada"),
    ("Chinese", "China"),
    ("Japanese", "Japan"),
    ("Indian", "India"),
    ("Israeli", "Israel"),
    ("Iranian", "Iran"),
    ("Syrian", "Syria"),
    ("Lebanese", "Lebanon"),
    ("Egyptian", "Egypt"),
    ("Saudi", "Saudi Arabia"),
    ("Irish", "Ireland"),
    ("Portuguese", "Portugal"),
    ("Austrian", "Austria"),
    ("Swiss", "Switzerland"),
    ("Estonian", "Estonia"),
    ("Latvian", "Latvia"),
    ("Lithuanian", "Lithuania"),
    ("Slovak", "Slovakia"),
    ("Bulgarian", "Bulgaria"),
    ("Croatian", "Croatia"),
    ("Serbian", "Serbia"),
    ("Georgian", "Georgia"),
    ("Moldovan", "Moldova"),
    ("Belarusian", "Belarus"),
    ("Australian", "Australia"),
    ("Brazilian", "Brazil"),
    ("Mexican", "Mexico"),
    ("South Korean", "South Korea"),
    ("North Korean", "North Korea"),
    ("Palestinian", "Palestine"),
    ("Qatari", "Qatar"),
];

/// Country codes written in capitals that mean a country in wire copy.
const CODES: &[(&str, &str)] = &[
    ("U.S.", "United States"),
    ("US", "United States"),
    ("U.K.", "United Kingdom"),
    ("UK", "United Kingdom"),
    ("UAE", "United Arab Emirates"),
];

/// Collects findings, merging evidence by name.
#[derive(Default)]
struct Found {
    all: Vec<Finding>,
}

impl Found {
    fn add(&mut self, kind: Kind, name: &str, evidence: String) -> &mut Finding {
        let at = match self
            .all
            .iter()
            .position(|f| f.kind == kind && f.name == name)
        {
            Some(i) => i,
            None => {
                self.all.push(Finding {
                    kind,
                    name: name.to_string(),
                    evidence: Vec::new(),
                    suggestion: None,
                });
                self.all.len() - 1
            }
        };
        let finding = &mut self.all[at];
        if !finding.evidence.contains(&evidence) {
            finding.evidence.push(evidence);
        }
        finding
    }
}

/// The people and countries of `paragraphs` (the title first), each with
/// its evidence, people first, in the order they were found.
pub(crate) fn find(paragraphs: &[String], entities: &Entities, index: &Index) -> Vec<Finding> {
    let scanner = NameScanner::new(entities, index);
    let mut found = Found::default();
    for text in paragraphs {
        titled_people(text, entities, &mut found);
        for m in scanner.missing(text, &[]) {
            found.add(m.kind, &m.name, format!("`{}`", m.written));
        }
        for (word, country) in words_meaning_countries(text) {
            let name = entities
                .countries
                .lookup(country)
                .map_or(country.to_string(), |c| c.name.clone());
            found.add(Kind::Countries, &name, format!("`{word}`"));
        }
    }
    let mut all = found.all;
    all.sort_by_key(|f| f.kind != Kind::People);
    all
}

/// Demonyms and codes in `text`, as written.
fn words_meaning_countries(text: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, raw) in words.iter().enumerate() {
        let word =
            raw.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '“' | '”' | '"'));
        let stem = word.trim_end_matches("'s").trim_end_matches("’s");
        let stem = if stem == "U.S" || stem == "U.K" {
            word
        } else {
            stem.trim_end_matches('.')
        };
        if let Some((_, c)) = CODES.iter().find(|(code, _)| *code == stem) {
            out.push((stem.to_string(), *c));
        }
        let two = words
            .get(i + 1)
            .map(|n| format!("{word} {}", n.trim_matches(|c: char| !c.is_alphabetic())));
        if let Some((d, c)) = DEMONYMS.iter().find(|(d, _)| Some(d.to_string()) == two) {
            out.push((d.to_string(), *c));
        } else if let Some((d, c)) = DEMONYMS.iter().find(|(d, _)| *d == stem) {
            out.push((d.to_string(), *c));
        }
    }
    out
}

/// People introduced by a title: `[qualifier] Title Firstname Lastname`.
fn titled_people(text: &str, entities: &Entities, found: &mut Found) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let Some((title, len)) = title_at(&words, i) else {
            i += 1;
            continue;
        };
        let Some((name, used)) = name_at(&words, i + len) else {
            i += len;
            continue;
        };
        let (qualifier, country) = qualifier_before(&words, i, entities);
        let shown = [qualifier.as_str(), title, &name]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let known = entities
            .people
            .resolve(&name)
            .map(|id| entities.people.entry(id).name.clone());
        let finding = found.add(
            Kind::People,
            known.as_deref().unwrap_or(&name),
            format!("`{shown}`"),
        );
        if known.is_none() && finding.suggestion.is_none() {
            let role = match (&country, qualifier.is_empty()) {
                (Some(c), _) => format!("{title} of {c}"),
                (None, false) => format!("{qualifier} {title}"),
                (None, true) => title.to_string(),
            };
            finding.suggestion = Some((role, country.clone()));
        }
        if let Some(c) = &country {
            found.add(Kind::Countries, c, format!("`{qualifier}`"));
        }
        i += len + used;
    }
}

/// The title starting at word `i`, and how many words it takes.
fn title_at<'a>(words: &[&str], i: usize) -> Option<(&'a str, usize)> {
    TITLES.iter().find_map(|title| {
        let parts: Vec<&str> = title.split(' ').collect();
        let here = words.get(i..i + parts.len())?;
        let same = here.iter().zip(&parts).all(|(w, p)| w == p);
        same.then_some((*title, parts.len()))
    })
}

/// A name of two to four capitalised words (particles allowed inside)
/// starting at word `i`, and how many words it takes; trailing punctuation
/// and a possessive are not part of it.
fn name_at(words: &[&str], i: usize) -> Option<(String, usize)> {
    let mut name: Vec<String> = Vec::new();
    let mut used = 0;
    for word in words.iter().skip(i).take(5) {
        let clean = word.trim_end_matches([',', '.', ';', ':', '”', '"', ')']);
        let clean = clean.trim_end_matches("'s").trim_end_matches("’s");
        let capital = clean.chars().next().is_some_and(char::is_uppercase)
            && clean.chars().skip(1).any(char::is_lowercase);
        if !(capital || PARTICLES.contains(&clean) && !name.is_empty()) {
            break;
        }
        name.push(clean.to_string());
        used += 1;
        if clean.len() != word.len() {
            break; // punctuation or a possessive ends the name
        }
    }
    while name.last().is_some_and(|w| PARTICLES.contains(&w.as_str())) {
        name.pop();
        used -= 1;
    }
    (name.len() >= 2).then(|| (name.join(" "), used))
}

/// What qualifies a title just before it: a country (`French`, `Britain's`,
/// `U.S.`) or a body (`NATO`, `European Commission`), and the country.
fn qualifier_before(words: &[&str], i: usize, entities: &Entities) -> (String, Option<String>) {
    let Some(prev) = i.checked_sub(1).map(|p| words[p]) else {
        return (String::new(), None);
    };
    let stem = prev.trim_end_matches("'s").trim_end_matches("’s");
    let country = CODES
        .iter()
        .chain(DEMONYMS)
        .find(|(w, _)| *w == stem)
        .map(|(_, c)| c.to_string())
        .or_else(|| {
            (stem != prev)
                .then(|| entities.countries.lookup(stem).map(|c| c.name.clone()))
                .flatten()
        })
        .map(|c| entities.countries.lookup(&c).map_or(c, |k| k.name.clone()));
    if country.is_some() {
        return (prev.to_string(), country);
    }
    // A body named in capitals just before: `NATO`, `European Commission`.
    let mut start = i;
    while start > 0 && i - start < 3 {
        let w = words[start - 1];
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        if !capital || w == "The" || w.ends_with([',', '.', ':', ';']) {
            break;
        }
        start -= 1;
    }
    (words[start..i].join(" "), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stop_at_punctuation_and_lower_case() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let words = w("Ursula von der Leyen said");
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(
            name_at(&refs, 0),
            Some(("Ursula von der Leyen".to_string(), 4))
        );
        let words = w("Keir Starmer, Emmanuel Macron");
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(name_at(&refs, 0), Some(("Keir Starmer".to_string(), 2)));
        let words = w("Macron's plan");
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(name_at(&refs, 0), None);
    }
}

//! Known people and countries named in an article's text but missing from
//! its front matter. One Aho-Corasick automaton over every known spelling is
//! built once per site; each body is then scanned in a single pass.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::load::ArticleId;
use crate::model::Entities;
use crate::model::{Index, Kind};

/// Country spellings shorter than this are not looked for in text: codes
/// and abbreviations (`UK`, `US`, `UAE`) are too often something else.
pub(crate) const MIN_COUNTRY_CHARS: usize = 4;

/// Country names that are as often a person's first name in news copy.
const AMBIGUOUS_COUNTRIES: &[&str] = &["Chad", "Jordan"];

/// Phrases holding a country's name that are not about that country. They
/// are matched like names (the longest match wins) and then ignored.
const NOT_COUNTRIES: &[&str] = &["Northern Ireland", "New Mexico", "New Jersey"];

/// A known entity the scanner looks for.
#[derive(Debug, Clone)]
struct Target {
    kind: Kind,
    /// The name shown in messages (canonical when known).
    name: String,
}

/// A known person or country found in a body and absent from the
/// article's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Byte offset of the first occurrence in the body.
    pub(crate) offset: usize,
    /// People or countries.
    pub(crate) kind: Kind,
    /// The spelling found in the text.
    pub(crate) written: String,
    /// The entity's name (canonical when known).
    pub(crate) name: String,
}

/// The automaton of every known spelling, and who each one is.
pub(crate) struct NameScanner {
    automaton: AhoCorasick,
    /// Per pattern, its target (`None` for a phrase to ignore).
    pattern_target: Vec<Option<usize>>,
    targets: Vec<Target>,
    by_identity: HashMap<(Kind, String), usize>,
}

impl NameScanner {
    /// Collects the known spellings: every country name and alias of at
    /// least [`MIN_COUNTRY_CHARS`] characters, and every person of
    /// data/people.yaml or of an article's front matter (names, aliases and
    /// spellings of at least two words).
    pub(crate) fn new(entities: &Entities, index: &Index) -> NameScanner {
        let mut builder = Builder::default();
        for country in entities.countries.countries() {
            let key = entities.identify(Kind::Countries, &country.name).key;
            let target = builder.target(Kind::Countries, key, &country.name);
            for spelling in std::iter::once(&country.name).chain(&country.aliases) {
                if spelling.chars().count() >= MIN_COUNTRY_CHARS
                    && !AMBIGUOUS_COUNTRIES.contains(&spelling.as_str())
                {
                    builder.pattern(spelling, Some(target));
                }
            }
        }
        for phrase in NOT_COUNTRIES {
            builder.pattern(phrase, None);
        }
        for person in entities.people.entries() {
            let key = entities.identify(Kind::People, &person.name).key;
            let target = builder.target(Kind::People, key, &person.name);
            for spelling in std::iter::once(&person.name).chain(&person.aliases) {
                builder.person(spelling, target);
            }
        }
        for term in &index.taxonomy(Kind::People).terms {
            let target = builder.target(Kind::People, term.key.clone(), &term.name);
            builder.person(&term.name, target);
            for (spelling, _) in &term.spellings {
                builder.person(spelling, target);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&builder.patterns)
            .expect("name patterns are few and short enough for an automaton");
        NameScanner {
            automaton,
            pattern_target: builder.pattern_target,
            targets: builder.targets,
            by_identity: builder.by_identity,
        }
    }

    /// The targets an article's front matter names, from the index.
    pub(crate) fn present(&self, index: &Index, id: ArticleId) -> Vec<usize> {
        let mut present = Vec::new();
        for kind in [Kind::People, Kind::Countries] {
            let taxonomy = index.taxonomy(kind);
            for &term in &taxonomy.by_article[id] {
                let key = (kind, taxonomy.terms[term].key.clone());
                present.extend(self.by_identity.get(&key).copied());
            }
        }
        present
    }

    /// The first occurrence in `body` of each known entity not in
    /// `present`, in text order. One pass over the body: a match that is
    /// not a whole word is retried one character further on.
    pub(crate) fn missing(&self, body: &str, present: &[usize]) -> Vec<Mention> {
        let mut found = Vec::new();
        let mut reported: Vec<usize> = Vec::new();
        let mut pos = 0;
        while pos < body.len() {
            let Some(m) = self.automaton.find(Input::new(body).span(pos..body.len())) else {
                break;
            };
            if !whole_word(body, m.start(), m.end()) {
                pos = m.start() + body[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            pos = m.end();
            let Some(t) = self.pattern_target[m.pattern().as_usize()] else {
                continue;
            };
            if present.contains(&t) || reported.contains(&t) {
                continue;
            }
            reported.push(t);
            let target = &self.targets[t];
            found.push(Mention {
                offset: m.start(),
                kind: target.kind,
                written: body[m.start()..m.end()].to_string(),
                name: target.name.clone(),
            });
        }
        found
    }
}

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    pattern_target: Vec<Option<usize>>,
    seen: HashMap<String, usize>,
    targets: Vec<Target>,
    by_identity: HashMap<(Kind, String), usize>,
}

impl Builder {
    fn target(&mut self, kind: Kind, key: String, name: &str) -> usize {
        let next = self.targets.len();
        let id = *self.by_identity.entry((kind, key)).or_insert(next);
        if id == next {
            self.targets.push(Target {
                kind,
                name: name.to_string(),
            });
        }
        id
    }

    /// Adds a spelling; the first entity to claim it keeps it.
    fn pattern(&mut self, spelling: &str, target: Option<usize>) {
        let spelling = spelling.trim();
        if spelling.is_empty() || self.seen.contains_key(spelling) {
            return;
        }
        self.seen.insert(spelling.to_string(), self.patterns.len());
        self.patterns.push(spelling.to_string());
        self.pattern_target.push(target);
    }

    /// Only full names: one word (`Macron`, `Lula`) is too often something else.
    fn person(&mut self, spelling: &str, target: usize) {
        if spelling.split_whitespace().count() >= 2 {
            self.pattern(spelling, Some(target));
        }
    }
}

/// True when `text[start..end]` is not part of a longer word: a letter or
/// digit at either end of the match must not touch another one.
pub(crate) fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let open = !alnum(matched.chars().next()) || !alnum(text[..start].chars().next_back());
    let close = !alnum(matched.chars().next_back()) || !alnum(text[end..].chars().next());
    open && close
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_article;
    use std::path::PathBuf;

    fn scanner(front: &[&str]) -> (NameScanner, Index) {
        let articles: Vec<_> = front
            .iter()
            .enumerate()
            .map(|(i, fm)| {
                let text = format!("---\ntitle: T\ndate: 2026-01-01\n{fm}\n---\n");
                let rel = format!("{i}.md");
                parse_article(PathBuf::from(&rel), rel, text.as_bytes(), chrono_tz::UTC).unwrap()
            })
            .collect();
        let entities = Entities::builtin();
        let index = Index::build(&articles, &entities);
        (NameScanner::new(&entities, &index), index)
    }

    fn written(found: &[Mention]) -> Vec<&str> {
        found.iter().map(|m| m.written.as_str()).collect()
    }

    #[test]
    fn whole_words_only() {
        assert!(whole_word("in France.", 3, 9));
        assert!(!whole_word("Frances", 0, 6));
        assert!(!whole_word("XFrance", 1, 7));
        assert!(whole_word("the U.K.'s", 4, 8));
        assert!(whole_word("é France", 3, 9));
        assert!(!whole_word("éFrance", 2, 8));
    }

    #[test]
    fn finds_known_names_missing_from_front_matter() {
        let (s, index) = scanner(&[
            "people: [Emmanuel Macron, Keir Starmer]\ncountries: [France]",
            "people: [Keir Starmer]",
        ]);
        let body = "Keir Starmer met Emmanuel Macron in France, then Britain; \
                    Emmanuel Macron again. Frances, france, UK, Macron and Northern Ireland.";
        let found = s.missing(body, &s.present(&index, 1));
        assert_eq!(
            written(&found),
            ["Emmanuel Macron", "France", "Britain"],
            "{found:?}"
        );
        assert_eq!(found[0].offset, body.find("Emmanuel").unwrap());
        assert_eq!(found[2].name, "United Kingdom");
        assert_eq!(found[2].kind, Kind::Countries);
        assert!(s.missing(body, &s.present(&index, 0)).len() == 1);
    }

    #[test]
    fn longest_spelling_wins_and_failed_words_are_retried() {
        let (s, _) = scanner(&["people: [Israel Katz]"]);
        let found = s.missing(
            "Israel Katz spoke. Great Britain. XIsrael Katz; Israel.",
            &[],
        );
        assert_eq!(
            written(&found),
            ["Israel Katz", "Great Britain", "Israel"],
            "{found:?}"
        );
    }

    #[test]
    fn codes_and_ambiguous_names_are_not_looked_for() {
        let (s, _) = scanner(&[]);
        let found = s.missing(
            "The UK, the US and UAE; Chad Smith and Michael Jordan.",
            &[],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}

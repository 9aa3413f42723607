//! Word families: which words of the index are forms of one another
//! (`talk`, `talks`, `talked`, `talking`), by the Snowball stemmer of the
//! site's `language` (rust-stemmers). The index carries the families, so
//! the browser needs no stemmer of its own and agrees with the indexer by
//! construction, in every language Snowball has: each word's record names
//! its stem, and each stem's record lists the words of the archive that
//! have it. A site in a language Snowball has no stemmer for gets one
//! family per word (exact matches, as before).

use std::collections::BTreeMap;

use rust_stemmers::{Algorithm, Stemmer};

/// The prefix of a family's key in the term list: `^talk`. No folded word
/// holds `^`, so families never meet words or filters (`~`).
pub(crate) const FAMILY: char = '^';

/// The stemmer of a site language (`en`, `en-GB`, `fr`, `pt-BR`...), if
/// Snowball has one.
pub(crate) fn stemmer_for(language: &str) -> Option<Stemmer> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The stem of a folded word (the word itself without a stemmer, or when
/// the stemmer would leave nothing).
pub(crate) fn stem_of(stemmer: Option<&Stemmer>, word: &str) -> String {
    match stemmer {
        Some(s) => {
            let stem = s.stem(word);
            if stem.is_empty() {
                word.to_string()
            } else {
                stem.into_owned()
            }
        }
        None => word.to_string(),
    }
}

/// The stem of each of the index's terms, and every stem's members in
/// term order: `stems[i]` is the stem of term `i`. A term that is not a
/// word (a filter value, given as `None`) is its own stem and no family's
/// member.
pub(crate) struct Families {
    pub(crate) stems: Vec<String>,
    pub(crate) members: BTreeMap<String, Vec<usize>>,
}

impl Families {
    pub(crate) fn of<'a>(
        stemmer: Option<&Stemmer>,
        terms: impl Iterator<Item = (&'a str, bool)>,
    ) -> Families {
        let mut stems = Vec::new();
        let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (term, is_word)) in terms.enumerate() {
            if !is_word {
                stems.push(term.to_string());
                continue;
            }
            let stem = stem_of(stemmer, term);
            members.entry(stem.clone()).or_default().push(i);
            stems.push(stem);
        }
        Families { stems, members }
    }
}

/// The stems the client tries, in order, for a word the archive does not
/// hold (`negotiate`, when only `negotiators` is there): the word less up
/// to [`GUESS_CUT`] letters at its end, longest first, at least
/// [`GUESS_MIN`] letters, each also with a last `y` as `i` (Snowball's
/// English stems `party` as `parti`). The first that is a family's stem is
/// taken. Mirrors `guesses` in client/index.js; the tests compare the two.
#[cfg(test)]
pub(crate) fn guesses(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let shortest = GUESS_MIN.max(chars.len().saturating_sub(GUESS_CUT));
    let mut out = Vec::new();
    for len in (shortest..=chars.len()).rev() {
        let p: String = chars[..len].iter().collect();
        if let Some(head) = p.strip_suffix('y') {
            out.push(format!("{head}i"));
        }
        out.push(p);
    }
    out
}

/// Letters a guess may cut from a word the archive does not hold.
#[cfg(test)]
const GUESS_CUT: usize = 5;
/// The shortest guessed stem.
#[cfg(test)]
const GUESS_MIN: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_forms_share_a_stem_and_unknown_languages_match_exactly() {
        let en = stemmer_for("en-GB");
        let stem = |w| stem_of(en.as_ref(), w);
        assert_eq!(stem("talks"), stem("talked"));
        assert_eq!(stem("talks"), stem("talking"));
        assert_eq!(stem("sanction"), stem("sanctions"));
        assert_eq!(stem("negotiators"), stem("negotiating"));
        assert_ne!(stem("news"), stem("new"));
        assert!(stemmer_for("fr").is_some());
        assert!(stemmer_for("xx").is_none());
        assert_eq!(stem_of(None, "talks"), "talks");
    }

    #[test]
    fn a_word_the_archive_lacks_is_guessed_from_its_head() {
        let en = stemmer_for("en");
        let g = guesses("negotiate");
        assert!(g.contains(&stem_of(en.as_ref(), "negotiators")), "{g:?}");
        assert_eq!(guesses("party")[0], "parti");
        assert_eq!(guesses("cat"), ["cat"]);
        assert!(
            guesses("cathedral").iter().all(|g| g.len() >= 4),
            "no `cat`"
        );
    }
}

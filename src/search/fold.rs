//! Words as the search index and its browser client both see them. A text
//! is cut into words by Unicode's word boundaries (UAX #29, the
//! `unicode-segmentation` crate; the client uses `Intl.Segmenter`), and each
//! word is folded: a final possessive `'s` dropped, compatibility
//! decomposition (NFKD) with the marks removed (`Noël` -> `noel`), lower
//! case, the Latin letters that do not decompose spelled out (`Støre` ->
//! `store`, `Łódź` -> `lodz`, `ß` -> `ss`), and anything that is not a
//! letter or a digit removed (`U.S.` -> `us`, `O'Brien` -> `obrien`). The
//! client in `client.js` implements the same steps; a change here is a
//! change there (the node test in `tests.rs` runs both).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The longest word kept, in characters (longer ones are cut).
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// The folded words of `text`, in order, repeats included.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().map(fold).filter(|w| !w.is_empty())
}

/// One word folded for the index (see the module's doc).
pub(crate) fn fold(word: &str) -> String {
    let word = strip_possessive(word);
    let mut out = String::with_capacity(word.len());
    let mut chars = 0;
    for c in word.nfkd().filter(|&c| !is_combining_mark(c)) {
        for lower in c.to_lowercase() {
            let spelled = spelled_out(lower);
            if spelled.is_empty() && !lower.is_alphanumeric() {
                continue;
            }
            if chars == MAX_WORD_CHARS {
                return out;
            }
            chars += 1;
            if spelled.is_empty() {
                out.push(lower);
            } else {
                out.push_str(spelled);
            }
        }
    }
    out
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    word
}

/// Lower-case Latin letters that NFKD leaves whole, as readers type them.
fn spelled_out(c: char) -> &'static str {
    match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        words(text).collect()
    }

    #[test]
    fn case_diacritics_and_possessives_fold_away() {
        assert_eq!(all("Zelenskyy Zelenskyy's ZELENSKYY’s"), ["zelenskyy"; 3]);
        assert_eq!(all("Støre Store"), ["store", "store"]);
        assert_eq!(all("Jean-Noël Barrot"), ["jean", "noel", "barrot"]);
        assert_eq!(
            all("Łódź Straße Æsir Œuvre"),
            ["lodz", "strasse", "aesir", "oeuvre"]
        );
        assert_eq!(all("Türkiye's İstanbul"), ["turkiye", "istanbul"]);
    }

    #[test]
    fn punctuation_inside_a_word_goes_and_between_words_splits() {
        assert_eq!(
            all("U.S. talks, O'Brien: 3.5%!"),
            ["us", "talks", "obrien", "35"]
        );
        assert_eq!(all("«quoted» — dash…"), ["quoted", "dash"]);
        assert_eq!(all("   ...  "), Vec::<String>::new());
        assert_eq!(all("'s"), ["s"]);
    }

    #[test]
    fn ligatures_and_full_width_forms_decompose() {
        assert_eq!(all("ﬁnance ＮＡＴＯ"), ["finance", "nato"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(all(&long)[0].chars().count(), MAX_WORD_CHARS);
        let accented = "é".repeat(100);
        assert_eq!(all(&accented)[0], "e".repeat(MAX_WORD_CHARS));
    }
}

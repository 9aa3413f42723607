//! Words as the search index and its browser client both see them. A text
//! is cut into words by Unicode's word boundaries (UAX #29, the
//! `unicode-segmentation` crate; the client uses `Intl.Segmenter`), and each
//! word is folded: a final possessive `'s` dropped, compatibility
//! decomposition (NFKD) with the marks removed (`Noël` -> `noel`), lower
//! case, the Latin letters that do not decompose spelled out (`Støre` ->
//! `store`, `Łódź` -> `lodz`, `ß` -> `ss`), and anything that is not a
//! letter or a digit removed (`U.S.` -> `us`, `O'Brien` -> `obrien`). The
//! client in `search/client/index.js` implements the same steps; a change here is a
//! change there (the node test in `search/tests.rs` runs both).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The longest word kept, in characters (longer ones are cut).
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// The folded words of `text`, in order, repeats included.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    segments(text).map(fold).filter(|w| !w.is_empty())
}

/// The words of `text` by Unicode's word boundaries, as
/// `unicode_words()` gives them, faster: UAX #29 always breaks at ASCII
/// white space, so each run between white space that is plain ASCII is
/// cut by the rules as they apply to ASCII ([`RunWords`]), and only runs
/// holding other characters go through the crate's tables (which cost 11 %
/// of a 10,000-article build's CPU when every body went through them). The
/// test `ascii_runs_break_as_the_crate_breaks_them` holds the two equal.
pub(crate) fn segments(text: &str) -> impl Iterator<Item = &str> {
    text.split_ascii_whitespace().flat_map(run_segments)
}

/// [`segments`] of one run without ASCII white space but for the vertical
/// tab, which `split_ascii_whitespace` leaves in a run and UAX #29 breaks
/// at like the others.
pub(crate) fn run_segments(run: &str) -> impl Iterator<Item = &str> {
    run.split('\u{b}')
        .filter(|part| !part.is_empty())
        .flat_map(RunWords::of)
}

/// The words of a run without white space: no allocation for the usual
/// run, a word with punctuation around it.
enum RunWords<'a> {
    One(Option<&'a str>),
    ByRules(std::vec::IntoIter<&'a str>),
    Unicode(unicode_segmentation::UnicodeWords<'a>),
}

impl<'a> RunWords<'a> {
    fn of(run: &'a str) -> RunWords<'a> {
        if let Some(core) = plain_core(run) {
            return RunWords::One((!core.is_empty()).then_some(core));
        }
        if !run.is_ascii() {
            return RunWords::Unicode(run.unicode_words());
        }
        RunWords::ByRules(ascii_words_by_rules(run).into_iter())
    }
}

/// The one word of the usual run, ASCII letters and digits with marks
/// around them (`word,` `"word`), as [`segments`] cuts it (empty for a run
/// of marks alone); `None` for any other run. The marks around join
/// nothing (no letter or digit is beyond them), so they are cut off, and a
/// vertical tab among them splits only marks from marks.
pub(crate) fn plain_core(run: &str) -> Option<&str> {
    let bytes = run.as_bytes();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let Some(first) = bytes.iter().position(word) else {
        return bytes.is_ascii().then_some("");
    };
    let last = bytes.iter().rposition(word).unwrap_or(first);
    let core = &bytes[first..=last];
    let plain = core.iter().all(u8::is_ascii_alphanumeric)
        && bytes[..first].is_ascii()
        && bytes[last + 1..].is_ascii();
    plain.then(|| &run[first..=last])
}

/// A [`plain_core`] folded onto `out`: in lower case, cut at
/// [`MAX_WORD_CHARS`] (it has no possessive, no mark, nothing but ASCII).
pub(crate) fn fold_plain_onto(core: &str, out: &mut String) {
    let start = out.len();
    out.push_str(&core[..core.len().min(MAX_WORD_CHARS)]);
    out[start..].make_ascii_lowercase();
}

impl<'a> Iterator for RunWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            RunWords::One(word) => word.take(),
            RunWords::ByRules(words) => words.next(),
            RunWords::Unicode(words) => words.next(),
        }
    }
}

/// Word classes of UAX #29 that ASCII has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_`: joins letters and digits.
    Joiner,
    /// `:`: inside a word between letters.
    MidLetter,
    /// `.` and `'`: between letters or between digits.
    MidBoth,
    /// `,` and `;`: between digits.
    MidDigit,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Joiner,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidBoth,
        b',' | b';' => Class::MidDigit,
        _ => Class::Other,
    }
}

/// True when UAX #29 keeps bytes `i - 1` and `i` of `c` in one segment.
fn joined(c: &[Class], i: usize) -> bool {
    use Class::*;
    let at = |j: isize| -> Class {
        let j = i as isize + j;
        if j < 0 || j as usize >= c.len() {
            Other
        } else {
            c[j as usize]
        }
    };
    let (before, after) = (at(-1), at(0));
    let alnum = |x: Class| matches!(x, Letter | Digit);
    (alnum(before) && alnum(after))
        || (before == Letter && matches!(after, MidLetter | MidBoth) && at(1) == Letter)
        || (at(-2) == Letter && matches!(before, MidLetter | MidBoth) && after == Letter)
        || (at(-2) == Digit && matches!(before, MidDigit | MidBoth) && after == Digit)
        || (before == Digit && matches!(after, MidDigit | MidBoth) && at(1) == Digit)
        || (matches!(before, Letter | Digit | Joiner) && after == Joiner)
        || (before == Joiner && alnum(after))
}

/// The word-like segments (holding a letter or a digit) of an ASCII run,
/// by the rules.
fn ascii_words_by_rules(run: &str) -> Vec<&str> {
    let classes: Vec<Class> = run.bytes().map(class).collect();
    let mut start = 0;
    let mut cuts = Vec::new();
    for i in 1..=classes.len() {
        if i == classes.len() || !joined(&classes, i) {
            cuts.push((start, i));
            start = i;
        }
    }
    cuts.into_iter()
        .map(|(a, b)| &run[a..b])
        .filter(|s| s.bytes().any(|b| b.is_ascii_alphanumeric()))
        .collect()
}

/// One word folded for the index (see the module's doc).
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_onto(word, &mut out);
    out
}

/// [`fold`] appended to `out`.
pub(crate) fn fold_onto(word: &str, out: &mut String) {
    let word = strip_possessive(word);
    if word.is_ascii() {
        // Most words of an English archive: NFKD and the letter table
        // change nothing, so lower case and drop what is not alphanumeric.
        let kept = word
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .take(MAX_WORD_CHARS);
        out.extend(kept.map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    let mut chars = 0;
    for c in word.nfkd().filter(|&c| !is_combining_mark(c)) {
        for lower in c.to_lowercase() {
            let spelled = spelled_out(lower);
            if spelled.is_empty() && !lower.is_alphanumeric() {
                continue;
            }
            if chars == MAX_WORD_CHARS {
                return;
            }
            chars += 1;
            if spelled.is_empty() {
                out.push(lower);
            } else {
                out.push_str(spelled);
            }
        }
    }
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
    fn the_ascii_path_folds_as_the_general_one() {
        for w in ["U.S.", "O'Brien's", "NATO", "3.5", "a_b", "x-y", "Top10"] {
            // A leading `é` sends the word down the general path.
            let folded = fold(&format!("\u{e9}{w}"));
            assert_eq!(fold(w), folded.strip_prefix('e').unwrap_or(&folded), "{w}");
        }
    }

    #[test]
    fn ascii_runs_break_as_the_crate_breaks_them() {
        let mut joined_digits = 0;
        for text in super::super::random_texts("aZ09_:.',;\"-!? \t\n()é’ø中\u{301}\u{ad}", 7, 12)
        {
            let chars: Vec<char> = text.chars().collect();
            joined_digits += chars
                .windows(3)
                .filter(|w| w[0].is_ascii_digit() && ".',;".contains(w[1]) && w[2].is_ascii_digit())
                .count();
            let ours: Vec<&str> = segments(&text).collect();
            let crate_words: Vec<&str> = text.unicode_words().collect();
            assert_eq!(ours, crate_words, "{text:?}");
        }
        assert!(joined_digits > 10, "the strings cover the rules");
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(all(&long)[0].chars().count(), MAX_WORD_CHARS);
        let accented = "é".repeat(100);
        assert_eq!(all(&accented)[0], "e".repeat(MAX_WORD_CHARS));
    }
}

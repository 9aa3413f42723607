//! How text becomes words, for everything that cuts it: `load` keeps the
//! words of each body in order ([`body_words`]) so that a body is read once,
//! and `search` indexes and queries with the same [`fold`]ing. A leaf: it
//! uses `markdown` for a body's plain text and nothing else of the crate,
//! so neither `load` nor `search` reaches into the other for it.

mod fold;
mod packed;

pub(crate) use fold::words;
pub(crate) use packed::Packed;

/// What stands between two sentences in a word sequence ([`sequence`]):
/// no folded word is `.`.
pub(crate) const SENTENCE_END: &str = ".";

/// The folded words of an article's markdown body in order ([`sequence`]):
/// what the index needs of a body (its words, their order for phrases),
/// kept in memory so that the body is read once.
pub(crate) fn body_words(markdown: &str) -> String {
    sequence(&crate::markdown::plain_text(markdown))
}

/// The folded words of `text` in order, joined by spaces, with
/// [`SENTENCE_END`] between sentences: at the end of a line (a paragraph,
/// a heading, an item), and after a run of text that ends in `.`, `!` or
/// `?` (closing quotes and brackets aside) when the next one starts with a
/// capital, a digit or an opening quote, so that "U.S. officials" stays in
/// one sentence. A phrase never matches across [`SENTENCE_END`].
pub(crate) fn sequence(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let end = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(SENTENCE_END) {
            out.push(' ');
            out.push_str(SENTENCE_END);
        }
    };
    for line in text.split('\n') {
        let mut runs = line.split_ascii_whitespace().peekable();
        while let Some(run) = runs.next() {
            if let Some(core) = fold::plain_core(run) {
                // The usual run, folded here without the general steps.
                if !core.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    fold::fold_plain_onto(core, &mut out);
                }
            } else {
                for word in fold::run_segments(run) {
                    // The word folded in place after its space, taken back if
                    // nothing of it is left.
                    let before = out.len();
                    if before > 0 {
                        out.push(' ');
                    }
                    let start = out.len();
                    fold::fold_onto(word, &mut out);
                    if out.len() == start {
                        out.truncate(before);
                    }
                }
            }
            if ends_sentence(run) && runs.peek().is_some_and(|next| starts_sentence(next)) {
                end(&mut out);
            }
        }
        end(&mut out);
    }
    if out.ends_with(SENTENCE_END) {
        out.truncate(out.len() - SENTENCE_END.len());
        out.truncate(out.trim_end().len());
    }
    out
}

/// Whether a run of text ends a sentence, if the next one starts one.
fn ends_sentence(run: &str) -> bool {
    run.trim_end_matches([
        '"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}', '*', '_',
    ])
    .ends_with(['.', '!', '?'])
}

/// Whether a run of text can start a sentence.
fn starts_sentence(run: &str) -> bool {
    run.trim_start_matches([
        '"', '\'', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}', '*', '_',
    ])
    .chars()
    .next()
    .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// How many runs of text between ASCII white space `text` has: the same
/// count as `text.split_ascii_whitespace().count()`, made by comparing each
/// byte with the one before it, which the compiler does many at a time (the
/// split went byte by byte, and was a tenth of a cold start's CPU).
pub(crate) fn runs_between_white_space(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let starts_first = bytes.first().is_some_and(|b| !b.is_ascii_whitespace());
    let starts_later = bytes
        .iter()
        .zip(&bytes[1.min(bytes.len())..])
        .map(|(before, b)| u32::from(before.is_ascii_whitespace() & !b.is_ascii_whitespace()))
        .sum::<u32>();
    u32::from(starts_first) + starts_later
}

/// 20,000 strings of up to `longest` characters drawn from `alphabet`,
/// the same for the same `seed` (SplitMix64), for the tests that hold two
/// ways of cutting text to each other.
#[cfg(test)]
pub(crate) fn random_texts(alphabet: &str, seed: u64, longest: u64) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..20_000)
        .map(|_| {
            let len = next() % longest;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_a_full_stop_before_a_capital_and_at_a_block() {
        assert_eq!(
            sequence("Talks ended. Guarantees were given!\nNew line"),
            "talks ended . guarantees were given . new line"
        );
        assert_eq!(
            sequence("U.S. officials met in 2026."),
            "us officials met in 2026"
        );
        assert_eq!(
            sequence("He said: \"It is over.\" Then (2) left."),
            "he said it is over . then 2 left"
        );
        assert_eq!(sequence("\n\n  \n"), "");
        assert_eq!(
            body_words("# Heading\n\nA *phrase* here.\n\n- item one\n- Item two"),
            "heading . a phrase here . item one . item two"
        );
    }

    #[test]
    fn runs_are_counted_as_a_split_at_white_space_counts_them() {
        for text in random_texts("a \t\n\r\u{c}\u{b}\u{a0}é", 5, 90) {
            let want = text.split_ascii_whitespace().count() as u32;
            assert_eq!(runs_between_white_space(&text), want, "{text:?}");
        }
        assert_eq!(runs_between_white_space(""), 0);
        assert_eq!(runs_between_white_space(" two  words\n"), 2);
    }

    #[test]
    fn a_sequence_has_the_words_that_words_finds_in_order() {
        for text in random_texts("aZ09_:.',;\"-!? \t\n\u{b}()é’ø中\u{301}", 11, 40) {
            let seq = sequence(&text);
            let kept: Vec<&str> = seq
                .split(' ')
                .filter(|w| *w != SENTENCE_END && !w.is_empty())
                .collect();
            let want: Vec<String> = words(&text).collect();
            assert_eq!(kept, want, "{text:?}");
        }
        let long = format!("({}!", "Ab".repeat(30));
        assert_eq!(sequence(&long), "ab".repeat(20));
    }
}

//! The kept fragments' text, each piece stored once. A card is mostly
//! pieces that other cards have too: `<h2>`, `</a>, `, the link to a
//! person's or a country's page with its name, `<span class="source">AP`.
//! At 100,000 articles the cards' HTML was 125 MB; cut before each `<`,
//! 302,339 distinct pieces hold 29 MB of it, and the cards, as lists of
//! those pieces, 6 MB more (measured on a build's output, bench/RESULTS.md,
//! twelfth session). Compressing each card instead (zstd with a
//! dictionary) kept as few bytes but cost 1.1 to 1.8 µs on each of the 2.4
//! million reads of a 100k build: joining pieces is copying.
//!
//! A fragment is coded as its length, then each piece's number plus one
//! (LEB128), or 0, a length and the bytes for a piece kept as it is: one
//! seen for the first time, or a long one. A piece is kept in the
//! [`Interner`] the second time it is seen: most pieces seen once (a
//! title, a summary) are never seen again, and stay in their fragment,
//! where a read finds them in line (kept apart, each was two more misses
//! of the processor's cache on each of a card's reads: 1.2 s of a 100k
//! build). Pieces are added by many threads at once and read without a
//! lock.

use crate::interner::Interner;

/// Pieces longer than this are kept in their fragment, not shared: a long
/// run of text without markup is a fragment's own (a summary), and the
/// preview, which renders a card again on each edit, would keep every
/// version of it.
const LONGEST_SHARED: usize = 512;

/// The pieces seen more than once, by number.
#[derive(Debug, Default)]
pub(crate) struct Pieces(Interner);

impl Pieces {
    /// `text` as the numbers of its pieces, keeping those seen again.
    pub(crate) fn code(&self, text: &str) -> Box<[u8]> {
        let mut code = Vec::with_capacity(text.len() / 16 + 8);
        put(&mut code, text.len());
        for piece in split(text) {
            match self.number(piece) {
                Some(n) => put(&mut code, n as usize + 1),
                None => {
                    put(&mut code, 0);
                    put(&mut code, piece.len());
                    code.extend_from_slice(piece.as_bytes());
                }
            }
        }
        code.into_boxed_slice()
    }

    /// The text that `code` (made by [`Pieces::code`]) stands for.
    pub(crate) fn text(&self, code: &[u8]) -> String {
        let (len, mut rest) = take(code);
        let mut text = String::with_capacity(len);
        while !rest.is_empty() {
            let (n, after) = take(rest);
            rest = after;
            if n > 0 {
                text.push_str(self.piece(n - 1));
            } else {
                let (len, after) = take(rest);
                let (bytes, after) = after.split_at(len);
                text.push_str(std::str::from_utf8(bytes).expect("a piece was cut from a str"));
                rest = after;
            }
        }
        text
    }

    /// How many distinct pieces are kept.
    #[cfg(test)]
    fn count(&self) -> usize {
        self.0.count()
    }

    fn piece(&self, n: usize) -> &str {
        self.0
            .get(u32::try_from(n).expect("a piece's number is a u32"))
    }

    /// The bytes of the pieces kept.
    pub(crate) fn bytes(&self) -> usize {
        self.0.bytes()
    }

    /// The number of `piece`, kept if this is the second time it is seen;
    /// none for a piece kept in its fragment: the first time, or a long
    /// one.
    fn number(&self, piece: &str) -> Option<u32> {
        if piece.len() > LONGEST_SHARED {
            return None;
        }
        self.0.number_if_again(piece)
    }
}

/// `text` cut before each `<` (the first piece is what comes before the
/// first `<`, if anything).
fn split(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // Found among the bytes: a piece may begin with any character,
        // and `<` is never inside one.
        let next = rest.as_bytes()[1..].iter().position(|&b| b == b'<');
        let end = next.map_or(rest.len(), |at| at + 1);
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

/// Appends `n` as LEB128.
fn put(code: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        code.push(n as u8 | 0x80);
        n >>= 7;
    }
    code.push(n as u8);
}

/// The LEB128 number at the start of `code`, and what follows it.
fn take(code: &[u8]) -> (usize, &[u8]) {
    let mut n = 0;
    for (i, &byte) in code.iter().enumerate() {
        n |= usize::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return (n, &code[i + 1..]);
        }
    }
    panic!("a fragment's code ends inside a number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_cut_before_each_tag() {
        let cut: Vec<&str> = split("x <a href=\"/p/\">Ann</a>, <b>é</b>").collect();
        assert_eq!(cut, ["x ", "<a href=\"/p/\">Ann", "</a>, ", "<b>é", "</b>"]);
        assert_eq!(split("").count(), 0);
        assert_eq!(split("<").collect::<Vec<_>>(), ["<"]);
        assert_eq!(split("<<").collect::<Vec<_>>(), ["<", "<"]);
        let cut: Vec<&str> = split("é<b>ü</b>ß").collect();
        assert_eq!(cut, ["é", "<b>ü", "</b>ß"]);
        assert_eq!(split("日本").collect::<Vec<_>>(), ["日本"]);
    }

    #[test]
    fn numbers_read_back_at_every_length() {
        for n in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as usize,
            usize::MAX,
        ] {
            let mut code = Vec::new();
            put(&mut code, n);
            put(&mut code, 7);
            let (read, rest) = take(&code);
            assert_eq!((read, take(rest)), (n, (7, &[][..])));
        }
    }

    #[test]
    fn pieces_seen_twice_are_kept_once_and_others_in_their_fragment() {
        let pieces = Pieces::default();
        let long = format!("<p>{}</p>", "word ".repeat(200));
        let texts = [
            "<li><a href=\"/p/ann/\">Ann</a>, <a href=\"/p/bo/\">Bo</a></li>".to_string(),
            "<li><a href=\"/p/bo/\">Bo</a></li>".to_string(),
            long.clone(),
            String::new(),
            "plain text, no markup é".to_string(),
        ];
        let first = pieces.code(&texts[0]);
        assert_eq!((pieces.bytes(), pieces.count()), (0, 0), "all seen once");
        assert!(first.len() > texts[0].len());
        let again = pieces.code(&texts[0]);
        assert_eq!((pieces.bytes(), pieces.count()), (texts[0].len(), 6));
        assert!(again.len() < 10);
        let second = pieces.code(&texts[1]);
        assert_eq!(pieces.count(), 6, "every piece of the second was kept");
        assert_eq!(second.len(), 5);
        pieces.code(&long);
        let third = pieces.code(&long);
        assert_eq!(pieces.count(), 7, "the long piece stays in its fragment");
        assert!(third.len() > long.len());
        let coded = [(0, first), (0, again), (1, second), (2, third)];
        for (text, code) in coded {
            assert_eq!(pieces.text(&code), texts[text]);
        }
        assert_eq!(pieces.text(&pieces.code(&texts[0])), texts[0]);
        for text in &texts[3..] {
            assert_eq!(pieces.text(&pieces.code(text)), *text);
        }
    }

    #[test]
    fn pieces_added_by_many_threads_read_back() {
        let pieces = Pieces::default();
        let texts: Vec<String> = (0..2_000)
            .map(|n| {
                format!(
                    "<li><a href=\"/p/{}/\">{}</a><b>{n}</b></li>",
                    n % 37,
                    n % 37
                )
            })
            .collect();
        let codes: Vec<Box<[u8]>> = std::thread::scope(|s| {
            let quarters: Vec<_> = texts
                .chunks(500)
                .map(|part| {
                    let pieces = &pieces;
                    s.spawn(move || part.iter().map(|t| pieces.code(t)).collect::<Vec<_>>())
                })
                .collect();
            quarters
                .into_iter()
                .flat_map(|q| q.join().unwrap())
                .collect()
        });
        for (text, code) in texts.iter().zip(&codes) {
            assert_eq!(pieces.text(code), *text);
        }
        // `<li>`, 37 links, `</a>`, `</b>`, `</li>`: not the numbers,
        // each seen once.
        assert_eq!(pieces.count(), 1 + 37 + 1 + 1 + 1);
    }
}

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
//! seen for the first time, or a long one. Pieces are added by
//! many threads at once and read without a lock.

use std::sync::Mutex;

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64;

/// Pieces longer than this are kept in their fragment, not shared: a long
/// run of text without markup is a fragment's own (a summary), and the
/// preview, which renders a card again on each edit, would keep every
/// version of it.
const LONGEST_SHARED: usize = 512;

/// The tables of known pieces, each guarding the pieces whose hash falls
/// to it (two threads adding the same new piece meet at its table).
const TABLES: usize = 16;

/// Every piece kept, by number; a table of each piece's number by its text.
#[derive(Debug, Default)]
pub(crate) struct Pieces {
    texts: boxcar::Vec<Box<str>>,
    tables: [Mutex<Table>; TABLES],
}

/// The pieces whose hash falls to one table: the numbers of those kept,
/// and the hashes of those seen once. A piece is kept the second time it
/// is seen: most pieces seen once (a title, a summary) are never seen
/// again, and stay in their fragment, where a read finds them in line
/// (kept apart, each was two more misses of the processor's cache on each
/// of a card's reads: 1.2 s of a 100k build).
#[derive(Default)]
struct Table {
    known: HashTable<u32>,
    seen: HashTable<u64>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (known, seen) = (self.known.len(), self.seen.len());
        write!(f, "Table({known} pieces kept, {seen} seen once)")
    }
}

impl Pieces {
    /// `text` as the numbers of its pieces, adding those not known yet;
    /// with the bytes of the pieces it added.
    pub(crate) fn code(&self, text: &str) -> (Box<[u8]>, usize) {
        let mut code = Vec::with_capacity(text.len() / 16 + 8);
        put(&mut code, text.len());
        let mut added = 0;
        for piece in split(text) {
            match self.number(piece, &mut added) {
                Some(n) => put(&mut code, n as usize + 1),
                None => {
                    put(&mut code, 0);
                    put(&mut code, piece.len());
                    code.extend_from_slice(piece.as_bytes());
                }
            }
        }
        (code.into_boxed_slice(), added)
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
        self.texts.count()
    }

    fn piece(&self, n: usize) -> &str {
        self.texts.get(n).expect("a coded piece is kept")
    }

    /// The number of `piece`, added if this is the second time it is
    /// seen (counting its bytes in `added`); none for a piece kept in its
    /// fragment: the first time, or a long one.
    fn number(&self, piece: &str, added: &mut usize) -> Option<u32> {
        if piece.len() > LONGEST_SHARED {
            return None;
        }
        let hash = xxh3_64(piece.as_bytes());
        let mut table = self.tables[(hash >> 60) as usize % TABLES]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(&n) = table.known.find(hash, |&n| self.piece(n as usize) == piece) {
            return Some(n);
        }
        if let Ok(seen) = table.seen.find_entry(hash, |&h| h == hash) {
            seen.remove();
        } else {
            table.seen.insert_unique(hash, hash, |&h| h);
            return None;
        }
        // Past 4 billion pieces (some 100 GB of them), the rest are kept
        // in their fragments.
        let n = u32::try_from(self.texts.push(piece.into())).ok()?;
        table
            .known
            .insert_unique(hash, n, |&n| xxh3_64(self.piece(n as usize).as_bytes()));
        *added += piece.len();
        Some(n)
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
        let end = rest[1..].find('<').map_or(rest.len(), |at| at + 1);
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
        let (first, added) = pieces.code(&texts[0]);
        assert_eq!((added, pieces.count()), (0, 0), "all seen once");
        assert!(first.len() > texts[0].len());
        let (again, added) = pieces.code(&texts[0]);
        assert_eq!((added, pieces.count()), (texts[0].len(), 6));
        assert!(again.len() < 10);
        let (second, added) = pieces.code(&texts[1]);
        assert_eq!(added, 0, "every piece of the second was kept");
        assert_eq!(second.len(), 5);
        pieces.code(&long);
        let (third, added) = pieces.code(&long);
        assert_eq!(added, "</p>".len(), "the long piece stays in its fragment");
        assert!(third.len() > long.len());
        let coded = [(0, first), (0, again), (1, second), (2, third)];
        for (text, code) in coded {
            assert_eq!(pieces.text(&code), texts[text]);
        }
        assert_eq!(pieces.text(&pieces.code(&texts[0]).0), texts[0]);
        for text in &texts[3..] {
            assert_eq!(pieces.text(&pieces.code(text).0), *text);
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
                    s.spawn(move || part.iter().map(|t| pieces.code(t).0).collect::<Vec<_>>())
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

//! The word pairs, for phrases. For every two words that stand next to
//! each other in one sentence of an article (its title, its summary or its
//! body), the index keeps the articles where they do and, in each, where
//! (the position of the first word). A phrase of two words then loads its
//! one pair's part; a longer one the parts of each of its pairs, which
//! must stand one after another. A pair is far rarer than either of its
//! words: in the 10,000-article benchmark archive, "prime minister"
//! stands together in 76 bodies, while "prime" and "minister" are each in
//! about 8,000 articles, and it is the words' own positions, over the
//! whole archive, that a phrase loaded before.

use super::sets::put_varint;

/// One pair's part, being gathered: for each of its documents in order,
/// the document (as its gap from the one before; the first as itself),
/// then its positions (each as its gap from the one before, doubled, plus
/// one when another follows).
#[derive(Default)]
pub(super) struct PairPart {
    bytes: Vec<u8>,
    /// The last document added.
    last: Option<u32>,
    /// Where the last position starts in `bytes` (its low bit says whether
    /// another follows), and what it is.
    last_at: u32,
    last_position: u32,
}

/// The bytes a new part has room for.
const FIRST_ROOM: usize = 24;

impl PairPart {
    /// Adds the pair at `position` of `doc`: a document after those
    /// already added, or the last one again at a later position.
    pub(super) fn push(&mut self, doc: u32, position: u32) {
        if self.bytes.capacity() == 0 {
            // Room for a few documents from the start: most pairs are rare,
            // and growing from nothing copies a part four times.
            self.bytes.reserve_exact(FIRST_ROOM);
        }
        let gap = match self.last == Some(doc) {
            true => {
                self.bytes[self.last_at as usize] |= 1;
                position - self.last_position
            }
            false => {
                put_varint(&mut self.bytes, u64::from(doc - self.last.unwrap_or(0)));
                self.last = Some(doc);
                position
            }
        };
        self.last_at = self.bytes.len() as u32;
        self.last_position = position;
        put_varint(&mut self.bytes, u64::from(gap) << 1);
    }

    /// Adds `later`'s documents, which all come after these: its first
    /// document, written as itself, becomes a gap from this part's last.
    pub(super) fn append(&mut self, later: PairPart) {
        let Some(later_last) = later.last else {
            return;
        };
        let mut at = 0;
        let first = super::sets::get_varint(&later.bytes, &mut at) as u32;
        put_varint(&mut self.bytes, u64::from(first - self.last.unwrap_or(0)));
        let base = self.bytes.len() as u32;
        self.bytes.extend_from_slice(&later.bytes[at..]);
        self.last = Some(later_last);
        self.last_at = base + later.last_at - at as u32;
        self.last_position = later.last_position;
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A pair's part read back: each document with the pair's positions.
#[cfg(test)]
pub(super) fn read(bytes: &[u8]) -> Vec<(u32, Vec<u32>)> {
    use super::sets::get_varint;
    let (mut at, mut doc, mut out) = (0, 0u32, Vec::new());
    while at < bytes.len() {
        doc += get_varint(bytes, &mut at) as u32;
        let (mut positions, mut p) = (Vec::new(), 0u32);
        loop {
            let n = get_varint(bytes, &mut at);
            p += (n >> 1) as u32;
            positions.push(p);
            if n & 1 == 0 {
                break;
            }
        }
        out.push((doc, positions));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(docs: &[(u32, Vec<u32>)]) -> PairPart {
        let mut part = PairPart::default();
        for (doc, positions) in docs {
            for &p in positions {
                part.push(*doc, p);
            }
        }
        part
    }

    #[test]
    fn a_part_reads_back_as_it_was_added_and_appended() {
        let early = vec![(0, vec![3]), (7, vec![1, 200, 201])];
        let late = vec![(9, vec![0]), (300, vec![5, 70_000])];
        let mut first = part(&early);
        first.append(part(&late));
        first.append(PairPart::default());
        // Appended to, a part goes on taking positions of its last article.
        first.push(300, 70_001);
        first.push(301, 2);
        let want = vec![
            (0, vec![3]),
            (7, vec![1, 200, 201]),
            (9, vec![0]),
            (300, vec![5, 70_000, 70_001]),
            (301, vec![2]),
        ];
        assert_eq!(read(first.bytes()), want);
        let mut empty = PairPart::default();
        empty.append(part(&[(4, vec![2, 9])]));
        empty.push(4, 10);
        assert_eq!(read(empty.bytes()), vec![(4, vec![2, 9, 10])]);
    }
}

//! The word pairs, for phrases. For every two words that stand next to
//! each other in one sentence of an article (its title, its summary or its
//! body), the index keeps the articles where they do and, in each, where
//! (the position of the first word). A phrase of two words then loads its
//! one pair's part; a longer one the parts of each of its pairs, which
//! must stand one after another. A pair is far rarer than either of its
//! words: "prime minister" is in a few hundred of 100,000 articles where
//! "prime" and "minister" are each in 80,000, and it is the words' own
//! positions, over the whole archive, that a phrase loaded before.

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
}

/// The bytes a new part has room for.
const FIRST_ROOM: usize = 24;

impl PairPart {
    /// Adds a document after those already added, with the pair's
    /// positions in it (sorted, at least one).
    pub(super) fn push(&mut self, doc: u32, positions: &[u32]) {
        if self.bytes.capacity() == 0 {
            // Room for a few documents from the start: most pairs are rare,
            // and growing from nothing copies a part four times.
            self.bytes.reserve_exact(FIRST_ROOM);
        }
        put_varint(&mut self.bytes, u64::from(doc - self.last.unwrap_or(0)));
        self.last = Some(doc);
        let mut previous = 0;
        for (k, &p) in positions.iter().enumerate() {
            let more = u64::from(k + 1 < positions.len());
            put_varint(&mut self.bytes, (u64::from(p - previous) << 1) | more);
            previous = p;
        }
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
        self.bytes.extend_from_slice(&later.bytes[at..]);
        self.last = Some(later_last);
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
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

    #[test]
    fn a_part_reads_back_as_it_was_added_and_appended() {
        let mut first = PairPart::default();
        first.push(0, &[3]);
        first.push(7, &[1, 200, 201]);
        let mut later = PairPart::default();
        later.push(9, &[0]);
        later.push(300, &[5, 70_000]);
        first.append(later);
        first.append(PairPart::default());
        let want = vec![
            (0, vec![3]),
            (7, vec![1, 200, 201]),
            (9, vec![0]),
            (300, vec![5, 70_000]),
        ];
        assert_eq!(read(&first.into_bytes()), want);
        let mut empty = PairPart::default();
        let mut only = PairPart::default();
        only.push(4, &[2]);
        empty.append(only);
        assert_eq!(read(&empty.into_bytes()), vec![(4, vec![2])]);
    }
}

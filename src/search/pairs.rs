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
    /// Returns how many bytes the part took more (its room grown, or
    /// made).
    pub(super) fn push(&mut self, doc: u32, position: u32) -> usize {
        let room = self.bytes.capacity();
        if room == 0 {
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
        self.bytes.capacity() - room
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The last document added.
    pub(super) fn last(&self) -> Option<u32> {
        self.last
    }
}

/// Appends `later`, a part's bytes (its first document written as
/// itself), to `bytes`, a part whose last document is `last`: the first
/// document becomes a gap from it. Returns where the rest of `later` was
/// put and where it was in `later`.
pub(super) fn append_bytes(bytes: &mut Vec<u8>, last: Option<u32>, later: &[u8]) -> (usize, usize) {
    let mut at = 0;
    let first = super::sets::get_varint(later, &mut at) as u32;
    put_varint(bytes, u64::from(first - last.unwrap_or(0)));
    let base = bytes.len();
    bytes.extend_from_slice(&later[at..]);
    (base, at)
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
    fn a_part_reads_back_as_it_was_added_and_joined() {
        let early = vec![(0, vec![3]), (7, vec![1, 200, 201])];
        let late = vec![(9, vec![0]), (300, vec![5, 70_000])];
        let first = part(&early);
        let mut joined = first.bytes().to_vec();
        append_bytes(&mut joined, first.last(), part(&late).bytes());
        assert_eq!(read(&joined), [early, late.clone()].concat());
        let mut from_nothing = Vec::new();
        append_bytes(&mut from_nothing, None, part(&late).bytes());
        assert_eq!(read(&from_nothing), late);
    }
}

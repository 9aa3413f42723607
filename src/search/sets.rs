//! Sets of documents as the index stores them: a sorted list of document
//! numbers written as gaps in LEB128 varints, or a bitmap of every
//! document, whichever is smaller. A word in every article therefore costs
//! at most one bit per article (12.5 KB at 100,000 articles), and a rare
//! one a byte or two per article it is in.
//!
//! Layout: a tag byte, then for a list (`0`) the count and the gaps as
//! varints (the first gap is the first number), for a bitmap (`1`)
//! `ceil(docs / 8)` bytes, document `d` at bit `d % 8` of byte `d / 8`.

/// Tag of a gap list.
const LIST: u8 = 0;
/// Tag of a bitmap.
const BITMAP: u8 = 1;

/// Appends `n` as an unsigned LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A set of documents being gathered, in ascending order, kept as the gap
/// list [`put_doc_list`] writes (a byte or two a document where a `Vec<u32>`
/// takes four, and up to eight with its room to grow): the postings of
/// 100,000 articles are some 20 million documents.
#[derive(Debug, Default)]
pub(crate) struct DocList {
    /// The gaps as varints (the first gap is the first number).
    gaps: Vec<u8>,
    /// The last document added.
    last: Option<u32>,
    /// How many documents.
    len: u64,
}

impl DocList {
    /// Adds `doc`, which is above every document in the set.
    pub(crate) fn push(&mut self, doc: u32) {
        debug_assert!(self.last < Some(doc), "documents come in order");
        put_varint(&mut self.gaps, u64::from(doc - self.last.unwrap_or(0)));
        self.last = Some(doc);
        self.len += 1;
    }

    /// How many documents.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The documents, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0;
        let mut previous = 0u32;
        std::iter::from_fn(move || {
            (at < self.gaps.len()).then(|| {
                previous += get_varint(&self.gaps, &mut at) as u32;
                previous
            })
        })
    }
}

/// Appends the set `ids` (sorted, distinct, each below `docs`).
#[cfg(test)]
pub(crate) fn put_set(out: &mut Vec<u8>, ids: &[u32], docs: u32) {
    debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let mut list = DocList::default();
    ids.iter().for_each(|&id| list.push(id));
    put_doc_list(out, &list, docs);
}

/// Appends the set `list` (each document below `docs`): a gap list as it
/// is kept, or a bitmap when that is smaller.
pub(crate) fn put_doc_list(out: &mut Vec<u8>, list: &DocList, docs: u32) {
    let bitmap_len = (docs as usize).div_ceil(8);
    let mut count = Vec::new();
    put_varint(&mut count, list.len);
    if count.len() + list.gaps.len() <= bitmap_len {
        out.push(LIST);
        out.extend_from_slice(&count);
        out.extend_from_slice(&list.gaps);
    } else {
        out.push(BITMAP);
        let start = out.len();
        out.resize(start + bitmap_len, 0);
        for id in list.iter() {
            out[start + id as usize / 8] |= 1 << (id % 8);
        }
    }
}

/// Reads a varint at `*at`, moving past it.
pub(crate) fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// Reads a set written by [`put_set`] at `*at`, moving past it.
#[cfg(test)]
pub(crate) fn get_set(bytes: &[u8], at: &mut usize, docs: u32) -> Vec<u32> {
    let tag = bytes[*at];
    *at += 1;
    if tag == BITMAP {
        let len = (docs as usize).div_ceil(8);
        let map = &bytes[*at..*at + len];
        *at += len;
        return (0..docs)
            .filter(|&d| map[d as usize / 8] & (1 << (d % 8)) != 0)
            .collect();
    }
    let count = get_varint(bytes, at);
    let mut previous = 0u32;
    (0..count)
        .map(|_| {
            previous += get_varint(bytes, at) as u32;
            previous
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ids: &[u32], docs: u32) -> usize {
        let mut out = vec![7];
        put_set(&mut out, ids, docs);
        let mut at = 1;
        assert_eq!(get_set(&out, &mut at, docs), ids);
        assert_eq!(at, out.len());
        out.len() - 1
    }

    #[test]
    fn sparse_sets_are_gap_lists_and_dense_ones_bitmaps() {
        assert_eq!(round_trip(&[], 100_000), 2);
        assert_eq!(round_trip(&[0], 100_000), 3);
        let every: Vec<u32> = (0..100_000).collect();
        assert_eq!(round_trip(&every, 100_000), 1 + 12_500);
        let rare: Vec<u32> = (0..100).map(|i| i * 997).collect();
        assert!(round_trip(&rare, 100_000) < 250);
        assert_eq!(round_trip(&[3, 5, 7], 8), 1 + 1);
        round_trip(&[0, 1, 127, 128, 16_383, 16_384, 99_999], 100_000);
    }
}

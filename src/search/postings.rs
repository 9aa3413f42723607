//! Gathering the postings: for every term, the documents it is in, and
//! for a word, how well each document matches it (its rank, BM25F: the
//! word's count in the title, summary and body, each weighed and set
//! against the field's usual length, and its being in the article's names,
//! saturating); and, for phrases, every pair of words that stand next to
//! each other in a sentence, with where they do ([`PairPart`]: the title,
//! summary and body are one sequence, a sentence's gap between the fields).
//! Made one document at a time, newest first, in the compact form the
//! index writes ([`DocList`], varints, half a byte a rank).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::build::{filter_term, NameWords, Sources, FILTERS};
use super::pairs::PairPart;
use super::runs::{pair_key, CoreRuns, Run, Runs};
use super::sets::DocList;
use crate::load::Article;
use crate::model::Kind;
use crate::words::{sequence, words, SENTENCE_END};

/// The documents a term is in (`any`); and, for a word, for each of them
/// in order, how well it matches (`rank`: 1 to [`RANK_LEVELS`], two to a
/// byte, the first in the high half). A filter value has no ranks.
#[derive(Default)]
pub(super) struct Postings {
    pub(super) any: DocList,
    pub(super) rank: Vec<u8>,
}

/// Everything gathered: the terms with their postings, in key order; and
/// the word pairs with their parts, set aside in runs, each core's with
/// where its term numbers are in `terms`, in the order of their documents
/// ([`runs::merge`](super::runs::merge) reads them back in the pairs'
/// order).
pub(super) struct Gathered {
    pub(super) terms: Vec<(String, Postings)>,
    pub(super) pairs: Vec<CoreRuns>,
}

/// The numbers of a pair's first and second words, from its key.
fn pair_words(key: u64) -> (usize, usize) {
    ((key >> 32) as usize, (key & 0xffff_ffff) as usize)
}

impl Gathered {
    /// These and `later`'s, whose documents all come after these: the
    /// terms merged in key order, a key in both appended to; the runs one
    /// after the other, their terms' places moved with the terms.
    fn merged(self, later: Gathered) -> Gathered {
        let mut moved = [Vec::new(), Vec::new()];
        let terms = merge_sorted(self.terms, later.terms, Postings::append, |side, at| {
            moved[side].push(at);
        });
        let mut pairs = Vec::new();
        for (side, cores) in [self.pairs, later.pairs].into_iter().enumerate() {
            for mut core in cores {
                for place in &mut core.place {
                    *place = moved[side][*place as usize];
                }
                pairs.push(core);
            }
        }
        Gathered { terms, pairs }
    }
}

/// Two lists in key order merged into one, `join` adding the second's
/// value of a key in both to the first's; `placed` is told where each
/// item of each list (0 or 1) went, in order.
fn merge_sorted<K: Ord, T>(
    first: Vec<(K, T)>,
    second: Vec<(K, T)>,
    join: impl Fn(&mut T, T),
    mut placed: impl FnMut(usize, u32),
) -> Vec<(K, T)> {
    let mut out = Vec::with_capacity(first.len().max(second.len()));
    let mut second = second.into_iter().peekable();
    for (key, mut value) in first {
        while let Some(next) = second.next_if(|(k, _)| *k < key) {
            placed(1, out.len() as u32);
            out.push(next);
        }
        if let Some((_, later)) = second.next_if(|(k, _)| *k == key) {
            placed(1, out.len() as u32);
            join(&mut value, later);
        }
        placed(0, out.len() as u32);
        out.push((key, value));
    }
    for next in second {
        placed(1, out.len() as u32);
        out.push(next);
    }
    out
}

/// The highest rank (a word that could hardly match a document better).
pub(super) const RANK_LEVELS: u8 = 15;

/// How much a word counts in each field, against once in the body.
const TITLE_WEIGHT: f64 = 8.0;
const SUMMARY_WEIGHT: f64 = 4.0;
const NAMES_WEIGHT: f64 = 4.0;
/// The source and the location.
const OTHER_WEIGHT: f64 = 1.0;
/// BM25's saturation (how soon more of a word stops counting) and length
/// normalisation (how much a longer field than usual weighs a word down).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// How often a word is in one document's title, summary and body, and
/// whether it is in the article's names, or its source or location.
#[derive(Default)]
struct InDoc {
    names: bool,
    other: bool,
    counts: [u32; 3],
}

/// The positions of a document's title, summary and body in its sequence.
struct Fields([Range<u32>; 3]);

/// The lengths of a document's title and summary (in words) and body (in
/// runs between white space, [`Article::body_runs`], known before its words
/// are read), as ranking weighs them.
struct Lengths([f64; 3]);

impl Lengths {
    fn of(fields: &Fields, a: &Article) -> Lengths {
        let words = |k: usize| f64::from(fields.0[k].end - fields.0[k].start);
        Lengths([words(0), words(1), f64::from(a.body_runs)])
    }
}

/// The usual (mean) [`Lengths`] of the titles, summaries and bodies.
struct Usual([f64; 3]);

impl Usual {
    /// Counted as [`place_words`] counts the titles and summaries: on every
    /// core when the index is built alone; `None` once `stop` is set.
    fn of(src: &Sources, stop: &AtomicBool) -> Option<Usual> {
        let lengths = |&id: &usize| {
            let a = &src.articles[id];
            [
                words(&a.title).count(),
                words(&a.summary).count(),
                a.body_runs as usize,
            ]
            .map(|n| n as f64)
        };
        let add = |a: [f64; 3], b: [f64; 3]| [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
        let ids = &src.index.newest_first;
        let sums = if src.alone {
            ids.par_iter().map(lengths).reduce(|| [0.0; 3], add)
        } else {
            let mut sums = [0.0; 3];
            for (n, id) in ids.iter().enumerate() {
                if n % STOP_EVERY == 0 && stop.load(Ordering::Relaxed) {
                    return None;
                }
                sums = add(sums, lengths(id));
            }
            sums
        };
        let n = ids.len().max(1) as f64;
        Some(Usual(sums.map(|s| (s / n).max(1.0))))
    }
}

/// How many documents are gathered between two looks at the stop flag (a
/// preview's edit waits for the next look: about 10 ms).
const STOP_EVERY: usize = 64;

/// A word's rank in a document (BM25F's saturated, weighed count), from 1
/// to [`RANK_LEVELS`].
fn rank(in_doc: &InDoc, lengths: &Lengths, usual: &Usual) -> u8 {
    let weights = [TITLE_WEIGHT, SUMMARY_WEIGHT, 1.0];
    let mut count = 0.0;
    for (k, length) in lengths.0.iter().enumerate() {
        let n = f64::from(in_doc.counts[k]);
        count += weights[k] * n / (1.0 - B + B * length / usual.0[k]);
    }
    count += NAMES_WEIGHT * f64::from(u8::from(in_doc.names));
    count += OTHER_WEIGHT * f64::from(u8::from(in_doc.other));
    let saturated = count / (K1 + count);
    ((saturated * f64::from(RANK_LEVELS)).round() as u8).clamp(1, RANK_LEVELS)
}

/// Every term with its documents, and every pair with its part, in key
/// order; `None` once `stop` is set. When the index is built alone, the
/// documents are gathered in one run a core, each run's terms then sorted
/// on its core and the runs merged in document order (a run a core, not
/// more: each run holds its own map of every pair it has seen, a million
/// at 100,000 articles); else in one run, on one core.
pub(super) fn postings(src: &Sources, names: &NameWords, stop: &AtomicBool) -> Option<Gathered> {
    let usual = Usual::of(src, stop)?;
    let docs = src.index.newest_first.len();
    let runs = match src.alone {
        true => rayon::current_num_threads().max(1),
        false => 1,
    };
    let size = docs.div_ceil(runs).max(1);
    let ranges: Vec<Range<usize>> = (0..runs)
        .map(|k| k * size..docs.min((k + 1) * size))
        .collect();
    let gathered: Vec<Option<Gathered>> = ranges
        .into_par_iter()
        .map(|docs| Some(gather(src, names, &usual, docs, stop)?.sorted(src.runs)))
        .collect();
    let mut runs = gathered.into_iter();
    let first = runs.next().flatten()?;
    runs.try_fold(first, |all, run| Some(all.merged(run?)))
}

/// The terms and pairs of documents `docs` (numbers, newest first); their
/// bodies' words from the articles, or read through `src.read_words`, each
/// dropped once indexed.
fn gather(
    src: &Sources,
    names: &NameWords,
    usual: &Usual,
    docs: Range<usize>,
    stop: &AtomicBool,
) -> Option<Terms> {
    let mut terms = Terms::default();
    let mut here = Placed::default();
    let mut folded = Vec::new();
    for doc in docs {
        if doc % STOP_EVERY == 0 && stop.load(Ordering::Relaxed) {
            return None;
        }
        let id = src.index.newest_first[doc];
        let doc = doc as u32;
        let a = &src.articles[id];
        let read = src
            .read_words
            .map_or_else(|| a.words.text(), |read| read(a));
        let body = read.as_str();
        let heads = [sequence(&a.title), sequence(&a.summary)];
        here.start(doc);
        let fields = place_words(&heads, body, &mut terms, &mut here);
        drop(read);
        let lengths = Lengths::of(&fields, a);
        for kind in Kind::ALL {
            for &t in &src.index.taxonomy(kind).by_article[id] {
                for w in names.of_term(kind, t) {
                    here.in_doc(terms.number(w)).names = true;
                }
            }
        }
        folded.clear();
        folded.extend(
            [&a.source, &a.location]
                .into_iter()
                .flatten()
                .flat_map(|f| words(f)),
        );
        for w in &folded {
            here.in_doc(terms.number(w)).other = true;
        }
        for (n, in_doc) in &here.words {
            add_word(
                &mut terms.postings[*n as usize],
                doc,
                rank(in_doc, &lengths, usual),
            );
        }
        for &(first, second, at) in &here.pairs {
            terms.push_pair(pair_key(first, second), doc, at);
        }
        if terms.pair_bytes > src.runs.bytes {
            terms.set_pairs_aside(src.runs);
        }
        for filter in filter_terms(src, id) {
            let n = terms.number(&filter);
            terms.postings[n as usize].any.push(doc);
        }
    }
    Some(terms)
}

/// The terms being gathered: each a number, by which its postings are
/// found (one hash lookup a word where it stands); and the pairs of the
/// documents since the last run was set aside, each by the numbers of its
/// two words, with the bytes they take, and the runs set aside.
#[derive(Default)]
struct Terms {
    numbers: FxHashMap<String, u32>,
    keys: Vec<String>,
    postings: Vec<Postings>,
    pairs: FxHashMap<u64, PairPart>,
    pair_bytes: usize,
    runs: Vec<Run>,
}

/// Where each of `keys` (by number) stands among them in word order.
fn places_in_word_order(keys: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut place = vec![0u32; order.len()];
    for (at, &n) in order.iter().enumerate() {
        place[n as usize] = at as u32;
    }
    place
}

/// What a pair takes in its map beside its part's bytes (an entry, and the
/// map's room for more).
const PAIR_ENTRY_BYTES: usize = 2 * std::mem::size_of::<(u64, PairPart)>();

impl Terms {
    fn number(&mut self, term: &str) -> u32 {
        match self.numbers.get(term) {
            Some(&n) => n,
            None => {
                let n = self.keys.len() as u32;
                self.numbers.insert(term.to_string(), n);
                self.keys.push(term.to_string());
                self.postings.push(Postings::default());
                n
            }
        }
    }

    fn push_pair(&mut self, key: u64, doc: u32, at: u32) {
        let part = self.pairs.entry(key).or_insert_with(|| {
            self.pair_bytes += PAIR_ENTRY_BYTES;
            PairPart::default()
        });
        self.pair_bytes += part.push(doc, at);
    }

    /// Sets the pairs gathered so far aside as a run, in the order of
    /// their words.
    fn set_pairs_aside(&mut self, runs: Runs) {
        if self.pairs.is_empty() {
            return;
        }
        let mut pairs: Vec<(u64, PairPart)> = self.pairs.drain().collect();
        // In the order of their words: by each word's place among the terms
        // in word order (sorting the pairs by their strings took 100 ms at
        // 10,000 articles, in which the preview's next save waited).
        let place = places_in_word_order(&self.keys);
        pairs.sort_unstable_by_key(|(key, _)| {
            let (first, second) = pair_words(*key);
            pair_key(place[first], place[second])
        });
        self.runs.push(Run::write(pairs, runs));
        self.pair_bytes = 0;
    }

    /// Every term with its postings, in key order, and the runs of pairs,
    /// the last one set aside now (see [`Gathered`]).
    fn sorted(mut self, runs: Runs) -> Gathered {
        self.set_pairs_aside(runs);
        let place = places_in_word_order(&self.keys);
        let mut terms: Vec<(String, Postings)> = Vec::new();
        terms.resize_with(place.len(), Default::default);
        for ((key, p), &at) in self.keys.into_iter().zip(self.postings).zip(&place) {
            terms[at as usize] = (key, p);
        }
        let runs = self.runs;
        Gathered {
            terms,
            pairs: vec![CoreRuns { place, runs }],
        }
    }
}

impl Postings {
    /// Adds a document's rank, two to a byte.
    fn push_rank(&mut self, rank: u8) {
        if self.any.len().is_multiple_of(2) {
            self.rank.push(rank << 4);
        } else if let Some(last) = self.rank.last_mut() {
            *last |= rank;
        }
    }

    /// Adds `later`'s documents, which all come after these.
    fn append(&mut self, later: Postings) {
        for (k, doc) in later.any.iter().enumerate() {
            if !later.rank.is_empty() {
                self.push_rank((later.rank[k / 2] >> if k % 2 == 0 { 4 } else { 0 }) & 15);
            }
            self.any.push(doc);
        }
    }
}

fn add_word(p: &mut Postings, doc: u32, rank: u8) {
    p.push_rank(rank);
    p.any.push(doc);
}

/// A document's words, by their numbers, and its pairs; kept from one
/// document to the next of a run, so that nothing is allocated or hashed
/// again for a word already placed.
#[derive(Default)]
struct Placed {
    /// The document being placed.
    doc: u32,
    /// By term number: the last document the term was placed in, and its
    /// place in `words` there.
    slots: Vec<(u32, u32)>,
    /// Each word of the document once, in the order first seen.
    words: Vec<(u32, InDoc)>,
    /// Each two words next to each other in a sentence: the first's and
    /// the second's numbers, and the first's position.
    pairs: Vec<(u32, u32, u32)>,
}

impl Placed {
    /// Starts document `doc`, which no document of the run was before.
    fn start(&mut self, doc: u32) {
        self.doc = doc;
        self.words.clear();
        self.pairs.clear();
    }

    fn in_doc(&mut self, n: u32) -> &mut InDoc {
        let n = n as usize;
        if n >= self.slots.len() {
            self.slots.resize(n + 1, (u32::MAX, 0));
        }
        let (doc, slot) = &mut self.slots[n];
        if *doc != self.doc {
            *doc = self.doc;
            *slot = self.words.len() as u32;
            self.words.push((n as u32, InDoc::default()));
        }
        &mut self.words[*slot as usize].1
    }
}

/// Puts each word of an article's title, summary (`heads`, as
/// [`sequence`] gives them) and body (its kept words) in `here`, numbered
/// by `terms`, with its pairs: one sequence, each field ending a sentence
/// (a position of its own between them). Returns where each of the three
/// is.
fn place_words(heads: &[String; 2], body: &str, terms: &mut Terms, here: &mut Placed) -> Fields {
    let mut fields = [0..0, 0..0, 0..0];
    let mut position = 0u32;
    let parts = [heads[0].as_str(), heads[1].as_str(), body];
    for (k, part) in parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        if position > 0 {
            position += 1;
        }
        let start = position;
        let mut previous = None;
        for w in words_of(part) {
            previous = match w == SENTENCE_END {
                true => None,
                false => {
                    let n = terms.number(w);
                    here.in_doc(n).counts[k] += 1;
                    if let Some(first) = previous {
                        here.pairs.push((first, n, position - 1));
                    }
                    Some(n)
                }
            };
            position += 1;
        }
        fields[k] = start..position;
    }
    Fields(fields)
}

/// The words of a sequence, between its spaces: `split(' ')`, by a plain
/// loop over the bytes, which is faster on words of a few letters (the
/// search of the split cost a tenth of the index's time).
fn words_of(sequence: &str) -> impl Iterator<Item = &str> {
    let bytes = sequence.as_bytes();
    let mut start = 0;
    let mut at = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        while at < bytes.len() && bytes[at] != b' ' {
            at += 1;
        }
        // A space is one byte of its own in UTF-8: both ends are boundaries.
        let word = &sequence[start..at];
        at += 1;
        start = at;
        Some(word)
    })
}

/// The terms of an article's filter values: its people, countries, tags
/// and source.
fn filter_terms(src: &Sources, id: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, filter) in FILTERS {
        let tax = src.index.taxonomy(kind);
        for &t in &tax.by_article[id] {
            out.push(filter_term(filter, &tax.terms[t].slug));
        }
    }
    if let Some(s) = &src.articles[id].source {
        out.push(filter_term("source", &crate::slugs::slugify(s)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::words_of;

    #[test]
    fn a_sequence_splits_at_its_spaces_as_split_does() {
        for s in [
            "",
            "a",
            "a b",
            "talks ended . new",
            " a  b ",
            "ünï cödé",
            "a ",
        ] {
            let want: Vec<&str> = s.split(' ').collect();
            assert_eq!(words_of(s).collect::<Vec<_>>(), want, "{s:?}");
        }
    }
}

//! Gathering the postings: for every term, the documents it is in, and
//! for a word, how well each document matches it (its rank, BM25F: the
//! word's count in the title, summary and body, each weighed and set
//! against the field's usual length, and its being in the article's names,
//! saturating) and where in each document it stands (its positions in the
//! title, summary and body, one sequence with a sentence's gap between the
//! fields), for phrases. Made one document at a time, newest first, in the
//! compact form the index writes ([`DocList`], varints, half a byte a
//! rank).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::build::{filter_term, NameWords, Sources, FILTERS};
use super::sets::{put_varint, DocList};
use crate::model::Kind;
use crate::words::{sequence, words, SENTENCE_END};

/// The documents a term is in (`any`); and, for a word, for each of them
/// in order, how well it matches (`rank`: 1 to [`RANK_LEVELS`], two to a
/// byte, the first in the high half) and where the word is (`at`: the
/// count, then the positions as gaps, varints; a count of 0 when the word
/// is only in the article's names, source or location). A filter value
/// has neither.
#[derive(Default)]
pub(super) struct Postings {
    pub(super) any: DocList,
    pub(super) rank: Vec<u8>,
    pub(super) at: Vec<u8>,
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

/// Where a word is in one document, and whether it is in the article's
/// names, or its source or location.
#[derive(Default)]
struct InDoc {
    names: bool,
    other: bool,
    positions: Vec<u32>,
}

/// The positions of a document's title, summary and body in its sequence.
struct Fields([Range<u32>; 3]);

/// The usual (mean) length in words of the titles, summaries and bodies.
struct Usual([f64; 3]);

impl Usual {
    /// Counted as [`place_words`] counts, without making the sequences:
    /// on every core when the index is built alone; `None` once `stop` is
    /// set.
    fn of(src: &Sources, stop: &AtomicBool) -> Option<Usual> {
        let lengths = |&id: &usize| {
            let a = &src.articles[id];
            let body = if a.words.is_empty() {
                0
            } else {
                a.words.split(' ').count()
            };
            [words(&a.title).count(), words(&a.summary).count(), body].map(|n| n as f64)
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
fn rank(in_doc: &InDoc, fields: &Fields, usual: &Usual) -> u8 {
    let weights = [TITLE_WEIGHT, SUMMARY_WEIGHT, 1.0];
    let mut count = 0.0;
    for (k, field) in fields.0.iter().enumerate() {
        let n = in_doc
            .positions
            .iter()
            .filter(|p| field.contains(p))
            .count() as f64;
        let length = f64::from(field.end - field.start);
        count += weights[k] * n / (1.0 - B + B * length / usual.0[k]);
    }
    count += NAMES_WEIGHT * f64::from(u8::from(in_doc.names));
    count += OTHER_WEIGHT * f64::from(u8::from(in_doc.other));
    let saturated = count / (K1 + count);
    ((saturated * f64::from(RANK_LEVELS)).round() as u8).clamp(1, RANK_LEVELS)
}

/// Every term with its documents, in term order; `None` once `stop` is set.
/// When the index is built alone, the documents are gathered in runs on
/// every core, each run's terms then appended to the first's in document
/// order; else in one run, on one core.
pub(super) fn postings(
    src: &Sources,
    names: &NameWords,
    stop: &AtomicBool,
) -> Option<Vec<(String, Postings)>> {
    let usual = Usual::of(src, stop)?;
    let docs = src.index.newest_first.len();
    let runs = match src.alone {
        true => 4 * rayon::current_num_threads().max(1),
        false => 1,
    };
    let size = docs.div_ceil(runs).max(1);
    let gathered: Vec<Option<Terms>> = (0..runs)
        .into_par_iter()
        .map(|k| gather(src, names, &usual, k * size..docs.min((k + 1) * size), stop))
        .collect();
    let mut all = Terms::default();
    for run in gathered {
        all.append(run?);
    }
    Some(all.sorted())
}

/// The terms of documents `docs` (numbers, newest first).
fn gather(
    src: &Sources,
    names: &NameWords,
    usual: &Usual,
    docs: Range<usize>,
    stop: &AtomicBool,
) -> Option<Terms> {
    let mut terms = Terms::default();
    let mut folded = Vec::new();
    for doc in docs {
        if doc % STOP_EVERY == 0 && stop.load(Ordering::Relaxed) {
            return None;
        }
        let id = src.index.newest_first[doc];
        let doc = doc as u32;
        let a = &src.articles[id];
        let heads = [sequence(&a.title), sequence(&a.summary)];
        let mut here: FxHashMap<&str, InDoc> = FxHashMap::default();
        let fields = place_words(&heads, &a.words, &mut here);
        for kind in Kind::ALL {
            for &t in &src.index.taxonomy(kind).by_article[id] {
                for w in names.of_term(kind, t) {
                    here.entry(w).or_default().names = true;
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
            here.entry(w).or_default().other = true;
        }
        for (w, in_doc) in here {
            add_word(terms.entry(w), doc, &in_doc, rank(&in_doc, &fields, usual));
        }
        for filter in filter_terms(src, id) {
            terms.entry(&filter).any.push(doc);
        }
    }
    Some(terms)
}

/// The terms being gathered: each a number, by which its postings are
/// found (one hash lookup a word a document).
#[derive(Default)]
struct Terms {
    numbers: FxHashMap<String, usize>,
    postings: Vec<Postings>,
}

impl Terms {
    fn entry(&mut self, term: &str) -> &mut Postings {
        let n = match self.numbers.get(term) {
            Some(&n) => n,
            None => {
                self.numbers.insert(term.to_string(), self.postings.len());
                self.postings.push(Postings::default());
                self.postings.len() - 1
            }
        };
        &mut self.postings[n]
    }

    /// Adds the postings of `later`, whose documents all come after these.
    fn append(&mut self, later: Terms) {
        let mut postings: Vec<Option<Postings>> = later.postings.into_iter().map(Some).collect();
        for (term, n) in later.numbers {
            let p = postings[n].take().expect("one term a number");
            self.entry(&term).append(p);
        }
    }

    /// Every term with its postings, in term order.
    fn sorted(self) -> Vec<(String, Postings)> {
        let mut postings: Vec<Option<Postings>> = self.postings.into_iter().map(Some).collect();
        let mut sorted: Vec<(String, Postings)> = self
            .numbers
            .into_iter()
            .map(|(term, n)| (term, postings[n].take().expect("one term a number")))
            .collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        sorted
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
        self.at.extend_from_slice(&later.at);
    }
}

fn add_word(p: &mut Postings, doc: u32, in_doc: &InDoc, rank: u8) {
    p.push_rank(rank);
    p.any.push(doc);
    put_varint(&mut p.at, in_doc.positions.len() as u64);
    let mut previous = 0;
    for &at in &in_doc.positions {
        put_varint(&mut p.at, u64::from(at - previous));
        previous = at;
    }
}

/// Puts each word of an article's title, summary (`heads`, as
/// [`sequence`] gives them) and body (its kept words) at its position in
/// `here`: one sequence, each field ending a sentence (a position of its
/// own between them). Returns where each of the three is.
fn place_words<'a>(
    heads: &'a [String; 2],
    body: &'a str,
    here: &mut FxHashMap<&'a str, InDoc>,
) -> Fields {
    let mut fields = [0..0, 0..0, 0..0];
    let mut position = 0u32;
    let parts = [heads[0].as_str(), heads[1].as_str(), body];
    for (k, part) in parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        if position > 0 {
            position += 1;
        }
        let start = position;
        for w in part.split(' ') {
            if w != SENTENCE_END {
                here.entry(w).or_default().positions.push(position);
            }
            position += 1;
        }
        fields[k] = start..position;
    }
    Fields(fields)
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

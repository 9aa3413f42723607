//! Gathering the postings: for every term, the documents it is in
//! (anywhere, and in the strong fields), and for a word, where in each
//! document it stands (its positions in the title, summary and body, one
//! sequence with a sentence's gap between the fields), for phrases. Made
//! one document at a time, newest first, in the compact form the index
//! writes ([`DocList`], varints).

use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashMap;

use super::build::{filter_term, NameWords, Sources, FILTERS};
use super::sets::{put_varint, DocList};
use crate::model::Kind;
use crate::words::{sequence, words, SENTENCE_END};

/// The documents a term is in: anywhere (`any`), and in the title, the
/// summary or the article's names (`strong`, which weighs more); and, for
/// each document of `any` in order, where the word is (`at`: the count,
/// then the positions as gaps, varints; a count of 0 when the word is only
/// in the article's names, source or location; nothing for a filter value).
#[derive(Default)]
pub(super) struct Postings {
    pub(super) any: DocList,
    pub(super) strong: DocList,
    pub(super) at: Vec<u8>,
}

/// Where a word is in one document, and whether it is in a strong field.
#[derive(Default)]
struct InDoc {
    strong: bool,
    positions: Vec<u32>,
}

/// Every term with its documents, in term order; `None` once `stop` is set.
pub(super) fn postings(
    src: &Sources,
    names: &NameWords,
    stop: &AtomicBool,
) -> Option<Vec<(String, Postings)>> {
    let mut terms: FxHashMap<String, Postings> = FxHashMap::default();
    let mut folded = Vec::new();
    for (doc, &id) in src.index.newest_first.iter().enumerate() {
        if doc % 1024 == 0 && stop.load(Ordering::Relaxed) {
            return None;
        }
        let doc = doc as u32;
        let text = doc_sequence(src, id);
        let mut here: FxHashMap<&str, InDoc> = FxHashMap::default();
        let tokens = text.split(' ').filter(|w| !w.is_empty());
        for (position, w) in tokens.enumerate() {
            if w != SENTENCE_END {
                here.entry(w).or_default().positions.push(position as u32);
            }
        }
        for w in strong_words(src, names, id, &mut folded) {
            here.entry(w).or_default().strong = true;
        }
        for (w, in_doc) in here {
            add_word(entry(&mut terms, w), doc, &in_doc);
        }
        for filter in filter_terms(src, id) {
            entry(&mut terms, &filter).any.push(doc);
        }
    }
    let mut sorted: Vec<(String, Postings)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(sorted)
}

fn entry<'a>(terms: &'a mut FxHashMap<String, Postings>, term: &str) -> &'a mut Postings {
    if !terms.contains_key(term) {
        terms.insert(term.to_string(), Postings::default());
    }
    terms.get_mut(term).expect("just inserted")
}

fn add_word(p: &mut Postings, doc: u32, in_doc: &InDoc) {
    p.any.push(doc);
    if in_doc.strong {
        p.strong.push(doc);
    }
    put_varint(&mut p.at, in_doc.positions.len() as u64);
    let mut previous = 0;
    for &at in &in_doc.positions {
        put_varint(&mut p.at, u64::from(at - previous));
        previous = at;
    }
}

/// An article's words in order for phrases: its title, summary and body,
/// each ending a sentence.
pub(super) fn doc_sequence(src: &Sources, id: usize) -> String {
    let a = &src.articles[id];
    let parts = [sequence(&a.title), sequence(&a.summary)];
    let mut text = String::with_capacity(parts[0].len() + parts[1].len() + a.words.len() + 8);
    for part in parts.iter().map(String::as_str).chain([a.words.as_str()]) {
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
            text.push_str(SENTENCE_END);
            text.push(' ');
        }
        text.push_str(part);
    }
    text
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

/// The words an article is found by through its title, summary, source,
/// location and names (the strong ones), sorted and distinct: the words
/// of the fields are folded into `folded`, the names' words borrowed.
fn strong_words<'a>(
    src: &Sources,
    names: &'a NameWords,
    id: usize,
    folded: &'a mut Vec<String>,
) -> Vec<&'a str> {
    let a = &src.articles[id];
    let fields = [
        Some(&a.title),
        Some(&a.summary),
        a.source.as_ref(),
        a.location.as_ref(),
    ];
    folded.clear();
    folded.extend(fields.into_iter().flatten().flat_map(|f| words(f)));
    let mut all: Vec<&str> = folded.iter().map(String::as_str).collect();
    for kind in Kind::ALL {
        for &t in &src.index.taxonomy(kind).by_article[id] {
            all.extend(names.of_term(kind, t).iter().map(String::as_str));
        }
    }
    all.sort_unstable();
    all.dedup();
    all
}

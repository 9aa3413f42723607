//! Building the index files from the loaded site: every article a
//! document, numbered newest first (so date order is number order and a
//! year is a run of numbers), every folded word and every filter value a
//! term with the set of documents it is in, the terms cut into shards in
//! word order, and the documents' result records cut into chunks. The
//! entry file says where each shard starts, which filter values exist and
//! how many documents there are.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::beside::Beside;
use super::postings::{postings, Gathered, Postings};
use super::runs::{self, Runs};
use super::sets::{put_doc_list, put_varint};
use super::stems::{stemmer_for, Families, FAMILY};
use super::{Files, DOCS_DIR, ENTRY, FILTERS_FILE, NAMES_DIR, PAIRS_DIR, RANKS_DIR, SHARDS_DIR};
use crate::load::Article;
use crate::model::{Entities, Index, Kind, Term};
use crate::render::display_date;
use crate::words::words;

/// A shard is closed once it holds this many bytes (one term's sets may
/// make it larger: at most two bitmaps of the whole archive).
pub(crate) const SHARD_BYTES: usize = 8 << 10;

/// Result records per chunk file.
pub(crate) const RECORDS_PER_CHUNK: usize = 10;

/// A summary longer than this (in characters) is cut at a word.
const SUMMARY_CHARS: usize = 280;

/// Filter values of each kind named in the entry file, most used first.
const ENTRY_VALUES: usize = 40;

/// Filter values of each kind whose counts the search page shows: their
/// sets go together in `filters.bin`, one file for every query. Exact
/// counts over a large result need about one bit per article per value
/// (12.5 KB at 100,000 articles for a common value), so the number of
/// values shown is what the bytes of a query are traded against.
pub(crate) const COUNTED_VALUES: usize = 4;

/// Filter kinds: the prefix of their terms and their name in the entry.
pub(super) const FILTERS: [(Kind, &str); 3] = [
    (Kind::People, "person"),
    (Kind::Countries, "country"),
    (Kind::Tags, "tag"),
];

/// The term of a filter value: `~person:keir-starmer`. No folded word holds
/// `~`, so filters and words never meet.
pub(crate) fn filter_term(filter: &str, value: &str) -> String {
    format!("~{filter}:{value}")
}

/// Whether a term is a filter value's rather than a word's.
pub(crate) fn is_filter_term(term: &str) -> bool {
    term.starts_with('~')
}

/// Everything the index is built from.
pub(crate) struct Sources<'a> {
    pub(crate) articles: &'a [Article],
    pub(crate) index: &'a Index,
    pub(crate) entities: &'a Entities,
    /// The site's language, whose Snowball stemmer makes the word families.
    pub(crate) language: &'a str,
    /// Whether the index is the only work of the moment (`gazette build`
    /// makes it before the pages), so that it may take every core; else
    /// (beside the render, or in the preview's background while an editor
    /// saves) it takes one.
    pub(crate) alone: bool,
    /// How to read an article's body words (as [`Article::words`] holds
    /// them) when the articles were loaded without them (`gazette build`):
    /// each is read as its article is indexed and dropped after it. `None`:
    /// the articles hold them (the preview keeps them for its next pass).
    pub(crate) read_words: Option<&'a ReadWords<'a>>,
    /// Where the word pairs are set aside as they are gathered.
    pub(crate) runs: Runs<'a>,
}

/// Reads an article's body words from its file (`load` owns the reading).
pub(crate) type ReadWords<'a> = dyn Fn(&Article) -> String + Sync + 'a;

/// Takes each file of the index (site path and bytes) as it is made.
pub(crate) type FileSink<'s> = dyn FnMut(String, Vec<u8>) + 's;

/// Gives each of the index's files to `sink` as it is made: `Ok(false)`
/// when `stop` was set meanwhile (the preview's next edit goes first; some
/// files may have been given); an error when the pairs set aside could not
/// be read back.
pub(crate) fn index_into(
    src: &Sources,
    stop: &AtomicBool,
    sink: &mut FileSink,
) -> io::Result<bool> {
    let names_words = NameWords::of(src);
    let sources = source_values(src);
    let Some(Gathered { terms, pairs }) = postings(src, &names_words, stop) else {
        return Ok(false);
    };
    let docs = src.index.newest_first.len() as u32;
    let filters = filter_values(src, &sources);
    let counted = counted_sets(&terms, &filters, docs);
    let stemmer = stemmer_for(src.language);
    let families = Families::of(
        stemmer.as_ref(),
        terms.iter().map(|(t, _)| (t.as_str(), !is_filter_term(t))),
    );
    let mut build = xxhash_rust::xxh3::Xxh3::new();
    let mut give = |path: String, bytes: Vec<u8>| {
        build.update(path.as_bytes());
        build.update(&bytes);
        sink(path, bytes);
    };
    let (shard_starts, keys) = shards(terms, &families, docs, &mut give);
    let mut pair_files = Beside::new(PAIRS_DIR, PAIR_FILE_BYTES);
    let mut key = String::new();
    let merged = runs::merge(pairs, stop, |first, second, part| {
        key.clear();
        key.push_str(&keys[first]);
        key.push(' ');
        key.push_str(&keys[second]);
        pair_files.add(&key, part);
        pair_files
            .take_cut()
            .into_iter()
            .for_each(|(p, b)| give(p, b));
    })?;
    if !merged {
        return Ok(false);
    }
    pair_files
        .finish()
        .into_iter()
        .for_each(|(p, b)| give(p, b));
    give(format!("{}{FILTERS_FILE}", super::SEARCH_DIR), counted);
    let names = names(src, &names_words);
    let name_keys: Vec<String> = names.keys().cloned().collect();
    for (key, list) in names {
        let path = format!("{}{NAMES_DIR}{key}.json", super::SEARCH_DIR);
        give(path, inert_json(&list));
    }
    if stop.load(Ordering::Relaxed) {
        return Ok(false);
    }
    record_chunks(src).into_iter().for_each(|(p, b)| give(p, b));
    let entry = Entry {
        version: 2,
        docs,
        chunk: RECORDS_PER_CHUNK,
        counted: COUNTED_VALUES,
        shards: shard_starts,
        years: year_runs(src),
        filters,
        names: name_keys,
        paths: FILTERS
            .iter()
            .map(|&(kind, name)| (name, crate::render::taxonomy_path(kind)))
            .collect(),
        build: format!("{:016x}", build.digest()),
    };
    sink(format!("{}{ENTRY}", super::SEARCH_DIR), inert_json(&entry));
    Ok(true)
}

/// The folded words of every person's, country's and tag's names: the name
/// shown, every spelling seen, and the aliases and codes of the registry.
pub(super) struct NameWords(Vec<Vec<Vec<String>>>);

impl NameWords {
    fn of(src: &Sources) -> NameWords {
        let per_kind = Kind::ALL
            .iter()
            .map(|&kind| {
                let terms = &src.index.taxonomy(kind).terms;
                terms.iter().map(|t| term_words(src, kind, t)).collect()
            })
            .collect();
        NameWords(per_kind)
    }

    pub(super) fn of_term(&self, kind: Kind, term: usize) -> &[String] {
        let k = Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
        &self.0[k][term]
    }
}

fn term_words(src: &Sources, kind: Kind, term: &Term) -> Vec<String> {
    let mut names: Vec<&str> = vec![&term.name];
    names.extend(term.spellings.iter().map(|(s, _)| s.as_str()));
    match kind {
        Kind::People => {
            if let Some(id) = src.entities.people.resolve(&term.name) {
                let entry = src.entities.people.entry(id);
                names.push(&entry.name);
                names.extend(entry.aliases.iter().map(String::as_str));
            }
        }
        Kind::Countries => {
            if let Some(c) = src.entities.countries.lookup(&term.name) {
                names.push(&c.name);
                names.push(&c.code);
                names.extend(c.aliases.iter().map(String::as_str));
            }
        }
        Kind::Tags => {}
    }
    let mut all: Vec<String> = names.into_iter().flat_map(words).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// A person or country the search page may offer for a word typed wrong:
/// `[name shown, filter kind, articles, the folded words of its spellings
/// that start with the file's letter]`.
type NameRecord<'a> = (&'a str, &'static str, usize, Vec<&'a str>);

/// Every person and country, most written about first, in files by the
/// first letter of their words (`names/<key>.json`): a word that found
/// nothing loads the file of its own first letter only (a name typed with
/// its first letter wrong is not offered).
fn names<'a>(src: &'a Sources, words: &'a NameWords) -> BTreeMap<String, Vec<NameRecord<'a>>> {
    let mut all = Vec::new();
    for (kind, filter) in [(Kind::People, "person"), (Kind::Countries, "country")] {
        let terms = &src.index.taxonomy(kind).terms;
        for (i, t) in terms.iter().enumerate() {
            all.push((
                t.name.as_str(),
                filter,
                t.articles.len(),
                words.of_term(kind, i),
            ));
        }
    }
    all.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    let mut files: BTreeMap<String, Vec<NameRecord>> = BTreeMap::new();
    for (name, kind, count, words) in all {
        let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for w in words {
            if let Some(c) = w.chars().next() {
                by_key.entry(name_key(c)).or_default().push(w);
            }
        }
        for (key, words) in by_key {
            files
                .entry(key)
                .or_default()
                .push((name, kind, count, words));
        }
    }
    files
}

/// The key of a `names/` file: the letter or digit itself, else `u` and
/// its code point in hex. Mirrored by `nameKey` in client/reading.js.
fn name_key(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("u{:x}", u32::from(c))
    }
}

/// Each source as written, by its filter value (its slug).
fn source_values(src: &Sources) -> BTreeMap<String, (String, u32)> {
    let mut values: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for a in src.articles {
        if let Some(s) = &a.source {
            let v = values
                .entry(crate::slugs::slugify(s))
                .or_insert((s.clone(), 0));
            v.1 += 1;
        }
    }
    values
}

/// The sets of the filter values whose counts are shown (the first
/// [`COUNTED_VALUES`] of each kind in the entry), as `filters.bin`: each a
/// term and its set, in the entry's order.
fn counted_sets(terms: &[(String, Postings)], filters: &FilterValues, docs: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for (filter, values) in filters {
        for (value, _, _) in values.iter().take(COUNTED_VALUES) {
            let term = filter_term(filter, value);
            let Ok(at) = terms.binary_search_by(|(t, _)| t.as_str().cmp(&term)) else {
                continue;
            };
            put_varint(&mut out, term.len() as u64);
            out.extend_from_slice(term.as_bytes());
            put_doc_list(&mut out, &terms[at].1.any, docs);
        }
    }
    out
}

/// Cuts the terms and the word families into shards, in key order: returns
/// each shard's first key and the files. A term's record is its key, its
/// set of articles and its stem (a filter value's is itself); a family's
/// (`^stem`) is its key and the words that have the stem. Stems and
/// members are written after the characters they share with the key or
/// stem ([`put_relative`]). Beside the shards, `rank/` holds how well
/// each word matches each of its documents (its `rank`), loaded only to
/// sort by relevance ([`Beside`]).
/// Gives the shards to `give` as each is closed, then the ranks' files;
/// returns the first key of each shard, and the terms. Each term's
/// postings are dropped once written.
fn shards(
    terms: Vec<(String, Postings)>,
    families: &Families,
    docs: u32,
    give: &mut FileSink,
) -> (Vec<String>, Vec<String>) {
    let (keys, postings): (Vec<String>, Vec<Postings>) = terms.into_iter().unzip();
    let mut family_records = families.members.iter().map(|(stem, members)| {
        let mut body = Vec::new();
        put_varint(&mut body, members.len() as u64);
        for &m in members {
            put_relative(&mut body, stem, &keys[m]);
        }
        (format!("{FAMILY}{stem}"), body)
    });
    let mut next_family = family_records.next();
    let mut out = ShardWriter::default();
    for (i, (term, p)) in keys.iter().zip(postings).enumerate() {
        while let Some((key, body)) = next_family.take_if(|(key, _)| key.as_str() < term.as_str()) {
            out.record(&key, &body, None);
            next_family = family_records.next();
        }
        let mut body = Vec::new();
        put_doc_list(&mut body, &p.any, docs);
        put_relative(&mut body, term, &families.stems[i]);
        out.record(term, &body, Some(&p.rank));
        out.files
            .drain(..)
            .for_each(|(path, bytes)| give(path, bytes));
    }
    while let Some((key, body)) = next_family.take() {
        out.record(&key, &body, None);
        next_family = family_records.next();
    }
    let (starts, files) = out.finish();
    files
        .into_iter()
        .for_each(|(path, bytes)| give(path, bytes));
    (starts, keys)
}

/// Appends `s` as the number of leading characters it shares with `base`
/// and the rest (its length in bytes, then its bytes): a stem or a family
/// member costs a byte or three beside the word it is written after.
fn put_relative(out: &mut Vec<u8>, base: &str, s: &str) {
    let shared: Vec<(usize, char)> = base
        .chars()
        .zip(s.char_indices())
        .take_while(|(a, (_, b))| a == b)
        .map(|(_, ib)| ib)
        .collect();
    let (count, at) = shared
        .last()
        .map_or((0, 0), |&(i, c)| (shared.len(), i + c.len_utf8()));
    put_varint(out, count as u64);
    put_varint(out, (s.len() - at) as u64);
    out.extend_from_slice(&s.as_bytes()[at..]);
}

/// Reads what [`put_relative`] wrote after `base`.
#[cfg(test)]
pub(crate) fn get_relative(bytes: &[u8], at: &mut usize, base: &str) -> String {
    use super::sets::get_varint;
    let shared = get_varint(bytes, at) as usize;
    let len = get_varint(bytes, at) as usize;
    let rest = std::str::from_utf8(&bytes[*at..*at + len]).expect("UTF-8");
    *at += len;
    base.chars().take(shared).chain(rest.chars()).collect()
}

/// Gathers records into shards of about [`SHARD_BYTES`], and the words'
/// ranks into the files beside them ([`Beside`]).
struct ShardWriter {
    starts: Vec<String>,
    files: Files,
    shard: Vec<u8>,
    ranks: Beside,
}

/// The size the `rank/` and `pairs/` files are cut at. The pairs' files
/// are larger: there are many more pairs than words (about two a word of
/// a body), and `starts.json`, which a phrase loads whole, names one pair
/// a file.
const RANK_FILE_BYTES: usize = 16 << 10;
const PAIR_FILE_BYTES: usize = 64 << 10;

impl Default for ShardWriter {
    fn default() -> ShardWriter {
        ShardWriter {
            starts: Vec::new(),
            files: Vec::new(),
            shard: Vec::new(),
            ranks: Beside::new(RANKS_DIR, RANK_FILE_BYTES),
        }
    }
}

impl ShardWriter {
    /// A record: a term's (with its ranks) or a family's.
    fn record(&mut self, key: &str, body: &[u8], ranks: Option<&[u8]>) {
        if self.shard.is_empty() {
            self.starts.push(key.to_string());
        }
        put_varint(&mut self.shard, key.len() as u64);
        self.shard.extend_from_slice(key.as_bytes());
        self.shard.extend_from_slice(body);
        if let Some(ranks) = ranks {
            self.ranks.add(key, ranks);
        }
        if self.shard.len() >= SHARD_BYTES {
            self.cut();
        }
    }

    fn cut(&mut self) {
        let n = self.starts.len() - 1;
        self.files
            .push((shard_path(n), std::mem::take(&mut self.shard)));
    }

    fn finish(mut self) -> (Vec<String>, Files) {
        if !self.shard.is_empty() {
            self.cut();
        }
        self.files.extend(self.ranks.finish());
        (self.starts, self.files)
    }
}

fn shard_path(n: usize) -> String {
    format!("{}{SHARDS_DIR}{n}.bin", super::SEARCH_DIR)
}

/// One result as the client shows it.
#[derive(Serialize)]
struct Record<'a> {
    /// The article's page (site path).
    u: &'a str,
    /// Title.
    t: &'a str,
    /// Date, `2026-02-20`, and as readers see it.
    d: String,
    dd: String,
    /// Source.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a str>,
    /// Summary, cut.
    m: String,
    /// People, countries, tags: `[name, slug]`.
    p: Vec<(&'a str, &'a str)>,
    c: Vec<(&'a str, &'a str)>,
    g: Vec<(&'a str, &'a str)>,
}

/// The result records, a chunk file of [`RECORDS_PER_CHUNK`] at a time:
/// each chunk's records live only while it is serialised.
fn record_chunks(src: &Sources) -> Files {
    src.index
        .newest_first
        .par_chunks(RECORDS_PER_CHUNK)
        .enumerate()
        .map(|(n, ids)| {
            let records: Vec<Record> = ids.iter().map(|&id| record(src, id)).collect();
            let path = format!("{}{DOCS_DIR}{n}.json", super::SEARCH_DIR);
            (path, inert_json(&records))
        })
        .collect()
}

fn record<'a>(src: &'a Sources, id: usize) -> Record<'a> {
    let a = &src.articles[id];
    let names = |kind: Kind| {
        let tax = src.index.taxonomy(kind);
        tax.by_article[id]
            .iter()
            .map(|&t| (tax.terms[t].name.as_str(), tax.terms[t].slug.as_str()))
            .collect()
    };
    Record {
        u: &a.path,
        t: &a.title,
        d: a.date.format("%Y-%m-%d").to_string(),
        dd: display_date(&a.date),
        s: a.source.as_deref(),
        m: cut_summary(&a.summary),
        p: names(Kind::People),
        c: names(Kind::Countries),
        g: names(Kind::Tags),
    }
}

/// The summary cut at a word before [`SUMMARY_CHARS`], with an ellipsis.
pub(crate) fn cut_summary(summary: &str) -> String {
    if summary.chars().count() <= SUMMARY_CHARS {
        return summary.to_string();
    }
    let end = summary
        .char_indices()
        .nth(SUMMARY_CHARS)
        .map_or(summary.len(), |(i, _)| i);
    let head = &summary[..end];
    let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
    format!("{}…", head.trim_end())
}

/// The entry file.
#[derive(Serialize)]
struct Entry {
    version: u32,
    /// Documents (articles).
    docs: u32,
    /// Records per chunk.
    chunk: usize,
    /// Values of each filter kind in `filters.bin`.
    counted: usize,
    /// The first term of each shard.
    shards: Vec<String>,
    /// Each year, its runs of documents `[first, end)`, and its count.
    years: Vec<YearRuns>,
    /// Filter values: `[value, name, count]`, most used first.
    filters: FilterValues,
    /// The keys of the `names/` files (a word's first letter, [`name_key`]).
    names: Vec<String>,
    /// Where each filter kind's pages are.
    paths: BTreeMap<&'static str, String>,
    /// Changes whenever any index file changes (fetched with `?v=`).
    build: String,
}

/// A year, its runs of documents `[first, end)`, and its count.
type YearRuns = (i32, Vec<(u32, u32)>, usize);

fn year_runs(src: &Sources) -> Vec<YearRuns> {
    src.index
        .years
        .iter()
        .rev()
        .map(|(&year, y)| {
            let mut docs: Vec<u32> = y
                .articles
                .iter()
                .map(|&id| src.index.rank[id] as u32)
                .collect();
            docs.sort_unstable();
            let mut runs: Vec<(u32, u32)> = Vec::new();
            for d in docs {
                match runs.last_mut() {
                    Some(run) if run.1 == d => run.1 = d + 1,
                    _ => runs.push((d, d + 1)),
                }
            }
            (year, runs, y.articles.len())
        })
        .collect()
}

/// Each filter kind's values: `[value, name, count]`, most used first.
type FilterValues = BTreeMap<&'static str, Vec<(String, String, usize)>>;

fn filter_values(src: &Sources, sources: &BTreeMap<String, (String, u32)>) -> FilterValues {
    let mut out = BTreeMap::new();
    for (kind, filter) in FILTERS {
        let terms = &src.index.taxonomy(kind).terms;
        let values = terms
            .iter()
            .map(|t| (t.slug.clone(), t.name.clone(), t.articles.len()));
        out.insert(filter, most_used(values));
    }
    let values = sources
        .iter()
        .map(|(slug, (name, n))| (slug.clone(), name.clone(), *n as usize));
    out.insert("source", most_used(values));
    out
}

fn most_used(
    values: impl Iterator<Item = (String, String, usize)>,
) -> Vec<(String, String, usize)> {
    let mut all: Vec<_> = values.collect();
    all.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    all.truncate(ENTRY_VALUES);
    all
}

/// `value` as JSON with `<`, `>` and `&` written as `\u003c`... : the
/// client reads it as data, and no file of the index can be mistaken for
/// markup even if served or sniffed as HTML.
fn inert_json(value: &(impl Serialize + ?Sized)) -> Vec<u8> {
    let json = serde_json::to_string(value).expect("index values serialise");
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes()
}

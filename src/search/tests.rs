//! The index against the articles it was built from: read back in Rust
//! (every article found by its words, filters equal to the entity pages'
//! lists), and queried through the browser client under node, whose
//! results must equal a brute-force scan of the articles for random sites
//! and random queries.

mod brute_force;
mod excerpts;
mod forms;
mod phrases;
mod ranking;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::build::filter_term;
use super::sets::{get_set, get_varint};

use super::*;
use crate::load::{self, Article};
use crate::model::{Entities, Index, Kind, People, PersonEntry, Registry};
use crate::words::words;

/// Articles, entities and index of a random site; the body of each article
/// is its last front-matter-free part.
struct Fixture {
    articles: Vec<Article>,
    bodies: Vec<String>,
    entities: Entities,
    index: Index,
}

const POOL: [&str; 29] = [
    "ceasefire",
    "talks",
    "talked",
    "negotiators",
    "negotiating",
    "party",
    "parties",
    "Zelenskyy's",
    "Støre",
    "Store",
    "Noël",
    "drones",
    "U.S.",
    "budget",
    "summit",
    "guarantees",
    "Kyiv",
    "Łódź",
    "ministers",
    "aid",
    "talk",
    "treaty",
    "sanctions",
    "O'Brien",
    "grain",
    "ports",
    "2026",
    "energy",
    "troops",
];
const PEOPLE: [&str; 5] = [
    "Volodymyr Zelenskiy",
    "Zelensky",
    "Jonas Gahr Støre",
    "Ann Lee",
    "Bo Chen",
];
const COUNTRIES: [&str; 5] = ["UK", "France", "Ukraine", "Norway", "Atlantis"];
const TAGS: [&str; 4] = ["security", "trade", "c++", "energy policy"];
const SOURCES: [&str; 3] = ["AFP", "Reuters", "The \"Wire\" & <Co>"];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn some<'a>(&mut self, pool: &[&'a str], most: usize) -> Vec<&'a str> {
        let picked: BTreeSet<&str> = (0..self.below(most + 1))
            .map(|_| pool[self.below(pool.len())])
            .collect();
        picked.into_iter().collect()
    }
    fn sentence(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| POOL[self.below(POOL.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn entities() -> Entities {
    let countries = Registry::builtin();
    let zelenskiy = PersonEntry {
        name: "Volodymyr Zelenskiy".into(),
        aliases: vec!["Zelensky".into(), "Volodymyr Zelenskyy".into()],
        role: None,
        country: Some("Ukraine".into()),
        description: None,
        line: 1,
        ..PersonEntry::default()
    };
    let people = People::from_entries(vec![zelenskiy], &countries, Path::new("p")).unwrap();
    Entities { countries, people }
}

fn random_fixture(seed: u64) -> Fixture {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let count = 1 + rng.below(40);
    let mut articles = Vec::new();
    let mut bodies = Vec::new();
    for i in 0..count {
        let quoted = |names: Vec<&str>| {
            let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            list.join(", ")
        };
        let (y, m, d) = (2024 + rng.below(3), 1 + rng.below(12), 1 + rng.below(28));
        let n = 1 + rng.below(4);
        let title = format!("{} no{i}", rng.sentence(n));
        let source = match rng.below(4) {
            3 => String::new(),
            n => format!("source: {:?}\n", SOURCES[n]),
        };
        let front = format!(
            "title: {title:?}\ndate: {y}-{m:02}-{d:02}T{:02}:00:00Z\n{source}people: [{}]\ncountries: [{}]\ntags: [{}]\n",
            rng.below(24),
            quoted(rng.some(&PEOPLE, 2)),
            quoted(rng.some(&COUNTRIES, 2)),
            quoted(rng.some(&TAGS, 2)),
        );
        let (n, m) = (rng.below(12), rng.below(4));
        let (first, second) = (rng.sentence(n), rng.sentence(m));
        let body = format!("{first}\n\nAnd **{second}** [here](https://example.org/x).\n");
        let rel = format!("{y}/{m:02}/s{i}.md");
        let text = format!("---\n{front}---\n{body}");
        let file = PathBuf::from("content").join(&rel);
        articles.push(load::parse_article(file, rel, text.as_bytes(), chrono_tz::UTC).unwrap());
        bodies.push(body);
    }
    Fixture::of(articles, bodies)
}

impl Fixture {
    /// The fixture of these articles and bodies, with the test's people.
    fn of(articles: Vec<Article>, bodies: Vec<String>) -> Fixture {
        let entities = entities();
        let index = Index::build(&articles, &entities);
        Fixture {
            articles,
            bodies,
            entities,
            index,
        }
    }

    /// The index files, the word pairs set aside in memory every few
    /// documents (so that every test reads them back from many runs).
    fn files(&self) -> Files {
        self.files_with(Runs {
            dir: None,
            bytes: 256,
        })
    }

    fn files_with(&self, runs: Runs) -> Files {
        files(&Sources {
            articles: &self.articles,
            index: &self.index,
            entities: &self.entities,
            language: "en",
            alone: true,
            read_words: None,
            runs,
        })
    }

    /// An article's words in order, `.` between sentences and between
    /// its title, summary and body: what phrases are matched against.
    fn sequence(&self, id: usize) -> Vec<String> {
        let a = &self.articles[id];
        let parts = [
            crate::words::sequence(&a.title),
            crate::words::sequence(&a.summary),
            crate::words::body_words(&self.bodies[id]),
        ];
        let mut out: Vec<String> = Vec::new();
        for part in parts.iter().filter(|p| !p.is_empty()) {
            if !out.is_empty() {
                out.push(".".into());
            }
            out.extend(part.split(' ').map(String::from));
        }
        out
    }

    /// Every word an article is found by, scanned from its fields.
    fn words_of(&self, id: usize) -> BTreeSet<String> {
        let a = &self.articles[id];
        let mut texts: Vec<String> = vec![
            a.title.clone(),
            a.summary.clone(),
            crate::markdown::plain_text(&self.bodies[id]),
        ];
        texts.extend(a.source.clone());
        texts.extend(a.location.clone());
        texts.extend(a.tags.iter().map(|t| t.to_string()));
        for p in &a.people {
            texts.push(p.to_string());
            if let Some(e) = self.entities.people.resolve(p) {
                let e = self.entities.people.entry(e);
                texts.push(e.name.clone());
                texts.extend(e.aliases.iter().cloned());
            }
        }
        for c in &a.countries {
            texts.push(c.to_string());
            if let Some(c) = self.entities.countries.lookup(c) {
                texts.extend([c.name.clone(), c.code.clone()]);
                texts.extend(c.aliases.iter().cloned());
            }
        }
        texts.iter().flat_map(|t| words(t)).collect()
    }
}

/// The index read back: term -> (documents, and for a word how well it
/// matches each of them: its rank, 1 to 15).
type Terms = BTreeMap<String, (Vec<u32>, Vec<u8>)>;

/// Everything the shards hold: the terms' sets, each word's stem, and each
/// stem's family (`^stem` -> its words).
struct Back {
    entry: serde_json::Value,
    terms: Terms,
    stems: BTreeMap<String, String>,
    families: BTreeMap<String, Vec<String>>,
    /// Each pair's (`first second`) documents, with its positions in each.
    pairs: BTreeMap<String, Vec<(u32, Vec<u32>)>>,
}

fn read_back(files: &Files) -> (serde_json::Value, Terms) {
    let back = read_all(files);
    (back.entry, back.terms)
}

/// The parts in a folder beside the shards (`rank`, `pairs`), each file
/// starting with the key its `starts.json` says.
fn beside_parts(by_path: &BTreeMap<&str, &[u8]>, dir: &str) -> BTreeMap<String, Vec<u8>> {
    let starts: Vec<String> =
        serde_json::from_slice(by_path[format!("/search/{dir}/starts.json").as_str()]).unwrap();
    let mut parts = BTreeMap::new();
    for (n, start) in starts.iter().enumerate() {
        let bytes = by_path[format!("/search/{dir}/{n}.bin").as_str()];
        let mut at = 0;
        while at < bytes.len() {
            let first = at == 0;
            let len = get_varint(bytes, &mut at) as usize;
            let term = std::str::from_utf8(&bytes[at..at + len])
                .unwrap()
                .to_string();
            at += len;
            if first {
                assert_eq!(&term, start, "{dir}/{n}.bin starts with its start");
            }
            let len = get_varint(bytes, &mut at) as usize;
            parts.insert(term, bytes[at..at + len].to_vec());
            at += len;
        }
    }
    parts
}

fn read_all(files: &Files) -> Back {
    let by_path: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let entry: serde_json::Value = serde_json::from_slice(by_path["/search/index.json"]).unwrap();
    let docs = entry["docs"].as_u64().unwrap() as u32;
    let mut terms = Terms::new();
    let mut stems = BTreeMap::new();
    let mut families: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rank_parts = beside_parts(&by_path, "rank");
    let pairs = beside_parts(&by_path, "pairs")
        .into_iter()
        .map(|(pair, part)| (pair, super::pairs::read(&part)))
        .collect();
    let mut previous = String::new();
    for n in 0..entry["shards"].as_array().unwrap().len() {
        let bytes = by_path[format!("/search/words/{n}.bin").as_str()];
        let mut at = 0;
        while at < bytes.len() {
            let len = get_varint(bytes, &mut at) as usize;
            let term = std::str::from_utf8(&bytes[at..at + len])
                .unwrap()
                .to_string();
            at += len;
            assert!(entry["shards"][n].as_str().unwrap() <= term.as_str());
            assert!(previous < term, "keys in order: {previous} {term}");
            previous.clone_from(&term);
            if let Some(stem) = term.strip_prefix('^') {
                let count = get_varint(bytes, &mut at);
                let members = (0..count)
                    .map(|_| build::get_relative(bytes, &mut at, stem))
                    .collect();
                families.insert(stem.to_string(), members);
                continue;
            }
            let any = get_set(bytes, &mut at, docs);
            let packed = rank_parts.get(&term).map_or(&[][..], Vec::as_slice);
            let ranks: Vec<u8> = (0..any.len())
                .filter(|_| !packed.is_empty())
                .map(|k| (packed[k / 2] >> if k % 2 == 0 { 4 } else { 0 }) & 15)
                .collect();
            stems.insert(term.clone(), build::get_relative(bytes, &mut at, &term));
            terms.insert(term, (any, ranks));
        }
    }
    Back {
        entry,
        terms,
        stems,
        families,
        pairs,
    }
}

#[test]
fn every_article_is_found_by_each_of_its_words() {
    for seed in 0..30 {
        let f = random_fixture(seed);
        let (_, terms) = read_back(&f.files());
        for (doc, &id) in f.index.newest_first.iter().enumerate() {
            for w in f.words_of(id) {
                let found = terms
                    .get(&w)
                    .is_some_and(|(any, _)| any.contains(&(doc as u32)));
                assert!(
                    found,
                    "seed {seed}: `{w}` does not find {}",
                    f.articles[id].rel
                );
            }
            let title = words(&f.articles[id].title).next().unwrap();
            let (any, ranks) = &terms[&title];
            let k = any.binary_search(&(doc as u32)).unwrap();
            assert!(ranks[k] >= 9, "a title word ranks high: {}", ranks[k]);
        }
        // Nothing is found by a word it does not hold; every word ranks.
        for (term, (any, ranks)) in terms.iter().filter(|(t, _)| !build::is_filter_term(t)) {
            assert_eq!(ranks.len(), any.len(), "`{term}`");
            assert!(
                ranks.iter().all(|r| (1..=15).contains(r)),
                "`{term}`: {ranks:?}"
            );
            for &doc in any {
                let id = f.index.newest_first[doc as usize];
                assert!(f.words_of(id).contains(term), "seed {seed}: `{term}`");
            }
        }
    }
}

#[test]
fn each_pair_is_where_its_two_words_stand_next_to_each_other_in_a_sentence() {
    for seed in 0..30 {
        let f = random_fixture(seed);
        let back = read_all(&f.files());
        let mut want: BTreeMap<String, Vec<(u32, Vec<u32>)>> = BTreeMap::new();
        for doc in 0..f.articles.len() {
            let sequence = f.sequence(f.index.newest_first[doc]);
            let mut here: BTreeMap<String, Vec<u32>> = BTreeMap::new();
            for (at, two) in sequence.windows(2).enumerate() {
                if two.iter().all(|w| w != crate::words::SENTENCE_END) {
                    here.entry(two.join(" ")).or_default().push(at as u32);
                }
            }
            for (pair, positions) in here {
                want.entry(pair).or_default().push((doc as u32, positions));
            }
        }
        assert!(want.len() > 10, "seed {seed}: {} pairs", want.len());
        assert_eq!(back.pairs, want, "seed {seed}");
    }
}

#[test]
fn filters_list_what_the_entity_pages_list() {
    for seed in 0..30 {
        let f = random_fixture(seed);
        let (entry, terms) = read_back(&f.files());
        for (kind, filter) in [
            (Kind::People, "person"),
            (Kind::Countries, "country"),
            (Kind::Tags, "tag"),
        ] {
            for term in &f.index.taxonomy(kind).terms {
                let (docs, _) = &terms[&filter_term(filter, &term.slug)];
                let ids: Vec<usize> = docs
                    .iter()
                    .map(|&d| f.index.newest_first[d as usize])
                    .collect();
                assert_eq!(ids, term.articles, "seed {seed}: {filter} {}", term.slug);
            }
        }
        for year in entry["years"].as_array().unwrap() {
            let y = year[0].as_i64().unwrap() as i32;
            let mut ids = Vec::new();
            for run in year[1].as_array().unwrap() {
                let (a, b) = (
                    run[0].as_u64().unwrap() as usize,
                    run[1].as_u64().unwrap() as usize,
                );
                ids.extend(f.index.newest_first[a..b].iter().copied());
            }
            assert_eq!(ids, f.index.years[&y].articles, "seed {seed}: year {y}");
        }
    }
}

#[test]
fn zelensky_finds_zelenskiy_and_uk_the_united_kingdom() {
    let f = random_fixture(7);
    let (_, terms) = read_back(&f.files());
    for (doc, &id) in f.index.newest_first.iter().enumerate() {
        let a = &f.articles[id];
        let doc = doc as u32;
        let zelenskiy = a.people.iter().any(|p| p.contains("Zelensk"));
        assert_eq!(
            terms.get("zelensky").is_some_and(|t| t.0.contains(&doc)),
            zelenskiy || f.words_of(id).contains("zelensky")
        );
        let uk = a.countries.iter().any(|c| c == "UK");
        if uk {
            for w in ["uk", "united", "kingdom", "gb", "britain"] {
                assert!(terms[w].0.contains(&doc), "{w}");
            }
        }
    }
}

#[test]
fn an_index_build_stops_when_asked_and_is_whole_otherwise() {
    let f = random_fixture(3);
    let sources = Sources {
        articles: &f.articles,
        index: &f.index,
        entities: &f.entities,
        language: "en",
        alone: false,
        read_words: None,
        runs: Runs::IN_MEMORY,
    };
    let stop = std::sync::atomic::AtomicBool::new(true);
    assert!(super::files_until(&sources, &stop).is_none());
    stop.store(false, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(super::files_until(&sources, &stop), Some(f.files()));
}

#[test]
fn the_index_is_the_same_when_the_bodies_words_are_read_as_indexed() {
    for seed in 0..10 {
        let f = random_fixture(seed);
        let mut articles = f.articles.clone();
        let words: std::collections::HashMap<String, String> = articles
            .iter_mut()
            .map(|a| (a.rel.clone(), std::mem::take(&mut a.words).text()))
            .collect();
        assert!(words.values().any(|w| !w.is_empty()));
        let read: &ReadWords = &|a| words[&a.rel].clone();
        for alone in [false, true] {
            let read_as_indexed = files(&Sources {
                articles: &articles,
                index: &f.index,
                entities: &f.entities,
                language: "en",
                alone,
                read_words: Some(read),
                runs: Runs::IN_MEMORY,
            });
            assert!(read_as_indexed == f.files(), "seed {seed}, alone {alone}");
        }
    }
}

#[test]
fn the_index_is_the_same_however_the_word_pairs_were_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..10 {
        let f = random_fixture(seed);
        let each_document_in_a_file = Runs {
            dir: Some(dir.path()),
            bytes: 1,
        };
        for runs in [Runs::IN_MEMORY, each_document_in_a_file] {
            assert!(f.files_with(runs) == f.files(), "seed {seed}, {runs:?}");
        }
    }
    // The runs' files were unnamed, and are gone with them.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn summaries_are_cut_at_a_word() {
    let long = "word ".repeat(100);
    let cut = build::cut_summary(&long);
    assert!(cut.ends_with("word…"), "{cut}");
    assert!(cut.chars().count() <= 281);
    assert_eq!(build::cut_summary("short"), "short");
}

/// One article of a made archive: its front matter's title, summary,
/// people and countries (lists as written in YAML) and its body.
#[derive(Clone, Default)]
struct Item {
    title: String,
    summary: String,
    people: String,
    countries: String,
    body: String,
}

/// The articles `items`, a day apart, the first the newest (document 0).
fn made_archive(items: &[Item]) -> Fixture {
    let newest = chrono::NaiveDate::from_ymd_opt(2026, 1, 28).unwrap();
    let mut articles = Vec::new();
    let mut bodies = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let date = newest - chrono::Duration::days(i as i64);
        let text = format!(
            "---\ntitle: {:?}\ndate: {date}T10:00:00Z\nsummary: {:?}\npeople: [{}]\ncountries: [{}]\n---\n{}\n",
            item.title, item.summary, item.people, item.countries, item.body
        );
        let rel = format!("{}/a{i}.md", date.format("%Y/%m"));
        let file = PathBuf::from("content").join(&rel);
        articles.push(load::parse_article(file, rel, text.as_bytes(), chrono_tz::UTC).unwrap());
        bodies.push(item.body.clone());
    }
    Fixture::of(articles, bodies)
}

/// Runs a node script with `args` and reads what it prints as JSON.
fn node(args: &[&Path]) -> serde_json::Value {
    let out = std::process::Command::new("node")
        .args(args)
        .output()
        .expect("node runs (the client is tested under node)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The client's answers to `queries` (its requests) over `f`'s index,
/// written under `dir` ([`brute_force::NODE_RUNNER`]).
fn ask_client(f: &Fixture, dir: &Path, queries: &[serde_json::Value]) -> Vec<serde_json::Value> {
    write_site(dir, &f.files());
    let runner = dir.join("runner.js");
    std::fs::write(&runner, brute_force::NODE_RUNNER).unwrap();
    let file = dir.join("queries.json");
    std::fs::write(&file, serde_json::to_vec(queries).unwrap()).unwrap();
    let answers = node(&[
        &runner,
        &dir.join("search/search.js"),
        &dir.join("search"),
        &file,
    ]);
    serde_json::from_value(answers).unwrap()
}

/// Writes `files` under `dir` (site paths) and the client beside them.
fn write_site(dir: &Path, files: &Files) {
    for (path, bytes) in files {
        let file = dir.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
}

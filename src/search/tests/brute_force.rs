//! The browser client against a brute-force scan: for random sites and
//! random queries (words, names, prefixes, word forms, phrases, words that
//! match nothing, filters), the client under node finds exactly the
//! articles a scan of every article's words finds, names the same missing
//! words, sorts by relevance the same set, and counts every filter value
//! right.

use std::collections::{BTreeMap, BTreeSet};

use super::super::stems;
use super::*;

/// One query as the client takes it, and the brute-force answer.
struct Query {
    q: String,
    filters: BTreeMap<&'static str, Vec<String>>,
}

fn random_query(f: &Fixture, rng: &mut Rng) -> Query {
    let mut q = Vec::new();
    for _ in 0..rng.below(4) {
        let pick = rng.below(7);
        let word = match pick {
            0 => POOL[rng.below(POOL.len())].to_string(),
            1 => PEOPLE[rng.below(PEOPLE.len())].to_string(),
            2 => COUNTRIES[rng.below(COUNTRIES.len())].to_string(),
            3 => {
                // A prefix of some word, as while typing.
                let w = POOL[rng.below(POOL.len())];
                w.chars().take(1 + rng.below(w.chars().count())).collect()
            }
            4 => format!("no{}", rng.below(f.articles.len() + 3)),
            5 => {
                // One, two or three words that stand together in some
                // article.
                let id = rng.below(f.articles.len());
                let text = crate::words::body_words(&f.bodies[id]);
                let tokens: Vec<&str> = text.split(' ').collect();
                let n = 1 + rng.below(3);
                let at = rng.below(tokens.len());
                let run = tokens[at..tokens.len().min(at + n)].join(" ");
                format!("\"{run}\"")
            }
            _ => {
                // Two words of the pool, most often apart; now and then an
                // unclosed quote.
                let (a, b) = (POOL[rng.below(POOL.len())], POOL[rng.below(POOL.len())]);
                match rng.below(4) {
                    0 => format!("\u{201c}{a} {b}"),
                    _ => format!("\"{a} {b}\""),
                }
            }
        };
        q.push(word);
    }
    let mut filters = BTreeMap::new();
    if rng.below(3) == 0 {
        let tax = f.index.taxonomy(Kind::People);
        if !tax.terms.is_empty() {
            filters.insert(
                "person",
                vec![tax.terms[rng.below(tax.terms.len())].slug.clone()],
            );
        }
    }
    if rng.below(4) == 0 {
        let years: Vec<&i32> = f.index.years.keys().collect();
        filters.insert("year", vec![years[rng.below(years.len())].to_string()]);
    }
    if rng.below(4) == 0 {
        filters.insert("source", vec![crate::slugs::slugify(SOURCES[rng.below(3)])]);
    }
    Query {
        q: q.join(" "),
        filters,
    }
}

/// How a query word matches a document's words: by a stem (its own, when
/// the archive has the word, or the first of its guesses that is one), or,
/// the last word of a query the archive lacks, as the start of a word; and
/// a phrase, as a run of the document's words (one word alone: that word,
/// in any of the article's fields).
enum Match {
    Stem(String),
    Prefix(String),
    Phrase(Vec<String>),
}

/// The documents (numbers, newest first) a query should find, by scanning
/// every article's words, and the query's words that match nothing (left
/// out of the query).
fn brute_force(f: &Fixture, all: &[BTreeSet<String>], query: &Query) -> (Vec<u32>, Vec<String>) {
    let (toks, phrases, open) = parse(&query.q);
    let stemmer = stems::stemmer_for("en");
    let stem = |w: &str| stems::stem_of(stemmer.as_ref(), w);
    let vocabulary: BTreeSet<&String> = all.iter().flatten().collect();
    let known_stems: BTreeSet<String> = vocabulary.iter().map(|w| stem(w)).collect();
    let doc_stems: Vec<BTreeSet<String>> = all
        .iter()
        .map(|ws| ws.iter().map(|w| stem(w)).collect())
        .collect();
    let sequences: Vec<Vec<String>> = (0..f.articles.len())
        .map(|doc| f.sequence(f.index.newest_first[doc]))
        .collect();
    let mut missing = Vec::new();
    let mut matches = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let last = open && i == toks.len() - 1;
        let m = if vocabulary.contains(t) {
            Some(Match::Stem(stem(t)))
        } else if last && vocabulary.iter().any(|w| w.starts_with(t.as_str())) {
            Some(Match::Prefix(t.clone()))
        } else {
            stems::guesses(t)
                .into_iter()
                .find(|g| known_stems.contains(g))
                .map(Match::Stem)
        };
        match m {
            Some(m) => matches.push(m),
            None => missing.push(t.clone()),
        }
    }
    // One quoted word is the word as written, wherever the article has it.
    let together = |doc: usize, ws: &[String]| match ws {
        [w] => all[doc].contains(w),
        _ => sequences[doc].windows(ws.len()).any(|run| run == ws),
    };
    for ws in phrases {
        match (0..f.articles.len()).any(|doc| together(doc, &ws)) {
            true => matches.push(Match::Phrase(ws)),
            false => missing.push(ws.join(" ")),
        }
    }
    if matches.is_empty() && query.filters.is_empty() {
        return (Vec::new(), missing);
    }
    let found = (0..f.articles.len())
        .filter(|&doc| {
            let words_ok = matches.iter().all(|m| match m {
                Match::Stem(s) => doc_stems[doc].contains(s),
                Match::Prefix(p) => all[doc].iter().any(|w| w.starts_with(p.as_str())),
                Match::Phrase(ws) => together(doc, ws),
            });
            words_ok && filters_match(f, f.index.newest_first[doc], query)
        })
        .map(|d| d as u32)
        .collect();
    (found, missing)
}

/// A query's words outside double quotes (distinct), its phrases (the
/// words of each quoted run, distinct), and whether it ends with a word
/// outside quotes (open to completion): as the client's `parse`.
fn parse(q: &str) -> (Vec<String>, Vec<Vec<String>>, bool) {
    let parts: Vec<&str> = q.split(['"', '\u{201c}', '\u{201d}', '\u{201e}']).collect();
    let (mut plain, mut phrases) = (Vec::new(), Vec::<Vec<String>>::new());
    for (i, part) in parts.iter().enumerate() {
        let ws: Vec<String> = words(part).collect();
        if i % 2 == 0 {
            plain.extend(ws);
        } else if !ws.is_empty() && !phrases.contains(&ws) {
            phrases.push(ws);
        }
    }
    let mut seen = BTreeSet::new();
    plain.retain(|w| seen.insert(w.clone()));
    let open = parts.len() % 2 == 1 && words(parts[parts.len() - 1]).next().is_some();
    (plain, phrases, open)
}

/// Whether article `id` has every value of the query's filters.
fn filters_match(f: &Fixture, id: usize, query: &Query) -> bool {
    let a = &f.articles[id];
    query.filters.iter().all(|(k, vs)| {
        vs.iter().all(|v| match *k {
            "person" => {
                let tax = f.index.taxonomy(Kind::People);
                tax.by_article[id].iter().any(|&t| &tax.terms[t].slug == v)
            }
            "year" => a.date.format("%Y").to_string() == *v,
            "source" => a
                .source
                .as_deref()
                .is_some_and(|s| crate::slugs::slugify(s) == *v),
            _ => unreachable!(),
        })
    })
}

pub(super) const NODE_RUNNER: &str = r"
const fs = require('fs'), path = require('path');
const api = require(process.argv[2]);
const dir = process.argv[3];
const queries = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
(async () => {
  const out = [];
  for (const q of queries) {
    const idx = new api.Index((p, bin) => {
      const f = path.join(dir, p.split('?')[0]);
      return Promise.resolve(bin ? Uint8Array.from(fs.readFileSync(f)).buffer : fs.readFileSync(f, 'utf8'));
    });
    const date = await idx.query(q);
    const rel = await idx.query(Object.assign({}, q, { sort: 'relevance' }));
    const recs = await idx.records(date.docs);
    out.push({ date: Array.from(date.docs), relevance: Array.from(rel.docs), urls: recs.map(r => r.u), counts: date.counts || {}, missing: date.missing });
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
";

/// Every count the client shows is the number of found articles with
/// that value (years, people, countries, tags, sources).
fn assert_counts(f: &Fixture, found: &[u32], counts: &serde_json::Value) {
    let Some(counts) = counts.as_object() else {
        return;
    };
    for (filter, values) in counts {
        for v in values.as_array().unwrap() {
            let (value, n) = (v[0].as_str().unwrap(), v[2].as_u64().unwrap() as usize);
            let has = |id: usize| {
                let a = &f.articles[id];
                let term = |kind: Kind| {
                    let tax = f.index.taxonomy(kind);
                    tax.by_article[id]
                        .iter()
                        .any(|&t| tax.terms[t].slug == value)
                };
                match filter.as_str() {
                    "year" => a.date.format("%Y").to_string() == value,
                    "person" => term(Kind::People),
                    "country" => term(Kind::Countries),
                    "tag" => term(Kind::Tags),
                    "source" => a
                        .source
                        .as_deref()
                        .is_some_and(|s| crate::slugs::slugify(s) == value),
                    other => panic!("unknown filter {other}"),
                }
            };
            let expected = found
                .iter()
                .filter(|&&d| has(f.index.newest_first[d as usize]))
                .count();
            assert_eq!(n, expected, "{filter} {value}");
        }
    }
}

#[test]
fn the_browser_client_finds_what_a_brute_force_scan_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let mut rng = Rng(42);
    let (mut checked, mut phrases_found) = (0, 0);
    for seed in 0..25 {
        let f = random_fixture(seed);
        let queries: Vec<Query> = (0..40).map(|_| random_query(&f, &mut rng)).collect();
        let json: Vec<serde_json::Value> = queries
            .iter()
            .map(|q| serde_json::json!({ "q": q.q, "filters": q.filters }))
            .collect();
        let answers = ask_client(&f, &tmp.join(format!("site{seed}")), &json);
        let all: Vec<BTreeSet<String>> = f
            .index
            .newest_first
            .iter()
            .map(|&id| f.words_of(id))
            .collect();
        for (q, a) in queries.iter().zip(answers) {
            let (expected, missing) = brute_force(&f, &all, q);
            assert_eq!(
                a["missing"],
                serde_json::json!(missing),
                "seed {seed}: {:?}",
                q.q
            );
            let got: Vec<u32> = serde_json::from_value(a["date"].clone()).unwrap();
            assert_eq!(
                got, expected,
                "seed {seed}, query {:?} {:?}",
                q.q, q.filters
            );
            let mut by_relevance: Vec<u32> =
                serde_json::from_value(a["relevance"].clone()).unwrap();
            by_relevance.sort_unstable();
            assert_eq!(by_relevance, expected, "relevance finds the same set");
            let urls: Vec<String> = serde_json::from_value(a["urls"].clone()).unwrap();
            let paths: Vec<&str> = expected
                .iter()
                .map(|&d| f.articles[f.index.newest_first[d as usize]].path.as_str())
                .collect();
            assert_eq!(urls, paths, "records are the articles'");
            assert_counts(&f, &expected, &a["counts"]);
            checked += 1;
            if q.q.contains('"') && !expected.is_empty() {
                phrases_found += 1;
            }
        }
    }
    assert_eq!(checked, 25 * 40);
    assert!(
        phrases_found > 50,
        "phrases that found something: {phrases_found}"
    );
}

//! Word forms and names typed wrong, through the browser client under
//! node: on an archive of 1,000 articles made of the example site's own
//! words, the client finds for every word exactly the family the indexer's
//! Snowball stemmer gives it, and guesses as `stems::guesses` does for a
//! word the archive lacks; on a small archive of leaders, a table of
//! misspellings that must, and must not, be offered a name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::super::stems;
use super::*;

/// Articles with the given `(people, countries, body)`, as a fixture.
fn archive(items: &[(String, String, String)]) -> Fixture {
    let items: Vec<Item> = items
        .iter()
        .enumerate()
        .map(|(i, (people, countries, body))| Item {
            title: format!("Item {i}"),
            people: people.clone(),
            countries: countries.clone(),
            body: body.clone(),
            ..Item::default()
        })
        .collect();
    made_archive(&items)
}

const RUNNER: &str = r"
const fs = require('fs'), path = require('path');
const api = require(process.argv[2]);
const dir = process.argv[3];
const ask = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
const idx = new api.Index((p, bin) => {
  const f = path.join(dir, p.split('?')[0]);
  return Promise.resolve(bin ? Uint8Array.from(fs.readFileSync(f)).buffer : fs.readFileSync(f, 'utf8'));
});
(async () => {
  const e = await idx.entry(), forms = {}, suggest = {}, guesses = {};
  for (const w of ask.forms) { const f = await idx.word(w, false, e.docs); forms[w] = f && f.forms; }
  for (const w of ask.suggest) suggest[w] = await idx.suggest(w);
  for (const w of ask.guesses) guesses[w] = api.guesses(w);
  process.stdout.write(JSON.stringify({ forms, suggest, guesses }));
})().catch(e => { console.error(e); process.exit(1); });
";

/// Asks the client of `f`'s index about `forms`, `suggest` and `guesses`.
fn ask(
    f: &Fixture,
    dir: &Path,
    forms: &[String],
    suggest: &[&str],
    guesses: &[String],
) -> serde_json::Value {
    write_site(dir, &f.files());
    let runner = dir.join("forms.js");
    std::fs::write(&runner, RUNNER).unwrap();
    let questions = dir.join("ask.json");
    let json = serde_json::json!({ "forms": forms, "suggest": suggest, "guesses": guesses });
    std::fs::write(&questions, json.to_string()).unwrap();
    node(&[
        &runner,
        &dir.join("search/search.js"),
        &dir.join("search"),
        &questions,
    ])
}

/// The folded words of the example site's articles.
fn example_words() -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut all = BTreeSet::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            all.extend(words(&text));
        }
    }
    all.into_iter().collect()
}

#[test]
fn the_client_finds_each_word_s_family_as_the_indexer_stems_it() {
    let vocabulary = example_words();
    assert!(vocabulary.len() > 1000, "{} words", vocabulary.len());
    let mut rng = Rng(7);
    let items: Vec<(String, String, String)> = (0..1000)
        .map(|_| {
            let body: Vec<&str> = (0..60)
                .map(|_| vocabulary[rng.below(vocabulary.len())].as_str())
                .collect();
            (String::new(), "France".to_string(), body.join(" "))
        })
        .collect();
    let f = archive(&items);
    let back = read_all(&f.files());
    let en = stems::stemmer_for("en");
    let stem = |w: &str| stems::stem_of(en.as_ref(), w);
    let word_terms: Vec<String> = back
        .terms
        .keys()
        .filter(|t| !build::is_filter_term(t))
        .cloned()
        .collect();
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for w in &word_terms {
        assert_eq!(back.stems[w], stem(w), "the index's stem of `{w}`");
        expected.entry(stem(w)).or_default().insert(w.clone());
    }
    let families: BTreeMap<String, BTreeSet<String>> = back
        .families
        .iter()
        .map(|(s, m)| (s.clone(), m.iter().cloned().collect()))
        .collect();
    assert_eq!(
        families, expected,
        "each stem's family is every word with it"
    );

    let absent: Vec<String> = ["negotiate", "partying", "talkative", "zz", "cathedral"]
        .iter()
        .map(|w| w.to_string())
        .chain(word_terms.iter().map(|w| format!("{w}s")))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let answers = ask(&f, tmp.path(), &word_terms, &[], &absent);
    for w in &word_terms {
        let mut got: Vec<String> = serde_json::from_value(answers["forms"][w].clone()).unwrap();
        got.sort();
        let want: Vec<String> = expected[&stem(w)].iter().cloned().collect();
        assert_eq!(got, want, "the client's forms of `{w}`");
    }
    for w in &absent {
        assert_eq!(
            answers["guesses"][w],
            serde_json::json!(stems::guesses(w)),
            "{w}"
        );
    }
}

/// People and countries of the archive the misspellings are tried on.
const LEADERS: [(&str, &str); 6] = [
    ("Giorgia Meloni", "Italy"),
    ("Jens Stoltenberg", "Norway"),
    ("Olaf Scholz", "Germany"),
    ("Keir Starmer", "UK"),
    ("Volodymyr Zelenskiy", "Ukraine"),
    ("Emmanuel Macron", "France"),
];

#[test]
fn a_name_typed_wrong_is_offered_and_a_word_far_from_every_name_is_not() {
    let items: Vec<(String, String, String)> = LEADERS
        .iter()
        .map(|(p, c)| {
            (
                format!("{p:?}"),
                format!("{c:?}"),
                "Talks went on.".to_string(),
            )
        })
        .collect();
    let f = archive(&items);
    let must = [
        ("meloney", "Giorgia Meloni"),
        ("stoltenburg", "Jens Stoltenberg"),
        ("sholz", "Olaf Scholz"),
        ("starmr", "Keir Starmer"),
        ("zelenskyi", "Volodymyr Zelenskiy"),
        ("volodimir", "Volodymyr Zelenskiy"),
        ("macrone", "Emmanuel Macron"),
        ("emanuel", "Emmanuel Macron"),
        ("ukrane", "Ukraine"),
        ("frnace", "France"),
        ("germny", "Germany"),
    ];
    let must_not = [
        "xqz",
        "zzzz",
        "olf",
        "talksx",
        "scholarly",
        "moroni",
        "meat",
        "stolen",
    ];
    let words: Vec<&str> = must.iter().map(|m| m.0).chain(must_not).collect();
    let tmp = tempfile::tempdir().unwrap();
    let answers = ask(&f, tmp.path(), &[], &words, &[]);
    for (typed, name) in must {
        assert_eq!(answers["suggest"][typed]["name"], name, "`{typed}`");
    }
    for typed in must_not {
        assert!(
            answers["suggest"][typed].is_null(),
            "`{typed}`: {}",
            answers["suggest"][typed]
        );
    }
}

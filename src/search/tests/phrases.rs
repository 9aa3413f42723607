//! Phrases through the client under node, on articles made to tell the
//! rules apart: the words must stand together, in order, in one sentence;
//! a stop word in a phrase is a word like any other; a phrase is matched in
//! the title and summary too, but not across the end of one field and the
//! start of the next.

use std::path::PathBuf;
use std::process::Command;

use super::brute_force::NODE_RUNNER;
use super::*;

/// Articles `(title, summary, body)`, the first the newest.
fn archive(items: &[(&str, &str, &str)]) -> Fixture {
    let mut articles = Vec::new();
    let mut bodies = Vec::new();
    for (i, (title, summary, body)) in items.iter().enumerate() {
        let text = format!(
            "---\ntitle: {title:?}\ndate: 2026-01-{:02}T10:00:00Z\nsummary: {summary:?}\n---\n{body}\n",
            28 - i
        );
        let rel = format!("2026/01/p{i}.md");
        let file = PathBuf::from("content").join(&rel);
        articles.push(load::parse_article(file, rel, text.as_bytes(), chrono_tz::UTC).unwrap());
        bodies.push(body.to_string());
    }
    let entities = entities();
    let index = Index::build(&articles, &entities);
    Fixture {
        articles,
        bodies,
        entities,
        index,
    }
}

#[test]
fn a_phrase_matches_words_together_in_one_sentence_stop_words_included() {
    let f = archive(&[
        (
            "Talks end",
            "A short day.",
            "The talks ended. Guarantees were given later.",
        ),
        ("Emergency", "Rules.", "The state of emergency was lifted."),
        (
            "State visit",
            "Of emergency plans.",
            "A state visit. Of emergency plans nothing was said.",
        ),
        ("Security guarantees", "Kyiv asks.", "Nothing else."),
        (
            "Apart",
            "Words apart.",
            "Guarantees for security were discussed.",
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site, &f.files());
    let runner = tmp.path().join("runner.js");
    std::fs::write(&runner, NODE_RUNNER).unwrap();
    let queries = [
        "\"ended guarantees\"",
        "\"talks ended\"",
        "\"state of emergency\"",
        "\"security guarantees\"",
        "\"guarantees security\"",
        "\"day the talks\"",
    ];
    let json: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| serde_json::json!({ "q": q, "filters": {} }))
        .collect();
    let file = site.join("queries.json");
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(&runner)
        .arg(site.join("search/search.js"))
        .arg(site.join("search"))
        .arg(&file)
        .output()
        .expect("node runs (the client is tested under node)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found =
        |k: usize| -> Vec<u32> { serde_json::from_value(answers[k]["date"].clone()).unwrap() };
    assert_eq!(found(0), Vec::<u32>::new(), "not across a sentence's end");
    assert_eq!(
        answers[0]["missing"],
        serde_json::json!(["ended guarantees"])
    );
    assert_eq!(found(1), [0], "within one sentence");
    assert_eq!(found(2), [1], "with a stop word; not across sentences (2)");
    assert_eq!(found(3), [3], "in a title");
    assert_eq!(found(4), Vec::<u32>::new(), "in order only");
    assert_eq!(
        found(5),
        Vec::<u32>::new(),
        "not from the summary into the body"
    );
}

//! The ranking the client sorts by relevance with, under node, on articles
//! made to tell its rules apart: a word in the title above one in the
//! body, more of it above less, a short body above a long one, the word as
//! typed above another form of it, and the newer first when all else is
//! equal.

use std::path::PathBuf;
use std::process::Command;

use super::brute_force::NODE_RUNNER;
use super::*;

/// Articles `(title, body)`, the first the newest.
fn archive(items: &[(&str, String)]) -> Fixture {
    let mut articles = Vec::new();
    let mut bodies = Vec::new();
    for (i, (title, body)) in items.iter().enumerate() {
        let text = format!(
            "---\ntitle: {title:?}\ndate: 2026-01-{:02}T10:00:00Z\nsummary: \"Weekly report.\"\n---\n{body}\n",
            28 - i
        );
        let rel = format!("2026/01/r{i}.md");
        let file = PathBuf::from("content").join(&rel);
        articles.push(load::parse_article(file, rel, text.as_bytes(), chrono_tz::UTC).unwrap());
        bodies.push(body.clone());
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
fn relevance_weighs_fields_counts_lengths_and_forms_then_recency() {
    // Bodies of some 40 words but the first, of 200.
    let filler =
        "Officials met traders at the market and talked about prices for an hour. ".repeat(3);
    let long = filler.repeat(5);
    let items = [
        ("Harbour news", format!("The ferry left. {long}")),
        ("Ferry strike", format!("Crews stayed home. {filler}")),
        (
            "Weekly notes",
            format!("Ferry delays, ferry queues and ferry fares. {filler}"),
        ),
        ("Ports", format!("Ferries were late. {filler}")),
        ("Notes", format!("The ferry left. {filler}")),
        ("Notes", format!("The ferry left. {filler}")),
    ];
    let f = archive(&items);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site, &f.files());
    let runner = tmp.path().join("runner.js");
    std::fs::write(&runner, NODE_RUNNER).unwrap();
    let queries = site.join("queries.json");
    std::fs::write(&queries, r#"[{"q": "ferry", "filters": {}}]"#).unwrap();
    let out = Command::new("node")
        .arg(&runner)
        .arg(site.join("search/search.js"))
        .arg(site.join("search"))
        .arg(&queries)
        .output()
        .expect("node runs (the client is tested under node)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let order: Vec<usize> = serde_json::from_value(answers[0]["relevance"].clone()).unwrap();
    let place = |doc: usize| order.iter().position(|&d| d == doc).unwrap();
    assert_eq!(order.len(), 6, "every form found: {order:?}");
    assert_eq!(order[0], 1, "the title first: {order:?}");
    assert_eq!(order[1], 2, "then three times in a short body: {order:?}");
    assert!(
        place(4) < place(0),
        "a short body above a long one: {order:?}"
    );
    assert!(
        place(4) < place(3),
        "the word as typed above another form: {order:?}"
    );
    assert_eq!(
        place(4) + 1,
        place(5),
        "the newer first when equal: {order:?}"
    );
}

//! The excerpt window of the browser client (`excerptOf`, under node): the
//! run of words where the query's forms are densest, about 30 words,
//! centred on them, with whether text was cut before and after; and the
//! body's text taken from an article page without a browser's parser.

use serde_json::{json, Value};

/// Runs `excerptOf(text, forms, size)` for each case through the client.
fn excerpts(client: &std::path::Path, cases: &Value) -> Vec<Value> {
    let script = format!(
        "const api = require({:?}); const cases = {cases};\nprocess.stdout.write(JSON.stringify(cases.map(c => c.html ? api.bodyText(c.html) : api.excerptOf(c.text, c.forms, c.size))));",
        client.display().to_string()
    );
    let file = client.with_file_name("excerpts.js");
    std::fs::write(&file, script).unwrap();
    serde_json::from_value(super::node(&[&file])).unwrap()
}

fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("w{i}")).collect()
}

#[test]
fn the_excerpt_is_the_densest_run_of_words_centred_on_the_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("search.js");
    std::fs::write(&client, super::super::CLIENT_JS).unwrap();

    // One match at word 150 of 200: the window is centred on it.
    let mut one = numbered(200);
    one[150] = "Talks.".into();
    // Two clusters: one match at word 20, three at 120, 125 and 130.
    let mut two = numbered(200);
    two[20] = "talks".into();
    for i in [120, 125, 130] {
        two[i] = "talked,".into();
    }
    // The match is the first word; and a text shorter than the window.
    let mut first = numbered(100);
    first[0] = "Talking".into();
    let cases = json!([
        { "text": one.join(" "), "forms": ["talks"], "size": 30 },
        { "text": two.join(" "), "forms": ["talks", "talked"], "size": 30 },
        { "text": first.join(" "), "forms": ["talking"], "size": 30 },
        { "text": "Only a few words here.", "forms": ["words"], "size": 30 },
        { "text": one.join(" "), "forms": ["absent"], "size": 30 },
        { "html": "<main><article><div class=\"body\">\n<p>Ships &amp; <em>ports</em>.</p>\n</div>\n<footer>People</footer></article></main>" },
    ]);
    let got = excerpts(&client, &cases);

    let words = |v: &Value| v["text"].as_str().unwrap().split(' ').count();
    assert_eq!(words(&got[0]), 30, "{}", got[0]);
    assert!(
        got[0]["text"].as_str().unwrap().starts_with("w135 "),
        "{}",
        got[0]
    );
    assert!(got[0]["text"].as_str().unwrap().contains("Talks."));
    assert_eq!(
        (got[0]["before"].clone(), got[0]["after"].clone()),
        (json!(true), json!(true))
    );

    let dense = got[1]["text"].as_str().unwrap();
    assert!(
        dense.contains("w119 talked, w121") && dense.contains("w129 talked, w131"),
        "{dense}"
    );
    assert!(
        !dense.contains(" talks "),
        "the single match is elsewhere: {dense}"
    );

    assert!(
        got[2]["text"].as_str().unwrap().starts_with("Talking w1 "),
        "{}",
        got[2]
    );
    assert_eq!(got[2]["before"], false);
    assert_eq!(
        got[3],
        json!({ "text": "Only a few words here", "before": false, "after": false })
    );
    assert!(got[4].is_null(), "no match, no excerpt: {}", got[4]);
    assert_eq!(
        got[5]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["Ships", "&", "ports", "."]
    );
}

//! Phrases through the client under node, on articles made to tell the
//! rules apart: the words must stand together, in order, in one sentence;
//! a stop word in a phrase is a word like any other; a phrase is matched in
//! the title and summary too, but not across the end of one field and the
//! start of the next.

use super::*;

#[test]
fn a_phrase_matches_words_together_in_one_sentence_stop_words_included() {
    let items: Vec<Item> = [
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
    ]
    .iter()
    .map(|(title, summary, body)| Item {
        title: title.to_string(),
        summary: summary.to_string(),
        body: body.to_string(),
        ..Item::default()
    })
    .collect();
    let f = made_archive(&items);
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
    let tmp = tempfile::tempdir().unwrap();
    let answers = ask_client(&f, tmp.path(), &json);
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

//! The ranking the client sorts by relevance with, under node, on articles
//! made to tell its rules apart: a word in the title above one in the
//! body, more of it above less, a short body above a long one, the word as
//! typed above another form of it, and the newer first when all else is
//! equal.

use super::*;

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
    let items: Vec<Item> = items
        .into_iter()
        .map(|(title, body)| Item {
            title: title.into(),
            summary: "Weekly report.".into(),
            body,
            ..Item::default()
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let query = serde_json::json!({ "q": "ferry", "filters": {} });
    let answers = ask_client(&made_archive(&items), tmp.path(), &[query]);
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

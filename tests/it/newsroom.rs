//! What a newsroom's archive has beyond lists: for now, the standfirst
//! shown only when it is not the body's own first paragraph (a story made
//! by `gazette import` has no `summary`, and its page showed the first
//! paragraph twice).

use scraper::Selector;

use crate::common::{md_body, SiteFixture};

#[test]
fn a_standfirst_is_shown_only_when_it_is_not_the_first_paragraph() {
    let body = "Leaders met in Paris on Monday.\n\nA second paragraph.\n";
    let built = SiteFixture::new()
        .article(
            "2026/02/none.md",
            md_body("No summary", "2026-02-21", "", body),
        )
        .article(
            "2026/02/same.md",
            md_body(
                "Same summary",
                "2026-02-21",
                "summary: \"Leaders met in  Paris on Monday.\"\n",
                body,
            ),
        )
        .article(
            "2026/02/own.md",
            md_body(
                "Own summary",
                "2026-02-21",
                "summary: \"Europe's leaders weigh guarantees.\"\n",
                body,
            ),
        )
        .build();
    let standfirst = Selector::parse("article header p.summary").unwrap();
    let paragraphs = Selector::parse("article .body p").unwrap();
    for (slug, shown) in [
        ("none", None),
        ("same", None),
        ("own", Some("Europe's leaders weigh guarantees.")),
    ] {
        let doc = built.html(&format!("/2026/02/{slug}/"));
        let got: Vec<String> = doc
            .select(&standfirst)
            .map(|p| p.text().collect())
            .collect();
        assert_eq!(got.first().map(String::as_str), shown, "{slug}");
        let first: String = doc.select(&paragraphs).next().unwrap().text().collect();
        assert_eq!(
            first, "Leaders met in Paris on Monday.",
            "{slug}: the body is whole"
        );
        let page = built.page(&format!("/2026/02/{slug}/"));
        assert_eq!(
            page.matches("Leaders met in Paris on Monday.</p>").count(),
            1,
            "{slug}: once"
        );
    }
    // Lists still show the first paragraph as the summary.
    let home = built.page("/");
    assert!(home.contains("Leaders met in Paris on Monday."));
}

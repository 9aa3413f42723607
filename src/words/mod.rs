//! How text becomes words, for everything that cuts it: `load` keeps the
//! distinct words of each body ([`body_words`]) so that a body is read once,
//! and `search` indexes and queries with the same [`fold`]ing. A leaf: it
//! uses `markdown` for a body's plain text and nothing else of the crate,
//! so neither `load` nor `search` reaches into the other for it.

mod fold;

pub(crate) use fold::words;

/// The distinct folded words of an article's markdown body, sorted and
/// joined by spaces: what the index needs of a body, kept in memory so
/// that the body is read once.
pub(crate) fn body_words(markdown: &str) -> String {
    let text = crate::markdown::plain_text(markdown);
    let mut seen = rustc_hash::FxHashSet::default();
    let mut folded = String::new();
    for word in fold::segments(&text) {
        fold::fold_into(word, &mut folded);
        if !folded.is_empty() && !seen.contains(folded.as_str()) {
            seen.insert(folded.clone());
        }
    }
    let mut all: Vec<String> = seen.into_iter().collect();
    all.sort_unstable();
    all.join(" ")
}

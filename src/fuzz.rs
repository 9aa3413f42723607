//! Entry points for the fuzz targets in `fuzz/` (built only with the
//! `fuzzing` feature): each runs one stage on arbitrary input and panics
//! when an invariant that must hold for any input breaks, so that the
//! fuzzer reports it as a crash. Not part of gazette's API.

use crate::load::{self, Article};
use crate::markdown::{self, RawHtml};
use crate::slugs;

/// Splits a file at its front-matter fences and parses the YAML; any
/// result but a panic is fine, and a split must lie inside the text.
pub fn front_matter(text: &str) {
    if let Ok(split) = load::split(text) {
        assert!(split.body.len() <= text.len());
        let _ = crate::load::parse_front_matter(split.yaml, split.yaml_line);
    }
}

/// Loads an article from bytes: an article or located errors, never a
/// panic; every error has a line and column, and an article's page path
/// and slug are safe.
pub fn article(bytes: &[u8]) {
    match load::parse_article("fuzz.md".into(), "fuzz.md".into(), bytes, chrono_tz::UTC) {
        Ok(article) => check_article(&article),
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.len() <= 21, "{}", errors.len());
            for e in &errors {
                assert!(e.line.is_some() && e.column.is_some(), "{e}");
            }
        }
    }
}

fn check_article(article: &Article) {
    check_slug(&article.slug);
    assert!(article.path.starts_with('/') && article.path.ends_with('/'));
    assert!(!article.path.contains(".."), "{}", article.path);
    for text in [&article.title, &article.summary] {
        assert!(!text.chars().any(markdown::is_forbidden), "{text:?}");
    }
}

/// A slug of any name: non-empty, `[a-z0-9-]`, within the length limit.
pub fn slug(name: &str) {
    check_slug(&slugs::slugify(name));
}

fn check_slug(slug: &str) {
    assert!(!slug.is_empty());
    assert!(slug.len() <= slugs::MAX_SLUG_BYTES, "{} bytes", slug.len());
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{slug:?}"
    );
}

/// Renders markdown with raw HTML escaped: the HTML holds no character
/// HTML forbids, no raw tag from the input, and no link or source with a
/// script URL.
pub fn markdown(text: &str) {
    let html = markdown::render(text, &NoLinks, RawHtml::Escape);
    assert!(!html.chars().any(markdown::is_forbidden), "{html:?}");
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    for attr in ["href=\"", "src=\""] {
        for (i, _) in lower.match_indices(attr) {
            let url = &html[i + attr.len()..];
            let url = &url[..url.find('"').unwrap_or(url.len())];
            let decoded = url.replace("&amp;", "&");
            assert!(
                !markdown::is_unsafe_url(&decoded, attr == "src=\""),
                "{url} in {html}"
            );
        }
    }
}

struct NoLinks;
impl markdown::LinkResolver for NoLinks {
    fn resolve(&self, _: &str) -> Option<String> {
        None
    }
}

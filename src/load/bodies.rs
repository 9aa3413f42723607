//! An article file's body read again after the load, which keeps no
//! body: for the render (each page reads its own) and for the bodies'
//! words of the search index (read as it indexes them, or in the
//! preview's background).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::frontmatter;

/// The bodies' words (`words::body_words`) of article files, read again
/// for a site loaded without them, by file and body hash: `None` for a file
/// that cannot be read or whose body is no longer the one with that hash
/// (it was edited since, and was read again with its words). Packed as
/// they are read, on every core: the preview keeps them.
pub(crate) fn words_of_bodies(files: &[(PathBuf, u64)]) -> Vec<Option<crate::words::Packed>> {
    files
        .par_iter()
        .map(|(file, hash)| Some(crate::words::Packed::of(&words_of_file(file, Some(*hash))?)))
        .collect()
}

/// The body's words (`words::body_words`) of an article file as it is
/// now, for a site loaded without them; empty when the file cannot be read
/// or has no front matter any more (it changed during the build, and its
/// page reports it).
pub(crate) fn body_words_of_file(file: &Path) -> String {
    words_of_file(file, None).unwrap_or_default()
}

/// The body's words of an article file, if it can be read, has front
/// matter, and (given `hash`) its body is still the one with that hash.
fn words_of_file(file: &Path, hash: Option<u64>) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let body = body(&text)?;
    let same = hash.is_none_or(|h| xxhash_rust::xxh3::xxh3_64(body.as_bytes()) == h);
    same.then(|| crate::words::body_words(body))
}

/// The body of an article file, for rendering; `None` when the file no
/// longer has front matter (it changed during the build).
pub(crate) fn body(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    frontmatter::split(text).ok().map(|s| s.body)
}

//! Search: a static, chunked index of every article and the small browser
//! client that queries it. What it owns:
//!
//! - `sets`: how a set of articles is stored (gap list or bitmap);
//! - `stems`: the word families (Snowball stems of the site's language),
//!   which the index carries so that the browser needs no stemmer;
//! - `postings`: each term's articles, each word's rank (BM25F) in each,
//!   and every pair of words that stand together, gathered from the
//!   articles' fields and the words of each body read once by `load`;
//! - `pairs`: how a pair of words' articles and places are stored;
//! - `runs`: the pairs set aside as they are gathered, in sorted runs in
//!   temporary files (a build) or memory, merged as `pairs/` is written;
//! - `beside`: the files only some queries load (ranks, pairs);
//! - `build`: the index files, from the postings, the families, the
//!   people's and countries' aliases from `model`, and the records;
//! - `client/`: the browser side (the index reader, what a result shows,
//!   the page), written out as one file, `/search/search.js`.
//!
//! The files, under `/search/`: `index.json` (the entry: where each shard
//! starts, the filter values, the years), `words/<n>.bin` (the terms in
//! word order, each with its stem, and every stem's family as `^stem`, cut
//! into shards of about [`build::SHARD_BYTES`]), `filters.bin` (the sets of
//! the most used filter values, for the counts the search page shows),
//! `docs/<n>.json` (the result records, [`build::RECORDS_PER_CHUNK`] per
//! file, newest first), and, loaded only when needed: `rank/` (how well
//! each word matches each of its articles, to sort by relevance), `pairs/`
//! (where each two words stand next to each other, for a phrase) and
//! `names/<letter>.json` (people and countries, for a word that found
//! nothing). A query loads the entry, the shards of its words and the
//! chunks of the results it shows; nothing grows one file per article, and
//! no file grows past two bitmaps of the whole archive (or, beside the
//! shards, one word's part).
//!
//! This stage reads `load`'s and `model`'s values and changes none; its
//! files go to `output/` like the pages.

mod beside;
mod build;
mod pairs;
mod postings;
mod runs;
mod sets;
mod stems;
#[cfg(test)]
mod tests;

pub(crate) use build::{FileSink, ReadWords, Sources};
pub(crate) use runs::Runs;

/// Where the search page and its files are: a URL path, so `render::paths`
/// owns it (search uses render, never the other way round).
pub(crate) use crate::render::SEARCH_DIR;
/// The entry file, under [`SEARCH_DIR`].
const ENTRY: &str = "index.json";
/// The shards' folder, under [`SEARCH_DIR`].
const SHARDS_DIR: &str = "words/";
/// The sets of the filter values whose counts are shown, under [`SEARCH_DIR`].
const FILTERS_FILE: &str = "filters.bin";
/// The ranks' folder, under [`SEARCH_DIR`] (see `beside`).
const RANKS_DIR: &str = "rank/";
/// The word pairs' folder, under [`SEARCH_DIR`] (see `pairs`).
const PAIRS_DIR: &str = "pairs/";
/// The people's and countries' names by first letter, for a word typed
/// wrong.
const NAMES_DIR: &str = "names/";
/// The records' folder, under [`SEARCH_DIR`].
const DOCS_DIR: &str = "docs/";
/// The client script, under [`SEARCH_DIR`].
const CLIENT: &str = "search.js";

/// The browser client.
const CLIENT_JS: &str = concat!(
    include_str!("client/index.js"),
    include_str!("client/reading.js"),
    include_str!("client/page.js")
);

/// Files by site path, with their bytes.
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// Every file of the search: the index and the client.
#[cfg(test)]
pub(crate) fn files(src: &Sources) -> Files {
    let never = std::sync::atomic::AtomicBool::new(false);
    files_until(src, &never).expect("never stopped")
}

/// Every file of the search, the index and the client, or `None` once
/// `stop` is set (checked as the index is built). The pairs set aside must
/// be in memory ([`Runs::IN_MEMORY`]).
pub(crate) fn files_until(src: &Sources, stop: &std::sync::atomic::AtomicBool) -> Option<Files> {
    let mut files = Vec::new();
    let done = files_into(src, stop, &mut |path, bytes| files.push((path, bytes)));
    done.expect("pairs set aside in memory are read back")
        .then_some(files)
}

/// Gives every file of the search, the index and the client, to `sink` as
/// it is made: `Ok(false)` once `stop` is set (checked as the index is
/// built); an error when the pairs set aside in files could not be read
/// back.
pub(crate) fn files_into(
    src: &Sources,
    stop: &std::sync::atomic::AtomicBool,
    sink: &mut FileSink,
) -> std::io::Result<bool> {
    if !build::index_into(src, stop, sink)? {
        return Ok(false);
    }
    sink(
        format!("{SEARCH_DIR}{CLIENT}"),
        CLIENT_JS.as_bytes().to_vec(),
    );
    Ok(true)
}

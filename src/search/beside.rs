//! The files beside the shards, which only some queries load: each word's
//! ranks (`rank/`, to sort by relevance) and each pair of words' part
//! (`pairs/`, for a phrase). They are cut by their own size, not the
//! shards': a query should load its own words' parts, not those of every
//! word that shares the shard. Each folder holds `starts.json` (the first
//! key of each file) and `<n>.bin`: each key (a word, or a pair's two
//! words and a space between), then its part after its length, in key
//! order.

use super::sets::put_varint;
use super::Files;

/// The files of one folder beside the shards, being written.
pub(super) struct Beside {
    dir: &'static str,
    /// A file is closed once one more part would take it past this (a part
    /// larger than this is a file of its own).
    cap: usize,
    starts: Vec<String>,
    group: Vec<u8>,
    /// The files closed and not taken yet ([`Beside::take_cut`]).
    files: Files,
    /// How many files were closed.
    closed: usize,
}

impl Beside {
    pub(super) fn new(dir: &'static str, cap: usize) -> Beside {
        Beside {
            dir,
            cap,
            starts: Vec::new(),
            group: Vec::new(),
            files: Vec::new(),
            closed: 0,
        }
    }

    /// A word's or a pair's part (none for a filter value, which has no
    /// part).
    pub(super) fn add(&mut self, term: &str, part: &[u8]) {
        if part.is_empty() {
            return;
        }
        if !self.group.is_empty() && self.group.len() + part.len() > self.cap {
            self.cut();
        }
        if self.group.is_empty() {
            self.starts.push(term.to_string());
        }
        put_varint(&mut self.group, term.len() as u64);
        self.group.extend_from_slice(term.as_bytes());
        put_varint(&mut self.group, part.len() as u64);
        self.group.extend_from_slice(part);
    }

    fn cut(&mut self) {
        let n = self.closed;
        self.closed += 1;
        let path = format!("{}{}{n}.bin", super::SEARCH_DIR, self.dir);
        self.files.push((path, std::mem::take(&mut self.group)));
    }

    /// The files closed since the last call (they are not given again).
    pub(super) fn take_cut(&mut self) -> Files {
        std::mem::take(&mut self.files)
    }

    /// The files not taken yet, and the folder's `starts.json`.
    pub(super) fn finish(mut self) -> Files {
        if !self.group.is_empty() {
            self.cut();
        }
        let starts = serde_json::to_vec(&self.starts).expect("strings serialise");
        let path = format!("{}{}starts.json", super::SEARCH_DIR, self.dir);
        self.files.push((path, starts));
        self.files
    }
}

//! The remote record of what gazette put in a bucket, so that a small
//! edit is published without listing a million keys.
//!
//! Under `<prefix>.gazette/` the bucket holds `state.json`, which names
//! the record's parts in order, and the parts themselves, each a gzip'd
//! text of lines `<hash> <path>` (stored), `- <path>` (deleted) or
//! `? <path>` (a deploy is about to touch it: unknown until a later part
//! says). A deploy first adds a part of `?` lines for everything it will
//! touch, then publishes, then replaces that part with the part of what it
//! did; a deploy killed at any moment leaves a record whose unknown keys
//! the next deploy sends again. A copy of the folded record is kept in
//! the user's cache folder, used when its parts are still the bucket's.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::Remote;

/// The folder of the record, under the target's prefix.
pub(crate) const RECORD_DIR: &str = ".gazette";

/// The state object, under [`RECORD_DIR`].
pub(crate) const STATE: &str = ".gazette/state.json";

/// More parts than this and the next deploy writes the record whole.
pub(crate) const MAX_PARTS: usize = 16;

/// `state.json`: the record's parts, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    /// The format, 1.
    pub(crate) format: u32,
    /// The ids of the parts, oldest first.
    pub(crate) parts: Vec<String>,
}

impl State {
    /// The state's bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A state read back, or `None` for another format or garbage.
    pub(crate) fn parse(bytes: &[u8]) -> Option<State> {
        serde_json::from_slice::<State>(bytes)
            .ok()
            .filter(|s| s.format == 1)
    }
}

/// The key of part `id`.
pub(crate) fn part_key(id: &str) -> String {
    format!("{RECORD_DIR}/parts/{id}.gz")
}

/// One line of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Stored with this hash.
    Stored(u64),
    /// Deleted.
    Gone,
    /// About to be touched.
    Unknown,
}

/// A part's compressed bytes and its id (the hash of its text).
pub(crate) fn encode_part<'a>(
    entries: impl Iterator<Item = (&'a str, Entry)>,
) -> (String, Vec<u8>) {
    let mut text = String::new();
    for (path, entry) in entries {
        match entry {
            Entry::Stored(hash) => text.push_str(&format!("{hash:016x} ")),
            Entry::Gone => text.push_str("- "),
            Entry::Unknown => text.push_str("? "),
        }
        text.push_str(path);
        text.push('\n');
    }
    let id = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = gz.write_all(text.as_bytes());
    (id, gz.finish().unwrap_or_default())
}

/// Applies a part's compressed bytes over `remote`; `false` when the
/// part is damaged (its text does not hash to `id`).
pub(crate) fn apply_part(id: &str, bytes: &[u8], remote: &mut Remote) -> bool {
    let mut text = String::new();
    if flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .is_err()
        || format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes())) != id
    {
        return false;
    }
    apply_text(&text, remote)
}

fn apply_text(text: &str, remote: &mut Remote) -> bool {
    for line in text.lines() {
        let Some((head, path)) = line.split_once(' ') else {
            return false;
        };
        match head {
            "-" => {
                remote.remove(path);
            }
            "?" => {
                remote.insert(path.to_string(), None);
            }
            hex => match u64::from_str_radix(hex, 16) {
                Ok(hash) => {
                    remote.insert(path.to_string(), Some(hash));
                }
                Err(_) => return false,
            },
        }
    }
    true
}

/// Where the folded record of a bucket is kept between deploys.
pub(crate) fn cache_file(cache_dir: &Path, describe: &str) -> PathBuf {
    let id = xxhash_rust::xxh3::xxh3_64(describe.as_bytes());
    cache_dir.join("deploy").join(format!("{id:016x}"))
}

/// The cached record, when it is the record of `state`.
pub(crate) fn read_cache(file: &Path, state: &State) -> Option<Remote> {
    let text = std::fs::read_to_string(file).ok()?;
    let (first, rest) = text.split_once('\n')?;
    if first != state.parts.join(",") {
        return None;
    }
    let mut remote = Remote::new();
    apply_text(rest, &mut remote).then_some(remote)
}

/// Keeps `remote` as the record of `state` (written beside, then renamed).
pub(crate) fn write_cache(file: &Path, state: &State, remote: &Remote) -> std::io::Result<()> {
    let mut text = state.parts.join(",");
    text.push('\n');
    for (path, hash) in remote {
        match hash {
            Some(h) => text.push_str(&format!("{h:016x} ")),
            None => text.push_str("? "),
        }
        text.push_str(path);
        text.push('\n');
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = file.with_extension("new");
    std::fs::write(&temp, text)?;
    std::fs::rename(temp, file)
}

/// The full record as one part, for compaction.
pub(crate) fn whole(remote: &Remote) -> (String, Vec<u8>) {
    encode_part(
        remote
            .iter()
            .map(|(p, h)| (p.as_str(), h.map_or(Entry::Unknown, Entry::Stored))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_fold_in_order_and_a_damaged_one_is_refused() {
        let (a, a_bytes) = encode_part(
            [
                ("index.html", Entry::Stored(1)),
                ("old/index.html", Entry::Stored(2)),
            ]
            .into_iter(),
        );
        let (b, b_bytes) = encode_part(
            [
                ("index.html", Entry::Unknown),
                ("new page/index.html", Entry::Unknown),
            ]
            .into_iter(),
        );
        let (c, c_bytes) = encode_part(
            [
                ("index.html", Entry::Stored(3)),
                ("new page/index.html", Entry::Stored(4)),
                ("old/index.html", Entry::Gone),
            ]
            .into_iter(),
        );
        let mut remote = Remote::new();
        assert!(apply_part(&a, &a_bytes, &mut remote));
        assert!(apply_part(&b, &b_bytes, &mut remote));
        assert_eq!(remote.get("index.html"), Some(&None));
        assert!(apply_part(&c, &c_bytes, &mut remote));
        let expected: Remote = [
            ("index.html".to_string(), Some(3)),
            ("new page/index.html".to_string(), Some(4)),
        ]
        .into_iter()
        .collect();
        assert_eq!(remote, expected);
        assert!(!apply_part(&a, &c_bytes, &mut remote));
        assert!(!apply_part(&a, b"not gzip", &mut remote));
    }

    #[test]
    fn the_cache_is_used_only_for_the_state_it_was_written_for() {
        let dir = tempfile::tempdir().unwrap();
        let file = cache_file(dir.path(), "s3://b/ at x");
        let state = State {
            format: 1,
            parts: vec!["aa".into(), "bb".into()],
        };
        let remote: Remote = [
            ("a b/index.html".to_string(), Some(7)),
            ("x".to_string(), None),
        ]
        .into_iter()
        .collect();
        write_cache(&file, &state, &remote).unwrap();
        assert_eq!(read_cache(&file, &state), Some(remote));
        let later = State {
            format: 1,
            parts: vec!["aa".into(), "cc".into()],
        };
        assert_eq!(read_cache(&file, &later), None);
        assert_eq!(State::parse(&state.to_bytes()), Some(state));
        assert_eq!(State::parse(b"{\"format\":9,\"parts\":[]}"), None);
    }
}

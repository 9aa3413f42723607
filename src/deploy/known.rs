//! What the bucket holds, found as cheaply as it can be: the cached copy
//! of the record when the bucket's `state.json` still names its parts,
//! else the record's parts read from the bucket; either verified by
//! looking at a few keys; and when the record is missing, damaged or
//! disagrees with the bucket, a full listing, each key's headers read to
//! tell gazette's keys from foreign ones.

use std::path::PathBuf;

use futures::{StreamExt, TryStreamExt};

use super::plan::Remote;
use super::record::{self, State};
use super::remote::Bucket;

/// How many requests run at once.
pub(crate) const PARALLEL: usize = 32;

/// How many keys of a record are looked at to trust it.
const SAMPLE: usize = 8;

/// Where the bucket's contents were learned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The record copy in the user's cache folder.
    Cache,
    /// The record's parts, read from the bucket.
    Record,
    /// A listing of every key.
    Listing,
}

impl Source {
    /// How the summary says it.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Source::Cache => "the record kept from the last deploy",
            Source::Record => "the bucket's record",
            Source::Listing => "a full listing of the bucket",
        }
    }
}

/// The bucket's contents and record.
pub(crate) struct Known {
    /// gazette's keys and their stored hashes.
    pub(crate) remote: Remote,
    /// The record's state (no parts after a listing).
    pub(crate) state: State,
    /// Parts of an old record that a listing replaced: deleted at the end.
    pub(crate) stale_parts: Vec<String>,
    /// Where it was learned from.
    pub(crate) source: Source,
    /// The cache file of this bucket.
    pub(crate) cache: PathBuf,
}

/// Learns what `bucket` holds.
pub(crate) async fn known(bucket: &Bucket) -> Result<Known, String> {
    let cache = record::cache_file(&crate::images::user_cache_dir(), &bucket.describe);
    let state = match bucket.get(record::STATE).await? {
        Some(bytes) => State::parse(&bytes),
        None => None,
    };
    if let Some(state) = state {
        let (remote, source) = match record::read_cache(&cache, &state) {
            Some(remote) => (Some(remote), Source::Cache),
            None => (read_parts(bucket, &state).await?, Source::Record),
        };
        if let Some(remote) = remote {
            if agrees(bucket, &remote).await? {
                return Ok(Known {
                    remote,
                    state,
                    stale_parts: Vec::new(),
                    source,
                    cache,
                });
            }
        }
        let stale_parts = state.parts;
        let remote = listing(bucket).await?;
        return Ok(Known {
            remote,
            state: State::default(),
            stale_parts,
            source: Source::Listing,
            cache,
        });
    }
    Ok(Known {
        remote: listing(bucket).await?,
        state: State::default(),
        stale_parts: Vec::new(),
        source: Source::Listing,
        cache,
    })
}

async fn read_parts(bucket: &Bucket, state: &State) -> Result<Option<Remote>, String> {
    let mut remote = Remote::new();
    for id in &state.parts {
        match bucket.get(&record::part_key(id)).await? {
            Some(bytes) if record::apply_part(id, &bytes, &mut remote) => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(remote))
}

/// Whether a few of the record's keys (the home page first, then keys
/// spread over the record) hold what it says.
async fn agrees(bucket: &Bucket, remote: &Remote) -> Result<bool, String> {
    let known: Vec<(&String, u64)> = remote
        .iter()
        .filter_map(|(p, h)| h.map(|h| (p, h)))
        .collect();
    let step = (known.len() / SAMPLE).max(1);
    let mut sample: Vec<(&String, u64)> =
        known.iter().step_by(step).take(SAMPLE).copied().collect();
    if let Some(home) = known.iter().find(|(p, _)| p.as_str() == "index.html") {
        sample.push(*home);
    }
    let found: Vec<bool> = futures::stream::iter(sample)
        .map(|(path, hash)| async move {
            Ok::<_, String>(bucket.stored_hash(path).await? == Some(Some(hash)))
        })
        .buffer_unordered(PARALLEL)
        .try_collect()
        .await?;
    Ok(found.into_iter().all(|ok| ok))
}

/// Every key under the prefix that carries gazette's mark.
async fn listing(bucket: &Bucket) -> Result<Remote, String> {
    let keys = bucket.list().await?;
    let marks: Vec<(String, Option<Option<u64>>)> = futures::stream::iter(keys)
        .map(|path| async move {
            let mark = bucket.stored_hash(&path).await?;
            Ok::<_, String>((path, mark))
        })
        .buffer_unordered(PARALLEL)
        .try_collect()
        .await?;
    Ok(marks
        .into_iter()
        .filter_map(|(path, mark)| Some((path, Some(mark??))))
        .collect())
}

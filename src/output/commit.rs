//! The end of a build's writing: [`Output::commit`] puts the staged and
//! held files in place, removes those of the previous build that were not
//! produced again and writes the manifest, after checking that nothing
//! gazette did not write is in the way; [`Output::abort`] leaves the output
//! as it was. Split from `mod.rs`, which records what a build writes.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use rayon::prelude::*;

use super::manifest::{self, Files, OnDisk};
use super::{is_safe_relative, Manifest, Output, Stamp, WriteStats};
use crate::error::{Error, Result};

/// A narrow commit appends to the journal when it changes at most one
/// entry in this many, and the journal stays under the same fraction of
/// the manifest's bytes; past either, the manifest is written whole.
const JOURNAL_FRACTION: u64 = 8;

impl Output {
    /// Forgets the staged files: the output directory is left as it was.
    pub(crate) fn abort(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }

    /// Moves the staged files into place and replaces the old files with
    /// the held ones, removes files of the previous build that were not
    /// produced again, and writes the new manifest.
    pub(crate) fn commit(self) -> Result<WriteStats> {
        self.commit_known().map(|(stats, _)| stats)
    }

    /// [`Output::commit`], and the manifest now on disk, to open the next
    /// build with ([`Output::open_known`]).
    pub(crate) fn commit_known(mut self) -> Result<(WriteStats, Option<Manifest>)> {
        let staged = taken(&mut self.staged);
        let held = taken(&mut self.held);
        let written = staged.len() + held.len();
        let Settled {
            files,
            stale,
            record,
        } = self.settle();
        let stats = WriteStats {
            files: files.len(),
            written,
            unchanged: files.len() - written,
            removed: stale.len(),
        };
        if written == 0 && stale.is_empty() && matches!(record, Record::Unchanged) {
            let _ = fs::remove_dir_all(&self.staging);
            return Ok((stats, self.known(files, self.manifest)));
        }
        if held.is_empty() && !self.dir.exists() {
            let base = manifest::write(&self.staging, &files)?;
            fs::rename(&self.staging, &self.dir).map_err(|e| Error::io(&self.dir, e))?;
            return Ok((stats, Manifest::now_in(&self.dir, files, base, true)));
        }
        // Check before changing anything, so a refusal leaves the output as it was.
        let held_files = held.iter().map(|(rel, _)| rel.as_str());
        let mut new_files = staged.iter().map(|rel| &**rel).chain(held_files);
        if let Err(e) = new_files.try_for_each(|rel| way_is_clear(&self.dir, rel, &stale)) {
            let _ = fs::remove_dir_all(&self.staging);
            return Err(e);
        }
        for rel in &stale {
            remove_written(&self.dir, rel);
        }
        let moved = staged.par_iter().try_for_each(|rel| {
            let to = self.dir.join(&**rel);
            in_folder(&to, || fs::rename(self.staging.join(&**rel), &to))
        });
        let placed = moved.and_then(|()| {
            held.par_iter().try_for_each(|(rel, bytes)| {
                let to = self.dir.join(rel);
                in_folder(&to, || replace(&to, bytes))
            })
        });
        let _ = fs::remove_dir_all(&self.staging);
        placed?;
        match record {
            Record::Unchanged => {}
            Record::Journal { base, changes } => {
                let changes: Vec<(&str, Option<Stamp>)> =
                    changes.iter().map(|(p, s)| (p.as_str(), *s)).collect();
                manifest::append(&self.dir, base, &changes)?;
            }
            Record::Whole => {
                let base = manifest::write(&self.dir, &files)?;
                return Ok((stats, Manifest::now_in(&self.dir, files, base, true)));
            }
        }
        Ok((stats, self.known(files, self.manifest)))
    }

    /// The files of the output once this build is committed, those of the
    /// previous build that go, and how the manifest records the change.
    /// A build writing every file removes all those not produced again; a
    /// build keeping the rest only the forgotten ones (no pass over every
    /// file for a one-page rebuild) and, when it changed few entries, says
    /// so in the journal.
    fn settle(&mut self) -> Settled {
        let mut previous = std::mem::take(&mut self.previous);
        let produced = taken(&mut self.produced);
        let forgotten = taken(&mut self.forgotten);
        if !self.keep_rest.load(Ordering::Relaxed) {
            let stale = previous
                .keys()
                .filter(|k| !produced.contains_key(*k))
                .cloned()
                .collect();
            // A build that changed nothing leaves the manifest (and its
            // mtime) alone; one over every file folds the journal in.
            let journal = self.manifest.is_some_and(|m| m.id.journal > 0);
            let record = if produced == previous && !journal {
                Record::Unchanged
            } else {
                Record::Whole
            };
            return Settled {
                files: produced,
                stale,
                record,
            };
        }
        let stale: BTreeSet<String> = forgotten
            .into_iter()
            .filter(|k| previous.contains_key(k) && !produced.contains_key(k))
            .collect();
        let mut changes: Vec<(String, Option<Stamp>)> =
            stale.iter().map(|rel| (rel.clone(), None)).collect();
        for rel in &stale {
            previous.remove(rel);
        }
        for (rel, stamp) in produced {
            if previous.get(&rel) != Some(&stamp) {
                changes.push((rel.clone(), Some(stamp)));
                previous.insert(rel, stamp);
            }
        }
        let record = self.record_of(changes, previous.len());
        Settled {
            files: previous,
            stale,
            record,
        }
    }

    /// How a build keeping the rest records `changes` in a manifest of
    /// `files` entries: not at all, in the journal, or whole.
    fn record_of(&self, changes: Vec<(String, Option<Stamp>)>, files: usize) -> Record {
        const ENTRY_BYTES: u64 = 100;
        if changes.is_empty() {
            return Record::Unchanged;
        }
        let Some(OnDisk {
            id,
            base,
            journal_whole: true,
        }) = self.manifest
        else {
            return Record::Whole;
        };
        let few = changes.len() as u64 * JOURNAL_FRACTION <= files as u64;
        let journal_after = id.journal + changes.len() as u64 * ENTRY_BYTES;
        if few && journal_after * JOURNAL_FRACTION <= id.manifest_len() {
            Record::Journal { base, changes }
        } else {
            Record::Whole
        }
    }

    /// `files` as the manifest now on disk when it is still the one this
    /// output was opened with (`was`), its journal perhaps longer.
    fn known(&self, files: Files, was: Option<OnDisk>) -> Option<Manifest> {
        let was = was?;
        Manifest::now_in(&self.dir, files, was.base, was.journal_whole)
    }
}

/// What a commit leaves: see [`Output::settle`].
struct Settled {
    files: Files,
    stale: BTreeSet<String>,
    record: Record,
}

/// How a commit records its files in the manifest.
enum Record {
    /// Nothing changed: the manifest stays as it is.
    Unchanged,
    /// These entries changed (`None`: removed): appended to the journal.
    Journal {
        /// The hash of the manifest the journal follows.
        base: u64,
        changes: Vec<(String, Option<Stamp>)>,
    },
    /// Written whole.
    Whole,
}

/// What `lock` holds, left empty: a commit takes the build's records.
fn taken<T: Default>(lock: &mut Mutex<T>) -> T {
    std::mem::take(lock.get_mut().expect("lock not poisoned"))
}

/// Runs `put`, which creates the file `to`, creating `to`'s folder first
/// when it is missing.
fn in_folder(to: &Path, put: impl Fn() -> std::io::Result<()>) -> Result<()> {
    match put() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let folder = to.parent().unwrap_or(to);
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
            put().map_err(|e| Error::io(to, e))
        }
        done => done.map_err(|e| Error::io(to, e)),
    }
}

/// Replaces the file at `path` with one holding `bytes`: written beside it,
/// then renamed over it, so a reader (the preview server, a web server
/// serving the folder) sees the old file or the new one, never half of one;
/// and a symlink or hard link there is replaced, not written through.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let fresh = path.with_file_name(format!(".{name}.gazette-new"));
    fs::write(&fresh, bytes)?;
    fs::rename(&fresh, path)
}

/// Fails when writing `rel` would need to replace something gazette did not
/// write: a file where a folder must go, or a folder holding such files.
/// Files of the previous build that are not produced again (`stale`) are
/// removed before the new files go in, so they are never in the way.
fn way_is_clear(dir: &Path, rel: &str, stale: &BTreeSet<String>) -> Result<()> {
    let blocked = |what: &Path| Error::UnsafeOutput {
        path: what.to_path_buf(),
        reason: format!("it is in the way of {rel}, and gazette did not write it; move it away"),
    };
    let mut prefix = String::new();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        let path = dir.join(&prefix);
        if path.is_file() && !stale.contains(prefix.as_str()) {
            return Err(blocked(&path));
        }
    }
    let target = dir.join(rel);
    if target.is_dir() {
        for entry in walkdir::WalkDir::new(&target).into_iter().flatten() {
            let inner = format!(
                "{rel}/{}",
                entry
                    .path()
                    .strip_prefix(&target)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
            );
            if !entry.file_type().is_dir() && !stale.contains(inner.as_str()) {
                return Err(blocked(entry.path()));
            }
        }
    }
    Ok(())
}

/// Removes a file written by an earlier build, and its folders left empty.
fn remove_written(dir: &Path, rel: &str) {
    if !is_safe_relative(rel) {
        return;
    }
    let path = dir.join(rel);
    if fs::remove_file(&path).is_err() {
        return;
    }
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p == dir || fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
}

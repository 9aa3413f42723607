//! The manifest on disk: the record of every file gazette wrote into an
//! output folder (size, content hash, input fingerprint), so that only
//! those files are ever replaced or deleted. It is a sorted text file,
//! `.gazette-manifest`, written whole by a build. The preview's narrow
//! writes append what they changed to a journal beside it,
//! `.gazette-manifest.journal`, instead of writing 145,000 lines again for
//! one saved article (13.7 MB at 100,000 articles); the next whole write
//! folds the journal in.
//!
//! The journal is a run of batches, each applied whole or not at all:
//! `@ N`, then N lines (`+ HASH SIZE FINGERPRINT PATH` for a file written
//! or kept, `- PATH` for one removed), then `= CHECK`, the xxh3 of those
//! lines. A batch cut short by a crash is ignored, and the next commit
//! writes the manifest whole. A whole write removes the journal before it
//! renames the new manifest into place: a crash between the two forgets
//! the journal's files, which are then never deleted, rather than
//! recording files that are not there.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::SystemTime;

use super::Stamp;
use crate::error::{Error, Result};

/// The manifest's file name inside the output directory.
pub(crate) const MANIFEST: &str = ".gazette-manifest";

/// The journal's file name, beside the manifest.
pub(crate) const JOURNAL: &str = ".gazette-manifest.journal";

/// The first line of a manifest of this format.
const HEADER: &str = "gazette-manifest 2";

/// Every file gazette wrote, by its path in the output folder.
pub(super) type Files = BTreeMap<String, Stamp>;

/// Which manifest and journal are on disk: the manifest's length and
/// modification time, and the journal's length (0 when there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DiskId {
    manifest: (u64, SystemTime),
    /// The journal's length in bytes.
    pub(super) journal: u64,
}

impl DiskId {
    /// The manifest's length in bytes.
    pub(super) fn manifest_len(&self) -> u64 {
        self.manifest.0
    }
}

/// The manifest and journal on disk in `dir`, if there is a manifest.
pub(super) fn disk_id(dir: &Path) -> Option<DiskId> {
    let meta = fs::metadata(dir.join(MANIFEST)).ok()?;
    let journal = fs::metadata(dir.join(JOURNAL)).map_or(0, |m| m.len());
    Some(DiskId {
        manifest: (meta.len(), meta.modified().ok()?),
        journal,
    })
}

/// A manifest read from disk: its files, and whether its journal (if any)
/// was whole, so that more batches may follow it.
pub(super) struct Read {
    pub(super) files: Files,
    pub(super) journal_whole: bool,
}

/// Reads `dir`'s manifest and applies its journal; `None` when there is no
/// manifest. A manifest of another format reads as empty.
pub(super) fn read(dir: &Path) -> Option<Read> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    let mut files = Files::new();
    if lines.next()? != HEADER {
        return Some(Read {
            files,
            journal_whole: false,
        });
    }
    for line in lines {
        if let Some((path, stamp)) = entry(line) {
            files.insert(path.to_string(), stamp);
        }
    }
    let journal_whole = match fs::read_to_string(dir.join(JOURNAL)) {
        Ok(journal) => apply_journal(&journal, &mut files),
        Err(_) => true,
    };
    Some(Read {
        files,
        journal_whole,
    })
}

/// One manifest line, `HASH SIZE FINGERPRINT PATH`.
fn entry(line: &str) -> Option<(&str, Stamp)> {
    let mut parts = line.splitn(4, ' ');
    let (hash, size, fingerprint, path) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let stamp = Stamp {
        hash: u64::from_str_radix(hash, 16).ok()?,
        size: size.parse().ok()?,
        fingerprint: u64::from_str_radix(fingerprint, 16).ok()?,
    };
    Some((path, stamp))
}

/// Applies the whole batches of `journal` to `files`, in order; false when
/// it ends in a batch that is not whole (or holds a line it cannot read).
fn apply_journal(journal: &str, files: &mut Files) -> bool {
    let mut lines = journal.split_inclusive('\n');
    while let Some(open) = lines.next() {
        let Some(n) = open
            .strip_prefix("@ ")
            .and_then(|n| n.trim_end_matches('\n').parse::<usize>().ok())
        else {
            return false;
        };
        let batch: Vec<&str> = lines.by_ref().take(n).collect();
        let check = lines.next().and_then(|l| l.strip_prefix("= "));
        let whole = batch.len() == n
            && check.is_some_and(|c| c.ends_with('\n'))
            && check.map(|c| c.trim_end_matches('\n')) == Some(&batch_check(&batch));
        if !whole || !apply_batch(&batch, files) {
            return false;
        }
    }
    true
}

/// Applies one whole batch; false (and nothing applied) on a line that is
/// not an entry or a removal.
fn apply_batch(batch: &[&str], files: &mut Files) -> bool {
    let mut changes = Vec::with_capacity(batch.len());
    for line in batch {
        let line = line.trim_end_matches('\n');
        let change = if let Some(path) = line.strip_prefix("- ") {
            (path, None)
        } else if let Some((path, stamp)) = line.strip_prefix("+ ").and_then(entry) {
            (path, Some(stamp))
        } else {
            return false;
        };
        changes.push(change);
    }
    for (path, stamp) in changes {
        match stamp {
            Some(stamp) => files.insert(path.to_string(), stamp),
            None => files.remove(path),
        };
    }
    true
}

/// The check of a batch's lines (each ending in a newline).
fn batch_check(lines: &[&str]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for line in lines {
        hasher.update(line.as_bytes());
    }
    format!("{:016x}", hasher.digest())
}

/// Writes `files` as `dir`'s manifest, whole, removing the journal first.
pub(super) fn write(dir: &Path, files: &Files) -> Result<()> {
    let mut text = String::with_capacity(files.len() * 96 + 32);
    text.push_str(HEADER);
    text.push('\n');
    for (path, stamp) in files {
        push_entry(&mut text, path, stamp);
    }
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    let journal = dir.join(JOURNAL);
    match fs::remove_file(&journal) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&journal, e)),
        _ => {}
    }
    fs::rename(&tmp, dir.join(MANIFEST)).map_err(|e| Error::io(dir, e))
}

fn push_entry(text: &mut String, path: &str, stamp: &Stamp) {
    let _ = writeln!(
        text,
        "{:016x} {} {:016x} {path}",
        stamp.hash, stamp.size, stamp.fingerprint
    );
}

/// Appends one batch to `dir`'s journal: each path with its new stamp, or
/// `None` for a file removed. Called once the files it names are in
/// place: a crash between the two leaves files the manifest does not name
/// (never deleted), never a name without its file.
pub(super) fn append(dir: &Path, changes: &[(&str, Option<Stamp>)]) -> Result<()> {
    let mut lines: Vec<String> = Vec::with_capacity(changes.len());
    for (path, stamp) in changes {
        let mut line = String::new();
        match stamp {
            Some(stamp) => {
                line.push_str("+ ");
                push_entry(&mut line, path, stamp);
            }
            None => {
                let _ = writeln!(line, "- {path}");
            }
        }
        lines.push(line);
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut batch = format!("@ {}\n", lines.len());
    batch.extend(refs.iter().copied());
    let _ = writeln!(batch, "= {}", batch_check(&refs));
    let path = dir.join(JOURNAL);
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.write_all(batch.as_bytes())
        .map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> Stamp {
        Stamp {
            size: n,
            hash: n * 7,
            fingerprint: n * 11,
        }
    }

    fn files(entries: &[(&str, u64)]) -> Files {
        entries
            .iter()
            .map(|&(p, n)| (p.to_string(), stamp(n)))
            .collect()
    }

    #[test]
    fn the_journal_s_batches_apply_in_order_over_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &files(&[("a.html", 1), ("b.html", 2)])).unwrap();
        append(dir.path(), &[("c.html", Some(stamp(3))), ("a.html", None)]).unwrap();
        append(
            dir.path(),
            &[("b.html", Some(stamp(9))), ("a.html", Some(stamp(4)))],
        )
        .unwrap();
        let read = read(dir.path()).unwrap();
        assert!(read.journal_whole);
        assert_eq!(
            read.files,
            files(&[("a.html", 4), ("b.html", 9), ("c.html", 3)])
        );
    }

    #[test]
    fn a_batch_cut_short_is_ignored_and_marks_the_journal_broken() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &files(&[("a.html", 1)])).unwrap();
        append(dir.path(), &[("b.html", Some(stamp(2)))]).unwrap();
        let whole = fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
        append(dir.path(), &[("c.html", Some(stamp(3))), ("a.html", None)]).unwrap();
        let both = fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
        // Every cut of the second batch: the first applies, the second not.
        for cut in whole.len()..both.len() {
            fs::write(dir.path().join(JOURNAL), &both[..cut]).unwrap();
            let read = read(dir.path()).unwrap();
            assert_eq!(
                read.files,
                files(&[("a.html", 1), ("b.html", 2)]),
                "cut {cut}"
            );
            assert_eq!(read.journal_whole, cut == whole.len(), "cut {cut}");
        }
        // A line changed inside a batch: its check fails.
        fs::write(dir.path().join(JOURNAL), both.replace("c.html", "d.html")).unwrap();
        assert!(!read(dir.path()).unwrap().journal_whole);
    }

    #[test]
    fn a_whole_write_folds_the_journal_away() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &files(&[("a.html", 1)])).unwrap();
        append(dir.path(), &[("b.html", Some(stamp(2)))]).unwrap();
        assert!(disk_id(dir.path()).unwrap().journal > 0);
        write(dir.path(), &files(&[("c.html", 3)])).unwrap();
        assert!(!dir.path().join(JOURNAL).exists());
        assert_eq!(read(dir.path()).unwrap().files, files(&[("c.html", 3)]));
        assert_eq!(disk_id(dir.path()).unwrap().journal, 0);
    }

    #[test]
    fn paths_with_spaces_survive_both_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &files(&[("a b/c d.html", 1)])).unwrap();
        append(dir.path(), &[("e f.html", Some(stamp(2)))]).unwrap();
        assert_eq!(
            read(dir.path()).unwrap().files,
            files(&[("a b/c d.html", 1), ("e f.html", 2)])
        );
    }
}

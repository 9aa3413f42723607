//! The manifest on disk: the record of every file gazette wrote into an
//! output folder (size, content hash, input fingerprint), so that only
//! those files are ever replaced or deleted. It is a sorted text file,
//! `.gazette-manifest`, written whole by a build. The preview's narrow
//! writes append what they changed to a journal beside it,
//! `.gazette-manifest.journal`, instead of writing 145,000 lines again for
//! one saved article (13.7 MB at 100,000 articles); the next whole write
//! folds the journal in.
//!
//! The journal's first line names the manifest it follows (the xxh3 of
//! its bytes): a journal left beside another manifest (a whole write cut
//! short after its rename, or made by an older gazette) is ignored. Then
//! come batches, each applied whole or not at all: `@ N`, N lines
//! (`+ HASH SIZE FINGERPRINT PATH` for a file written or kept, `- PATH`
//! for one removed), and `= CHECK`, the xxh3 of those lines. A batch cut
//! short by a crash is ignored, and the next commit writes the manifest
//! whole. A batch is appended once the files it names are in place, and a
//! whole write renames the new manifest into place before it removes the
//! journal: a crash at any point leaves, at worst, files the manifest
//! does not name (never deleted), never a name without its file.

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

/// The start of a journal's first line, before its manifest's hash.
const JOURNAL_HEADER: &str = "gazette-journal 1 ";

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

/// The manifest of an output folder as gazette last wrote it, kept in
/// memory by the preview between its passes: opening the output with it
/// ([`Output::open_known`]) skips reading and parsing the file, as long as
/// the files on disk are still the ones written (same lengths and mtime).
pub(crate) struct Manifest {
    pub(super) files: Files,
    pub(super) on_disk: OnDisk,
}

/// Which manifest is on disk, as a commit needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OnDisk {
    pub(super) id: DiskId,
    /// The manifest file's hash, which its journal names.
    pub(super) base: u64,
    /// More journal batches may follow the ones on disk.
    pub(super) journal_whole: bool,
}

impl Manifest {
    /// `files` as the manifest now on disk in `dir`, whose file hashes to
    /// `base` and whose journal is whole or not; `None` when there is no
    /// manifest there (the next pass reads it).
    pub(super) fn now_in(dir: &Path, files: Files, base: u64, journal_whole: bool) -> Option<Self> {
        let on_disk = OnDisk {
            id: disk_id(dir)?,
            base,
            journal_whole,
        };
        Some(Manifest { files, on_disk })
    }
}

/// Writes `dir`'s manifest whole when it has a journal, folding the
/// journal in: what a settled preview does once its edits are quiet, so
/// that its folder is what a build makes. `known` is the manifest the last
/// pass committed (kept, and updated, when it is still the one on disk).
pub(crate) fn fold_journal(dir: &Path, known: &mut Option<Manifest>) -> Result<()> {
    let Some(id) = disk_id(dir).filter(|id| id.journal > 0) else {
        return Ok(());
    };
    let files = match known.take().filter(|m| m.on_disk.id == id) {
        Some(m) => m.files,
        None => match read(dir) {
            Some(read) => read.files,
            None => return Ok(()),
        },
    };
    let base = write(dir, &files)?;
    *known = Manifest::now_in(dir, files, base, true);
    Ok(())
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

/// A manifest read from disk: its files, whether its journal (if any) was
/// whole, so that more batches may follow it, and the manifest file's hash
/// (which a journal names).
pub(super) struct Read {
    pub(super) files: Files,
    pub(super) journal_whole: bool,
    pub(super) base: u64,
}

/// Reads `dir`'s manifest and applies its journal; `None` when there is no
/// manifest. A manifest of another format reads as empty.
pub(super) fn read(dir: &Path) -> Option<Read> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let base = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let mut lines = text.lines();
    let mut files = Files::new();
    if lines.next()? != HEADER {
        return Some(Read {
            files,
            journal_whole: false,
            base,
        });
    }
    for line in lines {
        if let Some((path, stamp)) = entry(line) {
            files.insert(path.to_string(), stamp);
        }
    }
    let journal_whole = match fs::read_to_string(dir.join(JOURNAL)) {
        Ok(journal) => match journal.split_once('\n') {
            Some((first, batches)) if first == journal_header(base) => {
                apply_journal(batches, &mut files)
            }
            // Another manifest's: its changes are in this one, or lost.
            _ => false,
        },
        Err(_) => true,
    };
    Some(Read {
        files,
        journal_whole,
        base,
    })
}

/// The first line of the journal that follows the manifest hashed `base`.
/// The files of the build in `dir` as its manifest records them (with its
/// journal folded in), for `deploy`; `None` when `dir` holds no whole
/// gazette build: no manifest, another format, or a journal cut short.
pub(crate) fn built_files(dir: &Path) -> Option<Files> {
    let read = read(dir)?;
    // A manifest of another format reads as no files.
    (read.journal_whole && !read.files.is_empty()).then_some(read.files)
}

/// Calls `each` with every path and size of the manifest in `dir`, in
/// path order, reading it a line at a time (its journal, a few pages'
/// changes at most, is not read): for checks after a build that must
/// not hold a million paths at once.
pub(crate) fn each_built_file(dir: &Path, mut each: impl FnMut(&str, u64)) {
    use std::io::BufRead;
    let Ok(file) = fs::File::open(dir.join(MANIFEST)) else {
        return;
    };
    let mut lines = std::io::BufReader::new(file).lines();
    if !matches!(lines.next(), Some(Ok(ref first)) if first == HEADER) {
        return;
    }
    for line in lines.map_while(std::result::Result::ok) {
        if let Some((path, stamp)) = entry(&line) {
            each(path, stamp.size);
        }
    }
}

fn journal_header(base: u64) -> String {
    format!("{JOURNAL_HEADER}{base:016x}")
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

/// Writes `files` as `dir`'s manifest, whole, then removes the journal;
/// the new manifest's hash.
pub(super) fn write(dir: &Path, files: &Files) -> Result<u64> {
    let mut text = String::with_capacity(files.len() * 96 + 32);
    text.push_str(HEADER);
    text.push('\n');
    for (path, stamp) in files {
        push_entry(&mut text, path, stamp);
    }
    let base = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, dir.join(MANIFEST)).map_err(|e| Error::io(dir, e))?;
    let journal = dir.join(JOURNAL);
    match fs::remove_file(&journal) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&journal, e)),
        _ => Ok(base),
    }
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
/// A new journal starts with the name of the manifest hashed `base`.
pub(super) fn append(dir: &Path, base: u64, changes: &[(&str, Option<Stamp>)]) -> Result<()> {
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
    if fs::metadata(&path).map_or(0, |m| m.len()) == 0 {
        batch.insert_str(0, &format!("{}\n", journal_header(base)));
    }
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
        let base = write(dir.path(), &files(&[("a.html", 1), ("b.html", 2)])).unwrap();
        append(
            dir.path(),
            base,
            &[("c.html", Some(stamp(3))), ("a.html", None)],
        )
        .unwrap();
        append(
            dir.path(),
            base,
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
        let base = write(dir.path(), &files(&[("a.html", 1)])).unwrap();
        append(dir.path(), base, &[("b.html", Some(stamp(2)))]).unwrap();
        let whole = fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
        append(
            dir.path(),
            base,
            &[("c.html", Some(stamp(3))), ("a.html", None)],
        )
        .unwrap();
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
        let base = write(dir.path(), &files(&[("a.html", 1)])).unwrap();
        append(dir.path(), base, &[("b.html", Some(stamp(2)))]).unwrap();
        assert!(disk_id(dir.path()).unwrap().journal > 0);
        write(dir.path(), &files(&[("c.html", 3)])).unwrap();
        assert!(!dir.path().join(JOURNAL).exists());
        assert_eq!(read(dir.path()).unwrap().files, files(&[("c.html", 3)]));
        assert_eq!(disk_id(dir.path()).unwrap().journal, 0);
    }

    #[test]
    fn a_journal_beside_another_manifest_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let base = write(dir.path(), &files(&[("a.html", 1), ("b.html", 2)])).unwrap();
        append(dir.path(), base, &[("c.html", Some(stamp(3)))]).unwrap();
        let journal = fs::read(dir.path().join(JOURNAL)).unwrap();
        // A whole write cut short after its rename: the old journal stays.
        write(dir.path(), &files(&[("b.html", 2)])).unwrap();
        fs::write(dir.path().join(JOURNAL), &journal).unwrap();
        let read = read(dir.path()).unwrap();
        assert_eq!(read.files, files(&[("b.html", 2)]));
        assert!(!read.journal_whole, "the next commit writes it whole");
    }

    #[test]
    fn paths_with_spaces_survive_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let base = write(dir.path(), &files(&[("a b/c d.html", 1)])).unwrap();
        append(dir.path(), base, &[("e f.html", Some(stamp(2)))]).unwrap();
        assert_eq!(
            read(dir.path()).unwrap().files,
            files(&[("a b/c d.html", 1), ("e f.html", 2)])
        );
    }
}

//! Writing the site safely. Nothing in the output changes until the whole
//! build succeeded, so a failed build leaves the previous site intact: a
//! first build goes to a staging directory beside the output, renamed into
//! place at the end; a rebuild holds its changed files in memory (up to
//! [`HELD_BYTES`], then staged) and at the end writes each beside the old
//! one and renames it over. Files whose bytes did not change are not
//! touched (their mtime is kept). A manifest records what gazette wrote
//! (`manifest.rs`: a file written whole, and a journal that a rebuild of a
//! few pages appends to): only those files are ever deleted or
//! overwritten, and a non-empty directory without one is refused unless
//! forced. This file records what a build writes; `commit.rs` puts it in
//! place at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashSet;

use crate::error::{Diagnostic, Error, Result};
use crate::render::{file_of, PageSink};

mod commit;
mod compress;
mod manifest;
mod siblings;

pub(crate) use compress::{compress, Encoding};
#[cfg(test)]
pub(crate) use manifest::MANIFEST;
pub(crate) use manifest::{built_files, each_built_file, fold_journal, Manifest};
use manifest::{Files, OnDisk};

/// How many bytes of changed files a rebuild holds in memory; past this,
/// they are staged on disk. A held file goes straight into its folder at
/// commit, where a staged one needs a copy of its folder under the staging
/// dir (made, then removed). Measured on a template edit at 10k articles
/// (10,000 article pages changed), three edits in a row: staged, 8.4, 10.1
/// and 11.4 s (system time 6.3 -> 11.4 s, growing as ext4 steps over the
/// folders freed by the previous edit); held, 4.6 s each (system 2.5 s).
pub(crate) const HELD_BYTES: usize = 512 << 20;

/// One file of the output: its size, content hash, and the fingerprint of
/// the inputs it was rendered from (0 for copied files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Size in bytes.
    pub(crate) size: u64,
    /// xxh3 hash of the bytes.
    pub(crate) hash: u64,
    /// Fingerprint of the page's inputs (template and context).
    pub(crate) fingerprint: u64,
}

impl Stamp {
    /// The stamp of `bytes` rendered from inputs with `fingerprint`.
    pub(crate) fn of(bytes: &[u8], fingerprint: u64) -> Stamp {
        Stamp {
            size: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
            fingerprint,
        }
    }
}

/// What a build did to the output directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Files produced by the build.
    pub files: usize,
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were (same bytes).
    pub unchanged: usize,
    /// Files of the previous build no longer produced, removed.
    pub removed: usize,
}

/// An output directory opened for one build.
pub(crate) struct Output {
    dir: PathBuf,
    staging: PathBuf,
    previous: Files,
    /// The manifest on disk that `previous` was read from.
    manifest: Option<OnDisk>,
    produced: Mutex<Files>,
    /// The files written under the staging dir (boxed: one for each file
    /// of a first build, and a `String`'s capacity is 8 bytes more).
    staged: Mutex<Vec<Box<str>>>,
    /// Changed files held in memory, written over the old ones at commit
    /// (rebuilds only: a first build stages everything).
    held: Mutex<Vec<(String, Vec<u8>)>>,
    held_bytes: AtomicUsize,
    /// [`HELD_BYTES`] (smaller in tests).
    held_budget: usize,
    first_build: bool,
    /// Files of the previous build not produced again are kept, except
    /// those forgotten (see [`Output::keep_previous`]).
    keep_rest: AtomicBool,
    forgotten: Mutex<BTreeSet<String>>,
    /// Folders under the staging dir this build has created, by the hash
    /// of their path: each is made once, not tried again (a failed mkdir +
    /// stat) for every file in it. A hash, not the path: at 100,000
    /// articles the paths were 19 MB of a build's peak. Two folders whose
    /// paths share a hash only cost a second try (see `write_staged`).
    made_dirs: Mutex<FxHashSet<u64>>,
    /// Whether text files get compressed siblings (`siblings.rs`).
    precompress: bool,
}

impl Output {
    /// Opens `dir` for writing, refusing it when it holds files gazette did
    /// not write (unless `force`) or when it is the site itself.
    pub(crate) fn open(dir: &Path, site_root: &Path, force: bool) -> Result<Output> {
        Output::open_known(dir, site_root, force, None)
    }

    /// [`Output::open`], taking the manifest as `known` when the file on
    /// disk is still the one it was read from (else the file is read).
    pub(crate) fn open_known(
        dir: &Path,
        site_root: &Path,
        force: bool,
        known: Option<Manifest>,
    ) -> Result<Output> {
        check_not_site(dir, site_root)?;
        let id = manifest::disk_id(dir);
        let known = known.filter(|m| id == Some(m.on_disk.id));
        let read = known.map(|m| (m.files, Some(m.on_disk))).or_else(|| {
            let read = manifest::read(dir)?;
            let on_disk = id.map(|id| OnDisk {
                id,
                base: read.base,
                journal_whole: read.journal_whole,
            });
            Some((read.files, on_disk))
        });
        let (previous, on_disk) = match read {
            Some(read) => read,
            None if is_empty_or_missing(dir)? || force => (Files::new(), None),
            None => {
                return Err(Error::UnsafeOutput {
                    path: dir.to_path_buf(),
                    reason: "it is not empty and is not the output of an earlier gazette build \
                             (no .gazette-manifest); choose another directory or pass --force \
                             (gazette still never deletes files it did not write)"
                        .into(),
                })
            }
        };
        let name = dir
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let staging = dir.with_file_name(format!(".{name}.gazette-staging"));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(Output {
            dir: dir.to_path_buf(),
            staging,
            first_build: previous.is_empty(),
            previous,
            manifest: on_disk,
            produced: Mutex::new(BTreeMap::new()),
            staged: Mutex::new(Vec::new()),
            held: Mutex::new(Vec::new()),
            held_bytes: AtomicUsize::new(0),
            held_budget: HELD_BYTES,
            keep_rest: AtomicBool::new(false),
            forgotten: Mutex::new(BTreeSet::new()),
            made_dirs: Mutex::new(FxHashSet::default()),
            precompress: false,
        })
    }

    /// A folder for a build's temporary files (the search index's word
    /// pairs set aside), on the output's file system; it is not part of
    /// the output.
    pub(crate) fn scratch(&self) -> &Path {
        &self.staging
    }

    /// True (and the file is kept as it is) when `site_path` was produced by
    /// the previous build from inputs with the same fingerprint and is still
    /// on disk with the same size.
    pub(crate) fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool {
        let rel = file_of(site_path);
        match self.previous.get(&rel) {
            Some(stamp) if stamp.fingerprint == fingerprint && self.on_disk(&rel, stamp) => {
                self.follow(&rel, None, stamp).is_ok() && self.record(rel, *stamp).is_ok()
            }
            _ => false,
        }
    }

    /// Keeps `site_path` exactly as the previous build wrote it; false when
    /// the previous build did not write it.
    pub(crate) fn keep(&self, site_path: &str) -> bool {
        let rel = file_of(site_path);
        match self.previous.get(&rel) {
            Some(stamp) if self.on_disk(&rel, stamp) => {
                self.follow(&rel, None, stamp).is_ok() && self.record(rel, *stamp).is_ok()
            }
            _ => false,
        }
    }

    /// Keeps every file of the previous build that this build does not
    /// write itself (for a rebuild that renders only the pages it knows
    /// changed).
    pub(crate) fn keep_previous(&self) {
        self.keep_rest.store(true, Ordering::Relaxed);
    }

    /// Drops `site_path` from this build's files: unless written again, it
    /// will be removed.
    pub(crate) fn forget(&self, site_path: &str) {
        let rel = file_of(site_path);
        self.produced
            .lock()
            .expect("no panics while holding the lock")
            .remove(&rel);
        self.forgotten
            .lock()
            .expect("no panics while holding the lock")
            .insert(rel.clone());
        self.forget_siblings(&rel);
    }

    /// [`Output::forget`]s every file of the previous build under the folder
    /// `site_dir` (`/search/`): a rebuild of that folder's files removes
    /// those it does not write again.
    pub(crate) fn forget_under(&self, site_dir: &str) {
        let prefix = site_dir.trim_start_matches('/');
        for rel in self.previous.keys().filter(|rel| rel.starts_with(prefix)) {
            self.forget(&format!("/{rel}"));
        }
    }

    /// [`Output::keep`]s every file of the previous build under the folder
    /// `site_dir` that this build has not produced: a build of the other
    /// files leaves that folder's as they are.
    pub(crate) fn keep_under(&self, site_dir: &str) {
        let prefix = site_dir.trim_start_matches('/');
        for rel in self.previous.keys().filter(|rel| rel.starts_with(prefix)) {
            let produced = self
                .produced
                .lock()
                .expect("no panics while holding the lock")
                .contains_key(rel);
            if !produced {
                self.keep(&format!("/{rel}"));
            }
        }
    }

    fn on_disk(&self, rel: &str, stamp: &Stamp) -> bool {
        fs::metadata(self.dir.join(rel)).is_ok_and(|m| m.len() == stamp.size)
    }

    fn record(&self, rel: String, stamp: Stamp) -> Result<(), Diagnostic> {
        let mut produced = self
            .produced
            .lock()
            .expect("no panics while holding the lock");
        match produced.entry(rel) {
            std::collections::btree_map::Entry::Occupied(taken) => Err(Diagnostic::file(
                taken.key(),
                "two pages would be written to the same file",
            )),
            std::collections::btree_map::Entry::Vacant(free) => {
                free.insert(stamp);
                Ok(())
            }
        }
    }

    /// Records `bytes` as the content of `site_path` (`/a/b/` means
    /// `a/b/index.html`), keeping it for the commit only if it differs from
    /// what is there.
    pub(crate) fn write(
        &self,
        site_path: &str,
        bytes: &[u8],
        fingerprint: u64,
    ) -> Result<(), Diagnostic> {
        let rel = file_of(site_path);
        let stamp = Stamp::of(bytes, fingerprint);
        let unchanged = self
            .previous
            .get(&rel)
            .is_some_and(|p| p.hash == stamp.hash && p.size == stamp.size)
            && self.on_disk(&rel, &stamp);
        if !unchanged {
            self.keep_for_commit(&rel, bytes)?;
        }
        self.follow(&rel, Some(bytes), &stamp)?;
        self.record(rel, stamp)
    }

    /// Records the file `source` (of `size` bytes whose xxh3 hash is
    /// `hash`, known to the caller) as the content of `site_path`, like
    /// [`Output::write`]; a first build hard-links it into the staging dir
    /// instead of copying its bytes (the photo cache's copies: its files
    /// are read-only, so that nothing writes through the link), falling
    /// back to a copy where a link cannot be made (another file system).
    pub(crate) fn link(
        &self,
        site_path: &str,
        source: &Path,
        (size, hash): (u64, u64),
        fingerprint: u64,
    ) -> Result<(), Diagnostic> {
        let rel = file_of(site_path);
        let stamp = Stamp {
            size,
            hash,
            fingerprint,
        };
        let unchanged = self
            .previous
            .get(&rel)
            .is_some_and(|p| p.hash == hash && p.size == size)
            && self.on_disk(&rel, &stamp);
        if unchanged {
            return self.record(rel, stamp);
        }
        let target = self.staging.join(&rel);
        let linked = self.first_build
            && self.make_parent(&target).is_ok()
            && fs::hard_link(source, &target).is_ok();
        if linked {
            self.staged
                .lock()
                .expect("no panics while holding the lock")
                .push(rel.as_str().into());
            return self.record(rel, stamp);
        }
        let bytes =
            fs::read(source).map_err(|e| Diagnostic::file(source, format!("cannot read: {e}")))?;
        if Stamp::of(&bytes, fingerprint) != stamp {
            return Err(Diagnostic::file(source, "changed while it was copied"));
        }
        self.keep_for_commit(&rel, &bytes)?;
        self.record(rel, stamp)
    }

    /// Holds a changed file in memory, or stages it on disk when this is a
    /// first build or the memory budget is spent.
    fn keep_for_commit(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        // A first build never holds, so it never counts.
        let fits = || {
            let before = self.held_bytes.fetch_add(bytes.len(), Ordering::Relaxed);
            before + bytes.len() <= self.held_budget
        };
        if !self.first_build && fits() {
            self.held
                .lock()
                .expect("no panics while holding the lock")
                .push((rel.to_string(), bytes.to_vec()));
            return Ok(());
        }
        let target = self.staging.join(rel);
        self.write_staged(&target, bytes)
            .map_err(|e| Diagnostic::file(&target, format!("cannot write: {e}")))?;
        self.staged
            .lock()
            .expect("no panics while holding the lock")
            .push(rel.into());
        Ok(())
    }

    /// Writes a file under the staging dir, creating its folder if this
    /// build has not already.
    fn write_staged(&self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.make_parent(target)?;
        let created = fs::File::create(target).or_else(|e| match target.parent() {
            // A folder taken for made: another's path had the same hash.
            Some(parent) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir_all(parent)?;
                fs::File::create(target)
            }
            _ => Err(e),
        });
        created?.write_all(bytes)
    }

    /// Makes the folder of a file under the staging dir, once per build.
    fn make_parent(&self, target: &Path) -> std::io::Result<()> {
        if let Some(parent) = target.parent() {
            let lock = || {
                self.made_dirs
                    .lock()
                    .expect("no panics while holding the lock")
            };
            if !lock().contains(&path_hash(parent)) {
                fs::create_dir_all(parent)?;
                let mut made = lock();
                for dir in parent.ancestors() {
                    if !dir.starts_with(&self.staging) || !made.insert(path_hash(dir)) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The hash a folder is known by in [`Output`]'s `made_dirs`.
fn path_hash(dir: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(dir.as_os_str().as_encoded_bytes())
}

/// A manifest entry may only name a file inside the output directory.
fn is_safe_relative(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

fn is_empty_or_missing(dir: &Path) -> Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Refuses the site root, any folder above it, and its source folders.
fn check_not_site(dir: &Path, site_root: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let out = abs(dir);
    let root = abs(site_root);
    let refuse = |reason: &str| {
        Err(Error::UnsafeOutput {
            path: dir.to_path_buf(),
            reason: reason.into(),
        })
    };
    if root.starts_with(&out) {
        return refuse("it is the site itself or a folder that contains it");
    }
    for source in ["content", "templates", "static", "data"] {
        if out.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    Ok(())
}

/// Resolves `.` and `..` (and symlinks where the path exists).
fn normalize(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) if parent.exists() => {
            parent.canonicalize().map_or(out.clone(), |p| p.join(name))
        }
        _ => out,
    }
}

impl PageSink for Output {
    fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool {
        Output::unchanged(self, site_path, fingerprint)
    }
    fn write(&self, site_path: &str, bytes: &[u8], fingerprint: u64) -> Result<(), Diagnostic> {
        Output::write(self, site_path, bytes, fingerprint)
    }
}

#[cfg(test)]
mod tests;

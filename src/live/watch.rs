//! File events -> batches of changed paths. Watches content/, templates/,
//! static/, data/ and site.toml with notify, and debounces: a batch closes
//! once no event arrived for a short quiet time, so a save that writes a
//! temp file and renames it, or a `git checkout` of hundreds of files, is
//! one rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// The folders of a site that are watched recursively.
pub(crate) const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "data"];

/// Quiet time that closes a batch.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(20);
/// A batch never waits longer than this for quiet.
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// Watches a site and hands out batches of changed paths.
pub struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    /// The folders watched, by the identity (device, inode) of the folder
    /// that was there when the watch began.
    watching: BTreeMap<PathBuf, (u64, u64)>,
    /// An event that came while [`Watcher::quiet_for`] waited, for the next batch.
    early: Option<notify::Result<Event>>,
    /// Sends to `events`: work done off the watcher's thread ends a wait.
    waker: Sender<notify::Result<Event>>,
}

impl Watcher {
    /// Starts watching the site in `root`.
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = channel();
        let waker = tx.clone();
        let mut inner = notify::recommended_watcher(tx)?;
        inner.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            root,
            inner,
            events,
            watching: BTreeMap::new(),
            early: None,
            waker,
        };
        watcher.watch_new_dirs();
        Ok(watcher)
    }

    /// Watches each site folder that exists and is not watched yet, or is
    /// another folder than the one watched (deleted and made again, or a
    /// symlink pointed elsewhere: the old watch died with the old folder).
    fn watch_new_dirs(&mut self) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let now = identity(&path);
            if now.is_none() || self.watching.get(&path).copied() == now {
                if now.is_none() {
                    self.watching.remove(&path);
                }
                continue;
            }
            let _ = self.inner.unwatch(&path);
            if let (Some(id), Ok(())) = (now, self.inner.watch(&path, RecursiveMode::Recursive)) {
                self.watching.insert(path, id);
            }
        }
    }

    /// A sender whose event ends the wait for the next batch, as a change
    /// would (an empty one: the batch holds what changed meanwhile).
    pub(crate) fn waker(&self) -> Sender<notify::Result<Event>> {
        self.waker.clone()
    }

    /// Blocks until something changes, then returns every path changed until
    /// the files went quiet. `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths = BTreeSet::new();
        loop {
            let event = match self.early.take() {
                Some(event) => event,
                None => self.events.recv().ok()?,
            };
            if self.take(event, &mut paths) {
                break;
            }
        }
        // Only a change keeps the batch open: a file read (the preview
        // reads an article's body to answer a request) is not one, or a
        // page polled while its file is saved would hold every batch for
        // MAX_WAIT.
        let started = Instant::now();
        let mut last_change = started;
        while started.elapsed() < MAX_WAIT {
            let quiet_left = DEBOUNCE.saturating_sub(last_change.elapsed());
            match self.events.recv_timeout(quiet_left) {
                Ok(event) => {
                    if self.take(event, &mut paths) {
                        last_change = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.watch_new_dirs();
        Some(paths.into_iter().collect())
    }

    /// True when nothing changed for `wait`: the moment for work that can
    /// wait (the search index), so that it never delays the next edit's
    /// pages. An event that came meanwhile is kept for the next batch.
    pub fn quiet_for(&mut self, wait: Duration) -> bool {
        if self.early.is_some() {
            return false;
        }
        let until = Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Ok(event)) if counts(&event) => {
                    self.early = Some(Ok(event));
                    return false;
                }
                Ok(_) => continue, // a read, or a watcher error: not a change
                Err(_) => return true,
            }
        }
    }

    /// Adds an event's paths to the batch; false if it does not count.
    fn take(&mut self, event: notify::Result<Event>, paths: &mut BTreeSet<PathBuf>) -> bool {
        let Ok(event) = event else { return false };
        let counts = counts(&event);
        if counts {
            paths.extend(event.paths);
        }
        counts
    }
}

/// Whether an event is a change (a file read is not).
fn counts(event: &Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The (device, inode) of the folder at `path` (through a symlink), if
/// there is one.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    meta.is_dir().then(|| (meta.dev(), meta.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_during_a_wait_for_quiet_is_the_next_batch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let mut watcher = Watcher::new(dir.path()).unwrap();
        let file = dir.path().join("content/a.md");
        std::fs::write(&file, "one").unwrap();
        let first = watcher.next_batch().unwrap();
        assert!(
            first.iter().any(|p| p.ends_with("content/a.md")),
            "{first:?}"
        );
        assert!(
            watcher.quiet_for(Duration::from_millis(100)),
            "nothing changed"
        );
        // A read is not a change.
        let _ = std::fs::read(&file).unwrap();
        assert!(
            watcher.quiet_for(Duration::from_millis(100)),
            "a read is quiet"
        );
        let second = dir.path().join("content/b.md");
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            std::fs::write(second, "two").unwrap();
        });
        assert!(
            !watcher.quiet_for(Duration::from_secs(20)),
            "the write ends the wait"
        );
        writer.join().unwrap();
        let next = watcher.next_batch().unwrap();
        assert!(next.iter().any(|p| p.ends_with("content/b.md")), "{next:?}");
    }

    #[test]
    fn reads_do_not_hold_a_batch_open() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content").join("a.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "one").unwrap();
        let mut watcher = Watcher::new(dir.path()).unwrap();
        let reading = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let reader = {
            let (file, reading) = (file.clone(), reading.clone());
            std::thread::spawn(move || {
                while reading.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = std::fs::read(&file);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        let saved = Instant::now();
        std::fs::write(&file, "two").unwrap();
        let batch = watcher.next_batch().unwrap();
        let took = saved.elapsed();
        reading.store(false, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap();
        assert!(batch.iter().any(|p| p.ends_with("a.md")), "{batch:?}");
        // Reads went on all along: the batch closed on the quiet after the
        // write, not at MAX_WAIT.
        assert!(took < MAX_WAIT * 3 / 4, "{took:?}");
    }
}

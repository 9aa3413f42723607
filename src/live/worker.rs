//! The preview's background work: writing the files that are behind the
//! site in memory ([`Work`]), on its own thread, while the rebuild loop
//! stays free for the next edit and the server answers from memory.
//!
//! The worker renders under the shared read lock, and writes without it.
//! When an edit comes, the loop [`Worker::interrupt`]s it: the rendering
//! stops at the next page, what was rendered is written (every file whole,
//! of one state), the lock is free for the edit, and the work not done is
//! taken up again after it, merged with what the edit asks. A pass made the
//! disk current only if the site did not change while it was written
//! ([`State::pages_written`](super::memory::State::pages_written)).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::memory::{Memory, State};
use crate::error::{Error, Result};
use crate::load;
use crate::output::WriteStats;
use crate::site::PassOptions;

/// What the disk needs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    /// Every page, the theme and the copied files (by fingerprint).
    pub(crate) pages: bool,
    /// The search index (after the bodies' words, when they are missing).
    pub(crate) search: bool,
    /// The articles kept for the next start, after a load.
    pub(crate) cache: bool,
    /// The manifest written whole, its journal folded in, once nothing
    /// else is left (the edits are quiet).
    pub(crate) manifest: bool,
}

impl Work {
    fn merge(self, other: Work) -> Work {
        Work {
            pages: self.pages || other.pages,
            search: self.search || other.search,
            cache: self.cache || other.cache,
            manifest: self.manifest || other.manifest,
        }
    }

    fn is_empty(self) -> bool {
        !self.pages && !self.search && !self.cache && !self.manifest
    }
}

/// What a piece of background work did, as the terminal reports it.
#[derive(Debug)]
pub enum Background {
    /// Every page is written: the files on disk are those of the site.
    Pages {
        /// What was written.
        files: WriteStats,
        /// From the start of the pass (or of the first, interrupted one).
        elapsed: Duration,
    },
    /// The search index is written.
    Search {
        /// What was written.
        files: WriteStats,
        /// How long it took (reading the bodies' words included).
        elapsed: Duration,
    },
    /// The work failed: the files stay as they were, the pages are still
    /// served from memory, and the work is tried again after the next edit.
    Failed(Error),
}

/// Called with each [`Background`] report, on the worker's thread.
pub(crate) type Reporter = Box<dyn Fn(&Background) + Send + Sync>;

#[derive(Default)]
struct Queue {
    /// Work waiting.
    next: Work,
    /// The newest site generation the waiting pages and index are for: a
    /// pass that wrote that generation (or a later one) did them.
    pages_for: u64,
    search_for: u64,
    /// The stop flag of the work running, if any.
    running: Option<Arc<AtomicBool>>,
    /// When the pass now waiting or running started first.
    pages_since: Option<Instant>,
    /// The last failure, until [`Worker::wait_idle`] takes it.
    failed: Option<String>,
    /// Work that waits for the next edit ([`Done::parked`]): taken up with
    /// the next work asked for, or after the next pause.
    parked: Work,
    /// Pauses held ([`Worker::pause`]): no work starts meanwhile.
    paused: usize,
    quit: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when work comes, and when the worker goes idle.
    signal: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The background thread and its queue.
pub(crate) struct Worker {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// What the worker writes to, and how.
pub(crate) struct Target {
    pub(crate) memory: Arc<Memory>,
    pub(crate) out: PathBuf,
    /// Where the articles are kept between starts.
    pub(crate) cache: PathBuf,
    pub(crate) force: bool,
    pub(crate) report: Option<Reporter>,
}

impl Worker {
    /// Starts the worker thread.
    pub(crate) fn start(target: Target) -> Worker {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            signal: Condvar::new(),
        });
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("gazette-background".into())
                .spawn(move || run(&shared, &target))
                .expect("a thread starts")
        };
        Worker {
            shared,
            thread: Some(thread),
        }
    }

    /// Asks for `work` for the site as `state` holds it now (merged with
    /// what is waiting): a pass that wrote this generation (or a later
    /// one) did it.
    pub(crate) fn submit(&self, work: Work, state: &State) {
        if work.is_empty() {
            return;
        }
        let mut queue = self.shared.lock();
        if work.pages {
            queue.pages_since.get_or_insert_with(Instant::now);
            queue.pages_for = queue.pages_for.max(state.generation());
        }
        if work.search {
            queue.search_for = queue.search_for.max(state.generation());
        }
        // Work parked for the next edit goes with any but the manifest's.
        let edit = work.pages || work.search || work.cache;
        let parked = if edit {
            std::mem::take(&mut queue.parked)
        } else {
            Work::default()
        };
        queue.next = queue.next.merge(work).merge(parked);
        self.shared.signal.notify_all();
    }

    /// Stops the running work at its next page (it writes what it has, and
    /// what is left is taken up again), and starts none until the pause is
    /// dropped: the rebuild loop holds one while it changes the site.
    pub(crate) fn pause(&self) -> Pause<'_> {
        let mut queue = self.shared.lock();
        queue.paused += 1;
        if let Some(stop) = &queue.running {
            stop.store(true, Ordering::Relaxed);
        }
        Pause {
            shared: &self.shared,
        }
    }

    /// Waits until the worker is idle; the last failure since the last
    /// wait, if any.
    pub(crate) fn wait_idle(&self) -> Option<String> {
        let mut queue = self.shared.lock();
        while queue.running.is_some() || !queue.next.is_empty() {
            queue = self
                .shared
                .signal
                .wait(queue)
                .unwrap_or_else(|e| e.into_inner());
        }
        queue.failed.take()
    }
}

/// Held while the loop changes the site ([`Worker::pause`]).
pub(crate) struct Pause<'a> {
    shared: &'a Shared,
}

impl Drop for Pause<'_> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.paused -= 1;
        // An edit came: what waited for it is taken up.
        let parked = std::mem::take(&mut queue.parked);
        queue.next = queue.next.merge(parked);
        drop(queue);
        self.shared.signal.notify_all();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        {
            let mut queue = self.shared.lock();
            queue.quit = true;
            if let Some(stop) = &queue.running {
                stop.store(true, Ordering::Relaxed);
            }
        }
        self.shared.signal.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The worker's loop: takes the waiting work, does it, reports.
fn run(shared: &Shared, target: &Target) {
    let mut checked = Checked::default();
    loop {
        let (work, stop, since) = {
            let mut queue = shared.lock();
            while (queue.next.is_empty() || queue.paused > 0) && !queue.quit {
                queue = shared.signal.wait(queue).unwrap_or_else(|e| e.into_inner());
            }
            if queue.quit {
                return;
            }
            let stop = Arc::new(AtomicBool::new(false));
            queue.running = Some(stop.clone());
            let since = queue.pages_since.unwrap_or_else(Instant::now);
            (std::mem::take(&mut queue.next), stop, since)
        };
        let done = do_work(target, work, &stop, since, &mut checked);
        let mut queue = shared.lock();
        queue.running = None;
        queue.next = queue.next.merge(done.left);
        queue.parked = queue.parked.merge(done.parked);
        // Work asked for a generation this work has written is done.
        if done.pages_at.is_some_and(|g| g >= queue.pages_for) {
            queue.next.pages = false;
        }
        if done.search_at.is_some_and(|g| g >= queue.search_for) {
            queue.next.search = false;
        }
        if !queue.next.pages {
            queue.pages_since = None;
        }
        if let Some(Background::Failed(e)) = &done.failed {
            queue.failed = Some(e.to_string());
        }
        drop(queue);
        if let (Some(report), Some(failed)) = (&target.report, &done.failed) {
            report(failed);
        }
        shared.signal.notify_all();
    }
}

/// What [`do_work`] did.
#[derive(Default)]
struct Done {
    /// The work not done (stopped, or overtaken by an edit).
    left: Work,
    /// The work that waits for the next edit (a file changed under it).
    parked: Work,
    /// The generation whose pages are all on disk now.
    pages_at: Option<u64>,
    /// The generation whose search index is on disk now.
    search_at: Option<u64>,
    /// The failure ([`Background::Failed`]).
    failed: Option<Background>,
}

/// Does `work`, reporting each part as it is done.
fn do_work(
    target: &Target,
    work: Work,
    stop: &AtomicBool,
    since: Instant,
    checked: &mut Checked,
) -> Done {
    let report = |what: Background| {
        if let Some(report) = &target.report {
            report(&what);
        }
    };
    let mut done = Done::default();
    if work.pages {
        match write_pages(target, stop, checked) {
            Ok(None) => {
                done.left = work;
                return done;
            }
            Ok(Some(Written::WaitsForAnEdit)) => {
                done.parked = work;
                return done;
            }
            Ok(Some(Written::All(files, generation))) => {
                done.pages_at = Some(generation);
                report(Background::Pages {
                    files,
                    elapsed: since.elapsed(),
                });
            }
            Err(e) => {
                done.failed = Some(Background::Failed(e));
                return done;
            }
        }
    }
    let stopped = || stop.load(Ordering::Relaxed);
    if work.cache && stopped() {
        done.left.cache = true;
    } else if work.cache {
        let state = target.memory.read();
        if let Some(site) = state.site() {
            // Without it, the next start only reads every file again.
            let _ = site.write_cache(&target.cache);
        }
    }
    if work.search && stopped() {
        done.left.search = true;
    } else if work.search {
        let started = Instant::now();
        match write_search(target, stop) {
            Ok(Some((files, generation))) => {
                done.search_at = Some(generation);
                report(Background::Search {
                    files,
                    elapsed: started.elapsed(),
                });
            }
            Ok(None) => done.left.search = true,
            Err(e) => done.failed = Some(Background::Failed(e)),
        }
    }
    if work.manifest && (stopped() || !done.left.is_empty()) {
        done.left.manifest = true;
    } else if work.manifest && done.failed.is_none() {
        if let Err(e) = crate::site::fold_manifest(&target.out, target.memory.writer()) {
            done.failed = Some(Background::Failed(e));
        }
    }
    done
}

/// The pages that stopped passes checked, current on disk, each with the
/// site's generation when it was checked; they hold within one epoch of the
/// disk, for the pages no narrow edit reached since
/// ([`State::reached`](super::memory::State::reached)): the next pass keeps
/// those without rendering them again.
#[derive(Default)]
struct Checked {
    epoch: u64,
    paths: HashMap<String, u64>,
}

/// What a pass over every page did.
enum Written {
    /// Every file written, for this generation of the site.
    All(WriteStats, u64),
    /// A page's file changed while it rendered: nothing more until the
    /// edit that follows.
    WaitsForAnEdit,
}

/// One pass over every page but those `checked` by stopped passes: what
/// it did, or `None` when it was stopped or overtaken by an edit (the next
/// pass follows, and skips what this one checked).
fn write_pages(
    target: &Target,
    stop: &AtomicBool,
    checked: &mut Checked,
) -> Result<Option<Written>> {
    // The right to write first, then the site (the rebuild loop's order).
    let writing = target.memory.writer().take();
    let state = target.memory.read();
    let (epoch, generation) = (state.epoch(), state.generation());
    let Some(site) = state.site() else {
        // No site (its load failed): nothing to write until one loads.
        return Ok(Some(Written::All(WriteStats::default(), generation)));
    };
    if checked.epoch != epoch {
        *checked = Checked {
            epoch,
            paths: HashMap::new(),
        };
    }
    let reached = state.reached();
    let done = |path: &str| {
        let since = reached.get(path).copied().unwrap_or(0);
        checked.paths.get(path).is_some_and(|&at| at >= since)
    };
    let options = PassOptions {
        keep: state.keep(),
        stop,
        done: &done,
        force: target.force,
    };
    let pass = site.render_pass(&target.out, options, writing)?;
    // The files are written without the site's lock: the next edit goes on.
    drop(state);
    let (incomplete, waits) = (pass.incomplete(), pass.waits_for_an_edit());
    let (files, now_checked) = pass.commit()?;
    if incomplete || !target.memory.write().pages_written(generation) {
        checked
            .paths
            .extend(now_checked.into_iter().map(|p| (p, generation)));
        return Ok(waits.then_some(Written::WaitsForAnEdit));
    }
    checked.paths = HashMap::new();
    Ok(Some(Written::All(files, generation)))
}

/// The search index, after reading the bodies' words if they are missing:
/// what it wrote, and for which generation of the site (`None` when the
/// site was replaced meanwhile).
fn write_search(target: &Target, stop: &AtomicBool) -> Result<Option<(WriteStats, u64)>> {
    let (wanted, loads) = {
        let state = target.memory.read();
        let Some(site) = state.site() else {
            return Ok(Some((WriteStats::default(), state.generation())));
        };
        (
            site.words_pending().then(|| site.wanted_words()),
            state.loads(),
        )
    };
    if let Some(wanted) = wanted {
        // Read without the lock: the bodies are most of a load's time.
        let words = load::words_of_bodies(&wanted);
        if !target.memory.write().set_words(loads, wanted, words) {
            return Ok(None);
        }
    }
    let (pass, generation) = {
        let state = target.memory.read();
        match state.site() {
            Some(site) if !site.words_pending() => match site.search_pass(stop) {
                Some(pass) => (pass, state.generation()),
                // Stopped by an edit: asked again after it.
                None => return Ok(None),
            },
            // Replaced by a new load meanwhile: the work is asked again.
            _ => return Ok(None),
        }
    };
    Ok(Some((
        pass.write(&target.out, target.memory.writer())?,
        generation,
    )))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::site::fixture;

    #[test]
    fn work_merges_and_is_empty_only_when_nothing_is_asked() {
        let pages = Work {
            pages: true,
            ..Work::default()
        };
        let search = Work {
            search: true,
            ..Work::default()
        };
        assert!(Work::default().is_empty() && !pages.is_empty());
        let both = pages.merge(search);
        assert!(both.pages && both.search && !both.cache);
    }

    /// A site of one article loaded in `dir`/site, and a worker writing it
    /// into `dir`/out.
    fn one_article(dir: &Path) -> (Arc<Memory>, Worker, PathBuf, PathBuf) {
        let (root, out) = (dir.join("site"), dir.join("out"));
        let a = fixture::article("A", "2026-02-01", "", "One.");
        let memory = Arc::new(Memory::new());
        memory
            .write()
            .loaded(Some(fixture::site(&root, &[("content/a.md", &a)])));
        let worker = Worker::start(Target {
            memory: memory.clone(),
            out: out.clone(),
            cache: dir.join("cache.json"),
            force: false,
            report: None,
        });
        (memory, worker, root, out)
    }

    #[test]
    fn a_pass_writes_the_site_and_makes_the_disk_current_unless_paused() {
        let dir = tempfile::tempdir().unwrap();
        let (memory, worker, _, out) = one_article(dir.path());
        let pause = worker.pause();
        let all = Work {
            pages: true,
            search: true,
            cache: true,
            manifest: true,
        };
        worker.submit(all, &memory.read());
        std::thread::sleep(Duration::from_millis(100));
        assert!(!out.exists(), "no work starts while paused");
        drop(pause);
        assert_eq!(worker.wait_idle(), None);
        assert!(memory.read().disk_current());
        assert!(out.join("2026/02/a/index.html").is_file());
        assert!(out.join("search/index.json").is_file());
        assert!(dir.path().join("cache.json").is_file());
    }

    #[test]
    fn a_file_saved_again_during_a_pass_parks_it_without_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let (memory, worker, root, out) = one_article(dir.path());
        // Saved again after the load, and not taken in yet: the pass meets
        // the new body.
        let again = fixture::article("A", "2026-02-01", "", "Two.");
        fixture::write(&root, "content/a.md", &again);
        let pages = Work {
            pages: true,
            ..Work::default()
        };
        worker.submit(pages, &memory.read());
        assert_eq!(worker.wait_idle(), None, "no failure");
        assert!(!memory.read().disk_current(), "waiting for the edit");
        assert!(
            out.join("index.html").is_file(),
            "what it rendered is written"
        );
        assert!(!out.join("2026/02/a/index.html").exists());
        assert!(
            !worker.shared.lock().parked.is_empty(),
            "parked, not spinning"
        );
        // The file as it was loaded: the pass taken up after the next pause
        // (an edit) goes to the end.
        let a = fixture::article("A", "2026-02-01", "", "One.");
        fixture::write(&root, "content/a.md", &a);
        drop(worker.pause());
        assert_eq!(worker.wait_idle(), None);
        assert!(memory.read().disk_current(), "taken up, and done");
        assert!(out.join("2026/02/a/index.html").is_file());
    }
}

//! Live: incremental rebuilds for `serve` and `build --watch`. This stage
//! decides *when* and *on which thread*, and asks the site *what*: file
//! events become debounced batches ([`watch`]); each batch is sorted
//! ([`route`]) and taken in by the site ([`crate::site`]'s `Site::edit`),
//! which says which pages it reached. A narrow edit (bodies, some pages,
//! copied files) is written at once; a template edit, a data/ edit, an edit
//! that every page shows and a new load change the site in memory at once
//! and leave the files to the background [`worker`], which checks every
//! page by fingerprint and writes those that changed. Until it has, the
//! preview server ([`serve`]) renders what is asked from memory
//! ([`memory`]), so the open pages reload with the edit in a moment while
//! the rest follows; the next edit stops the worker at its next page. The
//! output after any sequence of edits, once the worker is done, is the
//! output of a clean build of the same files (tests/it/incremental.rs).
//!
//! The preview's policy lives here too: when the open pages are told to
//! reload or shown an error, and how the worker's news reaches them.
//! `main.rs` only parses flags and prints.

mod finish;
mod memory;
mod route;
mod serve;
mod watch;
mod worker;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use finish::Finisher;
use memory::Memory;
pub use route::Route;
use route::{changed, classify, Change};
pub use serve::{bind_preview, preview_url, serve_preview, Preview};
pub use watch::Watcher;
pub use worker::Background;
use worker::{Work, Worker};

use crate::error::{Diagnostic, Error, Result};
use crate::load::LoadOptions;
use crate::output::WriteStats;
use crate::site::Site;

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// Which route was taken.
    pub route: Route,
    /// Files written, kept, removed (none yet when `pending`).
    pub files: WriteStats,
    /// How long it took.
    pub elapsed: Duration,
    /// Articles that could not be read: the site keeps their last good
    /// version (and page) until they are fixed; everything else was taken in.
    pub errors: Vec<Diagnostic>,
    /// The site in memory changed and the files follow in the background
    /// ([`Background`]); meanwhile the preview renders each asked page
    /// from memory.
    pub pending: bool,
}

impl Rebuild {
    /// A rebuild of `route` that wrote nothing yet.
    fn pending(route: Route, started: Instant, errors: Vec<Diagnostic>) -> Rebuild {
        Rebuild {
            route,
            files: WriteStats::default(),
            elapsed: started.elapsed(),
            errors,
            pending: true,
        }
    }
}

/// How long the files stay quiet before the search index catches up.
const SETTLE_AFTER: Duration = Duration::from_millis(150);

/// How much longer before the manifest's journal is folded in: an editor
/// typing saves every second or two, and the fold holds the output.
const FOLD_AFTER: Duration = Duration::from_secs(3);

/// Who hears of the background work: the preview (its open pages) and
/// the caller's report (the terminal), settable after the worker started.
#[derive(Default)]
struct Listeners {
    preview: Option<Preview>,
    report: Option<worker::Reporter>,
}

impl Listeners {
    /// Tells the open pages what they need to know of `done`, then the
    /// caller's report.
    fn hear(&self, done: &Background) {
        if let Some(p) = &self.preview {
            match done {
                Background::Search { .. } => p.search_updated(),
                Background::Failed(e) => p.failed(e.to_string()),
                Background::Pages { .. } => {}
            }
        }
        if let Some(report) = &self.report {
            report(done);
        }
    }
}

/// A site kept in memory between rebuilds.
pub struct Live {
    root: PathBuf,
    /// `root` canonicalised, as file watchers report paths.
    canonical_root: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    /// The site, shared with the worker and the preview server.
    memory: Arc<Memory>,
    /// Writes the files that are behind, in the background.
    worker: Worker,
    listeners: Arc<Mutex<Listeners>>,
    /// The preview, once asked for ([`Live::preview`]).
    preview: Option<Preview>,
    /// Paths of batches that failed, to be taken in again.
    pending: BTreeSet<PathBuf>,
    /// The search index is older than the pages ([`Live::catch_up_search`]).
    search_behind: bool,
    /// The photos the load probed only as far as their headers.
    finisher: Finisher,
}

impl Live {
    /// A live site rooted at `root`, written to `out`; nothing is loaded yet.
    pub fn new(root: &Path, out: &Path, options: LoadOptions, force: bool) -> Live {
        let memory = Arc::new(Memory::new());
        let listeners = Arc::new(Mutex::new(Listeners::default()));
        let heard = listeners.clone();
        let worker = Worker::start(worker::Target {
            memory: memory.clone(),
            out: out.to_path_buf(),
            cache: cache_file(root, out),
            force,
            report: Some(Box::new(move |b: &Background| {
                heard.lock().unwrap_or_else(|e| e.into_inner()).hear(b);
            })),
        });
        Live {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            out: out.to_path_buf(),
            options,
            memory,
            worker,
            listeners,
            preview: None,
            pending: BTreeSet::new(),
            search_behind: false,
            finisher: Finisher::default(),
        }
    }

    /// Calls `report` with each piece of background work done (on the
    /// worker's thread), after the preview heard of it.
    pub fn on_background(&self, report: impl Fn(&Background) + Send + Sync + 'static) {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .report = Some(Box::new(report));
    }

    /// The preview server's view of this site: it answers from memory what
    /// the files on disk do not hold yet, and its open pages are told of
    /// every rebuild and of the background work.
    pub fn preview(&mut self) -> Preview {
        if let Some(p) = &self.preview {
            return p.clone();
        }
        let preview = Preview::of_memory(&self.out, self.memory.clone());
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .preview = Some(preview.clone());
        self.preview = Some(preview.clone());
        preview
    }

    /// Loads everything; the files are written in the background
    /// ([`Live::settle`] waits for them). A failure is shown on the open
    /// pages.
    pub fn full_build(&mut self) -> Result<Rebuild> {
        let result = self.load();
        if let (Err(e), Some(p)) = (&result, &self.preview) {
            p.failed(e.to_string());
        }
        result
    }

    fn load(&mut self) -> Result<Rebuild> {
        let started = Instant::now();
        self.search_behind = false;
        let cache = cache_file(&self.root, &self.out);
        let loaded = Site::load_for_preview(&self.root, &self.options, &cache);
        let _pause = self.worker.pause();
        let mut state = self.memory.write();
        let result = match loaded {
            Ok(site) => {
                self.finisher.start(site.unfinished_photos());
                state.loaded(Some(site));
                let work = Work {
                    pages: true,
                    search: true,
                    cache: true,
                    ..Work::default()
                };
                self.worker.submit(work, &state);
                Ok(Rebuild::pending(Route::Full, started, Vec::new()))
            }
            Err(e) => {
                state.loaded(None);
                Err(e)
            }
        };
        drop(state);
        self.memory.mark_loaded();
        result
    }

    /// How many articles the site in memory has.
    pub fn article_count(&self) -> usize {
        let state = self.memory.read();
        state.site().map_or(0, Site::article_count)
    }

    /// Takes in a batch of changed paths. On error the previous output and
    /// the in-memory site stay as they were, and the batch is kept: the next
    /// batch is taken in together with it, so nothing saved alongside a
    /// broken file is lost, and the error stays until that file is fixed.
    /// The open pages reload, or show the error.
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Rebuild> {
        self.pending.extend(paths.iter().cloned());
        // Photos finished in the background are taken in as edited.
        self.pending.extend(self.finisher.take_done(false));
        let batch: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let result = self.take_in(&batch);
        if let Ok(r) = &result {
            // Broken articles wait for their fix; everything else is in.
            self.pending = r.errors.iter().map(|d| d.path.clone()).collect();
        }
        if let Some(p) = &self.preview {
            tell_open_pages(p, &result);
        }
        result
    }

    /// Rebuilds on every batch of `watcher` until it stops, calling
    /// `report` with each batch and what its rebuild did; the search index
    /// catches up once the files are quiet for a moment.
    pub fn watch(
        &mut self,
        watcher: &mut Watcher,
        mut report: impl FnMut(&Live, &[PathBuf], &Result<Rebuild>),
    ) {
        self.finisher.wake(watcher.waker());
        while let Some(batch) = watcher.next_batch() {
            let result = self.rebuild(&batch);
            report(self, &batch, &result);
            // A batch that came meanwhile is taken in first.
            if watcher.quiet_for(SETTLE_AFTER) {
                self.catch_up_search();
                if watcher.quiet_for(FOLD_AFTER) {
                    self.fold_manifest();
                }
            }
        }
    }

    /// Asks the worker to bring the search index up to the pages after
    /// rebuilds that wrote only some pages (they leave the index behind, so
    /// that the preview reloads without waiting for it). Does not wait.
    pub fn catch_up_search(&mut self) {
        if std::mem::take(&mut self.search_behind) {
            let work = Work {
                search: true,
                ..Work::default()
            };
            self.worker.submit(work, &self.memory.read());
        }
    }

    /// Asks the worker to write the output's manifest whole once the rest
    /// of its work is done, folding in the journal the narrow writes
    /// appended to (13.7 MB at 100k articles: not while the editor types).
    fn fold_manifest(&mut self) {
        let work = Work {
            manifest: true,
            ..Work::default()
        };
        self.worker.submit(work, &self.memory.read());
    }

    /// Waits until every file on disk, the search index included, is that
    /// of the site in memory; the error of background work that failed.
    pub fn settle(&mut self) -> Result<()> {
        let finished = self.finisher.take_done(true);
        if !finished.is_empty() {
            self.rebuild(&finished)?;
        }
        self.catch_up_search();
        self.fold_manifest();
        match self.worker.wait_idle() {
            None => Ok(()),
            Some(message) => Err(Error::Input(vec![Diagnostic::file(&self.out, message)])),
        }
    }

    /// True when `path` (as the watcher reports it) is a file the site is
    /// made from, not one gazette ignores (the output, editor temp files).
    pub fn reads(&self, path: &Path) -> bool {
        classify(&self.root, &self.under_root(path)).is_some()
    }

    /// A watched path as a path under `root`.
    fn under_root(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.canonical_root) {
            Ok(rel) => self.root.join(rel),
            Err(_) => path.to_path_buf(),
        }
    }

    fn take_in(&mut self, paths: &[PathBuf]) -> Result<Rebuild> {
        let started = Instant::now();
        let mut changes: Vec<Change> = paths
            .iter()
            .filter_map(|p| classify(&self.root, &self.under_root(p)))
            .collect();
        changes.sort();
        changes.dedup();
        if changes.is_empty() {
            return Ok(Rebuild {
                route: Route::None,
                files: WriteStats::default(),
                elapsed: started.elapsed(),
                errors: Vec::new(),
                pending: false,
            });
        }
        let Some(changed) = changed(changes) else {
            return self.load();
        };
        // The worker stops at its next page and frees the site; the right
        // to write is taken before the site's lock (never the other way
        // round), so that requests are answered while it is waited for.
        let pause = self.worker.pause();
        let memory = self.memory.clone();
        // Only an edit to a current disk is written at once (below).
        let current = memory.read().disk_current();
        let mut writing = current.then(|| memory.writer().take());
        let mut state = memory.write();
        let edited = match state.edit(changed, &self.options) {
            Ok(Some(edited)) => edited,
            Ok(None) => {
                drop((state, writing, pause));
                return self.load();
            }
            Err(e) => {
                // What a failed template or data/ edit read is in.
                pages_if_behind(&self.worker, &mut self.search_behind, &state);
                return Err(e);
            }
        };
        let route = Route::of(&edited.reach);
        // A narrow edit to a current disk is written at once: its cost
        // follows the pages it reached. While the disk is behind, a pass of
        // the worker is due anyway: the edit marks the pages it reached for
        // that pass (which keeps what it had checked of the others), and is
        // served from memory meanwhile.
        if edited.is_narrow() && !state.disk_current() {
            state.reached_while_behind(&edited);
            self.search_behind |= edited.index_changed();
            pages_if_behind(&self.worker, &mut self.search_behind, &state);
            return Ok(Rebuild::pending(route, started, edited.errors));
        }
        if let (true, Some(writing)) = (edited.is_narrow(), writing.as_mut()) {
            let written = state.write_reached(&self.out, &edited, writing);
            self.search_behind |= edited.index_changed();
            let files = match written {
                Ok(files) => files,
                Err(e) => {
                    // The site has the edit and the disk does not: every
                    // page is checked in the background.
                    state.behind(true);
                    pages_if_behind(&self.worker, &mut self.search_behind, &state);
                    return Err(e);
                }
            };
            return Ok(Rebuild {
                route,
                files,
                elapsed: started.elapsed(),
                errors: edited.errors,
                pending: false,
            });
        }
        drop(writing);
        state.behind(edited.files_moved);
        memory.render_open_pages(&mut state);
        let work = Work {
            pages: true,
            search: edited.index_changed() || std::mem::take(&mut self.search_behind),
            ..Work::default()
        };
        self.worker.submit(work, &state);
        Ok(Rebuild::pending(route, started, edited.errors))
    }
}

/// Asks `worker` for a pass over every page (and the search index after
/// it, if it is `search_behind`) when the disk is behind the site in `state`.
fn pages_if_behind(worker: &Worker, search_behind: &mut bool, state: &memory::State) {
    if !state.disk_current() {
        let work = Work {
            pages: true,
            search: std::mem::take(search_behind),
            ..Work::default()
        };
        worker.submit(work, state);
    }
}

/// Tells the open pages what a rebuild did: reload, unless an article is
/// still broken and nothing else changed; the error, if any, shown over
/// the page until it is fixed.
fn tell_open_pages(preview: &Preview, result: &Result<Rebuild>) {
    match result {
        Ok(r) if r.route == Route::None => {}
        Ok(r) => {
            let changed = r.pending || r.files.written + r.files.removed > 0;
            if r.errors.is_empty() || changed {
                preview.reloaded();
            }
            if !r.errors.is_empty() {
                preview.failed(Error::Input(r.errors.clone()).to_string());
            }
        }
        Err(e) => preview.failed(e.to_string()),
    }
}

/// Where the preview of the site in `root`, built into `out`, keeps its
/// articles between starts: in the temporary folder, never in the site's
/// folder or in the output.
fn cache_file(root: &Path, out: &Path) -> PathBuf {
    let both = format!("{}\n{}", stable(root).display(), stable(out).display());
    let hash = xxhash_rust::xxh3::xxh3_64(both.as_bytes());
    std::env::temp_dir().join(format!("gazette-articles-{hash:016x}.json"))
}

/// `path` made absolute with its links resolved, the same whether it exists
/// yet or not (the first start makes the output folder): its parent is
/// resolved when it does not.
fn stable(path: &Path) -> PathBuf {
    if let Ok(resolved) = path.canonicalize() {
        return resolved;
    }
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty());
    match (
        parent.unwrap_or(Path::new(".")).canonicalize(),
        path.file_name(),
    ) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

//! Live: incremental rebuilds for `serve` and `build --watch`. The loaded
//! site stays in memory ([`Live`], shared through [`memory`]), file events
//! become debounced batches ([`watch`]), and each batch is taken in by the
//! cheapest exact route ([`Route`]): a body edit renders one page; a
//! metadata edit checks the pages that show the article (asked of
//! `render::Reach`, see [`update`]); a static edit copies one file; a
//! template edit, a data/ edit (the index built again from the articles in
//! memory) and site.toml (everything loaded again) change the site in
//! memory at once and leave the files to the background [`worker`], which
//! checks every page by fingerprint and writes those that changed. Until it
//! has, the preview server ([`serve`]) renders what is asked from memory, so
//! the open pages reload with the edit in a moment while the rest follows;
//! the next edit stops the worker at its next page. The output after any
//! sequence of edits, once the worker is done, is the output of a clean
//! build of the same files (tests/it/incremental.rs).
//!
//! This stage changes a [`Site`] only through the site's own methods, and
//! writes only through `output.rs`; what it reads from the site's folder
//! it reads through `load`. The server reads the output folder it serves.

mod memory;
mod serve;
mod update;
mod watch;
mod worker;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use memory::Memory;
pub use serve::{bind_preview, preview_url, serve_preview, Preview};
use update::{update_articles, Affected, ArticleUpdate};
pub use watch::Watcher;
pub use worker::Background;
use worker::{Work, Worker};

use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, LoadOptions};
use crate::output::{Output, WriteStats};
use crate::render::Page;
use crate::site::{Site, GENERATED};

/// The route a batch of changes took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route {
    /// Nothing gazette reads changed.
    None,
    /// A full load and build (the first, or site.toml or data/ changed).
    Full,
    /// Only files copied as they are changed.
    Copy,
    /// Only article bodies changed: their own pages were rendered.
    Body,
    /// Article metadata changed: the pages that show them were checked.
    Metadata,
    /// Something every page shows changed (the years, a term's name):
    /// every page was checked.
    Everything,
    /// Templates changed: every page was checked.
    Templates,
    /// data/ changed: the index was built again from the articles in
    /// memory, and every page was checked.
    Data,
}

impl Route {
    /// The route's name, as the terminal prints it.
    pub fn name(self) -> &'static str {
        match self {
            Route::None => "none",
            Route::Full => "full",
            Route::Copy => "copy",
            Route::Body => "body",
            Route::Metadata => "metadata",
            Route::Everything => "everything",
            Route::Templates => "templates",
            Route::Data => "data",
        }
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// An article file under content/ (edited, new or deleted).
    Article(PathBuf),
    /// Something else under content/ (an image, a folder, an editor's temp
    /// file), resolved against the loaded site by [`Live::rebuild`].
    ContentOther(PathBuf),
    /// A file copied as it is (an asset under content/ or a file under
    /// static/): its path in the site and its source file (which may be gone).
    Copy(String, PathBuf),
    /// A file under templates/.
    Template,
    /// A file under data/ (people.yaml, countries.yaml): the index is built
    /// again from the articles in memory.
    Data,
    /// site.toml or data/: everything is reloaded.
    Everything,
}

/// Sorts a changed path into a [`Change`]; `None` for paths gazette does
/// not read (the output, editor temp files...).
pub(crate) fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let top = parts.next()?;
    let name = path.file_name()?.to_string_lossy();
    if crate::load::is_ignored_name(&name) {
        return None;
    }
    match top.as_ref() {
        "site.toml" => Some(Change::Everything),
        "data" => Some(Change::Data),
        "templates" => Some(Change::Template),
        // A folder appearing or going under static/ changes many files at once.
        "static" if path.is_dir() || rel.components().count() == 1 => Some(Change::Everything),
        "static" => {
            let rest: Vec<_> = parts.collect();
            Some(Change::Copy(rest.join("/"), path.to_path_buf()))
        }
        "content" if name.ends_with(".md") && !path.is_dir() => {
            Some(Change::Article(path.to_path_buf()))
        }
        "content" => Some(Change::ContentOther(path.to_path_buf())),
        _ => None,
    }
}

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

/// The reporter of the background work, settable after the worker started.
type ReporterSlot = Arc<Mutex<Option<worker::Reporter>>>;

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
    reporter: ReporterSlot,
    /// Paths of batches that failed, to be taken in again.
    pending: BTreeSet<PathBuf>,
    /// The search index is older than the pages ([`Live::catch_up_search`]).
    search_behind: bool,
}

impl Live {
    /// A live site rooted at `root`, written to `out`; nothing is loaded yet.
    pub fn new(root: &Path, out: &Path, options: LoadOptions, force: bool) -> Live {
        let memory = Arc::new(Memory::new());
        let reporter: ReporterSlot = Arc::new(Mutex::new(None));
        let slot = reporter.clone();
        let worker = Worker::start(worker::Target {
            memory: memory.clone(),
            out: out.to_path_buf(),
            cache: cache_file(root, out),
            force,
            report: Some(Box::new(move |b: &Background| {
                if let Some(report) = slot.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                    report(b);
                }
            })),
        });
        Live {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            out: out.to_path_buf(),
            options,
            memory,
            worker,
            reporter,
            pending: BTreeSet::new(),
            search_behind: false,
        }
    }

    /// Calls `report` with each piece of background work done (on the
    /// worker's thread).
    pub fn on_background(&self, report: impl Fn(&Background) + Send + Sync + 'static) {
        *self.reporter.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(report));
    }

    /// The preview server's view of this site: it answers from memory what
    /// the files on disk do not hold yet.
    pub fn preview(&self) -> Preview {
        Preview::of_memory(&self.out, self.memory.clone())
    }

    /// Loads everything; the files are written in the background
    /// ([`Live::settle`] waits for them).
    pub fn full_build(&mut self) -> Result<Rebuild> {
        let started = Instant::now();
        self.search_behind = false;
        let loaded = Site::load_for_preview(
            &self.root,
            &self.options,
            &cache_file(&self.root, &self.out),
        );
        let _pause = self.worker.pause();
        let mut state = self.memory.write();
        state.changed();
        state.keep.clear();
        state.loads += 1;
        let result = match loaded {
            Ok(site) => {
                state.site = Some(site);
                let work = Work {
                    pages: true,
                    search: true,
                    cache: true,
                };
                self.worker.submit(work, state.generation);
                Ok(Rebuild {
                    route: Route::Full,
                    files: WriteStats::default(),
                    elapsed: started.elapsed(),
                    errors: Vec::new(),
                    pending: true,
                })
            }
            Err(e) => {
                state.site = None;
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
        state.site.as_ref().map_or(0, Site::article_count)
    }

    /// Takes in a batch of changed paths. On error the previous output and
    /// the in-memory site stay as they were, and the batch is kept: the next
    /// batch is taken in together with it, so nothing saved alongside a
    /// broken file is lost, and the error stays until that file is fixed.
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Rebuild> {
        self.pending.extend(paths.iter().cloned());
        let batch: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let result = self.take_in(&batch);
        if let Ok(r) = &result {
            // Broken articles wait for their fix; everything else is in.
            self.pending = r.errors.iter().map(|d| d.path.clone()).collect();
        }
        result
    }

    /// Asks the worker to bring the search index up to the pages after
    /// rebuilds that wrote only some pages (they leave the index behind, so
    /// that the preview reloads without waiting for it). Does not wait.
    pub fn catch_up_search(&mut self) {
        if std::mem::take(&mut self.search_behind) {
            let generation = self.memory.read().generation;
            let work = Work {
                search: true,
                ..Work::default()
            };
            self.worker.submit(work, generation);
        }
    }

    /// Waits until every file on disk, the search index included, is that
    /// of the site in memory; the error of background work that failed.
    pub fn settle(&mut self) -> Result<()> {
        self.catch_up_search();
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
        let loaded = self.memory.read().site.is_some();
        if !loaded || changes.contains(&Change::Everything) {
            return self.full_build();
        }
        // The worker stops at its next page and frees the site.
        let pause = self.worker.pause();
        let memory = self.memory.clone();
        let mut guard = memory.write();
        let state = &mut *guard;
        let site = state.site.as_mut().expect("checked above");
        let mut articles = Vec::new();
        let mut copies = Vec::new();
        let mut templates_changed = false;
        let mut data_changed = false;
        for change in changes {
            match resolve_content_change(site, change) {
                Some(Change::Article(p)) => articles.push(p),
                Some(Change::Copy(rel, source)) => copies.push((rel, source)),
                Some(Change::Template) => templates_changed = true,
                Some(Change::Data) => data_changed = true,
                Some(Change::Everything) => {
                    drop(guard);
                    drop(pause);
                    return self.full_build();
                }
                Some(Change::ContentOther(_)) | None => {}
            }
        }
        if templates_changed {
            site.reload_templates()?;
        }
        if data_changed {
            site.reload_entities()?;
        }
        if data_changed {
            state.changed();
        } else if templates_changed {
            state.templates_changed();
        }
        let site = state.site.as_mut().expect("checked above");
        let (update, errors) = if articles.is_empty() {
            (ArticleUpdate::BodiesOnly(Vec::new()), Vec::new())
        } else {
            update_articles(site, &articles, &self.options)?
        };
        // The pages of articles whose files are broken stay as they were.
        state.keep = errors
            .iter()
            .filter_map(|d| site.page_of_file(&d.path))
            .map(str::to_string)
            .collect();
        // A generated file may have been shadowed by a static file that is now gone.
        let unshadows = copies
            .iter()
            .any(|(rel, source)| !source.is_file() && GENERATED.contains(&rel.as_str()));
        let route = match &update {
            _ if data_changed && !templates_changed => Route::Data,
            _ if templates_changed || unshadows => Route::Templates,
            ArticleUpdate::BodiesOnly(ids) if ids.is_empty() => Route::Copy,
            ArticleUpdate::BodiesOnly(_) => Route::Body,
            ArticleUpdate::Reindexed(Affected::Pages { .. }) => Route::Metadata,
            ArticleUpdate::Reindexed(Affected::Everything) => Route::Everything,
        };
        let index_changed = data_changed || !matches!(route, Route::Copy | Route::Templates);
        // The narrow routes write their few pages at once, unless the
        // worker has the files: then it takes them up in its next pass.
        let narrow = matches!(route, Route::Copy | Route::Body | Route::Metadata);
        if narrow && state.disk_current && self.worker.idle() {
            let (check, removed) = match update {
                ArticleUpdate::BodiesOnly(ids) => (
                    ids.into_iter().map(Page::Article).collect(),
                    BTreeSet::new(),
                ),
                ArticleUpdate::Reindexed(Affected::Pages { check, removed }) => (check, removed),
                ArticleUpdate::Reindexed(Affected::Everything) => unreachable!("not narrow"),
            };
            let site = state.site.as_ref().expect("checked above");
            let files = write_only(site, &self.out, &check, &removed, &copies, &state.keep)?;
            state.changed_on_disk_too();
            self.search_behind |= index_changed;
            return Ok(Rebuild {
                route,
                files,
                elapsed: started.elapsed(),
                errors,
                pending: false,
            });
        }
        // Templates do not move pages: what each file is stays known.
        if route == Route::Templates && articles.is_empty() && copies.is_empty() {
            state.templates_changed();
        } else {
            state.changed();
        }
        memory.render_open_pages(state);
        let search = index_changed || std::mem::take(&mut self.search_behind);
        let work = Work {
            pages: true,
            search,
            cache: false,
        };
        self.worker.submit(work, state.generation);
        Ok(Rebuild {
            route,
            files: WriteStats::default(),
            elapsed: started.elapsed(),
            errors,
            pending: true,
        })
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

/// Turns a non-article change under content/ into what it means for the
/// loaded site: an asset copied or removed, a folder that needs a full
/// reload, or nothing (an editor's temp file that is already gone).
fn resolve_content_change(site: &mut Site, change: Change) -> Option<Change> {
    let Change::ContentOther(path) = change else {
        return Some(change);
    };
    let rel = load::relative(&load::content_dir(&site.root), &path);
    if path.is_dir() {
        return Some(Change::Everything);
    }
    if site.note_asset(&rel, &path, path.is_file()) {
        return Some(Change::Copy(rel, path));
    }
    site.has_files_under(&path).then_some(Change::Everything)
}

/// Checks just the pages at `check` (rendering those whose fingerprint
/// changed), removes the pages at `removed`, and copies (or removes) just
/// these files, keeping every other file of the previous build.
fn write_only(
    site: &Site,
    out: &Path,
    check: &[Page],
    removed: &BTreeSet<String>,
    copies: &[(String, PathBuf)],
    keep: &BTreeSet<String>,
) -> Result<WriteStats> {
    let output = Output::open(out, &site.root, false)?;
    output.keep_previous();
    for path in removed {
        output.forget(path);
    }
    let renderer = site.renderer();
    let check: Vec<Page> = check
        .iter()
        .copied()
        .filter(|&p| !keep.contains(&renderer.path(p)))
        .collect();
    for page in &check {
        output.forget(&renderer.path(*page));
    }
    let mut errors = renderer.render_all(&check, &output);
    for (rel, file) in copies {
        let site_path = format!("/{rel}");
        output.forget(&site_path);
        if !file.exists() {
            continue;
        }
        let written = load::read_source(file).and_then(|bytes| output.write(&site_path, &bytes, 0));
        errors.extend(written.err());
    }
    if errors.is_empty() {
        output.commit()
    } else {
        output.abort();
        Err(Error::Input(errors))
    }
}

//! The site as the preview holds it: the loaded [`Site`] behind one lock,
//! shared by the rebuild loop (the only one that changes it), the
//! background [`super::worker`] (which writes its files) and the HTTP
//! handlers. While the files on disk are behind the site in memory (from
//! the start until the first pass is written, and after a template or data
//! edit until the pass that follows it is), the handlers render what is
//! asked from memory instead: a page is never older than the last edit,
//! and each is rendered from one state, whole.
//!
//! Nothing here keeps rendered pages, except those the live-reload channel
//! says are open in a browser, rendered ahead of their reload.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use rayon::prelude::*;

use crate::search::SEARCH_DIR;
use crate::site::{FileSource, Site};

/// The site in memory and what the disk holds of it.
#[derive(Default)]
pub(crate) struct State {
    /// The loaded site (`None` until the first load, or after it failed).
    pub(crate) site: Option<Site>,
    /// The output folder holds every file of `site` (its search index may
    /// still be behind: it is never served from memory).
    pub(crate) disk_current: bool,
    /// Site paths of pages kept as they were (their article is broken).
    pub(crate) keep: BTreeSet<String>,
    /// Counts the changes to `site`: the worker's pass made the disk
    /// current only if none came while it wrote.
    pub(crate) generation: u64,
    /// Counts the loads: words read for one site are not put in the next.
    pub(crate) loads: u64,
    /// Every file of `site`, by path under the output (made on first use).
    files: OnceLock<HashMap<String, FileSource>>,
    /// The open pages, rendered ahead of their reload (by file path).
    ahead: HashMap<String, Vec<u8>>,
}

impl State {
    /// Records that `site` changed and that the disk is behind it.
    pub(crate) fn changed(&mut self) {
        self.changed_on_disk_too();
        self.disk_current = false;
    }

    /// Records that `site`'s templates changed, and that the disk is behind
    /// it: every file is still what it was (the pages, their paths).
    pub(crate) fn templates_changed(&mut self) {
        self.generation += 1;
        self.ahead.clear();
        self.disk_current = false;
    }

    /// Records that `site` changed, with the disk written to match.
    pub(crate) fn changed_on_disk_too(&mut self) {
        self.generation += 1;
        self.files = OnceLock::new();
        self.ahead.clear();
    }

    /// Where the file `file` (under the output) comes from: the home page
    /// and article pages found at once, any other through the list of files.
    fn source_of(&self, file: &str) -> Option<FileSource> {
        let site = self.site.as_ref()?;
        site.quick_source(file)
            .or_else(|| self.files()?.get(file).cloned())
    }

    /// Where each file of the site comes from.
    fn files(&self) -> Option<&HashMap<String, FileSource>> {
        let site = self.site.as_ref()?;
        Some(self.files.get_or_init(|| site.file_sources()))
    }
}

/// What the preview answers for a request path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The file's bytes, rendered from memory, by its path under the output.
    Bytes(String, Vec<u8>),
    /// No such file: the site's 404 page, rendered from memory.
    NotFound(Vec<u8>),
    /// A folder asked without its final `/`.
    Redirect(String),
    /// The file on disk is current (or nothing better is known): serve it.
    Disk,
}

/// The shared site, with the pages open in browsers.
pub(crate) struct Memory {
    state: RwLock<State>,
    loaded: tokio::sync::watch::Sender<bool>,
    /// Request paths of the pages open in a browser, with how many.
    open: Mutex<HashMap<String, usize>>,
}

impl Memory {
    /// Nothing loaded yet.
    pub(crate) fn new() -> Memory {
        Memory {
            state: RwLock::new(State::default()),
            loaded: tokio::sync::watch::Sender::new(false),
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The state, to read.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The state, to change (the rebuild loop and the worker only).
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The first load is over (whether it worked): requests stop waiting.
    pub(crate) fn mark_loaded(&self) {
        self.loaded.send_replace(true);
    }

    /// Waits until the first load is over.
    pub(crate) async fn wait_loaded(&self) {
        let mut loaded = self.loaded.subscribe();
        let _ = loaded.wait_for(|&done| done).await;
    }

    /// A browser opened (`true`) or closed the page at `path`.
    pub(crate) fn page_open(&self, path: &str, open: bool) {
        let mut pages = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = pages.entry(path.to_string()).or_default();
        if open {
            *count += 1;
        } else {
            *count = count.saturating_sub(1);
            if *count == 0 {
                pages.remove(path);
            }
        }
    }

    /// Renders the open pages of `state`'s site, in parallel, so that their
    /// reload is answered at once.
    pub(crate) fn render_open_pages(&self, state: &mut State) {
        let open: Vec<String> = {
            let pages = self.open.lock().unwrap_or_else(|e| e.into_inner());
            pages.keys().cloned().collect()
        };
        let Some(site) = state.site.as_ref() else {
            return;
        };
        let files: Vec<(String, FileSource)> = open
            .iter()
            .filter_map(|path| {
                let rel = super::serve::safe_relative_path(path)?;
                let file = file_for(&rel, path.ends_with('/'));
                let source = state.source_of(&file)?;
                Some((file, source))
            })
            .collect();
        let rendered: Vec<(String, Vec<u8>)> = files
            .par_iter()
            .filter_map(|(file, source)| Some((file.clone(), site.produce(source).ok()?)))
            .collect();
        state.ahead.extend(rendered);
    }

    /// What to answer for the file `rel` (`dir`: the request ended with
    /// `/`): from memory while the disk is behind, else [`Answer::Disk`].
    /// A page that fails to render is answered from disk (the last good
    /// one; the rebuild reports the error).
    pub(crate) fn answer(&self, rel: &Path, dir: bool) -> Answer {
        let state = self.read();
        if state.disk_current {
            return Answer::Disk;
        }
        let Some(site) = state.site.as_ref() else {
            return Answer::Disk;
        };
        let file = file_for(rel, dir);
        if let Some(bytes) = state.ahead.get(&file) {
            return Answer::Bytes(file, bytes.clone());
        }
        if let Some(source) = state.source_of(&file) {
            return match site.produce(&source) {
                Ok(bytes) => Answer::Bytes(file, bytes),
                Err(_) => Answer::Disk,
            };
        }
        let Some(files) = state.files() else {
            return Answer::Disk;
        };
        if !dir && files.contains_key(&format!("{file}/index.html")) {
            return Answer::Redirect(format!("/{file}/"));
        }
        if file.starts_with(SEARCH_DIR.trim_start_matches('/')) {
            return Answer::Disk;
        }
        match files.get("404.html").map(|s| site.produce(s)) {
            Some(Ok(bytes)) => Answer::NotFound(bytes),
            _ => Answer::Disk,
        }
    }
}

/// The file under the output that a request names: `a/b` or, for a
/// folder (`dir`, or the root), `a/b/index.html`.
fn file_for(rel: &Path, dir: bool) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if dir || joined.is_empty() {
        crate::render::file_of(&format!("/{joined}/"))
    } else {
        joined
    }
}

//! The site as the preview holds it: the loaded [`Site`] behind one lock,
//! shared by the rebuild loop (which loads and edits it), the background
//! [`super::worker`] (which writes its files, then says so, and puts in the
//! bodies' words it read) and the HTTP handlers (which only read). Each
//! change is a method of [`State`], whose fields are private to this file. While the files on disk are behind the site in memory (from
//! the start until the first pass is written, and after a template or data
//! edit until the pass that follows it is), the handlers render what is
//! asked from memory instead: a page is never older than the last edit,
//! and each is rendered from one state, whole.
//!
//! Nothing here keeps rendered pages, except those the live-reload channel
//! says are open in a browser, rendered ahead of their reload.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use rayon::prelude::*;

use crate::error::Result;
use crate::load::LoadOptions;
use crate::output::WriteStats;
use crate::site::{
    file_for_request, is_search_file, Changed, Edited, FileSource, Site, Writer, Writing,
};

/// The site in memory and what the disk holds of it. Its fields are
/// changed only through the methods below: by the rebuild loop ([`super::Live`]:
/// loads and edits) and by the worker (the disk caught up, the words read).
#[derive(Default)]
pub(crate) struct State {
    /// The loaded site (`None` until the first load, or after it failed).
    site: Option<Site>,
    /// The output folder holds every file of `site` (its search index may
    /// still be behind: it is never served from memory).
    disk_current: bool,
    /// Site paths of pages kept as they were (their article is broken).
    keep: BTreeSet<String>,
    /// Counts the changes to `site` (the search index is for one of them).
    generation: u64,
    /// Counts the changes that put every page behind (loads, template and
    /// data edits, edits that every page shows): what a stopped pass of the
    /// worker checked holds only within one epoch.
    epoch: u64,
    /// The pages that narrow edits reached while the disk was behind (they
    /// are not written at once then), with the generation of the last such
    /// edit: a pass's check of one before that generation no longer holds.
    reached: HashMap<String, u64>,
    /// Counts the loads: words read for one site are not put in the next.
    loads: u64,
    /// Every file of `site`, by path under the output (made on first use).
    files: OnceLock<HashMap<String, FileSource>>,
    /// The open pages, rendered ahead of their reload (by file path).
    ahead: HashMap<String, Vec<u8>>,
}

impl State {
    /// The loaded site, if any.
    pub(crate) fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The site's generation: it counts every change.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The disk's epoch (see [`State::pages_written`]).
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch
    }

    /// How many loads there were (see [`State::set_words`]).
    pub(crate) fn loads(&self) -> u64 {
        self.loads
    }

    /// True when the output folder holds every file of the site.
    pub(crate) fn disk_current(&self) -> bool {
        self.disk_current
    }

    /// Site paths of pages to keep as they are (their article is broken).
    pub(crate) fn keep(&self) -> &BTreeSet<String> {
        &self.keep
    }

    /// A load replaced the site (`None`: it failed); the disk is behind it.
    pub(crate) fn loaded(&mut self, site: Option<Site>) {
        self.behind(true);
        self.keep.clear();
        self.loads += 1;
        self.site = site;
    }

    /// Takes `changed` into the site ([`Site::edit`]); `None` when there is
    /// no site or the change needs a new load. The pages of articles that
    /// are broken are kept as they were. When a template or data/ edit
    /// fails, what it read may be in: the disk counts as behind.
    pub(crate) fn edit(
        &mut self,
        changed: Changed,
        options: &LoadOptions,
    ) -> Result<Option<Edited>> {
        let Some(site) = self.site.as_mut() else {
            return Ok(None);
        };
        let whole = changed.templates || changed.data;
        match site.edit(changed, options) {
            Ok(Some(edited)) => {
                self.keep = edited.keep.clone();
                Ok(Some(edited))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                if whole {
                    self.behind(true);
                }
                Err(e)
            }
        }
    }

    /// Writes a narrow edit into `out` at once ([`Site::write_reached`]),
    /// the disk being current: it stays so.
    pub(crate) fn write_reached(
        &mut self,
        out: &Path,
        edited: &Edited,
        writing: &mut Writing,
    ) -> Result<WriteStats> {
        let site = self.site.as_ref().expect("an edit has a site");
        let files = site.write_reached(out, edited, &self.keep, writing)?;
        self.generation += 1;
        self.files = OnceLock::new();
        self.ahead.clear();
        Ok(files)
    }

    /// Records that the site changed and that the disk is behind it;
    /// `files_moved`: the list of files may differ (else every file is
    /// still what it was: a template edit).
    pub(crate) fn behind(&mut self, files_moved: bool) {
        self.generation += 1;
        self.epoch += 1;
        self.reached.clear();
        self.ahead.clear();
        self.disk_current = false;
        if files_moved {
            self.files = OnceLock::new();
        }
    }

    /// Takes a narrow edit while the disk is behind: not written at once
    /// (a pass of the worker is due anyway, and writing would wait for its
    /// commit), but the pages it reached are marked, so that the pass
    /// renders them again even if it had checked them.
    pub(crate) fn reached_while_behind(&mut self, edited: &Edited) {
        let site = self.site.as_ref().expect("an edit has a site");
        let paths = site.reached_paths(edited);
        self.generation += 1;
        self.ahead.clear();
        if edited.files_moved {
            self.files = OnceLock::new();
        }
        for path in paths {
            self.reached.insert(path, self.generation);
        }
    }

    /// The pages narrow edits reached while the disk was behind
    /// ([`State::reached_while_behind`]), with the generation of the last.
    pub(crate) fn reached(&self) -> &HashMap<String, u64> {
        &self.reached
    }

    /// The worker wrote every file of the site as it was at `generation`:
    /// the disk is current, unless the site changed since (then false).
    pub(crate) fn pages_written(&mut self, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.disk_current = true;
        self.reached.clear();
        true
    }

    /// Puts in the bodies' words read for the site of load number `loads`
    /// ([`Site::set_words`]); false when another load replaced it since.
    pub(crate) fn set_words(
        &mut self,
        loads: u64,
        wanted: Vec<(PathBuf, u64)>,
        words: Vec<Option<crate::words::Packed>>,
    ) -> bool {
        if loads != self.loads {
            return false;
        }
        if let Some(site) = self.site.as_mut() {
            site.set_words(wanted, words);
        }
        true
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
    /// The right to write into the output folder, one pass at a time.
    writer: Writer,
}

impl Memory {
    /// Nothing loaded yet.
    pub(crate) fn new() -> Memory {
        Memory {
            state: RwLock::new(State::default()),
            loaded: tokio::sync::watch::Sender::new(false),
            open: Mutex::new(HashMap::new()),
            writer: Writer::default(),
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

    /// The right to write into the output folder (taken before the state's
    /// lock, never after it).
    pub(crate) fn writer(&self) -> &Writer {
        &self.writer
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
                let file = file_for_request(&rel, path.ends_with('/'));
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
        let file = file_for_request(rel, dir);
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
        if is_search_file(&file) {
            return Answer::Disk;
        }
        match files.get("404.html").map(|s| site.produce(s)) {
            Some(Ok(bytes)) => Answer::NotFound(bytes),
            _ => Answer::Disk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixture;

    fn loaded(dir: &Path) -> Memory {
        let a = fixture::article("A", "2026-02-01", "people: [Ann Lee]\n", "One.");
        let site = fixture::site(dir, &[("content/a.md", &a)]);
        let memory = Memory::new();
        memory.write().loaded(Some(site));
        memory
    }

    #[test]
    fn a_pass_makes_the_disk_current_only_for_the_generation_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let memory = loaded(dir.path());
        let mut state = memory.write();
        assert!(!state.disk_current(), "a load leaves the disk behind");
        let written = state.generation();
        state.behind(false);
        assert!(!state.pages_written(written), "overtaken by an edit");
        assert!(!state.disk_current());
        let now = state.generation();
        assert!(state.pages_written(now));
        assert!(state.disk_current());
    }

    #[test]
    fn words_read_for_one_load_are_not_put_in_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let memory = loaded(dir.path());
        let mut state = memory.write();
        let loads = state.loads();
        let site = fixture::site(dir.path(), &[]);
        state.loaded(Some(site));
        assert!(!state.set_words(loads, Vec::new(), Vec::new()));
        assert!(state.set_words(loads + 1, Vec::new(), Vec::new()));
    }

    #[test]
    fn while_the_disk_is_behind_pages_come_from_memory() {
        let dir = tempfile::tempdir().unwrap();
        let memory = loaded(dir.path());
        let answer = memory.answer(Path::new("2026/02/a"), true);
        let Answer::Bytes(file, bytes) = answer else {
            panic!("expected the page from memory, got {answer:?}");
        };
        assert_eq!(file, "2026/02/a/index.html");
        assert!(String::from_utf8(bytes).unwrap().contains("One."));
        assert_eq!(
            memory.answer(Path::new("people/ann-lee"), false),
            Answer::Redirect("/people/ann-lee/".into())
        );
        assert!(matches!(
            memory.answer(Path::new("nothing/here"), true),
            Answer::NotFound(_)
        ));
        assert_eq!(
            memory.answer(Path::new("search/index.json"), false),
            Answer::Disk
        );
        let generation = memory.read().generation();
        memory.write().pages_written(generation);
        assert_eq!(memory.answer(Path::new("2026/02/a"), true), Answer::Disk);
    }

    #[test]
    fn a_failed_template_edit_counts_the_disk_as_behind() {
        let dir = tempfile::tempdir().unwrap();
        let memory = loaded(dir.path());
        let mut state = memory.write();
        let generation = state.generation();
        state.pages_written(generation);
        fixture::write(dir.path(), "templates/base.html", "{% if %}");
        let changed = Changed {
            templates: true,
            ..Changed::default()
        };
        assert!(state.edit(changed, &LoadOptions::default()).is_err());
        assert!(!state.disk_current());
    }

    #[test]
    fn a_narrow_edit_while_the_disk_is_behind_marks_what_it_reached() {
        let dir = tempfile::tempdir().unwrap();
        let memory = loaded(dir.path());
        let mut state = memory.write();
        let (epoch, before) = (state.epoch(), state.generation());
        let text = fixture::article("A", "2026-02-01", "people: [Ann Lee]\n", "Two.");
        fixture::write(dir.path(), "content/a.md", &text);
        let changed = Changed {
            articles: vec![dir.path().join("content/a.md")],
            ..Changed::default()
        };
        let edited = state
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        assert!(edited.is_narrow());
        state.reached_while_behind(&edited);
        assert_eq!(state.epoch(), epoch, "the others' checks hold");
        assert_eq!(
            state.reached().get("/2026/02/a/"),
            Some(&state.generation())
        );
        assert!(!state.pages_written(before), "a pass of before the edit");
        let now = state.generation();
        assert!(state.pages_written(now));
        assert!(state.reached().is_empty(), "the disk has every page");
    }
}

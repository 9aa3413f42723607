//! Every pass that writes, and the only code that opens the output: the
//! build ([`Site::build`]), the preview's narrow write of the pages an edit
//! reached ([`Site::write_reached`]), the background worker's pass over
//! every page ([`Site::render_pass`], committed by [`PagesPass::commit`]
//! once the caller let go of the site), the search files
//! ([`Site::search_pass`]) and the preview's article cache
//! ([`Site::write_cache`]). Each pass opens the output, has every file
//! rendered or copied, and commits, or aborts on the first error and
//! leaves the output as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::edit::{Edited, Reached};
use super::files::{FileSource, PhotoCopy};
use super::Site;
use crate::error::{Diagnostic, Error, Result};
use crate::load;
use crate::output::{Manifest, Output, WriteStats};
use crate::progress::{self, Stage};
use crate::render::{is_changed_during_build, Page, PageSink, SEARCH_DIR};
use crate::search;

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages rendered through templates.
    pub pages: usize,
    /// What happened on disk.
    pub files: WriteStats,
}

/// The right to write into one output folder. The preview's passes (the
/// worker's, the narrow writes of edits, the search files) take it from
/// the output's opening to its commit, one at a time, so that no pass
/// commits a manifest made from another's stale view. Taken before the
/// site's lock, never after it (so that the site is not locked while a
/// commit is waited for).
///
/// It keeps the manifest its last pass committed, so that the next one
/// opens the output without reading the file again.
#[derive(Default)]
pub(crate) struct Writer(Mutex<Option<Manifest>>);

/// A pass's hold on the [`Writer`], from the output's opening to its commit.
pub(crate) type Writing<'w> = MutexGuard<'w, Option<Manifest>>;

impl Writer {
    /// Waits for the right to write.
    pub(crate) fn take(&self) -> Writing<'_> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Opens `out` for a preview pass holding `writing`, with the manifest the
/// last pass left there.
fn open_writing(out: &Path, root: &Path, force: bool, writing: &mut Writing) -> Result<Output> {
    Output::open_known(out, root, force, writing.take())
}

/// Commits `output` if there were no `errors` (keeping its manifest in
/// `writing` for the next pass), else aborts it.
fn finish_writing(
    output: Output,
    errors: Vec<Diagnostic>,
    writing: &mut Writing,
) -> Result<WriteStats> {
    if !errors.is_empty() {
        return finish(output, errors);
    }
    let (stats, manifest) = output.commit_known()?;
    **writing = manifest;
    Ok(stats)
}

/// Writes the output's manifest whole if narrow writes left a journal
/// beside it (see output's `manifest.rs`): the preview's last step once
/// its edits are quiet.
pub(crate) fn fold_manifest(out: &Path, writer: &Writer) -> Result<()> {
    let mut writing = writer.take();
    crate::output::fold_journal(out, &mut writing)
}

/// How the worker's pass goes ([`Site::render_pass`]).
pub(crate) struct PassOptions<'a> {
    /// Site paths of the pages of broken articles, kept as they are.
    pub(crate) keep: &'a BTreeSet<String>,
    /// Set to stop the pass at its next page.
    pub(crate) stop: &'a AtomicBool,
    /// True for the site paths an earlier pass checked that still hold.
    pub(crate) done: &'a (dyn Fn(&str) -> bool + Sync),
    /// Write into a folder that is not gazette's output.
    pub(crate) force: bool,
}

/// The worker's pass over every page, rendered and held by the output
/// until [`PagesPass::commit`] (called without the site's lock).
pub(crate) struct PagesPass<'w> {
    output: Output,
    /// Stopped before its last page.
    stopped: bool,
    /// A page's file changed while it rendered.
    waits: bool,
    checked: Vec<String>,
    writing: Writing<'w>,
}

impl PagesPass<'_> {
    /// True when the pass did not check every page: it was stopped, or a
    /// page's file changed while it rendered (the edit that follows brings
    /// the pass back). What it rendered is written, every other file kept.
    pub(crate) fn incomplete(&self) -> bool {
        self.stopped || self.waits
    }

    /// True when the pass was not stopped but a page's file changed while
    /// it rendered: nothing is to be done before the edit that follows.
    pub(crate) fn waits_for_an_edit(&self) -> bool {
        self.waits && !self.stopped
    }

    /// Writes what the pass rendered; the site paths of the pages it
    /// checked (each now current on disk), for the next pass to skip.
    pub(crate) fn commit(mut self) -> Result<(WriteStats, Vec<String>)> {
        let stats = finish_writing(self.output, Vec::new(), &mut self.writing)?;
        Ok((stats, self.checked))
    }
}

/// The sink of the worker's pass: pages already checked by an earlier pass
/// of the same state are kept without being prepared; a stop skips the
/// rest; the pages of broken articles are kept as they were.
struct Resumable<'a> {
    output: &'a Output,
    /// Site paths of pages of broken articles, kept as they are.
    keep: &'a BTreeSet<String>,
    stop: &'a AtomicBool,
    /// True for the site paths an earlier pass checked that still hold.
    done: &'a (dyn Fn(&str) -> bool + Sync),
    /// Site paths this pass checked.
    checked: Mutex<Vec<String>>,
}

impl Resumable<'_> {
    fn checked(&self, site_path: &str) {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        checked.push(site_path.to_string());
    }
}

impl PageSink for Resumable<'_> {
    fn skip(&self, site_path: &str) -> bool {
        self.stop.load(Ordering::Relaxed) || ((self.done)(site_path) && self.output.keep(site_path))
    }
    fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool {
        let unchanged = if self.keep.contains(site_path) {
            // A broken article's page stays as it is, or absent: its body
            // on disk is not the one its metadata was read with.
            self.output.keep(site_path);
            true
        } else {
            self.output.unchanged(site_path, fingerprint)
        };
        if unchanged {
            self.checked(site_path);
        }
        unchanged
    }
    fn write(&self, site_path: &str, bytes: &[u8], fingerprint: u64) -> Result<(), Diagnostic> {
        self.output.write(site_path, bytes, fingerprint)?;
        self.checked(site_path);
        Ok(())
    }
}

/// The search files made from one state of the site, to be written
/// without the site's lock ([`SearchPass::write`]).
pub(crate) struct SearchPass {
    root: PathBuf,
    files: search::Files,
}

impl SearchPass {
    /// Puts the index into `out` in place of the previous one, keeping
    /// every other file (the preview writes it after the pages).
    pub(crate) fn write(self, out: &Path, writer: &Writer) -> Result<WriteStats> {
        let mut writing = writer.take();
        let output = open_writing(out, &self.root, false, &mut writing)?;
        output.keep_previous();
        // Fewer articles may need fewer shards and chunks.
        output.forget_under(SEARCH_DIR);
        output.keep(SEARCH_DIR);
        let errors: Vec<Diagnostic> = self
            .files
            .iter()
            .filter_map(|(path, bytes)| output.write(path, bytes, 0).err())
            .collect();
        finish_writing(output, errors, &mut writing)
    }
}

/// Writes the search index's files into `output`; the errors.
fn write_search(output: &Output, files: search::Files) -> Vec<Diagnostic> {
    let written = files
        .into_iter()
        .map(|(path, bytes)| output.write(&path, &bytes, 0));
    written.filter_map(std::result::Result::err).collect()
}

/// Commits `output` if there were no `errors`, else aborts it.
fn finish(output: Output, mut errors: Vec<Diagnostic>) -> Result<WriteStats> {
    if errors.is_empty() {
        output.commit()
    } else {
        output.abort();
        sort_errors(&mut errors);
        Err(Error::Input(errors))
    }
}

/// A sink that counts the pages it is asked about (every page is asked
/// once whether it is unchanged) for the progress bar.
struct Counting<'a> {
    inner: &'a dyn PageSink,
    progress: Option<&'a progress::Progress>,
}

impl PageSink for Counting<'_> {
    fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool {
        progress::step(self.progress);
        self.inner.unchanged(site_path, fingerprint)
    }
    fn write(&self, site_path: &str, bytes: &[u8], fingerprint: u64) -> Result<(), Diagnostic> {
        self.inner.write(site_path, bytes, fingerprint)
    }
}

/// Sorts errors by file and position, each said once (a card whose
/// template fails fails every page that shows it, with the same error).
fn sort_errors(errors: &mut Vec<Diagnostic>) {
    errors.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.path.clone(), d.line, d.column, d.message.clone());
        key(a).cmp(&key(b))
    });
    errors.dedup();
}

impl Site {
    /// Renders the whole site into `out`. Nothing in `out` changes unless
    /// every page rendered; unchanged files keep their mtime.
    pub fn build(&self, out: &Path, force: bool) -> Result<BuildReport> {
        let mut output = Output::open(out, &self.root, force)?;
        output.set_precompress(self.precompress);
        // The index is built on one core while the pages render on the rest.
        let ((mut errors, pages), search) =
            rayon::join(|| self.render_into(&output), || self.search_files(false));
        errors.extend(write_search(&output, search));
        self.finish_build(output, errors, pages)
    }

    /// [`Site::build`] for a site built once (`gazette build`, usually
    /// loaded by [`Site::load_for_build`]): the search index first, on
    /// every core, its files written, then the pages. The output is the
    /// same.
    pub fn build_once(&self, out: &Path, force: bool) -> Result<BuildReport> {
        let mut output = Output::open(out, &self.root, force)?;
        output.set_precompress(self.precompress);
        // What each stage freed is given back before the next (loading's,
        // the index's): at 100,000 articles a build's peak was 381 and 387
        // MB against 419, for about 1 s more of CPU (pages given back are
        // faulted in again).
        crate::release_freed_memory();
        let mut errors = Vec::new();
        let scratch = output.scratch();
        let written = self.search_into(scratch, &mut |path, bytes| {
            errors.extend(output.write(&path, &bytes, 0).err());
        });
        errors.extend(written.err());
        crate::release_freed_memory();
        // Built once, the site holds its cards and feed entries in memory
        // up to a bound, the rest in a file.
        let fragments = self.cards.fragments();
        fragments.set_aside_in(scratch, crate::render::FRAGMENTS_HELD);
        let (rendered, pages) = self.render_into(&output);
        crate::release_freed_memory();
        errors.extend(rendered);
        self.finish_build(output, errors, pages)
    }

    /// Renders every page into `output`: the errors, and how many pages.
    fn render_into(&self, output: &Output) -> (Vec<Diagnostic>, usize) {
        let renderer = self.renderer();
        let mut pages = renderer.pages();
        // The sitemap's parts first, while little is held: rendered last,
        // after every card was kept, they set a build's peak of heap (440
        // MB at 100,000 articles, 380 held once the pages were done;
        // rendered first, the peak was 410).
        pages.sort_by_key(|page| !page.lists_many_pages());
        progress::start(self.progress.as_ref(), Stage::Rendering, pages.len());
        let sink = Counting {
            inner: output,
            progress: self.progress.as_ref(),
        };
        (renderer.render_all(&pages, &sink), pages.len())
    }

    /// A build's last steps: the copied files, the commit (nothing changes
    /// if there are errors) and the photo cache's collection.
    fn finish_build(
        &self,
        output: Output,
        mut errors: Vec<Diagnostic>,
        pages: usize,
    ) -> Result<BuildReport> {
        errors.extend(self.write_theme_and_copies(&output, None));
        if errors.is_empty() {
            progress::start(self.progress.as_ref(), Stage::Writing, 0);
        }
        let files = finish(output, errors)?;
        self.collect_photo_garbage();
        Ok(BuildReport { pages, files })
    }

    /// Writes the theme's files, the files copied as they are and the
    /// photos' copies (until `stop` is set).
    fn write_theme_and_copies(
        &self,
        output: &Output,
        stop: Option<&AtomicBool>,
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let copies = self.files_to_copy();
        for (path, text) in self.generated_files() {
            if !copies.contains_key(path) {
                errors.extend(output.write(&format!("/{path}"), text.as_bytes(), 0).err());
            }
        }
        for (rel, source) in &copies {
            match load::read_source(source) {
                Ok(bytes) => errors.extend(output.write(&format!("/{rel}"), &bytes, 0).err()),
                // Deleted since the files were listed: the deletion is an
                // edit of its own, and the file is left out as it would be.
                Err(_) if !source.exists() => {}
                Err(e) => errors.push(e),
            }
        }
        errors.extend(self.write_photo_copies(output, stop));
        errors
    }

    /// Writes every copy of the articles' photos that the output does not
    /// hold already: the copies of one photo together, in parallel over
    /// photos, those the cache has not got made from one decoding, then
    /// linked from the cache. Once `stop` is set no other photo is begun
    /// (the caller keeps the rest as they were). The copies of a photo
    /// read only to its header (the preview's start) are left to the
    /// thread finishing it, which then takes it in as edited: made here
    /// too, it would be decoded twice, and the pass would hold an edit up
    /// for as long as a cold build's image work.
    fn write_photo_copies(&self, output: &Output, stop: Option<&AtomicBool>) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let mut by_photo: BTreeMap<(&Path, &str), Vec<(String, &PhotoCopy)>> = BTreeMap::new();
        let copies = self.photo_copies();
        for (rel, copy) in &copies {
            let site_path = format!("/{rel}");
            if output.unchanged(&site_path, copy.fingerprint()) {
                continue;
            }
            if copy.is_unfinished() {
                output.keep(&site_path);
                continue;
            }
            by_photo
                .entry((copy.file(), copy.key()))
                .or_default()
                .push((site_path, copy));
        }
        let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
        by_photo
            .into_par_iter()
            .flat_map_iter(|(_, group)| {
                if stopped() {
                    return Vec::new();
                }
                let all: Vec<&PhotoCopy> = group.iter().map(|(_, c)| *c).collect();
                let made = PhotoCopy::make_missing(&all, &self.config.images);
                let written: Vec<Diagnostic> = match made {
                    Err(e) => vec![e],
                    Ok(cached) => group
                        .into_iter()
                        .filter_map(|(site_path, copy)| {
                            let linked = cached.get(copy.name());
                            self.write_photo_copy(output, &site_path, copy, linked)
                                .err()
                        })
                        .collect(),
                };
                written
            })
            .collect()
    }

    /// Writes one copy: linked from the cache (`cached`: its file there,
    /// size and hash), or its bytes.
    fn write_photo_copy(
        &self,
        output: &Output,
        site_path: &str,
        copy: &PhotoCopy,
        cached: Option<(PathBuf, u64, u64)>,
    ) -> Result<(), Diagnostic> {
        let fingerprint = copy.fingerprint();
        if let Some((file, size, hash)) = cached {
            return output.link(site_path, &file, (size, hash), fingerprint);
        }
        let bytes = self.produce(&FileSource::Photo(Box::new(copy.clone())))?;
        output.write(site_path, &bytes, fingerprint)
    }

    /// Removes from the photo cache what no site uses, when it has grown
    /// past twice what this one uses.
    fn collect_photo_garbage(&self) {
        let used: std::collections::HashSet<String> = self
            .photo_copies()
            .values()
            .map(|c| c.key().to_string())
            .collect();
        // A site without photos leaves the cache to the sites that have some.
        if !used.is_empty() {
            crate::images::collect_garbage(&self.config.images.cache, &used);
        }
    }

    /// Renders into `out` every file but the search index (the pages whose
    /// fingerprint changed, keeping the pages at `keep`, of broken
    /// articles, and the index as they are): the preview's background pass.
    /// The pages at `done` were checked by an earlier pass of this state
    /// and are kept unless their file is gone. When `stop` is set the
    /// rendering stops, and every file not rendered yet is kept as it was,
    /// so that each file is always wholly of one state. The pass is written
    /// by [`PagesPass::commit`]; it holds `writing` until then.
    pub(crate) fn render_pass<'w>(
        &self,
        out: &Path,
        pass: PassOptions<'_>,
        mut writing: Writing<'w>,
    ) -> Result<PagesPass<'w>> {
        let output = open_writing(out, &self.root, pass.force, &mut writing)?;
        let sink = Resumable {
            output: &output,
            keep: pass.keep,
            stop: pass.stop,
            done: pass.done,
            checked: Mutex::new(Vec::new()),
        };
        let renderer = self.renderer();
        let errors = renderer.render_all(&renderer.pages(), &sink);
        // A body saved again while its page rendered: the next edit follows.
        let (changed, mut errors): (Vec<_>, Vec<_>) =
            errors.into_iter().partition(is_changed_during_build);
        errors.extend(self.write_theme_and_copies(&output, Some(pass.stop)));
        output.keep_under(SEARCH_DIR);
        let (stopped, waits) = (pass.stop.load(Ordering::Relaxed), !changed.is_empty());
        if stopped || waits {
            output.keep_previous();
        }
        if errors.is_empty() {
            let checked = sink.checked.into_inner().unwrap_or_else(|e| e.into_inner());
            Ok(PagesPass {
                output,
                stopped,
                waits,
                checked,
                writing,
            })
        } else {
            output.abort();
            sort_errors(&mut errors);
            Err(Error::Input(errors))
        }
    }

    /// Writes into `out` just what `edited` reached (a narrow edit: bodies,
    /// some pages, copied files), rendering the pages whose fingerprint
    /// changed, removing the pages that are gone, and copying (or
    /// removing) the copied files; every other file of the previous pass
    /// is kept, and so are the pages at `keep`.
    pub(crate) fn write_reached(
        &self,
        out: &Path,
        edited: &Edited,
        keep: &BTreeSet<String>,
        writing: &mut Writing,
    ) -> Result<WriteStats> {
        let (check, removed) = match &edited.reach {
            Reached::Copies => (Vec::new(), None),
            Reached::Bodies(ids) => (ids.iter().copied().map(Page::Article).collect(), None),
            Reached::Pages { check, removed } => (check.clone(), Some(removed)),
            _ => unreachable!("only a narrow edit is written at once"),
        };
        let output = open_writing(out, &self.root, false, writing)?;
        output.keep_previous();
        for path in removed.into_iter().flatten() {
            output.forget(path);
        }
        let renderer = self.renderer();
        let check: Vec<Page> = check
            .into_iter()
            .filter(|&p| !keep.contains(&renderer.path(p)))
            .collect();
        for page in &check {
            output.forget(&renderer.path(*page));
        }
        let errors = renderer.render_all(&check, &output);
        // A body saved again since the edit read it: its page stays as it
        // is, and the edit that follows writes it.
        let (changed, mut errors): (Vec<_>, Vec<_>) =
            errors.into_iter().partition(is_changed_during_build);
        for page in changed.iter().filter_map(|d| self.page_of_file(&d.path)) {
            output.keep(page);
        }
        if removed.is_some() {
            // The articles' photos may have changed: their copies are
            // made what a build would write, the others removed.
            output.forget_under(crate::images::PHOTOS_DIR);
            errors.extend(self.write_photo_copies(&output, None));
        }
        for (rel, file) in &edited.copies {
            let site_path = format!("/{rel}");
            output.forget(&site_path);
            if self.is_unpublished_original(rel) {
                continue;
            }
            match load::read_source(file) {
                Ok(bytes) => errors.extend(output.write(&site_path, &bytes, 0).err()),
                Err(_) if !file.exists() => {}
                Err(e) => errors.push(e),
            }
        }
        finish_writing(output, errors, writing)
    }

    /// The search files of this state of the site, or `None` once `stop`
    /// is set (an edit came: the index is asked again after it).
    pub(crate) fn search_pass(&self, stop: &AtomicBool) -> Option<SearchPass> {
        Some(SearchPass {
            root: self.root.clone(),
            files: self.search_files_until(stop, false)?,
        })
    }

    /// Keeps this site's articles in `cache` for the next preview's start
    /// (a site loaded by [`Site::load_for_preview`]).
    pub(crate) fn write_cache(&self, cache: &Path) -> std::io::Result<()> {
        load::write_cache(cache, &self.content)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use std::collections::HashSet;

    use super::super::{fixture, Changed};
    use super::*;
    use crate::load::LoadOptions;

    fn mtime(path: PathBuf) -> std::time::SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    /// Saves `content/2026/02/a.md` with `body` and takes the edit in.
    fn save_a(site: &mut Site, root: &Path, extra: &str, body: &str) -> Edited {
        let text = fixture::article("A", "2026-02-01", extra, body);
        fixture::write(root, "content/2026/02/a.md", &text);
        let changed = Changed {
            articles: vec![root.join("content/2026/02/a.md")],
            ..Changed::default()
        };
        site.edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap()
    }

    fn pass<'w>(
        site: &Site,
        out: &Path,
        stop: bool,
        keep: &BTreeSet<String>,
        done: &HashSet<String>,
        writer: &'w Writer,
    ) -> PagesPass<'w> {
        let stop = AtomicBool::new(stop);
        let done = |path: &str| done.contains(path);
        let options = PassOptions {
            keep,
            stop: &stop,
            done: &done,
            force: false,
        };
        site.render_pass(out, options, writer.take()).unwrap()
    }

    #[test]
    fn a_body_edit_writes_its_page_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        let a = fixture::article("A", "2026-02-01", "people: [Ann Lee]\n", "One.");
        let b = fixture::article("B", "2026-02-02", "", "Two.");
        let mut site = fixture::site(
            &root,
            &[("content/2026/02/a.md", &a), ("content/2026/02/b.md", &b)],
        );
        let built = site.build(&out, false).unwrap();
        assert!(built.files.written > 10);
        let home = mtime(out.join("index.html"));
        let other = mtime(out.join("2026/02/b/index.html"));
        let edited = save_a(&mut site, &root, "people: [Ann Lee]\n", "Changed.");
        let writer = Writer::default();
        let keep = BTreeSet::new();
        let files = site
            .write_reached(&out, &edited, &keep, &mut writer.take())
            .unwrap();
        assert_eq!((files.written, files.removed), (1, 0));
        let page = std::fs::read_to_string(out.join("2026/02/a/index.html")).unwrap();
        assert!(page.contains("Changed."));
        assert_eq!(mtime(out.join("index.html")), home);
        assert_eq!(mtime(out.join("2026/02/b/index.html")), other);
    }

    #[test]
    fn a_body_saved_again_during_the_write_keeps_its_page_without_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        let a = fixture::article("A", "2026-02-01", "", "One.");
        let mut site = fixture::site(&root, &[("content/2026/02/a.md", &a)]);
        site.build(&out, false).unwrap();
        let edited = save_a(&mut site, &root, "", "Two.");
        let again = fixture::article("A", "2026-02-01", "", "Three.");
        fixture::write(&root, "content/2026/02/a.md", &again);
        let writer = Writer::default();
        let files = site
            .write_reached(&out, &edited, &BTreeSet::new(), &mut writer.take())
            .unwrap();
        assert_eq!((files.written, files.removed), (0, 0));
        let page = std::fs::read_to_string(out.join("2026/02/a/index.html")).unwrap();
        assert!(page.contains("One."), "the last page written stays");
        let done = HashSet::new();
        let p = pass(&site, &out, false, &BTreeSet::new(), &done, &writer);
        assert!(p.incomplete(), "the pass waits for the edit to come");
    }

    #[test]
    fn a_stopped_pass_keeps_every_file_it_did_not_render_and_kept_pages_stay() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        let a = fixture::article("A", "2026-02-01", "", "One.");
        let mut site = fixture::site(&root, &[("content/2026/02/a.md", &a)]);
        site.build(&out, false).unwrap();
        let page = out.join("2026/02/a/index.html");
        save_a(&mut site, &root, "", "Changed.");
        let (writer, none, done) = (Writer::default(), BTreeSet::new(), HashSet::new());
        let p = pass(&site, &out, true, &none, &done, &writer);
        assert!(p.incomplete());
        let (files, checked) = p.commit().unwrap();
        assert_eq!((files.written, checked.len()), (0, 0));
        assert!(std::fs::read_to_string(&page).unwrap().contains("One."));
        assert!(out.join("search/index.json").is_file(), "the index is kept");
        let keep = BTreeSet::from(["/2026/02/a/".to_string()]);
        let p = pass(&site, &out, false, &keep, &done, &writer);
        assert!(!p.incomplete());
        p.commit().unwrap();
        assert!(
            std::fs::read_to_string(&page).unwrap().contains("One."),
            "kept"
        );
        let p = pass(&site, &out, false, &none, &done, &writer);
        let (files, checked) = p.commit().unwrap();
        assert_eq!(files.written, 1, "the one changed page");
        assert!(checked.contains(&"/2026/02/a/".to_string()));
        assert!(std::fs::read_to_string(&page).unwrap().contains("Changed."));
    }

    #[test]
    fn a_pass_skips_what_an_earlier_pass_checked_unless_its_file_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        let a = fixture::article("A", "2026-02-01", "", "One.");
        let mut site = fixture::site(&root, &[("content/2026/02/a.md", &a)]);
        site.build(&out, false).unwrap();
        save_a(&mut site, &root, "", "Changed.");
        let (writer, none) = (Writer::default(), BTreeSet::new());
        // As if a stopped pass had checked the article's page (in truth it is
        // stale, which shows that the pass did not render it again).
        let done = HashSet::from(["/2026/02/a/".to_string(), "/".to_string()]);
        let (files, checked) = pass(&site, &out, false, &none, &done, &writer)
            .commit()
            .unwrap();
        assert_eq!(files.written, 0);
        assert!(!checked.contains(&"/2026/02/a/".to_string()));
        assert!(checked.contains(&"/2026/".to_string()), "{checked:?}");
        std::fs::remove_file(out.join("2026/02/a/index.html")).unwrap();
        let (files, _) = pass(&site, &out, false, &none, &done, &writer)
            .commit()
            .unwrap();
        assert_eq!(files.written, 1, "a file gone is rendered again");
    }
}

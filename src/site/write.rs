//! Every pass that writes, and the only caller of `Output::open`: the
//! build ([`Site::build`]), the preview's narrow write of the pages an edit
//! reached ([`Site::write_reached`]), the background worker's pass over
//! every page ([`Site::render_pass`], committed by [`PagesPass::commit`]
//! once the caller let go of the site), the search files
//! ([`Site::search_pass`]) and the preview's article cache
//! ([`Site::write_cache`]). Each pass opens the output, has every file
//! rendered or copied, and commits, or aborts on the first error and
//! leaves the output as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::edit::{Edited, Reached};
use super::Site;
use crate::error::{Diagnostic, Error, Result};
use crate::load;
use crate::output::{self, Output, WriteStats};
use crate::progress::{self, Stage};
use crate::render::{Page, PageSink, SEARCH_DIR};
use crate::search;

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages rendered through templates.
    pub pages: usize,
    /// What happened on disk.
    pub files: WriteStats,
}

/// The worker's pass over every page, rendered and held by the output
/// until [`PagesPass::commit`] (called without the site's lock).
pub(crate) struct PagesPass {
    output: Output,
    stopped: bool,
}

impl PagesPass {
    /// True when the pass was stopped before its last page: what it
    /// rendered is written, and every other file kept as it was.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Writes what the pass rendered.
    pub(crate) fn commit(self) -> Result<WriteStats> {
        self.output.commit()
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
    pub(crate) fn write(self, out: &Path) -> Result<WriteStats> {
        let output = Output::open(out, &self.root, false)?;
        output.keep_previous();
        // Fewer articles may need fewer shards and chunks.
        output.forget_under(SEARCH_DIR);
        output.keep(SEARCH_DIR);
        let errors: Vec<Diagnostic> = self
            .files
            .iter()
            .filter_map(|(path, bytes)| output.write(path, bytes, 0).err())
            .collect();
        finish(output, errors)
    }
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

/// A sink that stops asking for pages once `stop` is set: the pages not
/// rendered yet are skipped (and kept as they were on disk).
struct Stoppable<'a> {
    inner: &'a dyn PageSink,
    stop: &'a AtomicBool,
}

impl PageSink for Stoppable<'_> {
    fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool {
        self.stop.load(Ordering::Relaxed) || self.inner.unchanged(site_path, fingerprint)
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
        let output = Output::open(out, &self.root, force)?;
        let renderer = self.renderer();
        let pages = renderer.pages();
        progress::start(self.progress.as_ref(), Stage::Rendering, pages.len());
        let sink = Counting {
            inner: &output,
            progress: self.progress.as_ref(),
        };
        // The index is built on one core while the pages render on the rest.
        let (mut errors, search) = rayon::join(
            || renderer.render_all(&pages, &sink),
            || self.search_files(),
        );
        for (path, bytes) in search {
            errors.extend(output.write(&path, &bytes, 0).err());
        }
        errors.extend(self.write_theme_and_copies(&output));
        if errors.is_empty() {
            progress::start(self.progress.as_ref(), Stage::Writing, 0);
        }
        let files = finish(output, errors)?;
        Ok(BuildReport {
            pages: pages.len(),
            files,
        })
    }

    /// Writes the theme's files and the files copied as they are.
    fn write_theme_and_copies(&self, output: &Output) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let copies = self.files_to_copy();
        for (path, text) in self.generated_files() {
            if !copies.contains_key(path) {
                errors.extend(output.write(&format!("/{path}"), text.as_bytes(), 0).err());
            }
        }
        for (rel, source) in &copies {
            let written = load::read_source(source)
                .and_then(|bytes| output.write(&format!("/{rel}"), &bytes, 0));
            errors.extend(written.err());
        }
        errors
    }

    /// Renders into `out` every file but the search index (the pages whose
    /// fingerprint changed, keeping the pages at `keep`, of broken
    /// articles, and the index as they are): the preview's background pass.
    /// When `stop` is set the rendering stops, and every file not rendered
    /// yet is kept as it was, so that each file is always wholly of one
    /// state. The pass is written by [`PagesPass::commit`].
    pub(crate) fn render_pass(
        &self,
        out: &Path,
        keep: &BTreeSet<String>,
        stop: &AtomicBool,
        force: bool,
    ) -> Result<PagesPass> {
        let output = Output::open(out, &self.root, force)?;
        let keeping = output::Keeping {
            output: &output,
            keep,
        };
        let sink = Stoppable {
            inner: &keeping,
            stop,
        };
        let renderer = self.renderer();
        let mut errors = renderer.render_all(&renderer.pages(), &sink);
        errors.extend(self.write_theme_and_copies(&output));
        output.keep_under(SEARCH_DIR);
        let stopped = stop.load(Ordering::Relaxed);
        if stopped {
            output.keep_previous();
        }
        if errors.is_empty() {
            Ok(PagesPass { output, stopped })
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
    ) -> Result<WriteStats> {
        let (check, removed) = match &edited.reach {
            Reached::Copies => (Vec::new(), None),
            Reached::Bodies(ids) => (ids.iter().copied().map(Page::Article).collect(), None),
            Reached::Pages { check, removed } => (check.clone(), Some(removed)),
            _ => unreachable!("only a narrow edit is written at once"),
        };
        let output = Output::open(out, &self.root, false)?;
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
        let mut errors = renderer.render_all(&check, &output);
        for (rel, file) in &edited.copies {
            let site_path = format!("/{rel}");
            output.forget(&site_path);
            if file.exists() {
                let written =
                    load::read_source(file).and_then(|bytes| output.write(&site_path, &bytes, 0));
                errors.extend(written.err());
            }
        }
        finish(output, errors)
    }

    /// The search files of this state of the site, or `None` once `stop`
    /// is set (an edit came: the index is asked again after it).
    pub(crate) fn search_pass(&self, stop: &AtomicBool) -> Option<SearchPass> {
        Some(SearchPass {
            root: self.root.clone(),
            files: self.search_files_until(stop)?,
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

    use super::super::{fixture, Changed};
    use super::*;
    use crate::load::LoadOptions;

    fn mtime(path: PathBuf) -> std::time::SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
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
        let edited_text = fixture::article("A", "2026-02-01", "people: [Ann Lee]\n", "Changed.");
        fixture::write(&root, "content/2026/02/a.md", &edited_text);
        let changed = Changed {
            articles: vec![root.join("content/2026/02/a.md")],
            ..Changed::default()
        };
        let edited = site
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        let files = site.write_reached(&out, &edited, &BTreeSet::new()).unwrap();
        assert_eq!((files.written, files.removed), (1, 0));
        let page = std::fs::read_to_string(out.join("2026/02/a/index.html")).unwrap();
        assert!(page.contains("Changed."));
        assert_eq!(mtime(out.join("index.html")), home);
        assert_eq!(mtime(out.join("2026/02/b/index.html")), other);
    }

    #[test]
    fn a_stopped_pass_keeps_every_file_it_did_not_render_and_kept_pages_stay() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        let a = fixture::article("A", "2026-02-01", "", "One.");
        let mut site = fixture::site(&root, &[("content/2026/02/a.md", &a)]);
        site.build(&out, false).unwrap();
        let page = out.join("2026/02/a/index.html");
        let text = fixture::article("A", "2026-02-01", "", "Changed.");
        fixture::write(&root, "content/2026/02/a.md", &text);
        let changed = Changed {
            articles: vec![root.join("content/2026/02/a.md")],
            ..Changed::default()
        };
        site.edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        let stop = AtomicBool::new(true);
        let pass = site
            .render_pass(&out, &BTreeSet::new(), &stop, false)
            .unwrap();
        assert!(pass.stopped());
        assert_eq!(pass.commit().unwrap().written, 0);
        assert!(std::fs::read_to_string(&page).unwrap().contains("One."));
        assert!(out.join("search/index.json").is_file(), "the index is kept");
        let go = AtomicBool::new(false);
        let keep = BTreeSet::from(["/2026/02/a/".to_string()]);
        let pass = site.render_pass(&out, &keep, &go, false).unwrap();
        assert!(!pass.stopped());
        pass.commit().unwrap();
        assert!(
            std::fs::read_to_string(&page).unwrap().contains("One."),
            "kept"
        );
        let pass = site
            .render_pass(&out, &BTreeSet::new(), &go, false)
            .unwrap();
        assert_eq!(pass.commit().unwrap().written, 1, "the one changed page");
        assert!(std::fs::read_to_string(&page).unwrap().contains("Changed."));
    }
}

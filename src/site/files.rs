//! What each output file is and where its bytes come from: a page of
//! `render`, a file of the default theme made here ([`GENERATED`]), a file
//! copied as it is, or the search files. The preview's server asks here
//! for one file at a time ([`Site::quick_source`], [`Site::produce`]), a
//! pass asks for all of them; either way the bytes are those a build writes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::Site;
use crate::error::Diagnostic;
use crate::images;
use crate::load;
use crate::markdown;
use crate::render::{file_of, Page, SEARCH_DIR};
use crate::search;

/// The theme's files that are not pages: its stylesheet, the code
/// highlighting stylesheet and its icon.
pub(crate) const GENERATED: [&str; 5] = [
    "theme.css",
    "syntax.css",
    "favicon.svg",
    "on-this-day.js",
    "world.svg",
];

/// Where the bytes of one output file come from, as
/// [`Site::file_sources`] lists them.
#[derive(Debug, Clone)]
pub(crate) enum FileSource {
    /// A page, rendered.
    Page(Page),
    /// A file of the default theme ([`GENERATED`], by position).
    Generated(usize),
    /// A file copied as it is, from this source.
    Copy(PathBuf),
    /// A copy of a photo, from the photo cache (made on first use).
    Photo(Box<PhotoCopy>),
}

/// One copy of an article's photo.
#[derive(Debug, Clone)]
pub(crate) struct PhotoCopy {
    /// The photo's file.
    file: PathBuf,
    /// The photo, as probed.
    probe: images::Probe,
    /// Which copy.
    copy: images::Copy,
}

impl PhotoCopy {
    /// Its fingerprint in the output's manifest (see [`images::copy_fingerprint`]).
    pub(crate) fn fingerprint(&self) -> u64 {
        images::copy_fingerprint(&self.probe, &self.copy)
    }

    /// Which copy of its photo it is (its file name in the photo cache).
    pub(crate) fn name(&self) -> &str {
        &self.copy.name
    }

    /// Makes the copies of `group` (copies of one photo) that the cache
    /// has not got, from one decoding of the photo; what the cache holds
    /// of the photo.
    pub(crate) fn make_missing(
        group: &[&PhotoCopy],
        settings: &images::Settings,
    ) -> Result<images::Cached, Diagnostic> {
        let Some(first) = group.first() else {
            return Ok(images::Cached::default());
        };
        let wanted: Vec<images::Copy> = group.iter().map(|c| c.copy.clone()).collect();
        images::make_missing(&first.file, &first.probe, &wanted, settings)
            .map_err(|m| Diagnostic::file(&first.file, m))
    }

    /// True when its photo was read only to its header (see
    /// [`Site::unfinished_photos`]): the copy is made when it is finished.
    pub(crate) fn is_unfinished(&self) -> bool {
        self.probe.is_partial()
    }

    /// The photo file it is a copy of.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// Its photo's key, which names its folder in the photo cache.
    pub(crate) fn key(&self) -> &str {
        &self.probe.key
    }
}

/// The file under the output that a request names, from the request's
/// path under the site (`rel`): `a/b`, or for a folder (`dir`, the request
/// ended with `/`, or the root) `a/b/index.html`.
pub(crate) fn file_for_request(rel: &Path, dir: bool) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if dir || joined.is_empty() {
        file_of(&format!("/{joined}/"))
    } else {
        joined
    }
}

/// True for a file (under the output) of the search index, which only a
/// pass writes: nothing renders it on request.
pub(crate) fn is_search_file(file: &str) -> bool {
    file.starts_with(SEARCH_DIR.trim_start_matches('/'))
}

impl Site {
    /// Every file of the site but the search index, by file path under the
    /// output (`a/b/index.html`), with where its bytes come from: what the
    /// preview serves from memory while the files are behind.
    pub(crate) fn file_sources(&self) -> HashMap<String, FileSource> {
        let renderer = self.renderer();
        let mut files: HashMap<String, FileSource> = renderer
            .pages()
            .into_iter()
            .map(|page| (file_of(&renderer.path(page)), FileSource::Page(page)))
            .collect();
        for (n, name) in GENERATED.iter().enumerate() {
            files.insert(name.to_string(), FileSource::Generated(n));
        }
        for (rel, source) in self.files_to_copy() {
            files.insert(rel, FileSource::Copy(source));
        }
        for (rel, copy) in self.photo_copies() {
            files.insert(rel, FileSource::Photo(Box::new(copy)));
        }
        files
    }

    /// Every copy of the articles' photos, by file path under the output
    /// (`photos/<key>/w800.jpg`).
    pub(crate) fn photo_copies(&self) -> BTreeMap<String, PhotoCopy> {
        let mut out = BTreeMap::new();
        for photo in self.photos() {
            let Some(probe) = &photo.probe else { continue };
            for copy in images::copies(probe, &self.config.images, photo.focus) {
                let rel = images::copy_path(probe, &copy)
                    .trim_start_matches('/')
                    .to_string();
                out.entry(rel).or_insert_with(|| PhotoCopy {
                    file: photo.file.clone(),
                    probe: probe.clone(),
                    copy,
                });
            }
        }
        out
    }

    /// Where the file `file` (under the output) comes from, when it is the
    /// home page or an article's page: found without listing every file
    /// (which takes half a second at 100k articles), for the first request
    /// and the open pages after an edit.
    pub(crate) fn quick_source(&self, file: &str) -> Option<FileSource> {
        if file == "index.html" {
            return Some(FileSource::Page(Page::Home(1)));
        }
        let site_path = format!("/{}", file.strip_suffix("index.html")?);
        let id = self
            .content
            .articles
            .iter()
            .position(|a| a.path == site_path)?;
        Some(FileSource::Page(Page::Article(id)))
    }

    /// The bytes of one file of [`Site::file_sources`], as a build writes them.
    pub(crate) fn produce(&self, source: &FileSource) -> Result<Vec<u8>, Diagnostic> {
        match source {
            FileSource::Page(page) => {
                let renderer = self.renderer();
                let prepared = renderer.prepare(*page);
                renderer.finish(prepared).map(String::into_bytes)
            }
            FileSource::Generated(n) => {
                let mut files = self.generated_files();
                Ok(std::mem::take(&mut files[*n].1).into_bytes())
            }
            FileSource::Copy(file) => load::read_source(file),
            FileSource::Photo(p) => {
                images::copy_bytes(&p.file, &p.probe, &p.copy, &self.config.images)
                    .map_err(|m| Diagnostic::file(&p.file, m))
            }
        }
    }

    /// The files of the default theme that are not pages, by site path
    /// without its `/` ([`GENERATED`]): a static file of the same path
    /// replaces one.
    pub(super) fn generated_files(&self) -> [(&'static str, String); 5] {
        let syntax = markdown::stylesheet(&self.config.highlight_theme);
        [
            (GENERATED[0], load::THEME_CSS.to_string()),
            (GENERATED[1], syntax),
            (GENERATED[2], load::FAVICON_SVG.to_string()),
            (GENERATED[3], load::ON_THIS_DAY_JS.to_string()),
            (GENERATED[4], crate::render::world_svg()),
        ]
    }

    /// The originals (site path without its `/`, and file) of the photos
    /// the site shows only through their copies.
    pub(crate) fn hidden_originals(&self) -> std::collections::BTreeSet<(String, PathBuf)> {
        self.photos()
            .filter(|p| {
                p.probe
                    .as_ref()
                    .is_some_and(|probe| !images::publishes_original(probe, &self.config.images))
            })
            .map(|p| {
                (
                    p.site_path.trim_start_matches('/').to_string(),
                    p.file.clone(),
                )
            })
            .collect()
    }

    /// True when the file at `rel` (a site path without its `/`) is the
    /// original of a photo the site shows only through its copies.
    pub(crate) fn is_unpublished_original(&self, rel: &str) -> bool {
        self.photos().any(|p| {
            p.site_path.trim_start_matches('/') == rel
                && p.probe
                    .as_ref()
                    .is_some_and(|probe| !images::publishes_original(probe, &self.config.images))
        })
    }

    /// Files copied as they are (site path without its `/` -> source file):
    /// static/ and content/'s other files, but for the originals of photos
    /// the site shows through their copies (see `[images] originals`).
    pub(crate) fn files_to_copy(&self) -> HashMap<String, PathBuf> {
        let mut files = load::files_to_copy(&self.root, &self.content.assets);
        for photo in self.photos() {
            let Some(probe) = &photo.probe else { continue };
            if !images::publishes_original(probe, &self.config.images) {
                files.remove(photo.site_path.trim_start_matches('/'));
            }
        }
        files
    }

    /// The search index and client (none when `[search] enabled = false`);
    /// `alone` when nothing else runs meanwhile (it may take every core).
    pub(super) fn search_files(&self, alone: bool) -> search::Files {
        let never = AtomicBool::new(false);
        self.search_files_until(&never, alone)
            .expect("never stopped")
    }

    /// [`Site::search_files`], or `None` once `stop` is set: the preview's
    /// next edit does not wait for the index.
    pub(super) fn search_files_until(
        &self,
        stop: &AtomicBool,
        alone: bool,
    ) -> Option<search::Files> {
        self.search_with(stop, alone)
    }

    fn search_with(&self, stop: &AtomicBool, alone: bool) -> Option<search::Files> {
        if !self.config.search {
            return Some(Vec::new());
        }
        let runs = search::Runs::IN_MEMORY;
        self.search_sources(alone, runs, |src| search::files_until(src, stop))
    }

    /// Gives the search files to `sink` as they are made (none when
    /// `[search] enabled = false`), on every core, the word pairs set
    /// aside in `scratch` as they are gathered (`gazette build`); an error
    /// when they could not be read back.
    pub(super) fn search_into(
        &self,
        scratch: &Path,
        sink: &mut search::FileSink,
    ) -> Result<(), Diagnostic> {
        if !self.config.search {
            return Ok(());
        }
        let never = AtomicBool::new(false);
        let runs = search::Runs::in_folder(scratch);
        let indexed = self.search_sources(true, runs, |src| search::files_into(src, &never, sink));
        indexed.map(|_| ()).map_err(|e| {
            let why = format!("cannot read back the search index's word pairs set aside here: {e}");
            Diagnostic::file(scratch, why)
        })
    }

    /// Calls `index` with what the search index is made from.
    fn search_sources<R>(
        &self,
        alone: bool,
        runs: search::Runs,
        index: impl FnOnce(&search::Sources) -> R,
    ) -> R {
        // Loaded without the bodies' words, the index reads each body's as
        // it indexes it.
        let read: &search::ReadWords = &|a| load::body_words_of_file(&a.file);
        index(&search::Sources {
            articles: &self.content.articles,
            index: &self.index,
            entities: &self.entities,
            language: &self.config.language,
            alone,
            read_words: self.words_pending.then_some(read),
            runs,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::LoadOptions;

    use super::super::fixture;
    use super::*;

    #[test]
    fn a_request_names_a_file_under_the_output() {
        assert_eq!(file_for_request(Path::new(""), false), "index.html");
        assert_eq!(
            file_for_request(Path::new("people/ann"), true),
            "people/ann/index.html"
        );
        assert_eq!(file_for_request(Path::new("atom.xml"), false), "atom.xml");
        assert!(is_search_file("search/words/0.bin"));
        assert!(!is_search_file("searching/index.html"));
    }

    #[test]
    fn every_file_has_a_source_and_the_quick_one_agrees() {
        let dir = tempfile::tempdir().unwrap();
        let a = fixture::article("A", "2026-02-01", "people: [Ann Lee]\n", "Text.");
        let site = fixture::site(dir.path(), &[("content/2026/02/a.md", &a)]);
        let files = site.file_sources();
        for file in [
            "index.html",
            "2026/02/a/index.html",
            "people/ann-lee/index.html",
        ] {
            assert!(
                matches!(files.get(file), Some(FileSource::Page(_))),
                "{file}"
            );
        }
        assert!(matches!(
            files.get("theme.css"),
            Some(FileSource::Generated(0))
        ));
        assert!(matches!(
            files.get("search/index.html"),
            Some(FileSource::Page(_))
        ));
        assert!(
            !files.contains_key("search/index.json"),
            "the index is a pass's"
        );
        let quick = site.quick_source("2026/02/a/index.html");
        assert!(matches!(quick, Some(FileSource::Page(Page::Article(0)))));
        assert!(site.quick_source("people/ann-lee/index.html").is_none());
        let page = site.produce(&quick.unwrap()).unwrap();
        assert!(String::from_utf8(page).unwrap().contains("Text."));
    }

    /// Every file under `dir`, by path, with its bytes.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn a_build_once_reads_words_as_it_indexes_sets_pairs_and_cards_aside_and_writes_the_same_site()
    {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let a = fixture::article(
            "A",
            "2026-02-01",
            "people: [Ann Lee]\n",
            "Talks *ended* late.",
        );
        let b = fixture::article(
            "B",
            "2026-02-02",
            "",
            "Two ministers. Talks ended.\n\n- a list",
        );
        let site = fixture::site(
            &root,
            &[("content/2026/02/a.md", &a), ("content/2026/02/b.md", &b)],
        );
        site.build(&dir.path().join("kept"), false).unwrap();
        let once = Site::load_for_build(&root, &LoadOptions::default()).unwrap();
        assert!(once.words_pending(), "loaded without the words");
        once.build_once(&dir.path().join("once"), false).unwrap();
        let (kept, once) = (
            tree(&dir.path().join("kept")),
            tree(&dir.path().join("once")),
        );
        assert!(kept.keys().any(|k| k.starts_with("search/pairs/")));
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            once.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &kept {
            assert!(once[path] == *bytes, "{path} differs");
        }
        // What was set aside went with the build: no file is left beside.
        let mut beside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        beside.sort();
        assert_eq!(beside, ["kept", "once", "site"]);
    }
}

//! A loaded site, where the stages meet: [`Site::load`] runs `load` and
//! builds `model`'s index and the cards, [`Site::build`] renders every page
//! into `output`. The site's parts are private to the crate, and the
//! invariants between them (one card per article, in the same order; the
//! index built from the current articles) are kept by the methods here:
//! `live/` changes a site only through them.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Article, ArticleId, Asset, Config, Content, LoadOptions, TemplateSet};
use crate::markdown;
use crate::model::{Entities, Index};
use crate::output::{self, Output, WriteStats};
use crate::progress::{self, Progress, Stage};
use crate::render::{changes_every_page, file_of, Cards, Page, PageSink, Renderer};
use crate::search;

/// A loaded site: configuration, articles, indexes and compiled templates.
pub struct Site {
    /// The site's folder (holding site.toml).
    pub(crate) root: PathBuf,
    /// site.toml.
    pub(crate) config: Config,
    /// The articles and assets under content/.
    pub(crate) content: Content,
    /// The country registry and people directory (with data/ files).
    pub(crate) entities: Entities,
    /// Who, where, what and when.
    pub(crate) index: Index,
    /// Each article as lists show it (by article id), rendered on first use.
    cards: Cards,
    /// The compiled templates and their hashes.
    templates: TemplateSet,
    /// Counters for a progress bar, when the caller asked for them.
    progress: Option<Progress>,
    /// Loaded without the bodies' words ([`Site::load_for_preview`]):
    /// the search index waits for [`Site::set_words`].
    words_pending: bool,
}

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
}

/// A sink that counts the pages it is asked about (every page is asked
/// once whether it is unchanged) for the progress bar.
struct Counting<'a> {
    inner: &'a dyn PageSink,
    progress: Option<&'a Progress>,
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

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages rendered through templates.
    pub pages: usize,
    /// What happened on disk.
    pub files: WriteStats,
}

/// The theme's files that are not pages: its stylesheet, the code
/// highlighting stylesheet and its icon.
pub(crate) const GENERATED: [&str; 3] = ["theme.css", "syntax.css", "favicon.svg"];

/// Sorts errors by file and position, each said once (a card whose
/// template fails fails every page that shows it, with the same error).
fn sort_errors(errors: &mut Vec<Diagnostic>) {
    errors.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.path.clone(), d.line, d.column, d.message.clone());
        key(a).cmp(&key(b))
    });
    errors.dedup();
}

/// Puts the search index `files` into `output` in place of the previous
/// one, keeping every other file (the preview writes it after the pages).
pub(crate) fn stage_search(output: &Output, files: search::Files) -> Result<()> {
    output.keep_previous();
    // Fewer articles may need fewer shards and chunks.
    output.forget_under(search::SEARCH_DIR);
    output.keep(search::SEARCH_DIR);
    let errors: Vec<Diagnostic> = files
        .iter()
        .filter_map(|(path, bytes)| output.write(path, bytes, 0).err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

/// One article file's edit, as read again: its path under content/ and
/// the article it now holds (`None`: deleted, or a hidden draft).
pub(crate) type Edit = (String, Option<Article>);

impl Site {
    /// Loads the site in `root`, reporting every error found in the
    /// configuration, the articles and the templates together.
    pub fn load(root: &Path, options: &LoadOptions) -> Result<Site> {
        let progress = options.progress.clone();
        Site::from_inputs(root, load::read_inputs(root, options)?, progress)
    }

    /// Loads what loads of the site in `root`: the articles that fail are
    /// left out, and their errors returned beside the site (which is there
    /// whenever site.toml and the templates loaded), so that `check`
    /// reviews the rest of the archive in the same run.
    pub(crate) fn load_what_loads(
        root: &Path,
        options: &LoadOptions,
    ) -> Result<(Option<Site>, Vec<Diagnostic>)> {
        let (inputs, errors) = load::read_what_loads(root, options)?;
        let progress = options.progress.clone();
        let site = inputs
            .map(|i| Site::from_inputs(root, i, progress))
            .transpose()?;
        Ok((site, errors))
    }

    /// Loads the site in `root` for the preview: without the bodies' words
    /// for search, which are most of a load's time (the preview serves
    /// pages from memory first, and reads the words in the background,
    /// [`Site::wanted_words`], [`Site::set_words`], before its index), and
    /// taking the articles kept in `cache` ([`Site::write_cache`]) whose
    /// files did not change.
    pub(crate) fn load_for_preview(
        root: &Path,
        options: &LoadOptions,
        cache: &Path,
    ) -> Result<Site> {
        let inputs = load::read_inputs_for_preview(root, options, cache)?;
        let mut site = Site::from_inputs(root, inputs, options.progress.clone())?;
        site.words_pending = site.config.search;
        Ok(site)
    }

    fn from_inputs(root: &Path, inputs: load::Inputs, progress: Option<Progress>) -> Result<Site> {
        let index = Index::build(&inputs.content.articles, &inputs.entities);
        let cards = Cards::unrendered(inputs.content.articles.len());
        Ok(Site {
            root: root.to_path_buf(),
            config: inputs.config,
            content: inputs.content,
            entities: inputs.entities,
            index,
            cards,
            templates: inputs.templates,
            progress,
            words_pending: false,
        })
    }

    /// How many articles the site has (drafts only when loaded with them).
    pub fn article_count(&self) -> usize {
        self.content.articles.len()
    }

    /// Non-fatal findings of the load (a symlink loop skipped...), to show
    /// the user.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.content.warnings
    }

    /// The output directory named by site.toml, resolved against the root.
    pub fn default_output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output_dir)
    }

    /// Renders the whole site into `out`. Nothing in `out` changes unless
    /// every page rendered; unchanged files keep their mtime.
    pub fn build(&self, out: &Path, force: bool) -> Result<BuildReport> {
        self.build_keeping(out, force, &BTreeSet::new())
    }

    /// Like [`Site::build`], but the pages at `keep` (site paths) are left
    /// as the previous build wrote them: the preview server keeps the last
    /// good page of an article whose file is currently broken.
    pub(crate) fn build_keeping(
        &self,
        out: &Path,
        force: bool,
        keep: &BTreeSet<String>,
    ) -> Result<BuildReport> {
        let output = Output::open(out, &self.root, force)?;
        let sink = output::Keeping {
            output: &output,
            keep,
        };
        match self.write_all(&output, &sink) {
            Ok(pages) => {
                progress::start(self.progress.as_ref(), Stage::Writing, 0);
                let files = output.commit()?;
                Ok(BuildReport { pages, files })
            }
            Err(errors) => {
                output.abort();
                Err(Error::Input(errors))
            }
        }
    }

    /// A renderer over this site's current state.
    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer::new(
            &self.config,
            &self.content.articles,
            &self.index,
            &self.entities,
            &self.templates.tera,
            &self.templates.hashes,
            &self.cards,
        )
        .at(load::build_clock())
    }

    fn write_all(&self, output: &Output, sink: &dyn PageSink) -> Result<usize, Vec<Diagnostic>> {
        let renderer = self.renderer();
        let pages = renderer.pages();
        progress::start(self.progress.as_ref(), Stage::Rendering, pages.len());
        let sink = Counting {
            inner: sink,
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
        errors.extend(self.write_theme_and_copies(output));
        if errors.is_empty() {
            Ok(pages.len())
        } else {
            sort_errors(&mut errors);
            Err(errors)
        }
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

    /// Renders into `output` every file but the search index (the pages
    /// whose fingerprint changed, keeping the pages at `keep` and the
    /// index as they are), for the preview's background work. When `stop`
    /// is set the rendering stops: every other file is kept as it was, so
    /// that each file is always wholly of one state. Returns whether it
    /// was stopped before the end.
    pub(crate) fn write_pages(
        &self,
        output: &Output,
        keep: &BTreeSet<String>,
        stop: &AtomicBool,
    ) -> Result<bool, Vec<Diagnostic>> {
        let keeping = output::Keeping { output, keep };
        let sink = Stoppable {
            inner: &keeping,
            stop,
        };
        let renderer = self.renderer();
        let mut errors = renderer.render_all(&renderer.pages(), &sink);
        errors.extend(self.write_theme_and_copies(output));
        output.keep_under(search::SEARCH_DIR);
        let stopped = stop.load(Ordering::Relaxed);
        if stopped {
            output.keep_previous();
        }
        if errors.is_empty() {
            Ok(stopped)
        } else {
            sort_errors(&mut errors);
            Err(errors)
        }
    }

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
        files
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
        }
    }

    /// The article files whose bodies' words the search index needs (with
    /// their body hashes), while [`Site::words_pending`].
    pub(crate) fn wanted_words(&self) -> Vec<(PathBuf, u64)> {
        let articles = self.content.articles.iter();
        articles.map(|a| (a.file.clone(), a.body_hash)).collect()
    }

    /// Keeps this site's articles in `cache` for the next preview's start
    /// (a site loaded by [`Site::load_for_preview`]).
    pub(crate) fn write_cache(&self, cache: &Path) -> std::io::Result<()> {
        load::write_cache(cache, &self.content)
    }

    /// True while the bodies' words are missing ([`Site::load_for_preview`]).
    pub(crate) fn words_pending(&self) -> bool {
        self.words_pending
    }

    /// Puts in the words read for [`Site::wanted_words`]: each article
    /// whose file and body hash are those read takes them (one edited
    /// since was read again with its own).
    pub(crate) fn set_words(&mut self, files: Vec<(PathBuf, u64)>, words: Vec<Option<String>>) {
        let mut read: HashMap<PathBuf, (u64, String)> = files
            .into_iter()
            .zip(words)
            .filter_map(|((file, hash), words)| Some((file, (hash, words?))))
            .collect();
        for article in &mut self.content.articles {
            match read.remove(&article.file) {
                Some((hash, words)) if hash == article.body_hash => article.words = words,
                _ => {}
            }
        }
        self.words_pending = false;
    }

    /// The files of the default theme that are not pages, by site path
    /// without its `/` ([`GENERATED`]): a static file of the same path
    /// replaces one.
    fn generated_files(&self) -> [(&'static str, String); 3] {
        let syntax = markdown::stylesheet(&self.config.highlight_theme);
        [
            (GENERATED[0], load::THEME_CSS.to_string()),
            (GENERATED[1], syntax),
            (GENERATED[2], load::FAVICON_SVG.to_string()),
        ]
    }

    /// The search index and client (none when `[search] enabled = false`).
    pub(crate) fn search_files(&self) -> search::Files {
        let never = AtomicBool::new(false);
        self.search_files_until(&never).expect("never stopped")
    }

    /// [`Site::search_files`], or `None` once `stop` is set: the preview's
    /// next edit does not wait for the index.
    pub(crate) fn search_files_until(&self, stop: &AtomicBool) -> Option<search::Files> {
        debug_assert!(!self.words_pending, "the index needs the bodies' words");
        if !self.config.search {
            return Some(Vec::new());
        }
        let sources = search::Sources {
            articles: &self.content.articles,
            index: &self.index,
            entities: &self.entities,
        };
        search::files_until(&sources, stop)
    }

    /// Files copied as they are (site path without its `/` -> source file).
    pub(crate) fn files_to_copy(&self) -> HashMap<String, PathBuf> {
        load::files_to_copy(&self.root, &self.content.assets)
    }

    /// Reads the templates again (after an edit under templates/), and the
    /// cards with them; on error the site is left as it was.
    pub(crate) fn reload_templates(&mut self) -> Result<()> {
        let templates = TemplateSet::load(&self.root.join("templates"))?;
        // The hash covers what card.html includes and extends: an edit of
        // another template leaves every card as it is.
        let card_hash = |t: &TemplateSet| t.hashes.get("card.html").copied();
        if card_hash(&templates) != card_hash(&self.templates) {
            self.cards = Cards::unrendered(self.content.articles.len());
        }
        self.templates = templates;
        Ok(())
    }

    /// Reads data/ again (after an edit of people.yaml or countries.yaml)
    /// and rebuilds the index and the cards of the articles in memory,
    /// which do not depend on it: nothing under content/ is read. On error
    /// the site is left as it was.
    pub(crate) fn reload_entities(&mut self) -> Result<()> {
        let entities = load::load_entities(&self.root).map_err(Error::Input)?;
        let index = Index::build(&self.content.articles, &entities);
        self.entities = entities;
        self.index = index;
        self.cards = Cards::unrendered(self.content.articles.len());
        Ok(())
    }

    /// The article with this path under content/.
    pub(crate) fn find_article(&self, rel: &str) -> Option<ArticleId> {
        self.content.articles.iter().position(|a| a.rel == rel)
    }

    /// Replaces articles whose edits changed only their bodies: cards and
    /// indexes hold metadata only, which is the same.
    pub(crate) fn replace_bodies(&mut self, edits: Vec<(ArticleId, Article)>) {
        for (id, article) in edits {
            debug_assert_eq!(self.content.articles[id].rel, article.rel);
            self.content.articles[id] = article;
        }
    }

    /// Two articles that would share a page once `edits` are in (only an
    /// edited article can cause that).
    pub(crate) fn duplicates_after(&self, edits: &[Edit]) -> Vec<Diagnostic> {
        let edited: BTreeSet<&str> = edits.iter().map(|(rel, _)| rel.as_str()).collect();
        let kept = self
            .content
            .articles
            .iter()
            .filter(|a| !edited.contains(a.rel.as_str()));
        let new = edits.iter().filter_map(|(_, a)| a.as_ref());
        load::duplicate_pages(kept.chain(new))
    }

    /// Puts edited articles in place (replaced, added or removed) with the
    /// index of the result; returns true when the edit changed what every
    /// page shows (`render::changes_every_page`). The cards of the edited
    /// articles are rendered again on their next use; when an edit renames
    /// a term or moves a slug (which cards show), every card is.
    pub(crate) fn apply_edits(&mut self, mut edits: Vec<Edit>) -> Result<bool, Diagnostic> {
        edits.sort_by(|a, b| a.0.cmp(&b.0));
        let ids: Vec<Option<ArticleId>> = edits
            .iter()
            .map(|(rel, _)| self.find_article(rel))
            .collect();
        let index = self.index_after(&edits, &ids);
        let every_page = changes_every_page(&self.index, &index);
        let mut gone = vec![false; self.content.articles.len()];
        let mut edited = BTreeSet::new();
        for ((rel, new), id) in edits.into_iter().zip(ids) {
            match (id, new) {
                (Some(id), Some(article)) => {
                    self.content.articles[id] = article;
                    edited.insert(rel);
                }
                (Some(id), None) => gone[id] = true,
                (None, Some(article)) => {
                    self.content.articles.push(article);
                    self.cards.push();
                    gone.push(false);
                    edited.insert(rel);
                }
                (None, None) => {}
            }
        }
        let mut keep = gone.iter().map(|g| !g);
        self.content
            .articles
            .retain(|_| keep.next().unwrap_or(true));
        let mut keep = gone.iter().map(|g| !g);
        self.cards.retain(|| keep.next().unwrap_or(true));
        if every_page {
            self.cards = Cards::unrendered(self.content.articles.len());
        } else {
            for (id, article) in self.content.articles.iter().enumerate() {
                if edited.contains(&article.rel) {
                    self.cards.forget(id);
                }
            }
        }
        self.index = index;
        Ok(every_page)
    }

    /// The index of the articles as `edits` (with their current `ids`)
    /// would leave them, without changing anything.
    fn index_after(&self, edits: &[Edit], ids: &[Option<ArticleId>]) -> Index {
        let mut slots: Vec<Option<&Article>> = self.content.articles.iter().map(Some).collect();
        let mut added = Vec::new();
        for ((_, new), id) in edits.iter().zip(ids) {
            match id {
                Some(id) => slots[*id] = new.as_ref(),
                None => added.extend(new.as_ref()),
            }
        }
        let after: Vec<&Article> = slots.into_iter().flatten().chain(added).collect();
        Index::build(&after, &self.entities)
    }

    /// Takes in a file under content/ that is not an article: an asset
    /// that appeared (`true`: the site did not know it) or is gone.
    pub(crate) fn note_asset(&mut self, rel: &str, file: &Path, exists: bool) -> bool {
        let known = self.content.assets.iter().position(|a| a.rel == rel);
        match (known, exists) {
            (None, true) => {
                self.content.assets.push(Asset {
                    file: file.to_path_buf(),
                    rel: rel.to_string(),
                });
                true
            }
            (Some(i), false) => {
                self.content.assets.remove(i);
                true
            }
            (Some(_), true) => true,
            (None, false) => false,
        }
    }

    /// True when some article or asset lies under `path` (a folder that
    /// was removed).
    pub(crate) fn has_files_under(&self, path: &Path) -> bool {
        let articles = self.content.articles.iter().map(|a| &a.file);
        let assets = self.content.assets.iter().map(|a| &a.file);
        articles.chain(assets).any(|f| f.starts_with(path))
    }

    /// The page of the article read from `file`, if the site has one.
    pub(crate) fn page_of_file(&self, file: &Path) -> Option<&str> {
        let article = self.content.articles.iter().find(|a| a.file == file)?;
        Some(&article.path)
    }
}

//! A loaded site, where the stages meet: [`Site::load`] runs `load` and
//! builds `model`'s index, [`Site::build`] renders every page into the
//! output. The site's parts are private to this folder, and the invariants
//! between them (one card per article, in the same order; the index built
//! from the current articles) are kept by its methods, one file a job:
//!
//! - this file: the [`Site`] value, its loads and what others may read of it;
//! - `edit.rs`: every change to a loaded site (articles, assets, templates,
//!   data/, the bodies' words) and the pages each change reaches;
//! - `files.rs`: what each output file is and where its bytes come from
//!   (pages, the theme's generated files, copies, the search files);
//! - `write.rs`: every pass that writes (the build, the preview's narrow
//!   write, the worker's pass, the search files, the preview's article
//!   cache); the only code that opens the output for writing.
//!
//! `live/` decides when and on which thread; it asks this stage what.

mod edit;
mod files;
mod write;

use std::path::{Path, PathBuf};

pub(crate) use edit::{Changed, Edited, Reached};
pub(crate) use files::{file_for_request, is_search_file, FileSource, GENERATED};
pub use write::BuildReport;
pub(crate) use write::{fold_manifest, PassOptions, Writer, Writing};

use crate::error::{Diagnostic, Result};
use crate::load::{self, Article, Config, Content, LoadOptions, TemplateSet};
use crate::model::{Entities, Index};
use crate::progress::Progress;
use crate::render::{Cards, Renderer};

/// A loaded site: configuration, articles, indexes and compiled templates.
pub struct Site {
    /// The site's folder (holding site.toml).
    root: PathBuf,
    /// site.toml.
    config: Config,
    /// The articles and assets under content/.
    content: Content,
    /// The country registry and people directory (with data/ files).
    entities: Entities,
    /// Who, where, what and when.
    index: Index,
    /// Each article as lists show it (by article id), rendered on first use.
    cards: Cards,
    /// The compiled templates and their hashes.
    templates: TemplateSet,
    /// Counters for a progress bar, when the caller asked for them.
    progress: Option<Progress>,
    /// Loaded without the bodies' words ([`Site::load_for_preview`]):
    /// the search index waits for [`Site::set_words`].
    words_pending: bool,
    /// Builds write `.gz` and `.br` siblings of text files
    /// ([`Site::set_precompress`]).
    precompress: bool,
}

/// Photos that a preview's start probed only as far as their headers: the
/// pages show them without the colour that fills their box until they
/// load, and their copies are not written. [`UnfinishedPhotos::finish`]
/// decodes each once into the photo cache (its probe and its copies),
/// without the site; taking the files in as edited then reads the whole
/// probes into the articles that show them and links their copies.
pub(crate) struct UnfinishedPhotos {
    files: Vec<(PathBuf, Option<crate::images::Focus>)>,
    settings: crate::images::Settings,
}

impl UnfinishedPhotos {
    /// True when every photo is whole.
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Probes each photo whole and makes its copies (in parallel); the
    /// files, to be taken in.
    pub(crate) fn finish(self) -> Vec<PathBuf> {
        load::finish_photos(&self.files, &self.settings);
        self.files.into_iter().map(|(file, _)| file).collect()
    }
}

impl Site {
    /// Loads the site in `root`, reporting every error found in the
    /// configuration, the articles and the templates together.
    pub fn load(root: &Path, options: &LoadOptions) -> Result<Site> {
        let progress = options.progress.clone();
        Site::from_inputs(root, load::read_inputs(root, options)?, progress)
    }

    /// Loads the site in `root` to build it once ([`Site::build_once`]):
    /// without the bodies' words for search, which the index reads from
    /// each file as it indexes it, so that they are never all in memory (at
    /// 100,000 articles they were a third of the loaded site).
    pub fn load_for_build(root: &Path, options: &LoadOptions) -> Result<Site> {
        let progress = options.progress.clone();
        let inputs = load::read_inputs_without_words(root, options)?;
        let mut site = Site::from_inputs(root, inputs, progress)?;
        site.words_pending = site.config.search;
        Ok(site)
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
            precompress: false,
        })
    }

    /// The photos the preview's start probed only as far as their headers
    /// (see [`UnfinishedPhotos`]).
    pub(crate) fn unfinished_photos(&self) -> UnfinishedPhotos {
        UnfinishedPhotos {
            files: load::unfinished_photos(self.photos()),
            settings: self.config.images.clone(),
        }
    }

    /// Every photo the site shows: the articles' (lead and body) and the
    /// people's portraits.
    fn photos(&self) -> impl Iterator<Item = &load::Photo> {
        let articles = self.content.articles.iter();
        let portraits = self.entities.people.entries().iter();
        articles
            .flat_map(|a| a.image.as_deref().into_iter().chain(&a.body_images))
            .chain(portraits.filter_map(|p| p.image.as_ref()))
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

    /// Makes [`Site::build`] and [`Site::build_once`] write a `.gz` and a
    /// `.br` sibling beside every text file (`gazette build --precompress`),
    /// for servers that serve them; without it, a build removes the
    /// siblings of the files it writes.
    pub fn set_precompress(&mut self, on: bool) {
        self.precompress = on;
    }

    /// The site's folder (holding site.toml).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// site.toml.
    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// The articles, by article id.
    pub(crate) fn articles(&self) -> &[Article] {
        &self.content.articles
    }

    /// The indexes of people, countries, tags, years and months.
    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// The country registry and the people directory.
    pub(crate) fn entities(&self) -> &Entities {
        &self.entities
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
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small site on disk for the unit tests of site/ and live/.

    use std::path::Path;

    use super::Site;
    use crate::load::LoadOptions;

    /// An article file's text: front matter with `title`, `date`, a
    /// summary (so that a body edit leaves the metadata as it is) and any
    /// `extra` YAML lines (each ending in `\n`), then `body`.
    pub(crate) fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
        format!(
            "---\ntitle: \"{title}\"\ndate: {date}\nsummary: About {title}.\n{extra}---\n{body}\n"
        )
    }

    /// Writes `files` (path under the site's folder, text) into `dir`, with
    /// a site.toml, and loads the site.
    pub(crate) fn site(dir: &Path, files: &[(&str, &str)]) -> Site {
        let toml = "title = \"Test\"\nbase_url = \"https://example.org/\"\nper_page = 2\n";
        write(dir, "site.toml", toml);
        for (path, text) in files {
            write(dir, path, text);
        }
        Site::load(dir, &LoadOptions::default()).expect("the fixture loads")
    }

    /// Writes one file under `dir`, making its folders.
    pub(crate) fn write(dir: &Path, path: &str, text: &str) {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a file has a folder")).unwrap();
        std::fs::write(file, text).unwrap();
    }
}

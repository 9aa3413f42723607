//! A loaded site, where the stages meet: [`Site::load`] runs `load` and
//! builds `model`'s index and the cards, [`Site::build`] renders every page
//! into `output`. The site's parts are private to the crate, and the
//! invariants between them (one card per article, in the same order; the
//! index built from the current articles) are kept by the methods here:
//! `live/` changes a site only through them.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Article, ArticleId, Asset, Config, Content, LoadOptions, TemplateSet};
use crate::markdown;
use crate::model::{Entities, Index};
use crate::output::{self, Output, WriteStats};
use crate::progress::{self, Progress, Stage};
use crate::render::{changes_every_page, Card, PageSink, Renderer};
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
    /// Each article as lists show it (by article id).
    cards: Vec<Card>,
    /// The compiled templates and their hashes.
    templates: TemplateSet,
    /// Counters for a progress bar, when the caller asked for them.
    progress: Option<Progress>,
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

/// What an edit would leave: the index, the cards to replace (by article
/// id in that index), and whether every page changes.
type After = (Index, Vec<(ArticleId, Card)>, bool);

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

    fn from_inputs(root: &Path, inputs: load::Inputs, progress: Option<Progress>) -> Result<Site> {
        let index = Index::build(&inputs.content.articles, &inputs.entities);
        let cards = Card::all(
            &inputs.config,
            &inputs.content.articles,
            &index,
            &inputs.templates.tera,
        )
        .map_err(Error::one)?;
        Ok(Site {
            root: root.to_path_buf(),
            config: inputs.config,
            content: inputs.content,
            entities: inputs.entities,
            index,
            cards,
            templates: inputs.templates,
            progress,
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
        if errors.is_empty() {
            Ok(pages.len())
        } else {
            errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            Err(errors)
        }
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
        if !self.config.search {
            return Vec::new();
        }
        search::files(&search::Sources {
            articles: &self.content.articles,
            index: &self.index,
            entities: &self.entities,
        })
    }

    /// Files copied as they are (site path without its `/` -> source file).
    pub(crate) fn files_to_copy(&self) -> HashMap<String, PathBuf> {
        load::files_to_copy(&self.root, &self.content.assets)
    }

    /// Reads the templates again (after an edit under templates/), and the
    /// cards with them; on error the site is left as it was.
    pub(crate) fn reload_templates(&mut self) -> Result<()> {
        let templates = TemplateSet::load(&self.root.join("templates"))?;
        let cards = Card::all(
            &self.config,
            &self.content.articles,
            &self.index,
            &templates.tera,
        )
        .map_err(Error::one)?;
        self.templates = templates;
        self.cards = cards;
        Ok(())
    }

    /// Reads data/ again (after an edit of people.yaml or countries.yaml)
    /// and rebuilds the index and the cards of the articles in memory,
    /// which do not depend on it: nothing under content/ is read. On error
    /// the site is left as it was.
    pub(crate) fn reload_entities(&mut self) -> Result<()> {
        let entities = load::load_entities(&self.root).map_err(Error::Input)?;
        let index = Index::build(&self.content.articles, &entities);
        let cards = Card::all(
            &self.config,
            &self.content.articles,
            &index,
            &self.templates.tera,
        )
        .map_err(Error::one)?;
        self.entities = entities;
        self.index = index;
        self.cards = cards;
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

    /// Puts edited articles in place (replaced, added or removed, their
    /// cards with them) with the index of the result; returns true when the
    /// edit changed what every page shows (`render::changes_every_page`). The new index and cards are made before anything changes,
    /// so a card that fails to render changes nothing. A card shows its
    /// people's and countries' names and links: when an edit renames a term
    /// or moves a slug, every card is made again.
    pub(crate) fn apply_edits(&mut self, mut edits: Vec<Edit>) -> Result<bool, Diagnostic> {
        edits.sort_by(|a, b| a.0.cmp(&b.0));
        let ids: Vec<Option<ArticleId>> = edits
            .iter()
            .map(|(rel, _)| self.find_article(rel))
            .collect();
        let (index, cards, every_page) = self.index_and_cards_after(&edits, &ids)?;
        let mut gone = vec![false; self.content.articles.len()];
        for ((_, new), id) in edits.into_iter().zip(ids) {
            match (id, new) {
                (Some(id), Some(article)) => self.content.articles[id] = article,
                (Some(id), None) => gone[id] = true,
                (None, Some(article)) => {
                    self.content.articles.push(article);
                    self.cards.push(Card::default());
                    gone.push(false);
                }
                (None, None) => {}
            }
        }
        let mut keep = gone.iter().map(|g| !g);
        self.content
            .articles
            .retain(|_| keep.next().unwrap_or(true));
        let mut keep = gone.iter().map(|g| !g);
        self.cards.retain(|_| keep.next().unwrap_or(true));
        for (id, card) in cards {
            self.cards[id] = card;
        }
        self.index = index;
        Ok(every_page)
    }

    /// The index of the articles as `edits` (with their current `ids`)
    /// would leave them, the cards to replace (by their ids then), and
    /// whether every page changes, without changing anything.
    fn index_and_cards_after(
        &self,
        edits: &[Edit],
        ids: &[Option<ArticleId>],
    ) -> Result<After, Diagnostic> {
        let mut slots: Vec<Option<&Article>> = self.content.articles.iter().map(Some).collect();
        let mut added = Vec::new();
        for ((_, new), id) in edits.iter().zip(ids) {
            match id {
                Some(id) => slots[*id] = new.as_ref(),
                None => added.extend(new.as_ref()),
            }
        }
        let after: Vec<&Article> = slots.into_iter().flatten().chain(added).collect();
        let index = Index::build(&after, &self.entities);
        let tera = &self.templates.tera;
        if changes_every_page(&self.index, &index) {
            let all = Card::all(&self.config, &after, &index, tera)?;
            return Ok((index, all.into_iter().enumerate().collect(), true));
        }
        let edited: BTreeSet<&str> = edits
            .iter()
            .filter(|(_, new)| new.is_some())
            .map(|(rel, _)| rel.as_str())
            .collect();
        let cards = after
            .iter()
            .enumerate()
            .filter(|(_, a)| edited.contains(a.rel.as_str()))
            .map(|(id, a)| Ok((id, Card::rendered(&self.config, &index, id, a, tera)?)))
            .collect::<Result<_, Diagnostic>>()?;
        Ok((index, cards, false))
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

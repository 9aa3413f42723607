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
use crate::render::{Card, PageSink, Renderer};

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
}

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages rendered through templates.
    pub pages: usize,
    /// What happened on disk.
    pub files: WriteStats,
}

/// One article file's edit, as read again: its path under content/ and
/// the article it now holds (`None`: deleted, or a hidden draft).
pub(crate) type Edit = (String, Option<Article>);

impl Site {
    /// Loads the site in `root`, reporting every error found in the
    /// configuration, the articles and the templates together.
    pub fn load(root: &Path, options: &LoadOptions) -> Result<Site> {
        let inputs = load::read_inputs(root, options)?;
        let index = Index::build(&inputs.content.articles, &inputs.entities);
        let cards = Card::all(
            &inputs.config,
            &inputs.content.articles,
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
    }

    fn write_all(&self, output: &Output, sink: &dyn PageSink) -> Result<usize, Vec<Diagnostic>> {
        let renderer = self.renderer();
        let pages = renderer.pages();
        let mut errors = renderer.render_all(&pages, sink);
        let copies = self.files_to_copy();
        let generated = [
            ("/theme.css", load::THEME_CSS.to_string()),
            (
                "/syntax.css",
                markdown::stylesheet(&self.config.highlight_theme),
            ),
        ];
        for (path, text) in generated {
            if !copies.contains_key(path.trim_start_matches('/')) {
                errors.extend(output.write(path, text.as_bytes(), 0).err());
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

    /// Files copied as they are (site path without its `/` -> source file).
    pub(crate) fn files_to_copy(&self) -> HashMap<String, PathBuf> {
        load::files_to_copy(&self.root, &self.content.assets)
    }

    /// Reads the templates again (after an edit under templates/), and the
    /// cards with them; on error the site is left as it was.
    pub(crate) fn reload_templates(&mut self) -> Result<()> {
        let templates = TemplateSet::load(&self.root.join("templates"))?;
        let cards =
            Card::all(&self.config, &self.content.articles, &templates.tera).map_err(Error::one)?;
        self.templates = templates;
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
    /// cards with them) and builds the index again; returns the index it
    /// replaced. A card that fails to render changes nothing.
    pub(crate) fn apply_edits(&mut self, mut edits: Vec<Edit>) -> Result<Index, Diagnostic> {
        edits.sort_by(|a, b| a.0.cmp(&b.0));
        let mut carded = Vec::with_capacity(edits.len());
        for (rel, new) in edits {
            let card = match &new {
                Some(article) => Some(Card::rendered(&self.config, article, &self.templates.tera)?),
                None => None,
            };
            carded.push((rel, new.zip(card)));
        }
        let mut gone = vec![false; self.content.articles.len()];
        for (rel, new) in carded {
            match (self.find_article(&rel), new) {
                (Some(id), Some((article, card))) => {
                    self.cards[id] = card;
                    self.content.articles[id] = article;
                }
                (Some(id), None) => gone[id] = true,
                (None, Some((article, card))) => {
                    self.cards.push(card);
                    self.content.articles.push(article);
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
        let index = Index::build(&self.content.articles, &self.entities);
        Ok(std::mem::replace(&mut self.index, index))
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

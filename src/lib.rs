//! gazette: a static-site generator for news-digest archives.
//!
//! The pipeline is plain values flowing one way:
//! [`Site::load`] reads `site.toml`, `content/` and the templates
//! (load), builds the [`index::Index`] of people, countries, tags and months
//! (index), and [`Site::build`] renders every [`render::Page`] (render) into
//! a staged output directory that is swapped in only on success (write).

pub mod check;
pub mod config;
pub mod content;
pub mod context;
pub mod countries;
pub mod entities;
pub mod error;
pub mod frontmatter;
pub mod index;
pub mod insights;
pub mod links;
pub mod live;
pub mod markdown;
pub mod output;
pub mod people;
pub mod profile;
pub mod render;
pub mod serve;
pub mod slugs;
pub mod templates;
pub mod timeline;
pub mod update;
pub mod views;
pub mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use config::Config;
pub use content::{Article, Content};
pub use error::{Diagnostic, Error, Result, Severity};
pub use index::Index;
pub use output::WriteStats;
pub use update::{Affected, ArticleUpdate};

/// Choices made when loading a site.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Replace site.toml's base_url (e.g. for a preview or a staging host).
    pub base_url: Option<String>,
}

/// A loaded site: configuration, articles, indexes and compiled templates.
pub struct Site {
    /// The site's folder (holding site.toml).
    pub root: PathBuf,
    /// site.toml.
    pub config: Config,
    /// The articles and assets under content/.
    pub content: Content,
    /// The country registry and people directory (with data/ files).
    pub entities: entities::Entities,
    /// Who, where, what and when.
    pub index: Index,
    /// Each article as lists show it (by article id).
    pub cards: Vec<views::Card>,
    /// The compiled templates (defaults overlaid by the site's).
    pub tera: tera::Tera,
    /// Per template, the hash of its source and everything it uses.
    pub template_hashes: HashMap<String, u64>,
}

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages rendered through templates.
    pub pages: usize,
    /// What happened on disk.
    pub files: WriteStats,
}

impl Site {
    /// Loads the site in `root`, reporting every error found in the
    /// configuration, the articles and the templates together.
    pub fn load(root: &Path, options: &LoadOptions) -> Result<Site> {
        let mut errors = Vec::new();
        let config = match Config::load(root) {
            Ok(mut c) => {
                if let Some(url) = &options.base_url {
                    c.set_base_url(url)
                        .map_err(|m| Error::Input(vec![Diagnostic::file("--base-url", m)]))?;
                }
                Some(c)
            }
            Err(e) => {
                errors.extend(e.diagnostics().iter().cloned());
                None
            }
        };
        let tz = config.as_ref().map_or(chrono_tz::UTC, |c| c.timezone);
        let content = match content::load(&root.join("content"), tz, options.drafts) {
            Ok(c) => c,
            Err(mut e) => {
                errors.append(&mut e);
                Content::default()
            }
        };
        errors.extend(duplicate_paths(&content.articles));
        let entities = entities::Entities::load(root).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            entities::Entities::builtin()
        });
        let templates_dir = root.join("templates");
        let tera = templates::sources(&templates_dir).and_then(|sources| {
            let tera = templates::compile(&sources, &templates_dir)?;
            Ok((tera, templates::closure_hashes(&sources)))
        });
        let tera = match tera {
            Ok(t) => Some(t),
            Err(e) => {
                errors.extend(e.diagnostics().iter().cloned());
                None
            }
        };
        let (Some(config), Some((tera, template_hashes)), true) = (config, tera, errors.is_empty())
        else {
            return Err(Error::Input(errors));
        };
        let index = Index::build(&content.articles, &entities);
        let cards = match views::Card::all(&config, &content.articles, &tera) {
            Ok(cards) => cards,
            Err(e) => return Err(Error::Input(vec![e])),
        };
        Ok(Site {
            root: root.to_path_buf(),
            config,
            content,
            entities,
            index,
            cards,
            tera,
            template_hashes,
        })
    }

    /// Non-fatal findings of the load (a symlink loop skipped...), to show
    /// the user.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.content.warnings
    }

    /// Reads the templates again (after an edit under templates/).
    pub fn reload_templates(&mut self) -> Result<()> {
        let dir = self.root.join("templates");
        let sources = templates::sources(&dir)?;
        let tera = templates::compile(&sources, &dir)?;
        let cards = views::Card::all(&self.config, &self.content.articles, &tera)
            .map_err(|e| Error::Input(vec![e]))?;
        self.tera = tera;
        self.cards = cards;
        self.template_hashes = templates::closure_hashes(&sources);
        Ok(())
    }

    /// The output directory named by site.toml, resolved against the root.
    pub fn default_output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output_dir)
    }

    /// Renders the whole site into `out`. Nothing in `out` changes unless
    /// every page rendered; unchanged files keep their mtime.
    pub fn build(&self, out: &Path, force: bool) -> Result<BuildReport> {
        self.build_keeping(out, force, &std::collections::BTreeSet::new())
    }

    /// Like [`Site::build`], but the pages at `keep` (site paths) are left
    /// as the previous build wrote them: the preview server keeps the last
    /// good page of an article whose file is currently broken.
    pub fn build_keeping(
        &self,
        out: &Path,
        force: bool,
        keep: &std::collections::BTreeSet<String>,
    ) -> Result<BuildReport> {
        let output = output::Output::open(out, &self.root, force)?;
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
    pub fn renderer(&self) -> render::Renderer<'_> {
        render::Renderer::new(
            &self.config,
            &self.content.articles,
            &self.index,
            &self.entities,
            &self.tera,
            &self.template_hashes,
            &self.cards,
        )
    }

    fn write_all(
        &self,
        output: &output::Output,
        sink: &dyn context::PageSink,
    ) -> Result<usize, Vec<Diagnostic>> {
        let renderer = self.renderer();
        let pages = renderer.pages();
        let mut errors = renderer.render_all(&pages, sink);
        let copies = self.files_to_copy();
        let generated = [
            ("/theme.css", templates::THEME_CSS.to_string()),
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
            let written = std::fs::read(source)
                .map_err(|e| Diagnostic::file(source, format!("cannot read: {e}")))
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

    /// Files copied as they are: static/ to the root, then content/'s
    /// non-markdown files to the same place under the root.
    pub fn files_to_copy(&self) -> HashMap<String, PathBuf> {
        let mut files = HashMap::new();
        let static_dir = self.root.join("static");
        for entry in WalkDir::new(&static_dir)
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file()
                && !content::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                let rel = entry
                    .path()
                    .strip_prefix(&static_dir)
                    .unwrap_or(entry.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(rel, entry.into_path());
            }
        }
        for asset in &self.content.assets {
            files.insert(asset.rel.clone(), asset.file.clone());
        }
        files
    }
}

/// Two articles that would be written to the same page.
pub(crate) fn duplicate_paths<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Article> = HashMap::new();
    let mut errors = Vec::new();
    for a in articles {
        if let Some(first) = seen.insert(&a.path, a) {
            errors.push(Diagnostic::at(
                &a.file,
                1,
                1,
                format!(
                    "this article's page {} is also the page of {}: give one of them another `slug`",
                    a.path,
                    first.file.display()
                ),
            ));
        }
    }
    errors
}

//! Load: everything that reads the site's inputs. site.toml
//! ([`config`]), `content/` ([`walk`]) and its front matter ([`content`],
//! [`frontmatter`], with YAML behind [`yaml`]), `data/people.yaml` and
//! `data/countries.yaml` ([`data`]), the templates ([`templates`]) and the
//! files copied as they are ([`statics`]).
//!
//! This stage and `output/` are the only code that touches the file
//! system, with one deliberate exception: an article's body is read again
//! when its page is rendered (`render::Renderer::finish`), so that a large
//! archive keeps only metadata in memory. Loading never stops at the first
//! error: every stage's errors are collected, so that one run reports all.
//! It produces plain values and knows nothing of indexes or pages but
//! one: an article's own page path (`content::article_path`), part of the
//! article value, which `render::paths` takes from here.

mod bodies;
mod cache;
mod config;
mod content;
mod data;
mod frontmatter;
mod name;
mod photos;
mod statics;
mod templates;
mod walk;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub(crate) use bodies::{body, body_words_of_file, words_of_bodies};
pub use config::Config;
pub(crate) use content::{
    duplicate_pages, is_ignored_name, read_articles, relative, resolve_date, Article, ArticleId,
    Asset, Content, Correction, Reading,
};
pub(crate) use data::load_entities;
pub(crate) use name::Name;
pub(crate) use photos::{
    attach_one as attach_photo, attach_portraits, finish as finish_photos,
    unfinished as unfinished_photos, Photo,
};

#[cfg(test)]
pub(crate) use config::DEFAULT_THEME;
#[cfg(test)]
pub(crate) use content::article_path;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use content::parse_article;
#[cfg(feature = "fuzzing")]
pub(crate) use frontmatter::parse as parse_front_matter;
pub(crate) use frontmatter::split;
pub(crate) use statics::{files_to_copy, read_source};
pub use templates::DEFAULT_TEMPLATES;
pub(crate) use templates::{render_error, TemplateSet, FAVICON_SVG, ON_THIS_DAY_JS, THEME_CSS};

use crate::error::{Diagnostic, Error};
use crate::images::Depth;
use crate::model::Entities;

/// Choices made when loading a site.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after the build's clock (scheduled).
    pub future: bool,
    /// Replace site.toml's base_url (e.g. for a preview or a staging host).
    pub base_url: Option<String>,
    /// Counters that loading and building advance, for a progress bar.
    pub progress: Option<crate::progress::Progress>,
}

/// Everything read from a site's folder, before any index is built.
pub(crate) struct Inputs {
    pub(crate) config: Config,
    pub(crate) content: Content,
    pub(crate) entities: Entities,
    pub(crate) templates: TemplateSet,
}

/// Reads site.toml, `content/`, `data/` and the templates of the site in
/// `root`, and reports every error found in any of them together.
pub(crate) fn read_inputs(root: &Path, options: &LoadOptions) -> Result<Inputs, Error> {
    all_loaded(read_what_loads(root, options)?)
}

/// The inputs when everything loaded, else every error.
fn all_loaded(read: (Option<Inputs>, Vec<Diagnostic>)) -> Result<Inputs, Error> {
    match read {
        (Some(inputs), errors) if errors.is_empty() => Ok(inputs),
        (_, errors) => Err(Error::Input(errors)),
    }
}

/// Like [`read_inputs`], but articles that fail to load are left out and
/// their errors returned beside the inputs, which exist whenever the
/// configuration and the templates loaded: `check` reviews the rest.
pub(crate) fn read_what_loads(
    root: &Path,
    options: &LoadOptions,
) -> Result<(Option<Inputs>, Vec<Diagnostic>), Error> {
    read_what_loads_with(root, options, true, None)
}

/// Like [`read_inputs`], without the bodies' words for search: a build
/// once has its index read each body's words from its file as it indexes
/// it (never all held at once; at 100,000 articles they are 350 MB).
pub(crate) fn read_inputs_without_words(
    root: &Path,
    options: &LoadOptions,
) -> Result<Inputs, Error> {
    all_loaded(read_what_loads_with(root, options, false, None)?)
}

/// Like [`read_inputs`], for the preview: the bodies' words for search are
/// not kept (`words_of_bodies` reads them later: the preview answers its
/// first request before they are needed, and they are most of a load's
/// time), and the articles of the last load kept in the file `cache`
/// ([`write_cache`]) are taken as they are where their files did not change.
pub(crate) fn read_inputs_for_preview(
    root: &Path,
    options: &LoadOptions,
    cache: &Path,
) -> Result<Inputs, Error> {
    all_loaded(read_what_loads_with(root, options, false, Some(cache))?)
}

fn read_what_loads_with(
    root: &Path,
    options: &LoadOptions,
    words: bool,
    cache: Option<&Path>,
) -> Result<(Option<Inputs>, Vec<Diagnostic>), Error> {
    let mut errors = Vec::new();
    let config = match Config::load(root) {
        Ok(mut c) => {
            if let Some(url) = &options.base_url {
                c.set_base_url(url)
                    .map_err(|m| Error::one(Diagnostic::file("--base-url", m)))?;
            }
            Some(c)
        }
        Err(e) => {
            errors.extend(e.diagnostics().iter().cloned());
            None
        }
    };
    let reading = Reading {
        tz: config.as_ref().map_or(chrono_tz::UTC, |c| c.timezone),
        drafts: options.drafts,
        future: options.future,
        now: build_clock(),
        words: words && config.as_ref().is_some_and(|c| c.search),
    };
    let progress = options.progress.as_ref();
    let mut content = match content::load(&root.join("content"), &reading, progress, cache) {
        Ok((c, mut broken)) => {
            errors.append(&mut broken);
            c
        }
        Err(mut e) => {
            errors.append(&mut e);
            Content::default()
        }
    };
    errors.extend(content::duplicate_pages(&content.articles));
    let mut entities = load_entities(root).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Entities::builtin()
    });
    if let Some(config) = &config {
        // A build makes the copies of new photos while it reads them; the
        // preview reads only their headers (its first page must not wait
        // for photos to be decoded) and finishes them in the background.
        let depth = match cache {
            None => Depth::Make(None),
            Some(_) => Depth::Header,
        };
        let (mut broken, warnings) = photos::attach(&mut content.articles, &config.images, depth);
        errors.append(&mut broken);
        content.warnings.extend(warnings);
        let people = &mut entities.people;
        let (mut broken, warnings) = photos::attach_portraits(people, root, &config.images, depth);
        errors.append(&mut broken);
        content.warnings.extend(warnings);
    }
    let templates = match TemplateSet::load(&root.join("templates")) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e.diagnostics().iter().cloned());
            None
        }
    };
    let inputs = match (config, templates) {
        (Some(config), Some(templates)) => Some(Inputs {
            config,
            content,
            entities,
            templates,
        }),
        _ => None,
    };
    Ok((inputs, errors))
}

/// Keeps the articles of `content` (as loaded by
/// [`read_inputs_for_preview`]) in the file `cache`, for the next start.
pub(crate) fn write_cache(cache: &Path, content: &Content) -> std::io::Result<()> {
    cache::write(cache, content)
}

/// The build's clock: `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention) when set, else the system's. Only the
/// news sitemap reads it.
pub(crate) fn build_clock() -> chrono::DateTime<chrono::Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now)
}

/// The site's `content/` folder.
pub(crate) fn content_dir(root: &Path) -> PathBuf {
    root.join("content")
}

/// Per template name, the hash of its source and of everything it uses.
pub(crate) type TemplateHashes = HashMap<String, u64>;

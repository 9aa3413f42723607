//! `gazette new "Title"`: an article file with its front matter filled in,
//! names written as the site knows them (an alias becomes the canonical
//! name), the date now in the site's time zone.

use std::path::{Path, PathBuf};

use super::{create, photo, yaml_quoted};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Config};
use crate::slugs::slugify;

/// What the new article says.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    /// `title`.
    pub title: String,
    /// People as typed (`"A, B"` split by the caller).
    pub people: Vec<String>,
    /// Countries as typed.
    pub countries: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// `source`.
    pub source: Option<String>,
    /// The date as front matter takes it; now when `None`.
    pub date: Option<String>,
    /// `draft: true`.
    pub draft: bool,
    /// A photo to copy beside the article as its lead photo.
    pub image: Option<PathBuf>,
    /// The running story it is part of (an existing story by any spelling).
    pub story: Option<String>,
}

/// What `new` wrote, and what the editor should know about it.
#[derive(Debug, Clone)]
pub struct Written {
    /// The new file.
    pub path: PathBuf,
    /// Warnings: an unknown country and the closest known name, a name
    /// written as the site knows it.
    pub warnings: Vec<String>,
}

/// Writes `content/YYYY/MM/<slug>.md` for `article` in the site at `root`;
/// an existing file is never replaced.
pub fn new_article(root: &Path, article: &NewArticle) -> Result<Written> {
    let config = Config::load(root)?;
    let entities = load::load_entities(root).map_err(Error::Input)?;
    let date = match &article.date {
        Some(raw) => load::resolve_date(raw, config.timezone)
            .map_err(|m| Error::one(Diagnostic::file("--date", m)))?,
        None => chrono::Utc::now()
            .with_timezone(&config.timezone)
            .fixed_offset(),
    };
    let slug = slugify(&article.title);
    if article.title.trim().is_empty() || slug.is_empty() {
        return Err(Error::one(Diagnostic::file("title", "the title is empty")));
    }
    let mut warnings = Vec::new();
    let people: Vec<String> = article
        .people
        .iter()
        .map(|p| match entities.people.resolve(p) {
            Some(id) => known_as(p, &entities.people.entry(id).name, &mut warnings),
            None => p.clone(),
        })
        .collect();
    let countries: Vec<String> = article
        .countries
        .iter()
        .map(|c| match entities.countries.lookup(c) {
            Some(known) => known_as(c, &known.name, &mut warnings),
            None => {
                let hint = entities
                    .countries
                    .closest(c)
                    .map_or(String::new(), |(k, _)| {
                        format!(": did you mean `{}`?", k.name)
                    });
                warnings.push(format!("`{c}` is not a known country{hint}"));
                c.clone()
            }
        })
        .collect();
    let mut text = format!(
        "---\ntitle: {}\ndate: {}\n",
        yaml_quoted(&article.title),
        date.to_rfc3339()
    );
    if let Some(source) = &article.source {
        text.push_str(&format!("source: {}\n", yaml_quoted(source)));
    }
    for (key, names) in [
        ("people", &people),
        ("countries", &countries),
        ("tags", &article.tags),
    ] {
        let list: Vec<String> = names.iter().map(|n| yaml_quoted(n)).collect();
        text.push_str(&format!("{key}: [{}]\n", list.join(", ")));
    }
    if let Some(story) = article.story.as_deref().filter(|s| !s.trim().is_empty()) {
        let index = super::loaded_index(root, &entities);
        text.push_str(&super::story_line(&index, story, &mut warnings));
    }
    text.push_str("summary: \"\"\n");
    if article.draft {
        text.push_str("draft: true\n");
    }
    let rel = format!("{}/{slug}.md", date.format("%Y/%m"));
    let path = load::content_dir(root).join(rel);
    let path = path
        .strip_prefix(".")
        .map_or(path.clone(), Path::to_path_buf);
    let attached = match &article.image {
        Some(image) => Some(photo::attach(image, &path)?),
        None => None,
    };
    if let Some(a) = &attached {
        text.push_str(&a.front_matter(&photo::Described::default()));
        a.copy()?;
        warnings.push(format!(
            "{}: write the photo's alt text, caption and credit",
            a.to.display()
        ));
    }
    text.push_str("---\n\n");
    create(&path, &text).inspect_err(|_| {
        if let Some(a) = &attached {
            a.undo();
        }
    })?;
    Ok(Written { path, warnings })
}

/// The name the site shows for `written`, noting when they differ.
fn known_as(written: &str, canonical: &str, warnings: &mut Vec<String>) -> String {
    if written != canonical {
        warnings.push(format!(
            "`{written}` written as the site knows it: `{canonical}`"
        ));
    }
    canonical.to_string()
}

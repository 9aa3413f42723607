//! Loading content/: walking the tree, reading every article in parallel and
//! turning its front matter into an [`Article`] (metadata only: the body is
//! read again when its page is rendered, so a large archive stays small in
//! memory). Other files are [`Asset`]s, copied to the output as they are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use rayon::prelude::*;

use super::cache::{FileStamp, Known, Stamps};
use super::frontmatter::{self, RawDate, SplitError, Text, YamlError};
use super::name::Name;
use crate::error::{line_col, Diagnostic};
use crate::progress::{self, Progress, Stage};
use crate::slugs::slugify;

/// The most people, countries or tags one article may name (each becomes
/// a page that lists the article with all its names).
pub(crate) const MAX_NAMES: usize = 500;

/// The largest article file, in bytes.
pub(crate) const MAX_ARTICLE_BYTES: usize = 8 << 20;

/// A correction of an article: when, and what the reader is told.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Correction {
    /// When it was made.
    pub(crate) date: DateTime<FixedOffset>,
    /// What was corrected.
    pub(crate) text: String,
}

/// An article's position in [`Content::articles`].
pub(crate) type ArticleId = usize;

/// One article's metadata, validated. Its lists are boxed slices: an
/// article is kept for the whole build and its lists never grow, and a
/// `Vec` would take 8 bytes more for each (5 MB at 100,000 articles).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Article {
    /// The markdown file.
    pub(crate) file: PathBuf,
    /// Its path under content/, with `/` separators (`2026/02/talks.md`).
    pub(crate) rel: String,
    /// `title`.
    pub(crate) title: String,
    /// `date`, with the offset it was written in (or the site's zone).
    pub(crate) date: DateTime<FixedOffset>,
    /// `updated`, or the latest correction's date when later.
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    /// `corrections`, oldest first.
    pub(crate) corrections: Box<[Correction]>,
    /// `story`: the running story it belongs to, as written.
    pub(crate) story: Option<String>,
    /// `source`.
    pub(crate) source: Option<String>,
    /// `url` of the original story (http, https or mailto).
    pub(crate) url: Option<String>,
    /// `location`.
    pub(crate) location: Option<String>,
    /// `summary`, or the first paragraph of the body when absent.
    pub(crate) summary: String,
    /// Whether the page shows `summary` above the body: only when it was
    /// given and is not the body's own first paragraph (else the reader
    /// would read it twice).
    pub(crate) standfirst: bool,
    /// The URL segment: `slug`, else the file name (the folder's for `index.md`).
    pub(crate) slug: String,
    /// `draft`.
    pub(crate) draft: bool,
    /// `people`, as written (duplicates removed).
    pub(crate) people: Box<[Name]>,
    /// `countries`, as written.
    pub(crate) countries: Box<[Name]>,
    /// `tags`, as written.
    pub(crate) tags: Box<[Name]>,
    /// Any other front-matter key.
    pub(crate) extra: BTreeMap<String, serde_json::Value>,
    /// The page's path under the site root: `/YYYY/MM/<slug>/`.
    pub(crate) path: String,
    /// Hash of the markdown body, to tell a body edit from a metadata edit.
    pub(crate) body_hash: u64,
    /// `image`: the lead photo (probed by `photos::attach` after parsing);
    /// boxed, as most articles have none (384 bytes an article otherwise).
    pub(crate) image: Option<Box<super::photos::Photo>>,
    /// `pictured`: the people in the photo, as written.
    pub(crate) pictured: Box<[Name]>,
    /// The photos in the body (`![alt](file "caption")`).
    pub(crate) body_images: Box<[super::photos::Photo]>,
    /// How many runs of text between white space the markdown body has:
    /// its length, as the search index's ranking weighs it (known before
    /// the bodies' words are read).
    pub(crate) body_runs: u32,
    /// The body's folded words in order, with its sentence ends, for the
    /// search index (`words::body_words`), compressed: the body itself is
    /// not kept.
    /// Empty when the site was loaded without them (`gazette build` and
    /// the preview's start: [`body_words_of_file`]).
    pub(crate) words: crate::words::Packed,
}

/// A non-markdown file under content/, copied to the same relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// The file on disk.
    pub(crate) file: PathBuf,
    /// Its path under content/, with `/` separators.
    pub(crate) rel: String,
}

/// Everything found under content/.
#[derive(Debug, Default)]
pub(crate) struct Content {
    /// The article files' stamps, when loaded for the preview's cache.
    pub(crate) stamps: Stamps,
    /// The articles, in path order (drafts dropped unless asked for).
    pub(crate) articles: Vec<Article>,
    /// The other files.
    pub(crate) assets: Vec<Asset>,
    /// Non-fatal findings (e.g. a symlink loop that was skipped), and a
    /// note for each article kept back until its date.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// How article files are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    /// The zone of dates written without an offset.
    pub(crate) tz: chrono_tz::Tz,
    /// Keep drafts.
    pub(crate) drafts: bool,
    /// Keep articles dated after `now` (scheduled).
    pub(crate) future: bool,
    /// The build's clock.
    pub(crate) now: DateTime<chrono::Utc>,
    /// Keep each body's words, for search.
    pub(crate) words: bool,
}

impl Reading {
    /// Whether a parsed article is published by this reading.
    pub(crate) fn publishes(&self, a: &Article) -> bool {
        (self.drafts || !a.draft) && (self.future || a.date <= self.now)
    }

    /// The note for an article kept back because of its date.
    fn scheduled_note(&self, a: &Article) -> Option<Diagnostic> {
        let kept_back = !self.future && a.date > self.now && (self.drafts || !a.draft);
        kept_back.then(|| {
            let when = a.date.to_rfc3339();
            Diagnostic::file(
                &a.file,
                format!(
                    "scheduled for {when}: left out until then (build with --future to see it now)"
                ),
            )
            .note()
        })
    }
}

/// True for editor temp and backup files and hidden files, which are ignored.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

/// Walks `dir` and loads every article that `reading` publishes. The
/// errors of the articles that fail are returned beside what loaded, so
/// that a check still reviews the rest; a walk that fails is an error.
pub(crate) fn load(
    dir: &Path,
    reading: &Reading,
    progress: Option<&Progress>,
    cache: Option<&Path>,
) -> Result<(Content, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut content = Content::default();
    if !dir.exists() {
        return Ok((content, Vec::new()));
    }
    // The preview keeps what it read (`cache`): unchanged files are not
    // read again. The cache is read while the folder is walked.
    if cache.is_some() {
        content.stamps.key = super::cache::key(reading.tz, dir);
        content.stamps.read_at = super::cache::now();
    }
    let key = &content.stamps.key;
    let (walked, known) = rayon::join(
        || super::walk::walk(dir),
        || cache.map(|file| Known::read(file, key)),
    );
    let (markdown, assets, warnings) = walked?;
    content.assets = assets;
    content.warnings = warnings;
    progress::start(progress, Stage::Loading, markdown.len());
    let results = match known {
        None => markdown
            .into_par_iter()
            .map(|(file, rel)| {
                progress::step(progress);
                (None, read_article(file, rel, reading))
            })
            .collect(),
        Some(known) => read_changed(markdown, known, reading, progress),
    };
    let mut errors = Vec::new();
    // Room for every article at once: grown by doubling, the list had a
    // quarter of its room empty at 100,000 articles (15 MB).
    content.articles.reserve_exact(results.len());
    for (stamp, result) in results {
        if let (Some(stamp), Ok(article)) = (stamp, &result) {
            content.stamps.files.insert(article.rel.clone(), stamp);
        }
        match result {
            Ok(article) => {
                content.warnings.extend(reading.scheduled_note(&article));
                if reading.publishes(&article) {
                    content.articles.push(article);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    content.articles.shrink_to_fit();
    Ok((content, errors))
}

/// The articles of the `markdown` files for the preview: each file's stamp
/// taken, the article of an unchanged one moved out of `known`, the others
/// read and parsed.
fn read_changed(
    markdown: Vec<(PathBuf, String)>,
    mut known: Known,
    reading: &Reading,
    progress: Option<&Progress>,
) -> Vec<(Option<FileStamp>, Parsed)> {
    let stamps: Vec<Option<FileStamp>> = markdown
        .par_iter()
        .map(|(file, _)| std::fs::metadata(file).ok().and_then(|m| FileStamp::of(&m)))
        .collect();
    let unchanged: Vec<Option<Article>> = markdown
        .iter()
        .zip(&stamps)
        .map(|((_, rel), stamp)| stamp.and_then(|s| known.take(rel, s)))
        .collect();
    markdown
        .into_par_iter()
        .zip(stamps)
        .zip(unchanged)
        .map(|(((file, rel), stamp), unchanged)| {
            progress::step(progress);
            match unchanged {
                Some(article) => (stamp, Ok(Article { file, ..article })),
                None => (stamp, read_article(file, rel, reading)),
            }
        })
        .collect()
}

/// An article file, parsed (or its errors).
type Parsed = Result<Article, Vec<Diagnostic>>;

/// Reads and parses one article file.
fn read_article(file: PathBuf, rel: String, reading: &Reading) -> Result<Article, Vec<Diagnostic>> {
    let bytes = std::fs::read(&file)
        .map_err(|e| vec![Diagnostic::file(&file, format!("cannot read: {e}"))])?;
    parse_with(file, rel, &bytes, reading.tz, reading.words)
}

/// Reads edited article files again (`files`, under `content_dir`): each
/// as its path under content/ and the article it now holds, `None` when
/// the file is gone or is a draft that is hidden; the errors of the files
/// that could not be read or parsed beside them.
pub(crate) fn read_articles(
    content_dir: &Path,
    files: &[PathBuf],
    reading: &Reading,
) -> (Vec<(String, Option<Article>)>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let rel = relative(content_dir, file);
        // Only a regular file is an article: reading a FIFO would wait for
        // a writer forever, and a folder or a socket has no text.
        if std::fs::metadata(file).is_ok_and(|m| !m.is_file()) {
            out.push((rel, None));
            continue;
        }
        match std::fs::read(file) {
            Ok(bytes) => {
                match parse_with(file.clone(), rel.clone(), &bytes, reading.tz, reading.words) {
                    Ok(a) => out.push((rel, reading.publishes(&a).then_some(a))),
                    Err(mut e) => errors.append(&mut e),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push((rel, None)),
            Err(e) => errors.push(Diagnostic::file(file, format!("cannot read: {e}"))),
        }
    }
    (out, errors)
}

/// Two articles that would be written to the same page.
pub(crate) fn duplicate_pages<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&str, &Article> = std::collections::HashMap::new();
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

/// `path` relative to `dir`, with `/` separators.
pub(crate) fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses one article from its bytes, keeping its body's words; every
/// problem found is returned.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn parse_article(
    file: PathBuf,
    rel: String,
    bytes: &[u8],
    tz: chrono_tz::Tz,
) -> Result<Article, Vec<Diagnostic>> {
    parse_with(file, rel, bytes, tz, true)
}

/// [`parse_article`], keeping the body's words for search only when `words`.
fn parse_with(
    file: PathBuf,
    rel: String,
    bytes: &[u8],
    tz: chrono_tz::Tz,
    words: bool,
) -> Result<Article, Vec<Diagnostic>> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        let message = format!(
            "the file is {} MiB: an article may be at most {} MiB",
            bytes.len() >> 20,
            MAX_ARTICLE_BYTES >> 20
        );
        return Err(vec![Diagnostic::at(&file, 1, 1, message)]);
    }
    let text = decode(&file, bytes).map_err(|d| vec![d])?;
    let split = frontmatter::split(text).map_err(|e| {
        let message = match e {
            SplitError::NoFrontMatter => {
                "expected front matter: the file must start with a `---` line, then YAML (title, date...), then `---`"
            }
            SplitError::Unclosed => "front matter is not closed: expected a `---` line after the YAML",
        };
        vec![Diagnostic::at(&file, 1, 1, message)]
    })?;
    let invalid = |e: YamlError| {
        Diagnostic::at(
            &file,
            e.line,
            e.column,
            format!("invalid front matter: {}", e.message),
        )
    };
    let mut fm = frontmatter::parse(split.yaml, split.yaml_line)
        .map_err(|errors| bounded(errors.into_iter().map(invalid).collect()))?;
    let errors = std::mem::take(&mut fm.errors)
        .into_iter()
        .map(invalid)
        .collect();
    let mut fields = Fields {
        file: &file,
        split: &split,
        failed: &fm.failed,
        errors,
    };
    let title = fields.title(fm.title.take());
    let date = fields.date(fm.date.take(), tz);
    let corrections = fields.corrections(std::mem::take(&mut fm.corrections), tz);
    let updated = fields
        .updated(fm.updated.take(), tz)
        .into_iter()
        .chain(corrections.last().map(|c| c.date))
        .max();
    let url = fields.url(fm.url.take());
    let image = fm.image.take().and_then(|field| fields.image(field, &rel));
    fields.name_limits(&fm);
    let body_line = text[..text.len() - split.body.len()].matches('\n').count() + 1;
    let (body_images, broken) = super::photos::body_photos(split.body, body_line, &file, &rel);
    fields.errors.extend(broken);
    if !fields.errors.is_empty() {
        return Err(bounded(fields.errors));
    }
    let slug = match fm.slug {
        Some(Text(s)) => slugify(&s),
        None => slugify(&default_slug_source(&file)),
    };
    let first_paragraph = crate::markdown::first_paragraph_text(split.body);
    let (summary, standfirst) = match fm.summary {
        Some(Text(s)) => {
            let given = s.trim().to_string();
            let repeats = given
                .split_whitespace()
                .eq(first_paragraph.split_whitespace());
            (given, !repeats)
        }
        None => (first_paragraph, false),
    };
    let path = article_path(&date, &slug);
    Ok(Article {
        rel,
        title,
        date,
        updated,
        corrections: corrections.into(),
        story: nonempty(fm.story.take()),
        source: nonempty(fm.source),
        url,
        location: nonempty(fm.location),
        summary,
        standfirst,
        slug,
        draft: fm.draft.unwrap_or(false),
        people: dedup(fm.people.0),
        countries: dedup(fm.countries.0),
        tags: dedup(fm.tags.0),
        image: image.map(Box::new),
        pictured: dedup(fm.pictured.0),
        body_images: body_images.into(),
        extra: fm.extra,
        path,
        body_hash: xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()),
        body_runs: crate::words::runs_between_white_space(split.body),
        words: if words {
            crate::words::Packed::of(&crate::words::body_words(split.body))
        } else {
            crate::words::Packed::default()
        },
        file,
    })
}

/// The checks of an article's required and constrained fields, each
/// problem an error at the key's line and column.
struct Fields<'a> {
    file: &'a Path,
    split: &'a frontmatter::Split<'a>,
    /// Keys whose values failed to parse (already reported).
    failed: &'a [String],
    errors: Vec<Diagnostic>,
}

impl Fields<'_> {
    /// An error at the value of `key`.
    fn at_key(&mut self, key: &str, message: impl Into<String>) {
        let (l, c) = frontmatter::value_position(self.split.yaml, self.split.yaml_line, key);
        self.errors.push(Diagnostic::at(self.file, l, c, message));
    }

    /// An error for a missing `key`, unless its value failed to parse.
    fn missing(&mut self, key: &str, message: &str) {
        if !self.failed.iter().any(|k| k == key) {
            self.errors.push(Diagnostic::at(self.file, 1, 1, message));
        }
    }

    fn title(&mut self, title: Option<Text>) -> String {
        match title {
            Some(Text(t)) if !t.trim().is_empty() => t.trim().to_string(),
            Some(_) => {
                self.at_key("title", "`title` is empty: expected the article's title");
                String::new()
            }
            None => {
                self.missing(
                    "title",
                    "missing `title`: expected e.g. `title: \"Talks resume in Geneva\"`",
                );
                String::new()
            }
        }
    }

    fn date(&mut self, date: Option<Text>, tz: chrono_tz::Tz) -> DateTime<FixedOffset> {
        match date {
            Some(Text(raw)) => resolve_date(&raw, tz).unwrap_or_else(|m| {
                self.at_key("date", m);
                DateTime::UNIX_EPOCH.fixed_offset()
            }),
            None => {
                self.missing(
                    "date",
                    "missing `date`: expected e.g. `date: 2026-02-20` or `date: 2026-02-20T09:30:00Z`",
                );
                DateTime::UNIX_EPOCH.fixed_offset()
            }
        }
    }

    fn updated(
        &mut self,
        updated: Option<Text>,
        tz: chrono_tz::Tz,
    ) -> Option<DateTime<FixedOffset>> {
        let Text(raw) = updated?;
        resolve_date(&raw, tz)
            .map_err(|m| self.at_key("updated", m))
            .ok()
    }

    /// `corrections`, each with a date and a text, oldest first.
    fn corrections(
        &mut self,
        raw: Vec<frontmatter::CorrectionField>,
        tz: chrono_tz::Tz,
    ) -> Vec<Correction> {
        let mut corrections = Vec::with_capacity(raw.len());
        for (n, field) in raw.into_iter().enumerate() {
            let n = n + 1;
            let Some(Text(raw_date)) = field.date else {
                let m = format!("correction {n}: missing `date`: expected e.g. `date: 2026-02-22`");
                self.at_key("corrections", m);
                continue;
            };
            let text = field
                .text
                .map(|t| t.0.trim().to_string())
                .unwrap_or_default();
            match (resolve_date(&raw_date, tz), text.is_empty()) {
                (Ok(date), false) => corrections.push(Correction { date, text }),
                (Err(m), _) => self.at_key("corrections", format!("correction {n}: {m}")),
                (_, true) => self.at_key(
                    "corrections",
                    format!("correction {n}: `text` is empty: expected what was corrected"),
                ),
            }
        }
        corrections.sort_by_key(|c| c.date);
        corrections
    }

    fn image(&mut self, field: frontmatter::ImageField, rel: &str) -> Option<super::photos::Photo> {
        let at = frontmatter::value_position(self.split.yaml, self.split.yaml_line, "image");
        match super::photos::resolve(field, self.file, rel, at) {
            Ok(photo) => Some(photo),
            Err(message) => {
                self.errors
                    .push(Diagnostic::at(self.file, at.0, at.1, message));
                None
            }
        }
    }

    fn url(&mut self, url: Option<Text>) -> Option<String> {
        let url = url.map(|Text(u)| u.trim().to_string());
        if let Some(u) = url.as_deref().filter(|u| !is_safe_link(u)) {
            let message = format!("`url` `{u}` is not a link: expected an absolute http(s) URL");
            self.at_key("url", message);
        }
        url
    }

    /// Each list of names at most [`MAX_NAMES`] long.
    fn name_limits(&mut self, fm: &frontmatter::FrontMatter) {
        for (key, names) in [
            ("people", &fm.people),
            ("countries", &fm.countries),
            ("tags", &fm.tags),
        ] {
            if names.0.len() > MAX_NAMES {
                let message = format!(
                    "`{key}` lists {} names: an article may name at most {MAX_NAMES} (each name's page lists the article)",
                    names.0.len()
                );
                self.at_key(key, message);
            }
        }
    }
}

/// The page of an article, `/YYYY/MM/<slug>/`, by the date it was written:
/// part of the article value (its `path`), so `load` owns it and
/// `render::paths` uses it.
pub(crate) fn article_path(date: &DateTime<FixedOffset>, slug: &str) -> String {
    format!("/{:04}/{:02}/{slug}/", date.year(), date.month())
}

/// The most errors reported for one file: past them, one more line says
/// how many were left out.
pub(crate) const MAX_ERRORS_PER_FILE: usize = 20;

/// `errors` (of one file, in file order) cut to [`MAX_ERRORS_PER_FILE`].
fn bounded(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by_key(|d| (d.line, d.column));
    if errors.len() > MAX_ERRORS_PER_FILE {
        let more = errors.len() - MAX_ERRORS_PER_FILE;
        let next = errors.swap_remove(MAX_ERRORS_PER_FILE);
        errors.truncate(MAX_ERRORS_PER_FILE);
        let message = format!("and {more} more errors in this file (fix these first)");
        let (line, column) = (next.line.unwrap_or(1), next.column.unwrap_or(1));
        errors.push(Diagnostic::at(next.path, line, column, message));
    }
    errors
}

/// UTF-8 text without its BOM, or an error at the first invalid byte.
fn decode<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let (line, col) = line_col(valid, valid.len());
        Diagnostic::at(
            file,
            line,
            col,
            "invalid UTF-8: expected the file to be UTF-8 text",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

pub(crate) fn resolve_date(raw: &str, tz: chrono_tz::Tz) -> Result<DateTime<FixedOffset>, String> {
    let parsed = frontmatter::parse_date(raw).ok_or_else(|| {
        format!(
            "invalid date `{raw}`: expected {}",
            frontmatter::DATE_EXPECTED
        )
    })?;
    match parsed {
        RawDate::Fixed(d) => Ok(d),
        RawDate::Local(naive) => tz
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset())
            .ok_or_else(|| {
                format!("{naive} does not exist in time zone {tz} (clocks moved forward)")
            }),
    }
}

/// A link a reader can safely follow (no `javascript:` and the like).
fn is_safe_link(u: &str) -> bool {
    match url::Url::parse(u) {
        Ok(parsed) => matches!(parsed.scheme(), "http" | "https" | "mailto"),
        Err(_) => false,
    }
}

fn default_slug_source(file: &Path) -> String {
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    if stem == "index" {
        if let Some(dir) = file.parent().and_then(|p| p.file_name()) {
            return dir.to_string_lossy().into_owned();
        }
    }
    stem.into_owned()
}

fn nonempty(t: Option<Text>) -> Option<String> {
    t.map(|Text(s)| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Trims names and drops empty ones and repeats (same term key).
fn dedup(names: Vec<String>) -> Box<[Name]> {
    let mut seen = std::collections::HashSet::new();
    let kept = names
        .into_iter()
        .map(|n| {
            // Most names are written with single spaces: kept as they are.
            if n.split_whitespace().eq(n.split(' ')) {
                n
            } else {
                n.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        })
        .filter(|n| !n.is_empty() && seen.insert(crate::slugs::term_key(n)))
        .map(Name::from);
    // The list is kept for the whole build: without the room it grew into
    // (a third of the names' lists at 100,000 articles, 15 MB).
    kept.collect()
}

#[cfg(test)]
mod tests;

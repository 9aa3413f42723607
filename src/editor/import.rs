//! `gazette import FILE|-`: a wire story pasted as plain text becomes an
//! article: its parts from [`super::wire`], its people and countries from
//! [`super::found`], written as `content/YYYY/MM/<slug>.md` (never over a
//! file), with a report of everything found and the words that produced
//! it. New people's titles are offered as data/people.yaml entries, written
//! only when asked.

use std::path::{Path, PathBuf};

use super::found::{self, Finding};
use super::{create, photo, wire, yaml_quoted};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Config};
use crate::model::{Index, Kind};
use crate::slugs::slugify;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A photo to copy beside the article, with the copy's caption and credit.
    pub image: Option<PathBuf>,
    /// Mark the article `draft: true`.
    pub draft: bool,
    /// Report, write nothing.
    pub dry_run: bool,
    /// Append the suggested entries to data/people.yaml.
    pub write_data: bool,
    /// The running story it is part of (an existing story by any spelling).
    pub story: Option<String>,
}

/// What an import found and wrote.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The article's file (written unless a dry run).
    pub path: PathBuf,
    /// The article's text.
    pub text: String,
    /// The report: one line per field, person and country, with evidence.
    pub report: Vec<String>,
    /// data/people.yaml entries suggested for people the site does not know.
    pub suggestions: String,
}

/// Imports the wire story `text` into the site at `root`.
pub fn import(root: &Path, text: &str, options: ImportOptions) -> Result<Imported> {
    let config = Config::load(root)?;
    let entities = load::load_entities(root).map_err(Error::Input)?;
    // The people of earlier articles are known too.
    let index = super::loaded_index(root, &entities);
    let story = wire::parse(text).ok_or_else(|| {
        Error::one(Diagnostic::file(
            "-",
            "no headline found: paste the story's text, headline first",
        ))
    })?;
    let mut texts = vec![story.title.clone()];
    texts.extend(story.paragraphs.iter().cloned());
    let findings = found::find(&texts, &entities, &index);
    let date = story.date.unwrap_or_else(|| {
        chrono::Utc::now()
            .with_timezone(&config.timezone)
            .date_naive()
    });
    let slug = slugify(&story.title);
    let path = load::content_dir(root).join(format!("{}/{slug}.md", date.format("%Y/%m")));
    let path = path
        .strip_prefix(".")
        .map_or(path.clone(), Path::to_path_buf);
    let attached = match &options.image {
        Some(image) => Some(photo::attach(image, &path)?),
        None => None,
    };
    let described = photo::Described {
        caption: story.caption.clone(),
        credit: story.credit.clone(),
        pictured: caption_people(&story, &entities, &index),
    };
    let mut front = front_matter(&story, &date, &findings, options.draft);
    let mut story_notes = Vec::new();
    if let Some(name) = options.story.as_deref().filter(|s| !s.trim().is_empty()) {
        front.push_str(&super::story_line(&index, name, &mut story_notes));
    }
    if let Some(attached) = &attached {
        front.push_str(&attached.front_matter(&described));
    }
    let body = story
        .paragraphs
        .iter()
        .map(|p| escape_markdown(p))
        .collect::<Vec<_>>()
        .join("\n\n");
    let text = format!("{front}---\n{body}\n");
    let mut report = report(&story, &date, &findings);
    report.extend(story_notes);
    report.extend(photo_report(attached.as_ref(), &described));
    let suggestions = suggestions(&findings);
    if !options.dry_run {
        write(&path, &text, attached.as_ref())?;
        if options.write_data && !suggestions.is_empty() {
            append_people(root, &suggestions)?;
        }
    }
    Ok(Imported {
        path,
        text,
        report,
        suggestions,
    })
}

/// The article's front matter, up to its photo.
fn front_matter(
    story: &wire::WireStory,
    date: &chrono::NaiveDate,
    findings: &[Finding],
    draft: bool,
) -> String {
    let names = |kind: Kind| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.name.clone())
            .collect()
    };
    let (people, countries) = (names(Kind::People), names(Kind::Countries));
    let mut front = format!(
        "---\ntitle: {}\ndate: {}\n",
        yaml_quoted(&story.title),
        date.format("%Y-%m-%d")
    );
    for (key, value) in [("source", &story.source), ("location", &story.location)] {
        if let Some(v) = value {
            front.push_str(&format!("{key}: {}\n", yaml_quoted(v)));
        }
    }
    for (key, list) in [("people", &people), ("countries", &countries)] {
        let quoted: Vec<String> = list.iter().map(|n| yaml_quoted(n)).collect();
        front.push_str(&format!("{key}: [{}]\n", quoted.join(", ")));
    }
    front.push_str("tags: []\n");
    if draft {
        front.push_str("draft: true\n");
    }
    front
}

/// The people the photo's caption names (often many more than the story).
fn caption_people(
    story: &wire::WireStory,
    entities: &crate::model::Entities,
    index: &Index,
) -> Vec<String> {
    let Some(caption) = &story.caption else {
        return Vec::new();
    };
    let findings = found::find(std::slice::from_ref(caption), entities, index);
    findings
        .into_iter()
        .filter(|f| f.kind == Kind::People)
        .map(|f| f.name)
        .collect()
}

/// What the report says of the photo.
fn photo_report(attached: Option<&photo::Attached>, described: &photo::Described) -> Vec<String> {
    let mut lines = Vec::new();
    match (attached, &described.caption) {
        (Some(a), _) => lines.push(format!("photo: {} (write its alt text)", a.to.display())),
        (None, Some(_)) => {
            lines.push("photo caption found: --image FILE keeps it with its photo".into());
        }
        (None, None) => {}
    }
    if attached.is_some() {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none found)".into());
        lines.push(format!("caption: {}", or_none(&described.caption)));
        lines.push(format!("credit: {}", or_none(&described.credit)));
        lines.push(format!("pictured: {}", described.pictured.join(", ")));
    }
    lines
}

/// Writes the photo's copy, then the article (taking the copy back if the
/// article cannot be written).
fn write(path: &Path, text: &str, attached: Option<&photo::Attached>) -> Result<()> {
    if let Some(a) = attached {
        a.copy()?;
    }
    create(path, text).inspect_err(|_| {
        if let Some(a) = attached {
            a.undo();
        }
    })
}

/// Markdown would read a paragraph opening with `1.` or `#` as a list or a
/// heading: a backslash keeps it text.
fn escape_markdown(p: &str) -> String {
    let starts_block = p.starts_with(['#', '>', '-', '*', '+', '='])
        || p.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if starts_block {
        format!("\\{p}")
    } else {
        p.to_string()
    }
}

fn report(story: &wire::WireStory, date: &chrono::NaiveDate, findings: &[Finding]) -> Vec<String> {
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none found)".into());
    let mut lines = vec![
        format!("title: {}", story.title),
        format!(
            "date: {date}{}",
            if story.date.is_some() {
                ""
            } else {
                " (no date line: today)"
            }
        ),
        format!("source: {}", or_none(&story.source)),
        format!("location: {}", or_none(&story.location)),
        format!("paragraphs: {}", story.paragraphs.len()),
    ];
    for f in findings {
        let kind = if f.kind == Kind::People {
            "person"
        } else {
            "country"
        };
        let new = if f.suggestion.is_some() {
            " (new to the site)"
        } else {
            ""
        };
        lines.push(format!(
            "{kind}: {}{new}, from {}",
            f.name,
            f.evidence.join(", ")
        ));
    }
    lines
}

/// The data/people.yaml entries for the people the site does not know.
fn suggestions(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let Some((role, country)) = &f.suggestion else {
            continue;
        };
        out.push_str(&format!(
            "- name: {}\n  role: {}\n",
            yaml_quoted(&f.name),
            yaml_quoted(role)
        ));
        if let Some(c) = country {
            out.push_str(&format!("  country: {}\n", yaml_quoted(c)));
        }
    }
    out
}

/// Appends `entries` to data/people.yaml (made if missing).
fn append_people(root: &Path, entries: &str) -> Result<()> {
    use std::io::Write;
    let path = root.join("data/people.yaml");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.write_all(format!("\n{entries}").as_bytes())
        .map_err(|e| Error::io(&path, e))
}

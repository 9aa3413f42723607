//! The Tera templates: the default theme (the repository's templates/,
//! embedded in the binary) overlaid by the site's own templates/, plus the
//! theme's stylesheet.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};

/// The default theme, embedded at compile time: (name, source).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/terms.html",
        include_str!("../../templates/partials/terms.html"),
    ),
    (
        "partials/article_list.html",
        include_str!("../../templates/partials/article_list.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../templates/partials/pager.html"),
    ),
    (
        "partials/photo.html",
        include_str!("../../templates/partials/photo.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("card.html", include_str!("../../templates/card.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("feed.json", include_str!("../../templates/feed.json")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    (
        "on-this-day.html",
        include_str!("../../templates/on-this-day.html"),
    ),
    ("stories.html", include_str!("../../templates/stories.html")),
    ("story.html", include_str!("../../templates/story.html")),
    ("entry.xml", include_str!("../../templates/entry.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "news-sitemap.xml",
        include_str!("../../templates/news-sitemap.xml"),
    ),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// The default theme's icon, written as `/favicon.svg`.
pub(crate) const FAVICON_SVG: &str = include_str!("../../templates/favicon.svg");

/// A site's compiled templates, with the hashes that fingerprint pages.
pub(crate) struct TemplateSet {
    /// The compiled templates (defaults overlaid by the site's).
    pub(crate) tera: Tera,
    /// Per template, the hash of its source and everything it uses.
    pub(crate) hashes: super::TemplateHashes,
}

impl TemplateSet {
    /// Reads the default and the site's templates (in `dir`) and compiles
    /// them.
    pub(crate) fn load(dir: &Path) -> Result<TemplateSet> {
        let sources = sources(dir)?;
        let tera = compile(&sources, dir)?;
        Ok(TemplateSet {
            tera,
            hashes: closure_hashes(&sources),
        })
    }
}

/// A template error met while rendering a page or a card, as a diagnostic
/// naming the template (under `templates/`) and its line.
pub(crate) fn render_error(error: &tera::Error) -> Diagnostic {
    template_diagnostic(error, Path::new("templates"))
}

/// The home page's "On this day" script, written as `/on-this-day.js`.
pub(crate) const ON_THIS_DAY_JS: &str = include_str!("../../templates/on-this-day.js");

/// The default theme's stylesheet, written as `/theme.css`.
pub(crate) const THEME_CSS: &str = include_str!("../../templates/theme.css");

/// The template sources of a site: defaults, replaced by the site's own
/// files of the same name, plus any extra templates the site adds.
pub(crate) fn sources(site_templates: &Path) -> Result<BTreeMap<String, String>> {
    let mut all: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, src)| (name.to_string(), src.to_string()))
        .collect();
    if !site_templates.is_dir() {
        return Ok(all);
    }
    let mut errors = Vec::new();
    for entry in WalkDir::new(site_templates)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::file(
                    e.path().unwrap_or(site_templates),
                    e.to_string(),
                ));
                continue;
            }
        };
        let name_os = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || super::content::is_ignored_name(&name_os) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(site_templates)
            .unwrap_or(entry.path());
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read_to_string(entry.path()) {
            Ok(src) => {
                all.insert(name, src);
            }
            Err(e) => errors.push(Diagnostic::file(
                entry.path(),
                format!("cannot read template: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(Error::Input(errors))
    }
}

/// Compiles the templates; a syntax error names the template and its line.
pub(crate) fn compile(sources: &BTreeMap<String, String>, site_templates: &Path) -> Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_to);
    let templates = sources
        .iter()
        .filter(|(name, _)| !name.ends_with(".css") && !name.ends_with(".svg"))
        .map(|(n, s)| (n.as_str(), s.as_str()));
    tera.add_raw_templates(templates)
        .map_err(|e| Error::one(template_diagnostic(&e, site_templates)))?;
    Ok(tera)
}

/// Tera's escape function: gazette's HTML/XML escaping (see
/// [`crate::markdown::escape_html`]), written straight to the output.
fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(crate::markdown::escape(text).as_bytes())
}

/// Turns a Tera error into a diagnostic naming the template and, when Tera
/// points into one, its line and column.
pub(crate) fn template_diagnostic(error: &tera::Error, site_templates: &Path) -> Diagnostic {
    let file = |name: &str| {
        if site_templates.join(name).is_file() {
            site_templates.join(name)
        } else {
            Path::new("templates").join(name)
        }
    };
    let mut message = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut message = report.message().to_string();
            append_causes(&mut message, error);
            return Diagnostic::at(
                file(report.filename()),
                span.start_line,
                span.start_col + 1,
                message,
            );
        }
        _ => error.to_string(),
    };
    append_causes(&mut message, error);
    // Some errors (an unknown filter) reach us with Tera's report already
    // printed into the message and no structured cause to ask for the
    // span: `... --> article.html:3:24 | ...`.
    if let Some((head, rest)) = message.split_once("-->") {
        let place = rest.split_whitespace().next().unwrap_or_default();
        let mut parts = place.rsplitn(3, ':');
        let (col, line, name) = (parts.next(), parts.next(), parts.next());
        if let (Some(col), Some(line), Some(name)) = (
            col.and_then(|c| c.parse().ok()),
            line.and_then(|l| l.parse().ok()),
            name,
        ) {
            let head = head.trim().trim_start_matches("error:").trim();
            return Diagnostic::at(file(name), line, col, head.to_string());
        }
    }
    match template_name_in(&message) {
        Some(name) => Diagnostic::file(file(&name), message),
        None => Diagnostic::file(site_templates, message),
    }
}

/// Adds the chain of causes of `error` to `message`, on one line.
fn append_causes(message: &mut String, error: &tera::Error) {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    *message = message
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" ");
}

/// The template a Tera message is about (`... template 'x.html' ...`, or
/// `` `x.html` ``).
fn template_name_in(message: &str) -> Option<String> {
    let start = message.find(['\'', '`'])?;
    let quote = message[start..].chars().next()?;
    let rest = &message[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string())
}

/// For each template, a hash of its source and of every template it
/// extends or includes (transitively), and of every template that defines
/// a component (components are global in Tera 2, so any page may use
/// them): a page must be rendered again exactly when this changes.
pub(crate) fn closure_hashes(
    sources: &BTreeMap<String, String>,
) -> std::collections::HashMap<String, u64> {
    let component_sources: Vec<&str> = sources
        .iter()
        .filter(|(_, src)| defines_component(src))
        .map(|(name, _)| name.as_str())
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.as_str()];
            stack.extend(&component_sources);
            while let Some(current) = stack.pop() {
                if let Some((key, src)) = sources.get_key_value(current) {
                    if seen.insert(key.as_str()) {
                        stack.extend(referenced_templates(src));
                    }
                }
            }
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for dep in seen {
                hasher.update(dep.as_bytes());
                hasher.update(sources[dep].as_bytes());
            }
            (name.clone(), hasher.digest())
        })
        .collect()
}

/// True when a template defines a component (`{% component name(...) %}`).
fn defines_component(src: &str) -> bool {
    src.split("{%").skip(1).any(|tag| {
        tag.trim_start_matches('-')
            .trim_start()
            .starts_with("component ")
    })
}

/// The names in `{% extends "x" %}` and `{% include "x" %}`.
fn referenced_templates(src: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for tag in src.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let is_ref = ["extends", "include"].iter().any(|kw| tag.starts_with(kw));
        if !is_ref {
            continue;
        }
        let body = tag.split("%}").next().unwrap_or("");
        for quoted in body.split(['"', '\'']).skip(1).step_by(2) {
            names.push(quoted);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_follows_extends_include_and_components() {
        let mut sources = BTreeMap::new();
        sources.insert(
            "base.html".to_string(),
            "B {% include 'nav.html' %}".to_string(),
        );
        sources.insert("nav.html".to_string(), "N".to_string());
        sources.insert(
            "page.html".to_string(),
            "{% extends \"base.html\" %}".to_string(),
        );
        sources.insert("other.html".to_string(), "O".to_string());
        let before = closure_hashes(&sources);
        sources.insert("nav.html".to_string(), "N2".to_string());
        let after = closure_hashes(&sources);
        assert_ne!(before["page.html"], after["page.html"]);
        assert_ne!(before["base.html"], after["base.html"]);
        assert_eq!(before["other.html"], after["other.html"]);
        assert_eq!(before["nav.html"], before["nav.html"]);

        sources.insert(
            "ui.html".to_string(),
            "{% component badge(text) %}<b>{{ text }}</b>{% endcomponent %}".to_string(),
        );
        let with_component = closure_hashes(&sources);
        assert_ne!(after["other.html"], with_component["other.html"]);
    }
}

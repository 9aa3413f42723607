//! `gazette check`: reads a site, writes nothing, and reports what is wrong
//! or probably wrong with it, like a compiler.
//!
//! - every error `build` would report while loading (front matter,
//!   site.toml, templates, data files); when loading fails, only those;
//! - people whose names look like spellings of one another but are not
//!   joined in data/people.yaml ([`crate::model::likely_variants`]);
//! - countries the registry does not know, with the closest known name;
//! - known people and countries named in an article's text but not in its
//!   front matter ([`names`]);
//! - links to pages or files of this site that the build does not produce
//!   ([`links`]; errors);
//! - two articles with the same slug in different months;
//! - articles that probably belong to a running story but do not say so
//!   ([`stories`]; notes).
//!
//! Every article body is read once and scanned in one pass.

mod links;
mod names;
mod stories;

// `gazette import` finds the people and countries of a wire story with it.
pub(crate) use names::NameScanner;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Severity};
use crate::load::{self, Article, ArticleId, LoadOptions};
use crate::model::{likely_variants, Kind, Term};
use crate::site::Site;

/// Every finding about the site in `root`, sorted by path, line and column.
pub fn check(root: &Path, options: &LoadOptions) -> Vec<Diagnostic> {
    let mut found = match Site::load_what_loads(root, options) {
        // Articles that fail to load are reported, and the rest is checked.
        Ok((Some(site), mut broken)) => {
            let unreadable = broken.iter().map(|d| d.path.clone()).collect();
            let mut found = check_site(&site, &unreadable);
            found.append(&mut broken);
            found
        }
        Ok((None, errors)) | Err(Error::Input(errors)) => errors,
        Err(e) => vec![Diagnostic::file(root, e.to_string())],
    };
    found.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
    found.dedup();
    found
}

/// The findings (unsorted) about the articles that loaded, when the files
/// in `unreadable` did not (a link to one of them is not a broken link:
/// the file's own error says what is wrong).
fn check_site(site: &Site, unreadable: &HashSet<PathBuf>) -> Vec<Diagnostic> {
    let mut found = site.warnings().to_vec();
    found.extend(name_variants(site));
    found.extend(unknown_countries(site));
    found.extend(slugs_in_two_months(site));
    found.extend(stories::story_suggestions(site));
    found.extend(scan_bodies(site, unreadable));
    found
}

/// `N errors, M warnings`.
pub fn findings_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    )
}

/// The findings as a JSON array of `{path, line, column, severity,
/// message}` (line and column are null when unknown).
pub fn findings_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    diagnostics
        .iter()
        .map(|d| {
            let path = d.path.strip_prefix(".").unwrap_or(&d.path);
            serde_json::json!({
                "path": path.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.column,
                "severity": d.severity.to_string(),
                "message": d.message,
            })
        })
        .collect()
}

/// Reads every article once; finds names missing from its front matter
/// and broken links.
fn scan_bodies(site: &Site, unreadable: &HashSet<PathBuf>) -> Vec<Diagnostic> {
    let scanner = names::NameScanner::new(site.entities(), site.index());
    let links = links::LinkChecker::new(site, unreadable);
    let articles = site.articles();
    (0..articles.len())
        .into_par_iter()
        .flat_map_iter(|id| {
            let article = &articles[id];
            let text = match std::fs::read_to_string(&article.file) {
                Ok(text) => text,
                Err(e) => {
                    return vec![Diagnostic::file(&article.file, format!("cannot read: {e}"))]
                }
            };
            let Some(body) = load::body(&text) else {
                return vec![Diagnostic::file(
                    &article.file,
                    "the file changed during the check: check again",
                )];
            };
            // The body is the end of the file: its offsets shift by this much.
            let start = text.len() - body.len();
            let mut found: Vec<(usize, Diagnostic)> = Vec::new();
            for m in scanner.missing(body, &scanner.present(site.index(), id)) {
                let shown = if m.written == m.name {
                    format!("`{}`", m.written)
                } else {
                    format!("`{}` ({})", m.written, m.name)
                };
                let message = format!(
                    "{shown} is named in the text but is not in this article's `{}`",
                    m.kind.key()
                );
                found.push((start + m.offset, warning(&article.file, 0, 0, message)));
            }
            for link in links.broken(body, article) {
                let error = Diagnostic::at(&article.file, 0, 0, link.message);
                found.push((start + link.offset, error));
            }
            found.sort_by_key(|(offset, _)| *offset);
            let mut locator = Locator::new(&text);
            found
                .into_iter()
                .map(|(offset, mut d)| {
                    let (line, column) = locator.at(offset);
                    (d.line, d.column) = (Some(line), Some(column));
                    d
                })
                .collect()
        })
        .collect()
}

/// Unknown people whose names look like one another's.
fn name_variants(site: &Site) -> Vec<Diagnostic> {
    let people = site.index().taxonomy(Kind::People);
    let mut term_of: HashMap<&str, &Term> = HashMap::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for term in people.terms.iter().filter(|t| t.key.starts_with('?')) {
        for (spelling, count) in &term.spellings {
            term_of.insert(spelling, term);
            names.push((spelling.clone(), *count));
        }
    }
    let mut found = Vec::new();
    for group in likely_variants(&names) {
        let all: Option<Vec<(&str, &Term)>> = std::iter::once(&group.canonical)
            .chain(&group.aliases)
            .map(|name| term_of.get(name.as_str()).map(|&t| (name.as_str(), t)))
            .collect();
        let Some(mut all) = all else { continue };
        let canonical = all.remove(0);
        // Located where the newest article writes one of the variants,
        // which is named first.
        let Some(newest) = (0..all.len())
            .filter(|&i| !all[i].1.articles.is_empty())
            .min_by_key(|&i| site.index().rank[all[i].1.articles[0]])
        else {
            continue;
        };
        all[..=newest].rotate_right(1);
        let (name, term) = all[0];
        let id = term.articles[0];
        let written = written_as(site, id, Kind::People, &term.key).unwrap_or(name);
        let counted =
            |(name, t): (&str, &Term)| format!("`{name}` ({})", articles(t.articles.len()));
        let variants: Vec<String> = all.iter().copied().map(counted).collect();
        let verb = if variants.len() == 1 { "looks" } else { "look" };
        let suggestion: String = crate::model::suggestion_yaml(&group)
            .lines()
            .map(|l| format!("\n  {l}"))
            .collect();
        let message = format!(
            "{} {verb} like {}: if they are one person, add to data/people.yaml:{suggestion}",
            variants.join(", "),
            counted(canonical),
        );
        found.push(front_matter_warning(
            site,
            id,
            Kind::People,
            written,
            message,
        ));
    }
    found
}

/// Countries the registry does not know, at their newest mention.
fn unknown_countries(site: &Site) -> Vec<Diagnostic> {
    let countries = site.index().taxonomy(Kind::Countries);
    let mut found = Vec::new();
    for term in countries.terms.iter().filter(|t| t.key.starts_with('?')) {
        let Some(&id) = term.articles.first() else {
            continue;
        };
        let written = written_as(site, id, Kind::Countries, &term.key).unwrap_or(&term.name);
        let hint = match site.entities().countries.closest(written) {
            Some((near, _)) => format!("did you mean `{}`?", near.name),
            None => "add it to data/countries.yaml, or use a country's name or code".to_string(),
        };
        let message = format!(
            "unknown country `{written}` ({}): {hint}",
            articles(term.articles.len())
        );
        found.push(front_matter_warning(
            site,
            id,
            Kind::Countries,
            written,
            message,
        ));
    }
    found
}

/// Articles of different months with one slug: each later one names the
/// earliest. (The same page twice is a load error already.)
fn slugs_in_two_months(site: &Site) -> Vec<Diagnostic> {
    let articles = site.articles();
    let mut by_slug: HashMap<&str, Vec<&Article>> = HashMap::new();
    for a in articles {
        by_slug.entry(&a.slug).or_default().push(a);
    }
    let mut found = Vec::new();
    for group in by_slug.values_mut().filter(|g| g.len() > 1) {
        group.sort_by(|a, b| (a.date, &a.rel).cmp(&(b.date, &b.rel)));
        let first = group[0];
        for a in &group[1..] {
            let text = std::fs::read_to_string(&a.file).unwrap_or_default();
            let (line, column) = key_position(&text, "slug").unwrap_or((1, 1));
            found.push(warning(
                &a.file,
                line,
                column,
                format!(
                    "the slug `{}` is also content/{}'s ({}): two months have an article with this slug; if they are different stories, give one a more specific `slug`",
                    a.slug, first.rel, first.path
                ),
            ));
        }
    }
    found
}

/// The spelling article `id` uses in its `kind` list for the entity `key`.
fn written_as<'s>(site: &'s Site, id: ArticleId, kind: Kind, key: &str) -> Option<&'s str> {
    kind.names(&site.articles()[id])
        .iter()
        .find(|n| site.entities().identify(kind, n).key == key)
        .map(|n| n.as_str())
}

/// A warning at the place article `id`'s front matter writes `name` in
/// its `kind` list (else at the list's key, else at the top).
fn front_matter_warning(
    site: &Site,
    id: ArticleId,
    kind: Kind,
    name: &str,
    message: String,
) -> Diagnostic {
    let file = &site.articles()[id].file;
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let (line, column) = name_position(&text, kind.key(), name)
        .or_else(|| key_position(&text, kind.key()))
        .unwrap_or((1, 1));
    warning(file, line, column, message)
}

fn warning(path: &Path, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic::at(path, line, column, message).warning()
}

fn articles(n: usize) -> String {
    format!("{n} article{}", if n == 1 { "" } else { "s" })
}

/// The lines of a file's front matter, with their 1-based line numbers.
fn front_matter_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (yaml, first) = match load::split(text) {
        Ok(split) => (split.yaml, split.yaml_line),
        Err(_) => ("", 1),
    };
    yaml.lines().enumerate().map(move |(i, l)| (first + i, l))
}

/// Where the top-level `key:` of the front matter is (its line, column 1).
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    front_matter_lines(text)
        .find(|(_, line)| is_key_line(line, key))
        .map(|(n, _)| (n, 1))
}

fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// Where `name` is written as a whole word in the `key:` list of the front
/// matter: on the key's line (`people: [A, B]`) or the lines under it.
fn name_position(text: &str, key: &str, name: &str) -> Option<(usize, usize)> {
    let mut in_list = false;
    for (n, line) in front_matter_lines(text) {
        if is_key_line(line, key) {
            in_list = true;
        } else if line.starts_with(|c: char| !(c.is_whitespace() || c == '-' || c == '#')) {
            in_list = false;
        }
        if !in_list || name.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(i) = line[from..].find(name).map(|i| from + i) {
            if names::whole_word(line, i, i + name.len()) {
                return Some((n, line[..i].chars().count() + 1));
            }
            from = i + line[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// Turns increasing byte offsets of one text into 1-based (line, column)
/// positions in a single pass (columns in characters).
struct Locator<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Self {
        Locator {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            *self = Locator::new(self.text);
        }
        let offset = offset.min(self.text.len());
        let passed = &self.text[self.offset..offset];
        match passed.rfind('\n') {
            Some(i) => {
                self.line += passed.bytes().filter(|&b| b == b'\n').count();
                self.column = passed[i + 1..].chars().count() + 1;
            }
            None => self.column += passed.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::line_col;

    #[test]
    fn locator_matches_line_col() {
        let text = "ab\ncdé\n\nfg hé\nx";
        let mut locator = Locator::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &o in &offsets {
            assert_eq!(locator.at(o), line_col(text, o), "{o}");
        }
        assert_eq!(locator.at(3), (2, 1));
    }

    #[test]
    fn names_are_found_in_their_list() {
        let text = "---\ntitle: Ann Lee\npeople: [Bo Li, Ann Lee]\ncountries:\n  - Joann Leeland\n  - \"Ann Lee\"\ntags: [Ann Lee]\n---\nAnn Lee\n";
        assert_eq!(name_position(text, "people", "Ann Lee"), Some((3, 17)));
        assert_eq!(name_position(text, "countries", "Ann Lee"), Some((6, 6)));
        assert_eq!(name_position(text, "countries", "Bo Li"), None);
        assert_eq!(key_position(text, "countries"), Some((4, 1)));
        assert_eq!(key_position(text, "slug"), None);
        let top_level_items = "---\npeople:\n- Ann Lee\ndate: 2026-01-01\n---\n";
        assert_eq!(
            name_position(top_level_items, "people", "Ann Lee"),
            Some((3, 3))
        );
    }

    #[test]
    fn summary_counts() {
        let e = Diagnostic::at("a.md", 1, 1, "x");
        let w = e.clone().warning();
        assert_eq!(findings_summary(&[]), "0 errors, 0 warnings");
        assert_eq!(
            findings_summary(&[e.clone(), w.clone(), w]),
            "1 error, 2 warnings"
        );
        let json = findings_json(&[e]);
        assert_eq!(json[0]["path"], "a.md");
        assert_eq!(json[0]["line"], 1);
        assert_eq!(json[0]["severity"], "error");
    }
}

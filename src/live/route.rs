//! Which way a batch of changed paths goes: each path is sorted by what it
//! is to the site ([`classify`]), the batch becomes the site's [`Changed`]
//! (or a full reload), and what the site says the change reached names the
//! [`Route`] the terminal prints. Pure: nothing here reads the site.

use std::path::Path;

use crate::site::{Changed, Reached};

/// The route a batch of changes took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route {
    /// Nothing gazette reads changed.
    None,
    /// The whole site loaded again: the first load, site.toml, a folder
    /// coming or going under static/ or content/. The files follow in the
    /// background.
    Full,
    /// Only files copied as they are changed.
    Copy,
    /// Only article bodies changed: their own pages were rendered.
    Body,
    /// Article metadata changed: the pages that show them were checked.
    Metadata,
    /// Something every page shows changed (the years, a term's name):
    /// every page is checked in the background.
    Everything,
    /// Templates changed: every page is checked in the background.
    Templates,
    /// data/ changed: the index was built again from the articles in
    /// memory, and every page is checked in the background.
    Data,
}

impl Route {
    /// The route's name, as the terminal prints it.
    pub fn name(self) -> &'static str {
        match self {
            Route::None => "none",
            Route::Full => "full",
            Route::Copy => "copy",
            Route::Body => "body",
            Route::Metadata => "metadata",
            Route::Everything => "everything",
            Route::Templates => "templates",
            Route::Data => "data",
        }
    }

    /// The route of an edit that reached `reach`.
    pub(crate) fn of(reach: &Reached) -> Route {
        match reach {
            Reached::Copies => Route::Copy,
            Reached::Bodies(_) => Route::Body,
            Reached::Pages { .. } => Route::Metadata,
            Reached::EveryPage => Route::Everything,
            Reached::Templates => Route::Templates,
            Reached::Data => Route::Data,
        }
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// An article file under content/ (edited, new or deleted).
    Article(std::path::PathBuf),
    /// Something else under content/ (an image, a folder, an editor's temp
    /// file), which only the loaded site can tell apart.
    ContentOther(std::path::PathBuf),
    /// A file under static/, copied as it is: its path in the site and its
    /// source file (which may be gone).
    Copy(String, std::path::PathBuf),
    /// A file under templates/.
    Template,
    /// A file under data/ (people.yaml, countries.yaml): the index is built
    /// again from the articles in memory.
    Data,
    /// site.toml, or a folder under static/: everything is loaded again.
    Everything,
}

/// Sorts a changed path into a [`Change`]; `None` for paths gazette does
/// not read (the output, editor temp files...).
pub(crate) fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let top = parts.next()?;
    let name = path.file_name()?.to_string_lossy();
    if crate::load::is_ignored_name(&name) {
        return None;
    }
    match top.as_ref() {
        "site.toml" => Some(Change::Everything),
        "data" => Some(Change::Data),
        "templates" => Some(Change::Template),
        // A folder appearing or going under static/ changes many files at once.
        "static" if path.is_dir() || rel.components().count() == 1 => Some(Change::Everything),
        "static" => {
            let rest: Vec<_> = parts.collect();
            Some(Change::Copy(rest.join("/"), path.to_path_buf()))
        }
        "content" if name.ends_with(".md") && !path.is_dir() => {
            Some(Change::Article(path.to_path_buf()))
        }
        "content" => Some(Change::ContentOther(path.to_path_buf())),
        _ => None,
    }
}

/// The site's view of a batch of changes; `None` when one of them needs
/// the whole site loaded again.
pub(crate) fn changed(changes: Vec<Change>) -> Option<Changed> {
    let mut changed = Changed::default();
    for change in changes {
        match change {
            Change::Article(path) => changed.articles.push(path),
            Change::ContentOther(path) => changed.content_other.push(path),
            Change::Copy(rel, source) => changed.copies.push((rel, source)),
            Change::Template => changed.templates = true,
            Change::Data => changed.data = true,
            Change::Everything => return None,
        }
    }
    Some(changed)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn paths_are_sorted_by_what_they_are_to_the_site() {
        let root = Path::new("/nowhere/site");
        let at = |p: &str| classify(root, &root.join(p));
        let file = |p: &str| root.join(p);
        assert_eq!(at("site.toml"), Some(Change::Everything));
        assert_eq!(at("data/people.yaml"), Some(Change::Data));
        assert_eq!(at("templates/base.html"), Some(Change::Template));
        assert_eq!(
            at("static/img/logo.png"),
            Some(Change::Copy(
                "img/logo.png".into(),
                file("static/img/logo.png")
            ))
        );
        assert_eq!(at("static"), Some(Change::Everything));
        assert_eq!(
            at("content/2026/a.md"),
            Some(Change::Article(file("content/2026/a.md")))
        );
        assert_eq!(
            at("content/a.jpg"),
            Some(Change::ContentOther(file("content/a.jpg")))
        );
        assert_eq!(at("content/.#a.md"), None, "an editor's lock file");
        assert_eq!(at("content/a.md~"), None);
        assert_eq!(at("public/index.html"), None);
        assert_eq!(classify(root, Path::new("/elsewhere/a.md")), None);
    }

    #[test]
    fn a_batch_becomes_the_sites_change_unless_it_reloads() {
        let changes = vec![
            Change::Article(PathBuf::from("a.md")),
            Change::Copy("x.css".into(), PathBuf::from("static/x.css")),
            Change::Template,
        ];
        let sorted = changed(changes.clone()).expect("no reload");
        assert_eq!(sorted.articles, [PathBuf::from("a.md")]);
        assert_eq!(sorted.copies.len(), 1);
        assert!(sorted.templates && !sorted.data);
        let mut reload = changes;
        reload.push(Change::Everything);
        assert_eq!(changed(reload), None);
    }

    #[test]
    fn each_reach_has_its_route() {
        assert_eq!(Route::of(&Reached::Copies), Route::Copy);
        assert_eq!(Route::of(&Reached::Bodies(vec![0])), Route::Body);
        let pages = Reached::Pages {
            check: Vec::new(),
            removed: Default::default(),
        };
        assert_eq!(Route::of(&pages), Route::Metadata);
        assert_eq!(Route::of(&Reached::EveryPage), Route::Everything);
        assert_eq!(Route::of(&Reached::Templates), Route::Templates);
        assert_eq!(Route::of(&Reached::Data), Route::Data);
    }
}

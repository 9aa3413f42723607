//! Links in article bodies that point at pages or files this site does not
//! produce. Links are resolved exactly as the renderer resolves them
//! ([`SiteLinks`]); those landing under base_url are looked up among the
//! pages the build would render and the files it would copy.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag};

use crate::load::Article;
use crate::load::Config;
use crate::markdown::{options, LinkResolver};
use crate::render::{join_relative, SiteLinks};
use crate::site::{Site, GENERATED};

/// A broken link: where it starts in the body, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenLink {
    /// Byte offset of the link in the body.
    pub(crate) offset: usize,
    /// What is wrong with it.
    pub(crate) message: String,
}

/// Everything needed to tell whether a link lands somewhere.
pub(crate) struct LinkChecker<'a> {
    config: &'a Config,
    /// Article files under content/ -> their page paths (as the renderer has them).
    targets: HashMap<&'a str, &'a str>,
    /// Every path the build produces: pages (`/2026/02/x/`) and files (`/humans.txt`).
    paths: HashSet<String>,
    content_dir: std::path::PathBuf,
    /// Article files that failed to load (reported on their own).
    unreadable: &'a HashSet<std::path::PathBuf>,
}

impl<'a> LinkChecker<'a> {
    /// Lists the pages the build of `site` would render and the files it
    /// would copy (static/ and content/'s non-markdown files).
    pub(crate) fn new(
        site: &'a Site,
        unreadable: &'a HashSet<std::path::PathBuf>,
    ) -> LinkChecker<'a> {
        let renderer = site.renderer();
        let mut paths: HashSet<String> = renderer
            .pages()
            .into_iter()
            .map(|page| renderer.path(page))
            .collect();
        // The theme's files the build writes besides pages and copies.
        paths.extend(GENERATED.iter().map(|p| format!("/{p}")));
        // static/ files and content/ assets: what the build copies.
        paths.extend(
            site.files_to_copy()
                .into_keys()
                .map(|rel| format!("/{rel}")),
        );
        LinkChecker {
            config: site.config(),
            targets: site
                .articles()
                .iter()
                .map(|a| (a.rel.as_str(), a.path.as_str()))
                .collect(),
            paths,
            content_dir: site.root().join("content"),
            unreadable,
        }
    }

    /// The links and images of `body` (the markdown of `article`) that
    /// lead nowhere, in text order.
    pub(crate) fn broken(&self, body: &str, article: &Article) -> Vec<BrokenLink> {
        let dir = article.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut found = Vec::new();
        for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
            let (dest, image) = match &event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => continue,
            };
            // A photo of the body is shown by its copies (its file was read
            // at load, and a missing one is an error there).
            if image
                && article
                    .body_images
                    .iter()
                    .any(|p| p.written == dest.as_ref())
            {
                continue;
            }
            if let Some(message) = self.problem(dest, dir) {
                found.push(BrokenLink {
                    offset: range.start,
                    message,
                });
            }
        }
        found
    }

    /// What is wrong with the link `dest` written in an article of `dir`.
    pub(crate) fn problem(&self, dest: &str, dir: &str) -> Option<String> {
        let resolver = SiteLinks {
            config: self.config,
            targets: &self.targets,
            dir,
            photos: &[],
        };
        let base = &self.config.base_url;
        let url = match resolver.resolve(dest) {
            Some(url) => url,
            None if is_relative(dest) => return self.unresolved_relative(dest, dir),
            // Written in full: checked only if it is under base_url.
            None => dest.to_string(),
        };
        let rest = url.strip_prefix(base.as_str())?;
        if !(rest.is_empty() || rest.starts_with(['/', '#', '?'])) {
            return None; // `https://example.org.evil/`, not this site.
        }
        let path = &rest[..rest.find(['#', '?']).unwrap_or(rest.len())];
        let path = percent_decode_str(path).decode_utf8_lossy();
        if self.exists(&path) {
            return None;
        }
        let shown = if path.is_empty() { "/" } else { &path };
        Some(format!(
            "broken link `{dest}`: the site has no page or file {shown}"
        ))
    }

    /// A relative link the renderer left as written: a `.md` file that is
    /// not an article of the build, or a path climbing out of content/.
    fn unresolved_relative(&self, dest: &str, dir: &str) -> Option<String> {
        let path = &dest[..dest.find(['#', '?']).unwrap_or(dest.len())];
        let Some(resolved) = join_relative(dir, path) else {
            return Some(format!("broken link `{dest}`: it climbs out of content/"));
        };
        if !resolved.ends_with(".md") {
            return None;
        }
        let file = self.content_dir.join(&resolved);
        if self.unreadable.contains(&file) {
            return None;
        }
        Some(if file.is_file() {
            format!(
                "link `{dest}` to content/{resolved}, which is not published (a draft, or scheduled): its page is built only with --drafts or --future"
            )
        } else {
            format!("broken link `{dest}`: there is no article content/{resolved}")
        })
    }

    /// Whether the build produces `path` (`x/` is also `x/index.html`, and
    /// the reverse; `x` is served as `x/`).
    fn exists(&self, path: &str) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        if self.paths.contains(path) {
            return true;
        }
        if let Some(folder) = path.strip_suffix("index.html") {
            return self.paths.contains(folder);
        }
        if path.ends_with('/') {
            return self.paths.contains(&format!("{path}index.html"));
        }
        self.paths.contains(&format!("{path}/"))
    }
}

/// A path the renderer resolves from the article's folder.
fn is_relative(dest: &str) -> bool {
    !(dest.is_empty() || dest.starts_with(['#', '?', '/']) || url::Url::parse(dest).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn checker<'c>(
        config: &'c Config,
        paths: &[&str],
        targets: &[(&'static str, &'static str)],
    ) -> LinkChecker<'c> {
        LinkChecker {
            config,
            targets: targets.iter().copied().collect(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            content_dir: std::path::PathBuf::from("/nonexistent/content"),
            unreadable: Box::leak(Box::default()),
        }
    }

    #[test]
    fn links_are_resolved_like_the_renderer() {
        let config = Config::parse(
            Path::new("site.toml"),
            "title = \"T\"\nbase_url = \"https://e.org/news/\"\n",
        )
        .unwrap();
        let c = checker(
            &config,
            &[
                "/",
                "/people/",
                "/2026/01/a/",
                "/2026/02/photo.jpg",
                "/docs/index.html",
                "/a b.txt",
            ],
            &[("2026/01/a.md", "/2026/01/a/")],
        );
        let ok = [
            "/people/",
            "/people",
            "/people/index.html",
            "/",
            "../01/a.md#top",
            "photo.jpg",
            "/docs/",
            "/a%20b.txt",
            "https://e.org/news/2026/01/a/?x=1",
            "https://e.org/news",
            "https://e.org/other/",
            "https://e.org/newsroom/",
            "https://other.org/x",
            "mailto:a@b.org",
            "#top",
        ];
        for dest in ok {
            assert_eq!(c.problem(dest, "2026/02"), None, "{dest}");
        }
        for (dest, expected) in [
            (
                "/2026/02/nope/",
                "the site has no page or file /2026/02/nope/",
            ),
            ("https://e.org/news/x/", "the site has no page or file /x/"),
            ("other.md", "there is no article content/2026/02/other.md"),
            ("../../../x.jpg", "climbs out of content/"),
            ("pic.png", "no page or file /2026/02/pic.png"),
        ] {
            let problem = c.problem(dest, "2026/02").unwrap_or_default();
            assert!(problem.contains(expected), "{dest}: {problem}");
        }
    }

    #[test]
    fn join() {
        assert_eq!(
            join_relative("2026/02", "../01/a.md").as_deref(),
            Some("2026/01/a.md")
        );
        assert_eq!(join_relative("", "../x"), None);
    }
}

//! Links written in an article's markdown, resolved to URLs of the site:
//! `/path` goes under base_url, a relative file resolves from the
//! article's folder, and `other.md` becomes that article's page.

use std::collections::HashMap;

use crate::load::Config;
use crate::markdown::LinkResolver;

/// Resolves links written in an article: `/path` under base_url, relative
/// files beside the article, and `other.md` to that article's page.
pub(crate) struct SiteLinks<'r> {
    /// The site's settings (for base_url).
    pub(crate) config: &'r Config,
    /// Article files under content/ -> their page paths.
    pub(crate) targets: &'r HashMap<&'r str, &'r str>,
    /// The article's folder under content/ (`2026/02`).
    pub(crate) dir: &'r str,
    /// The photos of the article's body.
    pub(crate) photos: &'r [crate::load::Photo],
}

impl LinkResolver for SiteLinks<'_> {
    fn photo(&self, dest: &str) -> Option<crate::markdown::BodyPhoto> {
        let photo = self.photos.iter().find(|p| p.written == dest)?;
        let view = super::photo::PhotoView::of(self.config, photo)?;
        Some(crate::markdown::BodyPhoto {
            src: view.src,
            srcset: view.srcset,
            width: view.width,
            height: view.height,
            colour: view.colour,
        })
    }

    fn resolve(&self, dest: &str) -> Option<String> {
        let config = self.config;
        if dest.is_empty()
            || dest.starts_with('#')
            || dest.starts_with('?')
            || dest.starts_with("//")
        {
            return None;
        }
        if dest.starts_with('/') {
            return Some(config.permalink(dest));
        }
        if url::Url::parse(dest).is_ok() {
            return None;
        }
        let split_at = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split_at);
        let resolved = join_relative(self.dir, path)?;
        if resolved.ends_with(".md") {
            let target = self.targets.get(resolved.as_str())?;
            return Some(format!("{}{suffix}", config.permalink(target)));
        }
        Some(format!(
            "{}{suffix}",
            config.permalink(&format!("/{resolved}"))
        ))
    }
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` when
/// it climbs out of content/.
pub(crate) fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_joins() {
        assert_eq!(
            join_relative("2026/02", "photo.jpg").as_deref(),
            Some("2026/02/photo.jpg")
        );
        assert_eq!(
            join_relative("2026/02", "../01/a.md").as_deref(),
            Some("2026/01/a.md")
        );
        assert_eq!(join_relative("", "../x"), None);
    }

    #[test]
    fn links_resolve_under_base_url() {
        let config = Config::parse(
            std::path::Path::new("site.toml"),
            "title = \"T\"\nbase_url = \"https://e.org/archive/\"\n",
        )
        .unwrap();
        let mut targets = HashMap::new();
        targets.insert("2026/01/a.md", "/2026/01/a/");
        let links = SiteLinks {
            config: &config,
            targets: &targets,
            dir: "2026/02",
            photos: &[],
        };
        assert_eq!(
            links.resolve("/people/").as_deref(),
            Some("https://e.org/archive/people/")
        );
        assert_eq!(
            links.resolve("../01/a.md#x").as_deref(),
            Some("https://e.org/archive/2026/01/a/#x")
        );
        assert_eq!(
            links.resolve("photo.jpg").as_deref(),
            Some("https://e.org/archive/2026/02/photo.jpg")
        );
        assert_eq!(links.resolve("https://other.org/x"), None);
        assert_eq!(links.resolve("#top"), None);
        assert_eq!(links.resolve("missing.md"), None);
    }
}

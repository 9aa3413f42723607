//! The headers each published file is stored with: its `Content-Type`
//! (with a charset for text), a `Cache-Control` by what the file is, and a
//! `Content-Encoding` when the target stores compressed bodies; a target's
//! `[[deploy.headers]]` rules override the first two.

use super::target::{Encoding, Target};

/// What HTML, feeds, sitemaps and the search data get: a reader sees a
/// new build at once (the host answers "not modified" while unchanged).
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// Photo copies are named by their content: they never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Stylesheets, scripts and static files keep their names across builds:
/// cached for ten minutes, so a changed stylesheet reaches readers soon.
const SHORT: &str = "public, max-age=600";

/// The headers of one stored file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Headers {
    /// `Content-Type`.
    pub(crate) content_type: String,
    /// `Cache-Control`.
    pub(crate) cache_control: String,
    /// `Content-Encoding`, when the body is stored compressed.
    pub(crate) encoding: Option<Encoding>,
}

impl Headers {
    /// A stable hash of the headers, so that a changed rule republishes
    /// the files it changes.
    pub(crate) fn hash(&self) -> u64 {
        let text = format!(
            "{}\n{}\n{}",
            self.content_type,
            self.cache_control,
            self.encoding.map_or("", Encoding::header)
        );
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

/// The headers `target` stores the output file `path` with.
pub(crate) fn headers_for(path: &str, target: &Target) -> Headers {
    let rule = target.headers.iter().find(|r| r.glob.is_match(path));
    let content_type = rule
        .and_then(|r| r.content_type.clone())
        .unwrap_or_else(|| content_type(path));
    let cache_control = rule
        .and_then(|r| r.cache_control.clone())
        .unwrap_or_else(|| default_cache_control(path).to_string());
    let encoding = target.precompress.filter(|_| compressible(&content_type));
    Headers {
        content_type,
        cache_control,
        encoding,
    }
}

/// The type of `path` by its extension, with `charset=utf-8` for text.
pub(crate) fn content_type(path: &str) -> String {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let named = match ext {
        "xml" if path.ends_with("atom.xml") => Some("application/atom+xml"),
        "json" if path.ends_with("feed.json") => Some("application/feed+json"),
        "bin" => Some("application/octet-stream"),
        "js" | "mjs" => Some("text/javascript"),
        _ => None,
    };
    let mime = named.map_or_else(
        || {
            mime_guess::from_ext(ext)
                .first_or_octet_stream()
                .essence_str()
                .to_string()
        },
        str::to_string,
    );
    if is_text(&mime) {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

fn is_text(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("+json")
        || matches!(
            mime,
            "application/json" | "application/xml" | "application/javascript"
        )
}

/// Worth compressing: text, and the search index's binary files.
fn compressible(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("");
    is_text(mime) || mime == "application/octet-stream" || mime == "image/svg+xml"
}

fn default_cache_control(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    if path.starts_with(crate::images::PHOTOS_DIR.trim_start_matches('/')) {
        IMMUTABLE
    } else if matches!(ext, "html" | "xml" | "json" | "bin" | "txt") {
        REVALIDATE
    } else {
        SHORT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::target::HeaderRule;

    fn target(precompress: Option<Encoding>, rules: &[(&str, &str)]) -> Target {
        Target {
            name: "t".into(),
            bucket: "b".into(),
            prefix: String::new(),
            endpoint: None,
            region: None,
            path_style: false,
            precompress,
            headers: rules
                .iter()
                .map(|(glob, cc)| HeaderRule {
                    glob: globset::Glob::new(glob).unwrap().compile_matcher(),
                    cache_control: Some(cc.to_string()),
                    content_type: None,
                })
                .collect(),
            max_deletes: 10,
        }
    }

    #[test]
    fn text_has_a_charset_and_pages_revalidate() {
        let t = target(None, &[]);
        let page = headers_for("2026/02/x/index.html", &t);
        assert_eq!(page.content_type, "text/html; charset=utf-8");
        assert_eq!(page.cache_control, REVALIDATE);
        assert_eq!(page.encoding, None);
        let feed = headers_for("people/ann/atom.xml", &t);
        assert_eq!(feed.content_type, "application/atom+xml; charset=utf-8");
        assert_eq!(feed.cache_control, REVALIDATE);
        assert_eq!(
            headers_for("search/words/1.bin", &t).cache_control,
            REVALIDATE
        );
        assert_eq!(
            headers_for("theme.css", &t).content_type,
            "text/css; charset=utf-8"
        );
        assert_eq!(headers_for("theme.css", &t).cache_control, SHORT);
        assert_eq!(
            headers_for("favicon.svg", &t).content_type,
            "image/svg+xml; charset=utf-8"
        );
        let photo = headers_for("photos/ab/ab12-w800.jpg", &t);
        assert_eq!(photo.content_type, "image/jpeg");
        assert_eq!(photo.cache_control, IMMUTABLE);
    }

    #[test]
    fn the_first_matching_rule_wins_and_photos_stay_uncompressed() {
        let t = target(
            Some(Encoding::Brotli),
            &[("*.css", "public, max-age=60"), ("**", "no-store")],
        );
        assert_eq!(
            headers_for("theme.css", &t).cache_control,
            "public, max-age=60"
        );
        assert_eq!(headers_for("index.html", &t).cache_control, "no-store");
        assert_eq!(
            headers_for("index.html", &t).encoding,
            Some(Encoding::Brotli)
        );
        assert_eq!(headers_for("photos/ab/x.jpg", &t).encoding, None);
        assert_ne!(
            headers_for("theme.css", &t).hash(),
            headers_for("theme.css", &target(None, &[])).hash()
        );
    }
}

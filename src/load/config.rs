//! `site.toml`: the site's settings, parsed strictly (an unknown key is an
//! error naming its line) and validated (base_url, timezone, theme).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{line_col, Diagnostic, Error, Result};
use crate::markdown::RawHtml;

/// The file name of a site's configuration.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Default syntax-highlighting theme (one of syntect's bundled themes).
pub(crate) const DEFAULT_THEME: &str = "InspiredGitHub";

/// A site's validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's title.
    pub(crate) title: String,
    /// Absolute base URL without a trailing slash, e.g. `https://example.org/archive`.
    pub(crate) base_url: String,
    /// A one-line description, used in feeds and meta tags.
    pub(crate) description: String,
    /// The language of the site (`lang` attribute, feed language).
    pub(crate) language: String,
    /// Where `build` writes, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    /// Articles per page on every paginated list.
    pub(crate) per_page: usize,
    /// Time zone for dates written without an offset.
    pub(crate) timezone: chrono_tz::Tz,
    /// Name of the syntect theme used for the code stylesheet.
    pub(crate) highlight_theme: String,
    /// Free table handed to templates as `site.extra`.
    pub(crate) extra: serde_json::Value,
    /// What happens to raw HTML in article bodies (`[markdown] raw_html`).
    pub(crate) raw_html: RawHtml,
    /// Whether the site has a search page and index (`[search] enabled`).
    pub(crate) search: bool,
    /// `[images]`: the copies made of photos, and where they are cached.
    pub(crate) images: crate::images::Settings,
    /// `[[deploy]]`: where `gazette deploy` publishes.
    pub(crate) deploy: Vec<crate::deploy::Target>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    #[serde(default = "default_per_page")]
    per_page: Spanned<usize>,
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    highlight: RawHighlight,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    images: RawImages,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    deploy: Vec<crate::deploy::RawTarget>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Spanned<Vec<u32>>>,
    quality: Option<Spanned<u8>>,
    cache: Option<PathBuf>,
    #[serde(default)]
    originals: bool,
}

/// The copies' widths when site.toml does not say: a phone's column at
/// 1x and 2x, a desktop column at 1x and 2x, and a large screen.
const DEFAULT_WIDTHS: [u32; 5] = [480, 800, 1200, 1600, 2400];

/// JPEG quality of the copies when site.toml does not say.
const DEFAULT_QUALITY: u8 = 80;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    theme: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: RawHtml,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default = "default_true")]
    enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}

fn default_true() -> bool {
    true
}
fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}
fn default_per_page() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

impl Config {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::one(Diagnostic::file(
                &path,
                format!("cannot read the site configuration: {e}"),
            ))
        })?;
        let mut config = Config::parse(&path, &text).map_err(Error::one)?;
        config.images.cache = root.join(&config.images.cache);
        Ok(config)
    }

    /// Parses the text of a `site.toml` read from `path`.
    pub(crate) fn parse(path: &Path, text: &str) -> Result<Config, Diagnostic> {
        let at = |span: std::ops::Range<usize>, msg: String| {
            let (line, col) = line_col(text, span.start);
            Diagnostic::at(path, line, col, msg)
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            match e.span() {
                Some(span) => at(span, msg),
                None => Diagnostic::file(path, msg),
            }
        })?;
        let base_url =
            parse_base_url(raw.base_url.get_ref()).map_err(|m| at(raw.base_url.span(), m))?;
        let timezone = match &raw.timezone {
            None => chrono_tz::UTC,
            Some(tz) => tz.get_ref().parse().map_err(|_| {
                at(
                    tz.span(),
                    format!(
                        "unknown timezone `{}`: expected an IANA name such as `Europe/Paris` or `UTC`",
                        tz.get_ref()
                    ),
                )
            })?,
        };
        if *raw.per_page.get_ref() == 0 {
            return Err(at(
                raw.per_page.span(),
                "per_page must be at least 1".into(),
            ));
        }
        let highlight_theme = match raw.highlight.theme {
            None => DEFAULT_THEME.to_string(),
            Some(theme) => {
                let name = theme.get_ref();
                if !crate::markdown::theme_exists(name) {
                    return Err(at(
                        theme.span(),
                        format!(
                            "unknown highlight theme `{name}`: expected one of {}",
                            crate::markdown::theme_names().join(", ")
                        ),
                    ));
                }
                name.clone()
            }
        };
        let images = images_settings(raw.images, &at)?;
        let deploy = crate::deploy::check_targets(raw.deploy, &at)?;
        Ok(Config {
            title: raw.title,
            base_url,
            description: raw.description,
            language: raw.language,
            output_dir: raw.output_dir,
            per_page: raw.per_page.into_inner(),
            timezone,
            highlight_theme,
            extra: serde_json::to_value(raw.extra).unwrap_or(serde_json::Value::Null),
            raw_html: raw.markdown.raw_html,
            search: raw.search.enabled,
            images,
            deploy,
        })
    }

    /// Replaces the base URL (e.g. `--base-url`, or the preview server's address).
    pub(crate) fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = parse_base_url(url)?;
        Ok(())
    }

    /// The absolute URL of a site path such as `/people/` or `/atom.xml`.
    pub(crate) fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// `[images]`, checked: widths from 16 to 8192 pixels, a quality from 1 to 100.
fn images_settings(
    raw: RawImages,
    at: &impl Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<crate::images::Settings, Diagnostic> {
    let widths = match raw.widths {
        None => DEFAULT_WIDTHS.to_vec(),
        Some(w) => {
            let span = w.span();
            let mut widths = w.into_inner();
            if widths.is_empty() || widths.iter().any(|w| !(16..=8192).contains(w)) {
                return Err(at(
                    span,
                    "expected a list of widths in pixels, each from 16 to 8192".into(),
                ));
            }
            widths.sort_unstable();
            widths.dedup();
            widths
        }
    };
    let quality = match raw.quality {
        None => DEFAULT_QUALITY,
        Some(q) if (1..=100).contains(q.get_ref()) => q.into_inner(),
        Some(q) => return Err(at(q.span(), "expected a JPEG quality from 1 to 100".into())),
    };
    Ok(crate::images::Settings {
        widths,
        quality,
        cache: raw.cache.unwrap_or_else(crate::images::default_cache_dir),
        originals: raw.originals,
    })
}

/// Validates an absolute http(s) URL and strips its trailing slash.
fn parse_base_url(raw: &str) -> Result<String, String> {
    let parsed = url::Url::parse(raw).map_err(|e| {
        format!(
            "base_url `{raw}` is not an absolute URL ({e}): expected e.g. `https://example.org/`"
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!(
            "base_url `{raw}` must be an http(s) URL with a host, e.g. `https://example.org/`"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base_url `{raw}` must not have a query or fragment"
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("site.toml"), text)
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.org/\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.per_page, 20);
        assert_eq!(c.language, "en");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.timezone, chrono_tz::UTC);
    }

    #[test]
    fn sub_path_base_url_keeps_its_path() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.org/archive/\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/archive");
        assert_eq!(
            c.permalink("/people/"),
            "https://example.org/archive/people/"
        );
    }

    #[test]
    fn unknown_key_names_its_line() {
        let e = parse("title = \"T\"\nbase_url = \"https://e.org\"\nper_pgae = 3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("per_pgae"), "{}", e.message);
    }

    #[test]
    fn missing_base_url_is_an_error() {
        let e = parse("title = \"T\"\n").unwrap_err();
        assert!(e.message.contains("base_url"), "{}", e.message);
    }

    #[test]
    fn bad_timezone_names_its_line() {
        let e = parse("title = \"T\"\nbase_url = \"https://e.org\"\ntimezone = \"Mars/Olympus\"\n")
            .unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn relative_base_url_is_refused() {
        assert!(parse("title = \"T\"\nbase_url = \"/archive\"\n").is_err());
    }
}

//! site.toml's `[[deploy]]` targets: where `gazette deploy` publishes,
//! parsed strictly by `load/config.rs` and checked here (the URL, the
//! endpoint, the header rules' globs), each error at its line.

use std::ops::Range;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::error::Diagnostic;
pub(crate) use crate::output::Encoding;

/// How many keys a deploy may delete without `--force`.
pub(crate) const DEFAULT_MAX_DELETES: usize = 256;

/// Headers for the files a glob matches, over the defaults.
#[derive(Debug, Clone)]
pub(crate) struct HeaderRule {
    /// Matches output paths such as `photos/ab/x.jpg` (no leading `/`).
    pub(crate) glob: GlobMatcher,
    /// `Cache-Control` for the matched files.
    pub(crate) cache_control: Option<String>,
    /// `Content-Type` for the matched files.
    pub(crate) content_type: Option<String>,
}

/// One `[[deploy]]` target, checked.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// What `--target` names.
    pub(crate) name: String,
    /// The bucket.
    pub(crate) bucket: String,
    /// The key prefix, empty or ending in `/`.
    pub(crate) prefix: String,
    /// An S3-compatible service's address (MinIO, R2, a local server).
    pub(crate) endpoint: Option<String>,
    /// The bucket's region.
    pub(crate) region: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`).
    pub(crate) path_style: bool,
    /// The encoding bodies are stored in, for hosts that do not compress.
    pub(crate) precompress: Option<Encoding>,
    /// Header rules, the first match winning.
    pub(crate) headers: Vec<HeaderRule>,
    /// Deletions allowed without `--force`.
    pub(crate) max_deletes: usize,
}

/// A `[[deploy]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    name: Spanned<String>,
    url: Spanned<String>,
    endpoint: Option<Spanned<String>>,
    region: Option<String>,
    path_style: Option<bool>,
    precompress: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    headers: Vec<RawHeaderRule>,
    max_deletes: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeaderRule {
    glob: Spanned<String>,
    cache_control: Option<String>,
    content_type: Option<String>,
}

/// Checks the targets; `at` makes an error at a span of site.toml.
pub(crate) fn check_targets(
    raw: Vec<RawTarget>,
    at: &impl Fn(Range<usize>, String) -> Diagnostic,
) -> Result<Vec<Target>, Diagnostic> {
    let mut targets: Vec<Target> = Vec::new();
    for raw in raw {
        if targets.iter().any(|t| &t.name == raw.name.get_ref()) {
            return Err(at(
                raw.name.span(),
                format!("a second [[deploy]] target named `{}`", raw.name.get_ref()),
            ));
        }
        targets.push(check_target(raw, at)?);
    }
    Ok(targets)
}

fn check_target(
    raw: RawTarget,
    at: &impl Fn(Range<usize>, String) -> Diagnostic,
) -> Result<Target, Diagnostic> {
    let (bucket, prefix) = parse_url(raw.url.get_ref()).map_err(|m| at(raw.url.span(), m))?;
    let endpoint = match raw.endpoint {
        None => None,
        Some(e) => {
            let text = e.get_ref().trim_end_matches('/').to_string();
            match url::Url::parse(&text) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
                _ => {
                    return Err(at(
                        e.span(),
                        format!("endpoint `{text}` is not an http:// or https:// address"),
                    ))
                }
            }
            Some(text)
        }
    };
    let precompress = match &raw.precompress {
        None => None,
        Some(list) => match list.get_ref().first().map(String::as_str) {
            None => None,
            Some("gzip") => Some(Encoding::Gzip),
            Some("br") => Some(Encoding::Brotli),
            Some(other) => {
                return Err(at(
                    list.span(),
                    format!("unknown precompress `{other}`: expected \"br\" or \"gzip\""),
                ))
            }
        },
    };
    let mut headers = Vec::new();
    for rule in raw.headers {
        let glob = Glob::new(rule.glob.get_ref())
            .map_err(|e| at(rule.glob.span(), format!("bad glob: {}", e.kind())))?;
        headers.push(HeaderRule {
            glob: glob.compile_matcher(),
            cache_control: rule.cache_control,
            content_type: rule.content_type,
        });
    }
    Ok(Target {
        name: raw.name.into_inner(),
        bucket,
        prefix,
        path_style: raw.path_style.unwrap_or(endpoint.is_some()),
        endpoint,
        region: raw.region,
        precompress,
        headers,
        max_deletes: raw.max_deletes.unwrap_or(DEFAULT_MAX_DELETES),
    })
}

/// `s3://bucket/some/prefix` -> (`bucket`, `some/prefix/`).
pub(crate) fn parse_url(text: &str) -> Result<(String, String), String> {
    let expected = "expected s3://bucket or s3://bucket/prefix";
    let rest = text
        .strip_prefix("s3://")
        .ok_or_else(|| format!("`{text}` is not an S3 address: {expected}"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !bucket_ok {
        return Err(format!(
            "`{bucket}` is not a bucket name (3 to 63 lower-case letters, digits, dots and dashes): {expected}"
        ));
    }
    let prefix = prefix.trim_matches('/');
    if prefix.split('/').any(|p| p == "." || p == "..") {
        return Err(format!("the prefix `{prefix}` has a `.` or `..` part"));
    }
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    Ok((bucket.to_string(), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_address_names_a_bucket_and_a_prefix() {
        assert_eq!(
            parse_url("s3://news").unwrap(),
            ("news".into(), String::new())
        );
        assert_eq!(
            parse_url("s3://news/").unwrap(),
            ("news".into(), String::new())
        );
        assert_eq!(
            parse_url("s3://news/archive/2026/").unwrap(),
            ("news".into(), "archive/2026/".into())
        );
        assert!(parse_url("https://news/")
            .unwrap_err()
            .contains("not an S3 address"));
        assert!(parse_url("s3://")
            .unwrap_err()
            .contains("not a bucket name"));
        assert!(parse_url("s3://News_Site")
            .unwrap_err()
            .contains("not a bucket name"));
        assert!(parse_url("s3://news/../x").unwrap_err().contains("`..`"));
    }
}

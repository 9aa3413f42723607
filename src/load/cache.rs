//! The preview's memory of the articles it read, kept between starts:
//! each article file's parsed front matter with the size and modification
//! time the file had, so that the next `gazette serve` reads and parses only
//! the files that changed (at 100k articles, reading and parsing 100,000
//! front matters is most of a start). A file whose size or time differs is
//! read again, and so is one modified less than [`RACY`] before it was read
//! (two saves within one tick of the file system's clock look alike). The
//! stored articles are those of one gazette version, time zone and
//! content folder; anything else, or a cache that cannot be read, is
//! ignored. Only the preview uses it: `gazette build` reads every file.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::content::{Article, Content};

/// How recent a modification makes a file's stamp untrustworthy.
const RACY: Duration = Duration::from_secs(2);

/// A file's size and modification time, as the file system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStamp {
    /// Size in bytes.
    pub(crate) size: u64,
    /// Modification time, in nanoseconds since 1970.
    pub(crate) modified: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata (`None` without a modification time).
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileStamp {
            size: meta.len(),
            modified: u64::try_from(modified.as_nanos()).ok()?,
        })
    }
}

/// The stamps of the files a load read, for the cache written after it.
#[derive(Debug, Default)]
pub(crate) struct Stamps {
    /// What the articles were parsed with ([`key`]).
    pub(crate) key: String,
    /// When the reading started, in nanoseconds since 1970.
    pub(crate) read_at: u64,
    /// Each article file's stamp, by path under content/.
    pub(crate) files: HashMap<String, FileStamp>,
}

/// The cache as stored.
#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    articles: Vec<(FileStamp, Article)>,
}

/// The cache as written (borrowing the site's articles).
#[derive(Serialize)]
struct Storing<'a> {
    key: &'a str,
    articles: Vec<(FileStamp, &'a Article)>,
}

/// The articles of an earlier load, by path under content/.
#[derive(Default)]
pub(crate) struct Known {
    articles: HashMap<String, (FileStamp, Article)>,
}

/// The stored article's shape: a new field (`standfirst`, 2;
/// `corrections` and `story`, 3; `body_runs`, 4) makes the older records
/// unreadable, so the number changes with it.
const ARTICLE_FORMAT: u32 = 4;

/// What the parsed articles depend on besides their files.
pub(crate) fn key(tz: chrono_tz::Tz, content_dir: &Path) -> String {
    let dir = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    format!(
        "gazette {} format {ARTICLE_FORMAT} tz {tz} content {}",
        env!("CARGO_PKG_VERSION"),
        dir.display()
    )
}

/// Now, in nanoseconds since 1970.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

impl Known {
    /// The cache in `file` if it was made with `key`; empty otherwise.
    pub(crate) fn read(file: &Path, key: &str) -> Known {
        let Ok(bytes) = std::fs::read(file) else {
            return Known::default();
        };
        match serde_json::from_slice::<Stored>(&bytes) {
            Ok(stored) if stored.key == key => Known {
                articles: stored
                    .articles
                    .into_iter()
                    .map(|(stamp, article)| (article.rel.clone(), (stamp, article)))
                    .collect(),
            },
            _ => Known::default(),
        }
    }

    /// The article read before from `rel`, if its file still has `stamp`.
    pub(crate) fn get(&self, rel: &str, stamp: FileStamp) -> Option<Article> {
        let (known, article) = self.articles.get(rel)?;
        (*known == stamp).then(|| article.clone())
    }
}

/// Writes the articles of `content` (with the stamps of their load) into
/// `file`, atomically: a cache is whole or absent.
pub(crate) fn write(file: &Path, content: &Content) -> std::io::Result<()> {
    let stamps = &content.stamps;
    let trusted = stamps.read_at.saturating_sub(RACY.as_nanos() as u64);
    let articles: Vec<(FileStamp, &Article)> = content
        .articles
        .iter()
        .filter_map(|a| Some((*stamps.files.get(&a.rel)?, a)))
        .filter(|(stamp, _)| stamp.modified < trusted)
        .collect();
    let bytes = serde_json::to_vec(&Storing {
        key: &stamps.key,
        articles,
    })
    .map_err(std::io::Error::other)?;
    let name = file
        .file_name()
        .map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let temporary = file.with_file_name(format!(".{name}.new"));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::parse_article;

    fn article(rel: &str, title: &str) -> Article {
        let text = format!("---\ntitle: {title}\ndate: 2026-01-05\n---\nBody.\n");
        parse_article(rel.into(), rel.into(), text.as_bytes(), chrono_tz::UTC).unwrap()
    }

    fn stamp(size: u64, modified: u64) -> FileStamp {
        FileStamp { size, modified }
    }

    #[test]
    fn an_article_comes_back_only_while_its_file_is_unchanged_and_not_racy() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cache.json");
        let read_at = 100 * 1_000_000_000;
        let content = Content {
            articles: vec![article("a.md", "A"), article("b.md", "B")],
            stamps: Stamps {
                key: "k".into(),
                read_at,
                files: [
                    ("a.md".to_string(), stamp(10, read_at - 60 * 1_000_000_000)),
                    // Modified a moment before it was read: not trusted.
                    ("b.md".to_string(), stamp(10, read_at - 1_000_000_000)),
                ]
                .into(),
            },
            ..Content::default()
        };
        write(&file, &content).unwrap();
        let known = Known::read(&file, "k");
        let old = stamp(10, read_at - 60 * 1_000_000_000);
        assert_eq!(known.get("a.md", old), Some(content.articles[0].clone()));
        assert_eq!(
            known.get("a.md", stamp(11, old.modified)),
            None,
            "size changed"
        );
        assert_eq!(
            known.get("a.md", stamp(10, old.modified + 1)),
            None,
            "time changed"
        );
        assert_eq!(
            known.get("b.md", stamp(10, read_at - 1_000_000_000)),
            None,
            "racy"
        );
        assert_eq!(Known::read(&file, "other key").get("a.md", old), None);
        std::fs::write(&file, b"{ not json").unwrap();
        assert_eq!(Known::read(&file, "k").get("a.md", old), None);
    }
}

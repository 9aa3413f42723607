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

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
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
    pub(crate) files: FxHashMap<String, FileStamp>,
}

/// The articles of an earlier load, by path under content/.
#[derive(Default)]
pub(crate) struct Known {
    articles: FxHashMap<String, (FileStamp, Article)>,
}

/// The stored article's shape: a new field (`standfirst`, 2;
/// `corrections` and `story`, 3; `body_runs`, 4) makes the older records
/// unreadable, so the number changes with it. 5: the file became JSON
/// lines, read in parallel.
const ARTICLE_FORMAT: u32 = 5;

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
    /// The cache in `file` if it was made with `key`; empty otherwise, and
    /// when any line of it cannot be read. The file is JSON lines: the key
    /// as a JSON string, then one `[stamp, article]` a line, parsed on
    /// every core (one document of 100,000 articles was 0.4 s of a start).
    pub(crate) fn read(file: &Path, key: &str) -> Known {
        let Ok(bytes) = std::fs::read(file) else {
            return Known::default();
        };
        let mut lines = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        let stored_key = lines.next().map(serde_json::from_slice::<String>);
        if !matches!(stored_key, Some(Ok(stored)) if stored == key) {
            return Known::default();
        }
        let lines: Vec<&[u8]> = lines.collect();
        let articles: Result<FxHashMap<_, _>, _> = lines
            .par_iter()
            .map(|line| {
                let (stamp, article) = serde_json::from_slice::<(FileStamp, Article)>(line)?;
                Ok::<_, serde_json::Error>((article.rel.clone(), (stamp, article)))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|pairs| pairs.into_iter().collect());
        Known {
            articles: articles.unwrap_or_default(),
        }
    }

    /// The article read before from `rel`, if its file still has `stamp`.
    /// Each file is asked once: its article leaves the cache either way.
    pub(crate) fn take(&mut self, rel: &str, stamp: FileStamp) -> Option<Article> {
        let (known, article) = self.articles.remove(rel)?;
        (known == stamp).then_some(article)
    }
}

/// Writes the articles of `content` (with the stamps of their load) into
/// `file`, atomically: a cache is whole or absent.
pub(crate) fn write(file: &Path, content: &Content) -> std::io::Result<()> {
    let stamps = &content.stamps;
    let trusted = stamps.read_at.saturating_sub(RACY.as_nanos() as u64);
    let name = file
        .file_name()
        .map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let temporary = file.with_file_name(format!(".{name}.new"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
    write_line(&mut out, &stamps.key)?;
    for article in &content.articles {
        match stamps.files.get(&article.rel) {
            Some(stamp) if stamp.modified < trusted => write_line(&mut out, &(stamp, article))?,
            _ => {}
        }
    }
    out.into_inner().map_err(|e| e.into_error())?;
    std::fs::rename(&temporary, file)
}

/// `value` as one line of JSON (serde_json escapes line breaks in strings).
fn write_line(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
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
                .into_iter()
                .collect(),
            },
            ..Content::default()
        };
        write(&file, &content).unwrap();
        let known = || Known::read(&file, "k");
        let old = stamp(10, read_at - 60 * 1_000_000_000);
        assert_eq!(
            known().take("a.md", stamp(11, old.modified)),
            None,
            "size changed"
        );
        assert_eq!(
            known().take("a.md", stamp(10, old.modified + 1)),
            None,
            "time changed"
        );
        assert_eq!(
            known().take("b.md", stamp(10, read_at - 1_000_000_000)),
            None,
            "racy"
        );
        let mut once = known();
        assert_eq!(once.take("a.md", old), Some(content.articles[0].clone()));
        assert_eq!(once.take("a.md", old), None, "taken once");
        assert_eq!(Known::read(&file, "other key").take("a.md", old), None);
        // A cache with a line that cannot be read is not read at all.
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str("[{\"size\": 1}\n");
        std::fs::write(&file, text).unwrap();
        assert_eq!(Known::read(&file, "k").take("a.md", old), None);
        std::fs::write(&file, b"{ not json").unwrap();
        assert_eq!(Known::read(&file, "k").take("a.md", old), None);
    }

    #[test]
    fn an_article_with_line_breaks_in_its_fields_is_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cache.json");
        let read_at = 100 * 1_000_000_000;
        let mut a = article("a.md", "A");
        a.title = "Two\nlines\r\n".into();
        a.words = crate::words::Packed::of("one . two\n");
        let old = stamp(10, read_at - 60 * 1_000_000_000);
        let content = Content {
            articles: vec![a.clone()],
            stamps: Stamps {
                key: "k\nkey".into(),
                read_at,
                files: [("a.md".to_string(), old)].into_iter().collect(),
            },
            ..Content::default()
        };
        write(&file, &content).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);
        assert_eq!(Known::read(&file, "k\nkey").take("a.md", old), Some(a));
    }
}

//! A photo given to `new --image` or `import --image`: copied beside the
//! new article under the article's own name (`<slug>.jpg`), never over a
//! file, and named in the article's front matter with what is known of it
//! (the wire copy's caption and credit, the people its caption names as
//! `pictured`).

use std::path::{Path, PathBuf};

use super::yaml_quoted;
use crate::error::{Diagnostic, Error, Result};

/// The file types a photo may have.
const EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "webp", "svg"];

/// A photo to copy beside a new article.
#[derive(Debug, Clone)]
pub(crate) struct Attached {
    /// The photo given.
    from: PathBuf,
    /// Its copy beside the article.
    pub(crate) to: PathBuf,
}

/// What the front matter says of the photo.
#[derive(Debug, Clone, Default)]
pub(crate) struct Described {
    /// Its caption.
    pub(crate) caption: Option<String>,
    /// Its credit.
    pub(crate) credit: Option<String>,
    /// The people it shows.
    pub(crate) pictured: Vec<String>,
}

/// Checks the photo `from` for the article to be written at `article`:
/// a readable file of a photo's type, whose copy's name is free.
pub(crate) fn attach(from: &Path, article: &Path) -> Result<Attached> {
    let ext = from
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| EXTENSIONS.contains(&e.as_str()))
        .ok_or_else(|| {
            Error::one(Diagnostic::file(
                from,
                format!("expected a photo file ({})", EXTENSIONS.join(", ")),
            ))
        })?;
    if !from.is_file() {
        return Err(Error::one(Diagnostic::file(
            from,
            "cannot read: no such file",
        )));
    }
    let to = article.with_extension(ext);
    if to.exists() {
        return Err(Error::one(Diagnostic::file(
            &to,
            "already exists: nothing was written",
        )));
    }
    Ok(Attached {
        from: from.to_path_buf(),
        to,
    })
}

impl Attached {
    /// The front matter's `image` (and `pictured`) lines.
    pub(crate) fn front_matter(&self, described: &Described) -> String {
        let name = self
            .to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut lines = format!("image:\n  src: {}\n  alt: \"\"\n", yaml_quoted(&name));
        for (key, value) in [
            ("caption", &described.caption),
            ("credit", &described.credit),
        ] {
            if let Some(v) = value {
                lines.push_str(&format!("  {key}: {}\n", yaml_quoted(v)));
            }
        }
        if !described.pictured.is_empty() {
            let names: Vec<String> = described.pictured.iter().map(|n| yaml_quoted(n)).collect();
            lines.push_str(&format!("pictured: [{}]\n", names.join(", ")));
        }
        lines
    }

    /// Copies the photo (never over a file).
    pub(crate) fn copy(&self) -> Result<()> {
        if let Some(dir) = self.to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut source = std::fs::File::open(&self.from).map_err(|e| Error::io(&self.from, e))?;
        let mut target = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.to)
            .map_err(|e| Error::io(&self.to, e))?;
        std::io::copy(&mut source, &mut target)
            .and_then(|_| target.sync_all())
            .map_err(|e| Error::io(&self.to, e))
    }

    /// Removes the copy (when the article could not be written after it).
    pub(crate) fn undo(&self) {
        let _ = std::fs::remove_file(&self.to);
    }
}

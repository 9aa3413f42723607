//! The content folder walked: its markdown files, in the order of their
//! names, and the other files, which are copied as they are. Editor
//! temporary and hidden files are skipped ([`is_ignored_name`]).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::content::{is_ignored_name, relative, Asset};
use crate::error::Diagnostic;

/// The markdown files under `dir` (each with its path under it), the other
/// files, and the symlink loops skipped; a folder that cannot be read is
/// an error.
pub(super) fn walk(dir: &Path) -> Result<Walked, Vec<Diagnostic>> {
    let (mut markdown, mut assets, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                if e.loop_ancestor().is_some() {
                    warnings.push(Diagnostic::file(path, "symlink loop skipped").warning());
                    continue;
                }
                return Err(vec![Diagnostic::file(path, format!("cannot read: {e}"))]);
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(dir, entry.path());
        // Kept for the whole build: without the room walkdir left in it
        // (a third of the path's bytes; 5 MB at 100,000 articles).
        let mut file = entry.into_path();
        file.shrink_to_fit();
        if rel.ends_with(".md") {
            markdown.push((file, rel));
        } else {
            assets.push(Asset { file, rel });
        }
    }
    Ok((markdown, assets, warnings))
}

/// What [`walk`] finds: the markdown files, the other files, the warnings.
pub(super) type Walked = (Vec<(PathBuf, String)>, Vec<Asset>, Vec<Diagnostic>);

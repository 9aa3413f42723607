//! The files copied to the output as they are: everything under `static/`
//! (to the site's root) and the non-markdown files under `content/` (to
//! the same path), a content file winning over a static one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::content::{is_ignored_name, Asset};
use crate::error::Diagnostic;

/// Every file to copy: its site path without the leading `/` -> its source.
pub(crate) fn files_to_copy(root: &Path, assets: &[Asset]) -> HashMap<String, PathBuf> {
    let mut files = HashMap::new();
    let static_dir = root.join("static");
    for entry in WalkDir::new(&static_dir)
        .follow_links(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() && !is_ignored_name(&entry.file_name().to_string_lossy()) {
            let rel = entry
                .path()
                .strip_prefix(&static_dir)
                .unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, entry.into_path());
        }
    }
    for asset in assets {
        files.insert(asset.rel.clone(), asset.file.clone());
    }
    files
}

/// The bytes of a file to copy, or an error naming it.
pub(crate) fn read_source(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(file).map_err(|e| Diagnostic::file(file, format!("cannot read: {e}")))
}

//! The editor's commands that write into the site's own folder: `init`
//! starts a site, `new` starts an article, `import` turns pasted wire
//! copy into one. They are the only writes
//! outside `output/`, and they only ever create files that do not exist
//! (`create_new`): nothing an editor wrote is overwritten. What they read
//! of the site (site.toml, data/) they read through `load`.

mod found;
mod import;
mod init;
mod new;
mod photo;
mod wire;

pub use import::{import, ImportOptions, Imported};
pub use init::{init, Initialised};
pub use new::{new_article, NewArticle, Written};

use std::io::Write;
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

/// Creates `path` (and its folders) holding `text`; fails if it exists.
fn create(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::one(Diagnostic::file(
                    path,
                    "already exists: nothing was written",
                ))
            } else {
                Error::io(path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// `s` as a YAML double-quoted scalar (a JSON string is one).
fn yaml_quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The front-matter line `story: "..."` for the story written as `written`:
/// an existing story by the name the site knows it by (any spelling
/// resolves), else a new one; what was decided goes to `notes`.
fn story_line(index: &crate::model::Index, written: &str, notes: &mut Vec<String>) -> String {
    let written = written.trim();
    let name = match index.stories.resolve(written) {
        Some(story) => {
            let count = story.articles.len();
            if story.name != written {
                notes.push(format!(
                    "story `{written}` written as the site knows it: `{}`",
                    story.name
                ));
            }
            notes.push(format!(
                "part of the story `{}` ({count} article{} so far)",
                story.name,
                if count == 1 { "" } else { "s" }
            ));
            story.name.clone()
        }
        None => {
            notes.push(format!("starts a new story: `{written}`"));
            written.to_string()
        }
    };
    format!("story: {}\n", yaml_quoted(&name))
}

/// The index of the site's articles that load (no page or card is made):
/// the people and stories of earlier articles, for `new` and `import`.
fn loaded_index(root: &Path, entities: &crate::model::Entities) -> crate::model::Index {
    match crate::load::read_what_loads(root, &crate::load::LoadOptions::default()) {
        Ok((Some(inputs), _)) => crate::model::Index::build(&inputs.content.articles, entities),
        _ => crate::model::Index::default(),
    }
}

//! gazette: a static-site generator for news-digest archives.
//!
//! The pipeline is plain values flowing one way, one folder a stage:
//!
//! - `load/` reads the site's inputs (site.toml, `content/` and its front
//!   matter, `data/`, the templates, the `static/` walk), and owns the
//!   article value with its page path;
//! - `words/` is how text becomes words, for `load` (a body's words, read
//!   once) and `search` alike;
//! - `model/` is pure: who a written name is (`entities`), and the indexes
//!   of people, countries, tags, years and months built from metadata;
//! - `render/` makes every page a value ([`render::Page`] in the crate)
//!   with a fingerprint, and Tera turns it into bytes; `render::paths` owns
//!   every URL and output path;
//! - `search/` makes the static search index and its browser client from
//!   the same values (it uses render's paths; render does not use it);
//! - `output/` writes: staging, atomic replace, a manifest, never a file
//!   gazette did not write;
//! - `site/` owns a loaded [`Site`]: its loads, every change to it and the
//!   pages each reaches (`edit`), what each output file is (`files`), and
//!   every pass that writes (`write`, the only code that opens `output`);
//! - `live/` decides when and on which thread for `serve` and
//!   `build --watch` (watch, route, worker, memory, http) and asks the
//!   site what;
//! - `check/` reviews a site without writing anything;
//! - `deploy/` publishes a finished build to object storage, reading the
//!   output folder through its manifest;
//! - `editor/` starts a site (`init`) or an article (`new`, `import`): new
//!   files in the site's own folder, never one that exists.
//!
//! Who touches the disk: `load` reads the inputs, and writes the preview's
//! kept articles to the temporary folder (`load/cache.rs`, called from
//! `site/write.rs`); `render` reads an article's body again when it renders
//! its page, `check/` when it reviews it; `live`'s server reads the output
//! folder it serves; `editor/` writes new files into the site's folder;
//! everything else written goes through `output/`.
//!
//! [`Site::load`] and [`Site::build`] join the stages; this file only says
//! what the command line and the tests may use.

mod check;
mod deploy;
mod editor;
mod error;
mod freed;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz;
mod images;
mod interner;
mod live;
mod load;
mod markdown;
mod model;
mod output;
mod progress;
mod render;
mod search;
mod site;
mod slugs;
mod words;

pub use check::{check, findings_json, findings_summary};
pub use deploy::{deploy, host_limit_warnings, DeployOptions, DeployReport};
pub use editor::{
    import, init, new_article, ImportOptions, Imported, Initialised, NewArticle, Written,
};
pub use error::{Diagnostic, Error, Result, Severity};
pub use freed::release_freed_memory;
pub use live::{
    bind_preview, preview_url, serve_preview, Background, Live, Preview, Rebuild, Route, Watcher,
};
pub use load::{Config, LoadOptions, DEFAULT_TEMPLATES};
pub use output::WriteStats;
pub use progress::{Progress, Stage};
pub use site::{BuildReport, Site};

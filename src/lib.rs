//! gazette: a static-site generator for news-digest archives.
//!
//! The pipeline is plain values flowing one way, one folder a stage:
//!
//! - `load/` reads the site's inputs (site.toml, `content/` and its front
//!   matter, `data/`, the templates, the `static/` walk) and is, with
//!   `output.rs`, the only code that touches the file system;
//! - `model/` is pure: who a written name is (`entities`), and the indexes
//!   of people, countries, tags, years and months built from metadata;
//! - `render/` makes every page a value ([`render::Page`] in the crate)
//!   with a fingerprint, and Tera turns it into bytes; `render::paths` owns
//!   every URL and output path;
//! - `search/` makes the static search index and its browser client from
//!   the same values;
//! - `output.rs` is the only writer: staging, atomic replace, a manifest,
//!   never a file gazette did not write;
//! - `live/` keeps a [`Site`] in memory for `serve` and `build --watch`,
//!   and routes each change to the pages it reaches;
//! - `check/` reviews a site without writing anything;
//! - `editor/` starts a site (`init`) or an article (`new`): new files in
//!   the site's own folder, never one that exists.
//!
//! [`Site::load`] and [`Site::build`] join the stages; this file only says
//! what the command line and the tests may use.

mod check;
mod editor;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz;
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

pub use check::{check, findings_json, findings_summary};
pub use editor::{
    import, init, new_article, ImportOptions, Imported, Initialised, NewArticle, Written,
};
pub use error::{Diagnostic, Error, Result, Severity};
pub use live::{
    bind_preview, preview_url, serve_preview, Background, Live, Preview, Rebuild, Route, Watcher,
};
pub use load::{Config, LoadOptions, DEFAULT_TEMPLATES};
pub use output::WriteStats;
pub use progress::{Progress, Stage};
pub use site::{BuildReport, Site};

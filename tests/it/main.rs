//! gazette's integration tests, one binary (so the shared harness in
//! `common.rs` compiles once): fixture sites laid out in temporary
//! directories, built through the library or the `gazette` binary, and the
//! output read as a reader, a feed reader or a browser would. See
//! tests/README.md for what each module covers.

mod chromium;
mod common;

mod browser;
mod build;
mod check;
mod deploy;
mod durability;
mod editor;
mod entities;
mod errors;
mod hostile;
mod incremental;
mod metadata;
mod newsroom;
mod photo_people;
mod photos;
mod photos_chromium;
mod precompress;
mod preview;
mod reader;
mod search;
mod serve;
mod stories;
mod validity;
mod world_map;

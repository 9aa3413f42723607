//! Taking in edits to article files without reloading the site: the edited
//! files are read again (by `load`), put in place through the methods of
//! [`Site`], and the pages the edit can have changed are asked of the
//! render stage ([`Reach`], before and after the edit). Fingerprints then
//! tell which of those pages really changed. The property test in
//! tests/it/incremental.rs checks the result against clean builds.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, ArticleId, LoadOptions};
use crate::render::{Page, Reach, Renderer};
use crate::site::{Edit, Site};

/// How an edit to some articles was taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArticleUpdate {
    /// Only these articles' bodies changed: only their own pages can differ.
    BodiesOnly(Vec<ArticleId>),
    /// Metadata changed (or articles came or went): the indexes were
    /// rebuilt, and this says which pages may have changed.
    Reindexed(Affected),
}

/// Which pages an edit may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Affected {
    /// Something every page shows changed (the years in the navigation, a
    /// term's name or slug): check every page.
    Everything,
    /// Only these pages can differ.
    Pages {
        /// Pages (of the new state) to fingerprint, and render if changed.
        check: Vec<Page>,
        /// Site paths of pages that no longer exist.
        removed: BTreeSet<String>,
    },
}

/// Takes in edits to article files (changed, new or deleted). Files with
/// errors are left out (the site keeps their last good version) and their
/// errors returned beside the update; an error in the edits as a whole
/// (two articles on one page) changes nothing.
pub(crate) fn update_articles(
    site: &mut Site,
    files: &[PathBuf],
    options: &LoadOptions,
) -> Result<(ArticleUpdate, Vec<Diagnostic>)> {
    let content_dir = load::content_dir(&site.root);
    let reading = load::Reading {
        tz: site.config.timezone,
        drafts: options.drafts,
        future: options.future,
        now: load::build_clock(),
        words: site.config.search,
    };
    let (edits, broken) = load::read_articles(&content_dir, files, &reading);
    let update = take_in(site, edits)?;
    Ok((update, broken))
}

fn take_in(site: &mut Site, edits: Vec<Edit>) -> Result<ArticleUpdate> {
    if let Some(ids) = bodies_only(site, &edits) {
        let articles = edits.into_iter().filter_map(|(_, a)| a);
        site.replace_bodies(ids.iter().copied().zip(articles).collect());
        return Ok(ArticleUpdate::BodiesOnly(ids));
    }
    let duplicates = site.duplicates_after(&edits);
    if !duplicates.is_empty() {
        return Err(Error::Input(duplicates));
    }
    let mut reach = Reach::default();
    let (old_pages, old_count) = {
        let r = site.renderer();
        add_edited(&mut reach, site, &r, &edits);
        let pages = reach.pages(&r, false);
        let paths: BTreeSet<String> = pages.into_iter().map(|p| r.path(p)).collect();
        let homes = home_paths(&r);
        (
            paths.into_iter().chain(homes).collect::<BTreeSet<_>>(),
            site.article_count(),
        )
    };
    let every_page = site.apply_edits(edits.clone()).map_err(Error::one)?;
    if every_page {
        return Ok(ArticleUpdate::Reindexed(Affected::Everything));
    }
    let r = site.renderer();
    add_edited(&mut reach, site, &r, &edits);
    let check = reach.pages(&r, site.article_count() != old_count);
    let new_paths: BTreeSet<String> = check.iter().map(|&p| r.path(p)).collect();
    let new_homes: BTreeSet<String> = home_paths(&r).into_iter().collect();
    let removed = old_pages
        .into_iter()
        .filter(|p| !new_paths.contains(p) && !new_homes.contains(p))
        .collect();
    Ok(ArticleUpdate::Reindexed(Affected::Pages { check, removed }))
}

/// Adds the edited articles that the renderer's state holds to `reach`.
fn add_edited(reach: &mut Reach, site: &Site, r: &Renderer, edits: &[Edit]) {
    for (rel, _) in edits {
        if let Some(id) = site.find_article(rel) {
            reach.add(r, id);
        }
    }
}

/// The paths of every home page of the renderer's state.
fn home_paths(r: &Renderer) -> Vec<String> {
    r.home_pages().map(|p| r.path(p)).collect()
}

/// The ids of the edited articles if every edit changed only a body.
fn bodies_only(site: &Site, edits: &[Edit]) -> Option<Vec<ArticleId>> {
    edits
        .iter()
        .map(|(rel, new)| {
            let new = new.as_ref()?;
            let id = site.find_article(rel)?;
            let old = &site.content.articles[id];
            let same_meta = load::Article {
                body_hash: old.body_hash,
                words: old.words.clone(),
                ..new.clone()
            } == *old;
            same_meta.then_some(id)
        })
        .collect()
}

//! Every change to a loaded site, and the pages it reaches. One entry,
//! [`Site::edit`], takes what changed under the site's folder ([`Changed`],
//! as `live` sorted the paths), reads the edited files again (through
//! `load`), puts them in place, and says what the change reached
//! ([`Edited`]): only some articles' own pages, the pages that show an
//! article (asked of `render::Reach` before and after the edit), or every
//! page. Fingerprints then tell which of those pages really changed; the
//! property test in tests/it/incremental.rs checks the result against
//! clean builds. The preview's late reading of the bodies' words
//! ([`Site::set_words`]) is a change too, and is here.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::files::GENERATED;
use super::Site;
use crate::error::{Diagnostic, Error, Result};
use crate::images::Depth;
use crate::load::{self, Article, ArticleId, Asset, LoadOptions, TemplateSet};
use crate::model::Index;
use crate::render::{changes_every_page, Cards, Page, Reach, Renderer};

/// What changed under the site's folder, sorted by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    /// Article files under content/ (edited, new or deleted).
    pub(crate) articles: Vec<PathBuf>,
    /// Other paths under content/: an asset, a folder, an editor's temp file.
    pub(crate) content_other: Vec<PathBuf>,
    /// Files copied as they are (under static/): their path in the site
    /// and their source file (which may be gone).
    pub(crate) copies: Vec<(String, PathBuf)>,
    /// A file under templates/.
    pub(crate) templates: bool,
    /// A file under data/.
    pub(crate) data: bool,
}

/// Which pages a change reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reached {
    /// Only files copied as they are.
    Copies,
    /// Only these articles' bodies: only their own pages can differ.
    Bodies(Vec<ArticleId>),
    /// Article metadata changed (or articles came or went): the indexes
    /// were built again, and only these pages can differ.
    Pages {
        /// Pages (of the new state) to fingerprint, and render if changed.
        check: Vec<Page>,
        /// Site paths of pages that no longer exist.
        removed: BTreeSet<String>,
    },
    /// Something every page shows changed (the years in the navigation, a
    /// term's name or slug): every page, some of which may have moved.
    EveryPage,
    /// The templates changed (or a static file that shadowed a generated
    /// one is gone): every page.
    Templates,
    /// data/ changed: the index was built again from the articles in
    /// memory, and every page may differ.
    Data,
}

/// What [`Site::edit`] did.
#[derive(Debug, Clone)]
pub(crate) struct Edited {
    /// The pages the change reached.
    pub(crate) reach: Reached,
    /// Files copied as they are, to copy again or remove.
    pub(crate) copies: Vec<(String, PathBuf)>,
    /// Articles that could not be read: the site keeps their last good
    /// version until they are fixed.
    pub(crate) errors: Vec<Diagnostic>,
    /// Site paths of the pages of those articles, kept as they were.
    pub(crate) keep: BTreeSet<String>,
    /// The list of output files may differ (articles, copies or data/
    /// changed, or pages moved); false when every file is still what it was.
    pub(crate) files_moved: bool,
    /// The search index may differ: it shows the articles and data/'s
    /// names, not the templates or the copied files.
    index_changed: bool,
}

/// The most pages and files an edit writes before it is served; one that
/// reaches more (the photos a preview finished, a checkout) is written in
/// the background, never holding the next save up for seconds.
const AT_ONCE: usize = 200;

impl Edited {
    /// True when only a few pages and files need writing (at most
    /// [`AT_ONCE`]): the edit can be written at once, without a pass over
    /// every page.
    pub(crate) fn is_narrow(&self) -> bool {
        let pages = match &self.reach {
            Reached::Copies => 0,
            Reached::Bodies(ids) => ids.len(),
            Reached::Pages { check, .. } => check.len(),
            Reached::EveryPage | Reached::Templates | Reached::Data => return false,
        };
        pages + self.copies.len() <= AT_ONCE
    }

    /// True when the search index may differ.
    pub(crate) fn index_changed(&self) -> bool {
        self.index_changed
    }
}

/// One article file's edit, as read again: its path under content/ and
/// the article it now holds (`None`: deleted, or a hidden draft).
type Edit = (String, Option<Article>);

impl Site {
    /// Takes in `changed`: the site in memory is updated and the result
    /// says which pages that reached; `None` when the change needs the
    /// whole site loaded again (a folder came or went under content/).
    /// Files with errors are left out (the site keeps their last good
    /// version), their errors returned in [`Edited::errors`]; an error in
    /// a template, in data/ or in the edits as a whole (two articles on
    /// one page) is returned as an error, and what it concerns is left as
    /// it was.
    pub(crate) fn edit(
        &mut self,
        changed: Changed,
        options: &LoadOptions,
    ) -> Result<Option<Edited>> {
        let hidden_before = self.hidden_originals();
        let mut copies = changed.copies;
        for path in changed.content_other {
            match self.note_content_other(&path) {
                Other::Nothing => {}
                Other::Copy(rel) => copies.push((rel, path)),
                Other::Reload => return Ok(None),
            }
        }
        if changed.templates {
            self.reload_templates()?;
        }
        // A portrait's file is read with data/.
        let portrait = copies.iter().any(|(_, file)| self.shows_portrait(file));
        let data = changed.data || portrait;
        if data {
            self.reload_entities()?;
        }
        // An article is read again when its photo's file changed.
        let mut edited_articles = changed.articles.clone();
        edited_articles
            .extend(self.articles_showing(copies.iter().map(|(_, file)| file.as_path())));
        edited_articles.sort();
        edited_articles.dedup();
        let (articles, errors) = if edited_articles.is_empty() {
            (Reached::Bodies(Vec::new()), Vec::new())
        } else {
            self.update_articles(&edited_articles, options)?
        };
        // A photo's original the site now shows only through its copies, or
        // no longer: published or removed as a copied file.
        let hidden_after = self.hidden_originals();
        for (rel, file) in hidden_before.symmetric_difference(&hidden_after) {
            if !copies.iter().any(|(r, _)| r == rel) {
                copies.push((rel.clone(), file.clone()));
            }
        }
        // A generated file may have been shadowed by a static file that is now gone.
        let unshadows = copies
            .iter()
            .any(|(rel, source)| !source.is_file() && GENERATED.contains(&rel.as_str()));
        let reach = match articles {
            _ if data && !changed.templates => Reached::Data,
            _ if changed.templates || unshadows => Reached::Templates,
            Reached::Bodies(ids) if ids.is_empty() => Reached::Copies,
            other => other,
        };
        let files_moved = !matches!(reach, Reached::Templates)
            || data
            || !changed.articles.is_empty()
            || !copies.is_empty();
        let index_changed = data || !edited_articles.is_empty();
        let keep = errors
            .iter()
            .filter_map(|d| self.page_of_file(&d.path))
            .map(str::to_string)
            .collect();
        Ok(Some(Edited {
            reach,
            copies,
            errors,
            keep,
            files_moved,
            index_changed,
        }))
    }

    /// Reads the templates again (after an edit under templates/), and the
    /// cards with them; on error the site is left as it was.
    fn reload_templates(&mut self) -> Result<()> {
        let templates = TemplateSet::load(&self.root.join("templates"))?;
        // The hash covers what card.html includes and extends: an edit of
        // another template leaves every card as it is.
        let card_hash = |t: &TemplateSet| t.hashes.get("card.html").copied();
        if card_hash(&templates) != card_hash(&self.templates) {
            self.cards = Cards::unrendered(self.content.articles.len());
        }
        self.templates = templates;
        Ok(())
    }

    /// Reads data/ again (after an edit of people.yaml or countries.yaml)
    /// and rebuilds the index and the cards of the articles in memory,
    /// which do not depend on it: nothing under content/ is read. On error
    /// the site is left as it was.
    fn reload_entities(&mut self) -> Result<()> {
        let mut entities = load::load_entities(&self.root).map_err(Error::Input)?;
        let images = &self.config.images;
        let people = &mut entities.people;
        let (errors, _) = load::attach_portraits(people, &self.root, images, Depth::Whole);
        if !errors.is_empty() {
            return Err(Error::Input(errors));
        }
        let index = Index::build(&self.content.articles, &entities);
        self.entities = entities;
        self.index = index;
        self.cards = Cards::unrendered(self.content.articles.len());
        Ok(())
    }

    /// Reads the edited article files again and takes them in.
    fn update_articles(
        &mut self,
        files: &[PathBuf],
        options: &LoadOptions,
    ) -> Result<(Reached, Vec<Diagnostic>)> {
        let reading = load::Reading {
            tz: self.config.timezone,
            drafts: options.drafts,
            future: options.future,
            now: load::build_clock(),
            words: self.config.search,
        };
        let content_dir = load::content_dir(&self.root);
        let (mut edits, mut broken) = load::read_articles(&content_dir, files, &reading);
        // An article whose photo cannot be read keeps its last good version.
        edits.retain_mut(|(_, article)| {
            let Some(article) = article else { return true };
            let (errors, _warnings) =
                load::attach_photo(article, &self.config.images, Depth::Whole);
            broken.extend(errors.iter().cloned());
            errors.is_empty()
        });
        Ok((self.take_in(edits)?, broken))
    }

    /// Puts `edits` in place; which pages they reached.
    fn take_in(&mut self, edits: Vec<Edit>) -> Result<Reached> {
        if let Some(ids) = self.bodies_only(&edits) {
            let articles = edits.into_iter().filter_map(|(_, a)| a);
            for (&id, article) in ids.iter().zip(articles) {
                debug_assert_eq!(self.content.articles[id].rel, article.rel);
                self.content.articles[id] = article;
            }
            return Ok(Reached::Bodies(ids));
        }
        let duplicates = self.duplicates_after(&edits);
        if !duplicates.is_empty() {
            return Err(Error::Input(duplicates));
        }
        let mut reach = Reach::default();
        let (old_pages, old_count) = {
            let r = self.renderer();
            self.add_edited(&mut reach, &r, &edits);
            let pages = reach.pages(&r, false);
            let paths = pages.into_iter().map(|p| r.path(p));
            let homes = r.home_pages().map(|p| r.path(p));
            (
                paths.chain(homes).collect::<BTreeSet<_>>(),
                self.article_count(),
            )
        };
        if self.apply_edits(edits.clone()) {
            return Ok(Reached::EveryPage);
        }
        let r = self.renderer();
        self.add_edited(&mut reach, &r, &edits);
        let check = reach.pages(&r, self.article_count() != old_count);
        let new_paths: BTreeSet<String> = check.iter().map(|&p| r.path(p)).collect();
        let new_homes: BTreeSet<String> = r.home_pages().map(|p| r.path(p)).collect();
        let removed = old_pages
            .into_iter()
            .filter(|p| !new_paths.contains(p) && !new_homes.contains(p))
            .collect();
        Ok(Reached::Pages { check, removed })
    }

    /// Adds the edited articles that the renderer's state holds to `reach`.
    fn add_edited(&self, reach: &mut Reach, r: &Renderer, edits: &[Edit]) {
        for (rel, _) in edits {
            if let Some(id) = self.find_article(rel) {
                reach.add(r, id);
            }
        }
    }

    /// The ids of the edited articles if every edit changed only a body.
    fn bodies_only(&self, edits: &[Edit]) -> Option<Vec<ArticleId>> {
        edits
            .iter()
            .map(|(rel, new)| {
                let new = new.as_ref()?;
                let id = self.find_article(rel)?;
                let old = &self.content.articles[id];
                let same_meta = Article {
                    body_hash: old.body_hash,
                    body_runs: old.body_runs,
                    words: old.words.clone(),
                    ..new.clone()
                } == *old;
                same_meta.then_some(id)
            })
            .collect()
    }

    /// The article with this path under content/.
    fn find_article(&self, rel: &str) -> Option<ArticleId> {
        self.content.articles.iter().position(|a| a.rel == rel)
    }

    /// Two articles that would share a page once `edits` are in (only an
    /// edited article can cause that).
    fn duplicates_after(&self, edits: &[Edit]) -> Vec<Diagnostic> {
        let edited: BTreeSet<&str> = edits.iter().map(|(rel, _)| rel.as_str()).collect();
        let kept = self
            .content
            .articles
            .iter()
            .filter(|a| !edited.contains(a.rel.as_str()));
        let new = edits.iter().filter_map(|(_, a)| a.as_ref());
        load::duplicate_pages(kept.chain(new))
    }

    /// Puts edited articles in place (replaced, added or removed) with the
    /// index of the result; returns true when the edit changed what every
    /// page shows (`render::changes_every_page`). The cards of the edited
    /// articles are rendered again on their next use; when an edit renames
    /// a term or moves a slug (which cards show), every card is.
    fn apply_edits(&mut self, mut edits: Vec<Edit>) -> bool {
        edits.sort_by(|a, b| a.0.cmp(&b.0));
        let ids: Vec<Option<ArticleId>> = edits
            .iter()
            .map(|(rel, _)| self.find_article(rel))
            .collect();
        let index = self.index_after(&edits, &ids);
        let every_page = changes_every_page(&self.index, &index);
        let mut gone = vec![false; self.content.articles.len()];
        let mut edited = BTreeSet::new();
        for ((rel, new), id) in edits.into_iter().zip(ids) {
            match (id, new) {
                (Some(id), Some(article)) => {
                    self.content.articles[id] = article;
                    edited.insert(rel);
                }
                (Some(id), None) => gone[id] = true,
                (None, Some(article)) => {
                    self.content.articles.push(article);
                    self.cards.push();
                    gone.push(false);
                    edited.insert(rel);
                }
                (None, None) => {}
            }
        }
        let mut keep = gone.iter().map(|g| !g);
        self.content
            .articles
            .retain(|_| keep.next().unwrap_or(true));
        let mut keep = gone.iter().map(|g| !g);
        self.cards.retain(|| keep.next().unwrap_or(true));
        if every_page {
            self.cards = Cards::unrendered(self.content.articles.len());
        } else {
            for (id, article) in self.content.articles.iter().enumerate() {
                if edited.contains(&article.rel) {
                    self.cards.forget(id);
                }
            }
        }
        self.index = index;
        every_page
    }

    /// The index of the articles as `edits` (with their current `ids`)
    /// would leave them, without changing anything.
    fn index_after(&self, edits: &[Edit], ids: &[Option<ArticleId>]) -> Index {
        let mut slots: Vec<Option<&Article>> = self.content.articles.iter().map(Some).collect();
        let mut added = Vec::new();
        for ((_, new), id) in edits.iter().zip(ids) {
            match id {
                Some(id) => slots[*id] = new.as_ref(),
                None => added.extend(new.as_ref()),
            }
        }
        let after: Vec<&Article> = slots.into_iter().flatten().chain(added).collect();
        Index::build(&after, &self.entities)
    }

    /// Takes in a path under content/ that is not an article file.
    fn note_content_other(&mut self, path: &Path) -> Other {
        if path.is_dir() {
            return Other::Reload;
        }
        let rel = load::relative(&load::content_dir(&self.root), path);
        let exists = path.is_file();
        let known = self.content.assets.iter().position(|a| a.rel == rel);
        match (known, exists) {
            (None, true) => {
                self.content.assets.push(Asset {
                    file: path.to_path_buf(),
                    rel: rel.clone(),
                });
                Other::Copy(rel)
            }
            (Some(i), false) => {
                self.content.assets.remove(i);
                Other::Copy(rel)
            }
            (Some(_), true) => Other::Copy(rel),
            // A folder that was removed, with files the site knew.
            (None, false) if self.has_files_under(path) => Other::Reload,
            // An editor's temp file, already gone.
            (None, false) => Other::Nothing,
        }
    }

    /// True when `file` is the portrait of someone in data/people.yaml.
    fn shows_portrait(&self, file: &Path) -> bool {
        let people = self.entities.people.entries().iter();
        people
            .filter_map(|p| p.image.as_ref())
            .any(|p| p.file == file)
    }

    /// The files of the articles whose photo is one of `files`.
    fn articles_showing<'a>(&self, files: impl Iterator<Item = &'a Path>) -> Vec<PathBuf> {
        let files: BTreeSet<&Path> = files.collect();
        if files.is_empty() {
            return Vec::new();
        }
        let articles = self.content.articles.iter();
        articles
            .filter(|a| {
                let mut photos = a.image.as_deref().into_iter().chain(&a.body_images);
                photos.any(|p| files.contains(p.file.as_path()))
            })
            .map(|a| a.file.clone())
            .collect()
    }

    /// True when some article or asset lies under `path`.
    fn has_files_under(&self, path: &Path) -> bool {
        let articles = self.content.articles.iter().map(|a| &a.file);
        let assets = self.content.assets.iter().map(|a| &a.file);
        articles.chain(assets).any(|f| f.starts_with(path))
    }

    /// The page of the article read from `file`, if the site has one.
    pub(super) fn page_of_file(&self, file: &Path) -> Option<&str> {
        let article = self.content.articles.iter().find(|a| a.file == file)?;
        Some(&article.path)
    }

    /// The site paths of the pages `edited` reached (a narrow edit's: its
    /// articles' pages, the pages it checked and those it removed).
    pub(crate) fn reached_paths(&self, edited: &Edited) -> Vec<String> {
        let r = self.renderer();
        match &edited.reach {
            Reached::Bodies(ids) => ids.iter().map(|&id| r.path(Page::Article(id))).collect(),
            Reached::Pages { check, removed } => {
                let checked = check.iter().map(|&p| r.path(p));
                checked.chain(removed.iter().cloned()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The article files whose bodies' words the search index needs (with
    /// their body hashes), while [`Site::words_pending`].
    pub(crate) fn wanted_words(&self) -> Vec<(PathBuf, u64)> {
        let articles = self.content.articles.iter();
        articles.map(|a| (a.file.clone(), a.body_hash)).collect()
    }

    /// True while the bodies' words are missing ([`Site::load_for_preview`]).
    pub(crate) fn words_pending(&self) -> bool {
        self.words_pending
    }

    /// Puts in the words read for [`Site::wanted_words`]: each article
    /// whose file and body hash are those read takes them (one edited
    /// since was read again with its own).
    pub(crate) fn set_words(
        &mut self,
        files: Vec<(PathBuf, u64)>,
        words: Vec<Option<crate::words::Packed>>,
    ) {
        let mut read: HashMap<PathBuf, (u64, crate::words::Packed)> = files
            .into_iter()
            .zip(words)
            .filter_map(|((file, hash), words)| Some((file, (hash, words?))))
            .collect();
        for article in &mut self.content.articles {
            match read.remove(&article.file) {
                Some((hash, words)) if hash == article.body_hash => article.words = words,
                _ => {}
            }
        }
        self.words_pending = false;
    }
}

/// What a path under content/ that is not an article file means.
enum Other {
    /// Nothing the site knows (an editor's temp file that is gone).
    Nothing,
    /// An asset that appeared, changed or went: copy (or remove) it.
    Copy(String),
    /// A folder came or went: load the whole site again.
    Reload,
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, article};
    use super::*;

    /// A site of two articles by Ann Lee and one by Bo Kim in February,
    /// and one by Cy Dee in January.
    fn three(dir: &Path) -> Site {
        let a = article("A", "2026-02-01", "people: [Ann Lee]\n", "One.");
        let b = article("B", "2026-02-02", "people: [Ann Lee]\n", "Two.");
        let c = article("C", "2026-02-03", "people: [Bo Kim]\n", "Three.");
        let d = article("D", "2026-01-15", "people: [Cy Dee]\n", "Four.");
        fixture::site(
            dir,
            &[
                ("content/a.md", &a),
                ("content/b.md", &b),
                ("content/c.md", &c),
                ("content/d.md", &d),
            ],
        )
    }

    /// Saves `text` as `content/<name>` and takes the edit in.
    fn save(site: &mut Site, dir: &Path, name: &str, text: Option<&str>) -> Edited {
        let path = format!("content/{name}");
        match text {
            Some(text) => fixture::write(dir, &path, text),
            None => std::fs::remove_file(dir.join(&path)).unwrap(),
        }
        let changed = Changed {
            articles: vec![dir.join(path)],
            ..Changed::default()
        };
        site.edit(changed, &LoadOptions::default())
            .expect("the edit is taken in")
            .expect("no reload")
    }

    fn paths(site: &Site, reach: &Reached) -> BTreeSet<String> {
        let Reached::Pages { check, .. } = reach else {
            panic!("expected some pages, got {reach:?}");
        };
        let r = site.renderer();
        check.iter().map(|&p| r.path(p)).collect()
    }

    #[test]
    fn a_body_edit_reaches_its_own_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let text = article("B", "2026-02-02", "people: [Ann Lee]\n", "Changed.");
        let edited = save(&mut site, dir.path(), "b.md", Some(&text));
        assert_eq!(edited.reach, Reached::Bodies(vec![1]));
        assert!(edited.is_narrow() && edited.index_changed() && edited.files_moved);
    }

    #[test]
    fn an_edit_reaching_many_pages_is_not_written_at_once() {
        let edited = |n| Edited {
            reach: Reached::Bodies((0..n).collect()),
            copies: Vec::new(),
            errors: Vec::new(),
            keep: BTreeSet::new(),
            files_moved: false,
            index_changed: true,
        };
        assert!(edited(AT_ONCE).is_narrow() && !edited(AT_ONCE + 1).is_narrow());
    }

    #[test]
    fn a_new_person_reaches_the_pages_that_show_the_article_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let text = article("C", "2026-02-03", "people: [Bo Kim, Ann Lee]\n", "Three.");
        let edited = save(&mut site, dir.path(), "c.md", Some(&text));
        let reached = paths(&site, &edited.reach);
        for page in [
            "/2026/02/c/",
            "/people/ann-lee/",
            "/people/bo-kim/",
            "/people/",
        ] {
            assert!(reached.contains(page), "{page} in {reached:?}");
        }
        for page in ["/2026/01/d/", "/people/cy-dee/", "/2026/01/"] {
            assert!(!reached.contains(page), "{page} not in {reached:?}");
        }
        assert!(edited.is_narrow());
    }

    #[test]
    fn a_deleted_article_removes_its_page_and_a_person_it_alone_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let edited = save(&mut site, dir.path(), "c.md", None);
        let Reached::Pages { removed, .. } = &edited.reach else {
            panic!("expected some pages, got {:?}", edited.reach);
        };
        assert!(removed.contains("/2026/02/c/"), "{removed:?}");
        assert!(removed.contains("/people/bo-kim/"), "{removed:?}");
        assert_eq!(site.article_count(), 3);
    }

    #[test]
    fn a_new_year_reaches_every_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let text = article("D", "2025-12-31", "", "Four.");
        let edited = save(&mut site, dir.path(), "d.md", Some(&text));
        assert_eq!(edited.reach, Reached::EveryPage);
        assert!(!edited.is_narrow());
    }

    #[test]
    fn a_broken_article_keeps_its_page_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let edited = save(&mut site, dir.path(), "a.md", Some("---\ntitle: [\n---\n"));
        assert_eq!(edited.errors.len(), 1, "{:?}", edited.errors);
        assert!(edited.errors[0].path.ends_with("a.md"));
        assert_eq!(edited.keep, BTreeSet::from(["/2026/02/a/".to_string()]));
        assert_eq!(site.article_count(), 4, "the last good version stays");
    }

    #[test]
    fn a_template_edit_moves_no_file_and_data_reaches_every_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        let changed = Changed {
            templates: true,
            ..Changed::default()
        };
        let edited = site
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(edited.reach, Reached::Templates);
        assert!(!edited.files_moved && !edited.index_changed() && !edited.is_narrow());
        let changed = Changed {
            data: true,
            ..Changed::default()
        };
        let edited = site
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(edited.reach, Reached::Data);
        assert!(edited.files_moved && edited.index_changed());
        let both = Changed {
            data: true,
            templates: true,
            ..Changed::default()
        };
        let edited = site.edit(both, &LoadOptions::default()).unwrap().unwrap();
        assert_eq!(edited.reach, Reached::Templates);
        assert!(
            edited.files_moved,
            "data/ may rename terms: their pages move"
        );
        assert!(edited.index_changed(), "the index holds data/'s names");
    }

    #[test]
    fn assets_are_copied_and_folders_reload() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = three(dir.path());
        fixture::write(dir.path(), "content/photo.jpg", "jpeg");
        let photo = dir.path().join("content/photo.jpg");
        let changed = Changed {
            content_other: vec![photo.clone(), dir.path().join("content/.#gone.md")],
            ..Changed::default()
        };
        let edited = site
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(edited.reach, Reached::Copies);
        assert_eq!(edited.copies, vec![("photo.jpg".to_string(), photo)]);
        assert!(edited.is_narrow() && !edited.index_changed());
        std::fs::create_dir(dir.path().join("content/new")).unwrap();
        let changed = Changed {
            content_other: vec![dir.path().join("content/new")],
            ..Changed::default()
        };
        assert!(site
            .edit(changed, &LoadOptions::default())
            .unwrap()
            .is_none());
    }
}

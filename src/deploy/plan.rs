//! The comparison at the heart of a deploy, pure: what the build holds
//! against what the bucket holds (as the remote record says), into
//! uploads in an order that never shows a broken link, and deletions.
//!
//! The order: assets first (a page never names a stylesheet or photo that
//! is not there), then new pages (every link to one is published after
//! it), then changed articles, then the lists and the home page and the
//! search data that name articles, then feeds and sitemaps, and the
//! deletions last (nothing published still links to a deleted page once
//! the lists that named it are replaced).

use std::collections::BTreeMap;

use crate::render::{role_of, FileRole};

/// The upload groups, in the order they are published; each finishes
/// before the next starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    /// Stylesheets, scripts, photos, static files.
    Assets,
    /// Pages the bucket does not have yet.
    NewPages,
    /// Articles whose page changed.
    ChangedPages,
    /// Changed lists, the home page and the search data.
    Lists,
    /// Feeds, sitemaps, robots.txt.
    Feeds,
}

impl Group {
    /// A few words for the summary.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Group::Assets => "assets",
            Group::NewPages => "new pages",
            Group::ChangedPages => "changed articles",
            Group::Lists => "lists, home and search data",
            Group::Feeds => "feeds and sitemaps",
        }
    }
}

/// Why a file is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The bucket does not have it.
    New,
    /// The bucket has other bytes or headers.
    Changed,
    /// An interrupted deploy may have left either version: sent again.
    Unfinished,
}

impl Reason {
    /// The word `--dry-run` prints.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Reason::New => "new",
            Reason::Changed => "changed",
            Reason::Unfinished => "unfinished",
        }
    }
}

/// What the bucket holds at a key gazette wrote: the stored hash, or
/// `None` when an interrupted deploy left it unknown.
pub(crate) type Remote = BTreeMap<String, Option<u64>>;

/// A deploy's work, in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// For each group in order, the files to send and why.
    pub(crate) uploads: Vec<(Group, Vec<(String, Reason)>)>,
    /// Keys gazette wrote that the build no longer has.
    pub(crate) deletes: Vec<String>,
    /// Files the bucket already has as built.
    pub(crate) unchanged: usize,
}

impl Plan {
    /// How many files are sent.
    pub(crate) fn upload_count(&self) -> usize {
        self.uploads.iter().map(|(_, files)| files.len()).sum()
    }

    /// True when the bucket already holds the build.
    pub(crate) fn is_empty(&self) -> bool {
        self.upload_count() == 0 && self.deletes.is_empty()
    }
}

/// Compares `local` (output path -> what `stored` reads as its stored
/// hash: the bytes' and the headers') with `remote`.
pub(crate) fn plan<T>(
    local: &BTreeMap<String, T>,
    stored: impl Fn(&T) -> u64,
    remote: &Remote,
) -> Plan {
    let mut groups: BTreeMap<Group, Vec<(String, Reason)>> = BTreeMap::new();
    let mut unchanged = 0;
    for (path, file) in local {
        let hash = stored(file);
        let reason = match remote.get(path) {
            Some(&Some(h)) if h == hash => {
                unchanged += 1;
                continue;
            }
            Some(Some(_)) => Reason::Changed,
            Some(None) => Reason::Unfinished,
            None => Reason::New,
        };
        groups
            .entry(group_of(path, reason))
            .or_default()
            .push((path.clone(), reason));
    }
    let deletes = remote
        .keys()
        .filter(|k| !local.contains_key(*k))
        .cloned()
        .collect();
    Plan {
        uploads: groups.into_iter().collect(),
        deletes,
        unchanged,
    }
}

fn group_of(path: &str, reason: Reason) -> Group {
    let new = reason == Reason::New;
    match role_of(path) {
        FileRole::Asset => Group::Assets,
        FileRole::Article if new => Group::NewPages,
        FileRole::Article => Group::ChangedPages,
        FileRole::List if new && path != "index.html" => Group::NewPages,
        FileRole::List => Group::Lists,
        FileRole::Feed => Group::Feeds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(entries: &[(&str, u64)]) -> BTreeMap<String, u64> {
        entries.iter().map(|(p, h)| (p.to_string(), *h)).collect()
    }

    fn remote(entries: &[(&str, Option<u64>)]) -> Remote {
        entries.iter().map(|(p, h)| (p.to_string(), *h)).collect()
    }

    fn order(plan: &Plan) -> Vec<(Group, &str)> {
        let mut out = Vec::new();
        for (group, files) in &plan.uploads {
            out.extend(files.iter().map(|(p, _)| (*group, p.as_str())));
        }
        out
    }

    #[test]
    fn a_new_article_is_published_before_the_pages_that_link_to_it() {
        let built = local(&[
            ("index.html", 2),
            ("atom.xml", 2),
            ("theme.css", 2),
            ("2026/02/new/index.html", 1),
            ("2026/02/old/index.html", 2),
            ("2026/02/index.html", 2),
            ("people/new-person/index.html", 1),
            ("photos/ab/ab-w800.jpg", 1),
            ("search/index.json", 2),
            ("sitemap.xml", 2),
        ]);
        let bucket = remote(&[
            ("index.html", Some(1)),
            ("atom.xml", Some(1)),
            ("theme.css", Some(1)),
            ("2026/02/old/index.html", Some(1)),
            ("2026/02/index.html", Some(1)),
            ("search/index.json", Some(1)),
            ("sitemap.xml", Some(2)),
        ]);
        let plan = plan(&built, |h| *h, &bucket);
        assert_eq!(
            order(&plan),
            vec![
                (Group::Assets, "photos/ab/ab-w800.jpg"),
                (Group::Assets, "theme.css"),
                (Group::NewPages, "2026/02/new/index.html"),
                (Group::NewPages, "people/new-person/index.html"),
                (Group::ChangedPages, "2026/02/old/index.html"),
                (Group::Lists, "2026/02/index.html"),
                (Group::Lists, "index.html"),
                (Group::Lists, "search/index.json"),
                (Group::Feeds, "atom.xml"),
            ]
        );
        assert_eq!(plan.unchanged, 1);
        assert!(plan.deletes.is_empty());
    }

    #[test]
    fn gone_files_are_deleted_and_unknown_ones_sent_again() {
        let built = local(&[("index.html", 1), ("2026/02/kept/index.html", 5)]);
        let bucket = remote(&[
            ("index.html", Some(1)),
            ("2026/02/kept/index.html", None),
            ("2026/02/gone/index.html", Some(3)),
            ("2026/02/half-sent/index.html", None),
        ]);
        let plan = plan(&built, |h| *h, &bucket);
        assert_eq!(
            plan.uploads,
            vec![(
                Group::ChangedPages,
                vec![("2026/02/kept/index.html".to_string(), Reason::Unfinished)]
            )]
        );
        assert_eq!(
            plan.deletes,
            vec!["2026/02/gone/index.html", "2026/02/half-sent/index.html"]
        );
        assert_eq!(plan.unchanged, 1);
    }

    #[test]
    fn a_bucket_that_holds_the_build_needs_nothing() {
        let built = local(&[("index.html", 1), ("theme.css", 2)]);
        let bucket = remote(&[("index.html", Some(1)), ("theme.css", Some(2))]);
        let plan = plan(&built, |h| *h, &bucket);
        assert!(plan.is_empty());
        assert_eq!(plan.unchanged, 2);
    }
}

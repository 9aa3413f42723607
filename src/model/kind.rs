//! The vocabulary every stage shares: the three kinds of term a news
//! archive is browsed by. A module of its own so that the indexes and the
//! entities (who a written name is) can both name it without importing
//! each other.

use crate::load::{Article, Name};

/// The three taxonomies of a news archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// `people`.
    People,
    /// `countries`.
    Countries,
    /// `tags`.
    Tags,
}

impl Kind {
    /// All kinds, in display order.
    pub(crate) const ALL: [Kind; 3] = [Kind::People, Kind::Countries, Kind::Tags];

    /// The front-matter key and URL segment (`people`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::People => "people",
            Kind::Countries => "countries",
            Kind::Tags => "tags",
        }
    }

    /// The heading shown to readers (`People`).
    pub(crate) fn title(self) -> &'static str {
        match self {
            Kind::People => "People",
            Kind::Countries => "Countries",
            Kind::Tags => "Tags",
        }
    }

    /// The names an article gives for this kind.
    pub(crate) fn names(self, article: &Article) -> &[Name] {
        match self {
            Kind::People => &article.people,
            Kind::Countries => &article.countries,
            Kind::Tags => &article.tags,
        }
    }
}

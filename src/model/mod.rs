//! Model: pure functions of the loaded metadata, with no IO and no Tera.
//! Who a written name is ([`entities`], through the country registry of
//! [`countries`] and the people directory of [`people`]), the indexes of
//! people, countries, tags, years and months ([`index`]), and what can be
//! derived from them: mentions per month, co-mentions, related articles
//! ([`insights`]); and the story threads front matter names ([`stories`]).
//! [`Kind`] is the vocabulary all of them share.
//!
//! Everything here is built from `load`'s values and read by `render` and
//! `check`; it never reads a file, renders a page or knows a URL.

mod countries;
mod entities;
mod index;
mod insights;
mod kind;
mod people;
mod stories;

pub(crate) use countries::{CountryEntry, Registry};
pub(crate) use entities::Entities;
pub(crate) use index::{Index, Term, TermId};
pub(crate) use insights::RELATED_WINDOW;
pub(crate) use insights::{co_mentions, entity_terms, mentions_per_month, related, window};
pub(crate) use kind::Kind;
#[cfg(test)]
pub(crate) use people::VariantGroup;
pub(crate) use people::{likely_variants, suggestion_yaml, People, PersonEntry};
pub(crate) use stories::{Stories, StoryId};

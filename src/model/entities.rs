//! People and countries as entities: one identity per person or country
//! however it is written. Countries resolve through the ISO registry (name,
//! alias or code, plus `data/countries.yaml`); people through
//! `data/people.yaml` and, without an entry, through a key that ignores
//! case, diacritics, spacing and punctuation. Tags keep the plain term key.

use super::countries::{self, Registry};
use super::people::{self, People, PersonId};
use super::Kind;
use crate::slugs::term_key;

/// Who a written name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The same for every spelling of the same entity (and distinct across
    /// entities): `#GB`, `#p12`, or `?` and a folded name when unknown.
    pub(crate) key: String,
    /// The canonical name, when the entity is known.
    pub(crate) canonical: Option<String>,
}

/// The country registry and the people directory of a site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entities {
    /// Every country: built-in plus `data/countries.yaml`.
    pub(crate) countries: Registry,
    /// The people of `data/people.yaml`.
    pub(crate) people: People,
}

impl Entities {
    /// The built-in countries and no people.
    pub(crate) fn builtin() -> Entities {
        Entities {
            countries: Registry::builtin(),
            people: People::default(),
        }
    }

    /// The identity of a name written in an article's `kind` list.
    pub(crate) fn identify(&self, kind: Kind, written: &str) -> Identity {
        match kind {
            Kind::Countries => match self.countries.lookup(written) {
                Some(c) if !c.code.is_empty() => known(format!("#{}", c.code), &c.name),
                Some(c) => known(format!("#{}", countries::country_key(&c.name)), &c.name),
                None => unknown(countries::country_key(written), written),
            },
            Kind::People => match self.people.resolve(written) {
                Some(PersonId(id)) => {
                    known(format!("#p{id}"), &self.people.entry(PersonId(id)).name)
                }
                None => unknown(people::name_key(written), written),
            },
            Kind::Tags => Identity {
                key: term_key(written),
                canonical: None,
            },
        }
    }
}

fn known(key: String, name: &str) -> Identity {
    Identity {
        key,
        canonical: Some(name.to_string()),
    }
}

/// An unknown name keyed by its folded form; a name with nothing to fold
/// (only punctuation) keeps its own spelling so it is still a term.
fn unknown(folded: String, written: &str) -> Identity {
    let key = if folded.is_empty() {
        term_key(written)
    } else {
        folded
    };
    Identity {
        key: format!("?{key}"),
        canonical: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_merge_through_the_registry() {
        let e = Entities::builtin();
        let uk = e.identify(Kind::Countries, "United Kingdom");
        for other in ["Britain", "UK", "U.K.", "great britain", "GB"] {
            assert_eq!(e.identify(Kind::Countries, other), uk, "{other}");
        }
        assert_eq!(uk.canonical.as_deref(), Some("United Kingdom"));
        assert_eq!(
            e.identify(Kind::Countries, "Turkey").canonical.as_deref(),
            Some("Türkiye")
        );
    }

    #[test]
    fn unknown_names_fold_case_diacritics_and_punctuation() {
        let e = Entities::builtin();
        let a = e.identify(Kind::People, "José Núñez");
        assert_eq!(a, e.identify(Kind::People, "JOSE  NUNEZ"));
        assert_eq!(a.canonical, None);
        assert_ne!(a, e.identify(Kind::People, "Josefina Núñez"));
        assert_eq!(e.identify(Kind::Countries, "Atlantis").canonical, None);
    }

    #[test]
    fn tags_keep_plus_and_hash_apart() {
        let e = Entities::builtin();
        assert_ne!(e.identify(Kind::Tags, "C++"), e.identify(Kind::Tags, "C#"));
    }
}

//! A name an article gives (a person, a country, a tag, someone pictured),
//! kept once for the whole process and held by number. At 100,000
//! articles the names are 1.19 million, of a few thousand distinct; each
//! kept as a `String` took 40 bytes and its list 24 more (48 MB of a
//! build's 190 after loading); as a number, 4 bytes. The names are never
//! forgotten: a preview keeps those of every version of an article it
//! saw, a few bytes for each name an editor typed.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::interner::Interner;

/// Every name of the process.
static NAMES: Interner = Interner::new();

/// A name as written (its spaces tidied), by its number in [`NAMES`]:
/// equal names are the same number. It reads as a `&str`; it sorts and
/// prints as its text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Name(u32);

impl Name {
    /// The name `text`.
    ///
    /// # Panics
    /// Past 4 billion distinct names in one process (articles are bounded
    /// in size and in names: some 100 GB of names).
    pub(crate) fn new(text: &str) -> Name {
        Name(
            NAMES
                .number(text)
                .expect("fewer than 4 billion distinct names"),
        )
    }

    /// Its text.
    pub(crate) fn as_str(&self) -> &'static str {
        NAMES.get(self.0)
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        to.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(from: D) -> Result<Name, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(from)?;
        Ok(Name::new(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_its_text_and_equal_names_are_one() {
        let (a, b) = (
            Name::new("Lucia Krüger"),
            Name::from("Lucia Krüger".to_string()),
        );
        assert_eq!(a, b);
        assert_eq!(&*a, "Lucia Krüger");
        assert_eq!(a, "Lucia Krüger");
        assert_ne!(a, Name::new("lucia krüger"));
        assert_eq!(format!("{a} {a:?}"), "Lucia Krüger \"Lucia Krüger\"");
        let mut names = [Name::new("Zoe"), Name::new("Ann"), Name::new("Bo")];
        names.sort();
        assert_eq!(names.map(|n| n.as_str()), ["Ann", "Bo", "Zoe"]);
    }

    #[test]
    fn a_name_is_written_and_read_as_a_string() {
        let names = vec![Name::new("Ann \"A\" é"), Name::new("")];
        let json = serde_json::to_string(&names).unwrap();
        assert_eq!(json, r#"["Ann \"A\" é",""]"#);
        assert_eq!(serde_json::from_str::<Vec<Name>>(&json).unwrap(), names);
    }
}

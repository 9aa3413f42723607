//! The data files: `data/people.yaml` and `data/countries.yaml`, both
//! optional, read and parsed into the entries that `model` builds the
//! people directory and the country registry from. Every bad entry of both
//! files is reported, each at its line and column.

use std::path::Path;

use serde::Deserialize;

use super::frontmatter::{AnImage, Names, Text};
use super::{photos, yaml};
use crate::error::Diagnostic;
use crate::model::{CountryEntry, Entities, People, PersonEntry};

/// The file of extra countries and aliases.
pub(crate) const COUNTRIES_FILE: &str = "data/countries.yaml";
/// The file of people and their other spellings.
pub(crate) const PEOPLE_FILE: &str = "data/people.yaml";

/// Loads `data/countries.yaml` and `data/people.yaml` (both optional);
/// every error in them is reported.
pub(crate) fn load_entities(root: &Path) -> Result<Entities, Vec<Diagnostic>> {
    let mut entities = Entities::builtin();
    let mut errors = Vec::new();
    let countries_path = root.join(COUNTRIES_FILE);
    if let Some(text) = read_optional(&countries_path, &mut errors) {
        let extended = parse_countries(&text, &countries_path)
            .and_then(|entries| entities.countries.extend(entries, &countries_path));
        if let Err(mut e) = extended {
            errors.append(&mut e);
        }
    }
    let people_path = root.join(PEOPLE_FILE);
    if let Some(text) = read_optional(&people_path, &mut errors) {
        let people = parse_people(&text, &people_path, root)
            .and_then(|entries| People::from_entries(entries, &entities.countries, &people_path));
        match people {
            Ok(p) => entities.people = p,
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(entities)
    } else {
        Err(errors)
    }
}

fn read_optional(path: &Path, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            errors.push(Diagnostic::file(path, format!("cannot read: {e}")));
            None
        }
    }
}

/// The shape of one item of `data/people.yaml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: Text,
    #[serde(default)]
    aliases: Names,
    #[serde(default)]
    role: Option<Text>,
    #[serde(default)]
    country: Option<Text>,
    #[serde(default)]
    description: Option<Text>,
    #[serde(default)]
    image: Option<AnImage>,
}

/// Parses the text of `data/people.yaml` (`path`, in the site `root`): a
/// list of `{name, aliases, role, country, description, image}`, only
/// `name` required (`aliases` a list or one string; `image` a file under
/// static/, or a mapping as an article's). Unknown keys and portraits
/// outside static/ are errors; every error is reported with its line and
/// column.
fn parse_people(yaml: &str, path: &Path, root: &Path) -> Result<Vec<PersonEntry>, Vec<Diagnostic>> {
    let items: Vec<(RawPerson, usize)> = parse_data_file(yaml, path)?;
    let mut errors = Vec::new();
    let entries = items
        .into_iter()
        .map(|(raw, line)| {
            let image = raw.image.and_then(|AnImage(field)| {
                let at = item_value_position(yaml, line, "image");
                photos::resolve_portrait(field, root, at)
                    .map_err(|m| errors.push(Diagnostic::at(path, at.0, at.1, m)))
                    .ok()
            });
            PersonEntry {
                name: raw.name.0,
                aliases: raw.aliases.0,
                role: raw.role.map(|t| t.0),
                country: raw.country.map(|t| t.0),
                description: raw.description.map(|t| t.0),
                image,
                line,
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Where the value of `key` is written in the list item that starts on
/// `line` (1-based): its line and column (the key's, when the value starts
/// on the next line); the item's line when it is not found.
fn item_value_position(yaml: &str, line: usize, key: &str) -> (usize, usize) {
    let lines = yaml.lines().enumerate().skip(line.saturating_sub(1));
    for (i, text) in lines {
        if i + 1 > line && text.starts_with('-') {
            break;
        }
        let body = text.trim_start().trim_start_matches('-').trim_start();
        let Some(after) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let value = after.trim_start();
        let column = if value.is_empty() {
            text.len() - body.len() + 1
        } else {
            text.len() - value.len() + 1
        };
        return (i + 1, column);
    }
    (line, 1)
}

/// The shape of one item of `data/countries.yaml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    code: Option<Text>,
    #[serde(default)]
    aliases: Names,
}

/// Parses the text of `data/countries.yaml` (`path`, for messages): a list
/// of `{name, code, aliases}` (`aliases` a list or one string). Unknown keys
/// are errors; every error is reported with its line and column.
fn parse_countries(yaml: &str, path: &Path) -> Result<Vec<CountryEntry>, Vec<Diagnostic>> {
    let items: Vec<(RawEntry, usize)> = parse_data_file(yaml, path)?;
    Ok(items
        .into_iter()
        .map(|(raw, line)| CountryEntry {
            name: raw.name.map(|t| t.0),
            code: raw.code.map(|t| t.0),
            aliases: raw.aliases.0,
            line,
        })
        .collect())
}

/// [`parse_list`] for a data file at `path`: errors become diagnostics.
fn parse_data_file<T: serde::de::DeserializeOwned>(
    yaml: &str,
    path: &Path,
) -> Result<Vec<(T, usize)>, Vec<Diagnostic>> {
    yaml::parse_list(yaml).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| Diagnostic::at(path, e.line, e.column, e.message))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{suggestion_yaml, Registry, VariantGroup};

    #[test]
    fn parses_people_yaml() {
        let path = Path::new("data/people.yaml");
        let yaml = "- name: Volodymyr Zelenskyy\n  aliases: [Zelensky, Zelenskiy]\n  role: President of Ukraine\n  country: UA\n\n- name: Keir Starmer\n  aliases: K. Starmer\n  description: >\n    Prime Minister.\n";
        let entries = parse_people(yaml, path, Path::new("/site")).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].aliases, vec!["Zelensky", "Zelenskiy"]);
        assert_eq!(entries[0].role.as_deref(), Some("President of Ukraine"));
        assert_eq!((entries[0].line, entries[1].line), (1, 6));
        assert_eq!(entries[1].aliases, vec!["K. Starmer"]);
        assert_eq!(entries[1].description.as_deref(), Some("Prime Minister.\n"));
        let people = People::from_entries(entries, &Registry::builtin(), path).unwrap();
        assert_eq!(
            people
                .entry(people.resolve("zelenskiy").unwrap())
                .country
                .as_deref(),
            Some("Ukraine")
        );

        let errors = parse_people(
            "- name: A\n- name: B\n  twitter: '@b'\n- role: x\n",
            path,
            Path::new("/site"),
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown.len(), 2, "{shown:#?}");
        assert!(
            shown[0].starts_with("data/people.yaml:3:3: error: unknown field `twitter`"),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with("data/people.yaml:4:")
                && shown[1].contains("missing field `name`"),
            "{shown:#?}"
        );
    }

    #[test]
    fn suggestion_is_valid_people_yaml() {
        let group = VariantGroup {
            canonical: "Volodymyr Zelenskiy".into(),
            aliases: vec!["Vladimir Zelensky".into(), "Zelensky \"Ze\"".into()],
            articles: 3,
        };
        let yaml = suggestion_yaml(&group);
        assert_eq!(
            yaml,
            "- name: \"Volodymyr Zelenskiy\"\n  aliases: [\"Vladimir Zelensky\", \"Zelensky \\\"Ze\\\"\"]\n"
        );
        let entries =
            parse_people(&yaml, Path::new("data/people.yaml"), Path::new("/site")).unwrap();
        let people = People::from_entries(entries, &Registry::builtin(), Path::new("p")).unwrap();
        assert_eq!(
            people.resolve("Zelensky \"Ze\""),
            people.resolve("Volodymyr Zelenskiy")
        );
        assert!(people.resolve("Vladimir Zelensky").is_some());
    }

    #[test]
    fn parses_countries_yaml_with_lines() {
        let path = Path::new("data/countries.yaml");
        let yaml = "# our names\n- name: Somaliland\n  aliases: [Somaliland Republic]\n\n- code: GB\n  aliases: Blighty\n";
        let entries = parse_countries(yaml, path).unwrap();
        let fields = |e: &CountryEntry| {
            let (name, code) = (e.name.clone(), e.code.clone());
            (name, code, e.aliases.clone(), e.line)
        };
        assert_eq!(
            fields(&entries[0]),
            (
                Some("Somaliland".into()),
                None,
                vec!["Somaliland Republic".into()],
                2
            )
        );
        assert_eq!(
            fields(&entries[1]),
            (None, Some("GB".into()), vec!["Blighty".into()], 5)
        );
        let mut r = Registry::builtin();
        r.extend(entries, path).unwrap();
        assert_eq!(r.lookup("somaliland republic").unwrap().name, "Somaliland");
    }

    #[test]
    fn countries_yaml_refuses_unknown_keys() {
        let path = Path::new("data/countries.yaml");
        let errors = parse_countries("- name: A\n  flag: x\n", path).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(3)));
        assert!(
            errors[0].message.contains("unknown field `flag`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_keys_position_is_found_inside_its_item() {
        let yaml = "- name: A\n  image: a.jpg\n- name: B\n- image: c.jpg\n  name: C\n- name: D\n  image:\n    src: d.jpg\n";
        assert_eq!(item_value_position(yaml, 1, "image"), (2, 10));
        assert_eq!(item_value_position(yaml, 3, "image"), (3, 1), "B has none");
        assert_eq!(item_value_position(yaml, 4, "image"), (4, 10));
        assert_eq!(item_value_position(yaml, 6, "image"), (7, 3));
    }
}

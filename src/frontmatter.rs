//! Front matter: splitting a markdown file into its YAML block and body, and
//! parsing that block into typed fields with positions in the *file*.
//!
//! This is the only module that touches YAML (serde_yaml, archived upstream):
//! a maintained fork can replace it here in one line.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// The keys gazette itself understands; any other key goes to `extra`.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "source",
    "url",
    "location",
    "summary",
    "slug",
    "draft",
    "people",
    "countries",
    "tags",
];

/// A file split at its front-matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    /// The markdown after the closing fence.
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` (BOM already removed) into front matter and body. Accepts LF
/// and CRLF line endings; the closing fence is `---` (or YAML's `...`).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::NoFrontMatter);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
            });
        }
        pos = end + 1;
    }
    Err(SplitError::Unclosed)
}

/// A date as written: with an offset, or local (to be read in the site's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawDate {
    /// `2026-02-20T09:30:00Z` or `2026-02-20T09:30:00+01:00`.
    Fixed(DateTime<FixedOffset>),
    /// `2026-02-20` (midnight) or `2026-02-20 09:30`.
    Local(NaiveDateTime),
}

/// Parses the date formats gazette accepts.
pub fn parse_date(s: &str) -> Option<RawDate> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(RawDate::Fixed(d));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(RawDate::Fixed(d));
        }
    }
    if let Some(stripped) = s.strip_suffix('Z') {
        for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
            if let Ok(d) = NaiveDateTime::parse_from_str(stripped, fmt) {
                return Some(RawDate::Fixed(d.and_utc().fixed_offset()));
            }
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(RawDate::Local(d));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| RawDate::Local(d.and_time(chrono::NaiveTime::MIN)))
}

/// What a date should look like, for error messages.
pub const DATE_EXPECTED: &str =
    "a date like 2026-02-20, 2026-02-20T09:30:00Z or 2026-02-20T09:30:00+01:00";

/// A scalar read as text: strings, and numbers or booleans written bare
/// (`title: 1984`). Lists and mappings are refused with a clear message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;
impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Text, E> {
        Ok(Text(s.to_string()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Text, E> {
        Ok(Text(s))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Text, A::Error> {
        Err(de::Error::custom("expected a string, found a list"))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Text, A::Error> {
        Err(de::Error::custom("expected a string, found a mapping"))
    }
}

/// A list of names: a YAML list of strings, or a single string for one name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names(pub Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Names, E> {
                Ok(Names(vec![s.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut out = Vec::new();
                while let Some(Text(s)) = seq.next_element::<Text>()? {
                    out.push(s);
                }
                Ok(Names(out))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Names, A::Error> {
                Err(de::Error::custom(
                    "expected a list of strings, found a mapping",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// The typed front matter of one article, before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    /// `title` (required; checked by the caller).
    pub title: Option<Text>,
    /// `date` as written (required; parsed by the caller with [`parse_date`],
    /// so one bad date does not hide the file's other errors).
    pub date: Option<Text>,
    /// `updated`, as written.
    pub updated: Option<Text>,
    /// `source`: the outlet the story came from.
    pub source: Option<Text>,
    /// `url`: link to the original story.
    pub url: Option<Text>,
    /// `location`: where the story was filed.
    pub location: Option<Text>,
    /// `summary`.
    pub summary: Option<Text>,
    /// `slug`: overrides the file name.
    pub slug: Option<Text>,
    /// `draft`: hidden unless building with drafts.
    pub draft: Option<bool>,
    /// `people` mentioned.
    pub people: Names,
    /// `countries` mentioned.
    pub countries: Names,
    /// `tags`.
    pub tags: Names,
    /// Every other key, for templates (`article.extra`).
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A YAML error positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong.
    pub message: String,
}

/// Parses a front-matter block taken from `split` (`yaml` starting on file
/// line `yaml_line`). Positions in errors are positions in the file.
pub fn parse(yaml: &str, yaml_line: usize) -> Result<FrontMatter, YamlError> {
    let locate = |e: serde_yaml::Error| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        YamlError {
            line: line + yaml_line - 1,
            column,
            message: clean_message(&e.to_string()),
        }
    };
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let mut fm: FrontMatter = serde_yaml::from_str(yaml).map_err(locate)?;
    if has_unknown_top_level_key(yaml) {
        let all: BTreeMap<String, serde_json::Value> =
            serde_yaml::from_str(yaml).map_err(locate)?;
        fm.extra = all
            .into_iter()
            .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()))
            .collect();
    }
    Ok(fm)
}

/// True when the block may hold a key gazette does not know (cheap scan of
/// the top-level keys, so the second, untyped parse runs only when needed).
fn has_unknown_top_level_key(yaml: &str) -> bool {
    yaml.lines().any(|line| {
        let first = line.as_bytes().first().copied();
        match first {
            None | Some(b' ' | b'\t' | b'#' | b'-') => false,
            Some(b'{') => true,
            Some(_) => match line.split_once(':') {
                Some((key, _)) => !KNOWN_KEYS.contains(&key.trim().trim_matches(['"', '\''])),
                None => true,
            },
        }
    })
}

/// Drops serde_yaml's own "at line X column Y" suffix (we print positions in
/// the file, not in the block).
fn clean_message(raw: &str) -> String {
    match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_fences_and_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn split_accepts_crlf() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn split_without_front_matter_or_closing() {
        assert_eq!(split("# Hello\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
    }

    #[test]
    fn split_empty_body() {
        let s = split("---\ntitle: A\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn dates_in_every_accepted_form() {
        assert!(matches!(parse_date("2026-02-20"), Some(RawDate::Local(_))));
        assert!(matches!(
            parse_date("2026-02-20T09:30:00"),
            Some(RawDate::Local(_))
        ));
        assert!(matches!(
            parse_date("2026-02-20 09:30"),
            Some(RawDate::Local(_))
        ));
        let Some(RawDate::Fixed(d)) = parse_date("2026-02-20T09:30:00+01:00") else {
            panic!()
        };
        assert_eq!(d.offset().local_minus_utc(), 3600);
        assert!(matches!(
            parse_date("2026-02-20T09:30:00Z"),
            Some(RawDate::Fixed(_))
        ));
        assert!(matches!(
            parse_date("2026-02-20T09:30Z"),
            Some(RawDate::Fixed(_))
        ));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("20 Feb 2026"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn parses_known_fields_and_keeps_extra() {
        let fm = parse(
            "title: 1984\ndate: 2026-02-20\npeople: [A, B]\ntags: solo\nmood: calm\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.title, Some(Text("1984".into())));
        assert_eq!(fm.people.0, vec!["A", "B"]);
        assert_eq!(fm.tags.0, vec!["solo"]);
        assert_eq!(fm.extra.get("mood"), Some(&serde_json::json!("calm")));
        assert!(!fm.extra.contains_key("title"));
    }

    #[test]
    fn error_lines_are_file_lines() {
        // The YAML block starts on line 2 of the file; `people` is on block line 2.
        let e = parse("title: A\npeople: {a: 1}\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains("expected a list"), "{}", e.message);
    }

    #[test]
    fn list_where_string_expected() {
        let e = parse("title:\n  - a\n  - b\ndate: 2026-01-01\n", 2).unwrap_err();
        assert!(e.message.contains("expected a string"), "{}", e.message);
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let e = parse("title: \"unclosed\ndate: 2026-01-01\n", 2).unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }
}

/// [`parse_list`] for a data file at `path`: errors become diagnostics.
pub fn parse_data_file<T: serde::de::DeserializeOwned>(
    yaml: &str,
    path: &std::path::Path,
) -> Result<Vec<(T, usize)>, Vec<crate::error::Diagnostic>> {
    parse_list(yaml).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| crate::error::Diagnostic::at(path, e.line, e.column, e.message))
            .collect()
    })
}

/// Parses a data file holding a YAML list of mappings (`data/people.yaml`,
/// `data/countries.yaml`) into its items, each with the 1-based line of the
/// file on which it starts (its `- `), so later checks can name that line.
///
/// `T` decides the shape of one item (use `#[serde(deny_unknown_fields)]` to
/// refuse unknown keys). Every item is checked, and every bad one reported,
/// with its position in the file. An empty file (or only comments) is an
/// empty list. Item lines come from the top-level `- ` lines; for a list
/// written in flow style (`[{...}, {...}]`) every item gets the line on
/// which the list starts.
pub fn parse_list<T: serde::de::DeserializeOwned>(
    yaml: &str,
) -> Result<Vec<(T, usize)>, Vec<YamlError>> {
    let yaml = yaml.strip_prefix('\u{feff}').unwrap_or(yaml);
    // `first_line`: the file line on which the parsed text starts.
    let located = |e: serde_yaml::Error, first_line: usize| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        YamlError {
            line: line + first_line - 1,
            column,
            message: clean_message(&e.to_string()),
        }
    };
    let document: serde_yaml::Value =
        serde_yaml::from_str(yaml).map_err(|e| vec![located(e, 1)])?;
    let values = match document {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Sequence(values) => values,
        _ => {
            return Err(vec![YamlError {
                line: first_content_line(yaml),
                column: 1,
                message: "expected a list of entries, each starting with `- `".to_string(),
            }])
        }
    };
    let starts = item_starts(yaml);
    let block_style = starts.len() == values.len();
    let mut items = Vec::with_capacity(values.len());
    let mut errors = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let line = if block_style {
            starts[i].1
        } else {
            first_content_line(yaml)
        };
        match serde_yaml::from_value::<T>(value) {
            Ok(item) => items.push((item, line)),
            Err(e) => {
                // A value has no positions: parse the item's own lines again
                // to point at the offending key, when the list is in block style.
                let precise = block_style.then(|| {
                    let end = starts.get(i + 1).map_or(yaml.len(), |s| s.0);
                    serde_yaml::from_str::<Vec<T>>(&yaml[starts[i].0..end]).err()
                });
                // An alias (`*name`) of an anchor in an earlier item cannot be
                // resolved in the item alone: keep the item's line then.
                let precise = precise
                    .flatten()
                    .filter(|e| !e.to_string().contains("unknown anchor"));
                errors.push(match precise {
                    Some(e) => {
                        let mut error = located(e, line);
                        // The item was parsed as a one-item list: drop the `.[0]: ` path.
                        if let Some(rest) = error.message.strip_prefix(".[0]: ") {
                            error.message = rest.to_string();
                        }
                        error
                    }
                    None => YamlError {
                        line,
                        column: 1,
                        message: clean_message(&e.to_string()),
                    },
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// The byte offset and 1-based line of every item of a top-level block list:
/// the lines that start, at the list's indentation, with `-` followed by a
/// space, a tab or the end of the line.
fn item_starts(yaml: &str) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut indent = None;
    let mut offset = 0;
    for (i, raw) in yaml.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw.len();
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') || line == "---" || line == "..." {
            continue;
        }
        let depth = line.len() - trimmed.len();
        let is_item = trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with("-\t");
        match indent {
            None if is_item => indent = Some(depth),
            None => return Vec::new(),
            Some(_) => {}
        }
        if is_item && Some(depth) == indent {
            starts.push((start, i + 1));
        }
    }
    starts
}

/// The 1-based line of the first line that is neither blank nor a comment.
fn first_content_line(yaml: &str) -> usize {
    yaml.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && t != "---"
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod list_tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
    }

    #[test]
    fn items_carry_their_file_lines() {
        let yaml = "# people\n\n- name: A\n  aliases: [a]\n\n- name: B\n-   name: C\n    aliases:\n      - c\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        let lines: Vec<(&str, usize)> = items.iter().map(|(i, l)| (i.name.as_str(), *l)).collect();
        assert_eq!(lines, vec![("A", 3), ("B", 6), ("C", 7)]);
        assert_eq!(items[2].0.aliases, vec!["c"]);
    }

    #[test]
    fn indented_list_and_document_marker() {
        let yaml = "---\n  - name: A\n  - name: B\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn block_scalars_with_dashes_are_not_items() {
        let yaml = "- name: |\n    - not an item\n    text\n- name: B\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(items[0].0.name, "- not an item\ntext\n");
    }

    #[test]
    fn flow_list_items_get_the_list_line() {
        let yaml = "# c\n[{name: A}, {name: B}]\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec![2, 2]);
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_lists() {
        assert!(parse_list::<Item>("").unwrap().is_empty());
        assert!(parse_list::<Item>("# nothing yet\n").unwrap().is_empty());
    }

    #[test]
    fn every_bad_item_is_reported_at_its_key() {
        let yaml = "- name: A\n- name: B\n  alias: [b]\n- name: C\n- aliases: [d]\n";
        let errors = parse_list::<Item>(yaml).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (3, 3), "{errors:?}");
        assert!(
            errors[0].message.starts_with("unknown field `alias`"),
            "{errors:?}"
        );
        assert_eq!(errors[1].line, 5, "{errors:?}");
        assert!(
            errors[1].message.starts_with("missing field `name`"),
            "{errors:?}"
        );
    }

    #[test]
    fn anchors_across_items_still_parse() {
        let yaml = "- name: A\n  aliases: &same [x]\n- name: B\n  aliases: *same\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        assert_eq!(items[1].0.aliases, vec!["x"]);
        assert_eq!(items[1].1, 3);
    }

    #[test]
    fn a_mapping_or_syntax_error_is_located() {
        let errors = parse_list::<Item>("# c\nname: A\n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message.contains("expected a list"), "{errors:?}");
        let errors = parse_list::<Item>("- name: A\n- name: \"open\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].line >= 2, "{errors:?}");
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let yaml = "\u{feff}- name: A\r\n\r\n- name: B\r\n";
        let items: Vec<(Item, usize)> = parse_list(yaml).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec![1, 3]);
    }
}

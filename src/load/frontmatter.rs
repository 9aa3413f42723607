//! Front matter: splitting a markdown file into its YAML block and body, and
//! parsing that block into typed fields with positions in the *file*.
//!
//! The YAML itself is parsed behind [`super::yaml`], the only module that
//! uses serde_yaml.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::yaml;
pub(crate) use super::yaml::{value_position, YamlError};
use crate::markdown::clean_text;

/// A file split at its front-matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences.
    pub(crate) yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub(crate) yaml_line: usize,
    /// The markdown after the closing fence.
    pub(crate) body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` (BOM already removed) into front matter and body. Accepts LF
/// and CRLF line endings; the closing fence is `---` (or YAML's `...`).
pub(crate) fn split(text: &str) -> Result<Split<'_>, SplitError> {
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
pub(crate) enum RawDate {
    /// `2026-02-20T09:30:00Z` or `2026-02-20T09:30:00+01:00`.
    Fixed(DateTime<FixedOffset>),
    /// `2026-02-20` (midnight) or `2026-02-20 09:30`.
    Local(NaiveDateTime),
}

/// Parses the date formats gazette accepts.
pub(crate) fn parse_date(s: &str) -> Option<RawDate> {
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
pub(crate) const DATE_EXPECTED: &str =
    "a date like 2026-02-20, 2026-02-20T09:30:00Z or 2026-02-20T09:30:00+01:00";

/// A scalar read as text: strings, and numbers or booleans written bare
/// (`title: 1984`). Lists and mappings are refused with a clear message.
/// Characters that no page may hold (a control character named by a YAML
/// escape, a terminal's colour code) are dropped here, so that a name is
/// the name a reader sees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Text(pub(crate) String);

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
        Ok(Text(clean_text(s).into_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Text, E> {
        Ok(Text(match clean_text(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(cleaned) => cleaned,
        }))
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
pub(crate) struct Names(pub(crate) Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Names, E> {
                Ok(Names(vec![clean_text(s).into_owned()]))
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

/// `image:` as written: a path, or a mapping `{src, alt, caption, credit,
/// focus}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageField {
    /// The file: relative to the article's file, or `/...` from `static/`.
    pub(crate) src: Text,
    /// What the picture shows, for readers who cannot see it.
    pub(crate) alt: Option<Text>,
    /// Shown under the picture.
    pub(crate) caption: Option<Text>,
    /// Who took or owns it, shown after the caption.
    pub(crate) credit: Option<Text>,
    /// The point crops keep in view: `[x, y]`, fractions from the top left.
    pub(crate) focus: Option<[f32; 2]>,
}

/// Reads `image:` in either form.
pub(crate) fn image_field<'de, D: Deserializer<'de>>(d: D) -> Result<ImageField, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = ImageField;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a path, or a mapping with src, alt, caption, credit and focus")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<ImageField, E> {
            Ok(ImageField {
                src: Text(clean_text(s).into_owned()),
                ..ImageField::default()
            })
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<ImageField, A::Error> {
            ImageField::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V)
}

/// One entry of `corrections:` as written: `{date, text}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionField {
    /// When the correction was made.
    #[serde(default)]
    pub(crate) date: Option<Text>,
    /// What was corrected, as the reader is told.
    #[serde(default)]
    pub(crate) text: Option<Text>,
}

/// The wrapper that gives [`ImageField`] its two forms to serde.
pub(crate) struct AnImage(pub(crate) ImageField);

impl<'de> Deserialize<'de> for AnImage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        image_field(d).map(AnImage)
    }
}

/// The typed front matter of one article, before validation.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// `title` (required; checked by the caller).
    pub(crate) title: Option<Text>,
    /// `date` as written (required; parsed by the caller with [`parse_date`],
    /// so one bad date does not hide the file's other errors).
    pub(crate) date: Option<Text>,
    /// `updated`, as written.
    pub(crate) updated: Option<Text>,
    /// `source`: the outlet the story came from.
    pub(crate) source: Option<Text>,
    /// `url`: link to the original story.
    pub(crate) url: Option<Text>,
    /// `location`: where the story was filed.
    pub(crate) location: Option<Text>,
    /// `summary`.
    pub(crate) summary: Option<Text>,
    /// `slug`: overrides the file name.
    pub(crate) slug: Option<Text>,
    /// `draft`: hidden unless building with drafts.
    pub(crate) draft: Option<bool>,
    /// `people` mentioned.
    pub(crate) people: Names,
    /// `countries` mentioned.
    pub(crate) countries: Names,
    /// `tags`.
    pub(crate) tags: Names,
    /// `image`: the lead photo.
    pub(crate) image: Option<ImageField>,
    /// `pictured`: the people in the photo.
    pub(crate) pictured: Names,
    /// `corrections`: what was corrected, and when.
    pub(crate) corrections: Vec<CorrectionField>,
    /// `story`: the running story the article belongs to.
    pub(crate) story: Option<Text>,
    /// Every other key, for templates (`article.extra`).
    pub(crate) extra: BTreeMap<String, serde_json::Value>,
    /// The values of the wrong shape, each at its position.
    pub(crate) errors: Vec<YamlError>,
    /// Their keys (so that a missing `title` is not reported again).
    pub(crate) failed: Vec<String>,
}

/// Parses a front-matter block taken from `split` (`yaml` starting on file
/// line `yaml_line`). A syntax error (or a duplicated key) stops the parse;
/// otherwise each field is decoded on its own, and every field of the
/// wrong shape is an error in [`FrontMatter::errors`], at its value, beside
/// the others. Positions are positions in the file.
pub(crate) fn parse(yaml: &str, yaml_line: usize) -> Result<FrontMatter, Vec<YamlError>> {
    let mut fm = FrontMatter::default();
    if yaml.trim().is_empty() {
        return Ok(fm);
    }
    for mut entry in yaml::entries(yaml, yaml_line)? {
        if let Err(message) = fm.take(&mut entry) {
            let (line, column) = yaml::value_position(yaml, yaml_line, &entry.key);
            let message = format!("`{}`: {message}", entry.key);
            fm.errors.push(YamlError {
                line,
                column,
                message,
            });
            fm.failed.push(entry.key);
        }
    }
    Ok(fm)
}

impl FrontMatter {
    /// Decodes one entry into its field (an unknown key goes to `extra`).
    fn take(&mut self, entry: &mut yaml::Entry) -> Result<(), String> {
        let text = |e: &mut yaml::Entry| e.decode::<Option<Text>>();
        match entry.key.as_str() {
            "title" => self.title = text(entry)?,
            "date" => self.date = text(entry)?,
            "updated" => self.updated = text(entry)?,
            "source" => self.source = text(entry)?,
            "url" => self.url = text(entry)?,
            "location" => self.location = text(entry)?,
            "summary" => self.summary = text(entry)?,
            "slug" => self.slug = text(entry)?,
            "draft" => self.draft = entry.decode()?,
            "people" => self.people = entry.decode::<Option<Names>>()?.unwrap_or_default(),
            "countries" => self.countries = entry.decode::<Option<Names>>()?.unwrap_or_default(),
            "tags" => self.tags = entry.decode::<Option<Names>>()?.unwrap_or_default(),
            "image" => self.image = entry.decode::<Option<AnImage>>()?.map(|i| i.0),
            "pictured" => self.pictured = entry.decode::<Option<Names>>()?.unwrap_or_default(),
            "story" => self.story = text(entry)?,
            "corrections" => {
                self.corrections = entry
                    .decode::<Option<Vec<CorrectionField>>>()?
                    .unwrap_or_default();
            }
            _ => {
                let json = entry.to_json();
                self.extra.insert(entry.key.clone(), json);
            }
        }
        Ok(())
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
        let fm = parse("title: A\npeople: {a: 1}\n", 2).unwrap();
        let e = &fm.errors[0];
        assert_eq!((e.line, e.column), (3, 9), "{e:?}");
        assert!(e.message.contains("expected a list"), "{}", e.message);
        assert_eq!(fm.failed, ["people"]);
    }

    #[test]
    fn list_where_string_expected() {
        let fm = parse("title:\n  - a\n  - b\ndate: 2026-01-01\n", 2).unwrap();
        let e = &fm.errors[0];
        assert!(e.message.contains("expected a string"), "{}", e.message);
        assert_eq!(
            (e.line, e.column),
            (3, 3),
            "at the list, below its key: {e:?}"
        );
    }

    #[test]
    fn every_field_of_the_wrong_shape_is_an_error_at_its_value() {
        let yaml = "title: [a, b]\ndate: 2026-01-01\npeople: {x: 1}\ndraft: maybe\ntags: [t]\n";
        let fm = parse(yaml, 5).unwrap();
        let at: Vec<(usize, usize)> = fm.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(5, 8), (7, 9), (8, 8)], "{:?}", fm.errors);
        assert_eq!(fm.tags.0, ["t"], "the good fields are still read");
        assert!(
            fm.errors[2].message.starts_with("`draft`:"),
            "{:?}",
            fm.errors
        );
    }

    #[test]
    fn an_image_is_a_path_or_a_mapping() {
        let fm = parse("image: photo.jpg\n", 2).unwrap();
        assert_eq!(fm.image.unwrap().src, Text("photo.jpg".into()));
        let fm = parse(
            "image:\n  src: /a.jpg\n  alt: Leaders\n  caption: At the summit\n  credit: Reuters\n  focus: [0.3, 0.6]\npictured: [A, B]\n",
            2,
        )
        .unwrap();
        let image = fm.image.unwrap();
        assert_eq!(
            (image.src.0.as_str(), image.focus),
            ("/a.jpg", Some([0.3, 0.6]))
        );
        assert_eq!(image.credit, Some(Text("Reuters".into())));
        assert_eq!(fm.pictured.0, ["A", "B"]);
        let fm = parse("title: A\nimage:\n  src: a.jpg\n  size: big\n", 2).unwrap();
        assert_eq!(fm.failed, ["image"]);
        assert!(fm.errors[0].message.contains("size"), "{:?}", fm.errors);
        assert_eq!(fm.errors[0].line, 4, "{:?}", fm.errors);
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let e = parse("title: \"unclosed\ndate: 2026-01-01\n", 2).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 8), "{e:?}");
    }
}

//! YAML, behind one module: serde_yaml is archived upstream, so this is the
//! only code that names it, and a maintained fork can replace it here. Two
//! entry points: a front-matter block parsed into its top-level entries
//! (so that each field is decoded, and each bad one reported, on its own),
//! and a data file parsed as a list whose every item is checked and located
//! on its own. Every error carries its line and column in the *file*: a
//! duplicated key at the duplicate, an unclosed quote where it opens.

use serde::de::DeserializeOwned;

/// A YAML error positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line in the file.
    pub(crate) line: usize,
    /// 1-based column.
    pub(crate) column: usize,
    /// What went wrong.
    pub(crate) message: String,
}

/// One top-level entry of a mapping, its value still YAML.
pub(crate) struct Entry {
    /// The key, as text.
    pub(crate) key: String,
    value: serde_yaml::Value,
}

impl Entry {
    /// The value as a `T`, or what was wrong with it. The value is taken,
    /// not copied: an entry is decoded once.
    pub(crate) fn decode<T: DeserializeOwned>(&mut self) -> Result<T, String> {
        let value = std::mem::take(&mut self.value);
        serde_yaml::from_value(value).map_err(|e| clean_message(&e.to_string()))
    }

    /// The value as JSON, for templates (`article.extra`).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.value).unwrap_or(serde_json::Value::Null)
    }
}

/// The top-level entries of a mapping written in `yaml` (which starts on
/// line `first_line` of its file), in order; nothing for an empty block.
/// A syntax error is one error; every duplicated key is one, at the
/// duplicate.
pub(crate) fn entries(yaml: &str, first_line: usize) -> Result<Vec<Entry>, Vec<YamlError>> {
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) if e.to_string().starts_with("duplicate entry") => {
            let duplicates = duplicate_keys(yaml, first_line);
            return Err(if duplicates.is_empty() {
                vec![located(e, first_line)]
            } else {
                duplicates
            });
        }
        Err(e) => return Err(vec![located_in(yaml, e, first_line)]),
    };
    match value {
        serde_yaml::Value::Null => Ok(Vec::new()),
        serde_yaml::Value::Mapping(map) => Ok(map
            .into_iter()
            .map(|(k, value)| Entry {
                key: match k {
                    serde_yaml::Value::String(s) => s,
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                },
                value,
            })
            .collect()),
        _ => Err(vec![YamlError {
            line: first_line + first_content_line(yaml) - 1,
            column: 1,
            message: "expected `key: value` lines (title, date...)".to_string(),
        }]),
    }
}

/// The top-level keys of a block mapping, each with the 1-based line and
/// column of its value in the text (the next line's, for a value that
/// starts below its key).
fn top_level_keys(yaml: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut keys = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let first = line.chars().next();
        if matches!(
            first,
            None | Some(' ' | '\t' | '#' | '-' | '{' | '[' | '}' | ']')
        ) {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let after = &line[colon + 1..];
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let key = line[..colon].trim().trim_matches(['"', '\'']).to_string();
        let value = after.trim_start();
        let below = lines[i + 1..]
            .iter()
            .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|n| i + 1 + n);
        match below {
            Some(j) if value.is_empty() || value.starts_with('#') => {
                let next = lines[j];
                keys.push((key, j + 1, next.len() - next.trim_start().len() + 1));
            }
            _ => keys.push((key, i + 1, colon + 2 + (after.len() - value.len()))),
        }
    }
    keys
}

/// Where the value of top-level `key` is written in the file (the key's
/// line when the value starts on the next one), or line 1.
pub(crate) fn value_position(yaml: &str, first_line: usize, key: &str) -> (usize, usize) {
    top_level_keys(yaml)
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map_or((1, 1), |(_, line, col)| (first_line + line - 1, col))
}

/// Every top-level key written a second (or later) time, at that line.
fn duplicate_keys(yaml: &str, first_line: usize) -> Vec<YamlError> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for (key, line, _) in top_level_keys(yaml) {
        if let Some(&first) = seen.get(&key) {
            errors.push(YamlError {
                line: first_line + line - 1,
                column: 1,
                message: format!(
                    "`{key}` is written twice (first on line {}): keep one",
                    first_line + first - 1
                ),
            });
        } else {
            seen.insert(key, line);
        }
    }
    errors
}

/// A serde_yaml error, its position moved from the parsed text to the file
/// whose line `first_line` the text starts on. A quoted string or a flow
/// list left open is reported where it opens, not where the text ends.
fn located(e: serde_yaml::Error, first_line: usize) -> YamlError {
    let text = e.to_string();
    let (mut line, mut column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut message = clean_message(&text);
    for (context, what) in [
        (
            ", while scanning a quoted scalar at line ",
            "a quoted string is not closed: expected its closing quote",
        ),
        (
            ", while parsing a flow sequence at line ",
            "a `[` list is not closed: expected `,` or `]`",
        ),
        (
            ", while parsing a flow mapping at line ",
            "a `{` mapping is not closed: expected `,` or `}`",
        ),
    ] {
        if let Some((l, c)) = text
            .split_once(context)
            .and_then(|(_, at)| line_and_column(at))
        {
            (line, column, message) = (l, c, what.to_string());
            break;
        }
    }
    YamlError {
        line: line + first_line - 1,
        column,
        message,
    }
}

/// [`located`], and a control character (which YAML refuses, and which
/// serde_yaml reports by byte offset) at its line and column.
fn located_in(yaml: &str, e: serde_yaml::Error, first_line: usize) -> YamlError {
    let text = e.to_string();
    let offset = text
        .strip_prefix("control characters are not allowed at position ")
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|&n| n <= yaml.len() && yaml.is_char_boundary(n));
    let Some(offset) = offset else {
        return located(e, first_line);
    };
    let (line, column) = crate::error::line_col(yaml, offset);
    YamlError {
        line: line + first_line - 1,
        column,
        message: "a control character: YAML allows none (write it as an escape in a quoted string, \"\\t\")".into(),
    }
}

/// `12 column 8...` as (12, 8).
fn line_and_column(at: &str) -> Option<(usize, usize)> {
    let (line, rest) = at.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Drops serde_yaml's own "at line X column Y" suffix (we print positions in
/// the file, not in the block).
fn clean_message(raw: &str) -> String {
    match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    }
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
pub(crate) fn parse_list<T: serde::de::DeserializeOwned>(
    yaml: &str,
) -> Result<Vec<(T, usize)>, Vec<YamlError>> {
    let yaml = yaml.strip_prefix('\u{feff}').unwrap_or(yaml);
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
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn duplicated_keys_are_reported_at_the_duplicate() {
        let errors = entries("title: A\ndate: 2026-01-01\ntitle: B\ndate: x\n", 2)
            .err()
            .unwrap();
        let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(4, 1), (5, 1)], "{errors:?}");
        assert!(
            errors[0]
                .message
                .contains("`title` is written twice (first on line 2)"),
            "{errors:?}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let errors = entries("title: \"unclosed\ndate: 2026-01-01\npeople: [a]\n", 2)
            .err()
            .unwrap();
        assert_eq!((errors[0].line, errors[0].column), (2, 8), "{errors:?}");
        assert!(
            errors[0].message.contains("quoted string is not closed"),
            "{errors:?}"
        );
        let errors = entries("title: A\npeople: [a, b\ndate: 1\n", 1)
            .err()
            .unwrap();
        assert_eq!((errors[0].line, errors[0].column), (2, 9), "{errors:?}");
    }

    #[test]
    fn a_raw_control_character_is_reported_where_it_is() {
        let errors = entries("title: A\ndate: 2026\u{b}\n", 2).err().unwrap();
        assert_eq!((errors[0].line, errors[0].column), (3, 11), "{errors:?}");
        assert!(
            errors[0].message.contains("control character"),
            "{errors:?}"
        );
    }

    #[test]
    fn entries_keep_their_order_and_values() {
        let got = entries("b: 1\na: [x, y]\n", 1).unwrap();
        let keys: Vec<&str> = got.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        let mut got = got;
        assert_eq!(got[1].decode::<Vec<String>>().unwrap(), ["x", "y"]);
        assert!(got[0].decode::<Vec<String>>().is_err());
        assert_eq!(value_position("b: 1\na:   [x, y]\n", 3, "a"), (4, 6));
        assert!(entries("", 1).unwrap().is_empty());
        assert!(entries("- a\n- b\n", 1).is_err());
    }

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

//! YAML, behind one module: serde_yaml is archived upstream, so this is the
//! only code that names it, and a maintained fork can replace it here. Two
//! entry points: a front-matter block parsed as one value, and a data file
//! parsed as a list whose every item is checked and located on its own.
//! Every error carries its line and column in the *file*.

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

/// Parses `yaml` (which starts on line `first_line` of its file) as a `T`.
pub(crate) fn from_str<T: DeserializeOwned>(yaml: &str, first_line: usize) -> Result<T, YamlError> {
    serde_yaml::from_str(yaml).map_err(|e| located(e, first_line))
}

/// A serde_yaml error, its position moved from the parsed text to the file
/// whose line `first_line` the text starts on.
fn located(e: serde_yaml::Error, first_line: usize) -> YamlError {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    YamlError {
        line: line + first_line - 1,
        column,
        message: clean_message(&e.to_string()),
    }
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

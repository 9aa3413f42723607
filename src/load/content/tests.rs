//! Unit tests of `content.rs`: parsing an article file.
use super::*;

fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
    parse_article(
        PathBuf::from("content/a.md"),
        "a.md".into(),
        text.as_bytes(),
        chrono_tz::UTC,
    )
}

#[test]
fn minimal_article() {
    let a = parse("---\ntitle: Hello\ndate: 2026-02-20\n---\nFirst *para*.\n").unwrap();
    assert_eq!(a.title, "Hello");
    assert_eq!(a.path, "/2026/02/a/");
    assert_eq!(a.summary, "First para.");
}

#[test]
fn local_dates_use_the_site_zone() {
    let a = parse_article(
        PathBuf::from("x.md"),
        "x.md".into(),
        b"---\ntitle: T\ndate: 2026-07-01 10:00\n---\n",
        chrono_tz::Europe::Paris,
    )
    .unwrap();
    assert_eq!(a.date.to_rfc3339(), "2026-07-01T10:00:00+02:00");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let a = parse("\u{feff}---\r\ntitle: Hello\r\ndate: 2026-02-20\r\n---\r\nBody\r\n").unwrap();
    assert_eq!(a.title, "Hello");
}

#[test]
fn all_field_errors_are_reported_with_file_lines() {
    let e =
        parse("---\ntitle: \"\"\ndate: 2026-13-01\nurl: javascript:alert(1)\n---\n").unwrap_err();
    let lines: Vec<_> = e.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![Some(2), Some(3), Some(4)], "{e:?}");
}

#[test]
fn missing_front_matter() {
    let e = parse("# Just markdown\n").unwrap_err();
    assert!(e[0].message.contains("front matter"));
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    let e = parse_article(
        PathBuf::from("x.md"),
        "x.md".into(),
        b"---\ntitle: caf\xe9\n",
        chrono_tz::UTC,
    )
    .unwrap_err();
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(11)));
}

#[test]
fn slug_override_is_sanitised() {
    let a = parse("---\ntitle: T\ndate: 2026-02-20\nslug: ../../etc\n---\n").unwrap();
    assert_eq!(a.slug, "etc");
}

#[test]
fn duplicate_names_are_dropped() {
    let a =
        parse("---\ntitle: T\ndate: 2026-02-20\npeople: [Ann Lee, ann  lee, Bo]\n---\n").unwrap();
    assert_eq!(*a.people, ["Ann Lee", "Bo"]);
}

#[test]
fn names_are_written_with_single_spaces() {
    let a = parse(
        "---\ntitle: T\ndate: 2026-02-20\npeople: [\"Ann\\tLee\", \" Bo  Ek \", \"Cy\\u3000Do\", Ed Fu]\n---\n",
    )
    .unwrap();
    assert_eq!(*a.people, ["Ann Lee", "Bo Ek", "Cy Do", "Ed Fu"]);
}

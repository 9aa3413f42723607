//! `gazette check`: every planted problem is found at its file, line and
//! column with the right severity; clean sites give nothing; the command
//! line prints text or JSON and sets the exit status.

use std::path::{Path, PathBuf};
use std::process::Output;

use gazette::check;
use gazette::{Diagnostic, LoadOptions, Severity};

use crate::common::{gazette_in, SiteFixture};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

/// (path under the root, line, column, severity, message) of each finding.
/// Path, line, column and severity of each finding (messages left out).
fn positions(
    found: &[(String, usize, usize, Severity, String)],
) -> Vec<(&str, usize, usize, Severity)> {
    found
        .iter()
        .map(|f| (f.0.as_str(), f.1, f.2, f.3))
        .collect()
}

fn found(root: &Path, options: &LoadOptions) -> Vec<(String, usize, usize, Severity, String)> {
    check(root, options)
        .into_iter()
        .map(|d| {
            let path = d.path.strip_prefix(root).unwrap_or(&d.path);
            (
                path.to_string_lossy().replace('\\', "/"),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.severity,
                d.message,
            )
        })
        .collect()
}

/// The `gazette` binary run from the package's folder.
fn gazette(args: &[&str]) -> Output {
    gazette_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A site of these (path, text) files, beside common's site.toml.
fn temp_site(files: &[(&str, String)]) -> SiteFixture {
    files.iter().fold(SiteFixture::new(), |site, (path, text)| {
        site.file(path, text)
    })
}

#[test]
fn every_planted_problem_is_found_where_it_is() {
    use Severity::{Error, Warning};
    let root = fixture("planted");
    let found = found(&root, &LoadOptions::default());
    let expected: &[(&str, usize, usize, Severity, &str)] = &[
        (
            "content/2025/11/legend.md",
            4,
            21,
            Warning,
            "unknown country `Atlantis` (1 article): add it to data/countries.yaml",
        ),
        (
            "content/2026/01/summit.md",
            9,
            1,
            Warning,
            "`Sir Keir Starmer` (Keir Starmer) is named in the text but is not in this article's `people`",
        ),
        (
            "content/2026/02/geneva.md",
            5,
            5,
            Warning,
            "`Volodymyr Zelensky` (1 article) looks like `Volodymyr Zelenskiy` (2 articles): \
             if they are one person, add to data/people.yaml:\n  \
             - name: \"Volodymyr Zelenskiy\"\n    aliases: [\"Volodymyr Zelensky\"]",
        ),
        (
            "content/2026/02/geneva.md",
            6,
            22,
            Warning,
            "unknown country `Untied Kingdom` (1 article): did you mean `United Kingdom`?",
        ),
        (
            "content/2026/02/geneva.md",
            9,
            24,
            Warning,
            "`Emmanuel Macron` is named in the text but is not in this article's `people`",
        ),
        (
            "content/2026/02/geneva.md",
            11,
            16,
            Warning,
            "`France` is named in the text but is not in this article's `countries`",
        ),
        (
            "content/2026/02/geneva.md",
            16,
            9,
            Error,
            "broken link `/2026/02/nope/`: the site has no page or file /2026/02/nope/",
        ),
        (
            "content/2026/02/geneva.md",
            16,
            39,
            Error,
            "broken link `other.md#part`: there is no article content/2026/02/other.md",
        ),
        (
            "content/2026/03/recap.md",
            4,
            1,
            Warning,
            "the slug `talks` is also content/2025/12/talks.md's (/2025/12/talks/)",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (got, want) in found.iter().zip(expected) {
        assert_eq!(
            (got.0.as_str(), got.1, got.2, got.3),
            (want.0, want.1, want.2, want.3),
            "{got:#?}"
        );
        assert!(
            got.4.starts_with(want.4),
            "{}\n  expected: {}",
            got.4,
            want.4
        );
    }
}

#[test]
fn a_clean_site_gives_nothing() {
    let found = found(&fixture("clean"), &LoadOptions::default());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn drafts_are_checked_only_with_drafts() {
    let options = LoadOptions {
        drafts: true,
        ..LoadOptions::default()
    };
    let found = found(&fixture("clean"), &options);
    let at = positions(&found);
    assert_eq!(
        at,
        [
            ("content/2026/01/unpublished.md", 6, 16, Severity::Error),
            ("content/2026/01/unpublished.md", 6, 61, Severity::Warning),
        ],
        "{found:#?}"
    );
}

#[test]
fn load_errors_are_all_reported_and_the_rest_is_checked() {
    let found = found(&fixture("badyaml"), &LoadOptions::default());
    let at = positions(&found);
    assert_eq!(
        at,
        [
            // The unclosed `[` of `people`, where it opens.
            ("content/2026/01/bad.md", 4, 9, Severity::Error),
            // The article that loads is still checked.
            ("content/2026/01/good.md", 5, 14, Severity::Error),
            ("content/2026/01/untitled.md", 1, 1, Severity::Error),
        ],
        "{found:#?}"
    );
    assert!(found[0].4.starts_with("invalid front matter"), "{found:#?}");
    assert!(found[1].4.starts_with("broken link `/nope/`"), "{found:#?}");
    assert!(found[2].4.starts_with("missing `title`"), "{found:#?}");
}

#[test]
fn a_link_to_a_draft_says_so() {
    let site = temp_site(&[
        (
            "content/2026/01/a.md",
            "---\ntitle: A\ndate: 2026-01-01\n---\nSee [b](b.md).\n".into(),
        ),
        (
            "content/2026/01/b.md",
            "---\ntitle: B\ndate: 2026-01-02\ndraft: true\n---\nB.\n".into(),
        ),
    ]);
    let found = found(site.root(), &LoadOptions::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].1, found[0].2, found[0].3),
        (5, 5, Severity::Error)
    );
    assert!(
        found[0].4.contains("not published (a draft, or scheduled)"),
        "{found:#?}"
    );
    let with_drafts = LoadOptions {
        drafts: true,
        ..LoadOptions::default()
    };
    assert!(check(site.root(), &with_drafts).is_empty());
}

#[test]
fn positions_are_right_with_a_bom_and_crlf() {
    let text = "\u{feff}---\r\ntitle: A\r\ndate: 2026-01-01\r\ncountries: [Atlantis]\r\n---\r\n\r\nIn Atlantis and é France.\r\n";
    let site = temp_site(&[("content/a.md", text.into())]);
    let found = found(site.root(), &LoadOptions::default());
    let at: Vec<_> = found.iter().map(|f| (f.1, f.2)).collect();
    assert_eq!(at, [(4, 13), (7, 19)], "{found:#?}");
}

#[test]
fn the_example_site_has_no_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found: Vec<Diagnostic> = check(root, &LoadOptions::default());
    for d in &found {
        eprintln!("{d}");
    }
    assert!(
        found.iter().all(|d| d.severity == Severity::Warning),
        "{found:#?}"
    );
}

#[test]
fn cli_exits_1_on_errors_with_one_line_per_finding_and_a_summary() {
    let root = fixture("planted");
    let out = gazette(&["check", "-r", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let headers: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(headers.len(), 9, "{stdout}");
    let prefix = format!(
        "{}/content/2026/02/geneva.md:16:9: error: broken link",
        root.display()
    );
    assert!(headers.iter().any(|l| l.starts_with(&prefix)), "{stdout}");
    assert_eq!(stderr.trim(), "2 errors, 7 warnings");
}

#[test]
fn cli_exits_0_with_only_warnings() {
    let site = temp_site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2026-01-01\ncountries: [Atlantis]\n---\nA.\n".into(),
    )]);
    let out = gazette(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("a.md:4:13: warning: unknown country `Atlantis`"),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "0 errors, 1 warning"
    );

    let clean = gazette(&["check", "-r", fixture("clean").to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&clean.stderr).trim(),
        "0 errors, 0 warnings"
    );
}

#[test]
fn cli_json_carries_every_field() {
    let root = fixture("planted");
    let out = gazette(&["check", "-r", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 9);
    for item in items {
        for field in ["path", "line", "column", "severity", "message"] {
            assert!(item.get(field).is_some(), "{field} missing in {item}");
        }
        assert!(item["line"].is_u64() && item["column"].is_u64(), "{item}");
        assert!(["error", "warning"].contains(&item["severity"].as_str().unwrap()));
    }
    let variant = items
        .iter()
        .find(|i| i["message"].as_str().unwrap().contains("looks like"))
        .expect("the variant warning");
    assert!(variant["path"]
        .as_str()
        .unwrap()
        .ends_with("content/2026/02/geneva.md"));
    assert_eq!(
        (variant["line"].as_u64(), variant["column"].as_u64()),
        (Some(5), Some(5))
    );
    assert!(variant["message"]
        .as_str()
        .unwrap()
        .ends_with("\n  - name: \"Volodymyr Zelenskiy\"\n    aliases: [\"Volodymyr Zelensky\"]"));

    let bad = gazette(&[
        "check",
        "-r",
        fixture("badyaml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert!(bad.stderr.is_empty(), "JSON mode prints no summary");
}

#[test]
fn cli_usage_errors_exit_2() {
    assert_eq!(
        gazette(&["check", "--format", "xml"]).status.code(),
        Some(2)
    );
    assert_eq!(gazette(&["check", "--nope"]).status.code(), Some(2));
}

/// 2,000 articles, each naming a neighbour and a country it does not list:
/// the bodies are scanned with one automaton, one pass each.
#[test]
fn two_thousand_articles_are_scanned() {
    const N: usize = 2000;
    let syllables = [
        "ka", "lo", "mi", "ren", "sto", "va", "dre", "pun", "zel", "tor", "bi", "an", "gor", "hu",
        "jas", "ne", "fe", "wic", "ol", "char",
    ];
    let word = |mut i: usize, n: usize| -> String {
        let mut w = String::new();
        for _ in 0..n {
            w.push_str(syllables[i % syllables.len()]);
            i /= syllables.len();
        }
        w[..1].make_ascii_uppercase();
        w
    };
    let name = |i: usize| format!("{} {}", word(i * 7 + 3, 2), word(i, 4));
    let filler = "Negotiators met again on Tuesday to discuss the text. ".repeat(40);
    let files: Vec<(String, String)> = (0..N)
        .map(|i| {
            let text = format!(
                "---\ntitle: Story {i}\ndate: 2025-{:02}-{:02}\npeople: [{}]\ncountries: [France]\n---\n{filler}\n{} met {} in France and Germany.\n\n{filler}\n",
                1 + i % 12,
                1 + i % 28,
                name(i),
                name(i),
                name((i + 1) % N),
            );
            (format!("content/{:02}/story-{i}.md", i % 12), text)
        })
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let site = temp_site(&files);
    let found = check(site.root(), &LoadOptions::default());
    assert!(found.iter().all(|d| d.severity == Severity::Warning));
    let in_text = |what: &str| {
        found
            .iter()
            .filter(|d| d.message.contains(what) && d.message.contains("is named in the text"))
            .count()
    };
    assert_eq!(in_text("`Germany`"), N);
    assert_eq!(in_text("`people`"), N);
    let d = found
        .iter()
        .find(|d| d.path.ends_with("content/00/story-0.md") && d.message.contains("`people`"))
        .unwrap();
    assert_eq!(d.line, Some(8));
    assert!(d.message.starts_with(&format!("`{}`", name(1))), "{d}");
}

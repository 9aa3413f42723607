//! The editor's side: stories scheduled for a later date are kept out of
//! everything until then, and `check` reviews the whole archive even when
//! one article in it does not load.

use std::fs;
use std::path::Path;
use std::process::Command;

use gazette::{check, LoadOptions, Severity};

use crate::common::{list_files, md, md_body, snapshot, SiteFixture};

const FUTURE: &str = "2099-03-01T09:00:00Z";

fn scheduled_site() -> SiteFixture {
    SiteFixture::new()
        .article(
            "2026/01/now.md",
            md(
                "Published story",
                "2026-01-10",
                "people: [Ann Lee]\ntags: [trade]\n",
            ),
        )
        .article(
            "2099/03/later.md",
            md_body(
                "Embargoed story",
                FUTURE,
                "people: [Zed Quill]\ncountries: [Peru]\ntags: [embargo]\nsource: Wire\n",
                "The embargoed paragraph mentions a kinkajou.\n",
            ),
        )
}

/// Runs `gazette build` on `root` into `out` with the build's clock at
/// `epoch` (SOURCE_DATE_EPOCH) and the extra `args`.
fn build_at(root: &Path, out: &Path, epoch: i64, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "-q", "-r"])
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

fn mentions(dir: &Path, words: &[&str]) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            words.iter().any(|w| text.contains(w))
        })
        .map(|(rel, _)| rel)
        .collect()
}

#[test]
fn a_scheduled_story_is_in_no_file_until_its_date() {
    let site = scheduled_site();
    let dir = tempfile::tempdir().unwrap();
    let today = dir.path().join("today");
    build_at(site.root(), &today, 1_796_000_000, &[]); // November 2026
                                                       // The search shards are binary: the word is looked for in them too.
    let found = mentions(
        &today,
        &[
            "embargoed",
            "zed quill",
            "zed-quill",
            "kinkajou",
            "embargo",
            "2099",
        ],
    );
    assert!(found.is_empty(), "the scheduled story leaks into {found:?}");
    assert!(
        list_files(&today)
            .iter()
            .any(|f| f.starts_with("2026/01/published-story"))
            || today.join("2026/01/now/index.html").is_file()
    );

    let previewed = dir.path().join("future");
    build_at(site.root(), &previewed, 1_796_000_000, &["--future"]);
    assert!(previewed.join("2099/03/later/index.html").is_file());
    assert!(previewed.join("people/zed-quill/index.html").is_file());
    assert!(!mentions(&previewed, &["kinkajou"]).is_empty());

    // A build after the date publishes it.
    let after = dir.path().join("after");
    build_at(site.root(), &after, 4_090_000_000, &[]); // 2099-08
    assert!(after.join("2099/03/later/index.html").is_file());
    let feed = fs::read_to_string(after.join("atom.xml")).unwrap();
    assert!(feed.contains("Embargoed story"));
}

#[test]
fn check_lists_scheduled_stories_as_notes_with_their_dates() {
    let site = scheduled_site();
    let found = check(site.root(), &LoadOptions::default());
    let notes: Vec<_> = found
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .collect();
    assert_eq!(notes.len(), 1, "{found:#?}");
    assert!(notes[0].path.ends_with("content/2099/03/later.md"));
    assert!(
        notes[0].message.contains("2099-03-01T09:00:00+00:00"),
        "{}",
        notes[0].message
    );
    let with_future = LoadOptions {
        future: true,
        ..LoadOptions::default()
    };
    assert!(check(site.root(), &with_future)
        .iter()
        .all(|d| d.severity != Severity::Note));
}

#[test]
fn one_broken_article_does_not_hide_the_findings_of_the_others() {
    let planted = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/planted");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("planted");
    assert!(Command::new("cp")
        .arg("-r")
        .arg(&planted)
        .arg(&root)
        .status()
        .unwrap()
        .success());
    let key = |d: &gazette::Diagnostic, root: &Path| {
        let path = d
            .path
            .strip_prefix(root)
            .unwrap_or(&d.path)
            .to_string_lossy()
            .into_owned();
        (path, d.line, d.column, d.severity, d.message.clone())
    };
    let before: Vec<_> = check(&root, &LoadOptions::default())
        .iter()
        .map(|d| key(d, &root))
        .collect();
    assert!(
        before.len() >= 5,
        "the fixture plants findings: {before:#?}"
    );
    fs::write(
        root.join("content/2026/01/broken.md"),
        "---\ntitle: \"Unclosed\npeople: [x\n---\nText.\n",
    )
    .unwrap();
    fs::write(
        root.join("content/2026/01/points.md"),
        md_body(
            "Pointer",
            "2026-01-03",
            "",
            "See [the other story](broken.md).\n",
        ),
    )
    .unwrap();
    let after: Vec<_> = check(&root, &LoadOptions::default())
        .iter()
        .map(|d| key(d, &root))
        .collect();
    for finding in &before {
        assert!(after.contains(finding), "lost {finding:?} in {after:#?}");
    }
    let new: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
    assert!(
        !new.is_empty()
            && new
                .iter()
                .all(|f| f.0 == "content/2026/01/broken.md" && f.3 == Severity::Error),
        "{new:#?}"
    );
}

#[test]
fn init_then_new_then_build_makes_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("digest");
    let out = crate::common::gazette_in(tmp.path(), &["init", "digest"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("gazette build -r digest") && said.contains("gazette serve -r digest"),
        "{said}"
    );
    assert!(dir.join("static").is_dir());
    let toml = fs::read_to_string(dir.join("site.toml")).unwrap();
    for key in [
        "per_page",
        "timezone",
        "[search]",
        "[markdown]",
        "[highlight]",
        "output_dir",
    ] {
        assert!(toml.contains(key), "site.toml names {key}");
    }
    fs::write(
        dir.join("data/people.yaml"),
        "- name: Volodymyr Zelenskiy\n  aliases: [Zelensky]\n  country: Ukraine\n",
    )
    .unwrap();
    let made = crate::common::gazette_in(
        &dir,
        &[
            "new",
            "Talks resume in Geneva",
            "--people",
            "Zelensky, Ann Lee",
            "--countries",
            "Ukrane, UK",
            "--tags",
            "diplomacy",
            "--source",
            "AFP",
            "--date",
            "2026-02-10T09:30:00Z",
        ],
    );
    assert!(made.status.success(), "{}", crate::common::stderr(&made));
    let printed = String::from_utf8_lossy(&made.stdout).trim().to_string();
    assert_eq!(printed, "content/2026/02/talks-resume-in-geneva.md");
    let path = dir.join(&printed);
    let warned = crate::common::stderr(&made);
    assert!(
        warned.contains("`Ukrane` is not a known country: did you mean `Ukraine`?"),
        "{warned}"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("people: [\"Volodymyr Zelenskiy\", \"Ann Lee\"]"),
        "{text}"
    );
    assert!(
        text.contains("countries: [\"Ukrane\", \"United Kingdom\"]"),
        "{text}"
    );
    assert!(text.contains("date: 2026-02-10T09:30:00+00:00"), "{text}");

    // Writing it again is refused, and the file is as it was.
    fs::write(&path, format!("{text}My first paragraph.\n")).unwrap();
    let again = crate::common::gazette_in(
        &dir,
        &[
            "new",
            "Talks resume in Geneva",
            "--date",
            "2026-02-10T10:00:00Z",
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(crate::common::stderr(&again).contains("already exists"));
    assert!(fs::read_to_string(&path)
        .unwrap()
        .ends_with("My first paragraph.\n"));

    let built = crate::common::gazette_in(&dir, &["build"]);
    assert!(built.status.success(), "{}", crate::common::stderr(&built));
    assert!(dir
        .join("public/2026/02/talks-resume-in-geneva/index.html")
        .is_file());
    assert!(dir
        .join("public/people/volodymyr-zelenskiy/index.html")
        .is_file());
    assert!(
        dir.join("public/tags/meta/index.html").is_file(),
        "the example article is built"
    );
}

#[test]
fn init_refuses_a_folder_in_use_and_overwrites_nothing_when_forced() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("site.toml"),
        "title = \"Mine\"\nbase_url = \"https://mine.example/\"\n",
    )
    .unwrap();
    let refused = crate::common::gazette_in(tmp.path(), &["init"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(crate::common::stderr(&refused).contains("is not empty"));
    assert!(!tmp.path().join("content").exists());
    let forced = crate::common::gazette_in(tmp.path(), &["init", "--force"]);
    assert!(forced.status.success());
    assert!(crate::common::stderr(&forced).contains("kept"));
    assert!(fs::read_to_string(tmp.path().join("site.toml"))
        .unwrap()
        .contains("Mine"));
    assert!(tmp.path().join("data/people.yaml").is_file());
}

//! The editor's side: stories scheduled for a later date are kept out of
//! everything until then, and `check` reviews the whole archive even when
//! one article in it does not load.

use std::fs;
use std::path::Path;
use std::process::Command;

use gazette::{check, LoadOptions, Severity};

use crate::common::{md, md_body, snapshot, SiteFixture};

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
        today.join("2026/01/now/index.html").is_file(),
        "the published story is there"
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

// ---------------------------------------------------------------------------
// gazette import

const REUTERS_STORY: &str = "World
EU ministers agree new sanctions package against Russia
By Anna Kowalska, Reuters
March 3, 2026
FILE PHOTO: Flags fly outside the European Commission headquarters in Brussels, Belgium. REUTERS/Yves Herman/File Photo

BRUSSELS (Reuters) - European Union foreign ministers agreed on Monday on a fresh round of sanctions against Russia, the bloc's foreign policy chief said.

NATO Secretary General Mark Rutte welcomed the step, and U.S. Secretary of State Marco Rubio said Washington would line up its own measures.

Britain's Prime Minister Keir Starmer spoke with Norway's Prime Minister Jonas Gahr Store by phone, a spokesperson said.
";

const AP_STORY: &str = "Drones strike power plants as Ukraine braces for winter
By THE ASSOCIATED PRESS
Updated 10:42 AM GMT, November 14, 2025

KYIV, Ukraine (AP) — Russian drones hit two power plants overnight, the energy ministry said on Friday.

Ukrainian President Volodymyr Zelenskyy asked allies for more air defense systems. German Chancellor Friedrich Merz promised further help.
";

/// The agency story of `../shared/seed/`.
fn seed_story() -> std::path::PathBuf {
    fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .expect("the seed story")
        .path()
}

fn import_into(site: &SiteFixture, story: &str) -> gazette::Imported {
    gazette::import(site.root(), story, gazette::ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn line<'a>(done: &'a gazette::Imported, prefix: &str) -> Vec<&'a str> {
    done.report
        .iter()
        .filter(|l| l.starts_with(prefix))
        .map(String::as_str)
        .collect()
}

#[test]
fn the_seed_story_becomes_an_article_without_its_caption() {
    let site = SiteFixture::new();
    let seed = seed_story();
    let done = import_into(&site, &fs::read_to_string(seed).unwrap());
    assert!(done.path.ends_with(
        "content/2026/02/european-powers-call-for-robust-security-guarantees-for-ukraine.md"
    ));
    let text = fs::read_to_string(site.root().join(
        "content/2026/02/european-powers-call-for-robust-security-guarantees-for-ukraine.md",
    ))
    .unwrap();
    for expected in [
        "date: 2026-02-21\n",
        "source: \"AFP\"\n",
        "location: \"Krakow, Poland\"\n",
        "people: [\"Emmanuel Macron\", \"Catherine Vautrin\"]\n",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let body = text.split("\n---\n").nth(1).unwrap();
    assert!(
        body.starts_with("Any peace deal between Ukraine and Russia"),
        "{body}"
    );
    for caption in ["Lancaster House", "— Reuters", "close", "KRAKOW"] {
        assert!(
            !body.contains(caption),
            "the caption or dateline ({caption}) is not the story"
        );
    }
    let countries = line(&done, "country: ");
    for c in [
        "Ukraine",
        "Russia",
        "United Kingdom, from `Britain`",
        "France",
        "Germany",
        "Italy",
        "Poland",
        "United States",
    ] {
        assert!(
            countries.iter().any(|l| l.contains(c)),
            "{c} in {countries:#?}"
        );
    }
    assert!(countries
        .iter()
        .all(|l| !l.contains("Krakow") && !l.contains("Geneva")));
    assert!(
        line(
            &done,
            "person: Emmanuel Macron (new to the site), from `French President Emmanuel Macron`"
        )
        .len()
            == 1,
        "{:#?}",
        done.report
    );
    assert!(
        done.suggestions.contains(
            "- name: \"Emmanuel Macron\"\n  role: \"President of France\"\n  country: \"France\"\n"
        ),
        "{}",
        done.suggestions
    );
    assert!(
        !site.root().join("data/people.yaml").exists(),
        "suggestions are not written unasked"
    );
    let built = site.gazette(&["build"]);
    assert!(built.status.success(), "{}", crate::common::stderr(&built));
}

#[test]
fn the_seed_story_with_its_photo_keeps_the_caption_credit_and_the_people_pictured() {
    let site = SiteFixture::new();
    let seed = seed_story();
    let photos = tempfile::tempdir().unwrap();
    let photo = photos.path().join("summit.jpg");
    fs::write(&photo, crate::photos::jpeg(800, 500, 3, &[])).unwrap();
    let options = gazette::ImportOptions {
        image: Some(photo.clone()),
        ..Default::default()
    };
    let story = fs::read_to_string(seed).unwrap();
    let done =
        gazette::import(site.root(), &story, options.clone()).unwrap_or_else(|e| panic!("{e}"));
    let slug = "european-powers-call-for-robust-security-guarantees-for-ukraine";
    let copied = site.root().join(format!("content/2026/02/{slug}.jpg"));
    assert_eq!(fs::read(&copied).unwrap(), fs::read(&photo).unwrap());
    let front = done.text.split("\n---\n").next().unwrap();
    assert!(
        front.contains(&format!("image:\n  src: \"{slug}.jpg\"\n  alt: \"\"\n")),
        "{front}"
    );
    assert!(
        front.contains(
            "  caption: \"Britain's Prime Minister Keir Starmer, President Volodymyr Zelenskiy,"
        ),
        "{front}"
    );
    assert!(
        front.contains(
            "at Lancaster House in London, Britain, March 2, 2025.\"\n  credit: \"Reuters\"\n"
        ),
        "{front}"
    );
    let pictured = front
        .lines()
        .find(|l| l.starts_with("pictured: "))
        .expect("pictured");
    for name in [
        "Keir Starmer",
        "Mark Rutte",
        "Giorgia Meloni",
        "Ursula von der Leyen",
        "Donald Tusk",
    ] {
        assert!(
            pictured.contains(&format!("\"{name}\"")),
            "{name} in {pictured}"
        );
    }
    assert_eq!(pictured.matches("\", \"").count() + 1, 19, "{pictured}");
    assert!(
        front.contains("people: [\"Emmanuel Macron\", \"Catherine Vautrin\"]"),
        "the story's people stay the story's"
    );
    // The built page shows the photo with the copy's caption and credit.
    let built = site.gazette(&["build"]);
    assert!(built.status.success(), "{}", crate::common::stderr(&built));
    let page = fs::read_to_string(site.out().join(format!("2026/02/{slug}/index.html"))).unwrap();
    assert!(
        page.contains("<span class=\"credit\">Reuters</span>"),
        "{page}"
    );
    assert!(page.contains("at Lancaster House in London, Britain, March 2, 2025.</span>"));
    // Again: the article and its photo exist, and nothing is written.
    let again = gazette::import(site.root(), &story, options);
    assert!(again.is_err());
    assert_eq!(fs::read(&copied).unwrap(), fs::read(&photo).unwrap());
    // `new --image` copies the photo beside the new article.
    let run = site.gazette(&[
        "new",
        "Summit photo",
        "--date",
        "2026-03-01",
        "--image",
        photo.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", crate::common::stderr(&run));
    let text = fs::read_to_string(site.root().join("content/2026/03/summit-photo.md")).unwrap();
    assert!(
        text.contains("image:\n  src: \"summit-photo.jpg\"\n"),
        "{text}"
    );
    assert!(site
        .root()
        .join("content/2026/03/summit-photo.jpg")
        .is_file());
    let bad = site.gazette(&[
        "new",
        "Not a photo",
        "--date",
        "2026-03-02",
        "--image",
        "notes.txt",
    ]);
    assert!(!bad.status.success());
    assert!(!site.root().join("content/2026/03/not-a-photo.md").exists());
}

#[test]
fn a_reuters_story_with_titles_possessives_and_codes() {
    let site = SiteFixture::new();
    let done = import_into(&site, REUTERS_STORY);
    assert_eq!(line(&done, "source: "), ["source: Reuters"]);
    assert_eq!(line(&done, "location: "), ["location: Brussels"]);
    assert_eq!(line(&done, "date: "), ["date: 2026-03-03"]);
    let people = line(&done, "person: ");
    for (name, role) in [
        ("Mark Rutte", "NATO Secretary General"),
        ("Marco Rubio", "Secretary of State of United States"),
        ("Keir Starmer", "Prime Minister of United Kingdom"),
        ("Jonas Gahr Store", "Prime Minister of Norway"),
    ] {
        assert!(
            people
                .iter()
                .any(|l| l.starts_with(&format!("person: {name} (new"))),
            "{name} in {people:#?}"
        );
        assert!(
            done.suggestions
                .contains(&format!("- name: \"{name}\"\n  role: \"{role}\"")),
            "{name}: {}",
            done.suggestions
        );
    }
    let countries = line(&done, "country: ");
    for c in [
        "Russia",
        "United States, from `U.S.`",
        "United Kingdom, from `Britain's`",
        "Norway",
    ] {
        assert!(
            countries.iter().any(|l| l.contains(c)),
            "{c} in {countries:#?}"
        );
    }
    // Belgium is only in the photo caption; Brussels and Washington are cities.
    assert!(
        countries.iter().all(|l| !l.contains("Belgium")),
        "{countries:#?}"
    );
    assert!(!done.text.contains("REUTERS/") && !done.text.contains("FILE PHOTO"));
}

#[test]
fn an_ap_story_with_its_dateline_credit_and_demonyms() {
    let site = SiteFixture::new().file(
        "data/people.yaml",
        "- name: Volodymyr Zelenskiy\n  aliases: [Volodymyr Zelenskyy]\n  country: Ukraine\n",
    );
    let dry = gazette::import(
        site.root(),
        AP_STORY,
        gazette::ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        !site.root().join("content").exists(),
        "a dry run writes nothing"
    );
    assert_eq!(line(&dry, "source: "), ["source: AP"]);
    assert_eq!(line(&dry, "location: "), ["location: Kyiv, Ukraine"]);
    assert_eq!(line(&dry, "date: "), ["date: 2025-11-14"]);
    let people = line(&dry, "person: ");
    // An alias becomes the name the site knows; a known person is not new.
    assert!(
        people.iter().any(|l| l.starts_with(
            "person: Volodymyr Zelenskiy, from `Ukrainian President Volodymyr Zelenskyy`"
        )),
        "{people:#?}"
    );
    assert!(
        people
            .iter()
            .any(|l| l.starts_with("person: Friedrich Merz (new")),
        "{people:#?}"
    );
    assert!(dry.suggestions.contains("role: \"Chancellor of Germany\""));
    assert!(!dry.suggestions.contains("Zelensk"));
    let countries = line(&dry, "country: ");
    for c in [
        "Ukraine",
        "Russia, from `Russian`",
        "Germany, from `German`",
    ] {
        assert!(
            countries.iter().any(|l| l.contains(c)),
            "{c} in {countries:#?}"
        );
    }
    let with_data = gazette::import(
        site.root(),
        AP_STORY,
        gazette::ImportOptions {
            write_data: true,
            draft: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(with_data.text.contains("draft: true\n"));
    let people_yaml = fs::read_to_string(site.root().join("data/people.yaml")).unwrap();
    assert!(
        people_yaml.contains("- name: \"Friedrich Merz\""),
        "{people_yaml}"
    );
    // Importing the same story again never replaces the article.
    let again = gazette::import(site.root(), AP_STORY, gazette::ImportOptions::default());
    assert!(again.is_err());
    let built = site.gazette(&["build", "--drafts"]);
    assert!(built.status.success(), "{}", crate::common::stderr(&built));
}

// ---------------------------------------------------------------------------
// The summary line, quiet mode

#[test]
fn a_build_ends_with_one_summary_line_and_quiet_prints_nothing() {
    let mut site = SiteFixture::new();
    for n in 0..320 {
        site = site.article(
            &format!("2026/01/a{n}.md"),
            md(&format!("Story {n}"), "2026-01-05", "tags: [t]\n"),
        );
    }
    let out = site.gazette(&["build"]);
    assert!(out.status.success());
    let log = crate::common::stderr(&out);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "one line, no progress bar when not on a terminal: {log:?}"
    );
    let line = lines[0];
    assert!(line.starts_with("built 320 articles, "), "{line}");
    for part in [
        " pages into ",
        " files written, ",
        " unchanged, ",
        " removed",
    ] {
        assert!(line.contains(part), "{line}");
    }
    assert!(!log.contains('\u{1b}'), "no colour when not on a terminal");
    let again = site.gazette(&["build", "--quiet"]);
    assert!(again.status.success());
    assert_eq!(crate::common::stderr(&again), "", "quiet");
    let broken = site.article("2026/01/bad.md", "---\ntitle: [\n---\n");
    let failed = broken.gazette(&["build", "-q"]);
    assert_eq!(failed.status.code(), Some(1));
    let log = crate::common::stderr(&failed);
    assert!(
        log.contains("content/2026/01/bad.md:3:1: error: "),
        "errors still print: {log}"
    );
    assert!(!log.contains('\u{1b}'));
}

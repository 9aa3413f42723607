//! Bad input and unsafe output: what the user is told, and what is left on
//! disk.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{assert_same_files, list_files, md, snapshot, stderr, SiteFixture};
use gazette::{Error, Severity};

/// A site with one good article and six broken ones, each broken in its
/// own way. (file, expected line, expected column if checked, words the
/// message must contain).
type Expected = (&'static str, usize, Option<usize>, &'static str);

fn broken_site() -> (SiteFixture, Vec<Expected>) {
    let fixture = SiteFixture::new()
        .article("good.md", md("Good", "2026-02-01", ""))
        // `a: b: c` is not YAML (line 4 of the file).
        .article(
            "a-invalid-yaml.md",
            "---\ntitle: Fine\ndate: 2026-01-01\nsource: a: b\n---\nBody\n",
        )
        .article("b-no-front-matter.md", "# Just markdown\n\nNo fences.\n")
        .article("c-missing-title.md", "---\ndate: 2026-01-01\n---\nBody\n")
        // The date is on line 3, its value at column 7.
        .article(
            "d-bad-date.md",
            "---\ntitle: Bad date\ndate: 2026-13-45\n---\nBody\n",
        )
        .article(
            "e-list-title.md",
            "---\ntitle: [a, b]\ndate: 2026-01-01\n---\nBody\n",
        )
        .article(
            "f-invalid-utf8.md",
            b"---\ntitle: caf\xe9\ndate: 2026-01-01\n---\n".as_slice(),
        );
    let expected = vec![
        ("a-invalid-yaml.md", 4, None, "front matter"),
        ("b-no-front-matter.md", 1, None, "front matter"),
        ("c-missing-title.md", 1, None, "title"),
        ("d-bad-date.md", 3, Some(7), "2026-13-45"),
        ("e-list-title.md", 2, None, "expected a string"),
        ("f-invalid-utf8.md", 2, Some(11), "UTF-8"),
    ];
    (fixture, expected)
}

#[test]
fn every_bad_article_is_reported_with_its_file_and_line() {
    let (fixture, expected) = broken_site();
    let err = fixture.load().err().expect("the site must not load");
    assert!(matches!(err, Error::Input(_)), "{err:?}");
    let by_file: BTreeMap<String, _> = err
        .diagnostics()
        .iter()
        .map(|d| {
            let name = d.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, d)
        })
        .collect();
    assert_eq!(
        by_file.keys().map(String::as_str).collect::<Vec<_>>(),
        expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "{err}"
    );
    assert_eq!(err.diagnostics().len(), expected.len(), "{err}");
    for (file, line, column, words) in expected {
        let d = by_file[file];
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert!(
            d.path.ends_with(Path::new("content").join(file)),
            "{}",
            d.path.display()
        );
        assert_eq!(d.line, Some(line), "{d}");
        if column.is_some() {
            assert_eq!(d.column, column, "{d}");
        }
        assert!(d.message.contains(words), "{d}");
    }
    // Nothing was written.
    assert!(!fixture.out().exists());
}

#[test]
fn cli_prints_every_error_like_a_compiler_and_exits_1() {
    let (fixture, expected) = broken_site();
    let run = fixture.gazette(&["build"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    for (file, line, column, _) in &expected {
        let position = match column {
            Some(c) => format!("content/{file}:{line}:{c}: error: "),
            None => format!("content/{file}:{line}:"),
        };
        assert!(
            err.lines()
                .any(|l| l.contains(&position) && l.contains(": error: ")),
            "no line with {position:?} in:\n{err}"
        );
    }
    assert!(err.contains("6 errors"), "{err}");
    assert!(!fixture.out().exists());
}

#[test]
fn cli_error_paths_are_relative_to_the_site_without_dot_slash() {
    let (fixture, _) = broken_site();
    let run = fixture.gazette(&["build"]);
    let err = stderr(&run);
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/d-bad-date.md:3:7: error: ")),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let cases = [
        // A syntax error, found when the templates are compiled.
        (
            "<h1>{{ article.title }</h1>",
            "templates/article.html:3:22: error: ",
        ),
        // An unknown filter, and a missing field, found while rendering.
        (
            "<h1>{{ article.title | nofilter }}</h1>",
            "templates/article.html:3:24: error: Unknown filter `nofilter`",
        ),
        (
            "<h1>{{ article.nope }}</h1>",
            "templates/article.html:3:16: error: Field `nope` is not defined",
        ),
    ];
    for (line, expected) in cases {
        let fixture = SiteFixture::new()
            .article("2026/02/a.md", md("Alpha", "2026-02-01", ""))
            .file(
                "templates/article.html",
                format!("{{% extends \"base.html\" %}}\n{{% block main %}}\n{line}\n{{% endblock main %}}\n"),
            );
        let run = fixture.gazette(&["build"]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{err}");
        assert!(
            err.lines().any(|l| l.starts_with(expected)),
            "{expected:?} not in:\n{err}"
        );
        assert!(!fixture.out().exists());
    }
}

#[test]
fn cli_usage_errors_exit_2() {
    let fixture = SiteFixture::new();
    let run = fixture.gazette(&["build", "--no-such-flag"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let run = fixture.gazette(&[]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
}

/// A site that builds, with a template that needs `kicker` in every
/// article's front matter (so a render-time failure can be provoked).
fn kicker_site() -> SiteFixture {
    SiteFixture::new()
        .config("per_page = 2")
        .article(
            "2026/02/a.md",
            md("Alpha", "2026-02-01", "kicker: one\npeople: [Ann]\n"),
        )
        .article("2026/02/b.md", md("Beta", "2026-02-02", "kicker: two\n"))
        .file("static/humans.txt", "desk\n")
        .file(
            "templates/article.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ article.title }}</h1>\
             <p class=\"kicker\">{{ article.extra.kicker }}</p>{% endblock main %}",
        )
}

fn staging_leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let mut built = kicker_site().build();
    assert_eq!(built.texts("2026/02/a/", "p.kicker"), ["one"]);
    let before = built.files();

    // 1. An article that does not load.
    built.fixture.put(
        "content/2026/02/a.md",
        "---\ntitle: Alpha\ndate: not a date\n---\n",
    );
    assert!(matches!(built.try_rebuild(), Err(Error::Input(_))));
    assert_same_files(&before, &built.files());
    assert_eq!(staging_leftovers(&built.out), Vec::<String>::new());

    // 2. A site that loads but fails while rendering: a new article (which
    // would change the home page, its person's page, the feed...) lacks the
    // `kicker` the template needs.
    built.fixture.put(
        "content/2026/02/a.md",
        md("Alpha", "2026-02-01", "kicker: one\npeople: [Ann]\n"),
    );
    built.fixture.put(
        "content/2026/02/c.md",
        md("Gamma", "2026-02-03", "people: [Ann]\n"),
    );
    built.fixture.put("static/humans.txt", "changed\n");
    let err = built.try_rebuild().expect_err("rendering must fail");
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.message.contains("kicker")),
        "{err}"
    );
    assert_same_files(&before, &built.files());
    assert_eq!(staging_leftovers(&built.out), Vec::<String>::new());

    // Fixing it builds again, with the new article.
    built.fixture.put(
        "content/2026/02/c.md",
        md("Gamma", "2026-02-03", "kicker: three\npeople: [Ann]\n"),
    );
    built.rebuild();
    assert_eq!(built.article_titles("/"), ["Gamma", "Beta"]);
    assert_eq!(built.page("humans.txt"), "changed\n");
    assert_eq!(staging_leftovers(&built.out), Vec::<String>::new());
}

fn unsafe_output(result: Result<gazette::BuildReport, Error>) -> String {
    match result {
        Err(Error::UnsafeOutput { reason, .. }) => reason,
        other => panic!("expected UnsafeOutput, got {other:?}"),
    }
}

#[test]
fn a_foreign_directory_is_refused_unless_forced() {
    let fixture = SiteFixture::new().article("2026/02/a.md", md("Alpha", "2026-02-01", ""));
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign = elsewhere.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "my notes\n").unwrap();

    unsafe_output(fixture.try_build_into(&foreign, false));
    assert_eq!(list_files(&foreign), ["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "my notes\n"
    );
    assert_eq!(
        list_files(elsewhere.path()),
        ["mine/notes.txt"],
        "nothing beside it"
    );

    // The command line refuses too, with exit code 1.
    let run = fixture.gazette(&["build", "-o", foreign.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("--force"), "{}", stderr(&run));
    assert_eq!(list_files(&foreign), ["notes.txt"]);

    // --force writes the site and keeps notes.txt...
    let run = fixture.gazette(&["build", "--force", "-o", foreign.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(foreign.join("2026/02/a/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "my notes\n"
    );

    // ...and later builds (no longer forced) keep it as well.
    fixture.remove("content/2026/02/a.md");
    fixture.put("content/2026/02/b.md", md("Beta", "2026-02-02", ""));
    fixture.try_build_into(&foreign, false).unwrap();
    assert!(!foreign.join("2026/02/a/index.html").exists());
    assert!(foreign.join("2026/02/b/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "my notes\n"
    );
}

#[test]
fn the_site_and_its_sources_are_refused_even_when_forced() {
    let fixture = SiteFixture::new()
        .article("2026/02/a.md", md("Alpha", "2026-02-01", ""))
        .file("static/humans.txt", "desk\n")
        .file("templates/robots.txt", "User-agent: *\n");
    let root = fixture.root().to_path_buf();
    let sources_before = snapshot(&root);
    for out in [
        root.clone(),
        root.join("."),
        root.parent().unwrap().to_path_buf(),
        root.join("content"),
        root.join("content/2026"),
        root.join("content/new-folder"),
        root.join("public/../content"),
        root.join("static"),
        root.join("templates"),
    ] {
        for force in [false, true] {
            let reason = unsafe_output(fixture.try_build_into(&out, force));
            assert!(!reason.is_empty(), "{}", out.display());
        }
    }
    #[cfg(unix)]
    {
        let link = root.join("content-link");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        unsafe_output(fixture.try_build_into(&link, true));
        std::fs::remove_file(&link).unwrap();
    }
    assert_same_files(&sources_before, &snapshot(&root));

    // The command line refuses them too.
    for out in [".", "content"] {
        let run = fixture.gazette(&["build", "--force", "-o", out]);
        assert_eq!(run.status.code(), Some(1), "-o {out}: {}", stderr(&run));
    }
    assert_same_files(&sources_before, &snapshot(&root));
}

#[test]
fn rebuilds_remove_what_gazette_wrote_and_nothing_else() {
    let mut built = SiteFixture::new()
        .article(
            "2026/02/a.md",
            md("Alpha", "2026-02-01", "people: [Ann Lee]\n"),
        )
        .article("2026/02/b.md", md("Beta", "2026-02-02", "people: [Bo]\n"))
        .file("content/2026/02/photo.jpg", b"jpg")
        .file("static/old.css", "old\n")
        .build();
    assert!(built.exists("2026/02/b/"));
    assert!(built.exists("people/bo/"));
    // The user adds files of their own, beside and inside gazette's folders.
    std::fs::write(built.out.join("user.txt"), "mine\n").unwrap();
    std::fs::write(built.out.join("2026/02/b/keep.txt"), "mine too\n").unwrap();
    std::fs::create_dir_all(built.out.join("people/bo/extra")).unwrap();
    std::fs::write(built.out.join("people/bo/extra/x.txt"), "also mine\n").unwrap();

    built.fixture.remove("content/2026/02/b.md");
    built.fixture.remove("content/2026/02/photo.jpg");
    built.fixture.remove("static/old.css");
    let report = built.rebuild().clone();
    assert!(report.files.removed >= 4, "{report:?}");

    assert!(!built.exists("2026/02/b/"));
    assert!(!built.exists("people/bo/"));
    assert!(!built.exists("2026/02/photo.jpg"));
    assert!(!built.exists("old.css"));
    assert!(built.exists("2026/02/a/"));
    assert_eq!(built.article_titles("/"), ["Alpha"]);
    assert_eq!(built.page("user.txt"), "mine\n");
    assert_eq!(built.page("2026/02/b/keep.txt"), "mine too\n");
    assert_eq!(built.page("people/bo/extra/x.txt"), "also mine\n");
    // The manifest no longer lists the removed files, nor the user's.
    let manifest = built.page(".gazette-manifest");
    for gone in [
        "2026/02/b/index.html",
        "photo.jpg",
        "old.css",
        "user.txt",
        "keep.txt",
    ] {
        assert!(!manifest.contains(gone), "{gone} in manifest:\n{manifest}");
    }
}

#[test]
fn site_toml_errors_are_reported_with_the_articles_errors() {
    let fixture = SiteFixture::new()
        .config("per_pgae = 3")
        .article("good.md", md("Good", "2026-02-01", ""))
        .article("bad.md", "---\ntitle: Bad\ndate: someday\n---\n");
    let err = fixture.load().err().expect("the site must not load");
    let found: Vec<(String, Option<usize>)> = err
        .diagnostics()
        .iter()
        .map(|d| {
            let name = d.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, d.line)
        })
        .collect();
    assert!(found.contains(&("site.toml".into(), Some(3))), "{err}");
    assert!(found.contains(&("bad.md".into(), Some(3))), "{err}");
    assert_eq!(found.len(), 2, "{err}");
    assert!(err.to_string().contains("per_pgae"), "{err}");
}

#[test]
fn a_page_can_take_the_place_of_a_file_of_the_previous_build() {
    let built = SiteFixture::new()
        .article("2026/02/a.md", md("Alpha", "2026-02-01", ""))
        .file("content/2026/02/x", "an extensionless asset\n")
        .build();
    assert!(built.exists("2026/02/x"));
    let before = built.files();

    // The asset goes; an article whose page folder has the asset's name comes.
    built.fixture.remove("content/2026/02/x");
    built
        .fixture
        .put("content/2026/02/x.md", md("Ex", "2026-02-02", ""));
    if let Err(e) = built.try_rebuild() {
        // Even a failure must leave the previous site as it was.
        assert_same_files(&before, &built.files());
        assert_eq!(staging_leftovers(&built.out), Vec::<String>::new());
        panic!("rebuild failed: {e}");
    }
    assert_eq!(built.texts("2026/02/x/", "article h1"), ["Ex"]);
    assert_eq!(built.article_titles("/"), ["Ex", "Alpha"]);
}

#[test]
fn a_file_taking_the_place_of_a_page_folder_never_deletes_user_files() {
    let built = SiteFixture::new()
        .article("2026/02/a.md", md("Alpha", "2026-02-01", ""))
        .article("2026/02/x.md", md("Ex", "2026-02-02", ""))
        .build();
    std::fs::write(built.out.join("2026/02/x/user.txt"), "mine\n").unwrap();

    // The article goes; an extensionless asset with the page folder's name comes.
    built.fixture.remove("content/2026/02/x.md");
    built
        .fixture
        .put("content/2026/02/x", "an extensionless asset\n");
    let result = built.try_rebuild();
    assert_eq!(
        std::fs::read_to_string(built.out.join("2026/02/x/user.txt")).ok(),
        Some("mine\n".to_string()),
        "the user's file was deleted (build result: {result:?})"
    );
}

#[cfg(unix)]
#[test]
fn a_rebuild_replaces_linked_pages_without_writing_through_the_links() {
    let mut built = SiteFixture::new()
        .article("2026/02/a.md", md("Alpha", "2026-02-01", ""))
        .article("2026/02/b.md", md("Beta", "2026-02-02", ""))
        .build();
    let (page_a, page_b) = (built.file_of("2026/02/a/"), built.file_of("2026/02/b/"));
    let old_a = built.page("2026/02/a/");
    // A backup made with hard links (`cp -al`), and a page the user turned
    // into a symlink to a file of their own.
    let backup = built.fixture.root().join("backup-a.html");
    std::fs::hard_link(&page_a, &backup).unwrap();
    let notes = built.fixture.root().join("notes.html");
    std::fs::write(&notes, "my notes\n").unwrap();
    std::fs::remove_file(&page_b).unwrap();
    std::os::unix::fs::symlink(&notes, &page_b).unwrap();

    built
        .fixture
        .put("content/2026/02/a.md", md("Alpha, again", "2026-02-01", ""));
    built
        .fixture
        .put("content/2026/02/b.md", md("Beta, again", "2026-02-02", ""));
    built.rebuild();

    assert!(built.page("2026/02/a/").contains("Alpha, again"));
    assert!(built.page("2026/02/b/").contains("Beta, again"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), old_a);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    assert!(!std::fs::symlink_metadata(&page_b).unwrap().is_symlink());
    // Nothing is left beside the pages.
    let leftovers: Vec<String> = list_files(&built.out)
        .into_iter()
        .filter(|f| f.contains("gazette-new") || f.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!built
        .fixture
        .root()
        .join(".public.gazette-staging")
        .exists());
}

//! `gazette serve` and `gazette build --watch` end to end: the real binary on
//! a fixture site in a temporary directory, on a free loopback port, edited
//! the ways editors save files, read over HTTP and server-sent events.
//!
//! Every wait is a bounded poll (see `common::PATIENCE`); every child
//! process is killed when its guard drops, even when a test panics.

use std::fs;
use std::net::{Ipv6Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::time::Duration;

use crate::common::{
    http_request, list_files, md, md_body, poll_until, HttpResponse, Running, Serving, SiteFixture,
    PATIENCE,
};

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0xd6, 0xa4, 0xd2, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

const TALKS: &str = "content/2026/02/talks.md";
const TALKS_PAGE: &str = "/2026/02/talks/";

/// The text of `content/2026/02/talks.md` with this body.
fn talks(body: &str) -> String {
    md_body(
        "Talks resume",
        "2026-02-10",
        "people: [Ann Lee, Bo Chen]\ntags: [diplomacy, solo]\nsummary: \"Talks summary.\"\n",
        &format!("{body}\n"),
    )
}

/// Three articles, a static PNG; the preview goes to `<root>/public`.
fn site() -> SiteFixture {
    SiteFixture::new()
        .file(TALKS, talks("Original body text."))
        .article(
            "2026/02/other.md",
            md(
                "Other story",
                "2026-02-05",
                "people: [Ann Lee]\ntags: [diplomacy]\n",
            ),
        )
        .article(
            "2026/01/older.md",
            md("Older story", "2026-01-03", "tags: [archive]\n"),
        )
        .file("static/logo.png", PNG)
}

fn serve(fixture: &SiteFixture) -> Serving {
    Serving::start(fixture.root(), &fixture.out(), &[])
}

/// Replaces a file the way many editors do: write a temp file beside it
/// (with a name gazette ignores) and rename it over the original.
fn replace_atomically(fixture: &SiteFixture, rel: &str, text: &str) {
    let path = fixture.root().join(rel);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let temp = path.with_file_name(format!(".{name}.new"));
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, &path).unwrap();
}

#[track_caller]
fn assert_status(r: &HttpResponse, status: u16, what: &str) {
    assert_eq!(r.status, status, "{what}: body:\n{}", r.text());
}

// 1. ------------------------------------------------------------------------

#[test]
fn an_edited_article_body_is_served() {
    let fixture = site();
    let mut server = serve(&fixture);
    let first = server.get(TALKS_PAGE);
    assert_status(&first, 200, TALKS_PAGE);
    assert!(first.text().contains("Original body text."));

    fixture.put(TALKS, talks("Edited body text."));
    let page = server.wait_for_text(TALKS_PAGE, "Edited body text.");
    assert!(!page.text().contains("Original body text."));
    let line = server.process.wait_for_line("a `rebuilt` line", |l| {
        l.starts_with("rebuilt (").then(|| l.to_string())
    });
    // The same summary as a build's, and what set it off.
    assert!(
        line.starts_with("rebuilt (body) in ")
            && line.contains(" written, ")
            && line.contains(" removed, ")
            && line.ends_with(" unchanged; after content/2026/02/talks.md"),
        "{line}"
    );
    // The other pages are still there.
    assert_status(&server.get("/"), 200, "/");
    assert_status(&server.get("/2026/02/other/"), 200, "other");
}

// 2. ------------------------------------------------------------------------

#[test]
fn a_reload_event_follows_each_edit() {
    let fixture = site();
    let server = serve(&fixture);
    let mut events = server.events();

    fixture.put(TALKS, talks("First edit."));
    let event = events.wait_for("reload");
    assert_eq!(event.data, "reload");
    assert!(
        events.seen.iter().all(|e| e.event == "reload"),
        "{:?}",
        events.seen
    );
    // By the time the reload is sent, the new page is in place.
    assert!(server.get(TALKS_PAGE).text().contains("First edit."));

    // The stream stays open for the next edit, and a new title (which
    // changes list pages) reloads too.
    fixture.put(
        TALKS,
        talks("Second edit.").replace("Talks resume", "Talks resumed again"),
    );
    events.wait_for("reload");
    assert!(server.get("/").text().contains("Talks resumed again"));
}

// 3. ------------------------------------------------------------------------

#[test]
fn a_broken_file_reports_its_line_keeps_the_old_page_and_recovers() {
    let fixture = site();
    let mut server = serve(&fixture);
    let mut events = server.events();

    // `source: a: b` on line 4 is not YAML.
    fixture.put(TALKS, BROKEN_TALKS);
    let error = events.wait_for("build-error");
    assert!(
        error.data.contains("content/2026/02/talks.md:4:") && error.data.contains("error:"),
        "build-error data: {}",
        error.data
    );
    // The same diagnostic is printed on stderr.
    server.process.wait_for_line("the error on stderr", |l| {
        l.starts_with("content/2026/02/talks.md:4:").then_some(())
    });

    // The last good page is still served.
    let page = server.get(TALKS_PAGE);
    assert_status(&page, 200, TALKS_PAGE);
    assert!(
        page.text().contains("Original body text."),
        "{}",
        page.text()
    );
    assert!(!page.text().contains("Broken body."));

    // A page opened now is told about the error at once.
    let mut late = server.events();
    let first = late
        .next_event(PATIENCE)
        .expect("an event on connect while the build is broken");
    assert_eq!(first.event, "build-error");
    assert!(first.data.contains("content/2026/02/talks.md:4:"));

    // Fixing the file reloads and serves the fixed page.
    fixture.put(TALKS, talks("Fixed body text."));
    events.wait_for("reload");
    late.wait_for("reload");
    server.wait_for_text(TALKS_PAGE, "Fixed body text.");

    // And a page opened after the fix is not shown the old error.
    let mut after = server.events();
    if let Some(e) = after.next_event(Duration::from_millis(300)) {
        assert_ne!(e.event, "build-error", "stale error: {}", e.data);
    }
}

const BROKEN_TALKS: &str =
    "---\ntitle: Talks resume\ndate: 2026-02-10\nsource: a: b\n---\nBroken body.\n";

/// `other.md` with an explicit summary, so a body edit is a body-only rebuild.
fn other(title: &str, body: &str) -> String {
    md_body(
        title,
        "2026-02-05",
        "people: [Ann Lee]\ntags: [diplomacy]\nsummary: \"Other summary.\"\n",
        &format!("{body}\n"),
    )
}

#[test]
fn the_error_stays_until_the_broken_file_is_fixed() {
    let fixture = site().file(
        "content/2026/02/other.md",
        other("Other story", "Other v1."),
    );
    let server = serve(&fixture);
    let mut events = server.events();
    fixture.put(TALKS, BROKEN_TALKS);
    events.wait_for("build-error");

    // An unrelated, valid body edit elsewhere is served...
    fixture.put(
        "content/2026/02/other.md",
        other("Other story", "Other v2."),
    );
    server.wait_for_text("/2026/02/other/", "Other v2.");

    // ...but talks.md is still broken: a page opened now must still say so.
    let mut late = server.events();
    let first = late.next_event(Duration::from_secs(5));
    assert!(
        first.as_ref().is_some_and(
            |e| e.event == "build-error" && e.data.contains("content/2026/02/talks.md:4:")
        ),
        "talks.md is still broken, but a page opened now was told {first:?}"
    );
}

#[test]
fn an_edit_elsewhere_keeps_reporting_the_real_error() {
    let fixture = site().file(
        "content/2026/02/other.md",
        other("Other story", "Other v1."),
    );
    let server = serve(&fixture);
    let mut events = server.events();
    fixture.put(TALKS, BROKEN_TALKS);
    let first = events.wait_for("build-error");
    assert!(
        first.data.contains("content/2026/02/talks.md:4:"),
        "{}",
        first.data
    );

    // A new title for the article next to it (talks.md's page links to it).
    fixture.put(
        "content/2026/02/other.md",
        other("Other story renamed", "Other v1."),
    );
    let next = events
        .next_event(PATIENCE)
        .unwrap_or_else(|| panic!("no event after the second edit; seen {:?}", events.seen));
    if next.event == "build-error" {
        assert!(
            next.data.contains("content/2026/02/talks.md:4:"),
            "the real error was replaced by: {}",
            next.data
        );
    }
}

#[test]
fn files_changed_with_a_broken_one_appear_once_it_is_fixed() {
    let fixture = site().file(
        "content/2026/02/other.md",
        other("Other story", "Other v1."),
    );
    let server = serve(&fixture);
    let mut events = server.events();

    // One "save all" (or a `git checkout`): a new article, an edited one
    // and a broken one, written together so they make one batch.
    fixture.put(
        "content/2026/02/fresh.md",
        md("Fresh arrival", "2026-02-20", "tags: [diplomacy]\n"),
    );
    fixture.put(
        "content/2026/02/other.md",
        other("Other story", "Other v2."),
    );
    fixture.put(TALKS, BROKEN_TALKS);
    events.wait_for("build-error");

    // Only the broken file is touched again.
    fixture.put(TALKS, talks("Fixed."));
    events.wait_for("reload");
    server.wait_for_text(TALKS_PAGE, "Fixed.");
    server.wait_for_text("/2026/02/fresh/", "Fresh arrival");
    server.wait_for_text("/2026/02/other/", "Other v2.");
    server.wait_for_text("/tags/diplomacy/", "Fresh arrival");
}

// 4. ------------------------------------------------------------------------

#[test]
fn paths_leaving_the_site_are_refused() {
    let fixture = site();
    let server = serve(&fixture);
    for path in [
        "/../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/a/..%2f..%2fsite.toml",
        "/2026/%2E%2E/%2e%2e/site.toml",
        "/..%5csite.toml",
        "/../../../../../../etc/passwd",
        "/%00",
    ] {
        let r = server.get(path);
        assert_status(&r, 403, path);
        let body = r.text();
        assert!(
            !body.contains("base_url") && !body.contains("root:"),
            "{path} leaked: {body}"
        );
    }
    // Dots that stay inside the site are fine.
    assert_status(&server.get("/2026/./02/talks/"), 200, "/./");
}

#[test]
fn content_types_404_redirects_and_the_reload_script() {
    let fixture = site();
    let server = serve(&fixture);
    let base = format!("http://127.0.0.1:{}", server.port);

    let home = server.get("/");
    assert_status(&home, 200, "/");
    assert!(
        home.header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "{:?}",
        home.headers
    );
    // Links point at the local server, not at site.toml's base_url.
    assert!(
        home.text().contains(&format!("{base}/theme.css")),
        "{}",
        home.text()
    );
    assert!(!home.text().contains("example.org"));

    for (path, ty) in [
        ("/theme.css", "text/css"),
        ("/syntax.css", "text/css"),
        ("/atom.xml", "xml"),
        ("/sitemap.xml", "xml"),
        ("/robots.txt", "text/plain"),
        ("/logo.png", "image/png"),
        ("/people/", "text/html"),
        (TALKS_PAGE, "text/html"),
    ] {
        let r = server.get(path);
        assert_status(&r, 200, path);
        let got = r.header("content-type").unwrap_or("");
        assert!(got.contains(ty), "{path}: content-type {got:?}, want {ty}");
        let injected = r.text().contains("/__gazette/events");
        assert_eq!(injected, ty == "text/html", "{path}: reload script");
    }
    assert_eq!(server.get("/logo.png").body, PNG);

    // The reload script sits before </body> of served HTML pages.
    let html = server.get(TALKS_PAGE).text();
    let script = html.find("<script>").expect("a script");
    let body_end = html.rfind("</body>").expect("</body>");
    assert!(script < body_end && html[script..body_end].contains("EventSource"));

    // Missing paths: the site's 404 page, with status 404.
    for path in ["/no/such/page/", "/missing.png", "/2026/02/talks/nope.html"] {
        let r = server.get(path);
        assert_status(&r, 404, path);
        assert!(r.text().contains("Not found"), "{path}: {}", r.text());
        assert!(r
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"));
    }

    // A folder without its slash is redirected to it.
    for (path, to) in [("/people", "/people/"), ("/2026/02/talks", TALKS_PAGE)] {
        let r = server.get(path);
        assert_status(&r, 301, path);
        assert_eq!(r.header("location"), Some(to), "{path}");
    }

    // HEAD works too.
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port));
    let head = http_request(addr, "HEAD", "/", None).unwrap();
    assert_eq!(head.status, 200);

    // The preview build on disk and `gazette build` output have no script.
    for rel in list_files(&fixture.out()) {
        if rel.ends_with(".html") {
            let text = fs::read_to_string(fixture.out().join(&rel)).unwrap();
            assert!(!text.contains("__gazette"), "{rel} on disk has the script");
        }
    }
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("site");
    let run = fixture.gazette(&["build", "-o", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", crate::common::stderr(&run));
    let pages: Vec<_> = list_files(&out)
        .into_iter()
        .filter(|r| r.ends_with(".html"))
        .collect();
    assert!(pages.len() > 5, "{pages:?}");
    for rel in pages {
        let text = fs::read_to_string(out.join(&rel)).unwrap();
        assert!(
            !text.contains("__gazette") && !text.contains("EventSource"),
            "{rel}"
        );
    }
}

#[test]
fn a_redirect_never_leaves_the_server() {
    let fixture = site();
    let server = serve(&fixture);
    let r = server.get("//people");
    if r.status == 301 {
        let to = r.header("location").unwrap_or("");
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "Location {to:?} leaves the server"
        );
    }
}

// 5. ------------------------------------------------------------------------

#[test]
fn the_ways_editors_save_a_file() {
    let fixture = site();
    let server = serve(&fixture);

    // Written in place.
    fs::write(fixture.root().join(TALKS), talks("In place.")).unwrap();
    server.wait_for_text(TALKS_PAGE, "In place.");

    // A temp file renamed over the original (VS Code, IntelliJ, sed -i...).
    let temp = fixture.root().join("content/2026/02/talks.md.tmp");
    fs::write(&temp, talks("Renamed over.")).unwrap();
    fs::rename(&temp, fixture.root().join(TALKS)).unwrap();
    server.wait_for_text(TALKS_PAGE, "Renamed over.");

    // Vim with `backupcopy=no`: probe file, swap file, original moved to a
    // backup, new file written, backup deleted.
    let dir = fixture.root().join("content/2026/02");
    fs::write(dir.join("4913"), "").unwrap();
    fs::remove_file(dir.join("4913")).unwrap();
    fs::write(dir.join(".talks.md.swp"), b"b0VIM 9.0 \x00\x01 swap").unwrap();
    fs::rename(fixture.root().join(TALKS), dir.join("talks.md~")).unwrap();
    fs::write(fixture.root().join(TALKS), talks("Vim saved.")).unwrap();
    fs::remove_file(dir.join("talks.md~")).unwrap();
    fs::remove_file(dir.join(".talks.md.swp")).unwrap();
    server.wait_for_text(TALKS_PAGE, "Vim saved.");

    // Deleted, then created again.
    fs::remove_file(fixture.root().join(TALKS)).unwrap();
    fs::write(fixture.root().join(TALKS), talks("Re-created.")).unwrap();
    server.wait_for_text(TALKS_PAGE, "Re-created.");

    // Deleted, seen gone, then created again.
    fs::remove_file(fixture.root().join(TALKS)).unwrap();
    server.wait_for_status(TALKS_PAGE, 404);
    fs::write(fixture.root().join(TALKS), talks("Back again.")).unwrap();
    server.wait_for_text(TALKS_PAGE, "Back again.");
    server.wait_for_text("/", "Talks resume");

    // The folder renamed (the URL comes from the date, so it stays), then
    // a file in the renamed folder edited: the watch follows the folder.
    fs::rename(
        fixture.root().join("content/2026/01"),
        fixture.root().join("content/2026/january"),
    )
    .unwrap();
    server.wait_for("the home page after the folder rename", "/", |r| {
        r.status == 200 && r.text().contains("Older story")
    });
    fs::write(
        fixture.root().join("content/2026/january/older.md"),
        md_body(
            "Older story",
            "2026-01-03",
            "tags: [archive]\n",
            "Edited in the renamed folder.\n",
        ),
    )
    .unwrap();
    server.wait_for_text("/2026/01/older/", "Edited in the renamed folder.");

    // Nothing went wrong along the way.
    let log = server.process.stderr();
    assert!(!log.contains("error:"), "{log}");
}

#[test]
fn articles_come_go_and_move() {
    let fixture = site();
    let server = serve(&fixture);

    // A new file appears on the home page and gets its page.
    fixture.put(
        "content/2026/03/fresh.md",
        md(
            "Fresh arrival",
            "2026-03-01",
            "people: [Cy Dee]\ntags: [diplomacy]\n",
        ),
    );
    server.wait_for_text("/", "Fresh arrival");
    server.wait_for_text("/2026/03/fresh/", "Fresh arrival");
    server.wait_for_text("/people/cy-dee/", "Fresh arrival");
    server.wait_for_text("/2026/", "March");

    // A deleted file's page goes away, and it leaves the person and tag
    // pages (those only it mentioned go away entirely).
    assert_status(&server.get("/people/bo-chen/"), 200, "bo-chen");
    assert_status(&server.get("/tags/solo/"), 200, "solo");
    fixture.remove(TALKS);
    server.wait_for_status(TALKS_PAGE, 404);
    assert!(server.get(TALKS_PAGE).text().contains("Not found"));
    server.wait_for_status("/people/bo-chen/", 404);
    server.wait_for_status("/tags/solo/", 404);
    server.wait_for(
        "Ann Lee's page without the deleted article",
        "/people/ann-lee/",
        |r| {
            r.status == 200
                && r.text().contains("Other story")
                && !r.text().contains("Talks resume")
        },
    );
    server.wait_for("the tags page without `solo`", "/tags/", |r| {
        r.status == 200 && !r.text().contains("/tags/solo/")
    });
    server.wait_for("the home page without the deleted article", "/", |r| {
        r.status == 200 && !r.text().contains("Talks resume")
    });

    // A renamed file moves to its new address.
    fs::rename(
        fixture.root().join("content/2026/02/other.md"),
        fixture.root().join("content/2026/02/renamed.md"),
    )
    .unwrap();
    server.wait_for_text("/2026/02/renamed/", "Other story");
    server.wait_for_status("/2026/02/other/", 404);
    server.wait_for(
        "Ann Lee's page to link the new address",
        "/people/ann-lee/",
        |r| r.text().contains("/2026/02/renamed/") && !r.text().contains("/2026/02/other/"),
    );

    // An article turned into a draft goes away; turned back, it returns.
    fixture.put(
        "content/2026/03/fresh.md",
        md(
            "Fresh arrival",
            "2026-03-01",
            "people: [Cy Dee]\ntags: [diplomacy]\ndraft: true\n",
        ),
    );
    server.wait_for_status("/2026/03/fresh/", 404);
    server.wait_for_status("/people/cy-dee/", 404);
    fixture.put(
        "content/2026/03/fresh.md",
        md("Fresh arrival", "2026-03-01", "people: [Cy Dee]\n"),
    );
    server.wait_for_text("/2026/03/fresh/", "Fresh arrival");
    server.wait_for_text("/people/cy-dee/", "Fresh arrival");
}

#[test]
fn a_burst_of_new_files_all_appear() {
    let fixture = site();
    let server = serve(&fixture);
    let count = |n: usize| format!("{n} articles");

    // 200 files at once into an existing folder. Each is written to an
    // ignored temp name and renamed, so no rebuild can read one half
    // written (see `files_changed_with_a_broken_one_appear_once_it_is_fixed`
    // for what happens then).
    let dir = fixture.root().join("content/2026/02");
    for i in 0..200 {
        replace_atomically(
            &fixture,
            &format!("content/2026/02/burst-{i:03}.md"),
            &md(
                &format!("Burst {i}"),
                "2026-02-15",
                "tags: [burst]\npeople: [Ann Lee]\n",
            ),
        );
    }
    server.wait_for_text("/tags/burst/", &count(200));
    server.wait_for_text("/people/ann-lee/", &count(202));
    for i in [0, 99, 199] {
        server.wait_for_text(&format!("/2026/02/burst-{i:03}/"), &format!("Burst {i}"));
    }

    // ...and 50 into folders that did not exist, written in place (a new
    // folder reloads the whole site, which also rereads any file that was
    // caught half written).
    let fresh = fixture.root().join("content/2025/05");
    fs::create_dir_all(&fresh).unwrap();
    for i in 0..50 {
        fs::write(
            fresh.join(format!("new-{i:02}.md")),
            md(&format!("New {i}"), "2025-05-02", "tags: [fresh]\n"),
        )
        .unwrap();
    }
    server.wait_for_text("/tags/fresh/", &count(50));
    server.wait_for_text("/2025/05/new-49/", "New 49");

    // And all of them removed at once.
    for i in 0..200 {
        fs::remove_file(dir.join(format!("burst-{i:03}.md"))).unwrap();
    }
    server.wait_for_status("/tags/burst/", 404);
    server.wait_for_status("/2026/02/burst-150/", 404);
    server.wait_for_text("/people/ann-lee/", &count(2));
}

#[test]
fn two_saves_within_ten_milliseconds_serve_the_last() {
    let fixture = site();
    let server = serve(&fixture);
    let path = fixture.root().join(TALKS);

    fs::write(&path, talks("First quick save.")).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    fs::write(&path, talks("Second quick save.")).unwrap();
    let page = server.wait_for_text(TALKS_PAGE, "Second quick save.");
    assert!(!page.text().contains("First quick save."));

    // The same with metadata (a title change rebuilds the lists).
    let titled = |t: &str| talks("Body.").replace("Talks resume", t);
    fs::write(&path, titled("Interim title")).unwrap();
    fs::write(&path, titled("Final title")).unwrap();
    server.wait_for_text("/", "Final title");
    server.wait_for_text("/tags/diplomacy/", "Final title");
    server.wait_for_text(TALKS_PAGE, "Final title");
    server.wait_for_text("/people/ann-lee/", "Final title");
    for page in ["/", "/tags/diplomacy/", TALKS_PAGE, "/people/ann-lee/"] {
        assert!(!server.get(page).text().contains("Interim title"), "{page}");
    }
}

#[test]
fn editor_temp_and_backup_files_are_ignored() {
    let fixture = site();
    let mut server = serve(&fixture);
    let dir = fixture.root().join("content/2026/02");
    let before = server.process.count_lines("rebuilt");

    // Junk that is not valid front matter: gazette must not read it.
    let junk = "not: [valid\n";
    fs::write(dir.join(".talks.md.swp"), junk).unwrap();
    fs::write(dir.join(".talks.md.swx"), junk).unwrap();
    fs::write(dir.join("talks.md~"), junk).unwrap();
    fs::write(dir.join("#talks.md#"), junk).unwrap();
    fs::write(dir.join("draft.md.tmp"), junk).unwrap();
    // Emacs's lock file is a dangling symlink.
    std::os::unix::fs::symlink("user@host.1234:1700000000", dir.join(".#talks.md")).unwrap();
    fs::write(dir.join("talks.md~"), "more junk").unwrap();

    // Then one real edit, written so that it is a single event.
    replace_atomically(&fixture, TALKS, &talks("After the junk."));
    server.wait_for_text(TALKS_PAGE, "After the junk.");
    server.process.wait_for_line("a `rebuilt` line", |l| {
        l.starts_with("rebuilt").then_some(())
    });
    let rebuilt = server.process.count_lines("rebuilt") - before;
    assert_eq!(
        rebuilt,
        1,
        "only the real edit rebuilds:\n{}",
        server.process.stderr()
    );
    // The search index follows the pages.
    server
        .process
        .wait_for_line("the search index updated", |l| {
            l.starts_with("search index updated").then_some(())
        });
    let log = server.process.stderr();
    assert!(!log.contains("error:"), "{log}");

    // None of it was copied into the site.
    let files = list_files(&fixture.out());
    assert!(
        files
            .iter()
            .all(|f| !f.contains("talks.md") && !f.ends_with(".tmp")),
        "{files:?}"
    );
    assert!(server.process.is_running());
}

// 6. ------------------------------------------------------------------------

#[test]
fn many_concurrent_requests_all_succeed_while_the_site_rebuilds() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let fixture = site();
    let server = serve(&fixture);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let paths = [
        "/",
        TALKS_PAGE,
        "/tags/diplomacy/",
        "/people/ann-lee/",
        "/theme.css",
        "/atom.xml",
        "/logo.png",
        "/2026/",
    ];
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut done = 0usize;
                let mut failures = Vec::new();
                // At least 50 requests; more while the edits go on (bounded).
                while done < 50 || (!stop.load(Ordering::Relaxed) && done < 3000) {
                    let path = paths[(t + done) % paths.len()];
                    done += 1;
                    match crate::common::http_get(port, path) {
                        Ok(r) if r.status != 200 => {
                            failures.push(format!("{path}: status {}", r.status));
                        }
                        Ok(r) => {
                            let ty = r.header("content-type").unwrap_or("").to_string();
                            if ty.starts_with("text/html") && !r.text().contains("</html>") {
                                failures.push(format!("{path}: incomplete page"));
                            }
                            if path == "/logo.png" && r.body != PNG {
                                failures.push(format!("{path}: wrong bytes"));
                            }
                        }
                        Err(e) => failures.push(format!("{path}: {e}")),
                    }
                }
                (done, failures)
            })
        })
        .collect();

    // Meanwhile: body edits and title edits (which rewrite the lists).
    for i in 0..6 {
        let text = talks(&format!("Concurrent edit {i}."))
            .replace("Talks resume", &format!("Talks resume {i}"));
        replace_atomically(&fixture, TALKS, &text);
        server.wait_for_text(TALKS_PAGE, &format!("Concurrent edit {i}."));
        server.wait_for_text("/", &format!("Talks resume {i}"));
    }
    stop.store(true, Ordering::Relaxed);

    let mut total = 0;
    let mut failures = Vec::new();
    for t in threads {
        let (done, f) = t.join().expect("request thread");
        total += done;
        failures.extend(f);
    }
    assert!(total >= 400, "{total}");
    assert!(
        failures.is_empty(),
        "{} of {total} requests failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

// 7. ------------------------------------------------------------------------

#[test]
fn build_watch_rebuilds_the_output_dir() {
    let fixture = site();
    let out = fixture.out();
    let mut watching = Running::start(
        fixture.root(),
        &["build", "--watch", "-r", ".", "-o", out.to_str().unwrap()],
    );
    watching.wait_for_line("the `watching` line", |l| {
        l.starts_with("watching ").then_some(())
    });
    let page = out.join("2026/02/talks/index.html");
    assert!(fs::read_to_string(&page)
        .unwrap()
        .contains("Original body text."));

    fixture.put(TALKS, talks("Watched edit."));
    wait_for_file_text(&page, "Watched edit.");

    fixture.put(
        "content/2026/03/fresh.md",
        md("Fresh arrival", "2026-03-01", ""),
    );
    wait_for_file_text(&out.join("index.html"), "Fresh arrival");
    wait_for_file_text(&out.join("2026/03/fresh/index.html"), "Fresh arrival");

    fixture.remove("content/2026/03/fresh.md");
    poll_until("the removed page to go", PATIENCE, || {
        (!out.join("2026/03/fresh/index.html").exists())
            .then_some(())
            .ok_or_else(|| "still there".to_string())
    });

    // The build output keeps site.toml's base_url and has no reload script.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("https://example.org/theme.css"));
    assert!(!html.contains("__gazette"));
    assert!(watching.is_running());
}

#[test]
fn build_watch_after_a_failed_start_uses_the_configured_output_dir() {
    let fixture = site().config("output_dir = \"docs\"");
    fixture.put(
        TALKS,
        "---\ntitle: Talks resume\ndate: 2026-02-10\nsource: a: b\n---\nBroken.\n",
    );
    let mut watching = Running::start(fixture.root(), &["build", "--watch", "-r", "."]);
    watching.wait_for_line("the `watching` line", |l| {
        l.starts_with("watching ").then_some(())
    });
    assert!(watching.stderr().contains("content/2026/02/talks.md:4:"));
    fixture.put(TALKS, talks("Fixed."));
    let docs = fixture.root().join("docs/2026/02/talks/index.html");
    let public = fixture.root().join("public/2026/02/talks/index.html");
    let (in_docs, in_public) = poll_until("the fixed site to be built", PATIENCE, || {
        let found = (docs.exists(), public.exists());
        if found.0 || found.1 {
            Ok(found)
        } else {
            Err(watching.stderr())
        }
    });
    assert!(
        in_docs && !in_public,
        "built into docs/: {in_docs}, into public/: {in_public}"
    );
}

fn wait_for_file_text(path: &Path, text: &str) {
    poll_until(
        &format!("{} to contain {text:?}", path.display()),
        PATIENCE,
        || match fs::read_to_string(path) {
            Ok(s) if s.contains(text) => Ok(()),
            Ok(s) => Err(s),
            Err(e) => Err(e.to_string()),
        },
    );
}

// 8. ------------------------------------------------------------------------

#[test]
fn a_port_in_use_moves_to_the_next_free_one() {
    let fixture = site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let p = port.to_string();
    let out = fixture.out();
    let mut server = Serving::start_with(
        fixture.root(),
        &[
            "serve",
            "-r",
            ".",
            "-p",
            &p,
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    let instead = server.process.wait_for_line("the `port in use` line", |l| {
        l.strip_prefix(&format!("port {port} is in use; using "))
            .and_then(|rest| rest.strip_suffix(" instead"))
            .and_then(|n| n.parse::<u16>().ok())
    });
    assert_ne!(instead, port);
    assert_eq!(server.port, instead, "{}", server.url);
    assert_eq!(server.url, format!("http://127.0.0.1:{instead}/"));
    let home = server.get("/");
    assert_status(&home, 200, "/");
    assert!(home
        .text()
        .contains(&format!("http://127.0.0.1:{instead}/theme.css")));
    drop(taken);
}

#[test]
fn the_highest_port_can_be_used() {
    let fixture = site();
    if TcpListener::bind("127.0.0.1:65535").is_err() {
        eprintln!("skipped: port 65535 is in use on this machine");
        return;
    }
    let out = fixture.out();
    let server = Serving::start_with(
        fixture.root(),
        &[
            "serve",
            "-r",
            ".",
            "-p",
            "65535",
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(server.port, 65535);
    assert_status(&server.get("/"), 200, "/");
}

#[test]
fn an_ipv6_loopback_interface_is_served() {
    if TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    }
    let fixture = site();
    let out = fixture.out();
    let mut process = Running::start(
        fixture.root(),
        &[
            "serve",
            "-r",
            ".",
            "-i",
            "::1",
            "-p",
            "0",
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    let url = process.wait_for_line("the `serving` line", crate::common::serving_url);
    assert!(url.starts_with("http://[::1]:"), "{url}");
    let port: u16 = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let addr = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    let r = http_request(addr, "GET", "/", None).unwrap();
    assert_eq!(r.status, 200);
}

// Folders that appear while serving. -----------------------------------------

#[test]
fn a_static_folder_created_while_serving_is_served() {
    let fixture = SiteFixture::new().article("2026/02/a.md", md("A", "2026-02-01", ""));
    let server = serve(&fixture);
    // Prepared beside the site, then moved into place: deterministic.
    fixture.put("static.new/new.txt", "brand new\n");
    fs::rename(
        fixture.root().join("static.new"),
        fixture.root().join("static"),
    )
    .unwrap();
    server.wait_for_text("/new.txt", "brand new");
}

#[test]
fn a_templates_folder_created_while_serving_is_used() {
    let fixture = SiteFixture::new().article("2026/02/a.md", md("A", "2026-02-01", ""));
    let server = serve(&fixture);
    // Prepared beside the site, then moved into place (a folder created in
    // place and filled at once only works while the file lands within the
    // watcher's debounce time; see the static/ test above).
    fixture.put(
        "templates.new/404.html",
        "<!DOCTYPE html><html><body><p>Custom missing page</p></body></html>\n",
    );
    fs::rename(
        fixture.root().join("templates.new"),
        fixture.root().join("templates"),
    )
    .unwrap();
    let r = server.wait_for("the custom 404 page", "/nope/", |r| {
        r.status == 404 && r.text().contains("Custom missing page")
    });
    assert!(r.text().contains("/__gazette/events"));
    // And it is watched from then on.
    fixture.put(
        "templates/404.html",
        "<!DOCTYPE html><html><body><p>Edited missing page</p></body></html>\n",
    );
    server.wait_for("the edited 404 page", "/nope/", |r| {
        r.status == 404 && r.text().contains("Edited missing page")
    });
}

//! A preview that never makes the editor wait: `gazette serve` answers
//! before its files are written (rendering the asked page from memory),
//! a template edit reloads the open page before the other pages are
//! written, and a people.yaml edit writes the pages that show the person
//! and nothing else. Each test runs the real binary on a fixture large
//! enough that the background work is still running when it asks.

use std::collections::BTreeSet;
use std::fs;
use std::time::{Duration, Instant};

use crate::common::{md_body, snapshot, Serving, SiteFixture};

/// Enough articles that writing every page takes a while (a debug build
/// renders a few hundred pages a second per core).
const ARTICLES: usize = 1500;

/// Article `n`'s file under content/ and its page.
fn article_at(n: usize) -> (String, String) {
    let month = 1 + n % 12;
    (
        format!("content/2025/{month:02}/a{n}.md"),
        format!("/2025/{month:02}/a{n}/"),
    )
}

/// A site of [`ARTICLES`] articles; the first three name Eve Adams, who
/// has an entry in data/people.yaml.
fn big_site() -> SiteFixture {
    let site = SiteFixture::new().file("data/people.yaml", "- name: Eve Adams\n  role: Envoy\n");
    for n in 0..ARTICLES {
        let (file, _) = article_at(n);
        let people = if n < 3 {
            "people: [Eve Adams, Tom Reed]\n"
        } else {
            "people: [Tom Reed]\n"
        };
        let date = format!("2025-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        let body = format!("The body of story number {n}, with a few more words.\n");
        site.put(&file, md_body(&format!("Story {n}"), &date, people, &body));
    }
    site
}

/// How many stderr lines so far start with `prefix`.
fn lines(server: &Serving, prefix: &str) -> usize {
    server.process.count_lines(prefix)
}

#[test]
fn a_page_asked_before_its_file_is_written_is_served_whole_from_memory() {
    let site = big_site();
    let out = site.out();
    let mut server = Serving::start_early(
        site.root(),
        &[
            "serve",
            "-r",
            ".",
            "-p",
            "0",
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    let (_, page) = article_at(7);
    let early = server.get(&page);
    let home = server.get("/");
    let written_then = lines(&server, "files written");
    assert_eq!(early.status, 200, "{}", early.text());
    assert_eq!(home.status, 200, "{}", home.text());
    assert_eq!(
        written_then, 0,
        "the pages were written before they were asked: the fixture is too small to catch the background work"
    );
    assert!(
        early.text().contains("<h1>Story 7</h1>"),
        "{}",
        early.text()
    );
    assert!(early.text().contains("The body of story number 7,"));
    assert!(early.text().trim_end().ends_with("</html>"));
    assert!(
        home.text().contains("Story 11"),
        "the newest story is listed"
    );

    server.process.wait_for_line("the `site ready` line", |l| {
        l.starts_with("site ready").then_some(())
    });
    // The page from memory is the page the files hold.
    let late = server.get(&page);
    assert_eq!(early.text(), late.text(), "memory and disk differ");
    let on_disk = fs::read_to_string(out.join(&page[1..]).join("index.html")).unwrap();
    assert!(late
        .text()
        .starts_with(on_disk.split("</body>").next().unwrap()));
}

#[test]
fn a_template_edit_reloads_the_open_page_while_the_other_pages_are_written() {
    let site = big_site();
    let server = Serving::start(site.root(), &site.out(), &[]);
    let (_, open_page) = article_at(7);
    let (_, other_page) = article_at(8);
    let mut events = server.events_for(&open_page);
    let written_before = lines(&server, "files written");

    let template = gazette::DEFAULT_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "article.html")
        .map(|(_, text)| *text)
        .unwrap();
    let marked = template.replacen("<article", "<article data-edit=\"tpl-marker\"", 1);
    assert_ne!(marked, template, "article.html has an <article> tag");
    let saved = Instant::now();
    site.put("templates/article.html", &marked);

    let event = events
        .next_event(Duration::from_secs(60))
        .unwrap_or_else(|| panic!("no reload event; events {:?}", events.seen));
    assert_eq!(event.event, "reload");
    let reloaded = server.get(&open_page);
    let other = server.get(&other_page);
    let pending = lines(&server, "files written") == written_before;
    eprintln!("reload event {:?} after the save", saved.elapsed());
    assert!(
        reloaded.text().contains("tpl-marker"),
        "{}",
        reloaded.text()
    );
    // A page not written yet is rendered with the new template, never the old.
    assert!(other.text().contains("tpl-marker"));
    assert!(
        pending,
        "the open page was reloaded only after every page was written"
    );

    poll_written(&server, written_before);
    for n in [7, 8, ARTICLES - 1] {
        let (_, page) = article_at(n);
        let file = site.out().join(&page[1..]).join("index.html");
        assert!(
            fs::read_to_string(&file).unwrap().contains("tpl-marker"),
            "{page} on disk has the new template once written"
        );
    }
}

/// Waits until a `files written` line comes after the first `before`.
fn poll_written(server: &Serving, before: usize) {
    crate::common::poll_until(
        "a `files written` line after the edit",
        Duration::from_secs(120),
        || {
            if lines(server, "files written") > before {
                Ok(())
            } else {
                Err(server.process.stderr())
            }
        },
    );
}

#[test]
fn a_role_change_writes_the_persons_page_and_their_articles_and_nothing_else() {
    let site = big_site();
    let out = site.out();
    let server = Serving::start(site.root(), &out, &[]);
    let before = snapshot(&out);
    let written_before = lines(&server, "files written");

    site.put(
        "data/people.yaml",
        "- name: Eve Adams\n  role: Special Envoy\n",
    );
    let person = server.wait_for_text("/people/eve-adams/", "Special Envoy");
    assert_eq!(person.status, 200);
    let (_, her_article) = article_at(1);
    server.wait_for_text(&her_article, "Special Envoy");
    poll_written(&server, written_before);

    let after = snapshot(&out);
    let changed: BTreeSet<&str> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.as_str())
        .filter(|path| !path.starts_with(".gazette"))
        .collect();
    let expected: BTreeSet<String> = ["people/eve-adams/index.html".to_string()]
        .into_iter()
        .chain((0..3).map(|n| format!("{}index.html", &article_at(n).1[1..])))
        .collect();
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(changed, expected, "the files the role change rewrote");
    let line = server
        .process
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with("files written"))
        .nth(written_before)
        .unwrap();
    assert!(
        line.contains(&format!(": {} written, 0 removed", expected.len())),
        "{line}"
    );
    let rebuilt = server
        .process
        .stderr_lines()
        .into_iter()
        .find(|l| l.starts_with("rebuilt (data)"));
    assert!(rebuilt.is_some(), "{}", server.process.stderr());
}

/// Sets a file's modification time an hour back, as for a file saved long
/// before the preview started (the preview keeps only such files' articles
/// from one start to the next).
fn age(path: &std::path::Path) {
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

#[test]
fn a_restart_takes_in_what_changed_while_the_preview_was_stopped() {
    let site = SiteFixture::new();
    for n in 0..3 {
        site.put(
            &format!("content/a{n}.md"),
            crate::common::md(&format!("Story {n}"), "2026-01-05", "tags: [trade]\n"),
        );
        age(&site.root().join(format!("content/a{n}.md")));
    }
    let first = Serving::start(site.root(), &site.out(), &[]);
    assert!(first.get("/2026/01/a0/").text().contains("Story 0"));
    drop(first);
    // While it is stopped: one story edited, one deleted, one added.
    site.put(
        "content/a0.md",
        crate::common::md("Story zero, edited", "2026-01-05", "tags: [trade]\n"),
    );
    site.remove("content/a1.md");
    site.put(
        "content/a3.md",
        crate::common::md("Story 3", "2026-01-06", "tags: [trade]\n"),
    );
    let second = Serving::start(site.root(), &site.out(), &[]);
    assert!(second
        .get("/2026/01/a0/")
        .text()
        .contains("Story zero, edited"));
    assert_eq!(second.get("/2026/01/a1/").status, 404);
    assert!(second.get("/2026/01/a2/").text().contains("Story 2"));
    let tag = second.get("/tags/trade/").text();
    assert!(tag.contains("Story zero, edited") && tag.contains("Story 3"));
    assert!(!tag.contains("Story 1<"), "{tag}");
}

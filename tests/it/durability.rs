//! Long runs and rough handling: a build killed at any moment leaves every
//! file old or new, and `serve` keeps going when content/ is deleted and
//! made again, is a symlink, when a file turns into a folder or a FIFO, and
//! through a git checkout of thousands of files; each time the served
//! output settles to a clean build of the same files.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gazette::{LoadOptions, Site};

use crate::common::{md, poll_until, snapshot, Rng, Serving, SiteFixture, PATIENCE};

/// A clean build of the site in `root` as the preview at `url` builds it.
fn clean_build(root: &Path, url: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let options = LoadOptions {
        base_url: Some(url.to_string()),
        ..LoadOptions::default()
    };
    let site = Site::load(root, &options).unwrap_or_else(|e| panic!("{e}"));
    site.build(out.path(), false)
        .unwrap_or_else(|e| panic!("{e}"));
    snapshot(out.path())
}

/// Every file under `dir` with its bytes, or why not (the server may be
/// replacing a file while it is read).
fn try_snapshot(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    crate::common::list_files(dir)
        .into_iter()
        .map(|rel| match fs::read(dir.join(&rel)) {
            Ok(bytes) => Ok((rel, bytes)),
            Err(e) => Err(format!("{rel}: {e}")),
        })
        .collect()
}

/// Waits until the server's output equals a clean build of its files.
#[track_caller]
fn assert_settles(server: &mut Serving, site: &SiteFixture, what: &str) {
    poll_until(
        &format!("the output to settle after {what}"),
        PATIENCE * 2,
        || {
            let served = try_snapshot(&site.out())?;
            let clean = clean_build(site.root(), &server.url);
            if served == clean {
                return Ok(());
            }
            let differ: Vec<&String> = clean
                .keys()
                .chain(served.keys())
                .filter(|k| served.get(*k) != clean.get(*k))
                .take(5)
                .collect();
            Err(format!("differs in {differ:?}"))
        },
    );
    assert!(
        server.process.is_running(),
        "the server still runs after {what}"
    );
}

fn article(n: usize) -> String {
    md(
        &format!("Story {n}"),
        &format!("2026-01-{:02}", 1 + n % 28),
        &format!("people: [Person {}]\n", n % 7),
    )
}

#[test]
fn content_deleted_and_made_again_is_followed() {
    let site = (0..5).fold(SiteFixture::new(), |s, n| {
        s.article(&format!("a{n}.md"), article(n))
    });
    let mut server = Serving::start(site.root(), &site.out(), &[]);
    assert_settles(&mut server, &site, "the start");
    fs::remove_dir_all(site.root().join("content")).unwrap();
    assert_settles(&mut server, &site, "deleting content/");
    for n in 10..13 {
        site.put(&format!("content/b{n}.md"), article(n));
    }
    assert_settles(&mut server, &site, "making content/ again");
    site.put("content/b10.md", article(99));
    assert_settles(&mut server, &site, "an edit in the new content/");
}

#[test]
fn content_as_a_symlink_is_watched_through_it() {
    let real = tempfile::tempdir().unwrap();
    for n in 0..3 {
        fs::write(real.path().join(format!("a{n}.md")), article(n)).unwrap();
    }
    let site = SiteFixture::new();
    std::os::unix::fs::symlink(real.path(), site.root().join("content")).unwrap();
    let mut server = Serving::start(site.root(), &site.out(), &[]);
    assert_settles(&mut server, &site, "the start");
    fs::write(real.path().join("a1.md"), article(41)).unwrap();
    assert_settles(&mut server, &site, "an edit behind the symlink");
    fs::write(real.path().join("new.md"), article(42)).unwrap();
    assert_settles(&mut server, &site, "a new file behind the symlink");
}

#[test]
fn a_file_turning_into_a_folder_or_a_fifo_is_taken_in() {
    let site = (0..4).fold(SiteFixture::new(), |s, n| {
        s.article(&format!("a{n}.md"), article(n))
    });
    let mut server = Serving::start(site.root(), &site.out(), &[]);
    assert_settles(&mut server, &site, "the start");
    // a1.md becomes a folder holding an article.
    site.remove("content/a1.md");
    site.put("content/a1.md/inner.md", article(51));
    assert_settles(&mut server, &site, "a file turning into a folder");
    // a2.md becomes a FIFO: reading it would wait for a writer forever.
    site.remove("content/a2.md");
    let fifo = site.root().join("content/a2.md");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    assert_settles(&mut server, &site, "a file turning into a FIFO");
    site.put("content/a3.md", article(53));
    assert_settles(&mut server, &site, "an edit after the FIFO");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_git_checkout_of_thousands_of_files_settles_to_a_clean_build() {
    const N: usize = 2000;
    let site = SiteFixture::new();
    for n in 0..N {
        site.put(&format!("content/{}/a{n}.md", n % 20), article(n));
    }
    git(site.root(), &["init", "-q", "-b", "one"]);
    fs::write(site.root().join(".gitignore"), "public/\n").unwrap();
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-q", "-m", "one"]);
    git(site.root(), &["checkout", "-q", "-b", "two"]);
    let mut rng = Rng(2026);
    for n in 0..N {
        let rel = format!("content/{}/a{n}.md", n % 20);
        match rng.below(4) {
            0 => site.remove(&rel),
            _ => site.put(&rel, article(n + 7)),
        }
    }
    for n in N..N + 300 {
        site.put(&format!("content/new/a{n}.md"), article(n));
    }
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-q", "-m", "two"]);
    git(site.root(), &["checkout", "-q", "one"]);
    let mut server = Serving::start(site.root(), &site.out(), &[]);
    assert_settles(&mut server, &site, "the start");
    git(site.root(), &["checkout", "-q", "two"]);
    assert_settles(&mut server, &site, "checking out the other branch");
    git(site.root(), &["checkout", "-q", "one"]);
    assert_settles(&mut server, &site, "checking out the first branch again");
}

/// Every file under `dir`, gazette's manifest included.
fn pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir)
}

#[test]
fn a_build_killed_at_any_moment_leaves_every_file_old_or_new() {
    const N: usize = 2500;
    let site = SiteFixture::new();
    for n in 0..N {
        site.put(&format!("content/{}/a{n}.md", n % 30), article(n));
    }
    let run = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "-o"])
            .arg(out)
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gazette")
    };
    let work = tempfile::tempdir().unwrap();
    let old_out = work.path().join("old");
    assert!(run(&old_out).wait().unwrap().success());
    let old = pages(&old_out);
    for n in 0..N {
        site.put(&format!("content/{}/a{n}.md", n % 30), article(n + 1));
    }
    let new_out = work.path().join("new");
    let started = Instant::now();
    assert!(run(&new_out).wait().unwrap().success());
    let full = started.elapsed();
    let new = pages(&new_out);
    let mut rng = Rng(7);
    let mut interrupted = 0;
    for trial in 0..6 {
        let out = work.path().join(format!("trial-{trial}"));
        let copied = Command::new("cp")
            .arg("-a")
            .arg(&old_out)
            .arg(&out)
            .status()
            .unwrap();
        assert!(copied.success());
        let mut child = run(&out);
        let at = Duration::from_micros(rng.below(full.as_micros() as usize) as u64);
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        for (rel, bytes) in pages(&out) {
            // A file being written when the build died is a hidden temporary
            // beside the file it was to replace: the next build replaces it.
            if rel.ends_with(".gazette-new") {
                continue;
            }
            let is_old = old.get(&rel) == Some(&bytes);
            let is_new = new.get(&rel) == Some(&bytes);
            assert!(
                is_old || is_new,
                "trial {trial}, killed at {at:?}: {rel} is neither old nor new"
            );
        }
        // The next build finishes the job and leaves nothing stray.
        assert!(run(&out).wait().unwrap().success(), "trial {trial}");
        assert_eq!(
            pages(&out),
            new,
            "trial {trial}: the next build is the new site"
        );
        let beside: Vec<String> = fs::read_dir(work.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!("trial-{trial}")) && *n != format!("trial-{trial}"))
            .collect();
        assert!(
            beside.is_empty(),
            "trial {trial}: left beside the output: {beside:?}"
        );
        let inside_stray: Vec<String> = crate::common::list_files(&out)
            .into_iter()
            .filter(|f| !new.contains_key(f))
            .collect();
        assert!(inside_stray.is_empty(), "trial {trial}: {inside_stray:?}");
    }
    assert!(
        interrupted >= 3,
        "only {interrupted} of 6 builds were killed while running"
    );
}

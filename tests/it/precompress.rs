//! `gazette build --precompress`: a `.gz` and a `.br` beside every text
//! file, each the file's own bytes compressed, made again exactly when the
//! file changes, removed with it, and gone after a build without the flag.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::common::{md, snapshot, stderr, SiteFixture};

fn site() -> SiteFixture {
    SiteFixture::new()
        .article(
            "2026/02/talks.md",
            md(
                "Talks open in Geneva",
                "2026-02-21",
                "people: [\"Emmanuel Macron\"]\n",
            ),
        )
        .article(
            "2026/02/summit.md",
            md(
                "A summit in Paris",
                "2026-02-22",
                "countries: [\"France\"]\n",
            ),
        )
}

#[track_caller]
fn build(fixture: &SiteFixture, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut all = vec!["build", "-q"];
    all.extend_from_slice(args);
    let out = fixture.gazette(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    snapshot(&fixture.out())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("brotli");
    out
}

/// Every text file has both siblings, each its bytes; nothing else has any.
#[track_caller]
fn assert_siblings(files: &BTreeMap<String, Vec<u8>>) {
    let mut texts = 0;
    for (path, bytes) in files {
        if path.ends_with(".gz") || path.ends_with(".br") || path.starts_with(".gazette") {
            let source = &path[..path.len() - 3];
            assert!(
                path.starts_with(".gazette") || files.contains_key(source),
                "{path} without {source}"
            );
            continue;
        }
        let text = [".html", ".css", ".js", ".xml", ".json", ".svg", ".txt"]
            .iter()
            .any(|e| path.ends_with(e));
        let (gz, br) = (
            files.get(&format!("{path}.gz")),
            files.get(&format!("{path}.br")),
        );
        if text {
            texts += 1;
            assert_eq!(
                gunzip(gz.unwrap_or_else(|| panic!("no {path}.gz"))),
                *bytes,
                "{path}.gz"
            );
            assert_eq!(
                unbrotli(br.unwrap_or_else(|| panic!("no {path}.br"))),
                *bytes,
                "{path}.br"
            );
        } else {
            assert!(gz.is_none() && br.is_none(), "{path} is not text");
        }
    }
    assert!(texts > 20, "{texts} text files");
}

fn mtime(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn every_text_file_gets_siblings_that_follow_it() {
    let fixture = site().file("static/logo.png", b"\x89PNG not really");
    let first = build(&fixture, &["--precompress"]);
    assert_siblings(&first);
    assert!(first.contains_key("index.html.br") && first.contains_key("theme.css.gz"));
    assert!(!first.contains_key("logo.png.gz"));

    fixture.put(
        "content/2026/02/talks.md",
        md(
            "Talks resume in Geneva",
            "2026-02-21",
            "people: [\"Emmanuel Macron\"]\n",
        ),
    );
    fixture.remove("content/2026/02/summit.md");
    fixture.put(
        "content/2026/02/new.md",
        md("A new story", "2026-02-23", ""),
    );
    let second = build(&fixture, &["--precompress"]);
    assert_siblings(&second);
    assert!(
        !second.keys().any(|k| k.contains("summit/")),
        "a removed page's siblings go with it"
    );
    let talks = String::from_utf8(gunzip(&second["2026/02/talks/index.html.gz"])).unwrap();
    assert!(talks.contains("Talks resume in Geneva"));
    let unchanged = fixture.out().join("people/emmanuel-macron/atom.xml.gz");
    let stamp = mtime(&unchanged);
    std::thread::sleep(std::time::Duration::from_millis(20));
    build(&fixture, &["--precompress"]);
    assert_eq!(
        mtime(&unchanged),
        stamp,
        "an unchanged file's sibling is not written again"
    );

    let plain = build(&fixture, &[]);
    assert!(
        !plain
            .keys()
            .any(|k| k.ends_with(".gz") || k.ends_with(".br")),
        "a build without the flag removes them"
    );
}

#[test]
fn precompress_and_watch_are_refused_together() {
    let fixture = site();
    let out = fixture.gazette(&["build", "--precompress", "--watch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

//! A whole build of a one-article site whose article is the input: a
//! built site or an error, never a panic, and no page holding a character
//! HTML forbids.
#![no_main]

use gazette::{LoadOptions, Site};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    std::fs::write(root.join("content/a.md"), bytes).unwrap();
    let Ok(site) = Site::load(&root, &LoadOptions::default()) else {
        return;
    };
    let out = dir.path().join("out");
    if site.build(&out, false).is_err() {
        return;
    }
    for entry in walk(&out) {
        let text = std::fs::read(&entry).unwrap();
        let Ok(text) = std::str::from_utf8(&text) else {
            continue; // a copied file
        };
        assert!(
            !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{}",
            entry.display()
        );
    }
});

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

//! The output's commits: held and staged files, and the manifest's
//! journal as a narrow rebuild leaves it.

use super::*;

/// A temporary folder holding a site folder (`site`) and the path of its
/// output (`out`, not made yet).
fn site_and_output() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (root, out) = (tmp.path().join("site"), tmp.path().join("out"));
    fs::create_dir_all(&root).unwrap();
    (tmp, root, out)
}

#[test]
fn a_rebuild_past_its_memory_budget_stages_the_rest() {
    let (tmp, root, out) = site_and_output();
    let first = Output::open(&out, &root, false).unwrap();
    first.write("/a/", b"old a", 0).unwrap();
    first.write("/b/", b"old b", 0).unwrap();
    first.commit().unwrap();

    let mut second = Output::open(&out, &root, false).unwrap();
    second.held_budget = 6;
    second.write("/a/", b"new a!", 0).unwrap();
    second.write("/b/", b"new b!", 0).unwrap();
    second.write("/c/d/", b"new c", 0).unwrap();
    assert_eq!(second.held.lock().unwrap().len(), 1);
    assert_eq!(second.staged.lock().unwrap().len(), 2);
    let stats = second.commit().unwrap();

    assert_eq!((stats.written, stats.files), (3, 3));
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    assert_eq!(read("a/index.html"), "new a!");
    assert_eq!(read("b/index.html"), "new b!");
    assert_eq!(read("c/d/index.html"), "new c");
    assert!(!tmp.path().join(".out.gazette-staging").exists());
    let mut names: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gazette"))
        .collect();
    names.sort();
    assert_eq!(names, [MANIFEST]);
}

#[test]
fn a_folder_taken_for_made_is_made_when_its_file_is_written() {
    let (tmp, root, out) = site_and_output();
    let output = Output::open(&out, &root, false).unwrap();
    // As if another folder's path had the same hash as these.
    let staging = output.staging.clone();
    for dir in [staging.join("x"), staging.join("x/y")] {
        output.made_dirs.lock().unwrap().insert(path_hash(&dir));
    }
    output.write("/x/y/", b"page", 0).unwrap();
    let photo = tmp.path().join("photo.jpg");
    fs::write(&photo, b"jpeg").unwrap();
    let hashed = (4, xxhash_rust::xxh3::xxh3_64(b"jpeg"));
    output
        .made_dirs
        .lock()
        .unwrap()
        .insert(path_hash(&staging.join("p")));
    output.link("/p/photo.jpg", &photo, hashed, 0).unwrap();
    output.commit().unwrap();
    assert_eq!(
        fs::read_to_string(out.join("x/y/index.html")).unwrap(),
        "page"
    );
    assert_eq!(fs::read_to_string(out.join("p/photo.jpg")).unwrap(), "jpeg");
}

#[test]
fn a_rebuild_of_a_few_files_appends_to_the_journal_until_folded() {
    let (_tmp, root, out) = site_and_output();
    let first = Output::open(&out, &root, false).unwrap();
    for n in 0..200 {
        first.write(&format!("/p{n}/"), b"old", 1).unwrap();
    }
    first.commit().unwrap();
    let whole = fs::read_to_string(out.join(MANIFEST)).unwrap();

    let (known, removed) = {
        let narrow = Output::open(&out, &root, false).unwrap();
        narrow.keep_previous();
        narrow.write("/p3/", b"new!", 2).unwrap();
        narrow.forget("/p4/");
        let (stats, known) = narrow.commit_known().unwrap();
        (known, stats.removed)
    };
    assert_eq!(removed, 1);
    let after = fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(after == whole, "not rewritten");
    assert!(out.join(manifest::JOURNAL).exists());
    assert!(!out.join("p4/index.html").exists());
    let read = manifest::read(&out).unwrap().files;
    assert_eq!(read.len(), 199);
    assert_eq!(read["p3/index.html"], Stamp::of(b"new!", 2));

    // The next pass opens with the manifest in memory, then folds it.
    let mut known = known;
    let again = Output::open_known(&out, &root, false, known.take()).unwrap();
    assert_eq!(again.previous, read);
    again.abort();
    fold_journal(&out, &mut known).unwrap();
    assert!(!out.join(manifest::JOURNAL).exists());
    assert_eq!(manifest::read(&out).unwrap().files, read);
}

#[test]
fn manifest_paths_must_stay_inside() {
    assert!(is_safe_relative("a/b.html"));
    assert!(!is_safe_relative("../x"));
    assert!(!is_safe_relative("/etc/passwd"));
    assert!(!is_safe_relative(""));
}

//! Valid HTML, by the W3C Nu HTML Checker (npm package `vnu-jar`, run with
//! the machine's Java): the example site and a generated 1,000-article
//! archive give no error. `.ci/run` installs the checker under
//! `target/ci-tools/`; `VNU_JAR` names another jar. Without Java or the jar
//! the test fails on CI (`CI=true`) and is skipped with a notice elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use gazette::{LoadOptions, Site};

const DEFAULT_JAR: &str = "target/ci-tools/node_modules/vnu-jar/build/dist/vnu.jar";

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Fails on CI, or prints why the test is skipped.
fn missing(what: &str) -> Option<PathBuf> {
    let message = format!("the HTML validity test needs {what}");
    if on_ci() {
        panic!("{message}; CI must install it (see .ci/run)");
    }
    eprintln!("skipped: {message}");
    None
}

fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_JAR),
        PathBuf::from,
    );
    if jar.is_file() {
        Some(jar)
    } else {
        missing(&format!(
            "the Nu checker at {} (npm install vnu-jar)",
            jar.display()
        ))
    }
}

fn java() -> Option<PathBuf> {
    match Command::new("java").arg("-version").output() {
        Ok(out) if out.status.success() => Some(PathBuf::from("java")),
        _ => missing("a Java runtime (apt-get install default-jre-headless)"),
    }
}

fn build(root: &Path, out: &Path) {
    let site = Site::load(root, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    site.build(out, false).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_example_site_and_a_generated_archive_are_valid_html() {
    let (Some(java), Some(jar)) = (java(), vnu_jar()) else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let example = work.path().join("example");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &example);
    let mut checked = vec![example];
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus");
    if generator.is_file() {
        let corpus = work.path().join("corpus");
        let made = Command::new(&generator)
            .args(["--articles", "1000", "--out"])
            .arg(&corpus)
            .output()
            .expect("run gen-corpus");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let archive = work.path().join("archive");
        build(&corpus, &archive);
        checked.push(archive);
    } else if on_ci() {
        panic!("no corpus generator at {}", generator.display());
    } else {
        eprintln!(
            "note: no {}: only the example site is checked",
            generator.display()
        );
    }
    let report = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html"])
        .args(&checked)
        .output()
        .expect("run the Nu checker");
    let errors = String::from_utf8_lossy(&report.stderr);
    assert!(
        report.status.success() && errors.trim().is_empty(),
        "the Nu checker found errors:\n{}",
        errors.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}

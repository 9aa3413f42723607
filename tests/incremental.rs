//! Property test: after any sequence of edits, the output of the live
//! (incremental) rebuild is byte-identical to a clean full build of the same
//! files — pages, copied files and the manifest alike.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gazette::live::Live;
use gazette::{LoadOptions, Site};

/// A small deterministic generator (xorshift), so failures replay exactly.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PEOPLE: &[&str] = &[
    "Ann Lee",
    "Bo Chen",
    "Carla Díaz",
    "Dmytro Koval",
    "Eve Adams",
    "ann  lee",
    "Łukasz Żółć",
];
const COUNTRIES: &[&str] = &["Ukraine", "France", "Poland", "Germany", "Italy"];
const TAGS: &[&str] = &["security", "energy", "C++", "C#", "trade"];

fn article(rng: &mut Rng, n: usize) -> String {
    let mut names = |pool: &[&str], max: usize| {
        let k = rng.below(max + 1);
        (0..k)
            .map(|_| format!("\"{}\"", rng.pick(pool)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let people = names(PEOPLE, 3);
    let countries = names(COUNTRIES, 2);
    let tags = names(TAGS, 2);
    let (month, day, hour) = (1 + rng.below(4), 1 + rng.below(27), rng.below(24));
    let year = 2025 + rng.below(2);
    let summary = if rng.below(3) == 0 {
        String::new()
    } else {
        format!("summary: \"Summary {n}\"\n")
    };
    let draft = if rng.below(10) == 0 {
        "draft: true\n"
    } else {
        ""
    };
    format!(
        "---\ntitle: \"Article {n} <b>\"\ndate: {year}-{month:02}-{day:02}T{hour:02}:00:00Z\npeople: [{people}]\ncountries: [{countries}]\ntags: [{tags}]\n{summary}{draft}---\nFirst paragraph {n}.\n\nBody {}.\n",
        rng.next() % 1000
    )
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Every file under `dir`, relative path -> bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn clean_build(root: &Path, out: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    let site = Site::load(root, &LoadOptions::default()).map_err(|e| e.to_string())?;
    site.build(out, false).map_err(|e| e.to_string())?;
    Ok(())
}

fn assert_same(live_out: &Path, clean_out: &Path, step: &str) {
    let live = snapshot(live_out);
    let clean = snapshot(clean_out);
    let live_files: Vec<_> = live.keys().collect();
    let clean_files: Vec<_> = clean.keys().collect();
    assert_eq!(live_files, clean_files, "file sets differ after {step}");
    for (path, bytes) in &clean {
        if live[path] != *bytes {
            let (l, c) = (
                String::from_utf8_lossy(&live[path]),
                String::from_utf8_lossy(bytes),
            );
            let diff: Vec<String> = l
                .lines()
                .zip(c.lines())
                .filter(|(a, b)| a != b)
                .take(5)
                .map(|(a, b)| format!("live:  {a}\nclean: {b}"))
                .collect();
            panic!("{path} differs after {step}:\n{}", diff.join("\n"));
        }
    }
}

/// One random edit of the site; returns the paths touched and a description.
fn edit(rng: &mut Rng, root: &Path, next_id: &mut usize) -> (Vec<PathBuf>, String) {
    let content = root.join("content");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let target = files[rng.below(files.len())].clone();
    let text = fs::read_to_string(&target).unwrap();
    match rng.below(10) {
        0 => {
            fs::write(&target, format!("{text}\nMore body {}.\n", rng.next())).unwrap();
            (vec![target], "body edit".into())
        }
        1 => {
            let new = text.replacen("title: \"", &format!("title: \"T{} ", rng.below(100)), 1);
            fs::write(&target, new).unwrap();
            (vec![target], "title edit".into())
        }
        2 | 3 => {
            *next_id += 1;
            let n = *next_id;
            fs::write(&target, article(rng, n)).unwrap();
            (
                vec![target],
                "metadata rewrite (people, countries, tags, date)".into(),
            )
        }
        4 => {
            *next_id += 1;
            let path = content.join(format!("new/a{}.md", *next_id));
            write(&path, &article(rng, *next_id));
            (vec![path], "new file".into())
        }
        5 if files.len() > 3 => {
            fs::remove_file(&target).unwrap();
            (vec![target], "deleted file".into())
        }
        6 => {
            let to = target.with_file_name(format!("renamed-{}.md", rng.below(1000)));
            fs::rename(&target, &to).unwrap();
            (vec![target, to], "renamed file".into())
        }
        7 => {
            let tpl = root.join("templates/article.html");
            let base = gazette::templates::DEFAULT_TEMPLATES
                .iter()
                .find(|(n, _)| *n == "article.html")
                .unwrap()
                .1;
            let marked = base.replace(
                "<article class=\"article\">",
                &format!("<article class=\"article v{}\">", rng.below(5)),
            );
            write(&tpl, &marked);
            (vec![tpl], "template edit".into())
        }
        8 => {
            let file = root.join(format!("static/s{}.txt", rng.below(3)));
            if file.exists() && rng.below(2) == 0 {
                fs::remove_file(&file).unwrap();
                (vec![file], "static delete".into())
            } else {
                write(&file, &format!("static {}", rng.next()));
                (vec![file], "static write".into())
            }
        }
        _ => {
            let file = content.join(format!("2025/img{}.png", rng.below(2)));
            if file.exists() && rng.below(2) == 0 {
                fs::remove_file(&file).unwrap();
                (vec![file], "asset delete".into())
            } else {
                write(&file, &format!("png {}", rng.next()));
                (vec![file], "asset write".into())
            }
        }
    }
}

fn run_property(seed: u64, articles: usize, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let live_out = dir.path().join("live-out");
    let clean_out = dir.path().join("clean-out");
    let mut rng = Rng(seed);
    write(
        &root.join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\nper_page = 3\n",
    );
    for n in 0..articles {
        let path = root.join(format!("content/{}/a{n}.md", 2025 + n % 2));
        write(&path, &article(&mut rng, n));
    }
    let mut next_id = articles;
    let mut live = Live::new(&root, &live_out, LoadOptions::default(), false);
    live.full_build().expect("initial build");
    clean_build(&root, &clean_out).unwrap();
    assert_same(&live_out, &clean_out, "initial build");
    let mut routes = std::collections::BTreeSet::new();
    for step in 0..steps {
        let (paths, what) = edit(&mut rng, &root, &mut next_id);
        let label = format!("step {step} (seed {seed}): {what} {paths:?}");
        let live_result = live.rebuild(&paths);
        match clean_build(&root, &clean_out) {
            Ok(()) => {
                let r = live_result.unwrap_or_else(|e| {
                    panic!("live rebuild failed but clean build passed at {label}: {e}")
                });
                routes.insert(r.route);
                assert_same(&live_out, &clean_out, &label);
            }
            Err(_) => assert!(
                live_result.map_or(true, |r| !r.errors.is_empty()),
                "clean build failed but live passed at {label}"
            ),
        }
    }
    // The narrow routes are the ones worth checking: make sure they ran.
    for route in ["body", "metadata", "copy", "templates"] {
        assert!(
            routes.contains(route),
            "route {route} never taken (seed {seed}): {routes:?}"
        );
    }
}

#[test]
fn incremental_output_equals_clean_build_seed_1() {
    run_property(0x9E37_79B9_7F4A_7C15, 24, 40);
}

#[test]
fn incremental_output_equals_clean_build_seed_2() {
    run_property(0xD1B5_4A32_D192_ED03, 12, 40);
}

#[test]
fn body_edit_renders_only_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    write(
        &root.join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    );
    let mut rng = Rng(7);
    for n in 0..5 {
        write(
            &root.join(format!("content/a{n}.md")),
            &article(&mut rng, n),
        );
    }
    let target = root.join("content/a0.md");
    let text = fs::read_to_string(&target)
        .unwrap()
        .replace("draft: true\n", "");
    fs::write(&target, &text).unwrap();
    let mut live = Live::new(&root, &out, LoadOptions::default(), false);
    live.full_build().unwrap();
    fs::write(&target, format!("{text}\nA new closing line.\n")).unwrap();
    let r = live.rebuild(&[target]).unwrap();
    assert_eq!(r.route, "body");
    assert_eq!(r.files.written, 1, "{r:?}");
}

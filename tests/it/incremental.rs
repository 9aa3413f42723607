//! Property test: after any sequence of edits, the output of the live
//! (incremental) rebuild is byte-identical to a clean full build of the same
//! files — pages, copied files and the manifest alike.

use std::fs;
use std::path::{Path, PathBuf};

use gazette::{Live, LoadOptions, Route, Site};

use crate::common::{assert_same_files, snapshot, Rng, SiteFixture};
use crate::photos::jpeg;

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
    // Some articles show one of the two photos under static/.
    let image = match rng.below(4) {
        0 => format!(
            "image: {{src: /p{}.jpg, alt: Photo}}\npictured: [\"{}\"]\n",
            rng.below(2),
            rng.pick(PEOPLE)
        ),
        _ => String::new(),
    };
    // And some have one in the body, alone in its paragraph.
    let body_photo = match rng.below(5) {
        0 => format!("![Photo](/p{}.jpg \"Caption {n}\")\n\n", rng.below(2)),
        _ => String::new(),
    };
    // Some are part of a story, spelt one way or another: an edit moves an
    // article into a story, out of it, or to another. (With this draw, seed
    // 2 makes the only article showing /p0.jpg stop or start showing it in
    // a burst: the original's publishing must follow.)
    let story = match rng.below(3) {
        0 => "story: \"Peace talks\"\n",
        1 => "story: \"peace  TALKS\"\n",
        _ => "",
    };
    // Some were corrected: an edit moves an article onto /corrections/,
    // off it, or changes its correction.
    let corrections = match rng.below(4) {
        0 => format!(
            "corrections: [{{date: \"2026-06-1{}\", text: \"Fixed <i>{n}</i>\"}}]\n",
            rng.below(9)
        ),
        _ => String::new(),
    };
    format!(
        "---\ntitle: \"Article {n} <b>\"\ndate: {year}-{month:02}-{day:02}T{hour:02}:00:00Z\npeople: [{people}]\ncountries: [{countries}]\ntags: [{tags}]\n{summary}{draft}{image}{corrections}{story}---\nFirst paragraph {n}.\n\n{body_photo}Body {}.\n",
        rng.next() % 1000
    )
}

/// Writes `rel` under the site's root and returns its path, as a watcher
/// would report it.
fn put(site: &SiteFixture, rel: &str, text: &str) -> PathBuf {
    site.put(rel, text);
    site.root().join(rel)
}

/// The two photos that articles may show.
fn put_photos(site: &SiteFixture) {
    for k in 0..2 {
        site.put(&format!("static/p{k}.jpg"), jpeg(64, 48, k, &[]));
    }
}

/// [`put`] for bytes.
fn put_bytes(site: &SiteFixture, rel: &str, bytes: &[u8]) -> PathBuf {
    site.put(rel, bytes);
    site.root().join(rel)
}

fn clean_build(root: &Path, out: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    let site = Site::load(root, &LoadOptions::default()).map_err(|e| e.to_string())?;
    site.build(out, false).map_err(|e| e.to_string())?;
    Ok(())
}

/// The live output equals the clean one, file for file and byte for byte.
#[track_caller]
fn assert_same(live_out: &Path, clean_out: &Path, step: &str) {
    let (live, clean) = (snapshot(live_out), snapshot(clean_out));
    let same = std::panic::catch_unwind(|| assert_same_files(&live, &clean));
    if let Err(e) = same {
        let why = e.downcast_ref::<String>().cloned().unwrap_or_default();
        panic!("after {step}: live (first) and clean (second) {why}");
    }
}

/// One random edit of the site; returns the paths touched and a description.
fn edit(rng: &mut Rng, site: &SiteFixture, next_id: &mut usize) -> (Vec<PathBuf>, String) {
    let content = site.root().join("content");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let target = files[rng.below(files.len())].clone();
    let text = fs::read_to_string(&target).unwrap();
    match rng.below(12) {
        11 => {
            // A photo replaced (now and then by one of another size).
            let rel = format!("static/p{}.jpg", rng.below(2));
            let (w, h) = if rng.below(3) == 0 {
                (48, 64)
            } else {
                (64, 48)
            };
            let file = put_bytes(site, &rel, &jpeg(w, h, rng.below(250) as u8, &[]));
            (vec![file], "photo replaced".into())
        }
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
            let path = put(
                site,
                &format!("content/new/a{}.md", *next_id),
                &article(rng, *next_id),
            );
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
            let base = gazette::DEFAULT_TEMPLATES
                .iter()
                .find(|(n, _)| *n == "article.html")
                .unwrap()
                .1;
            let marked = base.replace(
                "<article class=\"article\">",
                &format!("<article class=\"article v{}\">", rng.below(5)),
            );
            let tpl = put(site, "templates/article.html", &marked);
            (vec![tpl], "template edit".into())
        }
        8 => {
            let rel = format!("static/s{}.txt", rng.below(3));
            let file = site.root().join(&rel);
            if file.exists() && rng.below(2) == 0 {
                site.remove(&rel);
                (vec![file], "static delete".into())
            } else {
                let file = put(site, &rel, &format!("static {}", rng.next()));
                (vec![file], "static write".into())
            }
        }
        10 => data_edit(rng, site),
        _ => {
            let rel = format!("content/2025/img{}.png", rng.below(2));
            let file = site.root().join(&rel);
            if file.exists() && rng.below(2) == 0 {
                site.remove(&rel);
                (vec![file], "asset delete".into())
            } else {
                let file = put(site, &rel, &format!("png {}", rng.next()));
                (vec![file], "asset write".into())
            }
        }
    }
}

/// An edit of data/: a role, an alias that makes two people of the pool
/// one, a person's country, or a country shown by another name.
fn data_edit(rng: &mut Rng, site: &SiteFixture) -> (Vec<PathBuf>, String) {
    if rng.below(3) == 0 {
        let countries = match rng.below(2) {
            0 => "- code: FR\n  name: French Republic\n  aliases: [La France]\n".to_string(),
            _ => String::new(),
        };
        let file = put(site, "data/countries.yaml", &countries);
        return (vec![file], "countries.yaml edit".into());
    }
    let people = match rng.below(5) {
        0 => format!(
            "- name: Eve Adams\n  role: Envoy {}\n  country: Italy\n",
            rng.below(9)
        ),
        1 => {
            "- name: Eve Adams\n  aliases: [Bo Chen]\n  role: Envoy\n  country: Italy\n".to_string()
        }
        2 => format!(
            "- name: Eve Adams\n  role: Envoy\n  country: {}\n",
            rng.pick(COUNTRIES)
        ),
        3 => format!("{PEOPLE_YAML}  image: p{}.jpg\n", rng.below(2)),
        _ => PEOPLE_WITH_PORTRAIT.to_string(),
    };
    let file = put(site, "data/people.yaml", &people);
    (vec![file], "people.yaml edit".into())
}

/// A person of the directory whose profile links to a country of the pool:
/// the link comes and goes as edits mention that country or stop.
const PEOPLE_YAML: &str = "- name: Eve Adams\n  role: Envoy\n  country: Italy\n";

/// [`PEOPLE_YAML`] with a portrait: one of the photos that articles show,
/// so that replacing it changes her page as well as theirs.
const PEOPLE_WITH_PORTRAIT: &str = "- name: Eve Adams\n  role: Envoy\n  country: Italy\n  image: {src: /p0.jpg, alt: Eve Adams at a briefing}\n";

fn run_property(seed: u64, articles: usize, steps: usize) {
    let site = SiteFixture::new()
        .config("per_page = 3")
        .file("data/people.yaml", PEOPLE_WITH_PORTRAIT);
    let outs = tempfile::tempdir().unwrap();
    let (root, live_out) = (site.root(), outs.path().join("live-out"));
    let clean_out = outs.path().join("clean-out");
    let mut rng = Rng(seed);
    put_photos(&site);
    for n in 0..articles {
        site.put(
            &format!("content/{}/a{n}.md", 2025 + n % 2),
            article(&mut rng, n),
        );
    }
    let mut next_id = articles;
    let mut live = Live::new(root, &live_out, LoadOptions::default(), false);
    live.full_build().expect("initial build");
    live.settle().expect("the initial files are written");
    clean_build(root, &clean_out).unwrap();
    assert_same(&live_out, &clean_out, "initial build");
    let mut routes = std::collections::BTreeSet::new();
    let mut photo_edits = 0;
    for step in 0..steps {
        let (mut paths, mut what) = edit(&mut rng, &site, &mut next_id);
        // A burst: the next edit comes before the files of this one are
        // written, and stops the background work half way.
        if rng.below(3) == 0 {
            if let Ok(r) = live.rebuild(&paths) {
                routes.insert(r.route);
            }
            (paths, what) = edit(&mut rng, &site, &mut next_id);
            what = format!("burst, then {what}");
        }
        photo_edits += usize::from(what.contains("photo"));
        let label = format!("step {step} (seed {seed}): {what} {paths:?}");
        let live_result = live.rebuild(&paths).and_then(|r| live.settle().map(|()| r));
        match clean_build(root, &clean_out) {
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
    assert!(photo_edits > 0, "no photo was replaced (seed {seed})");
    // The narrow routes are the ones worth checking: make sure they ran.
    for route in [
        Route::Body,
        Route::Metadata,
        Route::Copy,
        Route::Templates,
        Route::Data,
    ] {
        assert!(
            routes.contains(&route),
            "route {route} never taken (seed {seed}): {routes:?}"
        );
    }
}

#[test]
fn incremental_output_equals_clean_build_seed_1() {
    run_property(0x9E37_79B9_7F4A_7C15, 24, 64);
}

#[test]
fn incremental_output_equals_clean_build_seed_2() {
    run_property(0xD1B5_4A32_D192_ED03, 12, 40);
}

#[test]
fn body_edit_renders_only_its_page() {
    let site = SiteFixture::new();
    put_photos(&site);
    let mut rng = Rng(7);
    for n in 0..5 {
        site.put(&format!("content/a{n}.md"), article(&mut rng, n));
    }
    let target = site.root().join("content/a0.md");
    let text = fs::read_to_string(&target)
        .unwrap()
        .replace("draft: true\n", "");
    site.put("content/a0.md", &text);
    let mut live = Live::new(site.root(), &site.out(), LoadOptions::default(), false);
    live.full_build().unwrap();
    live.settle().unwrap();
    site.put("content/a0.md", format!("{text}\nA new closing line.\n"));
    let r = live.rebuild(&[target]).unwrap();
    assert_eq!(r.route, Route::Body);
    assert_eq!(r.files.written, 1, "{r:?}");
}

/// A person's profile links to their country's page while that country has
/// articles: an edit of an article that does not name the person, but is
/// the first (or last) to name the country, changes the person's page.
#[test]
fn a_profile_follows_its_country_page_coming_and_going() {
    let site = SiteFixture::new()
        .file("data/people.yaml", PEOPLE_YAML)
        .article(
            "a.md",
            crate::common::md("A", "2026-01-05", "people: [Eve Adams]\n"),
        )
        .article(
            "b.md",
            crate::common::md("B", "2026-01-06", "tags: [trade]\n"),
        );
    let outs = tempfile::tempdir().unwrap();
    let (live_out, clean_out) = (outs.path().join("live"), outs.path().join("clean"));
    let mut live = Live::new(site.root(), &live_out, LoadOptions::default(), false);
    live.full_build().unwrap();
    live.settle().unwrap();
    let person = live_out.join("people/eve-adams/index.html");
    assert!(!fs::read_to_string(&person)
        .unwrap()
        .contains("/countries/italy/"));
    let b = site.root().join("content/b.md");
    for (step, countries) in [("Italy named", "countries: [Italy]\n"), ("Italy gone", "")] {
        site.put(
            "content/b.md",
            crate::common::md("B", "2026-01-06", countries),
        );
        let r = live.rebuild(std::slice::from_ref(&b)).unwrap();
        assert_eq!(r.route, Route::Metadata, "{step}");
        live.settle().unwrap();
        clean_build(site.root(), &clean_out).unwrap();
        assert_same(&live_out, &clean_out, step);
        let linked = fs::read_to_string(&person)
            .unwrap()
            .contains("/countries/italy/");
        assert_eq!(linked, !countries.is_empty(), "{step}");
    }
}

/// A static photo no article shows is published as it is; once an
/// article shows it, only its copies are, and the original leaves the
/// output, in the edit's own narrow write as in a clean build (and comes
/// back when the article stops showing it).
#[test]
fn a_photo_s_original_leaves_the_output_when_an_article_starts_showing_it() {
    let site = SiteFixture::new();
    put_photos(&site);
    let plain = "---\ntitle: Plain\ndate: 2026-01-02\n---\nBody.\n";
    let showing =
        "---\ntitle: Plain\ndate: 2026-01-02\nimage: {src: /p0.jpg, alt: Photo}\n---\nBody.\n";
    site.put("content/a.md", plain);
    let target = site.root().join("content/a.md");
    let mut live = Live::new(site.root(), &site.out(), LoadOptions::default(), false);
    live.full_build().unwrap();
    live.settle().unwrap();
    assert!(
        site.out().join("p0.jpg").is_file(),
        "shown by nothing: published"
    );
    let clean = tempfile::tempdir().unwrap();
    for (text, published) in [(showing, false), (plain, true)] {
        site.put("content/a.md", text);
        live.rebuild(std::slice::from_ref(&target)).unwrap();
        live.settle().unwrap();
        assert_eq!(site.out().join("p0.jpg").is_file(), published, "{text}");
        let out = clean.path().join(format!("clean-{published}"));
        clean_build(site.root(), &out).unwrap();
        assert_same(&site.out(), &out, text);
    }
}

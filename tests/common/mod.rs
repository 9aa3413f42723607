//! A small chainable harness for integration tests: lay out a site in a
//! temporary directory, build it (through the library or the `gazette`
//! binary), and look at the output the way a reader would.
//!
//! ```ignore
//! let built = SiteFixture::new()
//!     .config("per_page = 2")
//!     .article("2026/02/a.md", &md("A", "2026-02-01", "people: [Ann Lee]\n"))
//!     .build();
//! assert_eq!(built.article_titles("people/ann-lee/"), ["A"]);
//! ```
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use gazette::{BuildReport, Error, LoadOptions, Site};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The base URL fixtures use unless told otherwise.
pub const BASE: &str = "https://example.org/";

/// The text of an article file: front matter with `title` and `date`, any
/// `extra` YAML lines (each ending in `\n`), and a one-paragraph body.
pub fn md(title: &str, date: &str, extra: &str) -> String {
    md_body(title, date, extra, &format!("Body of {title}.\n"))
}

/// Like [`md`] with the given markdown body.
pub fn md_body(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\n{extra}---\n{body}",
        yaml_str(title)
    )
}

/// A YAML double-quoted scalar.
pub fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A site being laid out in a temporary directory. Files are written as soon
/// as they are added, so a fixture can be changed between builds.
pub struct SiteFixture {
    dir: TempDir,
    base_url: String,
    extra_config: String,
    options: LoadOptions,
}

impl Default for SiteFixture {
    fn default() -> Self {
        Self::new()
    }
}

impl SiteFixture {
    /// An empty site: a site.toml with a title and [`BASE`], nothing else.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("gazette-test-")
            .tempdir()
            .expect("create a temp dir");
        let fixture = SiteFixture {
            dir,
            base_url: BASE.into(),
            extra_config: String::new(),
            options: LoadOptions::default(),
        };
        fixture.write_config();
        fixture
    }

    fn write_config(&self) {
        let text = format!(
            "title = \"Test Gazette\"\nbase_url = \"{}\"\n{}",
            self.base_url, self.extra_config
        );
        self.put("site.toml", text);
    }

    /// Adds top-level lines to site.toml (`per_page = 2`).
    pub fn config(mut self, lines: &str) -> Self {
        self.extra_config.push_str(lines);
        self.extra_config.push('\n');
        self.write_config();
        self
    }

    /// Sets site.toml's base_url.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.into();
        self.write_config();
        self
    }

    /// Adds `content/<rel>` with the given text.
    pub fn article(self, rel: &str, text: impl AsRef<[u8]>) -> Self {
        self.file(&format!("content/{rel}"), text)
    }

    /// Adds any file under the site root (`static/humans.txt`).
    pub fn file(self, rel: &str, bytes: impl AsRef<[u8]>) -> Self {
        self.put(rel, bytes);
        self
    }

    /// Builds with drafts (`LoadOptions::drafts`).
    pub fn drafts(mut self, drafts: bool) -> Self {
        self.options.drafts = drafts;
        self
    }

    /// Builds with `LoadOptions::base_url` replacing site.toml's.
    pub fn base_url_override(mut self, url: &str) -> Self {
        self.options.base_url = Some(url.into());
        self
    }

    /// Writes (or replaces) a file under the site root.
    pub fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes a file under the site root.
    pub fn remove(&self, rel: &str) {
        let path = self.root().join(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Where builds go by default: `<root>/public`.
    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The options builds load the site with.
    pub fn options(&self) -> &LoadOptions {
        &self.options
    }

    /// Loads the site.
    pub fn load(&self) -> Result<Site, Error> {
        Site::load(self.root(), &self.options)
    }

    /// Loads and builds into [`SiteFixture::out`].
    pub fn try_build(&self) -> Result<BuildReport, Error> {
        self.try_build_into(&self.out(), false)
    }

    /// Loads and builds into `out`.
    pub fn try_build_into(&self, out: &Path, force: bool) -> Result<BuildReport, Error> {
        self.load()?.build(out, force)
    }

    /// Builds into [`SiteFixture::out`], panicking with every diagnostic on
    /// failure.
    #[track_caller]
    pub fn build(self) -> Built {
        let report = self
            .try_build()
            .unwrap_or_else(|e| panic!("build failed:\n{e}"));
        let out = self.out();
        Built {
            fixture: self,
            out,
            report,
        }
    }

    /// Runs the `gazette` binary in the site's folder.
    pub fn gazette(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run gazette")
    }
}

/// A site that was built, and questions about its output.
pub struct Built {
    /// The site (still editable: `built.fixture.put(...)`).
    pub fixture: SiteFixture,
    /// The output directory.
    pub out: PathBuf,
    /// What the last build reported.
    pub report: BuildReport,
}

impl Built {
    /// Builds the site again into the same directory.
    #[track_caller]
    pub fn rebuild(&mut self) -> &BuildReport {
        self.report = self
            .try_rebuild()
            .unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
        &self.report
    }

    /// Builds the site again into the same directory, returning the error.
    pub fn try_rebuild(&self) -> Result<BuildReport, Error> {
        self.fixture.try_build_into(&self.out, false)
    }

    /// The output file of a site path: `""` or `/` -> `index.html`,
    /// `people/` -> `people/index.html`, `atom.xml` -> `atom.xml`.
    pub fn file_of(&self, page: &str) -> PathBuf {
        self.out.join(file_of(page))
    }

    /// True when the output has that page or file.
    pub fn exists(&self, page: &str) -> bool {
        self.file_of(page).is_file()
    }

    /// The text of a page or file.
    #[track_caller]
    pub fn page(&self, page: &str) -> String {
        let path = self.file_of(page);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); the output has:\n{}",
                path.display(),
                self.files().keys().cloned().collect::<Vec<_>>().join("\n")
            )
        })
    }

    /// A page parsed as HTML.
    #[track_caller]
    pub fn html(&self, page: &str) -> Html {
        Html::parse_document(&self.page(page))
    }

    /// The text of every element matching `css` on a page.
    #[track_caller]
    pub fn texts(&self, page: &str, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("valid selector");
        self.html(page)
            .select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// The titles in a page's `ol.articles` list, in order.
    #[track_caller]
    pub fn article_titles(&self, page: &str) -> Vec<String> {
        self.texts(page, "ol.articles > li > h2 > a")
    }

    /// The links of a page's `ol.articles` list, in order.
    #[track_caller]
    pub fn article_links(&self, page: &str) -> Vec<String> {
        attrs(&self.html(page), "ol.articles > li > h2 > a", "href")
    }

    /// Every `href` and `src` on a page, in document order.
    #[track_caller]
    pub fn links(&self, page: &str) -> Vec<String> {
        links_in(&self.page(page))
    }

    /// Every file of the output (relative path -> bytes).
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.out)
    }

    /// The modification time of every file of the output.
    pub fn mtimes(&self) -> BTreeMap<String, SystemTime> {
        list_files(&self.out)
            .into_iter()
            .map(|rel| {
                let t = fs::metadata(self.out.join(&rel))
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (rel, t)
            })
            .collect()
    }
}

/// The file a site path is written to (`/a/` -> `a/index.html`).
pub fn file_of(page: &str) -> String {
    let page = page.trim_start_matches('/');
    if page.is_empty() || page.ends_with('/') {
        format!("{page}index.html")
    } else {
        page.to_string()
    }
}

/// Every `href` and `src` attribute of an HTML document.
pub fn links_in(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let selector = Selector::parse("[href], [src]").expect("valid selector");
    doc.select(&selector)
        .flat_map(|e| {
            let v = e.value();
            [v.attr("href"), v.attr("src")]
        })
        .flatten()
        .map(str::to_string)
        .collect()
}

/// The value of `attr` on every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("valid selector");
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let ty = entry.file_type().expect("file type");
            if ty.is_dir() {
                walk(&entry.path(), &format!("{rel}/"), out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).expect("read output file");
            (rel, bytes)
        })
        .collect()
}

/// Asserts two snapshots are equal, naming the files that differ.
#[track_caller]
pub fn assert_same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_a.is_empty() && only_b.is_empty() && differ.is_empty(),
        "outputs differ: only in first {only_a:?}, only in second {only_b:?}, different bytes {differ:?}"
    );
}

/// stderr of a finished command, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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
pub(crate) const BASE: &str = "https://example.org/";

/// The text of an article file: front matter with `title` and `date`, any
/// `extra` YAML lines (each ending in `\n`), and a one-paragraph body.
pub(crate) fn md(title: &str, date: &str, extra: &str) -> String {
    md_body(title, date, extra, &format!("Body of {title}.\n"))
}

/// Like [`md`] with the given markdown body.
pub(crate) fn md_body(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\n{extra}---\n{body}",
        yaml_str(title)
    )
}

/// A YAML double-quoted scalar.
pub(crate) fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A site being laid out in a temporary directory. Files are written as soon
/// as they are added, so a fixture can be changed between builds.
pub(crate) struct SiteFixture {
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
    pub(crate) fn new() -> Self {
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
        // Each fixture keeps its own photo cache (not the user's).
        let images = if self.extra_config.contains("[images]") {
            ""
        } else {
            "\n[images]\ncache = \".photo-cache\"\n"
        };
        let text = format!(
            "title = \"Test Gazette\"\nbase_url = \"{}\"\n{}{images}",
            self.base_url, self.extra_config
        );
        self.put("site.toml", text);
    }

    /// Adds top-level lines to site.toml (`per_page = 2`).
    pub(crate) fn config(mut self, lines: &str) -> Self {
        self.extra_config.push_str(lines);
        self.extra_config.push('\n');
        self.write_config();
        self
    }

    /// Sets site.toml's base_url.
    pub(crate) fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.into();
        self.write_config();
        self
    }

    /// Adds `content/<rel>` with the given text.
    pub(crate) fn article(self, rel: &str, text: impl AsRef<[u8]>) -> Self {
        self.file(&format!("content/{rel}"), text)
    }

    /// Adds any file under the site root (`static/humans.txt`).
    pub(crate) fn file(self, rel: &str, bytes: impl AsRef<[u8]>) -> Self {
        self.put(rel, bytes);
        self
    }

    /// Builds with drafts (`LoadOptions::drafts`).
    pub(crate) fn drafts(mut self, drafts: bool) -> Self {
        self.options.drafts = drafts;
        self
    }

    /// Builds with `LoadOptions::base_url` replacing site.toml's.
    pub(crate) fn base_url_override(mut self, url: &str) -> Self {
        self.options.base_url = Some(url.into());
        self
    }

    /// Writes (or replaces) a file under the site root.
    pub(crate) fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes a file under the site root.
    pub(crate) fn remove(&self, rel: &str) {
        let path = self.root().join(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// The site's folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Where builds go by default: `<root>/public`.
    pub(crate) fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The options builds load the site with.
    pub(crate) fn options(&self) -> &LoadOptions {
        &self.options
    }

    /// Loads the site.
    pub(crate) fn load(&self) -> Result<Site, Error> {
        Site::load(self.root(), &self.options)
    }

    /// Loads and builds into [`SiteFixture::out`].
    pub(crate) fn try_build(&self) -> Result<BuildReport, Error> {
        self.try_build_into(&self.out(), false)
    }

    /// Loads and builds into `out`.
    pub(crate) fn try_build_into(&self, out: &Path, force: bool) -> Result<BuildReport, Error> {
        self.load()?.build(out, force)
    }

    /// Builds into [`SiteFixture::out`], panicking with every diagnostic on
    /// failure.
    #[track_caller]
    pub(crate) fn build(self) -> Built {
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
    pub(crate) fn gazette(&self, args: &[&str]) -> Output {
        gazette_in(self.root(), args)
    }
}

/// A site that was built, and questions about its output.
pub(crate) struct Built {
    /// The site (still editable: `built.fixture.put(...)`).
    pub(crate) fixture: SiteFixture,
    /// The output directory.
    pub(crate) out: PathBuf,
    /// What the last build reported.
    pub(crate) report: BuildReport,
}

impl Built {
    /// Builds the site again into the same directory.
    #[track_caller]
    pub(crate) fn rebuild(&mut self) -> &BuildReport {
        self.report = self
            .try_rebuild()
            .unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
        &self.report
    }

    /// Builds the site again into the same directory, returning the error.
    pub(crate) fn try_rebuild(&self) -> Result<BuildReport, Error> {
        self.fixture.try_build_into(&self.out, false)
    }

    /// The output file of a site path: `""` or `/` -> `index.html`,
    /// `people/` -> `people/index.html`, `atom.xml` -> `atom.xml`.
    pub(crate) fn file_of(&self, page: &str) -> PathBuf {
        self.out.join(file_of(page))
    }

    /// True when the output has that page or file.
    pub(crate) fn exists(&self, page: &str) -> bool {
        self.file_of(page).is_file()
    }

    /// The text of a page or file.
    #[track_caller]
    pub(crate) fn page(&self, page: &str) -> String {
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
    pub(crate) fn html(&self, page: &str) -> Html {
        Html::parse_document(&self.page(page))
    }

    /// The text of every element matching `css` on a page.
    #[track_caller]
    pub(crate) fn texts(&self, page: &str, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("valid selector");
        self.html(page)
            .select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// The titles in a page's `ol.articles` list, in order.
    #[track_caller]
    pub(crate) fn article_titles(&self, page: &str) -> Vec<String> {
        self.texts(page, "ol.articles > li > h2 > a")
    }

    /// The links of a page's `ol.articles` list, in order.
    #[track_caller]
    pub(crate) fn article_links(&self, page: &str) -> Vec<String> {
        attrs(&self.html(page), "ol.articles > li > h2 > a", "href")
    }

    /// Every `href` and `src` on a page, in document order.
    #[track_caller]
    pub(crate) fn links(&self, page: &str) -> Vec<String> {
        links_in(&self.page(page))
    }

    /// Every file of the output (relative path -> bytes).
    pub(crate) fn files(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.out)
    }

    /// The modification time of every file of the output.
    pub(crate) fn mtimes(&self) -> BTreeMap<String, SystemTime> {
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
pub(crate) fn file_of(page: &str) -> String {
    let page = page.trim_start_matches('/');
    if page.is_empty() || page.ends_with('/') {
        format!("{page}index.html")
    } else {
        page.to_string()
    }
}

/// Every `href` and `src` attribute of an HTML document.
pub(crate) fn links_in(html: &str) -> Vec<String> {
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
pub(crate) fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("valid selector");
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub(crate) fn list_files(dir: &Path) -> Vec<String> {
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
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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
pub(crate) fn assert_same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    let first_lines = differ.first().map_or_else(String::new, |path| {
        let (x, y) = (
            String::from_utf8_lossy(&a[*path]),
            String::from_utf8_lossy(&b[*path]),
        );
        let lines: Vec<String> = x
            .lines()
            .zip(y.lines())
            .filter(|(l, r)| l != r)
            .take(5)
            .map(|(l, r)| format!("first:  {l}\nsecond: {r}"))
            .collect();
        format!("\nin {path}:\n{}", lines.join("\n"))
    });
    assert!(
        only_a.is_empty() && only_b.is_empty() && differ.is_empty(),
        "outputs differ: only in first {only_a:?}, only in second {only_b:?}, different bytes {differ:?}{first_lines}"
    );
}

/// The JSON-LD opening tag every HTML page carries once.
pub(crate) const JSON_LD_OPEN: &str = "<script type=\"application/ld+json\">";

/// The search client's tag, which every page of a site with search loads
/// from its base URL.
pub(crate) const SEARCH_SCRIPT: (&str, &str) =
    ("<script src=\"", "/search/search.js\" defer></script>");

/// The home page's "On this day" script's tag.
pub(crate) const ON_THIS_DAY_SCRIPT: (&str, &str) =
    ("<script src=\"", "/on-this-day.js\" defer></script>");

/// `text` without gazette's own script tags: its JSON-LD blocks (returned
/// parsed), the search client's tag and the home page's on-this-day
/// script's tag. Panics unless each JSON-LD block
/// holds no `<` at all (so that no title can close the script element
/// early) and is valid JSON, and unless the client's tag names only a
/// plain URL.
#[track_caller]
pub(crate) fn without_json_ld(text: &str) -> (String, Vec<serde_json::Value>) {
    let (open, _) = SEARCH_SCRIPT;
    let close = "\" defer></script>";
    let mut text = text.to_string();
    while let Some(start) = text.find(open) {
        let end = text[start..]
            .find(close)
            .expect("gazette's script tag is closed")
            + start;
        let src = &text[start + open.len()..end];
        let known = [SEARCH_SCRIPT.1, ON_THIS_DAY_SCRIPT.1]
            .iter()
            .any(|tail| src.ends_with(tail.trim_end_matches(close)));
        assert!(
            known && src.starts_with("http") && !src.contains(['<', '"', '>', ' ']),
            "script src {src:?}"
        );
        text.replace_range(start..end + close.len(), "");
    }
    let text = text.as_str();
    let mut rest = String::new();
    let mut docs = Vec::new();
    let mut tail = text;
    while let Some(start) = tail.find(JSON_LD_OPEN) {
        rest.push_str(&tail[..start]);
        let body_start = start + JSON_LD_OPEN.len();
        let end = tail[body_start..]
            .find("</script>")
            .map(|i| body_start + i)
            .expect("a JSON-LD block is closed");
        let body = &tail[body_start..end];
        assert!(!body.contains('<'), "a `<` inside JSON-LD: {body}");
        docs.push(serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON-LD: {e}: {body}")));
        tail = &tail[end + "</script>".len()..];
    }
    rest.push_str(tail);
    (rest, docs)
}

/// Runs the `gazette` binary in `dir`.
pub(crate) fn gazette_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gazette")
}

/// A deterministic pseudo-random generator (SplitMix64), so that a random
/// test replays exactly from its seed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// stderr of a finished command, as text.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------
// Running `gazette serve` / `gazette build --watch` and talking HTTP to it.
// Every wait is a bounded poll; every child is killed when its guard drops.
// ---------------------------------------------------------------------------

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait in the live tests may take before it fails.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// Calls `f` every 25 ms until it returns `Some`, for at most `timeout`;
/// panics naming `what` (and `f`'s last complaint) when time runs out.
#[track_caller]
pub(crate) fn poll_until<T>(
    what: &str,
    timeout: Duration,
    mut f: impl FnMut() -> Result<T, String>,
) -> T {
    let started = Instant::now();
    loop {
        match f() {
            Ok(v) => return v,
            Err(last) if started.elapsed() >= timeout => {
                panic!("timed out after {timeout:?} waiting for {what}; last: {last}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(25)),
        }
    }
}

/// A `gazette` child process whose stderr is collected; killed on drop.
pub(crate) struct Running {
    child: Child,
    log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Starts `gazette ARGS` in `dir`.
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("piped stderr");
        let sink = Arc::clone(&log);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                sink.lock().expect("log lock").push_str(&text);
            }
        });
        Running {
            child,
            log,
            reader: Some(reader),
        }
    }

    /// Everything the process printed on stderr so far.
    pub(crate) fn stderr(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }

    /// The complete stderr lines printed so far.
    pub(crate) fn stderr_lines(&self) -> Vec<String> {
        let log = self.stderr();
        let complete = log.rfind('\n').map_or("", |i| &log[..i]);
        complete.lines().map(str::to_string).collect()
    }

    /// How many complete stderr lines start with `prefix`.
    pub(crate) fn count_lines(&self, prefix: &str) -> usize {
        self.stderr_lines()
            .iter()
            .filter(|l| l.starts_with(prefix))
            .count()
    }

    /// Waits for a complete stderr line for which `pick` returns `Some`.
    #[track_caller]
    pub(crate) fn wait_for_line<T>(&mut self, what: &str, pick: impl Fn(&str) -> Option<T>) -> T {
        poll_until(what, PATIENCE, || {
            if let Some(found) = self.stderr_lines().iter().find_map(|l| pick(l)) {
                return Ok(found);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "gazette exited ({status}) before {what}; stderr:\n{}",
                    self.stderr()
                );
            }
            Err(format!("stderr so far:\n{}", self.stderr()))
        })
    }

    /// Whether the process is still running.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        if std::thread::panicking() {
            eprintln!(
                "--- gazette stderr ---\n{}\n----------------------",
                self.stderr()
            );
        }
    }
}

/// `gazette serve` on a free loopback port; killed on drop.
pub(crate) struct Serving {
    /// The process.
    pub(crate) process: Running,
    /// The port it serves on.
    pub(crate) port: u16,
    /// The address it printed (`http://127.0.0.1:PORT/`).
    pub(crate) url: String,
}

impl Serving {
    /// Serves the site in `root` on any free port (`-p 0`), keeping the
    /// preview build in `out`, and waits until it serves and watches.
    pub(crate) fn start(root: &Path, out: &Path, extra: &[&str]) -> Serving {
        let out = out.to_str().expect("UTF-8 temp path");
        let mut args = vec!["serve", "-r", ".", "-p", "0", "--output-dir", out];
        args.extend_from_slice(extra);
        Serving::start_with(root, &args)
    }

    /// Runs `gazette ARGS` (a `serve` command line) in `root` and waits
    /// until it serves and watches.
    pub(crate) fn start_with(root: &Path, args: &[&str]) -> Serving {
        let serving = Serving::start_early(root, args);
        let mut process = serving.process;
        // Every file written (or the load failed, and the errors show).
        process.wait_for_line("the `site ready` line", |l| {
            (l.starts_with("site ready") || l.starts_with("error")).then_some(())
        });
        Serving { process, ..serving }
    }

    /// Runs `gazette ARGS` (a `serve` command line) in `root` and waits
    /// until it serves and watches, not for its files: pages asked before
    /// they are written are rendered from memory.
    pub(crate) fn start_early(root: &Path, args: &[&str]) -> Serving {
        let mut process = Running::start(root, args);
        let url = process.wait_for_line("the `serving ... at URL` line", serving_url);
        process.wait_for_line("the `watching` line", |l| {
            l.starts_with("watching ").then_some(())
        });
        let port = url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url:?}"));
        Serving { process, port, url }
    }

    /// GET `path` (sent as it is, not normalised).
    #[track_caller]
    pub(crate) fn get(&self, path: &str) -> HttpResponse {
        http_get(self.port, path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}\nstderr:\n{}", self.process.stderr()))
    }

    /// Polls `path` until its body contains `text` with status 200.
    #[track_caller]
    pub(crate) fn wait_for_text(&self, path: &str, text: &str) -> HttpResponse {
        self.wait_for(&format!("{path} to contain {text:?}"), path, |r| {
            r.status == 200 && r.text().contains(text)
        })
    }

    /// Polls `path` until its status is `status`.
    #[track_caller]
    pub(crate) fn wait_for_status(&self, path: &str, status: u16) -> HttpResponse {
        self.wait_for(&format!("{path} to answer {status}"), path, |r| {
            r.status == status
        })
    }

    /// Polls `path` until `ok` holds for the response.
    #[track_caller]
    pub(crate) fn wait_for(
        &self,
        what: &str,
        path: &str,
        ok: impl Fn(&HttpResponse) -> bool,
    ) -> HttpResponse {
        poll_until(what, PATIENCE, || match http_get(self.port, path) {
            Ok(r) if ok(&r) => Ok(r),
            Ok(r) => Err(format!(
                "status {}, body:\n{}\nstderr:\n{}",
                r.status,
                r.text(),
                self.process.stderr()
            )),
            Err(e) => Err(e.to_string()),
        })
    }

    /// Opens the live-reload event stream.
    #[track_caller]
    pub(crate) fn events(&self) -> EventStream {
        EventStream::connect(self.port)
    }

    /// Opens the live-reload event stream as the page at `page` does.
    #[track_caller]
    pub(crate) fn events_for(&self, page: &str) -> EventStream {
        EventStream::connect_for(self.port, Some(page))
    }
}

/// The URL of a `serving DIR at URL (Ctrl-C to stop)` line.
pub(crate) fn serving_url(line: &str) -> Option<String> {
    let rest = line.strip_prefix("serving ")?;
    let at = rest.find(" at http://")?;
    let url = rest[at + 4..].split_whitespace().next()?;
    Some(url.to_string())
}

/// A response read off the wire.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    /// The status code.
    pub(crate) status: u16,
    /// Header names (lowercase) and values, in order.
    pub(crate) headers: Vec<(String, String)>,
    /// The decoded body.
    pub(crate) body: Vec<u8>,
}

impl HttpResponse {
    /// The first header of that (case-insensitive) name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// GET `path` from 127.0.0.1:`port`, the request target sent byte for byte.
pub(crate) fn http_get(port: u16, path: &str) -> std::io::Result<HttpResponse> {
    http_request(
        SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        "GET",
        path,
        None,
    )
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), with a
/// JSON body if given. Reads the whole response (10 s at most per read).
pub(crate) fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> std::io::Result<HttpResponse> {
    let body = json.map(|b| ("application/json; charset=utf-8", b.as_bytes()));
    http_send(addr, method, path, "", body)
}

/// [`http_request`] with `headers` (whole lines, each ending in `\r\n`)
/// and a body of the given type.
pub(crate) fn http_send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}");
    let mut bytes = Vec::new();
    if let Some((kind, body)) = body {
        request.push_str(&format!(
            "Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ));
        bytes.extend_from_slice(request.as_bytes());
        bytes.extend_from_slice(body);
    } else {
        request.push_str("\r\n");
        bytes.extend_from_slice(request.as_bytes());
    }
    stream.write_all(&bytes)?;
    let mut reader = HttpReader::new(stream);
    let (status, headers) = reader.head()?;
    let mut body = Vec::new();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    if method == "HEAD" || status == 204 || status == 304 {
        // No body.
    } else if reader.chunked {
        while reader.read_body_some(&mut body)? {}
    } else if let Some(n) = length {
        while body.len() < n {
            if !reader.read_body_some(&mut body)? {
                break;
            }
        }
        body.truncate(n);
    } else {
        while reader.read_body_some(&mut body)? {}
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn invalid(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.into())
}

/// Reads an HTTP/1.1 response incrementally (chunked or not).
struct HttpReader {
    stream: TcpStream,
    raw: Vec<u8>,
    chunked: bool,
    /// Bytes left in the current chunk.
    remaining: usize,
    /// A chunk's closing CRLF is still to be read.
    need_crlf: bool,
    done: bool,
}

impl HttpReader {
    fn new(stream: TcpStream) -> Self {
        HttpReader {
            stream,
            raw: Vec::new(),
            chunked: false,
            remaining: 0,
            need_crlf: false,
            done: false,
        }
    }

    /// Reads more bytes into `raw`; false at end of stream.
    fn fill(&mut self) -> std::io::Result<bool> {
        let mut buf = [0u8; 16384];
        let n = self.stream.read(&mut buf)?;
        self.raw.extend_from_slice(&buf[..n]);
        Ok(n > 0)
    }

    /// Status and headers (names lowercased).
    fn head(&mut self) -> std::io::Result<(u16, Vec<(String, String)>)> {
        let end = loop {
            if let Some(i) = find(&self.raw, b"\r\n\r\n") {
                break i;
            }
            if !self.fill()? {
                return Err(invalid("connection closed before the response head"));
            }
        };
        let head = String::from_utf8_lossy(&self.raw[..end]).into_owned();
        self.raw.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {status_line:?}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        self.chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
        Ok((status, headers))
    }

    /// Decodes what is buffered into `out`, reading once more from the
    /// socket if nothing could be decoded; false at the end of the body.
    fn read_body_some(&mut self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        let before = out.len();
        if !self.chunked {
            if self.raw.is_empty() && !self.fill()? {
                self.done = true;
                return Ok(false);
            }
            out.append(&mut self.raw);
            return Ok(true);
        }
        loop {
            let progressed = self.decode_chunks(out)?;
            if self.done {
                return Ok(out.len() > before);
            }
            if progressed && out.len() > before {
                return Ok(true);
            }
            if !self.fill()? {
                return Err(invalid("connection closed inside a chunked body"));
            }
        }
    }

    /// Moves whole or partial chunks from `raw` to `out`.
    fn decode_chunks(&mut self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        let mut progressed = false;
        loop {
            if self.remaining > 0 {
                if self.raw.is_empty() {
                    return Ok(progressed);
                }
                let n = self.remaining.min(self.raw.len());
                out.extend(self.raw.drain(..n));
                self.remaining -= n;
                self.need_crlf = self.remaining == 0;
                progressed = true;
            } else if self.need_crlf {
                if self.raw.len() < 2 {
                    return Ok(progressed);
                }
                self.raw.drain(..2);
                self.need_crlf = false;
            } else {
                let Some(eol) = find(&self.raw, b"\r\n") else {
                    return Ok(progressed);
                };
                let line = String::from_utf8_lossy(&self.raw[..eol]).into_owned();
                self.raw.drain(..eol + 2);
                let size = line.split(';').next().unwrap_or_default().trim();
                let size = usize::from_str_radix(size, 16)
                    .map_err(|_| invalid(format!("bad chunk size {line:?}")))?;
                if size == 0 {
                    self.done = true;
                    return Ok(progressed);
                }
                self.remaining = size;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field (`message` when absent).
    pub(crate) event: String,
    /// The `data:` lines, joined with `\n`.
    pub(crate) data: String,
}

/// A connection to `/__gazette/events`, read with deadlines.
pub(crate) struct EventStream {
    reader: HttpReader,
    text: Vec<u8>,
    /// Every event read so far (for failure messages).
    pub(crate) seen: Vec<SseEvent>,
}

impl EventStream {
    /// Connects and reads the response head (so the server has subscribed
    /// this client before this returns).
    #[track_caller]
    pub(crate) fn connect(port: u16) -> EventStream {
        EventStream::connect_for(port, None)
    }

    /// Connects as the live-reload script of the page at `page` does
    /// (`?page=`): the server then counts that page as open.
    #[track_caller]
    pub(crate) fn connect_for(port: u16, page: Option<&str>) -> EventStream {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let query = page.map_or_else(String::new, |p| format!("?page={p}"));
        let mut stream =
            TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect to events");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("set timeout");
        let request = format!(
            "GET /__gazette/events{query} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut reader = HttpReader::new(stream);
        let (status, headers) = reader.head().expect("events response head");
        assert_eq!(status, 200, "events status; headers {headers:?}");
        let ty = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        assert!(ty.starts_with("text/event-stream"), "content-type {ty:?}");
        EventStream {
            reader,
            text: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// The next event (comments and keep-alives skipped) before `timeout`,
    /// or `None`.
    pub(crate) fn next_event(&mut self, timeout: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self.take_event() {
                self.seen.push(event.clone());
                return Some(event);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let _ = self
                .reader
                .stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))));
            match self.reader.read_body_some(&mut self.text) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return None,
            }
        }
    }

    /// Waits (up to [`PATIENCE`]) for an event named `name`, skipping others.
    #[track_caller]
    pub(crate) fn wait_for(&mut self, name: &str) -> SseEvent {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_event(left) {
                Some(e) if e.event == name => return e,
                Some(_) => {}
                None => panic!(
                    "no `{name}` event within {PATIENCE:?}; events seen: {:?}",
                    self.seen
                ),
            }
        }
    }

    fn take_event(&mut self) -> Option<SseEvent> {
        loop {
            // axum ends lines with `\n`; an event ends at an empty line.
            let end = find(&self.text, b"\n\n")?;
            let block = String::from_utf8_lossy(&self.text[..end]).into_owned();
            self.text.drain(..end + 2);
            let mut event = None;
            let mut data: Vec<String> = Vec::new();
            for line in block.lines() {
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => event = Some(value.to_string()),
                    "data" => data.push(value.to_string()),
                    _ => {}
                }
            }
            if event.is_some() || !data.is_empty() {
                return Some(SseEvent {
                    event: event.unwrap_or_else(|| "message".into()),
                    data: data.join("\n"),
                });
            }
        }
    }
}

/// Serves `dir` under `/prefix/` with a plain static file server (no
/// gazette in it), on a free port; returns the port.
pub(crate) fn static_server(dir: PathBuf, prefix: &'static str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let path = target.split('?').next().unwrap_or("/");
            let found = path.strip_prefix(prefix).map(|rest| {
                let file = dir.join(rest.trim_start_matches('/'));
                if file.is_dir() {
                    file.join("index.html")
                } else {
                    file
                }
            });
            let mut stream = stream;
            match found.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                Some((file, bytes)) => {
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("js") => "text/javascript",
                        Some("json") => "application/json",
                        Some("css") => "text/css",
                        Some("svg") => "image/svg+xml",
                        _ => "application/octet-stream",
                    };
                    let head = format!(
                        "HTTP/1.0 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
                        bytes.len()
                    );
                    let _ = stream
                        .write_all(head.as_bytes())
                        .and_then(|()| stream.write_all(&bytes));
                }
                None => {
                    let _ =
                        stream.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                }
            }
        }
    });
    port
}

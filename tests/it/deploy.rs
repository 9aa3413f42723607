//! `gazette deploy` against a real S3-protocol server on loopback
//! (`moto_server` from PyPI's `moto[server]`, started by each test on a
//! free port; `.ci/run` installs it, and the tests fail on CI without it
//! and are skipped with a notice elsewhere): the first deploy, nothing
//! changed, one edit, one deletion beside a foreign key, `--dry-run`, a
//! deploy killed at random moments, a proxy dropping connections, the
//! refusals and the bad configurations.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{http_send, md_body, snapshot, stderr, HttpResponse, Rng, SiteFixture};

/// A moto server on a free port, stopped on drop.
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts one, or says why the test is skipped (a failure on CI).
    fn start() -> Option<Moto> {
        let found = Command::new("moto_server")
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !found.is_ok_and(|s| s.success()) {
            let message = "moto_server is not installed (pip install 'moto[server]')";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{message}; CI must install it (see .ci/run)");
            }
            eprintln!("skipped: {message}");
            return None;
        }
        let port = free_port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, port };
        let started = Instant::now();
        while moto.request("GET", "/", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    /// A request as an S3 client makes it: moto checks that one is
    /// signed, not the signature.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> std::io::Result<HttpResponse> {
        let auth = "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0\r\n";
        let body = body.map(|b| ("text/plain", b.as_bytes()));
        http_send(
            SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            method,
            path,
            auth,
            body,
        )
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn make_bucket(&self, name: &str) {
        let made = self
            .request("PUT", &format!("/{name}"), None)
            .expect("create bucket");
        assert_eq!(made.status, 200, "{}", made.text());
    }

    /// Every key of `bucket` (moto pages at 1,000; the fixtures stay under).
    fn keys(&self, bucket: &str) -> Vec<String> {
        let listed = self
            .request("GET", &format!("/{bucket}?list-type=2&max-keys=1000"), None)
            .unwrap();
        let text = listed.text();
        assert!(!text.contains("<IsTruncated>true"), "more than 1,000 keys");
        text.split("<Key>")
            .skip(1)
            .map(|k| xml_unescape(&k[..k.find("</Key>").unwrap()]))
            .collect()
    }

    fn object(&self, bucket: &str, key: &str) -> HttpResponse {
        self.request("GET", &format!("/{bucket}/{key}"), None)
            .unwrap()
    }

    /// Each key of the site under `prefix` with its (decoded) bytes.
    fn site(&self, bucket: &str, prefix: &str) -> BTreeMap<String, Vec<u8>> {
        self.keys(bucket)
            .into_iter()
            .filter_map(|k| Some(k.strip_prefix(prefix)?.to_string()))
            .filter(|k| !k.starts_with(".gazette/"))
            .map(|k| {
                let got = self.object(bucket, &format!("{prefix}{k}"));
                let body = match got.header("content-encoding") {
                    Some("gzip") => {
                        let mut out = Vec::new();
                        flate2_decode(&got.body, &mut out);
                        out
                    }
                    _ => got.body,
                };
                (k, body)
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn flate2_decode(gz: &[u8], out: &mut Vec<u8>) {
    flate2::read::GzDecoder::new(gz)
        .read_to_end(out)
        .expect("a gzip body");
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A site of `n` articles whose [[deploy]] target is `endpoint`.
fn site(n: usize, endpoint: &str, extra: &str) -> SiteFixture {
    let people = [
        "Emmanuel Macron",
        "Keir Starmer",
        "Giorgia Meloni",
        "Donald Tusk",
    ];
    let countries = ["France", "United Kingdom", "Italy", "Poland"];
    let mut fixture = SiteFixture::new().config(&format!(
        "[[deploy]]\nname = \"local\"\nurl = \"s3://news/archive\"\nendpoint = \"{endpoint}\"\n{extra}"
    ));
    for i in 0..n {
        let day = 1 + i % 27;
        let month = 1 + (i / 27) % 12;
        fixture = fixture.article(
            &format!("2026/{month:02}/story-{i}.md"),
            story(
                &format!("Story number {i}"),
                &format!("2026-{month:02}-{day:02}"),
                &format!(
                    "people: [\"{}\"]\ncountries: [\"{}\"]\ntags: [\"t{}\"]",
                    people[i % 4],
                    countries[i % 4],
                    i % 3
                ),
                &format!("Body of story {i}, on talks in Geneva."),
            ),
        );
    }
    fixture
}

/// Runs `gazette` in the site with test credentials and its own cache.
fn gazette(fixture: &SiteFixture, args: &[&str]) -> Output {
    command(fixture, args).output().expect("run gazette")
}

fn command(fixture: &SiteFixture, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gazette"));
    cmd.args(args)
        .current_dir(fixture.root())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", fixture.root().join("home"))
        .env("GAZETTE_CACHE_DIR", fixture.root().join(".cache"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test");
    cmd
}

#[track_caller]
fn ok(output: &Output) -> String {
    let text = stderr(output);
    assert!(output.status.success(), "gazette failed:\n{text}");
    text
}

#[track_caller]
fn sent(summary: &str) -> usize {
    let after = summary
        .split("sent ")
        .nth(1)
        .unwrap_or_else(|| panic!("no count: {summary}"));
    after.split(' ').next().unwrap().parse().unwrap()
}

fn build(fixture: &SiteFixture) -> BTreeMap<String, Vec<u8>> {
    ok(&gazette(fixture, &["build", "-q"]));
    snapshot(&fixture.out())
}

#[track_caller]
fn assert_published(moto: &Moto, built: &BTreeMap<String, Vec<u8>>) {
    let held = moto.site("news", "archive/");
    let built: BTreeMap<_, _> = built
        .iter()
        .filter(|(k, _)| !k.starts_with(".gazette-manifest"))
        .collect();
    let held_ref: BTreeMap<_, _> = held.iter().collect();
    assert_eq!(
        held_ref.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>()
    );
    for (key, bytes) in &built {
        assert!(held[*key] == **bytes, "{key} differs in the bucket");
    }
}

#[test]
fn first_deploy_then_nothing_then_one_edit_sends_only_what_the_build_changed() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(12, &moto.endpoint(), "");
    let first = build(&fixture);
    let summary = ok(&gazette(&fixture, &["deploy"]));
    assert_eq!(sent(&summary), first.len() - 1, "{summary}");
    assert_published(&moto, &first);
    let home = moto.object("news", "archive/index.html");
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        home.header("cache-control"),
        Some("public, max-age=0, must-revalidate")
    );
    let css = moto.object("news", "archive/theme.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let feed = moto.object("news", "archive/atom.xml");
    assert_eq!(
        feed.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );

    let again = ok(&gazette(&fixture, &["deploy"]));
    assert_eq!(sent(&again), 0, "{again}");
    assert!(again.contains("known from the record kept"), "{again}");
    // Without the local copy, the bucket's own record says the same.
    std::fs::remove_dir_all(fixture.root().join(".cache")).unwrap();
    let again = ok(&gazette(&fixture, &["deploy"]));
    assert_eq!(sent(&again), 0, "{again}");
    assert!(again.contains("known from the bucket's record"), "{again}");

    fixture.put(
        "content/2026/01/story-0.md",
        story(
            "Story number 0",
            "2026-01-01",
            "people: [\"Emmanuel Macron\"]\ncountries: [\"France\"]\ntags: [\"t0\"]",
            "A new body, on talks in Rome.",
        ),
    );
    let edited = build(&fixture);
    let changed = edited
        .iter()
        .filter(|(k, v)| first.get(*k) != Some(v))
        .count();
    let summary = ok(&gazette(&fixture, &["deploy"]));
    assert_eq!(
        sent(&summary),
        changed - 1,
        "only the files the build changed (not the manifest): {summary}"
    );
    assert_published(&moto, &edited);
}

#[test]
fn a_deleted_article_leaves_the_bucket_but_foreign_keys_stay() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(6, &moto.endpoint(), "");
    let before_delete = build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    moto.request("PUT", "/news/archive/google1234.html", Some("{}"))
        .unwrap();
    moto.request(
        "PUT",
        "/news/archive/2026/01/not-ours/index.html",
        Some("{}"),
    )
    .unwrap();
    moto.request("PUT", "/news/elsewhere.txt", Some("{}"))
        .unwrap();
    fixture.remove("content/2026/01/story-2.md");
    let after = build(&fixture);
    let gone = before_delete
        .keys()
        .filter(|k| !after.contains_key(*k))
        .count();
    assert!(gone >= 2, "the article's page and more");
    let summary = ok(&gazette(&fixture, &["deploy"]));
    assert!(summary.contains(&format!(" {gone} deleted")), "{summary}");
    let keys = moto.keys("news");
    assert!(!keys.iter().any(|k| k.contains("story-2")), "{keys:?}");
    for foreign in [
        "archive/google1234.html",
        "archive/2026/01/not-ours/index.html",
        "elsewhere.txt",
    ] {
        assert!(keys.contains(&foreign.to_string()), "{foreign} was deleted");
    }
    // After a full listing (no record at all), the foreign keys still stay.
    moto.request("DELETE", "/news/archive/.gazette/state.json", None)
        .unwrap();
    let summary = ok(&gazette(&fixture, &["deploy"]));
    assert!(
        summary.contains("full listing") && summary.contains("0 deleted"),
        "{summary}"
    );
    let mut site = moto.site("news", "archive/");
    site.remove("google1234.html");
    site.remove("2026/01/not-ours/index.html");
    let built: BTreeMap<_, _> = after
        .into_iter()
        .filter(|(k, _)| !k.starts_with(".gazette-manifest"))
        .collect();
    assert_eq!(site, built);
}

#[test]
fn a_dry_run_lists_each_file_and_its_reason_and_changes_nothing() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(5, &moto.endpoint(), "");
    build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    fixture.put(
        "content/2026/01/story-9.md",
        story(
            "A new story",
            "2026-01-20",
            "people: [\"Keir Starmer\"]",
            "New.",
        ),
    );
    fixture.remove("content/2026/01/story-1.md");
    build(&fixture);
    let before = moto.site("news", "");
    let out = gazette(&fixture, &["deploy", "--dry-run"]);
    let summary = ok(&out);
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        listed.contains("upload 2026/01/story-9/index.html (new; new pages)"),
        "{listed}"
    );
    assert!(
        listed.contains("upload index.html (changed; lists, home and search data)"),
        "{listed}"
    );
    assert!(
        listed.contains("delete 2026/01/story-1/index.html (not in the build)"),
        "{listed}"
    );
    let new_at = listed.find("story-9/index.html").unwrap();
    assert!(
        new_at < listed.find("upload index.html").unwrap()
            && listed.find("upload atom.xml").unwrap() > new_at
    );
    assert!(
        summary.contains("dry run") && summary.contains("would send"),
        "{summary}"
    );
    assert_eq!(moto.site("news", ""), before);
}

#[test]
fn too_many_deletions_or_an_empty_build_are_refused_before_anything_is_sent() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(8, &moto.endpoint(), "max_deletes = 3\n");
    build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    for i in 0..6 {
        fixture.remove(&format!("content/2026/01/story-{i}.md"));
    }
    build(&fixture);
    let before = moto.site("news", "");
    let refused = gazette(&fixture, &["deploy"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("more than the 3 allowed"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(moto.site("news", ""), before, "nothing sent");
    let forced = ok(&gazette(&fixture, &["deploy", "--force"]));
    assert!(forced.contains("deleted"), "{forced}");
    // A build folder without a home page is not deployed over the site.
    std::fs::remove_file(fixture.out().join("index.html")).unwrap();
    let manifest = fixture.out().join(".gazette-manifest");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.ends_with(" index.html"))
        .collect();
    std::fs::write(&manifest, kept.join("\n") + "\n").unwrap();
    let refused = gazette(&fixture, &["deploy", "--force"]);
    assert!(
        stderr(&refused).contains("no home page"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn bad_configuration_is_a_clear_error() {
    let Some(moto) = Moto::start() else { return };
    let fixture = site(2, &moto.endpoint(), "");
    build(&fixture);
    let missing = gazette(&fixture, &["deploy"]);
    assert!(
        stderr(&missing).contains("the bucket does not exist"),
        "{}",
        stderr(&missing)
    );
    moto.make_bucket("news");
    let no_creds = command(&fixture, &["deploy"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    let text = stderr(&no_creds);
    assert!(
        text.contains("AWS_ACCESS_KEY_ID") && text.contains(".aws/credentials"),
        "{text}"
    );
    let unknown = gazette(&fixture, &["deploy", "--target", "staging"]);
    assert!(
        stderr(&unknown).contains("no [[deploy]] target named `staging`: expected one of `local`")
    );
    let bad =
        SiteFixture::new().config("[[deploy]]\nname = \"x\"\nurl = \"https://news.example/\"");
    let text = stderr(&gazette(&bad, &["deploy"]));
    assert!(
        text.contains("site.toml:5:") && text.contains("not an S3 address"),
        "{text}"
    );
    let unbuilt = site(1, &moto.endpoint(), "");
    let text = stderr(&gazette(&unbuilt, &["deploy"]));
    assert!(text.contains("run `gazette build` first"), "{text}");
}

#[test]
fn precompressed_bodies_carry_their_encoding() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(3, &moto.endpoint(), "precompress = [\"gzip\"]\n[[deploy.headers]]\nglob = \"*.css\"\ncache_control = \"public, max-age=60\"\n");
    let built = build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    let home = moto.object("news", "archive/index.html");
    assert_eq!(home.header("content-encoding"), Some("gzip"));
    assert!(home.body.len() < built["index.html"].len());
    assert_eq!(
        moto.object("news", "archive/theme.css")
            .header("cache-control"),
        Some("public, max-age=60")
    );
    assert_published(&moto, &built);
    // A dry run does not compress: it says its bytes are the built files'.
    fixture.put(
        "content/2026/01/story-0.md",
        story("Story number 0", "2026-01-01", "", "Edited."),
    );
    build(&fixture);
    let dry = ok(&gazette(&fixture, &["deploy", "--dry-run"]));
    assert!(dry.contains(" before compression)"), "{dry}");
}

/// A loopback proxy in front of moto that drops one connection in
/// three: it reads the start of the request and hangs up.
fn dropping_proxy(upstream: u16) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let n = count.fetch_add(1, Ordering::Relaxed);
            std::thread::spawn(move || relay(client, upstream, n % 3 == 2));
        }
    });
    (port, seen)
}

fn relay(mut client: TcpStream, upstream: u16, drop_it: bool) {
    if drop_it {
        let mut start = [0u8; 64];
        let _ = client.read(&mut start);
        return;
    }
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut s2);
        let _ = s2.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.flush();
    let _ = client.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

#[test]
fn a_proxy_dropping_one_connection_in_three_is_survived() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let (proxy, connections) = dropping_proxy(moto.port);
    let fixture = site(20, &format!("http://127.0.0.1:{proxy}"), "");
    let built = build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    assert!(
        connections.load(Ordering::Relaxed) >= 3,
        "some connections were dropped"
    );
    assert_published(&moto, &built);
}

#[test]
fn a_deploy_killed_at_any_moment_leaves_old_or_new_pages_and_the_next_completes_it() {
    let Some(moto) = Moto::start() else { return };
    moto.make_bucket("news");
    let fixture = site(60, &moto.endpoint(), "");
    let old = build(&fixture);
    ok(&gazette(&fixture, &["deploy"]));
    let mut rng = Rng(0x5eed_0d3b);
    let mut versions = vec![old];
    let mut interrupted = 0;
    for round in 0..3 {
        // Every page changes (a template), one article goes, one comes.
        fixture.put("templates/base.html", base_template(round));
        fixture.remove(&format!(
            "content/2026/{:02}/story-{round}.md",
            1 + (round / 27) % 12
        ));
        fixture.put(
            &format!("content/2026/05/new-{round}.md"),
            story(&format!("New {round}"), "2026-05-05", "", "x"),
        );
        let new = build(&fixture);
        let mut child = command(&fixture, &["deploy", "--force"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(30 + rng.below(300) as u64));
        let _ = child.kill();
        let _ = child.wait();
        versions.push(new.clone());
        let held = moto.site("news", "archive/");
        for (key, bytes) in &held {
            assert!(
                versions.iter().any(|v| v.get(key) == Some(bytes)),
                "round {round}: {key} is neither an old nor a new version"
            );
        }
        let rerun = ok(&gazette(&fixture, &["deploy", "--force"]));
        interrupted += usize::from(sent(&rerun) > 0);
        assert_published(&moto, &new);
    }
    assert!(interrupted > 0, "no deploy was killed half way");
}

fn base_template(round: usize) -> String {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html");
    let text = std::fs::read_to_string(default).expect("the example's base template");
    text.replacen("</footer>", &format!("<p>edition {round}</p></footer>"), 1)
}

/// An article's text; `extra` is front-matter lines without the last newline.
fn story(title: &str, date: &str, extra: &str, body: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("{extra}\n")
    };
    md_body(title, date, &extra, body)
}

//! The `gazette` command line: `build` (optionally `--watch`), `serve` and
//! `check`. Errors are printed like a compiler's, every one of them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod deploy_cli;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gazette::{Background, Error, Live, LoadOptions, Rebuild, Route, Severity, Site, Watcher};

/// mimalloc instead of the system allocator: a build allocates millions of
/// small strings for template contexts, and glibc's malloc/free took 18 % of
/// a 10k-article build's CPU (perf); see bench/RESULTS.md. The feature
/// `system-alloc` keeps glibc's, for heap profilers (heaptrack) that see
/// only malloc.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Asks Linux for the heap in small pages only. mimalloc asks for its
/// arenas in transparent huge pages where the system allows it, and each
/// first touch of one then clears 2 MiB: 14 % of the preview's CPU
/// before its first page at 100k articles went to clearing pages, and the
/// first page came 0.45 s later than with small pages (medians of 5), while
/// a build took the same time either way (bench/RESULTS.md). The setting is
/// the process's own, as `MIMALLOC_ALLOW_THP=0` would make it.
fn small_pages() {
    #[cfg(all(target_os = "linux", not(feature = "system-alloc")))]
    // SAFETY: PR_SET_THP_DISABLE takes no pointer and changes only how the
    // kernel backs this process's future page faults.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A static-site generator for news-digest archives.
#[derive(Parser)]
#[command(name = "gazette", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output directory (public/ by default).
    Build(BuildArgs),
    /// Build the site, serve it on a local address and rebuild and reload
    /// open pages whenever a file changes.
    Serve(ServeArgs),
    /// Check the site without writing anything: every error a build would
    /// report, plus likely mistakes (name variants, unknown countries,
    /// people and countries named in the text but not in the front matter,
    /// broken links to the site's own pages, slugs used in two months).
    Check(CheckArgs),
    /// Start a new site in DIR (default: the current folder): site.toml
    /// with every setting, an example article, data/ examples, static/.
    Init(InitArgs),
    /// Start a new article: content/YYYY/MM/<slug>.md with its front
    /// matter filled in; prints its path.
    New(NewArgs),
    /// Turn a wire story pasted as plain text (FILE, or - for stdin) into
    /// an article, and print what was found in it.
    Import(ImportArgs),
    /// Publish the last build to a [[deploy]] target of site.toml (S3 or
    /// a service that speaks its protocol): only what changed, new pages
    /// before the lists that link to them, deletions last.
    Deploy(deploy_cli::DeployArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The story's text file, or - to read it from stdin.
    file: PathBuf,
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Mark the article `draft: true`.
    #[arg(long)]
    draft: bool,
    /// Print what would be written; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Also append the suggested entries for new people to data/people.yaml.
    #[arg(long)]
    write_data: bool,
    /// The story's photo: copied beside the article, with the copy's
    /// caption and credit and the people the caption names.
    #[arg(long)]
    image: Option<PathBuf>,
    /// The running story it is part of (any spelling of an existing
    /// story's name resolves to it).
    #[arg(long)]
    story: Option<String>,
}

#[derive(Args)]
struct InitArgs {
    /// The new site's folder (made if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Add what is missing to a non-empty folder (nothing is overwritten).
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct NewArgs {
    /// The article's title.
    title: String,
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// People, comma-separated: "Keir Starmer, Emmanuel Macron".
    #[arg(long, default_value = "")]
    people: String,
    /// Countries, comma-separated.
    #[arg(long, default_value = "")]
    countries: String,
    /// Tags, comma-separated.
    #[arg(long, default_value = "")]
    tags: String,
    /// The source (agency or paper).
    #[arg(long)]
    source: Option<String>,
    /// The date (default: now, in the site's time zone).
    #[arg(long)]
    date: Option<String>,
    /// Mark it `draft: true`.
    #[arg(long)]
    draft: bool,
    /// A photo: copied beside the article as its lead photo.
    #[arg(long)]
    image: Option<PathBuf>,
    /// The running story it is part of ("Ukraine peace talks"; any
    /// spelling of an existing story's name resolves to it).
    #[arg(long)]
    story: Option<String>,
}

#[derive(Args)]
struct BuildArgs {
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: output_dir in site.toml).
    #[arg(short, long)]
    output_dir: Option<PathBuf>,
    /// Replace site.toml's base_url.
    #[arg(short = 'u', long)]
    base_url: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated after now (scheduled stories).
    #[arg(long)]
    future: bool,
    /// Write into a non-empty directory that is not gazette's output
    /// (files gazette did not write are still never deleted).
    #[arg(long)]
    force: bool,
    /// Keep running and rebuild whenever a file changes.
    #[arg(short, long)]
    watch: bool,
    /// Print errors only: no notes, no warnings, no summary line.
    #[arg(short, long)]
    quiet: bool,
    /// Write a `.gz` and a `.br` beside every text file, for servers that
    /// serve them (nginx gzip_static, Caddy precompressed).
    #[arg(long, conflicts_with = "watch")]
    precompress: bool,
}

impl BuildArgs {
    /// A plain build of the site in `root`, as `deploy --build` runs it.
    fn of(root: PathBuf) -> Self {
        BuildArgs {
            root,
            output_dir: None,
            base_url: None,
            drafts: false,
            future: false,
            force: false,
            watch: false,
            quiet: false,
            precompress: false,
        }
    }
}

#[derive(Args)]
struct ServeArgs {
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// The address to listen on.
    #[arg(short, long, default_value = "127.0.0.1")]
    interface: String,
    /// The port to listen on (the next free one is used if it is taken).
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// Open the site in a browser.
    #[arg(short = 'O', long)]
    open: bool,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated after now (scheduled stories).
    #[arg(long)]
    future: bool,
    /// Where to keep the preview build (default: a folder in the system's
    /// temporary directory).
    #[arg(long)]
    output_dir: Option<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// How to print the findings: one a line like a compiler, or a JSON
    /// array of {path, line, column, severity, message}.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated after now (scheduled stories).
    #[arg(long)]
    future: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    small_pages();
    match Cli::parse().command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => check(args),
        Command::Init(args) => init(args),
        Command::New(args) => new(args),
        Command::Import(args) => import(args),
        Command::Deploy(args) => {
            if args.build {
                let built = build(BuildArgs::of(args.root.clone()));
                if built != ExitCode::SUCCESS {
                    return built;
                }
            }
            deploy_cli::run(args)
        }
    }
}

fn import(args: ImportArgs) -> ExitCode {
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            eprintln!("error: cannot read the story from stdin: {e}");
            return ExitCode::from(1);
        }
        text
    } else {
        match std::fs::read_to_string(&args.file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{}: error: cannot read: {e}", args.file.display());
                return ExitCode::from(1);
            }
        }
    };
    let options = gazette::ImportOptions {
        image: args.image,
        draft: args.draft,
        dry_run: args.dry_run,
        write_data: args.write_data,
        story: args.story,
    };
    match gazette::import(&args.root, &text, options) {
        Ok(done) => {
            for line in &done.report {
                println!("{line}");
            }
            if !done.suggestions.is_empty() {
                let what = if args.write_data {
                    "added to data/people.yaml"
                } else {
                    "suggested for data/people.yaml (not written; --write-data adds them)"
                };
                println!("\n# {what}:\n{}", done.suggestions);
            }
            if args.dry_run {
                println!("\n# would write {}:\n{}", done.path.display(), done.text);
            } else {
                println!("wrote {}", done.path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

fn init(args: InitArgs) -> ExitCode {
    match gazette::init(&args.dir, args.force) {
        Ok(done) => {
            for path in &done.written {
                eprintln!("created {}", path.display());
            }
            for path in &done.kept {
                eprintln!("kept {} (it exists)", path.display());
            }
            let dir = args.dir.display();
            println!("A new site is in {dir}. Build it, or preview it while you write:");
            println!("  gazette build -r {dir}");
            println!("  gazette serve -r {dir}");
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

/// `"A, B"` as `["A", "B"]`.
fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn new(args: NewArgs) -> ExitCode {
    let article = gazette::NewArticle {
        title: args.title,
        people: list(&args.people),
        countries: list(&args.countries),
        tags: list(&args.tags),
        source: args.source,
        date: args.date,
        draft: args.draft,
        image: args.image,
        story: args.story,
    };
    match gazette::new_article(&args.root, &article) {
        Ok(written) => {
            for w in &written.warnings {
                eprintln!("warning: {w}");
            }
            println!("{}", written.path.display());
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

/// Prints every finding on stdout (and, as text, a summary on stderr);
/// exit status 1 if any is an error.
fn check(args: CheckArgs) -> ExitCode {
    let options = LoadOptions {
        drafts: args.drafts,
        future: args.future,
        base_url: None,
        progress: None,
    };
    let findings = gazette::check(&args.root, &options);
    match args.format {
        Format::Text => {
            let colour = colour_on_stdout();
            for finding in &findings {
                println!("{}", paint(&finding.to_string(), colour));
            }
            eprintln!("{}", gazette::findings_summary(&findings));
        }
        Format::Json => {
            let json = gazette::findings_json(&findings);
            println!("{json:#}");
        }
    }
    if findings.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let progress = gazette::Progress::default();
    let options = LoadOptions {
        drafts: args.drafts,
        future: args.future,
        base_url: args.base_url,
        progress: (!args.quiet).then(|| progress.clone()),
    };
    let started = Instant::now();
    let mut bar = (!args.quiet && !args.watch).then(|| ProgressBar::start(progress));
    let loaded = Site::load_for_build(&args.root, &options);
    if loaded.is_err() {
        if let Some(bar) = bar.take() {
            bar.finish();
        }
    }
    let mut site = match loaded {
        Ok(site) => site,
        Err(e) if args.watch => {
            eprintln!("{e}");
            let out = args.output_dir.unwrap_or_else(|| {
                let configured = gazette::Config::load(&args.root).map(|c| c.output_dir);
                args.root
                    .join(configured.unwrap_or_else(|_| "public".into()))
            });
            let live = Live::new(&args.root, &out, options, args.force);
            live.on_background(report_background(started));
            return watch_loop(&args.root, live);
        }
        Err(e) => return report(&e),
    };
    if !args.quiet {
        for warning in site.warnings() {
            eprintln!("{}", paint(&warning.to_string(), colour_on_stderr()));
        }
    }
    let out = args
        .output_dir
        .clone()
        .unwrap_or_else(|| site.default_output_dir());
    site.set_precompress(args.precompress);
    let built = site.build_once(&out, args.force);
    if let Some(bar) = bar {
        bar.finish();
    }
    match built {
        Ok(_) if args.quiet => {}
        Ok(report) => {
            let f = &report.files;
            eprintln!(
                "built {} articles, {} pages into {} in {:.2?}: {} files written, {} unchanged, {} removed",
                site.article_count(),
                report.pages,
                out.display(),
                started.elapsed(),
                f.written,
                f.unchanged,
                f.removed
            );
            for warning in gazette::host_limit_warnings(&out) {
                eprintln!(
                    "{}",
                    paint(&format!("warning: {warning}"), colour_on_stderr())
                );
            }
        }
        Err(e) => {
            let code = report(&e);
            if !args.watch {
                return code;
            }
        }
    }
    if !args.watch {
        // The process ends here: freeing the site's many small allocations
        // one by one would take 0.3 s at 100k articles for nothing.
        std::mem::forget(site);
        return ExitCode::SUCCESS;
    }
    // The preview loads the site again, its own way: this one goes.
    drop(site);
    let mut live = Live::new(&args.root, &out, options, args.force);
    live.on_background(report_background(started));
    if let Err(e) = live.full_build() {
        eprintln!("{e}");
    }
    watch_loop(&args.root, live)
}

fn serve(args: ServeArgs) -> ExitCode {
    let listener = match gazette::bind_preview(&args.interface, args.port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e}",
                args.interface, args.port
            );
            return ExitCode::from(1);
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound socket has an address");
    if addr.port() != args.port && args.port != 0 {
        eprintln!(
            "port {} is in use; using {} instead",
            args.port,
            addr.port()
        );
    }
    let url = gazette::preview_url(addr);
    let out = args.output_dir.unwrap_or_else(|| preview_dir(&args.root));
    let options = LoadOptions {
        drafts: args.drafts,
        future: args.future,
        base_url: Some(url.clone()),
        progress: None,
    };
    let started = Instant::now();
    let mut live = Live::new(&args.root, &out, options, true);
    let preview = live.preview();
    live.on_background(report_background(started));
    // File reads run on tokio's blocking threads: a few are enough for a
    // preview, and each thread's allocator heap keeps what it freed (with
    // tokio's default of 512, 100 connections kept 800 MB resident).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return ExitCode::from(1);
        }
    };
    // The server answers at once: requests wait for the site's metadata,
    // then pages are rendered from memory until the files are written.
    let server = runtime.spawn(gazette::serve_preview(preview, listener));
    eprintln!("serving {} at {url} (Ctrl-C to stop)", args.root.display());
    match live.full_build() {
        Ok(_) => eprintln!(
            "loaded {} articles in {:.2?}: pages are served from memory while the files are written",
            live.article_count(),
            started.elapsed()
        ),
        Err(e) => eprintln!("{e}"),
    }
    if args.open {
        if let Err(e) = std::process::Command::new("xdg-open").arg(&url).spawn() {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    let code = watch_loop(&args.root, live);
    server.abort();
    code
}

/// Rebuilds on every batch of file changes until the watcher stops,
/// printing what each rebuild did.
fn watch_loop(root: &Path, mut live: Live) -> ExitCode {
    let mut watcher = match Watcher::new(root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", root.display());
            return ExitCode::from(1);
        }
    };
    eprintln!("watching {} for changes", root.display());
    live.watch(&mut watcher, |live, batch, result| match result {
        Ok(Rebuild {
            route: Route::None, ..
        }) => {}
        Ok(r) => {
            let what = if r.pending {
                "served from memory, the files follow".to_string()
            } else {
                let f = &r.files;
                format!(
                    "{} written, {} removed, {} unchanged",
                    f.written, f.removed, f.unchanged
                )
            };
            eprintln!(
                "rebuilt ({}) in {:.1?}: {what}; after {}",
                r.route,
                r.elapsed,
                trigger(root, live, batch)
            );
            if !r.errors.is_empty() {
                let message = Error::Input(r.errors.clone()).to_string();
                eprintln!("{}", paint(&message, colour_on_stderr()));
            }
        }
        Err(e) => eprintln!("{e}"),
    });
    ExitCode::SUCCESS
}

/// What set a rebuild off: the first changed path (under the site's
/// folder) and how many more.
fn trigger(root: &Path, live: &Live, batch: &[PathBuf]) -> String {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if batch.is_empty() {
        // Only work of gazette's own wakes the watcher without a path.
        return "photos finished in the background".into();
    }
    let batch: Vec<&PathBuf> = batch.iter().filter(|p| live.reads(p)).collect();
    let Some(first) = batch.first() else {
        return "no change".into();
    };
    let shown = first
        .strip_prefix(&canonical)
        .or_else(|_| first.strip_prefix(root))
        .unwrap_or(first);
    match batch.len() {
        1 => shown.display().to_string(),
        n => format!("{} and {} more", shown.display(), n - 1),
    }
}

/// Prints what the background work did (the open pages of a preview
/// hear of it from `Live` itself).
fn report_background(started: Instant) -> impl Fn(&Background) + Send + Sync + 'static {
    let ready = std::sync::atomic::AtomicBool::new(false);
    move |done: &Background| match done {
        Background::Pages { files, elapsed } => {
            eprintln!(
                "files written in {elapsed:.1?}: {} written, {} removed, {} unchanged",
                files.written, files.removed, files.unchanged
            );
            if files.written + files.removed >= LARGE_PASS {
                gazette::release_freed_memory();
            }
        }
        Background::Search { files, elapsed } => {
            eprintln!(
                "search index updated in {elapsed:.1?}: {} written",
                files.written
            );
            if files.written >= LARGE_PASS {
                gazette::release_freed_memory();
            }
            if !ready.swap(true, std::sync::atomic::Ordering::Relaxed) {
                eprintln!(
                    "site ready: every file written {:.2?} after the start",
                    started.elapsed()
                );
            }
        }
        Background::Failed(e) => eprintln!("{}", paint(&e.to_string(), colour_on_stderr())),
    }
}

/// Files written by a background pass past which the memory it freed is
/// given back to the system.
const LARGE_PASS: usize = 1000;

/// The preview build's folder: one per site, in the temporary directory.
fn preview_dir(root: &Path) -> PathBuf {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_64(canonical.to_string_lossy().as_bytes());
    std::env::temp_dir().join(format!("gazette-serve-{hash:016x}"))
}

fn report(error: &Error) -> ExitCode {
    eprintln!("{}", paint(&error.to_string(), colour_on_stderr()));
    ExitCode::from(1)
}

/// Colour for stderr: on a terminal, unless NO_COLOR is set.
fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Colour for stdout, by the same rule.
fn colour_on_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` (diagnostics, one a line: `path:1:2: error: ...`) with each
/// line's severity in colour when `colour`: errors red, warnings yellow,
/// notes cyan.
fn paint(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let styles = [("error", "1;31"), ("warning", "1;33"), ("note", "1;36")];
    text.lines()
        .map(|line| {
            // The first severity word of the line, where a message's own
            // text cannot be: at its start, or after the location.
            let found = styles
                .iter()
                .filter_map(|&(word, code)| {
                    let at = if line.starts_with(&format!("{word}: ")) {
                        Some(0)
                    } else {
                        line.find(&format!(": {word}: ")).map(|i| i + 2)
                    };
                    at.map(|at| (at, word, code))
                })
                .min();
            match found {
                Some((at, word, code)) => {
                    let end = at + word.len();
                    format!("{}\x1b[{code}m{word}\x1b[0m{}", &line[..at], &line[end..])
                }
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A progress bar on stderr for a build of more than a few hundred
/// articles, drawn from the build's counters until it is stopped.
struct ProgressBar {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    drawer: std::thread::JoinHandle<()>,
}

/// Builds of fewer articles finish before a bar would help.
const PROGRESS_FROM_ARTICLES: usize = 300;

impl ProgressBar {
    fn start(progress: gazette::Progress) -> ProgressBar {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let drawer = std::thread::spawn(move || {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            let style = indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len}")
                .expect("a valid template")
                .progress_chars("=> ");
            bar.set_style(style);
            let mut shown = false;
            while !stopped.load(Ordering::Relaxed) {
                let (stage, done, total) = progress.now();
                if stage == gazette::Stage::Loading && total >= PROGRESS_FROM_ARTICLES {
                    shown = true;
                }
                if shown {
                    bar.set_message(stage.name());
                    // Writing has no count: the bar stays full.
                    if total > 0 {
                        bar.set_length(total.max(done) as u64);
                        bar.set_position(done as u64);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(80));
            }
            bar.finish_and_clear();
        });
        ProgressBar { stop, drawer }
    }

    fn finish(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.drawer.join();
    }
}

#[cfg(test)]
mod tests {
    use super::paint;

    #[test]
    fn severities_are_coloured_only_when_asked() {
        let text = "a.md:1:2: error: bad\nb.md: warning: odd: error: inside\nerror: plain\nc.md: note: later";
        assert_eq!(paint(text, false), text);
        let painted = paint(text, true);
        let lines: Vec<&str> = painted.lines().collect();
        assert_eq!(lines[0], "a.md:1:2: \u{1b}[1;31merror\u{1b}[0m: bad");
        assert_eq!(
            lines[1],
            "b.md: \u{1b}[1;33mwarning\u{1b}[0m: odd: error: inside"
        );
        assert_eq!(lines[2], "\u{1b}[1;31merror\u{1b}[0m: plain");
        assert_eq!(lines[3], "c.md: \u{1b}[1;36mnote\u{1b}[0m: later");
    }
}

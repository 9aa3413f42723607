//! The `gazette` command line: `build` (and, in later issues, `serve`,
//! `check`...). Errors are printed like a compiler's, every one of them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use gazette::{Error, LoadOptions, Site};

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
    Build {
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
        /// Write into a non-empty directory that is not gazette's output
        /// (files gazette did not write are still never deleted).
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output_dir,
            base_url,
            drafts,
            force,
        } => build(root, output_dir, LoadOptions { drafts, base_url }, force),
    }
}

fn build(
    root: PathBuf,
    output_dir: Option<PathBuf>,
    options: LoadOptions,
    force: bool,
) -> ExitCode {
    let started = Instant::now();
    let site = match Site::load(&root, &options) {
        Ok(site) => site,
        Err(e) => return report(&e),
    };
    for warning in &site.warnings {
        eprintln!("{warning}");
    }
    let out = output_dir.unwrap_or_else(|| site.default_output_dir());
    match site.build(&out, force) {
        Ok(report) => {
            let f = &report.files;
            eprintln!(
                "built {} articles, {} pages into {} in {:.2?}: {} files written, {} unchanged, {} removed",
                site.content.articles.len(),
                report.pages,
                out.display(),
                started.elapsed(),
                f.written,
                f.unchanged,
                f.removed
            );
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

fn report(error: &Error) -> ExitCode {
    eprintln!("{error}");
    ExitCode::from(1)
}

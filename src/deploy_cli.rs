//! The `gazette deploy` command line: its arguments, and the summary it
//! prints (each file with its reason under `--dry-run`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// `gazette deploy`'s arguments.
#[derive(Args)]
pub(crate) struct DeployArgs {
    /// The site's folder (holding site.toml).
    #[arg(short, long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The [[deploy]] target's name (default: the first in site.toml).
    #[arg(short, long)]
    target: Option<String>,
    /// Say what would be sent and deleted, and why; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Refuse to delete more keys than this (default: the target's
    /// max_deletes, else 256).
    #[arg(long)]
    max_deletes: Option<usize>,
    /// Delete more keys than --max-deletes allows.
    #[arg(long)]
    force: bool,
    /// Build the site first (a deploy publishes the last build otherwise).
    #[arg(long)]
    pub(crate) build: bool,
}

/// Runs a deploy and prints its summary.
pub(crate) fn run(args: DeployArgs) -> ExitCode {
    let options = gazette::DeployOptions {
        target: args.target,
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
    };
    match gazette::deploy(&args.root, &options) {
        Ok(done) => {
            if done.dry_run {
                for line in &done.actions {
                    println!("{line}");
                }
            }
            let verb = if done.dry_run { "would send" } else { "sent" };
            let deleted = if done.dry_run { "to delete" } else { "deleted" };
            eprintln!(
                "{} `{}` ({}): {verb} {} files ({}), {} unchanged, {} {deleted}; the bucket's contents known from {}",
                if done.dry_run { "dry run of" } else { "deployed" },
                done.target,
                done.bucket,
                done.uploaded,
                if done.dry_run && done.compressed {
                    format!("{} before compression", human_bytes(done.uploaded_bytes))
                } else {
                    human_bytes(done.uploaded_bytes)
                },
                done.unchanged,
                done.deleted,
                done.known_from,
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

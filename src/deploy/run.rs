//! One deploy from start to end: the target and the build, what the
//! bucket holds, the plan, and (unless it is a dry run) the publishing:
//! the record marks what is about to change, the groups are uploaded in
//! order (each in parallel, bounded), the deletions follow, and the
//! record says what was done.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};

use super::credentials;
use super::headers::{headers_for, Headers};
use super::known::{known, Known, Source, PARALLEL};
use super::plan::{plan, Plan, Remote};
use super::record::{self, Entry, State};
use super::remote::Bucket;
use super::target::Target;
use crate::error::{Diagnostic, Error, Result};
use crate::load::Config;

/// What `gazette deploy` was asked.
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// The `[[deploy]]` target's name; the first when `None`.
    pub target: Option<String>,
    /// Say what would be done; change nothing.
    pub dry_run: bool,
    /// Deletions allowed without `force` (the target's `max_deletes` when `None`).
    pub max_deletes: Option<usize>,
    /// Delete past `max_deletes`.
    pub force: bool,
}

/// What a deploy did, or would do.
#[derive(Debug, Clone, Default)]
pub struct DeployReport {
    /// The target's name.
    pub target: String,
    /// Where: `s3://bucket/prefix at endpoint`.
    pub bucket: String,
    /// Files sent (or to send).
    pub uploaded: usize,
    /// Their bytes as stored (compressed when the target says so), or,
    /// in a dry run, as built.
    pub uploaded_bytes: u64,
    /// The target stores text compressed (a dry run's bytes are before it).
    pub compressed: bool,
    /// Files the bucket already held as built.
    pub unchanged: usize,
    /// Keys deleted (or to delete).
    pub deleted: usize,
    /// Where the bucket's contents were learned from.
    pub known_from: String,
    /// Each file with its reason, in publishing order (`--dry-run`).
    pub actions: Vec<String>,
    /// True when nothing was changed on purpose.
    pub dry_run: bool,
}

/// Publishes the build of the site in `root` to a `[[deploy]]` target.
pub fn deploy(root: &Path, options: &DeployOptions) -> Result<DeployReport> {
    let config = Config::load(root)?;
    let target = choose(&config, root, options.target.as_deref())?;
    let output = root.join(&config.output_dir);
    let files = crate::output::built_files(&output).ok_or_else(|| {
        fail(
            &output,
            "no finished gazette build here: run `gazette build` first (a deploy publishes the build, it does not make one)",
        )
    })?;
    let local = local_files(files, &target);
    let env = |name: &str| std::env::var(name).ok();
    let creds = credentials::find(&env).map_err(|m| fail(root.join("site.toml"), m))?;
    let region = target
        .region
        .clone()
        .unwrap_or_else(|| credentials::region(&env));
    let bucket =
        Bucket::open(&target, creds, region).map_err(|m| fail(root.join("site.toml"), m))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(root, e))?;
    let job = Job {
        output,
        target,
        bucket,
        local,
    };
    runtime
        .block_on(job.run(options))
        .map_err(|m| fail(root.join("site.toml"), m))
}

fn fail(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
    Error::one(Diagnostic::file(path, message))
}

fn choose(config: &Config, root: &Path, name: Option<&str>) -> Result<Target> {
    let site = root.join("site.toml");
    let targets = &config.deploy;
    let found = match name {
        None => targets.first(),
        Some(name) => targets.iter().find(|t| t.name == name),
    };
    found.cloned().ok_or_else(|| match name {
        _ if targets.is_empty() => fail(
            site,
            "no [[deploy]] target: add one, e.g.\n[[deploy]]\nname = \"production\"\nurl = \"s3://my-bucket/archive\"",
        ),
        Some(name) => fail(
            site,
            format!(
                "no [[deploy]] target named `{name}`: expected one of {}",
                targets.iter().map(|t| format!("`{}`", t.name)).collect::<Vec<_>>().join(", ")
            ),
        ),
        None => unreachable!("a first target exists when there are targets"),
    })
}

/// An output file as a deploy sends it.
struct Local {
    /// What the bucket stores with it: its bytes' hash and its headers'.
    stored: u64,
    /// The manifest's hash of its bytes, checked as it is read.
    bytes: u64,
    /// Its headers, held once for all the files that share them (a site
    /// has a handful of distinct headers and up to millions of files).
    headers: Arc<Headers>,
}

/// The build's files (from its manifest) as `target` stores them.
fn local_files(
    files: BTreeMap<String, crate::output::Stamp>,
    target: &Target,
) -> BTreeMap<String, Local> {
    let mut shared: HashMap<Headers, (Arc<Headers>, u64)> = HashMap::new();
    files
        .into_iter()
        .map(|(path, stamp)| {
            let headers = headers_for(&path, target);
            let (headers, headers_hash) = shared
                .entry(headers)
                .or_insert_with_key(|h| (Arc::new(h.clone()), h.hash()))
                .clone();
            let mut both = [0u8; 16];
            both[..8].copy_from_slice(&stamp.hash.to_le_bytes());
            both[8..].copy_from_slice(&headers_hash.to_le_bytes());
            let stored = xxhash_rust::xxh3::xxh3_64(&both);
            (
                path,
                Local {
                    stored,
                    bytes: stamp.hash,
                    headers,
                },
            )
        })
        .collect()
}

struct Job {
    output: PathBuf,
    target: Target,
    bucket: Bucket,
    local: BTreeMap<String, Local>,
}

impl Job {
    async fn run(self, options: &DeployOptions) -> std::result::Result<DeployReport, String> {
        self.bucket.check().await?;
        let known = known(&self.bucket).await?;
        let plan = plan(&self.local, |f| f.stored, &known.remote);
        self.refuse_unsafe_deletes(&plan, options)?;
        let mut report = DeployReport {
            target: self.target.name.clone(),
            bucket: self.bucket.describe.clone(),
            uploaded: plan.upload_count(),
            unchanged: plan.unchanged,
            deleted: plan.deletes.len(),
            known_from: known.source.words().to_string(),
            dry_run: options.dry_run,
            ..DeployReport::default()
        };
        report.actions = actions(&plan);
        report.compressed = self.target.precompress.is_some();
        if options.dry_run {
            report.uploaded_bytes = plan
                .uploads
                .iter()
                .flat_map(|(_, f)| f)
                .map(|(p, _)| std::fs::metadata(self.output.join(p)).map_or(0, |m| m.len()))
                .sum();
            return Ok(report);
        }
        if plan.is_empty() && known.source != Source::Listing {
            return Ok(report);
        }
        report.uploaded_bytes = self.publish(&plan, known).await?;
        Ok(report)
    }

    fn refuse_unsafe_deletes(
        &self,
        plan: &Plan,
        options: &DeployOptions,
    ) -> std::result::Result<(), String> {
        if plan.deletes.is_empty() {
            return Ok(());
        }
        if !self.local.contains_key("index.html") {
            return Err(format!(
                "the build in {} has no home page and looks unfinished: nothing was deleted or sent; rebuild, then deploy",
                self.output.display()
            ));
        }
        let max = options.max_deletes.unwrap_or(self.target.max_deletes);
        if plan.deletes.len() > max && !options.force {
            return Err(format!(
                "this deploy would delete {} keys from {}, more than the {max} allowed: nothing was sent; look with --dry-run, then run with --force (or a larger --max-deletes) if that is meant",
                plan.deletes.len(),
                self.bucket.describe
            ));
        }
        Ok(())
    }

    /// Marks, uploads, deletes and records; returns the bytes sent.
    async fn publish(&self, plan: &Plan, known: Known) -> std::result::Result<u64, String> {
        let touched = plan
            .uploads
            .iter()
            .flat_map(|(_, f)| f.iter().map(|(p, _)| p.as_str()))
            .chain(plan.deletes.iter().map(String::as_str));
        let (pending, pending_bytes) = record::encode_part(touched.map(|p| (p, Entry::Unknown)));
        self.bucket
            .put_record(&record::part_key(&pending), pending_bytes.into())
            .await?;
        let mut marked = known.state.clone();
        marked.format = 1;
        marked.parts.push(pending.clone());
        self.bucket
            .put_record(record::STATE, marked.to_bytes().into())
            .await?;
        let sent = Arc::new(AtomicU64::new(0));
        let bar = indicatif::ProgressBar::new(plan.upload_count() as u64);
        for (_, files) in &plan.uploads {
            futures::stream::iter(files)
                .map(|(path, _)| self.upload(path, &sent, &bar))
                .buffer_unordered(PARALLEL)
                .try_collect::<Vec<()>>()
                .await?;
        }
        bar.finish_and_clear();
        self.bucket.delete(&plan.deletes).await?;
        self.record(plan, known, pending).await?;
        Ok(sent.load(Ordering::Relaxed))
    }

    async fn upload(
        &self,
        path: &str,
        sent: &AtomicU64,
        bar: &indicatif::ProgressBar,
    ) -> std::result::Result<(), String> {
        let Local {
            stored,
            bytes: expected,
            headers,
        } = &self.local[path];
        let file = self.output.join(path);
        let expected = *expected;
        let encoding = headers.encoding;
        let body = tokio::task::spawn_blocking(move || -> std::result::Result<Bytes, String> {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            if xxhash_rust::xxh3::xxh3_64(&bytes) != expected {
                return Err(format!(
                    "{} changed since the build: rebuild, then deploy",
                    file.display()
                ));
            }
            Ok(match encoding {
                Some(enc) => crate::output::compress(&bytes, enc).into(),
                None => bytes.into(),
            })
        })
        .await
        .map_err(|e| e.to_string())??;
        sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        self.bucket.put(path, body, headers, *stored).await?;
        bar.inc(1);
        Ok(())
    }

    /// Replaces the pending part with the part of what was done (or the
    /// whole record, when the parts have grown many), and keeps a copy.
    async fn record(
        &self,
        plan: &Plan,
        known: Known,
        pending: String,
    ) -> std::result::Result<(), String> {
        let mut remote: Remote = known.remote;
        let mut done: Vec<(&str, Entry)> = Vec::new();
        for (_, files) in &plan.uploads {
            for (path, _) in files {
                let hash = self.local[path].stored;
                remote.insert(path.clone(), Some(hash));
                done.push((path, Entry::Stored(hash)));
            }
        }
        for path in &plan.deletes {
            remote.remove(path);
            done.push((path, Entry::Gone));
        }
        let mut stale = known.stale_parts;
        stale.push(pending);
        let mut parts = known.state.parts;
        let (id, bytes) = if parts.is_empty() || parts.len() >= record::MAX_PARTS {
            stale.append(&mut parts);
            record::whole(&remote)
        } else {
            record::encode_part(done.into_iter())
        };
        self.bucket
            .put_record(&record::part_key(&id), bytes.into())
            .await?;
        parts.push(id);
        let state = State { format: 1, parts };
        self.bucket
            .put_record(record::STATE, state.to_bytes().into())
            .await?;
        stale.retain(|p| !state.parts.contains(p));
        let stale: Vec<String> = stale.iter().map(|p| record::part_key(p)).collect();
        self.bucket.delete(&stale).await?;
        // The copy only saves reading the record next time.
        let _ = record::write_cache(&known.cache, &state, &remote);
        Ok(())
    }
}

fn actions(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for (group, files) in &plan.uploads {
        for (path, reason) in files {
            lines.push(format!(
                "upload {path} ({}; {})",
                reason.word(),
                group.name()
            ));
        }
    }
    lines.extend(
        plan.deletes
            .iter()
            .map(|p| format!("delete {p} (not in the build)")),
    );
    lines
}

//! How far a build has got, for the command line to draw: a shared handle
//! of counters that the stages advance (articles read, pages rendered)
//! and that a drawing thread reads. The library never draws anything.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// A stage of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing started yet.
    Waiting,
    /// Reading the articles.
    Loading,
    /// Rendering the pages.
    Rendering,
    /// Putting the files in place.
    Writing,
}

impl Stage {
    /// The stage's name, as a progress bar shows it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Waiting => "starting",
            Stage::Loading => "loading",
            Stage::Rendering => "rendering",
            Stage::Writing => "writing",
        }
    }
}

/// Counters of a build's progress; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// The stage, how much of it is done, and its total.
    pub fn now(&self) -> (Stage, usize, usize) {
        let stage = match self.0.stage.load(Ordering::Relaxed) {
            1 => Stage::Loading,
            2 => Stage::Rendering,
            3 => Stage::Writing,
            _ => Stage::Waiting,
        };
        (
            stage,
            self.0.done.load(Ordering::Relaxed),
            self.0.total.load(Ordering::Relaxed),
        )
    }

    /// Starts `stage` with `total` steps.
    pub(crate) fn start(&self, stage: Stage, total: usize) {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
        self.0.stage.store(stage as u8, Ordering::Relaxed);
    }

    /// One more step done.
    pub(crate) fn step(&self) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Advances `progress`, when there is one.
pub(crate) fn step(progress: Option<&Progress>) {
    if let Some(p) = progress {
        p.step();
    }
}

/// Starts a stage of `progress`, when there is one.
pub(crate) fn start(progress: Option<&Progress>, stage: Stage, total: usize) {
    if let Some(p) = progress {
        p.start(stage, total);
    }
}

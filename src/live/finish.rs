//! The preview's start reads only the headers of photos it has never seen
//! (their size, kind and caption: enough for every page but the colour
//! that fills a photo's box while it loads), so that its first page does
//! not wait for a thousand photos to be decoded. This finishes them on a
//! thread of its own: each is decoded once into the photo cache (its
//! probe and its copies, which the background file pass leaves to it), and
//! the files are then taken in like an editor's change to them (the
//! articles that show them are read again, with the whole probes, and
//! their copies linked), which the next batch does; a watcher blocked for
//! its next batch is woken for it.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::site::UnfinishedPhotos;

/// Wakes the watcher's wait for its next batch.
pub(crate) type Waker = Sender<notify::Result<notify::Event>>;

/// Photos being finished in the background.
#[derive(Default)]
pub(crate) struct Finisher {
    /// The thread finishing them, with the photo files it did.
    thread: Option<JoinHandle<Vec<PathBuf>>>,
    /// Where to say the thread is done, once a watcher listens.
    waker: Arc<Mutex<Option<Waker>>>,
}

impl Finisher {
    /// Starts finishing `photos` (those of a new load: the work of an
    /// earlier load is dropped, what it finished stays in the cache).
    pub(crate) fn start(&mut self, photos: UnfinishedPhotos) {
        if photos.is_empty() {
            self.thread = None;
            return;
        }
        let waker = self.waker.clone();
        let thread = std::thread::spawn(move || {
            let done = match own_pool() {
                Some(pool) => pool.install(|| photos.finish()),
                None => photos.finish(),
            };
            let waker = waker.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(waker) = waker {
                let _ = waker.send(Ok(notify::Event::new(notify::EventKind::Other)));
            }
            done
        });
        self.thread = Some(thread);
    }

    /// Wakes `waker` when the photos are finished (at once if they are).
    pub(crate) fn wake(&self, waker: Waker) {
        if self.thread.as_ref().is_some_and(JoinHandle::is_finished) {
            let _ = waker.send(Ok(notify::Event::new(notify::EventKind::Other)));
        }
        *self.waker.lock().unwrap_or_else(|e| e.into_inner()) = Some(waker);
    }

    /// The photo files finished since the last call, if the work is done;
    /// with `wait`, once it is.
    pub(crate) fn take_done(&mut self, wait: bool) -> Vec<PathBuf> {
        let done = self.thread.as_ref().is_some_and(JoinHandle::is_finished);
        match self.thread.take() {
            Some(thread) if done || wait => thread.join().unwrap_or_default(),
            other => {
                self.thread = other;
                Vec::new()
            }
        }
    }
}

/// A pool of its own for the photos, of half the cores: in rayon's global
/// pool a thousand photos' work would queue every edit's rendering behind
/// it (an editor's first save after a cold start was served 70 s later),
/// and with every core the edits would get half the machine.
fn own_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    rayon::ThreadPoolBuilder::new()
        .num_threads((cores / 2).max(1))
        .thread_name(|i| format!("gazette-photos-{i}"))
        .build()
        .ok()
}

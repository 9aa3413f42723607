//! Rendered fragments kept for a whole build: each article's card (lists
//! show it as it is, instead of rendering the article again on each list)
//! and its feed `<entry>`. At 100,000 articles the cards' HTML alone is
//! 126 MB, a fifth of a build's peak; at a million, 1.3 GB. In memory they
//! are kept as pieces that many share ([`Pieces`]: about 35 MB at 100k).
//! A build (`gazette build`, [`Fragments::set_aside_in`]) holds the first
//! [`HELD_BYTES`] of them in memory and writes the rest to an unnamed
//! temporary file beside the output (gone when closed, even if the build
//! is killed), reading each back on each use, from the system's cache. A
//! site that lives on (the preview) keeps them all in memory, where an
//! edit replaces them.
//!
//! Reading back costs: at 100,000 articles, with every fragment in the
//! file, the build took 34 s against 27 s (each card is read on each of
//! its lists, a million reads; two runs, output in tmpfs), for a peak of
//! 500 MB against 640 MB. Hence the memory first.

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::pieces::Pieces;

/// The bytes of fragments a build holds in memory before it writes the
/// rest to its file. Kept as pieces, an article's card and entry take
/// about 600 bytes (the heap at the end of a 100k build's pages: 299 MiB,
/// 377 with whole fragments): 128 MB hold some 220,000 articles', where
/// 256 MB of whole fragments held 180,000.
pub(crate) const HELD_BYTES: usize = 128 << 20;

/// Where the fragments go: memory, or, past [`HELD_BYTES`], a file once
/// set aside.
#[derive(Debug, Default)]
pub(crate) struct Fragments {
    file: OnceLock<SetAside>,
    /// The bytes of the fragments' codes held in memory so far (their
    /// pieces' are counted by [`Pieces`]).
    held: AtomicUsize,
    /// The pieces of the fragments held in memory.
    pieces: Pieces,
}

/// The temporary file, and where its end is (each fragment is written at
/// the end it reserves, by many threads at once).
#[derive(Debug)]
struct SetAside {
    file: File,
    end: AtomicU64,
    /// Past this many bytes held, fragments go to the file.
    hold: usize,
}

/// One fragment kept: its text, or where it is in the file.
#[derive(Debug)]
pub(crate) enum Fragment {
    /// Its pieces' numbers ([`Pieces::code`]).
    Here(Box<[u8]>),
    /// Its place in the file it was set aside in.
    There { at: u64, len: u32 },
}

impl Fragment {
    /// The fragment of no text (a card whose template failed).
    pub(crate) fn empty() -> Fragment {
        Fragment::Here(Box::new([0]))
    }
}

impl Fragments {
    /// Keeps the fragments kept from now on past `hold` bytes held in
    /// memory ([`HELD_BYTES`] for a build) in a temporary file of `dir`;
    /// where none can be made, they stay in memory. Only a site built once
    /// asks: the file only grows.
    pub(crate) fn set_aside_in(&self, dir: &Path, hold: usize) {
        if cfg!(unix) {
            if let Ok(file) = tempfile::tempfile_in(dir) {
                let end = AtomicU64::new(0);
                let _ = self.file.set(SetAside { file, end, hold });
            }
        }
    }

    /// Keeps `text`: in memory, as pieces shared with the other fragments
    /// ([`Pieces`]), while the bytes held are under the file's bound (or
    /// there is no file), else in the file if it can be written.
    pub(crate) fn keep(&self, text: String) -> Fragment {
        let aside = self.file.get();
        let held = self.held.load(Ordering::Relaxed) + self.pieces.bytes();
        if let Some(aside) = aside.filter(|a| held > a.hold) {
            let len = text.len() as u64;
            let at = aside.end.fetch_add(len, Ordering::Relaxed);
            if len <= u64::from(u32::MAX) && write_at(&aside.file, text.as_bytes(), at).is_ok() {
                return Fragment::There {
                    at,
                    len: len as u32,
                };
            }
        }
        let code = self.pieces.code(&text);
        self.held.fetch_add(code.len(), Ordering::Relaxed);
        Fragment::Here(code)
    }

    /// The text of `fragment`.
    pub(crate) fn read<'f>(&self, fragment: &'f Fragment) -> Cow<'f, str> {
        match fragment {
            Fragment::Here(code) => Cow::Owned(self.pieces.text(code)),
            Fragment::There { at, len } => {
                let aside = self.file.get().expect("a fragment set aside has its file");
                let mut bytes = vec![0; *len as usize];
                // The file is ours, unnamed, and was written whole: failing
                // to read it back is the machine's failure, not the site's.
                read_at(&aside.file, &mut bytes, *at)
                    .expect("a rendered fragment set aside in a temporary file reads back");
                Cow::Owned(String::from_utf8(bytes).expect("a fragment was written from a str"))
            }
        }
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_reads_back_from_memory_or_from_its_file() {
        let here = Fragments::default();
        let kept = here.keep("<li>one</li>".into());
        assert!(matches!(kept, Fragment::Here(_)));
        assert_eq!(here.read(&kept), "<li>one</li>");
        let dir = tempfile::tempdir().unwrap();
        let aside = Fragments::default();
        // The first 40 bytes are held, the rest are in the file.
        aside.set_aside_in(dir.path(), 40);
        let texts: Vec<String> = (0..100).map(|n| format!("<li>é {n}</li>")).collect();
        let kept: Vec<Fragment> = std::thread::scope(|s| {
            let halves = texts.chunks(50).map(|half| {
                let aside = &aside;
                s.spawn(move || {
                    half.iter()
                        .map(|t| aside.keep(t.clone()))
                        .collect::<Vec<_>>()
                })
            });
            let halves: Vec<_> = halves.collect();
            halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        // 19 bytes for the first (each piece in its code, seen once), then
        // 13 or 18 (`</li>` kept): 3 held, and maybe one more from the
        // other thread.
        let held = kept.iter().filter(|f| matches!(f, Fragment::Here(_)));
        assert!((3..=5).contains(&held.count()));
        for (text, fragment) in texts.iter().zip(&kept) {
            assert_eq!(aside.read(fragment), text.as_str());
        }
        assert_eq!(aside.read(&aside.keep(String::new())), "");
        // The file was unnamed: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

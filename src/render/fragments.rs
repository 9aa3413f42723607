//! Rendered fragments kept for a whole build: each article's card (lists
//! show it as it is, instead of rendering the article again on each list)
//! and its feed `<entry>`. At 100,000 articles the cards' HTML alone is
//! 126 MB, a fifth of a build's peak, though each is read only when a list
//! that shows it is rendered. So a build (`gazette build`, [`Fragments::
//! set_aside_in`]) writes each fragment to an unnamed temporary file beside
//! the output (gone when closed, even if the build is killed) and reads it
//! back on each use, from the system's cache; a site that lives on (the
//! preview) keeps them in memory, where an edit replaces them.

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Where the fragments go: memory, or a file once set aside.
#[derive(Debug, Default)]
pub(crate) struct Fragments {
    file: OnceLock<SetAside>,
}

/// The temporary file, and where its end is (each fragment is written at
/// the end it reserves, by many threads at once).
#[derive(Debug)]
struct SetAside {
    file: File,
    end: AtomicU64,
}

/// One fragment kept: its text, or where it is in the file.
#[derive(Debug)]
pub(crate) enum Fragment {
    Here(Box<str>),
    There { at: u64, len: u32 },
}

impl Fragments {
    /// Keeps every fragment kept from now on in a temporary file of `dir`;
    /// where none can be made, they stay in memory. Only a site built
    /// once asks: the file only grows.
    pub(crate) fn set_aside_in(&self, dir: &Path) {
        if cfg!(unix) {
            if let Ok(file) = tempfile::tempfile_in(dir) {
                let end = AtomicU64::new(0);
                let _ = self.file.set(SetAside { file, end });
            }
        }
    }

    /// Keeps `text`, in the file if there is one and it could be written.
    pub(crate) fn keep(&self, text: String) -> Fragment {
        if let Some(aside) = self.file.get() {
            let len = text.len() as u64;
            let at = aside.end.fetch_add(len, Ordering::Relaxed);
            if len <= u64::from(u32::MAX) && write_at(&aside.file, text.as_bytes(), at).is_ok() {
                return Fragment::There {
                    at,
                    len: len as u32,
                };
            }
        }
        Fragment::Here(super::kept(text).into_boxed_str())
    }

    /// The text of `fragment`.
    pub(crate) fn read<'f>(&self, fragment: &'f Fragment) -> Cow<'f, str> {
        match fragment {
            Fragment::Here(text) => Cow::Borrowed(text),
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
        aside.set_aside_in(dir.path());
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
        for (text, fragment) in texts.iter().zip(&kept) {
            assert!(matches!(fragment, Fragment::There { .. }));
            assert_eq!(aside.read(fragment), text.as_str());
        }
        assert_eq!(aside.read(&aside.keep(String::new())), "");
        // The file was unnamed: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

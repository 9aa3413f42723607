//! The compressed siblings of text files (`page.html.gz`, `page.html.br`)
//! that `gazette build --precompress` writes: each follows its file in
//! every way the file is written, kept or forgotten, and is marked with
//! the hash of the bytes it was made from, so it is made again exactly
//! when they change. A build without `--precompress` forgets the siblings
//! of the files it touches, so a server never serves a stale one.

use super::compress::{compress, has_siblings, Encoding};
use super::{Output, Stamp};
use crate::error::Diagnostic;

impl Output {
    /// Writes `.gz` and `.br` siblings of every text file from now on.
    pub(crate) fn set_precompress(&mut self, on: bool) {
        self.precompress = on;
    }

    /// Makes, keeps or forgets the siblings of `rel`, just recorded with
    /// `stamp`; `bytes` are its bytes when the caller has them (else they
    /// are read from the output folder, where a kept file is).
    pub(super) fn follow(
        &self,
        rel: &str,
        bytes: Option<&[u8]>,
        stamp: &Stamp,
    ) -> Result<(), Diagnostic> {
        if !has_siblings(rel) {
            return Ok(());
        }
        let mut read: Option<Vec<u8>> = None;
        for encoding in Encoding::ALL {
            let sibling = format!("{rel}.{}", encoding.extension());
            let previous = self.previous.get(&sibling).copied();
            if !self.precompress {
                if previous.is_some() {
                    self.forget(&format!("/{sibling}"));
                }
                continue;
            }
            match previous {
                Some(p) if p.fingerprint == stamp.hash && self.on_disk(&sibling, &p) => {
                    self.record(sibling, p)?;
                }
                _ => {
                    let source = match bytes {
                        Some(b) => b,
                        None => read
                            .get_or_insert(std::fs::read(self.dir.join(rel)).map_err(|e| {
                                Diagnostic::file(self.dir.join(rel), e.to_string())
                            })?),
                    };
                    let packed = compress(source, encoding);
                    self.keep_for_commit(&sibling, &packed)?;
                    self.record(sibling, Stamp::of(&packed, stamp.hash))?;
                }
            }
        }
        Ok(())
    }

    /// Forgets the siblings of `rel` with it.
    pub(super) fn forget_siblings(&self, rel: &str) {
        for encoding in Encoding::ALL {
            let sibling = format!("{rel}.{}", encoding.extension());
            if self.previous.contains_key(&sibling) {
                self.forgotten
                    .lock()
                    .expect("no panics while holding the lock")
                    .insert(sibling);
            }
        }
    }
}

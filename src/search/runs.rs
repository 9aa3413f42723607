//! The word pairs' parts, set aside as they are gathered. A pair's part
//! lists every document it is in, and documents are gathered in order while
//! the `pairs/` files are written in the pairs' order: held whole until
//! then, with their maps and their room to grow, the parts of 100,000
//! articles took 230 MB on each of two cores, the largest part of a build's
//! peak. So a core gathers a block of documents until its pairs take
//! [`Runs::bytes`], then writes them, in the pairs' order, as one run: to
//! an unnamed temporary file in [`Runs::dir`] (gone when closed, even if
//! the build is killed), else to memory, compactly. Writing `pairs/`
//! merges every run in the pairs' order, a pair's parts joined in the order
//! of the documents (the runs'), so the files are the same whatever the
//! blocks were.
//!
//! A run, for each pair: its first word, its second word, its part's last
//! document and its part, each after its length; lengths and documents as
//! varints.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::pairs::{append_bytes, PairPart};
use super::sets::put_varint;

/// Where the runs go, and how many bytes a core's pairs take before they
/// are set aside as a run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Runs<'a> {
    /// The folder of the temporary files (`None`: the runs stay in memory).
    pub(crate) dir: Option<&'a Path>,
    pub(crate) bytes: usize,
}

/// How many bytes a core's pairs take before they are set aside. At
/// 100,000 articles, where each of two cores gathers some 120 MB of parts,
/// 32 MB left the build's peak at 448 MB and 12 MB at 422 MB (the runs
/// then hold each frequent pair once a run, some 20 runs).
pub(crate) const RUN_BYTES: usize = 12 << 20;

impl Runs<'_> {
    /// Runs in temporary files of `dir`.
    pub(crate) fn in_folder(dir: &Path) -> Runs<'_> {
        Runs {
            dir: Some(dir),
            bytes: RUN_BYTES,
        }
    }
}

impl Runs<'static> {
    /// Runs kept in memory (the preview, whose index is rebuilt in the
    /// background while the site lives on).
    pub(crate) const IN_MEMORY: Runs<'static> = Runs {
        dir: None,
        bytes: RUN_BYTES,
    };
}

/// One run: a block's pairs in order.
pub(super) enum Run {
    Memory(Vec<u8>),
    File(File),
}

impl Run {
    /// The run of `pairs` (each its two words and its part), which are in
    /// the order of their words: in a temporary file of `runs.dir` if one
    /// can be written there, else in memory.
    pub(super) fn write<'w>(
        pairs: impl Iterator<Item = (&'w str, &'w str, &'w PairPart)> + Clone,
        runs: Runs,
    ) -> Run {
        if let Some(dir) = runs.dir {
            if let Ok(file) = to_file(pairs.clone(), dir) {
                return Run::File(file);
            }
        }
        let mut bytes = Vec::new();
        encode(&mut bytes, pairs).expect("writing to memory does not fail");
        bytes.shrink_to_fit();
        Run::Memory(bytes)
    }

    fn reader(self) -> io::Result<Box<dyn BufRead + Send>> {
        Ok(match self {
            Run::Memory(bytes) => Box::new(io::Cursor::new(bytes)),
            Run::File(mut file) => {
                file.seek(SeekFrom::Start(0))?;
                Box::new(BufReader::with_capacity(1 << 16, file))
            }
        })
    }
}

fn to_file<'w>(
    pairs: impl Iterator<Item = (&'w str, &'w str, &'w PairPart)>,
    dir: &Path,
) -> io::Result<File> {
    let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(dir)?);
    encode(&mut out, pairs)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

fn encode<'w>(
    out: &mut impl Write,
    pairs: impl Iterator<Item = (&'w str, &'w str, &'w PairPart)>,
) -> io::Result<()> {
    let mut head = Vec::new();
    for (first, second, part) in pairs {
        head.clear();
        put_varint(&mut head, first.len() as u64);
        head.extend_from_slice(first.as_bytes());
        put_varint(&mut head, second.len() as u64);
        head.extend_from_slice(second.as_bytes());
        put_varint(&mut head, u64::from(part.last().unwrap_or(0)));
        put_varint(&mut head, part.bytes().len() as u64);
        out.write_all(&head)?;
        out.write_all(part.bytes())?;
    }
    Ok(())
}

/// A pair read back from run `run`: its key (`"first second"`, the first
/// word `split` bytes long), its last document and its part.
struct Entry {
    key: String,
    split: usize,
    last: u32,
    part: Vec<u8>,
    run: usize,
}

impl Entry {
    fn words(&self) -> (&str, &str) {
        (&self.key[..self.split], &self.key[self.split + 1..])
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        (self.words(), self.run).cmp(&(other.words(), other.run))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

fn read_varint(from: &mut dyn BufRead) -> io::Result<u64> {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let mut byte = [0u8];
        from.read_exact(&mut byte)?;
        n |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] < 0x80 {
            return Ok(n);
        }
        shift += 7;
    }
}

fn read_bytes(from: &mut dyn BufRead, into: &mut Vec<u8>) -> io::Result<()> {
    let len = read_varint(from)?;
    match from.take(len).read_to_end(into)? as u64 == len {
        true => Ok(()),
        false => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// The next pair of run `run`, or `None` at its end.
fn read_entry(from: &mut dyn BufRead, run: usize) -> io::Result<Option<Entry>> {
    if from.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let mut key = Vec::new();
    read_bytes(from, &mut key)?;
    let split = key.len();
    key.push(b' ');
    read_bytes(from, &mut key)?;
    let key = String::from_utf8(key).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let last = read_varint(from)? as u32;
    let mut part = Vec::new();
    read_bytes(from, &mut part)?;
    Ok(Some(Entry {
        key,
        split,
        last,
        part,
        run,
    }))
}

/// Every pair of `runs` (in the order of the documents) in the pairs'
/// order, each given to `each` once with its key (`"first second"`) and
/// its whole part.
pub(super) fn merge(runs: Vec<Run>, mut each: impl FnMut(&str, &[u8])) -> io::Result<()> {
    let mut readers = (runs.into_iter().map(Run::reader)).collect::<io::Result<Vec<_>>>()?;
    let mut heads = BinaryHeap::new();
    for (run, reader) in readers.iter_mut().enumerate() {
        heads.extend(read_entry(reader.as_mut(), run)?.map(Reverse));
    }
    while let Some(Reverse(mut pair)) = heads.pop() {
        heads.extend(read_entry(readers[pair.run].as_mut(), pair.run)?.map(Reverse));
        while let Some(Reverse(same)) = heads.peek() {
            if same.words() != pair.words() {
                break;
            }
            let Some(Reverse(same)) = heads.pop() else {
                break;
            };
            append_bytes(&mut pair.part, Some(pair.last), &same.part);
            pair.last = same.last;
            heads.extend(read_entry(readers[same.run].as_mut(), same.run)?.map(Reverse));
        }
        each(&pair.key, &pair.part);
    }
    Ok(())
}

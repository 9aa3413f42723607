//! The word pairs' parts, set aside as they are gathered. A pair's part
//! lists every document it is in, and documents are gathered in order while
//! the `pairs/` files are written in the pairs' order: held whole until
//! then, with their maps and their room to grow, the parts of 100,000
//! articles took 230 MB on each of two cores, the largest part of a build's
//! peak. So a core gathers a block of documents until its pairs take
//! [`Runs::bytes`], then writes them, in the pairs' order, as one run: to
//! an unnamed temporary file in [`Runs::dir`] (gone when closed, even if
//! the build is killed), else held as they were gathered. Writing `pairs/`
//! merges every run in the pairs' order, a pair's parts joined in the order
//! of the documents (the runs'), so the files are the same whatever the
//! blocks were.
//!
//! A run's file, for each pair: the numbers of its first and second words (in
//! the core's numbering, [`CoreRuns::place`] saying where each is in the
//! index's sorted terms), its part's last document, its part's length and
//! the part; numbers as varints.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{self, AtomicBool};

use super::pairs::{append_bytes, PairPart};
use super::sets::{get_varint, put_varint};

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
/// 32 MB left the index's peak at 448 MB and 12 MB at 422 MB, but with
/// some 20 runs to sort and merge instead of 8; the pages' peak is higher
/// than either.
pub(crate) const RUN_BYTES: usize = 32 << 20;

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
    /// background while the site lives on): one a core, as a run held in
    /// memory takes what its pairs took, and more runs would only be more
    /// to merge.
    pub(crate) const IN_MEMORY: Runs<'static> = Runs {
        dir: None,
        bytes: usize::MAX,
    };
}

/// One core's runs, in the order of their documents, and where each of
/// the core's term numbers is in the index's sorted terms.
pub(super) struct CoreRuns {
    pub(super) place: Vec<u32>,
    pub(super) runs: Vec<Run>,
}

/// One run: a block's pairs in order, each by its key (the core's numbers
/// of its two words, as [`pair_key`] makes it), held as they were gathered
/// (the preview: encoding and reading them back made its next save wait
/// up to 160 ms at 10,000 articles) or written to a file.
pub(super) enum Run {
    Held(Vec<(u64, PairPart)>),
    File(File),
}

impl Run {
    /// The run of `pairs`, which are in the order of their words: in a
    /// temporary file of `runs.dir` if one can be written there, else held.
    pub(super) fn write(pairs: Vec<(u64, PairPart)>, runs: Runs) -> Run {
        if let Some(dir) = runs.dir {
            if let Ok(file) = to_file(&pairs, dir) {
                return Run::File(file);
            }
        }
        Run::Held(pairs)
    }

    fn reader(self) -> io::Result<Reader> {
        Ok(match self {
            Run::Held(pairs) => Reader::Held(pairs.into_iter()),
            Run::File(mut file) => {
                file.seek(SeekFrom::Start(0))?;
                Reader::File(BufReader::with_capacity(1 << 16, file))
            }
        })
    }
}

/// A run being read back.
enum Reader {
    Held(std::vec::IntoIter<(u64, PairPart)>),
    File(BufReader<File>),
}

impl Reader {
    /// The next pair of run `run` (of a core whose words are at `place`),
    /// or `None` at its end.
    fn next(&mut self, place: &[u32], run: usize) -> io::Result<Option<Entry>> {
        match self {
            Reader::File(file) => read_entry(file, place, run),
            Reader::Held(pairs) => Ok(pairs.next().map(|(key, part)| Entry {
                key: pair_key(place[(key >> 32) as usize], place[key as u32 as usize]),
                last: part.last().unwrap_or(0),
                part: part.into_bytes(),
                run,
            })),
        }
    }
}

fn to_file(pairs: &[(u64, PairPart)], dir: &Path) -> io::Result<File> {
    let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(dir)?);
    encode(&mut out, pairs)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

fn encode(out: &mut impl Write, pairs: &[(u64, PairPart)]) -> io::Result<()> {
    let mut head = Vec::new();
    for (key, part) in pairs {
        head.clear();
        put_varint(&mut head, key >> 32);
        put_varint(&mut head, key & 0xffff_ffff);
        put_varint(&mut head, u64::from(part.last().unwrap_or(0)));
        put_varint(&mut head, part.bytes().len() as u64);
        out.write_all(&head)?;
        out.write_all(part.bytes())?;
    }
    Ok(())
}

/// A pair read back from run `run`: its key (the places of its two words
/// in the index's terms, as [`pair_key`]), its last document and its part.
struct Entry {
    key: u64,
    last: u32,
    part: Vec<u8>,
    run: usize,
}

/// A pair's key: the numbers (or places) of its words, the first in the
/// high half; by places, keys sort as the pairs.
pub(super) fn pair_key(first: u32, second: u32) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        (self.key, self.run).cmp(&(other.key, other.run))
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

/// The longest varint (a u64).
const VARINT_MAX: usize = 10;

fn read_varint(from: &mut dyn BufRead) -> io::Result<u64> {
    let buffered = from.fill_buf()?;
    if buffered.len() >= VARINT_MAX && buffered[..VARINT_MAX].iter().any(|&b| b < 0x80) {
        let mut at = 0;
        let n = get_varint(buffered, &mut at);
        from.consume(at);
        return Ok(n);
    }
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let mut byte = [0u8];
        from.read_exact(&mut byte)?;
        n |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] < 0x80 {
            return Ok(n);
        }
        shift += 7;
        if shift >= 64 {
            return Err(io::ErrorKind::InvalidData.into());
        }
    }
}

/// The next pair of a run's file.
fn read_entry(from: &mut dyn BufRead, place: &[u32], run: usize) -> io::Result<Option<Entry>> {
    if from.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let mut word = || -> io::Result<u32> {
        let n = read_varint(from)? as usize;
        place
            .get(n)
            .copied()
            .ok_or_else(|| io::ErrorKind::InvalidData.into())
    };
    let key = pair_key(word()?, word()?);
    let last = read_varint(from)? as u32;
    let len = read_varint(from)?;
    let mut part = Vec::with_capacity(len as usize);
    match from.take(len).read_to_end(&mut part)? as u64 == len {
        true => Ok(Some(Entry {
            key,
            last,
            part,
            run,
        })),
        false => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// How many pairs are merged between two looks at the stop flag.
const STOP_EVERY: usize = 1024;

/// Every pair of the cores' runs (in the order of the documents) in the
/// pairs' order, each given to `each` once with the places of its two
/// words in the index's terms and its whole part: `Ok(false)` when `stop`
/// was set meanwhile (the preview's next save goes first).
pub(super) fn merge(
    cores: Vec<CoreRuns>,
    stop: &AtomicBool,
    mut each: impl FnMut(usize, usize, &[u8]),
) -> io::Result<bool> {
    let mut readers = Vec::new();
    let mut places = Vec::new();
    for (core, CoreRuns { place, runs }) in cores.into_iter().enumerate() {
        for run in runs {
            readers.push((run.reader()?, core));
        }
        places.push(place);
    }
    let count = readers.len();
    let mut next = |run: usize| {
        let (reader, core) = &mut readers[run];
        reader.next(&places[*core], run).map(|e| e.map(Reverse))
    };
    let mut heads = BinaryHeap::new();
    for run in 0..count {
        heads.extend(next(run)?);
    }
    let mut merged = 0;
    while let Some(Reverse(mut pair)) = heads.pop() {
        merged += 1;
        if merged % STOP_EVERY == 0 && stop.load(atomic::Ordering::Relaxed) {
            return Ok(false);
        }
        heads.extend(next(pair.run)?);
        while let Some(Reverse(same)) = heads.peek() {
            if same.key != pair.key {
                break;
            }
            let Some(Reverse(same)) = heads.pop() else {
                break;
            };
            append_bytes(&mut pair.part, Some(pair.last), &same.part);
            pair.last = same.last;
            heads.extend(next(same.run)?);
        }
        each(
            (pair.key >> 32) as usize,
            (pair.key & 0xffff_ffff) as usize,
            &pair.part,
        );
    }
    Ok(true)
}

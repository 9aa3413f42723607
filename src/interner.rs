//! Strings kept once and known by number, for what a large archive holds
//! many times over: the names articles give (`load`'s [`Name`]s: 1.19
//! million at 100,000 articles, a few thousand distinct) and the pieces of
//! the kept cards (`render`'s pieces). Strings are added by many threads
//! at once and read by number without a lock; none is ever removed (an
//! interner lives as long as what it numbers).
//!
//! [`Name`]: crate::load::Name

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64;

/// The tables of known strings, each guarding the strings whose hash falls
/// to it (two threads adding the same new string meet at its table).
const TABLES: usize = 16;

/// Every string kept, by number; tables of each one's number by its text.
#[derive(Debug)]
pub(crate) struct Interner {
    texts: boxcar::Vec<Box<str>>,
    tables: [Mutex<Table>; TABLES],
    /// The bytes of the strings kept.
    bytes: AtomicUsize,
}

/// The strings whose hash falls to one table: the numbers of those kept,
/// and the hashes of those seen once (for [`Interner::number_if_again`]).
#[derive(Default)]
struct Table {
    known: HashTable<u32>,
    seen: HashTable<u64>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (known, seen) = (self.known.len(), self.seen.len());
        write!(f, "Table({known} kept, {seen} seen once)")
    }
}

impl Default for Interner {
    fn default() -> Interner {
        Interner::new()
    }
}

impl Interner {
    /// An interner keeping nothing yet.
    pub(crate) const fn new() -> Interner {
        Interner {
            texts: boxcar::Vec::new(),
            tables: [const {
                Mutex::new(Table {
                    known: HashTable::new(),
                    seen: HashTable::new(),
                })
            }; TABLES],
            bytes: AtomicUsize::new(0),
        }
    }

    /// String number `n`.
    ///
    /// # Panics
    /// For a number this interner did not give.
    pub(crate) fn get(&self, n: u32) -> &str {
        self.texts
            .get(n as usize)
            .expect("a string's number was given by its interner")
    }

    /// How many strings are kept.
    #[cfg(test)]
    pub(crate) fn count(&self) -> usize {
        self.texts.count()
    }

    /// The bytes of the strings kept.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    /// The number of `text`, kept now if it was not; none past 4 billion
    /// strings.
    pub(crate) fn number(&self, text: &str) -> Option<u32> {
        let hash = xxh3_64(text.as_bytes());
        let mut table = self.table(hash);
        self.find(&table, hash, text)
            .or_else(|| self.add(&mut table, hash, text))
    }

    /// The number of `text` if it is kept, or if this is the second time
    /// it is asked for (then kept now); none the first time. For strings
    /// most of which are seen once: those are never kept.
    pub(crate) fn number_if_again(&self, text: &str) -> Option<u32> {
        let hash = xxh3_64(text.as_bytes());
        let mut table = self.table(hash);
        if let Some(n) = self.find(&table, hash, text) {
            return Some(n);
        }
        if let Ok(seen) = table.seen.find_entry(hash, |&h| h == hash) {
            seen.remove();
            self.add(&mut table, hash, text)
        } else {
            table.seen.insert_unique(hash, hash, |&h| h);
            None
        }
    }

    fn table(&self, hash: u64) -> std::sync::MutexGuard<'_, Table> {
        // Chosen by the hash's middle bits: each table places its strings
        // by the low bits and tells them apart by the top seven.
        self.tables[(hash >> 32) as usize % TABLES]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn find(&self, table: &Table, hash: u64, text: &str) -> Option<u32> {
        table.known.find(hash, |&n| self.get(n) == text).copied()
    }

    /// Keeps `text` (not kept yet: its table is held).
    fn add(&self, table: &mut Table, hash: u64, text: &str) -> Option<u32> {
        // Past 4 billion strings (some 100 GB of them), the rest are not
        // numbered.
        let n = u32::try_from(self.texts.push(text.into())).ok()?;
        table
            .known
            .insert_unique(hash, n, |&n| xxh3_64(self.get(n).as_bytes()));
        self.bytes.fetch_add(text.len(), Ordering::Relaxed);
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_is_kept_once_and_read_back_by_its_number() {
        let interner = Interner::new();
        let a = interner.number("Ann").unwrap();
        let b = interner.number("Bo é").unwrap();
        assert_eq!(interner.number("Ann"), Some(a));
        assert_ne!(a, b);
        assert_eq!((interner.get(a), interner.get(b)), ("Ann", "Bo é"));
        assert_eq!(interner.number(""), Some(2));
        assert_eq!((interner.count(), interner.bytes()), (3, 8));
    }

    #[test]
    fn a_string_asked_for_once_is_not_kept() {
        let interner = Interner::new();
        assert_eq!(interner.number_if_again("<h2>"), None);
        let n = interner.number_if_again("<h2>").unwrap();
        assert_eq!(interner.number_if_again("<h2>"), Some(n));
        assert_eq!(interner.number("<h2>"), Some(n));
        assert_eq!(interner.number_if_again("<p>once"), None);
        assert_eq!(interner.count(), 1);
    }

    #[test]
    fn strings_added_by_many_threads_get_one_number_each() {
        static SHARED: Interner = Interner::new();
        let numbers: Vec<Vec<u32>> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..4)
                .map(|t| {
                    s.spawn(move || {
                        (0..1_000)
                            .map(|i| {
                                SHARED
                                    .number(&format!("name {}", (i * 7 + t) % 300))
                                    .unwrap()
                            })
                            .collect()
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(SHARED.count(), 300);
        for (t, numbers) in numbers.iter().enumerate() {
            for (i, &n) in numbers.iter().enumerate() {
                assert_eq!(SHARED.get(n), format!("name {}", (i * 7 + t) % 300));
            }
        }
    }
}

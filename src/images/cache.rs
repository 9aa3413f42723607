//! The photo cache: one folder per photo key (its bytes' hash and the
//! settings) holding `probe.json` and the copies made of it. Entries are
//! written to a temporary name and renamed, so that a build killed while
//! it wrote leaves no half copy; two processes making the same copy write
//! the same bytes. Nothing expires by age (as in Hugo): entries this site
//! no longer uses are removed when the cache grows past twice what the
//! site uses ([`collect_garbage`]).

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Probe;

/// The `photos` folder of [`user_cache_dir`].
pub(crate) fn default_cache_dir() -> PathBuf {
    user_cache_dir().join("photos")
}

/// `$GAZETTE_CACHE_DIR`, else the user's cache folder
/// (`$XDG_CACHE_HOME/gazette` or `~/.cache/gazette`): photo copies, and
/// `deploy`'s copy of each bucket's record.
pub(crate) fn user_cache_dir() -> PathBuf {
    std::env::var_os("GAZETTE_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from);
            let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"));
            xdg.or(home).map(|d| d.join("gazette"))
        })
        .unwrap_or_else(|| std::env::temp_dir().join("gazette-cache"))
}

/// Where the keys of photo files are remembered by their stamps (a
/// folder that garbage collection leaves alone).
const BY_FILE: &str = ".by-file";

/// A file's stamp (size and modification time in nanoseconds), when it is
/// old enough to be trusted: one modified within the last two seconds may
/// be written again within the same tick of the file system's clock.
pub(crate) fn stamp_of(file: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(file).ok()?;
    let modified = meta.modified().ok()?;
    let age = std::time::SystemTime::now().duration_since(modified).ok()?;
    let nanos = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    (age > std::time::Duration::from_secs(2)).then_some((meta.len(), nanos))
}

/// The name of `file`'s record under [`BY_FILE`], for a given quality.
fn record_name(file: &Path, quality: u8) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(file.as_os_str().as_encoded_bytes());
    h.update(&[quality]);
    format!("{:016x}", h.digest())
}

/// The key of the photo `file` when it was read with this stamp before:
/// a warm build does not read its photos again.
pub(crate) fn known_key(
    cache: &Path,
    file: &Path,
    quality: u8,
    stamp: (u64, u128),
) -> Option<String> {
    let text = fs::read_to_string(cache.join(BY_FILE).join(record_name(file, quality))).ok()?;
    let mut parts = text.split_whitespace();
    let (size, time, key) = (parts.next()?, parts.next()?, parts.next()?);
    (size.parse() == Ok(stamp.0) && time.parse() == Ok(stamp.1)).then(|| key.to_string())
}

/// Remembers the key of the photo `file` read with `stamp`.
pub(crate) fn remember_key(cache: &Path, file: &Path, quality: u8, stamp: (u64, u128), key: &str) {
    let line = format!("{} {} {key}\n", stamp.0, stamp.1);
    let _ = put(
        &cache.join(BY_FILE),
        &record_name(file, quality),
        line.as_bytes(),
    );
}

/// The probe stored for `key`, when there is a readable one.
pub(crate) fn read_probe(cache: &Path, key: &str) -> Option<Probe> {
    let bytes = fs::read(cache.join(key).join("probe.json")).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Stores the probe of `key`. A cache that cannot be written costs only
/// the work again next time, so failures are ignored.
pub(crate) fn write_probe(cache: &Path, probe: &Probe) {
    let json = serde_json::to_vec(probe).expect("a probe serialises");
    let _ = put(&cache.join(&probe.key), "probe.json", &json);
}

/// The index of an entry's copies: a line `name size hash` for each copy
/// made, so that a build links the copies without reading them, and a
/// warm build reads one file per photo, not one per copy.
const INDEX: &str = "copies";

/// Stores a copy's bytes (failures ignored, as for probes), read-only (an
/// output may hard-link it: see `Output::link`); its size and hash, to be
/// [`record`]ed in the entry's index.
pub(crate) fn write_copy(cache: &Path, key: &str, name: &str, bytes: &[u8]) -> Option<CopyLine> {
    let dir = cache.join(key);
    put(&dir, name, bytes).ok()?;
    if let Ok(meta) = fs::metadata(dir.join(name)) {
        let mut permissions = meta.permissions();
        permissions.set_readonly(true);
        let _ = fs::set_permissions(dir.join(name), permissions);
    }
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    Some((name.to_string(), bytes.len() as u64, hash))
}

/// A copy's name, size and hash, as the index holds them.
pub(crate) type CopyLine = (String, u64, u64);

/// Adds `made` to the index of `key`'s copies (replacing their lines).
pub(crate) fn record(cache: &Path, key: &str, made: &[CopyLine]) {
    if made.is_empty() {
        return;
    }
    let mut index = Cached::read(cache, key).copies;
    for (name, size, hash) in made {
        index.insert(name.clone(), (*size, *hash));
    }
    let mut lines: Vec<String> = index
        .iter()
        .map(|(name, (size, hash))| format!("{name} {size} {hash:016x}\n"))
        .collect();
    lines.sort();
    let _ = put(&cache.join(key), INDEX, lines.concat().as_bytes());
}

/// The copies of one photo that its cache entry holds.
#[derive(Debug, Default)]
pub(crate) struct Cached {
    dir: PathBuf,
    copies: std::collections::HashMap<String, (u64, u64)>,
}

impl Cached {
    /// Reads the index of `key`'s copies (none when there is none).
    pub(crate) fn read(cache: &Path, key: &str) -> Cached {
        let dir = cache.join(key);
        let text = fs::read_to_string(dir.join(INDEX)).unwrap_or_default();
        let copies = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.split(' ');
                let (name, size, hash) = (parts.next()?, parts.next()?, parts.next()?);
                let hash = u64::from_str_radix(hash, 16).ok()?;
                Some((name.to_string(), (size.parse().ok()?, hash)))
            })
            .collect();
        Cached { dir, copies }
    }

    /// True when copy `name` has been made.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.copies.contains_key(name)
    }

    /// Copy `name`'s file, size and hash, when it is made and its file is
    /// there with that size.
    pub(crate) fn get(&self, name: &str) -> Option<(PathBuf, u64, u64)> {
        let &(size, hash) = self.copies.get(name)?;
        let file = self.dir.join(name);
        (fs::metadata(&file).ok()?.len() == size).then_some((file, size, hash))
    }

    /// Copy `name`'s bytes, when it is made.
    pub(crate) fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        let (file, _, _) = self.get(name)?;
        fs::read(file).ok()
    }
}

/// Writes `bytes` to `dir/name` through a temporary file and a rename.
fn put(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = fs::File::create(&temp)?;
    file.write_all(bytes)?;
    drop(file);
    fs::rename(&temp, dir.join(name)).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// The bytes held in one entry's folder.
fn entry_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Removes the entries not in `used` when the cache holds more than twice
/// the bytes of those in `used` (and more than 64 MiB): oldest first, until
/// it is back under that. Returns how many entries were removed.
pub(crate) fn collect_garbage(cache: &Path, used: &HashSet<String>) -> usize {
    let Ok(entries) = fs::read_dir(cache) else {
        return 0;
    };
    let mut kept = 0u64;
    let mut unused: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let bytes = entry_bytes(&path);
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if used.contains(&name) {
            kept += bytes;
        } else {
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            unused.push((modified, bytes, path));
        }
    }
    let limit = (2 * kept).max(64 << 20);
    let mut total = kept + unused.iter().map(|u| u.1).sum::<u64>();
    unused.sort();
    let mut removed = 0;
    for (_, bytes, path) in unused {
        if total <= limit {
            break;
        }
        if fs::remove_dir_all(&path).is_ok() {
            total -= bytes;
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_the_oldest_unused_past_twice_the_used() {
        let dir = tempfile::tempdir().unwrap();
        let mb = vec![0u8; 1 << 20];
        for (key, n) in [("used", 40), ("old", 60), ("new", 10)] {
            for i in 0..n {
                write_copy(dir.path(), key, &format!("{i}.jpg"), &mb);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let used: HashSet<String> = ["used".to_string()].into();
        // 110 MiB against a limit of 80: the oldest unused entry goes.
        assert_eq!(collect_garbage(dir.path(), &used), 1);
        assert!(!dir.path().join("old").exists());
        assert!(dir.path().join("new").exists() && dir.path().join("used").exists());
        assert_eq!(collect_garbage(dir.path(), &used), 0);
    }
}

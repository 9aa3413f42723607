//! Host limits known to bite archives, checked after a build so the
//! editor hears of them before a host refuses the site: Cloudflare Pages'
//! 20,000 files (free plan) and 25 MiB a file, Netlify's 54,000 entries in
//! one folder. The manifest is read a line at a time, its paths in order,
//! so the check holds one path's folders at once, not the site's.

use std::path::Path;

/// Cloudflare Pages' file count on its free plan.
const CLOUDFLARE_FILES: usize = 20_000;
/// Cloudflare Pages' largest file.
const CLOUDFLARE_FILE_BYTES: u64 = 25 << 20;
/// Netlify's entries in one folder.
const NETLIFY_FOLDER_ENTRIES: usize = 54_000;

/// Warnings for the build in `output` (none when it holds no build).
pub fn host_limit_warnings(output: &Path) -> Vec<String> {
    let mut check = Limits::default();
    crate::output::each_built_file(output, |path, size| check.file(path, size));
    check.finish()
}

/// The folders open along the current path: (name, entries, last entry).
#[derive(Default)]
struct Limits {
    files: usize,
    open: Vec<(String, usize, String)>,
    warnings: Vec<String>,
}

impl Limits {
    /// Takes the next path in order.
    fn file(&mut self, path: &str, size: u64) {
        self.files += 1;
        if size > CLOUDFLARE_FILE_BYTES {
            self.warnings.push(format!(
                "{path} is {} MiB: Cloudflare Pages takes files of at most 25 MiB",
                size >> 20
            ));
        }
        let parts: Vec<&str> = path.split('/').collect();
        // Folder i holds parts[i]; the site's top folder is folder 0.
        let dirs = parts.len();
        let same = (1..dirs)
            .take_while(|&i| {
                self.open
                    .get(i)
                    .is_some_and(|(name, _, _)| name == parts[i - 1])
            })
            .count()
            + 1;
        self.close_from(same.min(self.open.len()));
        if self.open.is_empty() {
            self.open.push((String::new(), 0, String::new()));
        }
        for i in self.open.len()..dirs {
            self.open.push((parts[i - 1].to_string(), 0, String::new()));
        }
        for (i, part) in parts.iter().enumerate() {
            let (_, entries, last) = &mut self.open[i];
            if last != part {
                *entries += 1;
                *last = part.to_string();
            }
        }
    }

    fn close_from(&mut self, depth: usize) {
        while self.open.len() > depth {
            let (_, entries, _) = self.open.last().expect("an open folder");
            if *entries > NETLIFY_FOLDER_ENTRIES {
                let names: Vec<&str> = self.open[1..].iter().map(|(n, _, _)| n.as_str()).collect();
                let shown = if names.is_empty() {
                    "the site's top folder".to_string()
                } else {
                    names.join("/")
                };
                self.warnings.push(format!(
                    "{shown} has {entries} entries: Netlify takes at most {NETLIFY_FOLDER_ENTRIES} in one folder"
                ));
            }
            self.open.pop();
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.close_from(0);
        if self.files > CLOUDFLARE_FILES {
            self.warnings.insert(
                0,
                format!(
                    "the site has {} files: Cloudflare Pages takes at most {CLOUDFLARE_FILES} on its free plan",
                    self.files
                ),
            );
        }
        self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(files: &[(&str, u64)]) -> Vec<String> {
        let mut sorted = files.to_vec();
        sorted.sort();
        let mut check = Limits::default();
        for (path, size) in sorted {
            check.file(path, size);
        }
        check.finish()
    }

    #[test]
    fn each_limit_names_its_host() {
        let many: Vec<String> = (0..54_001)
            .map(|i| format!("people/p{i}/index.html"))
            .collect();
        let mut files: Vec<(&str, u64)> = many.iter().map(|p| (p.as_str(), 10)).collect();
        files.push(("index.html", 10));
        files.push(("people/index.html", 10));
        let found = warnings(&files);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("54003 files") && found[0].contains("Cloudflare Pages"));
        assert_eq!(
            found[1],
            "people has 54002 entries: Netlify takes at most 54000 in one folder"
        );
        let big = warnings(&[("video/big.mp4", 30 << 20), ("index.html", 5)]);
        assert_eq!(
            big,
            vec!["video/big.mp4 is 30 MiB: Cloudflare Pages takes files of at most 25 MiB"]
        );
        assert!(warnings(&[("index.html", 5), ("a/b/c.txt", 1)]).is_empty());
    }

    #[test]
    fn a_folder_s_entries_count_its_files_and_folders_once_each() {
        let files: Vec<String> = (0..54_000)
            .map(|i| format!("2026/{i:05}/index.html"))
            .chain((0..2).map(|i| format!("2026/x{i}.html")))
            .chain([
                "2026/00001/photo.jpg".to_string(),
                "2027/a.html".to_string(),
            ])
            .collect();
        let refs: Vec<(&str, u64)> = files.iter().map(|p| (p.as_str(), 1)).collect();
        let found = warnings(&refs);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[1],
            "2026 has 54002 entries: Netlify takes at most 54000 in one folder"
        );
    }
}

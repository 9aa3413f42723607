//! Slugs and term keys: turning names from any script into safe URL segments,
//! and deciding when two spellings are the same term.

use std::collections::HashMap;

/// The longest slug, in bytes: a folder name must stay within the 255
/// bytes file systems allow, with room for the `-2` of a colliding slug,
/// and a URL stays readable.
pub(crate) const MAX_SLUG_BYTES: usize = 120;

/// The URL segment for a name: lowercase ASCII letters, digits and `-`,
/// transliterated from any script (`Олена Коваль` -> `olena-koval`). Never
/// empty, never able to leave its directory (no `.`, `/` or `\`), and at
/// most [`MAX_SLUG_BYTES`]: a longer one is cut at a `-` and ends with a
/// hash of the whole, so that two long names stay apart.
pub(crate) fn slugify(name: &str) -> String {
    let slug = slug::slugify(name);
    if slug.is_empty() {
        "-".to_string()
    } else if slug.len() > MAX_SLUG_BYTES {
        shorten(&slug)
    } else {
        slug
    }
}

/// `slug` (ASCII) cut to fit [`MAX_SLUG_BYTES`] with `-` and 12 hex digits
/// of its hash.
fn shorten(slug: &str) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes()) & 0xFFFF_FFFF_FFFF;
    let room = MAX_SLUG_BYTES - 13;
    let cut = slug[..room]
        .rfind('-')
        .filter(|&i| i > room / 2)
        .unwrap_or(room);
    format!("{}-{hash:012x}", &slug[..cut])
}

/// The identity of a term: names that differ only in case or spacing are the
/// same term (`Keir  Starmer` and `keir starmer`).
pub(crate) fn term_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Gives each key a distinct slug. `keys` must be sorted (so the result does
/// not depend on input order); the first key to want a slug gets it and the
/// others get `-2`, `-3`... (`C++` -> `c`, `C#` -> `c-2`).
pub(crate) fn assign_unique<'a>(keys: impl IntoIterator<Item = (&'a str, String)>) -> Vec<String> {
    let wanted: Vec<(&str, String)> = keys.into_iter().collect();
    let mut taken: HashMap<String, usize> = HashMap::with_capacity(wanted.len());
    // Plain slugs are reserved first so a generated `-2` never steals a real name's slug.
    for (_, slug) in &wanted {
        taken.entry(slug.clone()).or_insert(0);
    }
    let mut out = Vec::with_capacity(wanted.len());
    for (_, slug) in wanted {
        let uses = taken.get_mut(&slug).expect("reserved above");
        *uses += 1;
        if *uses == 1 {
            out.push(slug);
            continue;
        }
        let mut n = *uses;
        loop {
            let candidate = format!("{slug}-{n}");
            if !taken.contains_key(&candidate) {
                taken.insert(candidate.clone(), 1);
                out.push(candidate);
                break;
            }
            n += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_slugs_are_cut_kept_apart_and_stay_valid() {
        let long = "word ".repeat(100);
        let a = slugify(&format!("{long} one"));
        let b = slugify(&format!("{long} two"));
        assert!(
            a.len() <= MAX_SLUG_BYTES && b.len() <= MAX_SLUG_BYTES,
            "{a} {b}"
        );
        assert_ne!(a, b);
        assert!(a.starts_with("word-word-"), "{a}");
        assert!(!a.contains("--") && !a.ends_with('-'), "{a}");
        let unbroken = slugify(&"x".repeat(1000));
        assert_eq!(unbroken.len(), MAX_SLUG_BYTES);
        assert_eq!(slugify(&"word ".repeat(10)), "word-".repeat(9) + "word");
        // Even a colliding slug's `-N` keeps a folder name short.
        let two = assign_unique([("a", a.clone()), ("b", a.clone())]);
        assert!(two.iter().all(|s| s.len() <= MAX_SLUG_BYTES + 8), "{two:?}");
    }

    #[test]
    fn transliterates_any_script() {
        assert_eq!(slugify("Олена Коваль"), "olena-koval");
        assert_eq!(slugify("Łukasz Żółć"), "lukasz-zolc");
        assert_eq!(slugify("Türkiye"), "turkiye");
        assert_eq!(slugify("Côte d'Ivoire"), "cote-d-ivoire");
        assert_eq!(slugify("Keir Starmer"), "keir-starmer");
    }

    #[test]
    fn slugs_cannot_escape() {
        for evil in ["../../etc/passwd", "/abs/path", "a\\b", "..", "."] {
            let s = slugify(evil);
            assert!(
                !s.contains('.') && !s.contains('/') && !s.contains('\\'),
                "{s}"
            );
            assert!(!s.is_empty());
        }
    }

    #[test]
    fn empty_slug_has_a_fallback() {
        assert_eq!(slugify("!!!"), "-");
    }

    #[test]
    fn term_keys_ignore_case_and_spacing() {
        assert_eq!(term_key("  Keir   STARMER "), term_key("keir starmer"));
        assert_ne!(term_key("C++"), term_key("C#"));
    }

    #[test]
    fn colliding_slugs_become_distinct() {
        let got = assign_unique([("c#", "c".to_string()), ("c++", "c".to_string())]);
        assert_eq!(got, vec!["c", "c-2"]);
    }

    #[test]
    fn generated_suffix_never_steals_a_real_slug() {
        let got = assign_unique([
            ("a", "x".to_string()),
            ("b", "x".to_string()),
            ("c", "x-2".to_string()),
        ]);
        assert_eq!(got, vec!["x", "x-3", "x-2"]);
    }
}

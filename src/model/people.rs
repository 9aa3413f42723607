//! People: one identity however a person's name is written.
//!
//! Without any data, [`name_key`] decides: names that differ only in case,
//! diacritics, spacing or punctuation are one person. A site's optional
//! `data/people.yaml` ([`parse_entries`], [`People::from_entries`]) names
//! the canonical spelling of a person and the aliases it absorbs
//! (`Zelensky`, `Zelenskiy` -> `Volodymyr Zelenskyy`). For `gazette check`,
//! [`likely_variants`] finds spellings that probably are one person but are
//! not yet joined, and [`suggestion_yaml`] writes the entry that would join
//! them.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Diagnostic;
use crate::load::Photo;
use crate::model::Registry;

/// The identity of a person's name when no data entry says otherwise:
/// transliterated to ASCII, lowercase, with apostrophes, hyphens, dots and
/// spaces all dropped. So `José Núñez`, `Jose Nunez`, `JOSÉ  NÚÑEZ` and
/// `Jose-Nunez` are one person, as are `Xi Jinping` and `Xi Jin Ping`,
/// `J.D. Vance` and `JD Vance`, `O'Brien` and `OBrien`, and `Олена Коваль`
/// and `Olena Koval`. (Word boundaries are ignored because wire copy is
/// inconsistent about them; two real people differing only there are rare.)
/// A name with no letters or digits at all keys on its lowercase text.
pub(crate) fn name_key(name: &str) -> String {
    let key: String = deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if key.is_empty() {
        crate::slugs::term_key(name)
    } else {
        key
    }
}

/// A person in `data/people.yaml`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PersonEntry {
    /// The canonical name, the one the person's page shows.
    pub(crate) name: String,
    /// Other spellings that mean this person.
    pub(crate) aliases: Vec<String>,
    /// What they do (`President of Ukraine`).
    pub(crate) role: Option<String>,
    /// Their country; after [`People::from_entries`], its canonical name.
    pub(crate) country: Option<String>,
    /// A sentence or two about them.
    pub(crate) description: Option<String>,
    /// Their portrait (`image:`), shown on their page.
    pub(crate) image: Option<Photo>,
    /// 1-based line of the file on which the entry starts.
    pub(crate) line: usize,
}

/// A person of the directory: an index into [`People::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PersonId(pub(crate) usize);

/// The people a site describes, resolvable by any of their spellings.
#[derive(Debug, Clone, Default)]
pub(crate) struct People {
    entries: Vec<PersonEntry>,
    by_key: HashMap<String, PersonId>,
}

impl People {
    /// Builds the directory from `data/people.yaml` (`path`, for messages),
    /// checking it: a name or alias claimed by two people, an empty name,
    /// and a `country` that `countries` does not know (with the closest
    /// known name) are errors naming the file and line; every error is
    /// reported. Each `country` is replaced by its canonical name.
    pub(crate) fn from_entries(
        entries: Vec<PersonEntry>,
        countries: &Registry,
        path: &Path,
    ) -> Result<People, Vec<Diagnostic>> {
        let mut people = People::default();
        let mut errors = Vec::new();
        for mut entry in entries {
            let id = PersonId(people.entries.len());
            let line = entry.line;
            let mut error = |message: String| errors.push(Diagnostic::at(path, line, 1, message));
            entry.name = entry.name.trim().to_string();
            if entry.name.is_empty() {
                error("`name` is empty: expected e.g. `name: Volodymyr Zelenskyy`".to_string());
            }
            for (i, spelling) in std::iter::once(&entry.name)
                .chain(&entry.aliases)
                .enumerate()
            {
                if spelling.trim().is_empty() {
                    continue;
                }
                let what = if i == 0 { "name" } else { "alias" };
                match people.by_key.get(&name_key(spelling)) {
                    None => {
                        people.by_key.insert(name_key(spelling), id);
                    }
                    Some(owner) if *owner == id => {}
                    Some(owner) => {
                        let other = &people.entries[owner.0];
                        error(format!(
                            "{what} `{}` is already {} (line {}): a spelling can mean only one person",
                            spelling.trim(),
                            other.name,
                            other.line
                        ));
                    }
                }
            }
            if let Some(written) = &entry.country {
                match countries.lookup(written) {
                    Some(country) => entry.country = Some(country.name.clone()),
                    None => error(match countries.closest(written) {
                        Some((near, _)) => {
                            format!("unknown country `{written}`: did you mean `{}`?", near.name)
                        }
                        None => format!(
                            "unknown country `{written}`: add it to data/countries.yaml, or use a country's name or code"
                        ),
                    }),
                }
            }
            people.entries.push(entry);
        }
        if errors.is_empty() {
            Ok(people)
        } else {
            Err(errors)
        }
    }

    /// The person written `written` (their name or any alias, compared by
    /// [`name_key`]), if the directory lists them.
    pub(crate) fn resolve(&self, written: &str) -> Option<PersonId> {
        self.by_key.get(&name_key(written)).copied()
    }

    /// The entry of a person found by [`People::resolve`].
    pub(crate) fn entry(&self, id: PersonId) -> &PersonEntry {
        &self.entries[id.0]
    }

    /// Every person, in file order (`PersonId(i)` is the i-th).
    pub(crate) fn entries(&self) -> &[PersonEntry] {
        &self.entries
    }

    /// The people's portraits, to be probed.
    pub(crate) fn portraits_mut(&mut self) -> impl Iterator<Item = &mut Photo> {
        self.entries.iter_mut().filter_map(|e| e.image.as_mut())
    }
}

/// Spellings that probably name one person, found by [`likely_variants`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VariantGroup {
    /// The suggested canonical name: the spelling in most articles.
    pub(crate) canonical: String,
    /// The other spellings, most articles first.
    pub(crate) aliases: Vec<String>,
    /// Articles of all the spellings together.
    pub(crate) articles: usize,
}

/// A name taken apart for comparison, from its folded words.
struct Parsed {
    /// The spelling in most articles among those with this [`name_key`].
    display: String,
    articles: usize,
    given: Option<String>,
    /// [`skeleton`] of the given name.
    given_skeleton: String,
    /// First letters of the words between given name and surname.
    middle: Vec<char>,
    surname: String,
    /// `jr`, `sr`, `ii`...: never dropped, so a son is not his father.
    suffix: Option<String>,
}

const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

impl Parsed {
    fn new(display: &str, articles: usize) -> Option<Parsed> {
        let folded = deunicode::deunicode(display)
            .to_lowercase()
            .replace(['\'', '`'], "");
        let mut words: Vec<&str> = folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let suffix = match words.last() {
            Some(w) if words.len() > 1 && SUFFIXES.contains(w) => words.pop().map(str::to_string),
            _ => None,
        };
        let surname = words.pop()?.to_string();
        let given = words.first().map(|w| w.to_string());
        Some(Parsed {
            display: display.to_string(),
            articles,
            given_skeleton: given.as_deref().map(skeleton).unwrap_or_default(),
            given,
            middle: words
                .iter()
                .skip(1)
                .filter_map(|w| w.chars().next())
                .collect(),
            surname,
            suffix,
        })
    }

    fn initial_only(&self) -> bool {
        self.given.as_ref().is_some_and(|g| g.len() == 1)
    }

    /// The buckets this name is compared in: same given initial and the same
    /// first two, or last three, letters of the surname.
    fn buckets(&self) -> [String; 2] {
        let initial = self
            .given
            .as_ref()
            .map_or('-', |g| g.chars().next().unwrap_or('-'));
        let s = &self.surname;
        let head = &s[..s.len().min(2)];
        let tail = &s[s.len().saturating_sub(3)..];
        [format!("{initial}<{head}"), format!("{initial}>{tail}")]
    }
}

/// The consonants of a word, vowels and `y` dropped, `x` read as `ks`, and
/// doubled letters written once (`volodymyr` and `vladimir` -> `vldmr`).
fn skeleton(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars().filter(|c| !"aeiouy".contains(*c)) {
        let letters: &[char] = if c == 'x' {
            &['k', 's']
        } else {
            std::slice::from_ref(&c)
        };
        for &letter in letters {
            if !out.ends_with(letter) {
                out.push(letter);
            }
        }
    }
    out
}

/// Surnames that are one name transliterated differently or misspelt: the
/// same, or (both of at least 4 letters) one edit apart, two from 7 letters
/// on. Shorter surnames must match exactly: `Lee` and `Leigh` are two names.
fn surnames_close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let shortest = a.len().min(b.len());
    let allowed = match shortest {
        0..=3 => return false,
        4..=6 => 1,
        _ => 2,
    };
    a.len().abs_diff(b.len()) <= allowed && strsim::levenshtein(a, b) <= allowed
}

/// Given names that may be one person's: equal, one an initial of the
/// other, or the same consonants (`Vladimir` / `Volodymyr`, `Sergei` /
/// `Sergey`, at least three consonants), or one edit apart from 5 letters on.
fn given_close(a: &Parsed, b: &Parsed) -> bool {
    match (&a.given, &b.given) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            x == y
                || (x.as_bytes()[0] == y.as_bytes()[0]
                    && (x.len() == 1
                        || y.len() == 1
                        || (a.given_skeleton == b.given_skeleton && a.given_skeleton.len() >= 3)
                        || (x.len().min(y.len()) >= 5
                            && x.len().abs_diff(y.len()) <= 1
                            && strsim::levenshtein(x, y) <= 1)))
        }
        _ => false,
    }
}

/// Likely the same person (cheapest tests first).
fn close(a: &Parsed, b: &Parsed) -> bool {
    a.suffix == b.suffix
        && (a.middle.is_empty() || b.middle.is_empty() || a.middle[0] == b.middle[0])
        && given_close(a, b)
        && surnames_close(&a.surname, &b.surname)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Finds names that look like spellings of one person but do not share a
/// [`name_key`]: the same surname with a compatible given name (`V.
/// Zelenskiy` / `Volodymyr Zelenskiy`, `Vladimir` / `Volodymyr`), or
/// surnames a transliteration apart (`Zelenskiy` / `Zelensky` /
/// `Zelenskyy`: one edit for surnames of 4 to 6 letters, two from 7; shorter
/// surnames must be equal, so `Ann Lee` and `Anne Leigh` stay apart).
/// Generational suffixes must agree, and so must the first middle initials
/// when both names have one (`George W. Bush` is not `George H. W. Bush`).
/// One-word names are compared only with one-word names. A name known only
/// by an initial joins a group only when it fits exactly one.
///
/// `names` are the distinct names written in articles with their article
/// counts (pass names already resolved through `data/people.yaml` by their
/// canonical name). Names are compared only within buckets of the same
/// given initial and surname start or end, never all pairs: 10,000 names
/// take well under a second. Groups come most articles first.
pub(crate) fn likely_variants(names: &[(String, usize)]) -> Vec<VariantGroup> {
    let mut by_key: HashMap<String, (String, usize, usize)> = HashMap::new();
    for (name, articles) in names {
        let node = by_key.entry(name_key(name)).or_insert((name.clone(), 0, 0));
        node.1 += articles;
        if *articles > node.2 || (*articles == node.2 && *name < node.0) {
            (node.0, node.2) = (name.clone(), *articles);
        }
    }
    let mut nodes: Vec<Parsed> = by_key
        .into_values()
        .filter_map(|(display, total, _)| Parsed::new(&display, total))
        .collect();
    nodes.sort_by(|a, b| a.display.cmp(&b.display));
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        for bucket in node.buckets() {
            buckets.entry(bucket).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..nodes.len()).collect();
    let mut initial_matches: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for members in buckets.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if !close(&nodes[i], &nodes[j]) {
                    continue;
                }
                match (nodes[i].initial_only(), nodes[j].initial_only()) {
                    (false, false) | (true, true) => {
                        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                        parent[a.max(b)] = a.min(b);
                    }
                    (true, false) => initial_matches[i].push(j),
                    (false, true) => initial_matches[j].push(i),
                }
            }
        }
    }
    // An initial joins the one group it fits; if it fits several people it
    // could be any of them, and is left alone.
    for (i, matches) in initial_matches.iter().enumerate() {
        let mut roots: Vec<usize> = matches.iter().map(|&j| find(&mut parent, j)).collect();
        roots.sort_unstable();
        roots.dedup();
        if let [root] = roots[..] {
            let own = find(&mut parent, i);
            parent[own.max(root)] = own.min(root);
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..nodes.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<VariantGroup> = groups
        .into_values()
        .filter(|members| members.len() > 1)
        .map(|mut members| {
            members.sort_by(|&a, &b| {
                let (a, b) = (&nodes[a], &nodes[b]);
                (b.articles, !b.initial_only(), b.display.len())
                    .cmp(&(a.articles, !a.initial_only(), a.display.len()))
                    .then_with(|| a.display.cmp(&b.display))
            });
            VariantGroup {
                canonical: nodes[members[0]].display.clone(),
                aliases: members[1..]
                    .iter()
                    .map(|&i| nodes[i].display.clone())
                    .collect(),
                articles: members.iter().map(|&i| nodes[i].articles).sum(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.canonical.cmp(&b.canonical))
    });
    out
}

/// The `data/people.yaml` entry that would join a group's spellings:
///
/// ```yaml
/// - name: "Volodymyr Zelenskiy"
///   aliases: ["Volodymyr Zelensky", "Vladimir Zelensky"]
/// ```
pub(crate) fn suggestion_yaml(group: &VariantGroup) -> String {
    // A JSON string is a valid YAML double-quoted scalar, escapes included.
    let quote = |s: &String| serde_json::to_string(s).unwrap_or_default();
    let aliases: Vec<String> = group.aliases.iter().map(quote).collect();
    format!(
        "- name: {}\n  aliases: [{}]\n",
        quote(&group.canonical),
        aliases.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<(String, usize)> {
        list.iter().map(|n| (n.to_string(), 1)).collect()
    }

    fn grouped(list: &[&str]) -> Vec<Vec<String>> {
        likely_variants(&names(list))
            .into_iter()
            .map(|g| {
                let mut all = vec![g.canonical];
                all.extend(g.aliases);
                all.sort();
                all
            })
            .collect()
    }

    #[test]
    fn keys_ignore_case_diacritics_spacing_and_punctuation() {
        let key = name_key("José Núñez");
        for same in [
            "Jose Nunez",
            "JOSÉ  NÚÑEZ",
            "Jose-Nunez",
            " jose nunez ",
            "José Nuñez",
        ] {
            assert_eq!(name_key(same), key, "{same}");
        }
        assert_eq!(name_key("Xi Jinping"), name_key("Xi Jin Ping"));
        assert_eq!(name_key("J.D. Vance"), name_key("JD Vance"));
        assert_eq!(name_key("O’Brien"), name_key("OBrien"));
        assert_eq!(name_key("Олена Коваль"), name_key("Olena Koval"));
        assert_ne!(name_key("Donald Tusk"), name_key("Donald Trump"));
        assert_eq!(name_key("!!!"), "!!!");
    }

    fn person(name: &str, aliases: &[&str], country: Option<&str>, line: usize) -> PersonEntry {
        PersonEntry {
            name: name.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            country: country.map(str::to_string),
            line,
            ..PersonEntry::default()
        }
    }

    #[test]
    fn directory_resolves_names_and_aliases() {
        let people = People::from_entries(
            vec![
                person(
                    "Volodymyr Zelenskyy",
                    &["Zelensky", "Volodymyr Zelenskiy"],
                    Some("ukraine"),
                    1,
                ),
                person("Keir Starmer", &[], Some("UK"), 4),
            ],
            &Registry::builtin(),
            Path::new("data/people.yaml"),
        )
        .unwrap();
        let z = people.resolve("volodymyr zelenskiy").unwrap();
        assert_eq!(people.resolve("ZELENSKY"), Some(z));
        assert_eq!(people.resolve("Volodymyr  Zelenskyy"), Some(z));
        assert_eq!(people.entry(z).country.as_deref(), Some("Ukraine"));
        let k = people.resolve("Keir Starmer").unwrap();
        assert_eq!(people.entry(k).country.as_deref(), Some("United Kingdom"));
        assert_eq!(people.resolve("Rishi Sunak"), None);
        assert_eq!(people.entries().len(), 2);
    }

    #[test]
    fn directory_errors_name_file_and_line() {
        let errors = People::from_entries(
            vec![
                person("Volodymyr Zelenskyy", &["Zelensky"], None, 1),
                person("Vladimir Zelensky", &["zelensky"], None, 3),
                person("volodymyr zelenskyy", &[], None, 5),
                person("Keir Starmer", &[], Some("Untied Kingdom"), 6),
                person("Nobody", &[], Some("Atlantis"), 8),
                person("  ", &[], None, 9),
            ],
            &Registry::builtin(),
            Path::new("data/people.yaml"),
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            vec![
                "data/people.yaml:3:1: error: alias `zelensky` is already Volodymyr Zelenskyy (line 1): a spelling can mean only one person",
                "data/people.yaml:5:1: error: name `volodymyr zelenskyy` is already Volodymyr Zelenskyy (line 1): a spelling can mean only one person",
                "data/people.yaml:6:1: error: unknown country `Untied Kingdom`: did you mean `United Kingdom`?",
                "data/people.yaml:8:1: error: unknown country `Atlantis`: add it to data/countries.yaml, or use a country's name or code",
                "data/people.yaml:9:1: error: `name` is empty: expected e.g. `name: Volodymyr Zelenskyy`",
            ]
        );
    }

    #[test]
    fn transliterations_and_initials_group() {
        let groups = likely_variants(&[
            ("Volodymyr Zelenskiy".to_string(), 40),
            ("Volodymyr Zelensky".to_string(), 25),
            ("Volodymyr Zelenskyy".to_string(), 12),
            ("Vladimir Zelensky".to_string(), 3),
            ("V. Zelenskiy".to_string(), 2),
            ("volodymyr zelenskiy".to_string(), 1),
        ]);
        assert_eq!(
            groups,
            vec![VariantGroup {
                canonical: "Volodymyr Zelenskiy".into(),
                aliases: vec![
                    "Volodymyr Zelensky".into(),
                    "Volodymyr Zelenskyy".into(),
                    "Vladimir Zelensky".into(),
                    "V. Zelenskiy".into(),
                ],
                articles: 83,
            }]
        );
        assert_eq!(
            grouped(&["Keir Starmer", "K. Starmer"]),
            vec![vec!["K. Starmer", "Keir Starmer"]]
        );
        assert_eq!(grouped(&["Sergei Lavrov", "Sergey Lavrov"]).len(), 1);
        assert_eq!(grouped(&["Muammar Gaddafi", "Muammar Qaddafi"]).len(), 1);
        assert_eq!(
            grouped(&["Sviatlana Tsikhanouskaya", "Sviatlana Tikhanovskaya"]).len(),
            1
        );
        assert_eq!(
            grouped(&["Mohammed bin Salman", "Mohammad bin Salman"]).len(),
            1
        );
    }

    #[test]
    fn a_mixed_list_groups_only_the_variants() {
        let list = "Volodymyr Zelenskiy, Volodymyr Zelensky, Volodymyr Zelenskyy, \
            Vladimir Zelensky, Keir Starmer, K. Starmer, Ann Lee, Anne Leigh, Mark Rutte, \
            Mark Ruffalo, Donald Tusk, Donald Trump, Emmanuel Macron, Catherine Vautrin";
        let list: Vec<&str> = list.split(", ").collect();
        let groups = grouped(&list);
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 6, "{groups:?}");
    }

    #[test]
    fn distinct_people_stay_apart() {
        for pair in [
            ["Ann Lee", "Anne Leigh"],
            ["Mark Rutte", "Mark Ruffalo"],
            ["Donald Tusk", "Donald Trump"],
            ["Donald Trump", "Donald Trump Jr."],
            ["George W. Bush", "George H. W. Bush"],
            ["Kim Jong Un", "Kim Jong Il"],
            ["John Smith", "Joan Smith"],
            ["Jan Peters", "Jan Potters"],
            ["Ed Miliband", "David Miliband"],
            ["Zelensky", "Volodymyr Zelensky"],
        ] {
            assert!(grouped(&pair).is_empty(), "{pair:?}");
        }
    }

    #[test]
    fn an_initial_that_fits_two_people_is_left_alone() {
        let groups = grouped(&[
            "Sergei Lavrov",
            "Sergey Lavrov",
            "S. Lavrov",
            "Svetlana Lavrov",
        ]);
        assert_eq!(groups, vec![vec!["Sergei Lavrov", "Sergey Lavrov"]]);
        let groups = grouped(&["S. Lavrov", "Sergey Lavrov", "S Lavrov"]);
        assert_eq!(groups, vec![vec!["S Lavrov", "Sergey Lavrov"]]); // `S.` and `S` share a key
    }

    #[test]
    fn ten_thousand_names_stay_fast() {
        // Deterministic pseudo-random names from syllables.
        let syllables = [
            "ka", "lo", "mi", "ren", "sto", "va", "dre", "pun", "zel", "tor", "bi", "an", "gor",
            "hu", "jas", "ne", "fe", "wic", "ol", "char",
        ];
        let mut seed: u64 = 42;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut list = Vec::new();
        for _ in 0..10_000 {
            let mut word = |n: usize| -> String {
                let mut w: String = (0..n)
                    .map(|_| syllables[next() % syllables.len()])
                    .collect();
                w[..1].make_ascii_uppercase();
                w
            };
            let (given, surname) = (word(2), word(3));
            list.push((format!("{given} {surname}"), 1 + next() % 5));
        }
        let start = std::time::Instant::now();
        let groups = likely_variants(&list);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        for g in &groups {
            assert!(!g.aliases.is_empty());
        }
    }
}

//! Countries: one identity however a country is written.
//!
//! [`Registry::builtin`] knows every ISO 3166-1 country and territory (the
//! table of the `rust_iso3166` crate) under the short English name a
//! newsroom uses (`United Kingdom`, `Russia`, `South Korea`, `Türkiye`), with
//! common alternative names on top (`UK`, `Britain`, `Turkey`, `Ivory Coast`;
//! see `countries_aliases.tsv`). A site's `data/countries.yaml` adds entries or
//! aliases with [`Registry::extend`]. [`Registry::lookup`] finds a country by
//! its name, an alias or its alpha-2 code, ignoring case, diacritics,
//! punctuation, spacing and a leading "the" (see [`country_key`]).
//!
//! Deliberately unmatched: `England`, `Scotland`, `Wales` and `Northern
//! Ireland` (not ISO countries), and the bare `Congo` and `Korea`, which are
//! ambiguous in news copy; a site can claim them in `data/countries.yaml`.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Diagnostic;

/// The overrides and aliases added to the ISO table (format in the file).
const ALIASES_TSV: &str = include_str!("countries_aliases.tsv");

/// One country or territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Country {
    /// ISO 3166-1 alpha-2 code (`GB`), a user-assigned code (`XK` for
    /// Kosovo), or empty for a site's own entry given without a code.
    pub(crate) code: String,
    /// The canonical name, the one its page shows (`United Kingdom`).
    pub(crate) name: String,
    /// Other ways of writing it (`UK`, `Britain`, ...), each folding to a
    /// different [`country_key`].
    pub(crate) aliases: Vec<String>,
}

impl Country {
    /// The flag emoji: the code as two regional indicator symbols (`GB` ->
    /// 🇬🇧); empty when the code is not two ASCII letters.
    pub(crate) fn flag(&self) -> String {
        if self.code.len() != 2 || !self.code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return String::new();
        }
        self.code
            .bytes()
            .filter_map(|b| char::from_u32(0x1F1E6 + u32::from(b.to_ascii_uppercase() - b'A')))
            .collect()
    }
}

/// One item of a site's `data/countries.yaml`: a new country, or more
/// aliases (and optionally another canonical name) for an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CountryEntry {
    /// The name the country's page shows. Optional when `code` names a
    /// known country.
    pub(crate) name: Option<String>,
    /// The alpha-2 code (two letters). A known code, or a name that is
    /// already known, makes the entry about that country.
    pub(crate) code: Option<String>,
    /// Other ways of writing the country.
    pub(crate) aliases: Vec<String>,
    /// 1-based line of the file on which the entry starts.
    pub(crate) line: usize,
}

/// The countries a site knows, with O(1) lookup by any spelling.
#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    countries: Vec<Country>,
    /// [`country_key`] of every name, alias and code -> index in `countries`.
    by_key: HashMap<String, usize>,
}

/// The identity of a written country name: ASCII-folded (`Türkiye` ->
/// `turkiye`), lowercase, `&` read as `and`, a leading `the` dropped, and
/// everything but letters and digits removed (`U.K.` -> `uk`, `Côte
/// d'Ivoire` -> `cotedivoire`, `The Gambia` -> `gambia`).
pub(crate) fn country_key(written: &str) -> String {
    let folded = deunicode::deunicode(&written.replace('&', " and ")).to_lowercase();
    let mut words = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    let mut key = String::with_capacity(folded.len());
    if let Some(first) = words.next() {
        if first != "the" || words.peek().is_none() {
            key.push_str(first);
        }
    }
    words.for_each(|w| key.push_str(w));
    key
}

impl Registry {
    /// Every ISO 3166-1 country and territory plus Kosovo, under newsroom
    /// names and with the built-in aliases.
    pub(crate) fn builtin() -> Registry {
        let mut extra: Vec<(&str, Option<&str>, Vec<&str>)> = ALIASES_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut cols = l.split('\t');
                let code = cols.next().unwrap_or_default().trim();
                let name = cols
                    .next()
                    .map(str::trim)
                    .filter(|n| *n != "-" && !n.is_empty());
                let aliases = cols
                    .next()
                    .map_or(Vec::new(), |a| a.split('|').map(str::trim).collect());
                (code, name, aliases)
            })
            .collect();
        let mut registry = Registry::default();
        let mut add = |code: &str, iso: Option<&str>, name: Option<&str>, aliases: &[&str]| {
            let name = name.or(iso).expect("a built-in country without a name");
            let mut all: Vec<&str> = Vec::new();
            if let Some(iso) = iso {
                if !aliases.iter().any(|a| a.strip_prefix('!') == Some(iso)) {
                    all.push(iso);
                }
            }
            all.extend(
                aliases
                    .iter()
                    .filter(|a| !a.starts_with('!') && !a.is_empty()),
            );
            registry.push_builtin(code, name, &all);
        };
        for iso in rust_iso3166::ALL {
            match extra.iter().position(|e| e.0 == iso.alpha2) {
                Some(i) => {
                    let (code, name, aliases) = extra.swap_remove(i);
                    add(code, Some(iso.name), name, &aliases);
                }
                None => add(iso.alpha2, Some(iso.name), None, &[]),
            }
        }
        extra.sort_by_key(|e| e.0);
        for (code, name, aliases) in extra {
            add(code, None, name, &aliases);
        }
        registry
    }

    /// Adds a built-in country; a spelling that is somebody else's already
    /// is skipped (the built-in table is tested to have none).
    fn push_builtin(&mut self, code: &str, name: &str, aliases: &[&str]) {
        let index = self.countries.len();
        self.countries.push(Country {
            code: code.to_string(),
            name: name.to_string(),
            aliases: Vec::new(),
        });
        for (i, spelling) in std::iter::once(name)
            .chain(aliases.iter().copied())
            .enumerate()
        {
            let claimed = self.claim(&country_key(spelling), index);
            debug_assert!(claimed.is_ok(), "`{spelling}` is two built-in countries");
            if i > 0 && claimed == Ok(true) {
                self.countries[index].aliases.push(spelling.to_string());
            }
        }
        let claimed = self.claim(&code.to_ascii_lowercase(), index);
        debug_assert!(claimed.is_ok(), "code {code} is two built-in countries");
    }

    /// Gives `key` to the country at `index`: `Ok(true)` if it is new,
    /// `Ok(false)` if it was that country's already, `Err(owner)` otherwise.
    fn claim(&mut self, key: &str, index: usize) -> Result<bool, usize> {
        match self.by_key.get(key) {
            Some(&owner) if owner == index => Ok(false),
            Some(&owner) => Err(owner),
            None => {
                self.by_key.insert(key.to_string(), index);
                Ok(true)
            }
        }
    }

    /// Every country: the ISO table's order, then additions in order.
    pub(crate) fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country written `written`: its name, an alias or its code, in any
    /// case, with or without diacritics, punctuation or spaces (`U.K.`,
    /// `uk`, `cote d ivoire`, `TÜRKIYE`). `None` for an unknown name.
    pub(crate) fn lookup(&self, written: &str) -> Option<&Country> {
        let key = country_key(written);
        self.by_key.get(&key).map(|&i| &self.countries[i])
    }

    /// The known country whose name or alias is nearest to `written`, with
    /// the edit distance between their [`country_key`]s, for "did you mean"
    /// messages. `None` when nothing is within about a third of the letters
    /// of `written` (so `Ukrane` suggests Ukraine, and `Atlantis` nothing).
    pub(crate) fn closest(&self, written: &str) -> Option<(&Country, usize)> {
        let key = country_key(written);
        if key.is_empty() {
            return None;
        }
        let limit = (key.chars().count() / 3).max(1);
        let mut best: Option<(usize, usize)> = None;
        for (index, country) in self.countries.iter().enumerate() {
            for spelling in std::iter::once(&country.name).chain(&country.aliases) {
                let distance = strsim::levenshtein(&key, &country_key(spelling));
                if distance <= limit && best.is_none_or(|(_, d)| distance < d) {
                    best = Some((index, distance));
                }
            }
        }
        best.map(|(i, d)| (&self.countries[i], d))
    }

    /// Takes in a site's `data/countries.yaml` (`path`, for messages): each
    /// entry is about the country with its code, or else its name, or is a
    /// new country. Its `name` becomes the name shown (the previous one
    /// turns into an alias) and its aliases are added. An alias or name that
    /// is already another country's is an error naming the file and line.
    /// Every error is reported; the valid entries are taken in all the same.
    pub(crate) fn extend(
        &mut self,
        entries: Vec<CountryEntry>,
        path: &Path,
    ) -> Result<(), Vec<Diagnostic>> {
        // Valid entries are kept even when others fail, so that what refers
        // to them (data/people.yaml) is not reported as unknown as well.
        let mut errors = Vec::new();
        for entry in &entries {
            for message in self.add_entry(entry) {
                errors.push(Diagnostic::at(path, entry.line, 1, message));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Applies one entry; returns what was wrong with it.
    fn add_entry(&mut self, entry: &CountryEntry) -> Vec<String> {
        let name = entry
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let code = entry
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let Some(code) = code {
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return vec![format!(
                    "invalid `code` `{code}`: expected two letters, e.g. `XK`"
                )];
            }
        }
        let code = code.map(str::to_ascii_uppercase);
        let name_key = name.map(country_key);
        if name_key.as_deref() == Some("") {
            return vec![format!(
                "`name` `{}` has no letters or digits",
                name.unwrap_or_default()
            )];
        }
        let by_code = code
            .as_deref()
            .and_then(|c| self.countries.iter().position(|k| k.code == c));
        let by_name = name_key
            .as_deref()
            .and_then(|k| self.by_key.get(k).copied());
        let index = match (by_code, by_name, name) {
            (Some(a), Some(b), Some(name)) if a != b => {
                let other = &self.countries[b];
                return vec![format!(
                    "`{name}` is {} ({}), not the country with code {}",
                    other.name, other.code, self.countries[a].code
                )];
            }
            (Some(a), _, _) => a,
            (None, Some(b), Some(name)) => {
                let found = &self.countries[b];
                match &code {
                    Some(code) if !found.code.is_empty() => {
                        return vec![format!(
                            "`{name}` is {}, whose code is {}, not {code}",
                            found.name, found.code
                        )];
                    }
                    Some(code) => {
                        if let Err(owner) = self.claim(&code.to_ascii_lowercase(), b) {
                            return vec![self.taken("code", code, owner)];
                        }
                        self.countries[b].code = code.clone();
                    }
                    None => {}
                }
                b
            }
            (None, _, None) => {
                return vec![
                    "an entry needs a `name` (and, for a known country, may give just its `code`)"
                        .to_string(),
                ];
            }
            (None, _, Some(name)) => {
                let index = self.countries.len();
                let code = code.unwrap_or_default();
                if !code.is_empty() {
                    if let Err(owner) = self.claim(&code.to_ascii_lowercase(), index) {
                        return vec![self.taken("code", &code, owner)];
                    }
                }
                self.countries.push(Country {
                    code,
                    name: name.to_string(),
                    aliases: Vec::new(),
                });
                index
            }
        };
        self.name_and_aliases(index, name.zip(name_key.as_deref()), &entry.aliases)
    }

    /// Gives country `index` the entry's `name` (with its key), keeping
    /// its old name as an alias, and its `aliases`; what was wrong.
    fn name_and_aliases(
        &mut self,
        index: usize,
        name: Option<(&str, &str)>,
        aliases: &[String],
    ) -> Vec<String> {
        if let Some((name, key)) = name {
            if let Err(owner) = self.claim(key, index) {
                return vec![self.taken("name", name, owner)];
            }
            let country = &mut self.countries[index];
            if country.name != name {
                let old = std::mem::replace(&mut country.name, name.to_string());
                country.aliases.retain(|a| country_key(a) != key);
                if country_key(&old) != key {
                    country.aliases.insert(0, old);
                }
            }
        }
        let mut errors = Vec::new();
        for alias in aliases {
            let key = country_key(alias);
            if key.is_empty() {
                errors.push(format!("alias `{alias}` has no letters or digits"));
                continue;
            }
            match self.claim(&key, index) {
                Ok(true) => self.countries[index].aliases.push(alias.trim().to_string()),
                Ok(false) => {}
                Err(owner) => errors.push(self.taken("alias", alias, owner)),
            }
        }
        errors
    }

    /// The message for a spelling that is another country's.
    fn taken(&self, what: &str, written: &str, owner: usize) -> String {
        let owner = &self.countries[owner];
        let code = if owner.code.is_empty() {
            String::new()
        } else {
            format!(" ({})", owner.code)
        };
        format!("{what} `{written}` is already {}{code}", owner.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(registry: &Registry, written: &str) -> Option<String> {
        registry.lookup(written).map(|c| c.code.clone())
    }

    #[test]
    fn keys_fold_case_diacritics_punctuation_and_the() {
        assert_eq!(country_key("Côte d'Ivoire"), "cotedivoire");
        assert_eq!(country_key("cote d ivoire"), "cotedivoire");
        assert_eq!(country_key("U.K."), "uk");
        assert_eq!(country_key("The Gambia"), "gambia");
        assert_eq!(country_key("the"), "the");
        assert_eq!(country_key("Thailand"), "thailand");
        assert_eq!(
            country_key("Antigua & Barbuda"),
            country_key("Antigua and Barbuda")
        );
        assert_eq!(country_key("TÜRKIYE"), "turkiye");
        assert_eq!(country_key("  ...  "), "");
    }

    #[test]
    fn builtin_has_every_iso_country_and_kosovo() {
        let r = Registry::builtin();
        assert_eq!(r.countries().len(), rust_iso3166::ALL.len() + 1);
        for iso in rust_iso3166::ALL {
            assert_eq!(
                code(&r, iso.alpha2).as_deref(),
                Some(iso.alpha2),
                "{}",
                iso.alpha2
            );
            if iso.name != "Congo" {
                // The bare "Congo" is ambiguous in news copy: unmatched.
                assert_eq!(
                    code(&r, iso.name).as_deref(),
                    Some(iso.alpha2),
                    "{}",
                    iso.name
                );
            }
        }
        assert_eq!(code(&r, "Kosovo").as_deref(), Some("XK"));
    }

    #[test]
    fn builtin_spellings_never_collide() {
        // Every spelling of the table must be claimed by the country that
        // lists it (push_builtin skips collisions silently in release).
        let r = Registry::builtin();
        for country in r.countries() {
            for spelling in std::iter::once(&country.name).chain(&country.aliases) {
                assert_eq!(r.lookup(spelling), Some(country), "{spelling}");
            }
        }
        for line in ALIASES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut cols = line.split('\t');
            let code = cols.next().unwrap();
            let country = r.countries().iter().find(|c| c.code == code).unwrap();
            for alias in cols
                .nth(1)
                .unwrap_or("")
                .split('|')
                .filter(|a| !a.is_empty())
            {
                match alias.strip_prefix('!') {
                    Some(dropped) => assert_eq!(r.lookup(dropped), None, "{dropped}"),
                    None => assert_eq!(r.lookup(alias), Some(country), "{alias}"),
                }
            }
        }
    }

    /// code, canonical name, then spellings that must find it.
    const NEWSROOM: &str = "\
        GB|United Kingdom|Britain|Great Britain|UK|U.K.|uk|gb
        US|United States|USA|US|U.S.|U.S.A.|United States of America|America
        CZ|Czechia|Czech Republic
        TR|Türkiye|Turkey|Turkiye|TÜRKIYE
        CI|Côte d'Ivoire|Ivory Coast|Cote d'Ivoire|cote d ivoire|Côte d’Ivoire
        NL|Netherlands|Holland|The Netherlands
        RU|Russia|Russian Federation
        KR|South Korea|Republic of Korea|Korea, Republic of|Korea (Republic of)
        KP|North Korea|DPRK
        IR|Iran|Iran (Islamic Republic of)
        SY|Syria|Syrian Arab Republic
        VN|Vietnam|Viet Nam
        LA|Laos|Lao People's Democratic Republic
        BO|Bolivia
        VE|Venezuela
        TZ|Tanzania
        MD|Moldova
        MK|North Macedonia|Macedonia
        SZ|Eswatini|Swaziland
        MM|Myanmar|Burma
        CV|Cabo Verde|Cape Verde
        TL|Timor-Leste|East Timor
        VA|Vatican City|Vatican|Holy See
        PS|Palestine|State of Palestine
        TW|Taiwan
        XK|Kosovo
        CD|Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa
        CG|Republic of the Congo|Congo-Brazzaville|Republic of Congo
        AE|United Arab Emirates|UAE
        GM|Gambia|The Gambia
        DE|Germany|germany|DE";

    #[test]
    fn newsroom_names_and_aliases() {
        let r = Registry::builtin();
        for line in NEWSROOM.lines() {
            let cols: Vec<&str> = line.trim().split('|').collect();
            let country = r.lookup(cols[1]).unwrap_or_else(|| panic!("{line}"));
            assert_eq!([country.code.as_str(), country.name.as_str()], cols[..2]);
            for alias in &cols[2..] {
                assert_eq!(r.lookup(alias), Some(country), "{alias}");
            }
        }
    }

    #[test]
    fn ambiguous_and_non_iso_names_are_unmatched() {
        let r = Registry::builtin();
        for name in [
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
            "Congo",
            "Korea",
            "Atlantis",
            "",
        ] {
            assert_eq!(r.lookup(name), None, "{name}");
        }
    }

    #[test]
    fn flags_are_regional_indicators() {
        let r = Registry::builtin();
        assert_eq!(r.lookup("UK").unwrap().flag(), "🇬🇧");
        assert_eq!(r.lookup("Kosovo").unwrap().flag(), "🇽🇰");
        let custom = Country {
            code: String::new(),
            name: "Somaliland".into(),
            aliases: vec![],
        };
        assert_eq!(custom.flag(), "");
        let odd = Country {
            code: "1A".into(),
            ..custom
        };
        assert_eq!(odd.flag(), "");
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        let r = Registry::builtin();
        let near = |w: &str| r.closest(w).map(|(c, d)| (c.name.clone(), d));
        assert_eq!(near("Ukrane"), Some(("Ukraine".into(), 1)));
        assert_eq!(near("Phillipines"), Some(("Philippines".into(), 2)));
        assert_eq!(near("Columbia"), Some(("Colombia".into(), 1)));
        assert_eq!(near("Turky"), Some(("Türkiye".into(), 1)));
        assert_eq!(near("Atlantis"), None);
        assert_eq!(near("!!!"), None);
    }

    fn entry(
        name: Option<&str>,
        code: Option<&str>,
        aliases: &[&str],
        line: usize,
    ) -> CountryEntry {
        CountryEntry {
            name: name.map(str::to_string),
            code: code.map(str::to_string),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            line,
        }
    }

    #[test]
    fn extend_adds_aliases_renames_and_adds_countries() {
        let mut r = Registry::builtin();
        let path = Path::new("data/countries.yaml");
        r.extend(
            vec![
                entry(None, Some("gb"), &["Blighty"], 1),
                entry(Some("Turkey"), Some("TR"), &[], 3),
                entry(Some("Somaliland"), None, &["Republic of Somaliland"], 5),
                entry(Some("Congo"), Some("CG"), &[], 7),
                entry(Some("Ukraine"), None, &["Ukraina"], 9),
            ],
            path,
        )
        .unwrap();
        assert_eq!(r.lookup("blighty").unwrap().code, "GB");
        let tr = r.lookup("Türkiye").unwrap();
        assert_eq!(tr.name, "Turkey");
        assert!(tr.aliases.contains(&"Türkiye".to_string()), "{tr:?}");
        assert!(!tr.aliases.iter().any(|a| a == "Turkey"), "{tr:?}");
        let sl = r.lookup("republic of somaliland").unwrap();
        assert_eq!((sl.name.as_str(), sl.code.as_str()), ("Somaliland", ""));
        assert_eq!(r.lookup("Congo").unwrap().code, "CG");
        assert_eq!(r.lookup("Ukraina").unwrap().code, "UA");
    }

    #[test]
    fn extend_reports_every_conflict_with_its_line_and_keeps_valid_entries() {
        let mut r = Registry::builtin();
        let path = Path::new("data/countries.yaml");
        let errors = r
            .extend(
                vec![
                    entry(Some("Ireland"), None, &["Britain", "Eire", "Hibernia"], 2),
                    entry(Some("Germany"), Some("FR"), &[], 4),
                    entry(Some("Germany"), Some("DD"), &[], 5),
                    entry(Some("Narnia"), Some("UK"), &[], 6),
                    entry(None, None, &["x"], 7),
                    entry(Some("Lilliput"), Some("L1"), &[], 8),
                ],
                path,
            )
            .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown.len(), 6, "{shown:#?}");
        assert_eq!(
            shown[0],
            "data/countries.yaml:2:1: error: alias `Britain` is already United Kingdom (GB)"
        );
        assert!(
            shown[1].starts_with("data/countries.yaml:4:1:")
                && shown[1].contains("is Germany (DE)"),
            "{shown:#?}"
        );
        assert!(shown[2].contains("whose code is DE"), "{shown:#?}");
        assert!(
            shown[3].contains("code `UK` is already United Kingdom"),
            "{shown:#?}"
        );
        assert!(shown[4].contains("needs a `name`"), "{shown:#?}");
        assert!(shown[5].contains("invalid `code`"), "{shown:#?}");
        // The valid alias `Hibernia` was taken in all the same.
        assert_eq!(r.lookup("Hibernia").map(|c| c.code.as_str()), Some("IE"));
    }
}

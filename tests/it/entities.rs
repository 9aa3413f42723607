//! People and countries as entities: one page per person or country however
//! it is written, data files that add names and details, the profile at the
//! top of an entity's page (counts, timeline, co-mentions), per-entity
//! feeds, the letter-indexed lists and related articles, all checked the
//! way a reader sees them.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{
    attrs, list_files, md, md_body, without_json_ld, yaml_str, Built, Rng, SiteFixture, BASE,
};
use gazette::Error;
use scraper::{ElementRef, Html, Selector};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `people: [...]` / `countries: [...]` front-matter lines, each name quoted.
fn names(key: &str, list: &[&str]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| yaml_str(n)).collect();
    format!("{key}: [{}]\n", quoted.join(", "))
}

/// Front matter listing `people` and `countries`.
fn mentions(people: &[&str], countries: &[&str]) -> String {
    format!(
        "{}{}",
        names("people", people),
        names("countries", countries)
    )
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// A site path from an absolute URL of the fixture site.
fn site_path(url: &str) -> String {
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not under {BASE}"))
        .to_string()
}

/// The names of the "Also written as: a, b" line of an entity page.
fn also_written_as(built: &Built, page: &str) -> BTreeSet<String> {
    let lines = built.texts(page, "section.profile p.aliases");
    let Some(line) = lines.first() else {
        return BTreeSet::new();
    };
    line.strip_prefix("Also written as: ")
        .unwrap_or_else(|| panic!("unexpected aliases line {line:?}"))
        .split(", ")
        .map(str::to_string)
        .collect()
}

/// The `(name, count)` items of the profile list under the heading `h2`
/// ("Most often mentioned with", "Countries alongside"), in order.
fn co_list(built: &Built, page: &str, h2: &str) -> Vec<(String, usize, String)> {
    let doc = built.html(page);
    let mut out = Vec::new();
    for section in doc.select(&sel("section.profile div.co-mentions > section")) {
        let heading: Vec<String> = section.select(&sel("h2")).map(text).collect();
        if heading != [h2] {
            continue;
        }
        for li in section.select(&sel("ol > li")) {
            let a = li.select(&sel("a")).next().expect("a link per item");
            let count = li
                .select(&sel("span.count"))
                .map(text)
                .next()
                .expect("a count per item");
            let count: usize = count
                .trim_start_matches('(')
                .trim_end_matches(')')
                .parse()
                .unwrap_or_else(|_| panic!("count {count:?}"));
            let href = a.value().attr("href").expect("href").to_string();
            out.push((text(a), count, href));
        }
    }
    out
}

/// The inline `<svg class="timeline">` of a page, as written.
fn timeline_svg(built: &Built, page: &str) -> String {
    let html = built.page(page);
    let start = html
        .find("<svg")
        .unwrap_or_else(|| panic!("{page} has no <svg>"));
    let end = html[start..].find("</svg>").expect("the svg is closed") + start + "</svg>".len();
    html[start..end].to_string()
}

/// `(name, href, count)` of every `li` matching `css` ("ol.top-terms > li").
fn term_items(doc: &Html, css: &str) -> Vec<(String, String, usize)> {
    doc.select(&sel(css))
        .map(|li| {
            let a = li.select(&sel("a")).next().expect("a link");
            let count = li
                .select(&sel("span.count"))
                .map(text)
                .next()
                .expect("count");
            let count = count
                .trim_matches(|c| c == '(' || c == ')')
                .parse()
                .expect("a number");
            (
                text(a),
                a.value().attr("href").unwrap_or_default().to_string(),
                count,
            )
        })
        .collect()
}

/// The entry URLs and published dates of an Atom feed, in feed order.
fn feed_entries(xml: &str) -> (String, Vec<(String, String)>) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("feed"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string();
    let entries = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|n| n.has_tag_name(name))
                    .unwrap_or_else(|| panic!("entry without {name}"))
            };
            let href = child("link").attribute("href").unwrap_or_default();
            let published = child("published").text().unwrap_or_default();
            (href.to_string(), published.to_string())
        })
        .collect();
    (title, entries)
}

/// The pages directly under `/kind/` (`["ann-lee", ...]`).
fn entity_pages(built: &Built, kind: &str) -> Vec<String> {
    list_files(&built.out.join(kind))
        .into_iter()
        .filter_map(|f| f.strip_suffix("/index.html").map(str::to_string))
        .filter(|f| !f.contains('/'))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Spellings and aliases give one page per entity
// ---------------------------------------------------------------------------

#[test]
fn alias_variants_give_one_page_per_entity_with_the_right_counts() {
    let built = SiteFixture::new()
        .article(
            "a1.md",
            md(
                "UK one",
                "2026-01-10",
                &mentions(&["José Núñez"], &["United Kingdom"]),
            ),
        )
        .article(
            "a2.md",
            md(
                "UK two",
                "2026-01-12",
                &mentions(&["José Núñez"], &["Britain"]),
            ),
        )
        .article(
            "a3.md",
            md(
                "UK three",
                "2026-02-01",
                &mentions(&["Jose Nunez"], &["UK"]),
            ),
        )
        .article(
            "a4.md",
            md(
                "UK four",
                "2026-02-05",
                &mentions(&["JOSÉ  NÚÑEZ"], &["U.K."]),
            ),
        )
        // Two spellings of one country in one article: one mention.
        .article(
            "a5.md",
            md("UK five", "2026-02-07", &mentions(&[], &["UK", "Britain"])),
        )
        .article(
            "t1.md",
            md("Ankara one", "2026-01-03", &mentions(&[], &["Turkey"])),
        )
        .article(
            "t2.md",
            md("Ankara two", "2026-01-04", &mentions(&[], &["Türkiye"])),
        )
        .article(
            "t3.md",
            md("Ankara three", "2026-01-05", &mentions(&[], &["TURKEY"])),
        )
        .build();

    // Countries: exactly one page per country.
    assert_eq!(
        entity_pages(&built, "countries"),
        ["turkiye", "united-kingdom"]
    );
    for absent in ["britain", "uk", "u-k", "turkey"] {
        assert!(!built.exists(&format!("countries/{absent}/")), "{absent}");
    }
    let uk = "countries/united-kingdom/";
    assert_eq!(built.texts(uk, "main h1"), ["🇬🇧 United Kingdom"]);
    assert_eq!(built.texts(uk, "main h1 span.flag"), ["🇬🇧"]);
    assert_eq!(
        built.texts(uk, "section.profile p.count"),
        ["5 articles, first mentioned 10 January 2026, last 7 February 2026 · Atom feed"]
    );
    assert_eq!(
        built.article_titles(uk),
        ["UK five", "UK four", "UK three", "UK two", "UK one"]
    );
    assert_eq!(
        also_written_as(&built, uk),
        BTreeSet::from(["Britain".into(), "UK".into(), "U.K.".into()])
    );
    // The article with both spellings links the country once.
    assert_eq!(
        built.texts("2026/02/a5/", "footer.article-terms a"),
        ["United Kingdom"]
    );

    let tr = "countries/turkiye/";
    assert_eq!(built.texts(tr, "main h1"), ["🇹🇷 Türkiye"]);
    assert_eq!(built.article_titles(tr).len(), 3);
    assert!(built
        .texts(tr, "section.profile p.count")
        .first()
        .is_some_and(|c| c.starts_with("3 articles,")));

    // The list of countries shows each country once, with its count.
    let doc = built.html("countries/");
    let listed: Vec<(String, usize)> = term_items(&doc, "ul.term-list > li")
        .into_iter()
        .map(|(name, _, n)| (name, n))
        .collect();
    assert_eq!(
        listed,
        [
            ("Türkiye".to_string(), 3),
            ("United Kingdom".to_string(), 5)
        ]
    );

    // People: one page, under the most frequent spelling.
    assert_eq!(entity_pages(&built, "people"), ["jose-nunez"]);
    let jose = "people/jose-nunez/";
    assert_eq!(built.texts(jose, "main h1"), ["José Núñez"]);
    assert_eq!(built.article_titles(jose).len(), 4);
    assert_eq!(
        also_written_as(&built, jose),
        BTreeSet::from(["Jose Nunez".into(), "JOSÉ NÚÑEZ".into()])
    );
    // Every article links the one page, under the one name.
    for a in ["a1", "a3", "a4"] {
        let page = format!("2026/0{}/{a}/", if a == "a1" { 1 } else { 2 });
        let doc = built.html(&page);
        let links = attrs(&doc, "footer.article-terms a[href*='/people/']", "href");
        assert_eq!(links, [format!("{BASE}people/jose-nunez/")], "{page}");
    }
}

// ---------------------------------------------------------------------------
// 2. data/people.yaml
// ---------------------------------------------------------------------------

const ZELENSKIY: &str = "\
- name: Volodymyr Zelenskiy
  aliases: [Zelensky, Zelenskyy, Volodymyr Zelensky]
  role: President of Ukraine
  country: Ukraine
  description: Former actor, elected in 2019.
- name: Olaf Scholz
  role: Former chancellor
  country: DE
";

#[test]
fn people_yaml_gives_one_page_with_role_country_description_and_aliases() {
    let built = SiteFixture::new()
        .file("data/people.yaml", ZELENSKIY)
        .article(
            "z1.md",
            md(
                "Z one",
                "2026-01-01",
                &mentions(&["Zelensky"], &["Ukraine"]),
            ),
        )
        .article(
            "z2.md",
            md("Z two", "2026-01-02", &mentions(&["Zelenskyy"], &[])),
        )
        .article(
            "z3.md",
            md(
                "Z three",
                "2026-01-03",
                &mentions(&["Volodymyr Zelensky"], &[]),
            ),
        )
        .article(
            "z4.md",
            md(
                "Z four",
                "2026-01-04",
                &mentions(&["volodymyr zelenskiy"], &[]),
            ),
        )
        .article(
            "s1.md",
            md(
                "S one",
                "2026-01-05",
                &mentions(&["Scholz", "Olaf Scholz"], &[]),
            ),
        )
        .build();

    let page = "people/volodymyr-zelenskiy/";
    assert_eq!(
        entity_pages(&built, "people"),
        ["olaf-scholz", "scholz", "volodymyr-zelenskiy"],
        "one page for every spelling of Zelenskiy (`Scholz` alone is not an alias)"
    );
    assert_eq!(built.texts(page, "main h1"), ["Volodymyr Zelenskiy"]);
    assert_eq!(
        built.article_titles(page),
        ["Z four", "Z three", "Z two", "Z one"]
    );
    assert!(built
        .texts(page, "section.profile p.count")
        .first()
        .is_some_and(|c| c.starts_with("4 articles,")));
    assert_eq!(
        built.texts(page, "section.profile p.role"),
        ["President of Ukraine, Ukraine"]
    );
    let doc = built.html(page);
    assert_eq!(
        attrs(&doc, "section.profile p.role a", "href"),
        [format!("{BASE}countries/ukraine/")]
    );
    assert!(built.exists("countries/ukraine/"));
    assert_eq!(
        built.texts(page, "section.profile p.description"),
        ["Former actor, elected in 2019."]
    );
    let aliases = also_written_as(&built, page);
    for alias in ["Zelensky", "Zelenskyy", "Volodymyr Zelensky"] {
        assert!(aliases.contains(alias), "{alias} missing from {aliases:?}");
    }
    assert!(!aliases.contains("Volodymyr Zelenskiy"), "{aliases:?}");

    // A country given by its code, with no articles: named, not linked.
    let scholz = "people/olaf-scholz/";
    assert_eq!(
        built.texts(scholz, "section.profile p.role"),
        ["Former chancellor, Germany"]
    );
    assert!(attrs(&built.html(scholz), "section.profile p.role a", "href").is_empty());
    assert!(!built.exists("countries/germany/"));
    // Without aliases or other spellings there is no "Also written as".
    assert!(also_written_as(&built, scholz).is_empty());
}

#[test]
fn editing_people_yaml_merges_pages_on_the_next_build() {
    let mut built = SiteFixture::new()
        .article(
            "a.md",
            md("A", "2026-01-01", &mentions(&["Zelensky"], &["Ukraine"])),
        )
        .article(
            "b.md",
            md("B", "2026-01-02", &mentions(&["Volodymyr Zelenskiy"], &[])),
        )
        .build();
    assert_eq!(
        entity_pages(&built, "people"),
        ["volodymyr-zelenskiy", "zelensky"]
    );

    built.fixture.put(
        "data/people.yaml",
        "- name: Volodymyr Zelenskiy\n  aliases: [Zelensky]\n  role: President\n  country: Ukraine\n",
    );
    built.rebuild();
    assert_eq!(entity_pages(&built, "people"), ["volodymyr-zelenskiy"]);
    assert!(!built.exists("people/zelensky/atom.xml"));
    let page = "people/volodymyr-zelenskiy/";
    assert_eq!(built.article_titles(page), ["B", "A"]);
    assert_eq!(
        built.texts(page, "section.profile p.role"),
        ["President, Ukraine"]
    );
    assert_eq!(
        built.texts("2026/01/a/", "footer.article-terms a[href*='/people/']"),
        ["Volodymyr Zelenskiy"]
    );
}

// ---------------------------------------------------------------------------
// 3. data/countries.yaml
// ---------------------------------------------------------------------------

#[test]
fn countries_yaml_adds_aliases_and_countries_and_unknown_names_still_get_pages() {
    let countries = "\
- code: GB
  aliases: [Blighty]
- name: Atlantis
  aliases: [Lost Continent]
- name: Freedonia
  code: XA
";
    let people = "\
- name: Arthur Curry
  country: lost continent
";
    let built = SiteFixture::new()
        .file("data/countries.yaml", countries)
        .file("data/people.yaml", people)
        .article(
            "b1.md",
            md("Blighty", "2026-01-01", &mentions(&[], &["Blighty"])),
        )
        .article(
            "b2.md",
            md("Kingdom", "2026-01-02", &mentions(&[], &["United Kingdom"])),
        )
        .article(
            "l1.md",
            md(
                "Atlantis rises",
                "2026-01-03",
                &mentions(&["Arthur Curry"], &["Atlantis"]),
            ),
        )
        .article(
            "l2.md",
            md("Sunk", "2026-01-04", &mentions(&[], &["lost continent"])),
        )
        .article(
            "f1.md",
            md("Duck soup", "2026-01-05", &mentions(&[], &["Freedonia"])),
        )
        .article("f2.md", md("Coded", "2026-01-06", &mentions(&[], &["XA"])))
        .article(
            "w1.md",
            md("Wakanda one", "2026-01-07", &mentions(&[], &["Wakanda"])),
        )
        .article(
            "w2.md",
            md("Wakanda two", "2026-01-08", &mentions(&[], &["WAKANDA"])),
        )
        .article(
            "w3.md",
            md("Wakanda three", "2026-01-09", &mentions(&[], &["Wakanda"])),
        )
        .build();

    assert_eq!(
        entity_pages(&built, "countries"),
        ["atlantis", "freedonia", "united-kingdom", "wakanda"]
    );
    assert_eq!(
        built.article_titles("countries/united-kingdom/"),
        ["Kingdom", "Blighty"]
    );
    assert!(also_written_as(&built, "countries/united-kingdom/").contains("Blighty"));

    let atlantis = "countries/atlantis/";
    assert_eq!(built.texts(atlantis, "main h1"), ["Atlantis"]);
    assert!(built.texts(atlantis, "main h1 span.flag").is_empty());
    assert_eq!(built.article_titles(atlantis), ["Sunk", "Atlantis rises"]);
    assert_eq!(
        also_written_as(&built, atlantis),
        BTreeSet::from(["lost continent".to_string()])
    );
    // A person's country may be a site-added country, by any of its names.
    let curry = built.html("people/arthur-curry/");
    assert_eq!(
        attrs(&curry, "section.profile p.role a", "href"),
        [format!("{BASE}{atlantis}")]
    );
    assert_eq!(
        built.texts("people/arthur-curry/", "section.profile p.role"),
        ["Atlantis"]
    );

    assert_eq!(
        built.article_titles("countries/freedonia/"),
        ["Coded", "Duck soup"]
    );
    assert_eq!(
        built
            .texts("countries/freedonia/", "main h1 span.flag")
            .len(),
        1
    );

    // Unknown to every registry: still a page, spellings still merge.
    let wakanda = "countries/wakanda/";
    assert_eq!(built.texts(wakanda, "main h1"), ["Wakanda"]);
    assert!(built.texts(wakanda, "main h1 span.flag").is_empty());
    assert_eq!(
        built.article_titles(wakanda),
        ["Wakanda three", "Wakanda two", "Wakanda one"]
    );
    assert!(built.exists("countries/wakanda/atom.xml"));
}

// ---------------------------------------------------------------------------
// 4. Conflicting data files
// ---------------------------------------------------------------------------

/// A site whose data files and one article are wrong in four ways.
fn conflicting_site() -> SiteFixture {
    let people = "\
- name: Ann Lee
  aliases: [A. Lee]
- name: Bo Chen
  country: France
- name: Andrew Lee
  aliases: [A Lee]
- name: Cy Twombly
  country: Narnia
";
    let countries = "\
- code: FR
  aliases: [Gaul]
- code: DE
  aliases: [Britain]
";
    SiteFixture::new()
        .file("data/people.yaml", people)
        .file("data/countries.yaml", countries)
        .article("good.md", md("Good", "2026-01-01", "people: [Ann Lee]\n"))
        .article("bad.md", "---\ndate: 2026-01-01\n---\nNo title.\n")
}

#[test]
fn conflicting_data_files_are_errors_naming_file_and_line_with_article_errors() {
    let fixture = conflicting_site();
    let err = fixture.load().err().expect("the site must not load");
    assert!(matches!(err, Error::Input(_)), "{err:?}");
    let found: Vec<(String, Option<usize>, String)> = err
        .diagnostics()
        .iter()
        .map(|d| {
            let rel = d
                .path
                .strip_prefix(fixture.root())
                .unwrap_or(&d.path)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, d.line, d.message.clone())
        })
        .collect();
    let at = |file: &str, line: usize, words: &[&str]| {
        assert!(
            found.iter().any(|(f, l, m)| f == file
                && *l == Some(line)
                && words.iter().all(|w| m.contains(w))),
            "no error at {file}:{line} mentioning {words:?}; got:\n{err}"
        );
    };
    // The alias of the second claimant (line 5), naming the first.
    at("data/people.yaml", 5, &["A Lee", "Ann Lee"]);
    at("data/people.yaml", 7, &["Narnia"]);
    at("data/countries.yaml", 3, &["Britain", "United Kingdom"]);
    assert!(
        found
            .iter()
            .any(|(f, l, m)| f == "content/bad.md" && *l == Some(1) && m.contains("title")),
        "{err}"
    );
    assert_eq!(found.len(), 4, "exactly the four problems:\n{err}");
    assert!(
        !found
            .iter()
            .any(|(f, l, _)| f == "data/people.yaml" && matches!(l, Some(1 | 3))),
        "the first claimant and a valid entry are not errors:\n{err}"
    );

    // The command line prints them like a compiler and fails with status 1,
    // leaving no output behind.
    let output = fixture.gazette(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = crate::common::stderr(&output);
    for prefix in [
        "data/people.yaml:5:",
        "data/people.yaml:7:",
        "data/countries.yaml:3:",
        "content/bad.md:1:",
    ] {
        assert!(
            stderr.lines().any(|l| l.starts_with(prefix)),
            "no line starting {prefix}:\n{stderr}"
        );
    }
    assert!(stderr.contains("4 errors"), "{stderr}");
    assert!(!fixture.out().join("index.html").exists());
}

#[test]
fn a_bad_countries_entry_does_not_make_references_to_its_good_entries_errors() {
    let fixture = SiteFixture::new()
        .file(
            "data/countries.yaml",
            "- name: Atlantis\n- code: FR\n  aliases: [Britain]\n",
        )
        .file(
            "data/people.yaml",
            "- name: Arthur Curry\n  country: Atlantis\n",
        )
        .article("a.md", md("A", "2026-01-01", "people: [Arthur Curry]\n"));
    let err = fixture
        .load()
        .err()
        .expect("countries.yaml line 2 is wrong");
    let found: Vec<(String, Option<usize>)> = err
        .diagnostics()
        .iter()
        .map(|d| {
            let rel = d.path.strip_prefix(fixture.root()).unwrap_or(&d.path);
            (rel.to_string_lossy().replace('\\', "/"), d.line)
        })
        .collect();
    // Only the real problem: Atlantis (line 1) is a valid entry, so Arthur
    // Curry's country is known.
    assert_eq!(
        found,
        [("data/countries.yaml".to_string(), Some(2))],
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// 5. Co-mention counts against a brute-force count
// ---------------------------------------------------------------------------

const POOL_PEOPLE: &[&[&str]] = &[
    &["Ann Lee"],
    &["José Núñez", "Jose Nunez"],
    &["Bo Chen"],
    &["Cy Young"],
    &["Di Prince"],
    &["Ed Stone"],
    &["Fay Wray"],
    &["Gus Grant"],
    &["Hal Jordan"],
    &["Ivy Stone"],
    &["Jo March"],
    &["Kai Ross"],
    &["Lu Xun"],
    &["Mo Farah"],
    &["Ned Kelly"],
    &["Oz Pearl"],
    &["Pat Kerr"],
    &["Quinn Day"],
    &["Ray Park"],
    &["Sue Bird"],
    &["Tom Kite"],
    &["Uma Das"],
];

const POOL_COUNTRIES: &[&[&str]] = &[
    &["United Kingdom", "UK", "Britain", "U.K."],
    &["United States", "USA", "US"],
    &["Türkiye", "Turkey"],
    &["France"],
    &["Germany"],
    &["Poland"],
    &["Ukraine"],
    &["Japan"],
    &["Brazil"],
    &["Kenya"],
    &["Chile"],
    &["Peru"],
    &["India"],
    &["Egypt"],
];

/// Which pool entry is called `name` (any of its spellings).
fn pool_index(pool: &[&[&str]], name: &str) -> usize {
    pool.iter()
        .position(|spellings| spellings.contains(&name))
        .unwrap_or_else(|| panic!("{name} is in no pool entry"))
}

/// Picks a pool entry, favouring the first ones.
fn pick(rng: &mut Rng, len: usize) -> usize {
    let a = rng.below(len);
    let b = rng.below(len);
    a.min(b)
}

struct Generated {
    fixture: SiteFixture,
    /// Per article: pool indices of its people and of its countries.
    articles: Vec<(BTreeSet<usize>, BTreeSet<usize>)>,
    /// Articles naming one country under two spellings.
    doubled: usize,
}

fn generated_archive() -> Generated {
    let mut rng = Rng(0x5EED_CAFE);
    let mut fixture = SiteFixture::new().config("per_page = 50");
    let mut articles = Vec::new();
    let mut doubled = 0;
    for i in 0..150 {
        let mut people_idx = BTreeSet::new();
        let mut people = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let p = pick(&mut rng, POOL_PEOPLE.len());
            if people_idx.insert(p) {
                let spellings = POOL_PEOPLE[p];
                people.push(spellings[rng.below(spellings.len())]);
            }
        }
        let mut country_idx = BTreeSet::new();
        let mut countries = Vec::new();
        for _ in 0..rng.below(4) {
            let c = pick(&mut rng, POOL_COUNTRIES.len());
            let spellings = POOL_COUNTRIES[c];
            let written = spellings[rng.below(spellings.len())];
            // The same country twice in one article (`UK`, `Britain`) is
            // allowed and counts once.
            if !countries.contains(&written) {
                if !country_idx.insert(c) {
                    doubled += 1;
                }
                countries.push(written);
            }
        }
        let day = i * 3;
        let date = format!(
            "2025-{:02}-{:02}T{:02}:00:00Z",
            1 + day / 28 % 12,
            1 + day % 28,
            i % 24
        );
        let date = if day / 28 >= 12 {
            date.replacen("2025", "2026", 1)
        } else {
            date
        };
        fixture = fixture.article(
            &format!("gen/a{i:03}.md"),
            md(
                &format!("Story {i:03}"),
                &date,
                &mentions(&people, &countries),
            ),
        );
        articles.push((people_idx, country_idx));
    }
    Generated {
        fixture,
        articles,
        doubled,
    }
}

/// Checks one "most often mentioned with" list against a brute-force count
/// `expected` (pool index -> shared articles, the entity itself excluded).
fn check_co_list(
    page: &str,
    heading: &str,
    shown: &[(String, usize, String)],
    pool: &[&[&str]],
    expected: &BTreeMap<usize, usize>,
) {
    let wanted = expected.len().min(10);
    assert_eq!(
        shown.len(),
        wanted,
        "{page} {heading}: {shown:?} vs {expected:?}"
    );
    let mut shown_idx = BTreeSet::new();
    for (name, count, _) in shown {
        let i = pool_index(pool, name);
        assert!(shown_idx.insert(i), "{page}: {name} listed twice");
        assert_eq!(
            Some(count),
            expected.get(&i),
            "{page} {heading}: count of {name}"
        );
    }
    let counts: Vec<usize> = shown.iter().map(|s| s.1).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "{page} {heading}: not most first: {counts:?}"
    );
    if let Some(&smallest) = counts.last() {
        for (i, n) in expected {
            if !shown_idx.contains(i) {
                assert!(
                    *n <= smallest,
                    "{page} {heading}: {} ({n}) is left out but {smallest} is shown",
                    pool[*i][0]
                );
            }
        }
    }
}

#[test]
fn co_mention_counts_match_a_brute_force_count() {
    let Generated {
        fixture,
        articles,
        doubled,
    } = generated_archive();
    assert!(doubled > 0, "the archive names a country twice somewhere");
    let built = fixture.build();
    let mut truncated = 0;

    // Every person and country page, found through the lists.
    for (kind, pool) in [("people", POOL_PEOPLE), ("countries", POOL_COUNTRIES)] {
        let doc = built.html(&format!("{kind}/"));
        let items = term_items(&doc, "ul.term-list > li");
        let used: BTreeSet<usize> = articles
            .iter()
            .flat_map(|(p, c)| if kind == "people" { p } else { c })
            .copied()
            .collect();
        assert_eq!(items.len(), used.len(), "{kind}: one page per entity");
        for (name, href, count) in items {
            let me = pool_index(pool, &name);
            let mine: Vec<&(BTreeSet<usize>, BTreeSet<usize>)> = articles
                .iter()
                .filter(|(p, c)| if kind == "people" { p } else { c }.contains(&me))
                .collect();
            assert_eq!(count, mine.len(), "{kind}/{name}: count on the list");
            let page = site_path(&href);
            let count_line = built.texts(&page, "section.profile p.count");
            assert!(
                count_line[0].starts_with(&format!("{} article", mine.len())),
                "{page}: {count_line:?}"
            );
            let mut with_people: BTreeMap<usize, usize> = BTreeMap::new();
            let mut with_countries: BTreeMap<usize, usize> = BTreeMap::new();
            for (p, c) in &mine {
                for &o in p.iter().filter(|&&o| kind != "people" || o != me) {
                    *with_people.entry(o).or_default() += 1;
                }
                for &o in c.iter().filter(|&&o| kind != "countries" || o != me) {
                    *with_countries.entry(o).or_default() += 1;
                }
            }
            truncated += usize::from(with_people.len() > 10);
            let people_shown = co_list(&built, &page, "Most often mentioned with");
            check_co_list(&page, "people", &people_shown, POOL_PEOPLE, &with_people);
            let countries_shown = co_list(&built, &page, "Countries alongside");
            check_co_list(
                &page,
                "countries",
                &countries_shown,
                POOL_COUNTRIES,
                &with_countries,
            );
            // Each item links the other entity's page.
            for (other, _, link) in people_shown.iter().chain(&countries_shown) {
                assert!(
                    built.exists(&site_path(link)),
                    "{page}: link of {other} is {link}"
                );
            }
        }
    }
    assert!(truncated > 0, "some lists must be cut at 10");
}

// ---------------------------------------------------------------------------
// 6. The timeline
// ---------------------------------------------------------------------------

#[test]
fn the_timeline_is_xml_with_one_bar_per_month_with_mentions() {
    let ann = "people: [Ann Lee]\n";
    let built = SiteFixture::new()
        .article("n1.md", md("N1", "2025-11-03", ann))
        .article("n2.md", md("N2", "2025-11-20", ann))
        .article("j1.md", md("J1", "2026-01-15", ann))
        .article("f1.md", md("F1", "2026-02-01", ann))
        .article("f2.md", md("F2", "2026-02-02", ann))
        .article("f3.md", md("F3", "2026-02-28T23:30:00Z", ann))
        .article("x.md", md("Other", "2026-04-01", "people: [Bo Chen]\n"))
        .build();
    let page = "people/ann-lee/";
    let svg = timeline_svg(&built, page);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("svg"));
    assert_eq!(root.attribute("class"), Some("timeline"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("a title");
    assert!(title.contains("Ann Lee"), "{title}");
    assert_eq!(
        title,
        "Mentions of Ann Lee per month, November 2025 to February 2026"
    );
    let bars: Vec<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|r| {
            r.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        bars,
        ["November 2025: 2", "January 2026: 1", "February 2026: 3"]
    );
    // The busiest month has the tallest bar; December (no mentions) has none.
    let heights: Vec<f64> = root
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|r| r.attribute("height").unwrap().parse().unwrap())
        .collect();
    assert!(
        heights[2] > heights[0] && heights[0] > heights[1],
        "{heights:?}"
    );

    // The same figures as a table, for readers without SVG.
    let html = built.html(page);
    assert_eq!(html.select(&sel("figure.timeline svg.timeline")).count(), 1);
    let rows: Vec<Vec<String>> = html
        .select(&sel("details.timeline-table > table tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["November 2025", "2"],
            ["January 2026", "1"],
            ["February 2026", "3"]
        ]
    );

    // One month only: one bar.
    let svg = timeline_svg(&built, "people/bo-chen/");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("rect")).count(),
        1
    );
}

// ---------------------------------------------------------------------------
// 7. Person and country feeds
// ---------------------------------------------------------------------------

#[test]
fn entity_feeds_hold_the_latest_twenty_mentions_newest_first() {
    let mut fixture = SiteFixture::new();
    // 25 articles about Ann (some also about France), 10 about others,
    // written in an order that is not date order.
    let mut ann_urls = Vec::new();
    let mut france_urls = Vec::new();
    for i in 0..35usize {
        let n = (i * 8) % 35; // a permutation of 0..35
        let date = format!("2026-01-{:02}T{:02}:00:00Z", 1 + n % 28, n / 28 * 12);
        let about_ann = n % 7 != 3 && n < 30 || n == 33;
        let about_france = n % 4 == 0;
        let people: &[&str] = if about_ann {
            // 14 times `Ann Lee`, 13 times `ANN LEE`: shown as `Ann Lee`.
            if n % 2 == 0 {
                &["ANN LEE"]
            } else {
                &["Ann Lee", "Bo Chen"]
            }
        } else {
            &["Bo Chen"]
        };
        let countries: &[&str] = if about_france { &["France"] } else { &[] };
        let slug = format!("s{n:02}");
        let url = format!("{BASE}2026/01/{slug}/");
        if about_ann {
            ann_urls.push((date.clone(), url.clone()));
        }
        if about_france {
            france_urls.push((date.clone(), url.clone()));
        }
        fixture = fixture.article(
            &format!("{slug}.md"),
            md(&format!("Story {n}"), &date, &mentions(people, countries)),
        );
    }
    let built = fixture.build();
    ann_urls.sort();
    ann_urls.reverse();
    france_urls.sort();
    france_urls.reverse();
    assert!(ann_urls.len() > 20, "the fixture needs more than 20");
    assert!(france_urls.len() < 20);

    for (page, name, expected) in [
        ("people/ann-lee/", "Ann Lee", &ann_urls),
        ("countries/france/", "France", &france_urls),
    ] {
        let feed = format!("{page}atom.xml");
        let (title, entries) = feed_entries(&built.page(&feed));
        assert_eq!(title, format!("{name} · Test Gazette"));
        assert!(entries.len() <= 20, "{feed}: {}", entries.len());
        let want: Vec<String> = expected.iter().take(20).map(|(_, u)| u.clone()).collect();
        let got: Vec<String> = entries.iter().map(|(u, _)| u.clone()).collect();
        assert_eq!(got, want, "{feed}: the latest mentions, newest first");
        let dates: Vec<&String> = entries.iter().map(|(_, d)| d).collect();
        assert!(dates.windows(2).all(|w| w[0] > w[1]), "{feed}: {dates:?}");
        // The page announces and links its feed.
        let doc = built.html(page);
        let feed_url = format!("{BASE}{feed}");
        assert!(
            attrs(&doc, "head link[rel=alternate]", "href").contains(&feed_url),
            "{page} head"
        );
        assert_eq!(attrs(&doc, "section.profile p.count a", "href"), [feed_url]);
    }
    // Bo Chen's feed holds only articles that mention Bo.
    let (_, bo) = feed_entries(&built.page("people/bo-chen/atom.xml"));
    let bo_pages: BTreeSet<String> = built.article_links("people/bo-chen/").into_iter().collect();
    assert!(!bo.is_empty());
    for (url, _) in &bo {
        assert!(bo_pages.contains(url), "{url} does not mention Bo Chen");
        let page = site_path(url);
        assert!(
            built
                .texts(&page, "footer.article-terms a")
                .contains(&"Bo Chen".to_string()),
            "{page}"
        );
    }
    // The second page of Ann's list has no profile, only articles.
    assert_eq!(
        built.article_titles("people/ann-lee/page/2/").len(),
        ann_urls.len() - 20
    );
    assert!(built
        .texts("people/ann-lee/page/2/", "section.profile")
        .is_empty());
}

// ---------------------------------------------------------------------------
// 8. /people/ and /countries/
// ---------------------------------------------------------------------------

#[test]
fn entity_lists_have_letters_groups_and_the_most_mentioned() {
    let mut fixture = SiteFixture::new();
    let mut n = 0;
    let mut add = |fixture: SiteFixture, people: &[&str], countries: &[&str]| {
        n += 1;
        fixture.article(
            &format!("a{n:03}.md"),
            md(
                &format!("A{n}"),
                &format!("2026-01-01T{:02}:{:02}:00Z", n / 60, n % 60),
                &mentions(people, countries),
            ),
        )
    };
    for _ in 0..5 {
        fixture = add(fixture, &["Bo Chen"], &["UK"]);
    }
    for _ in 0..3 {
        fixture = add(fixture, &["Ann Lee"], &["Britain", "France"]);
    }
    for _ in 0..2 {
        fixture = add(fixture, &["Zoe Ng"], &["Türkiye"]);
    }
    fixture = add(fixture, &["Émile Zola", "Anna Berg"], &["Germany"]);
    fixture = add(fixture, &["Anna Berg"], &["Turkey"]);
    // 22 people with one article each, so the top list must cut at 20.
    for i in 0..22 {
        let name = format!("Extra Person {i:02}");
        fixture = add(fixture, &[name.as_str()], &[]);
    }
    let built = fixture.build();

    // People: letters A B E Z, each group A to Z.
    let doc = built.html("people/");
    let letters: Vec<String> = doc.select(&sel("nav.letters a")).map(text).collect();
    assert_eq!(letters, ["A", "B", "E", "Z"]);
    assert_eq!(
        attrs(&doc, "nav.letters a", "href"),
        ["#letter-A", "#letter-B", "#letter-E", "#letter-Z"]
    );
    let ids = attrs(&doc, "h2[id^='letter-']", "id");
    assert_eq!(ids, ["letter-A", "letter-B", "letter-E", "letter-Z"]);
    let groups: Vec<Vec<String>> = doc
        .select(&sel("ul.term-list"))
        .map(|ul| ul.select(&sel("li > a")).map(text).collect())
        .collect();
    assert_eq!(groups.len(), 4);
    assert_eq!(groups[0], ["Ann Lee", "Anna Berg"]);
    assert_eq!(groups[1], ["Bo Chen"]);
    assert_eq!(groups[2][0], "Émile Zola");
    assert_eq!(groups[2].len(), 23, "Émile Zola and the 22 extras");
    assert_eq!(groups[3], ["Zoe Ng"]);
    // Each group follows its heading.
    for (h2, ul) in doc
        .select(&sel("h2[id^='letter-']"))
        .zip(doc.select(&sel("ul.term-list")))
    {
        let next = h2
            .next_siblings()
            .find_map(ElementRef::wrap)
            .expect("an element after the heading");
        assert_eq!(next.id(), ul.id(), "{}", text(h2));
    }

    let top = term_items(&doc, "section.top ol.top-terms > li");
    assert_eq!(top.len(), 20, "the top 20 only");
    let top_names: Vec<&str> = top.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        top_names[..4],
        ["Bo Chen", "Ann Lee", "Anna Berg", "Zoe Ng"]
    );
    let counts: Vec<usize> = top.iter().map(|t| t.2).collect();
    assert_eq!(counts[..4], [5, 3, 2, 2]);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(top[0].1, format!("{BASE}people/bo-chen/"));
    // Nobody left out has more mentions than the last shown.
    let all = term_items(&doc, "ul.term-list > li");
    assert_eq!(all.len(), 27);
    let last = *counts.last().unwrap();
    assert!(all
        .iter()
        .filter(|t| !top_names.contains(&t.0.as_str()))
        .all(|t| t.2 <= last));

    // Countries likewise, with aliases merged.
    let doc = built.html("countries/");
    let letters: Vec<String> = doc.select(&sel("nav.letters a")).map(text).collect();
    assert_eq!(letters, ["F", "G", "T", "U"]);
    let groups: Vec<Vec<String>> = doc
        .select(&sel("ul.term-list"))
        .map(|ul| ul.select(&sel("li > a")).map(text).collect())
        .collect();
    assert_eq!(
        groups,
        [
            vec!["France"],
            vec!["Germany"],
            vec!["Türkiye"],
            vec!["United Kingdom"]
        ]
    );
    let top: Vec<(String, usize)> = term_items(&doc, "ol.top-terms > li")
        .into_iter()
        .map(|(name, _, n)| (name, n))
        .collect();
    assert_eq!(
        top,
        [
            ("United Kingdom".to_string(), 8),
            ("France".to_string(), 3),
            ("Türkiye".to_string(), 3),
            ("Germany".to_string(), 1)
        ]
    );
}

// ---------------------------------------------------------------------------
// 9. Related articles
// ---------------------------------------------------------------------------

#[test]
fn related_articles_are_the_most_shared_then_the_most_recent() {
    let built = SiteFixture::new()
        .article(
            "t.md",
            md(
                "Target",
                "2026-03-10",
                &mentions(&["Ann Lee", "Bo Chen"], &["France"]),
            ),
        )
        // Shares three entities.
        .article(
            "a.md",
            md(
                "Three shared",
                "2026-03-01",
                &mentions(&["Ann Lee", "Bo Chen"], &["France"]),
            ),
        )
        // Shares two (one spelled differently).
        .article(
            "b.md",
            md(
                "Two shared",
                "2026-02-01",
                &mentions(&["ann lee", "Bo Chen"], &[]),
            ),
        )
        // One each, from most to least recent.
        .article(
            "c.md",
            md("One, March", "2026-03-05", &mentions(&["Ann Lee"], &[])),
        )
        .article(
            "e.md",
            md("One, January 2", "2026-01-02", &mentions(&["Bo Chen"], &[])),
        )
        .article(
            "d.md",
            md("One, January 1", "2026-01-01", &mentions(&[], &["France"])),
        )
        .article(
            "g.md",
            md("One, December", "2025-12-01", &mentions(&["Ann Lee"], &[])),
        )
        // Shares nothing (a tag is not an entity).
        .article(
            "f.md",
            md(
                "Nothing shared",
                "2026-03-09",
                "people: [Cy Young]\ncountries: [Peru]\ntags: [france]\n",
            ),
        )
        .article("z.md", md("No entities", "2026-03-08", ""))
        .build();

    let related = |page: &str| built.texts(page, "aside.related li > a");
    assert_eq!(
        related("2026/03/t/"),
        [
            "Three shared",
            "Two shared",
            "One, March",
            "One, January 2",
            "One, January 1"
        ]
    );
    // The other way round, the target is the most related.
    assert_eq!(related("2026/03/a/")[0], "Target");
    for page in ["2026/03/t/", "2026/03/a/", "2026/02/b/", "2025/12/g/"] {
        let titles = related(page);
        assert!(titles.len() <= 5, "{page}: {titles:?}");
        let own = built.texts(page, "article h1");
        assert!(!titles.contains(&own[0]), "{page} relates to itself");
        assert!(!titles.contains(&"Nothing shared".to_string()), "{page}");
        assert!(!titles.contains(&"No entities".to_string()), "{page}");
    }
    // Related links point at the articles.
    let doc = built.html("2026/03/t/");
    assert_eq!(
        attrs(&doc, "aside.related li > a", "href")[0],
        format!("{BASE}2026/03/a/")
    );
    // Nothing in common with anyone: no related section at all.
    assert!(built.texts("2026/03/f/", "aside.related").is_empty());
    assert!(built.texts("2026/03/z/", "aside.related").is_empty());
}

// ---------------------------------------------------------------------------
// 10. Escaping
// ---------------------------------------------------------------------------

const EVIL: &str = "<img src=x onerror=alert(1)>";

/// No element of the page carries markup that came from the input.
#[track_caller]
fn assert_inert(built: &Built, page: &str) {
    let (raw, json_ld) = without_json_ld(&built.page(page));
    assert_eq!(json_ld.len(), 1, "{page} has one JSON-LD block");
    assert!(!raw.contains("<img"), "{page} has a raw <img:\n{raw}");
    assert!(!raw.contains("<script"), "{page} has a raw <script");
    let doc = Html::parse_document(&raw);
    assert_eq!(
        doc.select(&sel("img, script, [onerror]")).count(),
        0,
        "{page}"
    );
}

#[test]
fn names_and_descriptions_are_escaped_everywhere() {
    let people = format!(
        "- name: {}\n  role: {}\n  description: {}\n",
        yaml_str(EVIL),
        yaml_str("<b>Chief</b> & co"),
        yaml_str("<script>alert(2)</script> said \"hi\" & <img src=y onerror=alert(3)>")
    );
    let title = format!("Story about {EVIL}");
    let built = SiteFixture::new()
        .file("data/people.yaml", &people)
        .article(
            "e1.md",
            md_body(
                &title,
                "2026-01-01",
                &mentions(&[EVIL, "Ann Lee"], &[]),
                "A plain body.\n",
            ),
        )
        .article(
            "e2.md",
            md(
                "Second story",
                "2026-02-01",
                &mentions(&[EVIL, "Ann Lee"], &[]),
            ),
        )
        .build();

    // Find the person's page through an article, as a reader would.
    let doc = built.html("2026/02/e2/");
    let links = attrs(&doc, "footer.article-terms a[href*='/people/']", "href");
    let names: Vec<String> = doc
        .select(&sel("footer.article-terms a[href*='/people/']"))
        .map(text)
        .collect();
    let i = names
        .iter()
        .position(|n| n == EVIL)
        .expect("the name shown as text");
    let page = site_path(&links[i]);
    let slug = page
        .trim_start_matches("people/")
        .trim_end_matches('/')
        .to_string();
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{slug}"
    );

    assert_eq!(built.texts(&page, "main h1"), [EVIL]);
    assert_eq!(
        built.texts(&page, "section.profile p.role"),
        ["<b>Chief</b> & co"]
    );
    assert_eq!(
        built.texts(&page, "section.profile p.description"),
        ["<script>alert(2)</script> said \"hi\" & <img src=y onerror=alert(3)>"]
    );
    assert_eq!(
        built.texts(&page, "head title"),
        [format!("{EVIL} · People · Test Gazette")]
    );
    assert_inert(&built, &page);

    // The timeline's title, in XML.
    let svg = timeline_svg(&built, &page);
    let xml = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let svg_title = xml
        .root_element()
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert_eq!(
        svg_title,
        format!("Mentions of {EVIL} per month, January 2026 to February 2026")
    );

    // The feed parses, and its title is the name as text.
    let feed = built.page(&format!("{page}atom.xml"));
    assert!(!feed.contains("<img"), "{feed}");
    let (feed_title, entries) = feed_entries(&feed);
    assert_eq!(feed_title, format!("{EVIL} · Test Gazette"));
    assert_eq!(entries.len(), 2);
    let xml = roxmltree::Document::parse(&feed).unwrap();
    let entry_titles: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|n| n.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(entry_titles, ["Second story", title.as_str()]);

    // Related lists and co-mentions show the title and name as text.
    assert_eq!(
        built.texts("2026/02/e2/", "aside.related li > a"),
        [title.as_str()]
    );
    assert_inert(&built, "2026/02/e2/");
    assert_inert(&built, "2026/01/e1/");
    let with = co_list(&built, "people/ann-lee/", "Most often mentioned with");
    assert_eq!(with.len(), 1);
    assert_eq!((with[0].0.as_str(), with[0].1), (EVIL, 2));
    assert_inert(&built, "people/ann-lee/");
    let svg = timeline_svg(&built, "people/ann-lee/");
    roxmltree::Document::parse(&svg).expect("Ann's timeline is XML");

    // The lists.
    let doc = built.html("people/");
    assert!(term_items(&doc, "ol.top-terms > li")
        .iter()
        .any(|t| t.0 == EVIL && t.2 == 2));
    assert_inert(&built, "people/");
    assert_inert(&built, "/");
    roxmltree::Document::parse(&built.page("atom.xml")).expect("the site feed is XML");
}

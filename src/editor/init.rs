//! `gazette init [DIR]`: a new site with every setting of site.toml
//! written out and commented, one example article, a commented example in
//! each data file and an empty static/.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::create;
use crate::error::{Diagnostic, Error, Result};

/// What `init` did.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// Files written (absolute or relative as `dir` was given).
    pub written: Vec<PathBuf>,
    /// Files that existed and were kept as they were (with `force`).
    pub kept: Vec<PathBuf>,
}

const SITE_TOML: &str = r#"# The site's settings. Every key but title and base_url may be left out;
# the values below are the defaults unless said otherwise.

title = "My News Digest"                # required: the site's name
base_url = "https://example.org/"      # required: where it is published (a sub-path works)
# description = "A digest of the week's news"
# language = "en"
# output_dir = "public"                # where `gazette build` writes
# per_page = 20                        # articles per page on every list
# timezone = "UTC"                     # for dates written without an offset, e.g. "Europe/Paris"

# [highlight]
# theme = "InspiredGitHub"             # code highlighting: any syntect bundled theme

# [markdown]
# raw_html = "allow"                   # raw HTML in bodies: "allow", "escape" or "sanitize"

# [search]
# enabled = true                       # the search box and page, and their index

# [extra]                              # anything, handed to templates as site.extra
# editor = "The desk"
"#;

const PEOPLE_YAML: &str = r"# People named in articles: the name to show, the other spellings that
# mean the same person, and what their page says about them.
#
# - name: Volodymyr Zelenskiy
#   aliases: [Volodymyr Zelensky, Zelenskyy]
#   role: President of Ukraine
#   country: Ukraine
#   description: Elected in 2019.
";

const COUNTRIES_YAML: &str = r#"# Countries beyond the built-in ISO registry, or other names for known
# ones (the registry already knows "UK", "Britain", "U.S."...).
#
# - name: Kosovo
#   code: XK
#   aliases: [Republic of Kosovo]
"#;

fn example_article(date: &str) -> String {
    format!(
        r#"---
title: "Welcome to the digest"
date: {date}
source: The desk
people: [Ada Lovelace]
countries: [United Kingdom]
tags: [meta]
summary: "What this site is, and how to add the next story."
---
This is the first article. Each article is one markdown file under
`content/`, with its front matter between the `---` lines.

Start the next one with `gazette new "Its title"`, or turn a wire story
into one with `gazette import story.txt`.
"#
    )
}

/// Writes a new site into `dir` (made if missing). A non-empty `dir` is
/// refused unless `force`, and even then no existing file is replaced.
pub fn init(dir: &Path, force: bool) -> Result<Initialised> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Error::one(Diagnostic::file(
            dir,
            "is not empty: gazette init starts a site in an empty folder (--force adds what is missing, overwriting nothing)",
        )));
    }
    let now = Utc::now();
    let article = format!("content/{}/welcome.md", now.format("%Y/%m"));
    let files: [(&str, String); 4] = [
        ("site.toml", SITE_TOML.to_string()),
        (
            &article,
            example_article(&now.format("%Y-%m-%dT%H:%M:00Z").to_string()),
        ),
        ("data/people.yaml", PEOPLE_YAML.to_string()),
        ("data/countries.yaml", COUNTRIES_YAML.to_string()),
    ];
    let mut done = Initialised {
        written: Vec::new(),
        kept: Vec::new(),
    };
    for (rel, text) in &files {
        let path = dir.join(rel);
        if path.exists() {
            done.kept.push(path);
            continue;
        }
        create(&path, text)?;
        done.written.push(path);
    }
    let statics = dir.join("static");
    std::fs::create_dir_all(&statics).map_err(|e| Error::io(&statics, e))?;
    Ok(done)
}

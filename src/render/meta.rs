//! What a page says about itself to machines: the meta description, the
//! Open Graph and Twitter card fields that make a shared link a card, the
//! breadcrumbs (shown to readers and given to search engines), and
//! schema.org JSON-LD (`NewsArticle` for an article, `ProfilePage` or
//! `CollectionPage` about the person or country of an entity page, a
//! `BreadcrumbList` everywhere). Templates print [`Meta`] as `meta`.
//!
//! The JSON-LD is encoded here, not in a template, so that every string in
//! it goes through one JSON encoder that also escapes `<`, `>` and `&`: a
//! title holding `</script>` cannot close the script element.

use serde::Serialize;
use serde_json::{json, Value};

use super::profile::Profile;
use super::views::{ArticleView, TermLink};
use crate::load::Config;
use crate::model::Kind;

/// A step of the breadcrumb trail: Home › People › Ann Lee.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    /// What it is called.
    pub(crate) name: String,
    /// Its page's absolute URL.
    pub(crate) url: String,
}

/// A page's metadata, as templates see it (`meta`).
#[derive(Debug, Serialize)]
pub(crate) struct Meta {
    /// The page's own title, without the site's (`og:title`).
    pub(crate) title: String,
    /// The page's own description (an article's summary, a person's role).
    pub(crate) description: String,
    /// `og:type`: `article` on articles, `website` elsewhere.
    pub(crate) og_type: &'static str,
    /// `article:published_time` (RFC 3339), on articles.
    pub(crate) published: Option<String>,
    /// `article:modified_time`, on articles (the date when never updated).
    pub(crate) modified: Option<String>,
    /// One `article:tag` each.
    pub(crate) tags: Vec<String>,
    /// The trail from the home page to this page's parent.
    pub(crate) breadcrumbs: Vec<Crumb>,
    /// The schema.org JSON-LD, safe to print inside `<script>` as it is.
    pub(crate) json_ld: String,
    /// The picture a shared link shows (`og:image`).
    pub(crate) image: Option<super::photo::PhotoView>,
}

/// The breadcrumb trail of a page, from the home page: `trail` is the
/// steps between the home page and the page itself.
pub(crate) fn crumbs(config: &Config, trail: &[(String, String)]) -> Vec<Crumb> {
    let home = Crumb {
        name: config.title.clone(),
        url: config.permalink("/"),
    };
    let steps = trail.iter().map(|(name, path)| Crumb {
        name: name.clone(),
        url: config.permalink(path),
    });
    std::iter::once(home).chain(steps).collect()
}

impl Meta {
    /// A page that is not an article or an entity: a list or an index.
    pub(crate) fn website(
        config: &Config,
        title: &str,
        description: String,
        url: &str,
        crumbs: Vec<Crumb>,
    ) -> Meta {
        let kind = if crumbs.len() <= 1 {
            "WebSite"
        } else {
            "CollectionPage"
        };
        let page = json!({
            "@type": kind,
            "name": title,
            "url": url,
            "description": description,
            "inLanguage": config.language,
        });
        Meta::with(description, "website", crumbs, title, url, page)
    }

    /// An article's page: a `NewsArticle`.
    pub(crate) fn article(config: &Config, view: &ArticleView, crumbs: Vec<Crumb>) -> Meta {
        let (card, source_url, tags) = (view.card.card, view.source_url, &view.tags);
        let a = view.card.article;
        let mut article = json!({
            "@type": "NewsArticle",
            "headline": a.title,
            "url": card.url,
            "mainEntityOfPage": card.url,
            "datePublished": card.date,
            "dateModified": card.updated.as_ref().unwrap_or(&card.date),
            "description": a.summary,
            "inLanguage": config.language,
            "publisher": {"@type": "Organization", "name": config.title, "url": config.permalink("/")},
            "mentions": mentions(view),
            "contentLocation": places(view),
            "keywords": tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        });
        if let Some(story) = &view.story {
            article["isPartOf"] =
                json!({"@type": "WebPage", "@id": story.url, "url": story.url, "name": story.name});
        }
        if !view.corrections.is_empty() {
            let corrections: Vec<_> = view
                .corrections
                .iter()
                .map(|c| json!({"@type": "CorrectionComment", "text": c.text, "datePublished": c.date}))
                .collect();
            article["correction"] = json!(corrections);
        }
        if let Some(source) = &a.source {
            article["sourceOrganization"] = json!({"@type": "Organization", "name": source});
        }
        if let Some(url) = source_url {
            article["isBasedOn"] = json!(url);
        }
        if let Some(location) = &a.location {
            article["locationCreated"] = json!({"@type": "Place", "name": location});
        }
        if let Some(photo) = &card.image {
            // Google asks for 16x9, 4x3 and 1x1 versions of an article's image.
            let crops = if photo.crops.is_empty() {
                photo.original.iter().cloned().collect()
            } else {
                photo.crops.clone()
            };
            article["image"] = json!(crops);
        }
        let mut meta = Meta::with(
            a.summary.clone(),
            "article",
            crumbs,
            &a.title,
            &card.url,
            article,
        );
        meta.published = Some(card.date.clone());
        meta.modified = Some(card.updated.clone().unwrap_or_else(|| card.date.clone()));
        meta.tags = tags.iter().map(|t| t.name.clone()).collect();
        meta.image = card.image.as_deref().cloned();
        meta
    }

    /// A person's, country's or tag's page: a `ProfilePage` about the
    /// person, or a `CollectionPage` about the country or the tag.
    pub(crate) fn term(
        config: &Config,
        kind: Kind,
        name: &str,
        url: &str,
        profile: Option<&Profile>,
        crumbs: Vec<Crumb>,
    ) -> Meta {
        let description = term_description(config, kind, name, profile);
        let mut about = json!({"@type": entity_type(kind), "name": name, "url": url});
        if let Some(p) = profile {
            add_profile(&mut about, p);
        }
        let page_type = if kind == Kind::People {
            "ProfilePage"
        } else {
            "CollectionPage"
        };
        let page = json!({
            "@type": page_type,
            "name": name,
            "url": url,
            "description": description,
            "inLanguage": config.language,
            "about": about,
        });
        let mut meta = Meta::with(description, "website", crumbs, name, url, page);
        meta.image = profile.and_then(|p| p.portrait.clone());
        meta
    }

    fn with(
        description: String,
        og_type: &'static str,
        breadcrumbs: Vec<Crumb>,
        title: &str,
        url: &str,
        page: Value,
    ) -> Meta {
        let mut graph = vec![page];
        if !breadcrumbs.is_empty() {
            graph.push(breadcrumb_list(&breadcrumbs, title, url));
        }
        Meta {
            json_ld: json_ld(&graph),
            title: title.to_string(),
            description,
            og_type,
            published: None,
            modified: None,
            tags: Vec::new(),
            breadcrumbs,
            image: None,
        }
    }
}

/// What a term's page says it is about, in a sentence.
fn term_description(config: &Config, kind: Kind, name: &str, profile: Option<&Profile>) -> String {
    let written = profile.map(|p| {
        let parts = [p.role.as_deref(), p.description.as_deref()];
        let parts: Vec<&str> = parts.into_iter().flatten().map(str::trim).collect();
        parts.join(". ")
    });
    match written.filter(|w| !w.is_empty()) {
        Some(w) => format!("{name}: {w}"),
        None => match kind {
            Kind::People => format!(
                "Articles of {} mentioning {name}, newest first.",
                config.title
            ),
            Kind::Countries => format!("Articles of {} about {name}, newest first.", config.title),
            Kind::Tags => format!("Articles of {} tagged {name}, newest first.", config.title),
        },
    }
}

fn entity_type(kind: Kind) -> &'static str {
    match kind {
        Kind::People => "Person",
        Kind::Countries => "Country",
        Kind::Tags => "Thing",
    }
}

/// What the data files and the archive say about a person or a country.
fn add_profile(about: &mut Value, p: &Profile) {
    if let Some(role) = &p.role {
        about["jobTitle"] = json!(role);
    }
    if let Some(description) = &p.description {
        about["description"] = json!(description);
    }
    if !p.also_written_as.is_empty() {
        about["alternateName"] = json!(p.also_written_as);
    }
    if let Some(code) = &p.code {
        about["identifier"] = json!(code);
    }
    if let Some(portrait) = &p.portrait {
        about["image"] = json!(portrait.share.url);
    }
    if let Some(country) = &p.country {
        let mut place = json!({"@type": "Country", "name": country.name});
        if !country.url.is_empty() {
            place["url"] = json!(country.url);
        }
        about["nationality"] = place;
    }
}

/// The people and countries of an article, as schema.org things.
fn mentions(view: &ArticleView) -> Vec<Value> {
    let people = view.people.iter().map(|p| thing("Person", p));
    let countries = view.countries.iter().map(|c| thing("Country", c));
    people.chain(countries).collect()
}

fn places(view: &ArticleView) -> Vec<Value> {
    view.countries.iter().map(|c| thing("Country", c)).collect()
}

fn thing(kind: &str, link: &TermLink) -> Value {
    json!({"@type": kind, "name": link.name, "url": link.url})
}

/// The trail, then the page itself, as a `BreadcrumbList`.
fn breadcrumb_list(crumbs: &[Crumb], title: &str, url: &str) -> Value {
    let steps = crumbs
        .iter()
        .map(|c| (c.name.as_str(), c.url.as_str()))
        .chain(std::iter::once((title, url)));
    let items: Vec<Value> = steps
        .enumerate()
        .map(|(i, (name, item))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": item})
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": items})
}

/// One JSON-LD document of `graph`, with `<`, `>` and `&` escaped as JSON
/// `\u` sequences, so that it can stand inside `<script>` as it is (HTML
/// ends a script at `</script>` whatever the JSON around it says).
pub(crate) fn json_ld(graph: &[Value]) -> String {
    let doc = json!({"@context": "https://schema.org", "@graph": graph});
    let text = serde_json::to_string(&doc).expect("a JSON value serialises");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_and_parses_back() {
        let title = "</script><script>alert(\"x\")</script> & <!--";
        let text = json_ld(&[json!({"headline": title})]);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["@graph"][0]["headline"], title);
        assert_eq!(back["@context"], "https://schema.org");
    }

    #[test]
    fn breadcrumbs_end_with_the_page_itself() {
        let crumbs = vec![Crumb {
            name: "Home".into(),
            url: "https://e.org/".into(),
        }];
        let list = breadcrumb_list(&crumbs, "Ann", "https://e.org/people/ann/");
        let items = list["itemListElement"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["position"], 2);
        assert_eq!(items[1]["item"], "https://e.org/people/ann/");
    }
}

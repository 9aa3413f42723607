//! Wire copy as editors paste it, taken apart: a kicker or stray lines
//! (`close`), the headline, the byline (`By AFP`), the date line, a photo
//! caption with its credit, then the story, whose first paragraph opens
//! with a dateline (`KRAKOW, Poland: ...`, `BRUSSELS (Reuters) - ...`,
//! `KYIV, Ukraine (AP) — ...`). Pure: text in, a [`WireStory`] out.

use chrono::NaiveDate;

/// What a pasted wire story holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireStory {
    /// The headline.
    pub(crate) title: String,
    /// The agency, from the byline or the dateline (`AFP`, `Reuters`, `AP`).
    pub(crate) source: Option<String>,
    /// The story's date, from the date line.
    pub(crate) date: Option<NaiveDate>,
    /// The dateline's place, in normal case: `Krakow, Poland`.
    pub(crate) location: Option<String>,
    /// The story's paragraphs, the dateline taken off the first.
    pub(crate) paragraphs: Vec<String>,
    /// The photo's caption, without its credit (when copy pastes a
    /// caption twice, the fuller one).
    pub(crate) caption: Option<String>,
    /// The photo's credit (`Reuters`, `REUTERS/Toby Melville`).
    pub(crate) credit: Option<String>,
}

/// Lines that are page furniture, not story.
const STRAY: &[&str] = &[
    "close",
    "advertisement",
    "share",
    "listen",
    "read more",
    "file photo",
];

/// Agencies as datelines and credits name them.
const AGENCIES: &[(&str, &str)] = &[
    ("AFP", "AFP"),
    ("Reuters", "Reuters"),
    ("AP", "AP"),
    ("Associated Press", "AP"),
    ("The Associated Press", "AP"),
    ("Bloomberg", "Bloomberg"),
    ("dpa", "dpa"),
    ("ANSA", "ANSA"),
    ("EFE", "EFE"),
    ("PAP", "PAP"),
];

/// Takes a pasted story apart; `None` when it has no headline.
pub(crate) fn parse(text: &str) -> Option<WireStory> {
    let blocks = blocks(text);
    let by_at = blocks.iter().position(|b| byline(b).is_some());
    let (title_at, mut source) = match by_at {
        Some(i) => (i.checked_sub(1)?, byline(&blocks[i])),
        None => (0, None),
    };
    let title = blocks.get(title_at)?.clone();
    let after = by_at.map_or(title_at + 1, |i| i + 1);
    let (date, after) = match blocks.get(after).and_then(|b| date_of(b)) {
        Some(d) => (Some(d), after + 1),
        None => (None, after),
    };
    let rest = &blocks[after.min(blocks.len())..];
    // The story starts at its dateline; what comes before it is a caption.
    let start = rest
        .iter()
        .position(|b| !is_caption(b) && dateline(b).is_some());
    let story: Vec<String> = match start {
        Some(i) => rest[i..].to_vec(),
        None => rest.iter().filter(|b| !is_caption(b)).cloned().collect(),
    };
    let mut paragraphs = story;
    let mut location = None;
    if let Some(first) = paragraphs.first_mut() {
        if let Some(d) = dateline(first) {
            location = Some(d.place);
            source = source.or(d.agency);
            *first = d.rest;
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    let (caption, credit) = photo_caption(&rest[..start.unwrap_or(rest.len())]);
    Some(WireStory {
        title,
        source,
        date,
        location,
        paragraphs,
        caption,
        credit,
    })
}

/// The text's paragraphs: blocks of lines between blank lines, each line
/// its own block when the paste has no blank lines between them, stray
/// furniture lines dropped.
fn blocks(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .flat_map(|b| b.split('\n').map(str::trim).collect::<Vec<_>>())
        .filter(|l| !l.is_empty() && !STRAY.contains(&l.to_lowercase().as_str()))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// `By AFP`, `By Jane Smith, Reuters`, `By THE ASSOCIATED PRESS`: the agency
/// (or the writer when no agency is named).
fn byline(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))?;
    if rest.split_whitespace().count() > 8 {
        return None;
    }
    let named = rest.rsplit(&[',', '/'][..]).next().unwrap_or(rest).trim();
    Some(agency(named).unwrap_or_else(|| named.to_string()))
}

fn agency(name: &str) -> Option<String> {
    let name = name.trim().trim_start_matches('(').trim_end_matches(')');
    AGENCIES
        .iter()
        .find(|(written, _)| written.eq_ignore_ascii_case(name))
        .map(|(_, agency)| agency.to_string())
}

/// A line that is only a date: `February 21, 2026`, `21 February 2026`,
/// `2026-02-21`, `Updated 10:42 AM GMT, March 5, 2026`, `Published: ...`.
fn date_of(line: &str) -> Option<NaiveDate> {
    if line.len() > 60 {
        return None;
    }
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    for start in 0..words.len() {
        for len in [3, 1] {
            let Some(part) = words.get(start..start + len) else {
                continue;
            };
            let joined = part.join(" ");
            for format in ["%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y", "%Y-%m-%d"] {
                if let Ok(d) = NaiveDate::parse_from_str(&joined, format) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// The caption and credit of the photo among `blocks` (those before the
/// story): the longest caption block, as pasted copy often holds one
/// version without apostrophes and one with.
fn photo_caption(blocks: &[String]) -> (Option<String>, Option<String>) {
    let Some(block) = blocks
        .iter()
        .filter(|b| is_caption(b))
        .max_by_key(|b| b.len())
    else {
        return (None, None);
    };
    let block = block.trim();
    if let Some(credit) = block.strip_prefix("Photo:") {
        return (None, Some(credit.trim().to_string()));
    }
    let (caption, credit) = if let Some(at) = block.find("REUTERS/") {
        (&block[..at], &block[at..])
    } else if let Some(at) = block.rfind(['—', '–']) {
        let dash = block[at..].chars().next().map_or(1, char::len_utf8);
        (&block[..at], &block[at + dash..])
    } else if let Some(stripped) = block.strip_suffix("(AFP)") {
        (stripped, "AFP")
    } else {
        (block, "")
    };
    let caption = caption.trim().trim_end_matches(['-', ' ']).trim();
    let credit = credit.trim().trim_end_matches('.').trim();
    let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
    (some(caption), some(credit))
}

/// A photo caption's paragraph: it ends with a credit.
fn is_caption(block: &str) -> bool {
    let end = block.trim_end();
    let credit = end.rsplit(['—', '–']).next().unwrap_or("").trim();
    (end.contains('—') || end.contains('–')) && agency(credit).is_some()
        || end.contains("REUTERS/")
        || end.starts_with("Photo:")
        || end.ends_with("(AFP)")
}

/// The dateline at the head of a paragraph.
struct Dateline {
    place: String,
    agency: Option<String>,
    rest: String,
}

/// `KRAKOW, Poland: text`, `BRUSSELS (Reuters) - text`, `KYIV, Ukraine (AP)
/// — text`: the place (its city in capitals), an agency, and the text.
fn dateline(block: &str) -> Option<Dateline> {
    let cut = [block.find([':', '—', '–']), block.find(" - ")]
        .into_iter()
        .flatten()
        .min()?;
    let head = block[..cut].trim();
    let rest = block[cut..]
        .trim_start_matches([':', '—', '–', '-', ' '])
        .to_string();
    let (place, agency_part) = match head.find('(') {
        Some(open) => (head[..open].trim(), Some(&head[open..])),
        None => (head, None),
    };
    let city = place.split(',').next()?.trim();
    let capitals = city.chars().any(char::is_alphabetic)
        && city.chars().all(|c| !c.is_lowercase())
        && city.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    let furniture = [
        "FILE PHOTO",
        "PHOTO",
        "FILE",
        "CAPTION",
        "UPDATE",
        "BREAKING",
    ]
    .contains(&city);
    if !capitals || furniture || place.split_whitespace().count() > 6 || rest.is_empty() {
        return None;
    }
    let mut parts = place.split(',').map(str::trim);
    let city = normal_case(parts.next()?);
    let others: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    let place = std::iter::once(city.as_str())
        .chain(others)
        .collect::<Vec<_>>()
        .join(", ");
    Some(Dateline {
        place,
        agency: agency_part.and_then(agency),
        rest,
    })
}

/// `KRAKOW` -> `Krakow`, `NEW YORK` -> `New York`, `SAINT-DENIS` ->
/// `Saint-Denis`.
fn normal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fuller_caption_and_its_credit_are_kept() {
        let text = "close\n\nLeaders meet\n\nBy AFP\nFebruary 21, 2026\nBritains Keir Starmer and Frances Emmanuel Macron attend a summit in London, Britain, March 2, 2025. — Reuters\nBritain's Keir Starmer and France's Emmanuel Macron attend a summit in London, Britain, March 2, 2025. — Reuters\nPARIS: Leaders met on Friday.\n";
        let story = parse(text).unwrap();
        assert_eq!(
            story.caption.as_deref(),
            Some("Britain's Keir Starmer and France's Emmanuel Macron attend a summit in London, Britain, March 2, 2025.")
        );
        assert_eq!(story.credit.as_deref(), Some("Reuters"));
        assert_eq!(story.paragraphs, ["Leaders met on Friday."]);
        let slash = parse(
            "Title\n\nA minister speaks in Kyiv. REUTERS/Jane Doe\n\nKYIV (Reuters) - Text.\n",
        )
        .unwrap();
        assert_eq!(slash.caption.as_deref(), Some("A minister speaks in Kyiv."));
        assert_eq!(slash.credit.as_deref(), Some("REUTERS/Jane Doe"));
        let none = parse("Title\n\nKYIV (Reuters) - Text.\n").unwrap();
        assert_eq!((none.caption, none.credit), (None, None));
    }

    #[test]
    fn datelines_of_three_agencies() {
        let d = dateline("KRAKOW, Poland: Any peace deal.").unwrap();
        assert_eq!(
            (d.place.as_str(), d.agency, d.rest.as_str()),
            ("Krakow, Poland", None, "Any peace deal.")
        );
        let d = dateline("BRUSSELS (Reuters) - European Union ministers met.").unwrap();
        assert_eq!(
            (d.place.as_str(), d.agency.as_deref()),
            ("Brussels", Some("Reuters"))
        );
        let d = dateline("KYIV, Ukraine (AP) — Drones struck the city.").unwrap();
        assert_eq!(
            (d.place.as_str(), d.agency.as_deref()),
            ("Kyiv, Ukraine", Some("AP"))
        );
        assert_eq!(dateline("NEW YORK: text").unwrap().place, "New York");
        assert!(dateline("But they said: no.").is_none());
        assert!(dateline("FILE PHOTO: Flags in Brussels.").is_none());
        assert!(dateline("NATO Secretary General Mark Rutte said: yes.").is_none());
    }

    #[test]
    fn dates_in_the_shapes_agencies_write_them() {
        let d = |s| date_of(s);
        let feb21 = NaiveDate::from_ymd_opt(2026, 2, 21);
        assert_eq!(d("February 21, 2026"), feb21);
        assert_eq!(d("21 February 2026"), feb21);
        assert_eq!(d("2026-02-21"), feb21);
        assert_eq!(d("Updated 10:42 AM GMT, February 21, 2026"), feb21);
        assert_eq!(d("Published: Feb 21, 2026"), feb21);
        assert_eq!(d("Talks resumed in Geneva"), None);
    }

    #[test]
    fn bylines_name_the_agency() {
        assert_eq!(byline("By AFP").as_deref(), Some("AFP"));
        assert_eq!(byline("By Jane Smith, Reuters").as_deref(), Some("Reuters"));
        assert_eq!(byline("By THE ASSOCIATED PRESS").as_deref(), Some("AP"));
        assert_eq!(byline("Bystanders fled").as_deref(), None);
    }
}

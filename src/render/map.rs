//! The world map, drawn at build time as inline SVG: on `/countries/`
//! every country shaded by its number of articles (a link to its page,
//! its name and count as a tooltip, reachable by keyboard), on a
//! country's page the country marked on a small map around it, on a
//! person's page the countries mentioned alongside them.
//!
//! The outlines (`world.tsv`) are Natural Earth's 1:50m countries (public
//! domain) from npm's `world-atlas` 2.0.2, projected, simplified and
//! written by `tools/world_map.py`; disputed areas follow the country
//! registry (ISO 3166): Crimea is drawn in Ukraine, Northern Cyprus in
//! Cyprus, Somaliland in Somalia.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::OnceLock;

use crate::model::Kind;

/// The outlines: ISO numeric code, name, path data.
const OUTLINES: &str = include_str!("world.tsv");

/// The frame the outlines are drawn in.
const WIDTH: f32 = 1600.0;
const HEIGHT: f32 = 622.0;

/// Shades of the scale, from 1 (fewest articles) to `SHADES`.
pub(crate) const SHADES: u32 = 5;

/// One country's outline.
struct Outline {
    numeric: Option<u16>,
    name: &'static str,
    d: &'static str,
    /// min x, min y, max x, max y.
    bbox: [f32; 4],
}

fn outlines() -> &'static [Outline] {
    static PARSED: OnceLock<Vec<Outline>> = OnceLock::new();
    PARSED.get_or_init(|| {
        OUTLINES
            .lines()
            .filter_map(|line| {
                let mut cols = line.splitn(3, '\t');
                let (code, name, d) = (cols.next()?, cols.next()?, cols.next()?);
                Some(Outline {
                    numeric: code.parse().ok(),
                    name,
                    d,
                    bbox: bbox_of(d),
                })
            })
            .collect()
    })
}

/// The bounding box of path data made of `M x y`, `l dx dy ...`, `h0`, `z`.
fn bbox_of(d: &str) -> [f32; 4] {
    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    let (mut x, mut y, mut absolute) = (0.0f32, 0.0f32, true);
    let mut numbers: Vec<f32> = Vec::new();
    let mut flush = |numbers: &mut Vec<f32>, absolute: bool, x: &mut f32, y: &mut f32| {
        for pair in numbers.chunks(2) {
            if let [a, b] = pair {
                if absolute {
                    (*x, *y) = (*a, *b);
                } else {
                    (*x, *y) = (*x + a, *y + b);
                }
                bbox = [
                    bbox[0].min(*x),
                    bbox[1].min(*y),
                    bbox[2].max(*x),
                    bbox[3].max(*y),
                ];
            }
        }
        numbers.clear();
    };
    let mut number = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '-' && number.is_empty()) || c == '.' {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            numbers.push(number.parse().unwrap_or(0.0));
            number.clear();
        }
        if c == '-' {
            number.push(c);
        } else if c.is_ascii_alphabetic() {
            flush(&mut numbers, absolute, &mut x, &mut y);
            absolute = c == 'M';
        }
    }
    flush(&mut numbers, absolute, &mut x, &mut y);
    bbox
}

/// The countries taxonomy's key (`#FR`) of an outline: its ISO 3166
/// code, which the registry's countries are keyed by (Kosovo, which
/// Natural Earth gives no code, is the registry's `XK`). It depends on
/// nothing of the site, so `/world.svg` is the same for every site.
fn term_key(outline: &Outline) -> Option<String> {
    match outline.numeric.and_then(rust_iso3166::from_numeric) {
        Some(country) => Some(format!("#{}", country.alpha2)),
        None if outline.name == "Kosovo" => Some("#XK".to_string()),
        None => None,
    }
}

/// How a country is drawn: its shade (0: none), a label, a link.
pub(crate) struct Shade {
    pub(crate) shade: u32,
    pub(crate) label: String,
    pub(crate) url: Option<String>,
}

/// The shade of `count` on a scale up to `max` (log, 1..=SHADES).
pub(crate) fn shade_of(count: usize, max: usize) -> u32 {
    if count == 0 {
        return 0;
    }
    if max <= 1 {
        return SHADES;
    }
    let step = (count as f32).ln() / (max as f32).ln();
    1 + ((step * (SHADES - 1) as f32).round() as u32).min(SHADES - 1)
}

/// The lowest count each shade stands for, for the legend.
pub(crate) fn legend(max: usize) -> Vec<(u32, usize)> {
    let mut from: Vec<(u32, usize)> = Vec::new();
    for count in 1..=max.max(1) {
        let shade = shade_of(count, max);
        if from.last().is_none_or(|&(s, _)| s != shade) {
            from.push((shade, count));
        }
    }
    from
}

/// The whole map as inline SVG: countries by their term key in
/// `shades` (linked and labelled), the others as plain land.
pub(crate) fn draw(shades: &HashMap<String, Shade>, title: &str) -> String {
    let view = [0.0, 0.0, WIDTH, HEIGHT];
    let mut svg = String::with_capacity(OUTLINES.len() + 4096);
    let _ = write!(
        svg,
        r#"<svg class="world" viewBox="{} {} {} {}" role="img" aria-label="{}"><title>{}</title>"#,
        view[0],
        view[1],
        view[2],
        view[3],
        esc(title),
        esc(title)
    );
    for outline in outlines() {
        let shade = term_key(outline).and_then(|k| shades.get(&k));
        let class = match shade {
            Some(s) if s.shade > 0 => format!("s{}", s.shade),
            _ => "land".to_string(),
        };
        match shade {
            Some(Shade {
                label,
                url: Some(url),
                ..
            }) => {
                let _ = write!(
                    svg,
                    r#"<a href="{}"><path class="{class}" d="{}"><title>{}</title></path></a>"#,
                    esc(url),
                    outline.d,
                    esc(label)
                );
            }
            Some(Shade { label, .. }) => {
                let _ = write!(
                    svg,
                    r#"<path class="{class}" d="{}"><title>{}</title></path>"#,
                    outline.d,
                    esc(label)
                );
            }
            None => {
                let _ = write!(svg, r#"<path class="{class}" d="{}"/>"#, outline.d);
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A frame around `boxes`, with a margin, at least a region's size, and
/// the map's proportions kept roughly.
fn frame(boxes: impl Iterator<Item = [f32; 4]>) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for [x0, y0, x1, y1] in boxes {
        b = [b[0].min(x0), b[1].min(y0), b[2].max(x1), b[3].max(y1)];
    }
    if b[0] > b[2] {
        return [0.0, 0.0, WIDTH, HEIGHT];
    }
    let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    let w = ((b[2] - b[0]) * 1.6).clamp(160.0, WIDTH);
    let h = ((b[3] - b[1]) * 1.6).max(w * 0.55).min(HEIGHT);
    let w = w.max(h / 0.55).min(WIDTH);
    let x = (cx - w / 2.0).clamp(0.0, WIDTH - w);
    let y = (cy - h / 2.0).clamp(0.0, HEIGHT - h);
    [x.round(), y.round(), w.round(), h.round()]
}

/// A step of the legend: a shade and the fewest articles it stands for.
#[derive(serde::Serialize)]
pub(crate) struct LegendStep {
    shade: u32,
    from: usize,
}

impl super::Renderer<'_> {
    fn country_shade(
        &self,
        t: crate::model::TermId,
        count: usize,
        max: usize,
        label: String,
    ) -> (String, Shade) {
        let term = &self.index.taxonomy(Kind::Countries).terms[t];
        let url = self
            .config
            .permalink(&super::paths::term_path(Kind::Countries, &term.slug));
        let shade = Shade {
            shade: shade_of(count, max),
            label,
            url: Some(url),
        };
        (term.key.clone(), shade)
    }

    /// `/countries/`'s map and its legend: every country with articles
    /// shaded by how many, each a link to its page.
    pub(super) fn countries_map(&self) -> (String, Vec<LegendStep>) {
        let terms = &self.index.taxonomy(Kind::Countries).terms;
        let max = terms.iter().map(|t| t.articles.len()).max().unwrap_or(0);
        let shades: HashMap<String, Shade> = terms
            .iter()
            .enumerate()
            .map(|(t, term)| {
                let n = term.articles.len();
                let label = format!(
                    "{}: {n} article{}",
                    term.name,
                    if n == 1 { "" } else { "s" }
                );
                self.country_shade(t, n, max, label)
            })
            .collect();
        let svg = draw(&shades, "Articles by country");
        let steps = legend(max)
            .into_iter()
            .map(|(shade, from)| LegendStep { shade, from })
            .collect();
        (svg, steps)
    }

    /// A country's page: the country marked on a map around it (the
    /// outlines are the shared `/world.svg`'s; the page says only the
    /// frame and the colour).
    pub(super) fn country_map(&self, t: crate::model::TermId) -> String {
        let term = &self.index.taxonomy(Kind::Countries).terms[t];
        let title = format!("{} on the map", term.name);
        let view = self.crop(std::iter::once(term.key.as_str()));
        self.shared_map(
            &title,
            view,
            &[(term.key.as_str(), "var(--accent)".to_string())],
        )
    }

    /// A person's page: the countries mentioned alongside them, shaded by
    /// how often; none when no country is.
    pub(super) fn person_map(&self, t: crate::model::TermId) -> Option<String> {
        let alongside = crate::model::co_mentions(
            self.index,
            Kind::People,
            t,
            Kind::Countries,
            PERSON_COUNTRIES,
        );
        let max = alongside.iter().map(|&(_, n)| n).max()?;
        let person = &self.index.taxonomy(Kind::People).terms[t].name;
        let terms = &self.index.taxonomy(Kind::Countries).terms;
        let fills: Vec<(&str, String)> = alongside
            .iter()
            .map(|&(c, n)| {
                (
                    terms[c].key.as_str(),
                    format!("var(--s{})", shade_of(n, max)),
                )
            })
            .collect();
        let view = self.crop(fills.iter().map(|(k, _)| *k));
        let title = format!("Countries mentioned alongside {person}");
        Some(self.shared_map(&title, view, &fills))
    }

    /// The frame around the outlines of the countries keyed `keys`.
    fn crop<'k>(&self, keys: impl Iterator<Item = &'k str>) -> [f32; 4] {
        let keys: Vec<&str> = keys.collect();
        frame(
            outlines()
                .iter()
                .filter(|o| term_key(o).is_some_and(|k| keys.contains(&k.as_str())))
                .map(|o| o.bbox),
        )
    }

    /// A map that uses `/world.svg`, framed at `view`, the countries keyed
    /// in `fills` filled with their colour.
    fn shared_map(&self, title: &str, view: [f32; 4], fills: &[(&str, String)]) -> String {
        let style: String = fills
            .iter()
            .map(|(key, fill)| format!("--c-{}: {fill}; ", css_name(key)))
            .collect();
        format!(
            r#"<svg class="world" viewBox="{} {} {} {}" role="img" aria-label="{}" style="{}"><title>{}</title><use href="{}/{WORLD_SVG}#map"/></svg>"#,
            view[0],
            view[1],
            view[2],
            view[3],
            esc(title),
            esc(style.trim_end()),
            esc(title),
            self.config.base_url,
        )
    }
}

/// The most countries a person's map shades.
const PERSON_COUNTRIES: usize = 40;

/// The file of every outline, which the small maps of country and person
/// pages use (`<use href>`), each filled with its `--c-<code>` property.
pub(crate) const WORLD_SVG: &str = "world.svg";

/// `#FR` -> `FR`: a country's key as a CSS custom property's name.
fn css_name(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// `/world.svg`: every outline in one group, `#map`, each filled with its
/// country's `--c-<code>` when a page sets it, else the land's colour.
pub(crate) fn world_svg() -> String {
    let mut svg = String::with_capacity(OUTLINES.len() + 16_384);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"><g id="map">"#
    );
    for outline in outlines() {
        let fill = term_key(outline).map_or_else(
            || "var(--land, #dedad0)".to_string(),
            |k| format!("var(--c-{}, var(--land, #dedad0))", css_name(&k)),
        );
        let _ = write!(svg, r#"<path style="fill: {fill}" d="{}"/>"#, outline.d);
    }
    svg.push_str("</g></svg>\n");
    svg
}

/// Text for an attribute or a `<title>`.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outline_parses_and_the_registry_knows_the_news_countries() {
        let all = outlines();
        assert!(all.len() > 230, "{}", all.len());
        for o in all {
            assert!(
                o.bbox[0] <= o.bbox[2] && o.bbox[1] <= o.bbox[3],
                "{}",
                o.name
            );
        }
        let keys: Vec<String> = all.iter().filter_map(term_key).collect();
        for key in ["#FR", "#UA", "#LU", "#MT", "#XK", "#GB", "#US", "#CY"] {
            assert!(keys.iter().any(|k| k == key), "{key}");
        }
        assert!(OUTLINES.len() < 120_000);
    }

    #[test]
    fn the_scale_runs_from_one_to_the_most_and_its_legend_starts_each_shade() {
        assert_eq!(shade_of(0, 10), 0);
        assert_eq!(shade_of(1, 10), 1);
        assert_eq!(shade_of(10, 10), SHADES);
        assert_eq!(shade_of(1, 1), SHADES);
        let legend = legend(100);
        assert_eq!(legend.first(), Some(&(1, 1)));
        assert_eq!(legend.last().map(|l| l.0), Some(SHADES));
        assert!(legend
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }

    #[test]
    fn a_link_and_a_label_are_text_and_a_frame_holds_its_country() {
        let mut shades = HashMap::new();
        shades.insert(
            "#FR".to_string(),
            Shade {
                shade: 3,
                label: "France <b>: 3".into(),
                url: Some("/c/fr?a=1&b=2".into()),
            },
        );
        let svg = draw(&shades, "Map & key");
        assert!(svg.contains(r#"<a href="/c/fr?a=1&amp;b=2"><path class="s3""#));
        assert!(svg.contains("<title>France &lt;b&gt;: 3</title>"));
        assert!(svg.contains(r#"aria-label="Map &amp; key""#));
        assert_eq!(
            svg.matches("<path").count(),
            outlines().len(),
            "every outline"
        );
        // A small map frames its country with a margin, inside the map.
        let lu = outlines().iter().find(|o| o.name == "Luxembourg").unwrap();
        let [x, y, w, h] = frame(std::iter::once(lu.bbox));
        assert!(
            x <= lu.bbox[0] && y <= lu.bbox[1],
            "{:?} in {x} {y}",
            lu.bbox
        );
        assert!(
            x + w >= lu.bbox[2] && y + h >= lu.bbox[3],
            "{:?} in {w} {h}",
            lu.bbox
        );
        assert!(w < WIDTH / 4.0 && h < HEIGHT / 2.0, "{w} x {h}");
    }
}

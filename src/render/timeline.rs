//! The mentions timeline drawn as inline SVG at build time: one bar per
//! month from the first mention to the last, no JavaScript. Its `<title>`
//! and `<desc>` say what it shows for screen readers and text browsers; the
//! template adds a table with the same figures.

use std::fmt::Write;

use super::views::month_name;
use crate::markdown::escape_html;

// The chart's coordinates, in tenths of a CSS pixel at its natural size:
// integers format several times faster than `{:.2}` floats, and a build
// draws thousands of charts.
const WIDTH: i64 = 6000;
const HEIGHT: i64 = 1000;
/// The fewest months a chart spans: a single mention is a bar among a
/// year's slots, not a block across the page.
pub(crate) const MIN_SPAN: i64 = 12;

/// The first month a chart of a history from `first` to `last` shows.
pub(crate) fn chart_start(first: (i32, u32), last: (i32, u32)) -> (i32, u32) {
    let start = month_index(last) - (month_index(last) - month_index(first) + 1).max(MIN_SPAN) + 1;
    (start.div_euclid(12) as i32, start.rem_euclid(12) as u32 + 1)
}

/// An SVG bar chart of `months` (`((year, month), count)`, oldest first,
/// months without mentions left out) for the entity called `name`.
pub(crate) fn svg(name: &str, months: &[((i32, u32), usize)]) -> String {
    let (Some(&(first, _)), Some(&(last, _))) = (months.first(), months.last()) else {
        return String::new();
    };
    let months_covered = month_index(last) - month_index(first) + 1;
    let span = months_covered.max(MIN_SPAN);
    // A short history ends at its last month: the padding goes before it.
    let start = month_index(chart_start(first, last));
    let max = months.iter().map(|&(_, n)| n).max().unwrap_or(1).max(1);
    let bar = WIDTH as f64 / span as f64;
    let name = escape_html(name);
    let range = format!(
        "{} {} to {} {}",
        month_name(first.1),
        first.0,
        month_name(last.1),
        last.0
    );
    let total: usize = months.iter().map(|&(_, n)| n).sum();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\">\
<title>Mentions of {name} per month, {range}</title>\
<desc>{total} articles over {months_covered} months; the busiest month has {max}.</desc>"
    );
    let width = (bar * 0.85).round().max(5.0) as i64;
    for &((y, m), n) in months {
        let x = ((month_index((y, m)) - start) as f64 * bar).round() as i64;
        let h = (n as f64 / max as f64 * HEIGHT as f64).round().max(10.0) as i64;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"{h}\"><title>{} {y}: {n}</title></rect>",
            HEIGHT - h,
            month_name(m)
        );
    }
    // The axis is the page's text beside the chart (`timeline_from`,
    // `timeline_to`): text inside a chart stretched to the page's width
    // would be squeezed on a phone.
    out.push_str("</svg>");
    out
}

fn month_index((year, month): (i32, u32)) -> i64 {
    year as i64 * 12 + month as i64 - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_well_formed_xml_with_a_bar_per_month_with_mentions() {
        let chart = svg("Ann <Lee> & co", &[((2025, 11), 2), ((2026, 2), 5)]);
        let doc = roxmltree::Document::parse(&chart).expect("the SVG parses as XML");
        let bars = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert_eq!(bars, 2);
        let title = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("title"))
            .unwrap();
        assert_eq!(
            title.text(),
            Some("Mentions of Ann <Lee> & co per month, November 2025 to February 2026")
        );
    }

    #[test]
    fn a_short_history_is_drawn_as_the_year_up_to_its_last_month() {
        assert_eq!(chart_start((2026, 2), (2026, 2)), (2025, 3));
        assert_eq!(chart_start((2025, 11), (2026, 2)), (2025, 3));
        assert_eq!(chart_start((2016, 1), (2025, 12)), (2016, 1));
        let chart = svg("x", &[((2026, 2), 1)]);
        let doc = roxmltree::Document::parse(&chart).unwrap();
        let bar = doc.descendants().find(|n| n.has_tag_name("rect")).unwrap();
        assert_eq!(bar.attribute("x"), Some("5500"), "the last of twelve slots");
    }

    #[test]
    fn no_mentions_no_chart() {
        assert_eq!(svg("x", &[]), "");
    }
}

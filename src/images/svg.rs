//! SVG files used as an article's image: drawn by the browser as they are
//! (no copies are made), so an SVG is accepted only when it cannot run
//! anything if a reader opens its address directly: no script, no event
//! attribute, no foreign HTML, no `javascript:` link.

/// The size an SVG declares (`width`/`height`, else its `viewBox`, else the
/// browser's default 300 x 150), or why it is refused.
pub(crate) fn probe(bytes: &[u8]) -> Result<(u32, u32), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("the SVG does not parse: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(format!(
            "expected an <svg> document, found <{}>",
            root.tag_name().name()
        ));
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("foreignObject") {
            return Err(format!(
                "the SVG has a <{name}> element: an image with scripts or HTML in it is refused"
            ));
        }
        for attribute in node.attributes() {
            let key = attribute.name().to_ascii_lowercase();
            if key.starts_with("on") {
                return Err(format!(
                    "the SVG has an event attribute `{}` on <{name}>: an image with scripts is refused",
                    attribute.name()
                ));
            }
            let value: String = attribute
                .value()
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if key == "href"
                && (value.starts_with("javascript:") || value.starts_with("data:text/html"))
            {
                return Err(format!("the SVG has a script link on <{name}>"));
            }
        }
    }
    Ok(size(&root))
}

/// The SVG's declared size in CSS pixels.
fn size(root: &roxmltree::Node) -> (u32, u32) {
    let length = |name: &str| -> Option<f64> {
        let v = root.attribute(name)?.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 1.0)
    };
    let view_box: Option<(f64, f64)> = root.attribute("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        (n.len() == 4 && n[2] >= 1.0 && n[3] >= 1.0 && n[2].is_finite() && n[3].is_finite())
            .then(|| (n[2], n[3]))
    });
    let clamp = |n: f64| n.round().clamp(1.0, 100_000.0) as u32;
    match (length("width"), length("height"), view_box) {
        (Some(w), Some(h), _) => (clamp(w), clamp(h)),
        (Some(w), None, Some((vw, vh))) => (clamp(w), clamp(w * vh / vw)),
        (None, Some(h), Some((vw, vh))) => (clamp(h * vw / vh), clamp(h)),
        (_, _, Some((vw, vh))) => (clamp(vw), clamp(vh)),
        _ => (300, 150),
    }
}

#[cfg(test)]
mod tests {
    use super::probe;

    #[test]
    fn sizes_from_attributes_or_view_box() {
        let svg = |attrs: &str| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" {attrs}/>"#);
        assert_eq!(
            probe(svg(r#"width="640" height="480""#).as_bytes()),
            Ok((640, 480))
        );
        assert_eq!(
            probe(svg(r#"viewBox="0 0 1200 600""#).as_bytes()),
            Ok((1200, 600))
        );
        assert_eq!(
            probe(svg(r#"width="300px" viewBox="0 0 1200 600""#).as_bytes()),
            Ok((300, 150))
        );
        assert_eq!(probe(svg("").as_bytes()), Ok((300, 150)));
    }

    #[test]
    fn scripts_in_any_form_are_refused() {
        for bad in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href=" java&#x09;script:alert(1)"><rect/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>"#,
            r#"<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>"#,
            "<html><script/></html>",
        ] {
            assert!(probe(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}

//! Photos in an article's body: `![alt](photo.jpg "caption")` with a file
//! of the site becomes an `<img>` with its size, its copies as `srcset`,
//! lazy loading and a placeholder colour, and, alone in its paragraph, a
//! `<figure>` with the title as its caption. [`local_images`] finds them
//! for `load`, which reads and probes the files; the sizes come back
//! through [`super::LinkResolver::photo`] when the page renders.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

/// A body photo as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodyPhoto {
    /// The copy for browsers without `srcset`.
    pub(crate) src: String,
    /// `URL 480w, URL 800w...` (empty for a picture shown as it is).
    pub(crate) srcset: String,
    /// Width as shown.
    pub(crate) width: u32,
    /// Height as shown.
    pub(crate) height: u32,
    /// `#rrggbb` filling the box until it loads.
    pub(crate) colour: Option<String>,
}

/// An image written in a body, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WrittenImage {
    /// The destination.
    pub(crate) dest: String,
    /// The alt text (the text between the brackets).
    pub(crate) alt: String,
    /// The title (shown as the caption).
    pub(crate) title: String,
    /// Byte offset in the body.
    pub(crate) offset: usize,
}

/// The images of `body` whose destination is a file of the site (not an
/// address, not a fragment).
pub(crate) fn local_images(body: &str) -> Vec<WrittenImage> {
    if !body.contains("![") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut parser = Parser::new_ext(body, super::options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            continue;
        };
        let alt = super::alt_text(&mut parser.by_ref().map(|(inner, _)| inner));
        if is_local(&dest_url) {
            found.push(WrittenImage {
                dest: dest_url.to_string(),
                alt,
                title: title.to_string(),
                offset: range.start,
            });
        }
    }
    found
}

/// True for a destination naming a file of the site.
fn is_local(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.starts_with(['#', '?'])
        || dest.starts_with("//")
        || url::Url::parse(dest).is_ok()
        || super::is_unsafe_url(dest, true))
}

/// The `<img>` of a body photo.
pub(crate) fn img_tag(photo: &BodyPhoto, alt: &str, title: Option<&str>) -> String {
    let mut tag = String::from("<img src=\"");
    let attr = |tag: &mut String, text: &str| {
        let _ = escape_html(&mut *tag, text);
    };
    attr(&mut tag, &photo.src);
    tag.push('"');
    if !photo.srcset.is_empty() {
        tag.push_str(" srcset=\"");
        attr(&mut tag, &photo.srcset);
        tag.push_str("\" sizes=\"(min-width: 42rem) 40rem, 100vw\"");
    }
    tag.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"",
        photo.width, photo.height
    ));
    attr(&mut tag, alt);
    tag.push_str("\" loading=\"lazy\" decoding=\"async\"");
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        tag.push_str(" title=\"");
        attr(&mut tag, title);
        tag.push('"');
    }
    if let Some(colour) = &photo.colour {
        tag.push_str(" style=\"background-color: ");
        attr(&mut tag, colour);
        tag.push('"');
    }
    tag.push('>');
    tag
}

/// Turns each photo alone in its paragraph (at the `events` positions
/// `photos`, with its caption) into a `<figure>`: the paragraph's start
/// and end become the figure's, the caption its `<figcaption>`.
pub(crate) fn into_figures(events: &mut [Event], photos: &[(usize, String)]) {
    for (at, caption) in photos {
        let at = *at;
        let alone = at > 0
            && matches!(events[at - 1], Event::Start(Tag::Paragraph))
            && matches!(events.get(at + 1), Some(Event::End(TagEnd::Paragraph)));
        if !alone {
            continue;
        }
        events[at - 1] = Event::Html(CowStr::from("<figure class=\"photo\">\n"));
        let mut end = String::new();
        if !caption.is_empty() {
            end.push_str("\n<figcaption><span class=\"caption\">");
            let _ = escape_html_body_text(&mut end, caption);
            end.push_str("</span></figcaption>");
        }
        end.push_str("\n</figure>\n");
        events[at + 1] = Event::Html(end.into());
        if let Event::Html(img) = &events[at] {
            // Without the figure, the title was the photo's tooltip.
            let img = img.to_string();
            let untitled = match img.find(" title=\"") {
                Some(start) => {
                    let rest = &img[start + 8..];
                    let close = rest.find('"').map_or(rest.len(), |i| i + 1);
                    format!("{}{}", &img[..start], &rest[close..])
                }
                None => img,
            };
            events[at] = Event::Html(untitled.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_site_are_found() {
        let body = "Text ![A *map*](map.png \"The front\") and ![remote](https://e.org/a.jpg) ![x](#top)\n\n![js](javascript:alert(1))\n\n![up](/img/a.jpg)\n";
        let found = local_images(body);
        let dests: Vec<&str> = found.iter().map(|i| i.dest.as_str()).collect();
        assert_eq!(dests, ["map.png", "/img/a.jpg"]);
        assert_eq!(
            (found[0].alt.as_str(), found[0].title.as_str()),
            ("A map", "The front")
        );
        assert_eq!(&body[found[1].offset..found[1].offset + 2], "![");
        assert!(local_images("no images here").is_empty());
    }

    #[test]
    fn the_tag_escapes_what_it_is_given() {
        let photo = BodyPhoto {
            src: "/p/w800.jpg".into(),
            srcset: "/p/w480.jpg 480w, /p/w800.jpg 800w".into(),
            width: 1600,
            height: 900,
            colour: Some("#102030".into()),
        };
        let tag = img_tag(&photo, "\"><script>", Some("a \"title\""));
        assert!(tag.contains("alt=\"&quot;&gt;&lt;script&gt;\""), "{tag}");
        assert!(tag.contains("title=\"a &quot;title&quot;\""), "{tag}");
        assert!(tag.contains("width=\"1600\" height=\"900\""), "{tag}");
        assert!(tag.contains("loading=\"lazy\" decoding=\"async\""), "{tag}");
    }
}

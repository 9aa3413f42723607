//! What templates see of an article's photo ([`PhotoView`]): the addresses
//! of its copies as `src` and `srcset`, its size (so that the page keeps
//! its box before it loads), the colour that fills that box, its alt text,
//! caption and credit, the thumbnail that lists show, the copy a shared
//! link shows and the crops that search engines ask for. It is part of the
//! article's card, so that every page that shows the photo is fingerprinted
//! with it.

use serde::Serialize;

use crate::images::{self, Kind};
use crate::load::{Config, Photo};

/// An article's photo, as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct PhotoView {
    /// The copy a browser without `srcset` shows (absolute URL).
    pub(crate) src: String,
    /// Every width: `URL 480w, URL 800w, ...` (empty for an animated or
    /// vector picture, shown as it is).
    pub(crate) srcset: String,
    /// Width as shown.
    pub(crate) width: u32,
    /// Height as shown.
    pub(crate) height: u32,
    /// The alt text (empty when the front matter gave none).
    pub(crate) alt: String,
    /// The caption.
    pub(crate) caption: Option<String>,
    /// The credit.
    pub(crate) credit: Option<String>,
    /// `#rrggbb` filling the box until the photo loads.
    pub(crate) colour: Option<String>,
    /// The 4x3 thumbnail of lists.
    pub(crate) thumb: Sized,
    /// The copy for `og:image`: at least 1200 px wide when the photo is.
    pub(crate) share: Sized,
    /// The 16x9, 4x3 and 1x1 crops (absolute URLs), for JSON-LD.
    pub(crate) crops: Vec<String>,
    /// The original file (absolute URL), when the site publishes it: a
    /// picture shown as it is, or any with `[images] originals = true`.
    pub(crate) original: Option<String>,
    /// Its MIME type (of the copies).
    pub(crate) mime: &'static str,
}

/// An image address with its size.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Sized {
    /// Absolute URL.
    pub(crate) url: String,
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in pixels.
    pub(crate) height: u32,
}

/// The width a browser without `srcset` gets, or the nearest below it.
const FALLBACK_WIDTH: u32 = 800;

/// The least width of a shared link's picture, when the photo has it.
const SHARE_WIDTH: u32 = 1200;

impl PhotoView {
    /// The view of `photo`; `None` when it was not probed (its article
    /// failed to load it).
    pub(crate) fn of(config: &Config, photo: &Photo) -> Option<PhotoView> {
        let probe = photo.probe.as_ref()?;
        let url = |path: &str| config.permalink(path);
        let original = url(&photo.site_path);
        let copies = images::copies(probe, &config.images, photo.focus);
        let (widths, crops): (Vec<_>, Vec<_>) = copies.iter().partition(|c| !c.is_crop());
        let sized = |c: &images::Copy| Sized {
            url: url(&images::copy_path(probe, c)),
            width: c.width,
            height: c.height,
        };
        let whole = Sized {
            url: original.clone(),
            width: probe.width,
            height: probe.height,
        };
        let fallback = widths
            .iter()
            .rev()
            .find(|c| c.width <= FALLBACK_WIDTH)
            .or(widths.first())
            .map_or_else(|| whole.clone(), |c| sized(c));
        let share = widths
            .iter()
            .find(|c| c.width >= SHARE_WIDTH)
            .or(widths.last())
            .map_or_else(|| whole.clone(), |c| sized(c));
        let thumb = crops
            .iter()
            .find(|c| c.name.starts_with('t'))
            .map_or_else(|| whole.clone(), |c| sized(c));
        let srcset: Vec<String> = widths
            .iter()
            .map(|c| format!("{} {}w", url(&images::copy_path(probe, c)), c.width))
            .collect();
        Some(PhotoView {
            src: fallback.url,
            srcset: srcset.join(", "),
            width: probe.width,
            height: probe.height,
            alt: photo.alt.clone().unwrap_or_default(),
            caption: photo.caption().map(str::to_string),
            credit: photo.credit().map(str::to_string),
            colour: probe.colour.clone(),
            thumb,
            share,
            crops: crops
                .iter()
                .filter(|c| c.name.starts_with('c'))
                .map(|c| url(&images::copy_path(probe, c)))
                .collect(),
            original: images::publishes_original(probe, &config.images).then_some(original),
            mime: match probe.kind {
                Kind::Photo => "image/jpeg",
                Kind::Graphic => "image/png",
                Kind::Vector => "image/svg+xml",
                Kind::Animated => mime_of(&photo.site_path),
            },
        })
    }
}

/// The MIME type of a picture shown as it is, by its name.
fn mime_of(path: &str) -> &'static str {
    if path.to_ascii_lowercase().ends_with(".webp") {
        "image/webp"
    } else {
        "image/gif"
    }
}

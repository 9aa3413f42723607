//! Photos: what a photo file is, and the copies of it a page shows.
//!
//! [`probe`] reads a photo once, when its article loads: its size as shown
//! (EXIF orientation applied), a colour to fill its box while it loads, the
//! caption and credit its agency wrote into it (`meta.rs`), and a `key`
//! made of its bytes' hash and the settings. [`copies`] says which copies a
//! photo needs (widths for `srcset`, never wider than the photo, and the
//! 16x9, 4x3 and 1x1 crops that search engines ask for); [`copy_bytes`]
//! gives one, made on first use (`make.rs`) and kept in the photo cache.
//!
//! This stage owns the photo cache folder (`cache.rs`), outside the site
//! and its output: `gazette serve` writes into a new temporary folder on
//! each start, and an output folder is often deleted, so neither could
//! keep the work; the cache is named by content, so a build and a preview
//! of the same site (or of a copy of it) share it. It never touches the
//! site's output: the copies it makes are files like any other for the
//! passes that write.

mod cache;
mod make;
mod meta;
mod svg;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub(crate) use cache::{collect_garbage, default_cache_dir, user_cache_dir, Cached};

pub(crate) use make::{copy_bytes, make_missing, probe};
pub(crate) use meta::Embedded;

/// Where the copies are served from, under the site.
pub(crate) const PHOTOS_DIR: &str = "/photos/";

/// `[images]` in site.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The widths of the copies, in pixels (a photo narrower than one gets
    /// a copy at its own width instead, never a larger one).
    pub(crate) widths: Vec<u32>,
    /// JPEG quality of the copies, 1 to 100.
    pub(crate) quality: u8,
    /// The photo cache folder.
    pub(crate) cache: PathBuf,
    /// Publish the original files of photos that have copies too (off by
    /// default: an agency's licence is usually for the web sizes, and an
    /// original is most of a photo's bytes).
    pub(crate) originals: bool,
}

/// True when the site publishes the original file of a photo: one shown
/// as it is (animated or vector), or any when `[images] originals`.
pub(crate) fn publishes_original(probe: &Probe, settings: &Settings) -> bool {
    settings.originals || matches!(probe.kind, Kind::Animated | Kind::Vector)
}

/// What kind of picture a file is, which says what copies it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Kind {
    /// A photograph: JPEG copies.
    Photo,
    /// A graphic with transparency or drawn edges (PNG, or GIF or WebP with
    /// an alpha channel): PNG copies.
    Graphic,
    /// An animated GIF or WebP: shown as it is, no copies.
    Animated,
    /// An SVG drawing: shown as it is, no copies.
    Vector,
}

/// A photo file, as probed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Probe {
    /// Names its copies: the hash of its bytes with the settings they were
    /// made with.
    pub(crate) key: String,
    /// Width as shown (after the EXIF orientation).
    pub(crate) width: u32,
    /// Height as shown.
    pub(crate) height: u32,
    /// What copies it gets.
    pub(crate) kind: Kind,
    /// `#rrggbb`: the photo's average colour, filling its box until it loads.
    pub(crate) colour: Option<String>,
    /// What the file says of itself.
    pub(crate) embedded: Embedded,
    /// Things worth telling the editor (a CMYK JPEG, a PNG named .jpg...).
    pub(crate) notes: Vec<String>,
}

impl Probe {
    /// True for a still picture probed only as far as its header
    /// ([`Depth::Header`]): its colour is missing until it is probed whole.
    pub(crate) fn is_partial(&self) -> bool {
        self.colour.is_none() && matches!(self.kind, Kind::Photo | Kind::Graphic)
    }
}

/// How far [`probe`] goes with a photo that is not in the cache.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Depth {
    /// Its headers only: size, kind and embedded text, no colour; a few
    /// milliseconds (the preview's start, whose first page must not wait
    /// for every photo to be decoded). Such a probe is not kept.
    Header,
    /// Decoded, for its colour.
    Whole,
    /// Decoded, and its copies for this focus made from the same decoding
    /// (a build: each photo decoded once).
    Make(Option<Focus>),
}

/// A point of interest in a photo, as fractions of its width and height
/// from the top left: crops keep it as near their centre as they can.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Focus(pub(crate) f32, pub(crate) f32);

impl Focus {
    /// The centre.
    pub(crate) const CENTRE: Focus = Focus(0.5, 0.5);
}

/// One copy of a photo.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Copy {
    /// Its file name in the photo's folder (`w800.jpg`, `c16x9-1200x675.jpg`).
    pub(crate) name: String,
    /// Its size.
    pub(crate) width: u32,
    /// Its height.
    pub(crate) height: u32,
    /// The region of the photo (as shown) it is made from: x, y, w, h.
    crop: Option<(u32, u32, u32, u32)>,
}

/// The aspect ratios of the crops, as Google's article guidelines ask.
pub(crate) const CROPS: [(u32, u32); 3] = [(16, 9), (4, 3), (1, 1)];

/// The width of the crops (or the photo's, when smaller).
const CROP_WIDTH: u32 = 1200;

/// The width of the 4x3 thumbnail that lists show (at twice their CSS size).
pub(crate) const THUMB_WIDTH: u32 = 320;

/// The largest photo read, in pixels: decoded, it takes 3 bytes a pixel
/// (twice that while turned by its orientation).
pub(crate) const MAX_PIXELS: u64 = 64_000_000;

/// The largest photo file read.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// The site path of a copy: `/photos/ab/ab12...-w800.jpg`, in one of 256
/// folders named by the key's first two digits, not a folder a photo
/// (making a folder costs more than linking a file: a warm build of 1,000
/// photos made 1,000 folders for 9,000 links).
pub(crate) fn copy_path(probe: &Probe, copy: &Copy) -> String {
    let key = &probe.key;
    let shard = key.get(..2).unwrap_or(key);
    format!("{PHOTOS_DIR}{shard}/{key}-{}", copy.name)
}

/// A copy's fingerprint for the output's manifest: its name and its
/// photo's key say its bytes, so an unchanged copy is kept without being
/// read.
pub(crate) fn copy_fingerprint(probe: &Probe, copy: &Copy) -> u64 {
    xxhash_rust::xxh3::xxh3_64(copy_path(probe, copy).as_bytes())
}

impl Copy {
    /// True for the crops (`c...`, `t...`), false for the full widths.
    pub(crate) fn is_crop(&self) -> bool {
        self.crop.is_some()
    }
}

/// The widths of a photo `width` pixels wide: the configured ones below
/// it, and its own width when a configured one is not below it.
pub(crate) fn widths(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    if configured.iter().any(|&w| w >= width) {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The region of a `w` x `h` photo cropped to `ratio` around `focus`.
pub(crate) fn crop_region(w: u32, h: u32, ratio: (u32, u32), focus: Focus) -> (u32, u32, u32, u32) {
    let (rw, rh) = (u64::from(ratio.0), u64::from(ratio.1));
    let (cw, ch) = if u64::from(w) * rh > u64::from(h) * rw {
        ((u64::from(h) * rw / rh) as u32, h)
    } else {
        (w, (u64::from(w) * rh / rw) as u32)
    };
    let (cw, ch) = (cw.max(1), ch.max(1));
    let place = |size: u32, crop: u32, at: f32| -> u32 {
        let centre = f64::from(at.clamp(0.0, 1.0)) * f64::from(size);
        let start = (centre - f64::from(crop) / 2.0).round().max(0.0) as u32;
        start.min(size - crop)
    };
    (place(w, cw, focus.0), place(h, ch, focus.1), cw, ch)
}

/// The copies a photo gets: one per width, and the crops (around `focus`).
/// Animated and vector pictures get none.
pub(crate) fn copies(probe: &Probe, settings: &Settings, focus: Option<Focus>) -> Vec<Copy> {
    let ext = match probe.kind {
        Kind::Photo => "jpg",
        Kind::Graphic => "png",
        Kind::Animated | Kind::Vector => return Vec::new(),
    };
    let (w, h) = (probe.width, probe.height);
    let scaled = |cw: u32, ch: u32, to: u32| {
        (
            to,
            ((u64::from(ch) * u64::from(to)) / u64::from(cw)).max(1) as u32,
        )
    };
    let mut out: Vec<Copy> = widths(w, &settings.widths)
        .into_iter()
        .map(|cw| {
            let (cw, ch) = scaled(w, h, cw);
            Copy {
                name: format!("w{cw}.{ext}"),
                width: cw,
                height: ch,
                crop: None,
            }
        })
        .collect();
    let tag = match focus {
        Some(Focus(x, y)) => format!("-f{}-{}", (x * 100.0).round(), (y * 100.0).round()),
        None => String::new(),
    };
    let crops = CROPS.iter().map(|&r| (r, CROP_WIDTH, "c"));
    for (ratio, width, prefix) in crops.chain([((4, 3), THUMB_WIDTH, "t")]) {
        let region = crop_region(w, h, ratio, focus.unwrap_or(Focus::CENTRE));
        let (cw, ch) = scaled(region.2, region.3, region.2.min(width));
        out.push(Copy {
            name: format!("{prefix}{}x{}-{cw}x{ch}{tag}.{ext}", ratio.0, ratio.1),
            width: cw,
            height: ch,
            crop: Some(region),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        let set = [480, 800, 1200, 1600, 2400];
        assert_eq!(widths(2560, &set), [480, 800, 1200, 1600, 2400]);
        assert_eq!(widths(1000, &set), [480, 800, 1000]);
        assert_eq!(widths(300, &set), [300]);
        assert_eq!(widths(2400, &set), [480, 800, 1200, 1600, 2400]);
        assert_eq!(widths(5000, &[800]), [800]);
    }

    #[test]
    fn crops_keep_the_focus_inside_the_photo() {
        assert_eq!(
            crop_region(1600, 1000, (16, 9), Focus::CENTRE),
            (0, 50, 1600, 900)
        );
        assert_eq!(
            crop_region(1600, 1000, (1, 1), Focus::CENTRE),
            (300, 0, 1000, 1000)
        );
        assert_eq!(
            crop_region(1600, 1000, (1, 1), Focus(0.0, 0.5)),
            (0, 0, 1000, 1000)
        );
        assert_eq!(
            crop_region(1600, 1000, (1, 1), Focus(0.9, 0.5)),
            (600, 0, 1000, 1000)
        );
        assert_eq!(
            crop_region(1000, 1600, (4, 3), Focus(0.5, 0.1)),
            (0, 0, 1000, 750)
        );
        for (w, h) in [(1, 1), (3, 7000), (7000, 3), (1200, 675)] {
            for ratio in CROPS {
                for f in [0.0, 0.3, 1.0] {
                    let (x, y, cw, ch) = crop_region(w, h, ratio, Focus(f, f));
                    assert!(
                        x + cw <= w && y + ch <= h && cw >= 1 && ch >= 1,
                        "{w}x{h} {ratio:?} {f}"
                    );
                }
            }
        }
    }

    #[test]
    fn copies_name_their_size_and_focus() {
        let probe = Probe {
            key: "k".into(),
            width: 2560,
            height: 1600,
            kind: Kind::Photo,
            colour: None,
            embedded: Embedded::default(),
            notes: Vec::new(),
        };
        let settings = Settings {
            widths: vec![800, 1600],
            quality: 80,
            cache: PathBuf::new(),
            originals: false,
        };
        let names: Vec<String> = copies(&probe, &settings, None)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            [
                "w800.jpg",
                "w1600.jpg",
                "c16x9-1200x675.jpg",
                "c4x3-1200x900.jpg",
                "c1x1-1200x1200.jpg",
                "t4x3-320x240.jpg"
            ]
        );
        let focused = copies(&probe, &settings, Some(Focus(0.25, 0.5)));
        assert_eq!(focused[4].name, "c1x1-1200x1200-f25-50.jpg");
        let keyed = Probe {
            key: "ab12cd".into(),
            ..probe.clone()
        };
        assert_eq!(copy_path(&keyed, &focused[0]), "/photos/ab/ab12cd-w800.jpg");
        let animated = Probe {
            kind: Kind::Animated,
            ..probe
        };
        assert!(copies(&animated, &settings, None).is_empty());
    }
}

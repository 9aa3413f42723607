//! An article's lead photo, as a reader and a shared link see it: the
//! figure with its caption and credit, its copies (sizes, crops, never
//! upscaled, orientation applied), what the file itself says of the photo,
//! thumbnails on lists, `og:image` and JSON-LD, the feed; and every kind of
//! bad photo as a clear error or warning at the article's `image` line.
//! The photos are made here, small, by the test.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use gazette::Severity;
use scraper::Selector;

use crate::common::{attrs, md, SiteFixture};

/// A JPEG `w` x `h` of gradients and squares (so that it compresses like a
/// picture, not like a flat colour), with extra APPn segments.
pub(crate) fn jpeg(w: u16, h: u16, seed: u8, segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..u32::from(h) {
        for x in 0..u32::from(w) {
            let check = if (x / 16 + y / 16) % 2 == 0 { 40 } else { 0 };
            pixels.push((x * 255 / u32::from(w)) as u8 ^ seed);
            pixels.push((y * 255 / u32::from(h)) as u8);
            pixels.push(seed.wrapping_mul(7).wrapping_add(check));
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    for (n, data) in segments {
        encoder.add_app_segment(*n, data.clone()).unwrap();
    }
    encoder
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// An APP13 segment with IPTC caption (2:120), credit (2:110) and by-line (2:80).
pub(crate) fn iptc(caption: &str, credit: &str, byline: &str) -> (u8, Vec<u8>) {
    let mut iim = Vec::new();
    for (n, v) in [(120u8, caption), (110, credit), (80, byline)] {
        iim.extend_from_slice(&[0x1C, 2, n]);
        iim.extend_from_slice(&(v.len() as u16).to_be_bytes());
        iim.extend_from_slice(v.as_bytes());
    }
    let mut block = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    block.extend_from_slice(&(iim.len() as u32).to_be_bytes());
    block.extend_from_slice(&iim);
    (13, block)
}

/// An APP1 EXIF segment with only an orientation.
fn exif_orientation(value: u16) -> (u8, Vec<u8>) {
    let mut e = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    e.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    e.extend_from_slice(&value.to_be_bytes());
    e.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    (1, e)
}

/// An APP1 XMP packet with a description and a credit.
fn xmp(description: &str, credit: &str) -> (u8, Vec<u8>) {
    let mut e = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    e.extend_from_slice(format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="{credit}"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"#
    ).as_bytes());
    (1, e)
}

/// An article with `image` front matter (`image` holds the YAML after `image:`).
pub(crate) fn with_image(title: &str, date: &str, image: &str) -> String {
    md(title, date, &format!("image: {image}\n"))
}

/// The size of an image file of the output.
pub(crate) fn size_of(out: &Path, url: &str) -> (u32, u32) {
    let rel = url
        .strip_prefix(crate::common::BASE)
        .unwrap_or(url)
        .trim_start_matches('/');
    image::image_dimensions(out.join(rel)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[test]
fn a_lead_photo_is_a_figure_with_its_sizes_caption_and_credit() {
    let photo = jpeg(1600, 1000, 1, &[]);
    let built = SiteFixture::new()
        .file("content/2026/02/summit.jpg", &photo)
        .article(
            "2026/02/talks.md",
            with_image("Talks", "2026-02-20", "{src: summit.jpg, alt: Leaders at a table, caption: \"Leaders meet in London.\", credit: Reuters}"),
        )
        .build();
    let doc = built.html("/2026/02/talks/");
    let img = Selector::parse("figure.photo.lead img").unwrap();
    let img = doc.select(&img).next().expect("the lead photo").value();
    assert_eq!(img.attr("width"), Some("1600"));
    assert_eq!(img.attr("height"), Some("1000"));
    assert_eq!(img.attr("alt"), Some("Leaders at a table"));
    assert_eq!(img.attr("decoding"), Some("async"));
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    assert_eq!(img.attr("loading"), None, "the lead photo is not lazy");
    assert!(
        img.attr("style")
            .unwrap()
            .starts_with("background-color: #"),
        "a placeholder colour"
    );
    assert!(img.attr("sizes").is_some());
    let srcset: Vec<(String, u32)> = img
        .attr("srcset")
        .unwrap()
        .split(", ")
        .map(|c| {
            let (url, w) = c.split_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect();
    let widths: Vec<u32> = srcset.iter().map(|c| c.1).collect();
    assert_eq!(widths, [480, 800, 1200, 1600], "never wider than the photo");
    for (url, w) in &srcset {
        let (fw, fh) = size_of(&built.out, url);
        assert_eq!((fw, fh), (*w, w * 1000 / 1600), "{url}");
    }
    assert_eq!(size_of(&built.out, img.attr("src").unwrap()), (800, 500));
    let caption = built.texts("/2026/02/talks/", "figure.photo figcaption .caption");
    let credit = built.texts("/2026/02/talks/", "figure.photo figcaption .credit");
    assert_eq!(
        (caption, credit),
        (
            vec!["Leaders meet in London.".to_string()],
            vec!["Reuters".to_string()]
        )
    );
    assert!(
        !built.out.join("2026/02/summit.jpg").exists(),
        "the original is not published unasked"
    );
    // With `[images] originals = true` it is.
    let with = SiteFixture::new()
        .config("[images]\noriginals = true\ncache = \".photo-cache\"")
        .file("content/2026/02/summit.jpg", &photo)
        .article(
            "2026/02/talks.md",
            with_image("Talks", "2026-02-20", "{src: summit.jpg, alt: x}"),
        )
        .build();
    assert_eq!(
        std::fs::read(with.out.join("2026/02/summit.jpg")).unwrap(),
        photo
    );
}

#[test]
fn shared_links_feeds_and_lists_show_the_photo() {
    let built = SiteFixture::new()
        .file("static/img/wide.jpg", jpeg(2000, 1000, 2, &[]))
        .article(
            "with-photo.md",
            with_image(
                "With photo",
                "2026-02-20",
                "{src: /img/wide.jpg, alt: A wide view, focus: [0.2, 0.5]}",
            ),
        )
        .article("without-photo.md", md("Without photo", "2026-02-19", ""))
        .build();
    let page = "/2026/02/with-photo/";
    let doc = built.html(page);
    let meta = |p: &str| {
        attrs(
            &doc,
            &format!("meta[property=\"{p}\"], meta[name=\"{p}\"]"),
            "content",
        )
    };
    let og = meta("og:image");
    assert_eq!(
        size_of(&built.out, &og[0]),
        (1200, 600),
        "at least 1200 px wide"
    );
    assert_eq!(meta("og:image:width"), ["1200"]);
    assert_eq!(meta("og:image:height"), ["600"]);
    assert_eq!(meta("og:image:alt"), ["A wide view"]);
    assert_eq!(meta("twitter:card"), ["summary_large_image"]);
    let other = built.html("/2026/02/without-photo/");
    assert_eq!(
        attrs(&other, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
    assert!(attrs(&other, "meta[property=\"og:image\"]", "content").is_empty());
    // JSON-LD: the three crops, each of its ratio.
    let json = attrs(&doc, "script[type=\"application/ld+json\"]", "type");
    assert_eq!(json.len(), 1);
    let ld = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let ld: serde_json::Value =
        serde_json::from_str(&doc.select(&ld).next().unwrap().inner_html()).unwrap();
    let images: Vec<String> = ld["@graph"][0]["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let sizes: Vec<(u32, u32)> = images.iter().map(|u| size_of(&built.out, u)).collect();
    assert_eq!(sizes, [(1200, 675), (1200, 900), (1000, 1000)]);
    // The feed carries the picture.
    let atom = built.page("/atom.xml");
    assert!(
        atom.contains(&format!(
            "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"{}\"/>",
            og[0]
        )),
        "{atom}"
    );
    // The home page's card has a lazy thumbnail; the other card none.
    let home = built.html("/");
    let thumbs = attrs(&home, "li.card img.thumb", "src");
    assert_eq!(thumbs.len(), 1);
    assert_eq!(size_of(&built.out, &thumbs[0]), (320, 240));
    assert_eq!(attrs(&home, "li.card img.thumb", "loading"), ["lazy"]);
    assert_eq!(attrs(&home, "li.card img.thumb", "width"), ["320"]);
}

#[test]
fn the_files_own_caption_and_credit_fill_what_the_front_matter_leaves_out() {
    let tagged = jpeg(
        640,
        400,
        3,
        &[iptc(
            "Leaders at Lancaster House.",
            "Reuters",
            "Toby Melville",
        )],
    );
    let xmp_only = jpeg(640, 400, 4, &[xmp("A field at dawn", "AFP")]);
    let built = SiteFixture::new()
        .file("content/a.jpg", &tagged)
        .file("content/b.jpg", &tagged)
        .file("content/c.jpg", &xmp_only)
        .article(
            "from-the-file.md",
            with_image("From the file", "2026-02-20", "{src: a.jpg, alt: x}"),
        )
        .article(
            "front-matter-wins.md",
            with_image(
                "Front matter wins",
                "2026-02-21",
                "{src: b.jpg, alt: x, caption: Our words, credit: Our desk}",
            ),
        )
        .article(
            "from-xmp.md",
            with_image("From XMP", "2026-02-22", "{src: c.jpg, alt: x}"),
        )
        .build();
    let shown = |page: &str| {
        let caption = built.texts(page, "figcaption .caption");
        let credit = built.texts(page, "figcaption .credit");
        (caption.join(""), credit.join(""))
    };
    assert_eq!(
        shown("/2026/02/from-the-file/"),
        ("Leaders at Lancaster House.".into(), "Reuters".into())
    );
    assert_eq!(
        shown("/2026/02/front-matter-wins/"),
        ("Our words".into(), "Our desk".into())
    );
    assert_eq!(
        shown("/2026/02/from-xmp/"),
        ("A field at dawn".into(), "AFP".into())
    );
}

#[test]
fn orientation_is_applied_and_small_photos_are_never_upscaled() {
    // Stored 400 x 200, turned a quarter by its EXIF orientation (6).
    let turned = jpeg(400, 200, 5, &[exif_orientation(6)]);
    let built = SiteFixture::new()
        .file("content/t.jpg", &turned)
        .file("content/s.jpg", jpeg(300, 200, 6, &[]))
        .article(
            "turned.md",
            with_image("Turned", "2026-02-20", "{src: t.jpg, alt: x}"),
        )
        .article(
            "small.md",
            with_image("Small", "2026-02-21", "{src: s.jpg, alt: x}"),
        )
        .build();
    let doc = built.html("/2026/02/turned/");
    assert_eq!(attrs(&doc, "figure img", "width"), ["200"]);
    assert_eq!(attrs(&doc, "figure img", "height"), ["400"]);
    let src = attrs(&doc, "figure img", "src");
    assert_eq!(
        size_of(&built.out, &src[0]),
        (200, 400),
        "the copy is turned too"
    );
    let small = built.html("/2026/02/small/");
    let srcset = attrs(&small, "figure img", "srcset");
    assert!(
        srcset[0].ends_with(" 300w") && !srcset[0].contains(", "),
        "{srcset:?}"
    );
}

#[test]
fn markup_in_alt_caption_and_credit_is_text() {
    let built = SiteFixture::new()
        .file("content/a.jpg", jpeg(64, 64, 7, &[]))
        .article(
            "hostile.md",
            with_image("Hostile", "2026-02-20", "{src: a.jpg, alt: \"\\\" onerror=\\\"alert(1)\", caption: \"<script>alert(1)</script>\", credit: \"<img src=x onerror=alert(2)>\"}"),
        )
        .build();
    let html = built.page("/2026/02/hostile/");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    let doc = built.html("/2026/02/hostile/");
    assert_eq!(attrs(&doc, "figure img", "alt"), ["\" onerror=\"alert(1)"]);
    assert!(attrs(&doc, "figure img", "onerror").is_empty());
}

/// CRC-32 (PNG's), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn every_bad_photo_is_an_error_at_its_image_line_all_in_one_run() {
    let good = jpeg(64, 64, 8, &[]);
    // A PNG that says 50,000 x 50,000 (7.5 GB of pixels), in 80 bytes.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0d".to_vec();
    bomb.extend_from_slice(&ihdr);
    bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    for (kind, data) in [
        (&b"IDAT"[..], &b"\x78\x9c\x03\x00\x00\x00\x00\x01"[..]),
        (b"IEND", b""),
    ] {
        let chunk = [kind, data].concat();
        bomb.extend_from_slice(&(data.len() as u32).to_be_bytes());
        bomb.extend_from_slice(&chunk);
        bomb.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    let script_svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let fixture = SiteFixture::new()
        .file("content/good.jpg", &good)
        .file("content/cut.jpg", &good[..good.len() / 2])
        .file("content/text.jpg", "this is not a picture\n")
        .file("content/bomb.png", &bomb)
        .file("content/evil.svg", script_svg)
        .file("outside.jpg", &good)
        .article(
            "ok.md",
            with_image("Fine", "2026-02-20", "{src: good.jpg, alt: x}"),
        );
    let cases: [(&str, &str, &str); 6] = [
        ("a-missing.md", "nowhere.jpg", "cannot read"),
        ("b-outside.md", "../outside.jpg", "outside the site"),
        ("c-cut.md", "cut.jpg", "damaged or truncated"),
        ("d-text.md", "text.jpg", "not an image"),
        ("e-bomb.md", "bomb.png", "megapixels"),
        ("f-svg.md", "evil.svg", "script"),
    ];
    let fixture = cases.iter().fold(fixture, |f, (file, src, _)| {
        f.article(
            file,
            format!("---\ntitle: {file}\ndate: 2026-02-01\nimage: {src}\n---\nBody.\n"),
        )
    });
    let err = fixture.load().err().expect("the site must not load");
    let by_file: BTreeMap<String, &gazette::Diagnostic> = err
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d.path.file_name().unwrap().to_string_lossy().into_owned(),
                d,
            )
        })
        .collect();
    assert_eq!(err.diagnostics().len(), cases.len(), "{err}");
    for (file, _, words) in cases {
        let d = by_file
            .get(file)
            .unwrap_or_else(|| panic!("no error for {file}: {err}"));
        assert_eq!(
            (d.severity, d.line, d.column),
            (Severity::Error, Some(4), Some(8)),
            "{d}"
        );
        assert!(d.message.contains(words), "{file}: {d}");
    }
    let run = fixture.gazette(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!fixture.out().exists(), "nothing was written");
}

#[test]
fn odd_but_usable_photos_are_warnings() {
    let mut cmyk = Vec::new();
    let pixels: Vec<u8> = (0..64 * 48)
        .flat_map(|i| [(i % 255) as u8, 30, 200, 10])
        .collect();
    jpeg_encoder::Encoder::new(&mut cmyk, 85)
        .encode(&pixels, 64, 48, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    let mut gif = Vec::new();
    {
        use image::codecs::gif::GifEncoder;
        let mut encoder = GifEncoder::new(&mut gif);
        for shade in [0u8, 200] {
            let frame = image::RgbaImage::from_pixel(40, 30, image::Rgba([shade, 80, 80, 255]));
            encoder.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    let png_named_jpg = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(50, 40, image::Rgb([9, 9, 9]))
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let built = SiteFixture::new()
        .file("content/cmyk.jpg", &cmyk)
        .file("content/moving.gif", &gif)
        .file("content/png.jpg", &png_named_jpg)
        .file("content/plain.jpg", jpeg(64, 64, 9, &[]))
        .file("static/map.svg", r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400"><rect width="800" height="400"/></svg>"#)
        .article("cmyk.md", with_image("Cmyk", "2026-02-20", "{src: cmyk.jpg, alt: x}"))
        .article("moving.md", with_image("Moving", "2026-02-21", "{src: moving.gif, alt: x}"))
        .article("misnamed.md", with_image("Misnamed", "2026-02-22", "{src: png.jpg, alt: x}"))
        .article("no-alt.md", with_image("No alt", "2026-02-23", "plain.jpg"))
        .article("drawn.md", with_image("Drawn", "2026-02-24", "{src: /map.svg, alt: A map}"));
    let site = built.load().expect("warnings do not stop a build");
    let warnings: Vec<String> = site.warnings().iter().map(|d| format!("{d}")).collect();
    let has = |file: &str, words: &str| {
        warnings
            .iter()
            .any(|w| w.contains(file) && w.contains(words))
            || panic!("no warning {words:?} for {file} in {warnings:#?}")
    };
    has("cmyk.md", "CMYK");
    has("moving.md", "animated");
    has("misnamed.md", "PNG");
    has("no-alt.md", "alt");
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    let built = built.build();
    let moving = built.html("/2026/02/moving/");
    assert!(
        attrs(&moving, "figure img", "srcset").is_empty(),
        "shown as it is"
    );
    assert!(attrs(&moving, "figure img", "src")[0].ends_with("/moving.gif"));
    let drawn = built.html("/2026/02/drawn/");
    assert_eq!(attrs(&drawn, "figure img", "width"), ["800"]);
    assert_eq!(attrs(&drawn, "figure img", "height"), ["400"]);
    assert!(attrs(&drawn, "figure img", "src")[0].ends_with("/map.svg"));
    let cmyk_page = built.html("/2026/02/cmyk/");
    let src = attrs(&cmyk_page, "figure img", "src");
    assert_eq!(size_of(&built.out, &src[0]), (64, 48));
}

#[test]
fn a_second_build_does_no_photo_work() {
    let mut built = SiteFixture::new()
        .file("content/a.jpg", jpeg(900, 600, 10, &[]))
        .article(
            "a.md",
            with_image("A", "2026-02-20", "{src: a.jpg, alt: x}"),
        )
        .build();
    let cache = built.fixture.root().join(".photo-cache");
    let stamps = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            // The record of which key each photo file had is a hint, not image work.
            .filter(|e| !e.path().to_string_lossy().contains("/.by-file/"))
            .map(|e| {
                (
                    e.path().display().to_string(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = stamps(&cache);
    assert!(before.len() > 5, "{before:?}");
    let report = built.rebuild().clone();
    assert_eq!(report.files.written, 0, "{report:?}");
    assert_eq!(stamps(&cache), before, "nothing made again");
    // Into an empty folder, the copies come from the cache, linked.
    std::fs::remove_dir_all(&built.out).unwrap();
    built.rebuild();
    assert_eq!(stamps(&cache), before);
    let src = attrs(&built.html("/2026/02/a/"), "figure img", "src");
    let rel = src[0].strip_prefix(crate::common::BASE).unwrap();

    let copy = std::fs::metadata(built.out.join(rel)).unwrap();
    assert_eq!(copy.nlink(), 2, "the output's copy is the cache's file");
    assert!(
        copy.permissions().readonly(),
        "read-only: nothing writes through the link"
    );
    // A rebuild sees the linked files as its own (nothing written again).
    assert_eq!(built.rebuild().files.written, 0);
    // A new photo replaces the copies; the old ones leave the output.
    let old = attrs(&built.html("/2026/02/a/"), "figure img", "src");
    built.fixture.put("content/a.jpg", jpeg(900, 600, 11, &[]));
    built.rebuild();
    let new = attrs(&built.html("/2026/02/a/"), "figure img", "src");
    assert_ne!(old, new);
    let rel = |u: &str| {
        u.strip_prefix(crate::common::BASE)
            .unwrap()
            .trim_start_matches('/')
            .to_string()
    };
    assert!(!built.out.join(rel(&old[0])).exists());
    assert!(built.out.join(rel(&new[0])).exists());
}

#[test]
fn photos_in_the_body_get_sizes_copies_lazy_loading_and_a_figure() {
    let body = "First paragraph.\n\n![A map of the front](map.jpg \"The front line in March.\")\n\nText with ![an inline photo](/img/small.jpg) inside.\n\n![remote](https://example.net/a.jpg)\n";
    let built = SiteFixture::new()
        .file("content/2026/02/map.jpg", jpeg(1300, 650, 15, &[]))
        .file("static/img/small.jpg", jpeg(200, 100, 16, &[]))
        .article(
            "2026/02/front.md",
            crate::common::md_body("Front", "2026-02-20", "", body),
        )
        .build();
    let doc = built.html("/2026/02/front/");
    let figure = attrs(&doc, ".body figure.photo img", "srcset");
    assert_eq!(
        figure.len(),
        1,
        "the photo alone in its paragraph is a figure"
    );
    assert!(figure[0].ends_with(" 1300w"), "{figure:?}");
    assert_eq!(attrs(&doc, ".body figure.photo img", "width"), ["1300"]);
    assert_eq!(attrs(&doc, ".body figure.photo img", "height"), ["650"]);
    assert_eq!(attrs(&doc, ".body figure.photo img", "loading"), ["lazy"]);
    assert_eq!(
        attrs(&doc, ".body figure.photo img", "alt"),
        ["A map of the front"]
    );
    assert_eq!(
        built.texts("/2026/02/front/", ".body figure figcaption"),
        ["The front line in March."]
    );
    let inline = attrs(&doc, ".body p img[loading=\"lazy\"]", "width");
    assert_eq!(inline, ["200"], "an inline photo stays inline, sized");
    let remote = attrs(&doc, ".body img[src=\"https://example.net/a.jpg\"]", "alt");
    assert_eq!(remote, ["remote"], "an address is left as written");
    for src in attrs(&doc, ".body img[srcset]", "src") {
        assert!(
            built
                .out
                .join(src.strip_prefix(crate::common::BASE).unwrap())
                .is_file(),
            "{src}"
        );
    }
    // A body photo that is missing is an error at its line.
    let broken = SiteFixture::new().article(
        "gone.md",
        "---\ntitle: Gone\ndate: 2026-02-01\n---\nText.\n\n![x](nowhere.jpg)\n",
    );
    let err = broken
        .load()
        .err()
        .expect("a missing body photo is an error");
    let d = &err.diagnostics()[0];
    assert_eq!((d.line, d.column), (Some(7), Some(1)), "{d}");
    assert!(
        d.message.contains("nowhere.jpg") && d.message.contains("cannot read"),
        "{d}"
    );
}

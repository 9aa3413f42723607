//! People in photos, on their pages: the photos a person is `pictured` in,
//! and the portrait that data/people.yaml gives them (its copies, its
//! caption and credit, the page's shared-link picture), with a bad
//! portrait an error at its line of people.yaml.

use scraper::Selector;

use crate::common::{attrs, md, SiteFixture};
use crate::photos::{iptc, jpeg};

#[test]
fn a_persons_page_shows_the_photos_they_are_in_newest_first() {
    let people = "people: [Ann Lee, Bo Chen]\n";
    let built = SiteFixture::new()
        .file("data/people.yaml", "- name: Ann Lee\n  aliases: [A. Lee]\n")
        .file("content/a.jpg", jpeg(400, 300, 13, &[]))
        .file("content/b.jpg", jpeg(400, 300, 14, &[]))
        .article("old.md", md("Old", "2026-01-05", &format!("{people}image: {{src: a.jpg, alt: Old photo}}\npictured: [A. Lee, Nobody Known]\n")))
        .article("new.md", md("New", "2026-02-05", &format!("{people}image: {{src: b.jpg, alt: New photo}}\npictured: [Ann Lee]\n")))
        .article("none.md", md("No photo", "2026-02-06", &format!("{people}pictured: [Ann Lee]\n")))
        .build();
    let ann = built.html("/people/ann-lee/");
    assert_eq!(
        attrs(&ann, ".pictured .photo-grid a", "href"),
        [
            format!("{}2026/02/new/", crate::common::BASE),
            format!("{}2026/01/old/", crate::common::BASE),
        ]
    );
    assert_eq!(
        attrs(&ann, ".pictured img", "alt"),
        ["New photo", "Old photo"]
    );
    assert_eq!(attrs(&ann, ".pictured img", "loading"), ["lazy", "lazy"]);
    let bo = built.html("/people/bo-chen/");
    assert!(
        attrs(&bo, ".pictured img", "src").is_empty(),
        "Bo is mentioned, not pictured"
    );
    assert!(
        !built.exists("/people/nobody-known/"),
        "a name only pictured has no page"
    );
}

#[test]
fn a_portrait_in_people_yaml_is_on_the_persons_page_and_its_shared_link() {
    let people = "- name: Ann Lee\n  role: Envoy\n  image:\n    src: people/ann.jpg\n    alt: Ann Lee at a briefing\n    credit: Agency <b>pool</b>\n- name: Bo Chen\n";
    let built = SiteFixture::new()
        .file("data/people.yaml", people)
        .file(
            "static/people/ann.jpg",
            jpeg(600, 800, 21, &[iptc("Ann Lee in Kyiv.", "Ignored", "")]),
        )
        .article(
            "a.md",
            md("A", "2026-01-05", "people: [Ann Lee, Bo Chen]\n"),
        )
        .build();
    let ann = built.html("/people/ann-lee/");
    let img = "section.profile figure.photo.portrait img";
    assert_eq!(attrs(&ann, img, "alt"), ["Ann Lee at a briefing"]);
    assert_eq!(
        (attrs(&ann, img, "width"), attrs(&ann, img, "height")),
        (vec!["600".to_string()], vec!["800".to_string()])
    );
    let srcset = attrs(&ann, img, "srcset").concat();
    assert!(
        srcset.contains(" 480w") && srcset.contains(" 600w"),
        "{srcset}"
    );
    assert!(!srcset.contains(" 800w"), "never upscaled: {srcset}");
    // The front matter's credit (as text), the file's caption.
    let caption = built.texts("/people/ann-lee/", "figure.portrait figcaption");
    assert_eq!(caption, ["Ann Lee in Kyiv. Agency <b>pool</b>"]);
    // Each copy is a real image of the size its page says.
    for entry in srcset.split(", ") {
        let (url, w) = entry.split_once(' ').unwrap();
        let w: u32 = w.trim_end_matches('w').parse().unwrap();
        assert_eq!(crate::photos::size_of(&built.out, url), (w, w * 4 / 3));
    }
    // The shared link and JSON-LD show her.
    let og = attrs(&ann, "meta[property='og:image']", "content");
    assert_eq!(og.len(), 1);
    assert!(built.page("/people/ann-lee/").contains("\"image\":"));
    let json = ann
        .select(&Selector::parse("script[type='application/ld+json']").unwrap())
        .map(|s| s.inner_html())
        .collect::<String>();
    assert!(json.contains(&og[0]), "{json}");
    // The original is not published; Bo has no portrait.
    assert!(!built.exists("/people/ann.jpg"));
    let bo = built.html("/people/bo-chen/");
    assert!(attrs(&bo, "figure.portrait img", "src").is_empty());
    assert!(attrs(&bo, "meta[property='og:image']", "content").is_empty());
}

#[test]
fn a_bad_portrait_is_an_error_at_its_line_of_people_yaml() {
    let people = "- name: Ann Lee\n  image: ../../secret.jpg\n- name: Bo Chen\n  role: Envoy\n  image: {src: people/gone.jpg, alt: Bo}\n- name: Cy Dee\n  image:\n    src: people/text.jpg\n";
    let fixture = SiteFixture::new()
        .file("data/people.yaml", people)
        .file("static/people/text.jpg", "not a photo")
        .article("a.md", md("A", "2026-01-05", "people: [Ann Lee]\n"));
    let found = |fixture: &SiteFixture| -> Vec<(String, usize, usize, String)> {
        let err = fixture.load().err().expect("the site must not load");
        err.diagnostics()
            .iter()
            .map(|d| {
                let name = d.path.strip_prefix(fixture.root()).unwrap();
                let (line, column) = (d.line.unwrap(), d.column.unwrap());
                (name.display().to_string(), line, column, d.message.clone())
            })
            .collect()
    };
    // A path that leaves static/ is refused while the file is parsed.
    let errors = found(&fixture);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (file, line, column, message) = &errors[0];
    assert_eq!((file.as_str(), *line, *column), ("data/people.yaml", 2, 10));
    assert!(message.contains("leads outside"), "{message}");
    // That fixed, every file problem is reported in one run.
    fixture.put(
        "data/people.yaml",
        people.replace("../../secret.jpg", "people/text.jpg"),
    );
    let errors = found(&fixture);
    let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.1, e.2)).collect();
    assert_eq!(at, [(2, 10), (5, 10), (7, 3)], "{errors:#?}");
    assert!(
        errors[0].3.contains("people/text.jpg: not an image"),
        "{errors:#?}"
    );
    assert!(
        errors[1].3.contains("people/gone.jpg: cannot read"),
        "{errors:#?}"
    );
    let run = fixture.gazette(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!fixture.out().exists(), "nothing was written");
}

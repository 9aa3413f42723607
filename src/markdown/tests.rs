//! Unit tests of the markdown renderer.
use super::*;

fn html(md: &str) -> String {
    render(md, &KeepLinks, RawHtml::Allow)
}

#[test]
fn script_urls_lose_their_link_and_keep_their_text() {
    let md = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](vbscript:x) \
              [d](data:text/html,hi) <javascript:alert(3)> [e](&#106;avascript:alert(4)) \
              [f][r] [ok](https://example.org/)\n\n[r]: javascript:alert(5)\n";
    let out = html(md);
    let lower = out.to_lowercase();
    for bad in ["javascript:", "vbscript:", "data:", "alert("] {
        assert!(!lower.contains(&format!("href=\"{bad}")), "{bad} in {out}");
    }
    assert!(!lower.contains("<a href=\"javascript"), "{out}");
    assert_eq!(out.matches("<a ").count(), 1, "only the safe link: {out}");
    // Each dropped link's text is still there, as text.
    let text: String = out
        .split('<')
        .map(|s| s.split_once('>').map_or(s, |(_, t)| t))
        .collect();
    assert!(
        text.starts_with("a b c d javascript:alert(3) e f ok"),
        "{text}"
    );
    assert!(
        out.contains("javascript:alert(3)"),
        "the autolink's text stays: {out}"
    );
}

#[test]
fn images_keep_raster_data_urls_and_lose_the_rest() {
    let out = html("![dot](data:image/png;base64,iVBORw0KGgo=) ![bad](data:text/html;base64,PHNjcmlwdD4=) ![svg](data:image/svg+xml,<svg/>) ![js](javascript:alert(1))\n");
    assert!(
        out.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""),
        "{out}"
    );
    assert_eq!(out.matches("<img").count(), 1, "{out}");
    for alt in ["bad", "svg", "js"] {
        assert!(out.contains(alt), "{alt} stays as text: {out}");
    }
}

#[test]
fn links_inside_a_dropped_link_and_after_it_are_kept() {
    let out = html("[*x* ![i](/a.png)](javascript:y) then [ok](/b)\n");
    assert_eq!(out.matches("<a ").count(), 1, "{out}");
    assert_eq!(out.matches("</a>").count(), 1, "{out}");
    assert!(out.contains("<img src=\"/a.png\""), "{out}");
}

#[test]
fn forbidden_characters_never_reach_the_page() {
    let md = "Vertical\u{b}tab, \u{1b}[31mred\u{1b}[0m, del\u{7f}, next\u{85}line, \u{fffe}\u{1fffe}\u{fdd0} and é ü 🇺🇦\n";
    let out = html(md);
    assert!(!out.chars().any(is_forbidden), "{out:?}");
    assert!(
        out.contains("Verticaltab, red, del, nextline,  and é ü 🇺🇦"),
        "{out:?}"
    );
    assert!(!out.contains("[31m"), "the colour code goes whole: {out:?}");
    assert_eq!(clean_text("plain é"), Cow::Borrowed("plain é"));
    assert_eq!(escape("a\u{85}b\u{fdd0}c"), "a\u{fffd}b\u{fffd}c");
    assert_eq!(escape("£ «é» 🇺🇦"), "£ «é» 🇺🇦");
    assert!(
        matches!(escape("£ «é» 🇺🇦"), Cow::Borrowed(_)),
        "nothing to do: no copy"
    );
}

#[test]
fn the_byte_test_never_clears_a_forbidden_character() {
    // Every character, alone and inside plain text longer than one chunk.
    let padding = "a".repeat(70);
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let mut one = [0; 4];
        let alone = c.encode_utf8(&mut one);
        if is_forbidden(c) {
            assert!(may_hold_forbidden(alone.as_bytes()), "{c:?}");
            let inside = format!("{padding}{c}{padding}");
            assert!(!clean_text(&inside).contains(c), "{c:?}");
        }
    }
    assert!(!may_hold_forbidden(
        "Plain — “quoted” text é\t\r\n".as_bytes()
    ));
}

#[test]
fn raw_html_is_allowed_escaped_or_sanitized() {
    let md = "<div onclick=\"x()\"><script>alert(1)</script><a href=\"javascript:y\">k</a><b>bold</b></div>\n\nText <i>inline</i>.\n";
    let allowed = render(md, &KeepLinks, RawHtml::Allow);
    assert!(allowed.contains("<script>alert(1)</script>"), "{allowed}");
    let escaped = render(md, &KeepLinks, RawHtml::Escape);
    assert!(
        !escaped.contains("<script") && !escaped.contains("<b>"),
        "{escaped}"
    );
    assert!(
        escaped.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{escaped}"
    );
    assert!(escaped.contains("&lt;i&gt;inline&lt;/i&gt;"), "{escaped}");
    let clean = render(md, &KeepLinks, RawHtml::Sanitize);
    for bad in ["<script", "onclick", "javascript:"] {
        assert!(!clean.contains(bad), "{bad} in {clean}");
    }
    assert!(
        clean.contains("<b>bold</b>") && clean.contains("<i>inline</i>"),
        "{clean}"
    );
    let code = render(
        "```rust\nfn main() {}\n```\n\n# Title\n\n- [x] done\n",
        &KeepLinks,
        RawHtml::Sanitize,
    );
    assert!(
        code.contains("class=\"hl-"),
        "highlighting survives: {code}"
    );
    assert!(code.contains("<h1 id=\"title\">"), "{code}");
    assert!(code.contains("type=\"checkbox\""), "{code}");
}

#[test]
fn extensions_are_on() {
    let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Footnote.\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(out.contains("<del>gone</del>"), "{out}");
    assert!(out.contains("“quoted”"), "{out}");
    assert!(out.contains("type=\"checkbox\""), "{out}");
    assert!(out.contains("footnote-definition"), "{out}");
}

#[test]
fn character_references_cannot_name_a_forbidden_character() {
    // Found by the `markdown` fuzz target: `&#133;` became U+0085.
    let md = "a&#133;b &#x1b;c &#xFFFE; `&#1;` [t](/x \"&#x85;\") &#x7f;\n";
    let out = html(md);
    assert!(!out.chars().any(is_forbidden), "{out:?}");
    assert!(out.contains("ab c"), "{out:?}");
}

#[test]
fn a_summary_from_the_body_holds_no_forbidden_character() {
    // Found by the `article` fuzz target: NULs in the first paragraph.
    let text = first_paragraph_text("The \0\0\0\u{b}\u{1b}[1mfirst\u{85} round.\n");
    assert_eq!(text, "The first round.");
    assert_eq!(first_paragraph_text("a&#133;b&#x1;c\n"), "abc");
}

#[test]
fn headings_get_unique_ids() {
    let out = html("## Key figures\n\n## Key figures\n\n## Other {#custom}\n");
    assert!(out.contains("<h2 id=\"key-figures\">"), "{out}");
    assert!(out.contains("<h2 id=\"key-figures-1\">"), "{out}");
    assert!(out.contains("<h2 id=\"custom\">"), "{out}");
}

#[test]
fn many_headings_of_one_text_and_clashing_ids_stay_distinct() {
    let md = "# Same\n\n".repeat(3000) + "# Same-1 {#same-2x}\n\n# Same 1\n\n# X {#same}\n";
    let out = html(&md);
    let ids: Vec<&str> = out
        .match_indices("id=\"")
        .map(|(i, _)| {
            let rest = &out[i + 4..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let distinct: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), 3003);
    assert_eq!(distinct.len(), ids.len(), "every id distinct");
    // The explicit `same` is kept; the generated ones step around it.
    assert_eq!(&ids[..3], ["same-1", "same-2", "same-3"]);
    assert_eq!(ids[3002], "same");
    assert_eq!(ids[3001], "same-1-1", "`Same 1` meets the generated same-1");
}

#[test]
fn known_language_is_highlighted_with_classes() {
    let out = html("```python\nimport csv\n```\n");
    assert!(out.contains("class=\"hl-"), "{out}");
    assert!(out.contains("data-lang=\"python\""), "{out}");
}

#[test]
fn unknown_language_is_plain_escaped_code() {
    let out = html("```nosuchlang\n<b>x</b>\n```\n");
    assert!(out.contains("&lt;b&gt;x&lt;/b&gt;"), "{out}");
    assert!(!out.contains("<b>"), "{out}");
}

#[test]
fn the_fast_path_agrees_with_escaping_every_char() {
    let mut samples: Vec<String> = (0u32..0x80)
        .chain([0xa0, 0xe9, 0x2019, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x1f600])
        .filter_map(char::from_u32)
        .map(|c| format!("ab{c}cd"))
        .collect();
    samples.extend(["", "Plain title", "Côte d'Ivoire", "https://x.org/a?b=1"].map(String::from));
    for s in &samples {
        assert_eq!(escape_html(s), escape_every_char(s), "{s:?}");
    }
    assert_eq!(escape_html("a\u{ffff}"), "a\u{fffd}");
    assert_eq!(escape_html("tab\tnew\nline"), "tab\tnew\nline");
}

#[test]
fn escaping_drops_characters_xml_forbids() {
    assert_eq!(
        escape_html("a\u{b}b <c> & \"d\""),
        "a\u{fffd}b &lt;c&gt; &amp; &quot;d&quot;"
    );
}

#[test]
fn stylesheet_has_classes() {
    let css = stylesheet(crate::load::DEFAULT_THEME);
    assert!(css.contains(".hl-"), "{css}");
}

#[test]
fn first_paragraph_is_plain_text() {
    assert_eq!(
        first_paragraph_text("# T\n\nHello *big*\nworld.\n\nNext."),
        "Hello big world."
    );
}

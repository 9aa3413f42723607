//! The plain text of a body's first paragraph: an article's summary when
//! its front matter gives none, and what a given summary is compared with
//! (a standfirst is shown only when it is not the first paragraph).
//!
//! Every article is loaded through this, so it is made from as little of
//! the body as gives the same text: pulldown-cmark reads a document's
//! blocks whole before its first event, and the first paragraph usually
//! ends a few hundred bytes into a body of several thousand.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{clean_text, options};

/// How many longer beginnings are tried before the whole body is parsed.
const TRIES: usize = 4;

/// The plain text of the first paragraph (wherever it is: in a list or a
/// quote too), for summaries.
pub(crate) fn first_paragraph_text(markdown: &str) -> String {
    let markdown = clean_text(markdown);
    let text = from_beginning(&markdown).unwrap_or_else(|| whole(&markdown));
    // A character reference can name a forbidden character too.
    clean_text(&text).into_owned()
}

/// The first paragraph read from a beginning of `markdown` that ends at a
/// blank line, when that gives what the whole would: the paragraph is at
/// the top level (nothing it is in can change with what follows: a list
/// becomes loose, a quote goes on) and it ended before the blank line, and
/// no link or footnote definition (`]:`) comes after the beginning (a
/// `[name]` in it could become a link). `None` otherwise.
fn from_beginning(markdown: &str) -> Option<String> {
    let mut from = 0;
    for _ in 0..TRIES {
        let end = after_blank_line(markdown, from)?;
        if markdown[end..].contains("]:") {
            return None;
        }
        match first_paragraph(&markdown[..end], false) {
            Found::Text(text) => return Some(text),
            Found::Nested => return None,
            Found::Nothing => from = end,
        }
    }
    None
}

/// What a part of a body holds first.
enum Found {
    /// A paragraph, closed (or ended by the end of the whole body), with
    /// its text.
    Text(String),
    /// A paragraph inside another block, or one not closed, in a beginning.
    Nested,
    /// No paragraph.
    Nothing,
}

/// The first paragraph of `part`: anywhere in it when `part` is the whole
/// body, else only at the top level and closed.
fn first_paragraph(part: &str, whole_body: bool) -> Found {
    let mut depth = 0usize;
    let mut text: Option<String> = None;
    for event in Parser::new_ext(part, options()) {
        match (event, text.as_mut()) {
            (Event::Start(Tag::Paragraph), None) if depth == 0 || whole_body => {
                text = Some(String::new());
            }
            (Event::Start(Tag::Paragraph), None) => return Found::Nested,
            (Event::End(TagEnd::Paragraph), Some(_)) => {
                return Found::Text(text.unwrap_or_default())
            }
            (Event::Text(t) | Event::Code(t), Some(text)) => text.push_str(&t),
            (Event::SoftBreak | Event::HardBreak, Some(text)) => text.push(' '),
            (Event::Start(_), _) => depth += 1,
            (Event::End(_), _) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    match text {
        Some(text) if whole_body => Found::Text(text),
        Some(_) => Found::Nested,
        None => Found::Nothing,
    }
}

/// The end of the first blank line at or after `from` that follows a line
/// with text (the offset just past its line feed).
fn after_blank_line(markdown: &str, from: usize) -> Option<usize> {
    let bytes = markdown.as_bytes();
    let mut seen_text = false;
    let mut line_start = from;
    while line_start < bytes.len() {
        let line_end = line_start + bytes[line_start..].iter().position(|&b| b == b'\n')?;
        let line = &bytes[line_start..line_end];
        let blank = line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if blank && seen_text {
            return Some(line_end + 1);
        }
        seen_text |= !blank;
        line_start = line_end + 1;
    }
    None
}

/// The first paragraph of the whole of `markdown` (wherever it is), or
/// nothing.
fn whole(markdown: &str) -> String {
    match first_paragraph(markdown, true) {
        Found::Text(text) => text,
        Found::Nested | Found::Nothing => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first paragraph as gazette read it before beginnings were tried:
    /// the whole body parsed, the first paragraph event's text. Written
    /// apart from [`first_paragraph`], so that the tests hold both to it.
    fn reference(markdown: &str) -> String {
        let mut text = String::new();
        let mut inside = false;
        for event in Parser::new_ext(markdown, options()) {
            match event {
                Event::Start(Tag::Paragraph) => inside = true,
                Event::End(TagEnd::Paragraph) if inside => break,
                Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
                _ => {}
            }
        }
        text
    }

    /// Bodies made of markdown's pieces in any order: the beginning gives
    /// what the whole gives, whatever the blocks around the paragraph.
    #[test]
    fn the_beginning_gives_what_the_whole_body_gives() {
        const PIECES: [&str; 30] = [
            "Text",
            "more words",
            "\n",
            "\n\n",
            "\n  \n",
            "- ",
            "1. ",
            "> ",
            "  ",
            "    ",
            "# ",
            "```",
            "~~~",
            "[a]",
            "[a]: /x",
            "[^1]",
            "[^1]: note",
            "<div>",
            "</div>",
            "<!--",
            "-->",
            "| b |",
            "|---|",
            "---",
            "===",
            "*em*",
            "`code`",
            "&amp;",
            "\"q\"",
            "\r\n",
        ];
        let mut state = 7u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut used_beginning = 0;
        for _ in 0..30_000 {
            let len = next(24);
            let body: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let want = reference(&body);
            assert_eq!(whole(&body), want, "{body:?}");
            if let Some(got) = from_beginning(&body) {
                used_beginning += 1;
                assert_eq!(got, want, "{body:?}");
            }
            assert_eq!(first_paragraph_text(&body), clean_text(&want), "{body:?}");
        }
        assert!(used_beginning > 3_000, "{used_beginning}");
    }

    #[test]
    fn a_paragraph_in_a_list_or_before_a_definition_is_read_from_the_whole() {
        assert_eq!(from_beginning("- a\n\n  b\n\nText.\n\n"), None);
        assert_eq!(
            from_beginning("See [the ruling][r].\n\nMore.\n\n[r]: /x\n"),
            None
        );
        assert_eq!(
            first_paragraph_text("See [the ruling][r].\n\nMore.\n\n[r]: /x\n"),
            "See the ruling."
        );
        assert_eq!(
            from_beginning("# Title\n\nFirst *one*\nline.\n\nSecond.\n").as_deref(),
            Some("First one line.")
        );
    }
}

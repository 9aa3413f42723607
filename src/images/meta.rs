//! What an agency writes into its photo files: the caption, the credit,
//! the photographer and the date, in IPTC (the IIM datasets of a JPEG's
//! Photoshop block) or XMP (an RDF document in the file). The image crate
//! hands over both blocks raw; reading the few fields a caption needs is
//! done here. (The `iptc` crate reads the same datasets, but it brings the
//! image crate with every format and encoder, AVIF's among them, for what
//! is forty lines of length-prefixed records; XMP is parsed with roxmltree.)

use serde::{Deserialize, Serialize};

/// The text a photo carries about itself; each field as found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Embedded {
    /// IPTC Caption-Abstract (2:120), XMP `dc:description`.
    pub(crate) caption: Option<String>,
    /// IPTC Credit (2:110), XMP `photoshop:Credit`.
    pub(crate) credit: Option<String>,
    /// IPTC By-line (2:80), XMP `dc:creator`.
    pub(crate) byline: Option<String>,
    /// IPTC Copyright Notice (2:116), XMP `dc:rights`.
    pub(crate) copyright: Option<String>,
    /// IPTC Date Created (2:55, `YYYYMMDD`), XMP `photoshop:DateCreated`,
    /// as `YYYY-MM-DD`.
    pub(crate) date: Option<String>,
}

impl Embedded {
    /// Fills each field this one lacks from `other`.
    pub(crate) fn or(mut self, other: Embedded) -> Embedded {
        self.caption = self.caption.or(other.caption);
        self.credit = self.credit.or(other.credit);
        self.byline = self.byline.or(other.byline);
        self.copyright = self.copyright.or(other.copyright);
        self.date = self.date.or(other.date);
        self
    }
}

/// The longest text kept from a photo's metadata, in characters.
const MAX_TEXT: usize = 2000;

/// Text as it may be shown: control characters dropped, space trimmed,
/// bounded; `None` when nothing is left.
fn shown(raw: &str) -> Option<String> {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(MAX_TEXT)
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Reads the IIM datasets in a JPEG's Photoshop block (the bytes after
/// `Photoshop 3.0\0`: `8BIM` resources, the IPTC one numbered 0x0404).
pub(crate) fn from_photoshop(block: &[u8]) -> Embedded {
    let mut at = 0;
    while at + 12 <= block.len() && &block[at..at + 4] == b"8BIM" {
        let id = u16::from_be_bytes([block[at + 4], block[at + 5]]);
        // A Pascal string, padded to an even length (its length byte included).
        let name_len = usize::from(block[at + 6]);
        let mut next = at + 6 + ((name_len + 2) & !1);
        let Some(size) = block.get(next..next + 4) else {
            break;
        };
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        next += 4;
        let Some(data) = block.get(next..next.saturating_add(size)) else {
            break;
        };
        if id == 0x0404 {
            return from_iim(data);
        }
        at = next + ((size + 1) & !1);
    }
    Embedded::default()
}

/// Reads IIM datasets: `0x1C`, record, dataset, a 16-bit length, the value.
pub(crate) fn from_iim(data: &[u8]) -> Embedded {
    let mut found = Embedded::default();
    let mut at = 0;
    while at + 5 <= data.len() && data[at] == 0x1C {
        let (record, dataset) = (data[at + 1], data[at + 2]);
        let len = usize::from(u16::from_be_bytes([data[at + 3], data[at + 4]]));
        if len & 0x8000 != 0 {
            break; // An extended length: none of the fields read here.
        }
        let Some(value) = data.get(at + 5..at + 5 + len) else {
            break;
        };
        at += 5 + len;
        if record != 2 {
            continue;
        }
        // IIM text is UTF-8 in practice (and by 1:90); anything else is
        // read as Latin-1 rather than lost.
        let text = match std::str::from_utf8(value) {
            Ok(s) => s.to_string(),
            Err(_) => value.iter().map(|&b| char::from(b)).collect(),
        };
        let slot = match dataset {
            120 => &mut found.caption,
            110 => &mut found.credit,
            80 => &mut found.byline,
            116 => &mut found.copyright,
            55 => {
                found.date = found.date.or_else(|| iim_date(&text));
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = shown(&text);
        }
    }
    found
}

/// `YYYYMMDD` as `YYYY-MM-DD`.
fn iim_date(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]))
}

/// XMP's Dublin Core namespace.
const DC: &str = "http://purl.org/dc/elements/1.1/";
/// XMP's Photoshop namespace.
const PS: &str = "http://ns.adobe.com/photoshop/1.0/";

/// Reads the fields of an XMP packet. A packet that does not parse gives
/// nothing: the photo is still used.
pub(crate) fn from_xmp(packet: &[u8]) -> Embedded {
    let Ok(text) = std::str::from_utf8(packet) else {
        return Embedded::default();
    };
    let text = text.trim_start_matches('\u{feff}');
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, options) else {
        return Embedded::default();
    };
    let field = |ns: &str, name: &str| xmp_field(&doc, ns, name);
    Embedded {
        caption: field(DC, "description"),
        credit: field(PS, "Credit"),
        byline: field(DC, "creator"),
        copyright: field(DC, "rights"),
        date: field(PS, "DateCreated").and_then(|d| {
            let day = d.get(..10)?;
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
            Some(day.to_string())
        }),
    }
}

/// An XMP property, written as an attribute of `rdf:Description` or as an
/// element (a plain value, or the first `rdf:li` of an Alt, Seq or Bag).
fn xmp_field(doc: &roxmltree::Document, ns: &str, name: &str) -> Option<String> {
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(value) = node.attribute((ns, name)) {
            return shown(value);
        }
        if node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name {
            let li = node
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "li");
            let holder = li.unwrap_or(node);
            let value: String = holder
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            return shown(&value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(record: u8, number: u8, value: &str) -> Vec<u8> {
        let mut out = vec![0x1C, record, number];
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
        out.extend_from_slice(value.as_bytes());
        out
    }

    /// A Photoshop block holding `iim` as resource 0x0404, after another
    /// resource with an odd-length name and an odd size (both padded).
    fn photoshop(iim: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"8BIM\x03\xED\x03abc");
        out.extend_from_slice(&3u32.to_be_bytes());
        out.extend_from_slice(b"xyz\0");
        out.extend_from_slice(b"8BIM\x04\x04\0\0");
        out.extend_from_slice(&(iim.len() as u32).to_be_bytes());
        out.extend_from_slice(iim);
        out
    }

    #[test]
    fn iptc_caption_credit_byline_and_date() {
        let mut iim = dataset(1, 90, "\x1b%G");
        iim.extend(dataset(2, 120, "Leaders at Lancaster House,\n London. "));
        iim.extend(dataset(2, 110, "Reuters"));
        iim.extend(dataset(2, 80, "Toby Melville"));
        iim.extend(dataset(2, 55, "20250302"));
        iim.extend(dataset(2, 116, "© Reuters 2025"));
        let found = from_photoshop(&photoshop(&iim));
        assert_eq!(
            found.caption.as_deref(),
            Some("Leaders at Lancaster House, London.")
        );
        assert_eq!(found.credit.as_deref(), Some("Reuters"));
        assert_eq!(found.byline.as_deref(), Some("Toby Melville"));
        assert_eq!(found.date.as_deref(), Some("2025-03-02"));
        assert_eq!(found.copyright.as_deref(), Some("© Reuters 2025"));
    }

    #[test]
    fn truncated_or_foreign_blocks_give_what_they_hold() {
        let mut iim = dataset(2, 110, "AFP");
        iim.extend(dataset(2, 120, "cut short"));
        let cut = &iim[..iim.len() - 3];
        assert_eq!(from_iim(cut).credit.as_deref(), Some("AFP"));
        assert_eq!(from_iim(cut).caption, None);
        assert_eq!(from_photoshop(b"8BIM"), Embedded::default());
        assert_eq!(
            from_photoshop(b"garbage that is long enough"),
            Embedded::default()
        );
        let block = photoshop(&iim);
        for end in 0..block.len() {
            from_photoshop(&block[..end]);
        }
    }

    #[test]
    fn latin1_and_control_characters() {
        let mut iim = vec![0x1C, 2, 110, 0, 4];
        iim.extend_from_slice(b"D\xe9pa");
        iim.extend(dataset(2, 120, "a\x07b\x1b[31m"));
        let found = from_iim(&iim);
        assert_eq!(found.credit.as_deref(), Some("Dépa"));
        assert_eq!(found.caption.as_deref(), Some("ab[31m"));
    }

    #[test]
    fn xmp_elements_and_attributes() {
        let packet = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Reuters"
  photoshop:DateCreated="2025-03-02T14:05:00">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Leaders meet &amp; talk</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Toby Melville</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
        let found = from_xmp(packet.as_bytes());
        assert_eq!(found.caption.as_deref(), Some("Leaders meet & talk"));
        assert_eq!(found.credit.as_deref(), Some("Reuters"));
        assert_eq!(found.byline.as_deref(), Some("Toby Melville"));
        assert_eq!(found.date.as_deref(), Some("2025-03-02"));
        assert_eq!(from_xmp(b"<not xml"), Embedded::default());
        assert_eq!(
            from_xmp(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"),
            Embedded::default()
        );
    }
}

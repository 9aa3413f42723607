//! Compressed bodies: the `.gz` and `.br` siblings `gazette build
//! --precompress` writes beside each text file for servers that serve
//! them (nginx `gzip_static`, Caddy `precompressed`), and what a deploy
//! target with `precompress` stores (for hosts that do not compress, S3
//! among them).

use std::io::Write;

/// A compression of a file's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Encoding {
    /// `Content-Encoding: gzip`, sibling `.gz`.
    Gzip,
    /// `Content-Encoding: br`, sibling `.br`.
    Brotli,
}

impl Encoding {
    /// Both, in the order siblings are written.
    pub(crate) const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The `Content-Encoding` value.
    pub(crate) fn header(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    /// The sibling file's extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        }
    }
}

/// Whether the file `rel` is text worth a compressed sibling.
pub(crate) fn has_siblings(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "html" | "css" | "js" | "mjs" | "xml" | "json" | "svg" | "txt"
    )
}

/// Brotli's quality: 9 of 11 is within a few percent of 11's size at
/// many times its speed.
const BROTLI_QUALITY: u32 = 9;

/// `bytes` compressed with `encoding`, at a level meant for files written
/// once and read many times.
pub(crate) fn compress(bytes: &[u8], encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Gzip => {
            let mut gz = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 3),
                flate2::Compression::best(),
            );
            // Writing to a Vec does not fail.
            let _ = gz.write_all(bytes);
            gz.finish().unwrap_or_default()
        }
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(bytes.len() / 3);
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY as i32,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_encodings_give_back_the_bytes() {
        let page = "<p>Talks in Geneva resumed on Tuesday.</p>\n".repeat(200);
        let gz = compress(page.as_bytes(), Encoding::Gzip);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let br = compress(page.as_bytes(), Encoding::Brotli);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, page.as_bytes());
        assert!(br.len() < page.len() / 10 && gz.len() < page.len() / 10);
    }
}

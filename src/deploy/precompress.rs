//! Compressed bodies: what a target with `precompress` stores (for hosts
//! that do not compress, S3 among them), and the `.gz` and `.br` siblings
//! `gazette build --precompress` writes for servers that serve them
//! (nginx `gzip_static`, Caddy `precompressed`).

use std::io::Write;

use super::target::Encoding;

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

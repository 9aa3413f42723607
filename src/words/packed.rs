//! A body's words as the preview keeps them between search passes:
//! compressed (zstd, its fastest level). The preview holds every body's
//! folded words so that an edit re-indexes without reading 100,000 files;
//! at 100k articles they were about 500 MB of the preview's 1 GB, and
//! compressed they take about 40 % of that. Each search pass unpacks each
//! body once, as it indexes it.

use std::cell::RefCell;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// zstd's level: its fastest, which already keeps about 40 % of folded
/// news text (bench/RESULTS.md, tenth session).
const LEVEL: i32 = 1;

thread_local! {
    /// Each thread's compressor and decompressor: a context made for each
    /// body would cost more than the body.
    static CODEC: RefCell<Option<(zstd::bulk::Compressor<'static>, zstd::bulk::Decompressor<'static>)>> =
        const { RefCell::new(None) };
}

/// Text kept compressed; empty text takes nothing.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Packed {
    /// The text's length in bytes.
    len: u32,
    /// The zstd frame (empty for empty text).
    bytes: Box<[u8]>,
}

impl Packed {
    /// `text`, compressed.
    pub(crate) fn of(text: &str) -> Packed {
        if text.is_empty() {
            return Packed::default();
        }
        let len = u32::try_from(text.len()).expect("a body's words under 4 GiB");
        let bytes = with_codec(|(compressor, _)| compressor.compress(text.as_bytes()).ok())
            .or_else(|| zstd::bulk::compress(text.as_bytes(), LEVEL).ok())
            .expect("memory for a compression context");
        Packed {
            len,
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// The text again.
    pub(crate) fn text(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let capacity = self.len as usize;
        let bytes =
            with_codec(|(_, decompressor)| decompressor.decompress(&self.bytes, capacity).ok())
                .or_else(|| zstd::bulk::decompress(&self.bytes, capacity).ok())
                .expect("a frame this type made");
        String::from_utf8(bytes).expect("text this type packed")
    }

    /// The bytes kept.
    #[cfg(test)]
    pub(crate) fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

/// Runs `f` with this thread's codec, made on first use; `None` when it
/// cannot be made.
fn with_codec<T>(
    f: impl FnOnce(
        &mut (
            zstd::bulk::Compressor<'static>,
            zstd::bulk::Decompressor<'static>,
        ),
    ) -> Option<T>,
) -> Option<T> {
    CODEC.with(|cell| {
        let mut codec = cell.borrow_mut();
        if codec.is_none() {
            let made = zstd::bulk::Compressor::new(LEVEL)
                .and_then(|c| Ok((c, zstd::bulk::Decompressor::new()?)));
            *codec = made.ok();
        }
        f(codec.as_mut()?)
    })
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({:?})", self.text())
    }
}

impl Serialize for Packed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Packed::of(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_back_as_it_was_packed() {
        for text in super::super::random_texts("ab .\n é中", 3, 400) {
            let packed = Packed::of(&text);
            assert_eq!(packed.text(), text);
            assert_eq!(packed.packed_len() == 0, text.is_empty());
        }
        let long = "minister said talks on trade . ".repeat(200);
        let packed = Packed::of(&long);
        assert!(
            packed.packed_len() * 10 < long.len(),
            "{}",
            packed.packed_len()
        );
        assert_eq!(packed.clone().text(), long);
        let json = serde_json::to_string(&packed).unwrap();
        assert_eq!(json, serde_json::to_string(&long).unwrap());
        assert_eq!(serde_json::from_str::<Packed>(&json).unwrap(), packed);
        assert_eq!(Packed::default().packed_len(), 0);
    }
}

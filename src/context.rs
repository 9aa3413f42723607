//! Page contexts that fingerprint themselves. A page is a pure function of
//! its template and its context, so a context's fingerprint (plus the hash
//! of the template and what it includes) says exactly when a page must be
//! rendered again.

use serde::Serialize;
use tera::Context;
use xxhash_rust::xxh3::Xxh3;

use crate::error::Diagnostic;

/// Where rendered pages go; lets the renderer skip pages whose inputs have
/// not changed since the last build.
pub trait PageSink: Sync {
    /// True when `site_path` is on disk with exactly the output of a page
    /// whose inputs had this fingerprint.
    fn unchanged(&self, site_path: &str, fingerprint: u64) -> bool;
    /// Stores a rendered page.
    fn write(&self, site_path: &str, bytes: &[u8], fingerprint: u64) -> Result<(), Diagnostic>;
}

/// A Tera context that also fingerprints everything put into it: a page is
/// a pure function of its template and this context, so an equal
/// fingerprint means an identical page.
#[derive(Clone)]
pub struct PageContext {
    ctx: Context,
    hasher: Xxh3,
}

impl PageContext {
    /// An empty context; its fingerprint starts from gazette's version.
    pub fn new() -> Self {
        let mut hasher = Xxh3::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        PageContext {
            ctx: Context::new(),
            hasher,
        }
    }

    /// The Tera context, for rendering.
    pub fn tera(&self) -> &Context {
        &self.ctx
    }

    /// Adds a variable to the context and to the fingerprint.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.ctx.insert(key, value);
        self.hasher.update(key.as_bytes());
        if let Some(v) = self.ctx.get(key) {
            serde_json::to_writer(HashWriter(&mut self.hasher), v).expect("hashing cannot fail");
        }
    }

    /// Sets `field` of the object variable `key`, for rendering only (an
    /// article's body, whose hash is already mixed in): the rest of the
    /// object is kept as it is, not serialised again.
    pub fn set_field_unhashed(&mut self, key: &str, field: &str, value: serde_json::Value) {
        let Some(mut object) = self.ctx.remove(key) else {
            return;
        };
        if let Some(map) = object.as_object_mut() {
            map.insert(field.to_string(), value);
        }
        let mut one = serde_json::Map::new();
        one.insert(key.to_string(), object);
        self.ctx
            .extend(Context::from_value(serde_json::Value::Object(one)).expect("an object"));
    }

    /// Adds a variable made of parts whose fingerprints are already known
    /// (the cards of a list): they are mixed in instead of serialising the
    /// value again for hashing.
    pub fn insert_known<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
        parts: impl ExactSizeIterator<Item = u64>,
    ) {
        self.ctx.insert(key, value);
        self.hasher.update(key.as_bytes());
        self.hasher.update(&(parts.len() as u64).to_le_bytes());
        for part in parts {
            self.hasher.update(&part.to_le_bytes());
        }
    }

    /// Mixes a value that is not a template variable (a body hash, a
    /// template hash) into the fingerprint.
    pub fn mix(&mut self, value: u64) {
        self.hasher.update(&value.to_le_bytes());
    }

    /// The fingerprint of everything inserted and mixed so far.
    pub fn fingerprint(&self) -> u64 {
        self.hasher.digest()
    }
}

struct HashWriter<'h>(&'h mut Xxh3);
impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Default for PageContext {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_equal_fingerprints() {
        let mut a = PageContext::new();
        let mut b = PageContext::new();
        a.insert("title", "x");
        b.insert("title", "x");
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.insert("more", &[1, 2]);
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn a_field_set_later_leaves_the_rest_and_the_fingerprint() {
        let mut c = PageContext::new();
        c.insert("article", &serde_json::json!({"title": "T", "content": ""}));
        let before = c.fingerprint();
        c.set_field_unhashed("article", "content", "<p>x</p>".into());
        assert_eq!(c.fingerprint(), before);
        assert_eq!(
            c.tera().get("article"),
            Some(&serde_json::json!({"title": "T", "content": "<p>x</p>"}))
        );
    }

    #[test]
    fn known_parts_decide_the_fingerprint() {
        let fp = |parts: &[u64]| {
            let mut c = PageContext::new();
            c.insert_known("list", &["shown"], parts.iter().copied());
            c.fingerprint()
        };
        assert_eq!(fp(&[1, 2]), fp(&[1, 2]));
        assert_ne!(fp(&[1, 2]), fp(&[2, 1]));
        assert_ne!(fp(&[1]), fp(&[1, 0]));
        assert_ne!(fp(&[]), fp(&[0]));
    }
}

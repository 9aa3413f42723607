//! Page contexts that fingerprint themselves. A page is a pure function of
//! its template and its context, so a context's fingerprint (plus the hash
//! of the template and what it includes) says exactly when a page must be
//! rendered again.

use std::borrow::Cow;

use serde::Serialize;
use tera::value::ValueKind;
use tera::{Context, Value};
use xxhash_rust::xxh3::Xxh3;

use crate::error::Diagnostic;
use crate::load::ArticleId;

/// Where rendered pages go; lets the renderer skip pages whose inputs have
/// not changed since the last build.
pub(crate) trait PageSink: Sync {
    /// True when the page at `site_path` is not to be rendered at all, not
    /// even prepared (a pass that was stopped, or that checked it already):
    /// asked before anything else. A sink that skips a page keeps its
    /// file as it is.
    fn skip(&self, _site_path: &str) -> bool {
        false
    }
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
pub(crate) struct PageContext {
    ctx: Context,
    hasher: Xxh3,
    /// The first error met while building the context (a card whose
    /// template failed): the page fails with it.
    error: Option<Diagnostic>,
    /// The articles whose metadata went into the context (see
    /// [`PageContext::shows`]); kept for the tests only.
    #[cfg(test)]
    shown: Vec<ArticleId>,
}

impl PageContext {
    /// An empty context; its fingerprint starts from gazette's version.
    pub(crate) fn new() -> Self {
        let mut hasher = Xxh3::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        PageContext {
            ctx: Context::new(),
            hasher,
            error: None,
            #[cfg(test)]
            shown: Vec::new(),
        }
    }

    /// Records that the page shows these articles (their cards, feed
    /// entries, dates or memberships): the record that
    /// `render::reach` is tested against, so that a page cannot come to
    /// depend on an article without the incremental routes knowing.
    /// The record costs nothing outside the tests.
    pub(crate) fn shows(&mut self, ids: impl IntoIterator<Item = ArticleId>) {
        #[cfg(test)]
        self.shown.extend(ids);
        #[cfg(not(test))]
        drop(ids);
    }

    /// Records an error met while building the context (the first one
    /// is kept).
    pub(crate) fn fail(&mut self, error: Option<Diagnostic>) {
        if self.error.is_none() {
            self.error = error;
        }
    }

    /// The error recorded by [`PageContext::fail`].
    pub(crate) fn take_error(&mut self) -> Option<Diagnostic> {
        self.error.take()
    }

    /// The articles recorded by [`PageContext::shows`].
    #[cfg(test)]
    pub(crate) fn shown(&self) -> &[ArticleId] {
        &self.shown
    }

    /// The Tera context, for rendering.
    pub(crate) fn tera(&self) -> &Context {
        &self.ctx
    }

    /// Adds a variable to the context and to the fingerprint.
    pub(crate) fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.ctx.insert(key.to_string(), value);
        self.hasher.update(key.as_bytes());
        if let Some(v) = self.ctx.get(key) {
            // Encoded into one buffer, then hashed in one call: cheaper
            // than a streaming update per node.
            ENCODED.with_borrow_mut(|buf| {
                buf.clear();
                encode_value(v, buf);
                self.hasher.update(buf);
            });
        }
    }

    /// Sets `field` of the object variable `key`, for rendering only (an
    /// article's body, whose hash is already mixed in): the rest of the
    /// object is kept as it is, not serialised again.
    pub(crate) fn set_field_unhashed(&mut self, key: &str, field: &str, value: Value) {
        let Some(object) = self.ctx.remove(key) else {
            return;
        };
        let object = match object.into_map() {
            Some(mut map) => {
                map.insert(field.to_string().into(), value);
                Value::from(map)
            }
            None => Value::none(),
        };
        self.ctx.insert_value(key.to_string(), object);
    }

    /// Adds a variable made of parts whose fingerprints are already known
    /// (the cards of a list, already converted to template values): their
    /// fingerprints are mixed in instead of hashing the value again.
    pub(crate) fn insert_known(
        &mut self,
        key: &str,
        value: Value,
        parts: impl ExactSizeIterator<Item = u64>,
    ) {
        self.ctx.insert_value(key.to_string(), value);
        self.hasher.update(key.as_bytes());
        self.hasher.update(&(parts.len() as u64).to_le_bytes());
        for part in parts {
            self.hasher.update(&part.to_le_bytes());
        }
    }

    /// Mixes a value that is not a template variable (a body hash, a
    /// template hash) into the fingerprint.
    pub(crate) fn mix(&mut self, value: u64) {
        self.hasher.update(&value.to_le_bytes());
    }

    /// The fingerprint of everything inserted and mixed so far.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.hasher.digest()
    }
}

thread_local! {
    /// The buffer [`encode_value`] writes into, reused by each thread.
    static ENCODED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes a value out for hashing: a tag per node, and the length before
/// every string and collection, so that different values do not run
/// together.
fn encode_value(value: &Value, out: &mut Vec<u8>) {
    let len = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u64).to_le_bytes());
    match value.kind() {
        ValueKind::None => out.extend_from_slice(b"n"),
        ValueKind::Bool => out.extend_from_slice(if value.as_bool() == Some(true) {
            b"t"
        } else {
            b"f"
        }),
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            out.extend_from_slice(b"i");
            out.extend_from_slice(&value.as_i128().unwrap_or_default().to_le_bytes());
        }
        ValueKind::F64 => {
            out.extend_from_slice(b"d");
            out.extend_from_slice(&value.as_f64().unwrap_or(f64::NAN).to_bits().to_le_bytes());
        }
        ValueKind::String => {
            let text = value.as_str().unwrap_or_default();
            out.extend_from_slice(if value.is_safe() { b"S" } else { b"s" });
            len(out, text.len());
            out.extend_from_slice(text.as_bytes());
        }
        ValueKind::Bytes => {
            let bytes = value.as_bytes().unwrap_or_default();
            out.extend_from_slice(b"b");
            len(out, bytes.len());
            out.extend_from_slice(bytes);
        }
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            out.extend_from_slice(b"a");
            len(out, items.len());
            items.iter().for_each(|v| encode_value(v, out));
        }
        ValueKind::Map => {
            out.extend_from_slice(b"o");
            if let Some(map) = value.as_map() {
                len(out, map.len());
                for (key, v) in map {
                    let key = key
                        .as_str()
                        .map_or_else(|| key.to_string().into(), Cow::Borrowed);
                    len(out, key.len());
                    out.extend_from_slice(key.as_bytes());
                    encode_value(v, out);
                }
            }
        }
        // Undefined, and kinds a later Tera may add: their debug text.
        _ => {
            let text = format!("{value:?}");
            out.extend_from_slice(b"?");
            len(out, text.len());
            out.extend_from_slice(text.as_bytes());
        }
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
        let article = c.tera().get("article").unwrap();
        let title = article.get_from_path("title").and_then(|v| v.as_str());
        let content = article.get_from_path("content").and_then(|v| v.as_str());
        assert_eq!((title, content), (Some("T"), Some("<p>x</p>")));
    }

    #[test]
    fn values_that_differ_hash_apart() {
        use serde_json::json;
        let fp = |v: serde_json::Value| {
            let mut c = PageContext::new();
            c.insert("v", &v);
            c.fingerprint()
        };
        let values = [
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!(-1),
            json!(u64::MAX),
            json!(0.5),
            json!(""),
            json!("0"),
            json!(["ab", "c"]),
            json!(["a", "bc"]),
            json!([]),
            json!({}),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": 1}}),
        ];
        for (i, a) in values.iter().enumerate() {
            assert_eq!(fp(a.clone()), fp(a.clone()));
            for b in &values[i + 1..] {
                assert_ne!(fp(a.clone()), fp(b.clone()), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn known_parts_decide_the_fingerprint() {
        let fp = |parts: &[u64]| {
            let mut c = PageContext::new();
            c.insert_known("list", Value::from(vec!["shown"]), parts.iter().copied());
            c.fingerprint()
        };
        assert_eq!(fp(&[1, 2]), fp(&[1, 2]));
        assert_ne!(fp(&[1, 2]), fp(&[2, 1]));
        assert_ne!(fp(&[1]), fp(&[1, 0]));
        assert_ne!(fp(&[]), fp(&[0]));
    }
}

//! The bucket, as a deploy uses it: a handful of requests over
//! `object_store`'s S3 client (signing, connection reuse, and retries with
//! backoff on a dropped connection, a 5xx or a throttling answer), under
//! the target's prefix. Every object gazette stores carries its stored
//! hash as `x-amz-meta-gazette-hash`, which is how a full listing tells
//! gazette's keys from foreign ones.

use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt,
    PutOptions, PutPayload, RetryConfig,
};

use super::credentials::Credentials;
use super::headers::Headers;
use super::target::Target;

/// The metadata that marks an object as gazette's, and holds its hash.
const HASH_META: &str = "gazette-hash";

/// How many times a request that failed in a way worth retrying is tried
/// again after object_store's own retries gave up (a connection dropped
/// mid-upload, which object_store does not retry for a body it sent).
const ATTEMPTS: u32 = 4;

/// One target's bucket and prefix.
pub(crate) struct Bucket {
    store: AmazonS3,
    prefix: String,
    /// `s3://bucket/prefix at endpoint`, for messages.
    pub(crate) describe: String,
}

impl Bucket {
    /// A client for `target`; nothing is sent yet.
    pub(crate) fn open(
        target: &Target,
        creds: Credentials,
        region: String,
    ) -> Result<Self, String> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&target.bucket)
            .with_region(region)
            .with_access_key_id(creds.key_id)
            .with_secret_access_key(creds.secret)
            .with_virtual_hosted_style_request(!target.path_style)
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(10),
                    base: 2.0,
                },
                max_retries: 8,
                retry_timeout: Duration::from_secs(120),
            })
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(true)
                    .with_timeout(Duration::from_secs(120))
                    .with_connect_timeout(Duration::from_secs(10)),
            );
        if let Some(token) = creds.token {
            builder = builder.with_token(token);
        }
        if let Some(endpoint) = &target.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let at = target.endpoint.as_deref().unwrap_or("AWS");
        let describe = format!("s3://{}/{} at {at}", target.bucket, target.prefix);
        let store = builder
            .build()
            .map_err(|e| format!("cannot reach {describe}: {e}"))?;
        Ok(Bucket {
            store,
            prefix: target.prefix.clone(),
            describe,
        })
    }

    fn key(&self, path: &str) -> Result<Key, String> {
        Key::parse(format!("{}{path}", self.prefix))
            .map_err(|e| format!("`{path}` cannot be a key: {e}"))
    }

    /// Fails with a clear sentence when the bucket is missing or the
    /// credentials are refused (one small listing).
    pub(crate) async fn check(&self) -> Result<(), String> {
        let probe = self.key(super::record::RECORD_DIR)?;
        retry(|| self.store.list_with_delimiter(Some(&probe)))
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot use {}: {}", self.describe, explain(&e)))
    }

    /// The object at `path`, or `None` when there is none.
    pub(crate) async fn get(&self, path: &str) -> Result<Option<Bytes>, String> {
        let key = self.key(path)?;
        let got = retry(|| async { self.store.get(&key).await?.bytes().await }).await;
        match got {
            Ok(bytes) => Ok(Some(bytes)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(format!(
                "cannot read {path} from {}: {}",
                self.describe,
                explain(&e)
            )),
        }
    }

    /// The hash gazette stored `path` with: `None` when there is no such
    /// object, `Some(None)` when it is not gazette's.
    pub(crate) async fn stored_hash(&self, path: &str) -> Result<Option<Option<u64>>, String> {
        let key = self.key(path)?;
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match retry(|| self.store.get_opts(&key, head.clone())).await {
            Ok(got) => {
                let meta = got.attributes.get(&Attribute::Metadata(HASH_META.into()));
                Ok(Some(
                    meta.and_then(|v| u64::from_str_radix(v.as_ref(), 16).ok()),
                ))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(format!(
                "cannot look at {path} in {}: {}",
                self.describe,
                explain(&e)
            )),
        }
    }

    /// Stores `body` at `path` with `headers`, marked with `stored`.
    pub(crate) async fn put(
        &self,
        path: &str,
        body: Bytes,
        headers: &Headers,
        stored: u64,
    ) -> Result<(), String> {
        let key = self.key(path)?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, headers.content_type.clone().into());
        attributes.insert(
            Attribute::CacheControl,
            headers.cache_control.clone().into(),
        );
        if let Some(encoding) = headers.encoding {
            attributes.insert(Attribute::ContentEncoding, encoding.header().into());
        }
        attributes.insert(
            Attribute::Metadata(HASH_META.into()),
            format!("{stored:016x}").into(),
        );
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        retry(|| {
            self.store
                .put_opts(&key, PutPayload::from_bytes(body.clone()), options.clone())
        })
        .await
        .map(|_| ())
        .map_err(|e| format!("cannot upload {path} to {}: {}", self.describe, explain(&e)))
    }

    /// Stores one of gazette's own records (not part of the site).
    pub(crate) async fn put_record(&self, path: &str, body: Bytes) -> Result<(), String> {
        let headers = Headers {
            content_type: "application/octet-stream".into(),
            cache_control: "no-store".into(),
            encoding: None,
        };
        self.put(path, body, &headers, 0).await
    }

    /// Deletes `paths` (in requests of up to 1,000 keys).
    pub(crate) async fn delete(&self, paths: &[String]) -> Result<(), String> {
        for chunk in paths.chunks(1000) {
            let keys: Vec<Key> = chunk
                .iter()
                .map(|p| self.key(p))
                .collect::<Result<_, _>>()?;
            retry(|| async {
                let stream = futures::stream::iter(keys.clone().into_iter().map(Ok)).boxed();
                self.store
                    .delete_stream(stream)
                    .try_collect::<Vec<_>>()
                    .await
            })
            .await
            .map_err(|e| format!("cannot delete from {}: {}", self.describe, explain(&e)))?;
        }
        Ok(())
    }

    /// Every key under the prefix but gazette's records, as output paths.
    pub(crate) async fn list(&self) -> Result<Vec<String>, String> {
        let prefix = (!self.prefix.is_empty())
            .then(|| Key::parse(self.prefix.trim_end_matches('/')))
            .transpose()
            .map_err(|e| e.to_string())?;
        let metas: Vec<_> = retry(|| self.store.list(prefix.as_ref()).try_collect::<Vec<_>>())
            .await
            .map_err(|e| format!("cannot list {}: {}", self.describe, explain(&e)))?;
        let records = format!("{}/", super::record::RECORD_DIR);
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let full = m.location.to_string();
                let path = full.strip_prefix(&self.prefix)?.to_string();
                (!path.starts_with(&records)).then_some(path)
            })
            .collect())
    }
}

/// Tries `op` again after errors worth retrying, with a growing pause.
async fn retry<T, F, Fut>(mut op: F) -> object_store::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = object_store::Result<T>>,
{
    let mut pause = Duration::from_millis(200);
    for _ in 1..ATTEMPTS {
        match op().await {
            Err(object_store::Error::Generic { source, .. }) if worth_retrying(&*source) => {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            other => return other,
        }
    }
    op().await
}

/// A transport failure or a server's fault; not a refusal (4xx).
fn worth_retrying(error: &(dyn std::error::Error + 'static)) -> bool {
    let text = format!("{error}");
    !(text.contains("status 4") || text.contains("Client error"))
}

/// An error in a sentence: the service's own message, not a type dump.
fn explain(error: &object_store::Error) -> String {
    let text = error.to_string();
    if text.contains("NoSuchBucket") {
        return "the bucket does not exist".into();
    }
    if text.contains("InvalidAccessKeyId") || text.contains("SignatureDoesNotMatch") {
        return "the credentials were refused".into();
    }
    text
}

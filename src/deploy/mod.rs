//! `gazette deploy`: publishing a finished build to object storage (S3
//! and the services that speak its protocol), sending only what changed,
//! in an order that never shows a broken link.
//!
//! Owns: the `[[deploy]]` targets (`target`), credentials from the
//! standard places (`credentials`), each file's headers (`headers`), the
//! comparison and its order (`plan`, pure), the bucket's record of what
//! gazette put there (`record`) and how the bucket's contents are learned
//! (`known`), the requests (`remote`) and one deploy's run (`run`); and
//! the hosts' limits a build is checked against (`limits`).
//!
//! May not touch: the output folder, which it only reads through the
//! manifest `output` keeps (a deploy never builds), and any key under the
//! prefix that gazette did not write: only keys its record or its
//! `x-amz-meta-gazette-hash` mark name are ever deleted.

mod credentials;
mod headers;
mod known;
mod limits;
mod plan;
mod record;
mod remote;
mod run;
mod target;

pub use limits::host_limit_warnings;
pub use run::{deploy, DeployOptions, DeployReport};
pub(crate) use target::{check_targets, RawTarget, Target};

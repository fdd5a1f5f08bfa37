//! # Counterclaim
//!
//! Spots known false election narratives in social-media posts and answers each one with the
//! official statements that rebut it.
//!
//! ## Layout
//!
//! Dependencies point one way: transports ([`grpc`], [`http`], the CLI in `main.rs` and `cli/`) call the
//! core ([`kb`], [`text`], [`matcher`]), and the core reaches tantivy only through [`search`].
//!
//! - [`kb`]: narratives, claims, official statements; loading and validation of the native TOML
//!   format and the flat JSONL format.
//! - [`text`]: normalisation of messy posts (Unicode, look-alikes, invisible characters,
//!   leetspeak, hashtags, spaced letters, elongations, language).
//! - [`search`]: the tantivy index over the knowledge base's texts, for free-text narrative
//!   search.
//! - [`embed`]: the sentence-embedding model (all-MiniLM-L6-v2 on candle) that makes matching
//!   hybrid; the matcher sees it only through [`matcher::Encoder`].
//! - [`matcher`]: retrieval → overlap → calibrated score → stance → evidence.
//! - [`batch`]: batch scoring of post dumps (JSONL, CSV, TSV; gzip, zstd), streaming, in input
//!   order, on all cores.
//! - [`grpc`]: the `counterclaim.v1` service, proto ⇄ domain conversion, error → status, API
//!   keys and TLS.
//! - [`http`]: the HTTP address beside it: the officials' console (HTML), the JSON API under
//!   `/api/v1/`, Prometheus metrics at `/metrics`, `/healthz`.
//! - [`admin`]: the `counterclaim.admin.v1` service on its own address: knowledge-base writes
//!   and moderators' feedback.
//! - [`curator`]: knowledge-base writes while serving: validate, build, store, swap.
//! - [`feedback`]: moderators' verdicts on answers, and the per-narrative precision report.
//! - [`store`]: what the service keeps in its data directory (knowledge-base versions,
//!   feedback).
//! - [`limits`]: every size a client may send.
//! - [`live`]: the matcher being served, swapped atomically when the knowledge base is reloaded.
//! - [`error`]: the one error type, user errors apart from internal ones.
//! - `fuzz` (hidden): fuzz targets over every entry point that reads untrusted bytes, and the
//!   stable-Rust driver that runs them (`scripts/fuzz.sh`).

pub mod admin;
pub mod batch;
pub mod curator;
pub mod embed;
pub mod error;
pub mod eval;
pub mod feedback;
#[doc(hidden)]
pub mod fuzz;
pub mod grpc;
pub mod http;
pub mod kb;
pub mod limits;
pub mod live;
pub mod matcher;
pub mod search;
pub mod store;
pub mod text;
pub mod worker;

pub use error::{Error, Result};

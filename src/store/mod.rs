//! The storage adapters: what the service keeps in its data directory (`--data-dir`), each in a
//! module of its own behind plain types from the core, so the core never learns how or where
//! they are stored.
//!
//! - [`versions`]: the knowledge base's versions, written durably, the newest served at start.
//! - [`feedback`]: moderators' verdicts, appended to `feedback.jsonl`.
//! - [`trends`]: every match answered, in SQLite (`trends.sqlite`), with hourly counts to chart.

pub mod feedback;
pub mod trends;
pub mod versions;

//! Storage adapters: what the service keeps in its data directory (`--data-dir`). The matcher
//! knows nothing of them.
//!
//! - [`versions`]: the knowledge base's versions, written durably, the newest served at start.

pub mod versions;

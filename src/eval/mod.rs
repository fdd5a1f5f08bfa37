//! Measuring matching quality.
//!
//! - [`labelled`]: precision, recall and stance accuracy on labelled posts (the fixture sets in
//!   `tests/fixtures/`), the quality gate of the shipped knowledge base.

pub mod labelled;

//! Measuring matching quality.
//!
//! - [`labelled`]: precision, recall and stance accuracy on labelled posts (the fixture sets in
//!   `tests/fixtures/`), the quality gate of the shipped knowledge base.
//! - [`ranking`]: MAP@k, MRR, P@1 and recall on claim-retrieval benchmarks (CheckThat!).

pub mod labelled;
pub mod ranking;

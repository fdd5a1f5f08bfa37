//! Measuring matching quality.
//!
//! - [`labelled`]: precision, recall and stance accuracy on labelled posts (the fixture sets in
//!   `tests/fixtures/`), the quality gate of the shipped knowledge base.
//! - [`ranking`]: MAP@k, MRR, P@1 and recall on claim-retrieval benchmarks (CheckThat!).
//! - [`stream`]: alarms, precision and recall on a real stream with sparse labels.

pub mod labelled;
pub mod ranking;
pub mod stream;

use serde::Serialize;

use crate::matcher::NarrativeMatch;

/// One candidate of one query or post with its score features and whether it is right: the
/// training data of the score's logistic regression (`scripts/fit_score.py`).
#[derive(Debug, Clone, Serialize)]
pub struct FeatureRow {
    pub group: String,
    pub narrative_id: String,
    pub relevant: bool,
    pub features: [f32; crate::matcher::FEATURES],
}

impl FeatureRow {
    pub fn new(group: &str, m: &NarrativeMatch, relevant: bool) -> Self {
        Self {
            group: group.to_owned(),
            narrative_id: m.narrative_id.clone(),
            relevant,
            features: m.overlap.features(),
        }
    }
}

/// `a / b`, and 1 when there is nothing to measure (no prediction for a precision, no label
/// for a recall).
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

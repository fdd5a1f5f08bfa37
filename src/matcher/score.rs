//! From word overlap to a calibrated score.
//!
//! For a post and one knowledge-base entry (a claim, variant, title or statement) the matcher
//! measures how much of each the other covers, weighting every shared term by its inverse
//! document frequency so that "ballots" counts for less than "counterfeit":
//!
//! - `entry_coverage`: the share of the entry's weight the post matches (does the post say what
//!   the claim says?);
//! - `post_coverage`: the share of the post's weight the entry matches (is the post about this,
//!   or does it mention it in passing?). Words the knowledge base has never seen count too, at a
//!   fixed weight, so a long post about something else scores low.
//!
//! - `narrative_coverage`: the share of the post's weight found anywhere in the narrative's
//!   claims and variants (is the post on this topic at all?);
//! - `anchored`: does the post share one of the narrative's defining terms?
//! - `matched_terms`: how many distinct terms are shared (capped at 5).
//!
//! The score is a logistic regression over these: an estimate of the probability that the post
//! expresses or discusses the narrative. Its weights were fitted on the tuning posts
//! (`tests/fixtures/tuning_posts.jsonl`, see `docs/quality.md`), never on the test set, so a
//! score of 0.8 means "about 8 in 10 posts scoring this are about the narrative" on data like
//! those. Every weight is positive, so more overlap never lowers a score.

/// Weight of a post word the knowledge base does not contain.
pub const UNKNOWN_TERM_WEIGHT: f32 = 1.5;
/// Default threshold: report a narrative when the score is at least this.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Logistic-regression weights over the features, in the order of [`Overlap::features`], and
/// the intercept. Fitted on `tests/fixtures/tuning_posts.jsonl` (up to four candidate narratives
/// per post sharing two or more terms, labelled by whether it is the post's narrative; L2 penalty 0.001) with
/// `scripts/fit_score.py`; see docs/quality.md.
const WEIGHTS: [f32; 5] = [5.654, 2.210, 2.231, 1.448, 4.442];
const INTERCEPT: f32 = -8.387;
/// Matched terms beyond this add nothing.
const MATCHED_TERMS_CAP: usize = 5;

/// The overlap features of a post against one entry of a narrative.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Overlap {
    /// The share of the entry's weight the post matches.
    pub entry_coverage: f32,
    /// The share of the post's weight the entry matches.
    pub post_coverage: f32,
    /// The share of the post's weight found anywhere in the narrative's claims and variants.
    pub narrative_coverage: f32,
    pub matched_terms: usize,
    /// Whether the post shares one of the narrative's defining terms (see `entries`).
    pub anchored: bool,
}

impl Overlap {
    /// The model's inputs, each in [0, 1].
    pub fn features(&self) -> [f32; 5] {
        [
            self.entry_coverage,
            self.post_coverage,
            self.narrative_coverage,
            if self.anchored { 1.0 } else { 0.0 },
            self.matched_terms.min(MATCHED_TERMS_CAP) as f32 / MATCHED_TERMS_CAP as f32,
        ]
    }

    /// The calibrated score in [0, 1]; zero when a single word is all that matches, since one
    /// shared word ("ballots") says nothing about which claim a post makes.
    pub fn score(&self) -> f32 {
        if self.matched_terms < 2 {
            return 0.0;
        }
        let z: f32 = INTERCEPT
            + self
                .features()
                .iter()
                .zip(WEIGHTS)
                .map(|(x, w)| x.clamp(0.0, 1.0) * w)
                .sum::<f32>();
        let p = 1.0 / (1.0 + (-z).exp());
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// `part / whole` clamped to [0, 1]; 0 when `whole` is not positive.
pub fn ratio(part: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn overlap(coverage: f32, matched_terms: usize) -> Overlap {
        Overlap {
            entry_coverage: coverage,
            post_coverage: coverage,
            narrative_coverage: coverage,
            matched_terms,
            anchored: true,
        }
    }

    #[test]
    fn one_shared_word_is_not_a_match() {
        assert_eq!(overlap(1.0, 1).score(), 0.0);
    }

    #[test]
    fn full_overlap_scores_high_partial_lower() {
        assert!(overlap(1.0, 5).score() > 0.95);
        assert!(overlap(0.3, 2).score() < DEFAULT_THRESHOLD);
        let unanchored = Overlap {
            anchored: false,
            ..overlap(0.5, 3)
        };
        assert!(unanchored.score() < overlap(0.5, 3).score());
    }

    proptest! {
        #[test]
        fn scores_stay_in_unit_interval(e in -10f32..10.0, p in -10f32..10.0, n in -10f32..10.0, m in 0usize..50, a: bool) {
            let o = Overlap { entry_coverage: e, post_coverage: p, narrative_coverage: n, matched_terms: m, anchored: a };
            prop_assert!((0.0..=1.0).contains(&o.score()));
        }

        #[test]
        fn scores_are_monotonic_in_coverage(a in 0.0f32..1.0, b in 0.0f32..1.0, m in 2usize..10) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(overlap(lo, m).score() <= overlap(hi, m).score());
        }
    }
}

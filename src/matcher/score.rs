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
//! The score is a logistic function of a weighted sum of the two: an estimate of the probability
//! that the post expresses or discusses the narrative. Its two parameters were fitted by logistic
//! regression on the tuning posts (`tests/fixtures/tuning_posts.jsonl`, see `docs/quality.md`),
//! never on the test set, so a score of 0.8 means "about 8 in 10 posts scoring this are about the
//! narrative" on data like those.

/// Weight of a post word the knowledge base does not contain.
pub const UNKNOWN_TERM_WEIGHT: f32 = 1.5;
/// Default threshold: report a narrative when the score is at least this.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Share of the combined overlap that comes from covering the entry.
const ENTRY_SHARE: f32 = 0.6;
/// Logistic slope and intercept.
const SLOPE: f32 = 14.0;
const INTERCEPT: f32 = -6.0;

/// The overlap features of a post against one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overlap {
    pub entry_coverage: f32,
    pub post_coverage: f32,
    pub matched_terms: usize,
}

impl Overlap {
    pub fn new(
        matched_weight: f32,
        entry_weight: f32,
        post_weight: f32,
        matched_terms: usize,
    ) -> Self {
        let ratio = |a: f32, b: f32| {
            if b > 0.0 {
                (a / b).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        Self {
            entry_coverage: ratio(matched_weight, entry_weight),
            post_coverage: ratio(matched_weight, post_weight),
            matched_terms,
        }
    }

    /// The combined overlap in [0, 1]; zero when a single word is all that matches, since one
    /// shared word ("ballots") says nothing about which claim a post makes.
    pub fn combined(&self) -> f32 {
        if self.matched_terms < 2 {
            return 0.0;
        }
        ENTRY_SHARE * self.entry_coverage + (1.0 - ENTRY_SHARE) * self.post_coverage
    }
}

/// The calibrated score in [0, 1] for a combined overlap.
pub fn calibrate(combined: f32) -> f32 {
    let z = SLOPE * combined + INTERCEPT;
    let p = 1.0 / (1.0 + (-z).exp());
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_shared_word_is_not_a_match() {
        let o = Overlap::new(2.0, 2.0, 2.0, 1);
        assert_eq!(o.combined(), 0.0);
        assert!(calibrate(o.combined()) < 0.01);
    }

    #[test]
    fn full_overlap_scores_high_partial_lower() {
        let full = Overlap::new(6.0, 6.0, 6.0, 4).combined();
        let half = Overlap::new(3.0, 6.0, 12.0, 2).combined();
        assert!(calibrate(full) > 0.95);
        assert!(calibrate(half) < DEFAULT_THRESHOLD);
    }

    proptest! {
        #[test]
        fn scores_stay_in_unit_interval(m in -1e6f32..1e6, e in -1e6f32..1e6, p in -1e6f32..1e6, n in 0usize..50) {
            let s = calibrate(Overlap::new(m, e, p, n).combined());
            prop_assert!((0.0..=1.0).contains(&s));
        }

        #[test]
        fn scores_are_monotonic_in_overlap(a in 0.0f32..1.0, b in 0.0f32..1.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(calibrate(lo) <= calibrate(hi));
        }
    }
}

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

pub const FEATURES: usize = 11;
/// Matched terms beyond this add nothing.
const MATCHED_TERMS_CAP: usize = 5;

/// A logistic regression over [`Overlap::features`]: weights in feature order and an intercept,
/// fitted with `scripts/fit_score.py` (see docs/quality.md). Every weight is positive, so more
/// overlap never lowers a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreModel {
    weights: [f32; FEATURES],
    intercept: f32,
    /// Fewer shared terms than this score 0.
    min_matched_terms: usize,
    /// For a lexical model in hybrid mode: posts whose best score under it is below this are
    /// not embedded (the gate, see `pipeline`). Measured in docs/quality.md.
    gate: f32,
}

/// For curated knowledge bases (narratives with variants and rebuttals, like the shipped one):
/// is the post about this narrative? Fitted on `tests/fixtures/tuning_posts.jsonl` (up to four
/// candidates per post sharing two or more terms). One shared word ("ballots") says nothing
/// about which claim a post makes, so it scores 0.
pub const CURATED: ScoreModel = ScoreModel {
    weights: [
        3.735, 1.292, 1.653, 1.548, 3.717, 4.968, 1.610, 0.0, 0.0, 0.0, 0.0,
    ],
    intercept: -11.079,
    min_matched_terms: 2,
    // The highest gate that changes no labelled or tuning post (0.5 loses a tuning post).
    gate: 0.4,
};

/// For flat fact-check collections (one claim a narrative, no variants): is this the claim the
/// post makes? Fitted on the CheckThat! 2020 train split (the top 20 candidates of each tweet);
/// there BM25 and phrasing carry the signal, and coverage of a one-claim narrative adds little.
pub const COLLECTION: ScoreModel = ScoreModel {
    weights: [0.0, 2.562, 0.0, 0.0, 0.0, 5.933, 1.429, 0.0, 0.0, 0.0, 0.0],
    intercept: -7.454,
    min_matched_terms: 1,
    gate: 0.2,
};

/// [`CURATED`] in hybrid mode: the same features plus the dense similarity, fitted on the same
/// tuning posts. The similarity adds little there (the tuning posts vary the wording of the
/// knowledge base's own claims, which overlap already catches); its share of the post's best
/// similarity is left out, as its fitted weight came out negative.
pub const CURATED_HYBRID: ScoreModel = ScoreModel {
    weights: [
        3.073, 0.993, 1.346, 0.914, 2.632, 3.397, 1.501, 0.194, 0.0, 0.0, 0.0,
    ],
    intercept: -7.950,
    min_matched_terms: 0,
    gate: 0.0,
};

/// [`COLLECTION`] in hybrid mode, fitted on the CheckThat! 2020 train split (the union of the
/// 20 best BM25 and the 20 most similar entries of each tweet): dense similarity and its share
/// of the tweet's best carry as much as BM25, and the squares of that share and of the
/// similarity sharpen the gap between the nearest claim and the next ones. Chosen by train
/// MAP@5 among the variants `scripts/sweep_collection_features.py --hybrid` fits (docs/quality.md).
/// Candidates need share no term with the post.
pub const COLLECTION_HYBRID: ScoreModel = ScoreModel {
    weights: [
        0.0, 1.079, 0.0, 0.0, 0.0, 3.821, 0.0, 1.194, 1.829, 3.035, 1.266,
    ],
    intercept: -9.791,
    min_matched_terms: 0,
    gate: 0.0,
};

/// For narratives that declare their concepts (the shipped knowledge base), scoring only the
/// candidates whose concepts the post all mentions, or that a probe vouched for: is a post that
/// names the narrative's subject and idea actually making or discussing it? Fitted on the
/// candidates of fitting posts that the probes making them had not been fitted on: what the
/// stop-26 build (`d3e76cd`) made of `tuning_wide6`, `tuning_wide7` and `tuning_es4`, and the
/// stop-27 build (`a637117`) of `tuning_wide8` and `tuning_es5` (887 candidates, 813 right).
/// A probe's own fitting posts would teach it that a vouched-for candidate is nearly always
/// right. Matched terms and bigram share came out negative and are left out (docs/quality.md).
/// A candidate that shares no word with its narrative's texts leaves it nothing to read but its
/// intercept (0.39): such a candidate takes the word probe's probability instead when that is
/// higher and reaches the probe's first floor (`Matcher::rank`, stop 44).
pub const CONCEPT: ScoreModel = ScoreModel {
    weights: [
        1.142, 0.741, 0.995, 0.250, 0.0, 2.169, 0.0, 0.0, 0.0, 0.0, 0.0,
    ],
    intercept: -0.444,
    min_matched_terms: 0,
    gate: 0.0,
};

/// [`CONCEPT`] in hybrid mode, with the dense similarity, fitted on the same builds' hybrid
/// candidates of the same sets (1,083, 999 right).
pub const CONCEPT_HYBRID: ScoreModel = ScoreModel {
    weights: [
        0.570, 0.710, 0.942, 0.079, 0.0, 1.546, 0.0, 1.066, 0.0, 0.0, 0.0,
    ],
    intercept: 0.277,
    min_matched_terms: 0,
    gate: 0.0,
};

impl ScoreModel {
    /// Candidates sharing fewer terms with the post score 0.
    pub fn min_matched_terms(&self) -> usize {
        self.min_matched_terms
    }

    /// The least best score that sends a post to the model (see the field).
    pub fn gate(&self) -> f32 {
        self.gate
    }

    /// The calibrated score in [0, 1].
    pub fn score(&self, overlap: &Overlap) -> f32 {
        if overlap.matched_terms < self.min_matched_terms {
            return 0.0;
        }
        let z: f32 = self.intercept
            + overlap
                .features()
                .iter()
                .zip(self.weights)
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
    /// The entry's BM25 score as a share of the best BM25 score any entry got for this post.
    pub bm25_share: f32,
    /// The share of the post's adjacent term pairs the entry also has.
    pub bigram_share: f32,
    /// Cosine similarity of the post's and the entry's embeddings (0 in lexical mode).
    pub dense: f32,
    /// `dense` as a share of the best similarity among the post's candidates.
    pub dense_share: f32,
}

impl Overlap {
    /// The model's inputs, each in [0, 1].
    pub fn features(&self) -> [f32; FEATURES] {
        [
            self.entry_coverage,
            self.post_coverage,
            self.narrative_coverage,
            if self.anchored { 1.0 } else { 0.0 },
            self.matched_terms.min(MATCHED_TERMS_CAP) as f32 / MATCHED_TERMS_CAP as f32,
            self.bm25_share,
            self.bigram_share,
            self.dense,
            self.dense_share,
            self.dense_share * self.dense_share,
            self.dense * self.dense,
        ]
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
            bm25_share: coverage,
            bigram_share: coverage,
            dense: coverage,
            dense_share: coverage,
        }
    }

    #[test]
    fn no_weight_is_negative() {
        // The matcher's ceiling relies on it: a similarity of 1 then bounds every hybrid score.
        for model in [
            CURATED,
            COLLECTION,
            CURATED_HYBRID,
            COLLECTION_HYBRID,
            CONCEPT,
            CONCEPT_HYBRID,
        ] {
            assert!(model.weights.iter().all(|&w| w >= 0.0), "{model:?}");
        }
    }

    #[test]
    fn concept_models_ask_for_no_shared_terms() {
        // The matcher relies on it: a post's mentioned concepts stand in for shared terms.
        assert_eq!(CONCEPT.min_matched_terms(), 0);
        assert_eq!(CONCEPT_HYBRID.min_matched_terms(), 0);
    }

    #[test]
    fn every_lexical_gate_is_above_zero() {
        // The matcher's cheap path relies on it: a post scoring 0 lexically never needs the model.
        assert!(CURATED.gate() > 0.0 && COLLECTION.gate() > 0.0);
    }

    #[test]
    fn one_shared_word_is_not_a_match() {
        assert_eq!(CURATED.score(&overlap(1.0, 1)), 0.0);
    }

    #[test]
    fn full_overlap_scores_high_partial_lower() {
        // Well above the threshold; not near 1, as each model's ceiling is what its training
        // data supports (the collection hybrid model's is 0.87).
        for model in [CURATED, COLLECTION, CURATED_HYBRID, COLLECTION_HYBRID] {
            assert!(model.score(&overlap(1.0, 5)) > 0.85);
            assert!(model.score(&overlap(0.3, 2)) < DEFAULT_THRESHOLD);
        }
        let unanchored = Overlap {
            anchored: false,
            ..overlap(0.5, 3)
        };
        assert!(CURATED.score(&unanchored) < CURATED.score(&overlap(0.5, 3)));
    }

    proptest! {
        #[test]
        fn scores_stay_in_unit_interval(e in -10f32..10.0, p in -10f32..10.0, n in -10f32..10.0, m in 0usize..50, a: bool) {
            let o = Overlap { entry_coverage: e, post_coverage: p, narrative_coverage: n, matched_terms: m, anchored: a, bm25_share: e, bigram_share: p, dense: n, dense_share: e };
            for model in [CURATED, COLLECTION, CURATED_HYBRID, COLLECTION_HYBRID] {
                prop_assert!((0.0..=1.0).contains(&model.score(&o)));
            }
        }

        #[test]
        fn scores_are_monotonic_in_coverage(a in 0.0f32..1.0, b in 0.0f32..1.0, m in 2usize..10) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(CURATED.score(&overlap(lo, m)) <= CURATED.score(&overlap(hi, m)));
            prop_assert!(COLLECTION.score(&overlap(lo, m)) <= COLLECTION.score(&overlap(hi, m)));
            prop_assert!(CURATED_HYBRID.score(&overlap(lo, m)) <= CURATED_HYBRID.score(&overlap(hi, m)));
            prop_assert!(COLLECTION_HYBRID.score(&overlap(lo, m)) <= COLLECTION_HYBRID.score(&overlap(hi, m)));
        }
    }
}

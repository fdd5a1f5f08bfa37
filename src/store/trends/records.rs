//! A matched post as the trend store records it: one [`MatchRecord`] per narrative it matched.
//! Shared by the gRPC service and `score --record`, so both record the same fields.

use super::{MatchRecord, record_time};
use crate::matcher::{MatchOutcome, Post};

impl MatchRecord {
    /// The records of one answered post; `now` (unix seconds) stands for a `created_at` that
    /// is missing or not RFC 3339. The text only if `record_text`.
    pub fn of(post: &Post, outcome: &MatchOutcome, record_text: bool, now: i64) -> Vec<Self> {
        let at = record_time(&post.created_at, now);
        (outcome.matches.iter())
            .map(|m| MatchRecord {
                at,
                narrative_id: m.narrative_id.clone(),
                stance: m.stance.as_str().to_owned(),
                score: m.score,
                post_id: outcome.post_id.clone(),
                platform: post.platform.clone(),
                matched_words: m.evidence.matched_words.clone(),
                text: record_text.then(|| post.text.clone()),
            })
            .collect()
    }
}

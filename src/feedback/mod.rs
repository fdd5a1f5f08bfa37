//! Moderators' feedback on answers: the record of one verdict, its bounds, and the report that
//! turns many of them into per-narrative precision and the threshold each narrative would need.
//!
//! Transport-free: the admin gRPC handler builds a [`Feedback`] from a request, `store::feedback`
//! keeps it in the data directory, and `counterclaim feedback report` reads them back into a
//! [`Report`].

mod report;

use serde::{Deserialize, Serialize};

use crate::{Error, limits};

pub use report::{NarrativeFeedback, Report, ThresholdSource};

/// A moderator's verdict on one narrative for one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The narrative was matched and the post does express or discuss it.
    Correct,
    /// The narrative was matched and the post is not about it (a false alarm).
    Wrong,
    /// The post is about the narrative and it was not matched.
    Missed,
}

/// One feedback record, as stored (one JSON line each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// When it was recorded, RFC 3339 in UTC; set by the store.
    #[serde(default)]
    pub recorded_at: String,
    pub post_id: String,
    pub narrative_id: String,
    pub verdict: Verdict,
    #[serde(default)]
    pub note: String,
    /// The score the answer gave the narrative, when it had one (not for a missed narrative
    /// that scored nothing).
    #[serde(default)]
    pub score: Option<f32>,
    /// The knowledge-base version the answer came from.
    #[serde(default)]
    pub kb_version: String,
    /// The name of the API key that sent it ("" when the server runs without keys).
    #[serde(default)]
    pub key_name: String,
}

impl Feedback {
    /// Checks the bounds of every field a client sends; errors name the request's field.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, value) in [
            ("post_id", &self.post_id),
            ("narrative_id", &self.narrative_id),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid(field, "empty"));
            }
        }
        for (field, value) in [
            ("post_id", &self.post_id),
            ("narrative_id", &self.narrative_id),
            ("kb_version", &self.kb_version),
        ] {
            if value.len() > limits::MAX_ID_BYTES {
                return Err(Error::invalid(
                    field,
                    format!("longer than {} bytes", limits::MAX_ID_BYTES),
                ));
            }
        }
        if self.note.len() > limits::MAX_FEEDBACK_NOTE_BYTES {
            return Err(Error::invalid(
                "note",
                format!("longer than {} bytes", limits::MAX_FEEDBACK_NOTE_BYTES),
            ));
        }
        // NaN fails this too: a score the report could not place.
        if self.score.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
            return Err(Error::invalid("score", "must be within [0, 1]"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn feedback(narrative: &str, verdict: Verdict, score: Option<f32>) -> Feedback {
        Feedback {
            recorded_at: String::new(),
            post_id: "post-1".into(),
            narrative_id: narrative.into(),
            verdict,
            note: String::new(),
            score,
            kb_version: String::new(),
            key_name: String::new(),
        }
    }

    fn field_of(f: &Feedback) -> String {
        match f.validate().unwrap_err() {
            Error::InvalidArgument { field, .. } => field,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn bounds_are_checked_naming_the_field() {
        let ok = feedback("n", Verdict::Correct, Some(0.7));
        ok.validate().unwrap();
        let long_id = "x".repeat(limits::MAX_ID_BYTES + 1);
        let cases = [
            (
                "post_id",
                Feedback {
                    post_id: " ".into(),
                    ..ok.clone()
                },
            ),
            (
                "narrative_id",
                Feedback {
                    narrative_id: long_id.clone(),
                    ..ok.clone()
                },
            ),
            (
                "kb_version",
                Feedback {
                    kb_version: long_id,
                    ..ok.clone()
                },
            ),
            (
                "note",
                Feedback {
                    note: "n".repeat(limits::MAX_FEEDBACK_NOTE_BYTES + 1),
                    ..ok.clone()
                },
            ),
            (
                "score",
                Feedback {
                    score: Some(1.5),
                    ..ok.clone()
                },
            ),
            (
                "score",
                Feedback {
                    score: Some(f32::NAN),
                    ..ok.clone()
                },
            ),
        ];
        for (field, bad) in cases {
            assert_eq!(field_of(&bad), field);
        }
        let at_limit = Feedback {
            note: "n".repeat(limits::MAX_FEEDBACK_NOTE_BYTES),
            ..ok
        };
        at_limit.validate().unwrap();
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let f = feedback("n", Verdict::Missed, None);
        let line = serde_json::to_string(&f).unwrap();
        assert!(line.contains(r#""verdict":"missed""#), "{line}");
        assert_eq!(serde_json::from_str::<Feedback>(&line).unwrap(), f);
    }
}

//! One verdict per record: parsed and matched with the checks every transport shares (`score`
//! here, the NATS worker in `worker/`), so both judge a record alike.

use rayon::prelude::*;

use super::record::{Fields, RawRecord};
use super::run::MatchSink;
use crate::Error;
use crate::matcher::{MatchOptions, MatchOutcome, Matcher};

/// What became of one record in [`score_records`].
#[derive(Debug)]
pub enum RecordVerdict {
    Scored(MatchOutcome),
    /// Not a post, or one the matcher refuses (over-long text...): why.
    Bad(String),
    /// The matcher failed on a valid post: an internal fault, not the record's.
    Failed(Error),
}

/// Parses and matches records with the same checks and calls as `score`, in parallel on the
/// current rayon pool; one verdict per record, in order. The NATS worker scores its batches
/// with this, so both transports judge a record alike.
pub fn score_records(
    matcher: &Matcher,
    options: &MatchOptions,
    fields: &Fields,
    records: &[&RawRecord],
) -> Vec<RecordVerdict> {
    verdicts(matcher, options, fields, records, None)
}

pub(super) fn verdicts(
    matcher: &Matcher,
    options: &MatchOptions,
    fields: &Fields,
    records: &[&RawRecord],
    sink: Option<MatchSink>,
) -> Vec<RecordVerdict> {
    let parsed: Vec<_> = records.par_iter().map(|raw| raw.parse(fields)).collect();
    let mut verdicts: Vec<Option<RecordVerdict>> = Vec::with_capacity(records.len());
    let mut posts = Vec::new();
    let mut slots = Vec::new();
    for (slot, result) in parsed.into_iter().enumerate() {
        match result {
            Ok(post) => {
                posts.push(post);
                slots.push(slot);
                verdicts.push(None);
            }
            Err(message) => verdicts.push(Some(RecordVerdict::Bad(message))),
        }
    }
    let outcomes = matcher.match_posts(&posts, options);
    for ((slot, result), post) in slots.into_iter().zip(outcomes).zip(&posts) {
        verdicts[slot] = Some(match result {
            Ok(outcome) => {
                if let Some(sink) = sink {
                    sink(post, &outcome);
                }
                RecordVerdict::Scored(outcome)
            }
            Err(e @ Error::InvalidArgument { .. }) => RecordVerdict::Bad(e.to_string()),
            Err(e) => RecordVerdict::Failed(e),
        });
    }
    verdicts.into_iter().flatten().collect()
}

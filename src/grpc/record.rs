//! Recording answers in the trend store. Read off the matcher's outcome beside the counters,
//! so the matcher knows nothing of it; the records are taken before the outcome becomes the
//! wire answer and handed over once it is built. Handing over never blocks nor fails.

use crate::matcher::{MatchOutcome, Post};
use crate::store::trends::{MatchRecord, TrendRecorder, unix_now};

/// The records of one answer, taken from the outcome, waiting for the answer to be built.
pub(super) struct Pending<'a> {
    trends: Option<&'a TrendRecorder>,
    records: Vec<MatchRecord>,
}

impl<'a> Pending<'a> {
    pub(super) fn new(
        trends: Option<&'a TrendRecorder>,
        post: &Post,
        outcome: &MatchOutcome,
    ) -> Self {
        let records = match trends {
            Some(trends) if !outcome.matches.is_empty() => {
                MatchRecord::of(post, outcome, trends.record_text(), unix_now())
            }
            _ => Vec::new(),
        };
        Self { trends, records }
    }

    /// Hands the records to the store's writer (after the answer was built).
    pub(super) fn record(self) {
        if let Some(trends) = self.trends {
            trends.record(self.records);
        }
    }
}

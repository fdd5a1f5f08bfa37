//! The counts of a batch run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::matcher::MatchOutcome;

/// Narratives listed in the text summary.
const SHOWN_NARRATIVES: usize = 20;

/// What a run did. `posts_read == written() + skipped`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Every record read, good or bad (blank JSONL lines are not records).
    pub posts_read: u64,
    /// Posts written with at least one match.
    pub matched: u64,
    /// Bad records: not scored, not written to the output.
    pub skipped: u64,
    /// Posts matching each narrative (within each post's top-k), by narrative id.
    pub matches_per_narrative: BTreeMap<String, u64>,
    pub seconds: f64,
    pub posts_per_second: f64,
}

impl Summary {
    /// Posts written to the output, with or without matches.
    pub fn written(&self) -> u64 {
        self.posts_read - self.skipped
    }

    /// A few lines for a person on stderr: the counts, then the narratives, most matched first.
    /// The human summary for stderr; the most matched narratives only (a fact-check collection
    /// has thousands).
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{} posts read in {:.1} s ({:.0} posts/s): {} written, {} with a match, {} skipped\n",
            self.posts_read,
            self.seconds,
            self.posts_per_second,
            self.written(),
            self.matched,
            self.skipped,
        );
        let mut narratives: Vec<(&String, &u64)> = self.matches_per_narrative.iter().collect();
        narratives.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        if !narratives.is_empty() {
            text.push_str("matches per narrative:\n");
        }
        let width = narratives.first().map_or(0, |(_, n)| n.to_string().len());
        for (id, n) in narratives.iter().take(SHOWN_NARRATIVES) {
            let _ = writeln!(text, "  {n:>width$}  {id}");
        }
        if narratives.len() > SHOWN_NARRATIVES {
            let rest = narratives.len() - SHOWN_NARRATIVES;
            let _ = writeln!(
                text,
                "  … and {rest} more narratives (all of them in --summary)"
            );
        }
        text
    }
}

/// The running counts of a run.
#[derive(Debug, Default)]
pub(super) struct Tally {
    summary: Summary,
}

impl Tally {
    pub fn written(&mut self, outcome: &MatchOutcome) {
        let s = &mut self.summary;
        s.posts_read += 1;
        if !outcome.matches.is_empty() {
            s.matched += 1;
        }
        for m in &outcome.matches {
            match s.matches_per_narrative.get_mut(&m.narrative_id) {
                Some(n) => *n += 1,
                None => {
                    s.matches_per_narrative.insert(m.narrative_id.clone(), 1);
                }
            }
        }
    }

    pub fn skipped(&mut self) {
        self.summary.posts_read += 1;
        self.summary.skipped += 1;
    }

    pub fn posts_read(&self) -> u64 {
        self.summary.posts_read
    }

    pub fn skipped_count(&self) -> u64 {
        self.summary.skipped
    }

    pub fn finish(mut self, elapsed: Duration) -> Summary {
        let seconds = elapsed.as_secs_f64();
        self.summary.seconds = seconds;
        self.summary.posts_per_second = if seconds > 0.0 {
            self.summary.posts_read as f64 / seconds
        } else {
            0.0
        };
        self.summary
    }
}

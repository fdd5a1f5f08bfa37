//! Per-narrative precision from moderators' feedback, and the threshold each narrative would
//! need for a target precision: what `counterclaim feedback report` prints.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Feedback, Verdict};
use crate::kb::KnowledgeBase;
use crate::matcher::DEFAULT_THRESHOLD;

/// Where a narrative's current threshold comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdSource {
    /// Its own `threshold` in the knowledge base.
    Own,
    /// The service's default.
    Default,
    /// The narrative is not in the knowledge base the report was given (removed since).
    NotInKnowledgeBase,
}

/// What the feedback says about one narrative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrativeFeedback {
    pub narrative_id: String,
    pub correct: usize,
    pub wrong: usize,
    pub missed: usize,
    /// correct / (correct + wrong): of the answers naming it, the share that were right. `None`
    /// without any.
    pub precision: Option<f64>,
    /// missed / (correct + missed): of the posts about it that moderators saw, the share it was
    /// not matched on. `None` without any.
    pub missed_share: Option<f64>,
    /// The threshold it is reported from now, and where that comes from.
    pub current_threshold: f32,
    pub threshold_source: ThresholdSource,
    /// The lowest threshold at which the scored correct and wrong records at or above it reach
    /// the target precision; `None` when no threshold does (or no record has a score).
    pub threshold_for_target: Option<f32>,
}

/// The report over every narrative that has feedback, in natural id order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub target_precision: f64,
    pub records: usize,
    pub narratives: Vec<NarrativeFeedback>,
}

impl Report {
    /// Builds the report; `kb` gives each narrative's current threshold.
    pub fn build(records: &[Feedback], kb: &KnowledgeBase, target_precision: f64) -> Self {
        let mut by_narrative: BTreeMap<&str, Vec<&Feedback>> = BTreeMap::new();
        for record in records {
            by_narrative
                .entry(record.narrative_id.as_str())
                .or_default()
                .push(record);
        }
        let mut narratives: Vec<NarrativeFeedback> = by_narrative
            .into_iter()
            .map(|(id, records)| narrative(id, &records, kb, target_precision))
            .collect();
        // As the knowledge base lists them: `claim-2` before `claim-10`.
        narratives.sort_by(|a, b| {
            alphanumeric_sort::compare_str(&a.narrative_id, &b.narrative_id)
                .then_with(|| a.narrative_id.cmp(&b.narrative_id))
        });
        Self {
            target_precision,
            records: records.len(),
            narratives,
        }
    }
}

fn narrative(
    id: &str,
    records: &[&Feedback],
    kb: &KnowledgeBase,
    target: f64,
) -> NarrativeFeedback {
    let count = |verdict| records.iter().filter(|r| r.verdict == verdict).count();
    let (correct, wrong, missed) = (
        count(Verdict::Correct),
        count(Verdict::Wrong),
        count(Verdict::Missed),
    );
    let (current_threshold, threshold_source) = match kb.narrative(id) {
        Some(n) => match n.threshold {
            Some(t) => (t, ThresholdSource::Own),
            None => (DEFAULT_THRESHOLD, ThresholdSource::Default),
        },
        None => (DEFAULT_THRESHOLD, ThresholdSource::NotInKnowledgeBase),
    };
    let scored: Vec<(f32, bool)> = records
        .iter()
        .filter(|r| r.verdict != Verdict::Missed)
        .filter_map(|r| Some((r.score?, r.verdict == Verdict::Correct)))
        .collect();
    NarrativeFeedback {
        narrative_id: id.to_owned(),
        correct,
        wrong,
        missed,
        precision: share(correct, correct + wrong),
        missed_share: share(missed, correct + missed),
        current_threshold,
        threshold_source,
        threshold_for_target: threshold_for(scored, target),
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The lowest score `t` such that, of the records scoring `t` or more, at least `target` are
/// correct. Precision only changes at a record's score, so the candidates are the scores
/// themselves; walking them from the highest down keeps the running counts of the records at or
/// above each one.
fn threshold_for(mut scored: Vec<(f32, bool)>, target: f64) -> Option<f32> {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut correct, mut seen) = (0usize, 0usize);
    let mut lowest = None;
    let mut i = 0;
    while i < scored.len() {
        let score = scored[i].0;
        // Records with equal scores stand or fall together.
        while i < scored.len() && scored[i].0 == score {
            correct += usize::from(scored[i].1);
            seen += 1;
            i += 1;
        }
        if correct as f64 / seen as f64 >= target {
            lowest = Some(score);
        }
    }
    lowest
}

#[cfg(test)]
mod tests {
    use super::super::tests::feedback;
    use super::*;

    fn kb() -> KnowledgeBase {
        KnowledgeBase::built_in().unwrap()
    }

    #[test]
    fn counts_precision_and_the_threshold_that_reaches_the_target() {
        let id = "mail-voting-widespread-fraud";
        let records = [
            feedback(id, Verdict::Correct, Some(0.9)),
            feedback(id, Verdict::Correct, Some(0.8)),
            feedback(id, Verdict::Wrong, Some(0.6)),
            feedback(id, Verdict::Correct, Some(0.55)),
            feedback(id, Verdict::Wrong, None),
            feedback(id, Verdict::Missed, None),
        ];
        let report = Report::build(&records, &kb(), 0.95);
        assert_eq!(report.records, 6);
        let n = &report.narratives[0];
        assert_eq!((n.correct, n.wrong, n.missed), (3, 2, 1));
        assert_eq!(n.precision, Some(0.6));
        assert_eq!(n.missed_share, Some(0.25));
        assert_eq!(n.threshold_for_target, Some(0.8));
        assert_eq!(n.threshold_source, ThresholdSource::Default);
        assert_eq!(n.current_threshold, DEFAULT_THRESHOLD);
        // At 0.75 the record at 0.55 brings 3 of 4 back: the lowest score reaching it.
        let lenient = Report::build(&records, &kb(), 0.75);
        assert_eq!(lenient.narratives[0].threshold_for_target, Some(0.55));
    }

    #[test]
    fn none_reaches_the_target_without_correct_scored_records() {
        let records = [
            feedback("b", Verdict::Wrong, Some(0.9)),
            feedback("b", Verdict::Missed, None),
            feedback("a-10", Verdict::Correct, None),
            feedback("a-2", Verdict::Missed, None),
        ];
        let report = Report::build(&records, &kb(), 0.95);
        let ids: Vec<&str> = report
            .narratives
            .iter()
            .map(|n| n.narrative_id.as_str())
            .collect();
        assert_eq!(ids, ["a-2", "a-10", "b"]);
        let b = &report.narratives[2];
        assert_eq!(b.threshold_for_target, None);
        assert_eq!(b.precision, Some(0.0));
        assert_eq!(b.threshold_source, ThresholdSource::NotInKnowledgeBase);
        assert_eq!(report.narratives[1].threshold_for_target, None, "no score");
        assert_eq!(report.narratives[0].precision, None, "only missed");
    }

    #[test]
    fn equal_scores_count_together() {
        let scored = vec![(0.7, true), (0.7, false), (0.9, true)];
        assert_eq!(threshold_for(scored.clone(), 0.95), Some(0.9));
        assert_eq!(threshold_for(scored, 0.6), Some(0.7));
    }
}

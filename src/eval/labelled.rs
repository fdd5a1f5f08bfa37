//! Precision, recall and stance accuracy of the matcher on labelled posts.
//!
//! A labelled post is a JSONL line `{"id", "text", "narrative": id|null, "stance": …|null,
//! "form": …}`. The prediction for a post is its best narrative at or above the threshold, or
//! none. A prediction equal to the label is a true positive; any other prediction is a false
//! positive; a labelled post not predicted correctly is a false negative. Stance accuracy is
//! measured on the true positives.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{FeatureRow, ratio};
use crate::matcher::{MatchOptions, Matcher, Post};

#[derive(Debug, Clone, Deserialize)]
pub struct LabelledPost {
    pub id: String,
    pub text: String,
    pub narrative: Option<String>,
    pub stance: Option<String>,
    #[serde(default)]
    pub form: String,
}

/// Counts for one slice of the posts (all of them, or one form).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    pub posts: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub stance_correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    pub fn stance_accuracy(&self) -> f64 {
        ratio(self.stance_correct, self.true_positives)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub overall: Counts,
    pub by_form: BTreeMap<String, Counts>,
    /// Posts the matcher got wrong: (id, label, prediction).
    pub errors: Vec<(String, String, String)>,
}

impl Report {
    /// The overall figures, one line per form, and every miss.
    pub fn to_text(&self) -> String {
        let o = &self.overall;
        let mut out = format!(
            "posts={}  precision={:.4}  recall={:.4}  stance_accuracy={:.4}  (tp={} fp={} fn={})\n",
            o.posts,
            o.precision(),
            o.recall(),
            o.stance_accuracy(),
            o.true_positives,
            o.false_positives,
            o.false_negatives
        );
        for (form, c) in &self.by_form {
            out += &format!(
                "  {form:<15} n={:<3} tp={:<3} fp={:<3} fn={:<3} stance {}/{}\n",
                c.posts,
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.stance_correct,
                c.true_positives
            );
        }
        for (id, label, predicted) in &self.errors {
            out += &format!("  {id}: labelled {label}, predicted {predicted}\n");
        }
        out
    }
}

/// Reads labelled posts; errors name the file and line.
pub fn read_posts(path: &Path) -> Result<Vec<LabelledPost>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut posts = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        posts.push(
            serde_json::from_str(&line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?,
        );
    }
    Ok(posts)
}

pub fn evaluate(matcher: &Matcher, posts: &[LabelledPost], options: &MatchOptions) -> Report {
    let mut report = Report::default();
    for post in posts {
        let outcome = matcher.match_post(&Post::new(post.id.clone(), post.text.clone()), options);
        let best = outcome.ok().and_then(|o| o.matches.into_iter().next());
        let predicted = best.as_ref().map(|m| m.narrative_id.as_str());
        let mut counts = Counts {
            posts: 1,
            ..Counts::default()
        };
        match (post.narrative.as_deref(), predicted) {
            (Some(label), Some(p)) if label == p => {
                counts.true_positives = 1;
                let stance = best.as_ref().map(|m| m.stance.as_str());
                counts.stance_correct = usize::from(stance == post.stance.as_deref());
            }
            (label, predicted) => {
                counts.false_positives = usize::from(predicted.is_some());
                counts.false_negatives = usize::from(label.is_some());
            }
        }
        if counts.true_positives == 0 && (counts.false_positives + counts.false_negatives) > 0
            || counts.true_positives == 1 && counts.stance_correct == 0
        {
            let describe = |n: Option<&str>, s: Option<&str>| {
                format!("{}/{}", n.unwrap_or("-"), s.unwrap_or("-"))
            };
            report.errors.push((
                post.id.clone(),
                describe(post.narrative.as_deref(), post.stance.as_deref()),
                describe(predicted, best.as_ref().map(|m| m.stance.as_str())),
            ));
        }
        add(&mut report.overall, counts);
        add(report.by_form.entry(post.form.clone()).or_default(), counts);
    }
    report
}

/// Up to four candidates of every post with their features, labelled by the post's narrative.
pub fn feature_rows(matcher: &Matcher, posts: &[LabelledPost]) -> Vec<FeatureRow> {
    let options = MatchOptions {
        max_matches: 4,
        min_score: Some(0.0),
        include_statements: false,
    };
    let mut rows = Vec::new();
    for post in posts {
        let Ok(outcome) =
            matcher.match_post(&Post::new(post.id.clone(), post.text.clone()), &options)
        else {
            continue;
        };
        for m in &outcome.matches {
            rows.push(FeatureRow::new(
                &post.id,
                m,
                post.narrative.as_deref() == Some(&m.narrative_id),
            ));
        }
    }
    rows
}

fn add(total: &mut Counts, c: Counts) {
    total.posts += c.posts;
    total.true_positives += c.true_positives;
    total.false_positives += c.false_positives;
    total.false_negatives += c.false_negatives;
    total.stance_correct += c.stance_correct;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_follow_their_definitions() {
        let c = Counts {
            posts: 10,
            true_positives: 6,
            false_positives: 2,
            false_negatives: 3,
            stance_correct: 3,
        };
        assert_eq!(c.precision(), 0.75);
        assert_eq!(c.recall(), 6.0 / 9.0);
        assert_eq!(c.stance_accuracy(), 0.5);
        assert_eq!(Counts::default().precision(), 1.0);
    }
}

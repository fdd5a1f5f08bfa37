//! How the matcher behaves on a real stream: most posts match nothing, a few are labelled.
//!
//! A stream is any input `counterclaim score` reads (JSONL, CSV, TSV, compressed or not). Labels
//! are sparse, a JSONL line per labelled post `{"id", "narrative", "stance"?, "also"?}`: every
//! post not labelled should match nothing. `also` lists other narratives the post may also be
//! said to express, which are then not alarms. The report gives the alarms per 10,000 posts, the
//! precision and recall at the threshold, the reliability of the top score per band, and every
//! alarm and every miss with its evidence, so a person sees at once why each fired.
//!
//! Each post is matched with no minimum score (the best candidate, whatever it scored): an
//! alarm is a best candidate at or above the threshold, exactly as the service would answer,
//! and the scores below the threshold fill the reliability table.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;

use super::{FeatureRow, ratio};
use crate::batch::{self, Fields, InputFormat};
use crate::matcher::{ConceptEvidence, MatchOptions, Matcher, NarrativeMatch, Post, concepts_line};

/// Posts matched together (one `match_posts` call).
const CHUNK: usize = 4096;

/// Score bands of the reliability table: [0, 0.1), …, [0.9, 1].
const BANDS: usize = 10;

#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    #[serde(deserialize_with = "crate::kb::id_string")]
    pub id: String,
    pub narrative: String,
    #[serde(default)]
    pub stance: Option<String>,
    #[serde(default)]
    pub also: Vec<String>,
}

impl Label {
    fn accepts(&self, narrative: &str) -> bool {
        self.narrative == narrative || self.also.iter().any(|a| a == narrative)
    }
}

/// Reads sparse labels; errors name the file and line.
pub fn read_labels(path: &Path) -> Result<HashMap<String, Label>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut labels = HashMap::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let at = |e: &dyn std::fmt::Display| format!("{}:{}: {e}", path.display(), i + 1);
        let line = line.map_err(|e| at(&e))?;
        if line.trim().is_empty() {
            continue;
        }
        let label: Label = serde_json::from_str(&line).map_err(|e| at(&e))?;
        if labels.insert(label.id.clone(), label).is_some() {
            return Err(at(&"the id is labelled twice"));
        }
    }
    Ok(labels)
}

/// One post the report lists: an alarm or a miss.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub text: String,
    /// The label, if any.
    pub label: Option<String>,
    /// The best candidate, if any.
    pub best: Option<NarrativeMatch>,
    /// Why there is none (`MatchOutcome::no_match_reason`).
    pub reason: Option<&'static str>,
    /// For a miss, how the post names the labelled narrative's concepts.
    pub label_concepts: Vec<ConceptEvidence>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Band {
    pub posts: usize,
    pub correct: usize,
}

#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    pub posts: usize,
    pub labelled: usize,
    pub threshold: f32,
    /// Labelled posts whose narrative is among the answers at the threshold.
    pub found: usize,
    pub stance_correct: usize,
    /// Posts with an answer at the threshold, and those whose best answer is wrong.
    pub alarms: usize,
    pub false_alarms: Vec<Listed>,
    pub true_alarms: Vec<Listed>,
    pub misses: Vec<Listed>,
    /// Posts that could not be read or matched: where and why.
    pub skipped: Vec<String>,
    /// By the best candidate's score: how many posts, how many of them right.
    pub bands: [Band; BANDS],
    /// Labels whose id never appeared in the stream.
    pub unseen_labels: Vec<String>,
    /// Every candidate with its features and whether its narrative is the post's (for
    /// `scripts/fit_score.py`; at most four a post).
    pub rows: Vec<FeatureRow>,
}

/// Reads `stream` (its format from the name unless given) and scores every post.
pub fn evaluate(
    matcher: &Matcher,
    stream: &Path,
    format: Option<InputFormat>,
    fields: &Fields,
    labels: &HashMap<String, Label>,
    threshold: f32,
) -> Result<StreamReport, String> {
    let name = stream.display().to_string();
    let reader = batch::read_input(stream, format, fields).map_err(|e| e.to_string())?;
    let mut report = StreamReport {
        threshold,
        ..StreamReport::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut chunk: Vec<Post> = Vec::with_capacity(CHUNK);
    for record in reader {
        let record = record.map_err(|e| e.to_string())?;
        match record.parse(fields) {
            Ok(post) => chunk.push(post),
            Err(why) => report
                .skipped
                .push(format!("{name}:{}: {why}", record.line)),
        }
        if chunk.len() == CHUNK {
            score_chunk(matcher, &chunk, labels, &mut report, &mut seen);
            chunk.clear();
        }
    }
    score_chunk(matcher, &chunk, labels, &mut report, &mut seen);
    seen.sort_unstable();
    let mut unseen: Vec<String> = labels
        .keys()
        .filter(|id| seen.binary_search(&id.as_str()).is_err())
        .cloned()
        .collect();
    unseen.sort();
    report.unseen_labels = unseen;
    Ok(report)
}

fn score_chunk<'l>(
    matcher: &Matcher,
    posts: &[Post],
    labels: &'l HashMap<String, Label>,
    report: &mut StreamReport,
    seen: &mut Vec<&'l str>,
) {
    let options = MatchOptions {
        max_matches: crate::limits::MAX_MATCHES,
        min_score: Some(0.0),
        include_statements: false,
    };
    for (post, outcome) in posts.iter().zip(matcher.match_posts(posts, &options)) {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                report.skipped.push(format!("post {:?}: {error}", post.id));
                continue;
            }
        };
        report.posts += 1;
        let label = labels.get_key_value(&post.id);
        if let Some((id, _)) = label {
            seen.push(id);
        }
        let label = label.map(|(_, l)| l);
        let answers: Vec<&NarrativeMatch> = outcome
            .matches
            .iter()
            .filter(|m| m.score >= report.threshold)
            .collect();
        for m in outcome.matches.iter().take(4) {
            let relevant = label.is_some_and(|l| l.accepts(&m.narrative_id));
            report.rows.push(FeatureRow::new(&post.id, m, relevant));
        }
        let best = outcome.matches.first();
        if let Some(best) = best {
            let band = ((best.score * BANDS as f32) as usize).min(BANDS - 1);
            report.bands[band].posts += 1;
            report.bands[band].correct +=
                usize::from(label.is_some_and(|l| l.accepts(&best.narrative_id)));
        }
        let listed = || Listed {
            id: post.id.clone(),
            text: post.text.clone(),
            label: label.map(|l| l.narrative.clone()),
            best: best.cloned(),
            reason: outcome.no_match_reason,
            label_concepts: Vec::new(),
        };
        if let Some(label) = label {
            report.labelled += 1;
            match answers.iter().find(|m| m.narrative_id == label.narrative) {
                Some(found) => {
                    report.found += 1;
                    report.stance_correct += usize::from(
                        label
                            .stance
                            .as_deref()
                            .is_none_or(|s| s == found.stance.as_str()),
                    );
                }
                None => report.misses.push(Listed {
                    label_concepts: matcher.concepts_named(post, &label.narrative),
                    ..listed()
                }),
            }
        }
        if let Some(first) = answers.first() {
            report.alarms += 1;
            if label.is_some_and(|l| l.accepts(&first.narrative_id)) {
                report.true_alarms.push(listed());
            } else {
                report.false_alarms.push(listed());
            }
        }
    }
}

impl StreamReport {
    pub fn precision(&self) -> f64 {
        ratio(self.true_alarms.len(), self.alarms)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.found, self.labelled)
    }

    pub fn false_alarms_per_10k(&self) -> f64 {
        if self.posts == 0 {
            0.0
        } else {
            self.false_alarms.len() as f64 * 10_000.0 / self.posts as f64
        }
    }

    /// The figures, the reliability table, then every false alarm, miss and true alarm.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "posts={}  labelled={}  threshold={}\n\
             alarms={} ({:.2} per 10,000 posts)  false alarms={} ({:.2} per 10,000)\n\
             precision={:.4}  recall={:.4} ({}/{})  stance accuracy={:.4}  skipped={}\n",
            self.posts,
            self.labelled,
            self.threshold,
            self.alarms,
            ratio(self.alarms, self.posts) * 10_000.0,
            self.false_alarms.len(),
            self.false_alarms_per_10k(),
            self.precision(),
            self.recall(),
            self.found,
            self.labelled,
            ratio(self.stance_correct, self.found),
            self.skipped.len(),
        );
        out += "\nreliability of the best score (posts with any candidate):\n  band        posts  right  share\n";
        for (i, band) in self.bands.iter().enumerate().filter(|(_, b)| b.posts > 0) {
            out += &format!(
                "  [{:.1}, {:.1}{} {:>6} {:>6}  {:.3}\n",
                i as f32 / BANDS as f32,
                (i + 1) as f32 / BANDS as f32,
                if i + 1 == BANDS { "]" } else { ")" },
                band.posts,
                band.correct,
                ratio(band.correct, band.posts)
            );
        }
        let sections: [(&str, &Vec<Listed>); 3] = [
            ("false alarms", &self.false_alarms),
            ("misses", &self.misses),
            ("true alarms", &self.true_alarms),
        ];
        for (title, listed) in sections {
            out += &format!("\n{title} ({}):\n", listed.len());
            for item in listed {
                out += &describe(item);
            }
        }
        for line in &self.skipped {
            out += &format!("skipped: {line}\n");
        }
        if !self.unseen_labels.is_empty() {
            out += &format!(
                "labels whose id is not in the stream: {}\n",
                self.unseen_labels.join(", ")
            );
        }
        out
    }
}

/// A post, its label and its best candidate with the evidence, on a few lines.
fn describe(item: &Listed) -> String {
    let text: String = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = match text.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    };
    let mut out = format!(
        "- {} [label: {}] {text}\n",
        item.id,
        item.label.as_deref().unwrap_or("none")
    );
    match &item.best {
        None => {
            let reason = item
                .reason
                .unwrap_or(crate::matcher::REASON_BELOW_THRESHOLD);
            out += &format!("    no candidate: {reason}\n");
        }
        Some(m) => {
            out += &format!(
                "    best: {} {:.3} {} on {} {} (words: {}; dense {:.2})\n",
                m.narrative_id,
                m.score,
                m.stance.as_str(),
                m.evidence.kind,
                m.evidence.id,
                m.evidence.matched_words.join(", "),
                m.overlap.dense,
            );
            if !m.evidence.concepts.is_empty() {
                out += &format!("    concepts: {}\n", m.evidence.concepts_line());
            }
        }
    }
    if let (Some(label), false) = (&item.label, item.label_concepts.is_empty()) {
        let named = concepts_line(&item.label_concepts, "(no alias in the post)");
        out += &format!("    concepts of {label}: {named}\n");
    }
    out
}

//! Batch scoring on the shipped knowledge base, with inputs and outputs in temporary files.

mod bad_records;
mod formats;
mod pipeline;
mod reader;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;
use crate::matcher::Matcher;

/// The shipped knowledge base, indexed once for all tests.
fn matcher() -> &'static Matcher {
    crate::matcher::shipped_for_tests()
}

/// Posts that match a narrative and posts that do not, in turn.
const TEXTS: [&str; 6] = [
    "Russia and China will print counterfeit mail-in ballots to rig the election",
    "Anyone know a good dentist in Austin?",
    "80 million unsolicited ballots mailed out to anyone and everyone. Total chaos.",
    "My sourdough starter finally bubbled today",
    "Still counting?!? a WEEK later??? riiiiigged. stoooolen.",
    "https://t.co/abc someone@example.com 🎉🎉",
];

/// A post that matches `foreign-counterfeit-mail-ballots`.
const MATCHING: &str = TEXTS[0];

/// JSONL posts with ids `range` (numbers when `numeric`, strings otherwise).
fn jsonl_posts(range: std::ops::Range<usize>, numeric: bool) -> String {
    range
        .map(|i| {
            let id = if numeric {
                Value::from(i)
            } else {
                Value::from(i.to_string())
            };
            let post = serde_json::json!({"id": id, "text": TEXTS[i % TEXTS.len()], "lang": "en"});
            format!("{post}\n")
        })
        .collect()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

/// A config reading `inputs` and writing JSONL to `out`.
fn config(inputs: &[&Path], out: &Path) -> ScoreConfig {
    let mut config = ScoreConfig::new(inputs.iter().map(|p| p.to_path_buf()).collect());
    config.output = Some(out.to_owned());
    config.threads = Some(2);
    config
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Scores and checks the promise that nothing is dropped: every post read is written or skipped.
fn score_checked(config: &ScoreConfig) -> (Summary, Vec<Value>) {
    let summary = score(matcher(), config).unwrap();
    let out = config.output.as_deref().unwrap();
    let written = match config.output_format {
        OutputFormat::Jsonl => read_jsonl(out).len() as u64,
        OutputFormat::Csv => {
            let mut ids: Vec<String> = csv::Reader::from_path(out)
                .unwrap()
                .records()
                .map(|r| r.unwrap()[0].to_owned())
                .collect();
            ids.dedup();
            ids.len() as u64
        }
    };
    assert_eq!(summary.posts_read, written + summary.skipped, "{summary:?}");
    assert_eq!(summary.written(), written);
    let records = match config.output_format {
        OutputFormat::Jsonl => read_jsonl(out),
        OutputFormat::Csv => Vec::new(),
    };
    (summary, records)
}

//! `counterclaim feedback report` on a data directory the feedback log wrote.

use std::io::Write;

use counterclaim::feedback::{Feedback, Verdict};
use counterclaim::store::feedback::{FILE_NAME, FeedbackLog};

use super::{path, run, stderr, stdout};

fn record(narrative: &str, verdict: Verdict, score: Option<f32>) -> Feedback {
    Feedback {
        recorded_at: String::new(),
        post_id: "p".into(),
        narrative_id: narrative.into(),
        verdict,
        note: String::new(),
        score,
        kb_version: String::new(),
        key_name: String::new(),
    }
}

#[test]
fn feedback_report_prints_a_table_and_json_and_names_a_bad_line() {
    let data = tempfile::tempdir().unwrap();
    let log = FeedbackLog::open(data.path()).unwrap();
    let fraud = "mail-voting-widespread-fraud";
    for (verdict, score) in [
        (Verdict::Correct, Some(0.97)),
        (Verdict::Correct, Some(0.88)),
        (Verdict::Wrong, Some(0.61)),
        (Verdict::Missed, None),
    ] {
        log.append(record(fraud, verdict, score)).unwrap();
    }
    log.append(record(
        "delayed-count-means-rigged",
        Verdict::Wrong,
        Some(0.55),
    ))
    .unwrap();
    drop(log);
    let file = data.path().join(FILE_NAME);
    let mut torn = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    torn.write_all(b"{\"post_id\":\"cut sh").unwrap();

    let out = run(&["feedback", "report", "--data-dir", path(data.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("5 feedback records"), "{table}");
    let row = |id| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_owned()
    };
    let fraud_row = row(fraud);
    for cell in ["2", "1", "0.67", "0.33", "0.50 (default)", "0.88"] {
        assert!(fraud_row.contains(cell), "{cell}: {fraud_row}");
    }
    assert!(row("delayed-count").ends_with("none reaches it"), "{table}");
    assert!(
        stderr(&out).contains(&format!("{}:6: skipped", file.display())),
        "{}",
        stderr(&out)
    );

    let out = run(&[
        "feedback",
        "report",
        "--data-dir",
        path(data.path()),
        "--target-precision",
        "0.6",
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let narratives = report["narratives"].as_array().unwrap();
    assert_eq!(narratives[1]["narrative_id"], fraud);
    assert_eq!(narratives[1]["correct"], 2);
    assert!((narratives[1]["threshold_for_target"].as_f64().unwrap() - 0.61).abs() < 1e-6);
}

#[test]
fn feedback_report_without_feedback_names_the_file_and_the_flag() {
    let empty = tempfile::tempdir().unwrap();
    let out = run(&["feedback", "report", "--data-dir", path(empty.path())]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("feedback.jsonl") && err.contains("--data-dir"),
        "{err}"
    );
    let out = run(&[
        "feedback",
        "report",
        "--data-dir",
        path(empty.path()),
        "--target-precision",
        "0",
    ]);
    assert!(
        stderr(&out).contains("--target-precision"),
        "{}",
        stderr(&out)
    );
}

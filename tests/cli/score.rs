//! `counterclaim score`: order, bad records, and what it says when the settings are wrong.

use super::*;

#[test]
fn score_keeps_order_reports_bad_records_and_strict_stops() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "text": "China will counterfeit millions of mail-in ballots"}"#,
            "\nnot json\n",
            r#"{"id": "b", "text": "lovely weather"}"#,
            "\n",
            r#"{"id": "c"}"#,
            "\n",
        ),
    )
    .unwrap();
    let errors = dir.path().join("errors.jsonl");
    let out = run(&[
        "score",
        input.to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        records[0]["matches"][0]["narrative_id"],
        "foreign-counterfeit-mail-ballots"
    );
    let bad = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<serde_json::Value> = bad
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{bad}");
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[1]["line"], 4);

    let strict = run(&["score", input.to_str().unwrap(), "--strict"]);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains("posts.jsonl, line 2: invalid JSON"),
        "{stderr}"
    );
}

#[test]
fn a_csv_quote_that_swallows_the_next_line_is_reported_with_its_line() {
    let (dir, input) = temp_file(
        "posts.csv",
        "id,text\n\
         1,China will counterfeit millions of mail-in ballots\n\
         2,lovely weather\n\
         3,\"a post with an \"\"unterminated quote\n\
         4,Mail-in voting means massive fraud\n",
    );
    let summary = dir.path().join("summary.json");
    let out = run(&["score", path(&input), "--summary", path(&summary)]);
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    let ids: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"1\"", "\"2\""]);
    assert!(
        log.contains("posts.csv, line 4: the quote opened on line 4 is never closed"),
        "{log}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(summary["skipped"], 1);
}

#[test]
fn csv_on_standard_input_read_as_jsonl_says_which_flag_to_give_and_fails() {
    let csv = "id,text\n1,China will counterfeit mail-in ballots\n2,lovely weather\n";
    let out = run_with_stdin(command(&["score", "-"]), csv);
    let log = stderr(&out);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("line 1 (\"id,text\") looks like CSV, not JSONL: give --input-format csv"),
        "{log}"
    );
    assert!(log.contains("no post could be read"), "{log}");
    assert!(stdout(&out).is_empty());

    let out = run_with_stdin(command(&["score", "-", "--input-format", "csv"]), csv);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn a_text_field_of_another_name_is_hinted_at() {
    let (_dir, input) = temp_file(
        "tweets.jsonl",
        "{\"id\": 1, \"full_text\": \"a\"}\n{\"id\": 2, \"full_text\": \"b\"}\n",
    );
    let out = run(&["score", path(&input)]);
    let log = stderr(&out);
    assert!(!out.status.success());
    assert!(log.contains("--text-field"), "{log}");
}

#[test]
fn a_missing_input_is_reported_once_and_an_unknown_extension_names_the_flag() {
    let out = run(&["score", "no-such-posts.jsonl"]);
    let log = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(log.matches("no-such-posts.jsonl").count(), 1, "{log}");
    assert_eq!(log.matches("No such file or directory").count(), 1, "{log}");

    let (_dir, input) = temp_file("posts.txt", "id,text\n1,x\n");
    let out = run(&["score", path(&input)]);
    let log = stderr(&out);
    assert!(!out.status.success());
    assert!(log.contains("--input-format"), "{log}");
}

#[test]
fn out_of_range_options_name_the_flag() {
    let out = run(&["score", "tests/fixtures/posts.jsonl", "--top-k", "0"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--top-k: at least 1"),
        "{}",
        stderr(&out)
    );
    let out = run(&["match", "--min-score", "2", "mail-in ballots"]);
    assert!(!out.status.success());
    let log = stderr(&out);
    assert!(log.contains("--min-score: must be within [0, 1]"), "{log}");
}

#[test]
fn score_record_writes_the_matches_to_the_trend_store() {
    use counterclaim::store::trends::{TrendOptions, TrendStore, unix_now};
    let (dir, input) = temp_file(
        "posts.jsonl",
        concat!(
            r#"{"id": "a", "text": "China will counterfeit millions of mail-in ballots"}"#,
            "\n",
            r#"{"id": "b", "text": "lovely weather"}"#,
            "\n",
        ),
    );
    let data = dir.path().join("data");
    let before = unix_now();
    let out = run(&[
        "score",
        input.to_str().unwrap(),
        "--record",
        "--record-text",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Recorded 1 matches in"), "{stderr}");
    assert!(stderr.contains("(0 dropped)"), "{stderr}");

    let (store, _recorder) = TrendStore::open(&data, TrendOptions::default()).unwrap();
    let counts = store.counts(before, unix_now() + 1).unwrap();
    assert_eq!(
        counts["foreign-counterfeit-mail-ballots"].promotes, 1,
        "{counts:?}"
    );
    let recent = store.recent("foreign-counterfeit-mail-ballots", 5).unwrap();
    assert_eq!(recent[0].post_id, "a");
    assert!(recent[0].text.as_deref().unwrap().contains("counterfeit"));
}

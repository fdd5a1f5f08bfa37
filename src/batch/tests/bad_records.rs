//! Bad records: reported with their line, counted, skipped; or, in strict mode, fatal.

use std::fs;

use super::*;

/// Good posts on lines 1, 7 and 12; every other line but the blank 6 is bad.
fn messy_input() -> String {
    let long_text = "ballots ".repeat(crate::limits::MAX_POST_TEXT_BYTES / 8 + 1);
    let lines = [
        format!(r#"{{"id": "g1", "text": "{MATCHING}"}}"#),
        r#"{"id": "b2", "text": "unterminated"#.to_owned(),
        r#"{"id": "b3"}"#.to_owned(),
        format!(r#"{{"id": "b4", "text": "{long_text}"}}"#),
        r#"{"text": "no id here"}"#.to_owned(),
        String::new(),
        r#"{"id": "g7", "text": "Anyone know a good dentist?"}"#.to_owned(),
        "[1, 2]".to_owned(),
        r#"{"id": [1], "text": "array id"}"#.to_owned(),
        r#"{"id": "b10", "text": 5}"#.to_owned(),
        format!(
            r#"{{"id": "b11", "text": "{}"}}"#,
            "x".repeat(MAX_RECORD_BYTES)
        ),
        r#"{"id": 12, "text": "fine"}"#.to_owned(),
    ];
    lines.join("\n") + "\n"
}

#[test]
fn bad_records_are_reported_counted_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "messy.jsonl", messy_input());
    let out = dir.path().join("out.jsonl");
    let errors = dir.path().join("errors.jsonl");
    let mut config = config(&[&input], &out);
    config.errors = Some(errors.clone());
    let (summary, records) = score_checked(&config);

    assert_eq!(ids(&records), ["g1", "g7", "12"]);
    assert_eq!((summary.posts_read, summary.skipped), (11, 8));
    assert_eq!(
        records[0]["matches"][0]["narrative_id"],
        "foreign-counterfeit-mail-ballots"
    );

    let reported = read_jsonl(&errors);
    let lines: Vec<u64> = reported
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4, 5, 8, 9, 10, 11]);
    let expected = [
        "invalid JSON: EOF while parsing",
        "no \"text\" field",
        "post.text: ",
        "no \"id\" field",
        "not a post: invalid type: sequence, expected a JSON object",
        "\"id\" must be a string or a number, not an array",
        "\"text\" must be a string, not a number",
        "longer than 1048576 bytes",
    ];
    for (entry, message) in reported.iter().zip(expected) {
        let error = entry["error"].as_str().unwrap();
        assert!(
            error.starts_with(message),
            "{error:?} should start with {message:?}"
        );
        assert_eq!(entry["input"], input.display().to_string());
    }
    assert!(
        reported[2]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit")
    );
    assert_eq!(reported[1]["record"], r#"{"id": "b3"}"#);
    assert!(reported[7].get("record").is_none(), "too long to keep");
}

#[test]
fn csv_bad_records_name_the_line_the_record_starts_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "posts.csv",
        "id,text\n1,\"first\npost\"\n,no id\n3,third\n",
    );
    let out = dir.path().join("out.csv");
    let errors = dir.path().join("errors.jsonl");
    let mut config = config(&[&input], &out);
    config.output_format = OutputFormat::Csv;
    config.errors = Some(errors.clone());
    let (summary, _) = score_checked(&config);
    assert_eq!((summary.posts_read, summary.skipped), (3, 1));
    let reported = read_jsonl(&errors);
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0]["line"], 4);
    assert_eq!(reported[0]["record"], ",no id");
}

#[test]
fn strict_mode_stops_at_the_first_bad_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "messy.jsonl", messy_input());
    let out = dir.path().join("out.jsonl");
    let errors = dir.path().join("errors.jsonl");
    let mut config = config(&[&input], &out);
    config.errors = Some(errors.clone());
    config.strict = true;
    match score(matcher(), &config) {
        Err(BatchError::BadRecord {
            input: name,
            line,
            message,
        }) => {
            assert_eq!(name, input.display().to_string());
            assert_eq!(line, 2);
            assert!(message.starts_with("invalid JSON"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // What came before is written and flushed; so is the bad record.
    assert_eq!(ids(&read_jsonl(&out)), ["g1"]);
    assert_eq!(read_jsonl(&errors).len(), 1);

    // Without bad records, strict changes nothing.
    let clean = write(dir.path(), "clean.jsonl", jsonl_posts(0..5, false));
    config.inputs = vec![clean];
    let (summary, _) = score_checked(&config);
    assert_eq!((summary.posts_read, summary.skipped), (5, 0));
    assert_eq!(fs::read_to_string(&errors).unwrap(), "");
}

#[test]
fn an_unreadable_input_stops_the_run_after_the_posts_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.jsonl", jsonl_posts(0..3, false));
    let headless = write(dir.path(), "headless.csv", "1,some text\n");
    let out = dir.path().join("out.jsonl");
    match score(matcher(), &config(&[&good, &headless], &out)) {
        Err(BatchError::BadInput {
            input,
            line,
            message,
        }) => {
            assert!(input.ends_with("headless.csv"));
            assert_eq!(line, 1);
            assert!(message.contains("no \"id\" column"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ids(&read_jsonl(&out)), ["0", "1", "2"]);
}

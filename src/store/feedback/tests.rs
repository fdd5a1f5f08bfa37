use super::*;
use crate::feedback::Verdict;

fn feedback(post: &str, verdict: Verdict) -> Feedback {
    Feedback {
        recorded_at: String::new(),
        post_id: post.into(),
        narrative_id: "mail-voting-widespread-fraud".into(),
        verdict,
        note: "checked by hand".into(),
        score: Some(0.8),
        kb_version: "kb-0123456789abcdef".into(),
        key_name: String::new(),
    }
}

#[test]
fn appends_count_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = FeedbackLog::open(&data).unwrap();
    assert_eq!(log.append(feedback("p1", Verdict::Correct)).unwrap(), 1);
    assert_eq!(log.append(feedback("p2", Verdict::Wrong)).unwrap(), 2);
    drop(log);
    // Reopened, it counts what is there.
    let log = FeedbackLog::open(&data).unwrap();
    assert_eq!(log.append(feedback("p3", Verdict::Missed)).unwrap(), 3);
    let read = read(log.path()).unwrap();
    assert!(read.skipped.is_empty());
    let posts: Vec<&str> = read.records.iter().map(|r| r.post_id.as_str()).collect();
    assert_eq!(posts, ["p1", "p2", "p3"]);
    assert_eq!(read.records[1].verdict, Verdict::Wrong);
    assert!(read.records[0].recorded_at.ends_with('Z'));
}

#[test]
fn an_invalid_record_is_refused_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let log = FeedbackLog::open(dir.path()).unwrap();
    let bad = Feedback {
        score: Some(2.0),
        ..feedback("p1", Verdict::Correct)
    };
    assert!(matches!(
        log.append(bad),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(read(log.path()).unwrap().records.is_empty());
}

#[test]
fn a_torn_or_bad_line_is_skipped_with_its_number_and_never_swallows_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let log = FeedbackLog::open(dir.path()).unwrap();
    log.append(feedback("p1", Verdict::Correct)).unwrap();
    drop(log);
    let path = dir.path().join(FILE_NAME);
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    // A record that does not validate, then one cut short by a crash.
    file.write_all(b"{\"post_id\":\"p\",\"narrative_id\":\"n\",\"verdict\":\"maybe\"}\n")
        .unwrap();
    file.write_all(b"{\"post_id\":\"p2\",\"narr").unwrap();
    drop(file);
    let log = FeedbackLog::open(dir.path()).unwrap();
    assert_eq!(log.append(feedback("p3", Verdict::Wrong)).unwrap(), 2);
    let read = read(&path).unwrap();
    let posts: Vec<&str> = read.records.iter().map(|r| r.post_id.as_str()).collect();
    assert_eq!(posts, ["p1", "p3"]);
    let lines: Vec<usize> = read.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3], "{:?}", read.skipped);
    assert!(
        read.skipped[0].reason.contains("maybe"),
        "{:?}",
        read.skipped
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let err = read(&path).unwrap_err().to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
}

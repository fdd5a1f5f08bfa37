use super::*;

const DAY: i64 = 86_400;

fn record(at: i64, narrative: &str, stance: &str) -> MatchRecord {
    MatchRecord {
        at,
        narrative_id: narrative.into(),
        stance: stance.into(),
        score: 0.8,
        post_id: format!("p{at}"),
        platform: "x".into(),
        matched_words: vec!["ballots".into(), "dead".into()],
        text: None,
    }
}

fn open(dir: &Path, retention_days: u32) -> (TrendStore, TrendRecorder) {
    let options = TrendOptions {
        retention_days,
        ..TrendOptions::default()
    };
    TrendStore::open(dir, options).unwrap()
}

/// A day boundary a few days ago, so records stay inside the retention period.
fn midnight() -> i64 {
    (unix_now() / DAY - 3) * DAY
}

#[test]
fn series_has_every_bucket_and_days_sum_their_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (store, recorder) = open(dir.path(), 90);
    let day = midnight();
    recorder.record(vec![
        record(day + 60, "n1", "promotes"),
        record(day + 3 * 3_600, "n1", "debunks"),
        record(day + 3 * 3_600 + 5, "n1", "promotes"),
        record(day + 23 * 3_600 + 59, "n1", "neutral"),
        record(day + DAY + 10, "n2", "promotes"),
    ]);
    recorder.flush();
    assert_eq!(recorder.recorded(), 5);

    let hours = store
        .series(Some("n1"), day, day + 5 * 3_600, Bucket::Hour)
        .unwrap();
    let starts: Vec<i64> = hours.iter().map(|p| p.start).collect();
    assert_eq!(starts, (0..5).map(|h| day + h * 3_600).collect::<Vec<_>>());
    let totals: Vec<u64> = hours.iter().map(|p| p.counts.total()).collect();
    assert_eq!(totals, [1, 0, 0, 2, 0]);
    assert_eq!(hours[3].counts.debunks, 1);

    // A window starting mid-day still buckets by whole UTC days.
    let days = store
        .series(None, day + 7, day + 3 * DAY, Bucket::Day)
        .unwrap();
    let expected = [
        (
            day,
            StanceCounts {
                promotes: 2,
                debunks: 1,
                neutral: 1,
            },
        ),
        (
            day + DAY,
            StanceCounts {
                promotes: 1,
                ..StanceCounts::default()
            },
        ),
        (day + 2 * DAY, StanceCounts::default()),
    ];
    let got: Vec<(i64, StanceCounts)> = days.iter().map(|p| (p.start, p.counts)).collect();
    assert_eq!(got, expected);
    let one = store
        .series(Some("n2"), day, day + 2 * DAY, Bucket::Day)
        .unwrap();
    assert_eq!(one[0].counts.total(), 0);
    assert_eq!(one[1].counts.promotes, 1);
}

#[test]
fn counts_are_exact_at_unaligned_window_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (store, recorder) = open(dir.path(), 90);
    let day = midnight();
    recorder.record(vec![
        record(day + 100, "n1", "promotes"),
        record(day + 200, "n1", "debunks"),
        record(day + 2 * 3_600, "n1", "promotes"),
        record(day + 5 * 3_600 + 10, "n2", "neutral"),
        record(day + 5 * 3_600 + 20, "n2", "neutral"),
    ]);
    recorder.flush();
    let counts = store.counts(day + 150, day + 5 * 3_600 + 15).unwrap();
    assert_eq!(
        counts["n1"],
        StanceCounts {
            promotes: 1,
            debunks: 1,
            neutral: 0
        }
    );
    assert_eq!(counts["n2"].total(), 1);
    // Within one hour: raw rows only.
    assert_eq!(store.counts(day + 50, day + 150).unwrap()["n1"].total(), 1);
    assert!(store.counts(day, day).unwrap().is_empty());
}

#[test]
fn recent_is_newest_first_with_words_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let (store, recorder) = open(dir.path(), 90);
    let day = midnight();
    let mut with_text = record(day + 20, "n1", "debunks");
    with_text.text = Some("no evidence of dead voters".into());
    recorder.record(vec![record(day + 10, "n1", "promotes"), with_text.clone()]);
    recorder.record(vec![record(day + 30, "n2", "promotes")]);
    recorder.flush();
    let recent = store.recent("n1", 10).unwrap();
    assert_eq!(recent, [with_text, record(day + 10, "n1", "promotes")]);
    assert_eq!(store.recent("n1", 1).unwrap().len(), 1);
    assert!(store.recent("n9", 10).unwrap().is_empty());
}

#[test]
fn retention_deletes_raw_rows_but_keeps_hourly_counts() {
    let dir = tempfile::tempdir().unwrap();
    let old = midnight() - 100 * DAY;
    {
        let (store, recorder) = open(dir.path(), 90);
        recorder.record(vec![
            record(old, "n1", "promotes"),
            record(midnight(), "n1", "debunks"),
        ]);
        recorder.flush();
        // Retention runs at start (and hourly): the old row is still there until then.
        assert_eq!(store.recent("n1", 10).unwrap().len(), 2);
    }
    let (store, recorder) = open(dir.path(), 90);
    recorder.flush();
    let recent = store.recent("n1", 10).unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].stance, "debunks");
    let year = store.counts(old - DAY, unix_now()).unwrap();
    assert_eq!(
        year["n1"],
        StanceCounts {
            promotes: 1,
            debunks: 1,
            neutral: 0
        }
    );
}

#[test]
fn a_full_queue_drops_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let options = TrendOptions {
        queue: 3,
        ..TrendOptions::default()
    };
    let (store, recorder) = TrendStore::open(dir.path(), options).unwrap();
    let day = midnight();
    // More than the queue holds at once: dropped whole, at once.
    recorder.record((0..4).map(|i| record(day + i, "n1", "promotes")).collect());
    assert_eq!(recorder.dropped(), 4);
    recorder.record((0..3).map(|i| record(day + i, "n1", "promotes")).collect());
    recorder.flush();
    assert_eq!((recorder.recorded(), recorder.dropped()), (3, 4));
    assert_eq!(store.counts(day, day + DAY).unwrap()["n1"].promotes, 3);
}

#[test]
fn a_batch_run_waits_for_room_instead_of_dropping() {
    let dir = tempfile::tempdir().unwrap();
    let options = TrendOptions {
        queue: 3,
        ..TrendOptions::default()
    };
    let (store, recorder) = TrendStore::open(dir.path(), options).unwrap();
    let day = midnight();
    for i in 0..200 {
        recorder.record_waiting(vec![record(day + i, "n1", "promotes"); 2]);
    }
    recorder.flush();
    assert_eq!((recorder.recorded(), recorder.dropped()), (400, 0));
    assert_eq!(store.counts(day, day + DAY).unwrap()["n1"].promotes, 400);
}

#[test]
fn a_reopened_store_keeps_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let day = midnight();
    {
        let (_store, recorder) = open(dir.path(), 90);
        recorder.record(vec![
            record(day, "n1", "promotes"),
            record(day, "n1", "neutral"),
        ]);
        recorder.flush();
    }
    let (store, _recorder) = open(dir.path(), 90);
    assert_eq!(store.counts(day, day + 1).unwrap()["n1"].total(), 2);
    assert_eq!(store.path(), dir.path().join(FILE_NAME));
}

#[test]
fn a_window_of_too_many_points_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _recorder) = open(dir.path(), 90);
    let error = store
        .series(None, 0, 20 * 365 * DAY, Bucket::Hour)
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
    assert!(store.series(None, 10, 5, Bucket::Day).unwrap().is_empty());
}

#[test]
fn record_time_reads_rfc3339_or_falls_back_to_now() {
    assert_eq!(record_time("2024-11-05T13:00:00Z", 7), 1_730_811_600);
    assert_eq!(record_time("2024-11-05T14:00:00+01:00", 7), 1_730_811_600);
    assert_eq!(record_time("last Tuesday", 7), 7);
    assert_eq!(record_time("", 7), 7);
}

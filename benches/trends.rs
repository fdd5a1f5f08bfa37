//! Charting from the trend store: 1,000,000 recorded matches over 365 days and 4 narratives,
//! then a 90-day chart of one narrative by day and a week's counts of all of them. Both read
//! the hourly table, so they take the same time whatever the number of raw matches. The
//! figures are in docs/operations.md ("Trend store").
//!
//! `cargo bench --bench trends` (`-- --quick` for a short run)

use std::hint::black_box;
use std::time::Instant;

use counterclaim::store::trends::{Bucket, MatchRecord, TrendOptions, TrendStore, unix_now};
use criterion::{Criterion, criterion_group, criterion_main};

const MATCHES: i64 = 1_000_000;
const DAY: i64 = 86_400;
const NARRATIVES: [&str; 4] = [
    "foreign-counterfeit-mail-ballots",
    "dead-voters",
    "dominion-switched-votes",
    "noncitizens-voting",
];
const STANCES: [&str; 3] = ["promotes", "debunks", "neutral"];

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = TrendOptions {
        retention_days: 400,
        ..TrendOptions::default()
    };
    let (store, recorder) = TrendStore::open(dir.path(), options).expect("the store opens");
    let now = unix_now();
    let filling = Instant::now();
    let step = 365 * DAY / MATCHES;
    // Through the recorder, as the service records, a queue-full at a time.
    for start in (0..MATCHES).step_by(50_000) {
        let records = (start..start + 50_000)
            .map(|i| MatchRecord {
                at: now - 365 * DAY + i * step,
                narrative_id: NARRATIVES[i as usize % 4].to_owned(),
                stance: STANCES[i as usize % 3].to_owned(),
                score: 0.8,
                post_id: format!("post-{i}"),
                platform: "x".to_owned(),
                matched_words: vec!["counterfeit".to_owned(), "ballots".to_owned()],
                text: None,
            })
            .collect();
        recorder.record(records);
        recorder.flush();
    }
    assert_eq!(
        (recorder.recorded(), recorder.dropped()),
        (MATCHES as u64, 0)
    );
    println!(
        "filled {MATCHES} matches in {:.1} s",
        filling.elapsed().as_secs_f64()
    );

    let series = || store.series(Some(NARRATIVES[0]), now - 90 * DAY, now, Bucket::Day);
    let counts = || store.counts(now - 7 * DAY, now);
    let once = Instant::now();
    let points = series().expect("series");
    println!(
        "90-day chart of one narrative by day: {} points in {:.2} ms (first call)",
        points.len(),
        once.elapsed().as_secs_f64() * 1e3
    );
    let total: u64 = points.iter().map(|p| p.counts.total()).sum();
    assert!(total > 0);

    let mut group = c.benchmark_group("trends_1m");
    group.bench_function("series_90d_by_day_one_narrative", |b| {
        b.iter(|| black_box(series().expect("series")))
    });
    group.bench_function("counts_7d_all_narratives", |b| {
        b.iter(|| black_box(counts().expect("counts")))
    });
    group.bench_function("series_365d_by_hour_all_narratives", |b| {
        b.iter(|| black_box(store.series(None, now - 365 * DAY, now, Bucket::Hour)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

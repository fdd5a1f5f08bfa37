//! The NATS JetStream transport end to end: a real nats-server (JetStream, a free loopback
//! port, a temporary store), the real binary's `publish`, `worker` and `collect`, and
//! `score` on the same input as the reference. Skipped with a message when nats-server is
//! absent, unless COUNTERCLAIM_REQUIRE_NATS is set (CI), where that fails. The scenarios are
//! in `harness.rs`.

mod harness;
mod server;
#[path = "../util/mod.rs"]
mod util;

use harness::*;

/// Posts in the fault scenarios: the issue's 20,000. Lexical scoring of them by three workers
/// on two loaded cores, with `score` for the reference, takes well under a minute.
const POSTS: usize = 20_000;
/// What the fault scenarios give workers: a short ack wait, so what a killed worker held comes
/// back within the test, and small batches, so many are in flight when the fault comes.
const FAULT_FLAGS: [&str; 4] = ["--ack-wait", "2", "--batch", "50"];

#[test]
fn two_workers_give_what_score_gives() {
    let Some(mut run) = Scenario::new(2000) else {
        return;
    };
    // No progress bar when stderr is not a terminal: the summary alone, no escape codes.
    let published = publish(&run.server.url, &run.posts);
    let stderr = String::from_utf8(published.stderr).unwrap();
    assert!(!stderr.contains(['\r', '\x1b']), "{stderr:?}");
    assert!(
        stderr.ends_with("\nPublished 2000 posts (0 already in the stream, 0 records skipped).\n"),
        "{stderr}"
    );
    run.start_workers(2, &["--batch", "64"]);
    run.finish();
    // Both workers took part: they share one consumer.
    for w in &run.workers {
        let log = w.log_text();
        assert!(!log.contains("worker stopped scored=0 "), "{log}");
    }
}

/// Three workers; one is SIGKILLed while it holds a batch it has not acknowledged (some of
/// whose results may be stored already). The others get its posts after the ack wait.
#[test]
fn a_worker_killed_mid_stream_loses_nothing_and_doubles_nothing() {
    let Some(mut run) = Scenario::published(POSTS) else {
        return;
    };
    run.start_workers(3, &FAULT_FLAGS);
    run.wait_until_delivered(0.25);
    let held = run.kill_holding_posts(0);
    assert!(held > 0);
    let info = run.finish();
    // What the killed worker held came back: the consumer counts every delivery.
    assert!(
        info.delivered.consumer_sequence >= (POSTS + held) as u64,
        "{held} posts held, not redelivered: {info:?}"
    );
}

/// nats-server killed and started again on the same store while three workers score: the
/// stream and the consumer come back from its files, and the workers and the collector
/// reconnect and go on.
#[test]
fn a_server_restart_mid_run_loses_nothing_and_doubles_nothing() {
    let Some(mut run) = Scenario::published(POSTS) else {
        return;
    };
    run.start_workers(3, &FAULT_FLAGS);
    run.wait_until_delivered(0.25);
    run.server.restart();
    run.finish();
}

#[test]
fn poison_messages_are_dead_lettered_with_their_reason_and_the_stream_goes_on() {
    let Some(mut run) = Scenario::new(50) else {
        return;
    };
    let long = serde_json::json!({"id": "too-long", "text": "vote ".repeat(10_000)});
    let mut text = std::fs::read_to_string(&run.posts).unwrap();
    text.push_str(&format!("{long}\n"));
    let with_long = run.path("with_long.jsonl");
    std::fs::write(&with_long, text).unwrap();
    publish(&run.server.url, &with_long);
    for bad in ["not json at all", r#"{"id": "no-text"}"#] {
        run.publish_raw("CC.posts", bad);
    }
    run.start_workers(1, &[]);
    run.finish();
    let reasons: Vec<String> = (run.read_subject("CC.dead").iter())
        .map(|letter| letter["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.starts_with("invalid JSON")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("no \"text\" field")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("over the limit")),
        "{reasons:?}"
    );
}

#[test]
fn sigterm_finishes_and_acknowledges_the_batch_in_hand() {
    let Some(mut run) = Scenario::published(POSTS) else {
        return;
    };
    run.start_workers(1, &["--batch", "64"]);
    run.wait_until_delivered(0.1);
    run.stop_worker(0);
    // Nothing it pulled is left unacknowledged: no post waits for the ack wait to pass.
    let info = run.consumer_info().unwrap();
    assert_eq!(info.num_ack_pending, 0, "{info:?}");
    assert!(
        info.num_pending > 0,
        "it finished the stream before the signal: {info:?}"
    );
    run.start_workers(1, &[]);
    run.finish();
}

/// A worker whose knowledge base differs from a live worker's says so at start-up and names
/// the other version in every result it publishes.
#[test]
fn a_worker_on_another_knowledge_base_says_so() {
    let Some(mut run) = Scenario::published(200) else {
        return;
    };
    // The built-in knowledge base, on a consumer of its own that has nothing to read: it only
    // has to be live.
    run.start_workers(1, &["--consumer", "idle", "--subject", "CC.elsewhere"]);
    let edited = run.path("kb");
    util::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index"),
        &edited,
    );
    util::retitle(
        &edited.join("narratives/delayed-count-means-rigged.toml"),
        "Edited: ",
    );
    run.start_workers(1, &["--kb", edited.to_str().unwrap()]);
    let log = run.workers[1].log_text();
    assert!(log.contains("differs from other live workers'"), "{log}");
    let (results, _) = collect(&run.server.url, &run.posts, 200, &run.path("got.jsonl"));
    let built_in = run.workers[0].log_text();
    let theirs = built_in.split("kb_version=").nth(1).unwrap();
    let theirs = theirs.split_whitespace().next().unwrap();
    for result in &results {
        assert_ne!(result["kb_version"].as_str(), Some(theirs), "{result}");
        assert_eq!(
            result["other_kb_versions"],
            serde_json::json!([theirs]),
            "{result}"
        );
    }
}

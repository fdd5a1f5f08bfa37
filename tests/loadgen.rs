//! The load generator of `scripts/soak.sh` and `scripts/memory.sh` (`examples/loadgen/`) against
//! a real server. Whose bound is tiny: an open loop beyond it is shed with RESOURCE_EXHAUSTED,
//! the rest is answered, nothing else fails, and the generator and the server count the same
//! rejections. Whose streams are few: slow streams (`--pace-ms`) and streams that never read
//! (`--no-read`) hold every slot at once, keep their pace, and end by themselves on time.

#[allow(dead_code)] // unary closed loops are the example's
#[path = "../examples/loadgen/drive.rs"]
mod drive;
mod util;

use std::sync::Arc;
use std::time::{Duration, Instant};

use counterclaim::grpc::{Options, Rejection};
use drive::{Client, ClosedLoop, OpenLoop, Rpc, Tally};
use tonic::transport::Channel;
use util::TestServer;

fn posts() -> Arc<Vec<String>> {
    Arc::new(vec![
        "Russia and China will print millions of fake ballots #RiggedElection".to_owned(),
        "Stocks up 2% today on vaccine news".to_owned(),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_loop_beyond_the_bound_is_shed_and_nothing_else_fails() {
    let server = TestServer::with(Options {
        max_posts_in_flight: 1,
        max_queued_calls: 0,
        ..Options::default()
    })
    .await;
    let channel = Channel::from_shared(server.url())
        .unwrap()
        .timeout(Duration::from_secs(10))
        .connect()
        .await
        .unwrap();
    let posts = posts();
    let plan = OpenLoop {
        rate: 1000.0,
        duration: Duration::from_secs(2),
        max_in_flight: 256,
        progress: None,
    };
    let tally = drive::open_loop(&[Client::new(channel)], posts, &plan).await;

    assert_eq!(tally.sent + tally.not_sent, 2000, "every call due was sent");
    assert!(tally.error_count() == 0, "errors: {:?}", tally.errors);
    assert!(!tally.accepted.is_empty(), "none answered");
    assert!(!tally.rejected.is_empty(), "none shed");
    assert_eq!(tally.sent, tally.accepted.len() + tally.rejected.len());
    let shed: u64 = [Rejection::QueueFull, Rejection::QueueTimeout]
        .into_iter()
        .map(|kind| server.counters.rejected(kind))
        .sum();
    assert_eq!(
        shed,
        tally.rejected.len(),
        "the server counts what was shed"
    );
}

/// Streams the server has room for, and how long the streaming clients run.
const STREAMS: usize = 4;
const RUN: Duration = Duration::from_secs(2);

/// A server with room for `STREAMS` streams, and `clients` streaming clients each on its own
/// connection, as `scripts/memory.sh` runs them; how long the run took, and its tally.
async fn streams(rpc: Rpc, pace: Duration, clients: usize) -> (TestServer, Duration, Tally) {
    let server = TestServer::with(Options {
        max_streams: STREAMS,
        max_streams_per_connection: STREAMS,
        ..Options::default()
    })
    .await;
    let mut connections = Vec::new();
    for _ in 0..clients {
        let channel = Channel::from_shared(server.url()).unwrap();
        connections.push(Client::new(channel.connect().await.unwrap()));
    }
    let plan = ClosedLoop {
        rpc,
        duration: RUN,
        pace,
        progress: None,
    };
    let started = Instant::now();
    let tally = tokio::time::timeout(RUN * 5, drive::closed_loop(&connections, posts(), &plan))
        .await
        .expect("the run ends by itself");
    (server, started.elapsed(), tally)
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_streams_hold_every_slot_and_keep_their_pace() {
    let pace = Duration::from_millis(400);
    // One client more than the server has room for: it is refused, so the others held theirs.
    let (server, took, tally) = streams(Rpc::Stream, pace, STREAMS + 1).await;

    assert!(tally.error_count() == 0, "errors: {:?}", tally.errors);
    assert_eq!(tally.streams, STREAMS as u64, "streams opened");
    assert_eq!(
        tally.rejected.len(),
        1,
        "the stream beyond the server's room"
    );
    assert_eq!(server.counters.rejected(Rejection::StreamsFull), 1);
    assert_eq!(
        tally.accepted.len(),
        tally.sent,
        "every post sent was answered"
    );
    assert!(
        tally.sent >= STREAMS as u64,
        "a post on each stream: {}",
        tally.sent
    );
    // A post every 400 ms at most on each stream: 5 in 2 s, 6 with the first.
    let most = STREAMS as u64 * (RUN.as_millis() / pace.as_millis() + 1) as u64;
    assert!(
        tally.sent <= most,
        "{} posts sent, at that pace {most} at most",
        tally.sent
    );
    assert!(server.counters.posts_matched() >= tally.sent);
    assert!(took < RUN + Duration::from_secs(2), "the run took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_that_never_read_send_until_the_end_and_stop() {
    let (server, took, tally) = streams(Rpc::UnreadStream, Duration::ZERO, STREAMS).await;

    assert!(tally.error_count() == 0, "errors: {:?}", tally.errors);
    assert_eq!(tally.streams, STREAMS as u64, "streams opened");
    assert_eq!(server.counters.rejected(Rejection::StreamsFull), 0);
    assert!(
        tally.accepted.is_empty() && tally.rejected.is_empty(),
        "no answer read"
    );
    assert!(tally.sent >= STREAMS as u64, "posts sent: {}", tally.sent);
    assert!(took < RUN + Duration::from_secs(2), "the run took {took:?}");
}

//! The load generator of `scripts/soak.sh` (`examples/loadgen/`) against a real server whose
//! bound is tiny: an open loop beyond it is shed with RESOURCE_EXHAUSTED, the rest is answered,
//! nothing else fails, and the generator and the server count the same rejections.

#[allow(dead_code)] // the closed loop is the example's; this test drives the open one
#[path = "../examples/loadgen/drive.rs"]
mod drive;
mod util;

use std::sync::Arc;
use std::time::Duration;

use counterclaim::grpc::{Options, Rejection};
use drive::{Client, OpenLoop};
use tonic::transport::Channel;
use util::TestServer;

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
    let posts = Arc::new(vec![
        "Russia and China will print millions of fake ballots #RiggedElection".to_owned(),
        "Stocks up 2% today on vaccine news".to_owned(),
    ]);
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

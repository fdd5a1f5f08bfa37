//! The cap on connections, over real TCP on 127.0.0.1:0: a connection beyond it is closed at
//! once and counted, and the connections already open keep working. (Running out of file
//! descriptors is tested against the real binary, in `serve.rs`.)

mod util;

use std::time::{Duration, Instant};

use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::grpc::{Options, Rejection};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use util::TestServer;

fn request(text: &str) -> pb::MatchPostRequest {
    pb::MatchPostRequest {
        post: Some(pb::Post {
            id: "p1".into(),
            text: text.into(),
            ..Default::default()
        }),
        options: None,
    }
}

/// Connects over raw TCP and waits for the server to close the connection (a read of 0 bytes,
/// or a reset) without sending it anything; fails if it is still open after 5 s.
async fn closed_at_once(server: &TestServer) -> Duration {
    let start = Instant::now();
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("a connection beyond the cap is still open after 5 s");
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "the server answered: {read:?}"
    );
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_beyond_the_cap_is_closed_at_once_and_counted() {
    let server = TestServer::with(Options {
        max_connections: 2,
        ..Options::default()
    })
    .await;
    let mut a = CounterclaimClient::connect(server.url()).await.unwrap();
    let mut b = CounterclaimClient::connect(server.url()).await.unwrap();
    for client in [&mut a, &mut b] {
        client.match_post(request("mail ballots")).await.unwrap();
    }

    let took = closed_at_once(&server).await;
    println!("a connection beyond the cap was closed in {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    let mut c = CounterclaimClient::new(
        tonic::transport::Endpoint::from_shared(server.url())
            .unwrap()
            .connect_lazy(),
    );
    let refused = c.match_post(request("mail ballots")).await.unwrap_err();
    println!("a gRPC call beyond the cap: {refused:?}");
    assert_eq!(server.counters.rejected(Rejection::ConnectionsFull), 2);
    let metrics = server.counters.render();
    assert!(
        metrics
            .lines()
            .any(|l| l == r#"counterclaim_rejections_total{reason="connections_full"} 2"#),
        "{metrics}"
    );

    // The connections already open are served as before.
    for client in [&mut a, &mut b] {
        client.match_post(request("mail ballots")).await.unwrap();
    }
    // Once one closes, its slot is free again.
    drop(a);
    let start = Instant::now();
    loop {
        let mut d = CounterclaimClient::connect(server.url()).await.unwrap();
        if d.match_post(request("mail ballots")).await.is_ok() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a closed connection never gave its slot back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

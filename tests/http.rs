//! The HTTP address beside the gRPC server, over real TCP on 127.0.0.1:0: Prometheus metrics
//! that follow the calls made, `/healthz`, and nothing else.

mod util;

use std::time::{Duration, Instant};

use counterclaim::grpc::Options;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use tonic::Code;
use util::{TestServer, http_get, slow_batch};

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

/// The lines of `/metrics` once every line in `wanted` is among them (the access log counts a
/// call as its trailers leave, which may be just after the client has its answer).
async fn metrics_with(server: &TestServer, wanted: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let (status, head, body) = http_get(server.http_addr.unwrap(), "/metrics").await;
        assert_eq!(status, 200, "{head}\n{body}");
        assert!(head.contains("text/plain; version=0.0.4"), "{head}");
        if wanted.iter().all(|w| body.lines().any(|l| l == *w)) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "missing some of {wanted:#?} in\n{body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_calls_by_method_and_code_with_their_durations() {
    let server = TestServer::with_http(Options::default()).await;
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let answer = client
        .match_post(request("China will forge our mail ballots"))
        .await
        .unwrap()
        .into_inner();
    let matched = answer.matches.first().expect("the shipped kb matches it");
    let invalid = client
        .match_post(pb::MatchPostRequest {
            post: None,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(invalid.code(), Code::InvalidArgument);

    let method = r#"method="counterclaim.v1.Counterclaim/MatchPost""#;
    let stance = match pb::Stance::try_from(matched.stance).unwrap() {
        pb::Stance::Promotes => "promotes",
        pb::Stance::Debunks => "debunks",
        pb::Stance::Neutral => "neutral",
        pb::Stance::Unspecified => "unspecified",
    };
    let body = metrics_with(
        &server,
        &[
            &format!(r#"counterclaim_requests_total{{{method},code="OK"}} 1"#),
            &format!(r#"counterclaim_requests_total{{{method},code="INVALID_ARGUMENT"}} 1"#),
            &format!(r#"counterclaim_request_duration_seconds_bucket{{{method},le="+Inf"}} 2"#),
            &format!(r#"counterclaim_request_duration_seconds_count{{{method}}} 2"#),
            // Every post admitted and run through the matcher, the one that failed too.
            "counterclaim_posts_matched_total 2",
            &format!(
                r#"counterclaim_matches_total{{narrative="{}",stance="{stance}"}} 1"#,
                matched.narrative_id
            ),
            r#"counterclaim_rejections_total{reason="queue_full"} 0"#,
            "counterclaim_in_flight_posts 0",
            &format!(
                r#"counterclaim_kb_info{{version="{}"}} 1"#,
                answer.kb_version
            ),
        ],
    )
    .await;
    assert!(body.contains("# TYPE counterclaim_request_duration_seconds histogram"));
    assert!(body.contains("# TYPE counterclaim_requests_total counter"));
    assert!(!body.contains("p1"), "post ids are never labels:\n{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_show_time_in_the_model_after_a_hybrid_match() {
    let options = Options::default();
    let Some(matcher) = util::hybrid_matcher(&options.counters) else {
        return;
    };
    let server = TestServer::serving_with_http(matcher, options).await;
    let before = server.counters.render();
    assert!(
        !before.contains("counterclaim_model_seconds_count"),
        "the model ran before any call:\n{before}"
    );
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    // A paraphrase that passes the gate, so the model embeds it.
    client
        .match_post(request("China will forge our mail ballots"))
        .await
        .unwrap();
    let body = metrics_with(
        &server,
        &[
            "counterclaim_model_seconds_count 1",
            "counterclaim_posts_embedded_total 1",
        ],
    )
    .await;
    assert!(body.contains("# TYPE counterclaim_model_seconds histogram"));
    let seconds: f64 = body
        .lines()
        .find_map(|l| l.strip_prefix("counterclaim_model_seconds_sum "))
        .and_then(|s| s.parse().ok())
        .expect("a sum of model time");
    assert!(seconds > 0.0 && seconds < 30.0, "{seconds} s in the model");
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_is_ok_and_other_paths_are_not_found() {
    let server = TestServer::with_http(Options::default()).await;
    let addr = server.http_addr.unwrap();
    let (status, _, body) = http_get(addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, _, _) = http_get(addr, "/no-such-page").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_is_503_while_draining_and_http_stops_with_the_grpc_server() {
    let mut server = TestServer::with_http(Options::default()).await;
    let addr = server.http_addr.unwrap();
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let batch = tokio::spawn(async move { client.match_posts(slow_batch(24)).await });
    let start = Instant::now();
    while server.counters.posts_in_flight() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the batch never started"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.shut_down();
    while !server.counters.draining() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (status, _, body) = http_get(addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (503, "draining"));
    assert_eq!(batch.await.unwrap().unwrap().into_inner().results.len(), 24);

    let start = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the HTTP server outlived the gRPC one"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

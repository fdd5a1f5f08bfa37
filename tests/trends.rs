//! The trend store behind a real gRPC server on 127.0.0.1:0: every answered post of MatchPost,
//! MatchPosts and StreamMatchPosts is recorded with the stance it was answered with, and the
//! counts outlive the server and the store.

mod util;

use std::collections::HashMap;

use counterclaim::grpc::Options;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::store::trends::{StanceCounts, TrendOptions, TrendStore};
use util::TestServer;

const PROMOTES: &str = "Russia and China will print millions of counterfeit mail-in ballots!";
const DEBUNKS: &str = "There is no evidence that China printed counterfeit mail-in ballots. \
                       That claim is false.";
const NOTHING: &str = "Lovely weather for a picnic today.";

fn post(id: &str, text: &str) -> pb::Post {
    pb::Post {
        id: id.into(),
        text: text.into(),
        created_at: "2026-11-03T14:30:00Z".into(),
        platform: "mastodon".into(),
        ..Default::default()
    }
}

fn request(id: &str, text: &str) -> pb::MatchPostRequest {
    pb::MatchPostRequest {
        post: Some(post(id, text)),
        options: None,
    }
}

/// What the answers said: matches by narrative and stance.
fn tally(expected: &mut HashMap<String, StanceCounts>, answer: &pb::MatchPostResponse) {
    for m in &answer.matches {
        let stance = m
            .stance()
            .as_str_name()
            .trim_start_matches("STANCE_")
            .to_lowercase();
        expected
            .entry(m.narrative_id.clone())
            .or_default()
            .add(&stance, 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_is_recorded_and_the_counts_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let options = TrendOptions {
        record_text: true,
        ..TrendOptions::default()
    };
    let (store, recorder) = TrendStore::open(dir.path(), options).unwrap();
    let server = TestServer::with(Options {
        trends: Some(recorder.clone()),
        ..Options::default()
    })
    .await;
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let mut expected = HashMap::new();

    let one = client
        .match_post(request("u1", PROMOTES))
        .await
        .unwrap()
        .into_inner();
    assert!(!one.matches.is_empty());
    tally(&mut expected, &one);
    let batch = pb::MatchPostsRequest {
        posts: vec![
            post("b1", DEBUNKS),
            post("b2", NOTHING),
            post("b3", PROMOTES),
        ],
        options: None,
    };
    let batch = client.match_posts(batch).await.unwrap().into_inner();
    for answer in &batch.results {
        tally(&mut expected, answer);
    }
    let posts = vec![request("s1", DEBUNKS), request("s2", PROMOTES)];
    let mut stream = (client.stream_match_posts(tokio_stream::iter(posts)).await)
        .unwrap()
        .into_inner();
    while let Some(reply) = stream.message().await.unwrap() {
        if let Some(pb::stream_match_posts_response::Outcome::Result(answer)) = reply.outcome {
            tally(&mut expected, &answer);
        }
    }

    tokio::task::spawn_blocking({
        let recorder = recorder.clone();
        move || recorder.flush()
    })
    .await
    .unwrap();
    let total: u64 = expected.values().map(StanceCounts::total).sum();
    assert!(total >= 5, "{expected:?}");
    assert_eq!((recorder.recorded(), recorder.dropped()), (total, 0));
    // 2026-11-03T14:30:00Z, the posts' created_at; its hour is counted from the hourly table,
    // which retention keeps, so the test passes whatever today's date.
    let at = 1_793_716_200;
    let hour = (at - 1_800, at + 1_800);
    assert_eq!(store.counts(hour.0, hour.1).unwrap(), expected);

    let narrative = &one.matches[0].narrative_id;
    let recent = store.recent(narrative, 10).unwrap();
    let ids: Vec<&str> = recent.iter().map(|r| r.post_id.as_str()).collect();
    for id in ["u1", "b3", "s2"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let u1 = recent.iter().find(|r| r.post_id == "u1").unwrap();
    assert_eq!(u1.stance, "promotes");
    assert_eq!((u1.at, u1.platform.as_str()), (at, "mastodon"));
    assert_eq!(u1.text.as_deref(), Some(PROMOTES));
    assert!(!u1.matched_words.is_empty());

    drop((server, client, store, recorder));
    let (store, _recorder) = TrendStore::open(dir.path(), TrendOptions::default()).unwrap();
    assert_eq!(store.counts(hour.0, hour.1).unwrap(), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_what_was_recorded_and_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, recorder) = TrendStore::open(dir.path(), TrendOptions::default()).unwrap();
    let server = TestServer::with_http(Options {
        trends: Some(recorder.clone()),
        ..Options::default()
    })
    .await;
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let answer = client
        .match_post(request("m1", PROMOTES))
        .await
        .unwrap()
        .into_inner();
    let matches = answer.matches.len();
    tokio::task::spawn_blocking(move || recorder.flush())
        .await
        .unwrap();
    let (status, _, body) = util::http_get(server.http_addr.unwrap(), "/metrics").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = body.lines().collect();
    let written = format!("counterclaim_trend_records_total {matches}");
    assert!(lines.contains(&written.as_str()), "{body}");
    assert!(
        lines.contains(&"counterclaim_trend_dropped_total 0"),
        "{body}"
    );
}

//! End to end over real TCP: the server on 127.0.0.1:0, the generated client, every RPC, the
//! error codes, health and reflection.

mod util;

use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::limits;
use tokio_stream::StreamExt;
use tonic::Code;
use util::TestServer;

async fn client(server: &TestServer) -> CounterclaimClient<tonic::transport::Channel> {
    CounterclaimClient::connect(server.url())
        .await
        .unwrap()
        .max_decoding_message_size(limits::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(64 * 1024 * 1024)
}

async fn narrative(
    c: &mut CounterclaimClient<tonic::transport::Channel>,
    id: &str,
) -> pb::Narrative {
    c.get_narrative(pb::GetNarrativeRequest { id: id.into() })
        .await
        .unwrap()
        .into_inner()
        .narrative
        .unwrap()
}

fn post(id: &str, text: &str) -> pb::Post {
    pb::Post {
        id: id.into(),
        text: text.into(),
        ..Default::default()
    }
}

fn request(id: &str, text: &str, include_statements: bool) -> pb::MatchPostRequest {
    pb::MatchPostRequest {
        post: Some(post(id, text)),
        options: Some(pb::MatchOptions {
            include_statements,
            ..Default::default()
        }),
    }
}

#[tokio::test]
async fn match_post_returns_narrative_evidence_and_statements() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let text = "Russia and China will print millions of counterfeit mail-in ballots!";
    let r = c
        .match_post(request("p1", text, true))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.post_id, "p1");
    assert!(r.kb_version.starts_with("kb-"));
    let m = &r.matches[0];
    assert_eq!(m.narrative_id, "foreign-counterfeit-mail-ballots");
    assert!(m.score >= 0.5 && m.score <= 1.0);
    assert_eq!(m.stance(), pb::Stance::Promotes);
    let evidence = m.evidence.as_ref().unwrap();
    assert!(!evidence.matched_words.is_empty() && !evidence.text.is_empty());
    let named: Vec<(&str, Vec<&str>)> = (evidence.concepts.iter())
        .map(|c| {
            (
                c.concept_id.as_str(),
                c.words.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("foreign-power", vec!["russia", "china"]),
            ("counterfeit", vec!["print", "counterfeit"]),
            ("ballots", vec!["ballots"]),
        ],
        "each core concept with the post's words that name it"
    );
    assert!(!m.statements.is_empty());
    let s = &m.statements[0];
    assert!(!s.quote.is_empty() && !s.speaker.is_empty());
    assert_eq!(s.provenance.as_ref().unwrap().outlet, "CNN");

    let without = c
        .match_post(request("p1", text, false))
        .await
        .unwrap()
        .into_inner();
    assert!(without.matches[0].statements.is_empty());

    let none = c
        .match_post(request("p2", "🎉 https://t.co/x", false))
        .await
        .unwrap()
        .into_inner();
    assert!(none.matches.is_empty() && !none.no_match_reason.is_empty());
}

#[tokio::test]
async fn match_post_rejects_bad_input_with_the_field_named() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let missing = c
        .match_post(pb::MatchPostRequest::default())
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::InvalidArgument);
    assert!(missing.message().contains("post"));

    let long = "x".repeat(limits::MAX_POST_TEXT_BYTES + 1);
    let err = c.match_post(request("p", &long, false)).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("post.text"), "{}", err.message());

    let mut too_many = request("p", "ballots", false);
    too_many.options = Some(pb::MatchOptions {
        max_matches: 1000,
        ..Default::default()
    });
    let err = c.match_post(too_many).await.unwrap_err();
    assert!(
        err.message().starts_with("options.max_matches"),
        "{}",
        err.message()
    );

    let huge = "x".repeat(limits::MAX_MESSAGE_BYTES + 1);
    let err = c.match_post(request("p", &huge, false)).await.unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted, "{err:?}");
}

#[tokio::test]
async fn match_posts_keeps_order_and_bounds_the_batch() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let posts = vec![
        post(
            "a",
            "mail-in voting is massive fraud, the election is rigged",
        ),
        post("b", "what a lovely day for a picnic"),
        post(
            "c",
            "if there's no winner on election night they are stealing it",
        ),
    ];
    let r = c
        .match_posts(pb::MatchPostsRequest {
            posts,
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<&str> = r.results.iter().map(|r| r.post_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        r.results[0].matches[0].narrative_id,
        "mail-voting-widespread-fraud"
    );
    assert!(r.results[1].matches.is_empty());

    let posts = (0..=limits::MAX_BATCH_POSTS)
        .map(|i| post(&i.to_string(), "x"))
        .collect();
    let err = c
        .match_posts(pb::MatchPostsRequest {
            posts,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("posts:"), "{}", err.message());

    // One bad post gets its own error entry; the others are answered.
    let bad = vec![
        post("ok", "China will forge our mail ballots"),
        post("bad", &"y".repeat(limits::MAX_POST_TEXT_BYTES + 1)),
        post("also-ok", "what a lovely day for a picnic"),
    ];
    let r = c
        .match_posts(pb::MatchPostsRequest {
            posts: bad,
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<&str> = r.results.iter().map(|r| r.post_id.as_str()).collect();
    assert_eq!(ids, ["ok", "bad", "also-ok"]);
    assert_eq!(
        r.results[0].matches[0].narrative_id,
        "foreign-counterfeit-mail-ballots"
    );
    assert!(r.results[0].error.is_none() && r.results[2].error.is_none());
    let error = r.results[1].error.as_ref().expect("the bad post's error");
    assert_eq!(error.code, Code::InvalidArgument as i32);
    assert_eq!(error.field, "posts[1].text");
    assert!(r.results[1].matches.is_empty());

    // Options apply to every post: bad ones still fail the whole call.
    let err = c
        .match_posts(pb::MatchPostsRequest {
            posts: vec![post("a", "x")],
            options: Some(pb::MatchOptions {
                max_matches: 1000,
                ..Default::default()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn stream_answers_every_post_in_order_and_reports_bad_ones() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let mut requests: Vec<pb::MatchPostRequest> = (0..50)
        .map(|i| request(&format!("s{i}"), "China will forge our mail ballots", false))
        .collect();
    requests[7] = request("bad", &"z".repeat(limits::MAX_POST_TEXT_BYTES + 1), false);
    let mut stream = c
        .stream_match_posts(tokio_stream::iter(requests.clone()))
        .await
        .unwrap()
        .into_inner();
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push(item.unwrap());
    }
    assert_eq!(got.len(), 50);
    for (sent, received) in requests.iter().zip(&got) {
        assert_eq!(sent.post.as_ref().unwrap().id, received.post_id);
    }
    match &got[7].outcome {
        Some(pb::stream_match_posts_response::Outcome::Error(e)) => {
            assert_eq!(e.code, Code::InvalidArgument as i32);
            assert_eq!(e.field, "post.text");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    match &got[8].outcome {
        Some(pb::stream_match_posts_response::Outcome::Result(r)) => {
            assert_eq!(
                r.matches[0].narrative_id,
                "foreign-counterfeit-mail-ballots"
            );
        }
        other => panic!("expected a result, got {other:?}"),
    }
}

#[tokio::test]
async fn narratives_can_be_listed_read_and_searched() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let page = c
        .list_narratives(pb::ListNarrativesRequest {
            page_size: 3,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.narratives.len(), 3);
    assert!(page.total >= 4);
    let rest = c
        .list_narratives(pb::ListNarrativesRequest {
            page_size: 3,
            page_token: page.next_page_token,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        page.narratives.len() + rest.narratives.len(),
        page.total as usize
    );
    let bad_token = c
        .list_narratives(pb::ListNarrativesRequest {
            page_size: 3,
            page_token: "zzz".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_token.code(), Code::InvalidArgument);

    let n = narrative(&mut c, "unsolicited-ballots-chaos").await;
    assert!(!n.claims.is_empty() && !n.statements.is_empty());
    // Each statement comes with its date and the report's words it needs to stand alone.
    let n = narrative(&mut c, "foreign-counterfeit-mail-ballots").await;
    let s = (n.statements.iter())
        .find(|s| s.id == "evanina-extraordinarily-difficult")
        .unwrap();
    assert_eq!(s.quote, "extraordinarily difficult");
    assert_eq!(s.date, "2020-07-24");
    assert!(s.context.starts_with("Changing actual votes"), "{s:?}");
    let missing = c
        .get_narrative(pb::GetNarrativeRequest { id: "nope".into() })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    let hits = c
        .search_narratives(pb::SearchNarrativesRequest {
            query: "fake ballots from China".into(),
            max_results: 0,
            include_statements: true,
        })
        .await
        .unwrap()
        .into_inner()
        .hits;
    assert_eq!(
        hits[0].narrative.as_ref().unwrap().id,
        "foreign-counterfeit-mail-ballots"
    );
    assert!(!hits[0].statements.is_empty());
    let err = c
        .search_narratives(pb::SearchNarrativesRequest {
            query: "q".repeat(5000),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.message().starts_with("query"), "{}", err.message());
}

#[tokio::test]
async fn health_and_reflection_are_served() {
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let server = TestServer::start().await;
    let channel = tonic::transport::Channel::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = HealthClient::new(channel.clone());
    let status = health
        .check(HealthCheckRequest {
            service: "counterclaim.v1.Counterclaim".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.status, 1, "SERVING");

    let mut reflection = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::ListServicesResponse(list)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"counterclaim.v1.Counterclaim".to_owned()),
        "{names:?}"
    );
}

#[tokio::test]
async fn server_info_names_the_knowledge_base_and_the_matching_mode() {
    let server = TestServer::start().await;
    let mut c = client(&server).await;
    let info = c
        .get_server_info(pb::GetServerInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(info.kb_version.starts_with("kb-"));
    assert_eq!(info.narratives, 4);
    // The test server runs without a model.
    assert_eq!(info.matching_mode, "lexical");
    assert!(info.model_sha256.is_empty());
}

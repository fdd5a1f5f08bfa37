//! The JSON API for dashboards (`/api/v1/`), over real TCP with a plain HTTP client: each
//! endpoint's shape, the same answers as gRPC for the same input, and the same errors as gRPC
//! as JSON with the HTTP status of their code.

mod util;

use counterclaim::grpc::Options;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use serde_json::Value;
use util::{TestServer, http_get, http_request};

const POST: &str = "China will forge our mail ballots";

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The error of an answer: its status, gRPC code name and field.
fn error(answer: (u16, String, String)) -> (u16, String, Option<String>) {
    let (status, head, body) = answer;
    assert!(head.contains("application/json"), "{head}");
    let e = &json(&body)["error"];
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    (
        status,
        e["code"].as_str().unwrap().to_owned(),
        e["field"].as_str().map(str::to_owned),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn every_endpoint_answers_in_its_shape_as_grpc_does() {
    let server = TestServer::with_http(Options::default()).await;
    let http = server.http_addr.unwrap();

    let (status, _, body) = http_get(http, "/api/v1/narratives").await;
    assert_eq!(status, 200, "{body}");
    let list = json(&body);
    let ids: Vec<&str> = (list["narratives"].as_array().unwrap().iter())
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"foreign-counterfeit-mail-ballots"), "{ids:?}");
    assert_eq!(list["trends"], false, "no trend store in this server");
    assert!(list["kb_version"].as_str().unwrap().starts_with("kb-"));

    let (status, _, body) =
        http_get(http, "/api/v1/narratives/foreign-counterfeit-mail-ballots").await;
    assert_eq!(status, 200, "{body}");
    let narrative = &json(&body)["narrative"];
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let grpc = client
        .get_narrative(pb::GetNarrativeRequest {
            id: "foreign-counterfeit-mail-ballots".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .narrative
        .unwrap();
    let quotes: Vec<&str> = (narrative["statements"].as_array().unwrap().iter())
        .map(|s| s["quote"].as_str().unwrap())
        .collect();
    let grpc_quotes: Vec<&str> = grpc.statements.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(quotes, grpc_quotes);
    assert_eq!(
        narrative["claims"].as_array().unwrap().len(),
        grpc.claims.len()
    );

    let (status, _, body) = http_get(
        http,
        "/api/v1/search?q=foreign+countries+will+forge+mail+ballots",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let search = json(&body);
    assert_eq!(
        search["hits"][0]["narrative"]["id"],
        "foreign-counterfeit-mail-ballots"
    );
    assert!(search["hits"][0]["statements"][0]["quote"].is_string());

    let (status, _, body) = http_request(
        http,
        "POST",
        "/api/v1/check",
        Some(&format!(r#"{{"text": "{POST}"}}"#)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let check = json(&body);
    let grpc = client
        .match_post(pb::MatchPostRequest {
            post: Some(pb::Post {
                text: POST.into(),
                ..Default::default()
            }),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let http_ids: Vec<&str> = (check["matches"].as_array().unwrap().iter())
        .map(|m| m["narrative_id"].as_str().unwrap())
        .collect();
    let grpc_ids: Vec<&str> = grpc
        .matches
        .iter()
        .map(|m| m.narrative_id.as_str())
        .collect();
    assert_eq!(http_ids, grpc_ids);
    assert!(!http_ids.is_empty());
    let score = check["matches"][0]["score"].as_f64().unwrap();
    assert!((score - f64::from(grpc.matches[0].score)).abs() < 1e-6);
    assert_eq!(check["matches"][0]["stance"], "promotes");
    assert!(check["matches"][0]["evidence"]["matched_words"].is_array());
    #[derive(serde::Deserialize)]
    struct Named {
        concept_id: String,
        words: Vec<String>,
    }
    let http_concepts: Vec<(String, Vec<String>)> =
        serde_json::from_value::<Vec<Named>>(check["matches"][0]["evidence"]["concepts"].clone())
            .unwrap()
            .into_iter()
            .map(|c| (c.concept_id, c.words))
            .collect();
    let grpc_concepts: Vec<(String, Vec<String>)> =
        (grpc.matches[0].evidence.as_ref().unwrap().concepts.iter())
            .map(|c| (c.concept_id.clone(), c.words.clone()))
            .collect();
    assert_eq!(http_concepts, grpc_concepts);
    assert!(!grpc_concepts.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn mistakes_get_the_grpc_code_as_json_with_the_http_status() {
    let server = TestServer::with_http(Options::default()).await;
    let http = server.http_addr.unwrap();
    let field = |f: &str| Some(f.to_owned());

    let e = error(http_get(http, "/api/v1/search").await);
    assert_eq!(
        (e.0, e.1.as_str(), e.2),
        (400, "INVALID_ARGUMENT", field("q"))
    );
    let e = error(http_get(http, "/api/v1/search?q=ballots&max_results=many").await);
    assert_eq!((e.0, e.2), (400, field("max_results")));
    let e = error(http_get(http, "/api/v1/search?q=ballots&max_results=51").await);
    assert_eq!((e.0, e.2), (400, field("max_results")));
    let long_query = "a".repeat(counterclaim::limits::MAX_QUERY_BYTES + 1);
    let e = error(http_get(http, &format!("/api/v1/search?q={long_query}")).await);
    assert_eq!((e.0, e.2), (400, field("q")));

    let e = error(http_get(http, "/api/v1/narratives/no-such-narrative").await);
    assert_eq!((e.0, e.1.as_str()), (404, "NOT_FOUND"));
    let e = error(http_get(http, "/api/v1/no-such-endpoint").await);
    assert_eq!((e.0, e.1.as_str()), (404, "NOT_FOUND"));

    let long = "word ".repeat(counterclaim::limits::MAX_POST_TEXT_BYTES / 5 + 1);
    let e = error(
        http_request(
            http,
            "POST",
            "/api/v1/check",
            Some(&format!(r#"{{"text": "{long}"}}"#)),
        )
        .await,
    );
    assert_eq!(
        (e.0, e.1.as_str(), e.2),
        (400, "INVALID_ARGUMENT", field("text"))
    );
    let e = error(http_request(http, "POST", "/api/v1/check", Some(r#"{"txt": 1}"#)).await);
    assert_eq!((e.0, e.2), (400, field("body")));
    let huge = "x".repeat(counterclaim::http::MAX_BODY_BYTES + 1);
    let e = error(
        http_request(
            http,
            "POST",
            "/api/v1/check",
            Some(&format!(r#"{{"text": "{huge}"}}"#)),
        )
        .await,
    );
    assert_eq!((e.0, e.2), (400, field("body")));

    let e = error(http_get(http, "/api/v1/trends?bucket=week").await);
    assert_eq!((e.0, e.2), (400, field("bucket")));
    let e = error(http_get(http, "/api/v1/trends?from=yesterday").await);
    assert_eq!((e.0, e.2), (400, field("from")));
    let e = error(http_get(http, "/api/v1/trends?from=0").await);
    assert_eq!((e.0, e.2), (400, field("from")), "over 400 days");
    let e = error(http_get(http, "/api/v1/trends?narrative=no-such-narrative").await);
    assert_eq!((e.0, e.1.as_str()), (404, "NOT_FOUND"));
    let e = error(http_get(http, "/api/v1/trends").await);
    assert_eq!(
        (e.0, e.1.as_str()),
        (409, "FAILED_PRECONDITION"),
        "trend recording is off"
    );

    // The console answers the same mistakes with a page.
    let (status, head, body) = http_get(http, "/narratives/no-such-narrative").await;
    assert_eq!(status, 404);
    assert!(head.contains("text/html"), "{head}");
    assert!(body.contains("Not found") && body.contains("kb-"), "{body}");
    let (status, head, _) = http_get(http, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(
        head.contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn checks_beyond_the_bound_get_429_with_retry_after_at_once() {
    let server = TestServer::with_http(Options::default()).await;
    let http = server.http_addr.unwrap();
    let calls = (0..4 * counterclaim::http::MAX_CHECKS_IN_FLIGHT as u64).map(|seed| {
        let body = format!(r#"{{"text": "{}"}}"#, util::slow_text(seed));
        tokio::spawn(async move { http_request(http, "POST", "/api/v1/check", Some(&body)).await })
    });
    let mut busy = 0;
    for call in calls.collect::<Vec<_>>() {
        let (status, head, body) = call.await.unwrap();
        match status {
            200 => {}
            429 => {
                busy += 1;
                assert!(
                    head.to_ascii_lowercase().contains("retry-after: 1"),
                    "{head}"
                );
                assert_eq!(json(&body)["error"]["code"], "RESOURCE_EXHAUSTED");
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert!(
        busy > 0,
        "every check ran though only {} may at once",
        counterclaim::http::MAX_CHECKS_IN_FLIGHT
    );
}

#[tokio::test]
async fn a_narratives_claimreview_reimports_as_the_same_narrative() {
    let server = TestServer::with_http(Options::default()).await;
    let http = server.http_addr.unwrap();
    let path = "/api/v1/narratives/foreign-counterfeit-mail-ballots/claimreview.json";
    let (status, _, body) = http_get(http, path).await;
    assert_eq!(status, 200, "{body}");
    let review = json(&body);
    assert_eq!(review["@type"], "ClaimReview");
    let url = review["url"].as_str().unwrap();
    assert!(
        url.ends_with("/narratives/foreign-counterfeit-mail-ballots"),
        "{url}"
    );
    let imported = counterclaim::kb::import::claimreview::from_value(&review);
    let ids: Vec<&str> = imported.narratives.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["foreign-counterfeit-mail-ballots"]);
    let missing = http_get(http, "/api/v1/narratives/no-such/claimreview.json").await;
    assert_eq!(error(missing), (404, "NOT_FOUND".to_owned(), None));
}

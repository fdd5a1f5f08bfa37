//! API keys end to end: a real server with keys on 127.0.0.1:0 and real clients; the codes for
//! missing, wrong and under-privileged keys, both ways of sending a key, health without one, and
//! logs that name keys but never hold them.

mod util;

use std::sync::Arc;

use counterclaim::admin::pb::{
    ListVersionsRequest, knowledge_base_admin_client::KnowledgeBaseAdminClient,
};
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::grpc::{ApiKeys, Options, Rejection};
use tonic::transport::Channel;
use tonic::{Code, Request};
use util::TestServer;

const READ_KEY: &str = "read-key-for-the-auth-tests-1234";
const ADMIN_KEY: &str = "admin-key-for-the-auth-tests-5678";

async fn server() -> TestServer {
    util::captured_log();
    let mut keys = ApiKeys::default();
    let list = format!("moderation-tool:read:{READ_KEY},curator:admin:{ADMIN_KEY}");
    keys.add_list(&list, "test").unwrap();
    TestServer::with(Options {
        api_keys: Some(Arc::new(keys)),
        ..Options::default()
    })
    .await
}

async fn channel(server: &TestServer) -> Channel {
    Channel::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap()
}

fn bearer<T>(message: T, key: &str) -> Request<T> {
    with_header(message, "authorization", &format!("Bearer {key}"))
}

fn with_header<T>(message: T, name: &'static str, value: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(name, value.parse().unwrap());
    request
}

fn info() -> pb::GetServerInfoRequest {
    pb::GetServerInfoRequest {}
}

#[tokio::test]
async fn a_call_without_a_key_or_with_a_wrong_one_is_unauthenticated() {
    let server = server().await;
    let mut c = CounterclaimClient::new(channel(&server).await);
    let missing = c.get_server_info(info()).await.unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated, "{missing:?}");
    assert!(
        missing.message().contains("authorization: Bearer")
            && missing.message().contains("x-api-key"),
        "{}",
        missing.message()
    );
    let wrong = c
        .get_server_info(bearer(info(), "not-a-key-we-know-0000"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthenticated);
    assert_eq!(wrong.message(), "unknown API key");
    let empty = c
        .get_server_info(with_header(info(), "authorization", "Bearer "))
        .await
        .unwrap_err();
    assert_eq!(empty.code(), Code::Unauthenticated);
    // Refused before its body is read, and the connection still serves the next call.
    let post = pb::MatchPostRequest {
        post: Some(pb::Post {
            id: "p".into(),
            text: "ballots".into(),
            ..Default::default()
        }),
        options: None,
    };
    let refused = c.match_post(post.clone()).await.unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated);
    c.match_post(bearer(post, READ_KEY)).await.unwrap();
    assert_eq!(server.counters.rejected(Rejection::Unauthenticated), 4);
    assert_eq!(server.counters.rejected(Rejection::PermissionDenied), 0);
}

#[tokio::test]
async fn a_read_key_matches_by_bearer_token_or_x_api_key() {
    let server = server().await;
    let mut c = CounterclaimClient::new(channel(&server).await);
    let by_bearer = c.get_server_info(bearer(info(), READ_KEY)).await.unwrap();
    assert!(by_bearer.into_inner().kb_version.starts_with("kb-"));
    c.get_server_info(with_header(info(), "x-api-key", READ_KEY))
        .await
        .unwrap();
    let text = "Russia and China will print millions of counterfeit mail-in ballots!";
    let post = pb::MatchPostRequest {
        post: Some(pb::Post {
            id: "p1".into(),
            text: text.into(),
            ..Default::default()
        }),
        options: None,
    };
    let answer = c.match_post(bearer(post, READ_KEY)).await.unwrap();
    assert!(!answer.into_inner().matches.is_empty());
    // An admin key may do everything a read key may.
    c.get_server_info(bearer(info(), ADMIN_KEY)).await.unwrap();
    let rendered = server.counters.render();
    assert!(
        rendered.contains(r#"counterclaim_rejections_total{reason="unauthenticated"} 0"#),
        "{rendered}"
    );
}

#[tokio::test]
async fn a_read_key_on_the_admin_service_is_permission_denied() {
    let server = server().await;
    let mut admin = KnowledgeBaseAdminClient::new(channel(&server).await);
    let denied = admin
        .list_versions(bearer(ListVersionsRequest {}, READ_KEY))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied, "{denied:?}");
    assert!(
        denied.message().contains("moderation-tool") && denied.message().contains("admin"),
        "{}",
        denied.message()
    );
    assert!(!denied.message().contains(READ_KEY));
    let missing = admin
        .list_versions(ListVersionsRequest {})
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated);
    // An admin key gets past the check; this server has no admin service to answer it.
    let past = admin
        .list_versions(with_header(ListVersionsRequest {}, "x-api-key", ADMIN_KEY))
        .await
        .unwrap_err();
    assert_eq!(past.code(), Code::Unimplemented, "{past:?}");
    assert_eq!(server.counters.rejected(Rejection::PermissionDenied), 1);
    assert_eq!(server.counters.rejected(Rejection::Unauthenticated), 1);
}

#[tokio::test]
async fn health_needs_no_key() {
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let server = server().await;
    let mut health = HealthClient::new(channel(&server).await);
    let status = health
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.status, 1, "SERVING");
}

#[tokio::test]
async fn the_log_names_keys_and_never_holds_them() {
    let server = server().await;
    let mut c = CounterclaimClient::new(channel(&server).await);
    c.get_server_info(bearer(info(), READ_KEY)).await.unwrap();
    let mut admin = KnowledgeBaseAdminClient::new(channel(&server).await);
    let _ = admin
        .list_versions(bearer(ListVersionsRequest {}, READ_KEY))
        .await;
    let wrong = "wrong-key-that-must-not-be-logged";
    let _ = c.get_server_info(bearer(info(), wrong)).await;
    // The access log writes its line when the response body ends, just after the client has it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let log = loop {
        let log = util::logged();
        let done = log
            .lines()
            .filter(|l| l.contains("key=moderation-tool"))
            .count()
            >= 3;
        if done || std::time::Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(
        log.lines().any(|l| l.contains("GetServerInfo")
            && l.contains("code=Ok")
            && l.contains("key=moderation-tool")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("kind=\"permission_denied\"") && l.contains("moderation-tool"))
            && log
                .lines()
                .any(|l| l.contains("code=PermissionDenied") && l.contains("key=moderation-tool")),
        "{log}"
    );
    assert!(log.contains("kind=\"unauthenticated\""), "{log}");
    for key in [READ_KEY, ADMIN_KEY, wrong] {
        assert!(!log.contains(key), "the key {key} was logged:\n{log}");
    }
}

//! The admin API against real servers on 127.0.0.1:0: the matching server and the admin server
//! share one live matcher, as in `counterclaim serve --admin-addr`. A write is visible to the
//! next matching call, a bad one changes nothing, rollback restores an earlier version, and
//! every version survives a restart of the store.

mod util;

use std::sync::Arc;

use counterclaim::admin::pb::{
    self as admin_pb, knowledge_base_admin_client::KnowledgeBaseAdminClient,
};
use counterclaim::curator::Curator;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::grpc::{ApiKeys, Counters, Options};
use counterclaim::kb::KnowledgeBase;
use counterclaim::live::LiveMatcher;
use counterclaim::matcher::Matcher;
use counterclaim::store::feedback::FeedbackLog;
use counterclaim::store::versions::Versions;
use tokio::sync::oneshot;
use tonic::Code;
use tonic::transport::Channel;

const DOCUMENT: &str = include_str!("fixtures/admin/voting-machines.toml");
const NEW_NARRATIVE: &str = "voting-machines-switch-votes";
const POST: &str = "The voting machines flipped thousands of votes overnight, wake up";

struct Servers {
    matching: CounterclaimClient<Channel>,
    admin: KnowledgeBaseAdminClient<Channel>,
    live: Arc<LiveMatcher>,
    _stop: oneshot::Sender<()>,
}

/// Both servers on a data directory, serving its newest version (or the shipped knowledge base,
/// stored as the first).
async fn start(data_dir: &std::path::Path) -> Servers {
    start_with(data_dir, None).await
}

async fn start_with(data_dir: &std::path::Path, api_keys: Option<Arc<ApiKeys>>) -> Servers {
    let versions = Versions::open(data_dir, 5).unwrap();
    let (kb, sequence) = match versions.latest().unwrap() {
        Some((info, kb)) => (kb, info.sequence),
        None => {
            let kb = KnowledgeBase::built_in().unwrap();
            let info = versions.write(&kb, "seed", "").unwrap();
            (kb, info.sequence)
        }
    };
    let live = Arc::new(LiveMatcher::new(Matcher::new(Arc::new(kb), None).unwrap()));
    let curator = Arc::new(Curator::new(live.clone(), versions, sequence, None));
    let counters = Arc::new(Counters::default());
    let (stop, stopped) = oneshot::channel::<()>();
    let stopped = futures_shared(stopped);
    let matching = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (matching_addr, admin_addr) = (matching.local_addr().unwrap(), admin.local_addr().unwrap());
    let options = Options {
        counters: counters.clone(),
        ..Options::default()
    };
    tokio::spawn(counterclaim::grpc::serve(
        matching,
        live.clone(),
        options,
        stopped.clone().wait(),
    ));
    let admin_options = counterclaim::admin::Options {
        counters,
        drain_timeout: std::time::Duration::from_secs(5),
        api_keys,
        tls: None,
    };
    let feedback = Arc::new(FeedbackLog::open(data_dir).unwrap());
    tokio::spawn(counterclaim::admin::serve(
        admin,
        curator,
        feedback,
        admin_options,
        stopped.wait(),
    ));
    Servers {
        matching: CounterclaimClient::connect(format!("http://{matching_addr}"))
            .await
            .unwrap(),
        admin: KnowledgeBaseAdminClient::connect(format!("http://{admin_addr}"))
            .await
            .unwrap(),
        live,
        _stop: stop,
    }
}

/// One stop signal for both servers.
#[derive(Clone)]
struct Shared(tokio::sync::watch::Receiver<bool>);

fn futures_shared(stopped: oneshot::Receiver<()>) -> Shared {
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = stopped.await;
        let _ = tx.send(true);
    });
    Shared(rx)
}

impl Shared {
    async fn wait(mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

async fn matched(client: &mut CounterclaimClient<Channel>, text: &str) -> (Vec<String>, String) {
    let answer = client
        .match_post(pb::MatchPostRequest {
            post: Some(pb::Post {
                id: "p1".into(),
                text: text.into(),
                ..Default::default()
            }),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let ids = answer.matches.into_iter().map(|m| m.narrative_id).collect();
    (ids, answer.kb_version)
}

fn put(document: &str, format: admin_pb::DocumentFormat) -> admin_pb::PutNarrativeRequest {
    admin_pb::PutNarrativeRequest {
        document: document.into(),
        format: format.into(),
        if_version: String::new(),
    }
}

#[tokio::test]
async fn a_put_narrative_answers_the_next_call_and_rollback_restores_the_earlier_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    let (before_ids, original) = matched(&mut s.matching, POST).await;
    assert!(!before_ids.contains(&NEW_NARRATIVE.to_owned()));
    // A call that took its snapshot before the write keeps its version to the end.
    let running = s.live.snapshot();

    let written = s
        .admin
        .put_narrative(put(DOCUMENT, admin_pb::DocumentFormat::Toml))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(written.version_before, original);
    assert_ne!(written.version_after, original);
    assert_eq!(written.sequence, 2);
    assert_eq!(written.warnings, Vec::<String>::new());
    let (ids, version) = matched(&mut s.matching, POST).await;
    assert_eq!(
        ids.first().map(String::as_str),
        Some(NEW_NARRATIVE),
        "{ids:?}"
    );
    assert_eq!(version, written.version_after);
    assert_eq!(running.kb().version(), original);
    assert!(running.kb().narrative(NEW_NARRATIVE).is_none());
    let narrative = s
        .matching
        .get_narrative(pb::GetNarrativeRequest {
            id: NEW_NARRATIVE.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let statements = narrative.narrative.unwrap().statements;
    assert_eq!(statements[0].speaker, "Test County Election Board");

    let rolled = s
        .admin
        .rollback(admin_pb::RollbackRequest {
            sequence: 1,
            if_version: written.version_after.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rolled.version_after, original);
    assert_eq!(rolled.sequence, 3);
    let (ids, version) = matched(&mut s.matching, POST).await;
    assert!(!ids.contains(&NEW_NARRATIVE.to_owned()));
    assert_eq!(version, original);

    let versions = s
        .admin
        .list_versions(admin_pb::ListVersionsRequest {})
        .await
        .unwrap()
        .into_inner()
        .versions;
    let actions: Vec<(u64, &str, bool)> = versions
        .iter()
        .map(|v| (v.sequence, v.action.as_str(), v.current))
        .collect();
    assert_eq!(
        actions,
        [
            (3, "rollback to 1", true),
            (2, "put narrative voting-machines-switch-votes", false),
            (1, "seed", false),
        ]
    );
    // The history outlives the servers: a restart serves the newest version.
    drop(s);
    let mut again = start(dir.path()).await;
    assert_eq!(matched(&mut again.matching, POST).await.1, original);
}

/// A write the matcher accepts still comes back with what a curator should fix: here an alias
/// that analyses to one word ("flipped over" is `flip`, "over" being a stop word), which the
/// concept's own "flip" makes harmless, and one that widens it ("changed up" is `chang`).
#[tokio::test]
async fn a_write_returns_the_warnings_about_its_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    let document = DOCUMENT.replace(r#""changed"]"#, r#""flipped over", "changed up"]"#);
    let written = s
        .admin
        .put_narrative(put(&document, admin_pb::DocumentFormat::Toml))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(written.warnings.len(), 1, "{:?}", written.warnings);
    assert!(
        written.warnings[0]
            .contains(r#"the alias "changed up" matches as the single term "chang""#),
        "{:?}",
        written.warnings
    );
}

#[tokio::test]
async fn a_bad_write_is_refused_with_the_field_named_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    let before = matched(&mut s.matching, POST).await.1;
    let cases = [
        (
            DOCUMENT.replace("title = ", "titel = "),
            "unknown field `titel`",
        ),
        (
            DOCUMENT.replace(
                "source = \"test-election-board\"\n\n[[statement]]",
                "source = \"nowhere\"\n\n[[statement]]",
            ),
            "claim \"machines-flipped-votes-claim\": unknown source \"nowhere\"",
        ),
        (
            format!(
                "{DOCUMENT}\n[[statement]]\nid = \"x\"\nspeaker = \"S\"\nquote = \"Q\"\nsource = \"test-election-board\"\nrebuts = [\"no-such-narrative\"]\n"
            ),
            "rebuts unknown narrative \"no-such-narrative\"",
        ),
        ("id = [".to_owned(), "document"),
    ];
    for (document, expected) in cases {
        let status = s
            .admin
            .put_narrative(put(&document, admin_pb::DocumentFormat::Toml))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert!(status.message().contains("document"), "{status:?}");
        assert!(
            status.message().contains(expected),
            "{expected}: {status:?}"
        );
    }
    let status = s
        .admin
        .put_narrative(admin_pb::PutNarrativeRequest {
            if_version: "kb-0000000000000000".into(),
            ..put(DOCUMENT, admin_pb::DocumentFormat::Toml)
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert_eq!(matched(&mut s.matching, POST).await.1, before);
    let versions = s
        .admin
        .list_versions(admin_pb::ListVersionsRequest {})
        .await
        .unwrap()
        .into_inner()
        .versions;
    assert_eq!(versions.len(), 1);
}

#[tokio::test]
async fn delete_and_claimreview_import_change_what_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    let status = s
        .admin
        .delete_narrative(admin_pb::DeleteNarrativeRequest {
            narrative_id: "no-such-narrative".into(),
            if_version: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    // The same narrative as JSON.
    let value: toml::Value = toml::from_str(DOCUMENT).unwrap();
    let json = serde_json::to_string(&value).unwrap();
    s.admin
        .put_narrative(put(&json, admin_pb::DocumentFormat::Json))
        .await
        .unwrap();
    let written = s
        .admin
        .delete_narrative(admin_pb::DeleteNarrativeRequest {
            narrative_id: NEW_NARRATIVE.into(),
            if_version: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(written.narratives, 4);
    assert!(
        !matched(&mut s.matching, POST)
            .await
            .0
            .contains(&NEW_NARRATIVE.to_owned())
    );
    let review = r#"{"@type": "ClaimReview",
        "url": "https://factcheck.example.org/dead-voters-cast-ballots",
        "claimReviewed": "Thousands of dead people cast ballots in the county election",
        "author": {"name": "Example Fact Check"},
        "reviewRating": {"alternateName": "False"}}"#;
    let written = s
        .admin
        .import_claim_review(admin_pb::ImportClaimReviewRequest {
            document: review.into(),
            if_version: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(written.narratives, 5);
    let (ids, _) = matched(
        &mut s.matching,
        "thousands of dead people cast ballots in the county election",
    )
    .await;
    assert_eq!(
        ids.first().map(String::as_str),
        Some("dead-voters-cast-ballots"),
        "{ids:?}"
    );
}

const ADMIN_KEY: &str = "curator-key-0123456789abcdef";
const READ_KEY: &str = "moderation-key-0123456789abcdef";

fn with_key<T>(message: T, key: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {key}").parse().unwrap());
    request
}

#[tokio::test]
async fn admin_writes_need_an_admin_key_and_record_its_name() {
    util::captured_log();
    let dir = tempfile::tempdir().unwrap();
    let mut keys = ApiKeys::default();
    let list = format!("curator:admin:{ADMIN_KEY},moderation:read:{READ_KEY}");
    keys.add_list(&list, "test").unwrap();
    let mut s = start_with(dir.path(), Some(Arc::new(keys))).await;
    let document = || put(DOCUMENT, admin_pb::DocumentFormat::Toml);
    let missing = s.admin.put_narrative(document()).await.unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated);
    let wrong = s
        .admin
        .put_narrative(with_key(document(), "not-a-key-at-all-00000"))
        .await;
    assert_eq!(wrong.unwrap_err().code(), Code::Unauthenticated);
    let read = s.admin.put_narrative(with_key(document(), READ_KEY)).await;
    assert_eq!(read.unwrap_err().code(), Code::PermissionDenied);
    s.admin
        .put_narrative(with_key(document(), ADMIN_KEY))
        .await
        .unwrap();
    let versions = s
        .admin
        .list_versions(with_key(admin_pb::ListVersionsRequest {}, ADMIN_KEY))
        .await
        .unwrap()
        .into_inner()
        .versions;
    assert_eq!(versions[0].key_name, "curator");
    assert_eq!(versions[1].key_name, "");
    // The audit log: one line for the write, with the key's name, the action and the versions
    // before and after.
    let log = util::logged();
    let audit: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("counterclaim::audit") && l.contains("key=\"curator\""))
        .collect();
    assert_eq!(audit.len(), 1, "{log}");
    let before = &versions[1].kb_version;
    let after = &versions[0].kb_version;
    for field in [
        "action=\"put narrative ".to_owned(),
        format!("before=\"{before}\""),
        format!("after=\"{after}\""),
    ] {
        assert!(audit[0].contains(&field), "{field} in {}", audit[0]);
    }
    assert!(!log.contains(ADMIN_KEY), "the key itself was logged");
}

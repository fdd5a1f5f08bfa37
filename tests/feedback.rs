//! Moderators' feedback end to end: `SubmitFeedback` on a real server on 127.0.0.1:0 with the
//! generated client, the records read back from the data directory into the report, and the
//! codes of a verdict left unspecified and of an unknown narrative.

use std::sync::Arc;

use counterclaim::admin::feedback::FeedbackService;
use counterclaim::admin::pb::feedback_client::FeedbackClient;
use counterclaim::admin::pb::feedback_server::FeedbackServer;
use counterclaim::admin::pb::{SubmitFeedbackRequest, Verdict};
use counterclaim::feedback::{Report, ThresholdSource};
use counterclaim::kb::KnowledgeBase;
use counterclaim::live::LiveMatcher;
use counterclaim::matcher::{DEFAULT_THRESHOLD, Matcher};
use counterclaim::store::feedback::{self as store, FeedbackLog};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::Code;
use tonic::transport::server::TcpIncoming;

const NARRATIVE: &str = "mail-voting-widespread-fraud";

fn request(post: &str, verdict: Verdict, score: Option<f32>) -> SubmitFeedbackRequest {
    SubmitFeedbackRequest {
        post_id: post.into(),
        narrative_id: NARRATIVE.into(),
        verdict: verdict.into(),
        note: "seen by a moderator".into(),
        score,
        kb_version: String::new(),
    }
}

#[tokio::test]
async fn feedback_round_trips_into_the_report() {
    let kb = Arc::new(KnowledgeBase::built_in().unwrap());
    let live = Arc::new(LiveMatcher::new(Matcher::new(kb.clone(), None).unwrap()));
    let data = tempfile::tempdir().unwrap();
    let log = Arc::new(FeedbackLog::open(data.path()).unwrap());

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(FeedbackServer::new(FeedbackService::new(live, log)))
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), async {
                stopped.await.ok();
            }),
    );
    let mut client = FeedbackClient::connect(format!("http://{addr}"))
        .await
        .unwrap();

    let submissions = [
        ("p1", Verdict::Correct, Some(0.92)),
        ("p2", Verdict::Correct, Some(0.81)),
        ("p3", Verdict::Wrong, Some(0.62)),
        ("p4", Verdict::Missed, None),
    ];
    for (n, (post, verdict, score)) in (1..).zip(submissions) {
        let answer = client
            .submit_feedback(request(post, verdict, score))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(answer.recorded, n);
    }

    let unspecified = client
        .submit_feedback(request("p5", Verdict::Unspecified, None))
        .await
        .unwrap_err();
    assert_eq!(unspecified.code(), Code::InvalidArgument);
    assert!(unspecified.message().contains("verdict"), "{unspecified:?}");
    let unknown = client
        .submit_feedback(SubmitFeedbackRequest {
            narrative_id: "no-such-narrative".into(),
            ..request("p6", Verdict::Correct, Some(0.9))
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    let too_high = client
        .submit_feedback(request("p7", Verdict::Correct, Some(1.5)))
        .await
        .unwrap_err();
    assert_eq!(too_high.code(), Code::InvalidArgument);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    // Only the four accepted records are stored, each with the version served.
    let read = store::read(&data.path().join(store::FILE_NAME)).unwrap();
    assert!(read.skipped.is_empty());
    assert_eq!(read.records.len(), 4);
    assert!(read.records.iter().all(|r| r.kb_version == kb.version()));

    let report = Report::build(&read.records, &kb, 0.95);
    let [n] = &report.narratives[..] else {
        panic!("{report:?}")
    };
    assert_eq!(n.narrative_id, NARRATIVE);
    assert_eq!((n.correct, n.wrong, n.missed), (2, 1, 1));
    assert!((n.precision.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert!((n.missed_share.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(n.threshold_for_target, Some(0.81));
    assert_eq!(n.current_threshold, DEFAULT_THRESHOLD);
    assert_eq!(n.threshold_source, ThresholdSource::Default);
}

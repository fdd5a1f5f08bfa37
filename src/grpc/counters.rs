//! What the server counts about its own behaviour: posts matched, matching work in flight,
//! every rejection by kind, calls by method and code with their durations, matches by narrative
//! and stance, and whether it is draining. Each rejection is also logged once, with its kind and
//! running total, so an operator sees overload in the log.
//!
//! [`Counters::render`] writes it all in the Prometheus text format (the HTTP transport serves
//! it at `/metrics`). The recorder is this server's own, not a process-wide one, so two servers
//! in one process (as in the tests) never mix their figures. Counts the rest of the crate reads
//! (posts, rejections) stay plain atomics and are copied into the recorder when it renders.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use metrics::{Key, KeyName, Label, Metadata, Recorder, SharedString};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use tonic::Code;

use super::pb;
use crate::Error;
use crate::store::trends::TrendRecorder;

/// Why the server turned work away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The bound on posts in flight was full and so was the queue.
    QueueFull,
    /// A call waited its queue time without the bound freeing up.
    QueueTimeout,
    /// Every stream slot of the server was taken.
    StreamsFull,
    /// The connection already held its share of the stream slots.
    ConnectionStreamsFull,
    /// A stream sent no post within the idle timeout and was closed.
    StreamIdle,
    /// A stream was still open at the drain deadline and was ended.
    ShuttingDown,
    /// The server held its most connections; a new one was closed at once.
    ConnectionsFull,
    /// A call came without an API key, or with one the server does not know.
    Unauthenticated,
    /// A call came with a known API key whose role is too low for it.
    PermissionDenied,
}

impl Rejection {
    pub const ALL: [Rejection; 9] = [
        Rejection::QueueFull,
        Rejection::QueueTimeout,
        Rejection::StreamsFull,
        Rejection::ConnectionStreamsFull,
        Rejection::StreamIdle,
        Rejection::ShuttingDown,
        Rejection::ConnectionsFull,
        Rejection::Unauthenticated,
        Rejection::PermissionDenied,
    ];

    /// The name logs and metrics use.
    pub fn name(self) -> &'static str {
        match self {
            Rejection::QueueFull => "queue_full",
            Rejection::QueueTimeout => "queue_timeout",
            Rejection::StreamsFull => "streams_full",
            Rejection::ConnectionStreamsFull => "connection_streams_full",
            Rejection::StreamIdle => "stream_idle",
            Rejection::ShuttingDown => "shutting_down",
            Rejection::ConnectionsFull => "connections_full",
            Rejection::Unauthenticated => "unauthenticated",
            Rejection::PermissionDenied => "permission_denied",
        }
    }
}

const REQUESTS: &str = "counterclaim_requests_total";
const REQUEST_DURATION: &str = "counterclaim_request_duration_seconds";
const POSTS_MATCHED: &str = "counterclaim_posts_matched_total";
const MATCHES: &str = "counterclaim_matches_total";
const REJECTIONS: &str = "counterclaim_rejections_total";
const IN_FLIGHT: &str = "counterclaim_in_flight_posts";
const KB_INFO: &str = "counterclaim_kb_info";
const MODEL_SECONDS: &str = "counterclaim_model_seconds";
const POSTS_EMBEDDED: &str = "counterclaim_posts_embedded_total";
const TREND_RECORDS: &str = "counterclaim_trend_records_total";
const TREND_DROPPED: &str = "counterclaim_trend_dropped_total";

/// Upper bounds of the duration histogram's buckets, in seconds: a lexical MatchPost takes about
/// a millisecond, a 256-post hybrid batch seconds, and no call outlives the 60 s call timeout.
const DURATION_BUCKETS: [f64; 15] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Upper bounds of the model-time histogram's buckets, in seconds: one short post takes a few
/// milliseconds on two cores, a batch of 32 a few hundred, 256 long ones several seconds.
const MODEL_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The methods the server answers, as `service/method`; any other path a client sends is
/// counted as `other`, so a client cannot grow the label set.
const METHODS: [&str; 17] = [
    "counterclaim.v1.Counterclaim/MatchPost",
    "counterclaim.v1.Counterclaim/MatchPosts",
    "counterclaim.v1.Counterclaim/StreamMatchPosts",
    "counterclaim.v1.Counterclaim/ListNarratives",
    "counterclaim.v1.Counterclaim/GetNarrative",
    "counterclaim.v1.Counterclaim/SearchNarratives",
    "counterclaim.v1.Counterclaim/GetServerInfo",
    "counterclaim.admin.v1.KnowledgeBaseAdmin/PutNarrative",
    "counterclaim.admin.v1.KnowledgeBaseAdmin/DeleteNarrative",
    "counterclaim.admin.v1.KnowledgeBaseAdmin/ImportClaimReview",
    "counterclaim.admin.v1.KnowledgeBaseAdmin/ListVersions",
    "counterclaim.admin.v1.KnowledgeBaseAdmin/Rollback",
    "counterclaim.admin.v1.Feedback/SubmitFeedback",
    "grpc.health.v1.Health/Check",
    "grpc.health.v1.Health/Watch",
    "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// The server's counters; share one `Arc<Counters>` to read them while it runs.
#[derive(Debug)]
pub struct Counters {
    posts_matched: AtomicU64,
    posts_in_flight: AtomicU64,
    rejections: [AtomicU64; Rejection::ALL.len()],
    draining: AtomicBool,
    kb_version: std::sync::Mutex<Option<String>>,
    /// The trend store's recorder, whose counts are copied in at each render.
    trends: std::sync::OnceLock<TrendRecorder>,
    prometheus: PrometheusRecorder,
    rendered: PrometheusHandle,
}

impl Default for Counters {
    fn default() -> Self {
        let prometheus = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.into()), &DURATION_BUCKETS)
            .expect("the buckets are not empty")
            .set_buckets_for_metric(Matcher::Full(MODEL_SECONDS.into()), &MODEL_BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        for (name, help) in [
            (REQUESTS, "Calls ended, by method and gRPC code."),
            (
                POSTS_MATCHED,
                "Posts the matcher has finished, over every RPC.",
            ),
            (
                MATCHES,
                "Narrative matches answered, by narrative and stance.",
            ),
            (REJECTIONS, "Work turned away, by reason."),
            (TREND_RECORDS, "Matches written to the trend store."),
            (
                TREND_DROPPED,
                "Matches the trend store dropped: its queue was full or a write failed.",
            ),
            (
                POSTS_EMBEDDED,
                "Posts the sentence-embedding model embedded (a text repeated within a call once).",
            ),
        ] {
            prometheus.describe_counter(KeyName::from_const_str(name), None, help.into());
        }
        prometheus.describe_histogram(
            KeyName::from_const_str(REQUEST_DURATION),
            None,
            SharedString::const_str("Time from a call's arrival to its status, by method."),
        );
        prometheus.describe_histogram(
            KeyName::from_const_str(MODEL_SECONDS),
            None,
            SharedString::const_str("Time in the sentence-embedding model, per batch of posts."),
        );
        prometheus.describe_gauge(
            KeyName::from_const_str(IN_FLIGHT),
            None,
            SharedString::const_str("Posts admitted and not yet answered."),
        );
        prometheus.describe_gauge(
            KeyName::from_const_str(KB_INFO),
            None,
            SharedString::const_str("1, labelled with the knowledge base's version."),
        );
        let rendered = prometheus.handle();
        Self {
            posts_matched: AtomicU64::default(),
            posts_in_flight: AtomicU64::default(),
            rejections: Default::default(),
            draining: AtomicBool::default(),
            kb_version: Default::default(),
            trends: Default::default(),
            prometheus,
            rendered,
        }
    }
}

impl Counters {
    /// Posts the matcher has finished, over every RPC.
    pub fn posts_matched(&self) -> u64 {
        self.posts_matched.load(Ordering::Relaxed)
    }

    /// Posts admitted and not yet answered.
    pub fn posts_in_flight(&self) -> u64 {
        self.posts_in_flight.load(Ordering::Relaxed)
    }

    /// Rejections of one kind so far.
    pub fn rejected(&self, kind: Rejection) -> u64 {
        self.rejections[kind as usize].load(Ordering::Relaxed)
    }

    /// Whether the server has been asked to stop and is draining (health is NOT_SERVING).
    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// Everything counted, in the Prometheus text format.
    pub fn render(&self) -> String {
        self.counter(Key::from_static_name(POSTS_MATCHED))
            .absolute(self.posts_matched());
        self.prometheus
            .register_gauge(&Key::from_static_name(IN_FLIGHT), &METADATA)
            .set(self.posts_in_flight() as f64);
        for kind in Rejection::ALL {
            self.counter(Key::from_parts(
                REJECTIONS,
                vec![Label::from_static_parts("reason", kind.name())],
            ))
            .absolute(self.rejected(kind));
        }
        if let Some(trends) = self.trends.get() {
            self.counter(Key::from_static_name(TREND_RECORDS))
                .absolute(trends.recorded());
            self.counter(Key::from_static_name(TREND_DROPPED))
                .absolute(trends.dropped());
        }
        self.rendered.render()
    }

    /// Renders the trend store's counts (written, dropped) from now on.
    pub fn watch_trends(&self, trends: TrendRecorder) {
        let _ = self.trends.set(trends);
    }

    /// Folds the durations recorded since the last render into their buckets, so they take no
    /// more memory when nobody scrapes.
    pub(super) fn upkeep(&self) {
        self.rendered.run_upkeep();
    }

    pub(super) fn drain_started(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    /// The knowledge-base version being served: 1 for it, 0 for the one it replaced.
    pub fn knowledge_base(&self, version: &str) {
        let gauge = |version: &str| {
            let labels = vec![Label::new("version", version.to_owned())];
            self.prometheus
                .register_gauge(&Key::from_parts(KB_INFO, labels), &METADATA)
        };
        let mut served = self.kb_version.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = served.replace(version.to_owned()) {
            gauge(&old).set(0.0);
        }
        gauge(version).set(1.0);
    }

    /// Counts posts the matcher has finished, answered or not.
    pub(super) fn matched(&self, posts: usize) {
        self.posts_matched
            .fetch_add(posts as u64, Ordering::Relaxed);
    }

    /// Counts the matches in answers, by narrative and stance.
    pub(super) fn answered(&self, answers: &[pb::MatchPostResponse]) {
        for m in answers.iter().flat_map(|a| &a.matches) {
            let stance = match pb::Stance::try_from(m.stance) {
                Ok(pb::Stance::Promotes) => "promotes",
                Ok(pb::Stance::Debunks) => "debunks",
                Ok(pb::Stance::Neutral) => "neutral",
                _ => "unspecified",
            };
            let labels = vec![
                Label::new("narrative", m.narrative_id.clone()),
                Label::from_static_parts("stance", stance),
            ];
            self.counter(Key::from_parts(MATCHES, labels)).increment(1);
        }
    }

    /// Counts a call that ended, from the access log.
    pub(super) fn call_ended(&self, path: &str, code: Code, duration: Duration) {
        let path = path.trim_start_matches('/');
        let method = METHODS.into_iter().find(|m| *m == path).unwrap_or("other");
        let method = Label::from_static_parts("method", method);
        let labels = vec![method.clone(), Label::new("code", code_name(code))];
        self.counter(Key::from_parts(REQUESTS, labels)).increment(1);
        self.prometheus
            .register_histogram(&Key::from_parts(REQUEST_DURATION, vec![method]), &METADATA)
            .record(duration.as_secs_f64());
    }

    /// Counts a batch the sentence-embedding model ran: its posts and its time.
    pub(super) fn model_ran(&self, posts: usize, duration: Duration) {
        self.counter(Key::from_static_name(POSTS_EMBEDDED))
            .increment(posts as u64);
        self.prometheus
            .register_histogram(&Key::from_static_name(MODEL_SECONDS), &METADATA)
            .record(duration.as_secs_f64());
    }

    fn counter(&self, key: Key) -> metrics::Counter {
        self.prometheus.register_counter(&key, &METADATA)
    }

    pub(super) fn admitted(&self, posts: u32) {
        self.posts_in_flight
            .fetch_add(u64::from(posts), Ordering::Relaxed);
    }

    pub(super) fn released(&self, posts: u32) {
        self.posts_in_flight
            .fetch_sub(u64::from(posts), Ordering::Relaxed);
    }

    /// Counts and logs a rejection, and hands back the error the client gets.
    pub fn reject(&self, kind: Rejection, error: Error) -> Error {
        let total = self.count_rejection(kind);
        tracing::warn!(kind = kind.name(), total, %error, "rejected");
        error
    }

    /// Counts a rejection whose caller logs it (at its own rate); returns the running total.
    pub fn count_rejection(&self, kind: Rejection) -> u64 {
        self.rejections[kind as usize].fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// A gRPC code as the gRPC docs and grpcurl spell it: `OK`, `INVALID_ARGUMENT`.
fn code_name(code: Code) -> String {
    let mut name = String::new();
    for (i, c) in format!("{code:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_named_as_grpc_names_them() {
        assert_eq!(code_name(Code::Ok), "OK");
        assert_eq!(code_name(Code::InvalidArgument), "INVALID_ARGUMENT");
        assert_eq!(code_name(Code::ResourceExhausted), "RESOURCE_EXHAUSTED");
    }

    #[test]
    fn calls_render_by_method_and_code_and_unknown_paths_share_one_label() {
        let counters = Counters::default();
        let match_post = "/counterclaim.v1.Counterclaim/MatchPost";
        counters.call_ended(match_post, Code::Ok, Duration::from_millis(3));
        counters.call_ended(match_post, Code::InvalidArgument, Duration::from_millis(1));
        counters.call_ended("/evil/a1", Code::Unimplemented, Duration::ZERO);
        counters.call_ended("/evil/a2", Code::Unimplemented, Duration::ZERO);
        let text = counters.render();
        for line in [
            r#"counterclaim_requests_total{method="counterclaim.v1.Counterclaim/MatchPost",code="OK"} 1"#,
            r#"counterclaim_requests_total{method="counterclaim.v1.Counterclaim/MatchPost",code="INVALID_ARGUMENT"} 1"#,
            r#"counterclaim_requests_total{method="other",code="UNIMPLEMENTED"} 2"#,
            r#"counterclaim_request_duration_seconds_bucket{method="counterclaim.v1.Counterclaim/MatchPost",le="0.005"} 2"#,
            r#"counterclaim_rejections_total{reason="queue_full"} 0"#,
            "counterclaim_in_flight_posts 0",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
        assert!(!text.contains("evil"));
    }
}

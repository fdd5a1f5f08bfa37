//! The NATS JetStream transport: stateless workers sharing one durable pull consumer, beside
//! `grpc/` and `batch/`. The matcher knows nothing of NATS: a worker pulls a batch of posts,
//! scores it with [`batch::score_records`](crate::batch::score_records) (the checks and calls
//! of `score`), publishes one result per post and only then acknowledges the inputs.
//!
//! Guarantees (see `docs/scale-out.md`): processing is at least once (a worker that dies
//! before its ack leaves the post to be redelivered after the ack wait); results are
//! de-duplicated by JetStream within the stream's duplicate window, since each is published
//! with a `Nats-Msg-Id` made from the post id; ordering is not kept across workers.
//!
//! Files:
//! - `run`: the worker loop ([`run_worker`]).
//! - `publish`: `counterclaim publish`, the inputs of `score` onto the input subject.
//! - `collect`: `counterclaim collect`, the results back into JSONL.
//! - `versions`: the knowledge-base version of each live worker, in a key-value bucket.

mod collect;
mod publish;
mod run;
mod versions;

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};

pub use collect::{CollectConfig, CollectSummary, collect};
pub use publish::{PublishConfig, PublishSummary, publish};
pub use run::{WorkerConfig, WorkerSummary, run_worker};

/// How long JetStream remembers a `Nats-Msg-Id`: a redelivered post whose result was stored
/// less than this ago is not stored twice.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// Most posts in a worker's batch, and most publish acks `publish` awaits at once. async-nats
/// lets a context have 5,000 publish acks outstanding and makes a publish past that wait for
/// one; a worker sends a whole batch's results before awaiting any, so a larger batch would
/// wait on itself for ever.
pub const MAX_IN_FLIGHT: usize = 4096;

/// Why the transport failed: connecting, setting up the stream or consumer, or publishing.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("{0}")]
    Config(String),
    #[error("NATS {what}: {source}")]
    Nats {
        what: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(transparent)]
    Batch(#[from] crate::batch::BatchError),
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl WorkerError {
    fn nats(
        what: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        WorkerError::Nats {
            what: what.into(),
            source: Box::new(source),
        }
    }
}

/// The message id of each kind of message. Posts, results and dead letters share one stream,
/// and JetStream de-duplicates ids stream-wide: a bare post id on both a post and its result
/// would make the result a "duplicate" of the post and drop it.
pub fn post_msg_id(post_id: &str) -> String {
    format!("post:{post_id}")
}

pub fn result_msg_id(post_id: &str) -> String {
    format!("result:{post_id}")
}

/// A poison message may have no id: its stream sequence names it, so a redelivered poison
/// message is not dead-lettered twice either.
pub fn dead_letter_msg_id(stream_sequence: u64) -> String {
    format!("dead:{stream_sequence}")
}

/// Connects to the server at `url`, naming the URL in the error.
pub async fn connect(url: &str) -> Result<jetstream::Context, WorkerError> {
    let client = async_nats::ConnectOptions::new()
        .name("counterclaim")
        .connect(url)
        .await
        .map_err(|e| WorkerError::nats(format!("connecting to {url}"), e))?;
    Ok(jetstream::new(client))
}

/// The stream named `name`, created if missing: file storage (posts survive a server restart),
/// every subject under `name.`, and the [`DUPLICATE_WINDOW`]. An existing stream is used as
/// it is.
pub async fn ensure_stream(
    js: &jetstream::Context,
    name: &str,
) -> Result<stream::Stream, WorkerError> {
    js.get_or_create_stream(stream::Config {
        name: name.to_owned(),
        subjects: vec![format!("{name}.>")],
        storage: stream::StorageType::File,
        duplicate_window: DUPLICATE_WINDOW,
        ..Default::default()
    })
    .await
    .map_err(|e| WorkerError::nats(format!("creating or finding the stream {name}"), e))
}

/// Fails unless `subject` lies in the stream's subjects (`stream.>`): a subject outside would
/// not be stored, and publish acks would never come.
pub fn check_subject(stream: &str, flag: &str, subject: &str) -> Result<(), WorkerError> {
    match subject
        .strip_prefix(stream)
        .and_then(|s| s.strip_prefix('.'))
    {
        Some(rest) if !rest.is_empty() => Ok(()),
        _ => Err(WorkerError::Config(format!(
            "{flag} {subject:?} is not in the stream {stream}: give a subject starting with \
             {stream}."
        ))),
    }
}

/// The durable pull consumer the workers share, created if missing: explicit acks, an input
/// redelivered after `ack_wait` without one, and at most `max_ack_pending` posts handed out
/// unacknowledged across all workers (the back-pressure: a slow cluster stops receiving).
/// An existing consumer keeps its settings.
pub async fn ensure_consumer(
    stream: &stream::Stream,
    name: &str,
    subject: &str,
    ack_wait: Duration,
    max_ack_pending: i64,
) -> Result<consumer::PullConsumer, WorkerError> {
    stream
        .get_or_create_consumer(
            name,
            consumer::pull::Config {
                durable_name: Some(name.to_owned()),
                filter_subject: subject.to_owned(),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait,
                max_ack_pending,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| WorkerError::nats(format!("creating or finding the consumer {name}"), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_must_lie_in_the_stream() {
        assert!(check_subject("CC", "--subject", "CC.posts").is_ok());
        assert!(check_subject("CC", "--subject", "CC.a.b").is_ok());
        for outside in ["CCX.posts", "CC", "CC.", "posts", "DD.posts"] {
            let error = check_subject("CC", "--subject", outside)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("--subject") && error.contains("CC."),
                "{error}"
            );
        }
    }

    #[test]
    fn posts_results_and_dead_letters_have_ids_of_their_own() {
        let ids = [post_msg_id("7"), result_msg_id("7"), dead_letter_msg_id(7)];
        assert_eq!(ids, ["post:7", "result:7", "dead:7"]);
    }
}

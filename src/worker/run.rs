//! The worker loop: pull a batch, score it on the scoring pool, publish one result per post
//! (or a dead letter), await JetStream's publish acks, and only then acknowledge the inputs.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::context::{PublishAckFuture, PublishError};
use async_nats::jetstream::{self, AckKind};
use serde::Serialize;
use tokio_stream::StreamExt;

use super::versions::Versions;
use super::{WorkerError, check_subject, connect, ensure_consumer, ensure_stream};
use crate::batch::{Fields, RawRecord, RecordVerdict, ScoredWith, jsonl_record, score_records};
use crate::matcher::{MatchOptions, Matcher};

/// How long one pull waits for its batch to fill: also how long a shutdown waits for the pull
/// in progress.
const PULL_EXPIRES: Duration = Duration::from_secs(1);
/// How long past [`PULL_EXPIRES`] the server's answer to a pull may be late before the pull is
/// taken for lost. Posts it brings later are redelivered after the ack wait.
const PULL_GRACE: Duration = Duration::from_secs(2);
/// The part of a poison message kept in its dead letter.
const DEAD_RECORD_BYTES: usize = 4096;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub url: String,
    pub stream: String,
    /// The input subject (the consumer's filter).
    pub subject: String,
    pub consumer: String,
    pub results_subject: String,
    pub dead_letter_subject: String,
    /// Posts pulled and scored together.
    pub batch: usize,
    /// Set on the consumer when this worker creates it.
    pub ack_wait: Duration,
    pub max_ack_pending: i64,
    pub fields: Fields,
    pub options: MatchOptions,
    /// Scoring threads; `None` (or 0): one per core.
    pub threads: Option<usize>,
}

/// What a worker did, logged when it stops.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WorkerSummary {
    pub scored: u64,
    pub dead_letters: u64,
    /// Results JetStream already held (a redelivered post): not stored twice.
    pub duplicates: u64,
    /// Inputs left unacknowledged (a failed publish or match): redelivered after the ack wait.
    pub left: u64,
}

/// A dead letter: why the message is not a post, and what it held.
#[derive(Serialize)]
struct DeadLetter<'a> {
    reason: &'a str,
    stream_sequence: u64,
    subject: &'a str,
    record: String,
    kb_version: &'a str,
}

/// Runs a worker until `shutdown` resolves, then finishes the batch in hand and returns.
pub async fn run_worker(
    config: WorkerConfig,
    matcher: Arc<Matcher>,
    shutdown: impl Future<Output = ()>,
) -> Result<WorkerSummary, WorkerError> {
    for (flag, subject) in [
        ("--subject", &config.subject),
        ("--results-subject", &config.results_subject),
        ("--dead-letter-subject", &config.dead_letter_subject),
    ] {
        check_subject(&config.stream, flag, subject)?;
    }
    if !(1..=super::MAX_IN_FLIGHT).contains(&config.batch) {
        return Err(WorkerError::Config(format!(
            "--batch must be from 1 to {}",
            super::MAX_IN_FLIGHT
        )));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .thread_name(|i| format!("score-{i}"))
        .build()
        .map_err(|e| WorkerError::Config(format!("cannot start the scoring threads: {e}")))?;
    let pool = Arc::new(pool);
    let js = connect(&config.url).await?;
    let stream = ensure_stream(&js, &config.stream).await?;
    let consumer = ensure_consumer(
        &stream,
        &config.consumer,
        &config.subject,
        config.ack_wait,
        config.max_ack_pending,
    )
    .await?;
    let kb_version = matcher.kb().version().to_owned();
    let mut versions = Versions::join(&js, &config.stream, &kb_version).await?;
    tracing::info!(
        kb_version = %kb_version,
        mode = matcher.mode(),
        url = %config.url,
        stream = %config.stream,
        consumer = %config.consumer,
        subject = %config.subject,
        batch = config.batch,
        "worker started"
    );

    let mut summary = WorkerSummary::default();
    tokio::pin!(shutdown);
    let mut stopping = false;
    // A shutdown stops the pulling only: the pull in progress is awaited, and what it brought
    // is scored, published and acknowledged like any batch.
    while !stopping {
        versions.refresh_if_due().await;
        let pull = pull_batch(&consumer, config.batch);
        tokio::pin!(pull);
        let pulled = tokio::select! {
            messages = &mut pull => messages,
            () = &mut shutdown => {
                stopping = true;
                tracing::info!("stopping: finishing the batch in hand");
                pull.await
            }
        };
        // A lost connection is not the end: the client reconnects, and the posts wait in the
        // stream meanwhile.
        let messages = match pulled {
            Ok(messages) => messages,
            Err(error) => {
                tracing::warn!(%error, "pull failed; trying again in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if messages.is_empty() {
            continue;
        }
        // From here until "acknowledging" the posts are in hand: a worker killed in between
        // leaves them to be redelivered (the NATS tests read these lines).
        tracing::debug!(posts = messages.len(), "batch pulled");
        let with = ScoredWith {
            kb_version: &kb_version,
            other_kb_versions: versions.others(),
        };
        let done = handle_batch(&js, &config, &matcher, &pool, with, messages).await?;
        summary.scored += done.scored;
        summary.dead_letters += done.dead_letters;
        summary.duplicates += done.duplicates;
        summary.left += done.left;
    }
    versions.leave().await;
    tracing::info!(
        scored = summary.scored,
        dead_letters = summary.dead_letters,
        duplicates = summary.duplicates,
        left = summary.left,
        "worker stopped"
    );
    Ok(summary)
}

/// Pulls up to `max` posts, waiting at most [`PULL_EXPIRES`] for them. A pull request the
/// server lost (it restarted, or the connection dropped) is never answered: async-nats would
/// wait five seconds past the expiry; [`PULL_GRACE`] after it, the worker pulls again instead.
async fn pull_batch(
    consumer: &jetstream::consumer::PullConsumer,
    max: usize,
) -> Result<Vec<jetstream::Message>, WorkerError> {
    let mut batch = consumer
        .batch()
        .max_messages(max)
        .expires(PULL_EXPIRES)
        .messages()
        .await
        .map_err(|e| WorkerError::nats("pulling a batch", e))?;
    let mut messages = Vec::with_capacity(max);
    let lost = tokio::time::sleep(PULL_EXPIRES + PULL_GRACE);
    tokio::pin!(lost);
    loop {
        tokio::select! {
            message = batch.next() => match message {
                None => break,
                Some(Ok(message)) => messages.push(message),
                Some(Err(e)) => tracing::warn!(error = %e, "pull interrupted"),
            },
            () = &mut lost => {
                tracing::debug!(posts = messages.len(), "pull request unanswered: pulling again");
                break;
            }
        }
    }
    Ok(messages)
}

/// Scores one batch and settles each of its messages.
async fn handle_batch(
    js: &jetstream::Context,
    config: &WorkerConfig,
    matcher: &Arc<Matcher>,
    pool: &Arc<rayon::ThreadPool>,
    with: ScoredWith<'_>,
    messages: Vec<jetstream::Message>,
) -> Result<WorkerSummary, WorkerError> {
    let records: Vec<RawRecord> = (messages.iter())
        .map(|m| RawRecord::json(sequence(m), &m.payload))
        .collect();
    let verdicts = {
        let (matcher, pool) = (Arc::clone(matcher), Arc::clone(pool));
        let (options, fields) = (config.options, config.fields.clone());
        // Scoring is CPU-bound: on the blocking pool, across all cores like `score`.
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&RawRecord> = records.iter().collect();
            pool.install(|| score_records(&matcher, &options, &fields, &refs))
        })
        .await
        .map_err(|e| WorkerError::Config(format!("the scoring task failed: {e}")))?
    };

    let mut done = WorkerSummary::default();
    // Every publish is sent before any ack is awaited, so a batch costs one round trip.
    let mut pending: Vec<(usize, Option<PublishAckFuture>)> = Vec::with_capacity(messages.len());
    for (slot, (message, verdict)) in messages.iter().zip(verdicts).enumerate() {
        let (subject, id, payload) = match verdict {
            RecordVerdict::Scored(outcome) => {
                done.scored += 1;
                let id = super::result_msg_id(&outcome.post_id);
                let payload = jsonl_record(&outcome, Some(with));
                (&config.results_subject, id, payload)
            }
            RecordVerdict::Bad(reason) => {
                done.dead_letters += 1;
                let seq = sequence(message);
                tracing::warn!(stream_sequence = seq, %reason, "poison message: dead-lettered");
                let letter = DeadLetter {
                    reason: &reason,
                    stream_sequence: seq,
                    subject: message.subject.as_str(),
                    record: shown(&message.payload),
                    kb_version: with.kb_version,
                };
                let payload = serde_json::to_vec(&letter).expect("a dead letter serialises");
                (
                    &config.dead_letter_subject,
                    super::dead_letter_msg_id(seq),
                    payload,
                )
            }
            RecordVerdict::Failed(error) => {
                // An internal fault, not the post's: another worker (or a later try) may fare
                // better, so it is handed back rather than dead-lettered.
                tracing::error!(stream_sequence = sequence(message), %error, "matching failed");
                pending.push((slot, None));
                continue;
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", id.as_str());
        // A failed publish leaves its post unacknowledged, to come back after the ack wait.
        match js
            .publish_with_headers(subject.clone(), headers, payload.into())
            .await
        {
            Ok(sent) => pending.push((slot, Some(sent))),
            Err(error) => {
                tracing::warn!(%subject, %error, "result not published");
                pending.push((slot, None));
            }
        }
    }
    tracing::debug!(posts = messages.len(), "batch published: acknowledging");
    let stored = stored_results(pending, messages.len()).await;
    for (message, stored) in messages.iter().zip(stored) {
        let acked = match stored {
            Ok(duplicate) => {
                done.duplicates += u64::from(duplicate);
                message.ack().await
            }
            Err(error) => {
                if let Some(error) = error {
                    tracing::warn!(stream_sequence = sequence(message), %error, "result not stored");
                }
                done.left += 1;
                message.ack_with(AckKind::Nak(None)).await
            }
        };
        if let Err(error) = acked {
            tracing::warn!(stream_sequence = sequence(message), %error, "ack not sent");
        }
    }
    // Acks are fire-and-forget publishes: flushed, so that a worker stopping after this batch
    // has sent them all.
    if let Err(error) = js.client().flush().await {
        // An ack that is lost only brings its post back: its result is stored, and the
        // second one is a duplicate JetStream drops.
        tracing::warn!(%error, "acks not flushed");
    }
    tracing::debug!(
        scored = done.scored,
        dead_letters = done.dead_letters,
        duplicates = done.duplicates,
        "batch done"
    );
    Ok(done)
}

/// Awaits JetStream's ack of every result published, all at once: each ack times out on its
/// own clock from when it is awaited, so awaited one after another, the results lost with a
/// connection would cost a timeout (5 s) each, minutes for a batch. Per slot: whether the
/// result was already stored (a duplicate), or why it was not (`None`: never published).
async fn stored_results(
    pending: Vec<(usize, Option<PublishAckFuture>)>,
    slots: usize,
) -> Vec<Result<bool, Option<PublishError>>> {
    let mut stored: Vec<Result<bool, Option<PublishError>>> =
        std::iter::repeat_with(|| Err(None)).take(slots).collect();
    let mut acks = tokio::task::JoinSet::new();
    for (slot, sent) in pending {
        if let Some(sent) = sent {
            acks.spawn(async move { (slot, sent.await) });
        }
    }
    while let Some(joined) = acks.join_next().await {
        let (slot, ack) = joined.expect("awaiting a publish ack does not panic");
        stored[slot] = ack.map(|ack| ack.duplicate).map_err(Some);
    }
    stored
}

fn sequence(message: &jetstream::Message) -> u64 {
    message.info().map_or(0, |info| info.stream_sequence)
}

/// The start of a poison message, as text.
fn shown(payload: &[u8]) -> String {
    let kept = &payload[..payload.len().min(DEAD_RECORD_BYTES)];
    String::from_utf8_lossy(kept).into_owned()
}

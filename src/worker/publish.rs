//! `counterclaim publish`: the inputs of `score` (files, gzip or zstd, standard input; JSONL,
//! CSV or TSV), read by the batch reader, published post by post to the input subject with a
//! bounded window of publish acks awaited.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::jetstream::context::PublishAckFuture;
use serde::Serialize;
use tokio::sync::mpsc;

use super::{WorkerError, check_subject, connect, ensure_stream, post_msg_id};
use crate::batch::{BatchError, Fields, InputFormat, Progress, REPORTED_BAD_RECORDS, read_input};

/// Posts read ahead of the publisher.
const READ_AHEAD: usize = 1024;
/// How often a count is logged when stderr is not a terminal (no bar then).
const COUNT_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct PublishConfig {
    pub url: String,
    pub stream: String,
    pub subject: String,
    pub inputs: Vec<PathBuf>,
    pub input_format: Option<InputFormat>,
    pub fields: Fields,
    /// Publish acks outstanding at most: bounds memory and how far ahead of the server the
    /// publisher runs.
    pub window: usize,
    /// A progress bar on stderr (for a terminal); otherwise a count is logged now and then.
    pub progress: bool,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct PublishSummary {
    /// Posts stored by JetStream.
    pub published: u64,
    /// Posts JetStream already held (the same post id within the duplicate window).
    pub duplicates: u64,
    /// Records that are not posts (as `score` would skip them).
    pub skipped: u64,
}

/// What the reader thread hands the publisher: a post's id and its JSON object.
type Item = Result<(String, Vec<u8>), BatchError>;

pub async fn publish(config: PublishConfig) -> Result<PublishSummary, WorkerError> {
    check_subject(&config.stream, "--subject", &config.subject)?;
    let window = config.window.clamp(1, super::MAX_IN_FLIGHT);
    let js = connect(&config.url).await?;
    ensure_stream(&js, &config.stream).await?;
    let (tx, mut rx) = mpsc::channel::<Item>(READ_AHEAD);
    let reader = {
        let (inputs, format, fields) = (config.inputs.clone(), config.input_format, config.fields);
        // Reading and decompressing block: on a thread of their own.
        std::thread::Builder::new()
            .name("publish-reader".to_owned())
            .spawn(move || read_posts(&inputs, format, &fields, &tx))
            .map_err(|e| WorkerError::Io {
                path: "<reader thread>".into(),
                source: e,
            })?
    };
    let mut summary = PublishSummary::default();
    let mut shown = Shown::new(config.progress);
    let mut in_flight: VecDeque<PublishAckFuture> = VecDeque::with_capacity(window);
    while let Some(item) = rx.recv().await {
        let (id, payload) = item?;
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", post_msg_id(&id).as_str());
        let sent = js
            .publish_with_headers(config.subject.clone(), headers, payload.into())
            .await
            .map_err(|e| WorkerError::nats(format!("publishing to {}", config.subject), e))?;
        in_flight.push_back(sent);
        if in_flight.len() >= window
            && let Some(oldest) = in_flight.pop_front()
        {
            settle(oldest, &mut summary).await?;
            shown.update(&summary);
        }
    }
    for sent in in_flight {
        settle(sent, &mut summary).await?;
    }
    shown.finish();
    let skipped = reader
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p));
    summary.skipped = skipped;
    Ok(summary)
}

/// What a person sees while posts go out: the batch progress bar (a spinner with the posts
/// stored and the rate) on a terminal, else an info line every [`COUNT_EVERY`].
struct Shown {
    bar: Progress,
    terminal: bool,
    last_line: Instant,
}

impl Shown {
    fn new(terminal: bool) -> Self {
        Self {
            bar: Progress::start(terminal, None),
            terminal,
            last_line: Instant::now(),
        }
    }

    fn update(&mut self, summary: &PublishSummary) {
        let stored = summary.published + summary.duplicates;
        if self.terminal {
            self.bar.update(stored, 0);
        } else if self.last_line.elapsed() >= COUNT_EVERY {
            self.last_line = Instant::now();
            tracing::info!(stored, "publishing");
        }
    }

    fn finish(&self) {
        self.bar.finish();
    }
}

async fn settle(sent: PublishAckFuture, summary: &mut PublishSummary) -> Result<(), WorkerError> {
    let ack = sent
        .await
        .map_err(|e| WorkerError::nats("awaiting a publish ack", e))?;
    match ack.duplicate {
        true => summary.duplicates += 1,
        false => summary.published += 1,
    }
    Ok(())
}

/// Reads every input in order; sends each post as its JSON object (a JSONL line as read, so
/// its other fields travel too; a CSV or TSV record as `{id, text}` under the field names).
/// Returns the count of records that are not posts. A fatal error is sent and ends reading.
fn read_posts(
    inputs: &[PathBuf],
    format: Option<InputFormat>,
    fields: &Fields,
    tx: &mpsc::Sender<Item>,
) -> u64 {
    let mut skipped = 0;
    for path in inputs {
        let records = match read_input(path, format, fields) {
            Ok(records) => records,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return skipped;
            }
        };
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return skipped;
                }
            };
            let post = match record.parse(fields) {
                Ok(post) => post,
                Err(message) => {
                    skipped += 1;
                    if skipped <= REPORTED_BAD_RECORDS {
                        tracing::warn!(
                            "{}, line {}: {message}; skipped",
                            path.display(),
                            record.line
                        );
                    }
                    continue;
                }
            };
            let payload = match record.json_bytes() {
                Some(bytes) => bytes.to_vec(),
                None => {
                    let mut object = serde_json::Map::new();
                    object.insert(fields.id.clone(), post.id.clone().into());
                    object.insert(fields.text.clone(), post.text.into());
                    serde_json::to_vec(&object).expect("an object serialises")
                }
            };
            if tx.blocking_send(Ok((post.id, payload))).is_err() {
                return skipped; // the publisher stopped
            }
        }
    }
    skipped
}

//! `counterclaim collect`: the results on the results subject read back into a JSONL file,
//! one line per post id (a result stored twice, past the duplicate window, is written once),
//! in the order of an input file's posts when given, so a run through the cluster gives the
//! file `score` gives (with each result's `kb_version` besides).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use async_nats::jetstream::consumer::{self, DeliverPolicy};
use serde::{Deserialize, Serialize};
use tokio_stream::StreamExt;

use super::{WorkerError, check_subject, connect, ensure_stream};
use crate::batch::{Fields, InputFormat, read_input};

#[derive(Debug, Clone)]
pub struct CollectConfig {
    pub url: String,
    pub stream: String,
    pub subject: String,
    /// Stop once this many distinct posts have a result.
    pub expect: Option<u64>,
    /// Stop when no result has come for this long.
    pub idle: Duration,
    pub output: PathBuf,
    /// Write in the order of this input's posts (read as `score` reads it).
    pub order_by: Option<PathBuf>,
    pub order_format: Option<InputFormat>,
    pub order_fields: Fields,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct CollectSummary {
    /// Distinct posts with a result (lines written).
    pub collected: u64,
    /// Results for a post already collected: left out.
    pub duplicates: u64,
    /// Posts of `--order-by` without a result.
    pub missing: u64,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

pub async fn collect(config: CollectConfig) -> Result<CollectSummary, WorkerError> {
    check_subject(&config.stream, "--subject", &config.subject)?;
    let js = connect(&config.url).await?;
    let stream = ensure_stream(&js, &config.stream).await?;
    // An ephemeral consumer of its own, reading from the start without acks: collecting
    // changes nothing for the workers or another collector.
    let reader = stream
        .create_consumer(consumer::pull::Config {
            filter_subject: config.subject.clone(),
            deliver_policy: DeliverPolicy::All,
            ack_policy: consumer::AckPolicy::None,
            inactive_threshold: Duration::from_secs(60),
            ..Default::default()
        })
        .await
        .map_err(|e| WorkerError::nats("creating the collecting consumer", e))?;
    let mut messages = reader
        .messages()
        .await
        .map_err(|e| WorkerError::nats("reading results", e))?;
    let mut summary = CollectSummary::default();
    let mut results: HashMap<String, Vec<u8>> = HashMap::new();
    let mut arrival: Vec<String> = Vec::new();
    while config.expect.is_none_or(|n| (results.len() as u64) < n) {
        let message = match tokio::time::timeout(config.idle, messages.next()).await {
            Err(_) | Ok(None) => break, // idle, or the consumer went away
            Ok(Some(Err(e))) => {
                tracing::warn!(error = %e, "reading results");
                continue;
            }
            Ok(Some(Ok(message))) => message,
        };
        let Ok(IdOnly { id }) = serde_json::from_slice(&message.payload) else {
            tracing::warn!(subject = %message.subject, "a message without an id: left out");
            continue;
        };
        if results.contains_key(&id) {
            summary.duplicates += 1;
            continue;
        }
        results.insert(id.clone(), message.payload.to_vec());
        arrival.push(id);
    }
    summary.collected = results.len() as u64;
    write(&config, results, arrival, &mut summary)?;
    Ok(summary)
}

/// Writes the results in the order of `--order-by` (then any result whose post it lacks, in
/// arrival order), or in arrival order.
fn write(
    config: &CollectConfig,
    mut results: HashMap<String, Vec<u8>>,
    arrival: Vec<String>,
    summary: &mut CollectSummary,
) -> Result<(), WorkerError> {
    let path = &config.output;
    let io = |source| WorkerError::Io {
        path: path.clone(),
        source,
    };
    let mut out = BufWriter::new(File::create(path).map_err(io)?);
    let mut line = |bytes: &[u8]| out.write_all(bytes).and_then(|()| out.write_all(b"\n"));
    if let Some(order) = &config.order_by {
        for record in read_input(order, config.order_format, &config.order_fields)? {
            let Ok(post) = record?.parse(&config.order_fields) else {
                continue; // not a post: `score` writes nothing for it either
            };
            match results.remove(&post.id) {
                Some(result) => line(&result).map_err(io)?,
                None => summary.missing += 1,
            }
        }
    }
    for id in arrival {
        if let Some(result) = results.remove(&id) {
            line(&result).map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

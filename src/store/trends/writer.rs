//! The one thread that writes the trend store: it takes records off the bounded queue, writes
//! up to about a thousand (or what came within 200 ms) in one transaction, and deletes raw rows
//! past the retention period. It never panics and never stops on a failed write: the batch is
//! counted as dropped and the failure logged at most once a minute.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use super::{MatchRecord, Shared, StanceCounts, unix_now};
use crate::Error;

/// Records written in one transaction, about: a message is never split.
const BATCH: usize = 1_000;
/// How long a batch waits for more records once it has one.
const BATCH_WAIT: Duration = Duration::from_millis(200);
/// How often expired raw rows are deleted.
const RETENTION_EVERY: Duration = Duration::from_secs(3_600);
/// Failed writes are logged at most this often.
const LOG_EVERY: Duration = Duration::from_secs(60);

pub(super) enum Message {
    Records(Vec<MatchRecord>),
    /// Answered once everything sent before it is written.
    Flush(Sender<()>),
}

impl Message {
    /// The records the message carries.
    pub(super) fn len(&self) -> usize {
        match self {
            Message::Records(records) => records.len(),
            Message::Flush(_) => 0,
        }
    }
}

pub(super) fn spawn(
    connection: Connection,
    receiver: Receiver<Message>,
    shared: Arc<Shared>,
    retention_days: u32,
) -> Result<(), Error> {
    let mut writer = Writer {
        connection,
        shared,
        retention: i64::from(retention_days) * 86_400,
        last_retention: None,
        last_failure_log: None,
    };
    std::thread::Builder::new()
        .name("trend-writer".into())
        .spawn(move || writer.run(receiver))?;
    Ok(())
}

struct Writer {
    connection: Connection,
    shared: Arc<Shared>,
    retention: i64,
    last_retention: Option<Instant>,
    last_failure_log: Option<Instant>,
}

impl Writer {
    fn run(&mut self, receiver: Receiver<Message>) {
        self.expire();
        // Ends once every recorder is dropped and the queue is empty.
        while let Ok(first) = receiver.recv() {
            let mut batch = Vec::new();
            let mut flushes = Vec::new();
            self.take(first, &mut batch, &mut flushes);
            let deadline = Instant::now() + BATCH_WAIT;
            while batch.len() < BATCH && flushes.is_empty() {
                let left = deadline.saturating_duration_since(Instant::now());
                match receiver.recv_timeout(left) {
                    Ok(message) => self.take(message, &mut batch, &mut flushes),
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
                }
            }
            self.write(batch);
            if self
                .last_retention
                .is_none_or(|at| at.elapsed() >= RETENTION_EVERY)
            {
                self.expire();
            }
            for done in flushes {
                let _ = done.send(());
            }
        }
    }

    fn take(&self, message: Message, batch: &mut Vec<MatchRecord>, flushes: &mut Vec<Sender<()>>) {
        match message {
            Message::Records(records) => {
                self.shared
                    .queued
                    .fetch_sub(records.len(), Ordering::AcqRel);
                batch.extend(records);
            }
            Message::Flush(done) => flushes.push(done),
        }
    }

    fn write(&mut self, batch: Vec<MatchRecord>) {
        if batch.is_empty() {
            return;
        }
        let n = batch.len() as u64;
        match insert(&mut self.connection, &batch) {
            Ok(()) => {
                self.shared.recorded.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => {
                let dropped = self.shared.dropped.fetch_add(n, Ordering::Relaxed) + n;
                self.failed("writing matches", &e, dropped);
            }
        }
    }

    /// Deletes raw matches past the retention period; the hourly counts stay.
    fn expire(&mut self) {
        self.last_retention = Some(Instant::now());
        let before = unix_now() - self.retention;
        match (self.connection).execute("DELETE FROM matches WHERE at < ?1", [before]) {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "deleted raw matches past the retention period"),
            Err(e) => {
                let dropped = self.shared.dropped.load(Ordering::Relaxed);
                self.failed("deleting expired matches", &e, dropped);
            }
        }
    }

    fn failed(&mut self, what: &str, error: &rusqlite::Error, dropped: u64) {
        if self
            .last_failure_log
            .is_none_or(|at| at.elapsed() >= LOG_EVERY)
        {
            self.last_failure_log = Some(Instant::now());
            tracing::error!(%error, dropped, "trend store: {what} failed");
        }
    }
}

/// Inserts the raw rows and adds them to the hourly counts, in one transaction.
pub(super) fn insert(connection: &mut Connection, batch: &[MatchRecord]) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;
    {
        let mut row = transaction.prepare_cached(
            "INSERT INTO matches (at, narrative_id, stance, score, post_id, platform, \
             matched_words, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut hours: HashMap<(&str, i64), StanceCounts> = HashMap::new();
        for record in batch {
            let words = serde_json::to_string(&record.matched_words).unwrap_or_default();
            row.execute(params![
                record.at,
                record.narrative_id,
                record.stance,
                f64::from(record.score),
                record.post_id,
                record.platform,
                words,
                record.text,
            ])?;
            let hour = record.at.div_euclid(3_600) * 3_600;
            hours
                .entry((&record.narrative_id, hour))
                .or_default()
                .add(&record.stance, 1);
        }
        let mut add = transaction.prepare_cached(
            "INSERT INTO hourly (narrative_id, hour, promotes, debunks, neutral) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (narrative_id, hour) DO UPDATE SET \
             promotes = promotes + excluded.promotes, debunks = debunks + excluded.debunks, \
             neutral = neutral + excluded.neutral",
        )?;
        for ((narrative, hour), counts) in hours {
            add.execute(params![
                narrative,
                hour,
                counts.promotes as i64,
                counts.debunks as i64,
                counts.neutral as i64
            ])?;
        }
    }
    transaction.commit()
}

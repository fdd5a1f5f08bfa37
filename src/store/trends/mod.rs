//! The trend store: every match the service answers with (and `score --record` batch runs),
//! kept in SQLite at `DATA_DIR/trends.sqlite` so the console can chart a narrative over time.
//!
//! - [`TrendRecorder::record`] never blocks and never fails: records go on a bounded queue to
//!   one writer thread (`writer.rs`), and a full queue or a failed write (a full disk) drops
//!   them and counts them. A match is never slowed or failed by its recording.
//! - The writer inserts raw rows into `matches` and, in the same transaction, adds them to
//!   `hourly` (matches per narrative, hour and stance). Charts read `hourly`, so a year of data
//!   is at most 8,760 rows a narrative (`queries.rs`).
//! - Raw rows older than the retention period are deleted (at start, then at most hourly);
//!   `hourly` is kept, so long windows still chart after their raw rows are gone.
//! - WAL mode: [`TrendStore`] reads on a connection of its own while the writer writes.
//! - The schema is `migrations/NNN_*.sql`, applied in order and tracked by `user_version`.

mod queries;
mod records;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SendError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;

use crate::Error;
use crate::store::versions::StoreError;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "trends.sqlite";

/// The most points [`TrendStore::series`] returns: a longer window asks for a larger bucket.
pub const MAX_POINTS: i64 = 100_000;

/// One match as recorded.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MatchRecord {
    /// Unix seconds: the post's `created_at` when it parses as RFC 3339, else when it was matched.
    pub at: i64,
    pub narrative_id: String,
    /// "promotes" | "debunks" | "neutral" (`matcher::Stance` as the API names it).
    pub stance: String,
    pub score: f32,
    pub post_id: String,
    pub platform: String,
    pub matched_words: Vec<String>,
    /// The post's text: only with `--record-text`.
    pub text: Option<String>,
}

/// Matches by stance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StanceCounts {
    pub promotes: u64,
    pub debunks: u64,
    pub neutral: u64,
}

impl StanceCounts {
    pub fn total(&self) -> u64 {
        self.promotes + self.debunks + self.neutral
    }

    /// Counts one match of `stance`; an unknown stance counts as neutral.
    pub fn add(&mut self, stance: &str, n: u64) {
        match stance {
            "promotes" => self.promotes += n,
            "debunks" => self.debunks += n,
            _ => self.neutral += n,
        }
    }

    fn merge(&mut self, other: StanceCounts) {
        self.promotes += other.promotes;
        self.debunks += other.debunks;
        self.neutral += other.neutral;
    }
}

/// The width of a point in [`TrendStore::series`], in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Hour,
    Day,
}

impl Bucket {
    pub fn seconds(self) -> i64 {
        match self {
            Bucket::Hour => 3_600,
            Bucket::Day => 86_400,
        }
    }
}

/// The matches of one bucket, which starts at `start` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Point {
    pub start: i64,
    #[serde(flatten)]
    pub counts: StanceCounts,
}

/// How the store keeps and takes records.
#[derive(Debug, Clone)]
pub struct TrendOptions {
    /// Raw matches older than this many days are deleted; the hourly counts are kept.
    pub retention_days: u32,
    /// Records waiting for the writer at most; beyond them, records are dropped and counted.
    pub queue: usize,
    /// Whether the post's text is recorded.
    pub record_text: bool,
}

impl Default for TrendOptions {
    fn default() -> Self {
        Self {
            retention_days: 90,
            queue: 65_536,
            record_text: false,
        }
    }
}

/// Reads the trend store. Its connection is its own (WAL lets it read while the writer writes).
pub struct TrendStore {
    path: PathBuf,
    connection: Mutex<Connection>,
}

/// Hands records to the writer thread. Cheap to clone; the writer stops once every clone is
/// dropped, after writing what was queued.
#[derive(Clone)]
pub struct TrendRecorder {
    sender: SyncSender<writer::Message>,
    shared: Arc<Shared>,
}

/// What the recorders and the writer thread share.
#[derive(Default)]
pub(crate) struct Shared {
    /// Records handed over and not yet taken by the writer: the queue's bound is in records,
    /// not in messages, so one large batch cannot hide behind one slot.
    queued: AtomicUsize,
    capacity: usize,
    recorded: AtomicU64,
    dropped: AtomicU64,
    record_text: bool,
}

impl TrendStore {
    /// Opens (creating, migrating) `DATA_DIR/trends.sqlite` and starts the writer thread.
    pub fn open(
        data_dir: &Path,
        options: TrendOptions,
    ) -> Result<(TrendStore, TrendRecorder), Error> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(FILE_NAME);
        let mut write = connect(&path)?;
        migrate(&mut write).map_err(sqlite(&path))?;
        let read = connect(&path)?;
        let shared = Arc::new(Shared {
            capacity: options.queue.max(1),
            record_text: options.record_text,
            ..Shared::default()
        });
        // Messages never outnumber records, so the channel's own bound is never the one hit.
        let (sender, receiver) = mpsc::sync_channel(options.queue.max(1));
        writer::spawn(write, receiver, shared.clone(), options.retention_days)?;
        let store = TrendStore {
            path,
            connection: Mutex::new(read),
        };
        Ok((store, TrendRecorder { sender, shared }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Matches per narrative (by stance) with `at` in [from, to).
    pub fn counts(&self, from: i64, to: i64) -> Result<HashMap<String, StanceCounts>, Error> {
        let connection = self.connection();
        queries::counts(&connection, from, to).map_err(|e| sqlite(&self.path)(e).into())
    }

    /// One point per bucket in [from, to) (empty buckets included, zero counts), for one
    /// narrative or all. Buckets are whole hours or UTC days: the first starts at `from`
    /// rounded down to its bucket, and each counts its whole bucket.
    pub fn series(
        &self,
        narrative_id: Option<&str>,
        from: i64,
        to: i64,
        bucket: Bucket,
    ) -> Result<Vec<Point>, Error> {
        if from >= to {
            return Ok(Vec::new());
        }
        let size = bucket.seconds();
        let start = from.div_euclid(size) * size;
        if to.saturating_sub(start) / size > MAX_POINTS {
            return Err(Error::invalid(
                "window",
                format!("more than {MAX_POINTS} points: ask for a larger bucket"),
            ));
        }
        let connection = self.connection();
        queries::series(&connection, narrative_id, start, to, size)
            .map_err(|e| sqlite(&self.path)(e).into())
    }

    /// The newest recorded matches of a narrative, newest first (only those within the
    /// retention period are kept).
    pub fn recent(&self, narrative_id: &str, limit: usize) -> Result<Vec<MatchRecord>, Error> {
        let connection = self.connection();
        queries::recent(&connection, narrative_id, limit).map_err(|e| sqlite(&self.path)(e).into())
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A reader that panicked left no state behind in the connection.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl TrendRecorder {
    /// Never blocks, never fails: a full queue drops the records and counts them.
    pub fn record(&self, records: Vec<MatchRecord>) {
        let n = records.len();
        if n == 0 {
            return;
        }
        let shared = &self.shared;
        let reserved = shared
            .queued
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |queued| {
                (queued + n <= shared.capacity).then_some(queued + n)
            });
        if reserved.is_err() {
            shared.dropped.fetch_add(n as u64, Ordering::Relaxed);
            return;
        }
        if let Err(TrySendError::Full(message) | TrySendError::Disconnected(message)) =
            self.sender.try_send(writer::Message::Records(records))
        {
            // Flush markers took the last slots, or the writer thread is gone: rare, and
            // dropped and counted all the same.
            let lost = message.len();
            shared.queued.fetch_sub(lost, Ordering::AcqRel);
            shared.dropped.fetch_add(lost as u64, Ordering::Relaxed);
        }
    }

    /// Like [`record`](Self::record), but waits for room in a full queue instead of dropping:
    /// for batch runs (`score --record`), where the writer sets the pace and nothing should be
    /// lost. A failed write still drops and counts.
    pub fn record_waiting(&self, records: Vec<MatchRecord>) {
        let n = records.len();
        let shared = &self.shared;
        if n == 0 || n > shared.capacity {
            // Nothing to wait for, or more than the queue ever holds: as `record` does.
            return self.record(records);
        }
        loop {
            let reserved =
                shared
                    .queued
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |queued| {
                        (queued + n <= shared.capacity).then_some(queued + n)
                    });
            if reserved.is_ok() {
                if let Err(SendError(message)) = self.sender.send(writer::Message::Records(records))
                {
                    shared.queued.fetch_sub(message.len(), Ordering::AcqRel);
                    shared
                        .dropped
                        .fetch_add(message.len() as u64, Ordering::Relaxed);
                }
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// Records written to disk.
    pub fn recorded(&self) -> u64 {
        self.shared.recorded.load(Ordering::Relaxed)
    }

    /// Records dropped: the queue was full or a write failed.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Whether the post's text is to be recorded (`--record-text`).
    pub fn record_text(&self) -> bool {
        self.shared.record_text
    }

    /// Waits until everything queued so far is written (tests, shutdown, `score --record` at
    /// the end). Blocks: call it off the async runtime.
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.sender.send(writer::Message::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl std::fmt::Debug for TrendRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrendRecorder")
            .field("recorded", &self.recorded())
            .field("dropped", &self.dropped())
            .field("record_text", &self.record_text())
            .finish_non_exhaustive()
    }
}

/// When a match happened: the post's `created_at` if it is RFC 3339, else `now`.
pub fn record_time(created_at: &str, now: i64) -> i64 {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(created_at.trim(), &Rfc3339).map_or(now, |t| t.unix_timestamp())
}

/// Now, in unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The schema, in order; `PRAGMA user_version` says how many are applied.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_init.sql")];

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path).map_err(sqlite(path))?;
    // WAL: readers never wait for the writer; NORMAL: a crash may lose the last transactions
    // but never corrupts the file, and commits need no fsync each.
    connection
        .pragma_update(None, "journal_mode", "WAL")
        .and_then(|()| connection.pragma_update(None, "synchronous", "NORMAL"))
        .and_then(|()| connection.busy_timeout(std::time::Duration::from_secs(5)))
        .map_err(sqlite(path))?;
    Ok(connection)
}

fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let applied: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (done, sql) in (0_i64..).zip(MIGRATIONS).skip(applied.max(0) as usize) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", done + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Database {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests;

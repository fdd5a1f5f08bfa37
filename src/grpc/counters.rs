//! What the server counts about its own behaviour: posts matched, matching work in flight, and
//! every rejection by kind. Each rejection is also logged once, with its kind and running total,
//! so an operator sees overload in the log; a metrics exporter can read the same counters.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

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
}

impl Rejection {
    pub const ALL: [Rejection; 6] = [
        Rejection::QueueFull,
        Rejection::QueueTimeout,
        Rejection::StreamsFull,
        Rejection::ConnectionStreamsFull,
        Rejection::StreamIdle,
        Rejection::ShuttingDown,
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
        }
    }
}

/// The server's counters; share one `Arc<Counters>` to read them while it runs.
#[derive(Debug, Default)]
pub struct Counters {
    posts_matched: AtomicU64,
    posts_in_flight: AtomicU64,
    rejections: [AtomicU64; Rejection::ALL.len()],
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

    pub(super) fn matched(&self, posts: usize) {
        self.posts_matched
            .fetch_add(posts as u64, Ordering::Relaxed);
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
    pub(super) fn reject(&self, kind: Rejection, error: Error) -> Error {
        let total = self.rejections[kind as usize].fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(kind = kind.name(), total, %error, "rejected");
        error
    }
}

//! `StreamMatchPosts` connections are long-lived, so they get limits of their own: a server-wide
//! number of stream slots, a share of them per connection (one client cannot take them all), an
//! idle timeout (a stream that sends nothing gives its slot back), and an end at the drain
//! deadline when the server shuts down.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio_stream::StreamExt;
use tonic::{Status, Streaming};

use super::access_log::CallInfo;
use super::admission::Admission;
use super::counters::{Counters, Rejection};
use super::pb::{self, stream_match_posts_response::Outcome};
use super::service::{admit_and_match, post_error};
use super::status;
use crate::Error;
use crate::live::LiveMatcher;

/// How long a stream slot refusal tells the client to wait.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

pub struct StreamSlots {
    total: Arc<Semaphore>,
    max_total: usize,
    max_per_connection: usize,
    per_connection: Mutex<HashMap<SocketAddr, usize>>,
}

/// An open stream's slot, given back when dropped.
pub struct StreamSlot {
    _permit: OwnedSemaphorePermit,
    slots: Arc<StreamSlots>,
    peer: Option<SocketAddr>,
}

impl StreamSlots {
    pub fn new(max_total: usize, max_per_connection: usize) -> Arc<Self> {
        Arc::new(Self {
            total: Arc::new(Semaphore::new(max_total)),
            max_total,
            max_per_connection: max_per_connection.max(1),
            per_connection: Mutex::new(HashMap::new()),
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.max_total - self.total.available_permits()
    }

    /// Takes a slot for a stream from `peer` (the connection's remote address).
    pub fn take(
        self: &Arc<Self>,
        peer: Option<SocketAddr>,
        counters: &Counters,
    ) -> Result<StreamSlot, Error> {
        if let Some(peer) = peer {
            let mut open = self.connections();
            let count = open.entry(peer).or_default();
            if *count >= self.max_per_connection {
                let reason = format!(
                    "this connection has {} streams open, its share; close one or retry later",
                    self.max_per_connection
                );
                return Err(counters.reject(
                    Rejection::ConnectionStreamsFull,
                    Error::busy(reason, RETRY_AFTER),
                ));
            }
            *count += 1;
        }
        let slot = |permit| StreamSlot {
            _permit: permit,
            slots: self.clone(),
            peer,
        };
        match self.total.clone().try_acquire_owned() {
            Ok(permit) => Ok(slot(permit)),
            Err(_) => {
                self.release(peer);
                let reason = format!("{} streams are open; retry later", self.max_total);
                Err(counters.reject(Rejection::StreamsFull, Error::busy(reason, RETRY_AFTER)))
            }
        }
    }

    fn connections(&self) -> std::sync::MutexGuard<'_, HashMap<SocketAddr, usize>> {
        self.per_connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn release(&self, peer: Option<SocketAddr>) {
        let Some(peer) = peer else { return };
        let mut open = self.connections();
        if let Some(count) = open.get_mut(&peer) {
            *count -= 1;
            if *count == 0 {
                open.remove(&peer);
            }
        }
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.slots.release(self.peer);
    }
}

/// One open `StreamMatchPosts`: reads posts one at a time (which keeps answers in request
/// order), admits and matches each, and ends when the client closes its side, goes idle past
/// the timeout, or the drain deadline passes.
pub struct Session {
    /// Each post is matched on the knowledge base live when it arrives, and its answer names
    /// that version.
    pub live: Arc<LiveMatcher>,
    pub admission: Arc<Admission>,
    pub counters: Arc<Counters>,
    /// Where answered matches are recorded.
    pub trends: Option<crate::store::trends::TrendRecorder>,
    pub call: Option<Arc<CallInfo>>,
    pub idle_timeout: std::time::Duration,
    /// Turns true at the drain deadline.
    pub end: watch::Receiver<bool>,
}

type Reply = Result<pb::StreamMatchPostsResponse, Status>;

impl Session {
    /// Runs the stream; `slot` is given back when it ends.
    pub async fn run(
        mut self,
        slot: StreamSlot,
        mut inbound: Streaming<pb::MatchPostRequest>,
        tx: mpsc::Sender<Reply>,
    ) {
        let _slot = slot;
        loop {
            let next = tokio::select! {
                _ = self.end.wait_for(|&end| end) => None,
                next = tokio::time::timeout(self.idle_timeout, inbound.next()) => Some(next),
            };
            let reply = match next {
                None => Err(self.ended()),
                Some(Err(_)) => Err(self.idle()),
                Some(Ok(None)) => break,
                Some(Ok(Some(Err(status)))) => Err(status::from_codec(status)),
                Some(Ok(Some(Ok(request)))) => Ok(self.answer(request).await),
            };
            let stop = reply.is_err();
            if tx.send(reply).await.is_err() || stop {
                break;
            }
        }
    }

    /// A post's answer, or its error entry (the stream goes on).
    async fn answer(&self, request: pb::MatchPostRequest) -> pb::StreamMatchPostsResponse {
        if let Some(call) = &self.call {
            call.add_posts(1);
        }
        let post_id = (request.post.as_ref())
            .map(|p| p.id.clone())
            .unwrap_or_default();
        let matched = admit_and_match(
            &self.live.snapshot(),
            &self.admission,
            &self.counters,
            self.trends.as_ref(),
            request,
        )
        .await;
        // A post turned away by admission gets RESOURCE_EXHAUSTED in its error entry.
        let outcome = match matched {
            Ok(result) => Outcome::Result(result),
            Err(status) => Outcome::Error(post_error(&status)),
        };
        pb::StreamMatchPostsResponse {
            post_id,
            outcome: Some(outcome),
        }
    }

    fn ended(&self) -> Status {
        let error = Error::ShuttingDown(
            "the server is shutting down; reconnect and send the posts not answered".into(),
        );
        self.counters.reject(Rejection::ShuttingDown, error).into()
    }

    fn idle(&self) -> Status {
        let error = Error::TimedOut(format!(
            "no post for {} s: the stream is closed; open a new one",
            self.idle_timeout.as_secs_f64()
        ));
        self.counters.reject(Rejection::StreamIdle, error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_gets_its_share_and_the_server_its_total() {
        let counters = Counters::default();
        let slots = StreamSlots::new(3, 2);
        let a: SocketAddr = "127.0.0.1:1000".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2000".parse().unwrap();
        let a1 = slots.take(Some(a), &counters).unwrap();
        let _a2 = slots.take(Some(a), &counters).unwrap();
        assert!(slots.take(Some(a), &counters).is_err());
        assert_eq!(counters.rejected(Rejection::ConnectionStreamsFull), 1);
        let _b1 = slots.take(Some(b), &counters).unwrap();
        assert!(slots.take(Some(b), &counters).is_err());
        assert_eq!(counters.rejected(Rejection::StreamsFull), 1);
        assert_eq!(slots.open(), 3);
        drop(a1);
        assert_eq!(slots.open(), 2);
        assert!(slots.take(Some(a), &counters).is_ok());
    }
}

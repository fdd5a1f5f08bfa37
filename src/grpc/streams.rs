//! `StreamMatchPosts` connections are long-lived, so they get limits of their own: a server-wide
//! number of stream slots, a share of them per connection (one client cannot take them all), an
//! idle timeout (a stream that sends nothing gives its slot back), and an end at the drain
//! deadline when the server shuts down.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::counters::{Counters, Rejection};
use crate::Error;

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

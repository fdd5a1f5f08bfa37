//! Admission control: a server-wide bound on matching work in flight, counted in posts (a
//! 256-post batch weighs 256 times a single post), with a short bounded queue in front of it.
//! A call that finds the bound full and the queue full, or that waits out its queue time, is
//! rejected at once with RESOURCE_EXHAUSTED and a retry hint, so an overloaded server answers
//! in milliseconds instead of letting every caller's latency grow until deadlines expire.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::counters::{Counters, Rejection};
use crate::Error;

/// How long a rejected client is told to wait before retrying (a `RetryInfo` detail).
pub const RETRY_AFTER: Duration = Duration::from_millis(250);

pub struct Admission {
    permits: Arc<Semaphore>,
    capacity: u32,
    queued: AtomicUsize,
    max_queued: usize,
    queue_timeout: Duration,
    counters: Arc<Counters>,
}

/// Work admitted: holds its posts' share of the bound until dropped.
pub struct Admitted {
    _permit: OwnedSemaphorePermit,
    posts: u32,
    counters: Arc<Counters>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.counters.released(self.posts);
    }
}

/// Leaves the queue however the wait ends, including when the caller's future is dropped.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Admission {
    pub fn new(
        max_posts: usize,
        max_queued: usize,
        queue_timeout: Duration,
        counters: Arc<Counters>,
    ) -> Self {
        let capacity = max_posts.clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize)) as u32;
        Self {
            permits: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
            queued: AtomicUsize::new(0),
            max_queued,
            queue_timeout,
            counters,
        }
    }

    /// Admits `posts` posts of matching work, waiting in the queue at most its time. A call of
    /// more posts than the whole bound waits for the whole bound, so it is never refused for
    /// its size alone.
    pub async fn admit(&self, posts: usize) -> Result<Admitted, Error> {
        let weight = posts.clamp(1, self.capacity as usize) as u32;
        let permit = match self.permits.clone().try_acquire_many_owned(weight) {
            Ok(permit) => permit,
            Err(_) => self.wait(weight).await?,
        };
        self.counters.admitted(weight);
        Ok(Admitted {
            _permit: permit,
            posts: weight,
            counters: self.counters.clone(),
        })
    }

    async fn wait(&self, weight: u32) -> Result<OwnedSemaphorePermit, Error> {
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.max_queued {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            let reason = format!(
                "overloaded: {} posts are being matched and {} calls wait; retry later",
                self.capacity, self.max_queued
            );
            return Err(self
                .counters
                .reject(Rejection::QueueFull, Error::busy(reason, RETRY_AFTER)));
        }
        let _in_queue = InQueue(&self.queued);
        let acquire = self.permits.clone().acquire_many_owned(weight);
        match tokio::time::timeout(self.queue_timeout, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                let reason = format!(
                    "overloaded: no room for {weight} posts within {} ms; retry later",
                    self.queue_timeout.as_millis()
                );
                Err(self
                    .counters
                    .reject(Rejection::QueueTimeout, Error::busy(reason, RETRY_AFTER)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_beyond_the_bound_and_the_queue_is_rejected_and_counted() {
        let counters = Arc::new(Counters::default());
        let admission = Admission::new(4, 1, Duration::from_millis(20), counters.clone());
        let batch = admission.admit(300).await.unwrap();
        assert_eq!(
            counters.posts_in_flight(),
            4,
            "a batch over the bound takes all of it"
        );
        // One call may wait in the queue (and times out); the next finds the queue full.
        let (queued, full) = tokio::join!(admission.admit(1), async {
            tokio::task::yield_now().await;
            admission.admit(1).await
        });
        assert!(matches!(queued, Err(Error::Busy { .. })));
        assert!(matches!(full, Err(Error::Busy { .. })));
        assert_eq!(counters.rejected(Rejection::QueueTimeout), 1);
        assert_eq!(counters.rejected(Rejection::QueueFull), 1);
        drop(batch);
        assert_eq!(counters.posts_in_flight(), 0);
        let one = admission.admit(1).await.unwrap();
        assert_eq!(counters.posts_in_flight(), 1);
        drop(one);
    }

    #[tokio::test]
    async fn a_queued_call_gets_in_when_work_finishes() {
        let counters = Arc::new(Counters::default());
        let admission = Admission::new(2, 4, Duration::from_secs(5), counters.clone());
        let first = admission.admit(2).await.unwrap();
        let (second, ()) = tokio::join!(admission.admit(1), async { drop(first) });
        assert!(second.is_ok());
        assert_eq!(counters.rejected(Rejection::QueueTimeout), 0);
    }
}

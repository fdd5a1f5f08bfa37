//! The live matcher: the one place that holds the knowledge base being served and swaps it.
//!
//! Every request takes a [`snapshot`](LiveMatcher::snapshot) when it starts and uses it to the
//! end, so a call in flight finishes on the version it started with while the next call sees the
//! new one; every answer names its version. A new matcher is built off the request path (index
//! and embeddings) and swapped in at once by [`replace`](LiveMatcher::replace); the old one is
//! freed when its last request ends.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::matcher::Matcher;

pub struct LiveMatcher {
    current: ArcSwap<Matcher>,
}

impl LiveMatcher {
    pub fn new(matcher: Matcher) -> Self {
        Self::from(Arc::new(matcher))
    }

    /// The matcher being served now. Cheap: take one per request.
    pub fn snapshot(&self) -> Arc<Matcher> {
        self.current.load_full()
    }

    /// Serves `matcher` from the next snapshot on; returns the one it replaces.
    pub fn replace(&self, matcher: Matcher) -> Arc<Matcher> {
        self.current.swap(Arc::new(matcher))
    }
}

impl From<Arc<Matcher>> for LiveMatcher {
    fn from(matcher: Arc<Matcher>) -> Self {
        Self {
            current: ArcSwap::new(matcher),
        }
    }
}

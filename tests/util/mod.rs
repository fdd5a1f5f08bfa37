//! Shared helpers for the integration tests: the shipped matcher and a real server on
//! 127.0.0.1:0.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use counterclaim::grpc::{Counters, Options};
use counterclaim::kb::KnowledgeBase;
use counterclaim::matcher::Matcher;
use tokio::sync::oneshot;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The shipped knowledge base, indexed once per test binary.
pub fn shipped_matcher() -> Arc<Matcher> {
    static MATCHER: OnceLock<Arc<Matcher>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            let kb = KnowledgeBase::load(&root().join("index")).expect("shipped kb loads");
            Arc::new(Matcher::new(Arc::new(kb), None).expect("matcher builds"))
        })
        .clone()
}

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The server's own counters (posts matched, rejections by kind).
    pub counters: Arc<Counters>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::with(Options::default()).await
    }

    /// A server with its limits set by `options`.
    pub async fn with(options: Options) -> Self {
        Self::serving(shipped_matcher(), options).await
    }

    pub async fn serving(matcher: Arc<Matcher>, options: Options) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel();
        let counters = options.counters.clone();
        tokio::spawn(async move {
            counterclaim::grpc::serve(listener, matcher, options, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        Self {
            addr,
            counters,
            shutdown: Some(tx),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Text of unknown words, which the matcher spells out one by one: about 30 ms per post in a
/// debug build, so a batch of them is still in flight when the signal arrives.
pub fn slow_text(seed: u64) -> String {
    let mut x = seed * 2_654_435_761 + 1;
    let mut text = String::new();
    while text.len() < 15_000 {
        for _ in 0..7 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push(char::from(b'a' + (x % 26) as u8));
        }
        text.push(' ');
    }
    text
}

pub fn slow_batch(n: u64) -> counterclaim::grpc::pb::MatchPostsRequest {
    counterclaim::grpc::pb::MatchPostsRequest {
        posts: (0..n)
            .map(|i| counterclaim::grpc::pb::Post {
                id: i.to_string(),
                text: slow_text(i),
                ..Default::default()
            })
            .collect(),
        options: None,
    }
}

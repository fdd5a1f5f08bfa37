//! Shared helpers for the integration tests: the shipped matcher and a real server on
//! 127.0.0.1:0.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel();
        let matcher = shipped_matcher();
        tokio::spawn(async move {
            counterclaim::grpc::serve(listener, matcher, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        Self {
            addr,
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

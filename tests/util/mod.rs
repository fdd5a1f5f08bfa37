//! Shared helpers for the integration tests: the shipped matcher and a real server on
//! 127.0.0.1:0.

#![allow(dead_code)]

pub mod wordnet;

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

/// The shipped knowledge base matched in hybrid mode, with the model timed into `counters` as
/// `counterclaim serve` does; `None` (the test is skipped) when the model is not installed,
/// unless `COUNTERCLAIM_REQUIRE_MODEL` is set. Entry embeddings are cached where the binary
/// caches them.
pub fn hybrid_matcher(counters: &Arc<Counters>) -> Option<Arc<Matcher>> {
    let kb = KnowledgeBase::load(&root().join("index")).expect("shipped kb loads");
    let mut matcher = Matcher::new(Arc::new(kb), None).expect("matcher builds");
    if !use_model(&mut matcher) {
        return None;
    }
    matcher.decorate_encoder(|model| counterclaim::grpc::timed(model, counters.clone()));
    Some(Arc::new(matcher))
}

/// Puts `matcher` in hybrid mode with the installed model, its entry embeddings cached where the
/// binary caches them; `false` (the test is skipped, with a message) when the model is not
/// installed, unless `COUNTERCLAIM_REQUIRE_MODEL` is set.
pub fn use_model(matcher: &mut Matcher) -> bool {
    use counterclaim::embed;
    let Some(model) = embed::find_default_model() else {
        assert!(
            std::env::var_os("COUNTERCLAIM_REQUIRE_MODEL").is_none(),
            "no model and COUNTERCLAIM_REQUIRE_MODEL is set"
        );
        eprintln!("SKIPPED: no sentence-embedding model");
        return false;
    };
    let embedder = embed::Embedder::load(&root().join(model)).expect("the model loads");
    matcher
        .use_encoder(Arc::new(embedder), embed::default_cache_dir().as_deref())
        .expect("entries embed");
    true
}

/// A file or folder of `../shared/datasets`; see [`shared`].
pub fn dataset(relative: &str) -> Option<PathBuf> {
    shared(&Path::new("datasets").join(relative))
}

/// A file or folder of `../shared` (the data sets and seed reports beside the repository), or
/// `None` (and a message) when it is absent; `COUNTERCLAIM_REQUIRE_DATASETS=1` (set by
/// `.ci/run`, which has them) makes that a failure.
pub fn shared(relative: &Path) -> Option<PathBuf> {
    let path = root().join("../shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("COUNTERCLAIM_REQUIRE_DATASETS").is_none(),
        "{} not found and COUNTERCLAIM_REQUIRE_DATASETS is set",
        path.display()
    );
    eprintln!("SKIPPED: {} not found", path.display());
    None
}

/// Debian's fortunes in one language ("en": `/usr/share/games/fortunes`, from the `fortunes`
/// package; "es": its `es` folder, from `fortunes-es`), or `None` (and a message) when they are
/// not installed; `COUNTERCLAIM_REQUIRE_FORTUNES=1` (set by `.ci/run`, which installs them)
/// makes that a failure.
pub fn fortunes(lang: &str) -> Option<PathBuf> {
    let (folder, one_file) = match lang {
        "es" => ("es", "refranes.fortunes"),
        _ => ("", "people"),
    };
    let path = Path::new("/usr/share/games/fortunes").join(folder);
    if path.join(one_file).exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("COUNTERCLAIM_REQUIRE_FORTUNES").is_none(),
        "{} not found and COUNTERCLAIM_REQUIRE_FORTUNES is set",
        path.display()
    );
    eprintln!(
        "SKIPPED: {} not found (apt-get install fortunes fortunes-es)",
        path.display()
    );
    None
}

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The HTTP address (metrics, health), when started [`TestServer::with_http`].
    pub http_addr: Option<SocketAddr>,
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

    /// A server with its HTTP address beside it, stopped when the gRPC server has stopped, as
    /// `counterclaim serve` does.
    pub async fn with_http(options: Options) -> Self {
        Self::serving_with_http(shipped_matcher(), options).await
    }

    /// The same, with `matcher`.
    pub async fn serving_with_http(matcher: Arc<Matcher>, options: Options) -> Self {
        Self::serving_with_trends(matcher, options, Default::default()).await
    }

    /// The same, with the console's trends read from `trends`.
    pub async fn serving_with_trends(
        matcher: Arc<Matcher>,
        options: Options,
        trends: counterclaim::http::trends::Trends,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let http_addr = listener.local_addr().unwrap();
        let (grpc_stopped, stop_http) = oneshot::channel::<()>();
        let live = Arc::new(counterclaim::live::LiveMatcher::from(matcher));
        let mut server = Self::stopping_live(live.clone(), options, grpc_stopped).await;
        let state = counterclaim::http::HttpState::new(server.counters.clone(), live, trends);
        tokio::spawn(counterclaim::http::serve(listener, state, async {
            let _ = stop_http.await;
        }));
        server.http_addr = Some(http_addr);
        server
    }

    pub async fn serving(matcher: Arc<Matcher>, options: Options) -> Self {
        Self::stopping(matcher, options, oneshot::channel().0).await
    }

    /// Starts the server; `stopped` is dropped once it has stopped.
    async fn stopping(
        matcher: Arc<Matcher>,
        options: Options,
        stopped: oneshot::Sender<()>,
    ) -> Self {
        Self::stopping_live(Arc::new(matcher.into()), options, stopped).await
    }

    async fn stopping_live(
        live: Arc<counterclaim::live::LiveMatcher>,
        options: Options,
        stopped: oneshot::Sender<()>,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel();
        let counters = options.counters.clone();
        tokio::spawn(async move {
            counterclaim::grpc::serve(listener, live, options, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
            drop(stopped);
        });
        Self {
            addr,
            http_addr: None,
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
        self.shut_down();
    }
}

impl TestServer {
    /// Asks the server to drain and stop, as SIGTERM does.
    pub fn shut_down(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A plain HTTP/1.1 GET over a new connection: the status code, the headers and the body.
pub async fn http_get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    http_request(addr, "GET", path, None).await
}

/// A plain HTTP/1.1 request over a new connection, with a JSON body if given.
pub async fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> (u16, String, String) {
    http_request_with(addr, method, path, &[], json).await
}

/// The same, with extra request `headers` (`name: value` lines without their line ends).
pub async fn http_request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[&str],
    json: Option<&str>,
) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = json.unwrap_or_default();
    let mut extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    if let Some(b) = json {
        extra += &format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        );
    }
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n{body}"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {response:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "a chunked body would need decoding: {head}"
    );
    (status, head.to_owned(), body.to_owned())
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

/// Copies the files of `from` into `to`, folders included (for a knowledge base to edit).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Puts `prefix` before the title of the narrative in `file` (an edit a reload must show).
pub fn retitle(file: &Path, prefix: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let edited = text.replacen("title = \"", &format!("title = \"{prefix}"), 1);
    std::fs::write(file, edited).unwrap();
}

/// Everything logged by the servers of this test binary, from the first call on (the tracing
/// subscriber is process-wide, so every test of the binary writes here).
pub fn captured_log() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOG: OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = {
            let log = log.clone();
            move || LogWriter(log.clone())
        };
        tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .init();
        log
    })
}

/// What [`captured_log`] holds so far, as text.
pub fn logged() -> String {
    String::from_utf8_lossy(&captured_log().lock().unwrap()).into_owned()
}

struct LogWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

//! The harness of the NATS tests: a nats-server of their own, the real binary's commands, and
//! the reference `score` output.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BINARY: &str = env!("CARGO_BIN_EXE_counterclaim");
pub const STREAM: &str = "CC";

/// A nats-server with JetStream, killed when dropped.
pub struct NatsServer {
    child: Child,
    pub url: String,
    program: &'static str,
    _dir: tempfile::TempDir,
}

impl NatsServer {
    /// `None` (after saying so) when nats-server is not installed and not required.
    pub fn start() -> Option<Self> {
        let program = ["nats-server", "/usr/sbin/nats-server"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok());
        let Some(program) = program else {
            if std::env::var_os("COUNTERCLAIM_REQUIRE_NATS").is_some() {
                panic!("nats-server is required (COUNTERCLAIM_REQUIRE_NATS) but not installed");
            }
            eprintln!("SKIPPED: no nats-server");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        // Port -1: the server picks a free port and writes it to the ports file, so no other
        // test can take it between our choosing and its binding.
        let child = Command::new(program)
            .args(["-js", "-a", "127.0.0.1", "-p", "-1", "-sd"])
            .arg(dir.path().join("store"))
            .arg("--ports_file_dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let url = loop {
            let ports = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .find(|e| e.file_name().to_string_lossy().ends_with(".ports"));
            if let Some(ports) = ports
                && let Ok(text) = std::fs::read_to_string(ports.path())
                && let Ok(json) = serde_json::from_str::<Value>(&text)
            {
                break json["nats"][0].as_str().unwrap().to_owned();
            }
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        Some(Self {
            child,
            url,
            program,
            _dir: dir,
        })
    }

    /// Kills the server (SIGKILL) and starts it again on the same port and store: the stream
    /// and the consumer come back from its files.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let port = self.url.rsplit(':').next().unwrap().to_owned();
        self.child = Command::new(self.program)
            .args(["-js", "-a", "127.0.0.1", "-p", &port, "-sd"])
            .arg(self._dir.path().join("store"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not restart");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` posts with ids p0, p1... and the texts of the fixture posts in turn.
pub fn write_posts(dir: &Path, n: usize) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/posts.jsonl");
    let texts: Vec<String> = std::fs::read_to_string(fixture)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let lines: Vec<String> = (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("p{i}"), "text": texts[i % texts.len()]}).to_string()
        })
        .collect();
    let path = dir.join("posts.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

pub fn run(args: &[&str]) -> Output {
    let output = Command::new(BINARY).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "counterclaim {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn publish(url: &str, posts: &Path) {
    run(&[
        "publish",
        "--nats",
        url,
        "--subject",
        "CC.posts",
        posts.to_str().unwrap(),
    ]);
}

/// A worker on the shared consumer, its log in `log`.
pub fn worker(url: &str, log: &Path, extra: &[&str]) -> Child {
    Command::new(BINARY)
        .args([
            "worker",
            "--nats",
            url,
            "--stream",
            STREAM,
            "--subject",
            "CC.posts",
        ])
        .args(["--consumer", "scorers", "--results-subject", "CC.results"])
        .args(["--dead-letter-subject", "CC.dead", "--lexical"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Stops a worker with SIGTERM and checks it exits 0.
pub fn stop(mut worker: Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = worker.wait().unwrap();
    assert!(status.success(), "worker exited with {status}");
}

/// Collects the results in the input's order; returns them and collect's report.
pub fn collect(url: &str, posts: &Path, expect: usize, out: &Path) -> (Vec<Value>, String) {
    let output = run(&[
        "collect",
        "--nats",
        url,
        "--subject",
        "CC.results",
        "--expect",
        &expect.to_string(),
        "--idle",
        "30",
        "--order-by",
        posts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    (
        read_jsonl(out),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What `score` writes for the same input.
pub fn reference(posts: &Path, dir: &Path) -> Vec<Value> {
    let out = dir.join("score.jsonl");
    run(&[
        "score",
        "--lexical",
        posts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    read_jsonl(&out)
}

/// Exactly one result per post, each `score`'s record plus the kb version.
pub fn check_results(results: Vec<Value>, reference: Vec<Value>) {
    assert_eq!(results.len(), reference.len());
    let mut ids = std::collections::HashSet::new();
    for (mut got, want) in results.into_iter().zip(reference) {
        let version = got.as_object_mut().unwrap().remove("kb_version");
        assert!(version.is_some_and(|v| v.as_str().unwrap().starts_with("kb-")));
        assert!(
            ids.insert(got["id"].as_str().unwrap().to_owned()),
            "{got} twice"
        );
        assert_eq!(got, want);
    }
}

/// Waits until `log` holds `line`.
pub fn wait_for_log(log: &Path, line: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(line) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} never said {line:?}: {text}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The workers' shared consumer, as the server sees it.
pub fn consumer_info(url: &str) -> async_nats::jetstream::consumer::Info {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = async_nats::connect(url).await.unwrap();
        let js = async_nats::jetstream::new(client);
        let stream = js.get_stream(STREAM).await.unwrap();
        let mut consumer: async_nats::jetstream::consumer::PullConsumer =
            stream.get_consumer("scorers").await.unwrap();
        consumer.info().await.unwrap().clone()
    })
}

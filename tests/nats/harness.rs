//! The harness of the NATS tests: a [`Scenario`] (a nats-server of its own, posts written and
//! published, workers of the real binary, results collected and compared with what `score`
//! writes for the same input), and the commands it runs.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer};
use serde_json::Value;

pub use crate::server::NatsServer;

pub const BINARY: &str = env!("CARGO_BIN_EXE_counterclaim");
pub const STREAM: &str = "CC";

/// How long anything the tests wait for may take on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A worker of the real binary, its log (`counterclaim::worker` at debug) in a file.
pub struct Worker {
    child: Option<Child>,
    pub log: PathBuf,
}

impl Worker {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// One run through the cluster: a server, `count` posts in `posts`, workers on the shared
/// consumer `scorers`, and a client of the test's own to read the consumer's state.
pub struct Scenario {
    pub server: NatsServer,
    pub dir: tempfile::TempDir,
    pub posts: PathBuf,
    pub count: usize,
    pub workers: Vec<Worker>,
    runtime: tokio::runtime::Runtime,
    js: jetstream::Context,
}

impl Scenario {
    /// A server of its own and `count` posts written (not yet published); `None` when
    /// nats-server is absent and not required.
    pub fn new(count: usize) -> Option<Self> {
        let server = NatsServer::start()?;
        let dir = tempfile::tempdir().unwrap();
        let posts = write_posts(dir.path(), count);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let js = runtime
            .block_on(async { jetstream::new(async_nats::connect(&server.url).await.unwrap()) });
        Some(Self {
            server,
            dir,
            posts,
            count,
            workers: Vec::new(),
            runtime,
            js,
        })
    }

    /// [`Scenario::new`] with the posts published.
    pub fn published(count: usize) -> Option<Self> {
        let scenario = Self::new(count)?;
        publish(&scenario.server.url, &scenario.posts);
        Some(scenario)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Starts `n` more workers with `extra` flags, and waits until each has started (and so
    /// answers SIGTERM: one stopped earlier would die of it).
    pub fn start_workers(&mut self, n: usize, extra: &[&str]) {
        let first = self.workers.len();
        for i in first..first + n {
            let log = self.path(&format!("w{i}.log"));
            let child = worker(&self.server.url, &log, extra);
            self.workers.push(Worker {
                child: Some(child),
                log,
            });
        }
        for w in &mut self.workers[first..] {
            let child = w.child.as_mut().unwrap();
            wait_for_log(&w.log, "worker started", || {
                child.try_wait().unwrap().is_none()
            });
        }
    }

    /// The workers' shared consumer as the server sees it; `None` while it does not answer
    /// (during a restart).
    pub fn consumer_info(&self) -> Option<consumer::Info> {
        self.runtime.block_on(async {
            let stream = self.js.get_stream(STREAM).await.ok()?;
            let mut consumer: consumer::PullConsumer = stream.get_consumer("scorers").await.ok()?;
            consumer.info().await.ok().cloned()
        })
    }

    /// Waits until at least `share` of the posts have been handed to workers.
    pub fn wait_until_delivered(&self, share: f64) {
        let wanted = (self.count as f64 * share) as u64;
        self.wait_for("posts to be delivered", |info| {
            self.count as u64 - info.num_pending >= wanted
        });
    }

    /// Waits until every post is delivered and acknowledged: posts whose result a killed
    /// worker stored but never acknowledged come back only after the ack wait, possibly after
    /// `collect` has every result.
    pub fn wait_until_settled(&self) -> consumer::Info {
        self.wait_for("every post to be acknowledged", |info| {
            (info.num_ack_pending, info.num_pending) == (0, 0)
        })
    }

    fn wait_for(&self, what: &str, done: impl Fn(&consumer::Info) -> bool) -> consumer::Info {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let info = self.consumer_info();
            if let Some(info) = info.as_ref().filter(|i| done(i)) {
                return info.clone();
            }
            assert!(Instant::now() < deadline, "waited for {what}: {info:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILLs worker `i` while it holds a batch it has not begun to acknowledge: the worker
    /// is frozen (SIGSTOP) until its log shows a batch pulled and not yet acknowledging, so
    /// the kill surely leaves posts for the others. Returns the posts it held.
    pub fn kill_holding_posts(&mut self, i: usize) -> usize {
        let w = &mut self.workers[i];
        let pid = w.child.as_ref().expect("a running worker").id().to_string();
        let deadline = Instant::now() + PATIENCE;
        loop {
            signal("STOP", &pid);
            let log = w.log_text();
            let pulled: Vec<&str> = log.lines().filter(|l| l.contains("batch pulled")).collect();
            let settling = log.matches("batch published: acknowledging").count();
            if pulled.len() > settling {
                let mut child = w.child.take().unwrap();
                child.kill().unwrap(); // SIGKILL: no drain
                child.wait().unwrap();
                let last = pulled.last().unwrap();
                let held = last.split("posts=").nth(1).unwrap();
                return held.split_whitespace().next().unwrap().parse().unwrap();
            }
            signal("CONT", &pid);
            assert!(
                Instant::now() < deadline,
                "worker {i} never held a batch: {log}"
            );
            std::thread::sleep(Duration::from_millis(3));
        }
    }

    /// Stops worker `i` with SIGTERM and checks it exits 0.
    pub fn stop_worker(&mut self, i: usize) {
        stop(self.workers[i].child.take().expect("a running worker"));
    }

    /// Publishes `payload` as it is (no message id), awaiting JetStream's ack.
    pub fn publish_raw(&self, subject: &'static str, payload: &'static str) {
        self.runtime.block_on(async {
            let ack = self.js.publish(subject, payload.into()).await.unwrap();
            ack.await.unwrap();
        });
    }

    /// Every message stored on `subject`, as JSON.
    pub fn read_subject(&self, subject: &str) -> Vec<Value> {
        use tokio_stream::StreamExt;
        self.runtime.block_on(async {
            let stream = self.js.get_stream(STREAM).await.unwrap();
            let reader = (stream.create_consumer(consumer::pull::Config {
                filter_subject: subject.to_owned(),
                ack_policy: consumer::AckPolicy::None,
                ..Default::default()
            }))
            .await
            .unwrap();
            let mut batch = (reader.fetch().max_messages(10_000).messages())
                .await
                .unwrap();
            let mut letters = Vec::new();
            while let Some(message) = batch.next().await {
                letters.push(serde_json::from_slice(&message.unwrap().payload).unwrap());
            }
            letters
        })
    }

    /// Collects every post's result; waits until the consumer has settled; stops the workers
    /// left (SIGTERM, exit 0); checks exactly one result per post, each `score`'s record plus
    /// the knowledge-base version. Returns the consumer's final state.
    pub fn finish(&mut self) -> consumer::Info {
        let (results, report) = collect(
            &self.server.url,
            &self.posts,
            self.count,
            &self.path("got.jsonl"),
        );
        let info = self.wait_until_settled();
        for w in &mut self.workers {
            if let Some(child) = w.child.take() {
                stop(child);
            }
        }
        // A result stored twice (a redelivery after a kill or a lost connection) would be
        // counted here: JetStream drops it as a duplicate within the window.
        assert!(report.contains("0 duplicates left out"), "{report}");
        check_results(results, reference(&self.posts, self.dir.path()));
        info
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        for child in self.workers.iter_mut().filter_map(|w| w.child.as_mut()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn signal(name: &str, pid: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), pid])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{name} {pid}");
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

pub fn publish(url: &str, posts: &Path) -> Output {
    run(&[
        "publish",
        "--nats",
        url,
        "--subject",
        "CC.posts",
        posts.to_str().unwrap(),
    ])
}

/// A worker (lexical, one scoring thread), its log in `log`: on the shared consumer reading
/// `CC.posts` unless `extra` names a `--consumer` and a `--subject` of its own.
pub fn worker(url: &str, log: &Path, extra: &[&str]) -> Child {
    let mut command = Command::new(BINARY);
    command.args(["worker", "--nats", url, "--stream", STREAM]);
    if !extra.contains(&"--consumer") {
        command.args(["--consumer", "scorers", "--subject", "CC.posts"]);
    }
    command
        .args(["--results-subject", "CC.results"])
        .args([
            "--dead-letter-subject",
            "CC.dead",
            "--lexical",
            "--threads",
            "1",
        ])
        .args(extra)
        .env("RUST_LOG", "info,counterclaim::worker=debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Stops a worker with SIGTERM and checks it exits 0.
pub fn stop(mut worker: Child) {
    signal("TERM", &worker.id().to_string());
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

/// Waits until `log` holds `line`, failing at once when its writer is no longer `alive`.
pub fn wait_for_log(log: &Path, line: &str, mut alive: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let running = alive();
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(line) {
            break;
        }
        assert!(
            running && Instant::now() < deadline,
            "{} never said {line:?}: {text}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

//! The NATS JetStream transport end to end: a real nats-server (JetStream, a free loopback
//! port, a temporary store), the real binary's `publish`, `worker` and `collect`, and
//! `score` on the same input as the reference. Skipped with a message when nats-server is
//! absent, unless COUNTERCLAIM_REQUIRE_NATS is set (CI), where that fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_counterclaim");
const STREAM: &str = "CC";

/// A nats-server with JetStream, killed when dropped.
struct NatsServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl NatsServer {
    /// `None` (after saying so) when nats-server is not installed and not required.
    fn start() -> Option<Self> {
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
            _dir: dir,
        })
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` posts with ids p0, p1... and the texts of the fixture posts in turn.
fn write_posts(dir: &Path, n: usize) -> PathBuf {
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

fn run(args: &[&str]) -> Output {
    let output = Command::new(BINARY).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "counterclaim {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn publish(url: &str, posts: &Path) {
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
fn worker(url: &str, log: &Path, extra: &[&str]) -> Child {
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
fn stop(mut worker: Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = worker.wait().unwrap();
    assert!(status.success(), "worker exited with {status}");
}

/// Collects the results in the input's order; returns them and collect's report.
fn collect(url: &str, posts: &Path, expect: usize, out: &Path) -> (Vec<Value>, String) {
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

fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What `score` writes for the same input.
fn reference(posts: &Path, dir: &Path) -> Vec<Value> {
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
fn check_results(results: Vec<Value>, reference: Vec<Value>) {
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
fn wait_for_log(log: &Path, line: &str) {
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

#[test]
fn two_workers_give_what_score_gives() {
    let Some(server) = NatsServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let posts = write_posts(dir.path(), 2000);
    publish(&server.url, &posts);
    let workers: Vec<Child> = (0..2)
        .map(|i| {
            worker(
                &server.url,
                &dir.path().join(format!("w{i}.log")),
                &["--batch", "64"],
            )
        })
        .collect();
    let (results, report) = collect(&server.url, &posts, 2000, &dir.path().join("got.jsonl"));
    for w in workers {
        stop(w);
    }
    assert!(report.contains("0 duplicates left out"), "{report}");
    check_results(results, reference(&posts, dir.path()));
    // Both workers took part: they share one consumer.
    for i in 0..2 {
        let log = std::fs::read_to_string(dir.path().join(format!("w{i}.log"))).unwrap();
        assert!(log.contains("worker started"), "{log}");
        assert!(
            !log.contains("worker stopped scored=0 "),
            "worker {i} scored nothing: {log}"
        );
    }
}

#[test]
fn a_worker_killed_mid_stream_loses_nothing_and_doubles_nothing() {
    let Some(server) = NatsServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let posts = write_posts(dir.path(), 2000);
    publish(&server.url, &posts);
    // A short ack wait, so what the killed worker held is redelivered within the test.
    let ack_wait = ["--ack-wait", "2", "--batch", "20"];
    let first_log = dir.path().join("first.log");
    let mut first = worker(&server.url, &first_log, &ack_wait);
    wait_for_log(&first_log, "worker started");
    std::thread::sleep(Duration::from_millis(500));
    first.kill().unwrap(); // SIGKILL: no drain, batches in hand unacknowledged
    first.wait().unwrap();
    let workers: Vec<Child> = (0..2)
        .map(|i| {
            worker(
                &server.url,
                &dir.path().join(format!("w{i}.log")),
                &ack_wait,
            )
        })
        .collect();
    let (results, report) = collect(&server.url, &posts, 2000, &dir.path().join("got.jsonl"));
    for w in workers {
        stop(w);
    }
    // A result the killed worker stored before its ack was lost is stored once: JetStream
    // dropped the second as a duplicate, so the collector saw none.
    assert!(report.contains("0 duplicates left out"), "{report}");
    check_results(results, reference(&posts, dir.path()));
    // The kill left posts in hand: they came back to the other workers (the consumer counts
    // each delivery; `num_redelivered` counts only those still unacknowledged).
    let info = consumer_info(&server.url);
    assert!(
        info.delivered.consumer_sequence > 2000,
        "nothing was redelivered: {info:?}"
    );
    assert_eq!((info.num_ack_pending, info.num_pending), (0, 0), "{info:?}");
}

#[test]
fn poison_messages_are_dead_lettered_with_their_reason_and_the_stream_goes_on() {
    let Some(server) = NatsServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let posts = write_posts(dir.path(), 50);
    let long = serde_json::json!({"id": "too-long", "text": "vote ".repeat(10_000)});
    let mut text = std::fs::read_to_string(&posts).unwrap();
    text.push_str(&format!("{long}\n"));
    let with_long = dir.path().join("with_long.jsonl");
    std::fs::write(&with_long, text).unwrap();
    publish(&server.url, &with_long);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let js = runtime.block_on(async {
        let client = async_nats::connect(&server.url).await.unwrap();
        let js = async_nats::jetstream::new(client);
        for bad in ["not json at all", r#"{"id": "no-text"}"#] {
            js.publish("CC.posts", bad.into())
                .await
                .unwrap()
                .await
                .unwrap();
        }
        js
    });
    let log = dir.path().join("w.log");
    let w = worker(&server.url, &log, &[]);
    let (results, _) = collect(&server.url, &posts, 50, &dir.path().join("got.jsonl"));
    check_results(results, reference(&posts, dir.path()));
    let reasons: Vec<String> = runtime.block_on(async {
        use async_nats::jetstream::consumer::{AckPolicy, pull};
        use tokio_stream::StreamExt;
        let stream = js.get_stream(STREAM).await.unwrap();
        let reader = stream
            .create_consumer(pull::Config {
                filter_subject: "CC.dead".to_owned(),
                ack_policy: AckPolicy::None,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut batch = reader.fetch().max_messages(10).messages().await.unwrap();
        let mut reasons = Vec::new();
        while let Some(message) = batch.next().await {
            let letter: Value = serde_json::from_slice(&message.unwrap().payload).unwrap();
            reasons.push(letter["reason"].as_str().unwrap().to_owned());
        }
        reasons
    });
    stop(w);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.starts_with("invalid JSON")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("no \"text\" field")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("over the limit")),
        "{reasons:?}"
    );
    // Each was acknowledged, never to come back.
    let info = consumer_info(&server.url);
    assert_eq!((info.num_ack_pending, info.num_pending), (0, 0), "{info:?}");
}

/// The workers' shared consumer, as the server sees it.
fn consumer_info(url: &str) -> async_nats::jetstream::consumer::Info {
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

#[test]
fn sigterm_finishes_and_acknowledges_the_batch_in_hand() {
    let Some(server) = NatsServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let posts = write_posts(dir.path(), 2000);
    publish(&server.url, &posts);
    let log = dir.path().join("first.log");
    let first = worker(&server.url, &log, &["--batch", "64"]);
    wait_for_log(&log, "worker started");
    std::thread::sleep(Duration::from_millis(300));
    stop(first);
    // Nothing it pulled is left unacknowledged: no post waits for the ack wait to pass.
    let info = consumer_info(&server.url);
    assert_eq!(info.num_ack_pending, 0, "{info:?}");
    assert!(
        info.num_pending > 0,
        "it finished the stream before the signal: {info:?}"
    );
    let rest = worker(&server.url, &dir.path().join("rest.log"), &[]);
    let (results, report) = collect(&server.url, &posts, 2000, &dir.path().join("got.jsonl"));
    stop(rest);
    assert!(report.contains("0 duplicates left out"), "{report}");
    check_results(results, reference(&posts, dir.path()));
}

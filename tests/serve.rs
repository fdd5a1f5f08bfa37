//! The real `counterclaim serve` binary and its signals: SIGTERM drains it (in-flight calls
//! finish, health turns NOT_SERVING and `/healthz` 503, an open stream ends at the drain
//! deadline) and it exits 0; SIGHUP reloads the knowledge base from its files; with API keys,
//! its HTTP address asks for one as the gRPC address does.
#![cfg(unix)]

mod util;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use tokio_stream::StreamExt;
use tonic::Code;
use util::{http_get, http_request_with, slow_batch};

const DRAIN: Duration = Duration::from_secs(6);

/// One test at a time: the SIGTERM test's calls must finish within the drain deadline, which
/// another test's batch competing for the two cores could make them miss.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Served {
    child: Child,
    addr: SocketAddr,
    http_addr: SocketAddr,
    log: tempfile::NamedTempFile,
    /// The data directory (the trend store), never the user's.
    _data: tempfile::TempDir,
}

impl Served {
    /// Starts the binary on 127.0.0.1:0 and reads the addresses it prints.
    fn start() -> Self {
        Self::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Self {
        Self::spawn(Command::new(env!("CARGO_BIN_EXE_counterclaim")), extra)
    }

    /// The same, with at most `fds` file descriptors (`ulimit -n`).
    fn start_with_fd_limit(fds: u32) -> Self {
        let mut command = Command::new("sh");
        command
            .args(["-c", r#"ulimit -n "$0" && exec "$@""#])
            .arg(fds.to_string())
            .arg(env!("CARGO_BIN_EXE_counterclaim"));
        Self::spawn(command, &[])
    }

    fn spawn(mut command: Command, extra: &[&str]) -> Self {
        let log = tempfile::NamedTempFile::new().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut child = command
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--http-addr",
                "127.0.0.1:0",
                "--lexical",
                "--drain-timeout",
            ])
            .arg(format!("{}s", DRAIN.as_secs()))
            .arg("--data-dir")
            .arg(data.path())
            .args(extra)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut announced = |what: &str| -> SocketAddr {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            line.trim()
                .strip_prefix(what)
                .unwrap_or_else(|| panic!("no {what:?} announced: {line:?}"))
                .parse()
                .unwrap()
        };
        let addr = announced("listening on ");
        let http_addr = announced("http listening on ");
        Self {
            child,
            addr,
            http_addr,
            log,
            _data: data,
        }
    }

    fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }
}

/// Polls `probe` every 20 ms until it gives a value, and fails with `why()` once `limit` has
/// passed without one.
async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    limit: Duration,
    mut probe: impl FnMut() -> F,
    why: impl Fn() -> String,
) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(started.elapsed() < limit, "{}", why());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_finishes_calls_in_flight_ends_streams_at_the_deadline_and_exits_0() {
    let _turn = ONE_AT_A_TIME.lock().await;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let mut server = Served::start();
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = CounterclaimClient::new(channel.clone()).max_encoding_message_size(64 << 20);

    // A health watch and a stream that stays open, idle, after its first answer.
    let mut health = HealthClient::new(channel.clone())
        .watch(HealthCheckRequest {
            service: "counterclaim.v1.Counterclaim".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.next().await.unwrap().unwrap().status, 1, "SERVING");
    let (posts, outbound) = tokio::sync::mpsc::channel(4);
    let mut answers = client
        .stream_match_posts(tokio_stream::wrappers::ReceiverStream::new(outbound))
        .await
        .unwrap()
        .into_inner();
    posts
        .send(pb::MatchPostRequest {
            post: Some(pb::Post {
                id: "s1".into(),
                text: "China will forge our mail ballots".into(),
                ..Default::default()
            }),
            options: None,
        })
        .await
        .unwrap();
    assert_eq!(answers.next().await.unwrap().unwrap().post_id, "s1");

    // Unary calls that take about half a second each, in flight when SIGTERM arrives (short
    // enough to finish within the drain deadline on a busy machine).
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let mut c = client.clone();
            tokio::spawn(async move { c.match_posts(slow_batch(12)).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.signal("TERM");

    assert_eq!(
        health.next().await.unwrap().unwrap().status,
        2,
        "NOT_SERVING while draining"
    );
    let (status, _, body) = http_get(server.http_addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (503, "draining"));
    let mut failed = Vec::new();
    for call in calls {
        match call.await.unwrap() {
            Ok(r) => assert_eq!(r.into_inner().results.len(), 12),
            Err(status) => failed.push(status),
        }
    }
    assert!(
        failed.is_empty(),
        "unary calls failed after {:?}: {failed:?}\n{}",
        signalled.elapsed(),
        server.log()
    );

    // The open stream is ended, cleanly, with UNAVAILABLE at the drain deadline.
    let end = answers.next().await.unwrap().unwrap_err();
    assert_eq!(end.code(), Code::Unavailable, "{end:?}");
    assert!(signalled.elapsed() >= DRAIN - Duration::from_millis(100));
    drop(posts);

    let status = server
        .wait(DRAIN + Duration::from_secs(10))
        .expect("the server exits after the drain deadline");
    assert!(status.success(), "{status:?}\n{}", server.log());
    let log = server.log();
    for step in [
        "shutdown requested",
        "draining",
        "drain deadline: ending open streams",
        "stopped",
    ] {
        assert!(log.contains(step), "no {step:?} in the log:\n{log}");
    }
    // The access log: one line per call, with its method, code, posts and request id.
    let batches = log
        .lines()
        .filter(|l| l.contains("method=/counterclaim.v1.Counterclaim/MatchPosts"))
        .filter(|l| l.contains("code=Ok") && l.contains("posts=12") && l.contains("request_id="))
        .count();
    assert_eq!(batches, 4, "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_reloads_the_knowledge_base_and_calls_in_flight_finish_on_the_old_one() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let kb = tempfile::tempdir().unwrap();
    util::copy_dir(std::path::Path::new("index"), kb.path());
    let mut server = Served::start_with(&["--kb", kb.path().to_str().unwrap()]);
    let mut client = CounterclaimClient::connect(format!("http://{}", server.addr))
        .await
        .unwrap();
    let info = |mut c: CounterclaimClient<_>| async move {
        c.get_server_info(pb::GetServerInfoRequest {})
            .await
            .unwrap()
            .into_inner()
    };
    let before = info(client.clone()).await;

    // A batch in flight, then a new narrative and SIGHUP. The largest batch, signalled as soon
    // as the server counts it in flight, is still running after the reload in a release build
    // too (64 posts and a fixed 300 ms wait were not).
    let mut c = client.clone();
    let posts = counterclaim::limits::MAX_BATCH_POSTS as u64;
    let batch = tokio::spawn(async move { c.match_posts(slow_batch(posts)).await });
    let in_flight = format!("counterclaim_in_flight_posts {posts}");
    let counted = || async {
        let (_, _, metrics) = http_get(server.http_addr, "/metrics").await;
        metrics.contains(&in_flight).then_some(())
    };
    eventually(Duration::from_secs(30), counted, || {
        "never in flight".into()
    })
    .await;
    let narratives = kb.path().join("narratives");
    util::retitle(
        &narratives.join("mail-voting-widespread-fraud.toml"),
        "Reloaded: ",
    );
    server.signal("HUP");
    // Reloaded once the new version answers and the log says so (the metrics are set by then).
    let old = &before.kb_version;
    let reloaded = || {
        let (client, logged) = (
            client.clone(),
            server.log().contains("knowledge base reloaded"),
        );
        async move { Some(info(client).await).filter(|now| logged && now.kb_version != *old) }
    };
    let never = || format!("never reloaded: {}", server.log());
    let after = eventually(Duration::from_secs(60), reloaded, never).await;
    let narrative = client
        .get_narrative(pb::GetNarrativeRequest {
            id: "mail-voting-widespread-fraud".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(narrative.kb_version, after.kb_version);
    assert!(narrative.narrative.unwrap().title.starts_with("Reloaded: "));
    assert!(!batch.is_finished(), "the batch should still be running");
    let answered = batch
        .await
        .unwrap()
        .expect("the batch is answered")
        .into_inner();
    assert_eq!(answered.kb_version, before.kb_version);
    let (_, _, metrics) = http_get(server.http_addr, "/metrics").await;
    let info_line = format!("counterclaim_kb_info{{version=\"{}\"}} 1", after.kb_version);
    assert!(metrics.contains(&info_line), "{metrics}");

    // A broken file keeps the version in service, and the log says why.
    std::fs::write(narratives.join("broken.toml"), "id = [").unwrap();
    server.signal("HUP");
    let refused = || async { server.log().contains("not reloaded").then_some(()) };
    eventually(Duration::from_secs(60), refused, || server.log()).await;
    assert!(server.log().contains("broken.toml"), "{}", server.log());
    assert_eq!(info(client.clone()).await.kb_version, after.kb_version);
    client
        .match_post(pb::MatchPostRequest {
            post: Some(pb::Post {
                id: "p".into(),
                text: "mail-in voting is rigged fraud".into(),
                ..Default::default()
            }),
            options: None,
        })
        .await
        .expect("still serving");
    server.signal("TERM");
    assert!(
        server
            .wait(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kb_reload_checks_the_files_and_only_then_signals_the_server() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let kb = tempfile::tempdir().unwrap();
    util::copy_dir(std::path::Path::new("index"), kb.path());
    let pid_file = kb.path().join("serve.pid");
    let (kb_path, pid_path) = (kb.path().to_str().unwrap(), pid_file.to_str().unwrap());
    let mut server = Served::start_with(&["--kb", kb_path, "--pid-file", pid_path]);
    let mut client = CounterclaimClient::connect(format!("http://{}", server.addr))
        .await
        .unwrap();
    let version = |mut c: CounterclaimClient<_>| async move {
        let info = c.get_server_info(pb::GetServerInfoRequest {}).await;
        info.unwrap().into_inner().kb_version
    };
    let before = version(client.clone()).await;
    let reload = || {
        Command::new(env!("CARGO_BIN_EXE_counterclaim"))
            .args(["kb", "reload", kb_path, "--pid-file", pid_path])
            .output()
            .unwrap()
    };
    let broken = kb.path().join("narratives/broken.toml");
    std::fs::write(&broken, "id = [").unwrap();
    let refused = reload();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("broken.toml"));
    std::fs::remove_file(&broken).unwrap();
    let file = kb
        .path()
        .join("narratives/mail-voting-widespread-fraud.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("title = \"", "title = \"Reloaded: ", 1),
    )
    .unwrap();
    let sent = reload();
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    // The server logs a reload once the new version is in service.
    let reloaded = || async {
        server
            .log()
            .contains("knowledge base reloaded")
            .then_some(())
    };
    eventually(Duration::from_secs(60), reloaded, || server.log()).await;
    assert_ne!(version(client.clone()).await, before);
    // The refused reload never reached the server: it reloaded once.
    assert_eq!(server.log().matches("knowledge base reloaded").count(), 1);
    client
        .get_server_info(pb::GetServerInfoRequest {})
        .await
        .unwrap();
    server.signal("TERM");
    assert!(
        server
            .wait(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );
    assert!(!pid_file.exists(), "the pid file is removed at exit");
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_without_a_kb_path_is_logged_and_changes_nothing() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut server = Served::start();
    let (status, _, body) = http_get(server.http_addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    server.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "SIGHUP killed it"
    );
    let mut client = CounterclaimClient::connect(format!("http://{}", server.addr))
        .await
        .unwrap();
    client
        .get_server_info(pb::GetServerInfoRequest {})
        .await
        .expect("still serving after SIGHUP");
    let log = server.log();
    assert!(
        log.contains("built-in knowledge base cannot change"),
        "{log}"
    );

    // With nothing in flight, SIGTERM stops it at once.
    drop(client);
    server.signal("TERM");
    let status = server.wait(Duration::from_secs(5)).expect("exits promptly");
    assert!(status.success(), "{status:?}");
}

/// CPU time the process has used so far (user and system), from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_file_descriptors_it_logs_pauses_and_recovers() {
    let server = Served::start_with_fd_limit(64);
    // More connections than the server has descriptors left: the rest wait in the backlog and
    // every accept fails with EMFILE.
    let mut held = Vec::new();
    for _ in 0..100 {
        held.push(tokio::net::TcpStream::connect(server.addr).await.unwrap());
    }
    let logged = || async {
        let log = server.log();
        log.contains("accepting a connection failed").then_some(())
    };
    let never = || format!("no accept error logged:\n{}", server.log());
    eventually(Duration::from_secs(10), logged, never).await;
    let pid = server.child.id();
    let errors = || {
        server
            .log()
            .matches("accepting a connection failed")
            .count()
    };
    let (before, errors_before) = (cpu_time(pid), errors());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (busy, logged) = (cpu_time(pid) - before, errors() - errors_before);
    println!("out of descriptors for 2 s: {busy:?} of CPU, {logged} log lines");
    assert!(
        busy < Duration::from_millis(400),
        "it spins: {busy:?} of CPU in 2 s"
    );
    assert!(logged <= 3, "{logged} log lines in 2 s: not rate-limited");

    // Once the connections close, it serves again.
    drop(held);
    let start = Instant::now();
    loop {
        let call = async {
            let mut client = CounterclaimClient::connect(format!("http://{}", server.addr)).await?;
            client.get_server_info(pb::GetServerInfoRequest {}).await?;
            Ok::<_, Box<dyn std::error::Error>>(())
        };
        match tokio::time::timeout(Duration::from_secs(1), call).await {
            Ok(Ok(())) => break,
            other => assert!(
                start.elapsed() < Duration::from_secs(10),
                "never served again: {other:?}\n{}",
                server.log()
            ),
        }
    }
}

/// With API keys, the HTTP address asks for one on every route but `/healthz`: a page without
/// one gets 401 and a Basic challenge (a browser then asks the official for the key), the JSON
/// API its error as JSON; a key is taken as a Bearer token, in `x-api-key` or as the Basic
/// password, and a wrong one is refused and counted.
#[tokio::test(flavor = "multi_thread")]
async fn with_api_keys_the_console_api_and_metrics_ask_for_one() {
    const KEY: &str = "console-key-for-the-serve-tests-42";
    let keys = tempfile::NamedTempFile::new().unwrap();
    let file = format!("[[key]]\nname = \"election-office\"\nrole = \"read\"\nkey = \"{KEY}\"\n");
    std::fs::write(keys.path(), file).unwrap();
    let served = Served::start_with(&["--api-keys", keys.path().to_str().unwrap()]);
    let get = |path: &'static str, headers: Vec<String>| {
        let addr = served.http_addr;
        async move {
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            http_request_with(addr, "GET", path, &headers, None).await
        }
    };
    let (status, head, _) = get("/", vec![]).await;
    assert_eq!(status, 401);
    assert!(
        head.to_ascii_lowercase()
            .contains("www-authenticate: basic"),
        "{head}"
    );
    let (status, _, body) = get("/api/v1/narratives", vec![]).await;
    assert_eq!(status, 401);
    assert!(body.contains("\"UNAUTHENTICATED\""), "{body}");
    assert_eq!(get("/metrics", vec![]).await.0, 401);
    assert_eq!(get("/healthz", vec![]).await.0, 200);
    let wrong = "authorization: Bearer not-the-key-at-all-0000000000".to_owned();
    assert_eq!(get("/api/v1/narratives", vec![wrong]).await.0, 401);
    // "official:KEY" in base64, as a browser sends it.
    let basic = BASE64_STANDARD.encode(format!("official:{KEY}"));
    let basic = format!("authorization: Basic {basic}");
    for header in [
        format!("authorization: Bearer {KEY}"),
        format!("x-api-key: {KEY}"),
        basic,
    ] {
        let (status, _, body) = get("/api/v1/narratives", vec![header.clone()]).await;
        assert_eq!(status, 200, "{header}: {body}");
        assert!(body.contains("foreign-counterfeit-mail-ballots"));
    }
    let (_, _, metrics) = get("/metrics", vec![format!("x-api-key: {KEY}")]).await;
    let refused = metrics
        .lines()
        .find(|l| l.starts_with("counterclaim_rejections_total{reason=\"unauthenticated\"}"));
    assert!(refused.is_some_and(|l| l.ends_with(" 4")), "{refused:?}");
    assert!(!served.log().contains(KEY), "a key was logged");
}

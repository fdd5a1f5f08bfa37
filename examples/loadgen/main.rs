//! gRPC load generator for a server on this machine (it refuses any address that is not
//! loopback). Closed loop, N callers each sending one call after another for T seconds, measures
//! capacity; open loop (`--rate`), calls sent on a fixed schedule whatever the answers, measures
//! what happens beyond it. It prints calls sent, accepted, RESOURCE_EXHAUSTED (the server's
//! deliberate shedding) and every other error by code, throughput, and p50/p90/p99 of accepted
//! calls; `--json` also writes that report. It exits 1 when any call failed with a code other
//! than RESOURCE_EXHAUSTED.
//!
//! ```sh
//! cargo run --release -- serve &
//! cargo run --release --example loadgen -- --rpc unary  --clients 16 --seconds 10
//! cargo run --release --example loadgen -- --rpc stream --clients 16 --seconds 10
//! cargo run --release --example loadgen -- --rate 300 --seconds 60 --progress 10
//! cargo run --release --example loadgen -- --rpc stream --clients 256 --pace-ms 1000 --seconds 60
//! cargo run --release --example loadgen -- --rpc stream --clients 256 --no-read --seconds 60
//! ```
//! Posts come from a JSONL file (`--posts`, `--text-field`), cycled; a stream keeps one post in
//! flight per client so latency is measured per post. Slow clients (`--pace-ms`) wait after each
//! answer before the next call or post; streams with `--no-read` send posts as fast as the server
//! takes them and never read an answer. `scripts/soak.sh` drives it, and `scripts/memory.sh`
//! with slow and non-reading streams.

mod drive;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use drive::{Client, ClosedLoop, OpenLoop, Rpc, Tally};
use serde_json::json;
use tonic::transport::{Endpoint, Uri};

#[derive(Clone, Copy, ValueEnum)]
enum RpcArg {
    Unary,
    Stream,
}

#[derive(Parser)]
struct Args {
    /// The server; its host must be a loopback address (or a name resolving only to them).
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    url: String,
    #[arg(long, value_enum, default_value = "unary")]
    rpc: RpcArg,
    /// Connections. In closed loop each is one caller; in open loop calls take them in turn.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// How long to send.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Open loop: MatchPost calls a second, sent whatever the answers. Without it, closed loop.
    #[arg(long)]
    rate: Option<f64>,
    /// Closed loop: each caller waits this long after an answer before its next call or post
    /// (slow clients).
    #[arg(long, default_value_t = 0)]
    pace_ms: u64,
    /// With `--rpc stream`: each stream sends posts as fast as the server takes them and never
    /// reads an answer (clients that stopped reading); "sent" counts the posts sent.
    #[arg(long)]
    no_read: bool,
    /// Open loop: calls waiting for an answer at most; a call due beyond them is not sent (and
    /// counted as such).
    #[arg(long, default_value_t = 2048)]
    max_in_flight: usize,
    /// Each call's deadline, in seconds; a call still unanswered then fails with CANCELLED.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// JSONL file of posts, cycled.
    #[arg(long, default_value = "tests/fixtures/posts.jsonl")]
    posts: PathBuf,
    /// The field of each JSONL record that holds the post's text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Print a progress line on stderr every this many seconds (0: none).
    #[arg(long, default_value_t = 0)]
    progress: u64,
    /// Also write the report to this file, as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let uri: Uri = args.url.parse().context("--url")?;
    refuse_unless_loopback(&uri).await?;
    let posts = Arc::new(read_posts(&args.posts, &args.text_field)?);
    if args.clients == 0 || args.max_in_flight == 0 {
        bail!("--clients and --max-in-flight must be at least 1");
    }
    if args.rate.is_some() && matches!(args.rpc, RpcArg::Stream) {
        bail!("--rate drives MatchPost only (--rpc unary)");
    }
    if args.rate.is_some() && (args.pace_ms > 0 || args.no_read) {
        bail!("--pace-ms and --no-read are for the closed loop (without --rate)");
    }
    if args.no_read && (args.pace_ms > 0 || matches!(args.rpc, RpcArg::Unary)) {
        bail!("--no-read is for streams (--rpc stream) that read nothing, so have no pace");
    }
    let mut clients = Vec::new();
    for _ in 0..args.clients {
        let channel = Endpoint::from(uri.clone())
            .timeout(Duration::from_secs(args.timeout))
            .connect()
            .await
            .with_context(|| format!("connecting to {uri}"))?;
        clients.push(Client::new(channel));
    }
    let duration = Duration::from_secs(args.seconds);
    let progress = (args.progress > 0).then(|| Duration::from_secs(args.progress));
    let (tally, what) = match (args.rate, args.rpc) {
        (Some(rate), RpcArg::Unary) => {
            let plan = OpenLoop {
                rate,
                duration,
                max_in_flight: args.max_in_flight,
                progress,
            };
            let what = format!(
                "MatchPost, open loop at {rate} calls/s, {} connections, at most {} in flight",
                args.clients, args.max_in_flight
            );
            (drive::open_loop(&clients, posts, &plan).await, what)
        }
        (_, rpc) => {
            let (rpc, name) = match (rpc, args.no_read) {
                (RpcArg::Unary, _) => (Rpc::Unary, "MatchPost"),
                (RpcArg::Stream, false) => (Rpc::Stream, "StreamMatchPosts"),
                (RpcArg::Stream, true) => (Rpc::UnreadStream, "StreamMatchPosts"),
            };
            let mut what = format!("{name}, closed loop, {} callers", args.clients);
            if args.no_read {
                what += " that never read an answer";
            } else if args.pace_ms > 0 {
                what += &format!(", each waiting {} ms after an answer", args.pace_ms);
            }
            let plan = ClosedLoop {
                rpc,
                duration,
                pace: Duration::from_millis(args.pace_ms),
                progress,
            };
            (drive::closed_loop(&clients, posts, &plan).await, what)
        }
    };
    let report = report(&tally, &args, duration);
    print(&report, &what);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if tally.error_count() > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// A load generator aimed at somebody else's server is an attack: only loopback is allowed.
async fn refuse_unless_loopback(uri: &Uri) -> anyhow::Result<()> {
    let host = uri.host().context("--url has no host")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let addrs: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .with_context(|| format!("resolving {host}"))?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|addr| !addr.ip().is_loopback()) {
        bail!(
            "refusing {uri}: the load generator only targets loopback addresses (127.0.0.1, ::1)"
        );
    }
    Ok(())
}

/// The `text_field` of every record of a JSONL file.
fn read_posts(path: &Path, text_field: &str) -> anyhow::Result<Vec<String>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut posts = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let at = || format!("{}:{}", path.display(), i + 1);
        let line = line.with_context(at)?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = serde_json::from_str(&line).with_context(at)?;
        match record.get(text_field).and_then(|text| text.as_str()) {
            Some(text) => posts.push(text.to_owned()),
            None => bail!("{}: no string field {text_field:?}", at()),
        }
    }
    if posts.is_empty() {
        bail!("{}: no posts", path.display());
    }
    Ok(posts)
}

fn report(tally: &Tally, args: &Args, duration: Duration) -> serde_json::Value {
    let seconds = duration.as_secs_f64();
    let ms = |histogram: &hdrhistogram::Histogram<u64>, q: f64| {
        (!histogram.is_empty()).then(|| histogram.value_at_quantile(q) as f64 / 1e3)
    };
    let (ok, rejected) = (&tally.accepted, &tally.rejected);
    json!({
        "rpc": match args.rpc { RpcArg::Unary => "unary", RpcArg::Stream => "stream" },
        "loop": if args.rate.is_some() { "open" } else { "closed" },
        "target_rate": args.rate,
        "seconds": seconds,
        "clients": args.clients,
        "pace_ms": args.pace_ms,
        "no_read": args.no_read,
        "streams": tally.streams,
        "sent": tally.sent,
        "not_sent": tally.not_sent,
        "ok": ok.len(),
        "resource_exhausted": rejected.len(),
        "rejection_rate": rejected.len() as f64 / tally.sent.max(1) as f64,
        "errors": tally.error_count(),
        "errors_by_code": tally.errors,
        "sent_per_s": tally.sent as f64 / seconds,
        "ok_per_s": ok.len() as f64 / seconds,
        "ok_ms": {
            "p50": ms(ok, 0.50), "p90": ms(ok, 0.90), "p99": ms(ok, 0.99), "max": ms(ok, 1.0),
        },
        "resource_exhausted_ms": { "p50": ms(rejected, 0.50), "p99": ms(rejected, 0.99) },
    })
}

fn print(report: &serde_json::Value, what: &str) {
    let ms = |v: &serde_json::Value| v.as_f64().map_or("-".into(), |ms| format!("{ms:.1} ms"));
    let r = report;
    println!("{what}, {} s", r["seconds"]);
    if r["rpc"] == "stream" {
        println!("streams opened: {} of {}", r["streams"], r["clients"]);
    }
    println!(
        "sent {} (due but not sent: {}), OK {}, RESOURCE_EXHAUSTED {} ({:.1}%), other errors {} {}",
        r["sent"],
        r["not_sent"],
        r["ok"],
        r["resource_exhausted"],
        r["rejection_rate"].as_f64().unwrap_or(0.0) * 100.0,
        r["errors"],
        r["errors_by_code"],
    );
    println!(
        "throughput: {:.1} OK calls/s ({:.1} sent/s)",
        r["ok_per_s"].as_f64().unwrap_or(0.0),
        r["sent_per_s"].as_f64().unwrap_or(0.0),
    );
    let ok = &r["ok_ms"];
    println!(
        "OK latency: p50 {}, p90 {}, p99 {}, max {}",
        ms(&ok["p50"]),
        ms(&ok["p90"]),
        ms(&ok["p99"]),
        ms(&ok["max"])
    );
    let rejected = &r["resource_exhausted_ms"];
    println!(
        "RESOURCE_EXHAUSTED latency: p50 {}, p99 {}",
        ms(&rejected["p50"]),
        ms(&rejected["p99"])
    );
}

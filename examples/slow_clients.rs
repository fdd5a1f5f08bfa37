//! The closed-loop load generator with slow (`--pace-ms`) and non-reading (`--no-read`) streaming clients, for scripts/memory.sh; examples/loadgen/ is the open-loop one (to be folded into it).
//! gRPC load generator: drives `MatchPost` or `StreamMatchPosts` on a running server with N
//! concurrent clients for T seconds and prints requests/s, p50, p99 and errors.
//!
//! ```sh
//! cargo run --release -- serve &
//! cargo run --release --example loadgen -- --rpc unary  --clients 16 --seconds 10
//! cargo run --release --example loadgen -- --rpc stream --clients 16 --seconds 10
//! cargo run --release --example loadgen -- --rpc stream --clients 256 --pace-ms 1000 --seconds 60
//! ```
//! Posts are the labelled test posts (`tests/fixtures/posts.jsonl`), cycled; a stream keeps one
//! post in flight per client so latency is measured per post. Each client has its own
//! connection. `--pace-ms` makes slow clients: each waits that long after an answer before it
//! sends its next post (`scripts/memory.sh` measures the server's memory under 256 of them).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use counterclaim::eval::labelled::read_posts;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

#[derive(Clone, Copy, ValueEnum)]
enum Rpc {
    Unary,
    Stream,
}

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    url: String,
    #[arg(long, value_enum, default_value = "unary")]
    rpc: Rpc,
    #[arg(long, default_value_t = 16)]
    clients: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value = "tests/fixtures/posts.jsonl")]
    posts: PathBuf,
    /// Each client waits this long after an answer before its next call or post.
    #[arg(long, default_value_t = 0)]
    pace_ms: u64,
    /// Streams send posts as fast as the server takes them and never read an answer (clients
    /// that stopped reading); the count is of posts sent.
    #[arg(long)]
    no_read: bool,
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let texts: Vec<String> = read_posts(&args.posts)
        .map_err(anyhow::Error::msg)?
        .into_iter()
        .map(|p| p.text)
        .collect();
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let pace = Duration::from_millis(args.pace_ms);
    let mut tasks = Vec::new();
    for client_no in 0..args.clients {
        let client = CounterclaimClient::connect(args.url.clone()).await?;
        let texts = texts.clone();
        tasks.push(tokio::spawn(async move {
            match args.rpc {
                Rpc::Unary => unary(client, texts, client_no, deadline, pace).await,
                Rpc::Stream if args.no_read => unread(client, texts, client_no, deadline).await,
                Rpc::Stream => stream(client, texts, client_no, deadline, pace).await,
            }
        }));
    }
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await?;
        total.latencies.extend(tally.latencies);
        total.errors += tally.errors;
    }
    total.latencies.sort();
    let n = total.latencies.len();
    let pct = |p: f64| {
        total
            .latencies
            .get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "rpc={} clients={} seconds={} requests={} requests/s={:.0} p50={:.2}ms p99={:.2}ms errors={}",
        match args.rpc {
            Rpc::Unary => "MatchPost",
            Rpc::Stream => "StreamMatchPosts",
        },
        args.clients,
        args.seconds,
        n,
        n as f64 / args.seconds as f64,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        total.errors
    );
    Ok(())
}

fn request(texts: &[String], i: usize) -> pb::MatchPostRequest {
    pb::MatchPostRequest {
        post: Some(pb::Post {
            id: i.to_string(),
            text: texts[i % texts.len()].clone(),
            ..Default::default()
        }),
        options: None,
    }
}

async fn unary(
    mut client: CounterclaimClient<tonic::transport::Channel>,
    texts: Vec<String>,
    offset: usize,
    deadline: Instant,
    pace: Duration,
) -> Tally {
    let mut tally = Tally::default();
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        match client.match_post(request(&texts, i)).await {
            Ok(_) => tally.latencies.push(started.elapsed()),
            Err(_) => tally.errors += 1,
        }
        i += 1;
        if !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
    tally
}

async fn stream(
    mut client: CounterclaimClient<tonic::transport::Channel>,
    texts: Vec<String>,
    offset: usize,
    deadline: Instant,
    pace: Duration,
) -> Tally {
    let mut tally = Tally::default();
    let (tx, rx) = mpsc::channel(1);
    let mut responses = match client.stream_match_posts(ReceiverStream::new(rx)).await {
        Ok(r) => r.into_inner(),
        Err(_) => {
            tally.errors += 1;
            return tally;
        }
    };
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        if tx.send(request(&texts, i)).await.is_err() {
            tally.errors += 1;
            break;
        }
        match responses.next().await {
            Some(Ok(r))
                if matches!(
                    r.outcome,
                    Some(pb::stream_match_posts_response::Outcome::Result(_))
                ) =>
            {
                tally.latencies.push(started.elapsed())
            }
            Some(_) => tally.errors += 1,
            None => break,
        }
        i += 1;
        if !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
    tally
}

/// A stream whose client sends posts as fast as the server takes them and reads nothing.
async fn unread(
    mut client: CounterclaimClient<tonic::transport::Channel>,
    texts: Vec<String>,
    offset: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let (tx, rx) = mpsc::channel(1);
    let _unread = match client.stream_match_posts(ReceiverStream::new(rx)).await {
        Ok(r) => r.into_inner(),
        Err(_) => {
            tally.errors += 1;
            return tally;
        }
    };
    let mut i = offset;
    while let Ok(Ok(())) =
        tokio::time::timeout_at(deadline.into(), tx.send(request(&texts, i))).await
    {
        tally.latencies.push(Duration::ZERO);
        i += 1;
    }
    tally
}

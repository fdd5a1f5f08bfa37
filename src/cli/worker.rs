//! `counterclaim worker`, `publish` and `collect`: the NATS JetStream transport's commands
//! (the work is in [`counterclaim::worker`]).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use counterclaim::worker::{self, CollectConfig, PublishConfig, WorkerConfig};

use super::score::InputArgs;
use super::serve::signals::shutdown_signal;
use super::setup::{MatcherArgs, match_options};

/// Where the NATS server is.
#[derive(clap::Args)]
pub struct NatsArg {
    /// The NATS server, e.g. nats://127.0.0.1:4222.
    #[arg(
        long,
        env = "COUNTERCLAIM_NATS",
        default_value = "nats://127.0.0.1:4222"
    )]
    nats: String,
}

#[derive(clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    nats: NatsArg,
    /// The JetStream stream (created if missing, with the subjects STREAM.>).
    #[arg(long)]
    stream: String,
    /// The input subject, e.g. STREAM.posts.
    #[arg(long)]
    subject: String,
    /// The durable pull consumer the workers share (created if missing).
    #[arg(long)]
    consumer: String,
    /// Where results go, e.g. STREAM.results.
    #[arg(long)]
    results_subject: String,
    /// Where poison messages go with their reason, e.g. STREAM.dead.
    #[arg(long)]
    dead_letter_subject: String,
    /// Posts pulled and scored together (at most 4,096). In hybrid mode larger batches embed
    /// faster; smaller ones lose less work to a crash.
    #[arg(long, default_value_t = 256)]
    batch: usize,
    /// Seconds before an unacknowledged post is redelivered (set when the consumer is created).
    #[arg(long, default_value_t = 30.0)]
    ack_wait: f64,
    /// Posts handed out unacknowledged across all workers at most (set when the consumer is
    /// created): the back-pressure.
    #[arg(long, default_value_t = 4096)]
    max_ack_pending: i64,
    #[command(flatten)]
    matcher: MatcherArgs,
    #[command(flatten)]
    input: InputArgs,
    /// Matches per post at most.
    #[arg(long, default_value_t = 3)]
    top_k: u32,
    /// Report matches scoring at least this (default: the service's threshold).
    #[arg(long)]
    min_score: Option<f32>,
    /// Scoring threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run_worker(args: WorkerArgs) -> anyhow::Result<()> {
    if !(args.ack_wait.is_finite() && args.ack_wait > 0.0) {
        anyhow::bail!("--ack-wait: a positive number of seconds");
    }
    let config = WorkerConfig {
        url: args.nats.nats,
        stream: args.stream,
        subject: args.subject,
        consumer: args.consumer,
        results_subject: args.results_subject,
        dead_letter_subject: args.dead_letter_subject,
        batch: args.batch,
        ack_wait: Duration::from_secs_f64(args.ack_wait),
        max_ack_pending: args.max_ack_pending,
        fields: args.input.fields(),
        options: match_options(args.top_k, "--top-k", args.min_score, false)?,
        threads: args.threads,
    };
    let matcher = Arc::new(args.matcher.matcher()?);
    runtime()?.block_on(async {
        let shutdown = shutdown_signal()?;
        worker::run_worker(config, matcher, shutdown).await?;
        Ok(())
    })
}

/// Scoring runs on its own rayon pool: the runtime only moves messages.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// The stream a subject belongs to: its first token (`S.posts` is in `S`), unless given.
fn stream_of(stream: Option<String>, subject: &str) -> String {
    stream.unwrap_or_else(|| subject.split('.').next().unwrap_or(subject).to_owned())
}

#[derive(clap::Args)]
pub struct PublishArgs {
    #[command(flatten)]
    nats: NatsArg,
    /// The input subject the workers read, e.g. STREAM.posts.
    #[arg(long)]
    subject: String,
    /// The stream (created if missing) [default: the subject's first token].
    #[arg(long)]
    stream: Option<String>,
    /// Input files, read as `score` reads them; `-` is standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Publish acks outstanding at most.
    #[arg(long, default_value_t = 1024)]
    window: usize,
}

pub fn run_publish(args: PublishArgs) -> anyhow::Result<()> {
    let config = PublishConfig {
        url: args.nats.nats,
        stream: stream_of(args.stream, &args.subject),
        subject: args.subject,
        inputs: args.inputs,
        input_format: args.input.format()?,
        fields: args.input.fields(),
        window: args.window,
        progress: std::io::stderr().is_terminal(),
    };
    let summary = runtime()?.block_on(worker::publish(config))?;
    eprintln!(
        "Published {} posts ({} already in the stream, {} records skipped).",
        summary.published, summary.duplicates, summary.skipped
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct CollectArgs {
    #[command(flatten)]
    nats: NatsArg,
    /// The results subject, e.g. STREAM.results.
    #[arg(long)]
    subject: String,
    /// The stream [default: the subject's first token].
    #[arg(long)]
    stream: Option<String>,
    /// Stop once this many posts have a result.
    #[arg(long)]
    expect: Option<u64>,
    /// Stop when no result has come for this many seconds.
    #[arg(long, default_value_t = 10.0)]
    idle: f64,
    /// The JSONL file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Write the results in the order of this input's posts (as `score` would).
    #[arg(long)]
    order_by: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run_collect(args: CollectArgs) -> anyhow::Result<()> {
    if !(args.idle.is_finite() && args.idle > 0.0) {
        anyhow::bail!("--idle: a positive number of seconds");
    }
    let config = CollectConfig {
        url: args.nats.nats,
        stream: stream_of(args.stream, &args.subject),
        subject: args.subject,
        expect: args.expect,
        idle: Duration::from_secs_f64(args.idle),
        output: args.output,
        order_by: args.order_by,
        order_format: args.input.format()?,
        order_fields: args.input.fields(),
    };
    let expect = config.expect;
    let summary = runtime()?.block_on(worker::collect(config))?;
    eprintln!(
        "Collected {} results ({} duplicates left out, {} posts of --order-by missing).",
        summary.collected, summary.duplicates, summary.missing
    );
    if let Some(n) = expect
        && summary.collected < n
    {
        anyhow::bail!("{} results of the {n} expected", summary.collected);
    }
    Ok(())
}

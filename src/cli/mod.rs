//! The commands of the `counterclaim` binary: their flags (clap), and what each one runs.
//!
//! - `setup`: the knowledge base and the matcher the flags ask for, and what to say when a path
//!   is missing.
//! - `logging`: logs on stderr, coloured only on a terminal, or JSON.
//! - `show`: what `match` and `narratives` print for a person.
//! - `serve`: the gRPC service, its limits and its signals.
//! - `score`: batch scoring.
//! - `tools`: evaluation and knowledge-base maintenance.
//! - `export`: `kb export`, the knowledge base published as schema.org ClaimReview.
//! - `reload`: `kb reload`, which checks the files and signals the server.
//! - `keys`: new API keys and their key-file entries.
//! - `feedback`: the report on moderators' feedback.
//! - `data_dir`: the `--data-dir` flag and its default.
//! - `worker`: `worker`, `publish` and `collect`, scoring on NATS JetStream.

mod data_dir;
mod export;
mod feedback;
mod keys;
pub mod logging;
mod reload;
mod score;
mod serve;
mod setup;
mod show;
mod tools;
mod trends;
mod worker;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use setup::{KbArg, MatcherArgs};

#[derive(Parser)]
#[command(
    version,
    about = "Spots known false election narratives in posts and answers them with official statements."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log format on stderr: text (coloured on a terminal) or json (one object a line, for log
    /// shippers).
    #[arg(
        long,
        global = true,
        env = "COUNTERCLAIM_LOG_FORMAT",
        value_enum,
        default_value_t = logging::LogFormat::Text
    )]
    pub log_format: logging::LogFormat,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the gRPC service. SIGTERM or SIGINT drains it and exits 0.
    Serve(Box<serve::ServeArgs>),
    /// Match one post (the TEXT argument, or standard input).
    Match {
        text: Option<String>,
        #[command(flatten)]
        matcher: MatcherArgs,
        /// Print JSON instead of a readable answer.
        #[arg(long)]
        json: bool,
        /// Report narratives scoring at least this (default: the service's threshold).
        #[arg(long)]
        min_score: Option<f32>,
        /// Narratives reported at most.
        #[arg(long, default_value_t = 3)]
        max_matches: u32,
    },
    /// Score dumps of posts (JSONL, CSV or TSV; gzip or zstd; `-` for stdin) in parallel,
    /// writing one record per post in input order.
    Score(score::ScoreArgs),
    /// Score posts from a NATS JetStream stream: one of many workers sharing a durable pull
    /// consumer; each result is published before its post is acknowledged. SIGTERM or SIGINT
    /// finishes the batch in hand and exits 0.
    Worker(Box<worker::WorkerArgs>),
    /// Publish posts (read as `score` reads them) to a NATS JetStream subject for workers.
    Publish(worker::PublishArgs),
    /// Read the workers' results back into a JSONL file, in the order of an input if given.
    Collect(worker::CollectArgs),
    /// Read the narratives of the knowledge base.
    Narratives {
        #[command(subcommand)]
        command: NarrativesCommand,
        #[command(flatten)]
        kb: KbArg,
    },
    /// Measure quality: ranking on a benchmark (--queries, --qrels) or precision, recall and
    /// stance accuracy on labelled posts (--posts).
    Eval(tools::EvalArgs),
    /// Knowledge-base maintenance.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// API keys for `serve --api-keys`.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Moderators' feedback, as `SubmitFeedback` records it in the data directory.
    Feedback {
        #[command(subcommand)]
        command: FeedbackCommand,
    },
}

#[derive(Subcommand)]
pub enum FeedbackCommand {
    /// Per narrative: the verdicts, precision, the share of posts missed, and the lowest
    /// threshold that reaches the target precision on the scored verdicts.
    Report(feedback::ReportArgs),
}

#[derive(Subcommand)]
pub enum NarrativesCommand {
    /// One line per narrative.
    List,
    /// A narrative with its claims and the statements that rebut it.
    Show { id: String },
    /// Free-text search over the narratives' titles, claims, variants and statements, best
    /// first, e.g. "fake ballots from China".
    Search {
        query: String,
        /// Keep the search index on disk here (reused while the knowledge base is unchanged)
        /// instead of building it in RAM.
        #[arg(long, env = "COUNTERCLAIM_INDEX_DIR")]
        index_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum KbCommand {
    /// Convert a fact-check collection into a knowledge base: CheckThat! 2020 TSV, CheckThat!
    /// 2022 JSONL, or schema.org ClaimReview JSON-LD. Bad records are reported with their
    /// position and skipped.
    Import(tools::ImportArgs),
    /// Publish each narrative's official rebuttals as schema.org ClaimReview JSON-LD, for
    /// officials' sites and search engines (`kb import --format claimreview` reads it back).
    Export(export::ExportArgs),
    /// Load and validate a knowledge base; print what it holds and what a curator should fix.
    Check {
        /// A directory (native format) or a .jsonl file (flat format) [default: the shipped
        /// knowledge base, built into the binary].
        path: Option<PathBuf>,
    },
    /// Check a knowledge base's files and, if they load, have the server serving them reload
    /// them (SIGHUP); calls in flight finish on the old version.
    Reload(reload::ReloadArgs),
}

/// Runs a command. Errors are the user's to read: they name the file, flag or variable at fault.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(&args),
        Command::Match {
            text,
            matcher,
            json,
            min_score,
            max_matches,
        } => show::match_post(text, &matcher, json, min_score, max_matches),
        Command::Score(args) => score::run(args),
        Command::Worker(args) => worker::run_worker(*args),
        Command::Publish(args) => worker::run_publish(args),
        Command::Collect(args) => worker::run_collect(args),
        Command::Narratives { command, kb } => show::narratives(command, &kb),
        Command::Eval(args) => tools::eval(args),
        Command::Kb {
            command: KbCommand::Import(args),
        } => tools::import(args),
        Command::Kb {
            command: KbCommand::Export(args),
        } => export::run(&args),
        Command::Kb {
            command: KbCommand::Check { path },
        } => tools::check(path),
        Command::Kb {
            command: KbCommand::Reload(args),
        } => reload::run(&args),
        Command::Keys { command } => keys::run(command),
        Command::Feedback {
            command: FeedbackCommand::Report(args),
        } => feedback::report(&args),
    }
}

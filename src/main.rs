//! The `counterclaim` command line: parse, set up logging, call the library. The commands live
//! in [`cli`].

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Matching allocates many small, short-lived strings per post; with glibc's allocator malloc
/// and free took 13% of lexical scoring time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // candle runs element-wise operations on a pool of its own, whose workers spin while they
    // wait. The model's batches already run side by side on rayon's threads (see `embed`), and
    // the spinning took 12% of the cycles of hybrid scoring on two cores; without that pool,
    // hybrid `score` ran 10-16% faster with the same output (docs/quality.md).
    // `CANDLE_NUM_THREADS` set by the user still wins.
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: no other thread exists yet to read the environment concurrently.
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
    let cli = cli::Cli::parse();
    cli::logging::init(cli.log_format);
    match cli::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let message = message(&error);
            match cli.log_format {
                cli::logging::LogFormat::Text => eprintln!("Error: {message}"),
                cli::logging::LogFormat::Json => tracing::error!("{message}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each said once: the library's errors name their cause
/// in their own message too (`posts.jsonl: No such file or directory`), and anyhow's formats
/// would repeat it, or add a backtrace when `RUST_BACKTRACE` is set. These errors are the
/// user's to read.
fn message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

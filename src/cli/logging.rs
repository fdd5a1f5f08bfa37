//! Logs on stderr: readable text, coloured only when stderr is a terminal (a file or a pipe
//! gets no escape codes), or one JSON object a line for log shippers. `RUST_LOG` filters them.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Readable lines; coloured on a terminal unless `NO_COLOR` is set.
    Text,
    /// One JSON object a line: `timestamp`, `level`, `fields` (with `message`), `target`.
    Json,
}

pub fn init(format: LogFormat) {
    let (filter, bad_filter) = match EnvFilter::try_from_default_env() {
        Ok(filter) => (filter, None),
        Err(e) => {
            let set = std::env::var("RUST_LOG").ok().filter(|v| !v.is_empty());
            ("info".into(), set.map(|value| (value, e)))
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.with_ansi(colour()).init(),
        LogFormat::Json => logs.json().with_ansi(false).init(),
    }
    if let Some((value, error)) = bad_filter {
        tracing::warn!("RUST_LOG={value:?} is not a valid filter ({error}); logging at info");
    }
}

/// Colour only for a person at a terminal; `NO_COLOR` (https://no-color.org) turns it off.
fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

//! The signals `counterclaim serve` answers: SIGTERM and SIGINT start the drain; SIGHUP reloads
//! the knowledge base from its files (or, when it lives in the data directory, says to use the
//! admin API).

use std::sync::Arc;

use anyhow::Context;
use counterclaim::grpc::Counters;
use counterclaim::live::LiveMatcher;

use super::timed;
use crate::cli::setup::MatcherArgs;

/// Completes at the first SIGTERM or SIGINT.
#[cfg(unix)]
pub(in crate::cli) fn shutdown_signal()
-> anyhow::Result<impl std::future::Future<Output = ()> + Send> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!(signal = "SIGTERM", "shutdown requested"),
            _ = int.recv() => tracing::info!(signal = "SIGINT", "shutdown requested"),
        }
    })
}

/// At each SIGHUP, loads the knowledge base again from its files and, if it loads and is
/// valid, serves it (see [`reload`]). Signals that arrive during a reload make one more.
#[cfg(unix)]
pub(super) fn reload_on_hangup(
    args: MatcherArgs,
    live: Arc<LiveMatcher>,
    counters: Arc<Counters>,
    stored: bool,
) -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    Ok(async move {
        while hup.recv().await.is_some() {
            if stored {
                tracing::warn!(
                    signal = "SIGHUP",
                    "the knowledge base lives in the data directory: change it through the \
                     admin API (nothing reloaded)"
                );
                continue;
            }
            tracing::info!(
                signal = "SIGHUP",
                kb = args.kb.name(),
                "reloading the knowledge base"
            );
            let (args, live, counters) = (args.clone(), live.clone(), counters.clone());
            let _ = tokio::task::spawn_blocking(move || reload(&args, &live, &counters)).await;
        }
    })
}

#[cfg(not(unix))]
pub(super) fn reload_on_hangup(
    _: MatcherArgs,
    _: Arc<LiveMatcher>,
    _: Arc<Counters>,
    _: bool,
) -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(std::future::pending())
}

/// Builds a matcher on the knowledge base's files as they are now (index and embeddings, off
/// the request path) and swaps it in; calls in flight finish on the old one. A knowledge base
/// that fails to load or validate changes nothing and is logged with the reason.
fn reload(args: &MatcherArgs, live: &LiveMatcher, counters: &Arc<Counters>) {
    let before = live.snapshot().kb().version().to_owned();
    if args.kb.kb.is_none() {
        tracing::warn!(
            kb = before,
            "the built-in knowledge base cannot change: start with --kb to reload from files"
        );
        return;
    }
    match args.matcher() {
        Ok(matcher) => {
            let matcher = timed(matcher, counters);
            let after = matcher.kb().version().to_owned();
            live.replace(matcher);
            counters.knowledge_base(&after);
            tracing::info!(before, after, "knowledge base reloaded");
        }
        Err(e) => tracing::error!(
            kb = before,
            error = format!("{e:#}"),
            "knowledge base not reloaded: the one in service stays"
        ),
    }
}

#[cfg(not(unix))]
pub(in crate::cli) fn shutdown_signal()
-> anyhow::Result<impl std::future::Future<Output = ()> + Send> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!(signal = "ctrl-c", "shutdown requested");
    })
}

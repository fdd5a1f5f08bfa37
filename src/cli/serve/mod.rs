//! `counterclaim serve`: the gRPC service, its HTTP address (metrics, health), its limits, API
//! keys and TLS from the flags, and the admin API. SIGTERM and SIGINT drain every server (gRPC,
//! admin, HTTP) and exit 0; SIGHUP reloads the knowledge base.
//!
//! - `stored`: with the admin API, the knowledge base in the data directory, and its protection.
//! - `signals`: shutdown and reload signals.

pub(super) mod signals;
mod stored;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use counterclaim::curator::Curator;
use counterclaim::grpc::Counters;
use counterclaim::live::LiveMatcher;
use counterclaim::matcher::Matcher;
use counterclaim::store::feedback::FeedbackLog;
use counterclaim::{admin, grpc, http};

use super::data_dir::DataDirArg;
use super::setup::MatcherArgs;
use super::trends::TrendArgs;
use signals::{reload_on_hangup, shutdown_signal};
use stored::{check_admin_protection, stored_matcher};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port. The address bound is printed on stdout
    /// ("listening on ADDR").
    #[arg(long, env = "COUNTERCLAIM_ADDR", default_value = "127.0.0.1:50051")]
    pub addr: SocketAddr,
    /// HTTP address of the officials' console (/), its JSON API (/api/v1/), Prometheus metrics
    /// (/metrics) and /healthz; port 0 picks a free port. The address bound is printed on
    /// stdout after the gRPC one ("http listening on ADDR"). With API keys configured, everything
    /// but /healthz needs a read key; without them, bind it to a private address.
    #[arg(long, env = "COUNTERCLAIM_HTTP_ADDR", default_value = "127.0.0.1:8080")]
    pub http_addr: SocketAddr,
    /// Serve no HTTP address (no console, JSON API, metrics or /healthz); overrides --http-addr.
    #[arg(long)]
    pub no_http: bool,
    #[command(flatten)]
    pub matcher: MatcherArgs,
    /// Serve the admin API (counterclaim.admin.v1: knowledge-base updates, feedback) on this
    /// address; port 0 picks a free port, printed after the others ("admin listening on
    /// ADDR"). The knowledge base then lives in the data directory.
    #[arg(long, env = "COUNTERCLAIM_ADMIN_ADDR")]
    pub admin_addr: Option<SocketAddr>,
    /// Let the admin API run without API keys. Only on a loopback address.
    #[arg(long)]
    pub insecure_admin: bool,
    #[command(flatten)]
    pub data_dir: DataDirArg,
    #[command(flatten)]
    pub trends: TrendArgs,
    /// Record nothing: no trend store at all.
    #[arg(long, env = "COUNTERCLAIM_NO_TRENDS", conflicts_with = "record_text")]
    pub no_trends: bool,
    /// Write the process id here once the server listens (for `counterclaim kb reload
    /// --pid-file`); removed when it stops.
    #[arg(long)]
    pub pid_file: Option<std::path::PathBuf>,
    /// Knowledge-base versions kept in the data directory (older ones are deleted).
    #[arg(long, default_value_t = 20)]
    pub keep_versions: usize,
    /// Posts matched at once, server-wide (a MatchPosts of 256 posts counts 256)
    /// [default: 256 per core].
    #[arg(long, env = "COUNTERCLAIM_MAX_POSTS_IN_FLIGHT")]
    pub max_posts_in_flight: Option<usize>,
    /// Calls that may wait for room under that bound; beyond them a call gets
    /// RESOURCE_EXHAUSTED at once [default: 8 per core].
    #[arg(long, env = "COUNTERCLAIM_MAX_QUEUED_CALLS")]
    pub max_queued_calls: Option<usize>,
    /// How long a queued call waits before RESOURCE_EXHAUSTED (e.g. 20ms, 1s).
    #[arg(long, default_value = "20ms", value_parser = parse_duration)]
    pub queue_timeout: Duration,
    /// Open StreamMatchPosts streams, server-wide.
    #[arg(long, default_value_t = counterclaim::limits::MAX_OPEN_STREAMS)]
    pub max_streams: usize,
    /// Open streams per connection [default: a quarter of --max-streams].
    #[arg(long)]
    pub max_streams_per_connection: Option<usize>,
    /// A stream that sends no post for this long is closed (DEADLINE_EXCEEDED).
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub stream_idle_timeout: Duration,
    /// On SIGTERM or SIGINT, how long in-flight calls and open streams have to finish.
    #[arg(long, env = "COUNTERCLAIM_DRAIN_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub drain_timeout: Duration,
    /// HTTP/2 ping interval on a quiet connection; a ping unanswered for --keepalive-timeout
    /// closes it.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub keepalive_interval: Duration,
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    pub keepalive_timeout: Duration,
    /// Connections are closed gracefully at this age (clients reconnect, and rebalance).
    #[arg(long, default_value = "1h", value_parser = parse_duration)]
    pub max_connection_age: Duration,
    /// Open gRPC connections; a new one beyond them is closed at once. Keep it under the
    /// file-descriptor limit (`ulimit -n`).
    #[arg(long, env = "COUNTERCLAIM_MAX_CONNECTIONS", default_value_t = counterclaim::limits::MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// API keys (TOML, `[[key]]` entries; see docs/operations.md). With keys, from this file or
    /// COUNTERCLAIM_API_KEYS (name:role:key,...), every call but health needs one.
    #[arg(long, env = "COUNTERCLAIM_API_KEYS_FILE", value_name = "FILE")]
    pub api_keys: Option<PathBuf>,
    /// Serve TLS with this certificate chain (PEM); needs --tls-key.
    #[arg(
        long,
        env = "COUNTERCLAIM_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM); needs --tls-cert.
    #[arg(
        long,
        env = "COUNTERCLAIM_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// Mutual TLS: clients must present a certificate signed by this CA (PEM); needs --tls-cert.
    #[arg(
        long,
        env = "COUNTERCLAIM_TLS_CLIENT_CA",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_client_ca: Option<PathBuf>,
}

/// API keys for container deployments, `name:role:key,...`; read here only, never from a flag,
/// so keys stay out of the process list.
const API_KEYS_VAR: &str = "COUNTERCLAIM_API_KEYS";

impl ServeArgs {
    fn options(&self) -> anyhow::Result<grpc::Options> {
        let defaults = grpc::Options::default();
        Ok(grpc::Options {
            max_posts_in_flight: self
                .max_posts_in_flight
                .unwrap_or(defaults.max_posts_in_flight),
            max_queued_calls: self.max_queued_calls.unwrap_or(defaults.max_queued_calls),
            queue_timeout: self.queue_timeout,
            max_streams: self.max_streams,
            max_streams_per_connection: (self.max_streams_per_connection)
                .unwrap_or((self.max_streams / 4).max(1)),
            stream_idle_timeout: self.stream_idle_timeout,
            drain_timeout: self.drain_timeout,
            keepalive_interval: self.keepalive_interval,
            keepalive_timeout: self.keepalive_timeout,
            max_connection_age: self.max_connection_age,
            max_connections: self.max_connections,
            api_keys: self.api_keys()?.map(Arc::new),
            tls: self.tls()?,
            ..defaults
        })
    }

    /// The keys of --api-keys and COUNTERCLAIM_API_KEYS together; `None` when neither is set.
    fn api_keys(&self) -> anyhow::Result<Option<grpc::ApiKeys>> {
        let list = std::env::var(API_KEYS_VAR)
            .ok()
            .filter(|l| !l.trim().is_empty());
        if self.api_keys.is_none() && list.is_none() {
            return Ok(None);
        }
        let mut keys = grpc::ApiKeys::default();
        if let Some(path) = &self.api_keys {
            keys.add_file(path)
                .context("reading API keys (--api-keys or COUNTERCLAIM_API_KEYS_FILE)")?;
        }
        if let Some(list) = list {
            keys.add_list(&list, API_KEYS_VAR)?;
        }
        anyhow::ensure!(
            !keys.is_empty(),
            "no API keys in --api-keys or {API_KEYS_VAR}: the server would refuse every call"
        );
        Ok(Some(keys))
    }

    fn tls(&self) -> anyhow::Result<Option<tonic::transport::ServerTlsConfig>> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let files = grpc::TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
            client_ca: self.tls_client_ca.clone(),
        };
        Ok(Some(files.load().context(
            "setting up TLS (--tls-cert, --tls-key, --tls-client-ca)",
        )?))
    }
}

/// `500ms`, `20s`, `5m`, `1h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?}: expected a duration such as 500ms, 30s or 5m"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(format!("{text:?}: the unit is one of ms, s, m, h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

/// Threads per core that may match posts at once in the server (tokio's blocking pool, which
/// would otherwise grow to 512). Matching is CPU-bound, so more would add no speed, and each
/// thread that matches keeps word memos of a few megabytes (`text::WordMemo`).
const MATCHING_THREADS_PER_CORE: usize = 4;

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let mut options = args.options()?;
    check_admin_protection(args, options.api_keys.is_some())?;
    let (trend_store, trends) = match args.no_trends {
        true => (None, None),
        false => {
            let (store, recorder) = (args.trends.open(&args.data_dir))
                .context("the trend store records every match (--no-trends: record nothing)")?;
            (Some(store), Some(recorder))
        }
    };
    options.trends = trends.clone();
    // The reads behind the officials' console's charts.
    let console_trends = match trend_store {
        Some(store) => http::trends::Trends::store(store),
        None => http::trends::Trends::default(),
    };
    let (matcher, stored) = match args.admin_addr {
        None => (args.matcher.matcher()?, None),
        Some(_) => {
            let (matcher, versions, sequence) = stored_matcher(args)?;
            (matcher, Some((versions, sequence)))
        }
    };
    let live = Arc::new(LiveMatcher::new(timed(matcher, &options.counters)));
    let curator = stored.map(|(versions, sequence)| {
        Arc::new(Curator::new(
            live.clone(),
            versions,
            sequence,
            args.matcher.cache_dir(),
        ))
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MATCHING_THREADS_PER_CORE * cores)
        .build()?;
    let served = runtime.block_on(async {
        let listener = bind(args.addr, "--addr or COUNTERCLAIM_ADDR").await?;
        let bound = listener.local_addr()?;
        let http_listener = match args.no_http {
            true => None,
            false => Some(bind(args.http_addr, "--http-addr or COUNTERCLAIM_HTTP_ADDR").await?),
        };
        let http_bound = http_listener.as_ref().map(|l| l.local_addr()).transpose()?;
        let admin_listener = match args.admin_addr {
            Some(addr) => Some(bind(addr, "--admin-addr or COUNTERCLAIM_ADMIN_ADDR").await?),
            None => None,
        };
        // Installed before the address is announced, so a signal sent by whoever reads it is
        // never the default action (which, for SIGHUP and SIGTERM, kills the process).
        let shutdown = shutdown_signal()?;
        let reloads = reload_on_hangup(
            args.matcher.clone(),
            live.clone(),
            options.counters.clone(),
            curator.is_some(),
        )?;
        tracing::info!(
            addr = %bound,
            http_addr = http_bound.map(|a| a.to_string()),
            kb = live.snapshot().kb().version(),
            max_posts_in_flight = options.max_posts_in_flight,
            max_queued_calls = options.max_queued_calls,
            max_streams = options.max_streams,
            max_connections = options.max_connections,
            drain_timeout_s = options.drain_timeout.as_secs_f64(),
            api_keys = options.api_keys.as_ref().map_or(0, |k| k.len()),
            tls = match (&args.tls_cert, &args.tls_client_ca) {
                (None, _) => "off",
                (Some(_), None) => "on",
                (Some(_), Some(_)) => "mutual",
            },
            "serving counterclaim.v1"
        );
        if options.api_keys.is_none() && !bound.ip().is_loopback() {
            tracing::warn!(
                addr = %bound,
                "no API keys (--api-keys, COUNTERCLAIM_API_KEYS): whoever reaches this address \
                 may call every method"
            );
        }
        let _pid_file = args.pid_file.as_deref().map(PidFile::write).transpose()?;
        announce("listening on", bound);
        // One shutdown request drains every server.
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let asked = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        };
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        // The HTTP address answers through the drain (/healthz says 503) and stops with the
        // gRPC server.
        let (grpc_stopped, stop_http) = tokio::sync::oneshot::channel::<()>();
        let http = http_listener.map(|listener| {
            let http_bound = http_bound.expect("bound above");
            announce("http listening on", http_bound);
            tracing::info!("console at http://{http_bound}/");
            if options.api_keys.is_none() && !http_bound.ip().is_loopback() {
                tracing::warn!(
                    addr = %http_bound,
                    "no API keys: whoever reaches the HTTP address may read the console, match \
                     posts with /api/v1/check and read /metrics"
                );
            }
            let stopped = async {
                let _ = stop_http.await;
            };
            let state =
                http::HttpState::new(options.counters.clone(), live.clone(), console_trends)
                    .with_keys(options.api_keys.clone());
            tokio::spawn(http::serve(listener, state, stopped))
        });
        let admin = match (admin_listener, curator) {
            (Some(listener), Some(curator)) => {
                let admin_bound = listener.local_addr()?;
                tracing::info!(addr = %admin_bound, "serving counterclaim.admin.v1");
                announce("admin listening on", admin_bound);
                let admin_options = admin::Options {
                    counters: options.counters.clone(),
                    drain_timeout: options.drain_timeout,
                    api_keys: options.api_keys.clone(),
                    tls: options.tls.clone(),
                };
                let feedback = Arc::new(FeedbackLog::open(&args.data_dir.path()?)?);
                Some(tokio::spawn(admin::serve(
                    listener,
                    curator,
                    feedback,
                    admin_options,
                    asked(stopping.clone()),
                )))
            }
            _ => None,
        };
        let reloads = tokio::spawn(reloads);
        let served = grpc::serve(listener, live, options, asked(stopping)).await;
        reloads.abort();
        drop(grpc_stopped);
        if let Some(admin) = admin {
            match admin.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "the admin server failed"),
                Err(e) => tracing::warn!(error = %e, "the admin server panicked"),
            }
        }
        if let Some(http) = http {
            match tokio::time::timeout(HTTP_GRACE, http).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::warn!(error = %e, "the HTTP server failed"),
                Ok(Err(e)) => tracing::warn!(error = %e, "the HTTP server panicked"),
                Err(_) => tracing::warn!("HTTP requests still open at shutdown; stopping"),
            }
        }
        served?;
        Ok(())
    });
    // Matching cut off at the drain deadline is not waited for: it has no one to answer.
    runtime.shutdown_timeout(Duration::from_secs(1));
    if let Some(trends) = trends {
        // The writer's last batch reaches the disk before the process exits.
        trends.flush();
        let (recorded, dropped) = (trends.recorded(), trends.dropped());
        tracing::info!(recorded, dropped, "trend store flushed");
    }
    tracing::info!("stopped");
    served
}

async fn bind(addr: SocketAddr, set_by: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} (set by {set_by})"))
}

/// The matcher with its model timed for the metrics (`counterclaim_model_seconds`).
fn timed(mut matcher: Matcher, counters: &Arc<Counters>) -> Matcher {
    matcher.decorate_encoder(|model| grpc::timed(model, counters.clone()));
    matcher
}

/// How long open HTTP requests (a slow scrape) have once the gRPC server has stopped.
const HTTP_GRACE: Duration = Duration::from_secs(2);

/// The process id in a file, removed when the server stops.
struct PidFile(std::path::PathBuf);

impl PidFile {
    fn write(path: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::write(path, format!("{}\n", std::process::id()))
            .with_context(|| format!("{}: writing the pid file (--pid-file)", path.display()))?;
        Ok(Self(path.to_path_buf()))
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Tells whoever started the server (a test, a supervisor script) where it listens.
fn announce(what: &str, addr: SocketAddr) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{what} {addr}");
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_unit() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
    }
}

//! The gRPC transport: the `counterclaim.v1` service, grpc.health.v1, and server reflection (v1
//! and v1alpha) so grpcurl and Python clients can discover the API.
//!
//! [`serve`] takes an already-bound listener, so tests bind `127.0.0.1:0` and talk real TCP.
//!
//! - `service`: the handlers, thin.
//! - `admission`: the server-wide bound on posts in flight, with its short queue.
//! - `streams`: stream slots (server-wide and per connection).
//! - `model_time`: the decorator that times the sentence-embedding model for the metrics.
//! - `listener`: the cap on open connections, and accept errors (EMFILE) that never spin.
//! - `auth`: API keys and their roles (`auth/keys.rs`), checked by one tower layer.
//! - `tls`: the certificate, key and client CA of TLS and mutual TLS.
//! - `access_log`: one log line per call (with the API key's name), and the request id.
//! - `counters`: posts matched, work in flight, rejections by kind, calls by method and code;
//!   rendered for Prometheus.
//! - `record`: answered matches recorded in the trend store, read off the matcher's outcome.
//! - `status`: the one place an `Error` (or a codec failure) becomes a `Status`.
//! - `convert`: wire types ⇄ domain types.

mod access_log;
mod admission;
mod auth;
pub(crate) mod convert;
mod counters;
mod listener;
mod model_time;
mod record;
pub(crate) mod service;
mod status;
mod streams;
mod tls;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tonic::transport::Server;

use crate::limits;
use crate::live::LiveMatcher;
pub use access_log::{AccessLogLayer, REQUEST_ID_HEADER};
pub use admission::RETRY_AFTER;
pub use auth::{
    ApiKey, ApiKeys, Auth, AuthLayer, KeyName, KeysError, MIN_KEY_BYTES, Refusal, Role, auth_layer,
    authorize, key_entry, log_refusal, new_key, role_needed,
};
pub use counters::{Counters, Rejection};
pub use listener::ACCEPT_PAUSE;
pub use model_time::timed;
pub use service::{CANCEL_CHECK_POSTS, CounterclaimService};
pub use status::codec_response;
use streams::StreamSlots;
pub use tls::{HANDSHAKE_TIMEOUT, TlsError, TlsFiles};

/// The generated `counterclaim.v1` types, client and server.
pub mod pb {
    tonic::include_proto!("counterclaim.v1");

    /// The encoded file descriptor set, for reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("counterclaim_descriptor");
}

/// How much the server takes on, and how it lets go. [`Options::default`] derives the bounds
/// from the machine's cores; `counterclaim serve` sets each from a flag.
#[derive(Clone, Debug)]
pub struct Options {
    /// Posts being matched at once, server-wide, over every RPC.
    pub max_posts_in_flight: usize,
    /// Calls that may wait for room under that bound; beyond them, RESOURCE_EXHAUSTED at once.
    pub max_queued_calls: usize,
    /// How long a queued call waits before it is rejected.
    pub queue_timeout: Duration,
    /// Open `StreamMatchPosts` streams, server-wide.
    pub max_streams: usize,
    /// Open streams per connection: one client cannot take every slot.
    pub max_streams_per_connection: usize,
    /// A stream that sends no post for this long is closed (DEADLINE_EXCEEDED).
    pub stream_idle_timeout: Duration,
    /// After a shutdown request, how long in-flight calls and open streams have to finish.
    pub drain_timeout: Duration,
    /// HTTP/2 pings on a quiet connection, and how long to wait for the answer before closing
    /// it (a peer that vanished without closing its socket).
    pub keepalive_interval: Duration,
    pub keepalive_timeout: Duration,
    /// A connection is closed gracefully once this old, so clients rebalance and no connection
    /// holds its resources forever (tonic has no idle timeout for connections).
    pub max_connection_age: Duration,
    /// Open connections; a new one beyond them is closed at once (and counted).
    pub max_connections: usize,
    /// Longest a call may run on the server, whatever the client's deadline.
    pub call_timeout: Duration,
    /// Where the server counts what it does; keep a clone to read it, or to serve it with
    /// [`crate::http::serve`].
    pub counters: Arc<Counters>,
    /// The API keys calls must carry (health excepted); `None` serves every call without one.
    pub api_keys: Option<Arc<ApiKeys>>,
    /// TLS (and mutual TLS), from [`TlsFiles::load`]; `None` serves plaintext HTTP/2.
    pub tls: Option<tonic::transport::ServerTlsConfig>,
    /// Records the matches of every answered post (MatchPost, MatchPosts, StreamMatchPosts)
    /// in the trend store; `None` records nothing.
    pub trends: Option<crate::store::trends::TrendRecorder>,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            max_posts_in_flight: limits::MAX_BATCH_POSTS * cores,
            max_queued_calls: 8 * cores,
            queue_timeout: Duration::from_millis(20),
            max_streams: limits::MAX_OPEN_STREAMS,
            max_streams_per_connection: limits::MAX_OPEN_STREAMS / 4,
            stream_idle_timeout: Duration::from_secs(300),
            drain_timeout: Duration::from_secs(30),
            keepalive_interval: Duration::from_secs(60),
            keepalive_timeout: Duration::from_secs(20),
            max_connection_age: Duration::from_secs(3600),
            max_connections: limits::MAX_CONNECTIONS,
            call_timeout: Duration::from_secs(60),
            counters: Arc::default(),
            api_keys: None,
            tls: None,
            trends: None,
        }
    }
}

/// HTTP/2 flow control: how many bytes a client may send on a stream, and on a connection,
/// before the server has read them. A stream whose client stops reading answers is itself no
/// longer read, and what its client sends meanwhile waits in this window: with hyper's default
/// of 1 MiB, 256 such streams took the server from 221 MB to 631 MB (`scripts/memory.sh`).
/// 64 KiB, HTTP/2's own default, bounds them to 16 MiB; on loopback or a LAN it does not slow a
/// full 8 MiB `MatchPosts`, on a 20 ms path it caps one call's upload at about 3 MB/s.
const STREAM_WINDOW: u32 = 64 * 1024;
const CONNECTION_WINDOW: u32 = 1024 * 1024;

/// Once the drain deadline has passed and streams were told to end, how long the server waits
/// for the last calls before it stops anyway.
const AFTER_DEADLINE: Duration = Duration::from_secs(2);

/// How often request durations are folded into their histogram buckets.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Serves the API on `listener` until `shutdown` completes, then drains: no new connections,
/// health NOT_SERVING (and [`Counters::draining`] true), in-flight calls finish, open streams
/// end at `options.drain_timeout`. With `options.api_keys`, every call but health needs a key
/// of the role its path needs; with `options.tls`, connections are TLS.
pub async fn serve(
    listener: TcpListener,
    live: Arc<LiveMatcher>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health) = tonic_health::server::health_reporter();
    type Api = pb::counterclaim_server::CounterclaimServer<CounterclaimService>;
    health_reporter.set_serving::<Api>().await;
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection()
        .build_v1()
        .expect("the embedded descriptor sets are valid");
    let reflection_v1alpha = reflection()
        .build_v1alpha()
        .expect("the embedded descriptor sets are valid");
    let counters = options.counters.clone();
    counters.knowledge_base(live.snapshot().kb().version());
    if let Some(trends) = &options.trends {
        counters.watch_trends(trends.clone());
    }
    // Durations are folded into their buckets at each scrape, and by this when nobody scrapes.
    let upkeep = tokio::spawn({
        let counters = counters.clone();
        async move {
            let mut every = tokio::time::interval(UPKEEP_INTERVAL);
            loop {
                every.tick().await;
                counters.upkeep();
            }
        }
    });
    let _stop_upkeep = AbortOnDrop(upkeep);
    let streams = StreamSlots::new(options.max_streams, options.max_streams_per_connection);
    let (end_streams, end_streams_rx) = watch::channel(false);
    let service = CounterclaimService::new(live, &options, streams.clone(), end_streams_rx);
    let api = Api::new(service)
        .max_decoding_message_size(limits::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(limits::MAX_MESSAGE_BYTES);

    let incoming = listener::Listener::new(listener, options.max_connections, counters.clone());
    let (draining, drain_started) = oneshot::channel();
    let signal = async move {
        shutdown.await;
        tracing::info!(
            deadline_s = options.drain_timeout.as_secs_f64(),
            "draining: no new connections, health NOT_SERVING, in-flight calls finish, open \
             streams end at the deadline"
        );
        counters.drain_started();
        health_reporter.set_not_serving::<Api>().await;
        health_reporter
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        let _ = draining.send(tokio::time::Instant::now());
    };
    let mut builder = Server::builder();
    if let Some(tls) = options.tls.clone() {
        builder = builder.tls_config(tls)?;
    }
    // Inside the access log, so refused calls are logged (with their code) and counted too.
    let auth = (options.api_keys.clone()).map(|keys| auth_layer(keys, options.counters.clone()));
    let server = builder
        .layer(access_log::AccessLogLayer(options.counters.clone()))
        .layer(tower::util::MapResponseLayer::new(status::codec_response))
        .layer(tower::util::option_layer(auth))
        .timeout(options.call_timeout)
        .concurrency_limit_per_connection(256)
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .http2_keepalive_interval(Some(options.keepalive_interval))
        .http2_keepalive_timeout(Some(options.keepalive_timeout))
        .max_connection_age(options.max_connection_age)
        .max_connection_age_grace(options.drain_timeout)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(api)
        .serve_with_incoming_shutdown(incoming, signal);
    tokio::pin!(server);

    let started = tokio::select! {
        done = &mut server => {
            tracing::info!("drained: every call finished");
            return done;
        }
        started = drain_started => match started {
            Ok(started) => started,
            Err(_) => return server.await,
        },
    };
    tokio::select! {
        done = &mut server => {
            tracing::info!("drained: every call finished");
            return done;
        }
        () = tokio::time::sleep_until(started + options.drain_timeout) => {}
    }
    tracing::info!(
        open_streams = streams.open(),
        "drain deadline: ending open streams"
    );
    let _ = end_streams.send(true);
    tokio::select! {
        done = &mut server => {
            tracing::info!("drained: every call ended");
            done
        }
        () = tokio::time::sleep(AFTER_DEADLINE) => {
            tracing::warn!(
                "calls still open {} s after the drain deadline (e.g. health watches); stopping",
                AFTER_DEADLINE.as_secs()
            );
            Ok(())
        }
    }
}

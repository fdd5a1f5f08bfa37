//! The HTTP transport, beside the gRPC one on its own address: the officials' console (HTML,
//! `console/`), the JSON API for dashboards (`/api/v1/`, `api.rs`), `/metrics` for Prometheus and
//! `/healthz` for load balancers and supervisors. With API keys, every route but `/healthz` asks
//! for one (`auth.rs`).
//!
//! One [`router`] built from the shared [`HttpState`]: the server's counters, the live matcher
//! (every request takes one snapshot, as gRPC calls do) and the trend store when recording is
//! on. `answers.rs` computes what both the console and the API say from the same `Matcher`
//! methods gRPC uses; `error.rs` maps every library error to an HTTP status once.
//! [`serve`] takes an already-bound listener, so tests bind `127.0.0.1:0` and talk real TCP.
//! It keeps answering while the gRPC server drains (`/healthz` is then 503, so a balancer
//! stops sending work) and is stopped once the gRPC server has finished.
//!
//! Every page carries a strict Content-Security-Policy: no inline script or style and nothing
//! from another origin, so the console works offline and a page cannot make the browser call
//! anywhere but this address.

pub mod answers;
mod api;
mod auth;
mod console;
pub mod error;
pub mod trends;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::grpc::{ApiKeys, Counters};
use crate::live::LiveMatcher;
use crate::matcher::Matcher;
use crate::{Error, limits};
use error::{ApiError, ErrorBody};
use trends::Trends;

/// The content type of the Prometheus text exposition format.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Pages load only this address's own files; images may be inline SVG data.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'";

/// Checks and searches running at once, over the whole address. Matching is CPU work on the
/// blocking pool shared with gRPC; a browser tab must not be able to crowd the gRPC clients
/// out, so beyond this a check gets 429 at once.
pub const MAX_CHECKS_IN_FLIGHT: usize = 4;

/// Largest request body (a JSON check): a maximal post text, every character escaped, fits.
pub const MAX_BODY_BYTES: usize = 6 * limits::MAX_POST_TEXT_BYTES + 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct HttpState {
    pub counters: Arc<Counters>,
    pub live: Arc<LiveMatcher>,
    /// Matched posts over time; `None` when trend recording is off.
    pub trends: Trends,
    /// The server's API keys: with them every route but `/healthz` needs a key (`auth.rs`).
    keys: Option<Arc<ApiKeys>>,
    checks: Arc<Semaphore>,
}

impl HttpState {
    pub fn new(counters: Arc<Counters>, live: Arc<LiveMatcher>, trends: Trends) -> Self {
        Self {
            counters,
            live,
            trends,
            keys: None,
            checks: Arc::new(Semaphore::new(MAX_CHECKS_IN_FLIGHT)),
        }
    }

    /// The same state, asking every caller for one of `keys`.
    pub fn with_keys(self, keys: Option<Arc<ApiKeys>>) -> Self {
        Self { keys, ..self }
    }

    /// Runs matching work on a snapshot of the live matcher, on the blocking pool, if there is
    /// room for it; 429 (RESOURCE_EXHAUSTED) at once otherwise.
    async fn matching<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Matcher) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let permit = self.checks.clone().try_acquire_owned().map_err(|_| {
            let busy = Error::busy("too many checks at once", Duration::from_secs(1));
            self.counters
                .reject(crate::grpc::Rejection::QueueFull, busy)
        })?;
        let matcher = self.live.snapshot();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&matcher)
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(format!("matching task failed: {e}"))))?
    }
}

/// Every route.
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/", get(console::narratives::page))
        .route("/narratives/{id}", get(console::narrative::page))
        .route("/check", get(console::check::page))
        .route("/static/console.css", get(console_css))
        .route("/static/copy.js", get(copy_js))
        .route("/api/v1/narratives", get(api::narratives))
        .route("/api/v1/narratives/{id}", get(api::narrative))
        .route(
            "/api/v1/narratives/{id}/claimreview.json",
            get(api::claimreview),
        )
        .route("/api/v1/trends", get(api::trends))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/check", post(api::check))
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_key,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(state)
}

/// Serves [`router`] on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    state: HttpState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn secure_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Links to the sources of statements must not tell those sites what an official checked.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The files are built into the binary and change only with it: cache them for a year (their
/// URLs carry the crate version, see `console::layout`).
const LONG_CACHE: &str = "public, max-age=31536000, immutable";

async fn console_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        include_str!("console/console.css"),
    )
}

async fn copy_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        include_str!("console/copy.js"),
    )
}

/// JSON under `/api/`, a readable page elsewhere.
async fn not_found(State(state): State<HttpState>, uri: Uri) -> Response {
    let error = ErrorBody::no_route(uri.path());
    if uri.path().starts_with("/api/") {
        ApiError(error).into_response()
    } else {
        console::layout::PageError::new(&state, error).into_response()
    }
}

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, PROMETHEUS_TEXT)],
        state.counters.render(),
    )
}

async fn healthz(State(state): State<HttpState>) -> impl IntoResponse {
    if state.counters.draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining")
    } else {
        (StatusCode::OK, "ok")
    }
}

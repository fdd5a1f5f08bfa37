//! The HTTP transport, beside the gRPC one on its own address: `/metrics` for Prometheus and
//! `/healthz` for load balancers and supervisors. (The officials' console will live here too.)
//!
//! One [`router`] built from the server's shared [`Counters`]; the handlers only read them.
//! [`serve`] takes an already-bound listener, so tests bind `127.0.0.1:0` and talk real TCP.
//! It keeps answering while the gRPC server drains (`/healthz` is then 503, so a balancer
//! stops sending work) and is stopped once the gRPC server has finished.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::grpc::Counters;

/// The content type of the Prometheus text exposition format.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every route, over the counters of the gRPC server it reports on.
pub fn router(counters: Arc<Counters>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(counters)
}

/// Serves [`router`] on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    counters: Arc<Counters>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(counters))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn metrics(State(counters): State<Arc<Counters>>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, PROMETHEUS_TEXT)], counters.render())
}

async fn healthz(State(counters): State<Arc<Counters>>) -> impl IntoResponse {
    if counters.draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining")
    } else {
        (StatusCode::OK, "ok")
    }
}

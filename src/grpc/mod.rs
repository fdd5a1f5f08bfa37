//! The gRPC transport: the `counterclaim.v1` service, grpc.health.v1, and server reflection (v1
//! and v1alpha) so grpcurl and Python clients can discover the API.
//!
//! [`serve`] takes an already-bound listener, so tests bind `127.0.0.1:0` and talk real TCP.

mod convert;
mod service;
mod status;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::codegen::http;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::limits;
use crate::matcher::Matcher;
pub use service::CounterclaimService;

/// The generated `counterclaim.v1` types, client and server.
pub mod pb {
    tonic::include_proto!("counterclaim.v1");

    /// The encoded file descriptor set, for reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("counterclaim_descriptor");
}

/// Serves the API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    matcher: Arc<Matcher>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::counterclaim_server::CounterclaimServer<CounterclaimService>>()
        .await;
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
    let api = pb::counterclaim_server::CounterclaimServer::new(CounterclaimService::new(matcher))
        .max_decoding_message_size(limits::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(limits::MAX_MESSAGE_BYTES);
    Server::builder()
        .layer(tower::util::MapResponseLayer::new(
            oversize_is_resource_exhausted,
        ))
        .timeout(Duration::from_secs(60))
        .concurrency_limit_per_connection(256)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(api)
        // Without TCP_NODELAY a small unary reply waits out the peer's delayed ACK (~40 ms).
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await
}

/// tonic reports a request over the message-size limit as OUT_OF_RANGE; the gRPC spec says a
/// server answers RESOURCE_EXHAUSTED, which is what clients retry or shrink batches on.
fn oversize_is_resource_exhausted<B>(mut response: http::Response<B>) -> http::Response<B> {
    let headers = response.headers_mut();
    let oversize = headers.get("grpc-status").is_some_and(|s| s == "11")
        && headers.get("grpc-message").is_some_and(|m| {
            let m = m.to_str().unwrap_or_default();
            m.contains("length too large") || m.contains("length%20too%20large")
        });
    if oversize {
        headers.insert("grpc-status", http::HeaderValue::from_static("8"));
    }
    response
}

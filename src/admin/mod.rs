//! The admin transport: `counterclaim.admin.v1` (knowledge-base updates while serving, and
//! moderators' feedback), on its own address so it can be exposed apart from the matching API.
//!
//! - `service`: the `KnowledgeBaseAdmin` handlers, thin; the [`Curator`] does the writes.
//! - `feedback`: `SubmitFeedback`, appended to the data directory's feedback file.
//!
//! [`serve`] takes an already-bound listener, like [`crate::grpc::serve`], and shares its
//! counters (calls by method and code) and its status mapping.

mod service;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::Server;

use crate::curator::Curator;
use crate::grpc::{AccessLogLayer, ApiKeys, Counters, auth_layer, codec_response};
use crate::limits;
use crate::store::feedback::FeedbackLog;
use feedback::FeedbackService;
use pb::feedback_server::FeedbackServer;
pub use service::AdminService;

pub mod feedback;

/// The generated `counterclaim.admin.v1` types, client and server.
pub mod pb {
    tonic::include_proto!("counterclaim.admin.v1");

    /// The encoded file descriptor set, for reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("admin_descriptor");
}

/// The name of the API key a call came with (the auth layer puts it in the request), for the
/// audit log, the version history and feedback records; empty without keys.
fn key_name<T>(request: &tonic::Request<T>) -> String {
    (request.extensions().get::<crate::grpc::KeyName>())
        .map(|k| k.0.clone())
        .unwrap_or_default()
}

/// How the admin server runs.
#[derive(Clone)]
pub struct Options {
    /// Shared with the matching server: calls by method and code, the knowledge-base version.
    pub counters: Arc<Counters>,
    /// After a shutdown request, how long a write in progress has to finish.
    pub drain_timeout: Duration,
    /// Every call but health needs an `admin` key; `None` only with `--insecure-admin` on
    /// loopback (`counterclaim serve` checks).
    pub api_keys: Option<Arc<ApiKeys>>,
    pub tls: Option<tonic::transport::ServerTlsConfig>,
}

/// Serves the admin API on `listener` until `shutdown` completes; a write in progress then
/// finishes (it is whole or not at all) within the drain deadline.
pub async fn serve(
    listener: TcpListener,
    curator: Arc<Curator>,
    feedback: Arc<FeedbackLog>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    type Admin = pb::knowledge_base_admin_server::KnowledgeBaseAdminServer<AdminService>;
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter.set_serving::<Admin>().await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .expect("the embedded descriptor sets are valid");
    let feedback = FeedbackServer::new(FeedbackService::new(curator.live().clone(), feedback))
        .max_decoding_message_size(limits::MAX_MESSAGE_BYTES);
    let admin = Admin::new(AdminService::new(curator, options.counters.clone()))
        .max_decoding_message_size(limits::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(limits::MAX_MESSAGE_BYTES);
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    let (asked, shutdown_asked) = tokio::sync::oneshot::channel();
    let shutdown = async move {
        shutdown.await;
        let _ = asked.send(tokio::time::Instant::now());
    };
    let mut builder = Server::builder();
    if let Some(tls) = options.tls.clone() {
        builder = builder.tls_config(tls)?;
    }
    let auth = (options.api_keys.clone()).map(|keys| auth_layer(keys, options.counters.clone()));
    let server = builder
        .layer(AccessLogLayer(options.counters.clone()))
        .layer(tower::util::MapResponseLayer::new(codec_response))
        .layer(tower::util::option_layer(auth))
        .add_service(health)
        .add_service(reflection)
        .add_service(admin)
        .add_service(feedback)
        .serve_with_incoming_shutdown(incoming, shutdown);
    tokio::pin!(server);
    let asked = tokio::select! {
        done = &mut server => return done,
        asked = shutdown_asked => match asked {
            Ok(asked) => asked,
            Err(_) => return server.await,
        },
    };
    tokio::select! {
        done = &mut server => done,
        () = tokio::time::sleep_until(asked + options.drain_timeout) => {
            tracing::warn!("admin calls still open at the drain deadline; stopping");
            Ok(())
        }
    }
}

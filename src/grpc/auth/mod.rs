//! API keys: who may call what. A key has a name (for the logs) and a role: `read` may match
//! posts and read narratives, `admin` may also change the knowledge base and send feedback.
//!
//! The server keeps only the SHA-256 of each key. A presented key is hashed and compared with
//! every stored digest in constant time, without stopping at a match, so the time a check takes
//! says nothing about which key, or how much of one, was right. Keys are never logged; their
//! names are (the access log's `key` field).
//!
//! [`AuthLayer`] is a tower layer, so handlers never see keys, and any tonic server (the matching
//! API, the admin server on its own address) puts the same check in front of its services.
//! grpc.health.v1 needs no key: load balancers probe without one. `keys` holds the keys and
//! reads them; this module decides what a call needs and answers it.

mod keys;

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use tonic::Status;
use tonic::body::Body;
use tonic::codegen::http;
use tower::{Layer, Service};

use super::access_log::CallInfo;
use super::counters::{Counters, Rejection};
pub use keys::{ApiKey, ApiKeys, KeysError, MIN_KEY_BYTES, Role, key_entry, new_key};

/// The role a call to `path` (`/package.Service/Method`) needs, if any.
pub fn role_needed(path: &str) -> Option<Role> {
    if path.starts_with("/grpc.health.v1.") {
        None
    } else if path.starts_with("/counterclaim.admin.v1.") {
        Some(Role::Admin)
    } else {
        Some(Role::Read)
    }
}

/// The name of the key a call was made with, in the request's extensions for handlers that
/// record who did something (e.g. feedback).
#[derive(Clone, Debug)]
pub struct KeyName(pub String);

/// The tower layer that checks keys; see [`auth_layer`].
#[derive(Clone)]
pub struct AuthLayer {
    keys: Arc<ApiKeys>,
    counters: Arc<Counters>,
}

/// A layer that lets a call through only with a key of the role its path needs, counting and
/// logging each refusal in `counters`.
pub fn auth_layer(keys: Arc<ApiKeys>, counters: Arc<Counters>) -> AuthLayer {
    AuthLayer { keys, counters }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Auth<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    layer: AuthLayer,
}

/// Why a call was refused: the kind of rejection (counted and logged), the message its client
/// reads, and the name of the key it came with, if that key exists.
#[derive(Debug)]
pub struct Refusal {
    pub kind: Rejection,
    pub message: String,
    pub key: Option<String>,
}

/// The key in `headers` if it has `needed`'s role, or why not: the one decision both transports
/// (this layer, and the HTTP address's `http::auth`) make.
pub fn authorize<'k>(
    keys: &'k ApiKeys,
    headers: &http::HeaderMap,
    needed: Role,
) -> Result<&'k ApiKey, Refusal> {
    let refusal = |kind, message: &str, key: Option<&ApiKey>| Refusal {
        kind,
        message: message.to_owned(),
        key: key.map(|k| k.name().to_owned()),
    };
    let Some(presented) = presented_key(headers) else {
        return Err(refusal(
            Rejection::Unauthenticated,
            "missing API key: send authorization: Bearer KEY or x-api-key",
            None,
        ));
    };
    let Some(key) = keys.find(&presented) else {
        return Err(refusal(Rejection::Unauthenticated, "unknown API key", None));
    };
    if key.role() < needed {
        let message = format!(
            "API key {:?} has role {}; this call needs {needed}",
            key.name(),
            key.role()
        );
        return Err(refusal(Rejection::PermissionDenied, &message, Some(key)));
    }
    Ok(key)
}

impl AuthLayer {
    /// The key that may make this call, or the status that refuses it.
    fn check<B>(&self, request: &http::Request<B>) -> Result<Option<&ApiKey>, Status> {
        let path = request.uri().path();
        let Some(needed) = role_needed(path) else {
            return Ok(None);
        };
        let decided = authorize(&self.keys, request.headers(), needed);
        // Named in the access log whether the call is let through or not.
        let name = match &decided {
            Ok(key) => Some(key.name()),
            Err(refusal) => refusal.key.as_deref(),
        };
        if let (Some(name), Some(info)) = (name, request.extensions().get::<Arc<CallInfo>>()) {
            info.set_key(name);
        }
        decided.map(Some).map_err(|refusal| {
            let code = match refusal.kind {
                Rejection::PermissionDenied => tonic::Code::PermissionDenied,
                _ => tonic::Code::Unauthenticated,
            };
            log_refusal(&self.counters, &refusal, path);
            Status::new(code, refusal.message)
        })
    }
}

/// Counts and logs a refusal of a call to `path`.
pub fn log_refusal(counters: &Counters, refusal: &Refusal, path: &str) {
    let total = counters.count_rejection(refusal.kind);
    let key = refusal.key.as_deref().map(tracing::field::display);
    let kind = refusal.kind.name();
    tracing::warn!(kind, total, method = path, key, "rejected");
}

/// The key in `authorization: Bearer KEY`, else in `x-api-key`, else the password of
/// `authorization: Basic` (how a browser sends it, the user name being anything).
fn presented_key(headers: &http::HeaderMap) -> Option<Cow<'_, [u8]>> {
    let authorization = headers
        .get(http::header::AUTHORIZATION)
        .map(|v| v.as_bytes());
    let after = |scheme: &[u8]| {
        authorization.and_then(|v| {
            (v.len() > scheme.len() && v[..scheme.len()].eq_ignore_ascii_case(scheme))
                .then(|| v[scheme.len()..].trim_ascii())
        })
    };
    let basic_password = || {
        let decoded = BASE64_STANDARD.decode(after(b"basic ")?).ok()?;
        let colon = decoded.iter().position(|&b| b == b':')?;
        Some(Cow::Owned(decoded[colon + 1..].to_vec()))
    };
    after(b"bearer ")
        .or_else(|| headers.get("x-api-key").map(|v| v.as_bytes().trim_ascii()))
        .map(Cow::Borrowed)
        .or_else(basic_password)
        .filter(|key| !key.is_empty())
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> Service<http::Request<B>> for Auth<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        match self.layer.check(&request) {
            Ok(key) => {
                if let Some(key) = key.map(|k| KeyName(k.name().to_owned())) {
                    request.extensions_mut().insert(key);
                }
                Box::pin(self.inner.call(request))
            }
            // A proper gRPC answer (HTTP 200, the status in its headers), so clients read the
            // code; the request's body is never read.
            Err(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_need_the_role_of_their_service() {
        assert_eq!(role_needed("/grpc.health.v1.Health/Check"), None);
        assert_eq!(
            role_needed("/counterclaim.admin.v1.KnowledgeBaseAdmin/PutNarrative"),
            Some(Role::Admin)
        );
        assert_eq!(
            role_needed("/counterclaim.v1.Counterclaim/MatchPost"),
            Some(Role::Read)
        );
        assert_eq!(
            role_needed("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"),
            Some(Role::Read)
        );
        assert_eq!(role_needed("/grpc.health.v1Evil/X"), Some(Role::Read));
        assert!(Role::Admin > Role::Read);
    }

    #[test]
    fn a_key_is_read_from_a_bearer_token_or_x_api_key() {
        let mut headers = http::HeaderMap::new();
        let key = |headers: &http::HeaderMap| presented_key(headers).map(|k| k.into_owned());
        assert_eq!(key(&headers), None);
        headers.insert("x-api-key", " abc ".parse().unwrap());
        assert_eq!(key(&headers), Some(b"abc".to_vec()));
        headers.insert("authorization", "Bearer xyz".parse().unwrap());
        assert_eq!(key(&headers), Some(b"xyz".to_vec()));
        headers.insert("authorization", "bearer  xyz".parse().unwrap());
        assert_eq!(key(&headers), Some(b"xyz".to_vec()));
        headers.remove("x-api-key");
        // Basic: the password ("official:k:ey" in base64), whatever the user name.
        headers.insert(
            "authorization",
            "Basic b2ZmaWNpYWw6azpleQ==".parse().unwrap(),
        );
        assert_eq!(key(&headers), Some(b"k:ey".to_vec()));
        headers.insert("authorization", "Basic not base64!".parse().unwrap());
        assert_eq!(key(&headers), None);
        headers.insert("authorization", "Basic b2ZmaWNpYWw6".parse().unwrap());
        assert_eq!(key(&headers), None, "an empty password is no key");
    }
}

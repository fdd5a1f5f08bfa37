//! API keys on the HTTP address. When the server has keys, every route but `/healthz` needs a
//! key of the `read` role, as gRPC's matching calls do: the console and the JSON API show the
//! knowledge base and match posts, and `/metrics` tells how the service is used. The decision is
//! `grpc::authorize`'s, so both addresses accept the same keys in the same headers and count
//! refusals alike. Dashboards and Prometheus send `authorization: Bearer KEY` or `x-api-key`; a
//! browser sends HTTP Basic authentication with the key as the password (any user name), which
//! it asks the official for once, because a refused page answers 401 with a Basic challenge.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::HttpState;
use super::error::{ApiError, ErrorBody};
use crate::grpc::{Rejection, Role, authorize, log_refusal};

/// What the browser shows when it asks for the key.
const CHALLENGE: &str =
    "Basic realm=\"counterclaim: user name anything, password your API key\", charset=\"UTF-8\"";

/// Lets a request through when the server has no keys, it asks for `/healthz`, or it carries a
/// key of the `read` role; answers 401 or 403 otherwise (JSON under `/api/`, as other errors).
pub async fn require_key(State(state): State<HttpState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let Some(keys) = state.keys.as_deref().filter(|_| path != "/healthz") else {
        return next.run(request).await;
    };
    let refusal = match authorize(keys, request.headers(), Role::Read) {
        Ok(_) => return next.run(request).await,
        Err(refusal) => refusal,
    };
    log_refusal(&state.counters, &refusal, path);
    let (status, code) = match refusal.kind {
        Rejection::PermissionDenied => (StatusCode::FORBIDDEN, "PERMISSION_DENIED"),
        _ => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
    };
    let body = ErrorBody {
        status,
        code,
        message: refusal.message,
        field: None,
        retry_after: None,
    };
    let mut response = match path.starts_with("/api/") {
        true => ApiError(body).into_response(),
        false => (status, body.message).into_response(),
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(CHALLENGE),
    );
    response
}

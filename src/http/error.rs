//! The one place library errors become HTTP answers, mirroring `grpc::status` variant for
//! variant, so a dashboard and a gRPC client see the same kind of error for the same mistake.
//! The JSON API answers `{"error": {"code", "message", "field"}}`; the console renders the same
//! classification as a readable page (`console::layout::error_page`).

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// An error as a client sees it: the HTTP status, the gRPC code name, and a message that never
/// carries internal details.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    #[serde(skip)]
    pub status: StatusCode,
    /// The gRPC code name the same error gets on the gRPC address.
    pub code: &'static str,
    pub message: String,
    /// The request field at fault, for INVALID_ARGUMENT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

impl From<Error> for ErrorBody {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        let plain = |status, code| ErrorBody {
            status,
            code,
            message: message.clone(),
            field: None,
            retry_after: None,
        };
        // One arm per variant, as in grpc/status.rs: a new variant is a build error here too.
        match error {
            Error::InvalidArgument { field, .. } => ErrorBody {
                field: Some(field),
                ..plain(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT")
            },
            Error::NotFound { .. } => plain(StatusCode::NOT_FOUND, "NOT_FOUND"),
            Error::Busy { retry_after, .. } => ErrorBody {
                retry_after: Some(retry_after),
                ..plain(StatusCode::TOO_MANY_REQUESTS, "RESOURCE_EXHAUSTED")
            },
            // 499 is nginx's "client closed request": nobody reads it, but logs say why.
            Error::Cancelled(_) => plain(
                StatusCode::from_u16(499).expect("499 is a valid status"),
                "CANCELLED",
            ),
            Error::TimedOut(_) => plain(StatusCode::GATEWAY_TIMEOUT, "DEADLINE_EXCEEDED"),
            Error::ShuttingDown(_) => plain(StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE"),
            Error::Conflict(_) | Error::KnowledgeBase(_) => {
                plain(StatusCode::CONFLICT, "FAILED_PRECONDITION")
            }
            Error::Search(_) | Error::Model(_) | Error::Storage(_) | Error::Io(_) => {
                tracing::error!(%message, "internal error");
                ErrorBody {
                    message: "internal error; see the server log".to_owned(),
                    ..plain(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL")
                }
            }
        }
    }
}

impl ErrorBody {
    /// A request for a path that does not exist.
    pub fn no_route(path: &str) -> Self {
        ErrorBody {
            status: StatusCode::NOT_FOUND,
            code: "NOT_FOUND",
            message: format!("no page at {path}"),
            field: None,
            retry_after: None,
        }
    }

    /// The `Retry-After` header (whole seconds, at least 1) of a RESOURCE_EXHAUSTED answer.
    pub fn retry_after_header(&self) -> Option<(header::HeaderName, HeaderValue)> {
        let wait = self.retry_after?.as_secs_f64().ceil().max(1.0) as u64;
        Some((header::RETRY_AFTER, HeaderValue::from(wait)))
    }
}

/// The JSON API's error answer.
#[derive(Debug)]
pub struct ApiError(pub ErrorBody);

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError(error.into())
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a ErrorBody,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.0;
        let mut response = (body.status, Json(Envelope { error: &body })).into_response();
        if let Some((name, value)) = body.retry_after_header() {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_error_gets_the_status_of_its_grpc_code() {
        let bad = ErrorBody::from(Error::invalid("post.text", "too long"));
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.code, "INVALID_ARGUMENT");
        assert_eq!(bad.field.as_deref(), Some("post.text"));
        let missing = ErrorBody::from(Error::NotFound {
            what: "narrative",
            id: "x".into(),
        });
        assert_eq!(
            (missing.status, missing.code),
            (StatusCode::NOT_FOUND, "NOT_FOUND")
        );
        let busy = ErrorBody::from(Error::busy("full", Duration::from_millis(250)));
        assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(busy.retry_after_header().unwrap().1, "1");
        let io = ErrorBody::from(Error::Io(std::io::Error::other("disk")));
        assert_eq!(io.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !io.message.contains("disk"),
            "internal details stay in the log"
        );
        let json = serde_json::to_value(Envelope { error: &bad }).unwrap();
        assert_eq!(json["error"]["code"], "INVALID_ARGUMENT");
        assert_eq!(json["error"]["field"], "post.text");
    }
}

//! The one place library errors become gRPC statuses. Every variant is mapped explicitly, so a
//! new error cannot silently reach clients as UNKNOWN.

use tonic::codegen::http;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::Error;

impl From<Error> for Status {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        match error {
            Error::InvalidArgument { field, reason } => Status::with_error_details(
                Code::InvalidArgument,
                message,
                ErrorDetails::with_bad_request_violation(field, reason),
            ),
            Error::NotFound { .. } => Status::not_found(message),
            Error::Busy { retry_after, .. } => Status::with_error_details(
                Code::ResourceExhausted,
                message,
                ErrorDetails::with_retry_info(Some(retry_after)),
            ),
            Error::Cancelled(_) => Status::cancelled(message),
            Error::TimedOut(_) => Status::deadline_exceeded(message),
            Error::ShuttingDown(_) => Status::unavailable(message),
            Error::Conflict(_) | Error::KnowledgeBase(_) => Status::failed_precondition(message),
            Error::Search(_) | Error::Model(_) | Error::Storage(_) | Error::Io(_) => {
                tracing::error!(%message, "internal error");
                Status::internal("internal error; see the server log")
            }
        }
    }
}

/// What tonic's codec reports about a message it could not read, as the gRPC spec wants it: an
/// undecodable message is the client's fault (INVALID_ARGUMENT, where tonic says INTERNAL), and
/// one over the size limit is RESOURCE_EXHAUSTED (where tonic says OUT_OF_RANGE), on streams as
/// on unary calls. Other statuses pass unchanged.
pub fn from_codec(status: Status) -> Status {
    match codec_code(status.code(), status.message()) {
        Some(code) => Status::new(code, status.message().to_owned()),
        None => status,
    }
}

fn codec_code(code: Code, message: &str) -> Option<Code> {
    match code {
        Code::Internal if message.contains("decode") => Some(Code::InvalidArgument),
        Code::OutOfRange if message.contains("length too large") => Some(Code::ResourceExhausted),
        _ => None,
    }
}

/// [`from_codec`] for an answer tonic wrote before any handler ran (a unary request it could not
/// read): the status is in the response headers, its message percent-encoded.
pub fn codec_response<B>(mut response: http::Response<B>) -> http::Response<B> {
    let headers = response.headers_mut();
    let code = headers
        .get("grpc-status")
        .and_then(|s| s.to_str().ok()?.parse::<i32>().ok());
    let message = headers
        .get("grpc-message")
        .and_then(|m| m.to_str().ok())
        .unwrap_or_default()
        .replace("%20", " ");
    if let Some(fixed) = code.and_then(|c| codec_code(Code::from(c), &message)) {
        let value = http::HeaderValue::from(fixed as i32);
        headers.insert("grpc-status", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_error_gets_its_code() {
        let bad: Status = Error::invalid("post.text", "too long").into();
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert!(bad.message().contains("post.text"));
        let details = bad.get_error_details();
        assert_eq!(
            details.bad_request().unwrap().field_violations[0].field,
            "post.text"
        );
        let missing: Status = Error::NotFound {
            what: "narrative",
            id: "x".into(),
        }
        .into();
        assert_eq!(missing.code(), Code::NotFound);
        let busy = Status::from(Error::busy("full", std::time::Duration::from_millis(250)));
        assert_eq!(busy.code(), Code::ResourceExhausted);
        let retry = busy.get_error_details().retry_info().unwrap().retry_delay;
        assert_eq!(retry, Some(std::time::Duration::from_millis(250)));
        assert_eq!(
            Status::from(Error::Cancelled("gone".into())).code(),
            Code::Cancelled
        );
        assert_eq!(
            Status::from(Error::TimedOut("idle".into())).code(),
            Code::DeadlineExceeded
        );
        assert_eq!(
            Status::from(Error::ShuttingDown("bye".into())).code(),
            Code::Unavailable
        );
        let io: Status = Error::Io(std::io::Error::other("disk")).into();
        assert_eq!(io.code(), Code::Internal);
        assert!(
            !io.message().contains("disk"),
            "internal details stay in the log"
        );
        let model: Status = Error::Model("bad tensor".into()).into();
        assert_eq!(model.code(), Code::Internal);
    }

    #[test]
    fn codec_errors_get_the_codes_the_spec_names() {
        let undecodable = from_codec(Status::internal(
            "failed to decode Protobuf message: invalid wire type",
        ));
        assert_eq!(undecodable.code(), Code::InvalidArgument);
        let big = from_codec(Status::out_of_range(
            "Error, decoded message length too large: found 9 bytes, the limit is: 8 bytes",
        ));
        assert_eq!(big.code(), Code::ResourceExhausted);
        assert_eq!(from_codec(Status::internal("boom")).code(), Code::Internal);
        let response = http::Response::builder()
            .header("grpc-status", "13")
            .header("grpc-message", "failed%20to%20decode%20Protobuf%20message")
            .body(())
            .unwrap();
        assert_eq!(codec_response(response).headers()["grpc-status"], "3");
    }
}

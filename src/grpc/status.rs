//! The one place library errors become gRPC statuses. Every variant is mapped explicitly, so a
//! new error cannot silently reach clients as UNKNOWN.

use std::time::Duration;

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
            Error::Busy(_) => Status::with_error_details(
                Code::ResourceExhausted,
                message,
                ErrorDetails::with_retry_info(Some(Duration::from_secs(1))),
            ),
            Error::KnowledgeBase(_) => Status::failed_precondition(message),
            Error::Search(_) | Error::Model(_) | Error::Io(_) => {
                tracing::error!(%message, "internal error");
                Status::internal("internal error; see the server log")
            }
        }
    }
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
        assert_eq!(
            Status::from(Error::Busy("full".into())).code(),
            Code::ResourceExhausted
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
}

//! The library's one error type. User errors (bad input, unknown ids, too much at once) are kept
//! apart from internal ones so every transport can tell a client's mistake from its own fault;
//! `grpc::status` maps each variant to a gRPC status in one place.

use crate::kb::KbError;
use crate::search::SearchError;
use crate::store::versions::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A request field is missing, malformed or over its limit. `field` is its path in the request,
    /// e.g. `post.text` or `posts[3].id`.
    #[error("{field}: {reason}")]
    InvalidArgument { field: String, reason: String },
    /// The thing asked for does not exist.
    #[error("{what} {id:?} not found")]
    NotFound { what: &'static str, id: String },
    /// The service is at a capacity limit; the client may retry after `retry_after`.
    #[error("{reason}")]
    Busy {
        reason: String,
        retry_after: std::time::Duration,
    },
    /// The caller went away or its deadline passed, so the work was stopped.
    #[error("{0}")]
    Cancelled(String),
    /// A connection or stream waited longer than its limit for the client (e.g. an idle stream).
    #[error("{0}")]
    TimedOut(String),
    /// The service is shutting down; the client should go to another instance or retry.
    #[error("{0}")]
    ShuttingDown(String),
    /// The request cannot apply to the state things are in (a write made against another
    /// knowledge-base version, deleting the last narrative).
    #[error("{0}")]
    Conflict(String),
    /// The knowledge base failed to load or validate.
    #[error(transparent)]
    KnowledgeBase(#[from] KbError),
    /// The search index failed: an internal fault.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The sentence-embedding model failed to load or to run: an internal fault.
    #[error("embedding model: {0}")]
    Model(String),
    /// The data directory failed: an internal fault.
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn busy(reason: impl Into<String>, retry_after: std::time::Duration) -> Self {
        Error::Busy {
            reason: reason.into(),
            retry_after,
        }
    }

    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The same error with its field path put under `prefix`, e.g. `post.text` → `posts[3].text`.
    pub fn within(self, prefix: &str) -> Self {
        match self {
            Error::InvalidArgument { field, reason } => Error::InvalidArgument {
                field: match field.split_once('.') {
                    Some((_, rest)) => format!("{prefix}.{rest}"),
                    None => prefix.to_owned(),
                },
                reason,
            },
            other => other,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

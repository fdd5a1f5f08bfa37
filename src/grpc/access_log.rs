//! The access log: one line per call, when it ends, with its method, gRPC code, duration, the
//! posts it carried and its request id. The id comes from the caller's `x-request-id` header
//! (so one id follows a request through several services) or is generated, and is returned in
//! the response's `x-request-id` header. A tower layer, so handlers stay free of it; they only
//! add the posts they matched to the call's [`CallInfo`], and the auth layer the name of the API
//! key the call was made with (never the key). The same ending is counted, by method and code
//! with its duration, in the server's [`Counters`].

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use http_body::Frame;
use tonic::Code;
use tonic::body::Body;
use tonic::codegen::{Bytes, http};
use tower::{Layer, Service};

use super::counters::Counters;

/// The request header a caller's id is read from, and the response header it is returned in.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Longest request id accepted from a caller; a longer or non-text one is replaced.
const MAX_REQUEST_ID_BYTES: usize = 128;

/// What the access log knows about a call; handlers find it in the request's extensions.
#[derive(Debug)]
pub struct CallInfo {
    pub request_id: String,
    posts: AtomicU64,
    key: OnceLock<String>,
}

impl CallInfo {
    pub fn add_posts(&self, posts: usize) {
        self.posts.fetch_add(posts as u64, Ordering::Relaxed);
    }

    /// The name of the API key the call was made with.
    pub fn set_key(&self, name: &str) {
        let _ = self.key.set(name.to_owned());
    }
}

#[derive(Clone)]
pub struct AccessLogLayer(pub Arc<Counters>);

impl<S> Layer<S> for AccessLogLayer {
    type Service = AccessLog<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AccessLog {
            inner,
            counters: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct AccessLog<S> {
    inner: S,
    counters: Arc<Counters>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> Service<http::Request<B>> for AccessLog<S>
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
        let info = Arc::new(CallInfo {
            request_id: request_id(request.headers()),
            posts: AtomicU64::new(0),
            key: OnceLock::new(),
        });
        request.extensions_mut().insert(info.clone());
        let mut entry = Entry {
            method: request.uri().path().to_owned(),
            info,
            counters: self.counters.clone(),
            start: Instant::now(),
            logged: false,
        };
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            if let Ok(id) = http::HeaderValue::from_str(&entry.info.request_id) {
                response.headers_mut().insert(REQUEST_ID_HEADER, id);
            }
            // A call that fails before its handler answers carries its status in the headers
            // (trailers-only); any other carries it in the trailers, at the end of the body.
            if let Some(code) = grpc_code(response.headers()) {
                entry.log(code);
            }
            Ok(response.map(|body| Body::new(LoggedBody { body, entry })))
        })
    }
}

/// The caller's id if it is usable, else a new one.
fn request_id(headers: &http::HeaderMap) -> String {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= MAX_REQUEST_ID_BYTES)
        .map_or_else(new_request_id, str::to_owned)
}

/// 16 hex digits: a per-process random key hashed with a counter, so ids never repeat within
/// a process and are unlikely to repeat across processes.
fn new_request_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    static KEY: OnceLock<RandomState> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:016x}", KEY.get_or_init(RandomState::new).hash_one(n))
}

fn grpc_code(headers: &http::HeaderMap) -> Option<Code> {
    let code = headers
        .get("grpc-status")?
        .to_str()
        .ok()?
        .parse::<i32>()
        .ok()?;
    Some(Code::from(code))
}

struct Entry {
    method: String,
    info: Arc<CallInfo>,
    counters: Arc<Counters>,
    start: Instant,
    logged: bool,
}

impl Entry {
    fn log(&mut self, code: Code) {
        if std::mem::replace(&mut self.logged, true) {
            return;
        }
        let duration = self.start.elapsed();
        self.counters.call_ended(&self.method, code, duration);
        tracing::info!(
            target: "counterclaim::access",
            method = %self.method,
            code = ?code,
            duration_ms = duration.as_secs_f64() * 1e3,
            posts = self.info.posts.load(Ordering::Relaxed),
            request_id = %self.info.request_id,
            key = self.info.key.get().map(tracing::field::display),
            "call"
        );
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        // The body was dropped before its trailers: the caller went away (or its deadline
        // passed) mid-response.
        self.log(Code::Cancelled);
    }
}

/// The response body, watched for the trailers that carry the call's status.
struct LoggedBody {
    body: Body,
    entry: Entry,
}

impl http_body::Body for LoggedBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(grpc_code) {
                    self.entry.log(code);
                }
            }
            Poll::Ready(Some(Err(status))) => self.entry.log(status.code()),
            Poll::Ready(None) => self.entry.log(Code::Ok),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usable_caller_id_is_kept_and_others_are_replaced() {
        let mut headers = http::HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, "abc-123".parse().unwrap());
        assert_eq!(request_id(&headers), "abc-123");
        headers.insert(REQUEST_ID_HEADER, "x".repeat(500).parse().unwrap());
        let generated = request_id(&headers);
        assert_eq!(generated.len(), 16);
        assert_ne!(request_id(&http::HeaderMap::new()), generated);
    }
}

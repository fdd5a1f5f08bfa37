//! The gRPC listener: a cap on open connections, and accept errors that never spin a core.
//!
//! Each connection holds a permit while it is open. Beyond the cap (`--max-connections`), a new
//! connection is accepted and closed at once, so the client learns now rather than at its
//! deadline; it is counted as `connections_full` and logged at most once a second (a flood of
//! connections must not become a flood of log lines). An accept error that is not about one
//! connection, such as EMFILE when the process is out of file descriptors, is logged and the
//! listener pauses before accepting again: tonic's own listener retries at once, in a loop that
//! takes a whole core and starves the connections that could free descriptors.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tokio_stream::Stream;
use tonic::transport::server::{Connected, TcpConnectInfo};

use super::counters::{Counters, Rejection};

/// How long the listener waits after an accept error such as EMFILE before trying again.
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Least time between two log lines about refused connections, or about accept errors.
const LOG_EVERY: Duration = Duration::from_secs(1);

/// Accepted connections, at most `max` open at once; a stream for tonic's
/// `serve_with_incoming_shutdown`. It never yields an error: it handles them itself.
pub struct Listener {
    listener: TcpListener,
    permits: Arc<Semaphore>,
    max: usize,
    counters: Arc<Counters>,
    pause: Option<Pin<Box<Sleep>>>,
    refusals_logged: Option<Instant>,
    errors_logged: Option<Instant>,
}

impl Listener {
    pub fn new(listener: TcpListener, max_connections: usize, counters: Arc<Counters>) -> Self {
        let max = max_connections.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            listener,
            permits: Arc::new(Semaphore::new(max)),
            max,
            counters,
            pause: None,
            refusals_logged: None,
            errors_logged: None,
        }
    }

    fn refuse(&mut self, stream: TcpStream) {
        // Counted before the close, so whoever sees the close also sees the count.
        let total = self.counters.count_rejection(Rejection::ConnectionsFull);
        drop(stream);
        if due(&mut self.refusals_logged) {
            tracing::warn!(
                kind = Rejection::ConnectionsFull.name(),
                total,
                max_connections = self.max,
                "rejected: a new connection was closed at once, {} are open (--max-connections)",
                self.max
            );
        }
    }

    fn failed(&mut self, error: &io::Error) {
        if due(&mut self.errors_logged) {
            tracing::error!(
                %error,
                pause_ms = ACCEPT_PAUSE.as_millis(),
                "accepting a connection failed (out of file descriptors? raise `ulimit -n` or \
                 lower --max-connections); pausing before the next accept"
            );
        }
        self.pause = Some(Box::pin(tokio::time::sleep(ACCEPT_PAUSE)));
    }
}

/// Whether to log now, at most once per [`LOG_EVERY`].
fn due(last: &mut Option<Instant>) -> bool {
    let now = Instant::now();
    if last.is_some_and(|at| now.duration_since(at) < LOG_EVERY) {
        return false;
    }
    *last = Some(now);
    true
}

/// Errors about one connection (its peer gave up before it was accepted): the next accept may
/// well succeed at once.
fn about_one_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

impl Stream for Listener {
    type Item = Result<Connection, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(pause) = self.pause.as_mut() {
                ready!(pause.as_mut().poll(cx));
                self.pause = None;
            }
            match ready!(self.listener.poll_accept(cx)) {
                Ok((stream, _peer)) => match self.permits.clone().try_acquire_owned() {
                    Ok(permit) => {
                        // Without TCP_NODELAY a small unary reply waits out the peer's delayed
                        // ACK (~40 ms).
                        let _ = stream.set_nodelay(true);
                        return Poll::Ready(Some(Ok(Connection {
                            stream,
                            _permit: permit,
                        })));
                    }
                    Err(_) => self.refuse(stream),
                },
                Err(error) if about_one_connection(&error) => {}
                Err(error) => self.failed(&error),
            }
        }
    }
}

/// An accepted connection; its slot under the cap is given back when hyper drops it.
pub struct Connection {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl Connected for Connection {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        self.stream.connect_info()
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_are_due_at_most_once_a_second() {
        let mut last = None;
        assert!(due(&mut last));
        assert!(!due(&mut last));
        last = last.and_then(|at| at.checked_sub(LOG_EVERY));
        assert!(due(&mut last));
    }
}

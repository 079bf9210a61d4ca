//! The connections: our own accept loop on hyper (instead of `axum::serve`), so the server
//! decides what a slow, idle or ambiguous client may do. The router and its middleware decide
//! everything else.
//!
//! - Every accepted socket gets `TCP_NODELAY`: without it a body written after its headers waits
//!   for the client's delayed ACK (about 44 ms per static file on Linux).
//! - HTTP/1.1 only, with hyper's `header_read_timeout` ([`Timeouts::header`]). hyper 1.x starts
//!   that timer whenever it waits for a request head, also between requests on a keep-alive
//!   connection, so the same limit closes idle keep-alive connections. Bodies are timed where
//!   they are read (`crate::error::JsonBody`, [`Timeouts::body`]); an answer the client stops
//!   reading for as long closes the connection.
//! - Each request carries the peer address as `axum::extract::ConnectInfo<SocketAddr>`.
//! - A request with both `Content-Length` and `Transfer-Encoding` is marked [`AmbiguousLength`]
//!   (the security middleware refuses it). hyper itself takes `Transfer-Encoding`, drops
//!   `Content-Length` before any handler could see it and closes the connection afterwards,
//!   which RFC 9112 §6.3 allows; a proxy in front that reads `Content-Length` instead would
//!   disagree about where the request ends (request smuggling). So [`HeadScan`] reads the header
//!   names as the bytes pass by.
//! - Shutdown is graceful: once `shutdown` resolves the listener is closed (new connections
//!   are refused), idle connections close, and requests in flight finish, for at most the
//!   grace period (`server.shutdown_grace_secs`); connections still open then are dropped.

use crate::config::Timeouts;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// Marks a request that had both `Content-Length` and `Transfer-Encoding`.
#[derive(Clone, Copy, Debug)]
pub struct AmbiguousLength;

/// Accepts connections on `listener` and serves `router` on them until `shutdown` resolves,
/// then waits for the requests in flight, at most `grace`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    grace: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut connections = tokio::task::JoinSet::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Such as too many open files: wait rather than spin (as axum::serve does).
                    tracing::error!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let stream = HeadScan::new(stream, timeouts.body);
        let heads = stream.scanner.heads.clone();
        let blind = stream.scanner.blind.clone();
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let extensions = request.extensions_mut();
            extensions.insert(ConnectInfo(peer));
            if next_is_ambiguous(&heads) {
                extensions.insert(AmbiguousLength);
            }
            // Once the scan has stopped (after a chunked body), a later head on this connection
            // could not be checked: this answer ends the connection instead.
            let close = blind.load(Ordering::SeqCst);
            let router = router.clone();
            async move {
                let mut response = router.oneshot(request).await?;
                if close {
                    response.headers_mut().insert(
                        axum::http::header::CONNECTION,
                        axum::http::HeaderValue::from_static("close"),
                    );
                }
                Ok::<_, std::convert::Infallible>(response)
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        // Reap the finished ones, so the set holds only open connections.
        while connections.try_join_next().is_some() {}
        connections.spawn(async move {
            if let Err(e) = connection.await {
                // Timeouts and clients that go away: nothing the server can act on.
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            ?grace,
            connections = connections.len(),
            "requests were still in flight when the shutdown grace ran out; closing them"
        );
    }
    connections.abort_all();
    Ok(())
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Whether the request hyper hands over next had both length headers. Heads are scanned as
/// hyper reads them, so the scan of a request's head is complete before hyper parses it.
fn next_is_ambiguous(heads: &Mutex<VecDeque<bool>>) -> bool {
    heads
        .lock()
        .ok()
        .and_then(|mut heads| heads.pop_front())
        .unwrap_or(false)
}

/// A socket that notes, for each request head read through it, whether it had both
/// `Content-Length` and `Transfer-Encoding`.
///
/// It follows the byte stream: a head ends at an empty line; a `Content-Length` body is
/// skipped by its length; a head without either header has no body. After a head with
/// `Transfer-Encoding` it stops looking: hyper closes the connection after an ambiguous head,
/// and a chunked body is not worth parsing twice, so the scan stops after a chunked request
/// and that request's answer closes the connection (`Connection: close`): no head goes
/// unchecked.
///
/// It also times writes: a client that stops reading its answer (so the socket's buffer stays
/// full) for longer than `write_limit` gets its connection closed, so slow readers cannot hold
/// the server either.
struct HeadScan {
    inner: TcpStream,
    scanner: Scanner,
    write_limit: Duration,
    /// Runs while a write waits for the client to read; reset by every write that goes through.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl HeadScan {
    fn new(inner: TcpStream, write_limit: Duration) -> Self {
        Self {
            inner,
            scanner: Scanner::default(),
            write_limit,
            stalled: None,
        }
    }

    /// Passes a write's result on, or an error once writes have waited longer than the limit.
    fn timed<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if polled.is_ready() {
            self.stalled = None;
            return polled;
        }
        let limit = self.write_limit;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading its answer",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The byte-stream state of [`HeadScan`].
#[derive(Default)]
struct Scanner {
    heads: Arc<Mutex<VecDeque<bool>>>,
    /// Set once the scan has stopped following the stream.
    blind: Arc<AtomicBool>,
    phase: Phase,
    /// The start of the current line, lower-cased; enough for a header name and a length.
    line: Vec<u8>,
    started: bool,
    content_length: Option<Option<u64>>,
    transfer_encoding: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Phase {
    #[default]
    Head,
    Body(u64),
    Off,
}

const LINE_PREFIX: usize = 64;

impl Scanner {
    fn scan(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            match self.phase {
                Phase::Off => return,
                Phase::Body(left) => {
                    let skip = left.min(bytes.len() as u64);
                    bytes = &bytes[skip as usize..];
                    self.phase = match left - skip {
                        0 => Phase::Head,
                        left => Phase::Body(left),
                    };
                }
                Phase::Head => {
                    let byte = bytes[0];
                    bytes = &bytes[1..];
                    if byte == b'\n' {
                        self.end_line();
                    } else if self.line.len() < LINE_PREFIX {
                        self.line.push(byte.to_ascii_lowercase());
                    }
                }
            }
        }
    }

    fn end_line(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            // Empty lines before a request line are allowed (RFC 9112 §2.2).
            if self.started {
                self.end_head();
            }
        } else if !self.started {
            self.started = true;
        } else if let Some(value) = header_value(&line, b"content-length") {
            self.content_length = Some(
                std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse().ok()),
            );
        } else if header_value(&line, b"transfer-encoding").is_some() {
            self.transfer_encoding = true;
        }
        line.clear();
        self.line = line;
    }

    fn end_head(&mut self) {
        let ambiguous = self.transfer_encoding && self.content_length.is_some();
        if let Ok(mut heads) = self.heads.lock() {
            heads.push_back(ambiguous);
        }
        self.phase = match (self.transfer_encoding, self.content_length) {
            (true, _) | (false, Some(None)) => {
                // A chunked body is not followed; hyper refuses (and closes on) a length it
                // cannot read.
                self.blind.store(true, Ordering::SeqCst);
                Phase::Off
            }
            (false, Some(Some(0)) | None) => Phase::Head,
            (false, Some(Some(length))) => Phase::Body(length),
        };
        self.started = false;
        self.content_length = None;
        self.transfer_encoding = false;
    }
}

/// The value of a header line named `name` (lower case): the part after the colon.
fn header_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let rest = line.strip_prefix(name)?;
    let rest = rest.trim_ascii_start();
    rest.strip_prefix(b":")
}

impl AsyncRead for HeadScan {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            self.scanner.scan(&buf.filled()[before..]);
        }
        polled
    }
}

impl AsyncWrite for HeadScan {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.timed(cx, polled)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.timed(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.timed(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` one at a time, so every state boundary falls between two reads.
    fn heads(bytes: &[u8]) -> Vec<bool> {
        let mut scanner = Scanner::default();
        for byte in bytes {
            scanner.scan(std::slice::from_ref(byte));
        }
        let heads = scanner.heads.lock().map(|h| h.iter().copied().collect());
        heads.unwrap_or_default()
    }

    #[test]
    fn notes_each_head_and_skips_bodies() {
        let two = b"POST /a HTTP/1.1\r\nContent-Length: 24\r\n\r\nTransfer-Encoding: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(heads(two), vec![false, false]);
        let both = b"\r\nPOST /a HTTP/1.1\r\ncontent-length : 5\r\nTRANSFER-ENCODING: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(heads(both), vec![true]);
        let te_first = b"GET / HTTP/1.1\nTransfer-Encoding: chunked\nContent-Length: 5\n\n";
        assert_eq!(heads(te_first), vec![true]);
        let lookalike =
            b"GET / HTTP/1.1\r\nX-Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(heads(lookalike), vec![false]);
    }
}

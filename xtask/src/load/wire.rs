//! The step bench's HTTP client: one keep-alive HTTP/1.1 connection per simulated client, each
//! request written in one go and its answer read by its `Content-Length`, as a load generator
//! such as wrk does. The bench's clients share the two cores with the server under test, and
//! through reqwest (its pool, the task that drives each connection, its header maps) they took
//! 42 µs of those cores a step; this leaves more of them to the server, which is what the bench
//! measures. Every answer is still read whole and parsed as JSON by the caller.

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One client's connection to the server at `http://host:port`.
pub struct Connection {
    host: String,
    origin: String,
    stream: Option<TcpStream>,
    /// Bytes read and not yet answered.
    buffer: Vec<u8>,
}

/// The most a response's head may hold before the answer counts as broken.
const MAX_HEAD: usize = 64 * 1024;

impl Connection {
    /// A connection to `base` (`http://host:port`, no path), opened at the first request.
    pub fn new(base: &str) -> Result<Self> {
        let host = base
            .strip_prefix("http://")
            .with_context(|| format!("the step bench speaks plain HTTP only, not {base}"))?
            .trim_end_matches('/');
        if host.contains('/') {
            bail!("the step bench's base URL has no path: {base}");
        }
        Ok(Self {
            host: host.to_owned(),
            origin: base.trim_end_matches('/').to_owned(),
            stream: None,
            buffer: Vec::with_capacity(8 * 1024),
        })
    }

    /// POSTs the JSON `body` to `path` with the page's origin (a browser sends it with every
    /// POST; the server checks it); the status and the answer's body.
    pub async fn post(&mut self, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => {
                let stream = TcpStream::connect(&self.host)
                    .await
                    .with_context(|| format!("cannot connect to {}", self.host))?;
                stream.set_nodelay(true)?;
                self.buffer.clear();
                self.stream.insert(stream)
            }
        };
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.host,
            self.origin,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        stream.write_all(&request).await?;
        loop {
            if let Some((status, head, length, close)) = parse_head(&self.buffer)? {
                while self.buffer.len() < head + length {
                    if stream.read_buf(&mut self.buffer).await? == 0 {
                        bail!("the server closed the connection in the middle of an answer");
                    }
                }
                let answer = self.buffer[head..head + length].to_vec();
                self.buffer.drain(..head + length);
                if close {
                    self.stream = None;
                }
                return Ok((status, answer));
            }
            if self.buffer.len() > MAX_HEAD {
                bail!("an answer's head is over {MAX_HEAD} bytes");
            }
            if stream.read_buf(&mut self.buffer).await? == 0 {
                self.stream = None;
                bail!("the server closed the connection before answering");
            }
        }
    }
}

/// The status, head length, body length and whether the server closes the connection after
/// it, once `bytes` hold a whole response head.
fn parse_head(bytes: &[u8]) -> Result<Option<(u16, usize, usize, bool)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(bytes).context("not an HTTP/1.1 answer")? {
        httparse::Status::Complete(head) => head,
        httparse::Status::Partial => return Ok(None),
    };
    let status = response.code.context("an answer without a status")?;
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let length = header("content-length")
        .context("an answer without Content-Length")?
        .parse()
        .context("a Content-Length that is not a number")?;
    let close = header("connection").is_some_and(|v| v == "close");
    Ok(Some((status, head, length, close)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_head_is_read_once_whole() {
        let answer = b"HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_head(&answer[..20]).unwrap(), None);
        assert_eq!(
            parse_head(answer).unwrap(),
            Some((422, answer.len() - 2, 2, false))
        );
        let closing = b"HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(parse_head(closing).unwrap().map(|h| h.3), Some(true));
        assert!(parse_head(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(parse_head(b"garbage\r\n\r\n").is_err());
    }
}

//! The brand pages' own origin: a small static server for a folder of pages, so they embed the
//! widget cross-origin from the journey server exactly as a brand's own website would (script,
//! CSS and wasm from the journey server; the API called with CORS from one of the tenant's
//! `allowed_origins`). InsurGroup's pages (`demo-sites/insurgroup/site/`) are served on
//! <http://localhost:8081> ([`PORT`]); the end-to-end step also serves the browser tests' own
//! pages (`tests/e2e/site/`) on <http://localhost:8082> ([`E2E_PORT`]).
//!
//! The journey server's origin differs between the demo (<http://127.0.0.1:8080>) and the
//! end-to-end run (a free port), so the pages name it as `__JOURNEY_SERVER__` and this server
//! fills it in as it serves them. Everything between `<!--dev-->` and `<!--/dev-->` (links to
//! the dev outbox) is kept only when the journey server runs in development mode.
//!
//! Every answer carries a strict Content-Security-Policy like the journey server's: scripts and
//! styles from this origin and the journey server only, `'wasm-unsafe-eval'` for the widget,
//! no `unsafe-inline`. Only `GET` and `HEAD` of files under the folder are served; a path with
//! `..`, a backslash or a NUL is not found. Plain std threads: it serves a handful of pages to
//! one browser at a time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

/// The port of InsurGroup's brand pages' origin; the tenant's `allowed_origins` name it.
pub const PORT: u16 = 8081;

/// The port of the browser tests' pages (`tests/e2e/site/`); the test tenant's
/// `allowed_origins` (`tests/e2e/tenants/e2eco/tenant.toml`) name it.
pub const E2E_PORT: u16 = 8082;

/// The placeholder in the pages for the journey server's origin.
const PLACEHOLDER: &str = "__JOURNEY_SERVER__";

/// The placeholder in the pages for InsurGroup's quote service ([`crate::quotes`]), which the
/// car brand's quote form calls from the browser.
const QUOTES_PLACEHOLDER: &str = "__QUOTE_SERVICE__";

/// The quote service's origin, as the pages and their Content-Security-Policy name it.
fn quote_service() -> String {
    format!("http://127.0.0.1:{}", crate::quotes::PORT)
}

/// What the site server serves and for whom.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// The folder of pages.
    pub dir: PathBuf,
    /// The journey server's origin, such as `http://127.0.0.1:8080` (no trailing slash).
    pub journey_server: String,
    /// Whether the journey server runs in development mode (the dev outbox links).
    pub dev: bool,
}

/// A running site server; its threads end with the process.
pub struct Site {
    /// `http://localhost:<port>`.
    pub base_url: String,
}

impl Site {
    /// Binds `127.0.0.1:port` (and `[::1]:port` when the machine has IPv6, since a browser may
    /// resolve `localhost` to either) and serves in background threads.
    pub fn start(config: SiteConfig, port: u16) -> Result<Site> {
        let v4 = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
            format!("port {port} is taken: stop whatever listens there and try again")
        })?;
        let mut listeners = vec![v4];
        if let Ok(v6) = TcpListener::bind(SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port))) {
            listeners.push(v6);
        }
        for listener in listeners {
            let config = config.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let config = config.clone();
                    std::thread::spawn(move || {
                        let _ = serve_connection(stream, &config);
                    });
                }
            });
        }
        Ok(Site {
            base_url: format!("http://localhost:{port}"),
        })
    }
}

/// The Content-Security-Policy of every answer: like the journey server's, with the journey
/// server's origin added where the widget needs it.
pub fn content_security_policy(journey_server: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {js} 'wasm-unsafe-eval'; style-src 'self' {js}; \
         img-src 'self' data:; font-src 'self'; connect-src 'self' {js} {quotes}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        js = journey_server,
        quotes = quote_service()
    )
}

/// An answer: status line, content type and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// `200 OK`, `404 Not Found`, `405 Method Not Allowed`.
    pub status: &'static str,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

/// The answer to `method path` (the path may carry a query, which is ignored).
pub fn answer(config: &SiteConfig, method: &str, path: &str) -> Answer {
    let text = |status, body: &str| Answer {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    };
    if method != "GET" && method != "HEAD" {
        return text("405 Method Not Allowed", "only GET and HEAD\n");
    }
    let Some(file) = resolve(&config.dir, path) else {
        return text("404 Not Found", "not found\n");
    };
    let Ok(bytes) = std::fs::read(&file) else {
        return text("404 Not Found", "not found\n");
    };
    let content_type = content_type(&file);
    let body = if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes);
        fill(&html, &config.journey_server, config.dev).into_bytes()
    } else {
        bytes
    };
    Answer {
        status: "200 OK",
        content_type,
        body,
    }
}

/// The page with the journey server's origin filled in, and the dev-only parts kept or cut.
pub fn fill(html: &str, journey_server: &str, dev: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--dev-->") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + "<!--dev-->".len()..];
        let (kept, after) = match inner.find("<!--/dev-->") {
            Some(end) => (&inner[..end], &inner[end + "<!--/dev-->".len()..]),
            None => (inner, ""),
        };
        if dev {
            out.push_str(kept);
        }
        rest = after;
    }
    out.push_str(rest);
    out.replace(PLACEHOLDER, journey_server)
        .replace(QUOTES_PLACEHOLDER, &quote_service())
}

/// The file for a request path: `/` and folders are their `index.html`. `None` for anything
/// outside the folder or that is no file.
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let relative = path.strip_prefix('/')?;
    let mut file = dir.to_path_buf();
    for segment in relative.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0', '%']) {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return None;
        }
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn serve_connection(stream: TcpStream, config: &SiteConfig) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        // A body is not expected; read it off so the next request on the connection parses.
        std::io::copy(&mut (&mut reader).take(length as u64), &mut std::io::sink())?;
        let answer = answer(config, &method, &path);
        let head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
             Content-Security-Policy: {}\r\nX-Content-Type-Options: nosniff\r\n\
             Referrer-Policy: no-referrer\r\n{}\r\n",
            answer.status,
            answer.content_type,
            answer.body.len(),
            content_security_policy(&config.journey_server),
            if close { "Connection: close\r\n" } else { "" },
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&answer.body)?;
        }
        stream.flush()?;
        if close {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path) -> SiteConfig {
        SiteConfig {
            dir: dir.to_path_buf(),
            journey_server: "http://127.0.0.1:9999".into(),
            dev: false,
        }
    }

    #[test]
    fn pages_get_the_journey_server_filled_in_and_dev_parts_only_in_dev_mode() {
        let html = "<script src=\"__JOURNEY_SERVER__/widget/journey-widget.js\"></script>\
                    <!--dev--><a href=\"__JOURNEY_SERVER__/dev/outbox\">outbox</a><!--/dev--><p>end</p>";
        let live = fill(html, "http://127.0.0.1:9999", false);
        assert_eq!(
            live,
            "<script src=\"http://127.0.0.1:9999/widget/journey-widget.js\"></script><p>end</p>"
        );
        let dev = fill(html, "http://127.0.0.1:9999", true);
        assert!(dev.contains("<a href=\"http://127.0.0.1:9999/dev/outbox\">outbox</a><p>end</p>"));
    }

    #[test]
    fn only_files_inside_the_folder_are_served() -> Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("site/brand"))?;
        std::fs::write(
            dir.path().join("site/brand/index.html"),
            "<p>__JOURNEY_SERVER__</p>",
        )?;
        std::fs::write(dir.path().join("site/page.js"), "export {};")?;
        std::fs::write(dir.path().join("secret.txt"), "no")?;
        let config = config(&dir.path().join("site"));
        let page = answer(&config, "GET", "/brand/?lang=ar");
        assert_eq!(page.status, "200 OK");
        assert_eq!(page.body, b"<p>http://127.0.0.1:9999</p>");
        assert_eq!(
            answer(&config, "GET", "/page.js").content_type,
            "text/javascript; charset=utf-8"
        );
        for path in [
            "/../secret.txt",
            "/brand/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/nothing",
            "/brand",
            "secret.txt",
        ] {
            assert_eq!(
                answer(&config, "GET", path).status,
                "404 Not Found",
                "{path}"
            );
        }
        assert_eq!(
            answer(&config, "POST", "/page.js").status,
            "405 Method Not Allowed"
        );
        let csp = content_security_policy("http://127.0.0.1:9999");
        assert!(
            csp.contains("script-src 'self' http://127.0.0.1:9999 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        // The car brand's quote form calls the quote service from the page.
        assert!(
            csp.contains("connect-src 'self' http://127.0.0.1:9999 http://127.0.0.1:8083;"),
            "{csp}"
        );
        let page = fill(
            "<form data-quotes=\"__QUOTE_SERVICE__\">",
            "http://j",
            false,
        );
        assert_eq!(page, "<form data-quotes=\"http://127.0.0.1:8083\">");
        Ok(())
    }
}

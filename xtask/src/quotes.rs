//! InsurGroup's demo quote service: a small HTTP JSON service on <http://127.0.0.1:8083>
//! ([`PORT`]) that `cargo xtask demo` and the end-to-end step of `cargo xtask test` start beside
//! the journey server. It stands in for the insurer's own back end, so the story has a real
//! service to call: the brand pages' own JavaScript asks it for a quote, and the journeys'
//! `look_up_data` steps read that quote and issue a policy for it (InsurGroup's
//! `[services.quotes]` and `[services.policies]` in `demo-sites/insurgroup/tenant.toml`).
//!
//! - `POST /quotes` with `{"product": "car", "make": "Volvo", "model": "V60"}` or
//!   `{"product": "life", "age": 40, "cover": 250000}` gives `201` and the quote:
//!   `{"number": "Q-100001", "product", "price", "currency": "EUR", "car": {make, model}}` (or
//!   `"life": {age, cover}`). Numbers count up from `Q-100001`; the price is a fixed function
//!   of what was asked, so a test knows it.
//! - `GET /quotes/{number}` gives `200` and the quote, or `404`; with `?product=car` (or
//!   `life`), `404` too for a quote of another product, so a journey saving a car quote cannot
//!   be handed a life quote's number.
//! - `POST /policies` with `{"quote": "Q-100001"}` gives `200` and `{"policy": "P-100001",
//!   "quote": …}`, the same policy for the same quote every time (idempotent), or `404` for
//!   an unknown quote.
//!
//! Anything else is `400` (with `{"error": …}` saying what to fix), `404` or `405`. Bodies are
//! JSON of at most 8 KiB. CORS allows the brand pages' origin <http://localhost:8081>
//! ([`BRAND_ORIGIN`], and the same on 127.0.0.1) only, preflight included. Everything is kept in memory and lost when the
//! demo stops. Plain std threads, like [`crate::site`].

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};

/// The port the demo's quote service listens on; InsurGroup's `tenant.toml` names it.
pub const PORT: u16 = 8083;

/// The origin whose pages may call it from a browser: InsurGroup's brand pages (also as
/// `127.0.0.1`, which the tenant allows too; [`BRAND_ORIGINS`]).
pub const BRAND_ORIGIN: &str = "http://localhost:8081";

/// Every origin CORS allows.
const BRAND_ORIGINS: [&str; 2] = [BRAND_ORIGIN, "http://127.0.0.1:8081"];

/// The largest request body accepted.
const MAX_BODY: usize = 8 * 1024;

/// The longest make or model accepted, in characters.
const MAX_NAME_CHARS: usize = 60;

/// The quotes and policies given so far.
#[derive(Debug, Default)]
pub struct Book {
    quotes: BTreeMap<String, Value>,
    policies: BTreeMap<String, String>,
}

/// An answer: its status line and JSON body.
#[derive(Debug, PartialEq)]
pub struct Answer {
    /// Such as `200 OK`.
    pub status: &'static str,
    /// The body (`Value::Null` for none).
    pub body: Value,
}

fn answer(status: &'static str, body: Value) -> Answer {
    Answer { status, body }
}

fn bad(problem: &str) -> Answer {
    answer("400 Bad Request", json!({ "error": problem }))
}

/// A make or model: a non-empty string of at most [`MAX_NAME_CHARS`] characters.
fn name(request: &Value, key: &str) -> Option<String> {
    let text = request.get(key)?.as_str()?.trim();
    let ok = !text.is_empty()
        && text.chars().count() <= MAX_NAME_CHARS
        && !text.chars().any(char::is_control);
    ok.then(|| text.to_owned())
}

impl Book {
    /// The answer to `method path` with `body` (empty when none was sent).
    pub fn handle(&mut self, method: &str, path: &str, body: &[u8]) -> Answer {
        let path = path.split('#').next().unwrap_or_default();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let product = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("product="));
        match (method, path) {
            ("POST", "/quotes") => match serde_json::from_slice::<Value>(body) {
                Ok(request) => self.quote(&request),
                Err(_) => bad("the body must be a JSON object"),
            },
            ("POST", "/policies") => {
                let request = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
                match request.get("quote").and_then(Value::as_str) {
                    Some(quote) => self.policy(quote),
                    None => bad("send {\"quote\": \"Q-…\"}"),
                }
            }
            ("GET", _) if path.starts_with("/quotes/") => {
                let quote = self.quotes.get(&path["/quotes/".len()..]);
                match quote.filter(|q| product.is_none_or(|p| q["product"] == p)) {
                    Some(quote) => answer("200 OK", quote.clone()),
                    None => answer("404 Not Found", json!({ "error": "no such quote" })),
                }
            }
            (_, "/quotes" | "/policies") => {
                answer("405 Method Not Allowed", json!({ "error": "use POST" }))
            }
            _ => answer("404 Not Found", json!({ "error": "not found" })),
        }
    }

    fn quote(&mut self, request: &Value) -> Answer {
        let number = format!("Q-{}", 100_001 + self.quotes.len());
        let quote = match request.get("product").and_then(Value::as_str) {
            Some("car") => {
                let (Some(make), Some(model)) = (name(request, "make"), name(request, "model"))
                else {
                    return bad("a car quote needs `make` and `model`, each 1 to 60 characters");
                };
                // A fixed function of the car, so a test knows the price.
                let weight: u32 = format!("{make}{model}")
                    .to_lowercase()
                    .bytes()
                    .map(u32::from)
                    .sum();
                json!({
                    "number": number,
                    "product": "car",
                    "price": 300 + weight % 400,
                    "currency": "EUR",
                    "car": { "make": make, "model": model },
                })
            }
            Some("life") => {
                let age = request.get("age").and_then(Value::as_u64);
                let cover = request.get("cover").and_then(Value::as_u64);
                let (Some(age @ 18..=75), Some(cover @ 10_000..=2_000_000)) = (age, cover) else {
                    return bad(
                        "a life quote needs `age` (18 to 75) and `cover` (10000 to 2000000)",
                    );
                };
                json!({
                    "number": number,
                    "product": "life",
                    "price": cover / 1_000 * (age / 10 + 1),
                    "currency": "EUR",
                    "life": { "age": age, "cover": cover },
                })
            }
            _ => return bad("`product` must be \"car\" or \"life\""),
        };
        self.quotes.insert(number, quote.clone());
        answer("201 Created", quote)
    }

    fn policy(&mut self, quote: &str) -> Answer {
        if !self.quotes.contains_key(quote) {
            return answer("404 Not Found", json!({ "error": "no such quote" }));
        }
        let policy = self
            .policies
            .entry(quote.to_owned())
            .or_insert_with(|| format!("P-{}", quote.trim_start_matches("Q-")))
            .clone();
        answer("200 OK", json!({ "policy": policy, "quote": quote }))
    }
}

/// A running quote service; its threads end with the process.
pub struct Quotes {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
}

impl Quotes {
    /// Binds `127.0.0.1:port` (0 for a free one) and serves in background threads.
    pub fn start(port: u16) -> Result<Quotes> {
        let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
            format!("port {port} is taken: stop whatever listens there and try again")
        })?;
        let port = listener.local_addr()?.port();
        let book = Arc::new(Mutex::new(Book::default()));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let book = book.clone();
                std::thread::spawn(move || {
                    let _ = serve_connection(stream, &book);
                });
            }
        });
        Ok(Quotes {
            base_url: format!("http://127.0.0.1:{port}"),
        })
    }
}

/// One request per connection: read it, answer it, close.
fn serve_connection(stream: TcpStream, book: &Mutex<Book>) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let (mut length, mut origin) = (0usize, None);
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((key, value)) = header.split_once(':') {
            let value = value.trim();
            if key.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(usize::MAX);
            } else if key.eq_ignore_ascii_case("origin") {
                origin = Some(value.to_owned());
            }
        }
    }
    let allowed = origin.filter(|o| BRAND_ORIGINS.contains(&o.as_str()));
    let cors = if let Some(origin) = allowed {
        format!("access-control-allow-origin: {origin}\r\nvary: origin\r\n")
    } else {
        "vary: origin\r\n".to_owned()
    };
    if method == "OPTIONS" {
        let head = format!(
            "HTTP/1.1 204 No Content\r\n{cors}access-control-allow-methods: GET, POST\r\n\
             access-control-allow-headers: content-type\r\naccess-control-max-age: 600\r\n\
             content-length: 0\r\nconnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes())?;
        return Ok(());
    }
    let found = if length > MAX_BODY {
        answer("413 Payload Too Large", json!({ "error": "at most 8 KiB" }))
    } else {
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body)?;
        book.lock()
            .map_err(|_| anyhow::anyhow!("the quote book was poisoned"))?
            .handle(&method, &path, &body)
    };
    let body = found.body.to_string();
    let head = format!(
        "HTTP/1.1 {}\r\n{cors}content-type: application/json\r\ncache-control: no-store\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        found.status,
        body.len()
    );
    // One write: a body sent after its headers in a second small write would wait for the
    // client's delayed ACK (about 40 ms a call; measured with a look-up through it).
    stream.write_all(format!("{head}{body}").as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(book: &mut Book, path: &str, body: Value) -> Answer {
        book.handle("POST", path, body.to_string().as_bytes())
    }

    #[test]
    fn a_car_quote_is_kept_and_read_back_and_a_policy_is_issued_once() {
        let mut book = Book::default();
        let quote = post(
            &mut book,
            "/quotes",
            json!({ "product": "car", "make": "Volvo", "model": "V60" }),
        );
        assert_eq!(quote.status, "201 Created");
        assert_eq!(quote.body["number"], "Q-100001");
        assert_eq!(quote.body["car"]["make"], "Volvo");
        let price = quote.body["price"].as_u64().unwrap_or_default();
        assert!((300..700).contains(&price), "{price}");
        // The same car, the same price; the next number.
        let again = post(
            &mut book,
            "/quotes",
            json!({ "product": "car", "make": "Volvo", "model": "V60" }),
        );
        assert_eq!(again.body["number"], "Q-100002");
        assert_eq!(again.body["price"], quote.body["price"]);

        let read = book.handle("GET", "/quotes/Q-100001", b"");
        assert_eq!(
            read,
            Answer {
                status: "200 OK",
                body: quote.body.clone()
            }
        );
        assert_eq!(
            book.handle("GET", "/quotes/Q-100001?product=car", b"").body,
            quote.body
        );
        // A car quote is not a life quote.
        assert_eq!(
            book.handle("GET", "/quotes/Q-100001?product=life", b"")
                .status,
            "404 Not Found"
        );
        assert_eq!(
            book.handle("GET", "/quotes/Q-999", b"").status,
            "404 Not Found"
        );
        assert_eq!(
            book.handle("GET", "/quotes/..%2FQ-100001", b"").status,
            "404 Not Found"
        );

        let policy = post(&mut book, "/policies", json!({ "quote": "Q-100001" }));
        assert_eq!(policy.status, "200 OK");
        assert_eq!(policy.body["policy"], "P-100001");
        let twice = post(&mut book, "/policies", json!({ "quote": "Q-100001" }));
        assert_eq!(twice, policy, "idempotent per quote");
        let unknown = post(&mut book, "/policies", json!({ "quote": "Q-5" }));
        assert_eq!(unknown.status, "404 Not Found");
    }

    #[test]
    fn a_life_quote_and_bad_requests() {
        let mut book = Book::default();
        let life = post(
            &mut book,
            "/quotes",
            json!({ "product": "life", "age": 40, "cover": 250_000 }),
        );
        assert_eq!(life.status, "201 Created");
        assert_eq!(life.body["price"], 250 * 5);
        for bad in [
            json!({ "product": "boat" }),
            json!({ "product": "car", "make": "Volvo" }),
            json!({ "product": "car", "make": "", "model": "V60" }),
            json!({ "product": "car", "make": "V".repeat(61), "model": "V60" }),
            json!({ "product": "life", "age": 12, "cover": 250_000 }),
            json!([1, 2]),
        ] {
            let refused = post(&mut book, "/quotes", bad.clone());
            assert_eq!(refused.status, "400 Bad Request", "{bad}");
            assert!(refused.body["error"].is_string());
        }
        assert_eq!(
            book.handle("POST", "/quotes", b"{not json").status,
            "400 Bad Request"
        );
        assert_eq!(
            book.handle("GET", "/quotes", b"").status,
            "405 Method Not Allowed"
        );
        assert_eq!(
            book.handle("DELETE", "/policies", b"").status,
            "405 Method Not Allowed"
        );
    }

    #[test]
    fn over_http_with_cors_for_the_brand_origin_only() -> Result<()> {
        let quotes = Quotes::start(0)?;
        let exchange = |request: String| -> Result<String> {
            let address = quotes.base_url.trim_start_matches("http://");
            let mut stream = TcpStream::connect(address)?;
            stream.write_all(request.as_bytes())?;
            let mut text = String::new();
            stream.read_to_string(&mut text)?;
            Ok(text)
        };
        let body = r#"{"product":"car","make":"Fiat","model":"Panda"}"#;
        let created = exchange(format!(
            "POST /quotes HTTP/1.1\r\nhost: x\r\norigin: {BRAND_ORIGIN}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        ))?;
        assert!(created.starts_with("HTTP/1.1 201 Created"), "{created}");
        assert!(created.contains(&format!("access-control-allow-origin: {BRAND_ORIGIN}")));
        assert!(created.contains("\"number\":\"Q-100001\""), "{created}");
        let read = exchange("GET /quotes/Q-100001 HTTP/1.1\r\nhost: x\r\n\r\n".into())?;
        assert!(read.starts_with("HTTP/1.1 200 OK"), "{read}");
        assert!(read.contains("application/json"));
        assert!(
            !read.contains("access-control-allow-origin"),
            "no CORS without the origin"
        );
        let preflight = exchange(
            "OPTIONS /quotes HTTP/1.1\r\nhost: x\r\norigin: http://evil.example\r\n\r\n".into(),
        )?;
        assert!(preflight.starts_with("HTTP/1.1 204"), "{preflight}");
        assert!(
            !preflight.contains("access-control-allow-origin"),
            "{preflight}"
        );
        let huge =
            exchange("POST /quotes HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n".into())?;
        assert!(huge.starts_with("HTTP/1.1 413"), "{huge}");
        Ok(())
    }
}

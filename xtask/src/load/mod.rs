//! The HTTP half of `cargo xtask bench`: clients on loopback that drive the journey server as
//! browsers' widgets would, one module per measure:
//!
//! - [`journeys`]: complete registration journeys and the failed-login timing;
//! - [`flood`]: the login flood, which measures the server's memory instead of time;
//! - [`steps`]: the steps that hash no password, as fast as 50 clients can send them, through
//!   a minimal keep-alive HTTP/1.1 client of its own ([`wire`]).
//!
//! This module owns what they share: the timed POST with the page's origin, reading the JSON
//! generically (`serde_json::Value`, so that a renamed field elsewhere in the `Flow` does not
//! break the bench; only the fields read matter), and the latency table.

mod flood;
mod journeys;
mod purchase;
mod steps;
mod wire;

pub use flood::{Flood, flood};
pub use journeys::{Load, run};
pub use purchase::{Purchase, purchase};
pub use steps::{Steps, steps};

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// POSTs `body` to `url` with the page's origin (a browser sends it with every POST; the server
/// checks it); the status, the JSON answer and how long it took. `name` names the request in
/// errors.
async fn timed_post(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    body: &Value,
    name: &str,
) -> Result<(reqwest::StatusCode, Value, Duration)> {
    let started = Instant::now();
    let response = client
        .post(url)
        .header("Origin", base)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url} ({name}) failed"))?;
    let status = response.status();
    let text = response.text().await?;
    let took = started.elapsed();
    let value = serde_json::from_str(&text).with_context(|| {
        format!(
            "POST {url} ({name}) answered {status}, not JSON: {}",
            snippet(&text)
        )
    })?;
    Ok((status, value, took))
}

/// A string field at `path`, or an error that shows what came back instead.
pub(crate) fn field<'a>(value: &'a Value, path: &[&str]) -> Result<&'a str> {
    let mut current = value;
    for key in path {
        current = current.get(key).with_context(|| {
            format!("no `{}` in {}", path.join("."), snippet(&value.to_string()))
        })?;
    }
    current.as_str().with_context(|| {
        format!(
            "`{}` is not a string in {}",
            path.join("."),
            snippet(&value.to_string())
        )
    })
}

pub(crate) fn expect_step(flow: &Value, expected: &str) -> Result<()> {
    let step = field(flow, &["step", "id"])?;
    if step != expected {
        bail!(
            "expected step `{expected}`, the flow is at `{step}`: {}",
            snippet(&flow.to_string())
        );
    }
    Ok(())
}

pub(crate) fn snippet(text: &str) -> String {
    const MAX: usize = 600;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

pub(crate) fn row(name: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "    {:<22} {:>10} {:>10} {:>8}",
        name,
        ms(percentile(times, 0.50)),
        ms(percentile(times, 0.99)),
        times.len()
    );
}

/// The nearest-rank percentile of sorted samples.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

fn ms(duration: Option<Duration>) -> String {
    match duration {
        Some(d) => format!("{:.1} ms", d.as_secs_f64() * 1000.0),
        None => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 0.50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&times, 0.99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&[], 0.5), None);
    }
}

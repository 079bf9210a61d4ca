//! Complete registration journeys driven by concurrent clients, and the timing of failed
//! logins for known and unknown addresses.
//!
//! One journey, as the roadhelp demo tenant defines it:
//!
//! ```text
//! POST /v1/roadhelp/journeys/registration {}            -> step "details" (any id)
//! POST /v1/flows/{id} email, given_name, family_name     -> step "verify_email"
//! GET  /dev/outbox?to=EMAIL  (newest first; poll until the code is there)
//! POST /v1/flows/{id} code                               -> step "password"
//! POST /v1/flows/{id} password                           -> step "welcome"
//! POST /v1/flows/{id} action "continue"                  -> status "complete", outcome.id_token
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use rand::seq::SliceRandom;
use serde_json::{Value, json};

use super::{expect_step, field, row, snippet, timed_post};

/// What to run.
pub struct Load {
    pub base_url: String,
    pub clients: usize,
    pub journeys: usize,
}

/// The names of the requests of one journey, in order, for the per-request table.
const REQUESTS: [&str; 6] = ["start", "details", "outbox", "code", "password", "continue"];

/// Timings of one completed journey.
struct Journey {
    email: String,
    total: Duration,
    /// One entry per request, indexed like [`REQUESTS`]; the outbox entry is the successful poll.
    requests: Vec<(usize, Duration)>,
}

/// Runs the journeys and prints latency and throughput.
pub fn run(load: &Load) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let started = Instant::now();
    let journeys = runtime.block_on(drive(load))?;
    let wall = started.elapsed();
    report(load, &journeys, wall);
    let emails: Vec<String> = journeys
        .iter()
        .take(LOGIN_SAMPLES)
        .map(|j| j.email.clone())
        .collect();
    let (mut wrong, mut unknown) = runtime.block_on(login_timing(&load.base_url, &emails))?;
    println!();
    println!(
        "    failed logins, one client, one try per address (no account enumeration by timing):"
    );
    println!("    {:<22} {:>10} {:>10} {:>8}", "", "p50", "p99", "count");
    row("wrong password", &mut wrong);
    row("unknown account", &mut unknown);
    Ok(())
}

/// How many registered addresses the failed-login comparison uses.
const LOGIN_SAMPLES: usize = 40;

/// Times a wrong password for registered addresses against the same for unknown ones, one try
/// per address so the per-identifier throttle never starts.
async fn login_timing(base: &str, emails: &[String]) -> Result<(Vec<Duration>, Vec<Duration>)> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let (mut wrong, mut unknown) = (Vec::new(), Vec::new());
    for (i, email) in emails.iter().enumerate() {
        let targets = [
            (email.clone(), &mut wrong),
            (format!("nobody-{i}-{email}"), &mut unknown),
        ];
        for (target, times) in targets {
            let mut ignored = Vec::new();
            let start = format!("{base}/v1/roadhelp/journeys/login");
            let flow = post(&client, base, &start, &json!({}), 0, &mut ignored).await?;
            let url = format!("{base}/v1/flows/{}", field(&flow, &["id"])?);
            let body = json!({"step": "login", "action": "submit",
                "values": {"email": target, "password": "not the password of anyone"}});
            let started = Instant::now();
            let response = client
                .post(&url)
                .header("Origin", base)
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            response.text().await?;
            times.push(started.elapsed());
            if status.as_u16() != 422 {
                bail!("a failed login for {target} answered {status}, not 422");
            }
        }
    }
    Ok((wrong, unknown))
}

async fn drive(load: &Load) -> Result<Vec<Journey>> {
    let run_id = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..load.clients.max(1) {
        let next = Arc::clone(&next);
        let stop = Arc::clone(&stop);
        let base = load.base_url.clone();
        let total = load.journeys;
        workers.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total || stop.load(Ordering::Relaxed) {
                    return Ok(done);
                }
                let email = format!("bench-{run_id}-{n}@example.com");
                match journey(&base, &email).await {
                    Ok(journey) => done.push(journey),
                    Err(err) => {
                        stop.store(true, Ordering::Relaxed);
                        return Err(err.context(format!("journey {n} ({email}) failed")));
                    }
                }
            }
        }));
    }
    let mut all = Vec::new();
    let mut first_error = None;
    for worker in workers {
        match worker.await.context("a bench client crashed")? {
            Ok(done) => all.extend(done),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(all),
    }
}

/// One complete registration journey with its own cookie jar, like one browser.
async fn journey(base: &str, email: &str) -> Result<Journey> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()?;
    let started = Instant::now();
    let mut requests = Vec::new();

    let flow = post(
        &client,
        base,
        &format!("{base}/v1/roadhelp/journeys/registration"),
        &json!({}),
        0,
        &mut requests,
    )
    .await?;
    let id = field(&flow, &["id"])?.to_owned();
    let flow_url = format!("{base}/v1/flows/{id}");

    let step = field(&flow, &["step", "id"])?.to_owned();
    let values = json!({"email": email, "given_name": "Bench", "family_name": "Runner"});
    let flow = submit(
        &client,
        base,
        &flow_url,
        &step,
        "submit",
        values,
        1,
        &mut requests,
    )
    .await?;
    expect_step(&flow, "verify_email")?;

    let code = code_from_outbox(&client, base, email, &mut requests).await?;
    let step = field(&flow, &["step", "id"])?.to_owned();
    let flow = submit(
        &client,
        base,
        &flow_url,
        &step,
        "submit",
        json!({"code": code}),
        3,
        &mut requests,
    )
    .await?;
    expect_step(&flow, "password")?;

    let step = field(&flow, &["step", "id"])?.to_owned();
    let values = json!({"password": random_password()});
    let flow = submit(
        &client,
        base,
        &flow_url,
        &step,
        "submit",
        values,
        4,
        &mut requests,
    )
    .await?;
    expect_step(&flow, "welcome")?;

    let step = field(&flow, &["step", "id"])?.to_owned();
    let flow = submit(
        &client,
        base,
        &flow_url,
        &step,
        "continue",
        json!({}),
        5,
        &mut requests,
    )
    .await?;
    let status = field(&flow, &["status"])?;
    if status != "complete" {
        bail!(
            "after `continue` the flow is `{status}`, not `complete`: {}",
            snippet(&flow.to_string())
        );
    }
    field(&flow, &["outcome", "id_token"]).context("the completed flow carries no ID token")?;
    Ok(Journey {
        email: email.to_owned(),
        total: started.elapsed(),
        requests,
    })
}

#[allow(clippy::too_many_arguments)]
async fn submit(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    step: &str,
    action: &str,
    values: Value,
    label: usize,
    requests: &mut Vec<(usize, Duration)>,
) -> Result<Value> {
    let body = json!({"step": step, "action": action, "values": values});
    post(client, base, url, &body, label, requests).await
}

/// A POST timed under `label` (an index into [`REQUESTS`]) that must succeed.
pub(super) async fn post(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    body: &Value,
    label: usize,
    requests: &mut Vec<(usize, Duration)>,
) -> Result<Value> {
    let (status, value, took) = timed_post(client, base, url, body, REQUESTS[label]).await?;
    requests.push((label, took));
    if !status.is_success() {
        bail!(
            "POST {url} ({}) answered {status}: {}",
            REQUESTS[label],
            snippet(&value.to_string())
        );
    }
    Ok(value)
}

/// Polls the development outbox until the verification code for `email` is there.
async fn code_from_outbox(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    requests: &mut Vec<(usize, Duration)>,
) -> Result<String> {
    let url = format!("{base}/dev/outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let started = Instant::now();
        let response = client
            .get(&url)
            .query(&[("to", email)])
            .send()
            .await
            .with_context(|| format!("GET {url}?to={email} failed"))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("GET {url}?to={email} answered {status}: {}", snippet(&text));
        }
        let messages: Value =
            serde_json::from_str(&text).context("the outbox did not answer JSON")?;
        // Newest first: the first message with a code is the one just sent.
        let code = messages
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|message| message.get("body").and_then(Value::as_str))
            .find_map(six_digits);
        if let Some(code) = code {
            requests.push((2, started.elapsed()));
            return Ok(code);
        }
        if Instant::now() > deadline {
            bail!("no message with a 6-digit code reached {email} in the dev outbox within 10 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The first run of exactly six digits in `text`.
pub(super) fn six_digits(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 6 {
                return Some(text[start..i].to_owned());
            }
        } else {
            i += 1;
        }
    }
    None
}

fn random_password() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=";
    let mut rng = rand::thread_rng();
    (0..20)
        .filter_map(|_| CHARS.choose(&mut rng).map(|&b| char::from(b)))
        .collect()
}

fn report(load: &Load, journeys: &[Journey], wall: Duration) {
    let mut totals: Vec<Duration> = journeys.iter().map(|j| j.total).collect();
    let mut all: Vec<Duration> = journeys
        .iter()
        .flat_map(|j| j.requests.iter().map(|(_, d)| *d))
        .collect();
    println!();
    println!(
        "    {} journeys with {} concurrent clients in {:.2} s: {:.1} journeys/s",
        journeys.len(),
        load.clients,
        wall.as_secs_f64(),
        journeys.len() as f64 / wall.as_secs_f64().max(f64::EPSILON)
    );
    println!("    {:<22} {:>10} {:>10} {:>8}", "", "p50", "p99", "count");
    row("per journey", &mut totals);
    row("per request (all)", &mut all);
    for (index, name) in REQUESTS.iter().enumerate() {
        let mut times: Vec<Duration> = journeys
            .iter()
            .flat_map(|j| {
                j.requests
                    .iter()
                    .filter(|(i, _)| *i == index)
                    .map(|(_, d)| *d)
            })
            .collect();
        row(&format!("  {name}"), &mut times);
    }
    println!(
        "    (the `outbox` row is the poll that found the code; `password` includes the argon2 hash)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code() {
        assert_eq!(
            six_digits("Your code is 123456.").as_deref(),
            Some("123456")
        );
        assert_eq!(
            six_digits("Ref 1234567, code 654321").as_deref(),
            Some("654321")
        );
        assert_eq!(
            six_digits("On 2026-11-25 your code: 000042").as_deref(),
            Some("000042")
        );
        assert_eq!(six_digits("no code"), None);
    }

    #[test]
    fn passwords_are_twenty_characters() {
        assert_eq!(random_password().chars().count(), 20);
    }
}

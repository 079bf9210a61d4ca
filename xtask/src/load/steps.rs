//! The steps that hash no password (start a flow, submit the details, submit a wrong code), as
//! fast as concurrent clients can send them: issue 7's budget of steps per second and their
//! p99.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{expect_step, field, row, snippet, wire};

/// What the step bench runs: clients that each repeat, for `duration`, the three steps of a
/// registration that hash no password.
pub struct Steps {
    pub base_url: String,
    pub clients: usize,
    pub duration: Duration,
    /// Where to write the figures as JSON (`steps_per_s`, `p50_ms`, `p99_ms`, `steps`), for
    /// the bench's table of every set-up side by side.
    pub result: Option<std::path::PathBuf>,
    /// Steps per second the clients together hold to, each round at its appointed time, or
    /// `None` for as fast as they can. A round that starts late counts its lateness in its
    /// first step's latency, so that a stalled server is not hidden by clients that wait for
    /// it (coordinated omission).
    pub rate: Option<f64>,
}

/// The step bench's requests, for its table.
const STEP_REQUESTS: [&str; 3] = ["start", "details", "wrong code"];

/// The steps that hash no password, at `clients` concurrent clients: start a flow, submit the
/// details (a fresh address each time, so no per-address quota is reached), submit a wrong code
/// (answered `invalid_input` with the flow, as a person's typo is). Prints steps per second and
/// the latency of each kind; every answer is checked, so a refused or failed step fails the
/// bench instead of counting as fast.
pub fn steps(load: &Steps) -> Result<()> {
    // One thread for all the clients, as a load generator's event loop: the server under test
    // shares the two cores, and a client on every core took a third more time per step
    // (51 against 43 µs), which the server then lacked.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let run_id = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let started = Instant::now();
    let samples = runtime.block_on(async {
        let mut workers = Vec::new();
        for worker in 0..load.clients.max(1) {
            let base = load.base_url.clone();
            let until = started + load.duration;
            // Each client's rounds (three steps) one period apart, the clients spread over it.
            let period = load
                .rate
                .map(|rate| Duration::from_secs_f64(3.0 * load.clients as f64 / rate.max(1.0)));
            let offset = period.map(|p| p.mul_f64(worker as f64 / load.clients as f64));
            workers.push(tokio::spawn(async move {
                let mut client = wire::Connection::new(&base)?;
                let mut samples: Vec<(usize, Duration)> = Vec::new();
                let mut n = 0usize;
                while Instant::now() < until {
                    let late = match (period, offset) {
                        (Some(period), Some(offset)) => {
                            let due = started + offset + period.mul_f64(n as f64);
                            tokio::time::sleep_until(due.into()).await;
                            Instant::now().saturating_duration_since(due)
                        }
                        _ => Duration::ZERO,
                    };
                    let email = format!("steps-{run_id}-{worker}-{n}@example.com");
                    let first = samples.len();
                    three_steps(&mut client, &email, &mut samples)
                        .await
                        .with_context(|| format!("client {worker}, round {n} ({email})"))?;
                    if let Some(sample) = samples.get_mut(first) {
                        sample.1 += late;
                    }
                    n += 1;
                }
                anyhow::Ok(samples)
            }));
        }
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.await.context("a bench client crashed")??);
        }
        anyhow::Ok(all)
    })?;
    let wall = started.elapsed();
    let mut all: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    let per_second = all.len() as f64 / wall.as_secs_f64().max(f64::EPSILON);
    println!(
        "    {} steps by {} concurrent clients in {:.2} s: {:.0} steps/s",
        all.len(),
        load.clients,
        wall.as_secs_f64(),
        per_second
    );
    println!("    {:<22} {:>10} {:>10} {:>8}", "", "p50", "p99", "count");
    row("any step", &mut all);
    if let Some(file) = &load.result {
        let ms = |p| super::percentile(&all, p).map(|d| d.as_secs_f64() * 1000.0);
        let figures = json!({
            "steps_per_s": per_second,
            "p50_ms": ms(0.50),
            "p99_ms": ms(0.99),
            "steps": all.len(),
        });
        std::fs::write(file, figures.to_string())
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    for (index, name) in STEP_REQUESTS.iter().enumerate() {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|(i, _)| *i == index)
            .map(|(_, d)| *d)
            .collect();
        row(&format!("  {name}"), &mut times);
    }
    Ok(())
}

/// One round of the step bench; each answer must be the one a widget expects.
async fn three_steps(
    client: &mut wire::Connection,
    email: &str,
    samples: &mut Vec<(usize, Duration)>,
) -> Result<()> {
    let start = "/v1/roadhelp/journeys/registration";
    let (status, flow) = timed_post(client, start, &json!({}), 0, samples).await?;
    if !(200..300).contains(&status) {
        bail!("start answered {status}: {}", snippet(&flow.to_string()));
    }
    let url = format!("/v1/flows/{}", field(&flow, &["id"])?);
    let step = field(&flow, &["step", "id"])?.to_owned();
    let values = json!({"email": email, "given_name": "Bench", "family_name": "Runner"});
    let body = json!({"step": step, "action": "submit", "values": values});
    let (status, flow) = timed_post(client, &url, &body, 1, samples).await?;
    if status != 200 {
        bail!("details answered {status}: {}", snippet(&flow.to_string()));
    }
    expect_step(&flow, "verify_email")?;
    // "000000" is wrong but for one chance in a million (the server's codes are random): over
    // the tens of thousands of rounds of a bench that happens, and the flow then moves on to
    // the password, which is as much a step as a refusal.
    let body = json!({"step": "verify_email", "action": "submit", "values": {"code": "000000"}});
    let (status, answer) = timed_post(client, &url, &body, 2, samples).await?;
    let code = field(&answer, &["error", "code"]).unwrap_or_default();
    let guessed = status == 200 && expect_step(&answer, "password").is_ok();
    if !guessed && (status != 422 || code != "invalid_input") {
        bail!(
            "a wrong code answered {status} `{code}`, not 422 invalid_input: {}",
            snippet(&answer.to_string())
        );
    }
    Ok(())
}

/// A POST timed under `label` (an index into [`STEP_REQUESTS`]), from writing the request to
/// having read the whole answer; then the answer parsed as JSON.
async fn timed_post(
    client: &mut wire::Connection,
    path: &str,
    body: &Value,
    label: usize,
    samples: &mut Vec<(usize, Duration)>,
) -> Result<(u16, Value)> {
    let name = STEP_REQUESTS[label];
    let body = serde_json::to_vec(body)?;
    let started = Instant::now();
    let (status, answer) = tokio::time::timeout(Duration::from_secs(30), client.post(path, &body))
        .await
        .with_context(|| format!("POST {path} ({name}): no answer within 30 s"))?
        .with_context(|| format!("POST {path} ({name}) failed"))?;
    samples.push((label, started.elapsed()));
    let value = serde_json::from_slice(&answer).with_context(|| {
        format!(
            "POST {path} ({name}) answered {status}, not JSON: {}",
            snippet(&String::from_utf8_lossy(&answer))
        )
    })?;
    Ok((status, value))
}

//! The HTTP half of `cargo xtask bench`: complete registration journeys
//! driven over loopback by concurrent clients, as a browser's widget would.
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
//!
//! The JSON is read generically (`serde_json::Value`) so that a renamed field
//! elsewhere in the `Flow` does not break the bench; only the fields above matter.
//!
//! The login flood ([`flood`]) measures memory instead of time: bursts of
//! concurrent failed logins for unknown addresses, each costing the server a
//! full argon2 verification, sent from several loopback source addresses
//! (127.0.0.2 to 127.0.0.9) as several clients would, while the server's
//! resident and peak memory are read from `/proc/<pid>/status`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use rand::seq::SliceRandom;
use serde_json::{Value, json};

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

/// What the login flood runs.
pub struct Flood {
    pub base_url: String,
    /// The server's process, whose memory is read.
    pub pid: u32,
    pub bursts: usize,
    /// Concurrent logins per burst.
    pub size: usize,
}

/// How many loopback source addresses the flood comes from (127.0.0.2 and on).
const FLOOD_SOURCES: u8 = 8;

/// How long the server idles after the bursts before its memory is read again.
const FLOOD_IDLE: Duration = Duration::from_secs(5);

/// How the flood's logins were answered.
#[derive(Default)]
struct Answers {
    /// The password was checked (a failed login: 422, or 200).
    checked: usize,
    /// The hasher's queue was full (429).
    busy: usize,
    other: usize,
    first_other: Option<String>,
}

/// Resident and peak memory of a process, in KiB.
struct Memory {
    rss: u64,
    peak: u64,
}

/// Floods the server with failed logins and prints its memory before, at the peak and after.
pub fn flood(flood: &Flood) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let clients = (0..FLOOD_SOURCES)
        .map(|i| {
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from([127, 0, 0, 2 + i]))
                .timeout(Duration::from_secs(60))
                .build()
                .context("cannot build an HTTP client")
        })
        .collect::<Result<Vec<_>>>()?;
    let idle = memory(flood.pid)?;
    let mut answers = Answers::default();
    let started = Instant::now();
    for burst in 0..flood.bursts {
        runtime.block_on(login_burst(
            &flood.base_url,
            &clients,
            burst * flood.size,
            flood.size,
            &mut answers,
        ))?;
    }
    let wall = started.elapsed();
    let after_bursts = memory(flood.pid)?;
    std::thread::sleep(FLOOD_IDLE);
    let after_idle = memory(flood.pid)?;
    println!();
    println!(
        "    login flood: {} bursts of {} concurrent failed logins from {} loopback addresses \
         in {:.2} s",
        flood.bursts,
        flood.size,
        FLOOD_SOURCES,
        wall.as_secs_f64()
    );
    println!("    {:<28} {:>10}", "server memory", "MB");
    let mb = |kib: u64| format!("{:.1}", kib as f64 / 1024.0);
    println!("    {:<28} {:>10}", "idle before (VmRSS)", mb(idle.rss));
    println!("    {:<28} {:>10}", "peak (VmHWM)", mb(after_idle.peak));
    println!(
        "    {:<28} {:>10}",
        "right after (VmRSS)",
        mb(after_bursts.rss)
    );
    println!(
        "    {:<28} {:>10}",
        format!("after {} s idle (VmRSS)", FLOOD_IDLE.as_secs()),
        mb(after_idle.rss)
    );
    println!(
        "    answers: {} checked (422), {} busy (429), {} other",
        answers.checked, answers.busy, answers.other
    );
    if let Some(other) = answers.first_other {
        println!("    first other answer: {other}");
    }
    Ok(())
}

/// One burst: starts `size` login flows, then submits a wrong password for each, all at once.
async fn login_burst(
    base: &str,
    clients: &[reqwest::Client],
    first: usize,
    size: usize,
    answers: &mut Answers,
) -> Result<()> {
    let mut flows = tokio::task::JoinSet::new();
    for n in first..first + size {
        let client = clients[n % clients.len()].clone();
        let base = base.to_owned();
        flows.spawn(async move {
            let mut ignored = Vec::new();
            let start = format!("{base}/v1/roadhelp/journeys/login");
            let flow = post(&client, &base, &start, &json!({}), 0, &mut ignored).await?;
            let url = format!("{base}/v1/flows/{}", field(&flow, &["id"])?);
            anyhow::Ok((n, client, url))
        });
    }
    let mut logins = Vec::new();
    while let Some(started) = flows.join_next().await {
        let (n, client, url) = started.context("a flood client crashed")??;
        logins.push((n, client, url));
    }
    let mut submits = tokio::task::JoinSet::new();
    for (n, client, url) in logins {
        let base = base.to_owned();
        submits.spawn(async move {
            let body = json!({"step": "login", "action": "submit", "values": {
                "email": format!("flood-{n}@example.com"),
                "password": "wrong password for the flood"}});
            let response = client
                .post(&url)
                .header("Origin", &base)
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            let text = response.text().await?;
            anyhow::Ok((status.as_u16(), text))
        });
    }
    while let Some(answered) = submits.join_next().await {
        let (status, text) = answered.context("a flood client crashed")??;
        match status {
            200 | 422 => answers.checked += 1,
            429 => answers.busy += 1,
            _ => {
                answers.other += 1;
                answers
                    .first_other
                    .get_or_insert_with(|| format!("{status}: {}", snippet(&text)));
            }
        }
    }
    Ok(())
}

/// VmRSS and VmHWM of process `pid`.
fn memory(pid: u32) -> Result<Memory> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let kib = |name: &str| -> Result<u64> {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("no `{name}` in {path}"))
    };
    Ok(Memory {
        rss: kib("VmRSS:")?,
        peak: kib("VmHWM:")?,
    })
}

/// What the step bench runs: clients that each repeat, for `duration`, the three steps of a
/// registration that hash no password.
pub struct Steps {
    pub base_url: String,
    pub clients: usize,
    pub duration: Duration,
}

/// The step bench's requests, for its table.
const STEP_REQUESTS: [&str; 3] = ["start", "details", "wrong code"];

/// The steps that hash no password, at `clients` concurrent clients: start a flow, submit the
/// details (a fresh address each time, so no per-address quota is reached), submit a wrong code
/// (answered `invalid_input` with the flow, as a person's typo is). Prints steps per second and
/// the latency of each kind; every answer is checked, so a refused or failed step fails the
/// bench instead of counting as fast.
pub fn steps(load: &Steps) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
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
            workers.push(tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()?;
                let mut samples: Vec<(usize, Duration)> = Vec::new();
                let mut n = 0usize;
                while Instant::now() < until {
                    let email = format!("steps-{run_id}-{worker}-{n}@example.com");
                    three_steps(&client, &base, &email, &mut samples)
                        .await
                        .with_context(|| format!("client {worker}, round {n} ({email})"))?;
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
    client: &reqwest::Client,
    base: &str,
    email: &str,
    samples: &mut Vec<(usize, Duration)>,
) -> Result<()> {
    let start = format!("{base}/v1/roadhelp/journeys/registration");
    let (status, flow) = timed_post(client, base, &start, &json!({}), 0, samples).await?;
    if !status.is_success() {
        bail!("start answered {status}: {}", snippet(&flow.to_string()));
    }
    let url = format!("{base}/v1/flows/{}", field(&flow, &["id"])?);
    let step = field(&flow, &["step", "id"])?.to_owned();
    let values = json!({"email": email, "given_name": "Bench", "family_name": "Runner"});
    let body = json!({"step": step, "action": "submit", "values": values});
    let (status, flow) = timed_post(client, base, &url, &body, 1, samples).await?;
    if !status.is_success() {
        bail!("details answered {status}: {}", snippet(&flow.to_string()));
    }
    expect_step(&flow, "verify_email")?;
    // Six digits the server never draws as they are (its codes are random): "000000" is wrong
    // but for one chance in a million, which the check below would report.
    let body = json!({"step": "verify_email", "action": "submit", "values": {"code": "000000"}});
    let (status, answer) = timed_post(client, base, &url, &body, 2, samples).await?;
    let code = field(&answer, &["error", "code"]).unwrap_or_default();
    if status.as_u16() != 422 || code != "invalid_input" {
        bail!(
            "a wrong code answered {status} `{code}`, not 422 invalid_input: {}",
            snippet(&answer.to_string())
        );
    }
    Ok(())
}

/// A POST with the page's origin; the status and the JSON answer, timed under `label`.
async fn timed_post(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    body: &Value,
    label: usize,
    samples: &mut Vec<(usize, Duration)>,
) -> Result<(reqwest::StatusCode, Value)> {
    let started = Instant::now();
    let response = client
        .post(url)
        .header("Origin", base)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url} ({}) failed", STEP_REQUESTS[label]))?;
    let status = response.status();
    let text = response.text().await?;
    samples.push((label, started.elapsed()));
    let value = serde_json::from_str(&text).with_context(|| {
        format!(
            "POST {url} answered something that is not JSON: {}",
            snippet(&text)
        )
    })?;
    Ok((status, value))
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

async fn post(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    body: &Value,
    label: usize,
    requests: &mut Vec<(usize, Duration)>,
) -> Result<Value> {
    let started = Instant::now();
    // A browser sends its origin with every POST; the server may check it.
    let response = client
        .post(url)
        .header("Origin", base)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url} ({}) failed", REQUESTS[label]))?;
    let status = response.status();
    let text = response.text().await?;
    requests.push((label, started.elapsed()));
    if !status.is_success() {
        bail!(
            "POST {url} ({}) answered {status}: {}",
            REQUESTS[label],
            snippet(&text)
        );
    }
    serde_json::from_str(&text).with_context(|| {
        format!(
            "POST {url} answered something that is not JSON: {}",
            snippet(&text)
        )
    })
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
fn six_digits(text: &str) -> Option<String> {
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

/// A string field at `path`, or an error that shows what came back instead.
fn field<'a>(value: &'a Value, path: &[&str]) -> Result<&'a str> {
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

fn expect_step(flow: &Value, expected: &str) -> Result<()> {
    let step = field(flow, &["step", "id"])?;
    if step != expected {
        bail!(
            "expected step `{expected}`, the flow is at `{step}`: {}",
            snippet(&flow.to_string())
        );
    }
    Ok(())
}

fn snippet(text: &str) -> String {
    const MAX: usize = 600;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
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

fn row(name: &str, times: &mut [Duration]) {
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
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
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
    fn percentiles() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 0.50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&times, 0.99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn passwords_are_twenty_characters() {
        assert_eq!(random_password().chars().count(), 20);
    }
}

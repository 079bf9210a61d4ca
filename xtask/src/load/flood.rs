//! The login flood: bursts of concurrent failed logins for unknown addresses, each costing the
//! server a full argon2 verification, sent from several loopback source addresses (127.0.0.2
//! to 127.0.0.9) as several clients would, while the server's resident and peak memory are
//! read from `/proc/<pid>/status`.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use super::journeys::post;
use super::{field, snippet};

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

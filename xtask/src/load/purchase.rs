//! InsurGroup's car purchase, timed request by request: the server's time for the whole
//! `buy-car` journey (issue 8), as a person on a phone would go through it, one journey at a
//! time so each figure is the server's own and not a queue's.
//!
//! Each round first saves a car quote for a new address (the quote service's `POST /quotes`,
//! then `save-quote` with the quote as context, an email and its code), then buys it:
//!
//! ```text
//! POST /v1/insurgroup/journeys/buy-car {brand}        -> step "email"
//! POST /v1/flows/{id} email                            -> "code"      (an email code is sent)
//! POST /v1/flows/{id} code                             -> "profile"
//! POST /v1/flows/{id} name, birthdate, address         -> "phone"
//! POST /v1/flows/{id} send: phone_number, channel sms  -> "phone"     (an SMS code is sent)
//! POST /v1/flows/{id} code                             -> "password"
//! POST /v1/flows/{id} password                         -> "documents" (argon2id: most of it)
//! POST /v1/flows/{id} accept: terms, privacy           -> "marketing"
//! POST /v1/flows/{id} submit (nothing ticked)          -> complete: a policy from the
//!                                                         service, a loa2 ID token
//! ```
//!
//! The codes are read from the dev outbox between requests; that wait is not the server's and
//! is not counted.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::journeys::six_digits;
use super::{expect_step, field, row, snippet, timed_post};

/// What to run.
pub struct Purchase {
    /// The journey server.
    pub base_url: String,
    /// The quote service (its `POST /quotes`).
    pub quotes_url: String,
    /// How many purchases.
    pub rounds: usize,
}

/// The requests of one purchase, in order, for the table.
const REQUESTS: [&str; 9] = [
    "start",
    "email",
    "email code",
    "profile",
    "phone",
    "sms code",
    "password",
    "documents",
    "marketing",
];

/// Runs the purchases and prints the server's time per request and for the whole journey.
pub fn purchase(run: &Purchase) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let mut per_request: Vec<Vec<Duration>> = vec![Vec::new(); REQUESTS.len()];
    let mut totals = Vec::new();
    for round in 0..run.rounds {
        let times = runtime
            .block_on(one(run, round))
            .with_context(|| format!("car purchase {round} failed"))?;
        totals.push(times.iter().sum());
        for (i, took) in times.into_iter().enumerate() {
            per_request[i].push(took);
        }
    }
    println!("    {:<22} {:>10} {:>10} {:>8}", "", "p50", "p99", "count");
    for (name, times) in REQUESTS.iter().zip(&mut per_request) {
        row(name, times);
    }
    row("whole journey", &mut totals);
    Ok(())
}

/// A client of its own, like one browser.
struct Person {
    client: reqwest::Client,
    base: String,
    email: String,
}

impl Person {
    /// Starts `journey` with `context`.
    async fn start(&self, journey: &str, context: Value) -> Result<(Value, Duration)> {
        let url = format!("{}/v1/insurgroup/journeys/{journey}", self.base);
        let body = json!({"brand": "wheelhouse", "context": context});
        self.post(&url, &body, journey).await
    }

    /// Submits `values` with `action` at the flow's current step, which must be `step`.
    async fn submit(
        &self,
        flow: &Value,
        step: &str,
        action: &str,
        values: Value,
    ) -> Result<(Value, Duration)> {
        expect_step(flow, step)?;
        let url = format!("{}/v1/flows/{}", self.base, field(flow, &["id"])?);
        let body = json!({"step": step, "action": action, "values": values});
        self.post(&url, &body, step).await
    }

    async fn post(&self, url: &str, body: &Value, name: &str) -> Result<(Value, Duration)> {
        let (status, value, took) = timed_post(&self.client, &self.base, url, body, name).await?;
        if !status.is_success() {
            bail!("{name} answered {status}: {}", snippet(&value.to_string()));
        }
        Ok((value, took))
    }

    /// The newest 6-digit code sent to `to` after the message `after` (an outbox id).
    async fn code(&self, to: &str, after: i64) -> Result<(String, i64)> {
        let url = format!("{}/dev/outbox", self.base);
        for _ in 0..500 {
            let messages: Value = self
                .client
                .get(&url)
                .query(&[("to", to)])
                .send()
                .await?
                .json()
                .await?;
            let newest = messages.as_array().and_then(|m| m.first());
            if let Some(message) = newest.filter(|m| m["id"].as_i64() > Some(after)) {
                let body = field(message, &["body"])?;
                let code =
                    six_digits(body).with_context(|| format!("no code in {}", snippet(body)))?;
                return Ok((code, message["id"].as_i64().unwrap_or(after)));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!("no new code reached {to} in the dev outbox within 10 s")
    }
}

/// One saved quote and its purchase; the server's time for each request of the purchase.
async fn one(run: &Purchase, round: usize) -> Result<Vec<Duration>> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let person = Person {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()?,
        base: run.base_url.clone(),
        email: format!("buyer-{stamp}-{round}@example.com"),
    };
    let email = person.email.as_str();
    // A Dutch mobile number of this round's own.
    let phone = format!("+3161{:07}", (stamp as usize + round) % 10_000_000);

    let quote: Value = person
        .client
        .post(format!("{}/quotes", run.quotes_url))
        .json(&json!({"product": "car", "make": "Volvo", "model": "V60"}))
        .send()
        .await?
        .json()
        .await?;
    let number = field(&quote, &["number"])?;
    let (flow, _) = person
        .start("save-quote", json!({"product": "car", "quote": number}))
        .await?;
    let (flow, _) = person
        .submit(&flow, "email", "submit", json!({"email": email}))
        .await?;
    let (code, seen) = person.code(email, 0).await?;
    let (saved, _) = person
        .submit(&flow, "code", "submit", json!({"code": code}))
        .await?;
    if saved["status"] != "complete" {
        bail!(
            "saving the quote did not complete: {}",
            snippet(&saved.to_string())
        );
    }

    let mut times = Vec::new();
    let mut step = |(flow, took): (Value, Duration)| {
        times.push(took);
        flow
    };
    let flow = step(person.start("buy-car", json!({})).await?);
    let flow = step(
        person
            .submit(&flow, "email", "submit", json!({"email": email}))
            .await?,
    );
    let (code, _) = person.code(email, seen).await?;
    let flow = step(
        person
            .submit(&flow, "code", "submit", json!({"code": code}))
            .await?,
    );
    let profile = json!({
        "given_name": "Bench", "family_name": "Buyer", "birthdate": "1990-04-12",
        "address.street_address": "Keizersgracht 1", "address.postal_code": "1015 CJ",
        "address.locality": "Amsterdam", "address.country": "NL",
    });
    let flow = step(person.submit(&flow, "profile", "submit", profile).await?);
    let number = json!({"phone_number": phone, "channel": "sms"});
    let flow = step(person.submit(&flow, "phone", "send", number).await?);
    let (code, _) = person.code(&phone, 0).await?;
    let flow = step(
        person
            .submit(&flow, "phone", "submit", json!({"code": code}))
            .await?,
    );
    let password = json!({"password": format!("violet tractor {stamp} under the bridge")});
    let flow = step(person.submit(&flow, "password", "submit", password).await?);
    let accept = json!({"terms": "yes", "privacy": "yes"});
    let flow = step(person.submit(&flow, "documents", "accept", accept).await?);
    let done = step(
        person
            .submit(&flow, "marketing", "submit", json!({}))
            .await?,
    );
    if done["status"] != "complete" {
        bail!(
            "the purchase did not complete: {}",
            snippet(&done.to_string())
        );
    }
    let acr = field(&done, &["outcome", "session", "acr"])?;
    let url = format!("{}/dev/accounts", run.base_url);
    let account: Value = person
        .client
        .get(&url)
        .query(&[("tenant", "insurgroup"), ("email", email)])
        .send()
        .await?
        .json()
        .await?;
    if acr != "loa2" || account["attributes"]["car_policy"].as_str().is_none() {
        bail!(
            "the purchase is at {acr}, the account: {}",
            snippet(&account.to_string())
        );
    }
    Ok(times)
}

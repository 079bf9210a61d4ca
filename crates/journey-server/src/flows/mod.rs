//! Running flows: the HTTP-free entry points [`start`], [`get`], [`submit`] and [`extend`], the glue between
//! the handlers ([`crate::api`]), the engine and the store.
//!
//! Every request follows the same path: load the flow and its journey version (`versions`),
//! run the step with the engine, answering its queries (`step`, [`crate::queries`]), turn its
//! effects into store writes and save the new state together with those writes in one
//! transaction, only if nobody saved the flow in the meantime (`writes`). A lost race or a
//! replay therefore has no effect and gets the current state back. A flow that completes
//! signs its person in (`session`); password logins pass the login throttle
//! (`login_throttle`). Each successful save moves the flow through the funnel's counts, and
//! active flows are watched for their expiry (`funnel`).
//!
//! This module owns the order of those steps and the checks before them: the tenant's allowed
//! callers, the flow id's form, the page's nonce, expiry. It knows no HTTP: it returns an
//! [`Answered`] or a [`Failure`], which the handlers turn into the answer.

mod funnel;
pub(crate) mod login_throttle;
mod session;
mod step;
mod versions;
mod writes;

pub use funnel::{Funnel, MAX_WATCHED, expiries as watch_expiries};
pub use session::{ID_TOKEN_REREAD_SECONDS, ID_TOKEN_TTL, SESSION_COOKIE};
pub use versions::remember as remember_journeys;

use crate::error::Failure;
use crate::events::{self, Event};
use crate::limits::{self, Action};
use crate::render;
use crate::security::Caller;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use journey_engine::{self as engine, FlowState, FlowStatus, Journey, Submission};
use journey_protocol::{self as wire, ErrorCode, Resolve, StartFlow, Submit};
use journey_store::{FlowRecord, Saved};
use rand::RngCore;
use std::sync::Arc;

/// A flow answer, with the cookies to set when the flow just completed (the session's and the
/// device's).
pub struct Answered {
    /// The flow.
    pub flow: wire::Flow,
    /// A `Set-Cookie` value.
    pub cookies: Vec<String>,
}

/// The language of a start `request` for `tenant_id` ([`crate::locale::negotiate`]): the one
/// asked for if the tenant has it, else the best of the browser's `accept_language` the
/// tenant has, else the default of the brand asked for (or of the tenant's first brand);
/// `None` for an unknown tenant. The flow keeps it, and the handlers use it for the texts of
/// errors that come before the flow exists.
pub fn request_locale(
    state: &AppState,
    tenant_id: &str,
    request: &StartFlow,
    accept_language: Option<&str>,
) -> Option<String> {
    let tenant = state.tenants.get(tenant_id)?;
    let brand = request
        .brand
        .as_deref()
        .filter(|brand| tenant.has_brand(brand))
        .or_else(|| tenant.brands.first().map(|brand| brand.id.as_str()))
        .unwrap_or_default();
    Some(
        crate::locale::negotiate(
            request.locale.as_deref(),
            accept_language,
            &tenant.locales,
            tenant.brand_default_locale(brand),
        )
        .to_owned(),
    )
}

/// Starts a flow of `journey_name` for `tenant_id`, in the language [`request_locale`] picks
/// with the browser's `accept_language`.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    tenant_id: &str,
    journey_name: &str,
    request: StartFlow,
    accept_language: Option<&str>,
) -> Result<Answered, Failure> {
    let tenant = state
        .tenants
        .get(tenant_id)
        .ok_or(Failure::refused(ErrorCode::TenantNotFound))?;
    allow_tenant(state, caller, tenant, None).await?;
    let journey = tenant
        .journeys
        .get(journey_name)
        .cloned()
        .ok_or(Failure::refused(ErrorCode::JourneyNotFound))?;
    // A journey that needs a channel without a sender would strand the person at its step:
    // refuse it before anything starts (development mode has the dev outbox for every one).
    if let Some(channel) = state.senders.missing_for(&journey) {
        tracing::warn!(tenant = %tenant.id, journey = %journey_name, %channel, "refused to start a journey: no sender for its channel");
        return Err(
            Failure::refused(ErrorCode::ChannelUnavailable).with_arg("channel", channel.as_str())
        );
    }
    let brand = match request.brand.clone() {
        Some(brand) if tenant.has_brand(&brand) => brand,
        Some(_) => return Err(Failure::refused(ErrorCode::InvalidRequest)),
        None => tenant
            .brands
            .first()
            .map(|brand| brand.id.clone())
            .unwrap_or_default(),
    };
    // The brand is known (and valid) now, so its default language can decide.
    let locale = request_locale(state, tenant_id, &request, accept_language)
        .ok_or(Failure::refused(ErrorCode::TenantNotFound))?;
    if let Some(nonce) = request.nonce.as_deref().filter(|nonce| !is_nonce(nonce)) {
        tracing::debug!(length = nonce.len(), "refused a start request's nonce");
        return Err(Failure::refused(ErrorCode::InvalidRequest));
    }
    let now = state.clock.now();
    // The page's context is checked against the journey's [context] before anything starts.
    let advance =
        engine::start_with_context(&journey, &request.context, &step::env(state, &tenant.id, now))
            .map_err(|e| Failure::internal("starting a flow", e))?
            .map_err(|refusal| {
                tracing::info!(tenant = %tenant.id, journey = %journey_name, %refusal, "refused a start request's context");
                let key = refusal.key.unwrap_or_else(|| "context".to_owned());
                Failure::refused(ErrorCode::InvalidContext).with_arg("key", &key)
            })?;
    let advance = step::settle(state, &journey, &tenant.id, caller, advance, now).await?;
    let record = FlowRecord {
        id: new_id(),
        tenant: tenant.id.clone(),
        journey: journey_name.to_owned(),
        journey_version: journey.version().to_owned(),
        brand,
        locale,
        state: String::new(),
        outcome: None,
        revision: 0,
        created_at: now,
        expires_at: now + tenant.flow_ttl,
        nonce: request.nonce,
    };
    writes::persist(state, &journey, caller, record, advance, now, None).await
}

/// The current state of a flow.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Answered, Failure> {
    let (record, journey, flow_state) = load(state, id).await?;
    allow(state, caller, &record).await?;
    let now = state.clock.now();
    let mut flow = render_flow(state, &record, &flow_state, &journey, now)?;
    if flow.status == wire::FlowStatus::Expired {
        return Err(Failure::refused(ErrorCode::FlowExpired).with_flow(flow));
    }
    if let Some(outcome) = flow.outcome.as_mut() {
        outcome.id_token = session::reread_id_token(state, &record, now).await?;
    }
    Ok(Answered {
        flow,
        cookies: Vec::new(),
    })
}

/// A nonce from the page: 1 to 255 visible ASCII characters (OpenID Connect leaves the form to
/// the client; this bound keeps it out of the way of headers and logs).
fn is_nonce(nonce: &str) -> bool {
    (1..=255).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_graphic())
}

/// Answers the current step of a flow.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    request: Submit,
) -> Result<Answered, Failure> {
    let (record, journey, flow_state) = load(state, id).await?;
    allow(state, caller, &record).await?;
    // Per client across tenants before loading (`api::submit_flow`), per tenant now.
    limits::check(state, &record.tenant, &caller.client(), Action::Submit)?;
    let now = state.clock.now();
    let current = |state: &AppState| render_flow(state, &record, &flow_state, &journey, now);
    if now >= record.expires_at && flow_state.status() == FlowStatus::Active {
        return Err(Failure::refused(ErrorCode::FlowExpired).with_flow(current(state)?));
    }
    let submission = Submission {
        step: request.step,
        action: request.action,
        values: request.values,
    };
    let advance = match engine::submit(
        &journey,
        flow_state.clone(),
        submission,
        &step::env(state, &record.tenant, now),
    ) {
        Ok(advance) => advance,
        Err(error) => {
            let code = step::refusal(error)?;
            return Err(Failure::refused(code).with_flow(current(state)?));
        }
    };
    let hashes = step::hashes(&advance);
    if hashes && !step::lease(state, &record, now).await? {
        return Err(Failure::refused(ErrorCode::Conflict).with_flow(current(state)?));
    }
    let (id, revision) = (record.id.clone(), record.revision);
    let previous = Some(flow_state.step());
    let answered = match step::settle(state, &journey, &record.tenant, caller, advance, now).await {
        Ok(advance) => {
            writes::persist(state, &journey, caller, record, advance, now, previous).await
        }
        Err(error) => Err(error),
    };
    if hashes && answered.is_err() {
        step::release(state, &id, revision).await;
    }
    answered
}

/// Gives an active flow more time (WCAG 2.2.1): its `expires_at` moves to now + the tenant's
/// ttl, never beyond its maximum lifetime counted from its start. Checked like a submission
/// (the tenant's callers, the submission rate limits); an expired flow answers
/// `flow_expired`, a finished one `flow_ended`, and one that a submission moved on meanwhile
/// `conflict`, each with the current flow. A flow at its maximum lifetime is answered as it is.
pub async fn extend(state: &AppState, caller: &Caller, id: &str) -> Result<Answered, Failure> {
    let (record, journey, flow_state) = load(state, id).await?;
    allow(state, caller, &record).await?;
    limits::check(state, &record.tenant, &caller.client(), Action::Submit)?;
    let tenant = state
        .tenants
        .get(&record.tenant)
        .ok_or(Failure::refused(ErrorCode::TenantNotFound))?;
    let now = state.clock.now();
    let current = |state: &AppState, record: &FlowRecord| {
        render_flow(state, record, &flow_state, &journey, now)
    };
    if flow_state.status() != FlowStatus::Active {
        return Err(Failure::refused(ErrorCode::FlowEnded).with_flow(current(state, &record)?));
    }
    if now >= record.expires_at {
        return Err(Failure::refused(ErrorCode::FlowExpired).with_flow(current(state, &record)?));
    }
    let until = (now + tenant.flow_ttl).min(record.created_at + tenant.flow_max_lifetime);
    if until <= record.expires_at {
        let flow = current(state, &record)?;
        return Ok(Answered {
            flow,
            cookies: Vec::new(),
        });
    }
    let saved = state
        .store
        .extend_flow(&record.id, record.revision, now, until)
        .await
        .map_err(|e| Failure::internal("extending a flow", e))?;
    if saved == Saved::Conflict {
        // A submission saved the flow since it was read: answer where it is now.
        let (record, journey, flow_state) = load(state, id).await?;
        let flow = render_flow(state, &record, &flow_state, &journey, now)?;
        return Err(Failure::refused(ErrorCode::Conflict).with_flow(flow));
    }
    let record = FlowRecord {
        expires_at: until,
        ..record
    };
    funnel::extended(state, &record, &flow_state);
    Ok(Answered {
        flow: current(state, &record)?,
        cookies: Vec::new(),
    })
}

/// The warning before an active flow expires: warn this long before, at most.
const WARN_BEFORE_SECONDS: i64 = 120;

/// The time left in words for a warning `warn_before` seconds ahead: whole minutes (coarsest
/// first), then tens of seconds.
fn time_left(warn_before: u32) -> Vec<wire::TimeLeft> {
    let minutes = warn_before.div_ceil(60);
    let by_minute = (1..=minutes).rev().map(|m| wire::TimeLeft {
        up_to: m * 60,
        text: wire::Text::msg("flow-expiry-minutes-left").arg("minutes", m),
    });
    let by_ten_seconds = (1..=5).rev().map(|tens: u32| wire::TimeLeft {
        up_to: tens * 10,
        text: wire::Text::msg("flow-expiry-seconds-left").arg("seconds", tens * 10),
    });
    by_minute.chain(by_ten_seconds).collect()
}

/// When and how to warn before the active flow of `record` expires, texts unresolved.
fn expiry(state: &AppState, record: &FlowRecord, now: i64) -> wire::Expiry {
    let (ttl, lifetime) = state
        .tenants
        .get(&record.tenant)
        .map_or((record.expires_at - record.created_at, 0), |t| {
            (t.flow_ttl, t.flow_max_lifetime)
        });
    // Two minutes ahead, or half the ttl of a shorter one (a ttl is at least a minute, so
    // this is at least 30 seconds: WCAG 2.2.1 asks for 20).
    let warn_before = u32::try_from(WARN_BEFORE_SECONDS.min(ttl / 2).max(20)).unwrap_or(120);
    wire::Expiry {
        now,
        max_expires_at: (record.created_at + lifetime).max(record.expires_at),
        warn_before,
        warning: wire::Text::msg("flow-expiry-warning"),
        extend_hint: wire::Text::msg("flow-expiry-hint"),
        extend_label: wire::Text::msg("flow-expiry-continue"),
        final_notice: wire::Text::msg("flow-expiry-final"),
        left: time_left(warn_before),
    }
}

fn new_id() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Refuses callers the flow's tenant does not allow.
async fn allow(state: &AppState, caller: &Caller, record: &FlowRecord) -> Result<(), Failure> {
    let tenant = state
        .tenants
        .get(&record.tenant)
        .ok_or(Failure::refused(ErrorCode::TenantNotFound))?;
    allow_tenant(state, caller, tenant, Some(&record.id)).await
}

/// Refuses callers `tenant` does not allow, recording the refusal as a security event.
async fn allow_tenant(
    state: &AppState,
    caller: &Caller,
    tenant: &crate::tenants::Tenant,
    flow: Option<&str>,
) -> Result<(), Failure> {
    let refused = caller.allow(state, tenant).err();
    let Some(error) = refused else {
        return Ok(());
    };
    let mut event = Event::new(&tenant.id, events::Kind::OriginRefused, state.clock.now())
        .client(&caller.client());
    if let Some(flow) = flow {
        event = event.flow(flow);
    }
    events::record(state, event).await;
    Err(error)
}

/// Flow ids are 32 base64url characters; anything else is not looked up at all.
fn is_flow_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A saved flow, the journey version it runs on, and its engine state.
async fn load(
    state: &AppState,
    id: &str,
) -> Result<(FlowRecord, Arc<Journey>, FlowState), Failure> {
    if !is_flow_id(id) {
        return Err(Failure::refused(ErrorCode::FlowNotFound));
    }
    let record = state
        .store
        .flow(id)
        .await
        .map_err(|e| Failure::internal("loading a flow", e))?
        .ok_or(Failure::refused(ErrorCode::FlowNotFound))?;
    let journey = versions::journey_of(state, &record).await?;
    // A flow saved by an earlier release (another state format) cannot go on; to the person it
    // is as good as expired, and a new one starts where it would have.
    let flow_state = FlowState::from_json(&record.state).map_err(|error| {
        tracing::warn!(flow = %record.id, %error, "a saved flow cannot be read; answering as expired");
        Failure::refused(ErrorCode::FlowExpired)
    })?;
    Ok((record, journey, flow_state))
}

/// The wire form of a saved flow.
fn render_flow(
    state: &AppState,
    record: &FlowRecord,
    flow_state: &FlowState,
    journey: &Journey,
    now: i64,
) -> Result<wire::Flow, Failure> {
    let status = match flow_state.status() {
        FlowStatus::Active if now >= record.expires_at => wire::FlowStatus::Expired,
        FlowStatus::Active => wire::FlowStatus::Active,
        FlowStatus::Complete => wire::FlowStatus::Complete,
        FlowStatus::Failed => wire::FlowStatus::Failed,
    };
    let step = if status == wire::FlowStatus::Expired {
        None
    } else {
        engine::view(journey, flow_state, now)
            .map_err(|e| Failure::internal("rendering a flow", e))?
            .map(|view| {
                let mut step = render::step(
                    state,
                    &record.locale,
                    &state.brand_name(&record.tenant, &record.brand),
                    view,
                );
                crate::consents::fill(
                    state,
                    &record.tenant,
                    &record.brand,
                    &record.locale,
                    &mut step,
                );
                step
            })
    };
    let outcome = match &record.outcome {
        Some(json) => Some(
            serde_json::from_str(json).map_err(|e| Failure::internal("reading an outcome", e))?,
        ),
        None => None,
    };
    let expiry = (status == wire::FlowStatus::Active).then(|| {
        let mut expiry = expiry(state, record, now);
        let brand = state.brand_name(&record.tenant, &record.brand);
        expiry.resolve(&mut |id, args| state.text(&record.locale, &brand, id, args));
        expiry
    });
    Ok(wire::Flow {
        id: record.id.clone(),
        tenant: record.tenant.clone(),
        journey: record.journey.clone(),
        brand: record.brand.clone(),
        locale: record.locale.clone(),
        status,
        expires_at: record.expires_at,
        step,
        outcome,
        expiry,
    })
}

//! Running flows: the glue between HTTP, the engine and the store.
//!
//! Every request follows the same path: load the flow and its journey version, call the
//! engine with `now` and fresh entropy, answer its queries ([`crate::queries`]: account
//! look-up, password check, cross-flow quotas), turn its effects into store writes (texts resolved, passwords hashed), and save the new
//! state together with those writes in one transaction, only if nobody saved the flow in the
//! meantime. A lost race or a replay therefore has no effect and gets the current state back.

use crate::events::{self, Event};
use crate::limits::{self, Action};
use crate::password::PasswordError;
use crate::queries::{answer, code_guess_keys, digest};
use crate::render;
use crate::security::{Caller, DEVICE_COOKIE};
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use journey_engine::{
    self as engine, Advance, Effect, EngineError, Env, FlowState, FlowStatus, Journey,
    OUTCOME_MESSAGE, Query, Rejection, Submission,
};
use journey_protocol::{self as wire, ErrorCode, StartFlow, Submit};
use journey_store::{FlowRecord, FlowUpdate, NewMessage, NewSession, Saved, StoreError, Write};
use rand::RngCore;
use serde_json::json;
use std::sync::Arc;

use crate::error::ApiError;

/// How long an ID token is valid, in seconds.
const ID_TOKEN_TTL: i64 = 5 * 60;

/// The name of the session cookie. `__Host-` makes browsers require `Secure`, `Path=/` and no
/// `Domain`.
pub const SESSION_COOKIE: &str = "__Host-jk_session";

/// A flow answer, with the cookies to set when the flow just completed (the session's and the
/// device's).
pub struct Answered {
    /// The flow.
    pub flow: wire::Flow,
    /// A `Set-Cookie` value.
    pub cookies: Vec<String>,
}

/// Starts a flow of `journey_name` for `tenant_id`.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    tenant_id: &str,
    journey_name: &str,
    request: StartFlow,
) -> Result<Answered, ApiError> {
    let tenant = state
        .tenants
        .get(tenant_id)
        .ok_or_else(|| state.error(ErrorCode::TenantNotFound, None, None))?;
    allow_tenant(state, caller, tenant, None).await?;
    let locale = journey_i18n::Catalog::negotiate(
        request.locale.as_deref(),
        &tenant.locales,
        &tenant.default_locale,
    )
    .to_owned();
    let journey = tenant
        .journeys
        .get(journey_name)
        .cloned()
        .ok_or_else(|| state.error(ErrorCode::JourneyNotFound, Some(&locale), None))?;
    let brand = match request.brand {
        Some(brand) if tenant.has_brand(&brand) => brand,
        Some(_) => return Err(state.error(ErrorCode::InvalidRequest, Some(&locale), None)),
        None => tenant
            .brands
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default(),
    };
    if let Some(nonce) = request.nonce.as_deref().filter(|nonce| !is_nonce(nonce)) {
        tracing::debug!(length = nonce.len(), "refused a start request's nonce");
        return Err(state.error(ErrorCode::InvalidRequest, Some(&locale), None));
    }
    let now = state.clock.now();
    let advance = engine::start(&journey, &env(state, &tenant.id, now))
        .map_err(|e| state.internal("starting a flow", e))?;
    let advance = settle(state, &journey, &tenant.id, caller, advance, now).await?;
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
    persist(state, &journey, caller, record, advance, now, true).await
}

/// The current state of a flow.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Answered, ApiError> {
    let (record, journey, flow_state) = load(state, id).await?;
    allow(state, caller, &record).await?;
    let now = state.clock.now();
    let mut flow = render(state, &record, &flow_state, &journey, now)?;
    if flow.status == wire::FlowStatus::Expired {
        return Err(state.error(ErrorCode::FlowExpired, Some(&record.locale), Some(flow)));
    }
    // A page that reloads right after completing gets the ID token once more; after that, or
    // a minute on, the flow shows as complete without it.
    if let Some(outcome) = flow.outcome.as_mut() {
        outcome.id_token = state
            .store
            .take_id_token(&record.id, now, ID_TOKEN_REREAD_SECONDS)
            .await
            .map_err(|e| state.internal("reading an ID token", e))?;
    }
    Ok(Answered {
        flow,
        cookies: Vec::new(),
    })
}

/// How long after completing a flow a reload may read its ID token once more.
pub const ID_TOKEN_REREAD_SECONDS: i64 = 60;

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
) -> Result<Answered, ApiError> {
    let (record, journey, flow_state) = load(state, id).await?;
    allow(state, caller, &record).await?;
    // Per client across tenants before loading (`api::submit_flow`), per tenant now.
    limits::check(state, &record.tenant, &caller.client(), Action::Submit)?;
    let now = state.clock.now();
    let locale = record.locale.clone();
    let current = |state: &AppState| render(state, &record, &flow_state, &journey, now);
    if now >= record.expires_at && flow_state.status() == FlowStatus::Active {
        return Err(state.error(ErrorCode::FlowExpired, Some(&locale), Some(current(state)?)));
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
        &env(state, &record.tenant, now),
    ) {
        Ok(advance) => advance,
        Err(error) => {
            let code = match error {
                EngineError::StepMismatch { .. } => ErrorCode::StepMismatch,
                EngineError::NotActive => ErrorCode::FlowEnded,
                EngineError::UnknownAction(_) => ErrorCode::ActionUnavailable,
                EngineError::UnexpectedField(_) => ErrorCode::InvalidRequest,
                EngineError::UnexpectedAnswer | EngineError::Inconsistent(_) => {
                    return Err(state.internal("submitting to a flow", error));
                }
            };
            return Err(state.error(code, Some(&locale), Some(current(state)?)));
        }
    };
    // One submission costs at most one password hash: parallel answers to a password step
    // race for a lease on the flow's revision, and the losers are refused before hashing.
    let hashes = matches!(advance.query, Some(Query::VerifyPassword { .. }))
        || advance.effects.iter().any(|effect| {
            matches!(
                effect,
                Effect::CreateAccount(_) | Effect::ResetPassword { .. }
            )
        });
    if hashes {
        let leased = state
            .store
            .lease_flow(&record.id, record.revision, now, HASH_LEASE_SECONDS)
            .await
            .map_err(|e| state.internal("leasing a flow", e))?;
        if !leased {
            return Err(state.error(ErrorCode::Conflict, Some(&locale), Some(current(state)?)));
        }
    }
    let (id, revision) = (record.id.clone(), record.revision);
    let answered = match settle(state, &journey, &record.tenant, caller, advance, now).await {
        Ok(advance) => persist(state, &journey, caller, record, advance, now, false).await,
        Err(error) => Err(error),
    };
    if hashes && answered.is_err() {
        // A busy hasher or a refused save: the person may try again at once. (After a saved
        // refusal the revision has moved on and this changes nothing.)
        if let Err(e) = state.store.release_flow(&id, revision).await {
            tracing::error!(error = %e, "releasing a flow's lease");
        }
    }
    answered
}

/// How long a submission that hashes a password holds its flow against parallel ones; a
/// save ends it earlier (the revision moves on).
const HASH_LEASE_SECONDS: i64 = 15;

/// What the engine gets with every call of a flow of `tenant`. The tenant's name and every one
/// of its brands' names are protected words, so `settle` needs no brand and a password naming a
/// sibling brand is refused too.
fn env(state: &AppState, tenant: &str, now: i64) -> Env {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let protected_words = state
        .tenants
        .get(tenant)
        .map(|t| {
            let brands = t.brands.iter().map(|(_, name)| name.clone());
            std::iter::once(t.name.clone()).chain(brands).collect()
        })
        .unwrap_or_default();
    Env {
        now,
        seed,
        protected_words,
    }
}

fn new_id() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A busy hasher is the caller's signal to retry shortly; anything else is internal.
pub(crate) fn password_error(state: &AppState, error: PasswordError) -> ApiError {
    match error {
        PasswordError::Busy => state.error(ErrorCode::RateLimited, None, None),
        other => state.internal("password hashing", other),
    }
}

/// Refuses callers the flow's tenant does not allow.
async fn allow(state: &AppState, caller: &Caller, record: &FlowRecord) -> Result<(), ApiError> {
    let tenant = state
        .tenants
        .get(&record.tenant)
        .ok_or_else(|| state.error(ErrorCode::TenantNotFound, None, None))?;
    allow_tenant(state, caller, tenant, Some(&record.id)).await
}

/// Refuses callers `tenant` does not allow, recording the refusal as a security event.
async fn allow_tenant(
    state: &AppState,
    caller: &Caller,
    tenant: &crate::tenants::Tenant,
    flow: Option<&str>,
) -> Result<(), ApiError> {
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

async fn load(
    state: &AppState,
    id: &str,
) -> Result<(FlowRecord, Arc<Journey>, FlowState), ApiError> {
    if !is_flow_id(id) {
        return Err(state.error(ErrorCode::FlowNotFound, None, None));
    }
    let record = state
        .store
        .flow(id)
        .await
        .map_err(|e| state.internal("loading a flow", e))?
        .ok_or_else(|| state.error(ErrorCode::FlowNotFound, None, None))?;
    let journey = journey_of(state, &record).await?;
    let flow_state = serde_json::from_str(&record.state)
        .map_err(|e| state.internal("reading a saved flow", e))?;
    Ok((record, journey, flow_state))
}

/// The journey version the flow started on: the loaded one, or an earlier one from the store.
async fn journey_of(state: &AppState, record: &FlowRecord) -> Result<Arc<Journey>, ApiError> {
    let current = state
        .tenants
        .get(&record.tenant)
        .and_then(|t| t.journeys.get(&record.journey));
    if let Some(journey) = current.filter(|j| j.version() == record.journey_version) {
        return Ok(Arc::clone(journey));
    }
    if let Some(journey) = state
        .old_journeys
        .lock()
        .ok()
        .and_then(|cache| cache.get(&record.journey_version).cloned())
    {
        return Ok(journey);
    }
    let source = state
        .store
        .journey_source(&record.journey_version)
        .await
        .map_err(|e| state.internal("loading a journey version", e))?
        .ok_or_else(|| {
            state.internal(
                "loading a journey version",
                "the version is not in the store",
            )
        })?;
    let journey = Journey::parse(&state.catalogue, "stored journey", &record.journey, &source)
        .map_err(|e| state.internal("parsing a stored journey version", e))?;
    let journey = Arc::new(journey);
    if let Ok(mut cache) = state.old_journeys.lock() {
        cache.insert(record.journey_version.clone(), Arc::clone(&journey));
    }
    Ok(journey)
}

/// Answers the engine's queries until it needs none.
async fn settle(
    state: &AppState,
    journey: &Journey,
    tenant: &str,
    caller: &Caller,
    mut advance: Advance,
    now: i64,
) -> Result<Advance, ApiError> {
    let mut effects = std::mem::take(&mut advance.effects);
    while let Some(query) = advance.query.take() {
        let answer = answer(state, tenant, caller, query, now).await?;
        advance = engine::resume(journey, advance.state, answer, &env(state, tenant, now))
            .map_err(|e| state.internal("resuming a flow", e))?;
        effects.append(&mut advance.effects);
    }
    advance.effects = effects;
    Ok(advance)
}

/// Saves the flow with the writes its effects need, then answers with the new state.
async fn persist(
    state: &AppState,
    journey: &Journey,
    caller: &Caller,
    mut record: FlowRecord,
    advance: Advance,
    now: i64,
    new: bool,
) -> Result<Answered, ApiError> {
    let client = caller.client();
    let mut writes = Vec::new();
    for effect in advance.effects {
        writes.extend(write_for(state, &record, &client, effect, now).await?);
    }
    let mut cookies = Vec::new();
    let mut id_token = None;
    if let (Some(authenticated), None) = (advance.state.authenticated(), &record.outcome) {
        let (mut outcome, session, set_cookie) = complete(state, &record, authenticated, now)?;
        writes.push(Write::CreateSession(session));
        // The token is saved apart from the outcome, so it can be handed out once more and
        // then forgotten.
        id_token = outcome.id_token.take();
        record.outcome = Some(
            serde_json::to_string(&outcome).map_err(|e| state.internal("saving an outcome", e))?,
        );
        cookies.push(set_cookie);
        // One device token per browser: the one it brought is replaced, not joined.
        if let Some(old) = caller.device() {
            writes.push(Write::ForgetDevice {
                tenant: record.tenant.clone(),
                token_hash: digest(old),
            });
        }
        let (device, set_cookie) = trust_device(&record.tenant, &authenticated.subject, now);
        writes.push(device);
        cookies.push(set_cookie);
    }
    record.state =
        serde_json::to_string(&advance.state).map_err(|e| state.internal("saving a flow", e))?;
    let saved = if new {
        state
            .store
            .create_flow(record.clone(), writes)
            .await
            .map(|()| Saved::Saved)
    } else {
        let update = FlowUpdate {
            id: record.id.clone(),
            revision: record.revision,
            state: record.state.clone(),
            outcome: record.outcome.clone(),
            id_token: id_token.clone(),
            now,
        };
        state.store.save_flow(update, writes).await
    };
    match saved {
        Ok(Saved::Saved) => {}
        Err(StoreError::Duplicate(_)) => {
            // Another flow created the same account after our duplicate check (the same person
            // in two windows): nothing of ours was written. This flow cannot go on; end it and
            // say why. The person proved they own the address, so this reveals nothing.
            let (mut record, journey, flow_state) = load(state, &record.id).await?;
            let ended = engine::abandon(flow_state, engine::Msg::new(engine::ACCOUNT_TAKEN));
            let update = FlowUpdate {
                id: record.id.clone(),
                revision: record.revision,
                state: serde_json::to_string(&ended)
                    .map_err(|e| state.internal("saving a flow", e))?,
                outcome: None,
                id_token: None,
                now,
            };
            let saved = state
                .store
                .save_flow(update, Vec::new())
                .await
                .map_err(|e| state.internal("saving a flow", e))?;
            if saved == Saved::Conflict {
                // Someone else moved the flow meanwhile: answer with what is saved now.
                let (record, journey, flow_state) = load(state, &record.id).await?;
                let flow = render(state, &record, &flow_state, &journey, now)?;
                return Err(state.error(ErrorCode::Conflict, Some(&record.locale), Some(flow)));
            }
            record.revision += 1;
            let flow = render(state, &record, &ended, &journey, now)?;
            return Ok(Answered {
                flow,
                cookies: Vec::new(),
            });
        }
        Ok(Saved::Conflict) => {
            // Someone else saved first (a parallel or replayed submission): nothing of ours was
            // written. Answer with what is saved now.
            let (record, journey, flow_state) = load(state, &record.id).await?;
            let flow = render(state, &record, &flow_state, &journey, now)?;
            return Err(state.error(ErrorCode::Conflict, Some(&record.locale), Some(flow)));
        }
        Err(e) => return Err(state.internal("saving a flow", e)),
    }
    state.outbox.notify_one();
    let mut flow = render(state, &record, &advance.state, journey, now)?;
    if let Some(outcome) = flow.outcome.as_mut() {
        // The answer that completed the flow carries its token.
        outcome.id_token = id_token;
    }
    match advance.rejection {
        Some(Rejection::InvalidInput) => {
            Err(state.error(ErrorCode::InvalidInput, Some(&record.locale), Some(flow)))
        }
        Some(Rejection::RateLimited) => {
            Err(state.error(ErrorCode::RateLimited, Some(&record.locale), Some(flow)))
        }
        None => Ok(Answered { flow, cookies }),
    }
}

async fn write_for(
    state: &AppState,
    record: &FlowRecord,
    client: &str,
    effect: Effect,
    now: i64,
) -> Result<Vec<Write>, ApiError> {
    match effect {
        Effect::SendEmail {
            to,
            template,
            args,
            expires_at,
        } => {
            let brand = state.brand_name(&record.tenant, &record.brand);
            Ok(vec![Write::Enqueue(NewMessage {
                tenant: record.tenant.clone(),
                flow_id: Some(record.id.clone()),
                channel: "email".into(),
                recipient: to,
                subject: state.text(
                    &record.locale,
                    &brand,
                    &format!("{template}-subject"),
                    &args,
                ),
                body: state.text(&record.locale, &brand, &format!("{template}-body"), &args),
                created_at: now,
                expires_at,
            })])
        }
        Effect::CodeFailed { address, locked } => {
            let kind = if locked {
                events::Kind::CodeLocked
            } else {
                events::Kind::CodeFailed
            };
            Ok(vec![
                Event::new(&record.tenant, kind, now)
                    .identifier(&address)
                    .client(client)
                    .flow(&record.id)
                    .into_write(),
            ])
        }
        Effect::CodeAccepted { address, subject } => {
            Ok(code_guess_keys(&address, subject.as_deref())
                .into_iter()
                .map(|key| Write::ReleaseQuota {
                    tenant: record.tenant.clone(),
                    key,
                })
                .collect())
        }
        Effect::ResetPassword {
            subject,
            email,
            password,
        } => {
            limits::check(state, &record.tenant, client, Action::HashPassword)?;
            let password_hash = state
                .hasher
                .hash(client, password.expose().to_owned())
                .await
                .map_err(|e| password_error(state, e))?;
            let tenant = record.tenant.clone();
            tracing::info!(%tenant, %subject, "password reset by recovery; ending every session of the account");
            Ok(vec![
                Event::new(&tenant, events::Kind::PasswordReset, now)
                    .subject(Some(&subject))
                    .identifier(&email)
                    .client(client)
                    .flow(&record.id)
                    .into_write(),
                Write::SetPassword {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                    password_hash,
                },
                Write::EndSessions {
                    tenant: tenant.clone(),
                    subject: subject.clone(),
                },
                // Browsers that signed in before the reset are strangers now: they lose the
                // throttle of their own.
                Write::ForgetDevices {
                    tenant: tenant.clone(),
                    subject,
                },
                Write::ClearLoginThrottle {
                    tenant,
                    identifier: email,
                },
            ])
        }
        Effect::CreateAccount(account) => {
            limits::check(state, &record.tenant, client, Action::HashPassword)?;
            let password_hash = state
                .hasher
                .hash(client, account.password.expose().to_owned())
                .await
                .map_err(|e| password_error(state, e))?;
            let registered = Event::new(&record.tenant, events::Kind::Registered, now)
                .subject(Some(&account.subject))
                .identifier(&account.email)
                .client(client)
                .flow(&record.id)
                .into_write();
            Ok(vec![
                registered,
                Write::CreateAccount {
                    tenant: record.tenant.clone(),
                    subject: account.subject,
                    email: account.email,
                    attributes: serde_json::to_string(&account.attributes)
                        .map_err(|e| state.internal("saving an account", e))?,
                    password_hash: Some(password_hash),
                },
            ])
        }
    }
}

/// How long a browser where an account signed in stays trusted for that account's logins.
const DEVICE_TTL: i64 = 365 * 24 * 3600;

/// A device token for the browser where `subject` just signed in, and its cookie.
fn trust_device(tenant: &str, subject: &str, now: i64) -> (Write, String) {
    let mut secret = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token = URL_SAFE_NO_PAD.encode(secret);
    let write = Write::TrustDevice {
        tenant: tenant.to_owned(),
        subject: subject.to_owned(),
        token_hash: digest(&token),
        expires_at: now + DEVICE_TTL,
    };
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; Path=/; Max-Age={DEVICE_TTL}; Secure; HttpOnly; SameSite=Lax"
    );
    (write, cookie)
}

/// Session lifetime by level of assurance (NIST SP 800-63B-4 §2, SECURITY.md).
fn session_ttl(acr: &str) -> i64 {
    match acr {
        "loa1" => 30 * 24 * 3600,
        "loa2" => 24 * 3600,
        _ => 12 * 3600,
    }
}

/// The outcome, session and cookie of a flow that just completed.
fn complete(
    state: &AppState,
    record: &FlowRecord,
    authenticated: &engine::Authenticated,
    now: i64,
) -> Result<(wire::Outcome, NewSession, String), ApiError> {
    let tenant = state
        .tenants
        .get(&record.tenant)
        .ok_or_else(|| state.internal("completing a flow", "tenant gone"))?;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let secret = URL_SAFE_NO_PAD.encode(secret);
    let id_hash = digest(&secret);
    let ttl = session_ttl(&authenticated.acr);
    let issuer = format!("{}/v1/{}", state.config.public_url, tenant.id);
    let claims = json!({
        "iss": issuer,
        "sub": authenticated.subject,
        "aud": tenant.audience,
        "iat": now,
        "exp": now + ID_TOKEN_TTL,
        "auth_time": authenticated.auth_time,
        "acr": authenticated.acr,
        "amr": authenticated.amr,
        "sid": &id_hash[..32],
    });
    let mut claims = claims;
    if let (Some(nonce), Some(map)) = (&record.nonce, claims.as_object_mut()) {
        map.insert("nonce".to_owned(), json!(nonce));
    }
    let outcome = wire::Outcome {
        message: wire::Text {
            id: OUTCOME_MESSAGE.to_owned(),
            text: state.text(
                &record.locale,
                tenant.brand_name(&record.brand),
                OUTCOME_MESSAGE,
                &[],
            ),
            args: wire::Args::default(),
        },
        session: wire::Session {
            subject: authenticated.subject.clone(),
            acr: authenticated.acr.clone(),
            amr: authenticated.amr.clone(),
            auth_time: authenticated.auth_time,
            expires_at: now + ttl,
        },
        id_token: Some(
            state
                .signers
                .sign(&record.tenant, &claims)
                .map_err(|e| state.internal("signing an ID token", e))?,
        ),
        redirect: None,
    };
    let session = NewSession {
        id_hash,
        tenant: tenant.id.clone(),
        subject: authenticated.subject.clone(),
        acr: authenticated.acr.clone(),
        amr: serde_json::to_string(&authenticated.amr)
            .map_err(|e| state.internal("saving a session", e))?,
        auth_time: authenticated.auth_time,
        expires_at: now + ttl,
        flow_id: record.id.clone(),
    };
    let cookie =
        format!("{SESSION_COOKIE}={secret}; Path=/; Max-Age={ttl}; Secure; HttpOnly; SameSite=Lax");
    Ok((outcome, session, cookie))
}

/// The wire form of a saved flow.
fn render(
    state: &AppState,
    record: &FlowRecord,
    flow_state: &FlowState,
    journey: &Journey,
    now: i64,
) -> Result<wire::Flow, ApiError> {
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
            .map_err(|e| state.internal("rendering a flow", e))?
            .map(|view| {
                render::step(
                    state,
                    &record.locale,
                    &state.brand_name(&record.tenant, &record.brand),
                    view,
                )
            })
    };
    let outcome = match &record.outcome {
        Some(json) => {
            Some(serde_json::from_str(json).map_err(|e| state.internal("reading an outcome", e))?)
        }
        None => None,
    };
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
    })
}

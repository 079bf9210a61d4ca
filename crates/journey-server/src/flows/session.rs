//! Signing a person in when their flow completes: the session (its lifetime by level of
//! assurance, its secret in a `__Host-` cookie, only a digest stored), the trusted-device
//! cookie that gives the browser a login throttle of its own, and the signed ID token for the
//! host page, which is handed out with the answer that completed the flow and at most once
//! more, to a reload within [`ID_TOKEN_REREAD_SECONDS`].
//!
//! The writes it makes are saved with the flow by [`super::writes`]; the tokens' keys are
//! [`crate::tokens`]'.

use crate::error::Failure;
use crate::security::{Caller, DEVICE_COOKIE};
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use journey_engine::{self as engine, OUTCOME_MESSAGE};
use journey_protocol as wire;
use journey_store::{FlowRecord, NewSession, Write};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

/// How long an ID token is valid, in seconds.
pub const ID_TOKEN_TTL: i64 = 5 * 60;

/// How long after completing a flow a reload may read its ID token once more.
pub const ID_TOKEN_REREAD_SECONDS: i64 = 60;

/// The name of the session cookie. `__Host-` makes browsers require `Secure`, `Path=/` and no
/// `Domain`.
pub const SESSION_COOKIE: &str = "__Host-jk_session";

/// How long a browser where an account signed in stays trusted for that account's logins.
const DEVICE_TTL: i64 = 365 * 24 * 3600;

/// SHA-256, hex: how session and device secrets are stored.
pub(crate) fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What signing in adds to the flow's save and answer.
pub(super) struct SignedIn {
    /// The session, and the browser's device trust (its old token forgotten, a new one made).
    pub writes: Vec<Write>,
    /// The session's and the device's `Set-Cookie` values.
    pub cookies: Vec<String>,
    /// The flow's outcome as saved, without the ID token.
    pub outcome: String,
    /// The ID token, saved apart from the outcome so it can be handed out once more and then
    /// forgotten.
    pub id_token: Option<String>,
}

/// Signs in the person `authenticated` names, at the end of `record`'s flow, in the browser of
/// `caller`.
pub(super) async fn sign_in(
    state: &AppState,
    record: &FlowRecord,
    caller: &Caller,
    authenticated: &engine::Authenticated,
    now: i64,
) -> Result<SignedIn, Failure> {
    let (mut outcome, session, session_cookie) =
        complete(state, record, authenticated, now).await?;
    let id_token = outcome.id_token.take();
    let outcome =
        serde_json::to_string(&outcome).map_err(|e| Failure::internal("saving an outcome", e))?;
    let mut writes = vec![Write::CreateSession(session)];
    // One device token per browser: the one it brought is replaced, not joined.
    if let Some(old) = caller.device() {
        writes.push(Write::ForgetDevice {
            tenant: record.tenant.clone(),
            token_hash: digest(old),
        });
    }
    let (device, device_cookie) = trust_device(&record.tenant, &authenticated.subject, now);
    writes.push(device);
    Ok(SignedIn {
        writes,
        cookies: vec![session_cookie, device_cookie],
        outcome,
        id_token,
    })
}

/// The ID token of a completed flow for a page that reloads right after completing: once more,
/// and within a minute; after that the flow shows as complete without it.
pub(super) async fn reread_id_token(
    state: &AppState,
    record: &FlowRecord,
    now: i64,
) -> Result<Option<String>, Failure> {
    state
        .store
        .take_id_token(&record.id, now, ID_TOKEN_REREAD_SECONDS)
        .await
        .map_err(|e| Failure::internal("reading an ID token", e))
}

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

/// Session lifetime by level of assurance: the tenant's policy's `session_minutes` of the
/// level (`[assurance.<level>]` in tenant.toml; NIST SP 800-63B-4 §2 gives the defaults the
/// demo's policy uses, SECURITY.md).
fn session_ttl(tenant: &crate::tenants::Tenant, acr: &str) -> i64 {
    tenant.assurance.session_seconds(acr)
}

/// The outcome, session and cookie of a flow that just completed.
async fn complete(
    state: &AppState,
    record: &FlowRecord,
    authenticated: &engine::Authenticated,
    now: i64,
) -> Result<(wire::Outcome, NewSession, String), Failure> {
    let tenant = state
        .tenants
        .get(&record.tenant)
        .ok_or_else(|| Failure::internal("completing a flow", "tenant gone"))?;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let secret = URL_SAFE_NO_PAD.encode(secret);
    let id_hash = digest(&secret);
    let ttl = session_ttl(tenant, &authenticated.acr);
    let issuer = format!("{}/v1/{}", state.config.public_url, tenant.id);
    let mut claims = json!({
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
    if let Some(map) = claims.as_object_mut() {
        if let Some(nonce) = &record.nonce {
            map.insert("nonce".to_owned(), json!(nonce));
        }
        // The account's attributes the journey releases; the engine refuses any name of the
        // token's own claims when the journey loads, and the token's own win all the same.
        for (name, value) in &authenticated.claims {
            map.entry(name.clone()).or_insert_with(|| value.clone());
        }
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
                .sign(&record.tenant, &claims, now)
                .await
                .map_err(|e| Failure::internal("signing an ID token", e))?,
        ),
        redirect: None,
    };
    let session = NewSession {
        id_hash,
        tenant: tenant.id.clone(),
        subject: authenticated.subject.clone(),
        acr: authenticated.acr.clone(),
        amr: serde_json::to_string(&authenticated.amr)
            .map_err(|e| Failure::internal("saving a session", e))?,
        auth_time: authenticated.auth_time,
        expires_at: now + ttl,
        flow_id: record.id.clone(),
    };
    let cookie =
        format!("{SESSION_COOKIE}={secret}; Path=/; Max-Age={ttl}; Secure; HttpOnly; SameSite=Lax");
    Ok((outcome, session, cookie))
}

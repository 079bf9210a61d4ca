//! Running a step with the engine: what the engine gets with every call ([`env`]: `now`, fresh
//! entropy, the tenant's protected words and its levels of assurance), the loop that answers
//! its queries until it needs none ([`settle`], with [`crate::queries`]), the stable codes of
//! its refusals, and the lease that makes one submission cost at most one password hash.
//!
//! It leaves saving the result to [`super::writes`].

use crate::error::Failure;
use crate::queries::answer;
use crate::security::Caller;
use crate::state::AppState;
use journey_engine::{
    self as engine, Advance, Effect, EngineError, Env, Journey, NewAccount, Query,
};
use journey_protocol::ErrorCode;
use journey_store::FlowRecord;
use rand::RngCore;

/// How long a submission that hashes a password holds its flow against parallel ones; a
/// save ends it earlier (the revision moves on).
const HASH_LEASE_SECONDS: i64 = 15;

/// What the engine gets with every call of a flow of `tenant`. The tenant's name and every one
/// of its brands' names are protected words, so `settle` needs no brand and a password naming a
/// sibling brand is refused too.
pub(super) fn env(state: &AppState, tenant: &str, now: i64) -> Env {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let tenant = state.tenants.get(tenant);
    let protected_words = tenant
        .map(|t| {
            let brands = t.brands.iter().map(|brand| brand.name.clone());
            std::iter::once(t.name.clone()).chain(brands).collect()
        })
        .unwrap_or_default();
    Env {
        now,
        seed,
        protected_words,
        assurance: tenant.map(|t| t.assurance.clone()).unwrap_or_default(),
    }
}

/// Answers the engine's queries until it needs none.
pub(super) async fn settle(
    state: &AppState,
    journey: &Journey,
    tenant: &str,
    caller: &Caller,
    mut advance: Advance,
    now: i64,
) -> Result<Advance, Failure> {
    let mut effects = std::mem::take(&mut advance.effects);
    while let Some(query) = advance.query.take() {
        let answer = answer(state, tenant, caller, query, now).await?;
        advance = engine::resume(journey, advance.state, answer, &env(state, tenant, now))
            .map_err(|e| Failure::internal("resuming a flow", e))?;
        effects.append(&mut advance.effects);
    }
    advance.effects = effects;
    Ok(advance)
}

/// The stable code of a submission the engine refused; the engine's own inconsistencies are
/// internal failures.
pub(super) fn refusal(error: EngineError) -> Result<ErrorCode, Failure> {
    match error {
        EngineError::StepMismatch { .. } => Ok(ErrorCode::StepMismatch),
        EngineError::NotActive => Ok(ErrorCode::FlowEnded),
        EngineError::UnknownAction(_) => Ok(ErrorCode::ActionUnavailable),
        EngineError::UnexpectedField(_) => Ok(ErrorCode::InvalidRequest),
        EngineError::UnexpectedAnswer
        | EngineError::Inconsistent(_)
        | EngineError::UnreadableState(_) => Err(Failure::internal("submitting to a flow", error)),
    }
}

/// Whether settling `advance` hashes a password: a password check, a new account with a
/// password, a first password or a reset.
pub(super) fn hashes(advance: &Advance) -> bool {
    matches!(advance.query, Some(Query::VerifyPassword { .. }))
        || advance.effects.iter().any(|effect| {
            matches!(
                effect,
                Effect::CreateAccount(NewAccount {
                    password: Some(_),
                    ..
                }) | Effect::ResetPassword { .. }
                    | Effect::SetFirstPassword { .. }
            )
        })
}

/// One submission costs at most one password hash: parallel answers to a password step race
/// for a lease on the flow's revision, and the losers (`false`) are refused before hashing.
pub(super) async fn lease(
    state: &AppState,
    record: &FlowRecord,
    now: i64,
) -> Result<bool, Failure> {
    state
        .store
        .lease_flow(&record.id, record.revision, now, HASH_LEASE_SECONDS)
        .await
        .map_err(|e| Failure::internal("leasing a flow", e))
}

/// Gives the lease back after a busy hasher or a refused save, so the person may try again at
/// once. (After a saved refusal the revision has moved on and this changes nothing.)
pub(super) async fn release(state: &AppState, id: &str, revision: i64) {
    if let Err(e) = state.store.release_flow(id, revision).await {
        tracing::error!(error = %e, "releasing a flow's lease");
    }
}

//! Turning the engine's effects into store writes and saving them with the flow: messages
//! with their texts resolved in the flow's locale and brand, accounts and reset passwords
//! hashed (after the per-client hashing limit), consent decisions (`crate::consents`), security events, released quotas, and, when
//! the flow completes, the session of [`super::session`]. [`persist`] saves the new state with
//! all of them in one transaction, only at the revision that was read, and answers with the
//! state that is saved: a lost race or a replay writes nothing and gets the current state.
//!
//! A successful save is counted: the flow's move in the funnel (`super::funnel`) and the
//! messages it queued ([`crate::metrics`]).
//!
//! Running the step is [`super::step`]'s; this module only performs what it decided.

use super::{Answered, funnel, load, render_flow, session};
use crate::error::Failure;
use crate::events::{self, Event};
use crate::limits::{self, Action};
use crate::queries::code_guess_keys;
use crate::security::Caller;
use crate::state::AppState;
use journey_engine::{self as engine, Advance, Channel, Effect, Journey, Rejection};
use journey_protocol::{ErrorCode, Text};
use journey_store::{FlowRecord, FlowUpdate, NewMessage, Saved, StoreError, Write};

/// Saves the flow with the writes its effects need, then answers with the new state.
/// `previous` is the step the flow was at; `None` creates the flow instead of updating it.
pub(super) async fn persist(
    state: &AppState,
    journey: &Journey,
    caller: &Caller,
    mut record: FlowRecord,
    advance: Advance,
    now: i64,
    previous: Option<&str>,
) -> Result<Answered, Failure> {
    let new = previous.is_none();
    let client = caller.client();
    let mut writes = Vec::new();
    for effect in advance.effects {
        writes.extend(write_for(state, &record, &client, effect, now).await?);
    }
    let mut cookies = Vec::new();
    let mut id_token = None;
    if let (Some(authenticated), None) = (advance.state.authenticated(), &record.outcome) {
        let signed_in = session::sign_in(state, &record, caller, authenticated, now).await?;
        writes.extend(signed_in.writes);
        cookies = signed_in.cookies;
        id_token = signed_in.id_token;
        record.outcome = Some(signed_in.outcome);
    }
    record.state = advance
        .state
        .to_json()
        .map_err(|e| Failure::internal("saving a flow", e))?;
    let queued: Vec<(String, String)> = writes
        .iter()
        .filter_map(|write| match write {
            Write::Enqueue(message) => Some((message.tenant.clone(), message.channel.clone())),
            _ => None,
        })
        .collect();
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
        Ok(Saved::Saved) => {
            // A new flow is saved at revision 0; an update moves the revision on by one.
            let revision = if new {
                record.revision
            } else {
                record.revision + 1
            };
            funnel::saved(state, &record, revision, previous, &advance.state);
            for (tenant, channel) in &queued {
                state.metrics.queued(tenant, channel);
            }
        }
        Err(StoreError::Duplicate(_)) => return account_taken(state, &record.id, now).await,
        Ok(Saved::Conflict) => {
            // Someone else saved first (a parallel or replayed submission): nothing of ours was
            // written. Answer with what is saved now.
            return Err(conflict(state, &record.id, now).await);
        }
        Err(e) => return Err(Failure::internal("saving a flow", e)),
    }
    state.outbox.notify_one();
    let mut flow = render_flow(state, &record, &advance.state, journey, now)?;
    if let Some(outcome) = flow.outcome.as_mut() {
        // The answer that completed the flow carries its token.
        outcome.id_token = id_token;
    }
    match advance.rejection {
        Some(Rejection::InvalidInput) => {
            Err(Failure::refused(ErrorCode::InvalidInput).with_flow(flow))
        }
        Some(Rejection::RateLimited) => {
            Err(Failure::refused(ErrorCode::RateLimited).with_flow(flow))
        }
        None => Ok(Answered { flow, cookies }),
    }
}

/// Another flow created the same account after our duplicate check (the same person in two
/// windows): nothing of ours was written. This flow cannot go on; end it and say why. The
/// person proved they own the address, so this reveals nothing.
async fn account_taken(state: &AppState, id: &str, now: i64) -> Result<Answered, Failure> {
    let (mut record, journey, flow_state) = load(state, id).await?;
    let previous = flow_state.step().to_owned();
    let ended = engine::abandon(flow_state, Text::msg(engine::ACCOUNT_TAKEN));
    let update = FlowUpdate {
        id: record.id.clone(),
        revision: record.revision,
        state: ended
            .to_json()
            .map_err(|e| Failure::internal("saving a flow", e))?,
        outcome: None,
        id_token: None,
        now,
    };
    let saved = state
        .store
        .save_flow(update, Vec::new())
        .await
        .map_err(|e| Failure::internal("saving a flow", e))?;
    if saved == Saved::Conflict {
        // Someone else moved the flow meanwhile: answer with what is saved now.
        return Err(conflict(state, &record.id, now).await);
    }
    record.revision += 1;
    funnel::saved(state, &record, record.revision, Some(&previous), &ended);
    let flow = render_flow(state, &record, &ended, &journey, now)?;
    Ok(Answered {
        flow,
        cookies: Vec::new(),
    })
}

/// The refusal of a save that lost the race, carrying the flow as it is saved now.
async fn conflict(state: &AppState, id: &str, now: i64) -> Failure {
    let current = async {
        let (record, journey, flow_state) = load(state, id).await?;
        render_flow(state, &record, &flow_state, &journey, now)
    };
    match current.await {
        Ok(flow) => Failure::refused(ErrorCode::Conflict).with_flow(flow),
        Err(failure) => failure,
    }
}

/// The HTML part of an email of the flow's brand, in the flow's language.
fn email_html(
    state: &AppState,
    record: &FlowRecord,
    brand_name: &str,
    subject: &str,
    body: &str,
) -> String {
    let brand = state
        .tenants
        .get(&record.tenant)
        .and_then(|tenant| tenant.brand(&record.brand));
    let (primary, on_primary) = brand.map_or(
        (
            crate::tenants::DEFAULT_EMAIL_PRIMARY,
            crate::tenants::DEFAULT_EMAIL_ON_PRIMARY,
        ),
        |brand| {
            (
                brand.email.primary.as_str(),
                brand.email.on_primary.as_str(),
            )
        },
    );
    let look = crate::outbox::html::Look {
        brand: brand_name,
        primary,
        on_primary,
        locale: &record.locale,
        dir: crate::locale::direction(&record.locale),
    };
    crate::outbox::html::email(subject, body, &look)
}

/// The writes one effect needs.
async fn write_for(
    state: &AppState,
    record: &FlowRecord,
    client: &str,
    effect: Effect,
    now: i64,
) -> Result<Vec<Write>, Failure> {
    match effect {
        Effect::SaveProfile {
            subject,
            attributes,
            verified,
        } => Ok(vec![Write::UpdateProfile {
            tenant: record.tenant.clone(),
            subject,
            attributes,
            verified,
        }]),
        Effect::ConditionFailed { step, problem } => {
            // The journey's author's to fix; the flow went on as if the condition were false.
            tracing::warn!(
                tenant = %record.tenant,
                journey = %record.journey,
                %step,
                %problem,
                "a journey's condition gave no answer and did not hold"
            );
            Ok(Vec::new())
        }
        Effect::LookUpFailed {
            step,
            service,
            problem,
        } => {
            // The service's or the journey's to fix; the step went on as `unavailable`.
            tracing::warn!(
                tenant = %record.tenant,
                journey = %record.journey,
                %step,
                %service,
                %problem,
                "a look-up's answer did not fit the step's map"
            );
            Ok(Vec::new())
        }
        Effect::Send {
            channel,
            to,
            template,
            args,
            expires_at,
        } => {
            let brand = state.brand_name(&record.tenant, &record.brand);
            let subject = state.text(
                &record.locale,
                &brand,
                &format!("{template}-subject"),
                &args.0,
            );
            let body = state.text(&record.locale, &brand, &format!("{template}-body"), &args.0);
            // An email's HTML part, from the same texts, in the brand's name and colours.
            let html = match channel {
                Channel::Email => email_html(state, record, &brand.name, &subject, &body),
                Channel::Sms | Channel::Voice => String::new(),
            };
            Ok(vec![Write::Enqueue(NewMessage {
                tenant: record.tenant.clone(),
                brand: record.brand.clone(),
                locale: record.locale.clone(),
                flow_id: Some(record.id.clone()),
                channel: channel.as_str().into(),
                recipient: to,
                subject,
                body,
                html,
                created_at: now,
                expires_at,
            })])
        }
        Effect::RecordConsent {
            subject,
            item,
            version,
            decision,
        } => Ok(vec![crate::consents::write(
            record, subject, item, version, decision, now,
        )]),
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
                .await?;
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
        Effect::SetFirstPassword { subject, password } => {
            limits::check(state, &record.tenant, client, Action::HashPassword)?;
            let password_hash = state
                .hasher
                .hash(client, password.expose().to_owned())
                .await?;
            tracing::info!(tenant = %record.tenant, %subject, "a passwordless account got its first password");
            Ok(vec![Write::SetPassword {
                tenant: record.tenant.clone(),
                subject,
                password_hash,
            }])
        }
        Effect::CreateAccount(account) => {
            // An account signed up by an email code has no password: nothing to hash.
            let password_hash = match &account.password {
                Some(password) => {
                    limits::check(state, &record.tenant, client, Action::HashPassword)?;
                    Some(
                        state
                            .hasher
                            .hash(client, password.expose().to_owned())
                            .await?,
                    )
                }
                None => None,
            };
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
                        .map_err(|e| Failure::internal("saving an account", e))?,
                    password_hash,
                },
            ])
        }
    }
}

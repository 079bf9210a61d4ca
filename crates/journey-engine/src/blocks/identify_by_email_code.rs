//! `identify_by_email_code`: a passwordless way in. After the address was collected (a
//! `collect_user_data` step asking only for `email`), the server looks up its account and a
//! one-time code goes to it through the shared one-time-code module (`otp.rs`: the same
//! digits, expiry, attempts, resend and cross-flow quotas as `email_validation`). A right code
//! makes the flow that account's (its subject), marks `email` verified and adds the method
//! `otp` (RFC 8176: a one-time password, whatever carried it; `sms` is kept for text messages).
//! Outcomes: `identified`, `too_many_attempts`.
//!
//! With `create = true` (saving a quote: sign up or sign in with one step) an address without
//! an account gets a code too, and a right code creates an account with that verified address
//! and no password. With `create = false` (the default: sign in only) an address without an
//! account gets a notice instead of a code (`email-signin-unknown`), and no code verifies.
//!
//! ```text
//!   enter ──ask: which account has the address?──▶ owner kept (never shown)
//!     └──▶ otp: may a message go? ── code (known, or create) │ notice (unknown, sign-in only)
//!   right code ── known ──────▶ subject = the account ──┐
//!              └─ unknown, create ──▶ new account, no password ──┴──▶ identified
//! ```
//!
//! Either way the person sees exactly the same step, texts and timings, and the flow asks the
//! server the same questions: nothing tells whether the address has an account (ASVS 6.3.8).

use crate::kernel::{
    Answer, Block, Channel, Cx, Effect, EngineError, Example, Fact, FlowState, NewAccount, Next,
    Owner, Query, Values, ViewCx, step,
};
use crate::otp::{self, CodeMemory, Delivery, Policy, Verdict};
use crate::text::mask_email;
use journey_protocol::{BlockView, Message, MessageLevel, Step, Text};

pub(super) const NAME: &str = "identify_by_email_code";

/// The message id prefixes of the code email and of the notice sent instead.
const CODE_TEMPLATE: &str = "email-signin-code";
const NOTICE_TEMPLATE: &str = "email-signin-unknown";

const TITLE: &str = "identify-by-email-code-title";
const SENT: &str = "identify-by-email-code-sent";

struct IdentifyByEmailCode {
    /// Whether an address without an account gets a code and, with a right one, an account.
    create: bool,
    policy: Policy,
}

pub(super) fn build(mut table: toml::Table) -> Result<Box<dyn Block>, String> {
    // `create` is this block's; every other setting is the code's (`otp::Policy`).
    let create = match table.remove("create") {
        Some(toml::Value::Boolean(create)) => create,
        Some(_) => return Err("`create` must be true or false".into()),
        None => false,
    };
    Ok(Box::new(IdentifyByEmailCode {
        create,
        policy: Policy::from_settings(table)?,
    }))
}

impl IdentifyByEmailCode {
    /// Where this flow's code goes: to the collected address, if it may get one.
    fn delivery(&self, state: &FlowState) -> Result<Delivery, EngineError> {
        let subject = match state.owner("email") {
            Some(Owner::Account { subject }) => Some(subject.clone()),
            _ => None,
        };
        Ok(Delivery {
            channel: Channel::Email,
            to: state.required_attribute("email", NAME)?,
            code_template: CODE_TEMPLATE,
            notice_template: NOTICE_TEMPLATE,
            gets_code: self.create || subject.is_some(),
            subject,
        })
    }

    /// The right code: the flow becomes the account's, made now when it has none.
    fn identified(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let subject = match cx.state.owner("email") {
            Some(Owner::Account { subject }) => subject.clone(),
            // Only `create` sends a code to an address without an account (`delivery`).
            _ if self.create => {
                let email = cx.state.required_attribute("email", NAME)?;
                let attributes = cx
                    .state
                    .data
                    .iter()
                    .filter(|(name, _)| name.as_str() != "email")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let subject = cx.random_id();
                cx.effect(Effect::CreateAccount(NewAccount {
                    subject: subject.clone(),
                    email,
                    attributes,
                    password: None,
                }));
                cx.state.owners.insert(
                    "email".into(),
                    Owner::Account {
                        subject: subject.clone(),
                    },
                );
                subject
            }
            _ => {
                return Err(EngineError::Inconsistent(
                    "identify_by_email_code verified an address without an account".into(),
                ));
            }
        };
        cx.state.subject = Some(subject);
        cx.state.verified.insert("email".into());
        cx.state.amr.push("otp".into());
        Ok(Next::go("identified"))
    }
}

impl Block for IdentifyByEmailCode {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["identified".into(), "too_many_attempts".into()]
    }

    fn channels(&self) -> Vec<Channel> {
        vec![Channel::Email]
    }

    fn message_ids(&self) -> Vec<String> {
        let templates: &[&str] = if self.create {
            &[CODE_TEMPLATE]
        } else {
            &[CODE_TEMPLATE, NOTICE_TEMPLATE]
        };
        [TITLE, SENT]
            .iter()
            .chain(otp::MESSAGE_IDS)
            .map(|id| (*id).to_owned())
            .chain(
                templates
                    .iter()
                    .flat_map(|t| [format!("{t}-subject"), format!("{t}-body")]),
            )
            .collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        // Asked for every address alike, so known and unknown ones take the same way.
        let email = cx.state.required_attribute("email", NAME)?;
        Ok(Next::Ask(Query::FindAccount { email }))
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        let delivery = self.delivery(cx.state)?;
        otp::submit::<CodeMemory>(cx, &self.policy, &delivery, action, values)
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        if let Answer::Account(account) = answer {
            let owner = match account {
                Some(subject) => Owner::Account { subject },
                None => Owner::Nobody,
            };
            cx.state.owners.insert("email".into(), owner);
            let delivery = self.delivery(cx.state)?;
            return otp::enter(cx, &delivery);
        }
        let delivery = self.delivery(cx.state)?;
        match otp::answer::<CodeMemory>(cx, &self.policy, &delivery, answer)? {
            Verdict::Verified => self.identified(cx),
            Verdict::Locked => Ok(Next::go("too_many_attempts")),
            Verdict::Next(next) => Ok(next),
        }
    }

    fn requires(&self) -> &'static [Fact] {
        &[Fact::Email]
    }

    fn provides(&self, outcome: &str) -> &'static [Fact] {
        match outcome {
            // The address was looked up, proven, and is the flow's account's.
            "identified" => &[
                Fact::EmailVerified,
                Fact::DuplicateChecked,
                Fact::AccountLookedUp,
                Fact::Subject,
            ],
            _ => &[],
        }
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let code = cx
            .memory::<CodeMemory>()?
            .unwrap_or_else(|| CodeMemory::unsent(cx.now()));
        let email = cx.state().attribute("email").unwrap_or("");
        let view = BlockView::IdentifyByEmailCode {
            email_masked: mask_email(email),
            code_length: self.policy.code_length,
            attempts_left: code.attempts_left(&self.policy),
            resend_available_in: code.resend_in(cx.now()),
        };
        let mut step = step(cx.step(), NAME, Text::msg(TITLE), view);
        step.fields.push(otp::code_field(&self.policy));
        step.actions = otp::actions(&self.policy, &code, cx.now());
        if code.is_live() {
            let sent = Text::msg(SENT)
                .arg("email", mask_email(email))
                .arg("minutes", self.policy.minutes());
            step.messages.push(Message::new(MessageLevel::Info, sent));
        }
        Ok(step)
    }

    fn examples(&self, now: i64) -> Result<Vec<Example>, EngineError> {
        let policy = &self.policy;
        let cooldown = i64::from(policy.resend_cooldown_seconds);
        let at = |name, memory: CodeMemory| {
            Example::new(name, NAME)
                .attribute("email", "jane.doe@example.com")
                .memory(&memory)
        };
        Ok(vec![
            at("code_sent", CodeMemory::example(policy, now, 1, 0, 0))?,
            at("wrong_code", CodeMemory::example(policy, now, 1, 2, 5))?
                .field_error("code", otp::wrong_code(policy.max_attempts - 2)),
            at(
                "code_expired",
                CodeMemory::example(policy, now, 1, 0, i64::from(policy.code_ttl_seconds)),
            )?
            .field_error("code", Text::msg("error-code-expired")),
            at(
                "resend_available",
                CodeMemory::example(policy, now, 1, 0, cooldown),
            )?,
            at("code_resent", CodeMemory::example(policy, now, 2, 0, 0))?
                .step_message(MessageLevel::Success, Text::msg("note-code-resent")),
            at("guesses_paused", CodeMemory::example(policy, now, 1, 0, 5))?
                .field_error("code", otp::paused(Channel::Email, 1800)),
        ])
    }
}

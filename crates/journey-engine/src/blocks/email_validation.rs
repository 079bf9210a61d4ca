//! `email_validation`: proves the person controls the collected address with a one-time code.
//!
//! The code itself (drawing, digest, expiry, attempts, resend timing, the quotas across flows)
//! is the shared one-time-code module's (`otp.rs`, whose diagram shows the states); this block
//! says where the code goes and what a right one proves. A right code marks the address
//! verified and adds `otp` to the methods used. Outcomes: `verified`, `too_many_attempts`.
//!
//! With `purpose = "registration"` (the default, after `duplicate_check`) the code goes only to
//! an address without an account, and the owner of a taken address gets a notice instead. With
//! `purpose = "recovery"` (after `find_account`) the roles swap: the code goes only to an
//! address that has an account, and an address without one gets a notice. Either way the
//! person in the flow sees the same step, so it tells nothing about who has an account.

use crate::kernel::{
    Answer, Block, Channel, Cx, EngineError, Example, Fact, FlowState, Next, Owner, Values, ViewCx,
    step,
};
use crate::otp::{self, CodeMemory, Delivery, Policy, Verdict};
use crate::text::mask_email;
use journey_protocol::{BlockView, Message, MessageLevel, Step, Text};
use serde::Deserialize;

pub(super) const NAME: &str = "email_validation";

/// Whose code this is: a new account's, or an existing account's (recovery).
#[derive(Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Purpose {
    /// Registration: the code goes to an address without an account; the owner of a taken
    /// address gets a notice instead.
    #[default]
    Registration,
    /// Recovery: the code goes to an address with an account (after `find_account`); an
    /// address without one gets a notice instead.
    Recovery,
}

impl Purpose {
    /// The message id prefixes of the code email and of the notice sent instead.
    fn templates(self) -> (&'static str, &'static str) {
        match self {
            Self::Registration => ("email-verification-code", "email-account-exists"),
            Self::Recovery => ("email-recovery-code", "email-recovery-unknown"),
        }
    }
}

struct EmailValidation {
    purpose: Purpose,
    policy: Policy,
}

pub(super) fn build(mut table: toml::Table) -> Result<Box<dyn Block>, String> {
    // `purpose` is this block's; every other setting is the code's (`otp::Policy`).
    let purpose = match table.remove("purpose") {
        Some(value) => value
            .try_into()
            .map_err(|e: toml::de::Error| format!("`purpose`: {}", e.message()))?,
        None => Purpose::default(),
    };
    Ok(Box::new(EmailValidation {
        purpose,
        policy: Policy::from_settings(table)?,
    }))
}

impl EmailValidation {
    /// Where this flow's code goes: to the collected address, if its owner may get one.
    fn delivery(&self, state: &FlowState) -> Result<Delivery, EngineError> {
        let owner = state.owner("email");
        let (code_template, notice_template) = self.purpose.templates();
        let (gets_code, subject) = match (self.purpose, owner) {
            // Without a duplicate check the address counts as new, as it always did.
            (Purpose::Registration, Some(Owner::Someone | Owner::Account { .. })) => (false, None),
            (Purpose::Registration, _) => (true, None),
            (Purpose::Recovery, Some(Owner::Account { subject })) => (true, Some(subject.clone())),
            (Purpose::Recovery, _) => (false, None),
        };
        Ok(Delivery {
            channel: Channel::Email,
            to: state.required_attribute("email", NAME)?,
            code_template,
            notice_template,
            gets_code,
            subject,
        })
    }

    /// The step's code memory; a step not yet entered shows as before its first message.
    fn code(cx: &ViewCx<'_>) -> Result<CodeMemory, EngineError> {
        Ok(cx
            .memory::<CodeMemory>()?
            .unwrap_or_else(|| CodeMemory::unsent(cx.now())))
    }

    /// The note that says where the code went and how long it lasts.
    fn sent(&self, email: &str) -> Text {
        Text::msg("email-validation-sent")
            .arg("email", mask_email(email))
            .arg("minutes", self.policy.minutes())
    }
}

impl Block for EmailValidation {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["verified".into(), "too_many_attempts".into()]
    }

    fn channels(&self) -> Vec<Channel> {
        vec![Channel::Email]
    }

    fn message_ids(&self) -> Vec<String> {
        let (code, notice) = self.purpose.templates();
        ["email-validation-title", "email-validation-sent"]
            .iter()
            .chain(otp::MESSAGE_IDS)
            .map(|id| (*id).to_owned())
            .chain(
                [code, notice]
                    .into_iter()
                    .flat_map(|t| [format!("{t}-subject"), format!("{t}-body")]),
            )
            .collect()
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let delivery = self.delivery(cx.state)?;
        otp::enter(cx, &delivery)
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        let delivery = self.delivery(cx.state)?;
        otp::submit::<CodeMemory>(cx, &self.policy, &delivery, action, values)
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        let delivery = self.delivery(cx.state)?;
        Ok(
            match otp::answer::<CodeMemory>(cx, &self.policy, &delivery, answer)? {
                Verdict::Verified => {
                    cx.state.verified.insert("email".into());
                    cx.state.amr.push("otp".into());
                    Next::go("verified")
                }
                Verdict::Locked => Next::go("too_many_attempts"),
                Verdict::Next(next) => next,
            },
        )
    }

    fn requires(&self) -> &'static [Fact] {
        match self.purpose {
            Purpose::Registration => &[Fact::Email],
            Purpose::Recovery => &[Fact::Email, Fact::AccountLookedUp],
        }
    }

    fn provides(&self, outcome: &str) -> &'static [Fact] {
        match (outcome, self.purpose) {
            ("verified", Purpose::Registration) => &[Fact::EmailVerified],
            ("verified", Purpose::Recovery) => &[Fact::EmailVerified, Fact::AccountAddressVerified],
            _ => &[],
        }
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let code = Self::code(cx)?;
        let email = cx.state().attribute("email").unwrap_or("");
        let view = BlockView::EmailValidation {
            email_masked: mask_email(email),
            code_length: self.policy.code_length,
            attempts_left: code.attempts_left(&self.policy),
            resend_available_in: code.resend_in(cx.now()),
        };
        let mut step = step(cx.step(), NAME, Text::msg("email-validation-title"), view);
        step.fields.push(otp::code_field(&self.policy));
        step.actions = otp::actions(&self.policy, &code, cx.now());
        // Nothing was sent when the per-recipient cap refused the message; the step's error
        // note says so instead.
        if code.is_live() {
            step.messages
                .push(Message::new(MessageLevel::Info, self.sent(email)));
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
            at("wrong_format", CodeMemory::example(policy, now, 1, 0, 5))?
                .field_error("code", otp::format_error(policy)),
            at(
                "code_expired",
                CodeMemory::example(policy, now, 1, 0, i64::from(policy.code_ttl_seconds)),
            )?
            .field_error("code", Text::msg("error-code-expired")),
            at(
                "waiting_for_resend",
                CodeMemory::example(policy, now, 1, 0, cooldown / 2),
            )?
            .step_message(
                MessageLevel::Error,
                otp::resend_wait(
                    policy.resend_cooldown_seconds - policy.resend_cooldown_seconds / 2,
                ),
            ),
            at(
                "resend_available",
                CodeMemory::example(policy, now, 1, 0, cooldown),
            )?,
            at("code_resent", CodeMemory::example(policy, now, 2, 0, 0))?
                .step_message(MessageLevel::Success, Text::msg("note-code-resent")),
            at(
                "last_code_sent",
                CodeMemory::example(policy, now, policy.max_sends, 0, cooldown),
            )?,
            at("guesses_paused", CodeMemory::example(policy, now, 1, 0, 5))?
                .field_error("code", otp::paused(Channel::Email, 1800)),
            at(
                "message_cap_reached",
                CodeMemory::example(policy, now, 1, 0, 0).refused(policy, now),
            )?
            .step_message(MessageLevel::Error, Text::msg("error-message-cap")),
        ])
    }
}

//! `phone_number_verification`: asks for a phone number and proves the person controls it with
//! a one-time code sent by SMS or read out in a voice call (issue 8). Outcomes: `verified`,
//! `too_many_attempts`.
//!
//! The number is read as people type it (`phone.rs`: at home in `default_country` or abroad,
//! in one of the step's `countries`, kept in E.164) and becomes the flow's unverified
//! `phone_number`; the code (drawing, digest, expiry, attempts, resend timing, the cross-flow
//! quotas) is the shared one-time-code module's (`otp.rs`), kept in this block's memory beside
//! the number, the channel and the stage ([`otp::CodeSlot`]). An SMS goes only to a number that
//! can take one; any valid number can take a call. A right code marks `phone_number` verified
//! and adds the method `sms` or `tel` (RFC 8176), not `otp`: a tenant's policy that asks for
//! `["otp", "sms"]` asks for an email code and an SMS code, two proofs, which one SMS code
//! must not fulfil alone.
//!
//! When the flow knows its account, the step first reads the account's profile (as
//! `profile_completion` does): a number the account has verified is not asked again (the step
//! follows `verified` at once), and an unverified one fills the number field.
//!
//! ```text
//!   enter ──(account? read its profile)── phone_number verified? ──▶ verified
//!     └─▶ number stage ── send: number ok, SMS possible, resend rules ──ask──▶ code stage
//!           ▲                 └─ otherwise: the field says why, the typed number stays
//!           └── change_number (code void; messages and cool-down stay) ── code stage
//!                 submit / resend (otp) · switch_channel: a resend by the other channel
//!                 right code ──▶ verified        last wrong code ──▶ too_many_attempts
//! ```
//!
//! Every message counts against the step's `max_sends`, whichever number or channel it went to,
//! so changing the number or the channel brings no fresh messages (SMS pumping).

use crate::kernel::{
    Answer, Block, Channel, Cx, EngineError, Example, Next, Query, Rejection, Values, ViewCx,
    action, field, only_fields, step,
};
use crate::otp::{self, CodeMemory, CodeSlot, Delivery, Policy, Reason, Verdict};
use crate::phone::{self, Problem};
use crate::text::mask_phone;
use journey_protocol::{
    Action, ActionKind, BlockView, Field, FieldKind, FieldOption, Message, MessageLevel,
    PhoneStage, Step, Text,
};
use serde::{Deserialize, Serialize};

pub(super) const NAME: &str = "phone_number_verification";

/// The flow attribute the block fills and proves.
const ATTRIBUTE: &str = "phone_number";
const TITLE: &str = "phone-verification-title";
/// The message ids this block shows beyond the code's and the number's problems.
const OWN_IDS: &[&str] = &[
    TITLE,
    "field-phone-number",
    "field-phone-number-hint",
    "field-phone-channel",
    "phone-channel-sms",
    "phone-channel-voice",
    "action-send-code",
    "phone-verification-sent-sms",
    "phone-verification-sent-voice",
    "phone-verification-code-hint",
    "action-change-number",
    "action-call-instead",
    "action-text-instead",
    "error-phone-no-sms-only",
    "error-choice-invalid",
];

struct PhoneNumberVerification {
    /// The countries whose numbers are accepted (ISO 3166-1 alpha-2).
    countries: Vec<String>,
    /// Where a number without an international prefix is read.
    default_country: String,
    /// The channels offered, the first chosen unless the person picks another.
    channels: Vec<Channel>,
    policy: Policy,
}

pub(super) fn build(mut table: toml::Table) -> Result<Box<dyn Block>, String> {
    phone::load_metadata();
    // `countries`, `default_country` and `channels` are this block's; every other setting is
    // the code's (`otp::Policy`).
    let countries: Vec<String> = take(&mut table, "countries")?.ok_or(
        "`countries` must name the countries whose numbers are accepted, such as [\"NL\"]",
    )?;
    if countries.is_empty() {
        return Err("`countries` must name at least one country".into());
    }
    if let Some(bad) = countries.iter().find(|c| !phone::is_country(c)) {
        return Err(format!(
            "`countries`: `{bad}` is not a country code (ISO 3166-1 alpha-2, upper case, such as \"NL\")"
        ));
    }
    let default_country: String = match take(&mut table, "default_country")? {
        Some(country) => country,
        None => countries[0].clone(),
    };
    if !countries.contains(&default_country) {
        return Err(format!(
            "`default_country` is `{default_country}`, which is not one of `countries`"
        ));
    }
    let names: Vec<String> =
        take(&mut table, "channels")?.unwrap_or_else(|| vec!["sms".to_owned(), "voice".to_owned()]);
    let mut channels = Vec::new();
    for name in &names {
        let channel = match name.as_str() {
            "sms" => Channel::Sms,
            "voice" => Channel::Voice,
            other => {
                return Err(format!(
                    "`channels`: `{other}` is not a channel; use \"sms\", \"voice\" or both"
                ));
            }
        };
        if channels.contains(&channel) {
            return Err(format!("`channels` names `{name}` twice"));
        }
        channels.push(channel);
    }
    if channels.is_empty() {
        return Err("`channels` must name at least one of \"sms\" and \"voice\"".into());
    }
    Ok(Box::new(PhoneNumberVerification {
        countries,
        default_country,
        channels,
        policy: Policy::from_settings(table)?,
    }))
}

/// Takes the setting `key` out of `table`, typed.
fn take<T: serde::de::DeserializeOwned>(
    table: &mut toml::Table,
    key: &str,
) -> Result<Option<T>, String> {
    table
        .remove(key)
        .map(|value| {
            value
                .try_into()
                .map_err(|e: toml::de::Error| format!("`{key}`: {}", e.message()))
        })
        .transpose()
}

/// Which part of the step the person is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    /// The number is asked for.
    Number,
    /// A code was asked for to the number.
    Code,
}

/// What the step remembers: where it is, the number and channel of the code, and the code.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Memory {
    stage: Stage,
    /// The number the code goes to (E.164), once the person gave one.
    number: Option<String>,
    /// Whether that number can take an SMS.
    takes_sms: bool,
    /// How the code goes.
    channel: Channel,
    code: CodeMemory,
}

impl CodeSlot for Memory {
    fn code(&self) -> &CodeMemory {
        &self.code
    }

    fn set_code(&mut self, code: CodeMemory) {
        self.code = code;
    }
}

impl Memory {
    /// At the number stage, nothing sent.
    fn new(channel: Channel, now: i64) -> Self {
        Self {
            stage: Stage::Number,
            number: None,
            takes_sms: false,
            channel,
            code: CodeMemory::unsent(now),
        }
    }

    /// At the code stage, a code out to `number` by `channel`.
    fn sent(number: &str, takes_sms: bool, channel: Channel, code: CodeMemory) -> Self {
        Self {
            stage: Stage::Code,
            number: Some(number.to_owned()),
            takes_sms,
            channel,
            code,
        }
    }
}

/// The message id prefix of the message with the code.
fn template(channel: Channel) -> &'static str {
    match channel {
        Channel::Voice => "voice-verification-code",
        _ => "sms-verification-code",
    }
}

/// The other channel, for `switch_channel`.
fn other(channel: Channel) -> Channel {
    match channel {
        Channel::Voice => Channel::Sms,
        _ => Channel::Voice,
    }
}

/// A number kept in E.164 as the person reads it, masked.
fn masked(e164: &str) -> String {
    mask_phone(&phone::international(e164).unwrap_or_else(|| e164.to_owned()))
}

impl PhoneNumberVerification {
    fn memory(cx: &Cx<'_>) -> Result<Memory, EngineError> {
        cx.memory()?
            .ok_or_else(|| EngineError::Inconsistent("a phone step has no memory".into()))
    }

    /// Where the code goes: the number given, by the channel chosen.
    fn delivery(memory: &Memory) -> Result<Delivery, EngineError> {
        let to = memory.number.clone().ok_or_else(|| {
            EngineError::Inconsistent("a phone step sends a code before it has a number".into())
        })?;
        let template = template(memory.channel);
        Ok(Delivery {
            channel: memory.channel,
            to,
            code_template: template,
            notice_template: template,
            // Nobody else's account is at stake: the code proves the number, nothing more.
            gets_code: true,
            subject: None,
        })
    }

    fn both_channels(&self) -> bool {
        self.channels.len() > 1
    }

    /// Goes on when the flow has a verified number already, else waits at the number stage.
    fn arrived(cx: &mut Cx<'_>) -> Next {
        if cx.state.is_verified(ATTRIBUTE) {
            Next::go("verified")
        } else {
            Next::Stay
        }
    }

    /// The channel the person chose: the only one, or the `channel` field's.
    fn chosen(&self, values: &Values) -> Result<Channel, Text> {
        if !self.both_channels() {
            return Ok(self.channels[0]);
        }
        match values.get("channel").map(String::as_str).unwrap_or("") {
            "" => Err(Text::msg("error-required")),
            "sms" => Ok(Channel::Sms),
            "voice" => Ok(Channel::Voice),
            _ => Err(Text::msg("error-choice-invalid")),
        }
    }

    /// The number stage's `send`: checks the number and the channel, then asks whether the
    /// first code to that number may go.
    fn send(
        &self,
        cx: &mut Cx<'_>,
        mut memory: Memory,
        values: &Values,
    ) -> Result<Next, EngineError> {
        let allowed: &[&str] = if self.both_channels() {
            &[ATTRIBUTE, "channel"]
        } else {
            &[ATTRIBUTE]
        };
        only_fields(values, allowed)?;
        let typed = values.get(ATTRIBUTE).map(String::as_str).unwrap_or("");
        let channel = self.chosen(values);
        let number = phone::parse(typed, Some(&self.default_country), &self.countries);
        let number = match (number, &channel) {
            (Ok(number), Ok(Channel::Sms)) if !number.takes_sms => Err(if self.both_channels() {
                Problem::NoSms.message()
            } else {
                Text::msg("error-phone-no-sms-only")
            }),
            (number, _) => number.map_err(|problem| problem.message()),
        };
        let (number, channel) = match (number, channel) {
            (Ok(number), Ok(channel)) => (number, channel),
            (number, channel) => {
                if let Err(text) = number {
                    cx.field_error(ATTRIBUTE, text);
                }
                if let Err(text) = channel {
                    cx.field_error("channel", text);
                }
                self.echo(cx, values);
                return Ok(Next::Reject(Rejection::InvalidInput));
            }
        };
        // A second number is another message of the step's, under the same rules as a resend.
        if let Some(refused) = otp::resend_refused(cx, &self.policy, &memory.code) {
            self.echo(cx, values);
            return Ok(refused);
        }
        cx.state.set_attribute(ATTRIBUTE, number.e164.clone());
        memory.number = Some(number.e164);
        memory.takes_sms = number.takes_sms;
        memory.channel = channel;
        cx.set_memory(&memory)?;
        let sends = memory.code.sends() + 1;
        otp::ask_to_send(cx, &Self::delivery(&memory)?, sends, Reason::Submitted)
    }

    /// Shows what was typed again after a refusal (never more than a number may have).
    fn echo(&self, cx: &mut Cx<'_>, values: &Values) {
        cx.state.echo = values
            .iter()
            .filter(|(_, v)| v.chars().count() <= phone::INPUT_MAX)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    }

    /// The right code: the number is the person's.
    fn verified(cx: &mut Cx<'_>, memory: &Memory) -> Result<Next, EngineError> {
        let delivery = Self::delivery(memory)?;
        cx.state.set_attribute(ATTRIBUTE, delivery.to);
        cx.state.verified.insert(ATTRIBUTE.into());
        let method = match memory.channel {
            Channel::Voice => "tel",
            _ => "sms",
        };
        if !cx.state.amr.iter().any(|m| m == method) {
            cx.state.amr.push(method.into());
        }
        Ok(Next::go("verified"))
    }

    /// The fields and actions of the number stage.
    fn number_stage(&self, cx: &ViewCx<'_>, memory: &Memory, step: &mut Step) {
        let echo = &cx.state().echo;
        let number = echo.get(ATTRIBUTE).cloned().or_else(|| {
            // An unverified number the flow or the account has; a verified one skips the step.
            cx.state()
                .attribute(ATTRIBUTE)
                .map(|n| phone::international(n).unwrap_or_else(|| n.to_owned()))
        });
        step.fields.push(Field {
            autocomplete: Some("tel".into()),
            max_length: Some(phone::INPUT_MAX as u32),
            hint: Some(Text::msg("field-phone-number-hint")),
            value: number,
            ..field(ATTRIBUTE, FieldKind::Phone, "field-phone-number")
        });
        if self.both_channels() {
            let chosen = echo
                .get("channel")
                .cloned()
                .unwrap_or_else(|| memory.channel.as_str().to_owned());
            step.fields.push(Field {
                options: self
                    .channels
                    .iter()
                    .map(|c| FieldOption {
                        value: c.as_str().to_owned(),
                        label: Text::msg(format!("phone-channel-{}", c.as_str())),
                    })
                    .collect(),
                value: Some(chosen),
                ..field("channel", FieldKind::Choice, "field-phone-channel")
            });
        }
        let wait = memory.code.resend_in(cx.now());
        step.actions.push(Action {
            submits_fields: true,
            available_in: (wait > 0).then_some(wait),
            hint: (wait > 0).then(|| Text::msg("action-resend-wait").arg("seconds", wait)),
            ..action("send", ActionKind::Primary, "action-send-code")
        });
    }

    /// The fields, actions and note of the code stage.
    fn code_stage(&self, cx: &ViewCx<'_>, memory: &Memory, step: &mut Step) {
        let code = &memory.code;
        step.fields.push(Field {
            hint: Some(
                Text::msg("phone-verification-code-hint").arg("length", self.policy.code_length),
            ),
            ..otp::code_field(&self.policy)
        });
        step.actions = otp::actions(&self.policy, code, cx.now());
        if code.may_resend(&self.policy) {
            let switch_to = other(memory.channel);
            if self.both_channels() && (switch_to == Channel::Voice || memory.takes_sms) {
                let wait = code.resend_in(cx.now());
                let label = match switch_to {
                    Channel::Voice => "action-call-instead",
                    _ => "action-text-instead",
                };
                step.actions.push(Action {
                    available_in: (wait > 0).then_some(wait),
                    ..action("switch_channel", ActionKind::Secondary, label)
                });
            }
            step.actions.push(action(
                "change_number",
                ActionKind::Secondary,
                "action-change-number",
            ));
        }
        // Nothing was sent when the per-recipient cap refused the message; the step's error
        // note says so instead.
        if code.is_live() {
            let sent = Text::msg(format!(
                "phone-verification-sent-{}",
                memory.channel.as_str()
            ))
            .arg("phone", masked(memory.number.as_deref().unwrap_or("")))
            .arg("minutes", self.policy.minutes());
            step.messages.push(Message::new(MessageLevel::Info, sent));
        }
    }
}

impl Block for PhoneNumberVerification {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> Vec<String> {
        vec!["verified".into(), "too_many_attempts".into()]
    }

    fn channels(&self) -> Vec<Channel> {
        self.channels.clone()
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = OWN_IDS
            .iter()
            .chain(otp::MESSAGE_IDS)
            .chain(otp::PHONE_MESSAGE_IDS)
            .chain(&Problem::MESSAGE_IDS)
            .map(|id| (*id).to_owned())
            .chain(self.channels.iter().flat_map(|c| {
                let t = template(*c);
                [format!("{t}-subject"), format!("{t}-body")]
            }))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    fn enter(&self, cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        let now = cx.now();
        cx.set_memory(&Memory::new(self.channels[0], now))?;
        match cx.state.subject.clone() {
            Some(subject) => cx.ask(Query::AccountProfile { subject }, &()),
            None => Ok(Self::arrived(cx)),
        }
    }

    fn submit(&self, cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        let mut memory = Self::memory(cx)?;
        match (memory.stage, action) {
            (Stage::Number, "send") => self.send(cx, memory, values),
            (Stage::Code, "submit" | "resend") => {
                let delivery = Self::delivery(&memory)?;
                otp::submit::<Memory>(cx, &self.policy, &delivery, action, values)
            }
            // Offered while another message may go (else the number stage would be a dead end).
            (Stage::Code, "change_number") if memory.code.may_resend(&self.policy) => {
                only_fields(values, &["code"])?;
                memory.stage = Stage::Number;
                memory.code = memory.code.voided();
                cx.set_memory(&memory)?;
                Ok(Next::Stay)
            }
            (Stage::Code, "switch_channel")
                if self.both_channels()
                    && (memory.takes_sms || other(memory.channel) == Channel::Voice) =>
            {
                only_fields(values, &["code"])?;
                if let Some(refused) = otp::resend_refused(cx, &self.policy, &memory.code) {
                    return Ok(refused);
                }
                memory.channel = other(memory.channel);
                cx.set_memory(&memory)?;
                let sends = memory.code.sends() + 1;
                otp::ask_to_send(cx, &Self::delivery(&memory)?, sends, Reason::Resend)
            }
            (_, other) => Err(EngineError::UnknownAction(other.to_owned())),
        }
    }

    fn answer(&self, cx: &mut Cx<'_>, answer: Answer) -> Result<Next, EngineError> {
        if let Answer::AccountProfile(profile) = answer {
            cx.take_pending::<()>()?
                .ok_or(EngineError::UnexpectedAnswer)?;
            if let Some(profile) = profile {
                cx.state.add_account(profile);
            }
            return Ok(Self::arrived(cx));
        }
        let memory = Self::memory(cx)?;
        let delivery = Self::delivery(&memory)?;
        match otp::answer::<Memory>(cx, &self.policy, &delivery, answer)? {
            Verdict::Verified => Self::verified(cx, &memory),
            Verdict::Locked => Ok(Next::go("too_many_attempts")),
            Verdict::Next(next) => {
                // A code went out from the number stage: the code stage shows. A refused one
                // leaves the person at the number, whose field still holds it.
                let mut memory = Self::memory(cx)?;
                if memory.stage == Stage::Number && memory.code.is_live() {
                    memory.stage = Stage::Code;
                    cx.set_memory(&memory)?;
                }
                Ok(next)
            }
        }
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let memory = cx
            .memory::<Memory>()?
            .unwrap_or_else(|| Memory::new(self.channels[0], cx.now()));
        let code = &memory.code;
        let (stage, phone_masked) = match (memory.stage, &memory.number) {
            (Stage::Code, Some(number)) => (PhoneStage::Code, masked(number)),
            (Stage::Code, None) => (PhoneStage::Code, String::new()),
            (Stage::Number, _) => (PhoneStage::Number, String::new()),
        };
        let view = BlockView::PhoneNumberVerification {
            stage,
            phone_masked,
            channel: memory.channel.as_str().to_owned(),
            code_length: self.policy.code_length,
            attempts_left: code.attempts_left(&self.policy),
            resend_available_in: code.resend_in(cx.now()),
        };
        let mut step = step(cx.step(), NAME, Text::msg(TITLE), view);
        match memory.stage {
            Stage::Number => self.number_stage(cx, &memory, &mut step),
            Stage::Code => self.code_stage(cx, &memory, &mut step),
        }
        Ok(step)
    }

    fn examples(&self, now: i64) -> Result<Vec<Example>, EngineError> {
        let policy = &self.policy;
        let cooldown = i64::from(policy.resend_cooldown_seconds);
        let first = self.channels[0];
        let number = |name| Example::new(name, NAME).memory(&Memory::new(first, now));
        let mobile = "+31612345678";
        let landline = "+31201234567";
        let sms = |name, code| {
            Example::new(name, NAME)
                .attribute(ATTRIBUTE, mobile)
                .memory(&Memory::sent(mobile, true, Channel::Sms, code))
        };
        let mut examples = vec![
            number("number_empty")?,
            number("number_known")?.attribute(ATTRIBUTE, mobile),
            number("number_invalid")?
                .echo(ATTRIBUTE, "06 1234")
                .field_error(ATTRIBUTE, Problem::Invalid.message()),
            number("country_not_allowed")?
                .echo(ATTRIBUTE, "+44 7400 123456")
                .field_error(ATTRIBUTE, Problem::CountryNotAllowed.message()),
        ];
        if self.channels.contains(&Channel::Sms) {
            let no_sms = if self.both_channels() {
                Problem::NoSms.message()
            } else {
                Text::msg("error-phone-no-sms-only")
            };
            examples.push(
                number("no_sms")?
                    .echo(ATTRIBUTE, "020 123 4567")
                    .echo("channel", "sms")
                    .field_error(ATTRIBUTE, no_sms),
            );
            examples.extend([
                sms("code_sent_sms", CodeMemory::example(policy, now, 1, 0, 0))?,
                sms("wrong_code", CodeMemory::example(policy, now, 1, 2, 5))?
                    .field_error("code", otp::wrong_code(policy.max_attempts - 2)),
                sms(
                    "code_expired",
                    CodeMemory::example(policy, now, 1, 0, i64::from(policy.code_ttl_seconds)),
                )?
                .field_error("code", Text::msg("error-code-expired")),
                sms(
                    "waiting_for_resend",
                    CodeMemory::example(policy, now, 1, 0, cooldown / 2),
                )?
                .step_message(
                    MessageLevel::Error,
                    otp::resend_wait(
                        policy.resend_cooldown_seconds - policy.resend_cooldown_seconds / 2,
                    ),
                ),
                sms("code_resent", CodeMemory::example(policy, now, 2, 0, 0))?
                    .step_message(MessageLevel::Success, Text::msg("note-code-resent")),
                sms(
                    "last_code_sent",
                    CodeMemory::example(policy, now, policy.max_sends, 0, cooldown),
                )?,
                sms("guesses_paused", CodeMemory::example(policy, now, 1, 0, 5))?
                    .field_error("code", otp::paused(Channel::Sms, 1800)),
            ]);
        }
        if self.channels.contains(&Channel::Voice) {
            let code = CodeMemory::example(policy, now, 1, 0, 0);
            examples.push(
                Example::new("code_sent_voice", NAME)
                    .attribute(ATTRIBUTE, landline)
                    .memory(&Memory::sent(landline, false, Channel::Voice, code))?,
            );
        }
        examples.push(
            number("message_cap_reached")?
                .attribute(ATTRIBUTE, mobile)
                .memory(&Memory {
                    code: CodeMemory::unsent(now).refused(policy, now),
                    ..Memory::new(first, now)
                })?
                .step_message(MessageLevel::Error, otp::message_cap(first)),
        );
        Ok(examples)
    }
}

//! Phone number verification (`phone_number_verification`): a number read as people type it, a
//! code by SMS or by a call, the methods it adds, the resend rules across numbers and channels,
//! refusals beside the field (never a panic), and the step passed over when the account has a
//! verified number already.

use super::*;
use journey_protocol::{FieldKind, PhoneStage};

const PHONE: &str = include_str!("../fixtures/phone.toml");

/// An account with an email and, when given, a phone number (verified or not).
fn account(phone: Option<(&str, bool)>) -> AccountProfile {
    let mut profile = AccountProfile::default();
    profile
        .attributes
        .insert("email".into(), "jane@example.com".into());
    profile.verified.insert("email".into());
    if let Some((number, verified)) = phone {
        profile
            .attributes
            .insert("phone_number".into(), number.into());
        if verified {
            profile.verified.insert("phone_number".into());
        }
    }
    profile
}

/// A flow signed in as `s1`, whose account holds `profile`, past the login step.
fn signed_in(journey: &Journey, profile: AccountProfile) -> Runner<'_> {
    let mut runner = Runner::start(journey);
    runner.profiles = Some(Some(profile));
    let login = [
        ("email", "jane@example.com"),
        ("password", "correct horse battery"),
    ];
    runner.submit("login", "submit", &login).unwrap();
    runner.answer(Answer::Password(PasswordCheck::Verified {
        subject: "s1".into(),
    }));
    runner
}

/// A flow at the number stage of the phone step.
fn at_number(journey: &Journey) -> Runner<'_> {
    let runner = signed_in(journey, account(None));
    assert_eq!(runner.state.step(), "phone");
    assert_eq!(shown(&runner).0, PhoneStage::Number);
    runner
}

fn step_of(runner: &Runner<'_>) -> Step {
    view(runner.journey, &runner.state, T0 + 1)
        .unwrap()
        .unwrap()
}

/// The stage, the masked number and the channel the step shows.
fn shown(runner: &Runner<'_>) -> (PhoneStage, String, String) {
    match step_of(runner).view {
        BlockView::PhoneNumberVerification {
            stage,
            phone_masked,
            channel,
            ..
        } => (stage, phone_masked, channel),
        other => panic_free_fail(&format!("not a phone step: {other:?}")),
    }
}

fn actions(runner: &Runner<'_>) -> Vec<String> {
    step_of(runner).actions.into_iter().map(|a| a.id).collect()
}

/// Every message the last call queued: channel, recipient, template and code.
fn sent(runner: &Runner<'_>) -> Vec<(Channel, String, String, Option<String>)> {
    runner
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Send {
                channel,
                to,
                template,
                args,
                ..
            } => Some((*channel, to.clone(), template.clone(), code_in(args))),
            _ => None,
        })
        .collect()
}

/// The code of the one message the last call queued.
fn the_code(runner: &Runner<'_>) -> String {
    let sent = sent(runner);
    assert_eq!(sent.len(), 1, "{sent:?}");
    sent[0].3.clone().unwrap_or_default()
}

/// Submits the number stage at `at`.
fn send_at(runner: &mut Runner<'_>, number: &str, channel: &str, at: i64) {
    let values = [("phone_number", number), ("channel", channel)];
    let result = runner.run(Input::Submit {
        step: "phone",
        action: "send",
        values: &values,
        at,
    });
    assert_eq!(result, Ok(()));
}

fn act_at(runner: &mut Runner<'_>, action: &str, values: &[(&str, &str)], at: i64) {
    let result = runner.run(Input::Submit {
        step: "phone",
        action,
        values,
        at,
    });
    assert_eq!(result, Ok(()));
}

fn wrong(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[test]
fn a_mobile_number_gets_a_code_by_sms_and_a_right_code_verifies_it() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    let step = step_of(&r);
    let fields: Vec<(&str, FieldKind)> = step
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect();
    assert_eq!(
        fields,
        [
            ("phone_number", FieldKind::Phone),
            ("channel", FieldKind::Choice)
        ]
    );
    assert_eq!(step.fields[0].autocomplete.as_deref(), Some("tel"));
    assert_eq!(step.fields[1].value.as_deref(), Some("sms"));
    let options: Vec<&str> = step.fields[1]
        .options
        .iter()
        .map(|o| o.value.as_str())
        .collect();
    assert_eq!(options, ["sms", "voice"]);
    assert_eq!(actions(&r), ["send"]);

    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    assert_eq!(r.rejection, None);
    let sent = sent(&r);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].0, sent[0].1.as_str(), sent[0].2.as_str()),
        (Channel::Sms, "+31612345678", "sms-verification-code")
    );
    assert_eq!(r.state.attribute("phone_number"), Some("+31612345678"));
    assert!(!r.state.is_verified("phone_number"));
    assert_eq!(
        shown(&r),
        (PhoneStage::Code, "+31 6 ••••• 678".into(), "sms".into())
    );
    assert_eq!(r.notes(), ["phone-verification-sent-sms"]);
    assert_eq!(
        actions(&r),
        ["submit", "resend", "switch_channel", "change_number"]
    );
    assert_eq!(step_of(&r).fields[0].kind, FieldKind::OneTimeCode);

    let code = sent[0].3.clone().unwrap_or_default();
    assert_eq!(code.len(), 6);
    r.submit("phone", "submit", &[("code", &code)]).unwrap();
    assert_eq!(r.state.status(), FlowStatus::Complete);
    assert!(r.state.is_verified("phone_number"));
    let amr = r.state.authenticated().map(|a| a.amr.clone());
    // An SMS code is `sms`, not `otp`: `["otp", "sms"]` in a policy means two codes.
    assert_eq!(amr, Some(vec!["pwd".to_owned(), "sms".to_owned()]));
    assert!(r.effects.iter().any(|e| matches!(
        e,
        Effect::SaveProfile { attributes, verified, .. }
            if attributes.get("phone_number").map(String::as_str) == Some("+31612345678")
                && verified.contains("phone_number")
    )));
}

#[test]
fn a_landline_takes_a_call_and_is_refused_an_sms_beside_the_field() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    send_at(&mut r, "020 123 4567", "sms", T0 + 1);
    assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    assert_eq!(r.notes(), ["phone_number:error-phone-no-sms"]);
    assert!(sent(&r).is_empty());
    let step = step_of(&r);
    assert_eq!(step.fields[0].value.as_deref(), Some("020 123 4567"));
    assert_eq!(step.fields[1].value.as_deref(), Some("sms"));
    assert_eq!(r.state.attribute("phone_number"), None);

    send_at(&mut r, "020 123 4567", "voice", T0 + 2);
    assert_eq!(r.rejection, None);
    let sent = sent(&r);
    assert_eq!(
        (sent[0].0, sent[0].1.as_str(), sent[0].2.as_str()),
        (Channel::Voice, "+31201234567", "voice-verification-code")
    );
    assert_eq!(
        shown(&r),
        (PhoneStage::Code, "+31 20 •••• 567".into(), "voice".into())
    );
    assert_eq!(r.notes(), ["phone-verification-sent-voice"]);
    // A landline cannot be texted instead.
    assert_eq!(actions(&r), ["submit", "resend", "change_number"]);
    assert_eq!(
        r.submit("phone", "switch_channel", &[]),
        Err(EngineError::UnknownAction("switch_channel".into()))
    );
    let code = sent[0].3.clone().unwrap_or_default();
    // The call says the digits one by one.
    let spoken = r.effects.iter().find_map(|e| match e {
        Effect::Send { args, .. } => args.0.iter().find_map(|(k, v)| match v {
            Arg::Text(text) if k == "code_spoken" => Some(text.clone()),
            _ => None,
        }),
        _ => None,
    });
    let digits: Vec<String> = code.chars().map(String::from).collect();
    assert_eq!(spoken, Some(digits.join(", ")));
    r.submit("phone", "submit", &[("code", &code)]).unwrap();
    let amr = r.state.authenticated().map(|a| a.amr.clone());
    assert_eq!(amr, Some(vec!["pwd".to_owned(), "tel".to_owned()]));
}

#[test]
fn bad_hostile_and_oversized_numbers_are_refused_beside_the_field() {
    let journey = journey(PHONE);
    let huge = "9".repeat(100_000);
    let cases: &[(&str, &str)] = &[
        ("", "error-required"),
        ("   ", "error-required"),
        ("call me", "error-phone-invalid"),
        ("06 1234", "error-phone-invalid"),
        ("+31\u{202e}612345678", "error-phone-invalid"),
        ("06 12345678'; DROP TABLE accounts;--", "error-too-long"),
        ("<script>alert(1)</script>", "error-phone-invalid"),
        ("+44 7400 123456", "error-phone-country"),
        ("+33 6 12 34 56 78", "error-phone-country"),
        (&huge, "error-too-long"),
    ];
    for (typed, error) in cases {
        let mut r = at_number(&journey);
        send_at(&mut r, typed, "sms", T0 + 1);
        assert_eq!(r.rejection, Some(Rejection::InvalidInput), "{typed:.40}");
        assert_eq!(r.notes(), [format!("phone_number:{error}")], "{typed:.40}");
        assert!(sent(&r).is_empty());
        assert_eq!(shown(&r).0, PhoneStage::Number);
        // What was typed comes back, unless it is longer than any number.
        let value = step_of(&r).fields[0].value.clone();
        if typed.chars().count() <= journey_engine::phone::INPUT_MAX {
            assert_eq!(value.as_deref(), Some(*typed));
        } else {
            assert_eq!(value, None);
        }
    }
    // A Belgian number is one of the step's countries.
    let mut r = at_number(&journey);
    send_at(&mut r, "+32 470 12 34 56", "sms", T0 + 1);
    assert_eq!(sent(&r)[0].1, "+32470123456");
    assert_eq!(shown(&r).1, "+32 470 ••• 456");
}

#[test]
fn wrong_actions_fields_and_choices_are_refused() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    assert_eq!(
        r.submit("phone", "submit", &[("code", "123456")]),
        Err(EngineError::UnknownAction("submit".into()))
    );
    assert_eq!(
        r.submit(
            "phone",
            "send",
            &[("phone_number", "06 12345678"), ("role", "admin")]
        ),
        Err(EngineError::UnexpectedField("role".into()))
    );
    for (channel, error) in [("fax", "error-choice-invalid"), ("", "error-required")] {
        send_at(&mut r, "06 12345678", channel, T0 + 1);
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
        assert_eq!(r.notes(), [format!("channel:{error}")]);
    }
    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    assert_eq!(
        r.submit("phone", "send", &[("phone_number", "06 87654321")]),
        Err(EngineError::UnknownAction("send".into()))
    );
    assert_eq!(
        r.submit(
            "phone",
            "submit",
            &[("code", "123456"), ("phone_number", "x")]
        ),
        Err(EngineError::UnexpectedField("phone_number".into()))
    );
    assert_eq!(
        r.submit("phone", "delete_account", &[]),
        Err(EngineError::UnknownAction("delete_account".into()))
    );
}

#[test]
fn five_wrong_codes_end_the_flow() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    let bad = wrong(&the_code(&r));
    for left in (1..=4).rev() {
        r.submit("phone", "submit", &[("code", bad)]).unwrap();
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
        assert_eq!(
            r.notes(),
            ["phone-verification-sent-sms", "code:error-code-wrong"]
        );
        let BlockView::PhoneNumberVerification { attempts_left, .. } = step_of(&r).view else {
            panic_free_fail("not a phone step")
        };
        assert_eq!(attempts_left, left);
    }
    r.submit("phone", "submit", &[("code", bad)]).unwrap();
    assert_eq!(r.state.step(), "locked");
    assert_eq!(r.state.status(), FlowStatus::Failed);
    assert!(!r.state.is_verified("phone_number"));
}

#[test]
fn resend_and_another_channel_wait_for_the_cool_down_and_void_the_old_code() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    let first = the_code(&r);
    for action in ["resend", "switch_channel"] {
        act_at(&mut r, action, &[], T0 + 10);
        assert_eq!(r.rejection, Some(Rejection::RateLimited), "{action}");
        assert_eq!(
            r.notes(),
            ["phone-verification-sent-sms", "error-resend-wait"]
        );
        assert!(sent(&r).is_empty());
    }
    act_at(&mut r, "resend", &[], T0 + 40);
    assert_eq!(r.rejection, None);
    let second = the_code(&r);
    assert_eq!(sent(&r)[0].0, Channel::Sms);
    assert_eq!(
        r.notes(),
        ["phone-verification-sent-sms", "note-code-resent"]
    );
    // Call me instead: a resend by voice to the same number.
    act_at(&mut r, "switch_channel", &[], T0 + 80);
    assert_eq!(r.rejection, None);
    let by_call = sent(&r);
    assert_eq!(
        (by_call[0].0, by_call[0].1.as_str()),
        (Channel::Voice, "+31612345678")
    );
    assert_eq!(shown(&r).2, "voice");
    assert_eq!(
        r.notes(),
        ["phone-verification-sent-voice", "note-code-resent"]
    );
    // That was the third message of the step: no more, by any channel or number.
    assert_eq!(actions(&r), ["submit"]);
    for action in ["resend", "switch_channel"] {
        act_at(&mut r, action, &[], T0 + 200);
        assert_eq!(r.rejection, Some(Rejection::RateLimited), "{action}");
        assert_eq!(
            r.notes(),
            ["phone-verification-sent-voice", "error-resend-limit"]
        );
    }
    assert_eq!(
        r.submit("phone", "change_number", &[]),
        Err(EngineError::UnknownAction("change_number".into()))
    );
    for old in [first, second] {
        if Some(&old) != by_call[0].3.as_ref() {
            r.submit("phone", "submit", &[("code", &old)]).unwrap();
            assert_eq!(r.rejection, Some(Rejection::InvalidInput));
        }
    }
    let code = by_call[0].3.clone().unwrap_or_default();
    r.submit("phone", "submit", &[("code", &code)]).unwrap();
    let amr = r.state.authenticated().map(|a| a.amr.clone());
    assert_eq!(amr, Some(vec!["pwd".to_owned(), "tel".to_owned()]));
}

#[test]
fn another_number_voids_the_code_and_counts_as_a_resend() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    let first = the_code(&r);
    act_at(&mut r, "change_number", &[], T0 + 5);
    assert_eq!(r.rejection, None);
    assert_eq!(shown(&r).0, PhoneStage::Number);
    // The number given is shown again, to correct it.
    assert_eq!(
        step_of(&r).fields[0].value.as_deref(),
        Some("+31 6 12345678")
    );
    send_at(&mut r, "06 87654321", "sms", T0 + 10);
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert_eq!(r.notes(), ["error-resend-wait"]);
    assert_eq!(step_of(&r).fields[0].value.as_deref(), Some("06 87654321"));
    send_at(&mut r, "06 87654321", "sms", T0 + 40);
    assert_eq!(r.rejection, None);
    assert_eq!(sent(&r)[0].1, "+31687654321");
    assert_eq!(r.state.attribute("phone_number"), Some("+31687654321"));
    let second = the_code(&r);
    if first != second {
        r.submit("phone", "submit", &[("code", &first)]).unwrap();
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    }
    r.submit("phone", "submit", &[("code", &second)]).unwrap();
    assert_eq!(r.state.status(), FlowStatus::Complete);
    assert_eq!(r.state.attribute("phone_number"), Some("+31687654321"));
}

#[test]
fn a_verified_number_of_the_account_is_not_asked_again_and_an_unverified_one_is_shown() {
    let journey = journey(PHONE);
    let r = signed_in(&journey, account(Some(("+31612345678", true))));
    assert_eq!(r.state.status(), FlowStatus::Complete);
    assert!(sent(&r).is_empty());
    let amr = r.state.authenticated().map(|a| a.amr.clone());
    assert_eq!(amr, Some(vec!["pwd".to_owned()]));

    let r = signed_in(&journey, account(Some(("+31612345678", false))));
    assert_eq!(r.state.step(), "phone");
    assert_eq!(
        step_of(&r).fields[0].value.as_deref(),
        Some("+31 6 12345678")
    );
}

#[test]
fn a_refused_message_keeps_the_person_at_the_number() {
    let journey = journey(PHONE);
    let mut r = at_number(&journey);
    r.messages_allowed = false;
    send_at(&mut r, "06 12345678", "sms", T0 + 1);
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert!(sent(&r).is_empty());
    assert_eq!(shown(&r).0, PhoneStage::Number);
    assert_eq!(r.notes(), ["error-message-cap-phone"]);
    // Allowed again: the code goes; guesses paused across flows cost no attempt.
    r.messages_allowed = true;
    send_at(&mut r, "06 12345678", "sms", T0 + 40);
    assert_eq!(shown(&r).0, PhoneStage::Code);
    r.guesses_paused = Some(1800);
    r.submit("phone", "submit", &[("code", "123456")]).unwrap();
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert_eq!(
        r.notes(),
        [
            "phone-verification-sent-sms",
            "code:error-code-paused-phone"
        ]
    );
}

#[test]
fn the_settings_are_checked_when_the_journey_loads() {
    let with = |settings: &str| {
        PHONE.replace(
            "settings = { countries = [\"NL\", \"BE\"], default_country = \"NL\" }",
            settings,
        )
    };
    for (settings, problem) in [
        ("settings = { countries = [\"XX\"] }", "`countries`"),
        ("settings = { countries = [\"nl\"] }", "`countries`"),
        ("settings = { countries = [] }", "`countries`"),
        ("settings = {}", "`countries`"),
        (
            "settings = { countries = [\"NL\"], default_country = \"BE\" }",
            "`default_country`",
        ),
        (
            "settings = { countries = [\"NL\"], channels = [\"fax\"] }",
            "`channels`",
        ),
        (
            "settings = { countries = [\"NL\"], channels = [] }",
            "`channels`",
        ),
        (
            "settings = { countries = [\"NL\"], channels = [\"sms\", \"sms\"] }",
            "`channels`",
        ),
        (
            "settings = { countries = [\"NL\"], code_ttl_seconds = 3600 }",
            "10 minutes",
        ),
        (
            "settings = { countries = [\"NL\"], colour = \"red\" }",
            "colour",
        ),
    ] {
        let source = with(settings);
        let result = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &source);
        let Err(errors) = result else {
            panic_free_fail(&format!("accepted: {settings}"))
        };
        let text = errors.to_string();
        assert!(text.contains(problem), "{settings}: {text}");
        assert!(text.contains("phone"), "{settings}: names the step: {text}");
    }
    // SMS only: a landline is refused without offering a call, and no channel is asked.
    let sms_only = journey(&with(
        "settings = { countries = [\"NL\"], channels = [\"sms\"] }",
    ));
    assert_eq!(
        sms_only.channels().into_iter().collect::<Vec<_>>(),
        [Channel::Sms]
    );
    let mut r = at_number(&sms_only);
    assert_eq!(step_of(&r).fields.len(), 1);
    r.submit("phone", "send", &[("phone_number", "020 123 4567")])
        .unwrap();
    assert_eq!(r.notes(), ["phone_number:error-phone-no-sms-only"]);
    r.submit("phone", "send", &[("phone_number", "06 12345678")])
        .unwrap();
    assert_eq!(actions(&r), ["submit", "resend", "change_number"]);
}

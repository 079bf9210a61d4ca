//! Data-driven tests of the engine: journeys from text, scripts of submissions and answers, and
//! the expected step, status, notes and effects after each (rust-analyzer's `check` style).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::type_complexity
)]

use journey_engine::{
    AccountProfile, Advance, Answer, BlockCatalogue, Channel, Effect, EngineError, Env, FlowState,
    FlowStatus, Journey, PasswordCheck, Problem, Query, Rejection, Submission, resume, start,
    submit, view,
};
use journey_protocol::{Arg, Args, BlockView, Step};
use std::collections::BTreeMap;

#[path = "engine/consents.rs"]
mod consents;
#[path = "engine/definitions.rs"]
mod definitions;
#[path = "engine/examples.rs"]
mod examples;
#[path = "engine/gateway.rs"]
mod gateway;
#[path = "engine/guards.rs"]
mod guards;
#[path = "engine/input.rs"]
mod input;
#[path = "engine/layers.rs"]
mod layers;
#[path = "engine/loa.rs"]
mod loa;
#[path = "engine/lookup.rs"]
mod lookup;
#[path = "engine/phone.rs"]
mod phone;
#[path = "engine/profile.rs"]
mod profile;
#[path = "engine/quotas.rs"]
mod quotas;
#[path = "engine/recovery.rs"]
mod recovery;
#[path = "engine/state.rs"]
mod state;

// The tests' own journeys: editing a demo journey cannot break them.
const REGISTRATION: &str = include_str!("fixtures/registration.toml");
const LOGIN: &str = include_str!("fixtures/login.toml");
const RECOVERY: &str = include_str!("fixtures/recovery.toml");
const T0: i64 = 1_700_000_000;

fn journey(source: &str) -> Journey {
    match Journey::parse(&BlockCatalogue::standard(), "test.toml", "test", source) {
        Ok(journey) => journey,
        Err(errors) => panic_free_fail(&errors.to_string()),
    }
}

fn panic_free_fail(message: &str) -> ! {
    panic!("{message}")
}

fn env(now: i64, seed: u8) -> Env {
    Env {
        now,
        seed: [seed; 32],
        // The demo tenant's name, which is also its brand's.
        protected_words: vec!["RoadHelp".into()],
        assurance: Default::default(),
    }
}

/// One scripted input and what must hold after it.
enum Input<'a> {
    Submit {
        step: &'a str,
        action: &'a str,
        values: &'a [(&'a str, &'a str)],
        at: i64,
    },
    Answer(Answer),
}

struct Runner<'j> {
    journey: &'j Journey,
    state: FlowState,
    pending: Option<Query>,
    effects: Vec<Effect>,
    rejection: Option<Rejection>,
    /// How the server answers "may a message go to this recipient?".
    messages_allowed: bool,
    /// How the server answers "may a guess for this address be checked?".
    guesses_paused: Option<u32>,
    /// The tenant's levels of assurance.
    assurance: std::sync::Arc<journey_engine::AssurancePolicy>,
    /// How the server answers "what does this account's profile hold?" (`auto_login` asks
    /// before it completes); `None` leaves the question for the test to answer.
    profiles: Option<Option<AccountProfile>>,
}

impl<'j> Runner<'j> {
    fn start(journey: &'j Journey) -> Self {
        Self::start_with(journey, journey_engine::AssurancePolicy::default())
    }

    /// Starts a flow of a tenant with the levels of assurance `assurance`.
    fn start_with(journey: &'j Journey, assurance: journey_engine::AssurancePolicy) -> Self {
        let assurance = std::sync::Arc::new(assurance);
        let advance = start(
            journey,
            &Env {
                assurance: assurance.clone(),
                ..env(T0, 1)
            },
        );
        let advance = advance.unwrap_or_else(|e| panic_free_fail(&e.to_string()));
        let mut runner = Self {
            journey,
            state: advance.state.clone(),
            pending: None,
            effects: Vec::new(),
            rejection: None,
            messages_allowed: true,
            guesses_paused: None,
            assurance,
            profiles: Some(None),
        };
        runner.take(advance);
        runner
    }

    /// Takes the engine's answer, first answering the cross-flow quota questions the way the
    /// runner is set to (by default: allowed), as the server does within the same request.
    fn take(&mut self, mut advance: Advance) {
        let mut effects = std::mem::take(&mut advance.effects);
        loop {
            let answer = match &advance.query {
                Some(Query::MessageAllowed { .. }) => Answer::MessageAllowed(self.messages_allowed),
                Some(Query::CodeGuess { .. }) => Answer::CodeGuess(self.guesses_paused),
                Some(Query::AccountProfile { .. }) if self.profiles.is_some() => {
                    Answer::AccountProfile(self.profiles.clone().flatten())
                }
                _ => break,
            };
            advance = resume(self.journey, advance.state, answer, &self.env(T0, 4))
                .unwrap_or_else(|e| panic_free_fail(&e.to_string()));
            effects.append(&mut advance.effects);
        }
        self.state = advance.state;
        self.pending = advance.query;
        self.effects = effects;
        self.rejection = advance.rejection;
    }

    /// What the engine gets with a call at `now`: the tenant's policy with the usual rest.
    fn env(&self, now: i64, seed: u8) -> Env {
        Env {
            assurance: self.assurance.clone(),
            ..env(now, seed)
        }
    }

    fn run(&mut self, input: Input<'_>) -> Result<(), EngineError> {
        let advance = match input {
            Input::Submit {
                step,
                action,
                values,
                at,
            } => {
                let values: BTreeMap<String, String> = values
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect();
                let submission = Submission {
                    step: step.into(),
                    action: action.into(),
                    values,
                };
                submit(
                    self.journey,
                    self.state.clone(),
                    submission,
                    &self.env(at, 2),
                )?
            }
            Input::Answer(answer) => {
                resume(self.journey, self.state.clone(), answer, &self.env(T0, 3))?
            }
        };
        self.take(advance);
        Ok(())
    }

    fn submit(
        &mut self,
        step: &str,
        action: &str,
        values: &[(&str, &str)],
    ) -> Result<(), EngineError> {
        self.run(Input::Submit {
            step,
            action,
            values,
            at: T0 + 1,
        })
    }

    fn answer(&mut self, answer: Answer) {
        let result = self.run(Input::Answer(answer));
        assert_eq!(result, Ok(()));
    }

    /// The message ids of every message on the current step and its fields.
    fn notes(&self) -> Vec<String> {
        let Ok(Some(view)) = view(self.journey, &self.state, T0 + 1) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = view.messages.iter().map(|m| m.id.clone()).collect();
        for field in &view.fields {
            ids.extend(
                field
                    .messages
                    .iter()
                    .map(|m| format!("{}:{}", field.name, m.id)),
            );
        }
        ids
    }

    fn sent_code(&self) -> Option<String> {
        self.effects.iter().find_map(|effect| match effect {
            Effect::Send { template, args, .. } if template == "email-verification-code" => {
                code_in(args)
            }
            _ => None,
        })
    }

    fn templates(&self) -> Vec<&str> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send {
                    channel: Channel::Email,
                    template,
                    ..
                } => Some(template.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The code a message carries, as text (so a leading zero stays).
fn code_in(args: &Args) -> Option<String> {
    args.0.iter().find_map(|(k, v)| match v {
        Arg::Text(code) if k == "code" => Some(code.clone()),
        _ => None,
    })
}

/// The typed view of the current step, which must be an email validation's.
fn email_view(journey: &Journey, state: &FlowState) -> (String, u8) {
    match view(journey, state, T0) {
        Ok(Some(Step {
            view:
                BlockView::EmailValidation {
                    email_masked,
                    attempts_left,
                    ..
                },
            ..
        })) => (email_masked, attempts_left),
        other => panic_free_fail(&format!("not an email validation: {other:?}")),
    }
}

const DETAILS: &[(&str, &str)] = &[
    ("email", " Jane@Example.com "),
    ("given_name", "Jane"),
    ("family_name", "Doe"),
];

/// Registration up to the code step, answering the duplicate check with `exists`.
fn at_code_step(journey: &Journey, exists: bool) -> Runner<'_> {
    let mut runner = Runner::start(journey);
    assert_eq!(runner.state.step(), "details");
    assert_eq!(runner.submit("details", "submit", DETAILS), Ok(()));
    assert_eq!(
        runner.pending,
        Some(Query::AccountExists {
            email: "jane@example.com".into()
        })
    );
    runner.answer(Answer::AccountExists(exists));
    assert_eq!(runner.state.step(), "verify_email");
    runner
}

/// Registration up to the password step of a new address.
fn at_password_step(journey: &Journey) -> Runner<'_> {
    let mut runner = at_code_step(journey, false);
    let code = runner.sent_code().unwrap_or_default();
    assert_eq!(
        runner.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(runner.state.step(), "password");
    runner
}

#[test]
fn registration_runs_from_details_to_a_session() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    assert_eq!(r.templates(), ["email-verification-code"]);
    let code = r.sent_code().unwrap_or_default();
    assert_eq!(code.len(), 6);
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(r.state.step(), "password");
    assert_eq!(
        r.submit(
            "password",
            "submit",
            &[("password", "violet tractor under the bridge 42")]
        ),
        Ok(())
    );
    let Some(Effect::CreateAccount(account)) = r.effects.first().cloned() else {
        panic_free_fail("no account")
    };
    assert_eq!(account.email, "jane@example.com");
    assert_eq!(
        account.attributes.get("given_name").map(String::as_str),
        Some("Jane")
    );
    assert_eq!(r.state.step(), "welcome");
    assert_eq!(r.submit("welcome", "continue", &[]), Ok(()));
    assert_eq!(r.state.status(), FlowStatus::Complete);
    let auth = r.state.authenticated().cloned();
    assert_eq!(
        auth.as_ref().map(|a| a.subject.as_str()),
        Some(account.subject.as_str())
    );
    assert_eq!(auth.as_ref().map(|a| a.acr.as_str()), Some("loa1"));
    // Choosing a password is not signing in with it: only the code counts as a method.
    assert_eq!(auth.map(|a| a.amr), Some(vec!["otp".to_owned()]));
}

#[test]
fn a_taken_address_looks_the_same_but_the_owner_gets_a_notice_and_no_account_is_made() {
    let journey = journey(REGISTRATION);
    let new = at_code_step(&journey, false);
    let taken = at_code_step(&journey, true);
    assert_eq!(taken.templates(), ["email-account-exists"]);
    assert_eq!(taken.sent_code(), None);
    // What the person sees is identical.
    assert_eq!(
        view(&journey, &new.state, T0),
        view(&journey, &taken.state, T0)
    );
    // The code sent to the new address does not work for the taken one, and nothing else does.
    let mut taken = taken;
    let code = new.sent_code().unwrap_or_default();
    assert_eq!(
        taken.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(taken.state.step(), "verify_email");
    assert_eq!(taken.rejection, Some(Rejection::InvalidInput));
}

#[test]
fn five_wrong_codes_lock_the_flow_and_attempts_are_counted_down() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    let right = r.sent_code().unwrap_or_default();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for left in (1..=4).rev() {
        assert_eq!(
            r.submit("verify_email", "submit", &[("code", wrong)]),
            Ok(())
        );
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
        assert_eq!(
            r.notes(),
            vec![
                "email-validation-sent".to_owned(),
                "code:error-code-wrong".to_owned()
            ]
        );
        assert_eq!(email_view(&journey, &r.state).1, left);
    }
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", wrong)]),
        Ok(())
    );
    assert_eq!(r.state.step(), "locked");
    assert_eq!(r.state.status(), FlowStatus::Failed);
    // The right code is useless now: the flow has ended.
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &right)]),
        Err(EngineError::NotActive)
    );
}

#[test]
fn codes_expire_and_malformed_codes_do_not_cost_a_try() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    let code = r.sent_code().unwrap_or_default();
    for bad in ["12345", "abcdef", "1234567", ""] {
        assert_eq!(r.submit("verify_email", "submit", &[("code", bad)]), Ok(()));
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    }
    assert_eq!(email_view(&journey, &r.state).1, 5);
    let late = Input::Submit {
        step: "verify_email",
        action: "submit",
        values: &[("code", &code)],
        at: T0 + 600,
    };
    assert_eq!(r.run(late), Ok(()));
    assert_eq!(
        r.notes().last().map(String::as_str),
        Some("code:error-code-expired")
    );
    assert_eq!(r.state.step(), "verify_email");
}

#[test]
fn resend_waits_for_the_cool_down_replaces_the_code_and_is_limited() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    let first = r.sent_code().unwrap_or_default();
    assert_eq!(r.submit("verify_email", "resend", &[]), Ok(()));
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert!(r.effects.is_empty());
    let resend = |at| Input::Submit {
        step: "verify_email",
        action: "resend",
        values: &[],
        at,
    };
    assert_eq!(r.run(resend(T0 + 31)), Ok(()));
    let second = r.sent_code().unwrap_or_default();
    assert_eq!(second.len(), 6);
    // The old code no longer works.
    if first != second {
        let old = Input::Submit {
            step: "verify_email",
            action: "submit",
            values: &[("code", &first)],
            at: T0 + 32,
        };
        assert_eq!(r.run(old), Ok(()));
        assert_eq!(r.state.step(), "verify_email");
    }
    assert_eq!(r.run(resend(T0 + 62)), Ok(()));
    assert_eq!(r.templates().len(), 1);
    // max_sends = 3: the fourth is refused.
    assert_eq!(r.run(resend(T0 + 93)), Ok(()));
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert_eq!(
        r.notes().last().map(String::as_str),
        Some("error-resend-limit")
    );
}

#[test]
fn steps_cannot_be_skipped_or_answered_twice() {
    let journey = journey(REGISTRATION);
    let mut r = Runner::start(&journey);
    let skip = r.submit(
        "password",
        "submit",
        &[("password", "violet tractor under the bridge 42")],
    );
    assert_eq!(
        skip,
        Err(EngineError::StepMismatch {
            current: "details".into()
        })
    );
    let mut r = at_code_step(&journey, false);
    let again = r.submit("details", "submit", DETAILS);
    assert_eq!(
        again,
        Err(EngineError::StepMismatch {
            current: "verify_email".into()
        })
    );
    assert_eq!(
        r.submit("verify_email", "delete_everything", &[]),
        Err(EngineError::UnknownAction("delete_everything".into()))
    );
    assert_eq!(
        r.submit("verify_email", "submit", &[("admin", "1")]),
        Err(EngineError::UnexpectedField("admin".into()))
    );
}

#[test]
fn collected_data_is_validated_and_echoed_back() {
    let journey = journey(REGISTRATION);
    let cases: &[(&[(&str, &str)], &[&str])] = &[
        (
            &[],
            &[
                "email:error-required",
                "given_name:error-required",
                "family_name:error-required",
            ],
        ),
        (
            &[
                ("email", "not-an-address"),
                ("given_name", "J"),
                ("family_name", "D"),
            ],
            &["email:error-email-invalid"],
        ),
        (
            &[
                ("email", "a@b.co"),
                ("given_name", "J\u{0}"),
                ("family_name", "D"),
            ],
            &["given_name:error-text-invalid"],
        ),
    ];
    for (values, expected) in cases {
        let mut r = Runner::start(&journey);
        assert_eq!(r.submit("details", "submit", values), Ok(()));
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
        assert_eq!(&r.notes(), expected);
    }
    let long = "x".repeat(101);
    let mut r = Runner::start(&journey);
    assert_eq!(
        r.submit(
            "details",
            "submit",
            &[
                ("email", "a@b.co"),
                ("given_name", &long),
                ("family_name", "D")
            ]
        ),
        Ok(())
    );
    assert_eq!(r.notes(), ["given_name:error-too-long"]);
    let Ok(Some(v)) = view(&journey, &r.state, T0) else {
        panic_free_fail("no view")
    };
    assert_eq!(v.fields[0].value.as_deref(), Some("a@b.co"));
}

#[test]
fn weak_passwords_are_refused_with_a_reason() {
    let journey = journey(REGISTRATION);
    let cases = [
        ("short password", "password:error-password-too-short"),
        ("passwordpassword", "password:error-password-common"),
        (
            "jane@example.com is me!",
            "password:error-password-personal",
        ),
    ];
    for (password, expected) in cases {
        let mut r = at_password_step(&journey);
        assert_eq!(
            r.submit("password", "submit", &[("password", password)]),
            Ok(())
        );
        assert_eq!(r.notes(), [expected], "{password}");
        assert!(r.effects.is_empty());
    }
}

#[test]
fn login_asks_the_server_and_reports_the_same_for_any_failure() {
    let journey = journey(LOGIN);
    let mut r = Runner::start(&journey);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[("email", "Jane@example.com"), ("password", "secret")]
        ),
        Ok(())
    );
    assert!(
        matches!(&r.pending, Some(Query::VerifyPassword { identifier, .. }) if identifier == "jane@example.com")
    );
    let before = r.state.clone();
    r.answer(Answer::Password(PasswordCheck::Rejected));
    assert_eq!(r.notes(), ["error-login-failed"]);
    r.state = before.clone();
    r.answer(Answer::Password(PasswordCheck::Throttled {
        retry_in: u32::MAX,
    }));
    assert_eq!(
        r.notes(),
        ["error-login-disabled"],
        "after 100 failures: disabled"
    );
    r.state = before;
    r.answer(Answer::Password(PasswordCheck::Throttled { retry_in: 8 }));
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert_eq!(r.notes(), ["error-login-throttled"]);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[("email", "jane@example.com"), ("password", "right")]
        ),
        Ok(())
    );
    r.answer(Answer::Password(PasswordCheck::Verified {
        subject: "s-1".into(),
    }));
    assert_eq!(r.state.status(), FlowStatus::Complete);
    assert_eq!(
        r.state.authenticated().map(|a| a.amr.clone()),
        Some(vec!["pwd".to_owned()])
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let journey = journey(LOGIN);
    let mut r = Runner::start(&journey);
    assert_eq!(
        r.submit(
            "login",
            "submit",
            &[
                ("email", "jane@example.com"),
                ("password", "hunter2-very-secret")
            ]
        ),
        Ok(())
    );
    assert!(!format!("{:?}", r.pending).contains("hunter2"));
    let saved = serde_json::to_string(&r.state).unwrap_or_default();
    assert!(!saved.contains("hunter2"));
}

#[test]
fn codes_always_have_every_digit_even_a_leading_zero() {
    let journey = journey(REGISTRATION);
    let mut leading_zeros = 0;
    for seed in 0..=255u8 {
        let mut state = start(&journey, &env(T0, seed)).unwrap().state;
        let values = DETAILS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let submission = Submission {
            step: "details".into(),
            action: "submit".into(),
            values,
        };
        state = submit(&journey, state, submission, &env(T0, seed))
            .unwrap()
            .state;
        state = resume(
            &journey,
            state,
            Answer::AccountExists(false),
            &env(T0, seed),
        )
        .unwrap()
        .state;
        let advance = resume(
            &journey,
            state,
            Answer::MessageAllowed(true),
            &env(T0, seed),
        )
        .unwrap();
        let Some(Effect::Send { args, .. }) = advance.effects.first() else {
            panic!("no email")
        };
        let Some((_, Arg::Text(code))) = args.0.iter().find(|(k, _)| k == "code") else {
            panic!("the code must be text, or a leading zero is lost")
        };
        assert_eq!(code.len(), 6, "{code}");
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        leading_zeros += usize::from(code.starts_with('0'));
    }
    assert!(
        leading_zeros > 0,
        "256 seeds should draw some codes starting with 0"
    );
}

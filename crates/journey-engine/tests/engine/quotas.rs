//! Guesses and messages the server counts across flows: the block asks before it compares a
//! code or sends one, and a refusal leaves no live code.

use super::*;

#[test]
fn code_guesses_ask_the_server_first_and_a_paused_address_accepts_no_code() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    let code = r.sent_code().unwrap_or_default();
    // The server says the address has had its guesses: not compared, no attempt spent, and
    // even the right code is refused.
    r.guesses_paused = Some(1800);
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert_eq!(r.state.step(), "verify_email");
    assert_eq!(
        r.notes(),
        ["email-validation-sent", "code:error-code-paused"]
    );
    assert_eq!(email_view(&journey, &r.state).1, 5);
    // Allowed again: the right code verifies and gives its claimed guess back.
    r.guesses_paused = None;
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(r.state.step(), "password");
    assert_eq!(
        r.effects,
        [Effect::CodeAccepted {
            address: "jane@example.com".into(),
            subject: None,
        }]
    );
}

#[test]
fn a_message_the_server_refuses_leaves_no_live_code() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    let first = r.sent_code().unwrap_or_default();
    r.messages_allowed = false;
    let resend = Input::Submit {
        step: "verify_email",
        action: "resend",
        values: &[],
        at: T0 + 31,
    };
    assert_eq!(r.run(resend), Ok(()));
    assert_eq!(r.rejection, Some(Rejection::RateLimited));
    assert!(r.effects.is_empty(), "nothing is sent");
    assert_eq!(
        r.notes(),
        ["error-message-cap"],
        "and nothing claims it was"
    );
    // The code sent before is void, as after any resend, and no other code is live.
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &first)]),
        Ok(())
    );
    assert_eq!(r.state.step(), "verify_email");
    assert_eq!(r.rejection, Some(Rejection::InvalidInput));

    // Arriving at the step with the cap reached: told so, no code.
    let mut r = Runner::start(&journey);
    r.messages_allowed = false;
    assert_eq!(r.submit("details", "submit", DETAILS), Ok(()));
    r.answer(Answer::AccountExists(false));
    assert_eq!(r.state.step(), "verify_email");
    assert_eq!(r.rejection, None);
    assert!(r.effects.is_empty());
    assert_eq!(r.notes(), ["error-message-cap"]);
}

//! The recovery journey: a code only to an address with an account, a notice otherwise, a new
//! password for the account, and journeys refused that reset without the look-up.

use super::*;

/// Recovery up to the code step, answering the account look-up with `account`.
fn recovery_at_code_step<'j>(journey: &'j Journey, account: Option<&str>) -> Runner<'j> {
    let mut r = Runner::start(journey);
    assert_eq!(r.state.step(), "email");
    assert_eq!(
        r.submit("email", "submit", &[("email", "Jane@Example.com")]),
        Ok(())
    );
    assert_eq!(
        r.pending,
        Some(Query::FindAccount {
            email: "jane@example.com".into()
        })
    );
    r.answer(Answer::Account(account.map(str::to_owned)));
    assert_eq!(r.state.step(), "verify_email");
    r
}

#[test]
fn recovery_sends_the_code_only_to_an_account_and_resets_its_password() {
    let journey = journey(RECOVERY);
    let mut r = recovery_at_code_step(&journey, Some("subject-1"));
    assert_eq!(r.templates(), ["email-recovery-code"]);
    let code = r.effects.iter().find_map(|e| match e {
        Effect::Send { args, .. } => code_in(args),
        _ => None,
    });
    let code = code.unwrap_or_default();
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", &code)]),
        Ok(())
    );
    assert_eq!(r.state.step(), "password");
    assert_eq!(
        r.effects,
        [Effect::CodeAccepted {
            address: "jane@example.com".into(),
            subject: Some("subject-1".into()),
        }],
        "the account's guesses count as well as the address's"
    );
    assert_eq!(
        r.submit(
            "password",
            "submit",
            &[("password", "seven quiet lanterns over the harbour")]
        ),
        Ok(())
    );
    assert!(matches!(
        r.effects.as_slice(),
        [Effect::ResetPassword { subject, email, .. }, Effect::Send { channel: Channel::Email, template, .. }]
            if subject == "subject-1" && email == "jane@example.com" && template == "email-password-changed"
    ));
    assert_eq!(r.state.step(), "done");
}

#[test]
fn recovery_for_an_unknown_address_sends_a_notice_and_no_code_verifies() {
    let journey = journey(RECOVERY);
    let mut r = recovery_at_code_step(&journey, None);
    assert_eq!(r.templates(), ["email-recovery-unknown"]);
    let known = recovery_at_code_step(&journey, Some("subject-1"));
    assert_eq!(r.notes(), known.notes(), "the step looks the same");
    for guess in ["000000", "123456", "999999"] {
        assert_eq!(
            r.submit("verify_email", "submit", &[("code", guess)]),
            Ok(())
        );
        assert_eq!(r.state.step(), "verify_email");
        assert_eq!(r.rejection, Some(Rejection::InvalidInput));
    }
}

#[test]
fn a_recovery_code_or_reset_without_an_account_look_up_is_refused() {
    let source = "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'v' }\n[steps.v]\nblock = 'email_validation'\nsettings = { purpose = 'recovery' }\non = { verified = 'p', too_many_attempts = 'p' }\n[steps.p]\nblock = 'reset_password'\non = { reset = 'l' }\n[steps.l]\nblock = 'auto_login'";
    let errors = Journey::parse(&BlockCatalogue::standard(), "j.toml", "j", source)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains(
            "step `v`: a path reaches this step without an account look-up first: put find_account"
        ),
        "{errors}"
    );
    assert!(errors.contains("step `p`"), "{errors}");
}

//! Passwordless sign-in and sign-up by an email code (`identify_by_email_code`), a first
//! password for such an account, and the levels of assurance the tenant's policy computes,
//! with a journey's minimum and the step-up to it.

use super::*;
use journey_engine::AssurancePolicy;
use std::collections::BTreeSet;

const SAVE_QUOTE: &str = include_str!("../fixtures/save-quote.toml");
const STEP_UP: &str = include_str!("../fixtures/step-up.toml");

/// InsurGroup's policy as its README section describes it.
const INSURGROUP: &str = r#"
levels = ["loa1", "loa2", "loa3"]
[loa1]
amr_any = [["otp"], ["pwd"]]
session_minutes = 43200
[loa2]
verified = ["email", "phone_number"]
amr_any = [["pwd"], ["otp", "sms"]]
session_minutes = 1440
[loa3]
verified = ["email", "phone_number", "identity"]
amr_any = [["pwd"], ["otp", "sms"]]
session_minutes = 720
"#;

fn policy(source: &str) -> Result<AssurancePolicy, Vec<String>> {
    let table: toml::Table = toml::from_str(source).unwrap();
    AssurancePolicy::from_table(&table)
}

#[test]
fn the_policy_decides_the_level_from_what_was_verified_and_how() {
    let policy = policy(INSURGROUP).unwrap();
    let cases: &[(&[&str], &[&str], Option<&str>)] = &[
        // An email code only: the lowest level (saving a quote).
        (&["email"], &["otp"], Some("loa1")),
        // A password, but no verified phone: still the lowest.
        (&["email"], &["pwd"], Some("loa1")),
        // A password and a verified phone.
        (&["email", "phone_number"], &["pwd"], Some("loa2")),
        // An email code and an SMS code, which verified the phone.
        (&["email", "phone_number"], &["otp", "sms"], Some("loa2")),
        // A verified phone from an email code alone is not enough for loa2.
        (&["email", "phone_number"], &["otp"], Some("loa1")),
        // Identity verified on top.
        (
            &["email", "phone_number", "identity"],
            &["pwd"],
            Some("loa3"),
        ),
        // Identity without the phone: levels are cumulative, so loa3 is not reached.
        (&["email", "identity"], &["pwd"], Some("loa1")),
        // No method at all: no level.
        (&["email", "phone_number"], &[], None),
        // An SMS code alone is no method of loa1.
        (&["phone_number"], &["sms"], None),
    ];
    for (verified, amr, expected) in cases {
        let verified: BTreeSet<String> = verified.iter().map(|s| (*s).to_owned()).collect();
        let amr: Vec<String> = amr.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            policy.acr(&verified, &amr),
            *expected,
            "{verified:?} {amr:?}"
        );
    }
    assert_eq!(policy.session_seconds("loa1"), 30 * 24 * 3600);
    assert_eq!(policy.session_seconds("loa2"), 24 * 3600);
    assert_eq!(policy.session_seconds("loa3"), 12 * 3600);
    // A level the policy no longer has gets its shortest session.
    assert_eq!(policy.session_seconds("gone"), 12 * 3600);
}

#[test]
fn a_wrong_policy_is_refused_naming_the_setting() {
    let cases: &[(&str, &str)] = &[
        ("[loa1]\nsession_minutes = 5", "assurance.levels is missing"),
        ("levels = 'loa1'", "assurance.levels: a list"),
        ("levels = []", "assurance.levels: between 1 and"),
        ("levels = ['loa1']", "assurance.loa1 is missing"),
        (
            "levels = ['loa1']\n[loa1]",
            "assurance.loa1.session_minutes is missing",
        ),
        (
            "levels = ['loa1']\n[loa1]\nsession_minutes = 0",
            "assurance.loa1.session_minutes: between 1 and 43200",
        ),
        (
            "levels = ['loa1']\n[loa1]\nsession_minutes = 60\nverifed = ['email']",
            "assurance.loa1: unknown field `verifed`",
        ),
        (
            "levels = ['loa1']\n[loa1]\nsession_minutes = 60\namr_any = [[]]",
            "assurance.loa1.amr_any: an empty set",
        ),
        (
            "levels = ['loa1']\n[loa1]\nsession_minutes = 60\namr_any = [['Pass word']]",
            "assurance.loa1.amr_any: `Pass word` is not a method name",
        ),
        (
            "levels = ['loa1']\n[loa1]\nsession_minutes = 60\n[loa2]\nsession_minutes = 60",
            "assurance.loa2: not a level in assurance.levels",
        ),
        (
            "levels = ['loa1', 'loa1']\n[loa1]\nsession_minutes = 60",
            "assurance.levels: `loa1` is named twice",
        ),
    ];
    for (source, expected) in cases {
        let problems = policy(source).err().unwrap_or_default();
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{source}: {problems:?}"
        );
    }
}

/// Submits the address and answers the account look-up with `account`.
fn at_code<'j>(
    journey: &'j Journey,
    assurance: AssurancePolicy,
    account: Option<&str>,
) -> Runner<'j> {
    let mut r = Runner::start_with(journey, assurance);
    assert_eq!(
        r.submit("email", "submit", &[("email", " Jane@Example.com ")]),
        Ok(())
    );
    assert_eq!(
        r.pending,
        Some(Query::FindAccount {
            email: "jane@example.com".into()
        })
    );
    r.answer(Answer::Account(account.map(str::to_owned)));
    assert_eq!(r.state.step(), "code");
    r
}

/// The code in the sign-in email among the effects, if one was sent.
fn signin_code(r: &Runner<'_>) -> Option<String> {
    r.effects.iter().find_map(|effect| match effect {
        Effect::Send { template, args, .. } if template == "email-signin-code" => code_in(args),
        _ => None,
    })
}

/// The effects with each message's text and expiry blanked: a code email and a notice differ
/// only in what the address's owner reads and in how long the outbox keeps trying.
fn without_secrets(effects: &[Effect]) -> Vec<Effect> {
    effects
        .iter()
        .map(|effect| match effect {
            Effect::Send { channel, to, .. } => Effect::Send {
                channel: *channel,
                to: to.clone(),
                template: String::new(),
                args: Args::default(),
                expires_at: None,
            },
            other => other.clone(),
        })
        .collect()
}

#[test]
fn create_mode_signs_up_a_new_address_without_a_password_at_the_lowest_level() {
    let journey = journey(SAVE_QUOTE);
    let mut r = at_code(&journey, AssurancePolicy::default(), None);
    assert_eq!(r.templates(), ["email-signin-code"]);
    let code = signin_code(&r).unwrap_or_default();
    assert_eq!(r.submit("code", "submit", &[("code", &code)]), Ok(()));
    let account = r.effects.iter().find_map(|e| match e {
        Effect::CreateAccount(account) => Some(account.clone()),
        _ => None,
    });
    let Some(account) = account else {
        panic_free_fail("no account made")
    };
    assert_eq!(account.email, "jane@example.com");
    assert_eq!(account.password, None, "an account without a password");
    assert_eq!(r.state.status(), FlowStatus::Complete);
    let auth = r.state.authenticated().cloned().unwrap();
    assert_eq!(auth.subject, account.subject);
    assert_eq!(auth.acr, "loa1");
    assert_eq!(auth.amr, ["otp"]);
    assert!(r.state.is_verified("email"));
}

#[test]
fn create_mode_signs_in_a_known_address_and_makes_no_account() {
    let journey = journey(SAVE_QUOTE);
    let mut r = at_code(&journey, policy(INSURGROUP).unwrap(), Some("subject-1"));
    let code = signin_code(&r).unwrap_or_default();
    assert_eq!(r.submit("code", "submit", &[("code", &code)]), Ok(()));
    assert!(
        !r.effects
            .iter()
            .any(|e| matches!(e, Effect::CreateAccount(_)))
    );
    let auth = r.state.authenticated().cloned().unwrap();
    assert_eq!(
        (auth.subject.as_str(), auth.acr.as_str()),
        ("subject-1", "loa1")
    );
}

#[test]
fn sign_in_mode_looks_the_same_for_an_unknown_address_which_gets_a_notice_and_no_account() {
    let journey = journey(STEP_UP);
    let known = at_code(&journey, AssurancePolicy::default(), Some("subject-1"));
    let mut unknown = at_code(&journey, AssurancePolicy::default(), None);
    assert_eq!(known.templates(), ["email-signin-code"]);
    assert_eq!(unknown.templates(), ["email-signin-unknown"]);
    // The person sees the same step, and the server is asked and told the same, apart from
    // the text of an email that only the address's owner reads.
    assert_eq!(
        view(&journey, &known.state, T0),
        view(&journey, &unknown.state, T0)
    );
    assert_eq!(
        without_secrets(&known.effects),
        without_secrets(&unknown.effects)
    );
    // No code verifies for the unknown address, not even the one sent to the known one.
    let code = signin_code(&known).unwrap_or_default();
    assert_eq!(unknown.submit("code", "submit", &[("code", &code)]), Ok(()));
    assert_eq!(unknown.rejection, Some(Rejection::InvalidInput));
    assert_eq!(unknown.state.step(), "code");
    assert!(
        !unknown
            .effects
            .iter()
            .any(|e| matches!(e, Effect::CreateAccount(_)))
    );
    // Hostile input: a code of the wrong shape, an unknown field.
    assert_eq!(
        unknown.submit("code", "submit", &[("code", "12ab56")]),
        Ok(())
    );
    assert_eq!(
        unknown.notes(),
        ["identify-by-email-code-sent", "code:error-code-format"]
    );
    assert_eq!(
        unknown.submit("code", "submit", &[("code", "123456"), ("email", "x@y.z")]),
        Err(EngineError::UnexpectedField("email".into()))
    );
}

/// A policy where a password on top of an email code reaches loa2.
const PASSWORD_FOR_LOA2: &str = r#"
levels = ["loa1", "loa2"]
[loa1]
amr_any = [["otp"], ["pwd"]]
session_minutes = 43200
[loa2]
verified = ["email"]
amr_any = [["pwd"]]
session_minutes = 1440
"#;

/// Sign-in by code of `subject-1`, up to the first-password step.
fn at_first_password(journey: &Journey) -> Runner<'_> {
    let mut r = at_code(
        journey,
        policy(PASSWORD_FOR_LOA2).unwrap(),
        Some("subject-1"),
    );
    let code = signin_code(&r).unwrap_or_default();
    assert_eq!(r.submit("code", "submit", &[("code", &code)]), Ok(()));
    assert_eq!(
        r.pending,
        Some(Query::HasPassword {
            email: "jane@example.com".into(),
            subject: "subject-1".into()
        })
    );
    r
}

#[test]
fn a_passwordless_account_gets_its_first_password_then_steps_up_to_the_minimum_level() {
    let journey = journey(STEP_UP);
    let mut r = at_first_password(&journey);
    r.answer(Answer::HasPassword(false));
    assert_eq!(r.state.step(), "first_password");
    let password = "violet tractor under the bridge 42";
    assert_eq!(
        r.submit("first_password", "submit", &[("password", password)]),
        Ok(())
    );
    assert!(matches!(
        r.effects.as_slice(),
        [Effect::SetFirstPassword { subject, password: p }]
            if subject == "subject-1" && p.expose() == password
    ));
    // Setting a password is not signing in with it: the code alone is loa1, below the minimum.
    assert_eq!(r.state.status(), FlowStatus::Active);
    assert_eq!(r.state.step(), "step_up");
    // Someone else's password does not step this flow up.
    assert_eq!(
        r.submit(
            "step_up",
            "submit",
            &[("email", "jane@example.com"), ("password", password)]
        ),
        Ok(())
    );
    r.answer(Answer::Password(PasswordCheck::Verified {
        subject: "subject-2".into(),
    }));
    assert_eq!(r.state.step(), "step_up");
    assert_eq!(r.notes(), ["error-login-failed"]);
    // The account's own password does.
    assert_eq!(
        r.submit(
            "step_up",
            "submit",
            &[("email", "jane@example.com"), ("password", password)]
        ),
        Ok(())
    );
    r.answer(Answer::Password(PasswordCheck::Verified {
        subject: "subject-1".into(),
    }));
    assert_eq!(r.state.status(), FlowStatus::Complete);
    let auth = r.state.authenticated().cloned().unwrap();
    assert_eq!(auth.acr, "loa2");
    assert_eq!(auth.amr, ["otp", "pwd"]);
}

#[test]
fn an_account_that_has_a_password_is_never_given_another_by_set_password() {
    let journey = journey(STEP_UP);
    let mut r = at_first_password(&journey);
    r.answer(Answer::HasPassword(true));
    assert_eq!(r.state.status(), FlowStatus::Failed);
    assert_eq!(r.notes(), [journey_engine::PASSWORD_EXISTS]);
    assert!(
        !r.effects
            .iter()
            .any(|e| matches!(e, Effect::SetFirstPassword { .. }))
    );
    assert_eq!(
        r.submit("first_password", "submit", &[("password", "x")]),
        Err(EngineError::NotActive)
    );
}

#[test]
fn existing_keep_lets_an_account_keep_its_password_and_goes_on_without_asking() {
    let keep = STEP_UP.replace(
        "block = \"set_password\"",
        "block = \"set_password\"\nsettings = { existing = \"keep\" }",
    );
    let journey = journey(&keep);
    let mut r = at_first_password(&journey);
    r.answer(Answer::HasPassword(true));
    // Past the password step without a word to the person and without a new password.
    assert_eq!(r.state.status(), FlowStatus::Active);
    assert_eq!(r.state.step(), "step_up");
    assert!(r.notes().is_empty());
    assert!(
        !r.effects
            .iter()
            .any(|e| matches!(e, Effect::SetFirstPassword { .. }))
    );
    // Any other word is refused when the journey loads, naming the setting.
    let wrong = STEP_UP.replace(
        "block = \"set_password\"",
        "block = \"set_password\"\nsettings = { existing = \"replace\" }",
    );
    let errors = Journey::parse(&BlockCatalogue::standard(), "test.toml", "test", &wrong)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(errors.contains("`existing = \"replace\"`"), "{errors}");
}

#[test]
fn a_flow_that_reaches_no_level_ends_without_a_session() {
    // A tenant whose lowest level needs a password: an email code alone reaches none.
    let strict = "levels = ['loa1']\n[loa1]\namr_any = [['pwd']]\nsession_minutes = 60";
    let journey = journey(SAVE_QUOTE);
    let mut r = at_code(&journey, policy(strict).unwrap(), None);
    let code = signin_code(&r).unwrap_or_default();
    assert_eq!(r.submit("code", "submit", &[("code", &code)]), Ok(()));
    assert_eq!(r.state.status(), FlowStatus::Failed);
    assert_eq!(r.state.authenticated(), None);
    assert_eq!(r.notes(), ["error-assurance-insufficient"]);
}

#[test]
fn a_journey_cannot_declare_its_level_and_names_the_levels_it_requires() {
    let declared = "start = 'a'\n[steps.a]\nblock = 'password_login'\non = { authenticated = 'b' }\n[steps.b]\nblock = 'auto_login'\nsettings = { acr = 'loa3' }";
    let errors = Journey::parse(&BlockCatalogue::standard(), "x.toml", "x", declared)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.starts_with("x.toml: step `b`: invalid settings: `acr` is no longer a journey's to declare: the tenant's policy (`[assurance]` in tenant.toml)"),
        "{errors}"
    );
    // With `min_acr`, `insufficient` must lead somewhere.
    let unmapped = "start = 'a'\n[steps.a]\nblock = 'password_login'\non = { authenticated = 'b' }\n[steps.b]\nblock = 'auto_login'\nsettings = { min_acr = 'loa2' }";
    let errors = Journey::parse(&BlockCatalogue::standard(), "x.toml", "x", unmapped)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("outcome `insufficient` leads nowhere"),
        "{errors}"
    );
    let journey = journey(STEP_UP);
    assert_eq!(
        journey.assurance_levels(),
        [("sign_in".to_owned(), "loa2".to_owned())]
    );
}

#[test]
fn identify_by_email_code_needs_an_address_first() {
    let source = "start = 'c'\n[steps.c]\nblock = 'identify_by_email_code'\non = { identified = 'l', too_many_attempts = 'l' }\n[steps.l]\nblock = 'auto_login'";
    let errors = Journey::parse(&BlockCatalogue::standard(), "x.toml", "x", source)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("step `c`: a path reaches this step without an email address first"),
        "{errors}"
    );
    let bad = "start = 'e'\n[steps.e]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'c' }\n[steps.c]\nblock = 'identify_by_email_code'\nsettings = { create = 'yes' }\non = { identified = 'l', too_many_attempts = 'l' }\n[steps.l]\nblock = 'auto_login'";
    let errors = Journey::parse(&BlockCatalogue::standard(), "x.toml", "x", bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("step `c`: invalid settings: `create` must be true or false"),
        "{errors}"
    );
}

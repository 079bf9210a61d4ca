//! Loading journey files: every problem named with its file and step, hostile files refused
//! without a panic, the facts a block needs checked on every path, and the channels a journey
//! sends messages by.

use super::*;

/// Journey files with one problem each, and the problem the loader must name.
#[test]
fn invalid_journeys_are_refused_with_the_step_and_the_problem() {
    let cases: &[(&str, Option<&str>, fn(&Problem) -> bool)] = &[
        (
            "start = 'a'\n[steps.a]\nblock = 'teleport'",
            Some("a"),
            |p| matches!(p, Problem::UnknownBlock { .. }),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'show_information'\nsettings = { title = 't' }",
            Some("a"),
            |p| matches!(p, Problem::OutcomeUnmapped(o) if o == "continue"),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'show_information'\nsettings = { title = 't' }\non = { continue = 'b' }",
            Some("a"),
            |p| matches!(p, Problem::TargetNotFound { .. }),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }\n[steps.b]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }",
            Some("b"),
            |p| matches!(p, Problem::Unreachable),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'show_information'",
            Some("a"),
            |p| matches!(p, Problem::Settings(s) if s.contains("title")),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'email_validation'\nsettings = { code_length = 'six' }\non = { verified = 'a', too_many_attempts = 'a' }",
            Some("a"),
            |p| matches!(p, Problem::Settings(_)),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'email_validation'\nsettings = { code_ttl_seconds = 3600 }\non = { verified = 'a', too_many_attempts = 'a' }",
            Some("a"),
            |p| matches!(p, Problem::Settings(s) if s.contains("10 minutes")),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'b' }\n[steps.b]\nblock = 'set_password'\non = { set = 'c' }\n[steps.c]\nblock = 'auto_login'",
            Some("b"),
            |p| matches!(p, Problem::Requires(journey_engine::Fact::EmailVerified)),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'email_validation'\non = { verified = 'b', too_many_attempts = 'b' }\n[steps.b]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }",
            Some("a"),
            |p| matches!(p, Problem::Requires(journey_engine::Fact::Email)),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'show_information'\nsettings = { title = 't' }\non = { continue = 'b' }\n[steps.b]\nblock = 'auto_login'",
            Some("b"),
            |p| matches!(p, Problem::Requires(journey_engine::Fact::Subject)),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'b' }\n[steps.b]\nblock = 'duplicate_check'\nsettings = { attribute = 'email' }\non = { checked = 'c' }\n[steps.c]\nblock = 'duplicate_check'\nsettings = { attribute = 'email' }\non = { checked = 'b' }",
            Some("b"),
            |p| matches!(p, Problem::LoopWithoutWaiting),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'set_password'\nsettings = { min_length = 8 }\non = { set = 'a' }",
            Some("a"),
            |p| matches!(p, Problem::Settings(s) if s.contains("at least 15")),
        ),
        (
            "start = 'a'\n[steps.a]\nblock = 'auto_login'\non = { done = 'a' }",
            Some("a"),
            |p| matches!(p, Problem::UnknownOutcome { .. }),
        ),
        (
            "start = 'nowhere'\n[steps.a]\nblock = 'auto_login'",
            None,
            |p| matches!(p, Problem::StartNotFound(_)),
        ),
        (
            "start = 'a'\n[steps.A-1]\nblock = 'auto_login'",
            Some("A-1"),
            |p| matches!(p, Problem::BadStepId),
        ),
        ("start = \n", None, |p| matches!(p, Problem::Syntax(_))),
        ("start = 'a'\nsteps = 3", None, |p| {
            matches!(p, Problem::Syntax(_))
        }),
        (
            "start = 'a'\nunknown = 1\n[steps.a]\nblock = 'auto_login'",
            None,
            |p| matches!(p, Problem::Syntax(_)),
        ),
    ];
    for (source, step, expected) in cases {
        let result = Journey::parse(
            &BlockCatalogue::standard(),
            "roadhelp/journeys/x.toml",
            "x",
            source,
        );
        let Err(errors) = result else {
            panic_free_fail(&format!("accepted: {source}"))
        };
        let first = &errors.0[0];
        assert_eq!(first.file, "roadhelp/journeys/x.toml");
        assert_eq!(first.step.as_deref(), *step, "{source}: {errors}");
        assert!(expected(&first.problem), "{source}: {errors}");
        assert!(errors.to_string().starts_with("roadhelp/journeys/x.toml"));
    }
}

#[test]
fn hostile_journey_files_are_refused_without_panicking() {
    let huge = format!("start = 'a'\n# {}", "x".repeat(300 * 1024));
    let deep = format!("start = {}1{}", "[".repeat(5000), "]".repeat(5000));
    let cases = [
        huge.as_str(),
        deep.as_str(),
        "\u{0}\u{1}",
        "start = 'a'\n[steps]\na = 1",
        "[[steps]]",
    ];
    for source in cases {
        assert!(Journey::parse(&BlockCatalogue::standard(), "f.toml", "f", source).is_err());
    }
}

#[test]
fn a_verified_address_on_one_path_only_is_not_enough() {
    // The resend path of `verify_email` skips the verification: set_password must be refused.
    let source = "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'd' }\n[steps.d]\nblock = 'duplicate_check'\nsettings = { attribute = 'email' }\non = { checked = 'v' }\n[steps.v]\nblock = 'email_validation'\non = { verified = 'p', too_many_attempts = 'p' }\n[steps.p]\nblock = 'set_password'\non = { set = 'l' }\n[steps.l]\nblock = 'auto_login'";
    let errors = Journey::parse(&BlockCatalogue::standard(), "j.toml", "j", source)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        errors.as_deref(),
        Some(
            "j.toml: step `p`: a path reaches this step without a verified email address first: put email_validation (its `verified` outcome) on every path before it"
        )
    );
}

#[test]
fn the_fixture_journeys_load_and_name_their_message_ids() {
    let registration = journey(REGISTRATION);
    let ids = registration.message_ids();
    for id in [
        "registration-title",
        "email-verification-code-body",
        "locked-body",
        "welcome-title",
    ] {
        assert!(ids.contains(id), "{id}");
    }
    assert_ne!(registration.version(), journey(LOGIN).version());
}

/// What a journey sends by comes from its blocks, once per channel however many steps use it;
/// the server refuses to start a journey whose channel has no sender. Phone verification sends
/// by SMS and voice; every other block that sends, sends email.
#[test]
fn a_journey_reports_the_channels_its_steps_send_messages_by() {
    let cases: &[(&str, &str, &[Channel])] = &[
        // A code step (email_validation).
        ("registration", REGISTRATION, &[Channel::Email]),
        // A code step and the notice of a new password (reset_password): email, once.
        ("recovery", RECOVERY, &[Channel::Email]),
        // No step sends a message.
        ("login", LOGIN, &[]),
        // A phone step with both channels (the default).
        (
            "phone",
            include_str!("../fixtures/phone.toml"),
            &[Channel::Sms, Channel::Voice],
        ),
    ];
    for (name, source, expected) in cases {
        let channels: Vec<Channel> = journey(source).channels().into_iter().collect();
        assert_eq!(channels, *expected, "{name}");
    }
}

//! The saved flow state: typed (a verified-attributes set, each step's own memory), written
//! and read by the engine, and refused cleanly when it does not parse.

use super::*;

/// Replaces the JSON value at `path` (object keys) in a saved state.
fn tampered(state: &FlowState, path: &[&str], value: serde_json::Value) -> String {
    let mut json: serde_json::Value =
        serde_json::from_str(&state.to_json().unwrap_or_default()).unwrap_or_default();
    let mut at = &mut json;
    for key in path {
        at = &mut at[*key];
    }
    *at = value;
    json.to_string()
}

#[test]
fn a_state_round_trips_and_keeps_the_notes_with_their_arguments() {
    let journey = journey(REGISTRATION);
    let mut r = at_code_step(&journey, false);
    assert_eq!(
        r.submit("verify_email", "submit", &[("code", "12345")]),
        Ok(())
    );
    let json = r.state.to_json().unwrap_or_default();
    let back = FlowState::from_json(&json);
    assert_eq!(back.as_ref(), Ok(&r.state));
    // A saved note keeps what its text needs; the step shows the same after a reload.
    assert!(json.contains(r#""args":[["length",6]]"#), "{json}");
    let before = view(&journey, &r.state, T0);
    let after = back.map(|state| view(&journey, &state, T0));
    assert_eq!(after, Ok(before));
}

#[test]
fn a_state_that_does_not_parse_is_refused_without_a_panic() {
    let journey = journey(REGISTRATION);
    let r = at_code_step(&journey, false);
    let unreadable = |result: Result<FlowState, EngineError>| {
        matches!(result, Err(EngineError::UnreadableState(_)))
    };
    // Not JSON, not a state, another format, and the previous release's state (no format).
    assert!(unreadable(FlowState::from_json("not json")));
    assert!(unreadable(FlowState::from_json("{}")));
    assert!(unreadable(FlowState::from_json(&tampered(
        &r.state,
        &["format"],
        1.into()
    ))));
    let previous_release = r#"{"step":"verify_email","status":"active","data":{"email":"jane@example.com","email_verified":"true"},"duplicate":false,"account":null,"subject":null,"amr":[],"memory":{"kind":"none"},"notes":[],"echo":{},"authenticated":null,"seq":1}"#;
    assert!(unreadable(FlowState::from_json(previous_release)));

    // A step's memory that is not the block's type: every call says so, none panics.
    let broken = tampered(&r.state, &["memory", "verify_email"], "garbage".into());
    let state = FlowState::from_json(&broken).unwrap_or_else(|e| panic_free_fail(&e.to_string()));
    assert!(matches!(
        view(&journey, &state, T0),
        Err(EngineError::UnreadableState(_))
    ));
    let submission = Submission {
        step: "verify_email".into(),
        action: "resend".into(),
        values: BTreeMap::new(),
    };
    let result = submit(&journey, state, submission, &env(T0 + 60, 9));
    assert!(
        matches!(result, Err(EngineError::UnreadableState(_))),
        "{result:?}"
    );
}

#[test]
fn what_the_block_waits_for_is_never_saved() {
    let journey = journey(REGISTRATION);
    let r = at_code_step(&journey, false);
    let submission = Submission {
        step: "verify_email".into(),
        action: "submit".into(),
        values: [("code".to_owned(), "424242".to_owned())].into(),
    };
    let advance = submit(&journey, r.state.clone(), submission, &env(T0 + 1, 5))
        .unwrap_or_else(|e| panic_free_fail(&e.to_string()));
    assert!(matches!(advance.query, Some(Query::CodeGuess { .. })));
    let saved = advance.state.to_json().unwrap_or_default();
    assert!(!saved.contains("424242"), "{saved}");
    // Read back, the answer has nothing to go with: refused, not guessed at.
    let read = FlowState::from_json(&saved).unwrap_or_else(|e| panic_free_fail(&e.to_string()));
    assert_eq!(
        resume(&journey, read, Answer::CodeGuess(None), &env(T0 + 1, 5)).err(),
        Some(EngineError::UnexpectedAnswer)
    );
}

#[test]
fn the_memory_of_a_step_goes_when_the_flow_leaves_it() {
    let journey = journey(REGISTRATION);
    let r = at_password_step(&journey);
    let json = r.state.to_json().unwrap_or_default();
    assert!(json.contains(r#""memory":{}"#), "{json}");
    assert!(r.state.is_verified("email"));
    assert!(!json.contains("email_verified"), "no string flags: {json}");
}

/// Collect, verify, collect again, end: the second address must be proved anew.
const RECOLLECT: &str = "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'v' }\n[steps.v]\nblock = 'email_validation'\non = { verified = 'b', too_many_attempts = 'x' }\n[steps.b]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'x' }\n[steps.x]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }";

#[test]
fn a_changed_address_loses_its_proof() {
    let journey = journey(RECOLLECT);
    for (again, still_verified) in [("jane@example.com", true), ("john@example.com", false)] {
        let mut r = Runner::start(&journey);
        assert_eq!(
            r.submit("a", "submit", &[("email", "jane@example.com")]),
            Ok(())
        );
        let code = r.sent_code().unwrap_or_default();
        assert_eq!(r.submit("v", "submit", &[("code", &code)]), Ok(()));
        assert_eq!(r.state.step(), "b");
        assert!(r.state.is_verified("email"));
        assert_eq!(r.submit("b", "submit", &[("email", again)]), Ok(()));
        assert_eq!(r.state.is_verified("email"), still_verified, "{again}");
    }
    // And a journey that creates the account after collecting again is refused.
    let source = "start = 'a'\n[steps.a]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'd' }\n[steps.d]\nblock = 'duplicate_check'\nsettings = { attribute = 'email' }\non = { checked = 'v' }\n[steps.v]\nblock = 'email_validation'\non = { verified = 'b', too_many_attempts = 'x' }\n[steps.b]\nblock = 'collect_user_data'\nsettings = { attributes = ['email'] }\non = { submitted = 'p' }\n[steps.p]\nblock = 'set_password'\non = { set = 'l' }\n[steps.l]\nblock = 'auto_login'\n[steps.x]\nblock = 'show_information'\nsettings = { title = 't', end = 'failed' }";
    let errors = Journey::parse(&BlockCatalogue::standard(), "j.toml", "j", source)
        .err()
        .map(|e| e.0);
    let problems: Vec<_> = errors
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.step, e.problem))
        .collect();
    assert_eq!(
        problems,
        [(
            Some("p".to_owned()),
            Problem::Requires(journey_engine::Fact::EmailVerified)
        )]
    );
}

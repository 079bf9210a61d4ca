//! Step guards: a condition that must hold for the flow to enter a step, and the step it goes
//! to instead; checked when the journey loads like a decision gateway's conditions.

use super::*;

const GUARDS: &str = include_str!("../fixtures/guards.toml");

fn after_details(email: &str) -> (Journey, FlowState, Vec<Effect>) {
    let journey = journey(GUARDS);
    let mut r = Runner::start(&journey);
    assert_eq!(r.submit("details", "submit", &[("email", email)]), Ok(()));
    let (state, effects) = (r.state.clone(), r.effects.clone());
    drop(r);
    (journey, state, effects)
}

#[test]
fn a_step_whose_guard_holds_is_entered_and_one_whose_guard_fails_is_skipped() {
    let (_, state, effects) = after_details("jo@insurgroup.example");
    assert_eq!(state.step(), "staff");
    assert_eq!(effects, []);
    let (_, state, effects) = after_details("jane@example.com");
    // `staff` skipped; `named`'s guard reads an attribute the flow lacks: no answer, which does
    // not hold, and the operator is told.
    assert_eq!(state.step(), "end");
    assert_eq!(state.status(), FlowStatus::Failed);
    assert!(
        matches!(effects.as_slice(), [Effect::ConditionFailed { step, problem }]
            if step == "named" && problem.starts_with("guard: `flow.given_name == 'Jane'`")),
        "{effects:?}"
    );
}

fn problems(source: &str) -> String {
    Journey::parse(&BlockCatalogue::standard(), "g.toml", "g", source)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[test]
fn a_wrong_guard_stops_the_journey_naming_the_file_step_and_setting() {
    let show = "block = 'show_information'\nsettings = { title = 't', end = 'failed' }";
    let cases = [
        (
            format!("start = 'a'\n[steps.a]\n{show}\nguard = 'has(flow.email)'"),
            "g.toml: step `a`: `guard` needs `on_guard_failed",
        ),
        (
            format!("start = 'a'\n[steps.a]\n{show}\non_guard_failed = 'a'"),
            "g.toml: step `a`: `on_guard_failed` without a `guard`",
        ),
        (
            format!(
                "start = 'a'\n[steps.a]\n{show}\nguard = 'user.admin'\non_guard_failed = 'b'\n[steps.b]\n{show}"
            ),
            "g.toml: step `a`: the condition `guard = \"user.admin\"` does not compile: at 1:1: unknown variable `user`",
        ),
        (
            format!("start = 'a'\n[steps.a]\n{show}\nguard = 'true'\non_guard_failed = 'nowhere'"),
            "g.toml: step `a`: outcome `on_guard_failed` leads to `nowhere`, which is not a step",
        ),
        // Skipping back to itself would never stop.
        (
            format!("start = 'a'\n[steps.a]\n{show}\nguard = 'false'\non_guard_failed = 'a'"),
            "g.toml: step `a`: the step is on a loop that never waits",
        ),
        // A skipped login signs nobody in: auto_login after it lacks an account on that path.
        (
            "start = 'a'\n[steps.a]\nblock = 'password_login'\nguard = 'has(flow.email)'\non_guard_failed = 'b'\non = { authenticated = 'b' }\n[steps.b]\nblock = 'auto_login'".to_owned(),
            "g.toml: step `b`: a path reaches this step without an account first",
        ),
    ];
    for (source, expected) in cases {
        let errors = problems(&source);
        assert!(errors.contains(expected), "{source}\n=> {errors}");
    }
}

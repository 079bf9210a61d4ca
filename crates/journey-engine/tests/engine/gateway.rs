//! The decision gateway and its conditions: what compiles and what is refused (with where),
//! hostile expressions refused without a panic or a deep stack, evaluation over a flow's
//! attributes, a journey through the gateway, and the load error an operator reads.

use super::*;
use journey_engine::expr::{Condition, MAX_EXPRESSION_CHARS, Variables, environment};
use std::collections::BTreeSet;

const GATEWAY: &str = include_str!("../fixtures/gateway.toml");
const BAD_EXPRESSION: &str = include_str!("../fixtures/gateway-bad-expression.toml");

/// The compile error of `source`, as (position, problem); `None` when it compiles.
fn refusal(source: &str) -> Option<(Option<(usize, usize)>, String)> {
    Condition::compile(&environment(), source)
        .err()
        .map(|e| (e.position, e.problem))
}

fn attributes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// `source` evaluated over a flow with `flow`'s attributes and an empty context.
fn evaluate(source: &str, flow: &[(&str, &str)]) -> Result<bool, String> {
    let condition = Condition::compile(&environment(), source)
        .unwrap_or_else(|e| panic_free_fail(&format!("`{source}` does not compile: {e}")));
    let flow = attributes(flow);
    let context = BTreeMap::new();
    let variables = Variables::new(&flow, &context);
    condition.evaluate(&variables).map_err(|e| e.to_string())
}

#[test]
fn conditions_see_what_was_verified_the_methods_used_and_the_level() {
    let flow = attributes(&[("email", "jane@example.com")]);
    let context = BTreeMap::new();
    let verified: BTreeSet<String> = ["email".to_owned(), "phone_number".to_owned()].into();
    let amr = ["otp".to_owned(), "sms".to_owned()];
    let person = Variables {
        verified: &verified,
        amr: &amr,
        acr: "loa2",
        ..Variables::new(&flow, &context)
    };
    let nobody = Variables::new(&flow, &context);
    for (source, for_person, for_nobody) in [
        ("'phone_number' in verified", true, false),
        ("'sms' in amr && !('pwd' in amr)", true, false),
        ("acr == 'loa2'", true, false),
        ("acr == ''", false, true),
        ("size(verified) >= 1 && has(flow.email)", true, false),
    ] {
        let condition = Condition::compile(&environment(), source)
            .unwrap_or_else(|e| panic_free_fail(&format!("`{source}`: {e}")));
        assert_eq!(
            condition.evaluate(&person).ok(),
            Some(for_person),
            "{source}"
        );
        assert_eq!(
            condition.evaluate(&nobody).ok(),
            Some(for_nobody),
            "{source}"
        );
    }
}

#[test]
fn conditions_that_use_only_what_is_declared_compile() {
    for source in [
        "flow.product == 'car'",
        "has(flow.quote)",
        "has(flow.quote) && flow.quote.startsWith('Q-') || !has(context.product)",
        "size(flow.email) > 3 && flow.email.contains('@') && flow.email.endsWith('.nl')",
        "flow.email in ['a@example.com', 'b@example.com']",
        "int(flow.age) >= 18 ? true : false",
        "flow['given_name'] == 'Zoë 🚀'",
        "{'a': 1}['a'] == 1",
    ] {
        assert_eq!(refusal(source), None, "{source}");
    }
}

#[test]
fn conditions_are_refused_with_the_problem_and_where_it_is() {
    // (expression, position, words the problem must contain)
    let cases: &[(&str, Option<(usize, usize)>, &[&str])] = &[
        ("flow.email ==", Some((1, 14)), &["syntax error"]),
        ("flow.email == 'a' &&\n  )", Some((2, 3)), &["syntax error"]),
        (
            "user.email == 'a'",
            Some((1, 1)),
            &["unknown variable `user`", "flow"],
        ),
        (
            "flow.a == 'x' &&\n  account.b",
            Some((2, 3)),
            &["`account`"],
        ),
        (
            "flow.email.matches('^(a+)+$')",
            Some((1, 19)),
            &["forbidden function `matches`"],
        ),
        (
            "timestamp('2026-01-01T00:00:00Z') == 1",
            Some((1, 10)),
            &["`timestamp`"],
        ),
        ("now() > 1", Some((1, 4)), &["`now`"]),
        // Positions count characters, not bytes.
        ("flow.a == 'Zoë🚀' && user", Some((1, 21)), &["`user`"]),
        ("'Zoë🚀' ==", Some((1, 10)), &["syntax error"]),
        ("[1, 2].all(x, x > 0)", None, &["comprehensions"]),
        ("flow.exists(k, k == 'email')", None, &["comprehensions"]),
        ("Account{name: 'a'} == 1", None, &["message literals"]),
        ("has(flow.?x)", None, &["syntax error"]),
    ];
    for (source, position, words) in cases {
        let Some((at, problem)) = refusal(source) else {
            panic_free_fail(&format!("`{source}` compiled"));
        };
        for word in *words {
            assert!(problem.contains(word), "`{source}`: {problem}");
        }
        if position.is_some() {
            assert_eq!(at, *position, "`{source}`: {problem}");
        }
    }
}

#[test]
fn hostile_conditions_are_refused_before_they_cost_anything() {
    let long = "flow.a == 'x' || ".repeat(100) + "true";
    let (at, problem) = refusal(&long).unwrap_or_default();
    assert_eq!(at, None);
    assert!(
        problem.contains(&format!("at most {MAX_EXPRESSION_CHARS}")),
        "{problem}"
    );

    // Characters, not bytes: 1,000 emoji are allowed in length (and refused as syntax).
    let emoji = "'".to_owned() + &"🚀".repeat(998) + "'";
    assert_eq!(emoji.chars().count(), MAX_EXPRESSION_CHARS);
    assert_eq!(refusal(&emoji), None);
    let (_, problem) = refusal(&format!("{emoji}+")).unwrap_or_default();
    assert!(problem.contains("1001 characters"), "{problem}");

    // A stack-deep input for a recursive parser is refused by its length first, and within the
    // length by a count of brackets, never by the parser's stack.
    let opened = "(".repeat(100_000);
    assert!(
        refusal(&opened)
            .unwrap_or_default()
            .1
            .contains("100000 characters")
    );
    let nested = "(".repeat(900) + "true" + &")".repeat(90);
    let (at, problem) = refusal(&nested).unwrap_or_default();
    assert_eq!(at, Some((1, 33)), "{problem}");
    assert!(problem.contains("nest more than 32"), "{problem}");
    let lists = "[".repeat(40) + &"]".repeat(40) + " == []";
    assert!(
        refusal(&lists)
            .unwrap_or_default()
            .1
            .contains("nest more than")
    );
    // Brackets inside a string are text, not nesting.
    assert_eq!(refusal(&format!("flow.a == '{}'", "(".repeat(100))), None);

    // Operators nest without brackets; a long chain is refused, not evaluated.
    let chain = "1 + ".repeat(240) + "1 == 1";
    assert!(chain.len() <= MAX_EXPRESSION_CHARS);
    let (_, problem) = refusal(&chain).unwrap_or_default();
    assert!(
        problem.contains("deep") || problem.contains("Recursion limit"),
        "{problem}"
    );
    let negations = "!".repeat(500) + "true";
    assert_eq!(evaluate(&negations, &[]), Ok(true));
}

#[test]
fn conditions_evaluate_to_true_or_false_or_say_why_not() {
    let jane = [("email", "jane@example.com"), ("given_name", "Jane")];
    assert_eq!(evaluate("flow.given_name == 'Jane'", &jane), Ok(true));
    assert_eq!(evaluate("flow.given_name == 'John'", &jane), Ok(false));
    assert_eq!(evaluate("has(flow.quote)", &jane), Ok(false));
    assert_eq!(evaluate("has(flow.given_name)", &jane), Ok(true));
    assert_eq!(evaluate("has(context.product)", &jane), Ok(false));
    assert_eq!(
        evaluate("has(flow.quote) && flow.quote == 'Q-1'", &jane),
        Ok(false)
    );
    assert_eq!(evaluate("flow['given_name'] == 'Jane'", &jane), Ok(true));
    assert_eq!(
        evaluate("flow.given_name == 'Zoë 🚀'", &[("given_name", "Zoë 🚀")]),
        Ok(true)
    );

    let missing = evaluate("flow.quote == 'Q-1'", &jane).unwrap_err();
    assert!(
        missing.contains("`quote`") && missing.contains("has()"),
        "{missing}"
    );
    let not_bool = evaluate("size(flow.email)", &jane).unwrap_err();
    assert!(not_bool.contains("an int, not true or false"), "{not_bool}");
    let string = evaluate("flow.email", &jane).unwrap_err();
    assert!(string.contains("a string, not true or false"), "{string}");
    // A type mismatch names the types, never the flow's values.
    let mismatch = evaluate("flow.email > 1", &jane).unwrap_err();
    assert!(mismatch.contains("flow.email > 1"), "{mismatch}");
    assert!(!mismatch.contains("jane@"), "{mismatch}");
    let number = evaluate("int(flow.email) > 1", &jane).unwrap_err();
    assert!(!number.contains("jane@"), "{number}");
}

#[test]
fn a_flow_takes_the_first_branch_that_holds_else_otherwise() {
    let journey = journey(GATEWAY);
    let cases: &[(&[(&str, &str)], &str)] = &[
        // Both the first and the second branch hold: the first wins.
        (
            &[("email", "jane@example.com"), ("given_name", "Jane")],
            "j",
        ),
        // No given name: the first branch's `has()` guard makes it false, not an error.
        (&[("email", "jo@example.com")], "example"),
        (&[("email", "jo@example.com"), ("given_name", "Jo")], "j"),
        (
            &[("email", "kim@example.org"), ("given_name", "Kim")],
            "other",
        ),
        (&[("email", "kim@example.org")], "other"),
    ];
    for (values, step) in cases {
        let mut runner = Runner::start(&journey);
        assert_eq!(runner.submit("details", "submit", values), Ok(()));
        assert_eq!(runner.state.step(), *step, "{values:?}");
        assert_eq!(runner.pending, None);
    }
}

#[test]
fn a_condition_that_gives_no_answer_does_not_hold_and_is_reported() {
    let source = GATEWAY.replace(
        "has(flow.given_name) && flow.given_name.startsWith('J')",
        "flow.given_name.startsWith('J')",
    );
    let journey = journey(&source);
    let mut runner = Runner::start(&journey);
    let result = runner.submit("details", "submit", &[("email", "jo@example.com")]);
    assert_eq!(result, Ok(()));
    // The first branch cannot be told without a given name: it does not hold, and the
    // second, which does, is taken; the person is not stopped.
    assert_eq!(runner.state.step(), "example");
    let failures: Vec<_> = runner
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::ConditionFailed { step, problem } => Some((step.clone(), problem.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(failures.len(), 1, "{:?}", runner.effects);
    let (step, problem) = &failures[0];
    assert_eq!(step, "route");
    assert!(problem.contains("branch `named_j`"), "{problem}");
    assert!(problem.contains("`given_name`"), "{problem}");
    assert!(!problem.contains("jo@"), "no value of the flow: {problem}");

    // With every branch failing or false, the flow goes `otherwise`.
    let mut runner = Runner::start(&journey);
    let result = runner.submit("details", "submit", &[("email", "kim@example.org")]);
    assert_eq!(result, Ok(()));
    assert_eq!(runner.state.step(), "other");
}

#[test]
fn a_wrong_condition_stops_the_journey_loading_with_the_file_step_expression_and_position() {
    let errors = Journey::parse(
        &BlockCatalogue::standard(),
        "tenants/testco/journeys/gateway-bad-expression.toml",
        "gateway-bad-expression",
        BAD_EXPRESSION,
    )
    .err()
    .unwrap_or_else(|| panic_free_fail("the journey loaded"));
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].step.as_deref(), Some("route"));
    assert_eq!(
        errors.to_string(),
        "tenants/testco/journeys/gateway-bad-expression.toml: step `route`: invalid settings: \
         branch 2: the condition `when = \"flow.email == 'a' &&\"` does not compile: \
         at 1:21: syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"
    );
}

#[test]
fn gateway_settings_are_checked_when_the_journey_loads() {
    let with = |settings: &str, on: &str| {
        format!(
            "start = 'a'\n[steps.a]\nblock = 'decision_gateway'\nsettings = {settings}\non = {on}\n\
             [steps.b]\nblock = 'show_information'\nsettings = {{ title = 't', end = 'failed' }}"
        )
    };
    let cases: &[(String, fn(&Problem) -> bool)] = &[
        (
            with("{ branches = [], otherwise = 'o' }", "{ o = 'b' }"),
            |p| matches!(p, Problem::Settings(s) if s.contains("at least one branch")),
        ),
        (
            with(
                "{ branches = [{ when = 'true', outcome = 'yes' }], otherwise = 'no' }",
                "{ yes = 'b' }",
            ),
            |p| matches!(p, Problem::OutcomeUnmapped(o) if o == "no"),
        ),
        (
            with(
                "{ branches = [{ when = 'true', outcome = 'yes' }], otherwise = 'no' }",
                "{ yes = 'b', no = 'b', maybe = 'b' }",
            ),
            |p| matches!(p, Problem::UnknownOutcome { outcome, .. } if outcome == "maybe"),
        ),
        (
            with(
                "{ branches = [{ when = 'true', outcome = 'Yes!' }], otherwise = 'no' }",
                "{ no = 'b' }",
            ),
            |p| matches!(p, Problem::Settings(s) if s.contains("a-z, 0-9 and _")),
        ),
        (
            with(
                "{ branches = [{ if = 'true', outcome = 'yes' }], otherwise = 'no' }",
                "{ yes = 'b', no = 'b' }",
            ),
            |p| matches!(p, Problem::Settings(s) if s.contains("if")),
        ),
        (
            with(
                "{ branches = [{ when = 'flow.email.matches(\"a\")', outcome = 'yes' }], otherwise = 'no' }",
                "{ yes = 'b', no = 'b' }",
            ),
            |p| matches!(p, Problem::Settings(s) if s.contains("`matches`") && s.contains("at 1:")),
        ),
        (
            // A gateway that leads back to itself never waits for the person.
            with(
                "{ branches = [{ when = 'true', outcome = 'yes' }], otherwise = 'no' }",
                "{ yes = 'a', no = 'b' }",
            ),
            |p| matches!(p, Problem::LoopWithoutWaiting),
        ),
    ];
    for (source, expected) in cases {
        let errors = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", source)
            .err()
            .unwrap_or_else(|| panic_free_fail(&format!("loaded: {source}")));
        assert!(
            errors.0.iter().any(|e| expected(&e.problem)),
            "{source}\n{errors}"
        );
    }

    // A refused expression is repeated cut short, not whole.
    let long = with(
        &format!(
            "{{ branches = [{{ when = '{}', outcome = 'yes' }}], otherwise = 'no' }}",
            "x".repeat(5_000)
        ),
        "{ yes = 'b', no = 'b' }",
    );
    let message = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &long)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("5000 characters"), "{message}");
    assert!(message.len() < 400, "{message}");
}

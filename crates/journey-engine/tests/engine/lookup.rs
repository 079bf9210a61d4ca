//! Context from the page (declared keys and types, refused starts, the gateway's `context`)
//! and `look_up_data` (the query it asks, its outcomes, the map into attributes, the retry).

use super::*;
use journey_engine::{ContextType, LookUp, LookUpMethod, start_with_context};
use journey_protocol::Context;
use serde_json::json;

const LOOKUP: &str = include_str!("../fixtures/lookup.toml");

fn context(value: serde_json::Value) -> Context {
    serde_json::from_value(value).unwrap()
}

impl<'j> Runner<'j> {
    /// A flow started with the page's `context`, which must be accepted.
    fn start_with_page_context(journey: &'j Journey, value: serde_json::Value) -> Self {
        let advance = start_with_context(journey, &context(value), &env(T0, 1))
            .unwrap_or_else(|e| panic_free_fail(&e.to_string()))
            .unwrap_or_else(|refusal| panic_free_fail(&refusal.to_string()));
        let mut runner = Self {
            journey,
            state: advance.state.clone(),
            pending: None,
            effects: Vec::new(),
            rejection: None,
            messages_allowed: true,
            guesses_paused: None,
            assurance: Default::default(),
            profiles: Some(None),
        };
        runner.take(advance);
        runner
    }
}

/// The refusal of a start with `value` as its context: the key blamed and the problem.
fn refused(journey: &Journey, value: serde_json::Value) -> (Option<String>, String) {
    match start_with_context(journey, &context(value), &env(T0, 1)) {
        Ok(Err(refusal)) => (refusal.key, refusal.problem),
        Ok(Ok(advance)) => panic_free_fail(&format!("started at {}", advance.state.step())),
        Err(e) => panic_free_fail(&e.to_string()),
    }
}

fn quote() -> serde_json::Value {
    json!({
        "number": "Q-1001",
        "product": "car",
        "price": 420,
        "car": { "make": "Volvo", "model": "V60" }
    })
}

#[test]
fn a_journey_declares_its_context_keys_with_their_types() {
    let journey = journey(LOOKUP);
    let keys: Vec<(&str, ContextType)> = journey.context().keys().collect();
    assert_eq!(
        keys,
        vec![
            ("age", ContextType::Int),
            ("product", ContextType::String),
            ("quote", ContextType::String),
            ("returning", ContextType::Bool),
        ]
    );
}

#[test]
fn wrong_context_declarations_stop_the_journey_loading() {
    let cases = [
        (
            "age = \"integer\"",
            "the type must be \"string\", \"int\" or \"bool\"",
        ),
        ("Age = \"int\"", "must use only a-z, 0-9 and _"),
        ("age = 18", "not a valid journey file"),
    ];
    for (line, expected) in cases {
        let source = LOOKUP.replace("age = \"int\"", line);
        let errors = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &source)
            .err()
            .unwrap_or_else(|| panic_free_fail(&format!("`{line}` loaded")));
        let text = errors.to_string();
        assert!(text.contains(expected), "{line}: {text}");
        assert!(text.starts_with("t.toml: "), "{text}");
    }
    let many: String = (0..33).map(|i| format!("k{i} = \"string\"\n")).collect();
    let source = LOOKUP.replace("[context]\n", &format!("[context]\n{many}"));
    let errors = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &source)
        .err()
        .unwrap_or_else(|| panic_free_fail("37 keys loaded"));
    assert!(errors.to_string().contains("at most 32"), "{errors}");
}

#[test]
fn a_step_that_reads_an_undeclared_context_key_does_not_load() {
    for (from, to, step) in [
        (
            "context.product == 'car'",
            "context.brand == 'car'",
            "route",
        ),
        ("has(context.product)", "has(context.brand)", "route"),
        (
            "quote = \"context.quote\"",
            "quote = \"context.brand\"",
            "car",
        ),
    ] {
        let source = LOOKUP.replace(from, to);
        let errors = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &source)
            .err()
            .unwrap_or_else(|| panic_free_fail(&format!("`{to}` loaded")));
        let found = errors.0.iter().any(|e| {
            e.step.as_deref() == Some(step)
                && matches!(&e.problem, Problem::UndeclaredContext { key, .. } if key == "brand")
        });
        assert!(found, "{to}: {errors}");
        assert!(errors.to_string().contains("[context]"), "{errors}");
    }
}

#[test]
fn a_start_with_context_the_journey_does_not_accept_is_refused_naming_the_key() {
    let journey = journey(LOOKUP);
    let long = "Q".repeat(201);
    let cases: Vec<(serde_json::Value, Option<&str>, &str)> = vec![
        (json!({ "brand": "x" }), Some("brand"), "does not accept"),
        (
            json!({ "age": "42" }),
            Some("age"),
            "must be int, not string",
        ),
        (
            json!({ "age": 4.5 }),
            Some("age"),
            "not a number with a fraction",
        ),
        (
            json!({ "age": 18_446_744_073_709_551_615_u64 }),
            Some("age"),
            "beyond 64 bits",
        ),
        (
            json!({ "returning": "yes" }),
            Some("returning"),
            "must be bool",
        ),
        (json!({ "quote": null }), Some("quote"), "not null"),
        (json!({ "quote": ["Q-1"] }), Some("quote"), "not an array"),
        (
            json!({ "quote": { "n": 1 } }),
            Some("quote"),
            "not an object",
        ),
        (
            json!({ "quote": long }),
            Some("quote"),
            "201 characters; at most 200",
        ),
        (
            json!({ "quote": "Q-1\n" }),
            Some("quote"),
            "control characters",
        ),
        (
            json!(["product", "car"]),
            None,
            "must be a JSON object, not an array",
        ),
        (json!("car"), None, "not a string"),
        (json!(7), None, "not a number"),
    ];
    for (value, key, problem) in cases {
        let (got_key, got_problem) = refused(&journey, value.clone());
        assert_eq!(got_key.as_deref(), key, "{value}");
        assert!(got_problem.contains(problem), "{value}: {got_problem}");
        assert!(
            !got_problem.contains("Q-1"),
            "no value in the problem: {got_problem}"
        );
    }
    // A hostile key is named, but cut short.
    let (key, _) = refused(&journey, json!({ "x".repeat(500): 1 }));
    assert!(key.is_some_and(|k| k.chars().count() <= 65));
}

#[test]
fn the_gateway_reads_the_context_with_its_declared_types() {
    let journey = journey(LOOKUP);
    let cases = [
        (json!({ "returning": true, "age": 18 }), "grown_up"),
        (
            json!({ "returning": true, "age": 17, "product": "car" }),
            "no_quote",
        ),
        (json!({ "returning": false, "age": 40 }), "other"),
        (json!({ "product": "life" }), "other"),
        (json!({}), "other"),
    ];
    for (value, step) in cases {
        let runner = Runner::start_with_page_context(&journey, value.clone());
        assert_eq!(runner.state.step(), step, "{value}");
        assert!(
            !runner
                .effects
                .iter()
                .any(|e| matches!(e, Effect::ConditionFailed { .. })),
            "every key was guarded with has(): {value}"
        );
    }
}

#[test]
fn context_is_kept_apart_and_never_becomes_an_attribute_or_a_proof() {
    let journey = journey(LOOKUP);
    let runner = Runner::start_with_page_context(&journey, json!({ "product": "life", "age": 30 }));
    let state = &runner.state;
    assert_eq!(state.attribute("product"), None);
    assert!(!state.is_verified("product"));
    assert_eq!(
        state.context().get("age"),
        Some(&journey_engine::ContextValue::Int(30))
    );
    // The context is saved with the flow and read back typed.
    let again = FlowState::from_json(&state.to_json().unwrap()).unwrap();
    assert_eq!(again.context(), state.context());
    // A state saved before flows had a context still reads, with an empty one.
    let mut old: serde_json::Value = serde_json::from_str(&state.to_json().unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("context");
    let old = FlowState::from_json(&old.to_string()).unwrap();
    assert!(old.context().is_empty());
}

#[test]
fn a_look_up_asks_the_tenants_service_with_the_contexts_value() {
    let journey = journey(LOOKUP);
    let runner =
        Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-1001" }));
    assert_eq!(runner.state.step(), "car");
    let expected = Query::LookUp {
        service: "quotes".into(),
        method: LookUpMethod::Get,
        params: [("quote".to_owned(), "Q-1001".to_owned())].into(),
    };
    assert_eq!(runner.pending, Some(expected));
}

#[test]
fn a_found_answer_is_mapped_into_attributes_marked_as_the_services() {
    let journey = journey(LOOKUP);
    let mut runner =
        Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-1001" }));
    runner.answer(Answer::LookUp(LookUp::Found(quote())));
    assert_eq!(runner.state.step(), "quoted");
    assert_eq!(runner.state.attribute("car_quote"), Some("Q-1001"));
    assert_eq!(runner.state.attribute("car_make"), Some("Volvo"));
    // A number is taken as its JSON text.
    assert_eq!(runner.state.attribute("car_price"), Some("420"));
    for name in ["car_quote", "car_make", "car_price"] {
        assert_eq!(runner.state.looked_up_from(name), Some("quotes"), "{name}");
        assert!(!runner.state.is_verified(name), "{name}");
    }
    assert_eq!(runner.state.looked_up_from("product"), None);
}

#[test]
fn an_answer_the_map_cannot_use_sets_nothing_and_goes_unavailable() {
    let journey = journey(LOOKUP);
    let cases = [
        (
            json!({ "number": "Q-1", "price": 1, "car": "Volvo" }),
            "`/car/make` is missing",
        ),
        (
            json!({ "number": { "a": 1 }, "price": 1, "car": { "make": "V" } }),
            "`/number` is an object",
        ),
        (
            json!({ "number": ["Q"], "price": 1, "car": { "make": "V" } }),
            "`/number` is an array",
        ),
        (
            json!({ "number": null, "price": 1, "car": { "make": "V" } }),
            "`/number` is null",
        ),
        (
            json!({ "number": "Q".repeat(1001), "price": 1, "car": { "make": "V" } }),
            "1001 characters",
        ),
        (
            json!({ "number": "Q\u{7}", "price": 1, "car": { "make": "V" } }),
            "control characters",
        ),
        (json!([1, 2, 3]), "missing"),
    ];
    for (document, problem) in cases {
        let mut runner =
            Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-1" }));
        runner.answer(Answer::LookUp(LookUp::Found(document.clone())));
        assert_eq!(runner.state.step(), "try_later", "{document}");
        assert_eq!(runner.state.attribute("car_quote"), None, "all or nothing");
        assert_eq!(runner.state.attribute("car_make"), None, "all or nothing");
        let reported: Vec<&String> = runner
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::LookUpFailed {
                    step,
                    service,
                    problem,
                } if step == "car" && service == "quotes" => Some(problem),
                _ => None,
            })
            .collect();
        assert_eq!(reported.len(), 1, "{:?}", runner.effects);
        assert!(reported[0].contains(problem), "{}", reported[0]);
        assert!(!reported[0].contains("Volvo"), "no value: {}", reported[0]);
    }
}

#[test]
fn not_found_and_unavailable_are_outcomes_and_unavailable_can_be_tried_again() {
    let journey = journey(LOOKUP);
    let mut runner =
        Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-9" }));
    runner.answer(Answer::LookUp(LookUp::NotFound));
    assert_eq!(runner.state.step(), "no_quote");

    let mut runner =
        Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-1" }));
    runner.answer(Answer::LookUp(LookUp::Unavailable));
    assert_eq!(runner.state.step(), "try_later");
    assert_eq!(runner.state.status(), FlowStatus::Active);
    // "Continue" goes back to the look-up, which asks again; this time the service answers.
    assert_eq!(runner.submit("try_later", "continue", &[]), Ok(()));
    assert_eq!(runner.state.step(), "car");
    assert!(matches!(runner.pending, Some(Query::LookUp { .. })));
    runner.answer(Answer::LookUp(LookUp::Found(quote())));
    assert_eq!(runner.state.step(), "quoted");
    assert_eq!(runner.state.attribute("car_quote"), Some("Q-1001"));
    // The context the flow started with is still there.
    assert!(runner.state.context().contains_key("quote"));
}

#[test]
fn a_look_up_without_a_value_to_ask_with_finds_nothing_without_asking() {
    let journey = journey(LOOKUP);
    let runner = Runner::start_with_page_context(&journey, json!({ "product": "car" }));
    assert_eq!(runner.state.step(), "no_quote");
    assert_eq!(runner.pending, None);
}

#[test]
fn a_look_ups_wrong_settings_name_the_setting() {
    let cases = [
        (
            "car_quote = \"/number\"",
            "car_quote = \"number\"",
            "must be a JSON pointer",
        ),
        (
            "car_quote = \"/number\"",
            "email = \"/number\"",
            "cannot set `email`",
        ),
        (
            "quote = \"context.quote\"",
            "quote = \"page.quote\"",
            "\"context.<key>\" or \"flow.<attribute>\"",
        ),
        (
            "service = \"quotes\"",
            "service = \"https://evil.example/\"",
            "`service =",
        ),
        (
            "service = \"quotes\"",
            "service = \"quotes\"\nmethod = \"delete\"",
            "unknown variant",
        ),
        (
            "service = \"quotes\"",
            "service = \"quotes\"\nurl = \"http://x\"",
            "unknown field",
        ),
    ];
    for (from, to, expected) in cases {
        let source = LOOKUP.replace(from, to);
        let errors = Journey::parse(&BlockCatalogue::standard(), "t.toml", "t", &source)
            .err()
            .unwrap_or_else(|| panic_free_fail(&format!("`{to}` loaded")));
        let text = errors.to_string();
        assert!(
            text.contains("t.toml: step `car`: invalid settings"),
            "{text}"
        );
        assert!(text.contains(expected), "{to}: {text}");
    }
}

#[test]
fn a_post_look_up_and_attribute_params_are_what_the_server_is_asked() {
    let source = LOOKUP
        .replace(
            "service = \"quotes\"",
            "service = \"policies\"\nmethod = \"post\"",
        )
        .replace(
            "quote = \"context.quote\"",
            "quote = \"context.quote\", make = \"flow.car_make\"",
        );
    let journey = journey(&source);
    let calls = journey.service_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].0, "car");
    assert_eq!(calls[0].1.method, LookUpMethod::Post);
    assert_eq!(
        calls[0].1.params,
        vec!["make".to_owned(), "quote".to_owned()]
    );
    // No `car_make` attribute yet: nothing to send, nothing found.
    let runner =
        Runner::start_with_page_context(&journey, json!({ "product": "car", "quote": "Q-1" }));
    assert_eq!(runner.state.step(), "no_quote");
}

#[test]
fn a_step_s_guard_sees_the_page_s_context() {
    // The page's context reaches guards as it reaches gateways: a returning visitor skips the
    // welcome page.
    let source = r#"
start = "welcome"

[context]
returning = "bool"

[steps.welcome]
block = "show_information"
settings = { title = "welcome-title" }
guard = "!(has(context.returning) && context.returning)"
on_guard_failed = "done"
on = { continue = "done" }

[steps.done]
block = "show_information"
settings = { title = "done-title", end = "failed" }
"#;
    let journey = journey(source);
    let first = Runner::start_with_page_context(&journey, json!({}));
    assert_eq!(first.state.step(), "welcome");
    let returning = Runner::start_with_page_context(&journey, json!({"returning": true}));
    assert_eq!(returning.state.step(), "done");
}

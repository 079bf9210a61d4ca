//! The whole widget against an unreachable or mocked server: errors, retry, restart, summaries.

use super::*;
use crate::support::*;

#[wasm_bindgen_test]
async fn an_unreachable_server_shows_the_network_error_with_a_retry() {
    let root = container();
    // Port 9 (discard) is closed on test machines: fetch rejects quickly.
    let _handle = leptos::mount::mount_to(root.clone(), || {
        view! { <Journey endpoint="http://127.0.0.1:9" tenant="roadhelp" journey="registration" locale="nl-NL" /> }
    });
    settle().await;
    let widget = find(&root, "[data-jk-status]");
    let mut waited = 0;
    while widget.get_attribute("data-jk-status").as_deref() == Some("loading") && waited < 5000 {
        sleep(50).await;
        waited += 50;
    }
    assert_eq!(
        widget.get_attribute("data-jk-status").as_deref(),
        Some("error")
    );
    assert!(widget.get_attribute("aria-busy").is_none());
    let box_ = find(&root, "[data-jk-network-error]");
    assert!(
        box_.text_content()
            .unwrap_or_default()
            .contains("We konden de server niet bereiken")
    );
    let retry: web_sys::HtmlButtonElement = find(&box_, "button[data-jk-retry]").unchecked_into();
    assert_eq!(retry.text_content().as_deref(), Some("Opnieuw proberen"));
    retry.click();
    settle().await;
    // The retry repeats the request: busy while it runs, then the same error again.
    let mut waited = 0;
    while root
        .query_selector("[data-jk-network-error]")
        .unwrap()
        .is_none()
        && waited < 5000
    {
        sleep(50).await;
        waited += 50;
    }
    assert!(root.query_selector("[data-jk-retry]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_server_failure_without_a_flow_shows_its_text_with_a_retry() {
    let flow = serde_json::to_value(flow_with(collect_step())).unwrap();
    for (name, status, code) in [
        ("internal", 500, "internal"),
        ("limited", 429, "rate_limited"),
        ("unavailable", 503, "not_found"),
    ] {
        let text = format!("The server says {code}.");
        let answers = serde_json::json!([[status, error_json(code, &text)], [200, flow]]);
        let (root, _handle) = mount_journey(mock_server(name, answers));
        let box_ = wait_for(&root, "[data-jk-network-error]").await;
        assert_eq!(
            box_.text_content().unwrap_or_default(),
            format!("{text}Try again")
        );
        let widget = find(&root, "[data-jk-status]");
        assert_eq!(
            widget.get_attribute("data-jk-status").as_deref(),
            Some("error")
        );
        assert!(root.query_selector("[data-jk-restart]").unwrap().is_none());
        // The retry repeats the request; this time the server answers.
        find(&box_, "button[data-jk-retry]")
            .unchecked_into::<HtmlElement>()
            .click();
        wait_for(&root, "form[data-jk-step=\"details\"]").await;
        assert_eq!(mock_calls(name), 2, "{code}");
        assert!(
            root.query_selector("[data-jk-network-error]")
                .unwrap()
                .is_none()
        );
        assert_eq!(
            widget.get_attribute("data-jk-status").as_deref(),
            Some("active")
        );
    }
}

#[wasm_bindgen_test]
async fn any_other_error_without_a_flow_offers_start_again() {
    let flow = serde_json::to_value(flow_with(collect_step())).unwrap();
    let answers = serde_json::json!([
        [
            404,
            error_json("tenant_not_found", "We do not know this service.")
        ],
        [200, flow]
    ]);
    let (root, _handle) = mount_journey(mock_server("tenant", answers));
    let alert = wait_for(&root, "[data-jk-error=\"tenant_not_found\"]").await;
    assert!(
        alert
            .text_content()
            .unwrap_or_default()
            .starts_with("We do not know this service.")
    );
    assert!(root.query_selector("[data-jk-retry]").unwrap().is_none());
    find(&alert, "button[data-jk-restart]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for(&root, "form[data-jk-step=\"details\"]").await;
    assert_eq!(mock_calls("tenant"), 2);
    assert!(root.query_selector("[data-jk-error]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn field_errors_are_summarised_in_the_alert_region_that_was_there_from_the_start() {
    let mut invalid = collect_step();
    invalid.fields[0].messages = vec![Message {
        level: MessageLevel::Error,
        id: "email-invalid".into(),
        text: "Enter an email address like name@example.com.".into(),
        args: Default::default(),
    }];
    let mut body = error_json("invalid_input", "Some of what you entered needs fixing.");
    body["flow"] = serde_json::to_value(flow_with(invalid)).unwrap();
    let answers = serde_json::json!([
        [
            201,
            serde_json::to_value(flow_with(collect_step())).unwrap()
        ],
        [422, body]
    ]);
    let (root, _handle) = mount_journey(mock_server("invalid", answers));
    // Before any answer: both regions are there, empty.
    let [alert, status] = regions(&root);
    assert_eq!(alert.child_element_count(), 0);
    assert_eq!(status.child_element_count(), 0);
    wait_for(&root, "form[data-jk-step=\"details\"]").await;
    settle().await;
    find(&root, "button[data-jk-action=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for(&root, "[data-jk-field-error=\"email\"]").await;
    settle().await;
    let [same_alert, same_status] = regions(&root);
    assert!(
        same_alert == alert && same_status == status,
        "the regions must stay"
    );
    let summary = find(&alert, "[data-jk-message=\"error\"]");
    assert_eq!(
        summary.get_attribute("data-jk-message-id").as_deref(),
        Some("api-invalid_input")
    );
    assert_eq!(
        summary.text_content().as_deref(),
        Some("Some of what you entered needs fixing.")
    );
    assert_eq!(status.child_element_count(), 0);
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert!(
        active == **input(&root, "email"),
        "focus goes to the invalid field"
    );
}

/// A step as a newer server would send it: a block and a view kind this widget does not know,
/// a field kind it does not know, and members it has never heard of.
fn newer_step_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "block": "phone_verification",
        "title": {"id": "phone-title", "text": "Check your phone"},
        "view": {"kind": "phone_verification", "number_masked": "+31 6 ••• 1234", "channel": "sms"},
        "fields": [{
            "name": "code", "kind": "sms_code", "label": {"id": "field-code", "text": "Code"},
            "required": true, "autocomplete": "one-time-code", "mask": "999 999"
        }],
        "actions": [
            {"id": "submit", "kind": "primary", "label": {"id": "verify", "text": "Verify"},
             "submits_fields": true},
            {"id": "call_me", "kind": "secondary", "label": {"id": "call", "text": "Call me instead"},
             "submits_fields": false}
        ],
        "messages": [{"level": "info", "id": "sent", "text": "We sent a code by text message."}],
        "progress": {"step": 2, "of": 3}
    })
}

#[wasm_bindgen_test]
async fn a_block_and_view_this_widget_does_not_know_show_their_fields_and_actions() {
    let flow = |step: &str| {
        let mut flow = serde_json::to_value(flow_with(collect_step())).unwrap();
        flow["step"] = newer_step_json(step);
        flow
    };
    let answers = serde_json::json!([[201, flow("phone")], [200, flow("phone_again")]]);
    let endpoint = mock_server("newer", answers);
    let host = container();
    for (name, value) in [
        ("tenant", "roadhelp"),
        ("journey", "registration"),
        ("endpoint", endpoint.as_str()),
        ("locale", "en"),
    ] {
        host.set_attribute(name, value).unwrap();
    }
    let steps = listen(&host, "journey-step");
    let errors = listen(&host, "journey-error");
    let _handle = journey_widgets::embed::mount(host.clone());
    let form = wait_for(&host, "form[data-jk-step=\"phone\"]").await;
    settle().await;
    assert_eq!(
        form.get_attribute("data-jk-block").as_deref(),
        Some("phone_verification")
    );
    assert_eq!(
        find(&form, "h2").text_content().as_deref(),
        Some("Check your phone")
    );
    assert_eq!(
        find(&form, "[data-jk-message=\"info\"]")
            .text_content()
            .as_deref(),
        Some("We sent a code by text message.")
    );
    let code = input(&form, "code");
    assert_eq!(code.type_(), "text", "an unknown field kind is free text");
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert!(
        form.query_selector("[data-jk-action=\"call_me\"]")
            .unwrap()
            .is_some()
    );
    assert!(
        host.query_selector("[data-jk-network-error]")
            .unwrap()
            .is_none()
    );
    assert_eq!(
        steps.all(),
        [serde_json::json!({
            "flow_id": "f1", "step": "phone", "block": "phone_verification", "status": "active"
        })]
    );
    type_into(&code, "123456");
    find(&form, "button[data-jk-action=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for(&host, "form[data-jk-step=\"phone_again\"]").await;
    let requests = mock_requests("newer");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "POST");
    assert!(
        requests[1].url.ends_with("/v1/flows/f1"),
        "{}",
        requests[1].url
    );
    assert_eq!(
        requests[1].body,
        serde_json::json!({"step": "phone", "action": "submit", "values": {"code": "123456"}})
    );
    assert_eq!(steps.all().len(), 2);
    assert_eq!(steps.all()[1]["step"], "phone_again");
    assert_eq!(errors.all(), Vec::<serde_json::Value>::new());
    let widget = find(&host, "[data-jk-status]");
    assert_eq!(
        widget.get_attribute("data-jk-status").as_deref(),
        Some("active")
    );
}

#[wasm_bindgen_test]
async fn a_saved_flow_id_resumes_that_flow_instead_of_starting_one() {
    let mut resumed = flow_with(code_step(None));
    resumed.id = "f-saved".into();
    let answers = serde_json::json!([[200, serde_json::to_value(&resumed).unwrap()]]);
    let endpoint = mock_server("resume", answers);
    // The key the widget documents (journey/docs.md): one per endpoint, tenant, brand (none
    // here: the tenant's default) and journey.
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let key = format!("jk-flow|{endpoint}|roadhelp||registration");
    storage.set_item(&key, "f-saved").unwrap();
    let (root, _handle) = mount_journey(endpoint);
    wait_for(&root, "form[data-jk-step=\"verify\"]").await;
    let requests = mock_requests("resume");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert!(
        requests[0].url.ends_with("/v1/flows/f-saved"),
        "{}",
        requests[0].url
    );
    assert_eq!(requests[0].body, serde_json::Value::Null);
    storage.remove_item(&key).unwrap();
}

/// A flow at the collect step with `left` seconds to live by the server's clock, which is far
/// from the browser's (the widget must not care), extendable up to `max_left`.
fn expiring_flow(left: i64, max_left: i64) -> Flow {
    let server_now = 1_000_000;
    Flow {
        expires_at: server_now + left,
        expiry: Some(journey_protocol::Expiry {
            now: server_now,
            max_expires_at: server_now + max_left,
            warn_before: 120,
            warning: text("flow-expiry-warning", "Your session is about to end"),
            extend_hint: text("flow-expiry-hint", "Choose Continue to get more time."),
            extend_label: text("flow-expiry-continue", "Continue"),
            final_notice: text(
                "flow-expiry-final",
                "This session cannot be extended any more.",
            ),
            left: [
                (120, "Less than 2 minutes left."),
                (60, "Less than 1 minute left."),
            ]
            .into_iter()
            .map(|(up_to, words)| journey_protocol::TimeLeft {
                up_to,
                text: text("flow-expiry-minutes-left", words),
            })
            .collect(),
        }),
        ..flow_with(collect_step())
    }
}

#[wasm_bindgen_test]
async fn a_flow_close_to_expiry_warns_without_taking_focus_and_continue_extends_it() {
    let close = serde_json::to_value(expiring_flow(50, 1800)).unwrap();
    let extended = serde_json::to_value(expiring_flow(1800, 1800)).unwrap();
    let (root, _handle) = mount_journey(mock_server(
        "expiry",
        serde_json::json!([[200, close], [200, extended]]),
    ));
    let email = {
        wait_for(&root, "input[name=email]").await;
        input(&root, "email")
    };
    email.focus().unwrap();
    type_into(&email, "jane@");
    let warning = wait_for(&root, "[data-jk-expiry]").await;
    assert_eq!(
        warning.get_attribute("data-jk-expiry").as_deref(),
        Some("extendable")
    );
    let shown = warning.text_content().unwrap_or_default();
    assert!(shown.contains("Your session is about to end"), "{shown}");
    assert!(shown.contains("Less than 1 minute left."), "{shown}");
    // Announced through the step's polite region, and the person keeps typing where they were.
    let said = wait_for(&root, "[data-jk-expiry-announcement]")
        .await
        .text_content()
        .unwrap_or_default();
    let [_, status] = regions(&root);
    assert!(
        status.contains(Some(&find(&root, "[data-jk-expiry-announcement]"))),
        "the announcement is in the step's polite region"
    );
    assert!(
        said.contains("Your session is about to end Less than 1 minute left."),
        "{said}"
    );
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(active.as_ref(), Some(email.unchecked_ref::<Element>()));
    // Continue is a button in the tab order; it extends the flow and the warning goes away,
    // with the form and what was typed untouched.
    let button: web_sys::HtmlButtonElement =
        find(&warning, "button[data-jk-extend]").unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Continue"));
    assert!(button.tab_index() >= 0);
    button.click();
    for _ in 0..100 {
        if root.query_selector("[data-jk-expiry]").unwrap().is_none() {
            break;
        }
        sleep(50).await;
    }
    assert!(root.query_selector("[data-jk-expiry]").unwrap().is_none());
    let requests = mock_requests("expiry");
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[1].method, "POST");
    assert!(
        requests[1].url.ends_with("/v1/flows/f1/extend"),
        "{}",
        requests[1].url
    );
    assert_eq!(requests[1].body, serde_json::json!({}));
    assert_eq!(input(&root, "email").value(), "jane@");
}

#[wasm_bindgen_test]
async fn a_flow_at_its_maximum_lifetime_says_it_cannot_be_extended() {
    let last = serde_json::to_value(expiring_flow(100, 100)).unwrap();
    let (root, _handle) = mount_journey(mock_server(
        "expiry-final",
        serde_json::json!([[200, last]]),
    ));
    let warning = wait_for(&root, "[data-jk-expiry]").await;
    assert_eq!(
        warning.get_attribute("data-jk-expiry").as_deref(),
        Some("final")
    );
    let shown = warning.text_content().unwrap_or_default();
    assert!(
        shown.contains("This session cannot be extended any more."),
        "{shown}"
    );
    assert!(shown.contains("Less than 2 minutes left."), "{shown}");
    assert!(warning.query_selector("button").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_brand_is_sent_with_the_start_and_never_resumes_another_brands_flow() {
    let mut started = flow_with(code_step(None));
    started.id = "f-wheelhouse".into();
    let answers = serde_json::json!([[200, serde_json::to_value(&started).unwrap()]]);
    let endpoint = mock_server("brand", answers);
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    // The other brand's page on the same origin has a flow of the same journey going.
    let other = format!("jk-flow|{endpoint}|insurgroup|evenstar|registration");
    let own = format!("jk-flow|{endpoint}|insurgroup|wheelhouse|registration");
    storage.set_item(&other, "f-evenstar").unwrap();
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), {
        let endpoint = endpoint.clone();
        move || {
            view! {
                <Journey endpoint=endpoint tenant="insurgroup" journey="registration"
                    brand="wheelhouse" locale="en" />
            }
        }
    });
    wait_for(&root, "form[data-jk-step=\"verify\"]").await;
    let requests = mock_requests("brand");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert!(
        requests[0]
            .url
            .ends_with("/v1/insurgroup/journeys/registration"),
        "{}",
        requests[0].url
    );
    assert_eq!(
        requests[0].body,
        serde_json::json!({"brand": "wheelhouse", "locale": "en"})
    );
    assert_eq!(
        storage.get_item(&own).unwrap().as_deref(),
        Some("f-wheelhouse")
    );
    assert_eq!(
        storage.get_item(&other).unwrap().as_deref(),
        Some("f-evenstar")
    );
    drop(handle);
    storage.remove_item(&own).unwrap();
    storage.remove_item(&other).unwrap();
}

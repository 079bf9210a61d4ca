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

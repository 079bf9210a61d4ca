//! The preview entry: a step drawn from its JSON without a server, with inert actions.

use super::*;
use crate::support::*;

#[wasm_bindgen_test]
async fn the_preview_draws_a_step_from_its_json_and_sends_nothing() {
    let host = container();
    let actions = listen(&host, "journey-preview-action");
    let mut step = code_step(Some(30));
    step.messages = vec![Message {
        level: MessageLevel::Success,
        id: "sent".into(),
        text: "We sent a code.".into(),
        args: Default::default(),
    }];
    let json = serde_json::to_string(&step).unwrap();
    let handle = journey_widgets::preview::preview(host.clone(), &json);
    assert!(handle.is_some());
    settle().await;
    let form = find(&host, "[data-jk-preview] form[data-jk-step=\"verify\"]");
    assert_eq!(
        form.get_attribute("data-jk-block").as_deref(),
        Some("email_validation")
    );
    assert_eq!(
        find(&form, "[data-jk-email]").text_content().as_deref(),
        Some("j***@example.com")
    );
    assert_eq!(
        find(&form, "[data-jk-message=\"success\"]")
            .text_content()
            .as_deref(),
        Some("We sent a code.")
    );
    // The resend waits as in the widget.
    assert_eq!(
        find(&form, "button[data-jk-action=\"resend\"]")
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true")
    );
    type_into(&input(&form, "code"), "12 34 56");
    find(&form, "button[data-jk-action=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(
        actions.all(),
        [serde_json::json!({
            "step": "verify", "block": "email_validation", "action": "submit",
            "values": {"code": "123456"}
        })]
    );
    // Pressing again tells again: the preview stays as it is, nothing moves on.
    find(&form, "button[data-jk-action=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(actions.all().len(), 2);
    assert!(form.is_connected());
    drop(handle);
    settle().await;
    assert!(host.query_selector("form").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_preview_draws_a_newer_servers_step_generically_and_refuses_what_is_no_step() {
    let host = container();
    let mut json = serde_json::to_value(collect_step()).unwrap();
    json["block"] = "consent".into();
    json["view"] = serde_json::json!({"kind": "consent", "documents": ["terms"]});
    let handle = journey_widgets::preview::preview(host.clone(), &json.to_string());
    assert!(handle.is_some());
    settle().await;
    let form = find(&host, "form[data-jk-block=\"consent\"]");
    assert!(
        form.query_selector("input[data-jk-field=\"email\"]")
            .unwrap()
            .is_some()
    );
    assert!(
        form.query_selector("button[data-jk-action=\"submit\"]")
            .unwrap()
            .is_some()
    );
    // Not a step: nothing is drawn, and what was there stays.
    for bad in ["<html>", "{\"id\": \"x\"}", "null"] {
        assert!(
            journey_widgets::preview::preview(host.clone(), bad).is_none(),
            "{bad}"
        );
        assert!(form.is_connected(), "{bad}");
    }
    drop(handle);
}

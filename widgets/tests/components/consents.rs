//! The consent blocks' steps: checkboxes that are real, labelled and ticked only as the server
//! says, submitting `yes` or nothing; a document's text drawn as text, in a focusable region.

use super::*;
use crate::support::*;
use journey_protocol::{ConsentDocument, DocumentPart};

fn checkbox(name: &str, label: &str, ticked: bool) -> Field {
    Field {
        required: false,
        hint: Some(text(&format!("{name}-hint"), "At most two a month.")),
        value: ticked.then(|| "yes".to_owned()),
        ..field(name, FieldKind::Checkbox, label, None)
    }
}

fn purposes_step() -> Step {
    Step {
        id: "choices".into(),
        block: "attribute_consent".into(),
        title: text("attribute-consent-title", "Your choices"),
        view: BlockView::AttributeConsent {
            intro: text("attribute-consent-intro", "Tick what we may do."),
        },
        fields: vec![
            checkbox("marketing_email", "Offers by email", true),
            checkbox("marketing_sms", "Offers by text message", false),
        ],
        actions: vec![action("submit", ActionKind::Primary, "Save", true, None)],
        messages: vec![],
    }
}

#[wasm_bindgen_test]
async fn purposes_are_real_checkboxes_ticked_only_where_granted() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(purposes_step());
    settle().await;
    assert_eq!(
        find(&root, "[data-jk-intro]").text_content().as_deref(),
        Some("Tick what we may do.")
    );
    let email = input(&root, "marketing_email");
    let sms = input(&root, "marketing_sms");
    assert_eq!(
        (email.type_(), email.value()),
        ("checkbox".into(), "yes".into())
    );
    assert!(email.checked());
    assert!(!sms.checked(), "nothing is pre-ticked that was not granted");
    assert!(!sms.required());
    let label = find(&root, &format!("label[for=\"{}\"]", sms.id()));
    assert_eq!(
        label.text_content().as_deref(),
        Some("Offers by text message")
    );
    assert!(
        sms.previous_element_sibling().is_none(),
        "the box comes first"
    );
    assert_eq!(
        sms.next_element_sibling(),
        Some(label),
        "its label follows it"
    );
    let hint = sms.get_attribute("aria-describedby").unwrap();
    assert!(
        root.query_selector(&format!("[id=\"{hint}\"]"))
            .unwrap()
            .is_some()
    );
    // Withdraw one, grant the other.
    email.click();
    sms.click();
    let button: HtmlElement = find(&root, "button[data-jk-action=\"submit\"]").unchecked_into();
    button.click();
    settle().await;
    let sent = submitted.get_untracked();
    let values = &sent.first().unwrap().values;
    assert_eq!(values.get("marketing_email").map(String::as_str), Some(""));
    assert_eq!(values.get("marketing_sms").map(String::as_str), Some("yes"));
}

#[wasm_bindgen_test]
async fn a_document_is_drawn_as_text_in_a_region_that_takes_the_focus() {
    let part = |kind: &str, text: &str| DocumentPart {
        kind: kind.into(),
        text: text.into(),
    };
    let step = Step {
        id: "documents".into(),
        block: "document_consent".into(),
        title: text("document-consent-title", "Terms and privacy"),
        view: BlockView::DocumentConsent {
            documents: vec![ConsentDocument {
                id: "terms".into(),
                version: "2.0".into(),
                title: text("consent-document-terms", "Terms of use"),
                version_label: text("document-consent-version", "Version 2.0"),
                change: "major_update".into(),
                body: vec![
                    part("heading", "Your account"),
                    part("paragraph", "Keep it <b>safe</b>."),
                    part("item", "One person."),
                    part("item", "One account."),
                    part("paragraph", "That is all."),
                ],
            }],
        },
        fields: vec![Field {
            required: true,
            ..checkbox("terms", "I accept the terms of use", false)
        }],
        actions: vec![
            action("accept", ActionKind::Primary, "Accept", true, None),
            action(
                "refuse",
                ActionKind::Secondary,
                "I do not accept",
                false,
                None,
            ),
        ],
        messages: vec![],
    };
    let Mounted { root, _handle, .. } = mount_step(step);
    settle().await;
    let section = find(
        &root,
        "section[data-jk-document=\"terms\"][data-jk-change=\"major_update\"]",
    );
    assert_eq!(
        find(&section, "h3").text_content().as_deref(),
        Some("Terms of use")
    );
    let region = find(&section, "[data-jk-document-text]");
    assert_eq!(region.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(region.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        region.get_attribute("aria-label").as_deref(),
        Some("Terms of use")
    );
    // Markup in the file stays text.
    assert!(region.query_selector("b").unwrap().is_none());
    assert_eq!(
        find(&region, "p").text_content().as_deref(),
        Some("Keep it <b>safe</b>.")
    );
    assert_eq!(
        find(&region, "h4").text_content().as_deref(),
        Some("Your account")
    );
    // Two items in a row make one list; the paragraph after it is outside.
    let list = find(&region, "ul");
    assert_eq!(list.child_element_count(), 2);
    assert_eq!(
        list.next_element_sibling().map(|e| e.tag_name()).as_deref(),
        Some("P")
    );
    assert!(input(&root, "terms").required());
}

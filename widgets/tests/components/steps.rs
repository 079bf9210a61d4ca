//! One step's form: labels, errors, toggles, resend, live regions, fresh inputs, focus.

use super::*;
use crate::support::*;

#[wasm_bindgen_test]
async fn fields_have_labels_names_and_autocomplete() {
    let Mounted { root, _handle, .. } = mount_step(collect_step());
    settle().await;
    let form = find(
        &root,
        "form[data-jk-step=\"details\"][data-jk-block=\"collect_user_data\"]",
    );
    assert!(form.has_attribute("novalidate"));
    let heading = find(&form, "h2");
    assert_eq!(heading.text_content().as_deref(), Some("Your details"));
    assert_eq!(heading.get_attribute("tabindex").as_deref(), Some("-1"));
    let email = input(&root, "email");
    assert_eq!(email.name(), "email");
    assert_eq!(email.type_(), "email");
    assert_eq!(
        email.get_attribute("autocomplete").as_deref(),
        Some("email")
    );
    assert!(email.required());
    let label = find(&root, &format!("label[for=\"{}\"]", email.id()));
    assert_eq!(label.text_content().as_deref(), Some("Email address"));
    let given = input(&root, "given_name");
    assert_eq!(
        given.get_attribute("autocomplete").as_deref(),
        Some("given-name")
    );
    assert_ne!(given.id(), email.id());
    // No error yet: nothing claims to be invalid.
    assert!(root.query_selector("[aria-invalid]").unwrap().is_none());
    assert!(
        root.query_selector("[data-jk-field-error]")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn a_field_error_is_named_beside_the_field() {
    let mut step = collect_step();
    step.fields[0].value = Some("not-an-address".into());
    step.fields[0].messages = vec![Message {
        level: MessageLevel::Error,
        id: "email-invalid".into(),
        text: "Enter an email address like name@example.com.".into(),
        args: Default::default(),
    }];
    let Mounted { root, _handle, .. } = mount_step(step);
    settle().await;
    let email = input(&root, "email");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(email.value(), "not-an-address");
    let described = email.get_attribute("aria-describedby").unwrap_or_default();
    let error = find(&root, "[data-jk-field-error=\"email\"]");
    assert!(
        described.split(' ').any(|id| id == error.id()),
        "{described} lacks {}",
        error.id()
    );
    assert_eq!(
        error.text_content().as_deref(),
        Some("Enter an email address like name@example.com.")
    );
    // The other field is untouched.
    assert!(
        input(&root, "given_name")
            .get_attribute("aria-invalid")
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn dates_and_choices_are_native_controls_that_choose_nothing_for_the_person() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(profile_step());
    settle().await;
    assert_eq!(
        find(&root, "[data-jk-body] p").text_content().as_deref(),
        Some("We ask only for what is missing.")
    );
    let born = input(&root, "birthdate");
    assert_eq!(born.type_(), "date");
    assert_eq!(born.get_attribute("autocomplete").as_deref(), Some("bday"));
    assert_eq!(born.get_attribute("min").as_deref(), Some("1900-01-01"));
    assert_eq!(born.get_attribute("max").as_deref(), Some("2008-12-04"));

    // Three options: a radio group named by its legend, nothing checked.
    let group = find(&root, "fieldset[role=\"radiogroup\"]");
    assert_eq!(
        find(&group, "legend").text_content().as_deref(),
        Some("How will you use the car?")
    );
    for value in ["private", "commute", "business"] {
        let radio = format!("input[type=\"radio\"][name=\"car_use\"][value=\"{value}\"]");
        find(&group, &radio);
    }
    assert!(group.query_selector("input:checked").unwrap().is_none());
    let commute: HtmlInputElement = find(&group, "input[value=\"commute\"]").unchecked_into();
    let label = find(&root, &format!("label[for=\"{}\"]", commute.id()));
    assert_eq!(label.text_content().as_deref(), Some("COMMUTE"));

    // Seven options: a select, led by an empty option, showing the echoed value.
    let select = find(&root, "select[name=\"country\"]");
    let property = |name: &str| js_sys::Reflect::get(&select, &name.into()).unwrap();
    assert_eq!(property("length").as_f64(), Some(8.0));
    assert_eq!(property("value").as_string().as_deref(), Some("NL"));
    assert_eq!(
        select.get_attribute("autocomplete").as_deref(),
        Some("country")
    );
    let label = find(&root, &format!("label[for=\"{}\"]", select.id()));
    assert_eq!(label.text_content().as_deref(), Some("Country"));

    born.set_value("1990-04-12");
    commute.click();
    js_sys::Reflect::set(&select, &"value".into(), &"BE".into()).unwrap();
    let submit: web_sys::HtmlButtonElement =
        find(&root, "button[data-jk-action=\"submit\"]").unchecked_into();
    submit.click();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    let value = |name: &str| sent[0].values.get(name).cloned();
    assert_eq!(value("birthdate").as_deref(), Some("1990-04-12"));
    assert_eq!(value("car_use").as_deref(), Some("commute"));
    assert_eq!(value("country").as_deref(), Some("BE"));
}

#[wasm_bindgen_test]
async fn a_choice_with_an_error_says_so_on_its_group() {
    let mut step = profile_step();
    step.fields[1].messages = vec![Message {
        level: MessageLevel::Error,
        id: "error-choice-invalid".into(),
        text: "Choose one of the options.".into(),
        args: Default::default(),
    }];
    let Mounted { root, _handle, .. } = mount_step(step);
    settle().await;
    let group = find(&root, "fieldset[role=\"radiogroup\"]");
    assert_eq!(group.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error = find(&root, "[data-jk-field-error=\"car_use\"]");
    let described = group.get_attribute("aria-describedby").unwrap_or_default();
    assert!(
        described.split(' ').any(|id| id == error.id()),
        "{described}"
    );
}

#[wasm_bindgen_test]
async fn the_password_toggle_flips_type_and_label_without_aria_pressed() {
    let Mounted { root, _handle, .. } = mount_step(password_step());
    settle().await;
    let password = input(&root, "password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("new-password")
    );
    let toggle: HtmlElement = find(&root, "button[data-jk-reveal=\"password\"]").unchecked_into();
    assert_eq!(toggle.get_attribute("type").as_deref(), Some("button"));
    // The label says what a press does; a pressed state would contradict it.
    assert!(!toggle.has_attribute("aria-pressed"));
    assert_eq!(toggle.get_attribute("aria-controls"), Some(password.id()));
    assert_eq!(toggle.text_content().as_deref(), Some("Show password"));
    toggle.click();
    settle().await;
    assert_eq!(password.type_(), "text");
    assert!(!toggle.has_attribute("aria-pressed"));
    assert_eq!(toggle.text_content().as_deref(), Some("Hide password"));
    toggle.click();
    settle().await;
    assert_eq!(password.type_(), "password");
    assert!(!toggle.has_attribute("aria-pressed"));
    assert_eq!(toggle.text_content().as_deref(), Some("Show password"));
    // The hint is announced with the field.
    let described = password
        .get_attribute("aria-describedby")
        .unwrap_or_default();
    let hint = find(&root, &format!("#{described}"));
    assert_eq!(
        hint.text_content().as_deref(),
        Some("At least 15 characters.")
    );
}

#[wasm_bindgen_test]
async fn the_code_step_allows_autofill_paste_and_waits_for_resend() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(code_step(Some(30)));
    settle().await;
    let code = input(&root, "code");
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(code.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert!(
        code.get_attribute("maxlength").is_none(),
        "a pasted `123 456` must not be cut"
    );
    assert_eq!(
        find(&root, "[data-jk-email]").text_content().as_deref(),
        Some("j***@example.com")
    );
    let resend: web_sys::HtmlButtonElement =
        find(&root, "button[data-jk-action=\"resend\"]").unchecked_into();
    // It waits for available_in, says why, and stays focusable meanwhile.
    assert_eq!(
        resend.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(!resend.disabled(), "a disabled button cannot take focus");
    let hint = find(
        &root,
        &format!("#{}", resend.get_attribute("aria-describedby").unwrap()),
    );
    assert_eq!(
        hint.text_content().as_deref(),
        Some("You can ask for a new code after 30 seconds.")
    );
    resend.focus().unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(document.active_element().unwrap() == **resend);
    resend.click();
    settle().await;
    assert!(
        submitted.get_untracked().is_empty(),
        "a waiting resend does nothing"
    );
    let verify: web_sys::HtmlButtonElement =
        find(&root, "button[data-jk-action=\"submit\"]").unchecked_into();
    assert!(!verify.disabled());

    // A whole code pasted with a space keeps its digits.
    code.set_value("123 456");
    code.dispatch_event(&input_event()).unwrap();
    assert_eq!(code.value(), "123456");
    verify.click();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].step, "verify");
    assert_eq!(sent[0].action, "submit");
    assert_eq!(
        sent[0].values.get("code").map(String::as_str),
        Some("123456")
    );
}

#[wasm_bindgen_test]
async fn a_waiting_resend_becomes_available_and_loses_its_hint() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(code_step(Some(1)));
    settle().await;
    let resend: HtmlElement = find(&root, "button[data-jk-action=\"resend\"]").unchecked_into();
    assert_eq!(
        resend.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        root.query_selector("[data-jk-action-hint]")
            .unwrap()
            .is_some()
    );
    sleep(1200).await;
    assert!(!resend.has_attribute("aria-disabled"));
    assert!(!resend.has_attribute("aria-describedby"));
    assert!(
        root.query_selector("[data-jk-action-hint]")
            .unwrap()
            .is_none()
    );
    resend.click();
    settle().await;
    assert_eq!(submitted.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn resend_is_available_without_a_wait_and_sends_no_values() {
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(code_step(None));
    settle().await;
    let resend: web_sys::HtmlButtonElement =
        find(&root, "button[data-jk-action=\"resend\"]").unchecked_into();
    assert!(!resend.disabled());
    assert!(!resend.has_attribute("aria-disabled"));
    assert!(
        root.query_selector("[data-jk-action-hint]")
            .unwrap()
            .is_none()
    );
    assert_eq!(resend.type_(), "button");
    input(&root, "code").set_value("999999");
    resend.click();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].action, "resend");
    assert!(sent[0].values.is_empty());
}

#[wasm_bindgen_test]
async fn busy_disables_every_action_and_blocks_submission() {
    let Mounted {
        root,
        busy,
        submitted,
        _handle,
        ..
    } = mount_step(collect_step());
    settle().await;
    let button: web_sys::HtmlButtonElement =
        find(&root, "button[data-jk-action=\"submit\"]").unchecked_into();
    assert!(!button.disabled());
    busy.set(true);
    settle().await;
    assert!(button.disabled());
    let form: web_sys::HtmlFormElement = find(&root, "form").unchecked_into();
    form.request_submit().unwrap();
    settle().await;
    assert!(submitted.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn step_messages_go_into_two_permanent_regions_by_level() {
    let Mounted {
        root,
        step,
        _handle,
        ..
    } = mount_step(collect_step());
    settle().await;
    let [alert, status] = regions(&root);
    assert_eq!(alert.child_element_count(), 0);
    assert_eq!(status.child_element_count(), 0);

    let mut next = code_step(None);
    next.messages = vec![
        Message {
            level: MessageLevel::Info,
            id: "code-sent".into(),
            text: "We sent a code.".into(),
            args: Default::default(),
        },
        Message {
            level: MessageLevel::Error,
            id: "code-wrong".into(),
            text: "That code is not right.".into(),
            args: Default::default(),
        },
    ];
    step.set(Some(next));
    settle().await;
    let [same_alert, same_status] = regions(&root);
    assert!(
        same_alert == alert && same_status == status,
        "the regions must stay"
    );
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(
        alert.text_content().as_deref(),
        Some("That code is not right.")
    );
    assert_eq!(status.text_content().as_deref(), Some("We sent a code."));
    assert!(
        find(&alert, "[data-jk-message=\"error\"]").get_attribute("data-jk-message-id")
            == Some("code-wrong".into())
    );
    find(&status, "[data-jk-message=\"info\"]");

    // Only info now: the alert region empties, keeping its role.
    let mut info = code_step(None);
    info.messages.truncate(0);
    info.messages.push(Message {
        level: MessageLevel::Success,
        id: "resent".into(),
        text: "Sent again.".into(),
        args: Default::default(),
    });
    step.set(Some(info));
    settle().await;
    let [same_alert, same_status] = regions(&root);
    assert!(same_alert == alert && same_status == status);
    assert_eq!(alert.child_element_count(), 0);
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(status.text_content().as_deref(), Some("Sent again."));
    assert!(
        root.query_selector("form[data-jk-step=\"verify\"]")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn show_information_renders_its_paragraphs() {
    let step = Step {
        id: "welcome".into(),
        block: "show_information".into(),
        title: text("welcome-title", "Welcome"),
        view: BlockView::ShowInformation {
            body: vec![
                text("p1", "First paragraph."),
                text("p2", "Second paragraph."),
            ],
        },
        fields: vec![],
        actions: vec![action(
            "continue",
            ActionKind::Primary,
            "Continue",
            false,
            None,
        )],
        messages: vec![],
    };
    let Mounted {
        root,
        submitted,
        _handle,
        ..
    } = mount_step(step);
    settle().await;
    let body = find(&root, "[data-jk-body]");
    assert_eq!(body.child_element_count(), 2);
    assert_eq!(
        body.last_element_child()
            .and_then(|p| p.text_content())
            .as_deref(),
        Some("Second paragraph.")
    );
    let button: HtmlElement = find(&root, "button[data-jk-action=\"continue\"]").unchecked_into();
    button.click();
    settle().await;
    assert_eq!(
        submitted
            .get_untracked()
            .first()
            .map(|s| s.action.clone())
            .as_deref(),
        Some("continue")
    );
}

#[wasm_bindgen_test]
async fn a_new_answer_shows_only_the_values_the_server_sent() {
    let Mounted {
        root,
        step,
        _handle,
        ..
    } = mount_step(collect_step());
    settle().await;
    type_into(&input(&root, "email"), "kim@example.com");
    type_into(&input(&root, "given_name"), "Kim");

    // A new step whose first field has no value: nothing typed before may show in it.
    step.set(Some(code_step(None)));
    settle().await;
    assert_eq!(
        input(&root, "code").value(),
        "",
        "the code input must start empty"
    );

    // A typed code must not survive into the next step's password field either, and the
    // password toggle starts hidden.
    type_into(&input(&root, "code"), "123456");
    step.set(Some(password_step()));
    settle().await;
    let password = input(&root, "password");
    assert_eq!(password.value(), "");
    password.set_value("a secret");
    find(&root, "button[data-jk-reveal=\"password\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(input(&root, "password").type_(), "text");

    // The same step again (an `invalid_input` answer): a password is never echoed, and the
    // toggle is back to hidden.
    let mut again = password_step();
    again.fields[0].messages = vec![Message {
        level: MessageLevel::Error,
        id: "password-short".into(),
        text: "Too short.".into(),
        args: Default::default(),
    }];
    step.set(Some(again));
    settle().await;
    let password = input(&root, "password");
    assert_eq!(password.value(), "");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        find(&root, "button[data-jk-reveal=\"password\"]")
            .text_content()
            .as_deref(),
        Some("Show password")
    );

    // Back to a step whose field has a server value: it shows exactly that value.
    let mut details = collect_step();
    details.fields[0].value = Some("sent@example.com".into());
    step.set(Some(details.clone()));
    settle().await;
    type_into(&input(&root, "email"), "typed@example.com");
    type_into(&input(&root, "given_name"), "Typed");
    step.set(Some(details));
    settle().await;
    assert_eq!(input(&root, "email").value(), "sent@example.com");
    assert_eq!(input(&root, "given_name").value(), "");
}

#[wasm_bindgen_test]
async fn focus_stays_on_the_same_action_when_the_same_step_comes_back() {
    let Mounted {
        root,
        step,
        _handle,
        ..
    } = mount_step(code_step(None));
    settle().await;
    let resend: HtmlElement = find(&root, "button[data-jk-action=\"resend\"]").unchecked_into();
    resend.focus().unwrap();
    step.set(Some(code_step(None)));
    settle().await;
    let now = find(&root, "button[data-jk-action=\"resend\"]");
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert!(active == now, "focus must move to the new resend button");
}

#[wasm_bindgen_test]
async fn a_block_draws_its_own_part_only_under_its_own_name_and_view() {
    // The block registered for the view: its part shows.
    let own = code_step(None);
    // The same view under a block name the widget does not know; a registered block whose view
    // did not read; a block registered as server-only.
    let mut unknown_block = code_step(None);
    unknown_block.block = "phone_verification".into();
    let mut unknown_view = code_step(None);
    unknown_view.view = BlockView::Unknown;
    let mut server_only = code_step(None);
    server_only.block = "duplicate_check".into();
    for (step, drawn) in [
        (own, true),
        (unknown_block, false),
        (unknown_view, false),
        (server_only, false),
    ] {
        let block = step.block.clone();
        let Mounted {
            root,
            submitted,
            _handle,
            ..
        } = mount_step(step);
        settle().await;
        assert_eq!(
            root.query_selector("[data-jk-email]").unwrap().is_some(),
            drawn,
            "{block}"
        );
        // The generic step is whole either way, and answers.
        assert_eq!(
            find(&root, "h2").text_content().as_deref(),
            Some("Check your email")
        );
        type_into(&input(&root, "code"), "123456");
        find(&root, "button[data-jk-action=\"submit\"]")
            .unchecked_into::<HtmlElement>()
            .click();
        settle().await;
        let sent = submitted.get_untracked();
        assert_eq!(sent.len(), 1, "{block}");
        assert_eq!(
            sent[0].values.get("code").map(String::as_str),
            Some("123456")
        );
    }
}

#[wasm_bindgen_test]
fn every_block_is_registered_once() {
    let names: Vec<&str> = journey_widgets::blocks::BLOCKS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "alphabetical, each once");
    // Every view the protocol knows belongs to a registered block of the same name.
    for kind in BlockView::KINDS {
        assert!(
            journey_widgets::blocks::part(kind).is_some(),
            "no block {kind}"
        );
    }
    assert!(journey_widgets::blocks::part("phone_verification").is_none());
}

//! Component tests in a real browser (wasm-bindgen-test, headless Chromium through chromedriver).
//!
//! Each test mounts a component with a canned step or flow (no server needed), waits for Leptos
//! to draw, and checks the DOM contract and the accessibility wiring. This is the crate's only
//! integration-test binary: each extra file would be another slow wasm link.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p journey-widgets --target wasm32-unknown-unknown`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use journey_protocol::{
    Action, ActionKind, BlockView, ErrorBody, ErrorCode, ErrorDetail, Field, FieldKind, Flow,
    FlowStatus, Message, MessageLevel, Outcome, Reveal, Session, StartFlow, Step, Submit, Text,
};
use journey_widgets::client::{self, Answer, Request};
use journey_widgets::fallback::{self, Fallback};
use journey_widgets::{Journey, StepView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn text(id: &str, text: &str) -> Text {
    Text {
        id: id.into(),
        text: text.into(),
    }
}

fn field(name: &str, kind: FieldKind, label: &str, autocomplete: Option<&str>) -> Field {
    Field {
        name: name.into(),
        kind,
        label: text(&format!("{name}-label"), label),
        required: true,
        autocomplete: autocomplete.map(Into::into),
        min_length: None,
        max_length: None,
        hint: None,
        value: None,
        reveal: None,
        messages: vec![],
    }
}

fn action(
    id: &str,
    kind: ActionKind,
    label: &str,
    submits: bool,
    available_in: Option<u32>,
) -> Action {
    Action {
        id: id.into(),
        kind,
        label: text(&format!("{id}-label"), label),
        submits_fields: submits,
        available_in,
        hint: available_in.map(|_| {
            text(
                "resend-wait",
                "You can ask for a new code after 30 seconds.",
            )
        }),
    }
}

fn collect_step() -> Step {
    Step {
        id: "details".into(),
        block: "collect_user_data".into(),
        title: text("details-title", "Your details"),
        view: BlockView::CollectUserData,
        fields: vec![
            field("email", FieldKind::Email, "Email address", Some("email")),
            field(
                "given_name",
                FieldKind::Text,
                "First name",
                Some("given-name"),
            ),
        ],
        actions: vec![action(
            "submit",
            ActionKind::Primary,
            "Continue",
            true,
            None,
        )],
        messages: vec![],
    }
}

fn code_step(resend_in: Option<u32>) -> Step {
    Step {
        id: "verify".into(),
        block: "email_validation".into(),
        title: text("verify-title", "Check your email"),
        view: BlockView::EmailValidation {
            email_masked: "j***@example.com".into(),
            code_length: 6,
            attempts_left: 5,
            resend_available_in: resend_in.unwrap_or(0),
        },
        fields: vec![field("code", FieldKind::OneTimeCode, "Code", None)],
        actions: vec![
            action("submit", ActionKind::Primary, "Verify", true, None),
            action(
                "resend",
                ActionKind::Secondary,
                "Send a new code",
                false,
                resend_in,
            ),
        ],
        messages: vec![],
    }
}

fn password_step() -> Step {
    let mut password = field(
        "password",
        FieldKind::Password,
        "Password",
        Some("new-password"),
    );
    password.reveal = Some(Reveal {
        show: text("show", "Show password"),
        hide: text("hide", "Hide password"),
    });
    password.hint = Some(text("password-hint", "At least 15 characters."));
    Step {
        id: "password".into(),
        block: "set_password".into(),
        title: text("password-title", "Choose a password"),
        view: BlockView::SetPassword {
            min_length: 15,
            max_length: 128,
        },
        fields: vec![password],
        actions: vec![action("submit", ActionKind::Primary, "Save", true, None)],
        messages: vec![],
    }
}

fn flow_with(step: Step) -> Flow {
    Flow {
        id: "f1".into(),
        tenant: "roadhelp".into(),
        journey: "registration".into(),
        brand: "roadhelp".into(),
        locale: "en".into(),
        status: FlowStatus::Active,
        expires_at: 1_900_000_000,
        step: Some(step),
        outcome: None,
    }
}

/// Lets Leptos draw (it redraws on the next tick) and timers and frames run.
async fn settle() {
    leptos::task::tick().await;
    sleep(20).await;
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// An `input` event as the browser fires it when a person types or pastes: it bubbles (the form
/// listens for all its inputs).
fn input_event() -> web_sys::Event {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    web_sys::CustomEvent::new_with_event_init_dict("input", &init)
        .unwrap()
        .into()
}

fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn input(root: &Element, name: &str) -> HtmlInputElement {
    find(root, &format!("input[data-jk-field=\"{name}\"]")).unchecked_into()
}

/// A mounted step view and the signals that drive and observe it.
struct Mounted {
    root: HtmlElement,
    step: RwSignal<Option<Step>>,
    busy: RwSignal<bool>,
    submitted: RwSignal<Vec<Submit>>,
    /// Keeps the view mounted for the test's duration.
    _handle: Box<dyn std::any::Any>,
}

/// Mounts a step view with `step`.
fn mount_step(step: Step) -> Mounted {
    let root = container();
    let step = RwSignal::new(Some(step));
    let busy = RwSignal::new(false);
    let submitted = RwSignal::new(Vec::<Submit>::new());
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <StepView
                step=step
                busy=busy
                on_submit=Callback::new(move |s: Submit| submitted.update(|v| v.push(s)))
                id_prefix="t"
            />
        }
    });
    Mounted {
        root,
        step,
        busy,
        submitted,
        _handle: Box::new(handle),
    }
}

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

/// The two live regions of a form: `[alert, status]`.
fn regions(root: &Element) -> [Element; 2] {
    [
        find(root, "[data-jk-messages][role=\"alert\"]"),
        find(root, "[data-jk-messages][role=\"status\"]"),
    ]
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
        },
        Message {
            level: MessageLevel::Error,
            id: "code-wrong".into(),
            text: "That code is not right.".into(),
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
fn the_wire_decoder_reads_what_serde_writes() {
    let mut step = password_step();
    step.messages = vec![Message {
        level: MessageLevel::Success,
        id: "sent".into(),
        text: "Sent.".into(),
    }];
    step.fields[0].min_length = Some(15);
    step.fields[0].max_length = Some(128);
    for flow in [
        flow_with(collect_step()),
        flow_with(code_step(Some(30))),
        flow_with(step),
    ] {
        let json = serde_json::to_string(&flow).unwrap();
        assert_eq!(client::parse(200, &json), Ok(Answer::Flow(flow)));
    }
    let complete = Flow {
        status: FlowStatus::Complete,
        step: None,
        outcome: Some(Outcome {
            message: text("outcome-signed-in", "You are signed in."),
            session: Session {
                subject: "u-123".into(),
                acr: "loa2".into(),
                amr: vec!["pwd".into(), "otp".into()],
                auth_time: 1_800_000_000,
                expires_at: 1_800_086_400,
            },
            id_token: "eyJ.a.b".into(),
            redirect: None,
        }),
        ..flow_with(collect_step())
    };
    let json = serde_json::to_string(&complete).unwrap();
    assert_eq!(
        client::parse(201, &json),
        Ok(Answer::Flow(complete.clone()))
    );
    let error = ErrorBody {
        error: ErrorDetail {
            code: ErrorCode::StepMismatch,
            id: "error-step".into(),
            text: "Moved on.".into(),
        },
        flow: Some(complete),
    };
    let json = serde_json::to_string(&error).unwrap();
    assert_eq!(client::parse(409, &json), Ok(Answer::Error(error, 409)));
    // Not the protocol's JSON: a network failure, so the person gets a retry.
    assert!(client::parse(502, "<html>Bad gateway</html>").is_err());
    assert!(client::parse(200, "{\"id\":\"x\"}").is_err());
}

#[wasm_bindgen_test]
fn request_bodies_are_what_serde_reads() {
    let start = StartFlow {
        locale: Some("nl".into()),
        ..StartFlow::default()
    };
    let body = client::wire::start_body(&start).unwrap();
    assert_eq!(serde_json::from_str::<StartFlow>(&body).unwrap(), start);
    let submit = Submit {
        step: "verify".into(),
        action: "submit".into(),
        values: BTreeMap::from([("code".to_owned(), "123456".to_owned())]),
    };
    let body = client::wire::submit_body(&submit).unwrap();
    assert_eq!(serde_json::from_str::<Submit>(&body).unwrap(), submit);
    let _ = Request::Resume("f1".into());
}

#[wasm_bindgen_test]
fn fallback_texts_are_complete_and_chosen_by_locale() {
    for (lang, source) in fallback::SOURCES {
        for key in fallback::KEYS {
            assert!(
                fallback::lookup(source, key).is_some_and(|t| !t.is_empty()),
                "{lang} lacks {key}"
            );
        }
    }
    assert_eq!(
        Fallback::for_locale(Some("nl-BE")).text("widget-retry"),
        "Opnieuw proberen"
    );
    assert_eq!(
        Fallback::for_locale(Some("en-GB")).text("widget-retry"),
        "Try again"
    );
    assert_eq!(
        Fallback::for_locale(None).text("widget-loading"),
        "Loading…"
    );
}

/// Types into `input` as a person would: the live value changes, the default value does not.
fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&input_event()).unwrap();
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

/// Makes `fetch` answer the requests to `http://mock.invalid/{name}/…` with `answers` (each
/// `[status, body]`, in order; the last one repeats), counting them in `jkMocks[name].calls`.
/// Other URLs go to the real `fetch`. Returns the endpoint to give the widget.
fn mock_server(name: &str, answers: serde_json::Value) -> String {
    let install = js_sys::Function::new_with_args(
        "name, answers",
        r#"
        if (!window.jkMocks) {
          window.jkMocks = {};
          const real = window.fetch.bind(window);
          window.fetch = (url, init) => {
            const m = /^http:\/\/mock\.invalid\/([^/]+)\//.exec(String(url));
            if (!m) return real(url, init);
            const mock = window.jkMocks[m[1]];
            const [status, body] = mock.answers[Math.min(mock.calls, mock.answers.length - 1)];
            mock.calls++;
            mock.urls.push(String(url));
            return Promise.resolve(new Response(JSON.stringify(body), { status }));
          };
        }
        window.jkMocks[name] = { answers: JSON.parse(answers), calls: 0, urls: [] };
        "#,
    );
    install
        .call2(
            &wasm_bindgen::JsValue::NULL,
            &name.into(),
            &answers.to_string().into(),
        )
        .unwrap();
    format!("http://mock.invalid/{name}")
}

/// How many requests reached the mock server `name`.
fn mock_calls(name: &str) -> u32 {
    let window = web_sys::window().unwrap();
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    get(&get(&get(&window, "jkMocks"), name), "calls")
        .as_f64()
        .unwrap() as u32
}

/// Waits (up to 5 s) until `selector` matches inside `root`.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(e) = root.query_selector(selector).unwrap() {
            return e;
        }
        sleep(50).await;
    }
    panic!("nothing matched {selector} within 5 s");
}

fn error_json(code: &str, text: &str) -> serde_json::Value {
    serde_json::json!({ "error": { "code": code, "id": format!("api-{code}"), "text": text } })
}

fn mount_journey(endpoint: String) -> (HtmlElement, Box<dyn std::any::Any>) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Journey endpoint=endpoint tenant="roadhelp" journey="registration" locale="en" /> }
    });
    (root, Box::new(handle))
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

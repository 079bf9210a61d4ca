//! Shared builders of canned steps and flows, mounting, DOM look-ups and a mock `fetch`.

use super::*;

pub(crate) fn text(id: &str, text: &str) -> Text {
    Text {
        id: id.into(),
        text: text.into(),
        args: Default::default(),
    }
}

pub(crate) fn field(name: &str, kind: FieldKind, label: &str, autocomplete: Option<&str>) -> Field {
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
        options: vec![],
        min: None,
        max: None,
        messages: vec![],
    }
}

pub(crate) fn action(
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

pub(crate) fn collect_step() -> Step {
    Step {
        id: "details".into(),
        block: "collect_user_data".into(),
        title: text("details-title", "Your details"),
        view: BlockView::CollectUserData {},
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

/// A profile step: a date of birth, a choice of three (radio buttons) and one of seven (a
/// select), the last one answered before.
pub(crate) fn profile_step() -> Step {
    let options = |values: &[&str]| {
        values
            .iter()
            .map(|v| FieldOption {
                value: (*v).into(),
                label: text(&format!("option-{v}"), &v.to_uppercase()),
            })
            .collect::<Vec<_>>()
    };
    let mut born = field("birthdate", FieldKind::Date, "Date of birth", Some("bday"));
    born.min = Some("1900-01-01".into());
    born.max = Some("2008-12-04".into());
    let mut usage = field(
        "car_use",
        FieldKind::Choice,
        "How will you use the car?",
        None,
    );
    usage.options = options(&["private", "commute", "business"]);
    let mut country = field("country", FieldKind::Choice, "Country", Some("country"));
    country.options = options(&["BE", "DE", "ES", "FR", "GB", "NL", "LU"]);
    country.value = Some("NL".into());
    Step {
        id: "profile".into(),
        block: "profile_completion".into(),
        title: text("profile-title", "A few more details"),
        view: BlockView::ProfileCompletion {
            body: vec![text("profile-intro", "We ask only for what is missing.")],
        },
        fields: vec![born, usage, country],
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

pub(crate) fn code_step(resend_in: Option<u32>) -> Step {
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

pub(crate) fn password_step() -> Step {
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

pub(crate) fn flow_with(step: Step) -> Flow {
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
        expiry: None,
    }
}

/// Lets Leptos draw (it redraws on the next tick) and timers and frames run.
pub(crate) async fn settle() {
    leptos::task::tick().await;
    sleep(20).await;
}

pub(crate) async fn sleep(ms: i32) {
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
pub(crate) fn input_event() -> web_sys::Event {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    web_sys::CustomEvent::new_with_event_init_dict("input", &init)
        .unwrap()
        .into()
}

pub(crate) fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

pub(crate) fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

pub(crate) fn input(root: &Element, name: &str) -> HtmlInputElement {
    find(root, &format!("input[data-jk-field=\"{name}\"]")).unchecked_into()
}

/// A mounted step view and the signals that drive and observe it.
pub(crate) struct Mounted {
    pub(crate) root: HtmlElement,
    pub(crate) step: RwSignal<Option<Step>>,
    pub(crate) busy: RwSignal<bool>,
    pub(crate) submitted: RwSignal<Vec<Submit>>,
    /// Keeps the view mounted for the test's duration.
    pub(crate) _handle: Box<dyn std::any::Any>,
}

/// Mounts a step view with `step`.
pub(crate) fn mount_step(step: Step) -> Mounted {
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

/// The two live regions of a form: `[alert, status]`.
pub(crate) fn regions(root: &Element) -> [Element; 2] {
    [
        find(root, "[data-jk-messages][role=\"alert\"]"),
        find(root, "[data-jk-messages][role=\"status\"]"),
    ]
}

/// Types into `input` as a person would: the live value changes, the default value does not.
pub(crate) fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&input_event()).unwrap();
}

/// Makes `fetch` answer the requests to `http://mock.invalid/{name}/…` with `answers` (each
/// `[status, body]`, in order; the last one repeats), counting them in `jkMocks[name].calls`
/// and keeping each request's method, URL and body in `jkMocks[name].requests`.
/// Other URLs go to the real `fetch`. Returns the endpoint to give the widget.
pub(crate) fn mock_server(name: &str, answers: serde_json::Value) -> String {
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
            mock.requests.push([(init && init.method) || "GET", String(url), (init && init.body) || null]);
            return Promise.resolve(new Response(JSON.stringify(body), { status }));
          };
        }
        window.jkMocks[name] = { answers: JSON.parse(answers), calls: 0, requests: [] };
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
pub(crate) fn mock_calls(name: &str) -> u32 {
    let window = web_sys::window().unwrap();
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    get(&get(&get(&window, "jkMocks"), name), "calls")
        .as_f64()
        .unwrap() as u32
}

/// One request a mock server received.
#[derive(Debug, PartialEq)]
pub(crate) struct Received {
    pub(crate) method: String,
    pub(crate) url: String,
    /// The body, parsed; `Null` when there was none.
    pub(crate) body: serde_json::Value,
}

/// The requests that reached the mock server `name`, in order.
pub(crate) fn mock_requests(name: &str) -> Vec<Received> {
    let window = web_sys::window().unwrap();
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    let requests = get(&get(&get(&window, "jkMocks"), name), "requests");
    js_sys::Array::from(&requests)
        .iter()
        .map(|r| {
            let r = js_sys::Array::from(&r);
            let body = r.get(2).as_string();
            Received {
                method: r.get(0).as_string().unwrap(),
                url: r.get(1).as_string().unwrap(),
                body: body.map_or(serde_json::Value::Null, |b| {
                    serde_json::from_str(&b).unwrap()
                }),
            }
        })
        .collect()
}

/// Collects the `detail` of every `event` that reaches `target`, as JSON.
pub(crate) struct Heard {
    pub(crate) details: std::rc::Rc<std::cell::RefCell<Vec<serde_json::Value>>>,
    _listener: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::CustomEvent)>,
}

pub(crate) fn listen(target: &web_sys::EventTarget, event: &str) -> Heard {
    let details = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = details.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::CustomEvent)>::new(
        move |e: web_sys::CustomEvent| {
            let json = js_sys::JSON::stringify(&e.detail()).unwrap();
            let json: String = json.into();
            sink.borrow_mut().push(serde_json::from_str(&json).unwrap());
        },
    );
    target
        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .unwrap();
    Heard {
        details,
        _listener: listener,
    }
}

impl Heard {
    pub(crate) fn all(&self) -> Vec<serde_json::Value> {
        self.details.borrow().clone()
    }
}

/// Waits (up to 5 s) until `selector` matches inside `root`.
pub(crate) async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(e) = root.query_selector(selector).unwrap() {
            return e;
        }
        sleep(50).await;
    }
    panic!("nothing matched {selector} within 5 s");
}

pub(crate) fn error_json(code: &str, text: &str) -> serde_json::Value {
    serde_json::json!({ "error": { "code": code, "id": format!("api-{code}"), "text": text } })
}

pub(crate) fn mount_journey(endpoint: String) -> (HtmlElement, Box<dyn std::any::Any>) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Journey endpoint=endpoint tenant="roadhelp" journey="registration" locale="en" /> }
    });
    (root, Box::new(handle))
}

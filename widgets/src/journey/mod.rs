//! The journey driver: starts or resumes a flow, sends the person's answers, and shows the result.
//!
//! This component owns the client side of the protocol's state machine and the widget's DOM
//! contract (`data-jk-status`, `aria-busy`, focus, retry). HTTP details live in
//! [`crate::client`]; the form of a step in [`crate::step`].
//!
//! ```text
//!            saved flow id? ── yes ──> GET flow ──┐
//!                 │ no                             │
//!                 v                                v
//!   loading ──> POST start ──> active ──(submit)──> active | complete | failed | expired
//!      │            │             │  ^                  (complete, failed, expired: forget id)
//!      │            v             v  │
//!      └───> error (no flow) <── network error ──(retry: same request again)
//!                 │
//!                 └──("start again")──> POST start
//! ```
//!
//! Every error body that carries a flow is rendered like a normal answer: a wrong code comes back
//! as `invalid_input` with the message beside the field (and the server's summary, `error.text`,
//! first among the step messages, so the alert region announces it), a stale step as
//! `step_mismatch` with the current step. An error without a flow is never a dead end: a 5xx,
//! `internal` or `rate_limited` shows the server's text with the retry of a network failure;
//! any other offers "start again". Only one request is in flight at a time; buttons are disabled
//! meanwhile.
//!
//! An active flow's `expiry` drives the warning before it ends ([`crate::expiry`]): a clock
//! ticks once a second, "Continue" extends the flow (`POST …/extend`, beside the request in
//! flight, changing only the deadline so the form and what was typed stay), and when the time
//! is up the widget asks for the flow, which the server answers as expired.

use std::sync::atomic::{AtomicU32, Ordering};

use journey_protocol::{
    ErrorCode, ErrorDetail, Flow, FlowStatus, Message, MessageLevel, StartFlow, Submit,
};
use leptos::html;
use leptos::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlButtonElement, HtmlElement};

use crate::client::{self, Answer, Request, Target};
use crate::dom::el;
use crate::expiry::{self, Deadline};
use crate::fallback::Fallback;
use crate::step::StepView;

stylance::import_crate_style!(style, "src/journey/journey.module.css");

/// The class of the widget's root, which sets its font, colour and width (the preview uses it too).
pub(crate) const ROOT_CLASS: &str = style::journey;

/// An error the host page hears about: a server error code, or `network_error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetError {
    /// The server's stable error code (`ErrorCode::as_str`), or `network_error`.
    pub code: String,
    /// The message id of `text`.
    pub id: String,
    /// What the person was shown.
    pub text: String,
}

impl From<&ErrorDetail> for WidgetError {
    fn from(e: &ErrorDetail) -> Self {
        Self {
            code: e.code.as_str().to_owned(),
            id: e.id.clone(),
            text: e.text.clone(),
        }
    }
}

/// Where focus goes once an answer is on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    Stay,
    Heading,
    FirstInvalid,
    Complete,
}

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// An `invalid_input` answer with field errors: the server's summary of it ("Some of what you
/// entered needs fixing.") goes first among the step messages, into the alert region.
fn add_summary(flow: &mut Flow, error: ErrorDetail) {
    let is_error = |m: &Message| m.level == MessageLevel::Error;
    if let Some(step) = flow.step.as_mut()
        && step.fields.iter().any(|f| f.messages.iter().any(is_error))
        && !step.messages.iter().any(|m| m.id == error.id)
    {
        let summary = Message {
            level: MessageLevel::Error,
            id: error.id,
            text: error.text,
            args: Default::default(),
        };
        step.messages.insert(0, summary);
    }
}

/// Moves focus inside `root` once the answer is rendered (Leptos redraws on the next tick).
fn focus_later(root: NodeRef<html::Div>, focus: Focus) {
    let selector = match focus {
        Focus::Stay => return,
        Focus::Heading => "form[data-jk-step] h2",
        Focus::FirstInvalid => "[aria-invalid=\"true\"]",
        Focus::Complete => "[data-jk-complete]",
    };
    request_animation_frame(move || {
        let target = root
            .get_untracked()
            .and_then(|r| r.query_selector(selector).ok().flatten())
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let Some(el) = target {
            let _ = el.focus();
        }
    });
}

/// Runs one journey for one person: the whole widget a brand embeds.
#[component]
pub fn Journey(
    /// Base URL of the journey server, such as `https://id.example.com` (no `/v1`).
    #[prop(into)]
    endpoint: String,
    /// The tenant whose journey runs, such as `roadhelp`.
    #[prop(into)]
    tenant: String,
    /// The journey's name within the tenant, such as `registration`.
    #[prop(into)]
    journey: String,
    /// The brand whose texts and theme the flow has, such as `wheelhouse`; the tenant's default
    /// brand when absent.
    #[prop(optional, into)]
    brand: MaybeProp<String>,
    /// The preferred language (BCP 47); the server picks the brand's default when absent.
    #[prop(optional, into)]
    locale: MaybeProp<String>,
    /// A value from the page that the ID token echoes as its `nonce` claim.
    #[prop(optional, into)]
    nonce: MaybeProp<String>,
    /// Facts from the page for the flow, as JSON text (`{"product":"car"}`), checked by the
    /// server against the keys the journey declares.
    #[prop(optional, into)]
    context: MaybeProp<String>,
    /// Extra classes for the root element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Called with every flow that shows a step (after start, resume and each answer).
    #[prop(optional)]
    on_step: Option<Callback<Flow>>,
    /// Called once the flow is complete; the flow carries the outcome.
    #[prop(optional)]
    on_complete: Option<Callback<Flow>>,
    /// Called with every error answer and every network failure.
    #[prop(optional)]
    on_error: Option<Callback<WidgetError>>,
) -> impl IntoView {
    let locale = locale.get_untracked();
    let fallback = Fallback::for_locale(locale.as_deref());
    let brand = brand.get_untracked();
    let target = Target {
        endpoint,
        tenant,
        journey,
        brand: brand.clone(),
    };
    let start_body = StartFlow {
        brand,
        locale: locale.clone(),
        nonce: nonce.get_untracked(),
        context: context
            .get_untracked()
            .map(|text| client::wire::context(&text))
            .unwrap_or_default(),
    };
    let id_prefix = format!("jk{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));

    let root = NodeRef::<html::Div>::new();
    let flow = RwSignal::new(None::<Flow>);
    // An error without a flow that "start again" may fix.
    let alert = RwSignal::new(None::<ErrorDetail>);
    // The text shown with a retry: a network failure, or the server failed (5xx).
    let network = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let deadline = RwSignal::new(None::<Deadline>);
    let clock = RwSignal::new(expiry::now_ms());
    let extending = RwSignal::new(false);
    let last = StoredValue::new(None::<Request>);
    let started = StoredValue::new(false);

    let report = move |error: WidgetError| {
        if let Some(cb) = on_error {
            cb.run(error);
        }
    };

    // Shows a flow that arrived (as an answer or inside an error body).
    let show_flow = {
        let target = target.clone();
        move |next: Flow, invalid: bool| {
            let previous_step = flow.with_untracked(|f| {
                f.as_ref()
                    .and_then(|f| f.step.as_ref().map(|s| s.id.clone()))
            });
            let next_step = next.step.as_ref().map(|s| s.id.clone());
            if next.status == FlowStatus::Active {
                client::save_flow(&target, &next.id);
            } else {
                client::forget_flow(&target);
            }
            let focus = if next.status == FlowStatus::Complete {
                Focus::Complete
            } else if invalid {
                Focus::FirstInvalid
            } else if started.get_value() && previous_step != next_step {
                Focus::Heading
            } else {
                Focus::Stay
            };
            alert.set(None);
            deadline.set(Deadline::of(&next));
            flow.set(Some(next.clone()));
            started.set_value(true);
            focus_later(root, focus);
            if next.status == FlowStatus::Complete {
                if let Some(cb) = on_complete {
                    cb.run(next);
                }
            } else if let Some(cb) = on_step.filter(|_| next.step.is_some()) {
                cb.run(next);
            }
        }
    };

    let run = Callback::new({
        let target = target.clone();
        let show_flow = show_flow.clone();
        move |request: Request| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            network.set(None);
            last.set_value(Some(request.clone()));
            let target = target.clone();
            let show_flow = show_flow.clone();
            leptos::task::spawn_local(async move {
                let answer = client::send(&target, &request).await;
                _ = busy.try_set(false);
                match answer {
                    Ok(Answer::Flow(next)) => show_flow(next, false),
                    Ok(Answer::Error(body, status)) => {
                        report(WidgetError::from(&body.error));
                        let code = body.error.code;
                        if let Some(mut next) = body.flow {
                            let invalid = code == ErrorCode::InvalidInput;
                            if invalid {
                                add_summary(&mut next, body.error);
                            }
                            show_flow(next, invalid);
                        } else if status >= 500
                            || matches!(code, ErrorCode::Internal | ErrorCode::RateLimited)
                        {
                            _ = network.try_set(Some(body.error.text));
                        } else {
                            if matches!(
                                code,
                                ErrorCode::FlowNotFound
                                    | ErrorCode::FlowExpired
                                    | ErrorCode::FlowEnded
                            ) {
                                client::forget_flow(&target);
                                deadline.set(None);
                                flow.set(None);
                            }
                            alert.set(Some(body.error));
                        }
                    }
                    Err(client::NetworkError) => {
                        let text = fallback.text("widget-network-error");
                        _ = network.try_set(Some(text.to_owned()));
                        report(WidgetError {
                            code: "network_error".to_owned(),
                            id: "widget-network-error".to_owned(),
                            text: text.to_owned(),
                        });
                    }
                }
            });
        }
    });

    // More time: only the deadline changes, so the form and what was typed stay as they are.
    // An error with a flow (expired, ended, a submission won the race) is shown as any answer.
    let extend = {
        let target = target.clone();
        let show_flow = show_flow.clone();
        move || {
            let Some(id) = flow.with_untracked(|f| f.as_ref().map(|f| f.id.clone())) else {
                return;
            };
            if extending.get_untracked() {
                return;
            }
            extending.set(true);
            let target = target.clone();
            let show_flow = show_flow.clone();
            leptos::task::spawn_local(async move {
                let answer = client::send(&target, &Request::Extend(id)).await;
                _ = extending.try_set(false);
                match answer {
                    Ok(Answer::Flow(next)) => _ = deadline.try_set(Deadline::of(&next)),
                    Ok(Answer::Error(body, _)) => {
                        report(WidgetError::from(&body.error));
                        if let Some(next) = body.flow {
                            show_flow(next, false);
                        }
                    }
                    Err(client::NetworkError) => report(WidgetError {
                        code: "network_error".to_owned(),
                        id: "widget-network-error".to_owned(),
                        text: fallback.text("widget-network-error").to_owned(),
                    }),
                }
            });
        }
    };
    // The clock of the warning. Once the time is up the server is asked, and says "expired".
    if let Ok(ticking) = set_interval_with_handle(
        move || {
            let now = expiry::now_ms();
            _ = clock.try_set(now);
            let over =
                deadline.with_untracked(|d| d.as_ref().is_some_and(|d| d.left_at(now) <= 0.0));
            if over && !busy.get_untracked() {
                deadline.set(None);
                if let Some(id) = flow.with_untracked(|f| f.as_ref().map(|f| f.id.clone())) {
                    run.run(Request::Resume(id));
                }
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || ticking.clear());
    }

    let on_submit = Callback::new(move |submit: Submit| {
        if let Some(id) = flow.with_untracked(|f| f.as_ref().map(|f| f.id.clone())) {
            run.run(Request::Submit(id, submit));
        }
    });

    // Start, or resume the flow this tab was in before a reload.
    run.run(match client::saved_flow(&target) {
        Some(id) => Request::Resume(id),
        None => Request::Start(start_body.clone()),
    });

    // The root's own parts, redrawn whenever what they show changes.
    Effect::new(move || {
        let Some(root) = root.get() else {
            return;
        };
        flow.with(|f| {
            alert.with(|a| {
                network.with(|n| {
                    let parts = Parts {
                        flow: f.as_ref(),
                        alert: a.as_ref(),
                        network: n.as_deref(),
                        texts: fallback,
                        busy: busy.get_untracked(),
                    };
                    draw(&root, &parts)
                })
            })
        });
    });
    // While a request is in flight: `aria-busy` on the root, its own buttons disabled (the
    // step's are the step's to disable).
    Effect::new(move || {
        let busy = busy.get();
        let Some(root) = root.get() else {
            return;
        };
        let _ = if busy {
            root.set_attribute("aria-busy", "true")
        } else {
            root.remove_attribute("aria-busy")
        };
        for key in OWN_BUTTONS {
            if let Ok(Some(b)) = root.query_selector(&format!("[{key}]")) {
                b.unchecked_into::<HtmlButtonElement>().set_disabled(busy);
            }
        }
    });
    let shown = StoredValue::new(None);
    Effect::new(move || {
        let (Some(root), now, extending) = (root.get(), clock.get(), extending.get()) else {
            return;
        };
        shown.update_value(|shown| {
            deadline.with(|d| expiry::draw(&root, d.as_ref(), now, extending, shown));
        });
    });

    // The root's buttons: "Retry" repeats the last request, "Start again" starts a new flow,
    // "Continue" extends the flow. A disabled button gets no click.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(clicked) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let pressed = |key: &str| {
            let selector = format!("button[{key}]");
            clicked.closest(&selector).ok().flatten().is_some()
        };
        if pressed("data-jk-retry") {
            if let Some(request) = last.get_value() {
                run.run(request);
            }
        } else if pressed("data-jk-restart") {
            client::forget_flow(&target);
            alert.set(None);
            run.run(Request::Start(start_body.clone()));
        } else if pressed("data-jk-extend") {
            extend();
        }
    };

    let step = Signal::derive(move || flow.with(|f| f.as_ref().and_then(|f| f.step.clone())));
    view! {
        <div
            node_ref=root
            class=crate::classes(style::journey, class)
            data-jk-status="loading"
            on:click=on_click
        >
            // Always there (empty without a step), so its live regions exist from the start.
            <StepView step=step busy=busy on_submit=on_submit id_prefix=id_prefix />
        </div>
    }
}

/// What the root shows around the step's form.
struct Parts<'a> {
    flow: Option<&'a Flow>,
    /// An error without a flow that "start again" may fix.
    alert: Option<&'a ErrorDetail>,
    /// The text shown with a retry.
    network: Option<&'a str>,
    texts: Fallback,
    busy: bool,
}

/// The data attributes of the root's own buttons (at most one of each is shown), which keep the
/// focus across a redraw and wait while busy.
const OWN_BUTTONS: [&str; 2] = ["data-jk-retry", "data-jk-restart"];

/// A `button[type=button]` with the journey's button style, the data attribute `key` and
/// `label`, appended to `parent`.
pub(crate) fn button(
    doc: &Document,
    parent: &Element,
    key: &str,
    label: &str,
    disabled: bool,
) -> Option<()> {
    let attrs = [("type", "button"), (key, "")];
    let b = el(doc, Some(parent), "button", style::button, &attrs, label)?;
    b.unchecked_into::<HtmlButtonElement>()
        .set_disabled(disabled);
    Some(())
}

/// Redraws the root's own parts around the step's form (the expiry warning right after the form
/// is [`expiry::draw`]'s): the error without a flow, or the loading note, before the form; the
/// outcome, or "start again" after a failed or expired flow, then the network failure, after
/// it. Sets `data-jk-status`. When one of the root's buttons had the focus, its successor gets
/// it.
fn draw(root: &Element, parts: &Parts<'_>) -> Option<()> {
    let doc = root.owner_document()?;
    let form = root.query_selector("form").ok().flatten()?;
    let status = match (parts.flow, parts.alert.is_some() || parts.network.is_some()) {
        (Some(f), _) => f.status.as_str(),
        (None, true) => "error",
        (None, false) => "loading",
    };
    root.set_attribute("data-jk-status", status).ok()?;
    let focused = doc
        .active_element()
        .filter(|a| root.contains(Some(a)))
        .and_then(|a| OWN_BUTTONS.into_iter().find(|k| a.has_attribute(k)));
    let mut child = root.first_element_child();
    while let Some(c) = child {
        child = c.next_element_sibling();
        if c != form && !c.has_attribute("data-jk-expiry") {
            c.remove();
        }
    }
    let texts = parts.texts;
    let restart = |parent: &Element| {
        button(
            &doc,
            parent,
            "data-jk-restart",
            texts.text("widget-start-again"),
            parts.busy,
        )
    };
    if let Some(a) = parts.alert {
        let attrs = [("role", "alert"), ("data-jk-error", a.code.as_str())];
        let alert = el(&doc, None, "div", style::alert, &attrs, "")?;
        el(&doc, Some(&alert), "p", "", &[], &a.text)?;
        restart(&alert)?;
        form.before_with_node_1(&alert).ok()?;
    } else if parts.flow.is_none() && parts.network.is_none() {
        let attrs = [("data-jk-loading", "")];
        let loading = el(
            &doc,
            None,
            "p",
            style::loading,
            &attrs,
            texts.text("widget-loading"),
        )?;
        form.before_with_node_1(&loading).ok()?;
    }
    match parts.flow.map(|f| (f.status, f.outcome.as_ref())) {
        // The server's words for the outcome, in the flow's locale.
        Some((FlowStatus::Complete, outcome)) => {
            let attrs = [
                ("data-jk-complete", ""),
                ("tabindex", "-1"),
                ("role", "status"),
            ];
            let complete = el(&doc, Some(root), "div", style::complete, &attrs, "")?;
            let text = outcome.map_or("", |o| o.message.text.as_str());
            el(&doc, Some(&complete), "p", "", &[], text)?;
        }
        Some((FlowStatus::Failed | FlowStatus::Expired, _)) => restart(root)?,
        _ => {}
    }
    if let Some(text) = parts.network {
        let attrs = [("role", "alert"), ("data-jk-network-error", "")];
        let network = el(&doc, Some(root), "div", style::network, &attrs, "")?;
        el(&doc, Some(&network), "p", "", &[], text)?;
        button(
            &doc,
            &network,
            "data-jk-retry",
            texts.text("widget-retry"),
            parts.busy,
        )?;
    }
    if let Some(key) = focused
        && let Some(next) = root.query_selector(&format!("[{key}]")).ok().flatten()
    {
        let _ = next.unchecked_into::<HtmlElement>().focus();
    }
    Some(())
}

//! The form of one step: heading, block view, messages, fields and actions.
//!
//! This component owns the generic rendering every building block shares and turns a button press
//! into a [`Submit`]: the step id it answers, the action, and (when the action sends fields) the
//! values read from the form. It sends nothing itself; the [`crate::journey`] driver does.
//!
//! The `<form>` element and its two live regions stay in place while the step changes (the
//! driver keeps the form even without a step, so the regions exist from the start). Everything else
//! is built afresh (with [`crate::dom`]) for every answer, even when the step stays the same
//! (an `invalid_input` answer): inputs show exactly the server's `value`, never what was typed
//! into an earlier answer's input, and password toggles start hidden. When the focus was inside
//! the rebuilt part, it moves to the new element of the same action or field (else the
//! heading); the driver may then move it on (heading, first invalid field).
//!
//! Events are delegated to the form (one listener each for `submit`, `click` and `input`).
//! Actions with `available_in` wait until that many seconds have passed since the answer arrived
//! (a relative time, so the person's clock does not matter): meanwhile they are
//! `aria-disabled="true"` (still focusable, so a screen reader finds them), presses are ignored,
//! and the action's `hint` (why it waits) shows beside the button, named by its
//! `aria-describedby`. Every action is `disabled` while a request is in flight.

use std::collections::BTreeMap;
use std::time::Duration;

use journey_protocol::{ActionKind, Step, Submit};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

use crate::dom::el;
use crate::{blocks, field, messages};

stylance::import_crate_style!(style, "src/step/step.module.css");

/// The class of an action's button.
fn kind_class(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Primary => style::primary,
        ActionKind::Secondary => style::secondary,
    }
}

/// The action buttons of the current answer.
type Buttons = StoredValue<Vec<HtmlButtonElement>, LocalStorage>;

/// Sets `disabled` on every action button while busy.
fn sync_buttons(buttons: Buttons, busy: bool) {
    buttons.try_with_value(|all| {
        for button in all {
            button.set_disabled(busy);
        }
    });
}

/// A waiting action became available: drops `aria-disabled` and the hint. Nothing to do when a
/// newer answer replaced the button (its hint id may belong to the new button).
fn available(button: &Element) {
    if !button.is_connected() {
        return;
    }
    let _ = button.remove_attribute("aria-disabled");
    if let Some(hint) = button
        .get_attribute("aria-describedby")
        .and_then(|id| button.owner_document()?.get_element_by_id(&id))
    {
        hint.remove();
    }
    let _ = button.remove_attribute("aria-describedby");
}

/// Whether `button` waits for its `available_in` (presses are ignored meanwhile).
fn waiting(button: &Element) -> bool {
    button.has_attribute("aria-disabled")
}

/// The attribute that names the focused element, to find its successor after a rebuild.
const FOCUS_KEYS: [&str; 3] = ["data-jk-action", "data-jk-field", "data-jk-reveal"];

/// Rebuilds the form's content for `step`, keeping the form and the live `regions`.
fn render(
    form: &Element,
    regions: &[Element; 2],
    step: Option<&Step>,
    id_prefix: &str,
    buttons: Buttons,
    busy: Signal<bool>,
) -> Option<()> {
    let doc = form.owner_document()?;
    // Where the focus is, when inside the part that is rebuilt.
    let focused = doc
        .active_element()
        .filter(|a| !regions.contains(a) && form.contains(Some(a)))
        .map(|a| {
            FOCUS_KEYS
                .iter()
                .find_map(|k| a.get_attribute(k).map(|v| format!("[{k}=\"{v}\"]")))
                .unwrap_or_else(|| "h2".to_owned())
        });
    let [first, last] = regions;
    while let Some(child) = form.first_element_child().filter(|c| c != first) {
        child.remove();
    }
    while let Some(child) = last.next_element_sibling() {
        child.remove();
    }
    buttons.try_update_value(Vec::clear);
    let Some(step) = step else {
        for name in ["data-jk-step", "data-jk-block", "aria-labelledby"] {
            let _ = form.remove_attribute(name);
        }
        return messages::render(&doc, regions, &[]);
    };
    let title_id = format!("{id_prefix}-title");
    for (name, value) in [
        ("data-jk-step", step.id.as_str()),
        ("data-jk-block", &step.block),
        ("aria-labelledby", &title_id),
    ] {
        form.set_attribute(name, value).ok()?;
    }

    let attrs = [("id", title_id.as_str()), ("tabindex", "-1")];
    let heading = el(&doc, None, "h2", style::title, &attrs, &step.title.text)?;
    first.before_with_node_1(&heading).ok()?;
    if let Some(intro) = blocks::build(&doc, step) {
        first.before_with_node_1(&intro).ok()?;
    }
    messages::render(&doc, regions, &step.messages)?;
    for f in &step.fields {
        field::build(&doc, form, f, id_prefix)?;
    }
    let actions = el(&doc, Some(form), "div", style::actions, &[], "")?;
    for action in &step.actions {
        let wait = action.available_in.unwrap_or(0);
        let primary = action.kind == ActionKind::Primary;
        let class = [style::action, kind_class(action.kind)].join(" ");
        let attrs = [
            ("type", if primary { "submit" } else { "button" }),
            ("data-jk-action", action.id.as_str()),
        ];
        let button: HtmlButtonElement =
            el(&doc, Some(&actions), "button", &class, &attrs, "")?.unchecked_into();
        button.set_text_content(Some(&action.label.text));
        button.set_disabled(busy.get_untracked());
        if wait > 0 {
            button.set_attribute("aria-disabled", "true").ok()?;
            if let Some(hint) = &action.hint {
                let id = format!("{id_prefix}-{}-hint", action.id);
                let attrs = [("id", id.as_str()), ("data-jk-action-hint", &action.id)];
                el(&doc, Some(&actions), "p", style::hint, &attrs, &hint.text)?;
                button.set_attribute("aria-describedby", &id).ok()?;
            }
            let this = button.clone();
            set_timeout(
                move || available(&this),
                Duration::from_secs(u64::from(wait)),
            );
        }
        buttons.try_update_value(|all| all.push(button));
    }
    if let Some(selector) = focused {
        let target = form
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        let _ = target.map(|t| t.focus());
        if doc
            .active_element()
            .is_none_or(|a| !form.contains(Some(&a)))
        {
            let _ = heading.dyn_into::<HtmlElement>().map(|h| h.focus());
        }
    }
    Some(())
}

/// The form of one step, answering through `on_submit`.
#[component]
pub fn StepView(
    /// The step to show; `None` renders an empty form (the driver hides it then).
    #[prop(into)]
    step: Signal<Option<Step>>,
    /// Whether a request is in flight: every action is disabled meanwhile.
    #[prop(into)]
    busy: Signal<bool>,
    /// Called with the answer when the person takes an action.
    on_submit: Callback<Submit>,
    /// A prefix that makes element ids unique on the page, such as `jk1`.
    #[prop(into)]
    id_prefix: String,
    /// Extra classes for the form.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let form = NodeRef::<html::Form>::new();
    let alert = NodeRef::<html::Div>::new();
    let status = NodeRef::<html::Div>::new();
    let buttons: Buttons = StoredValue::new_local(Vec::new());

    // Every answer (a new step, or the same step again with errors) rebuilds the content.
    Effect::new(move || {
        let (Some(f), Some(a), Some(s)) = (form.get(), alert.get(), status.get()) else {
            return;
        };
        let regions = [a.into(), s.into()];
        step.with(|s| render(&f, &regions, s.as_ref(), &id_prefix, buttons, busy));
    });
    Effect::new(move || sync_buttons(buttons, busy.get()));

    // Reads the values for `action_id` from the form and hands the answer to the driver.
    let answer = move |action_id: String| {
        let Some(step) = step.get_untracked() else {
            return;
        };
        let Some(action) = step.actions.iter().find(|a| a.id == action_id) else {
            return;
        };
        let mut values = BTreeMap::new();
        if action.submits_fields {
            let data = form
                .get_untracked()
                .and_then(|f| web_sys::FormData::new_with_form(&f).ok());
            for field in &step.fields {
                let value = data.as_ref().and_then(|d| d.get(&field.name).as_string());
                values.insert(field.name.clone(), value.unwrap_or_default());
            }
        }
        on_submit.run(Submit {
            step: step.id,
            action: action_id,
            values,
        });
    };

    let on_form_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let submitter = ev.submitter();
        if submitter.as_ref().is_some_and(|b| waiting(b)) {
            return;
        }
        let pressed = submitter.and_then(|b| b.get_attribute("data-jk-action"));
        let action = pressed.or_else(|| {
            step.with_untracked(|s| {
                s.as_ref()?
                    .actions
                    .iter()
                    .find(|a| a.kind == ActionKind::Primary)
                    .map(|a| a.id.clone())
            })
        });
        if let Some(action) = action {
            answer(action);
        }
    };

    // Secondary actions (plain buttons) and password toggles. A disabled button gets no click; a
    // waiting (`aria-disabled`) one does, and it is ignored.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let closest = |selector: &str| target.closest(selector).ok().flatten();
        if let Some(button) = closest("button[data-jk-reveal]") {
            let name = button.get_attribute("data-jk-reveal");
            let reveal = step.with_untracked(|s| {
                s.as_ref()?
                    .fields
                    .iter()
                    .find(|f| Some(&f.name) == name.as_ref())?
                    .reveal
                    .clone()
            });
            if let Some(reveal) = reveal {
                field::toggle(&button, &reveal);
            }
        } else if let Some(button) = closest("button[data-jk-action][type=button]")
            && !waiting(&button)
            && let Some(id) = button.get_attribute("data-jk-action")
        {
            answer(id);
        }
    };

    let on_input = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let name = input.name();
        let kind = step.with_untracked(|s| {
            s.as_ref()?
                .fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.kind)
        });
        if let Some(kind) = kind {
            field::on_input(&input, kind);
        }
    };

    view! {
        <form
            node_ref=form
            class=crate::classes(style::step, class)
            novalidate=true
            on:submit=on_form_submit
            on:click=on_click
            on:input=on_input
        >
            <div node_ref=alert class=messages::REGION_CLASS data-jk-messages="" role="alert"></div>
            <div node_ref=status class=messages::REGION_CLASS data-jk-messages="" role="status"></div>
        </form>
    }
}

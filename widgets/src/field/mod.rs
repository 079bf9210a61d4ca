//! One input of a step: its label, hint, errors and, for passwords, the show/hide toggle.
//!
//! This component owns the accessibility wiring of a single field: the `<label for>`, the
//! `aria-describedby` that points at the hint and the error text, `aria-invalid`, the
//! `autocomplete` token the server chose, and input modes that let codes and passwords be pasted
//! and autofilled (WCAG 2.2, 3.3.8). It holds no value state: the [`crate::step`] form reads the
//! values from the DOM when an action is taken.

use journey_protocol::{Field, FieldKind, MessageLevel};
use leptos::prelude::*;
use web_sys::HtmlInputElement;

stylance::import_crate_style!(style, "src/field/field.module.css");

/// The `type` and `inputmode` of the input for a field kind.
fn input_kind(kind: FieldKind) -> (&'static str, Option<&'static str>) {
    match kind {
        FieldKind::Text => ("text", None),
        FieldKind::Email => ("email", None),
        FieldKind::Password => ("password", None),
        FieldKind::OneTimeCode => ("text", Some("numeric")),
    }
}

/// A labelled input for one [`Field`], with its hint and error messages beside it.
#[component]
pub fn FieldInput(
    /// The field as the server described it; the component is rebuilt when the step changes.
    field: Field,
    /// A prefix that makes element ids unique on the page, such as `jk1`.
    #[prop(into)]
    id_prefix: String,
    /// Extra classes for the field's wrapper.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let input_id = format!("{id_prefix}-{}", field.name);
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let (errors, notes): (Vec<_>, Vec<_>) = field
        .messages
        .iter()
        .cloned()
        .partition(|m| m.level == MessageLevel::Error);
    let has_hint = field.hint.is_some() || !notes.is_empty();
    let has_errors = !errors.is_empty();
    let described_by = [
        (has_hint, hint_id.as_str()),
        (has_errors, error_id.as_str()),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, id)| *id)
    .collect::<Vec<_>>()
    .join(" ");
    let (input_type, inputmode) = input_kind(field.kind);
    let is_code = field.kind == FieldKind::OneTimeCode;
    let is_password = field.kind == FieldKind::Password;
    let autocomplete = field
        .autocomplete
        .clone()
        .or_else(|| is_code.then(|| "one-time-code".to_owned()));
    // A code of digits may be pasted as `123 456` or `123-456`: keep the digits, and do not cap
    // the length in the browser, which would cut a pasted code before it is cleaned.
    let max_length = if is_code { None } else { field.max_length };
    let on_input = move |ev: leptos::ev::Event| {
        if !is_code {
            return;
        }
        let input: HtmlInputElement = event_target(&ev);
        let value = input.value();
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits != value {
            input.set_value(&digits);
        }
    };
    // The toggle flips the input's type in place, without a signal: a render effect per field
    // costs more wasm than these few DOM calls. The input is the button's previous sibling.
    let toggle = field.reveal.clone().filter(|_| is_password).map(|reveal| {
        let name = field.name.clone();
        let on_click = move |ev: leptos::ev::MouseEvent| {
            let Some(button) = ev
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            let shown = button.get_attribute("aria-pressed").as_deref() == Some("true");
            if let Some(input) = button.previous_element_sibling() {
                let _ = input.set_attribute("type", if shown { "password" } else { "text" });
            }
            let _ = button.set_attribute("aria-pressed", if shown { "false" } else { "true" });
            let label = if shown {
                &reveal.show.text
            } else {
                &reveal.hide.text
            };
            button.set_text_content(Some(label));
        };
        let show = field.reveal.as_ref().map(|r| r.show.text.clone());
        view! {
            <button
                type="button"
                class=style::reveal
                data-jk-reveal=name
                aria-controls=input_id.clone()
                aria-pressed="false"
                on:click=on_click
            >
                {show}
            </button>
        }
    });
    let plain = !matches!(field.kind, FieldKind::Text);
    view! {
        <div class=crate::classes(style::field, class)>
            <label class=style::label for=input_id.clone()>
                {field.label.text.clone()}
            </label>
            {has_hint
                .then(|| {
                    view! {
                        <div class=style::hint id=hint_id.clone()>
                            {field.hint.clone().map(|h| view! { <p>{h.text}</p> })}
                            {notes
                                .into_iter()
                                .map(|m| view! { <p data-jk-note=m.id>{m.text}</p> })
                                .collect_view()}
                        </div>
                    }
                })}
            {has_errors
                .then(|| {
                    view! {
                        <div
                            class=style::error
                            id=error_id.clone()
                            data-jk-field-error=field.name.clone()
                        >
                            {errors
                                .into_iter()
                                .map(|m| view! { <p data-jk-error-id=m.id>{m.text}</p> })
                                .collect_view()}
                        </div>
                    }
                })}
            <div class=style::control>
                <input
                    class=style::input
                    id=input_id.clone()
                    name=field.name.clone()
                    data-jk-field=field.name.clone()
                    type=input_type
                    inputmode=inputmode
                    autocomplete=autocomplete
                    required=field.required
                    minlength=field.min_length.map(|n| n.to_string())
                    maxlength=max_length.map(|n| n.to_string())
                    value=field.value.clone()
                    spellcheck=plain.then_some("false")
                    autocapitalize=plain.then_some("none")
                    aria-invalid=has_errors.then_some("true")
                    aria-describedby=(!described_by.is_empty()).then_some(described_by)
                    on:input=on_input
                />
                {toggle}
            </div>
        </div>
    }
}

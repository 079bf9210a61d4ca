//! One input of a step: its label, hint, errors and, for passwords, the show/hide toggle; a
//! choice is a group of radio buttons (a few options) or a `<select>` (many), named by its
//! legend or label, a date is the browser's date input within the server's bounds, and a
//! checkbox (`FieldKind::Checkbox`) has its label beside it, after the box.
//!
//! This module owns the accessibility wiring of a single field: the `<label for>`, the
//! `aria-describedby` that points at the hint and the error text, `aria-invalid`, the
//! `autocomplete` token the server chose, and input modes that let codes and passwords be pasted
//! and autofilled (WCAG 2.2, 3.3.8). It holds no value state: the [`crate::step`] form reads the
//! values from the DOM when an action is taken, and builds new elements for every answer, so an
//! input shows exactly the server's `value` (empty when absent) and nothing typed before.
//! Events are delegated by the form: [`on_input`] and [`toggle`] do the work.

use journey_protocol::{Field, FieldKind, MessageLevel, Reveal};
use web_sys::{Document, Element, HtmlInputElement};

use crate::dom::el;

stylance::import_crate_style!(style, "src/field/field.module.css");

/// The `type` and `inputmode` of the input for a field kind.
fn input_kind(kind: FieldKind) -> (&'static str, Option<&'static str>) {
    match kind {
        FieldKind::Text => ("text", None),
        FieldKind::Email => ("email", None),
        // `tel`, not `number`: a phone number has a `+`, spaces and leading zeros.
        FieldKind::Phone => ("tel", Some("tel")),
        FieldKind::Password => ("password", None),
        FieldKind::OneTimeCode => ("text", Some("numeric")),
        FieldKind::Date => ("date", None),
        FieldKind::Choice => ("radio", None),
        FieldKind::Checkbox => ("checkbox", None),
    }
}

/// Most options a choice shows as radio buttons; more become a `<select>`.
const MOST_RADIOS: usize = 5;

/// Appends a labelled input for one [`Field`] to `parent`, with its hint and error messages
/// beside it; `id_prefix` makes element ids unique on the page.
pub(crate) fn build(
    doc: &Document,
    parent: &Element,
    field: &Field,
    id_prefix: &str,
) -> Option<()> {
    let name = field.name.as_str();
    let input_id = format!("{id_prefix}-{name}");
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let notes = field
        .messages
        .iter()
        .filter(|m| m.level != MessageLevel::Error);
    let mut errors = field
        .messages
        .iter()
        .filter(|m| m.level == MessageLevel::Error)
        .peekable();
    let has_hint = field.hint.is_some() || notes.clone().next().is_some();
    let has_errors = errors.peek().is_some();
    let described_by = match (has_hint, has_errors) {
        (true, true) => format!("{hint_id} {error_id}"),
        (true, false) => hint_id.clone(),
        (false, true) => error_id.clone(),
        (false, false) => String::new(),
    };
    let described_by = Some(described_by.as_str()).filter(|d| !d.is_empty());
    let invalid = has_errors.then_some("true");

    // Radio buttons are a group named by its legend; the group carries the description and
    // the invalid state (a fieldset may take the radiogroup role, ARIA in HTML).
    let radios = field.kind == FieldKind::Choice && field.options.len() <= MOST_RADIOS;
    // A checkbox has its label after it, on its row (below); every other input has it above.
    let checkbox = field.kind == FieldKind::Checkbox;
    let mut label = None;
    let wrapper = if radios {
        let attrs = [
            ("role", Some("radiogroup")),
            ("aria-describedby", described_by),
            ("aria-invalid", invalid),
        ];
        let attrs: Vec<_> = attrs
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        let set = el(doc, Some(parent), "fieldset", style::field, &attrs, "")?;
        el(
            doc,
            Some(&set),
            "legend",
            style::label,
            &[],
            &field.label.text,
        )?;
        set
    } else {
        let wrapper = el(doc, Some(parent), "div", style::field, &[], "")?;
        let attrs = [("for", input_id.as_str())];
        label = Some(el(
            doc,
            (!checkbox).then_some(&wrapper),
            "label",
            style::label,
            &attrs,
            &field.label.text,
        )?);
        wrapper
    };
    if has_hint {
        let hint = el(
            doc,
            Some(&wrapper),
            "div",
            style::hint,
            &[("id", &hint_id)],
            "",
        )?;
        if let Some(h) = &field.hint {
            el(doc, Some(&hint), "p", "", &[], &h.text)?;
        }
        for m in notes {
            el(
                doc,
                Some(&hint),
                "p",
                "",
                &[("data-jk-note", &m.id)],
                &m.text,
            )?;
        }
    }
    if has_errors {
        let attrs = [("id", error_id.as_str()), ("data-jk-field-error", name)];
        let error = el(doc, Some(&wrapper), "div", style::error, &attrs, "")?;
        for m in errors {
            el(
                doc,
                Some(&error),
                "p",
                "",
                &[("data-jk-error-id", &m.id)],
                &m.text,
            )?;
        }
    }
    let control = el(doc, None, "div", style::control, &[], "")?;
    if checkbox {
        wrapper.prepend_with_node_1(&control).ok()?;
    } else {
        wrapper.append_child(&control).ok()?;
    }
    if radios {
        return radio_buttons(doc, &control, field, &input_id);
    }
    if field.kind == FieldKind::Choice {
        return select(doc, &control, field, &input_id, described_by, invalid);
    }

    let (input_type, inputmode) = input_kind(field.kind);
    let is_code = field.kind == FieldKind::OneTimeCode;
    // A code of digits may be pasted as `123 456` or `123-456`: keep the digits, and do not cap
    // the length in the browser, which would cut a pasted code before it is cleaned.
    let max_length = if is_code { None } else { field.max_length };
    let min_length = field.min_length.map(|n| n.to_string());
    let max_length = max_length.map(|n| n.to_string());
    let autocomplete = match (&field.autocomplete, is_code) {
        (Some(a), _) => Some(a.as_str()),
        (None, true) => Some("one-time-code"),
        (None, false) => None,
    };
    let plain = !matches!(field.kind, FieldKind::Text | FieldKind::Checkbox);
    // A checkbox always submits `yes` when ticked; the server's `value` says whether it is.
    let (max_length, value, checked) = match checkbox {
        true => (None, Some("yes"), field.value.as_deref() == Some("yes")),
        false => (max_length, field.value.as_deref(), false),
    };
    let mut attrs = vec![
        ("id", input_id.as_str()),
        ("name", name),
        ("data-jk-field", name),
        ("type", input_type),
    ];
    let optional = [
        ("inputmode", inputmode),
        ("autocomplete", autocomplete),
        ("required", field.required.then_some("")),
        ("minlength", min_length.as_deref()),
        ("maxlength", max_length.as_deref()),
        ("min", field.min.as_deref()),
        ("max", field.max.as_deref()),
        // The default value: a new element shows exactly this, whatever was typed before.
        ("value", value),
        ("checked", checked.then_some("")),
        ("spellcheck", plain.then_some("false")),
        ("autocapitalize", plain.then_some("none")),
        ("aria-invalid", invalid),
        ("aria-describedby", described_by),
    ];
    attrs.extend(optional.iter().filter_map(|(k, v)| v.map(|v| (*k, v))));
    let class = if checkbox {
        style::checkbox
    } else {
        style::input
    };
    el(doc, Some(&control), "input", class, &attrs, "")?;
    if let Some(label) = label.filter(|_| checkbox) {
        control.append_child(&label).ok()?;
    }

    if let Some(reveal) = field
        .reveal
        .as_ref()
        .filter(|_| field.kind == FieldKind::Password)
    {
        let attrs = [
            ("type", "button"),
            ("data-jk-reveal", name),
            ("aria-controls", input_id.as_str()),
        ];
        el(
            doc,
            Some(&control),
            "button",
            style::reveal,
            &attrs,
            &reveal.show.text,
        )?;
    }
    Some(())
}

/// The options of a choice as radio buttons, each with its own label; the one the server
/// echoes is checked, none otherwise (nothing is chosen for the person).
fn radio_buttons(doc: &Document, control: &Element, field: &Field, id: &str) -> Option<()> {
    for (i, option) in field.options.iter().enumerate() {
        let option_id = format!("{id}-{i}");
        let label = el(
            doc,
            Some(control),
            "label",
            style::option,
            &[("for", &option_id)],
            "",
        )?;
        let checked = field.value.as_deref() == Some(option.value.as_str());
        let attrs = [
            ("id", Some(option_id.as_str())),
            ("type", Some("radio")),
            ("name", Some(field.name.as_str())),
            ("value", Some(option.value.as_str())),
            ("data-jk-field", Some(field.name.as_str())),
            ("required", field.required.then_some("")),
            ("checked", checked.then_some("")),
        ];
        let attrs: Vec<_> = attrs
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        el(doc, Some(&label), "input", "", &attrs, "")?;
        el(doc, Some(&label), "span", "", &[], &option.label.text)?;
    }
    Some(())
}

/// The options of a choice as a `<select>`, led by an empty option so that nothing is chosen
/// until the person chooses.
fn select(
    doc: &Document,
    control: &Element,
    field: &Field,
    id: &str,
    described_by: Option<&str>,
    invalid: Option<&str>,
) -> Option<()> {
    let attrs = [
        ("id", Some(id)),
        ("name", Some(field.name.as_str())),
        ("data-jk-field", Some(field.name.as_str())),
        ("autocomplete", field.autocomplete.as_deref()),
        ("required", field.required.then_some("")),
        ("aria-invalid", invalid),
        ("aria-describedby", described_by),
    ];
    let attrs: Vec<_> = attrs
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    let select = el(doc, Some(control), "select", style::input, &attrs, "")?;
    el(doc, Some(&select), "option", "", &[("value", "")], "")?;
    for option in &field.options {
        let chosen = field.value.as_deref() == Some(option.value.as_str());
        let attrs = [
            ("value", Some(option.value.as_str())),
            ("selected", chosen.then_some("")),
        ];
        let attrs: Vec<_> = attrs
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        el(doc, Some(&select), "option", "", &attrs, &option.label.text)?;
    }
    Some(())
}

/// The show/hide toggle was pressed: flips the input's type in place (the input is the button's
/// previous sibling) and the button's text. No `aria-pressed`: with a label that says what a press
/// does, "Hide password, pressed" would contradict itself.
pub(crate) fn toggle(button: &Element, reveal: &Reveal) {
    let Some(input) = button.previous_element_sibling() else {
        return;
    };
    let shown = input.get_attribute("type").as_deref() == Some("text");
    let _ = input.set_attribute("type", if shown { "password" } else { "text" });
    let label = if shown { &reveal.show } else { &reveal.hide };
    button.set_text_content(Some(&label.text));
}

/// Something was typed into `input`, of `kind`: a code keeps only its digits.
pub(crate) fn on_input(input: &HtmlInputElement, kind: FieldKind) {
    if kind != FieldKind::OneTimeCode {
        return;
    }
    let value = input.value();
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits != value {
        input.set_value(&digits);
    }
}

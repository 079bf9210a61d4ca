//! Building a step's view with the protocol's own types, and showing it with what the flow
//! keeps between requests.
//!
//! A block's `view` builds a [`journey_protocol::Step`] whose texts hold message ids and
//! arguments only; the server resolves them (`journey_protocol::Resolve`). The helpers here take
//! the repetition out of that ([`step`], [`field`], [`action`], [`submit_action`]) without
//! describing any wire shape a second time. [`render`] is the one way a block's view is shown,
//! for a flow and for an example alike: it adds the notes and echoed values of the last
//! submission and empties an ended flow's step of what it can no longer accept.

use super::{Block, EngineError, FlowState, FlowStatus, ViewCx};
use journey_protocol::{Action, ActionKind, BlockView, Field, FieldKind, Step, Text};

/// A step of `block` at `id` with a title and its view, but no fields, actions or messages yet.
pub(crate) fn step(id: &str, block: &str, title: Text, view: BlockView) -> Step {
    Step {
        id: id.to_owned(),
        block: block.to_owned(),
        title,
        view,
        fields: Vec::new(),
        actions: Vec::new(),
        messages: Vec::new(),
    }
}

/// A required field labelled with the message `label`, with no limits, hint or value.
pub(crate) fn field(name: &str, kind: FieldKind, label: &str) -> Field {
    Field {
        name: name.to_owned(),
        kind,
        label: Text::msg(label),
        required: true,
        autocomplete: None,
        min_length: None,
        max_length: None,
        hint: None,
        value: None,
        reveal: None,
        options: Vec::new(),
        min: None,
        max: None,
        messages: Vec::new(),
    }
}

/// An action available now that sends no fields.
pub(crate) fn action(id: &str, kind: ActionKind, label: &str) -> Action {
    Action {
        id: id.to_owned(),
        kind,
        label: Text::msg(label),
        submits_fields: false,
        available_in: None,
        hint: None,
    }
}

/// The primary `submit` action, which sends the fields.
pub(crate) fn submit_action(label: &str) -> Action {
    Action {
        submits_fields: true,
        ..action("submit", ActionKind::Primary, label)
    }
}

/// The step of `block` as the person sees it with the flow in `state`: the block's view, the
/// values of the last refused submission shown again (never a password), the notes on their
/// fields or on the step, and, once the flow has ended, no fields or actions.
pub(crate) fn render(block: &dyn Block, state: &FlowState, now: i64) -> Result<Step, EngineError> {
    let mut step = block.view(&ViewCx { state, now })?;
    if state.status != FlowStatus::Active {
        // An ended flow accepts nothing: what remains is why it ended.
        step.fields.clear();
        step.actions.clear();
    }
    for field in &mut step.fields {
        if field.value.is_none() && field.kind != FieldKind::Password {
            field.value = state.echo.get(&field.name).cloned();
        }
    }
    for note in &state.notes {
        match note
            .field
            .as_deref()
            .and_then(|name| step.fields.iter_mut().find(|f| f.name == name))
        {
            Some(field) => field.messages.push(note.message.clone()),
            None => step.messages.push(note.message.clone()),
        }
    }
    Ok(step)
}

/// The view of a block that never waits for the person (it acts in `enter`). A flow cannot rest
/// at such a step, since the server answers its query in the same request; the view exists so
/// that rendering never fails.
pub(crate) fn server_only_step(cx: &ViewCx<'_>, block: &str) -> Step {
    step(
        cx.step(),
        block,
        Text::msg("collect-user-data-title"),
        BlockView::CollectUserData {},
    )
}

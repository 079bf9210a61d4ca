//! Engine views to wire types: every message id resolved with Fluent in the flow's locale
//! (DESIGN.md, invariants 2 and 4). Nothing here decides anything.

use crate::state::AppState;
use crate::tenants::BrandName;
use journey_engine::{FieldKind, Level, Msg, REVEAL_HIDE, REVEAL_SHOW, StepView, ViewKind};
use journey_protocol as wire;

/// Turns an engine step view into the wire step, with texts in `locale` as `brand` words them.
pub fn step(state: &AppState, locale: &str, brand: &BrandName, view: StepView) -> wire::Step {
    let text = |msg: &Msg| wire::Text {
        id: msg.id.clone(),
        text: state.text(locale, brand, &msg.id, &msg.args),
        args: wire::Args::default(),
    };
    let message = |note: &journey_engine::Note| wire::Message {
        level: match note.level {
            Level::Info => wire::MessageLevel::Info,
            Level::Success => wire::MessageLevel::Success,
            Level::Error => wire::MessageLevel::Error,
        },
        id: note.msg.id.clone(),
        text: state.text(locale, brand, &note.msg.id, &note.msg.args),
        args: wire::Args::default(),
    };
    let view_kind = match &view.kind {
        ViewKind::CollectUserData => wire::BlockView::CollectUserData {},
        ViewKind::EmailValidation {
            email_masked,
            code_length,
            attempts_left,
            resend_in,
        } => wire::BlockView::EmailValidation {
            email_masked: email_masked.clone(),
            code_length: *code_length,
            attempts_left: *attempts_left,
            resend_available_in: *resend_in,
        },
        ViewKind::SetPassword {
            min_length,
            max_length,
        } => wire::BlockView::SetPassword {
            min_length: *min_length,
            max_length: *max_length,
        },
        ViewKind::ShowInformation { body } => wire::BlockView::ShowInformation {
            body: body.iter().map(text).collect(),
        },
        ViewKind::PasswordLogin => wire::BlockView::PasswordLogin {},
    };
    wire::Step {
        id: view.step.clone(),
        block: view.block.to_owned(),
        title: text(&view.title),
        view: view_kind,
        fields: view
            .fields
            .iter()
            .map(|f| wire::Field {
                name: f.name.clone(),
                kind: match f.kind {
                    FieldKind::Text => wire::FieldKind::Text,
                    FieldKind::Email => wire::FieldKind::Email,
                    FieldKind::Password => wire::FieldKind::Password,
                    FieldKind::OneTimeCode => wire::FieldKind::OneTimeCode,
                },
                label: text(&f.label),
                required: f.required,
                autocomplete: f.autocomplete.map(str::to_owned),
                min_length: f.min_length,
                max_length: f.max_length,
                hint: f.hint.as_ref().map(text),
                value: f.value.clone(),
                reveal: f.reveal.then(|| wire::Reveal {
                    show: text(&Msg::new(REVEAL_SHOW)),
                    hide: text(&Msg::new(REVEAL_HIDE)),
                }),
                messages: f.notes.iter().map(message).collect(),
            })
            .collect(),
        actions: view
            .actions
            .iter()
            .map(|a| wire::Action {
                id: a.id.to_owned(),
                kind: if a.primary {
                    wire::ActionKind::Primary
                } else {
                    wire::ActionKind::Secondary
                },
                label: text(&a.label),
                submits_fields: a.submits_fields,
                available_in: a.available_in,
                hint: a.hint.as_ref().map(text),
            })
            .collect(),
        messages: view.notes.iter().map(message).collect(),
    }
}

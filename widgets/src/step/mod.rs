//! The form of one step: heading, block view, messages, fields and actions.
//!
//! This component owns the generic rendering every building block shares and turns a button press
//! into a [`Submit`]: the step id it answers, the action, and (when the action sends fields) the
//! values read from the form. It sends nothing itself; the [`crate::journey`] driver does.
//!
//! The `<form>` element and its live region stay in place while the step changes; only their
//! content is rebuilt. Actions with `available_in` stay disabled until that many seconds have
//! passed since the answer arrived (a relative time, so the person's clock does not matter).

use std::collections::BTreeMap;
use std::time::Duration;

use journey_protocol::{Action, ActionKind, Step, Submit};
use leptos::html;
use leptos::prelude::*;

use crate::block_view::BlockIntro;
use crate::field::FieldInput;
use crate::messages::Messages;

stylance::import_crate_style!(style, "src/step/step.module.css");

/// The class of an action's button.
fn kind_class(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Primary => style::primary,
        ActionKind::Secondary => style::secondary,
    }
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
    let title_id = format!("{id_prefix}-title");

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
        let pressed = ev
            .submitter()
            .and_then(|b| b.get_attribute("data-jk-action"));
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

    let action_button = move |action: Action| {
        let wait = action.available_in.unwrap_or(0);
        let ready = RwSignal::new(wait == 0);
        if wait > 0 {
            // The signal belongs to this rendering of the step; when a newer answer replaced it,
            // `try_set` finds it gone and does nothing.
            set_timeout(
                move || _ = ready.try_set(true),
                Duration::from_secs(u64::from(wait)),
            );
        }
        let primary = action.kind == ActionKind::Primary;
        let id = action.id.clone();
        view! {
            <button
                type=if primary { "submit" } else { "button" }
                class=format!("{} {}", style::action, kind_class(action.kind))
                data-jk-action=action.id
                disabled=move || busy.get() || !ready.get()
                on:click=move |_| {
                    if !primary {
                        answer(id.clone());
                    }
                }
            >
                {action.label.text}
            </button>
        }
    };

    let messages = Signal::derive(move || {
        step.with(|s| s.as_ref().map(|s| s.messages.clone()).unwrap_or_default())
    });
    let prefix = id_prefix.clone();
    let labelled_by = title_id.clone();

    view! {
        <form
            node_ref=form
            class=crate::classes(style::step, class)
            data-jk-step=move || step.with(|s| s.as_ref().map(|s| s.id.clone()))
            data-jk-block=move || step.with(|s| s.as_ref().map(|s| s.block.clone()))
            aria-labelledby=labelled_by
            novalidate=true
            on:submit=on_form_submit
        >
            {move || {
                step.with(|s| {
                    s.as_ref()
                        .map(|s| {
                            view! {
                                <h2 class=style::title id=title_id.clone() tabindex="-1">
                                    {s.title.text.clone()}
                                </h2>
                                <BlockIntro view=s.view.clone() />
                            }
                        })
                })
            }}
            <Messages messages=messages />
            {move || {
                step.with(|s| {
                    s.as_ref()
                        .map(|s| {
                            view! {
                                {s
                                    .fields
                                    .iter()
                                    .map(|f| {
                                        view! { <FieldInput field=f.clone() id_prefix=prefix.clone() /> }
                                    })
                                    .collect_view()}
                                <div class=style::actions>
                                    {s.actions.iter().cloned().map(action_button).collect_view()}
                                </div>
                            }
                        })
                })
            }}
        </form>
    }
}

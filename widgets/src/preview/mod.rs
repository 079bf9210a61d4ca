//! The preview entry: draws a given step with the real step form, without a server.
//!
//! This module owns the boundary with a page that shows steps rather than runs a journey: the
//! designer preview (`demo-sites/preview/`) draws every block's examples from `GET /dev/examples`
//! with it. The custom element `<journey-preview>` is defined by the static loader
//! `widgets/embed/journey-preview.js`, which calls [`preview`] with the element and the step's
//! JSON (exactly as the protocol sends it in `Flow.step`) whenever the step changes.
//!
//! What is drawn is the widget's own [`StepView`] inside the widget's root class, so the theme,
//! the component CSS and the DOM contract are those of a brand page. Actions are inert: pressing
//! one sends nothing and dispatches `journey-preview-action` on the element instead (bubbling,
//! composed), with `{step, block, action, values}`: what the widget would have submitted.

use std::sync::atomic::{AtomicU32, Ordering};

use journey_protocol::Submit;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::client::wire::{self, Obj};
use crate::embed::{WidgetHandle, dispatch};
use crate::journey::ROOT_CLASS;
use crate::step::StepView;

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// Draws the step in `step_json` into `host`, replacing what was there. `None` (and `host` left
/// as it was) when the text is not a step of the protocol. Dropping the handle (or `free()`
/// from JavaScript) removes the drawing.
#[wasm_bindgen]
pub fn preview(host: HtmlElement, step_json: &str) -> Option<WidgetHandle> {
    let step = wire::parse_json(step_json)
        .and_then(|json| wire::step(&json))
        .ok()?;
    let block = step.block.clone();
    let id_prefix = format!("jkp{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    host.set_inner_html("");
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        let host = StoredValue::new_local(host);
        let on_submit = Callback::new(move |submit: Submit| {
            let detail = Obj::new()
                .set("step", submit.step.as_str())
                .set("block", block.as_str())
                .set("action", submit.action.as_str())
                .set("values", wire::map(&submit.values));
            host.with_value(|h| dispatch(h, "journey-preview-action", detail));
        });
        view! {
            <div class=ROOT_CLASS data-jk-preview="">
                <StepView
                    step=Signal::stored(Some(step))
                    busy=Signal::stored(false)
                    on_submit=on_submit
                    id_prefix=id_prefix
                />
            </div>
        }
    });
    Some(WidgetHandle {
        _mounted: Box::new(mounted),
    })
}

//! The warning before a flow expires, with its "Continue" button (WCAG 2.2.1, Timing
//! Adjustable).
//!
//! This module owns when the warning shows and what it says; the driver ([`crate::journey`])
//! owns the request that extends the flow. The time left is the server's: `expires_at - now`
//! of the answer ([`journey_protocol::Expiry`]), counted down on the page's monotonic clock
//! (`performance.now()`) from when that answer arrived, so a browser whose clock is wrong, or
//! set to another zone, warns on time all the same (the answer's travel time makes it warn a
//! little early, never late). Every text comes resolved from the server, the time left as
//! the coarsest of the server's wordings that is still true ("Less than 2 minutes left").
//!
//! The warning does not move focus (the person may be typing): it appears after the form, its
//! button in the tab order, and is announced once, when it appears or when the flow can no
//! longer be extended, through the step's polite live region (`role="status"`, see
//! [`crate::messages`]), which already exists and so is reliably read.

use journey_protocol::{Expiry, Flow, FlowStatus};
use leptos::html;
use leptos::prelude::*;

stylance::import_crate_style!(style, "src/expiry/expiry.module.css");

/// When the flow on screen ends, as the server said.
#[derive(Clone, Debug, PartialEq)]
pub struct Deadline {
    /// The server's timing and texts.
    pub expiry: Expiry,
    /// The flow's `expires_at` in that answer.
    pub expires_at: i64,
    /// Seconds the flow had left when its answer arrived.
    pub left: f64,
    /// When the answer arrived, on the page's monotonic clock, in milliseconds.
    pub arrived_ms: f64,
}

impl Deadline {
    /// The deadline of an active `flow` that arrived just now; `None` for any other flow.
    pub fn of(flow: &Flow) -> Option<Self> {
        let expiry = flow
            .expiry
            .clone()
            .filter(|_| flow.status == FlowStatus::Active)?;
        Some(Self {
            left: (flow.expires_at - expiry.now) as f64,
            expires_at: flow.expires_at,
            expiry,
            arrived_ms: now_ms(),
        })
    }

    /// Seconds left at `now_ms`.
    pub fn left_at(&self, now_ms: f64) -> f64 {
        self.left - (now_ms - self.arrived_ms) / 1000.0
    }

    /// Whether the flow can still be given more time.
    pub fn extendable(&self) -> bool {
        self.expiry.max_expires_at > self.expires_at
    }

    /// The server's wording of `left` seconds: the finest one that covers it.
    pub fn words(&self, left: f64) -> &str {
        let up = left.ceil().max(0.0) as u32;
        self.expiry
            .left
            .iter()
            .rev()
            .find(|l| l.up_to >= up)
            .or(self.expiry.left.first())
            .map_or("", |l| l.text.text.as_str())
    }
}

/// The page's monotonic clock (`performance.now()`), in milliseconds; the wall clock if the
/// page has none.
pub fn now_ms() -> f64 {
    let performance = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"performance".into()).ok())
        .filter(|p| p.is_object());
    let now = performance.and_then(|p| {
        let f = js_sys::Reflect::get(&p, &"now".into()).ok()?;
        let f: &js_sys::Function = wasm_bindgen::JsCast::dyn_ref(&f)?;
        f.call0(&p).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}

/// What the warning shows, once it shows: whether it still offers more time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Showing {
    Extendable,
    Final,
}

/// Appends `text` to the polite live region of the step inside `root`, so it is read out.
fn announce(root: NodeRef<html::Div>, text: &str) {
    let region = root.get_untracked().and_then(|r| {
        r.query_selector("[data-jk-messages][role=status]")
            .ok()
            .flatten()
    });
    let doc = web_sys::window().and_then(|w| w.document());
    if let (Some(region), Some(doc)) = (region, doc) {
        crate::dom::el(
            &doc,
            Some(&region),
            "p",
            style::announcement,
            &[("data-jk-expiry-announcement", "")],
            text,
        );
    }
}

/// The warning, shown while `deadline` is within its `warn_before` and not past; `clock` is
/// the page's monotonic time in milliseconds, ticking; `on_extend` asks for more time, and
/// `extending` is true while it is asked.
#[component]
pub fn ExpiryWarning(
    deadline: RwSignal<Option<Deadline>>,
    clock: RwSignal<f64>,
    extending: RwSignal<bool>,
    on_extend: Callback<()>,
    root: NodeRef<html::Div>,
) -> impl IntoView {
    let showing = Memo::new(move |_| {
        deadline.with(|d| {
            let d = d.as_ref()?;
            let left = d.left_at(clock.get());
            let within = left > 0.0 && left <= f64::from(d.expiry.warn_before);
            within.then_some(if d.extendable() {
                Showing::Extendable
            } else {
                Showing::Final
            })
        })
    });
    Effect::new(move |_| {
        if showing.get().is_some() {
            let said = deadline.with_untracked(|d| {
                d.as_ref().map(|d| {
                    let next = if d.extendable() {
                        &d.expiry.extend_hint
                    } else {
                        &d.expiry.final_notice
                    };
                    let left = d.words(d.left_at(clock.get_untracked()));
                    format!("{} {left} {}", d.expiry.warning.text, next.text)
                })
            });
            if let Some(said) = said {
                // After the step has drawn (its redraw empties the regions first), so the
                // words are not wiped before they are read.
                set_timeout(move || announce(root, &said), std::time::Duration::ZERO);
            }
        }
    });
    let text = move |pick: fn(&Expiry) -> &str| {
        deadline.with(|d| {
            d.as_ref()
                .map(|d| pick(&d.expiry).to_owned())
                .unwrap_or_default()
        })
    };
    let left = move || {
        deadline.with(|d| {
            d.as_ref()
                .map(|d| d.words(d.left_at(clock.get())).to_owned())
                .unwrap_or_default()
        })
    };
    move || {
        let shown = showing.get()?;
        let extendable = shown == Showing::Extendable;
        let next: fn(&Expiry) -> &str = if extendable {
            |e| &e.extend_hint.text
        } else {
            |e| &e.final_notice.text
        };
        Some(view! {
            <div class=style::expiry data-jk-expiry=if extendable { "extendable" } else { "final" }>
                <p class=style::heading>{text(|e| &e.warning.text)}</p>
                <p data-jk-time-left="">{left}</p>
                <p>{text(next)}</p>
                {extendable.then(|| view! {
                    <button
                        type="button"
                        class=style::button
                        data-jk-extend=""
                        disabled=move || extending.get()
                        on:click=move |_| on_extend.run(())
                    >
                        {text(|e| &e.extend_label.text)}
                    </button>
                })}
            </div>
        })
    }
}

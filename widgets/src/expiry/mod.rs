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
//! The warning is drawn with the plain DOM helpers of `crate::dom` by [`draw`], which the
//! driver calls whenever the deadline, its clock or the request for more time changes; its
//! "Continue" is the driver's to handle (a click delegated to the widget's root).
//!
//! The warning does not move focus (the person may be typing): it appears after the form, its
//! button in the tab order, and is announced once, when it appears or when the flow can no
//! longer be extended, through the step's polite live region (`role="status"`, see
//! [`crate::messages`]), which already exists and so is reliably read.

use std::time::Duration;

use journey_protocol::{Expiry, Flow, FlowStatus};
use leptos::prelude::set_timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement};

use crate::dom::el;
use crate::journey;

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
pub(crate) enum Showing {
    Extendable,
    Final,
}

impl Deadline {
    /// What the warning shows at `now_ms`: nothing before `warn_before` and once the time is up.
    fn showing(&self, now_ms: f64) -> Option<Showing> {
        let left = self.left_at(now_ms);
        let within = left > 0.0 && left <= f64::from(self.expiry.warn_before);
        within.then_some(if self.extendable() {
            Showing::Extendable
        } else {
            Showing::Final
        })
    }

    /// What comes after the time left: how to get more, or that there is no more.
    fn next(&self, shown: Showing) -> &str {
        match shown {
            Showing::Extendable => &self.expiry.extend_hint.text,
            Showing::Final => &self.expiry.final_notice.text,
        }
    }
}

/// Appends `text` to the polite live region of the step inside `root`, so it is read out.
fn announce(root: &Element, text: &str) {
    let region = root
        .query_selector("[data-jk-messages][role=status]")
        .ok()
        .flatten();
    if let (Some(region), Some(doc)) = (region, root.owner_document()) {
        el(
            &doc,
            Some(&region),
            "p",
            style::announcement,
            &[("data-jk-expiry-announcement", "")],
            text,
        );
    }
}

/// Draws the warning inside the widget's `root`, right after the step's form, for `deadline`
/// at `now_ms`; `extending` disables its button while more time is asked for. `shown` is what
/// the last call drew: the warning is built (and announced) only when that changes, and
/// otherwise only its time left and its button are brought up to date, so the focus stays on
/// the button.
pub(crate) fn draw(
    root: &Element,
    deadline: Option<&Deadline>,
    now_ms: f64,
    extending: bool,
    shown: &mut Option<Showing>,
) -> Option<()> {
    let showing = deadline.and_then(|d| d.showing(now_ms));
    let old = root.query_selector("[data-jk-expiry]").ok().flatten();
    if let (Some(d), Some(old)) = (deadline, &old)
        && showing == *shown
    {
        if let Some(left) = old.query_selector("[data-jk-time-left]").ok().flatten() {
            left.set_text_content(Some(d.words(d.left_at(now_ms))));
        }
        if let Some(button) = old.query_selector("[data-jk-extend]").ok().flatten() {
            button
                .unchecked_into::<HtmlButtonElement>()
                .set_disabled(extending);
        }
        return Some(());
    }
    *shown = showing;
    if let Some(old) = old {
        old.remove();
    }
    let (Some(d), Some(showing)) = (deadline, showing) else {
        return Some(());
    };
    let doc = root.owner_document()?;
    let form = root.query_selector("form").ok().flatten()?;
    let kind = match showing {
        Showing::Extendable => "extendable",
        Showing::Final => "final",
    };
    let warning = el(
        &doc,
        None,
        "div",
        style::expiry,
        &[("data-jk-expiry", kind)],
        "",
    )?;
    let left = d.words(d.left_at(now_ms));
    el(
        &doc,
        Some(&warning),
        "p",
        style::heading,
        &[],
        &d.expiry.warning.text,
    )?;
    el(
        &doc,
        Some(&warning),
        "p",
        "",
        &[("data-jk-time-left", "")],
        left,
    )?;
    el(&doc, Some(&warning), "p", "", &[], d.next(showing))?;
    if showing == Showing::Extendable {
        let label = &d.expiry.extend_label.text;
        journey::button(&doc, &warning, "data-jk-extend", label, extending)?;
    }
    form.after_with_node_1(&warning).ok()?;
    // After the step has drawn (its redraw empties the regions first), so the words are not
    // wiped before they are read.
    let said = format!("{} {left} {}", d.expiry.warning.text, d.next(showing));
    let root = root.clone();
    set_timeout(move || announce(&root, &said), Duration::ZERO);
    Some(())
}

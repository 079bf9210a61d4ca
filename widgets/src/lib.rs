//! Journeykit widgets: Leptos components that drive a journey server and render its steps.
//!
//! This crate owns everything a person sees of a journey in the browser: the [`Journey`] driver
//! (which speaks the protocol of `journey-protocol` over `fetch`), the generic step form, one
//! view per building block, the `<journey-widget>` embed entry for brand pages and the
//! `<journey-preview>` entry for the designer preview. It owns no wording: every text comes from
//! the server, except the short fallback in [`fallback`] for when the server cannot be reached. Colours and sizes come from the theme's CSS custom properties
//! (`themes/`); the component CSS modules here read only `var(--jk-…)`.
//!
//! One folder per component, each with its CSS module and a `docs.md`:
//!
//! - [`journey`]: the driver and its state machine;
//! - [`step`]: the `<form>` of one step (heading, messages, fields, actions);
//! - [`field`]: one labelled input with its hint, errors and password toggle;
//! - [`blocks`]: one folder per building block (what it shows beyond the generic step) and
//!   the table that registers them by name;
//! - [`messages`]: the two live regions (alert, status) of step messages;
//! - [`expiry`]: the warning before a flow expires, with its "Continue" (WCAG 2.2.1);
//! - [`preview`]: the `<journey-preview>` entry, which draws a given step without a server.
//!
//! Only [`Journey`] and [`StepView`] are Leptos components, and they use Leptos for state,
//! effects and their outer element only: everything inside (the parts of a step, the root's
//! notices, the expiry warning) is built with the plain DOM helpers of `dom` (one non-generic
//! copy in the wasm instead of one per `view!` shape and reactive closure), afresh whenever what
//! it shows changes. Drawing the driver's notices and the warning that way instead of with
//! `view!` took the wasm from 102.9 KB to 89.9 KB gzip.

pub mod blocks;
pub mod client;
mod dom;
pub mod embed;
pub mod expiry;
pub mod fallback;
pub mod field;
pub mod journey;
pub mod messages;
pub mod preview;
pub mod step;

pub use journey::{Journey, WidgetError};

use leptos::prelude::{GetUntracked, MaybeProp};

/// A component's own class followed by the caller's. Read once when the component is built:
/// a reactive class would cost a render effect per component for something no caller changes.
pub(crate) fn classes(own: &str, extra: MaybeProp<String>) -> String {
    match extra.get_untracked() {
        Some(extra) if !extra.is_empty() => format!("{own} {extra}"),
        _ => own.to_owned(),
    }
}
pub use step::StepView;

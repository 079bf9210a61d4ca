//! Component tests in a real browser (wasm-bindgen-test, headless Chromium through chromedriver).
//!
//! Each test mounts a component with a canned step or flow (no server needed), waits for Leptos
//! to draw, and checks the DOM contract and the accessibility wiring. This is the crate's only
//! integration-test binary (each extra binary would be another slow wasm link); its modules split
//! it by subject: `support` (builders, mounting, a mock `fetch`), `steps` (one step's form),
//! `journey` (the whole widget against a mocked server), `consents` (the consent blocks'
//! checkboxes and documents), `phone` (the phone field and the masked number of a phone
//! verification), `wire` (the JSON decoder, fallbacks),
//! `preview` (the `<journey-preview>` entry).
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p journey-widgets --target wasm32-unknown-unknown`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use journey_protocol::{
    Action, ActionKind, BlockView, ErrorBody, ErrorCode, ErrorDetail, Field, FieldKind,
    FieldOption, Flow, FlowStatus, Message, MessageLevel, Outcome, Reveal, Session, StartFlow,
    Step, Submit, Text,
};
use journey_widgets::client::{self, Answer};
use journey_widgets::fallback::{self, Fallback};
use journey_widgets::{Journey, StepView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod consents;
mod journey;
mod phone;
mod preview;
mod steps;
mod support;
mod wire;

wasm_bindgen_test_configure!(run_in_browser);

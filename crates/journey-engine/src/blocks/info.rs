//! `show_information`: a page of text with a continue button, or, with `end = "failed"`, the
//! last page of a flow that ended without success (for example after too many wrong codes).
//! Outcome: `continue` (none when it ends the flow).

use super::{Block, Values, only_fields, settings};
use crate::runtime::{Cx, EngineError, FlowState, FlowStatus, Next};
use crate::view::{ActionView, Msg, StepView, ViewKind};
use serde::Deserialize;

pub(super) const NAME: &str = "show_information";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    title: String,
    #[serde(default)]
    body: Vec<String>,
    #[serde(default)]
    end: Option<End>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum End {
    Failed,
}

struct ShowInformation {
    settings: Settings,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Block>, String> {
    Ok(Box::new(ShowInformation {
        settings: settings(table)?,
    }))
}

impl Block for ShowInformation {
    fn name(&self) -> &'static str {
        NAME
    }

    fn outcomes(&self) -> &'static [&'static str] {
        match self.settings.end {
            Some(End::Failed) => &[],
            None => &["continue"],
        }
    }

    fn message_ids(&self) -> Vec<String> {
        let mut ids = vec![self.settings.title.clone(), "action-continue".to_owned()];
        ids.extend(self.settings.body.iter().cloned());
        ids
    }

    fn enter(&self, _cx: &mut Cx<'_>) -> Result<Next, EngineError> {
        Ok(match self.settings.end {
            Some(End::Failed) => Next::Fail,
            None => Next::Stay,
        })
    }

    fn submit(&self, _cx: &mut Cx<'_>, action: &str, values: &Values) -> Result<Next, EngineError> {
        only_fields(values, &[])?;
        match (action, self.settings.end) {
            ("continue", None) => Ok(Next::Go("continue")),
            _ => Err(EngineError::UnknownAction(action.to_owned())),
        }
    }

    fn waits_for_person(&self) -> bool {
        // The final page of a failed flow ends it at once; a continue page waits.
        self.settings.end.is_none()
    }

    fn view(&self, step: &str, state: &FlowState, _now: i64) -> StepView {
        let actions = if state.status == FlowStatus::Active && self.settings.end.is_none() {
            vec![ActionView {
                id: "continue",
                primary: true,
                label: Msg::new("action-continue"),
                submits_fields: false,
                available_in: None,
                hint: None,
            }]
        } else {
            Vec::new()
        };
        StepView {
            step: step.to_owned(),
            block: NAME,
            title: Msg::new(&self.settings.title),
            kind: ViewKind::ShowInformation {
                body: self.settings.body.iter().map(Msg::new).collect(),
            },
            fields: Vec::new(),
            actions,
            notes: Vec::new(),
        }
    }
}

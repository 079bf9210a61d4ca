//! `show_information`: a page of text with a continue button, or, with `end = "failed"`, the
//! last page of a flow that ended without success (for example after too many wrong codes).
//! Outcome: `continue` (none when it ends the flow).

use crate::kernel::{
    Block, Cx, EngineError, Example, FlowStatus, Next, Values, ViewCx, action, only_fields,
    settings, step,
};
use journey_protocol::{ActionKind, BlockView, Step, Text};
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

    fn outcomes(&self) -> Vec<String> {
        match self.settings.end {
            Some(End::Failed) => Vec::new(),
            None => vec!["continue".into()],
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
            ("continue", None) => Ok(Next::go("continue")),
            _ => Err(EngineError::UnknownAction(action.to_owned())),
        }
    }

    fn waits_for_person(&self) -> bool {
        // The final page of a failed flow ends it at once; a continue page waits.
        self.settings.end.is_none()
    }

    fn view(&self, cx: &ViewCx<'_>) -> Result<Step, EngineError> {
        let view = BlockView::ShowInformation {
            body: self.settings.body.iter().map(Text::msg).collect(),
        };
        let mut step = step(cx.step(), NAME, Text::msg(&self.settings.title), view);
        if cx.state().status() == FlowStatus::Active && self.settings.end.is_none() {
            step.actions
                .push(action("continue", ActionKind::Primary, "action-continue"));
        }
        Ok(step)
    }

    fn examples(&self, _now: i64) -> Result<Vec<Example>, EngineError> {
        // The same page as the last one of a flow that ended: no way on.
        Ok(vec![
            Example::new("page", NAME),
            Example::new("flow_ended", NAME).failed(),
        ])
    }
}

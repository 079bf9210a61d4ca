//! Resolving the engine's steps: the engine builds every step, a flow's and a block example's
//! alike, with the protocol's own types and unresolved texts (message ids and their arguments);
//! here each text is filled in with Fluent in the flow's locale, in the brand's wording, and
//! the arguments are dropped, so what travels holds ids and texts only (DESIGN.md, invariants
//! 2 and 4). Nothing here decides anything, and no view shape is written here.

use crate::state::AppState;
use crate::tenants::BrandName;
use journey_protocol::{self as wire, Resolve};

/// The step with every text resolved in `locale` as `brand` words them.
pub fn step(state: &AppState, locale: &str, brand: &BrandName, mut step: wire::Step) -> wire::Step {
    step.resolve(&mut |id, args| state.text(locale, brand, id, args));
    step
}

/// Every block's examples at `now` (from the engine's catalogue), resolved exactly as a flow's
/// steps are, for `tenant`'s `brand` in `locale`, written in the direction `dir`.
pub fn examples(
    state: &AppState,
    tenant: &str,
    brand: &str,
    locale: &str,
    dir: &str,
    now: i64,
) -> Result<wire::Examples, journey_engine::EngineError> {
    let name = state.brand_name(tenant, brand);
    let blocks = state
        .catalogue
        .examples(now)?
        .into_iter()
        .map(|(block, examples)| wire::BlockExamples {
            block: block.to_owned(),
            examples: examples
                .into_iter()
                .map(|(example, shown)| {
                    let mut shown = step(state, locale, &name, shown);
                    crate::consents::fill(state, tenant, brand, locale, &mut shown);
                    wire::Example {
                        name: example.to_owned(),
                        step: shown,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(wire::Examples {
        tenant: tenant.to_owned(),
        brand: brand.to_owned(),
        locale: locale.to_owned(),
        dir: dir.to_owned(),
        blocks,
    })
}

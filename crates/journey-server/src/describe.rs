//! The public description of a tenant (`GET /v1/{tenant}`, [`journey_protocol::TenantInfo`]):
//! its brands with their themes' stylesheets, its languages and its journeys, built from the
//! validated tenant. Only what a brand's page or the designer preview uses goes in: nothing
//! secret (keys), and no configuration that serves no page (the token audience, the allowed
//! origins, the rate limits).
//!
//! Each journey's title is the message `journey-<name>-title` in the asked language (or the
//! tenant's default), in the tenant's own wording; a journey without such a message is titled
//! by its name.
//!
//! Loading the tenant is [`crate::tenants`]'; the wire types are the protocol's.

use crate::state::AppState;
use crate::tenants::Tenant;
use journey_protocol::{BrandInfo, JourneyInfo, TenantInfo, Text};

/// The description of `tenant`, its journeys' titles in `asked` if the tenant speaks it (else its
/// default language). Stylesheet URLs are absolute (the server's public URL): a brand's page on
/// its own origin links them as they are.
pub fn tenant(state: &AppState, tenant: &Tenant, asked: Option<&str>) -> TenantInfo {
    let locale =
        crate::locale::negotiate(asked, None, &tenant.locales, &tenant.default_locale).to_owned();
    let title = |name: &str| {
        let id = format!("journey-{name}-title");
        let has = state
            .catalog
            .layered(tenant.unbranded.overrides.as_deref())
            .has(&locale, &id);
        let text = if has {
            state.text(&locale, &tenant.unbranded, &id, &[])
        } else {
            name.to_owned()
        };
        Text {
            id,
            text,
            args: Default::default(),
        }
    };
    let public_url = state.config.public_url.trim_end_matches('/');
    TenantInfo {
        id: tenant.id.clone(),
        name: tenant.name.clone(),
        brands: tenant
            .brands
            .iter()
            .map(|brand| BrandInfo {
                id: brand.id.clone(),
                name: brand.name.clone(),
                theme: brand.theme.clone(),
                stylesheet: format!("{public_url}/themes/{}.css", brand.theme),
            })
            .collect(),
        locales: tenant.locales.clone(),
        locale: locale.clone(),
        default_locale: tenant.default_locale.clone(),
        journeys: tenant
            .journeys
            .iter()
            .map(|(name, journey)| JourneyInfo {
                name: name.clone(),
                title: title(name),
                context_keys: journey
                    .context()
                    .keys()
                    .map(|(key, _)| key.to_owned())
                    .collect(),
            })
            .collect(),
    }
}

//! The public description of a tenant, the answer of `GET /v1/{tenant}`: what a brand's web
//! developer needs to embed the widget (which brands, languages and journeys there are, and
//! which stylesheet each brand's theme is), and what the designer preview offers in its
//! pickers.
//!
//! Nothing in it is secret or internal: no keys, no token audience, no allowed origins, no
//! rate limits. An unknown tenant answers `404` with [`crate::ErrorCode::TenantNotFound`].

use serde::{Deserialize, Serialize};

/// A tenant as its pages see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantInfo {
    /// The tenant's id, as in the API paths (`/v1/{tenant}/...`).
    pub id: String,
    /// The display name.
    pub name: String,
    /// Its brands; the first is the one a flow gets when its start request names none.
    pub brands: Vec<BrandInfo>,
    /// The languages its texts are in, as BCP 47 tags.
    pub locales: Vec<String>,
    /// The language a flow gets when it asks for none or for one not in `locales`.
    pub default_locale: String,
    /// The language the journeys' titles are in.
    pub locale: String,
    /// The journeys a page may start, by name.
    pub journeys: Vec<JourneyInfo>,
}

/// One face of a tenant: its name in texts and its theme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandInfo {
    /// The brand's id, as a start request's `brand`.
    pub id: String,
    /// The display name, which texts use as `$brand`.
    pub name: String,
    /// The theme's name: which file of `themes/` sets the brand's variables.
    pub theme: String,
    /// The absolute URL of the theme's stylesheet, to link after the shared `themes/base.css`.
    pub stylesheet: String,
}

/// A journey a page may start with `POST /v1/{tenant}/journeys/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyInfo {
    /// The journey's name.
    pub name: String,
    /// What the journey is for, as a person reads it (message `journey-<name>-title`), in the
    /// language the description was asked for (`?locale=`) or the tenant's default.
    pub title: crate::Text,
    /// The keys of the start request's `context` the journey accepts (its `[context]`).
    pub context_keys: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_description_round_trips_with_its_field_names() {
        let info = TenantInfo {
            id: "acme".into(),
            name: "Acme".into(),
            brands: vec![BrandInfo {
                id: "acme".into(),
                name: "Acme".into(),
                theme: "acme-dark".into(),
                stylesheet: "https://id.example.com/themes/acme-dark.css".into(),
            }],
            locales: vec!["en".into(), "nl".into()],
            default_locale: "en".into(),
            locale: "nl".into(),
            journeys: vec![JourneyInfo {
                name: "login".into(),
                title: crate::Text {
                    id: "journey-login-title".into(),
                    text: "Inloggen".into(),
                    args: Default::default(),
                },
                context_keys: Vec::new(),
            }],
        };
        let json = serde_json::to_value(&info).unwrap_or_default();
        assert_eq!(json["brands"][0]["theme"], "acme-dark");
        assert_eq!(json["journeys"][0]["context_keys"], serde_json::json!([]));
        assert_eq!(json["default_locale"], "en");
        assert_eq!(json["locale"], "nl");
        assert_eq!(
            json["journeys"][0]["title"],
            serde_json::json!({"id": "journey-login-title", "text": "Inloggen"})
        );
        let back: Result<TenantInfo, _> = serde_json::from_value(json);
        assert_eq!(back.ok(), Some(info));
    }
}

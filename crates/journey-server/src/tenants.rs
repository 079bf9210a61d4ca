//! Tenants as folders: `tenant.toml` plus `journeys/*.toml`, loaded and validated once at
//! start-up. Any problem stops the server with a message naming the file (and the step).
//!
//! Besides each journey's own graph (checked by the engine), this checks what only the server
//! can: the tenant's languages exist in `locales/`, every message a journey can show exists in
//! every one of them, allowed origins are origins, `[rate_limits]` are in range
//! ([`crate::limits`]), `[assurance]` is a valid policy (`journey_engine::assurance`) and every
//! level a journey requires (`min_acr`) is one of its levels.
//!
//! A brand may re-word any shared text for its own pages and messages with Fluent files in
//! `locales/<brand>/<lang>/*.ftl` inside the tenant's folder. They are loaded and checked here
//! (`journey_i18n::Catalog::overrides`: no unknown message, no unknown placeable, only the
//! tenant's languages) and travel with the brand's name ([`BrandName`]) into every text.
//! Its purposes and documents, and the documents' files, are `crate::consents`'s to load and
//! check.
//! In development mode the catalog has the pseudo-locale, and every tenant accepts it besides
//! its own languages.

use crate::consents::{ItemFile, TenantConsents};
use crate::limits::{Limits, LimitsFile};
use crate::lookup::{self, Service, ServiceFile};
use journey_engine::{AssurancePolicy, BlockCatalogue, Journey};
use journey_i18n::{Catalog, Overrides};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// One tenant, validated.
#[derive(Debug)]
pub struct Tenant {
    /// The folder name, used in URLs.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The `aud` of its ID tokens.
    pub audience: String,
    /// Origins whose pages may call the API.
    pub allowed_origins: Vec<String>,
    /// The language when none is asked for or the asked one is not supported.
    pub default_locale: String,
    /// The supported languages (in development mode also the pseudo-locale).
    pub locales: Vec<String>,
    /// How long a flow lives, in seconds.
    pub flow_ttl: i64,
    /// How long a flow may live at most, extensions included, counted from its start, in
    /// seconds (`flow_max_lifetime_minutes`, by default four times `flow_ttl_minutes`).
    pub flow_max_lifetime: i64,
    /// Brands, sorted by id; the first is the default.
    pub brands: Vec<Brand>,
    /// Journeys by name.
    pub journeys: BTreeMap<String, Arc<Journey>>,
    /// Journey sources by name, kept so flows can finish on the version they started on.
    pub sources: BTreeMap<String, String>,
    /// Its rate limits: the defaults with `[rate_limits]` applied.
    pub rate_limits: Limits,
    /// Its data services (`[services.<name>]`), which `look_up_data` steps call.
    pub services: BTreeMap<String, Service>,
    /// Its levels of assurance (`[assurance]`; one level, `loa1`, without it): the `acr` of
    /// its sessions and tokens, and their lifetimes.
    pub assurance: Arc<AssurancePolicy>,
    /// Each brand's default language, by brand id: its own `default_locale`, else the
    /// tenant's.
    pub brand_locales: BTreeMap<String, String>,
    /// Each brand's name with its overrides of the shared texts (from `locales/<brand>/`), by
    /// brand id.
    pub brand_names: BTreeMap<String, BrandName>,
    /// The tenant's own name with the shared texts, for a brand it does not have.
    pub unbranded: BrandName,
    /// Its purposes and documents (`[purposes.<name>]`, `[documents.<name>]` and their files).
    pub consents: TenantConsents,
}

/// The variable every text gets besides its own: the brand's display name.
pub const BRAND_ARG: &str = "brand";

/// A brand's display name (`$brand` in texts), carrying the brand's overrides so that a text
/// formatted for it reads the brand's wording first ([`crate::state::AppState::text`]).
/// Cloning it is cheap: the overrides are shared.
#[derive(Clone, Debug, Default)]
pub struct BrandName {
    /// The display name.
    pub name: String,
    /// The brand's overrides, when it has any.
    pub overrides: Option<Arc<Overrides>>,
}

impl BrandName {
    /// No brand: the shared texts, with an empty `$brand` (API errors before a flow exists).
    pub fn none() -> Self {
        Self::default()
    }
}

impl std::fmt::Display for BrandName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// One brand of a tenant.
#[derive(Debug)]
pub struct Brand {
    /// The id, as in `[brands.<id>]`.
    pub id: String,
    /// The display name, used in texts as `$brand`.
    pub name: String,
    /// The theme: the brand's stylesheet is `themes/<theme>.css`. The brand id unless
    /// `theme = "..."` names another (brands may share one).
    pub theme: String,
    /// How its emails look and whom they come from.
    pub email: BrandEmail,
}

/// A brand's emails: the From address (`email_from`, the brand's own or the tenant's) and the
/// header colours of the HTML part (`email_primary`, `email_on_primary`).
///
/// The colours are settings of their own rather than read from `themes/<theme>.css`: the
/// server does not serve or read the themes outside the demo (a brand's pages may host them),
/// email clients ignore CSS custom properties anyway, and a brand may want its mail to look
/// unlike its page. Brands set them to their theme's `--jk-color-primary` and
/// `--jk-color-on-primary` (a test holds the demo's to that).
#[derive(Clone, Debug)]
pub struct BrandEmail {
    /// Whom its emails come from; `None` when neither the brand nor the tenant names one.
    pub from: Option<lettre::message::Mailbox>,
    /// The header's background, `#rrggbb`.
    pub primary: String,
    /// The header's text, `#rrggbb`.
    pub on_primary: String,
}

/// `email_primary` when a brand sets none: a dark slate.
pub const DEFAULT_EMAIL_PRIMARY: &str = "#334155";

/// `email_on_primary` when a brand sets none: white (10:1 on the default primary).
pub const DEFAULT_EMAIL_ON_PRIMARY: &str = "#ffffff";

impl Tenant {
    /// Whether the tenant has this brand.
    pub fn has_brand(&self, id: &str) -> bool {
        self.brands.iter().any(|brand| brand.id == id)
    }

    /// A brand by id.
    pub fn brand(&self, id: &str) -> Option<&Brand> {
        self.brands.iter().find(|brand| brand.id == id)
    }

    /// The display name of a brand with its overrides, for texts (`$brand`); the tenant's
    /// name and the shared texts if the brand is unknown.
    pub fn brand_name(&self, id: &str) -> &BrandName {
        self.brand_names.get(id).unwrap_or(&self.unbranded)
    }

    /// The language a brand speaks when nothing else decides: its own `default_locale`, else
    /// the tenant's.
    pub fn brand_default_locale(&self, id: &str) -> &str {
        self.brand_locales
            .get(id)
            .map_or(self.default_locale.as_str(), String::as_str)
    }
}

/// Every tenant.
#[derive(Debug, Default)]
pub struct Tenants {
    tenants: BTreeMap<String, Tenant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantFile {
    name: String,
    audience: String,
    #[serde(default)]
    allowed_origins: Vec<String>,
    default_locale: String,
    locales: Vec<String>,
    #[serde(default = "default_ttl")]
    flow_ttl_minutes: u32,
    #[serde(default)]
    flow_max_lifetime_minutes: Option<u32>,
    brands: BTreeMap<String, BrandFile>,
    #[serde(default)]
    rate_limits: LimitsFile,
    /// The tenant's data services, by name.
    #[serde(default)]
    services: BTreeMap<String, ServiceFile>,
    /// The levels of assurance, parsed by the engine's `AssurancePolicy::from_table`.
    #[serde(default)]
    assurance: Option<toml::Table>,
    /// The From address of the brands' emails that name none of their own.
    #[serde(default)]
    email_from: Option<String>,
    /// The purposes attribute consent steps may ask about, with their texts' versions.
    #[serde(default)]
    purposes: BTreeMap<String, ItemFile>,
    /// The documents document consent steps show, with their current versions.
    #[serde(default)]
    documents: BTreeMap<String, ItemFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrandFile {
    name: String,
    /// The file of `themes/` without `.css`; the brand id when absent.
    theme: Option<String>,
    /// The brand's language when the page and the browser ask for none the tenant has.
    #[serde(default)]
    default_locale: Option<String>,
    /// The From address of its emails, like `RoadHelp <no-reply@roadhelp.example>`.
    #[serde(default)]
    email_from: Option<String>,
    /// The header colour of its HTML emails, `#rrggbb`.
    #[serde(default)]
    email_primary: Option<String>,
    /// The header's text colour, `#rrggbb`.
    #[serde(default)]
    email_on_primary: Option<String>,
}

/// Whether `colour` is `#rrggbb`: nothing else reaches an email's style.
fn is_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The brand's From address, its own or the tenant's, parsed; problems go to `errors`.
fn email_from(
    name: &str,
    brand: &str,
    own: Option<&str>,
    tenant: Option<&str>,
    errors: &mut Vec<String>,
) -> Option<lettre::message::Mailbox> {
    let (text, key) = match (own, tenant) {
        (Some(own), _) => (own, format!("brand `{brand}`: email_from")),
        (None, Some(tenant)) => (tenant, "email_from".to_owned()),
        (None, None) => return None,
    };
    match text.parse::<lettre::message::Mailbox>() {
        Ok(mailbox) => Some(mailbox),
        Err(e) => {
            errors.push(format!(
                "{name}: {key} `{text}` is not an address like \"RoadHelp <no-reply@roadhelp.example>\": {e}"
            ));
            None
        }
    }
}

fn default_ttl() -> u32 {
    30
}

/// A flow's maximum lifetime without `flow_max_lifetime_minutes`: this many times its ttl.
pub const DEFAULT_LIFETIME_TTLS: u32 = 4;

/// The longest `flow_max_lifetime_minutes` allowed: four days.
const MAX_LIFETIME_MINUTES: u32 = DEFAULT_LIFETIME_TTLS * 24 * 60;

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Tenants {
    /// Loads every folder of `dir` that has a `tenant.toml`. All problems are collected.
    pub fn load(
        dir: &Path,
        catalogue: &BlockCatalogue,
        catalog: &Catalog,
    ) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let mut tenants = BTreeMap::new();
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return Err(vec![format!("{}: {e}", dir.display())]),
        };
        let mut folders: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("tenant.toml").is_file())
            .collect();
        folders.sort();
        for folder in folders {
            match load_tenant(&folder, catalogue, catalog) {
                Ok(tenant) => {
                    tenants.insert(tenant.id.clone(), tenant);
                }
                Err(mut problems) => errors.append(&mut problems),
            }
        }
        if tenants.is_empty() && errors.is_empty() {
            errors.push(format!(
                "{}: no tenant folders (folders with a tenant.toml) found",
                dir.display()
            ));
        }
        if errors.is_empty() {
            Ok(Self { tenants })
        } else {
            Err(errors)
        }
    }

    /// A tenant by id.
    pub fn get(&self, id: &str) -> Option<&Tenant> {
        self.tenants.get(id)
    }

    /// Every tenant.
    pub fn iter(&self) -> impl Iterator<Item = &Tenant> {
        self.tenants.values()
    }
}

fn load_tenant(
    folder: &Path,
    catalogue: &BlockCatalogue,
    catalog: &Catalog,
) -> Result<Tenant, Vec<String>> {
    let id = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = folder.join("tenant.toml");
    let name = file.display().to_string();
    if !is_id(&id) {
        return Err(vec![format!(
            "{}: folder names are tenant ids: use a-z, 0-9, - and _",
            folder.display()
        )]);
    }
    let text = fs::read_to_string(&file).map_err(|e| vec![format!("{name}: {e}")])?;
    let mut raw: TenantFile =
        toml::from_str(&text).map_err(|e| vec![format!("{name}: {}", e.message())])?;
    let mut errors = Vec::new();
    for locale in &raw.locales {
        if !catalog.locales().contains(&locale.as_str()) {
            errors.push(format!(
                "{name}: locale `{locale}` has no folder in locales/"
            ));
        }
    }
    if !raw.locales.contains(&raw.default_locale) {
        errors.push(format!(
            "{name}: default_locale `{}` is not in `locales`",
            raw.default_locale
        ));
    }
    for origin in &raw.allowed_origins {
        let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
            && crate::config::origin_of(origin) == *origin
            && !origin.ends_with('/');
        if !valid {
            errors.push(format!("{name}: `{origin}` in allowed_origins is not an origin like https://www.example.com"));
        }
    }
    if raw.brands.is_empty() {
        errors.push(format!(
            "{name}: at least one brand is needed under [brands.<id>]"
        ));
    }
    if let Some(bad) = raw.brands.keys().find(|b| !is_id(b)) {
        errors.push(format!("{name}: brand id `{bad}`: use a-z, 0-9, - and _"));
    }
    for (brand, theme) in raw
        .brands
        .iter()
        .filter_map(|(id, b)| Some((id, b.theme.as_ref()?)))
    {
        if !is_id(theme) {
            errors.push(format!(
                "{name}: brand `{brand}`: theme `{theme}` is a file name in themes/ without .css: use a-z, 0-9, - and _"
            ));
        }
    }
    for (brand, file) in &raw.brands {
        if let Some(locale) = file
            .default_locale
            .as_ref()
            .filter(|locale| !raw.locales.contains(locale))
        {
            errors.push(format!(
                "{name}: brand `{brand}`: default_locale `{locale}` is not in `locales`"
            ));
        }
    }
    let mut emails = BTreeMap::new();
    for (brand, file) in &raw.brands {
        let from = email_from(
            &name,
            brand,
            file.email_from.as_deref(),
            raw.email_from.as_deref(),
            &mut errors,
        );
        let mut colour = |key: &str, value: &Option<String>, default: &str| match value {
            Some(colour) if is_colour(colour) => colour.to_ascii_lowercase(),
            Some(colour) => {
                errors.push(format!(
                    "{name}: brand `{brand}`: {key} `{colour}` is not a colour like #f5a300"
                ));
                default.to_owned()
            }
            None => default.to_owned(),
        };
        let email = BrandEmail {
            from,
            primary: colour("email_primary", &file.email_primary, DEFAULT_EMAIL_PRIMARY),
            on_primary: colour(
                "email_on_primary",
                &file.email_on_primary,
                DEFAULT_EMAIL_ON_PRIMARY,
            ),
        };
        emails.insert(brand.clone(), email);
    }
    let overrides = load_overrides(folder, &raw, catalog, &mut errors);
    if !(1..=24 * 60).contains(&raw.flow_ttl_minutes) {
        errors.push(format!(
            "{name}: flow_ttl_minutes must be between 1 and 1440"
        ));
    }
    let max_lifetime = raw
        .flow_max_lifetime_minutes
        .unwrap_or(raw.flow_ttl_minutes.saturating_mul(DEFAULT_LIFETIME_TTLS));
    if raw.flow_max_lifetime_minutes.is_some()
        && !(raw.flow_ttl_minutes..=MAX_LIFETIME_MINUTES).contains(&max_lifetime)
    {
        errors.push(format!(
            "{name}: flow_max_lifetime_minutes must be between flow_ttl_minutes ({}) and {MAX_LIFETIME_MINUTES}",
            raw.flow_ttl_minutes
        ));
    }
    let rate_limits = raw
        .rate_limits
        .validate(&name)
        .unwrap_or_else(|mut problems| {
            errors.append(&mut problems);
            Limits::default()
        });
    let services = lookup::parse_services(&name, std::mem::take(&mut raw.services), &mut errors);
    let assurance = match &raw.assurance {
        Some(table) => AssurancePolicy::from_table(table).unwrap_or_else(|problems| {
            errors.extend(problems.iter().map(|p| format!("{name}: {p}")));
            AssurancePolicy::default()
        }),
        None => AssurancePolicy::default(),
    };

    let brand_ids: Vec<&String> = raw.brands.keys().collect();
    let consents = TenantConsents::load(
        folder,
        &name,
        &raw.purposes,
        &raw.documents,
        &raw.locales,
        &brand_ids,
        &mut errors,
    );
    let mut journeys = BTreeMap::new();
    let mut sources = BTreeMap::new();
    let journey_dir = folder.join("journeys");
    let mut files: Vec<_> = match fs::read_dir(&journey_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            errors.push(format!("{}: {e}", journey_dir.display()));
            Vec::new()
        }
    };
    files.sort();
    for path in files {
        let file_name = path.display().to_string();
        let journey_name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_id(&journey_name) {
            errors.push(format!(
                "{file_name}: journey file names are journey ids: use a-z, 0-9, - and _"
            ));
            continue;
        }
        let source = match fs::read_to_string(&path) {
            Ok(source) => source,
            Err(e) => {
                errors.push(format!("{file_name}: {e}"));
                continue;
            }
        };
        match Journey::parse(catalogue, &file_name, &journey_name, &source) {
            Ok(journey) => {
                lookup::check_calls(&file_name, &journey, &services, &mut errors);
                for (step, level) in journey.assurance_levels() {
                    if !assurance.has(&level) {
                        let known: Vec<&str> =
                            assurance.levels().iter().map(|l| l.name.as_str()).collect();
                        errors.push(format!(
                            "{file_name}: step `{step}`: min_acr `{level}` is not a level of the tenant's policy (assurance.levels in {name}: {})",
                            known.join(", ")
                        ));
                    }
                }
                for locale in &raw.locales {
                    for message in journey.message_ids() {
                        if catalog.locales().contains(&locale.as_str())
                            && !catalog.has(locale, &message)
                        {
                            errors.push(format!(
                                "{file_name}: message `{message}` is missing in locales/{locale}/"
                            ));
                        }
                    }
                }
                consents.check(&file_name, &journey, &mut errors);
                journeys.insert(journey_name.clone(), Arc::new(journey));
                sources.insert(journey_name, source);
            }
            Err(problems) => errors.extend(problems.0.iter().map(ToString::to_string)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut locales = raw.locales;
    if let Some(pseudo) = catalog.pseudo_locale() {
        locales.push(pseudo.to_owned());
    }
    let brand_locales = raw
        .brands
        .iter()
        .map(|(id, brand)| {
            let locale = brand.default_locale.as_ref().unwrap_or(&raw.default_locale);
            (id.clone(), locale.clone())
        })
        .collect();
    let mut overrides = overrides;
    let brand_names = raw
        .brands
        .iter()
        .map(|(id, brand)| {
            let name = BrandName {
                name: brand.name.clone(),
                overrides: overrides.remove(id).map(Arc::new),
            };
            (id.clone(), name)
        })
        .collect();
    let unbranded = BrandName {
        name: raw.name.clone(),
        overrides: None,
    };
    Ok(Tenant {
        id,
        name: raw.name,
        audience: raw.audience,
        allowed_origins: raw.allowed_origins,
        default_locale: raw.default_locale,
        locales,
        flow_ttl: i64::from(raw.flow_ttl_minutes) * 60,
        flow_max_lifetime: i64::from(max_lifetime) * 60,
        brands: raw
            .brands
            .into_iter()
            .map(|(id, brand)| Brand {
                theme: brand.theme.unwrap_or_else(|| id.clone()),
                email: emails.remove(&id).unwrap_or_else(|| BrandEmail {
                    from: None,
                    primary: DEFAULT_EMAIL_PRIMARY.to_owned(),
                    on_primary: DEFAULT_EMAIL_ON_PRIMARY.to_owned(),
                }),
                id,
                name: brand.name,
            })
            .collect(),
        journeys,
        sources,
        rate_limits,
        services,
        assurance: Arc::new(assurance),
        brand_locales,
        brand_names,
        unbranded,
        consents,
    })
}

/// Loads `locales/<brand>/` of a tenant's folder for each brand that has one; problems go to
/// `errors`, each naming its file.
fn load_overrides(
    folder: &Path,
    raw: &TenantFile,
    catalog: &Catalog,
    errors: &mut Vec<String>,
) -> BTreeMap<String, Overrides> {
    let mut overrides = BTreeMap::new();
    let dir = folder.join("locales");
    if !dir.exists() {
        return overrides;
    }
    let mut entries: Vec<_> = match fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return overrides;
        }
    };
    entries.sort();
    for path in entries {
        let brand = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !path.is_dir() {
            errors.push(format!(
                "{}: brand texts go in locales/<brand>/<lang>/*.ftl",
                path.display()
            ));
            continue;
        }
        if !raw.brands.contains_key(&brand) {
            errors.push(format!(
                "{}: `{brand}` is not a brand of this tenant (its [brands.<id>] in tenant.toml)",
                path.display()
            ));
            continue;
        }
        match catalog.overrides(&path, &raw.locales, &[BRAND_ARG]) {
            Ok(layer) => {
                overrides.insert(brand, layer);
            }
            Err(problems) => errors.extend(problems.iter().map(ToString::to_string)),
        }
    }
    overrides
}

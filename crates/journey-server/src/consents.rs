//! A tenant's purposes and documents, and the consent history's edge to the engine.
//!
//! `tenant.toml` declares the purposes an `attribute_consent` step may ask about
//! (`[purposes.<name>] version = "1.0"`; their texts are Fluent messages,
//! `consent-purpose-<name>` and `consent-purpose-<name>-hint`, which a brand may re-word like
//! any other) and the documents a `document_consent` step shows (`[documents.<name>] version =
//! "2.0"`). A document's text is a file per version and language, with a brand's own wording
//! beside it:
//!
//! ```text
//! <tenant>/documents/<document>/<version>/<lang>.md           every tenant language
//! <tenant>/documents/<document>/<version>/<brand>/<lang>.md   optional; then every language
//! ```
//!
//! Only the current version must exist (older ones may stay, for the record). The files are
//! read once at start and parsed into plain-text parts ([`parse`]: `#` headings, `-` list items,
//! paragraphs; nothing else is special and no HTML passes: the widget shows the parts as text).
//! A missing or unreadable file, an unknown brand folder, a bad version or a journey naming an
//! undeclared purpose or document stops the server naming the file.
//!
//! At run time this answers [`Query::Consents`] from the account's history in the store (the
//! latest decision per item), turns [`Effect::RecordConsent`] into a [`Write::Consent`] with the
//! flow's language, brand, channel `web`, flow id and time, and puts the documents' text into a
//! document consent step's view ([`fill`]). The history is append-only: nothing here, and no
//! route, changes or removes an entry.

use crate::error::Failure;
use crate::state::AppState;
use journey_engine::consent::{is_name, version};
use journey_engine::{ConsentDecision, ConsentItem, Consents, Journey, Standing};
use journey_protocol::{self as wire, BlockView, DocumentPart};
use journey_store::{Consent, Decision, FlowRecord, Write};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The largest document file read, in bytes.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024;

/// `[purposes.<name>]` or `[documents.<name>]` in `tenant.toml`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    /// The current version, `major.minor`.
    pub version: String,
}

/// One document's current version, its texts by language and by brand.
#[derive(Debug, Default)]
pub struct Document {
    /// The current version.
    pub version: String,
    /// The shared text, by language.
    pub texts: BTreeMap<String, Vec<DocumentPart>>,
    /// A brand's own text, by brand and language.
    pub brands: BTreeMap<String, BTreeMap<String, Vec<DocumentPart>>>,
}

/// A tenant's purposes (their current versions) and documents.
#[derive(Debug, Default)]
pub struct TenantConsents {
    /// Each purpose's current version, by name.
    pub purposes: BTreeMap<String, String>,
    /// Each document, by name.
    pub documents: BTreeMap<String, Document>,
}

impl TenantConsents {
    /// Loads the declarations of `name` (the `tenant.toml` path, for messages) and the
    /// documents' files under `folder`; problems go to `errors`, each naming its file.
    pub fn load(
        folder: &Path,
        name: &str,
        purposes: &BTreeMap<String, ItemFile>,
        documents: &BTreeMap<String, ItemFile>,
        locales: &[String],
        brands: &[&String],
        errors: &mut Vec<String>,
    ) -> Self {
        // A condition reads both as `consents.<name>`: one name, one thing.
        for item in documents.keys().filter(|d| purposes.contains_key(*d)) {
            errors.push(format!(
                "{name}: [documents.{item}]: a purpose has this name too; give one of them another"
            ));
        }
        let mut checked = |table: &str, item: &str, file: &ItemFile| {
            if !is_name(item) {
                errors.push(format!("{name}: [{table}.{item}]: a name is lower-case letters, digits and `_`, starting with a letter"));
            }
            if version(&file.version).is_none() {
                errors.push(format!(
                    "{name}: [{table}.{item}]: version `{}` is not `major.minor`, like \"2.0\"",
                    file.version
                ));
            }
            file.version.clone()
        };
        let purposes = purposes
            .iter()
            .map(|(item, file)| (item.clone(), checked("purposes", item, file)))
            .collect();
        let versions: Vec<(String, String)> = documents
            .iter()
            .map(|(item, file)| (item.clone(), checked("documents", item, file)))
            .collect();
        let mut loaded = BTreeMap::new();
        for (item, version) in versions {
            if version.contains(['/', '\\']) || !is_name(&item) {
                continue;
            }
            let dir = folder.join("documents").join(&item).join(&version);
            let mut document = Document {
                version,
                texts: read_texts(&dir, locales, errors),
                brands: BTreeMap::new(),
            };
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if !path.is_dir() {
                    continue;
                }
                let brand = entry.file_name().to_string_lossy().into_owned();
                if brands.iter().any(|b| **b == brand) {
                    document
                        .brands
                        .insert(brand, read_texts(&path, locales, errors));
                } else {
                    errors.push(format!(
                        "{}: `{brand}` is not a brand of this tenant (its [brands.<id>] in tenant.toml)",
                        path.display()
                    ));
                }
            }
            loaded.insert(item, document);
        }
        Self {
            purposes,
            documents: loaded,
        }
    }

    /// Refuses a journey whose steps ask about a purpose or document the tenant does not
    /// declare; problems go to `errors`, naming the journey file and the step.
    pub fn check(&self, file: &str, journey: &Journey, errors: &mut Vec<String>) {
        for (step, item) in journey.consent_items() {
            let (declared, table, item) = match &item {
                ConsentItem::Purpose(p) => (self.purposes.contains_key(p), "purposes", p),
                ConsentItem::Document(d) => (self.documents.contains_key(d), "documents", d),
            };
            if !declared {
                errors.push(format!(
                    "{file}: step `{step}`: setting `{table}`: `{item}` is not declared in tenant.toml (add [{table}.{item}] with its version)"
                ));
            }
        }
    }

    /// A document's text in `locale` as `brand` words it (its own, else the shared one).
    fn text(&self, document: &str, brand: &str, locale: &str) -> Option<&Vec<DocumentPart>> {
        let document = self.documents.get(document)?;
        document
            .brands
            .get(brand)
            .and_then(|texts| texts.get(locale))
            .or_else(|| document.texts.get(locale))
    }
}

/// Reads `<dir>/<lang>.md` for every language.
fn read_texts(
    dir: &Path,
    locales: &[String],
    errors: &mut Vec<String>,
) -> BTreeMap<String, Vec<DocumentPart>> {
    let mut texts = BTreeMap::new();
    for locale in locales {
        let path = dir.join(format!("{locale}.md"));
        let read = fs::metadata(&path).and_then(|meta| {
            if meta.len() > MAX_DOCUMENT_BYTES {
                Err(std::io::Error::other(format!(
                    "larger than {MAX_DOCUMENT_BYTES} bytes"
                )))
            } else {
                fs::read_to_string(&path)
            }
        });
        match read {
            Ok(text) => {
                texts.insert(locale.clone(), parse(&text));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => errors.push(format!(
                "{}: missing: every declared document needs its current version in every language of the tenant",
                path.display()
            )),
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    texts
}

/// A document's text as plain-text parts: a line starting `#` is a heading, one starting `- `
/// or `* ` a list item, and other lines run together into paragraphs that blank lines end.
/// Nothing is HTML: a `<` stays a `<`.
pub fn parse(text: &str) -> Vec<DocumentPart> {
    let mut parts = Vec::new();
    let mut paragraph = String::new();
    let part = |kind: &str, text: &str| DocumentPart {
        kind: kind.to_owned(),
        text: text.trim().to_owned(),
    };
    let flush = |paragraph: &mut String, parts: &mut Vec<DocumentPart>| {
        if !paragraph.is_empty() {
            parts.push(part("paragraph", paragraph));
            paragraph.clear();
        }
    };
    for line in text.trim_start_matches('\u{feff}').lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut parts);
        } else if line.starts_with('#') {
            flush(&mut paragraph, &mut parts);
            parts.push(part("heading", line.trim_start_matches('#')));
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            flush(&mut paragraph, &mut parts);
            parts.push(part("item", item));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
        }
    }
    flush(&mut paragraph, &mut parts);
    parts
}

/// Answers [`journey_engine::Query::Consents`]: every purpose and document of `tenant` with its
/// current version and the account's latest decision on it.
pub(crate) async fn standing(
    state: &AppState,
    tenant: &str,
    subject: &str,
) -> Result<Consents, Failure> {
    let history = state
        .store
        .consents(tenant, subject)
        .await
        .map_err(|e| Failure::internal("reading consents", e))?;
    let declared = state.tenants.get(tenant).map(|t| &t.consents);
    let mut consents = Consents::default();
    let versions = declared.into_iter().flat_map(|d| {
        let purposes = d.purposes.iter().map(|(n, v)| (true, n, v));
        purposes.chain(d.documents.iter().map(|(n, doc)| (false, n, &doc.version)))
    });
    for (purpose, item, current) in versions {
        let latest = history
            .iter()
            .rev()
            .find(|c| c.item == *item && (c.decision.kind() == "purpose") == purpose)
            .map(|c| (decision(c.decision), c.version.clone()));
        let standing = Standing {
            current: current.clone(),
            latest,
        };
        let into = if purpose {
            &mut consents.purposes
        } else {
            &mut consents.documents
        };
        into.insert(item.clone(), standing);
    }
    Ok(consents)
}

fn decision(decision: Decision) -> ConsentDecision {
    match decision {
        Decision::Granted => ConsentDecision::Granted,
        Decision::Withdrawn => ConsentDecision::Withdrawn,
        Decision::Accepted => ConsentDecision::Accepted,
        Decision::Refused => ConsentDecision::Refused,
    }
}

/// The write of [`journey_engine::Effect::RecordConsent`], given through the web in the flow
/// of `record` at `now`.
pub(crate) fn write(
    record: &FlowRecord,
    subject: String,
    item: String,
    version: String,
    decided: ConsentDecision,
    now: i64,
) -> Write {
    Write::Consent(Consent {
        tenant: record.tenant.clone(),
        subject,
        item,
        version,
        locale: record.locale.clone(),
        decision: match decided {
            ConsentDecision::Granted => Decision::Granted,
            ConsentDecision::Withdrawn => Decision::Withdrawn,
            ConsentDecision::Accepted => Decision::Accepted,
            ConsentDecision::Refused => Decision::Refused,
        },
        brand: record.brand.clone(),
        channel: "web".into(),
        flow_id: Some(record.id.clone()),
        at: now,
    })
}

/// Puts each document's text, in `locale` as `brand` words it, into a document consent step of
/// `tenant` (a flow's, or an example's: a tenant without the document leaves it empty).
pub fn fill(state: &AppState, tenant: &str, brand: &str, locale: &str, step: &mut wire::Step) {
    let BlockView::DocumentConsent { documents } = &mut step.view else {
        return;
    };
    let Some(tenant) = state.tenants.get(tenant) else {
        return;
    };
    let declared = &tenant.consents;
    for document in documents {
        // The pseudo-locale of development mode has no files: it shows the default language.
        let text = declared
            .text(&document.id, brand, locale)
            .or_else(|| declared.text(&document.id, brand, &tenant.default_locale));
        if let Some(text) = text {
            document.body = text.clone();
        }
    }
}

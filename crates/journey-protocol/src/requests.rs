//! The bodies of the requests a client sends: starting a flow, answering a step, extending a
//! flow. Plain serde with unknown fields refused: the server reads them, the widget writes
//! them (`widgets/src/client`).
//!
//! A start request's `context` ([`Context`]) is read leniently on purpose: whatever JSON the
//! page sent there is kept as what it was (an object of strings, integers and booleans, or
//! the kind of anything else), so the server can refuse it with `invalid_context` naming the
//! key, rather than as a request that did not parse.

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The body of `POST /v1/{tenant}/journeys/{journey}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartFlow {
    /// The brand; the tenant's default brand when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The preferred language; the brand's default when absent or not supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Facts from the host page, such as a quote number: checked against the keys and types
    /// the journey declares.
    #[serde(default, skip_serializing_if = "Context::is_empty")]
    pub context: Context,
    /// A value from the page that the ID token echoes as its `nonce` claim, so the page can
    /// tell its own token from a replayed one: 1 to 255 visible ASCII characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

/// The body of `POST /v1/flows/{id}/extend`: `{}`. JSON like every request that changes a
/// flow, so a browser on another origin sends it only after a CORS preflight.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extend {}

/// The body of `POST /v1/flows/{id}`: an answer to one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    /// The step this answers; a stale one gets the current state back.
    pub step: String,
    /// The action taken, such as `submit` or `resend`.
    pub action: String,
    /// The field values by field name.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// The `context` of a start request as the page sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Context {
    /// A JSON object: each key with its value.
    Object(BTreeMap<String, ContextValue>),
    /// Anything but an object (an array, a string, a number, `null`, or in the widget a
    /// `context` attribute that is not JSON); the kind, for the log.
    NotAnObject(&'static str),
}

impl Default for Context {
    fn default() -> Self {
        Self::Object(BTreeMap::new())
    }
}

impl Context {
    /// Whether nothing was passed.
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Object(map) if map.is_empty())
    }
}

/// One value of a start request's `context`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    /// A JSON string.
    String(String),
    /// A JSON number without a fraction, within 64 bits.
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
    /// Anything else (`null`, a fraction, an array, an object); its kind, for the error.
    Other(&'static str),
}

impl ContextValue {
    /// The kind of value, as an error names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::String(_) => "string",
            Self::Int(_) => "int",
            Self::Bool(_) => "bool",
            Self::Other(kind) => kind,
        }
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Object(map) => map.serialize(serializer),
            Self::NotAnObject(_) => serializer.serialize_unit(),
        }
    }
}

impl Serialize for ContextValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(text) => serializer.serialize_str(text),
            Self::Int(n) => serializer.serialize_i64(*n),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Other(_) => serializer.serialize_unit(),
        }
    }
}

/// Reads any JSON value as a [`ContextValue`], never failing on its kind.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ContextValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ContextValue, E> {
        Ok(ContextValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ContextValue, E> {
        Ok(ContextValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ContextValue, E> {
        Ok(i64::try_from(v).map_or(
            ContextValue::Other("a number beyond 64 bits"),
            ContextValue::Int,
        ))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ContextValue, E> {
        Ok(ContextValue::Other("a number with a fraction"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ContextValue, E> {
        Ok(ContextValue::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<ContextValue, E> {
        Ok(ContextValue::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<ContextValue, E> {
        Ok(ContextValue::Other("null"))
    }
    fn visit_none<E: de::Error>(self) -> Result<ContextValue, E> {
        Ok(ContextValue::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ContextValue, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ContextValue::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ContextValue, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ContextValue::Other("an object"))
    }
}

impl<'de> Deserialize<'de> for ContextValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContextVisitor;
        impl<'de> Visitor<'de> for ContextVisitor {
            type Value = Context;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Context, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, ContextValue>()? {
                    entries.insert(key, value);
                }
                Ok(Context::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Context, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Context::NotAnObject("an array"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Context, E> {
                Ok(Context::NotAnObject("a bool"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Context, E> {
                Ok(Context::NotAnObject("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Context, E> {
                Ok(Context::NotAnObject("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Context, E> {
                Ok(Context::NotAnObject("a number"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Context, E> {
                Ok(Context::NotAnObject("a string"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Context, E> {
                Ok(Context::NotAnObject("null"))
            }
            fn visit_none<E: de::Error>(self) -> Result<Context, E> {
                Ok(Context::NotAnObject("null"))
            }
        }
        deserializer.deserialize_any(ContextVisitor)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(json: &str) -> StartFlow {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_starts_context_keeps_what_the_page_sent_whatever_its_kind() {
        let start = read(
            r#"{"context": {"quote": "Q-1", "age": 40, "returning": true, "x": null,
                "f": 1.5, "l": [1], "o": {"a": [1, {"b": 2}]}, "big": 18446744073709551615}}"#,
        );
        let Context::Object(entries) = &start.context else {
            unreachable!("an object")
        };
        let kind = |key: &str| entries.get(key).map(ContextValue::kind);
        assert_eq!(
            entries.get("quote"),
            Some(&ContextValue::String("Q-1".into()))
        );
        assert_eq!(entries.get("age"), Some(&ContextValue::Int(40)));
        assert_eq!(entries.get("returning"), Some(&ContextValue::Bool(true)));
        assert_eq!(kind("x"), Some("null"));
        assert_eq!(kind("f"), Some("a number with a fraction"));
        assert_eq!(kind("l"), Some("an array"));
        assert_eq!(kind("o"), Some("an object"));
        assert_eq!(kind("big"), Some("a number beyond 64 bits"));
        for (json, kind) in [
            (r#"{"context": [1, 2]}"#, "an array"),
            (r#"{"context": "quote=Q-1"}"#, "a string"),
            (r#"{"context": 3}"#, "a number"),
            (r#"{"context": null}"#, "null"),
        ] {
            assert_eq!(read(json).context, Context::NotAnObject(kind), "{json}");
        }
        assert!(read("{}").context.is_empty());
        // Other fields are still refused.
        assert!(serde_json::from_str::<StartFlow>(r#"{"contexts": {}}"#).is_err());
        // What a client writes reads back the same.
        let json = serde_json::to_string(&start).unwrap();
        let again = read(&json);
        assert_eq!(again.context, read(&json).context);
        assert!(json.contains(r#""age":40"#), "{json}");
    }
}

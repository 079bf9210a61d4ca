//! Reading the protocol's types from any parsed JSON tree, without serde's visitors.
//!
//! The server writes the wire JSON with serde. The widget reads it through the browser's own
//! `JSON.parse` (serde's derived visitors and `serde_json` would cost about a quarter of the
//! widget's wasm), walking the parsed values with [`Decode`]. The `Decode` impls are generated
//! by the same macro that defines each type (`wire_struct!`, `wire_enum!`, `block_views!` in
//! `lib.rs`), so the shape is written once; a test decodes every type from what serde encoded.
//!
//! Decoding is as strict as serde's on what a reader needs (a missing id or title is an error)
//! and lenient on what it may skip: absent lists are empty, absent options are `None`, unknown
//! keys are ignored, and an unknown enum value falls back where the type names a fallback (a
//! block view the reader does not know becomes [`crate::BlockView::Unknown`]).

/// A parsed JSON value, as the reader's JSON library holds it.
pub trait Source: Sized {
    /// The member `key` of an object; `None` when absent, `null`, or not an object.
    fn get(&self, key: &str) -> Option<Self>;
    /// The value as a string.
    fn string(&self) -> Option<String>;
    /// The value as a number.
    fn number(&self) -> Option<f64>;
    /// The value as a boolean.
    fn boolean(&self) -> Option<bool>;
    /// The items of an array.
    fn items(&self) -> Option<Vec<Self>>;
}

/// The value does not have the shape of the type read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError;

/// A type that can be read from a [`Source`].
pub trait Decode: Sized {
    /// Reads a value.
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError>;

    /// The value of a member that is absent: an error, unless the type has an empty form.
    fn absent() -> Result<Self, DecodeError> {
        Err(DecodeError)
    }
}

/// Reads the member `key` of `source`.
pub fn field<T: Decode, S: Source>(source: &S, key: &str) -> Result<T, DecodeError> {
    match source.get(key) {
        Some(value) => T::decode(&value),
        None => T::absent(),
    }
}

impl Decode for String {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        source.string().ok_or(DecodeError)
    }
}

impl Decode for bool {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        source.boolean().ok_or(DecodeError)
    }
}

/// The largest integer a JSON number (an IEEE double) holds exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

fn integer<S: Source>(source: &S) -> Result<i64, DecodeError> {
    let n = source.number().ok_or(DecodeError)?;
    if n.fract() != 0.0 || n.abs() > MAX_EXACT {
        return Err(DecodeError);
    }
    Ok(n as i64)
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
                <$t>::try_from(integer(source)?).map_err(|_| DecodeError)
            }
        }
    )*};
}
integers!(u8, u16, u32, i64);

impl<T: Decode> Decode for Option<T> {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        T::decode(source).map(Some)
    }

    fn absent() -> Result<Self, DecodeError> {
        Ok(None)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<S: Source>(source: &S) -> Result<Self, DecodeError> {
        source
            .items()
            .ok_or(DecodeError)?
            .iter()
            .map(T::decode)
            .collect()
    }

    fn absent() -> Result<Self, DecodeError> {
        Ok(Vec::new())
    }
}

//! The macros that define the wire types: each writes the type once and derives from that one
//! definition its serde form (what the server sends), its [`crate::Decode`] (what the widget
//! reads) and its [`crate::Resolve`] (how the server fills its texts).

/// A struct of the protocol. Every field is read under its own name.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::Decode for $name {
            fn decode<S: $crate::Source>(source: &S) -> Result<Self, $crate::DecodeError> {
                Ok(Self {
                    $( $field: $crate::decode::field(source, stringify!($field))?, )*
                })
            }
        }

        impl $crate::Resolve for $name {
            fn resolve(&mut self, resolver: &mut $crate::Resolver<'_>) {
                $( $crate::Resolve::resolve(&mut self.$field, resolver); )*
            }
        }
    };
}

/// An enum of names. `else Variant` names what an unknown name reads as (a newer peer's
/// value); without it an unknown name is an error.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
        $( else $fallback:ident )?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The wire name, also used in CSS classes and DOM events.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $wire, )*
                }
            }
        }

        impl $crate::Decode for $name {
            fn decode<S: $crate::Source>(source: &S) -> Result<Self, $crate::DecodeError> {
                let wire = source.string().ok_or($crate::DecodeError)?;
                let known = Self::ALL.iter().copied().find(|v| v.as_str() == wire);
                $( let known = known.or(Some(Self::$fallback)); )?
                known.ok_or($crate::DecodeError)
            }
        }

        impl $crate::Resolve for $name {
            fn resolve(&mut self, _: &mut $crate::Resolver<'_>) {}
        }
    };
}

/// The typed views of the blocks, one variant each, tagged by `kind`, plus `Unknown` for a view
/// this build does not know (or cannot read): the widget then shows the step's generic fields
/// and actions. In test builds it also makes one sample of every variant.
macro_rules! block_views {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal { $( $(#[$fmeta:meta])* $field:ident : $ty:ty, )* },
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "kind")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant { $( $(#[$fmeta])* $field: $ty, )* },
            )*
            /// A view this build does not know: render the step's generic fields and actions.
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl $name {
            /// The `kind` of every view this build knows.
            pub const KINDS: &'static [&'static str] = &[$($wire),*];

            /// This view's `kind`; `None` for [`Self::Unknown`].
            pub fn kind(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant { .. } => Some($wire), )*
                    Self::Unknown => None,
                }
            }

            /// One sample of every known variant, for round-trip tests.
            #[cfg(test)]
            pub(crate) fn samples() -> Vec<Self> {
                use $crate::samples::Sample;
                vec![$( Self::$variant { $( $field: <$ty>::sample(), )* }, )*]
            }
        }

        impl $crate::Decode for $name {
            fn decode<S: $crate::Source>(source: &S) -> Result<Self, $crate::DecodeError> {
                let kind: String = $crate::decode::field(source, "kind")?;
                let known = || -> Result<Self, $crate::DecodeError> {
                    Ok(match kind.as_str() {
                        $( $wire => Self::$variant {
                            $( $field: $crate::decode::field(source, stringify!($field))?, )*
                        }, )*
                        _ => Self::Unknown,
                    })
                };
                Ok(known().unwrap_or(Self::Unknown))
            }
        }

        impl $crate::Resolve for $name {
            #[allow(unused_variables)]
            fn resolve(&mut self, resolver: &mut $crate::Resolver<'_>) {
                match self {
                    $( Self::$variant { $( $field, )* } => {
                        $( $crate::Resolve::resolve($field, resolver); )*
                    } )*
                    Self::Unknown => {}
                }
            }
        }
    };
}

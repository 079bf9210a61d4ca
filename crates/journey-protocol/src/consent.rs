//! The parts of the consent steps' views that are more than a text: a document to read and
//! accept ([`ConsentDocument`]) and the plain-text parts of its body ([`DocumentPart`]). The
//! views themselves are variants of [`crate::BlockView`].

use crate::Text;

wire_struct! {
    /// One document of a document consent step, such as the terms in their current version.
    pub struct ConsentDocument {
        /// The document's name, as the tenant declares it; its checkbox field has this name.
        pub id: String,
        /// The current version, `major.minor`.
        pub version: String,
        /// The document's title.
        pub title: Text,
        /// "Version 2.0", in the flow's language.
        pub version_label: Text,
        /// `required` (never accepted, or refused), `major_update` (accepted an older major
        /// version: accept again), `minor_update` (only informed) or `current`.
        pub change: String,
        /// The document's text in the flow's language and brand, filled in by the server from
        /// the tenant's file: plain text, never HTML.
        #[serde(default)]
        pub body: Vec<DocumentPart>,
    }
}

wire_struct! {
    /// One part of a document's text: a `heading`, a `paragraph` or a list `item`.
    pub struct DocumentPart {
        /// `heading`, `paragraph` or `item`.
        pub kind: String,
        /// The text, plain (shown as text, never parsed as HTML).
        pub text: String,
    }
}

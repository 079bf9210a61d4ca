//! Sample values of every field type, so the macros can build one sample of every block view
//! for the round-trip tests (test builds only).

use crate::Text;

/// A value of the type, different from its default so a dropped field shows.
pub(crate) trait Sample {
    fn sample() -> Self;
}

impl Sample for String {
    fn sample() -> Self {
        "j***@example.com".to_owned()
    }
}

impl Sample for u8 {
    fn sample() -> Self {
        6
    }
}

impl Sample for u32 {
    fn sample() -> Self {
        30
    }
}

impl Sample for Text {
    fn sample() -> Self {
        Text {
            id: "sample-text".to_owned(),
            text: "A sample text.".to_owned(),
            args: crate::Args::default(),
        }
    }
}

impl<T: Sample> Sample for Vec<T> {
    fn sample() -> Self {
        vec![T::sample(), T::sample()]
    }
}

impl<T: Sample> Sample for Option<T> {
    fn sample() -> Self {
        Some(T::sample())
    }
}

impl Sample for crate::ConsentDocument {
    fn sample() -> Self {
        crate::ConsentDocument {
            id: "terms".to_owned(),
            version: "2.0".to_owned(),
            title: Text::sample(),
            version_label: Text::sample(),
            change: "major_update".to_owned(),
            body: Sample::sample(),
        }
    }
}

impl Sample for crate::DocumentPart {
    fn sample() -> Self {
        crate::DocumentPart {
            kind: "paragraph".to_owned(),
            text: "We keep your data safe.".to_owned(),
        }
    }
}

impl Sample for crate::PhoneStage {
    fn sample() -> Self {
        crate::PhoneStage::Code
    }
}

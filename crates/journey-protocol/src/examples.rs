//! The answer of `GET /dev/examples` (development mode only): every block's named sample states
//! as the server renders them, for the designer preview, the widget tests and `cargo xtask
//! shots`.

use crate::Step;

wire_struct! {
    /// The answer of `GET /dev/examples` (development mode only): every block's named sample
    /// states, each rendered by the server for one tenant, brand and locale exactly as a flow
    /// would receive it. The designer preview, the widget tests and `cargo xtask shots` draw
    /// from it.
    pub struct Examples {
        /// The tenant the texts are for.
        pub tenant: String,
        /// The brand the texts and theme are for.
        pub brand: String,
        /// The language of the texts.
        pub locale: String,
        /// The writing direction of that language: `ltr` or `rtl`.
        pub dir: String,
        /// One entry per block that a person sees, in catalogue order.
        pub blocks: Vec<BlockExamples>,
    }
}

wire_struct! {
    /// The examples of one block.
    pub struct BlockExamples {
        /// The block's name, as journey files write it.
        pub block: String,
        /// Its sample states, such as `empty`, `field_errors`, `waiting_for_resend`.
        pub examples: Vec<Example>,
    }
}

wire_struct! {
    /// One named sample state of a block.
    pub struct Example {
        /// The name, unique within the block.
        pub name: String,
        /// The step as the protocol sends it.
        pub step: Step,
    }
}

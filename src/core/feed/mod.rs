//! The Common Ground inventory feed: its documented shape, read tolerantly,
//! and the normalised [`Item`] the catalogue is built from.
//!
//! One concern per file, in the order an element goes through them:
//!
//! - `reader`: the one JSON reader of the feed, hand-written and streaming;
//! - `raw`: the element's documented shape, and its reading with that reader;
//! - `normalise`: from the raw shape to an item (trimmed, bounded, checked);
//! - `borrowed`: reading an element into an item that borrows its texts,
//!   and turning it into an owned [`Item`] and back;
//! - `model`: the public model ([`Item`], [`Listing`], [`Condition`],
//!   [`Cents`]), whose fields are written once (`item_fields!`);
//! - in tests only, `oracle`: serde readers of the raw shape, which the
//!   streaming reader must agree with.

mod borrowed;
mod model;
mod normalise;
mod raw;
mod reader;

#[cfg(test)]
pub(crate) use model::every_kind_of_listing;
pub(crate) use model::{item_fields, BorrowedItem};
pub use model::{Cents, Condition, Item, ItemOf, Listing};

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

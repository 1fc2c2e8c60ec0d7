//! The feed element's documented shape, as it is read: every field in the
//! lenient type it accepts, its texts borrowed from the element's bytes
//! (copied only where a JSON string has escapes).
//!
//! The streaming reader fills these types ([`read`]); in tests, the serde
//! readers derived for them are its oracle (`feed::oracle`), which is why
//! they carry serde attributes there only.

mod read;

use crate::lenient::{Flag, Id, Label, Number};
use std::borrow::Cow;

// The lenient field types only the feed uses.

/// A text field read as [`Text`](crate::lenient::Text) is, borrowed from the input when the JSON
/// string has no escapes.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct BorrowedText<'a>(pub(super) Option<Cow<'a, str>>);

/// A list of names. Accepts a list of strings or of objects with a name-like
/// key (`name`, `title`, `uri`, `url`, `src`), or one bare string or object,
/// read as a list of one. Names are trimmed; empty ones are dropped.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Names<'a>(pub(super) Vec<Cow<'a, str>>);

/// An object field read as `T`; anything that is not an object is absent.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Object<T>(pub(super) Option<T>);

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

/// A list whose object elements are read as `T`; other elements are skipped,
/// and a field that is not a list reads as empty.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct List<T>(pub(super) Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

/// Listing `options`: a list of `{name, value}` pairs or a `{name: value}` map.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Options<'a>(pub(super) Vec<(Cow<'a, str>, Cow<'a, str>)>);

/// Record labels: a list of names or of `{name, catno}` objects.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Labels<'a>(pub(super) Vec<Label<'a>>);

// The element's objects.

/// A feed element as the feed documents it, before it is normalised into
/// an item: each field in the lenient type it is read as.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawItem<'a> {
    #[cfg_attr(test, serde(rename = "type", borrow))]
    pub(super) kind: BorrowedText<'a>,
    pub(super) id: Id,
    #[cfg_attr(test, serde(borrow))]
    pub(super) path: BorrowedText<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) descriptions: Object<RawDescriptions<'a>>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) listings: List<RawListing<'a>>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) data: Object<RawData<'a>>,
}

/// The item's `descriptions`.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawDescriptions<'a> {
    #[cfg_attr(test, serde(borrow))]
    pub(super) main: BorrowedText<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) shop: Object<RawShopNote<'a>>,
}

/// The shop's own note among the `descriptions`.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawShopNote<'a> {
    #[cfg_attr(test, serde(borrow))]
    pub(super) text: BorrowedText<'a>,
}

/// One of the item's `listings`.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawListing<'a> {
    pub(super) id: Id,
    #[cfg_attr(test, serde(borrow))]
    pub(super) status: BorrowedText<'a>,
    pub(super) stock: Object<RawStock>,
    pub(super) prices: Object<RawPrices>,
    #[cfg_attr(test, serde(rename = "secondHand"))]
    pub(super) second_hand: Flag,
    #[cfg_attr(test, serde(borrow))]
    pub(super) options: Options<'a>,
}

/// A listing's `stock`.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawStock {
    pub(super) quantity: Number,
}

/// A listing's `prices`, in currency units.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawPrices {
    pub(super) sale: Number,
    #[cfg_attr(test, serde(rename = "beforeTaxes"))]
    pub(super) before_taxes: Number,
    pub(super) compare: Number,
}

/// The `data` block: the union of the ReleaseItem, ProductItem and BookItem data blocks.
#[derive(Default)]
#[cfg_attr(test, derive(serde::Deserialize), serde(default))]
pub(super) struct RawData<'a> {
    #[cfg_attr(test, serde(borrow))]
    pub(super) title: BorrowedText<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) artists: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) labels: Labels<'a>,
    #[cfg_attr(test, serde(rename = "discogsId"))]
    pub(super) discogs_id: Id,
    #[cfg_attr(test, serde(borrow))]
    pub(super) formats: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) genres: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) styles: Names<'a>,
    pub(super) year: Number,
    #[cfg_attr(test, serde(borrow))]
    pub(super) country: BorrowedText<'a>,
    pub(super) weight: Number,
    #[cfg_attr(test, serde(borrow))]
    pub(super) images: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) manufacturer: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) categories: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) authors: Names<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) publisher: BorrowedText<'a>,
    #[cfg_attr(test, serde(borrow))]
    pub(super) language: BorrowedText<'a>,
    #[cfg_attr(test, serde(rename = "pageCount"))]
    pub(super) page_count: Number,
    #[cfg_attr(test, serde(borrow))]
    pub(super) cat: BorrowedText<'a>,
}

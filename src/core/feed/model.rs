//! The public model the catalogue is built from and the shell shows:
//! [`Item`], its [`Listing`]s, their [`Condition`] and prices in [`Cents`].
//!
//! An item's fields are written once, in the table of [`item_fields!`]:
//! the struct [`ItemOf`] (owned as [`Item`], borrowed from the feed's bytes
//! as `BorrowedItem`), the conversions between the two, and the item
//! store's encoding are all generated from it.

use crate::grade::Grade;
use std::borrow::Cow;

/// An amount of money in hundredths of the currency unit, so sums and
/// comparisons are exact.
pub type Cents = i64;

/// Hands the table of an item's fields to the macro `$then`, which
/// generates code from it: [`ItemOf`] and its text mappings here, the item
/// store's encoding and decoding in `item_store`.
///
/// A row is a field's docs, its name, its shape and where the item store
/// keeps it. Shapes: `text` (an `S`), `optional_text` (`Option<S>`),
/// `texts` (`Vec<S>`), `plain(T)` (a `T` whatever the text type). Storage:
/// `hot` (held by the catalogue's hot index, which the store's decoding
/// starts from, so not stored twice), `always(sharing)` (a text that is
/// always stored), `bit(n, sharing)` or, for numbers, `bit(n)` (stored
/// when present, which bit `n` of the item's field mask says). `shared`
/// texts, whose values repeat across items, are kept once in the store's
/// dictionary; `unshared` ones in the item's own bytes.
///
/// The rows are in the store's order: reordering the stored ones, or
/// changing their bits, changes the encoding and with it the snapshot
/// format.
macro_rules! item_fields {
    ($then:ident) => {
        $then! {
            /// The item's id in its feed: items with the same one are
            /// duplicates.
            id: plain(Option<u64>) => hot;
            /// The feed's `type` (`ReleaseItem`, `ProductItem`, `BookItem`, or any
            /// other name, kept as a generic item).
            kind: text => always(shared);
            /// The title, trimmed; empty when the feed gives none.
            title: text => always(unshared);
            /// The item's page on the storefront, relative to it.
            path: optional_text => bit(0, unshared);
            /// The artists of a release.
            artists: texts => bit(1, shared);
            /// The record labels of a release.
            labels: texts => bit(2, shared);
            /// The labels' catalogue numbers, and the release's own.
            catalogue_numbers: texts => bit(3, unshared);
            /// The authors of a book.
            authors: texts => bit(4, shared);
            /// The makers of a product.
            manufacturers: texts => bit(5, shared);
            /// The publisher of a book.
            publisher: optional_text => bit(6, shared);
            /// The language of a book.
            language: optional_text => bit(7, shared);
            /// The pages of a book.
            page_count: plain(Option<u32>) => bit(8);
            /// The formats of a release (`Vinyl`, `LP`, …).
            formats: texts => bit(9, shared);
            /// The genres.
            genres: texts => bit(10, shared);
            /// The styles, finer than the genres.
            styles: texts => bit(11, shared);
            /// The categories of a product.
            categories: texts => bit(12, shared);
            /// The year of release.
            year: plain(Option<u16>) => hot;
            /// The country of release.
            country: optional_text => bit(13, shared);
            /// The release's id on Discogs, which tells copies of one release.
            discogs_id: plain(Option<u64>) => bit(14);
            /// The shipping weight in grams.
            weight_grams: plain(Option<u32>) => bit(15);
            /// Image URLs, the cover first.
            images: texts => bit(16, unshared);
            /// The item's description.
            description: optional_text => bit(17, unshared);
            /// The shop's own note on the item.
            shop_note: optional_text => bit(18, shared);
            /// The copies for sale.
            listings: plain(Vec<Listing>) => hot;
            /// The variant, for sources whose items are product variants ("Green").
            variant: optional_text => bit(19, shared);
            /// A product page given by the source itself (http(s) only), used
            /// instead of the storefront plus `path`.
            url: optional_text => bit(20, unshared);
            /// In aggregator mode, the shop the item is from (its index in the
            /// catalogue's shop table).
            shop: plain(Option<u16>) => hot;
            /// The source lists items that are out of stock too, so availability
            /// is a facet (Common Ground feeds only list what is in stock).
            lists_stock: plain(bool) => hot;
        }
    };
}
pub(crate) use item_fields;

/// Generates [`ItemOf`] and its text mappings from the rows of
/// [`item_fields!`]. The struct's fields are gathered one row at a time
/// (`@struct`), each shape written out as its type, as derives need.
macro_rules! define_item {
    (@struct [$($fields:tt)*]) => {
        /// An inventory item, normalised from any of the feed's item types,
        /// over the type `S` of its texts: [`Item`] owns them, the feed
        /// reader's `BorrowedItem` borrows them from the feed's bytes.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct ItemOf<S> {
            $($fields)*
        }
    };
    (@struct [$($fields:tt)*] $(#[$doc:meta])* $field:ident: text => $($rest:tt)*) => {
        define_item!(@next [$($fields)* $(#[$doc])* pub $field: S,] $($rest)*);
    };
    (@struct [$($fields:tt)*] $(#[$doc:meta])* $field:ident: optional_text => $($rest:tt)*) => {
        define_item!(@next [$($fields)* $(#[$doc])* pub $field: Option<S>,] $($rest)*);
    };
    (@struct [$($fields:tt)*] $(#[$doc:meta])* $field:ident: texts => $($rest:tt)*) => {
        define_item!(@next [$($fields)* $(#[$doc])* pub $field: Vec<S>,] $($rest)*);
    };
    (@struct [$($fields:tt)*] $(#[$doc:meta])* $field:ident: plain($plain:ty) => $($rest:tt)*) => {
        define_item!(@next [$($fields)* $(#[$doc])* pub $field: $plain,] $($rest)*);
    };
    // Past the row's storage, on to the next row.
    (@next [$($fields:tt)*] $store:ident $(($($how:tt)*))?; $($rest:tt)*) => {
        define_item!(@struct [$($fields)*] $($rest)*);
    };
    (@move $text:ident, $value:expr, text) => { $text($value) };
    (@move $text:ident, $value:expr, optional_text) => { $value.map(&mut $text) };
    (@move $text:ident, $value:expr, texts) => { $value.into_iter().map(&mut $text).collect() };
    (@move $text:ident, $value:expr, plain) => { $value };
    (@refer $text:ident, $value:expr, text) => { $text(&$value) };
    (@refer $text:ident, $value:expr, optional_text) => { $value.as_ref().map(&mut $text) };
    (@refer $text:ident, $value:expr, texts) => { $value.iter().map(&mut $text).collect() };
    (@refer $text:ident, $value:expr, plain) => { $value.clone() };
    (@mappings $(
        $(#[$doc:meta])*
        $field:ident: $shape:ident $(($plain:ty))? => $store:ident $(($($how:tt)*))?;
    )*) => {
        impl<S> ItemOf<S> {
            /// The item with each text mapped by `text`, its other fields moved.
            pub(crate) fn map_texts<T>(self, mut text: impl FnMut(S) -> T) -> ItemOf<T> {
                ItemOf { $( $field: define_item!(@move text, self.$field, $shape), )* }
            }

            /// The item with each text mapped from a reference by `text`, its
            /// other fields cloned.
            pub(crate) fn map_text_refs<'s, T>(
                &'s self,
                mut text: impl FnMut(&'s S) -> T,
            ) -> ItemOf<T> {
                ItemOf { $( $field: define_item!(@refer text, self.$field, $shape), )* }
            }
        }
    };
    ($($rows:tt)*) => {
        define_item!(@struct [] $($rows)*);
        define_item!(@mappings $($rows)*);
    };
}

item_fields!(define_item);

/// An inventory item, normalised from any of the feed's item types, its
/// texts owned.
pub type Item = ItemOf<String>;

/// An [`Item`] as read from a feed element, its texts borrowed from the
/// element's bytes (copied only where the JSON string had escapes): the
/// catalogue stores and indexes it without copying every text first.
pub(crate) type BorrowedItem<'a> = ItemOf<Cow<'a, str>>;

impl Item {
    /// The people or company behind the item: artists for releases,
    /// authors for books, the manufacturer for products.
    pub fn creators(&self) -> &[String] {
        if !self.artists.is_empty() {
            &self.artists
        } else if !self.authors.is_empty() {
            &self.authors
        } else {
            &self.manufacturers
        }
    }

    /// The lowest sale price over the listings.
    pub fn lowest_price(&self) -> Option<Cents> {
        self.listings.iter().filter_map(|l| l.sale).min()
    }
}

/// New or second-hand stock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    /// New stock (the default: what a listing is unless the feed marks it second-hand).
    #[default]
    New,
    /// Second-hand stock.
    Used,
}

impl Condition {
    /// Both conditions, in display order.
    pub const ALL: [Condition; 2] = [Condition::New, Condition::Used];

    /// The value used in URLs: `new` or `used`.
    pub fn code(self) -> &'static str {
        match self {
            Condition::New => "new",
            Condition::Used => "used",
        }
    }

    /// The label shown to shoppers.
    pub fn label(self) -> &'static str {
        match self {
            Condition::New => "New",
            Condition::Used => "Used",
        }
    }

    /// Reads a URL value, case-insensitively.
    pub fn parse(text: &str) -> Option<Condition> {
        match text.trim().to_ascii_lowercase().as_str() {
            "new" => Some(Condition::New),
            "used" | "secondhand" | "second-hand" => Some(Condition::Used),
            _ => None,
        }
    }
}

/// One sellable copy of an item. The default is a new copy with nothing else
/// known: no id, price or grade.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    /// The numeric listing id the checkout API expects.
    pub id: Option<u64>,
    /// Units in stock; `None` means stock is not tracked (always available).
    pub quantity: Option<u32>,
    /// The price a shopper pays.
    pub sale: Option<Cents>,
    /// The sale price before taxes, when the feed gives it.
    pub before_taxes: Option<Cents>,
    /// The compare-at price, kept only when it is higher than the sale price.
    pub compare: Option<Cents>,
    /// New or second-hand.
    pub condition: Condition,
    /// The grade of the record itself, for second-hand copies.
    pub media_grade: Option<Grade>,
    /// The grade of its sleeve, for second-hand copies.
    pub sleeve_grade: Option<Grade>,
}

impl Listing {
    /// Whether a unit can be bought: stock not tracked, or at least one.
    pub fn is_available(&self) -> bool {
        self.quantity != Some(0)
    }
}

/// Test fixture: a second-hand listing with every field set, and a new one
/// with almost nothing (the snapshot's golden test records their bytes).
#[cfg(test)]
pub(crate) fn every_kind_of_listing() -> Vec<Listing> {
    use crate::grade::Grade;
    vec![
        Listing {
            id: Some(1_765_470_890_000),
            quantity: Some(3),
            sale: Some(1999),
            before_taxes: Some(1666),
            compare: Some(2450),
            condition: Condition::Used,
            media_grade: Some(Grade::VeryGoodPlus),
            sleeve_grade: Some(Grade::Mint),
        },
        Listing {
            before_taxes: Some(-5),
            sleeve_grade: Some(Grade::Poor),
            ..Listing::default()
        },
    ]
}

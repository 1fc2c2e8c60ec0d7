//! The hot index: what every query reads, per item, in flat arrays.

use crate::feed::Cents;

/// No sale price (a listing's slot in [`HotIndex::listing_price`]).
pub(crate) const NO_PRICE: Cents = Cents::MIN;

/// [`HotIndex::listing_flags`]: the listing is second-hand.
pub(crate) const USED_FLAG: u8 = 1;

/// [`HotIndex::item_flags`]: the item has an id.
pub(crate) const HAS_ID: u8 = 1;

/// [`HotIndex::item_flags`]: the item's source lists out-of-stock items too.
pub(crate) const LISTS_STOCK: u8 = 2;

/// [`HotIndex::shop`] of items from a single feed.
pub(crate) const NO_SHOP: u16 = u16::MAX;

/// [`HotIndex::listing_quantity`] of a listing whose stock is not tracked.
pub(crate) const UNTRACKED: u32 = u32::MAX;

/// What every query reads, per item, in flat arrays (struct of arrays)
/// indexed by catalogue position, built as items are appended. The rest
/// of each item, for display, is in the
/// [`ItemStore`](crate::item_store::ItemStore); a query never
/// touches it.
#[derive(Debug, Default)]
pub(crate) struct HotIndex {
    /// The folded search keys, `title|creators|labels and catalogue
    /// numbers` (creators: every artist, author and manufacturer), one
    /// after another, each ended by a NUL (which folded text never
    /// contains, so a term never matches across two items).
    pub keys: String,
    /// Where each item's key starts in `keys`, plus the end: `len + 1` entries.
    pub key_start: Vec<u32>,
    /// The title's length and the end of the creators within each key.
    pub title_end: Vec<u16>,
    pub creators_end: Vec<u16>,
    /// Catalogue-wide facet value ids of each item, sorted, at
    /// `values[value_start[i]..value_start[i + 1]]`.
    pub value_start: Vec<u32>,
    pub values: Vec<u32>,
    /// The [`Facet`] of each catalogue-wide value id.
    pub value_facet: Vec<u8>,
    /// Each item's listings at `listing_start[i]..listing_start[i + 1]`:
    /// sale price ([`NO_PRICE`] when none) and flags ([`USED_FLAG`], grade).
    pub listing_start: Vec<u32>,
    pub listing_price: Vec<Cents>,
    pub listing_flags: Vec<u8>,
    /// Each listing's units in stock ([`UNTRACKED`] when not tracked), for
    /// the stock sort.
    pub listing_quantity: Vec<u32>,
    /// The year, or 0.
    pub year: Vec<u16>,
    /// The item's id (0 without [`HAS_ID`]), for the newest sort.
    pub item_id: Vec<u64>,
    /// [`HAS_ID`], [`LISTS_STOCK`].
    pub item_flags: Vec<u8>,
    /// The shop an item comes from ([`NO_SHOP`] for a single feed), for the
    /// nearest sort.
    pub shop: Vec<u16>,
    /// How often each byte occurs in `keys`, to search for a term by its rarest byte.
    pub byte_counts: Vec<u32>,
}

impl HotIndex {
    pub(super) fn new() -> HotIndex {
        HotIndex {
            key_start: vec![0],
            value_start: vec![0],
            listing_start: vec![0],
            byte_counts: vec![0; 256],
            ..HotIndex::default()
        }
    }

    /// Gives back the room left by growing while loading.
    pub(super) fn shrink(&mut self) {
        self.keys.shrink_to_fit();
        for offsets in [
            &mut self.key_start,
            &mut self.value_start,
            &mut self.values,
            &mut self.listing_start,
        ] {
            offsets.shrink_to_fit();
        }
        for small in [&mut self.title_end, &mut self.creators_end, &mut self.year] {
            small.shrink_to_fit();
        }
        self.value_facet.shrink_to_fit();
        self.listing_price.shrink_to_fit();
        self.listing_flags.shrink_to_fit();
        self.listing_quantity.shrink_to_fit();
        self.item_id.shrink_to_fit();
        self.item_flags.shrink_to_fit();
        self.shop.shrink_to_fit();
    }

    /// Heap bytes held.
    pub(super) fn bytes(&self) -> usize {
        self.keys.capacity()
            + 4 * (self.key_start.capacity() + self.value_start.capacity() + self.values.capacity())
            + 2 * (self.title_end.capacity() + self.creators_end.capacity() + self.year.capacity())
            + self.value_facet.capacity()
            + 4 * self.listing_start.capacity()
            + std::mem::size_of::<Cents>() * self.listing_price.capacity()
            + self.listing_flags.capacity()
            + 4 * self.listing_quantity.capacity()
            + 8 * self.item_id.capacity()
            + self.item_flags.capacity()
            + 2 * self.shop.capacity()
            + 4 * self.byte_counts.capacity()
    }
}

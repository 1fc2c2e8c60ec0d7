//! The catalogue: the feed's items, indexed once for instant queries.
//!
//! [`Catalogue`] itself is here (its parts, their sizes, the cache of sort
//! orders). `builder` reads feeds into it and `append` indexes each item;
//! `read` decodes items back out; `facet`, `symbols`, `hot`, `copies` and
//! `stats` are its parts; `snapshot` writes it whole and restores it. The
//! queries that run against it are in [`crate::query`]. Its fields are
//! private to this module, but for what the queries read.

mod append;
mod builder;
mod copies;
mod facet;
mod hot;
mod read;
mod shop_feed;
pub mod snapshot;
mod stats;
mod symbols;

pub use builder::CatalogueBuilder;
pub(crate) use copies::{Copies, NO_COPY};
pub use facet::{kind_label, Facet, FACETS, IN_STOCK_VALUE, OUT_OF_STOCK_VALUE, PICKUP_VALUE};
pub(crate) use hot::{HotIndex, HAS_ID, LISTS_STOCK, NO_PRICE, NO_SHOP, UNTRACKED, USED_FLAG};
pub use shop_feed::ShopFeed;
pub use stats::LoadStats;
pub use symbols::Symbols;

use crate::feed::Item;
use crate::item_store::ItemStore;
use crate::shop_list::ShopInfo;
use std::sync::{Arc, Mutex};

/// The documented cap on a shop's feed; items past it are counted, not kept,
/// so a hostile feed cannot grow memory without bound.
pub const MAX_ITEMS: usize = 50_000;

/// The cap on an aggregated catalogue, all shops together: each shop may
/// list [`MAX_ITEMS`], but a page must stay within a phone's memory
/// (about 0.8 bytes per byte of feed: some 150 MB at this cap).
pub const MAX_AGGREGATED_ITEMS: usize = 200_000;

/// Sorts with a precomputed order (all but relevance).
pub(crate) const SORTED_ORDERS: usize = 8;

/// The indexed catalogue of one feed.
#[derive(Debug)]
pub struct Catalogue {
    store: ItemStore,
    symbols: [Symbols; FACETS],
    /// What loading met: unreadable, duplicate or capped items.
    pub stats: LoadStats,
    pub(crate) hot: HotIndex,
    /// Sort orders, built on first use and extended (by a merge) when items
    /// were appended since.
    pub(crate) orders: [Mutex<Arc<[u32]>>; SORTED_ORDERS],
    /// In aggregator mode, the shops items come from (`Item::shop` indexes it).
    shops: Vec<ShopInfo>,
    /// Whether some item comes from a source that lists stock levels.
    lists_stock: bool,
    /// Copies of one release across shops (aggregator mode).
    copies: Copies,
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue {
            store: ItemStore::default(),
            symbols: Default::default(),
            stats: LoadStats::default(),
            hot: HotIndex::new(),
            orders: Default::default(),
            shops: Vec::new(),
            lists_stock: false,
            copies: Copies::default(),
        }
    }
}

impl Catalogue {
    /// Items in the catalogue.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether the catalogue has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of `facet`, by id.
    pub fn symbols(&self, facet: Facet) -> &Symbols {
        &self.symbols[facet.index()]
    }

    /// The shops of an aggregated catalogue; empty for a single feed.
    pub fn shops(&self) -> &[ShopInfo] {
        &self.shops
    }

    /// Whether some item comes from a source that lists stock levels.
    pub fn lists_stock(&self) -> bool {
        self.lists_stock
    }

    /// The shop an item is from, in aggregator mode.
    pub fn shop_of(&self, item: &Item) -> Option<&ShopInfo> {
        self.shops.get(usize::from(item.shop?))
    }

    /// The shop item `index` is from, in aggregator mode, without decoding it.
    pub fn shop_of_index(&self, index: u32) -> Option<&ShopInfo> {
        let shop = *self.hot.shop.get(index as usize)?;
        self.shops.get(usize::from(shop))
    }

    /// Bytes of memory the query index holds beside the items themselves:
    /// the hot index, the sort orders built so far and the copy groups.
    pub fn index_bytes(&self) -> usize {
        let orders: usize = self
            .orders
            .iter()
            .map(|o| 4 * o.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum();
        self.hot.bytes() + orders + self.copies.bytes()
    }

    /// Bytes of memory the items' display data holds (the compact store).
    pub fn store_bytes(&self) -> usize {
        self.store.bytes()
    }

    /// The cached order of `slot`, extended by `extend` (given the order so
    /// far, which covers a prefix of the items) when it covers fewer than
    /// the first `end` items: items were appended since it was built, or it
    /// is being built in steps.
    pub(crate) fn cached_order(
        &self,
        slot: usize,
        end: usize,
        extend: impl FnOnce(&[u32]) -> Vec<u32>,
    ) -> Arc<[u32]> {
        let mut order = self.orders[slot].lock().unwrap_or_else(|e| e.into_inner());
        if order.len() < end {
            *order = extend(&order).into();
        }
        order.clone()
    }

    /// Gives back the room left by growing while loading. Up to half of
    /// each array is room to grow by now. Shrinking is a reallocation that
    /// the allocators in use (dlmalloc on wasm, the system's natively) do
    /// in place.
    fn shrink(&mut self) {
        self.hot.shrink();
        self.store.shrink();
        self.copies.shrink();
    }
}

#[cfg(test)]
mod tests {
    /// A feed body of `items`, each an element of its array.
    pub(super) fn feed(items: &[&str]) -> Vec<u8> {
        format!("[{}]", items.join(",")).into_bytes()
    }
}

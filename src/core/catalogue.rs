//! The catalogue: the feed's items, indexed once for instant queries.

use crate::fast_hash::{FastMap, FastSet};
use crate::feed::{BorrowedItem, Cents, Condition, Item, Listing};
use crate::fold::{fold, fold_into};
use crate::grade::{grade_code, grade_from_code, GRADE_SHIFT};
use crate::item_store::{self, ItemStore, SharedTexts};
use crate::shop_list::ShopInfo;
use crate::splitter::{ElementReader, FeedFormatError, FeedSplitter};
use std::sync::{Arc, Mutex};

/// The documented cap on a shop's feed; items past it are counted, not kept,
/// so a hostile feed cannot grow memory without bound.
pub const MAX_ITEMS: usize = 50_000;

/// The cap on an aggregated catalogue, all shops together: each shop may
/// list [`MAX_ITEMS`], but a page must stay within a phone's memory
/// (about 0.8 bytes per byte of feed: some 150 MB at this cap).
pub const MAX_AGGREGATED_ITEMS: usize = 200_000;

/// The item-level facets whose values are names from the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Type,
    Genre,
    Style,
    Format,
    Country,
    /// Aggregator mode: the shop an item is from.
    Shop,
    /// Aggregator mode: the shop's country.
    ShopCountry,
    /// Aggregator mode: whether the shop offers in-store collection.
    Pickup,
    /// Sources that list out-of-stock items: in stock or not.
    Stock,
}

/// The value of the pickup facet.
pub const PICKUP_VALUE: &str = "In-store pickup";
/// The values of the stock facet.
pub const IN_STOCK_VALUE: &str = "In stock";
pub const OUT_OF_STOCK_VALUE: &str = "Out of stock";

/// How many facets there are.
pub const FACETS: usize = 9;

impl Facet {
    pub const ALL: [Facet; FACETS] = [
        Facet::Type,
        Facet::Genre,
        Facet::Style,
        Facet::Format,
        Facet::Country,
        Facet::Shop,
        Facet::ShopCountry,
        Facet::Pickup,
        Facet::Stock,
    ];

    /// The URL parameter that carries this facet's selected values.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Genre => "genre",
            Facet::Style => "style",
            Facet::Format => "format",
            Facet::Country => "country",
            Facet::Shop => "shop_name",
            Facet::ShopCountry => "shop_country",
            Facet::Pickup => "pickup",
            Facet::Stock => "stock",
        }
    }

    /// The heading shown above the facet's values.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Type => "Type",
            Facet::Genre => "Genre",
            Facet::Style => "Style",
            Facet::Format => "Format",
            Facet::Country => "Country",
            Facet::Shop => "Shop",
            Facet::ShopCountry => "Shop country",
            Facet::Pickup => "Pickup",
            Facet::Stock => "Availability",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// How a feed `type` is shown to shoppers.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "ReleaseItem" => "Release",
        "ProductItem" => "Product",
        "BookItem" => "Book",
        other => other
            .strip_suffix("Item")
            .filter(|s| !s.is_empty())
            .unwrap_or(other),
    }
}

/// The distinct values of one facet, matched case- and accent-insensitively;
/// the first spelling seen is the one shown.
#[derive(Debug, Default)]
pub struct Symbols {
    pub(crate) names: Vec<Box<str>>,
    pub(crate) by_key: FastMap<Box<str>, u32>,
    /// The catalogue-wide value id of each of this facet's ids.
    pub(crate) global: Vec<u32>,
}

impl Symbols {
    /// The catalogue-wide id of `name`, interning it (as value `next_global`
    /// of facet `facet`) when new. `spellings` holds the ids of the exact
    /// spellings met so far: values repeat item after item, spelt the same,
    /// and those are found without folding them again. `scratch` saves an
    /// allocation per lookup.
    fn intern(
        &mut self,
        name: &str,
        spellings: &mut FastMap<Box<str>, u32>,
        scratch: &mut String,
        facet: Facet,
        value_facet: &mut Vec<u8>,
    ) -> u32 {
        if let Some(&global) = spellings.get(name) {
            return global;
        }
        let global = self.intern_folded(name, scratch, facet, value_facet);
        spellings.insert(name.into(), global);
        global
    }

    fn intern_folded(
        &mut self,
        name: &str,
        scratch: &mut String,
        facet: Facet,
        value_facet: &mut Vec<u8>,
    ) -> u32 {
        scratch.clear();
        fold_into(name, scratch);
        if let Some(&id) = self.by_key.get(scratch.as_str()) {
            return self.global[id as usize];
        }
        let id = self.names.len() as u32;
        let global = value_facet.len() as u32;
        value_facet.push(facet as u8);
        self.names.push(name.into());
        self.by_key.insert(scratch.as_str().into(), id);
        self.global.push(global);
        global
    }

    /// The catalogue-wide value id of this facet's value `id`.
    pub(crate) fn global(&self, id: u32) -> u32 {
        self.global[id as usize]
    }

    /// The catalogue-wide value ids of this facet, by id.
    pub(crate) fn globals(&self) -> &[u32] {
        &self.global
    }

    /// The id of a value, looked up the way values are matched.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.by_key.get(fold(name).as_str()).copied()
    }

    /// The display name of a value.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Sorts with a precomputed order (all but relevance).
pub(crate) const SORTED_ORDERS: usize = 8;

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
/// of each item, for display, is in the [`ItemStore`]; a query never
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
    fn new() -> HotIndex {
        HotIndex {
            key_start: vec![0],
            value_start: vec![0],
            listing_start: vec![0],
            byte_counts: vec![0; 256],
            ..HotIndex::default()
        }
    }

    /// Gives back the room left by growing while loading.
    fn shrink(&mut self) {
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
    fn bytes(&self) -> usize {
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

/// What loading a feed met along the way; shown to shoppers as notices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Elements of the feed array.
    pub elements: usize,
    /// Elements that were not readable items.
    pub unreadable: usize,
    /// Readable items with no listing to buy, not shown.
    pub without_listings: usize,
    /// Items whose id appeared earlier in the feed, not shown twice.
    pub duplicates: usize,
    /// Items past the [`MAX_ITEMS`] cap.
    pub over_cap: usize,
    /// The body ended before the closing `]`.
    pub truncated: bool,
}

impl LoadStats {
    /// What `self` counted since `earlier`.
    fn since(&self, earlier: &LoadStats) -> LoadStats {
        LoadStats {
            elements: self.elements - earlier.elements,
            unreadable: self.unreadable - earlier.unreadable,
            without_listings: self.without_listings - earlier.without_listings,
            duplicates: self.duplicates - earlier.duplicates,
            over_cap: self.over_cap - earlier.over_cap,
            truncated: self.truncated && !earlier.truncated,
        }
    }

    fn add(&mut self, other: &LoadStats) {
        self.elements += other.elements;
        self.unreadable += other.unreadable;
        self.without_listings += other.without_listings;
        self.duplicates += other.duplicates;
        self.over_cap += other.over_cap;
        self.truncated |= other.truncated;
    }

    /// What loading skipped, said plainly for shoppers.
    pub fn notices(&self) -> Vec<String> {
        let mut notices = Vec::new();
        if self.truncated {
            notices.push(
                "The inventory download was cut short; showing the items received.".to_owned(),
            );
        }
        if self.unreadable > 0 {
            notices.push(format!(
                "{} could not be read.",
                item_count(self.unreadable)
            ));
        }
        if self.duplicates > 0 {
            notices.push(format!(
                "{} appeared twice in the feed and {} shown once.",
                item_count(self.duplicates),
                is_or_are(self.duplicates)
            ));
        }
        if self.over_cap > 0 {
            notices.push(format!(
                "The feed has more than {MAX_ITEMS} items; {} past that limit {} not shown.",
                item_count(self.over_cap),
                is_or_are(self.over_cap)
            ));
        }
        notices
    }
}

/// "1 item", "2 items".
fn item_count(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// The verb for [`item_count`]`(n)`.
fn is_or_are(n: usize) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

/// The indexed catalogue of one feed.
#[derive(Debug)]
pub struct Catalogue {
    pub(crate) store: ItemStore,
    pub(crate) symbols: [Symbols; FACETS],
    pub stats: LoadStats,
    pub(crate) hot: HotIndex,
    /// Sort orders, built on first use and extended (by a merge) when items
    /// were appended since.
    pub(crate) orders: [Mutex<Arc<[u32]>>; SORTED_ORDERS],
    /// In aggregator mode, the shops items come from (`Item::shop` indexes it).
    pub(crate) shops: Vec<ShopInfo>,
    /// Whether some item comes from a source that lists stock levels.
    pub(crate) lists_stock: bool,
    /// Copies of one release across shops (aggregator mode).
    pub(crate) copies: Copies,
}

/// Items grouped by Discogs release id, so one release sold by several
/// shops is one result. Only aggregated catalogues are grouped.
#[derive(Debug, Default)]
pub(crate) struct Copies {
    /// Per item: its group (items without a Discogs id are alone in theirs).
    pub(crate) group_of: Vec<u32>,
    /// Per group: its first item.
    pub(crate) first: Vec<u32>,
    /// Per item: the next copy of its release ([`NO_COPY`] for the last),
    /// so a group's members are a chain from its first item, in
    /// catalogue order, without a list per group.
    pub(crate) next_copy: Vec<u32>,
}

/// [`Copies::next_copy`] of the last copy of a release.
pub(crate) const NO_COPY: u32 = u32::MAX;

/// What grouping copies needs only while loading.
#[derive(Debug, Default)]
struct CopiesBuilder {
    by_discogs_id: FastMap<u64, u32>,
    /// Per group: its last item so far, where the chain is extended.
    last: Vec<u32>,
}

impl Copies {
    fn add(&mut self, building: &mut CopiesBuilder, index: u32, discogs_id: Option<u64>) {
        let known = discogs_id.and_then(|id| building.by_discogs_id.get(&id).copied());
        let group = match known {
            Some(group) => {
                let last = &mut building.last[group as usize];
                self.next_copy[*last as usize] = index;
                *last = index;
                group
            }
            None => {
                let group = self.first.len() as u32;
                self.first.push(index);
                building.last.push(index);
                if let Some(id) = discogs_id {
                    building.by_discogs_id.insert(id, group);
                }
                group
            }
        };
        self.group_of.push(group);
        self.next_copy.push(NO_COPY);
    }

    /// How many groups there are.
    pub(crate) fn len(&self) -> usize {
        self.first.len()
    }

    fn shrink(&mut self) {
        self.group_of.shrink_to_fit();
        self.first.shrink_to_fit();
        self.next_copy.shrink_to_fit();
    }

    /// Heap bytes held.
    fn bytes(&self) -> usize {
        4 * (self.group_of.capacity() + self.first.capacity() + self.next_copy.capacity())
    }
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
    /// Indexes already-parsed items (skipping those with no listing).
    pub fn from_items(items: impl IntoIterator<Item = Item>) -> Catalogue {
        let mut builder = CatalogueBuilder::new();
        for item in items {
            builder.add(item);
        }
        builder.catalogue
    }

    /// Reads and indexes a whole feed body.
    pub fn from_feed(bytes: &[u8]) -> Result<Catalogue, FeedFormatError> {
        let mut builder = CatalogueBuilder::new();
        builder.push(bytes)?;
        builder.finish()
    }

    /// Items in the catalogue.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `index`, decoded from the compact store. Panics when `index`
    /// is not below [`Catalogue::len`].
    pub fn item(&self, index: u32) -> Item {
        self.get(index)
            .unwrap_or_else(|| panic!("item {index} of a catalogue of {}", self.len()))
    }

    /// Item `index`, decoded from the compact store; `None` past the end.
    /// An item whose stored bytes do not decode (only a snapshot altered
    /// to pass its checks could hold one) reads as an untitled item.
    pub fn get(&self, index: u32) -> Option<Item> {
        let i = index as usize;
        if i >= self.len() {
            return None;
        }
        let decoded = self.store.decode(i, self.hot_fields(i));
        Some(decoded.unwrap_or_else(|| Item {
            kind: "Item".to_owned(),
            ..self.hot_fields(i)
        }))
    }

    /// The fields of item `i` that the hot index holds, the rest left empty.
    fn hot_fields(&self, i: usize) -> Item {
        let hot = &self.hot;
        let flags = hot.item_flags[i];
        let listings = (hot.listing_start[i] as usize..hot.listing_start[i + 1] as usize)
            .map(|at| Listing {
                id: None,
                quantity: Some(hot.listing_quantity[at]).filter(|&q| q != UNTRACKED),
                sale: Some(hot.listing_price[at]).filter(|&p| p != NO_PRICE),
                before_taxes: None,
                compare: None,
                condition: if hot.listing_flags[at] & USED_FLAG != 0 {
                    Condition::Used
                } else {
                    Condition::New
                },
                media_grade: grade_from_code(hot.listing_flags[at] >> GRADE_SHIFT).flatten(),
                sleeve_grade: None,
            })
            .collect();
        Item {
            id: (flags & HAS_ID != 0).then_some(hot.item_id[i]),
            year: Some(hot.year[i]).filter(|&y| y != 0),
            shop: Some(hot.shop[i]).filter(|&s| s != NO_SHOP),
            lists_stock: flags & LISTS_STOCK != 0,
            listings,
            ..Item::default()
        }
    }

    /// Every item in catalogue order, decoded one at a time.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        (0..self.len() as u32).map(|i| self.item(i))
    }

    pub fn symbols(&self, facet: Facet) -> &Symbols {
        &self.symbols[facet.index()]
    }

    /// The shops of an aggregated catalogue; empty for a single feed.
    pub fn shops(&self) -> &[ShopInfo] {
        &self.shops
    }

    /// Which listing-level and range filters have any data: both new and
    /// used listings, any price, any year. One pass over flat arrays.
    pub fn filter_data(&self) -> (bool, bool, bool) {
        let hot = &self.hot;
        let used = hot.listing_flags.iter().any(|f| f & USED_FLAG != 0);
        let new = hot.listing_flags.iter().any(|f| f & USED_FLAG == 0);
        let price = hot.listing_price.iter().any(|&p| p != NO_PRICE);
        let year = hot.year.iter().any(|&y| y != 0);
        (used && new, price, year)
    }

    /// The most listings any one item has (cards reserve room for them).
    pub fn most_listings(&self) -> usize {
        self.hot
            .listing_start
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(0)
    }

    /// Whether results are grouped by release (aggregator mode).
    pub fn is_grouped(&self) -> bool {
        !self.shops.is_empty()
    }

    /// Every copy of the release item `index` is, across shops, in
    /// catalogue order (just `index` for a release sold once).
    pub fn copies(&self, index: u32) -> Vec<u32> {
        let copies = &self.copies;
        let first = copies
            .group_of
            .get(index as usize)
            .and_then(|&g| copies.first.get(g as usize));
        let Some(&first) = first else {
            return vec![index];
        };
        // Chains only move forward (checked on loading a snapshot), so this ends.
        let mut members = vec![first];
        while let Some(&next) = copies
            .next_copy
            .get(*members.last().expect("starts with the first") as usize)
        {
            if next == NO_COPY {
                break;
            }
            members.push(next);
        }
        members
    }

    pub(crate) fn copy_groups(&self) -> &Copies {
        &self.copies
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

    /// The value ids of item `index` for `facet`, in id order.
    pub fn values(&self, index: u32, facet: Facet) -> impl Iterator<Item = u32> + '_ {
        let hot = &self.hot;
        let range =
            hot.value_start[index as usize] as usize..hot.value_start[index as usize + 1] as usize;
        let symbols = self.symbols(facet);
        hot.values[range]
            .iter()
            .filter(move |&&v| hot.value_facet[v as usize] == facet as u8)
            .map(move |&v| {
                // Ids within a facet are given in the same order as catalogue-wide ids.
                symbols.global.partition_point(|&g| g < v) as u32
            })
    }

    /// The folded search key of item `index`: `title|creators|labels and
    /// catalogue numbers`.
    #[cfg(test)]
    pub(crate) fn search_key(&self, index: usize) -> &str {
        &self.hot.keys
            [self.hot.key_start[index] as usize..self.hot.key_start[index + 1] as usize - 1]
    }

    #[cfg(test)]
    pub(crate) fn folded_title(&self, index: usize) -> &str {
        &self.search_key(index)[..self.hot.title_end[index] as usize]
    }

    #[cfg(test)]
    pub(crate) fn folded_creators(&self, index: usize) -> &str {
        &self.search_key(index)
            [self.hot.title_end[index] as usize + 1..self.hot.creators_end[index] as usize]
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
}

/// Builds a [`Catalogue`] from feed bytes as they arrive.
#[derive(Debug, Default)]
pub struct CatalogueBuilder {
    splitter: FeedSplitter,
    catalogue: Catalogue,
    /// `(shop, item id)` of the items kept, so a repeated item is shown once.
    item_ids: FastSet<(u16, u64)>,
    scratch: Scratch,
}

impl CatalogueBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the next chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FeedFormatError> {
        let Self {
            splitter,
            catalogue,
            item_ids,
            scratch,
        } = self;
        splitter.push_to(
            chunk,
            &mut Elements {
                catalogue,
                item_ids,
                scratch,
                shop: None,
                full_at: MAX_ITEMS,
                resume: None,
            },
        )
    }

    /// Aggregator mode: the shops whose feeds will be read.
    pub fn set_shops(&mut self, shops: Vec<ShopInfo>) {
        self.catalogue.shops = shops;
    }

    /// Aggregator mode: reads the next chunk of one shop's feed (feeds
    /// arrive side by side, each with a reader of its own).
    pub fn push_shop_chunk(
        &mut self,
        feed: &mut ShopFeed,
        chunk: &[u8],
    ) -> Result<(), FeedFormatError> {
        let (stats_before, len_before) = (self.catalogue.stats.clone(), self.catalogue.len());
        // Only this shop adds items during the call, so its own cap and the
        // catalogue's are one length to stop at.
        let full_at = MAX_AGGREGATED_ITEMS.min(len_before + MAX_ITEMS.saturating_sub(feed.kept));
        let Self {
            catalogue,
            item_ids,
            scratch,
            ..
        } = self;
        let ShopFeed {
            shop,
            splitter,
            position,
            taken,
            ..
        } = feed;
        let resume = Resume { position, taken };
        let result = splitter.push_to(
            chunk,
            &mut Elements {
                catalogue,
                item_ids,
                scratch,
                shop: Some(*shop),
                full_at,
                resume: Some(resume),
            },
        );
        feed.stats.add(&self.catalogue.stats.since(&stats_before));
        feed.kept += self.catalogue.len() - len_before;
        result
    }

    /// Aggregator mode: ends one shop's body, as [`CatalogueBuilder::finish`] does.
    pub fn finish_shop(&mut self, feed: &mut ShopFeed) -> Result<(), FeedFormatError> {
        let result = match feed.splitter.finish() {
            Ok(()) => Ok(()),
            Err(FeedFormatError::Truncated { items }) if items > 0 => {
                self.catalogue.stats.truncated = true;
                feed.stats.truncated = true;
                Ok(())
            }
            Err(error) => Err(error),
        };
        let oversized = feed.splitter.oversized_elements();
        for stats in [&mut self.catalogue.stats, &mut feed.stats] {
            stats.unreadable += oversized;
            stats.elements += oversized;
        }
        result
    }

    /// Aggregator mode: ends the catalogue once every shop's feed is read.
    /// The items of shops that failed are taken out again (a shop is shown
    /// whole or not at all), and items past the caps are explained per
    /// shop, in the returned notices, instead of as one feed's.
    pub fn finish_shops(mut self, feeds: &[ShopFeed]) -> (Catalogue, Vec<String>) {
        let mut notices = Vec::new();
        let mut over_all_cap = 0;
        let mut failed = Vec::new();
        // Every element of an aggregated catalogue was counted for its shop:
        // the counts are those of the shops shown, caps apart (their
        // notices below name the cap).
        let mut stats = LoadStats::default();
        for feed in feeds {
            if feed.failed {
                if feed.kept > 0 {
                    failed.push(feed.shop);
                }
                continue;
            }
            stats.add(&LoadStats {
                over_cap: 0,
                ..feed.stats.clone()
            });
            if feed.stats.over_cap > 0 && feed.kept >= MAX_ITEMS {
                let name = self
                    .catalogue
                    .shops
                    .get(usize::from(feed.shop))
                    .map_or_else(String::new, ShopInfo::display_name);
                let over = feed.stats.over_cap;
                notices.push(format!(
                    "{name} lists more than {MAX_ITEMS} items; {} past that limit {} not shown.",
                    item_count(over),
                    is_or_are(over)
                ));
            } else {
                over_all_cap += feed.stats.over_cap;
            }
        }
        if over_all_cap > 0 {
            notices.push(format!(
                "The shops list more than {MAX_AGGREGATED_ITEMS} items together; {} past that limit {} not shown.",
                item_count(over_all_cap),
                is_or_are(over_all_cap)
            ));
        }
        if failed.is_empty() {
            self.catalogue.stats = stats;
            self.catalogue.shrink();
            return (self.catalogue, notices);
        }
        // Another shop's items were indexed in between, so the failed
        // shops' items are not a tail to cut: the rest are indexed anew.
        let mut rebuilt = CatalogueBuilder::new();
        rebuilt.set_shops(self.catalogue.shops.clone());
        for item in self
            .catalogue
            .items()
            .filter(|item| !item.shop.is_some_and(|shop| failed.contains(&shop)))
        {
            add_item(
                &mut rebuilt.catalogue,
                &mut rebuilt.item_ids,
                &mut rebuilt.scratch,
                BorrowedItem::borrowing(&item),
            );
        }
        rebuilt.catalogue.stats = stats;
        rebuilt.catalogue.shrink();
        (rebuilt.catalogue, notices)
    }

    /// Adds an item that did not come from feed bytes (another source).
    pub fn push_item(&mut self, item: Item) {
        if self.catalogue.len() >= MAX_ITEMS {
            self.catalogue.stats.elements += 1;
            self.catalogue.stats.over_cap += 1;
            return;
        }
        self.add(item);
    }

    /// Ends a catalogue built only from [`CatalogueBuilder::push_item`] and
    /// shop feeds (no body of its own to finish).
    pub fn finish_items(mut self) -> Catalogue {
        self.catalogue.shrink();
        self.catalogue
    }

    /// Items indexed so far.
    pub fn len(&self) -> usize {
        self.catalogue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.catalogue.is_empty()
    }

    /// Ends the body. A body cut short still gives the items read so far
    /// (with `stats.truncated` set), unless there are none.
    pub fn finish(mut self) -> Result<Catalogue, FeedFormatError> {
        match self.splitter.finish() {
            Ok(()) => {}
            Err(FeedFormatError::Truncated { items }) if items > 0 => {
                self.catalogue.stats.truncated = true
            }
            Err(error) => return Err(error),
        }
        self.catalogue.stats.unreadable += self.splitter.oversized_elements();
        self.catalogue.stats.elements += self.splitter.oversized_elements();
        self.catalogue.shrink();
        Ok(self.catalogue)
    }

    fn add(&mut self, item: Item) {
        self.catalogue.stats.elements += 1;
        add_item(
            &mut self.catalogue,
            &mut self.item_ids,
            &mut self.scratch,
            BorrowedItem::borrowing(&item),
        );
    }

    /// The catalogue of the items indexed so far, to query while loading.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

/// One shop's feed being read into an aggregated catalogue, across the
/// retries of its download.
#[derive(Debug, Default)]
pub struct ShopFeed {
    shop: u16,
    splitter: FeedSplitter,
    /// Elements met in the current attempt.
    position: usize,
    /// Elements taken by all attempts so far: a retry reads the body from
    /// the start again and passes over these, so nothing is counted twice.
    taken: usize,
    /// What this shop's elements added to the catalogue's counts.
    stats: LoadStats,
    /// Items of this shop in the catalogue.
    kept: usize,
    failed: bool,
}

impl ShopFeed {
    /// The feed of the shop at `shop` in the catalogue's shop table.
    pub fn new(shop: u16) -> ShopFeed {
        ShopFeed {
            shop,
            ..ShopFeed::default()
        }
    }

    /// Starts the body over, for another attempt at the download.
    pub fn restart(&mut self) {
        self.splitter = FeedSplitter::new();
        self.position = 0;
    }

    /// The download failed for good: [`CatalogueBuilder::finish_shops`]
    /// leaves this shop out.
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// Items of this shop kept so far.
    pub fn items(&self) -> usize {
        self.kept
    }
}

/// Where a shop's reader is in its body, and what earlier attempts took.
struct Resume<'f> {
    position: &'f mut usize,
    taken: &'f mut usize,
}

impl Resume<'_> {
    /// Whether the element met now was taken by an earlier attempt; moves on.
    fn pass_over(&mut self) -> bool {
        let seen = *self.position < *self.taken;
        *self.position += 1;
        *self.taken = (*self.taken).max(*self.position);
        seen
    }
}

/// Reused buffers for indexing, so an item costs few allocations, and what
/// indexing needs only while loading.
#[derive(Debug, Default)]
struct Scratch {
    folded: String,
    /// Per facet, the catalogue-wide id of each spelling of a value met.
    spellings: [FastMap<Box<str>, u32>; FACETS],
    values: Vec<u32>,
    encoded: Vec<u8>,
    shared_texts: SharedTexts,
    copies: CopiesBuilder,
}

impl Catalogue {
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

/// Takes the elements of a feed (of shop `shop` in aggregator mode) into the catalogue.
struct Elements<'b> {
    catalogue: &'b mut Catalogue,
    item_ids: &'b mut FastSet<(u16, u64)>,
    scratch: &'b mut Scratch,
    shop: Option<u16>,
    /// The catalogue length at which items are counted, not kept.
    full_at: usize,
    /// A shop's feed, read again after a failed attempt.
    resume: Option<Resume<'b>>,
}

impl Elements<'_> {
    /// Counts an element, keeping its item if it is one.
    fn take(&mut self, item: Option<BorrowedItem>) {
        self.catalogue.stats.elements += 1;
        match item {
            Some(item) => add_item(
                self.catalogue,
                self.item_ids,
                self.scratch,
                BorrowedItem {
                    shop: self.shop,
                    ..item
                },
            ),
            None => self.catalogue.stats.unreadable += 1,
        }
    }
}

impl ElementReader for Elements<'_> {
    fn read_in_place(&mut self, bytes: &[u8]) -> Option<usize> {
        // A full catalogue only counts elements, once their end is found,
        // and an element an earlier attempt took is only passed over.
        let seen = self.resume.as_ref().is_some_and(|r| *r.position < *r.taken);
        if self.catalogue.len() >= self.full_at || seen {
            return None;
        }
        let (item, length) = BorrowedItem::from_json_prefix(bytes)?;
        if let Some(resume) = &mut self.resume {
            resume.pass_over();
        }
        self.take(item);
        Some(length)
    }

    fn element(&mut self, element: &[u8]) {
        if self.resume.as_mut().is_some_and(Resume::pass_over) {
            return;
        }
        if self.catalogue.len() >= self.full_at {
            self.catalogue.stats.elements += 1;
            self.catalogue.stats.over_cap += 1;
            return;
        }
        self.take(BorrowedItem::from_json(element));
    }
}

fn add_item(
    catalogue: &mut Catalogue,
    item_ids: &mut FastSet<(u16, u64)>,
    scratch: &mut Scratch,
    item: BorrowedItem,
) {
    if item.listings.is_empty() {
        catalogue.stats.without_listings += 1;
        return;
    }
    if let Some(id) = item.id {
        if !item_ids.insert((item.shop.unwrap_or(NO_SHOP), id)) {
            catalogue.stats.duplicates += 1;
            return;
        }
    }
    item_store::encode(
        &item,
        &mut catalogue.store,
        &mut scratch.shared_texts,
        &mut scratch.encoded,
    );
    if !catalogue.store.push(&scratch.encoded) {
        // Past the 4 GB the store's offsets address: not a real feed.
        catalogue.stats.over_cap += 1;
        return;
    }
    catalogue.lists_stock |= item.lists_stock;
    let shop = item.shop.and_then(|s| catalogue.shops.get(usize::from(s)));
    index_item(
        &mut catalogue.hot,
        &mut catalogue.symbols,
        scratch,
        &item,
        shop,
    );
    if catalogue.is_grouped() {
        let index = catalogue.len() as u32 - 1;
        catalogue
            .copies
            .add(&mut scratch.copies, index, item.discogs_id);
    }
}

/// Searchable bytes kept per field of the search key: every real title or
/// artist list fits, and a hostile 5,000-character title cannot make each
/// keystroke scan megabytes.
const MAX_KEY_FIELD_BYTES: usize = 512;

/// Folds `texts` into `key`, keeping at most [`MAX_KEY_FIELD_BYTES`] of them.
fn fold_clipped<'a>(texts: impl Iterator<Item = &'a str>, key: &mut String) {
    let start = key.len();
    for text in texts {
        fold_into(text, key);
        if key.len() - start >= MAX_KEY_FIELD_BYTES {
            let mut end = start + MAX_KEY_FIELD_BYTES;
            while !key.is_char_boundary(end) {
                end -= 1;
            }
            key.truncate(end);
            break;
        }
    }
}

/// Appends the item's hot data: its facet values, search key, listings and year.
fn index_item(
    hot: &mut HotIndex,
    symbols: &mut [Symbols; FACETS],
    scratch: &mut Scratch,
    item: &BorrowedItem,
    shop: Option<&ShopInfo>,
) {
    let Scratch {
        folded,
        spellings,
        values,
        ..
    } = scratch;
    values.clear();
    let mut intern = |facet: Facet, name: &str| {
        let spellings = &mut spellings[facet.index()];
        values.push(symbols[facet.index()].intern(
            name,
            spellings,
            folded,
            facet,
            &mut hot.value_facet,
        ));
    };
    intern(Facet::Type, &item.kind);
    for (facet, names) in [
        (Facet::Genre, &item.genres),
        (Facet::Style, &item.styles),
        (Facet::Format, &item.formats),
    ] {
        names.iter().for_each(|name| intern(facet, name));
    }
    if let Some(country) = &item.country {
        intern(Facet::Country, country);
    }
    if let Some(shop) = shop {
        intern(Facet::Shop, &shop.display_name());
        if let Some(alpha2) = &shop.alpha2 {
            intern(Facet::ShopCountry, alpha2);
        }
        if shop.pickup {
            intern(Facet::Pickup, PICKUP_VALUE);
        }
    }
    if item.lists_stock {
        let stock = if item.listings.iter().any(Listing::is_available) {
            IN_STOCK_VALUE
        } else {
            OUT_OF_STOCK_VALUE
        };
        intern(Facet::Stock, stock);
    }
    values.sort_unstable();
    values.dedup();
    hot.values.extend_from_slice(values);
    hot.value_start.push(hot.values.len() as u32);

    let key = &mut hot.keys;
    let start = key.len();
    fold_clipped(std::iter::once(&*item.title), key);
    hot.title_end.push((key.len() - start) as u16);
    key.push('|');
    fold_clipped(item.all_creators(), key);
    hot.creators_end.push((key.len() - start) as u16);
    key.push('|');
    fold_clipped(
        item.labels
            .iter()
            .chain(&item.catalogue_numbers)
            .map(|t| &**t),
        key,
    );
    // Catalogue numbers are typed with and without spaces: `WARP123`, `WARP 123`.
    for catno in &item.catalogue_numbers {
        folded.clear();
        fold_into(catno, folded);
        if !folded.is_empty() {
            key.push(' ');
            key.extend(folded.split(' '));
        }
    }
    key.push('\0');
    let byte_counts: &mut [u32; 256] = hot
        .byte_counts
        .as_mut_slice()
        .try_into()
        .expect("a count for each byte value");
    for &byte in &key.as_bytes()[start..] {
        byte_counts[usize::from(byte)] += 1;
    }
    hot.key_start.push(key.len() as u32);

    for listing in &item.listings {
        hot.listing_price.push(listing.sale.unwrap_or(NO_PRICE));
        let used = if listing.condition == Condition::Used {
            USED_FLAG
        } else {
            0
        };
        hot.listing_flags
            .push(used | grade_code(listing.media_grade) << GRADE_SHIFT);
        hot.listing_quantity
            .push(listing.quantity.unwrap_or(UNTRACKED));
    }
    hot.listing_start.push(hot.listing_price.len() as u32);
    hot.year.push(item.year.unwrap_or(0));
    hot.item_id.push(item.id.unwrap_or(0));
    hot.item_flags.push(
        if item.id.is_some() { HAS_ID } else { 0 } | if item.lists_stock { LISTS_STOCK } else { 0 },
    );
    hot.shop.push(item.shop.unwrap_or(NO_SHOP));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Grade;

    fn feed(items: &[&str]) -> Vec<u8> {
        format!("[{}]", items.join(",")).into_bytes()
    }

    #[test]
    fn counts_what_it_could_not_show() {
        let good = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":10}],"data":{"title":"A"}}"#,
            r#"{"id":2,"listings":[],"data":{"title":"No listings"}}"#,
            r#"{"id":1,"listings":[{"id":11}],"data":{"title":"Duplicate"}}"#,
            "42",
            r#"{"id":3,"listings":[{"id":12}],"data":{"title":"B","year":{"broken":}}}"#,
        ]))
        .unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(
            good.stats,
            LoadStats {
                elements: 5,
                unreadable: 2,
                without_listings: 1,
                duplicates: 1,
                over_cap: 0,
                truncated: false
            }
        );
    }

    #[test]
    fn notices_name_what_was_skipped() {
        let stats = LoadStats {
            unreadable: 3,
            duplicates: 1,
            over_cap: 2,
            truncated: true,
            ..LoadStats::default()
        };
        let notices = stats.notices();
        assert_eq!(notices.len(), 4);
        assert!(notices.contains(&"3 items could not be read.".to_owned()));
        assert!(LoadStats::default().notices().is_empty());
        assert_eq!(
            LoadStats {
                unreadable: 1,
                ..LoadStats::default()
            }
            .notices(),
            ["1 item could not be read."]
        );
    }

    #[test]
    fn a_cut_body_keeps_the_items_before_the_cut() {
        let catalogue =
            Catalogue::from_feed(br#"[{"id":1,"listings":[{"id":10}]},{"id":2,"list"#).unwrap();
        assert_eq!(catalogue.len(), 1);
        assert!(catalogue.stats.truncated);
        assert_eq!(
            Catalogue::from_feed(br#"[{"id":1,"li"#).unwrap_err(),
            FeedFormatError::Truncated { items: 0 }
        );
    }

    #[test]
    fn interns_facet_values_case_and_accent_insensitively() {
        let catalogue = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"genres":["Électronic","Rock","rock"]}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"genres":["electronic"]}}"#,
        ]))
        .unwrap();
        let genres = catalogue.symbols(Facet::Genre);
        assert_eq!(genres.len(), 2);
        assert_eq!(genres.find("ELECTRONIC"), Some(0));
        assert_eq!(genres.name(0), "Électronic");
        assert_eq!(
            catalogue.values(0, Facet::Genre).collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(catalogue.values(1, Facet::Genre).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn every_spelling_of_a_value_finds_it_again() {
        let items: Vec<String> = ["rock", "Rock", "ROCK", "Rock", "rock", "Jazz", "Röck", "jazz"]
            .iter()
            .enumerate()
            .map(|(i, genre)| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}],"data":{{"genres":["{genre}"],"styles":["{genre}"]}}}}"#))
            .collect();
        let catalogue =
            Catalogue::from_feed(&feed(&items.iter().map(String::as_str).collect::<Vec<_>>()))
                .unwrap();
        for facet in [Facet::Genre, Facet::Style] {
            let symbols = catalogue.symbols(facet);
            assert_eq!(
                (symbols.len(), symbols.name(0), symbols.name(1)),
                (2, "rock", "Jazz")
            );
            let ids: Vec<Vec<u32>> = (0..8)
                .map(|i| catalogue.values(i, facet).collect())
                .collect();
            assert_eq!(ids, [[0], [0], [0], [0], [0], [1], [0], [1]], "{facet:?}");
        }
    }

    #[test]
    fn caps_the_number_of_items() {
        let items: Vec<String> = (0..MAX_ITEMS + 3)
            .map(|i| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}]}}"#))
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let catalogue = Catalogue::from_feed(&feed(&refs)).unwrap();
        assert_eq!(catalogue.len(), MAX_ITEMS);
        assert_eq!(catalogue.stats.over_cap, 3);
    }

    #[test]
    fn search_key_has_title_creators_and_label_fields() {
        let catalogue = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Début","artists":["Björk"],"labels":[{"name":"One Little Indian","catno":"TPLP 31"}]}}"#,
        ]))
        .unwrap();
        assert_eq!(
            catalogue.search_key(0),
            "debut|bjork|one little indian tplp 31 tplp31"
        );
        assert_eq!(
            (catalogue.folded_title(0), catalogue.folded_creators(0)),
            ("debut", "bjork")
        );
    }

    #[test]
    fn escaped_strings_index_as_their_plain_spelling() {
        let plain = r#"{"id":1,"type":"ReleaseItem","listings":[{"id":1,"options":[{"name":"Media Condition","value":"VG+"}]}],
            "data":{"title":"Début \"Live\"","artists":["Björk"],"genres":["Électronic","Trip Hop"],"country":"UK",
            "labels":[{"name":"One Little Indian","catno":"TPLP 31"}]}}"#;
        // Every character of every string value escaped, as some JSON writers do.
        let mut escaped = String::new();
        let mut in_string = false;
        let mut chars = plain.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '"' => {
                    in_string = !in_string;
                    escaped.push('"');
                }
                '\\' if in_string => {
                    let quoted = chars.next().expect("an escape is two characters");
                    escaped.push_str(&format!("\\u{:04x}", quoted as u32));
                }
                ch if in_string => {
                    let mut units = [0; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        escaped.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                ch => escaped.push(ch),
            }
        }
        let (plain, escaped) = (
            Catalogue::from_feed(&feed(&[plain])).unwrap(),
            Catalogue::from_feed(&feed(&[&escaped])).unwrap(),
        );
        assert_eq!(escaped.len(), 1);
        assert_eq!(escaped.item(0), plain.item(0));
        assert_eq!(escaped.item(0).title, "Début \"Live\"");
        assert_eq!(escaped.search_key(0), plain.search_key(0));
        for facet in Facet::ALL {
            let names = |c: &Catalogue| {
                (0..c.symbols(facet).len() as u32)
                    .map(|id| c.symbols(facet).name(id).to_owned())
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&escaped), names(&plain), "{facet:?}");
        }
        assert_eq!(
            escaped.item(0).listings[0].media_grade,
            Some(Grade::VeryGoodPlus)
        );
    }

    #[test]
    fn search_key_creators_are_every_artist_author_and_manufacturer_displayed_first() {
        let catalogue = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"T","manufacturer":"Technics","authors":["Toop"],"artists":["Björk","Tricky"]}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"U","manufacturer":"Technics","authors":["Toop"]}}"#,
        ]))
        .unwrap();
        assert_eq!(catalogue.folded_creators(0), "bjork tricky toop technics");
        assert_eq!(catalogue.folded_creators(1), "toop technics");
        let many: Vec<String> = (0..200).map(|i| format!("\"Maker {i}\"")).collect();
        let crowded = format!(
            r#"[{{"id":1,"listings":[{{"id":1}}],"data":{{"artists":["A"],"manufacturer":[{}]}}}}]"#,
            many.join(",")
        );
        let crowded = Catalogue::from_feed(crowded.as_bytes()).unwrap();
        assert_eq!(crowded.folded_creators(0).len(), MAX_KEY_FIELD_BYTES);
        assert!(crowded.folded_creators(0).starts_with("a maker 0 maker 1 "));
    }

    #[test]
    fn search_key_fields_are_clipped() {
        let long = "Ω".repeat(5000);
        let catalogue = Catalogue::from_feed(format!(r#"[{{"id":1,"listings":[{{"id":1}}],"data":{{"title":"{long}","artists":["{long}"]}}}}]"#).as_bytes()).unwrap();
        let title = catalogue.folded_title(0);
        assert!(title.len() <= MAX_KEY_FIELD_BYTES && title.starts_with("ωω"));
        assert!(catalogue.folded_creators(0).len() <= MAX_KEY_FIELD_BYTES);
        assert_eq!(
            catalogue.item(0).title.len(),
            2000,
            "display text is kept, clipped separately"
        );
    }

    #[test]
    fn items_decode_with_every_field() {
        let long_genre = "Ünïcode genre ".repeat(10);
        let full = Item {
            id: Some(u64::MAX),
            kind: "BookItem".into(),
            path: Some("/book/1".into()),
            title: "Dub: Soundscapes".into(),
            artists: vec!["A".into(), String::new()],
            labels: vec!["Label".into()],
            catalogue_numbers: vec!["CAT 1".into(), "CAT1".into()],
            authors: vec!["Michael Veal".into()],
            manufacturers: vec!["Maker".into()],
            publisher: Some("Wesleyan".into()),
            language: Some("en".into()),
            page_count: Some(336),
            formats: vec!["Paperback".into()],
            genres: vec![long_genre.clone(), "Reggae".into()],
            styles: vec!["Dub".into()],
            categories: vec!["Books".into()],
            year: Some(2007),
            country: Some("US".into()),
            discogs_id: Some(0),
            weight_grams: Some(u32::MAX),
            images: vec!["https://img.example/1.jpg".into()],
            description: Some("A study.".into()),
            shop_note: Some("Signed".into()),
            listings: vec![
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
                    id: None,
                    quantity: None,
                    sale: None,
                    before_taxes: Some(-5),
                    compare: None,
                    condition: Condition::New,
                    media_grade: None,
                    sleeve_grade: Some(Grade::Poor),
                },
            ],
            variant: Some("Green".into()),
            url: Some("https://shop.example/p/1".into()),
            shop: None,
            lists_stock: true,
        };
        let sparse = Item {
            kind: "Item".into(),
            listings: vec![full.listings[1].clone()],
            ..Item::default()
        };
        let catalogue = Catalogue::from_items([
            full.clone(),
            sparse.clone(),
            Item {
                id: Some(7),
                ..full.clone()
            },
        ]);
        assert_eq!(
            catalogue.items().collect::<Vec<_>>(),
            [
                full.clone(),
                sparse,
                Item {
                    id: Some(7),
                    ..full
                }
            ]
        );
        assert_eq!(
            catalogue.store.shared_text_count(),
            16,
            "short repeated texts are stored once; the long genre in each item"
        );
    }

    #[test]
    fn type_labels() {
        assert_eq!(kind_label("ReleaseItem"), "Release");
        assert_eq!(kind_label("GiftCardItem"), "GiftCard");
        assert_eq!(kind_label("Item"), "Item");
        assert_eq!(kind_label("Widget"), "Widget");
    }
}

//! The catalogue: the feed's items, indexed once for instant queries.

use super::feed::{Cents, Item};
use super::shop_list::ShopInfo;
use super::fold::{fold, fold_into};
use super::splitter::{FeedFormatError, FeedSplitter};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The documented cap on a shop's feed; items past it are counted, not kept,
/// so a hostile feed cannot grow memory without bound.
pub const MAX_ITEMS: usize = 50_000;

/// The item-level facets whose values are names from the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Type,
    Genre,
    Style,
    Format,
    Country,
}

impl Facet {
    pub const ALL: [Facet; 5] = [Facet::Type, Facet::Genre, Facet::Style, Facet::Format, Facet::Country];

    /// The URL parameter that carries this facet's selected values.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Genre => "genre",
            Facet::Style => "style",
            Facet::Format => "format",
            Facet::Country => "country",
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
        other => other.strip_suffix("Item").filter(|s| !s.is_empty()).unwrap_or(other),
    }
}

/// The distinct values of one facet, matched case- and accent-insensitively;
/// the first spelling seen is the one shown.
#[derive(Debug, Default)]
pub struct Symbols {
    names: Vec<Box<str>>,
    by_key: HashMap<String, u32>,
}

impl Symbols {
    fn intern(&mut self, name: &str) -> u32 {
        let key = fold(name);
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.by_key.insert(key, id);
        id
    }

    /// The id of a value, looked up the way values are matched.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.by_key.get(&fold(name)).copied()
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

/// An item in the catalogue with its precomputed search and facet data.
#[derive(Debug)]
pub struct Entry {
    pub item: Item,
    /// Facet value ids per [`Facet`], sorted and without duplicates.
    facet_values: [Box<[u32]>; 5],
    /// Folded `title|creators|labels and catalogue numbers`.
    pub(crate) search_key: Box<str>,
    pub(crate) title_end: u32,
    pub(crate) creators_end: u32,
    pub lowest_price: Option<Cents>,
}

impl Entry {
    /// This item's value ids for `facet`.
    pub fn values(&self, facet: Facet) -> &[u32] {
        &self.facet_values[facet.index()]
    }

    pub(crate) fn folded_title(&self) -> &str {
        &self.search_key[..self.title_end as usize]
    }

    pub(crate) fn folded_creators(&self) -> &str {
        &self.search_key[self.title_end as usize + 1..self.creators_end as usize]
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
    /// What loading skipped, said plainly for shoppers.
    pub fn notices(&self) -> Vec<String> {
        let count = |n: usize| if n == 1 { "1 item".to_owned() } else { format!("{n} items") };
        let verb = |n: usize| if n == 1 { "is" } else { "are" };
        let mut notices = Vec::new();
        if self.truncated {
            notices.push("The inventory download was cut short; showing the items received.".to_owned());
        }
        if self.unreadable > 0 {
            notices.push(format!("{} could not be read.", count(self.unreadable)));
        }
        if self.duplicates > 0 {
            notices.push(format!("{} appeared twice in the feed and {} shown once.", count(self.duplicates), verb(self.duplicates)));
        }
        if self.over_cap > 0 {
            notices.push(format!(
                "The feed has more than {MAX_ITEMS} items; {} past that limit {} not shown.",
                count(self.over_cap),
                verb(self.over_cap)
            ));
        }
        notices
    }
}

/// The indexed catalogue of one feed.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    symbols: [Symbols; 5],
    pub stats: LoadStats,
    orders: [OnceLock<Box<[u32]>>; super::query::SORTED_ORDERS],
    /// In aggregator mode, the shops items come from (`Item::shop` indexes it).
    shops: Vec<ShopInfo>,
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

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn symbols(&self, facet: Facet) -> &Symbols {
        &self.symbols[facet.index()]
    }

    /// The shops of an aggregated catalogue; empty for a single feed.
    pub fn shops(&self) -> &[ShopInfo] {
        &self.shops
    }

    /// The shop an item is from, in aggregator mode.
    pub fn shop_of(&self, item: &Item) -> Option<&ShopInfo> {
        self.shops.get(usize::from(item.shop?))
    }

    pub(crate) fn cached_order(&self, slot: usize, build: impl FnOnce() -> Box<[u32]>) -> &[u32] {
        self.orders[slot].get_or_init(build)
    }
}

/// Builds a [`Catalogue`] from feed bytes as they arrive.
#[derive(Debug, Default)]
pub struct CatalogueBuilder {
    splitter: FeedSplitter,
    catalogue: Catalogue,
    /// `(shop, item id)` of the items kept, so a repeated item is shown once.
    item_ids: HashSet<(u16, u64)>,
}

/// The shop slot of items that come from a single feed.
const NO_SHOP: u16 = u16::MAX;

impl CatalogueBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the next chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FeedFormatError> {
        let Self { splitter, catalogue, item_ids } = self;
        splitter.push(chunk, |element| accept_element(catalogue, item_ids, element, None))
    }

    /// Aggregator mode: the shops whose feeds will be read.
    pub fn set_shops(&mut self, shops: Vec<ShopInfo>) {
        self.catalogue.shops = shops;
    }

    /// Aggregator mode: reads the next chunk of shop `shop`'s feed, whose
    /// body has a splitter of its own (feeds arrive side by side).
    pub fn push_shop_chunk(&mut self, shop: u16, splitter: &mut FeedSplitter, chunk: &[u8]) -> Result<(), FeedFormatError> {
        let Self { catalogue, item_ids, .. } = self;
        splitter.push(chunk, |element| accept_element(catalogue, item_ids, element, Some(shop)))
    }

    /// Aggregator mode: ends one shop's body, as [`CatalogueBuilder::finish`] does.
    pub fn finish_shop(&mut self, mut splitter: FeedSplitter) -> Result<(), FeedFormatError> {
        let result = match splitter.finish() {
            Ok(()) => Ok(()),
            Err(FeedFormatError::Truncated { items }) if items > 0 => {
                self.catalogue.stats.truncated = true;
                Ok(())
            }
            Err(error) => Err(error),
        };
        let oversized = splitter.oversized_elements();
        self.catalogue.stats.unreadable += oversized;
        self.catalogue.stats.elements += oversized;
        result
    }

    /// Adds an item that did not come from feed bytes (another source).
    pub fn push_item(&mut self, item: Item) {
        if self.catalogue.entries.len() >= MAX_ITEMS {
            self.catalogue.stats.elements += 1;
            self.catalogue.stats.over_cap += 1;
            return;
        }
        self.add(item);
    }

    /// Ends a catalogue built only from [`CatalogueBuilder::push_item`] and
    /// shop feeds (no body of its own to finish).
    pub fn finish_items(self) -> Catalogue {
        self.catalogue
    }

    /// Items indexed so far.
    pub fn len(&self) -> usize {
        self.catalogue.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.catalogue.entries.is_empty()
    }

    /// Ends the body. A body cut short still gives the items read so far
    /// (with `stats.truncated` set), unless there are none.
    pub fn finish(mut self) -> Result<Catalogue, FeedFormatError> {
        match self.splitter.finish() {
            Ok(()) => {}
            Err(FeedFormatError::Truncated { items }) if items > 0 => self.catalogue.stats.truncated = true,
            Err(error) => return Err(error),
        }
        self.catalogue.stats.unreadable += self.splitter.oversized_elements();
        self.catalogue.stats.elements += self.splitter.oversized_elements();
        Ok(self.catalogue)
    }

    fn add(&mut self, item: Item) {
        self.catalogue.stats.elements += 1;
        add_item(&mut self.catalogue, &mut self.item_ids, item);
    }
}

/// Takes one element of a feed array.
fn accept_element(catalogue: &mut Catalogue, item_ids: &mut HashSet<(u16, u64)>, element: &[u8], shop: Option<u16>) {
    let stats = &mut catalogue.stats;
    stats.elements += 1;
    if catalogue.entries.len() >= MAX_ITEMS {
        stats.over_cap += 1;
        return;
    }
    match Item::from_json(element) {
        Some(item) => add_item(catalogue, item_ids, Item { shop, ..item }),
        None => stats.unreadable += 1,
    }
}

fn add_item(catalogue: &mut Catalogue, item_ids: &mut HashSet<(u16, u64)>, item: Item) {
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
    let entry = index_item(&mut catalogue.symbols, item);
    catalogue.entries.push(entry);
}

/// Searchable bytes kept per field of the search key: every real title or
/// artist list fits, and a hostile 5,000-character title cannot make each
/// keystroke scan megabytes.
const MAX_KEY_FIELD_BYTES: usize = 512;

/// Folds `texts` into `key`, keeping at most [`MAX_KEY_FIELD_BYTES`] of them.
fn fold_clipped<'a>(texts: impl Iterator<Item = &'a String>, key: &mut String) {
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

fn index_item(symbols: &mut [Symbols; 5], item: Item) -> Entry {
    let mut intern_all = |facet: Facet, names: &mut dyn Iterator<Item = &String>| -> Box<[u32]> {
        let mut ids: Vec<u32> = names.map(|n| symbols[facet.index()].intern(n)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_boxed_slice()
    };
    let facet_values = [
        intern_all(Facet::Type, &mut std::iter::once(&item.kind)),
        intern_all(Facet::Genre, &mut item.genres.iter()),
        intern_all(Facet::Style, &mut item.styles.iter()),
        intern_all(Facet::Format, &mut item.formats.iter()),
        intern_all(Facet::Country, &mut item.country.iter()),
    ];
    let mut key = String::with_capacity(item.title.len().min(MAX_KEY_FIELD_BYTES) + 64);
    fold_clipped(std::iter::once(&item.title), &mut key);
    let title_end = key.len() as u32;
    key.push('|');
    fold_clipped(item.creators().iter(), &mut key);
    let creators_end = key.len() as u32;
    key.push('|');
    fold_clipped(item.labels.iter().chain(&item.catalogue_numbers), &mut key);
    // Catalogue numbers are typed with and without spaces: `WARP123`, `WARP 123`.
    for catno in &item.catalogue_numbers {
        let compact: String = fold(catno).split(' ').collect();
        if !compact.is_empty() {
            key.push(' ');
            key.push_str(&compact);
        }
    }
    let lowest_price = item.lowest_price();
    Entry { item, facet_values, search_key: key.into_boxed_str(), title_end, creators_end, lowest_price }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            LoadStats { elements: 5, unreadable: 2, without_listings: 1, duplicates: 1, over_cap: 0, truncated: false }
        );
    }

    #[test]
    fn notices_name_what_was_skipped() {
        let stats = LoadStats { unreadable: 3, duplicates: 1, over_cap: 2, truncated: true, ..LoadStats::default() };
        let notices = stats.notices();
        assert_eq!(notices.len(), 4);
        assert!(notices.contains(&"3 items could not be read.".to_owned()));
        assert!(LoadStats::default().notices().is_empty());
        assert_eq!(LoadStats { unreadable: 1, ..LoadStats::default() }.notices(), ["1 item could not be read."]);
    }

    #[test]
    fn a_cut_body_keeps_the_items_before_the_cut() {
        let catalogue = Catalogue::from_feed(br#"[{"id":1,"listings":[{"id":10}]},{"id":2,"list"#).unwrap();
        assert_eq!(catalogue.len(), 1);
        assert!(catalogue.stats.truncated);
        assert_eq!(Catalogue::from_feed(br#"[{"id":1,"li"#).unwrap_err(), FeedFormatError::Truncated { items: 0 });
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
        assert_eq!(catalogue.entries()[0].values(Facet::Genre), &[0, 1]);
        assert_eq!(catalogue.entries()[1].values(Facet::Genre), &[0]);
    }

    #[test]
    fn caps_the_number_of_items() {
        let items: Vec<String> = (0..MAX_ITEMS + 3).map(|i| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}]}}"#)).collect();
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
        let entry = &catalogue.entries()[0];
        assert_eq!(&*entry.search_key, "debut|bjork|one little indian tplp 31 tplp31");
        assert_eq!((entry.folded_title(), entry.folded_creators()), ("debut", "bjork"));
    }

    #[test]
    fn search_key_fields_are_clipped() {
        let long = "Ω".repeat(5000);
        let catalogue = Catalogue::from_feed(format!(r#"[{{"id":1,"listings":[{{"id":1}}],"data":{{"title":"{long}","artists":["{long}"]}}}}]"#).as_bytes()).unwrap();
        let entry = &catalogue.entries()[0];
        assert!(entry.folded_title().len() <= MAX_KEY_FIELD_BYTES && entry.folded_title().starts_with("ωω"));
        assert!(entry.folded_creators().len() <= MAX_KEY_FIELD_BYTES);
        assert_eq!(entry.item.title.len(), 2000, "display text is kept, clipped separately");
    }

    #[test]
    fn type_labels() {
        assert_eq!(kind_label("ReleaseItem"), "Release");
        assert_eq!(kind_label("GiftCardItem"), "GiftCard");
        assert_eq!(kind_label("Item"), "Item");
        assert_eq!(kind_label("Widget"), "Widget");
    }
}

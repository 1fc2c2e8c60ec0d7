//! Appending one item to the catalogue: kept once, stored, and its hot
//! data (facet values, search key, listings) indexed.

use super::copies::CopiesBuilder;
use super::{
    Catalogue, Facet, HotIndex, Symbols, FACETS, HAS_ID, IN_STOCK_VALUE, LISTS_STOCK, NO_PRICE,
    NO_SHOP, OUT_OF_STOCK_VALUE, PICKUP_VALUE, UNTRACKED, USED_FLAG,
};
use crate::fast_hash::{FastMap, FastSet};
use crate::feed::{BorrowedItem, Condition, Listing};
use crate::fold::fold_into;
use crate::grade::{grade_code, GRADE_SHIFT};
use crate::item_store::{self, SharedTexts};
use crate::shop_list::ShopInfo;

/// Reused buffers for indexing, so an item costs few allocations, and what
/// indexing needs only while loading.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    folded: String,
    /// Per facet, the catalogue-wide id of each spelling of a value met.
    spellings: [FastMap<Box<str>, u32>; FACETS],
    values: Vec<u32>,
    encoded: Vec<u8>,
    shared_texts: SharedTexts,
    copies: CopiesBuilder,
}

pub(super) fn add_item(
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
    use super::MAX_KEY_FIELD_BYTES;
    use crate::grade::Grade;
    use crate::index::tests::feed;
    use crate::index::{Catalogue, Facet};

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
}

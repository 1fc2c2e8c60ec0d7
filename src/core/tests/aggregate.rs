//! Aggregated catalogues: several shops' feeds read side by side into one
//! catalogue, with shop facets, the nearest-shop sort and copies of one
//! release grouped across shops.

use cg_core::shop_list::{ShopInfo, ShopList};
use cg_core::{
    Catalogue, CatalogueBuilder, Facet, Item, LoadStats, ShopFeed, SortKey, ViewState,
    MAX_AGGREGATED_ITEMS, MAX_ITEMS,
};
use cg_emulator::generator::generate_shop_feed;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// `(id, items, country, (longitude, latitude), pickup)` of each shop.
type ShopSpec = (u64, usize, &'static str, (f64, f64), bool);

const SHOPS: [ShopSpec; 3] = [
    (1001, 400, "GB", (-0.1276, 51.5072), true),
    (1002, 300, "FR", (2.3522, 48.8566), false),
    (1003, 200, "JP", (139.6917, 35.6895), true),
];

fn shop_info(id: u64, alpha2: &str, geo: (f64, f64), pickup: bool) -> ShopInfo {
    ShopInfo {
        name: format!("Shop {id}"),
        uri: Some(format!("https://shop{id}.example")),
        alpha2: Some(alpha2.to_owned()),
        geo: Some(geo),
        pickup,
        ..ShopInfo::bare(&id.to_string())
    }
}

/// The shops' feeds, interleaved in small chunks as parallel downloads would be.
fn aggregated() -> (Catalogue, Vec<String>) {
    let feeds: Vec<String> = SHOPS
        .iter()
        .map(|(id, n, ..)| generate_shop_feed(*n, 5, *id, "http://127.0.0.1:1"))
        .collect();
    let (catalogue, notices) = interleaved(&feeds, &[], |_| None);
    assert_eq!(notices, Vec::<String>::new());
    (catalogue, feeds)
}

fn shop_infos() -> Vec<ShopInfo> {
    SHOPS
        .iter()
        .map(|&(id, _, alpha2, geo, pickup)| shop_info(id, alpha2, geo, pickup))
        .collect()
}

/// Reads `feeds` side by side into one catalogue of [`SHOPS`] (those at
/// `left_out` are not read at all). A shop for which `cut` gives a byte
/// count stops there on its first attempt and restarts; given `usize::MAX`
/// it fails for good after its first chunks instead.
fn interleaved(
    feeds: &[String],
    left_out: &[usize],
    cut: impl Fn(usize) -> Option<usize>,
) -> (Catalogue, Vec<String>) {
    let mut builder = CatalogueBuilder::new();
    builder.set_shops(shop_infos());
    let mut readers: Vec<ShopFeed> = (0..feeds.len())
        .map(|shop| ShopFeed::new(shop as u16))
        .collect();
    let mut ends: Vec<usize> = feeds
        .iter()
        .enumerate()
        .map(|(shop, feed)| cut(shop).map_or(feed.len(), |at| at.min(feed.len() / 3)))
        .collect();
    let mut offsets = vec![0usize; feeds.len()];
    let read = |shop: usize,
                offsets: &mut Vec<usize>,
                ends: &Vec<usize>,
                builder: &mut CatalogueBuilder,
                readers: &mut Vec<ShopFeed>| {
        let end = (offsets[shop] + 7_919).min(ends[shop]);
        builder
            .push_shop_chunk(
                &mut readers[shop],
                &feeds[shop].as_bytes()[offsets[shop]..end],
            )
            .unwrap();
        offsets[shop] = end;
    };
    loop {
        let mut busy = false;
        for shop in (0..feeds.len()).filter(|shop| !left_out.contains(shop)) {
            if offsets[shop] < ends[shop] {
                read(shop, &mut offsets, &ends, &mut builder, &mut readers);
                busy = true;
            } else if ends[shop] < feeds[shop].len() {
                if cut(shop) == Some(usize::MAX) {
                    readers[shop].fail();
                    ends[shop] = feeds[shop].len();
                    offsets[shop] = ends[shop];
                } else {
                    // The download broke off: the retry reads the body from the start.
                    readers[shop].restart();
                    ends[shop] = feeds[shop].len();
                    offsets[shop] = 0;
                }
                busy = true;
            }
        }
        if !busy {
            break;
        }
    }
    for (shop, reader) in readers.iter_mut().enumerate() {
        if !left_out.contains(&shop) && cut(shop) != Some(usize::MAX) {
            builder.finish_shop(reader).unwrap();
        }
    }
    builder.finish_shops(&readers)
}

/// Items with something to buy, once per id: what one shop's catalogue shows.
fn shown(feed: &str) -> Vec<Value> {
    let items: Vec<Value> = serde_json::from_str(feed).unwrap();
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| {
            i["listings"].as_array().is_some_and(|l| !l.is_empty()) && seen.insert(i["id"].as_u64())
        })
        .collect()
}

#[test]
fn every_shop_counts_and_ids_repeat_across_shops() {
    let (catalogue, feeds) = aggregated();
    let per_shop: Vec<usize> = feeds.iter().map(|f| shown(f).len()).collect();
    assert_eq!(
        catalogue.len(),
        per_shop.iter().sum::<usize>(),
        "item ids are per shop: nothing dropped as a duplicate"
    );
    let all = catalogue.query(&ViewState::default());
    let shops = &all.facets[Facet::Shop as usize].1;
    for (i, &(id, ..)) in SHOPS.iter().enumerate() {
        let value = shops
            .iter()
            .find(|v| v.name == format!("Shop {id}"))
            .unwrap();
        assert_eq!(value.count as usize, per_shop[i]);
    }
    let pickup = &all.facets[Facet::Pickup as usize].1;
    assert_eq!(pickup.len(), 1);
    assert_eq!(pickup[0].count as usize, per_shop[0] + per_shop[2]);
    let mut view = ViewState::default();
    view.toggle(Facet::ShopCountry, "FR");
    assert_eq!(catalogue.query(&view).items.len(), per_shop[1]);
    assert!(catalogue
        .items()
        .all(|item| catalogue.shop_of(&item).is_some()));
    assert!((0..catalogue.len() as u32)
        .all(|i| catalogue.shop_of_index(i) == catalogue.shop_of(&catalogue.item(i))));
}

#[test]
fn copies_of_a_release_are_one_result() {
    let (catalogue, _) = aggregated();
    let result = catalogue.query(&ViewState::default());
    let mut by_release: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, item) in catalogue.items().enumerate() {
        if let Some(id) = item.discogs_id {
            by_release.entry(id).or_default().push(i as u32);
        }
    }
    let shared = by_release
        .values()
        .filter(|copies| copies.len() > 1)
        .count();
    assert!(
        shared > 10,
        "the generator shares releases across shops ({shared})"
    );
    let singles = catalogue
        .items()
        .filter(|item| item.discogs_id.is_none())
        .count();
    assert_eq!(
        result.groups.len(),
        by_release.len() + singles,
        "one result per release"
    );
    assert_eq!(
        result.items.len(),
        catalogue.len(),
        "the count is of every copy"
    );
    for &lead in &result.groups {
        let copies = catalogue.copies(lead);
        assert!(copies.contains(&lead));
        if let Some(id) = catalogue.item(lead).discogs_id {
            assert_eq!(copies, by_release[&id]);
        }
    }
}

#[test]
fn nearest_puts_the_closest_shop_first() {
    let (catalogue, _) = aggregated();
    let shop_of = |i: &u32| catalogue.item(*i).shop.unwrap();
    let paris = (2.35, 48.85);
    let view = ViewState {
        sort: Some(SortKey::Nearest),
        near: Some(paris),
        ..ViewState::default()
    };
    let items = catalogue.query(&view).items;
    let order: Vec<u16> = items.iter().map(shop_of).collect();
    let mut expected = order.clone();
    expected.sort_by_key(|s| [1, 0, 2][*s as usize]); // Paris, then London, then Tokyo
    assert_eq!(order, expected);
    assert!(catalogue.offers_sort(SortKey::Nearest));
    let tokyo = ViewState {
        near: Some((139.7, 35.7)),
        ..view
    };
    assert_eq!(shop_of(&catalogue.query(&tokyo).items[0]), 2);
}

#[test]
fn a_stock_listing_source_gets_an_availability_facet_and_sort() {
    use cg_core::squarespace::parse_page;
    let body = r#"{"inventory":[
        {"variantId":"a","sku":"A","descriptor":"Alpha [Red]","isUnlimited":false,"quantity":0},
        {"variantId":"b","sku":"B","descriptor":"Beta","isUnlimited":false,"quantity":7},
        {"variantId":"c","sku":"C","descriptor":"Gamma","isUnlimited":true,"quantity":0},
        {"variantId":"d","sku":"D","descriptor":"Delta","isUnlimited":false,"quantity":2}],
        "pagination":{"hasNextPage":false}}"#;
    let items: Vec<Item> = parse_page(200, body)
        .unwrap()
        .variants
        .iter()
        .map(|v| v.to_item(None))
        .collect();
    let catalogue = Catalogue::from_items(items);
    assert_eq!(catalogue.len(), 4, "out-of-stock variants are listed too");
    let mut view = ViewState::default();
    view.toggle(Facet::Stock, "In stock");
    let titles = |view: &ViewState| {
        catalogue
            .query(view)
            .items
            .iter()
            .map(|&i| catalogue.item(i).title)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&view), ["Beta", "Gamma", "Delta"]);
    let by_stock = ViewState {
        sort: Some(SortKey::Stock),
        ..ViewState::default()
    };
    assert_eq!(titles(&by_stock), ["Gamma", "Beta", "Delta", "Alpha"]);
    assert!(catalogue.offers_sort(SortKey::Stock) && !catalogue.offers_sort(SortKey::Nearest));
    let none = catalogue.query(&ViewState::default());
    for facet in [Facet::Genre, Facet::Format, Facet::Shop] {
        assert!(
            none.facets[facet as usize].1.is_empty(),
            "{facet:?} has no data here"
        );
    }
    assert_eq!(none.price_bounds, None);
    assert_eq!(
        catalogue.filter_data(),
        (false, false, false),
        "no used copies, no prices, no years"
    );
    let (feed_catalogue, _) = aggregated();
    assert_eq!(feed_catalogue.filter_data(), (true, true, true));
    assert!(ShopList::from_ids("1").shops[0].geo.is_none());
}

/// What a catalogue shows, to compare two ways of building it.
fn summary(catalogue: &Catalogue) -> (Vec<Item>, LoadStats, Vec<(String, u32)>, usize) {
    let all = catalogue.query(&ViewState::default());
    let shops = all.facets[Facet::Shop as usize]
        .1
        .iter()
        .map(|v| (v.name.clone(), v.count))
        .collect();
    // Shops' items interleave in arrival order, which differs between runs.
    let mut items: Vec<Item> = catalogue.items().collect();
    items.sort_by_key(|item| (item.shop, item.id));
    (items, catalogue.stats.clone(), shops, all.items.len())
}

/// A feed with an unreadable element, an item without listings and a
/// repeated id among generated items, so every count has something to count.
fn feed_with_oddities(shop: usize) -> String {
    let (id, n, ..) = SHOPS[shop];
    let generated = generate_shop_feed(n, 5, id, "http://127.0.0.1:1");
    let items: Vec<Value> = serde_json::from_str(&generated).unwrap();
    let mut elements: Vec<String> = items.iter().map(|item| item.to_string()).collect();
    elements.insert(5, "42".to_owned());
    elements.insert(9, r#"{"id":999999,"listings":[]}"#.to_owned());
    elements.insert(12, items[3].to_string());
    format!("[{}]", elements.join(","))
}

#[test]
fn a_download_retried_after_breaking_off_counts_nothing_twice() {
    let feeds: Vec<String> = (0..SHOPS.len()).map(feed_with_oddities).collect();
    let (whole, _) = interleaved(&feeds, &[], |_| None);
    for cut_at in [1, 20_000, 50_001] {
        let (retried, notices) = interleaved(&feeds, &[], |shop| (shop == 1).then_some(cut_at));
        assert!(
            summary(&retried) == summary(&whole),
            "cut after {cut_at} bytes: {:?} against {:?}",
            retried.stats,
            whole.stats
        );
        assert!(notices.is_empty());
    }
    assert_eq!((whole.stats.unreadable, whole.stats.duplicates), (3, 3));
    assert!(whole.stats.without_listings >= 3);
}

#[test]
fn a_shop_that_fails_is_left_out_whole() {
    let feeds: Vec<String> = (0..SHOPS.len()).map(feed_with_oddities).collect();
    let (without_second, _) = interleaved(&feeds, &[1], |_| None);
    let (failed, notices) = interleaved(&feeds, &[], |shop| (shop == 1).then_some(usize::MAX));
    assert!(notices.is_empty());
    assert!(
        summary(&failed) == summary(&without_second),
        "{:?} against {:?}",
        failed.stats,
        without_second.stats
    );
    assert!(!failed.items().any(|item| item.shop == Some(1)));
    let groups = |c: &Catalogue| {
        c.query(&ViewState::default())
            .items
            .iter()
            .map(|&i| c.copies(i).len())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        groups(&failed),
        groups(&without_second),
        "copies are grouped among the shops shown"
    );
}

/// `n` small items with ids from `first`.
fn small_feed(n: usize, first: usize) -> String {
    let items: Vec<String> = (first..first + n)
        .map(|i| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}]}}"#))
        .collect();
    format!("[{}]", items.join(","))
}

#[test]
fn each_shop_may_list_the_documented_maximum_and_all_together_are_capped() {
    let mut builder = CatalogueBuilder::new();
    let shops: Vec<ShopInfo> = (0..6)
        .map(|i| ShopInfo {
            name: format!("Shop {i}"),
            ..ShopInfo::bare(&i.to_string())
        })
        .collect();
    builder.set_shops(shops);
    // Shop 0 is over its own cap; shops 1-4 fill the catalogue (7 of shop 4 past it); shop 5 finds it full.
    let sizes = [MAX_ITEMS + 2, MAX_ITEMS - 10, MAX_ITEMS, MAX_ITEMS, 17, 7];
    let mut readers = Vec::new();
    for (shop, &n) in sizes.iter().enumerate() {
        let mut reader = ShopFeed::new(shop as u16);
        builder
            .push_shop_chunk(&mut reader, small_feed(n, 0).as_bytes())
            .unwrap();
        builder.finish_shop(&mut reader).unwrap();
        readers.push(reader);
    }
    let kept: Vec<usize> = readers.iter().map(ShopFeed::items).collect();
    assert_eq!(
        kept[..2],
        [MAX_ITEMS, MAX_ITEMS - 10],
        "a shop's cap does not hold back the next shop"
    );
    assert_eq!(kept.iter().sum::<usize>(), MAX_AGGREGATED_ITEMS);
    let (catalogue, notices) = builder.finish_shops(&readers);
    assert_eq!(catalogue.len(), MAX_AGGREGATED_ITEMS);
    assert_eq!(
        notices,
        [
            format!("Shop 0 lists more than {MAX_ITEMS} items; 2 items past that limit are not shown."),
            format!("The shops list more than {MAX_AGGREGATED_ITEMS} items together; 14 items past that limit are not shown."),
        ]
    );
    assert!(
        catalogue.stats.notices().is_empty(),
        "not a single feed's cap: {:?}",
        catalogue.stats.notices()
    );
}

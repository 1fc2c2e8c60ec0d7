//! Catalogue snapshots: what is restored answers every query and shows
//! every item as the catalogue it was taken from, and damaged bytes are an
//! error, never a panic.

use cg_core::index::snapshot::SNAPSHOT_VERSION;
use cg_core::shop_list::ShopInfo;
use cg_core::ShopFeed;
use cg_core::{
    Catalogue, CatalogueBuilder, Condition, Facet, Grade, Item, SnapshotError, SortKey, ViewState,
};
use cg_emulator::generator::{generate_feed, generate_shop_feed};
use proptest::prelude::*;

/// Views touching every part of the engine: text, facets, listing
/// filters, ranges and every sort, near a place for the nearest sort.
fn probe_views(catalogue: &Catalogue) -> Vec<ViewState> {
    let all = catalogue.query(&ViewState::default());
    let first = |facet: Facet| all.facets[facet as usize].1.first().map(|v| v.name.clone());
    let mut views = vec![ViewState::default()];
    for sort in SortKey::ALL {
        let sorted = ViewState {
            sort: Some(sort),
            near: Some((2.35, 48.85)),
            ..ViewState::default()
        };
        views.push(ViewState {
            query: "the".into(),
            ..sorted.clone()
        });
        let mut filtered = ViewState {
            year_min: Some(1990),
            price_max: Some(3_000),
            conditions: vec![Condition::Used],
            ..sorted.clone()
        };
        for facet in [Facet::Genre, Facet::Shop, Facet::Stock] {
            if let Some(value) = first(facet) {
                filtered.toggle(facet, &value);
            }
        }
        views.push(filtered);
        views.push(ViewState {
            min_grade: Some(Grade::VeryGoodPlus),
            ..sorted.clone()
        });
        views.push(sorted);
    }
    views
}

/// Asserts `restored` shows and answers exactly as `original` does.
fn assert_same(original: &Catalogue, restored: &Catalogue) {
    assert_eq!(restored.len(), original.len());
    assert_eq!(restored.stats, original.stats);
    assert_eq!(restored.shops(), original.shops());
    assert_eq!(
        (restored.lists_stock(), restored.is_grouped()),
        (original.lists_stock(), original.is_grouped())
    );
    assert_eq!(restored.filter_data(), original.filter_data());
    assert!(
        restored.items().eq(original.items()),
        "every item decodes the same"
    );
    for i in 0..original.len() as u32 {
        assert_eq!(restored.copies(i), original.copies(i), "copies of {i}");
    }
    for facet in Facet::ALL {
        for i in 0..original.len() as u32 {
            assert!(
                restored.values(i, facet).eq(original.values(i, facet)),
                "{facet:?} values of {i}"
            );
        }
    }
    for view in probe_views(original) {
        assert_eq!(restored.query(&view), original.query(&view), "{view:?}");
    }
}

/// Restores `catalogue`'s snapshot from borrowed bytes and from an owned
/// buffer; returns the second (what the widget restores).
fn round_trip(catalogue: &Catalogue) -> Catalogue {
    let bytes = catalogue.to_snapshot();
    let restored = Catalogue::from_snapshot(&bytes).expect("a fresh snapshot restores");
    assert_eq!(
        restored.to_snapshot(),
        bytes,
        "restored, it snapshots to the same bytes"
    );
    let owned = Catalogue::from_snapshot_owned(bytes.clone())
        .expect("a fresh snapshot restores from its own buffer");
    assert_eq!(
        owned.to_snapshot(),
        bytes,
        "restored from its own buffer, it snapshots to the same bytes"
    );
    owned
}

/// Both ways of restoring `bytes` fail, with the same error.
fn refused(bytes: &[u8]) -> SnapshotError {
    let error = Catalogue::from_snapshot(bytes).expect_err("refused");
    assert_eq!(
        Catalogue::from_snapshot_owned(bytes.to_vec()).err(),
        Some(error.clone()),
        "refused from its own buffer alike"
    );
    error
}

#[test]
fn a_generated_shop_restores_with_its_sort_orders() {
    let catalogue =
        Catalogue::from_feed(generate_feed(3_000, 21, "http://127.0.0.1:8080").as_bytes()).unwrap();
    // Without sort orders: they are built on first use after restoring.
    assert_same(&catalogue, &round_trip(&catalogue));
    SortKey::ALL
        .into_iter()
        .for_each(|sort| catalogue.prepare_sort(sort));
    let restored = round_trip(&catalogue);
    assert_eq!(
        restored.index_bytes(),
        catalogue.index_bytes(),
        "the orders came back built"
    );
    assert_same(&catalogue, &restored);
}

#[test]
fn a_catalogue_snapshot_taken_while_loading_restores() {
    let body = generate_feed(1_200, 4, "http://127.0.0.1:8080");
    let mut builder = CatalogueBuilder::new();
    for (n, part) in body.as_bytes().chunks(64 << 10).enumerate() {
        builder.push(part).unwrap();
        // Orders built over a prefix of the items, extended on restoring.
        if n % 2 == 0 {
            builder.catalogue().prepare_sort(SortKey::Title);
        }
        assert_same(builder.catalogue(), &round_trip(builder.catalogue()));
    }
}

fn shop(id: u64, alpha2: &str, geo: Option<(f64, f64)>, pickup: bool) -> ShopInfo {
    ShopInfo {
        name: format!("Shop {id}"),
        uri: Some(format!("https://shop{id}.example")),
        alpha2: Some(alpha2.to_owned()),
        geo,
        pickup,
        ..ShopInfo::bare(&id.to_string())
    }
}

/// Three shops' feeds read into one catalogue: shop facets, copies of a
/// release grouped across shops, one shop without a location.
fn aggregated(items: usize) -> Catalogue {
    let shops = [
        (1001, "GB", Some((-0.13, 51.51)), true),
        (1002, "FR", Some((2.35, 48.86)), false),
        (1003, "JP", None, true),
    ];
    let mut builder = CatalogueBuilder::new();
    builder.set_shops(
        shops
            .iter()
            .map(|&(id, alpha2, geo, pickup)| shop(id, alpha2, geo, pickup))
            .collect(),
    );
    for (index, &(id, ..)) in shops.iter().enumerate() {
        let mut shop_feed = ShopFeed::new(index as u16);
        let feed = generate_shop_feed(items, 5, id, "http://127.0.0.1:1");
        builder
            .push_shop_chunk(&mut shop_feed, feed.as_bytes())
            .unwrap();
        builder.finish_shop(&mut shop_feed).unwrap();
    }
    builder.finish_items()
}

#[test]
fn an_aggregated_catalogue_restores_its_shops_and_copies() {
    let catalogue = aggregated(300);
    let grouped = (0..catalogue.len() as u32)
        .filter(|&i| catalogue.copies(i).len() > 1)
        .count();
    assert!(grouped > 10, "copies to restore ({grouped})");
    catalogue.prepare_sort(SortKey::PriceAsc);
    assert_same(&catalogue, &round_trip(&catalogue));
}

#[test]
fn a_stock_listing_source_restores_its_availability() {
    use cg_core::squarespace::parse_page;
    let body = r#"{"inventory":[
        {"variantId":"a","sku":"A","descriptor":"Alpha [Red]","isUnlimited":false,"quantity":0},
        {"variantId":"b","sku":"B","descriptor":"Beta","isUnlimited":false,"quantity":7},
        {"variantId":"c","sku":"C","descriptor":"Gamma","isUnlimited":true,"quantity":0}],
        "pagination":{"hasNextPage":false}}"#;
    let items: Vec<Item> = parse_page(200, body)
        .unwrap()
        .variants
        .iter()
        .map(|v| v.to_item(Some("https://shop.example/p/{sku}")))
        .collect();
    let catalogue = Catalogue::from_items(items.clone());
    let restored = round_trip(&catalogue);
    assert_same(&catalogue, &restored);
    assert_eq!(
        restored.items().collect::<Vec<_>>(),
        items,
        "variant, url, stock and quantities come back"
    );
    let by_stock = restored.query(&ViewState {
        sort: Some(SortKey::Stock),
        ..ViewState::default()
    });
    assert_eq!(by_stock.items, [2, 1, 0]);
}

#[test]
fn what_is_not_a_snapshot_of_this_version_is_refused_plainly() {
    let bytes = Catalogue::from_feed(generate_feed(20, 1, "http://127.0.0.1:1").as_bytes())
        .unwrap()
        .to_snapshot();
    assert_eq!(refused(b""), SnapshotError::Truncated);
    assert_eq!(refused(b"[{\"id\":1}]"), SnapshotError::NotASnapshot);
    let mut other_version = bytes.clone();
    other_version[8..12].copy_from_slice(&(SNAPSHOT_VERSION + 1).to_le_bytes());
    assert_eq!(
        refused(&other_version),
        SnapshotError::Version {
            found: SNAPSHOT_VERSION + 1
        }
    );
    assert_eq!(refused(&bytes[..bytes.len() - 1]), SnapshotError::Truncated);
    let mut longer = bytes.clone();
    longer.push(0);
    refused(&longer);
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    assert_eq!(refused(&flipped), SnapshotError::Checksum);
    assert_eq!(
        round_trip(&Catalogue::default()).len(),
        0,
        "an empty catalogue round-trips"
    );
}

fn small_snapshot() -> Vec<u8> {
    let catalogue = aggregated(12);
    SortKey::ALL
        .into_iter()
        .for_each(|sort| catalogue.prepare_sort(sort));
    catalogue.to_snapshot()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn a_cut_snapshot_is_an_error(cut in 0usize..1_000_000) {
        let bytes = small_snapshot();
        let cut = cut % bytes.len();
        refused(&bytes[..cut]);
    }

    #[test]
    fn changed_bytes_are_an_error(changes in prop::collection::vec((any::<usize>(), 1u8..=255), 1..8)) {
        let mut bytes = small_snapshot();
        let mut seen = std::collections::HashSet::new();
        for (at, flip) in changes {
            let at = at % bytes.len();
            // A byte flipped twice would be unchanged.
            if seen.insert(at) {
                bytes[at] ^= flip;
            }
        }
        refused(&bytes);
    }
}

//! The snapshot's bytes of a fixed catalogue, recorded with the format
//! version they belong to: a change to what is written (a field added to
//! the catalogue, items encoded or keys folded another way) fails here
//! until [`SNAPSHOT_VERSION`] is bumped, so a saved snapshot of the old
//! layout is refused instead of misread.

use super::checksum::checksum;
use super::header::HEADER_BYTES;
use super::SNAPSHOT_VERSION;
use crate::feed::{every_kind_of_listing, Item, Listing};
use crate::index::{Catalogue, CatalogueBuilder};
use crate::shop_list::ShopInfo;
use crate::view_state::SortKey;

/// `(SNAPSHOT_VERSION, body length, checksum of the body)` of
/// [`fixed_catalogue`]'s snapshot, as recorded for this version.
const RECORDED: (u32, usize, u64) = (2, 2988, 0x7ff8_673b_6ede_9161);

/// A small aggregated catalogue with every kind of field set somewhere:
/// two shops (one with every detail, one bare), items with every item and
/// listing field and with none, copies of one release in both shops, an
/// item without listings and a repeated one (counted in the load
/// statistics), and every precomputed sort order built. Built from items,
/// not feed text, so only what is written decides the bytes.
fn fixed_catalogue() -> Catalogue {
    let mut builder = CatalogueBuilder::new();
    builder.set_shops(vec![
        ShopInfo {
            id: "17".into(),
            name: "Disques Dupont".into(),
            key: Some("shops/17/inventory.json".into()),
            date: Some("2025-01-31".into()),
            uri: Some("https://dupont.example".into()),
            logo: Some("https://dupont.example/logo.png".into()),
            alpha2: Some("FR".into()),
            geo: Some((2.35, 48.85)),
            pickup: true,
        },
        ShopInfo::bare("42"),
    ]);
    let full = Item {
        id: Some(1_000_001),
        kind: "ReleaseItem".into(),
        path: Some("/release/1".into()),
        title: "Début \"Live\"".into(),
        artists: vec!["Björk".into(), String::new()],
        labels: vec!["One Little Indian".into()],
        catalogue_numbers: vec!["TPLP 31".into()],
        authors: vec!["Toop".into()],
        manufacturers: vec!["Technics".into()],
        publisher: Some("Wesleyan".into()),
        language: Some("en".into()),
        page_count: Some(336),
        formats: vec!["Vinyl".into(), "LP".into()],
        genres: vec!["Électronic".into(), "Trip Hop".into()],
        styles: vec!["Downtempo".into()],
        categories: vec!["Records".into()],
        year: Some(1993),
        country: Some("UK".into()),
        discogs_id: Some(555),
        weight_grams: Some(230),
        images: vec!["https://img.example/1.jpg".into()],
        description: Some("First pressing.".into()),
        shop_note: Some("Signed".into()),
        listings: every_kind_of_listing(),
        variant: Some("Green".into()),
        url: Some("https://dupont.example/p/1".into()),
        shop: Some(0),
        lists_stock: true,
    };
    let sparse = Item {
        kind: "Item".into(),
        listings: vec![full.listings[1].clone()],
        shop: Some(1),
        ..Item::default()
    };
    let copy_elsewhere = Item {
        id: Some(7),
        title: "Debut".into(),
        year: Some(2007),
        listings: vec![Listing {
            quantity: Some(0),
            sale: Some(2500),
            ..full.listings[0].clone()
        }],
        shop: Some(1),
        lists_stock: false,
        ..full.clone()
    };
    let without_listings = Item {
        id: Some(8),
        listings: Vec::new(),
        ..sparse.clone()
    };
    for item in [full.clone(), sparse, copy_elsewhere, without_listings, full] {
        builder.push_item(item);
    }
    let catalogue = builder.finish_items();
    SortKey::ALL
        .into_iter()
        .for_each(|sort| catalogue.prepare_sort(sort));
    catalogue
}

/// What [`RECORDED`] holds, for the snapshot `bytes`.
fn fingerprint(bytes: &[u8]) -> (u32, usize, u64) {
    let body = &bytes[HEADER_BYTES..];
    (SNAPSHOT_VERSION, body.len(), checksum(body))
}

#[test]
fn the_fixed_catalogue_covers_what_a_snapshot_holds() {
    let catalogue = fixed_catalogue();
    assert_eq!(catalogue.len(), 3);
    assert_eq!(
        (catalogue.stats.without_listings, catalogue.stats.duplicates),
        (1, 1)
    );
    assert!(catalogue.is_grouped() && catalogue.lists_stock());
    assert_eq!(catalogue.copies(0), [0, 2]);
}

#[test]
fn snapshot_bytes_are_the_same_every_time() {
    // Two catalogues built apart: nothing in the bytes may come from the
    // time, an address or a hash map's order.
    assert!(fixed_catalogue().to_snapshot() == fixed_catalogue().to_snapshot());
    let bytes = fixed_catalogue().to_snapshot();
    let restored = Catalogue::from_snapshot(&bytes).unwrap();
    assert!(
        restored.to_snapshot() == bytes,
        "restored, it writes the same"
    );
}

#[test]
fn snapshot_bytes_change_only_with_the_format_version() {
    let found = fingerprint(&fixed_catalogue().to_snapshot());
    assert!(
        found == RECORDED,
        "The snapshot's bytes are not those recorded for SNAPSHOT_VERSION {}: \
         found (version, body length, checksum) = ({}, {}, {:#018x}), recorded {:?}.\n\
         If what a snapshot holds or how it is laid out changed (a field of the \
         catalogue, the item store's encoding, how keys are folded), bump \
         SNAPSHOT_VERSION in src/core/index/snapshot/mod.rs, so snapshots saved \
         by the build before are refused instead of misread, then record the new \
         triple in RECORDED in src/core/index/snapshot/golden.rs.",
        SNAPSHOT_VERSION,
        found.0,
        found.1,
        found.2,
        RECORDED,
    );
}

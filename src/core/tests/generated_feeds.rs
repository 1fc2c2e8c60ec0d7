//! Realistic feeds from the emulator's generator, read as the widget reads
//! them: whole and in arbitrary chunks, with the same result.

use cg_core::{Catalogue, CatalogueBuilder, Facet, Item, SortKey, ViewState};
use cg_emulator::generator::generate_feed;

fn catalogue_in_chunks(body: &[u8], chunk: usize) -> Catalogue {
    let mut builder = CatalogueBuilder::new();
    for part in body.chunks(chunk) {
        builder.push(part).unwrap();
    }
    builder.finish().unwrap()
}

#[test]
fn a_generated_shop_reads_completely_whatever_the_chunking() {
    let body = generate_feed(2_000, 42, "http://127.0.0.1:8080");
    let feed: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let whole = Catalogue::from_feed(body.as_bytes()).unwrap();
    let with_listings = feed
        .iter()
        .filter(|i| i["listings"].as_array().is_some_and(|l| !l.is_empty()))
        .count();
    assert_eq!(whole.len(), with_listings);
    assert_eq!(whole.stats.unreadable, 0);
    assert_eq!(whole.stats.elements, feed.len());
    for chunk in [1 << 10, 7_777, 64 << 10] {
        let chunked = catalogue_in_chunks(body.as_bytes(), chunk);
        let ids = |c: &Catalogue| c.items().map(|item| item.id).collect::<Vec<_>>();
        assert_eq!(ids(&chunked), ids(&whole), "chunk size {chunk}");
    }
}

#[test]
fn a_generated_shop_has_every_facet_and_sort_populated() {
    let catalogue =
        Catalogue::from_feed(generate_feed(3_000, 7, "http://127.0.0.1:8080").as_bytes()).unwrap();
    let all = catalogue.query(&ViewState::default());
    for (facet, values) in &all.facets {
        // One shop's feed has no shop-list facets, and lists only stock in hand.
        let expected = !matches!(
            facet,
            Facet::Shop | Facet::ShopCountry | Facet::Pickup | Facet::Stock
        );
        assert_eq!(!values.is_empty(), expected, "{facet:?} has values");
    }
    let types: Vec<&str> = all.facets[Facet::Type as usize]
        .1
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    for kind in ["ReleaseItem", "ProductItem", "BookItem"] {
        assert!(types.contains(&kind), "{kind} in {types:?}");
    }
    assert!(all.conditions.iter().all(|c| *c > 0));
    assert!(
        all.grades[7] > 0,
        "used listings carry grades, from both option shapes"
    );
    for sort in SortKey::ALL {
        let sorted = catalogue.query(&ViewState {
            sort: Some(sort),
            ..ViewState::default()
        });
        assert_eq!(sorted.items.len(), all.items.len(), "{sort:?}");
    }
    let bjork = catalogue.query(&ViewState {
        query: "bjork".into(),
        ..ViewState::default()
    });
    assert!(!bjork.items.is_empty(), "folded search finds Björk");
}

/// Views touching every part of the engine: text, facets, listing filters,
/// ranges and every sort.
fn probe_views(catalogue: &Catalogue) -> Vec<ViewState> {
    let all = catalogue.query(&ViewState::default());
    let genre = all.facets[Facet::Genre as usize]
        .1
        .first()
        .map(|v| v.name.clone());
    let mut views = vec![ViewState::default()];
    for sort in SortKey::ALL {
        views.push(ViewState {
            sort: Some(sort),
            ..ViewState::default()
        });
        views.push(ViewState {
            query: "the".into(),
            sort: Some(sort),
            ..ViewState::default()
        });
        let mut filtered = ViewState {
            sort: Some(sort),
            year_min: Some(1990),
            price_max: Some(3_000),
            ..ViewState::default()
        };
        if let Some(genre) = &genre {
            filtered.toggle(Facet::Genre, genre);
        }
        views.push(filtered);
    }
    views
}

#[test]
fn a_catalogue_queried_while_loading_answers_as_one_built_from_its_items() {
    let body = generate_feed(1_500, 11, "http://127.0.0.1:8080");
    let mut builder = CatalogueBuilder::new();
    for part in body.as_bytes().chunks(48 << 10) {
        builder.push(part).unwrap();
        let partial = builder.catalogue();
        // Built from scratch from the same items: no cached order to extend.
        let fresh = Catalogue::from_items(partial.items());
        assert_eq!(fresh.len(), partial.len());
        for view in probe_views(partial) {
            assert_eq!(
                partial.query(&view),
                fresh.query(&view),
                "{} items, {view:?}",
                partial.len()
            );
        }
    }
    let finished = builder.finish().unwrap();
    let whole = Catalogue::from_feed(body.as_bytes()).unwrap();
    for view in probe_views(&whole) {
        assert_eq!(finished.query(&view), whole.query(&view), "{view:?}");
    }
}

#[test]
fn every_item_decodes_as_the_feed_gave_it() {
    let body = generate_feed(2_000, 9, "http://127.0.0.1:8080");
    let catalogue = Catalogue::from_feed(body.as_bytes()).unwrap();
    let elements: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let mut seen = std::collections::HashSet::new();
    let parsed: Vec<Item> = elements
        .iter()
        .filter_map(|e| Item::from_json(e.to_string().as_bytes()))
        .filter(|item| !item.listings.is_empty() && item.id.is_none_or(|id| seen.insert(id)))
        .collect();
    assert_eq!(catalogue.len(), parsed.len());
    for (i, expected) in parsed.iter().enumerate() {
        assert_eq!(&catalogue.item(i as u32), expected, "item {i}");
    }
    assert!(catalogue.items().eq(parsed), "items() decodes the same");
    assert_eq!(catalogue.get(catalogue.len() as u32), None);
}

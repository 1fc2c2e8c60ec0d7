//! Property tests of the feed reader on a bounded budget: whatever bytes
//! arrive, in whatever chunks, it returns a catalogue or an error, never
//! panics, and keeps memory bounded.

use cg_core::{Catalogue, CatalogueBuilder, ViewState};
use proptest::prelude::*;
use serde_json::Value;

fn read_chunked(bytes: &[u8], chunk: usize) -> Option<Catalogue> {
    let mut builder = CatalogueBuilder::new();
    for part in bytes.chunks(chunk.max(1)) {
        builder.push(part).ok()?;
    }
    builder.finish().ok()
}

fn ids(catalogue: &Catalogue) -> Vec<Option<u64>> {
    catalogue.items().map(|item| item.id).collect()
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("<script>alert(1)</script>".into())),
        Just(Value::String("javascript:alert(1)".into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_owned()),
                        Just("type".to_owned()),
                        Just("path".to_owned()),
                        Just("listings".to_owned()),
                        Just("data".to_owned()),
                        Just("title".to_owned()),
                        Just("prices".to_owned()),
                        Just("sale".to_owned()),
                        Just("stock".to_owned()),
                        Just("quantity".to_owned()),
                        Just("options".to_owned()),
                        Just("artists".to_owned()),
                        Just("genres".to_owned()),
                        Just("year".to_owned()),
                        Just("secondHand".to_owned()),
                        "[a-z]{1,6}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), chunk in 1usize..64) {
        let _ = read_chunked(&bytes, chunk);
        let mut framed = b"[".to_vec();
        framed.extend(&bytes);
        if let Some(catalogue) = read_chunked(&framed, chunk) {
            let _ = catalogue.query(&ViewState { query: "a".into(), ..ViewState::default() });
        }
    }

    #[test]
    fn arbitrary_json_items_never_panic_and_chunking_never_matters(
        items in prop::collection::vec(json_value(), 0..12),
        chunk in 1usize..40,
    ) {
        let body = serde_json::to_vec(&items).unwrap();
        let whole = Catalogue::from_feed(&body).expect("a JSON array is always a feed");
        let chunked = read_chunked(&body, chunk).expect("the same in chunks");
        prop_assert_eq!(ids(&whole), ids(&chunked));
        prop_assert_eq!(&whole.stats, &chunked.stats);
        prop_assert_eq!(whole.stats.elements, items.len());
        for sort in cg_core::SortKey::ALL {
            let result = whole.query(&ViewState { sort: Some(sort), query: "a".into(), ..ViewState::default() });
            prop_assert!(result.items.len() <= whole.len());
        }
    }

    #[test]
    fn a_feed_cut_anywhere_gives_a_prefix_or_a_clear_error(cut in 0usize..4000, chunk in 1usize..512) {
        let body = cg_emulator::generator::generate_feed(8, 3, "http://127.0.0.1:1");
        let full = Catalogue::from_feed(body.as_bytes()).unwrap();
        let cut = cut.min(body.len());
        if let Some(partial) = read_chunked(&body.as_bytes()[..cut], chunk) {
            let got = ids(&partial);
            prop_assert_eq!(&got[..], &ids(&full)[..got.len()], "items before the cut are the feed's first items");
        }
    }
}

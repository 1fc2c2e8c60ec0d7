//! The committed corpus of bad feeds (`tests/feeds/bad/`): each case has a
//! stated outcome, reached whole and when the body arrives in small chunks.

use cg_core::links::{item_link, safe_image};
use cg_core::{Catalogue, CatalogueBuilder, FeedFormatError};
use serde_json::Value;
use std::path::Path;

fn read(bytes: &[u8], chunk: usize) -> Result<Catalogue, FeedFormatError> {
    let mut builder = CatalogueBuilder::new();
    for part in bytes.chunks(chunk.max(1)) {
        builder.push(part)?;
    }
    builder.finish()
}

fn error_kind(error: &FeedFormatError) -> &'static str {
    match error {
        FeedFormatError::Empty => "Empty",
        FeedFormatError::NotAnArray(_) => "NotAnArray",
        FeedFormatError::Truncated { .. } => "Truncated",
    }
}

fn check(name: &str, catalogue: &Catalogue, expect: &Value, storefront: &str) {
    let items: Vec<_> = catalogue.items().collect();
    let stats = &catalogue.stats;
    let count = |key: &str| expect.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let actual = [
        ("shown", items.len()),
        ("unreadable", stats.unreadable),
        ("without_listings", stats.without_listings),
        ("duplicates", stats.duplicates),
        ("over_cap", stats.over_cap),
        (
            "links",
            items
                .iter()
                .filter(|item| item_link(Some(storefront), item.path.as_deref()).is_some())
                .count(),
        ),
        (
            "images",
            items
                .iter()
                .filter(|item| item.images.iter().any(|i| safe_image(i).is_some()))
                .count(),
        ),
        (
            "priced",
            items
                .iter()
                .filter(|item| item.lowest_price().is_some())
                .count(),
        ),
        (
            "years",
            items.iter().filter(|item| item.year.is_some()).count(),
        ),
        (
            "graded",
            items
                .iter()
                .filter(|item| item.listings.iter().any(|l| l.media_grade.is_some()))
                .count(),
        ),
    ];
    for (key, value) in actual {
        // Counts a case does not mention are expected to be zero, except
        // those that describe the shown items themselves.
        let expected = count(key).unwrap_or(match key {
            "unreadable" | "without_listings" | "duplicates" | "over_cap" => 0,
            _ => value,
        });
        assert_eq!(value, expected, "{name}: {key}");
    }
    let truncated = expect
        .get("truncated")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    assert_eq!(stats.truncated, truncated, "{name}: truncated");
    // Whatever the feed held, every link and image is http(s) on the shop.
    for item in &items {
        if let Some(link) = item_link(Some(storefront), item.path.as_deref()) {
            assert!(
                link.starts_with(&format!("{storefront}/")),
                "{name}: {link}"
            );
        }
        assert!(
            item.title.chars().count() <= 2_000,
            "{name}: text is bounded"
        );
    }
}

fn generated(items: usize) -> Vec<u8> {
    let body: Vec<String> = (0..items)
        .map(|i| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}],"data":{{"title":"t{i}"}}}}"#))
        .collect();
    format!("[{}]", body.join(",")).into_bytes()
}

#[test]
fn every_bad_feed_in_the_corpus_has_its_stated_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/feeds/bad");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    let storefront = manifest["storefront"].as_str().unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "the corpus has at least 40 cases");
    for case in cases {
        let (name, bytes) = match case["file"].as_str() {
            Some(file) => (file.to_owned(), std::fs::read(dir.join(file)).unwrap()),
            None => (
                format!("generated {}", case["generate"]),
                generated(case["generate"].as_u64().unwrap() as usize),
            ),
        };
        let expect = &case["expect"];
        for chunk in [usize::MAX, 4096, 7] {
            if chunk == 7 && bytes.len() > 1 << 20 {
                continue;
            }
            match (
                read(&bytes, chunk.min(bytes.len().max(1))),
                expect.get("error").and_then(Value::as_str),
            ) {
                (Err(error), Some(kind)) => assert_eq!(error_kind(&error), kind, "{name}"),
                (Err(error), None) => panic!("{name}: unexpected error {error}"),
                (Ok(_), Some(kind)) => panic!("{name}: expected {kind}"),
                (Ok(catalogue), None) => check(&name, &catalogue, expect, storefront),
            }
        }
    }
}

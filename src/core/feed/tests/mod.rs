//! The feed reader's behaviour: what an element reads as.

mod agreement;

use super::model::{BorrowedItem, Condition, Item};
use super::normalise::MAX_QUANTITY;
use crate::grade::Grade;
use std::borrow::Cow;

fn item(json: &str) -> Item {
    Item::from_json(json.as_bytes()).expect("readable item")
}

const RELEASE: &str = r#"{
    "type": "ReleaseItem", "id": 42, "path": "/release/42/bjork-debut",
    "descriptions": {"main": "Debut album.", "shop": {"text": "Shrink-wrapped."}},
    "listings": [
        {"id": 1765470890000, "status": "published", "stock": {"quantity": 2},
         "prices": {"sale": 19.99, "beforeTaxes": 16.66, "compare": 24.5},
         "secondHand": true,
         "options": [{"name": "Media Condition", "value": "Very Good Plus (VG+)"},
                     {"name": "Sleeve Condition", "value": "Near Mint (NM or M-)"}]},
        {"id": 1765470890001, "status": "published", "stock": {"quantity": null},
         "prices": {"sale": 25, "beforeTaxes": null, "compare": null},
         "secondHand": false, "options": []}
    ],
    "data": {
        "title": "Debut", "artists": ["Björk"], "labels": ["One Little Indian"],
        "discogsId": 123, "formats": ["Vinyl", "LP", "Album"], "genres": ["Electronic", "Pop"],
        "styles": ["Trip Hop"], "year": 1993, "country": "UK", "weight": 230,
        "images": ["https://img.example/42.jpg"], "unknownField": {"x": [1, 2]}
    }
}"#;

#[test]
fn reads_a_documented_release() {
    let item = item(RELEASE);
    assert_eq!(item.id, Some(42));
    assert_eq!(item.kind, "ReleaseItem");
    assert_eq!(item.path.as_deref(), Some("/release/42/bjork-debut"));
    assert_eq!(item.title, "Debut");
    assert_eq!(item.artists, ["Björk"]);
    assert_eq!(item.labels, ["One Little Indian"]);
    assert_eq!(item.discogs_id, Some(123));
    assert_eq!(item.formats, ["Vinyl", "LP", "Album"]);
    assert_eq!(item.genres, ["Electronic", "Pop"]);
    assert_eq!(item.styles, ["Trip Hop"]);
    assert_eq!(item.year, Some(1993));
    assert_eq!(item.country.as_deref(), Some("UK"));
    assert_eq!(item.weight_grams, Some(230));
    assert_eq!(item.images, ["https://img.example/42.jpg"]);
    assert_eq!(item.description.as_deref(), Some("Debut album."));
    assert_eq!(item.shop_note.as_deref(), Some("Shrink-wrapped."));
    assert_eq!(item.listings.len(), 2);
    let used = &item.listings[0];
    assert_eq!(used.id, Some(1765470890000));
    assert_eq!(used.quantity, Some(2));
    assert_eq!(
        (used.sale, used.before_taxes, used.compare),
        (Some(1999), Some(1666), Some(2450))
    );
    assert_eq!(used.condition, Condition::Used);
    assert_eq!(
        (used.media_grade, used.sleeve_grade),
        (Some(Grade::VeryGoodPlus), Some(Grade::NearMint))
    );
    let new = &item.listings[1];
    assert_eq!(
        (new.quantity, new.sale, new.compare),
        (None, Some(2500), None)
    );
    assert_eq!((new.condition, new.media_grade), (Condition::New, None));
    assert_eq!(item.lowest_price(), Some(1999));
}

#[test]
fn reads_product_and_book_blocks() {
    let product = item(
        r#"{"type":"ProductItem","id":7,"listings":[{"id":1}],
        "data":{"title":"Slipmats","manufacturer":"Technics","categories":["Accessories"],"images":[]}}"#,
    );
    assert_eq!(product.manufacturers, ["Technics"]);
    assert_eq!(product.categories, ["Accessories"]);
    assert_eq!(product.creators(), ["Technics"]);
    let book = item(
        r#"{"type":"BookItem","id":8,"listings":[{"id":2}],
        "data":{"title":"Dub","authors":["Michael Veal"],"publisher":"Wesleyan","language":"en","pageCount":336}}"#,
    );
    assert_eq!(book.authors, ["Michael Veal"]);
    assert_eq!(book.creators(), ["Michael Veal"]);
    assert_eq!(
        (
            book.publisher.as_deref(),
            book.language.as_deref(),
            book.page_count
        ),
        (Some("Wesleyan"), Some("en"), Some(336))
    );
}

#[test]
fn keeps_unknown_types_as_generic_items() {
    let gift =
        item(r#"{"type":"GiftCardItem","id":9,"listings":[{"id":3}],"data":{"title":"Voucher"}}"#);
    assert_eq!(
        (gift.kind.as_str(), gift.title.as_str()),
        ("GiftCardItem", "Voucher")
    );
    assert_eq!(item(r#"{"listings":[]}"#).kind, "Item");
}

#[test]
fn every_field_may_be_null_missing_or_of_the_wrong_type() {
    let empty = item("{}");
    assert_eq!(
        empty,
        Item {
            kind: "Item".into(),
            ..Item::default()
        }
    );
    let nulls = item(
        r#"{"type":null,"id":null,"path":null,"descriptions":null,"listings":null,"data":null}"#,
    );
    assert_eq!(nulls, empty);
    let wrong = item(
        r#"{"type":5,"id":"x","path":[],"descriptions":"d","listings":{"a":1},
        "data":{"title":{"t":1},"artists":7,"year":"nineteen","images":{"u":"x"},"genres":"Rock"}}"#,
    );
    assert_eq!(wrong.kind, "5");
    assert_eq!(
        (wrong.id, wrong.path.as_ref(), wrong.year),
        (None, None, None)
    );
    assert!(wrong.listings.is_empty() && wrong.artists.is_empty() && wrong.title.is_empty());
    assert_eq!(wrong.genres, ["Rock"]);
}

#[test]
fn reads_options_as_a_map_too() {
    let item = item(
        r#"{"listings":[{"id":1,"secondHand":true,"options":{"mediaCondition":"NM","sleeveCondition":"G+"}}]}"#,
    );
    assert_eq!(item.listings[0].media_grade, Some(Grade::NearMint));
    assert_eq!(item.listings[0].sleeve_grade, Some(Grade::GoodPlus));
}

#[test]
fn a_grade_without_second_hand_flag_means_used() {
    let item = item(r#"{"listings":[{"id":1,"options":{"condition":"VG"}}]}"#);
    assert_eq!(
        (item.listings[0].condition, item.listings[0].media_grade),
        (Condition::Used, Some(Grade::VeryGood))
    );
}

#[test]
fn drops_listings_with_nothing_to_buy() {
    let item = item(
        r#"{"listings":[
        {"id":1,"stock":{"quantity":0}}, {"id":2,"stock":{"quantity":-3}},
        {"id":3,"status":"draft"}, {"id":4,"status":"published","stock":{"quantity":1e12}},
        {"id":5}, "junk", 7]}"#,
    );
    let ids: Vec<_> = item.listings.iter().map(|l| (l.id, l.quantity)).collect();
    assert_eq!(ids, [(Some(4), Some(MAX_QUANTITY)), (Some(5), None)]);
}

#[test]
fn rejects_impossible_prices_years_and_ids() {
    let item = item(
        r#"{"id":-5,"listings":[
        {"id":1,"prices":{"sale":-1,"compare":5}}, {"id":2,"prices":{"sale":1e300}},
        {"id":3,"prices":{"sale":"12.50","compare":"10"}}],
        "data":{"year":0,"pageCount":-2,"weight":"heavy"}}"#,
    );
    assert_eq!(item.id, None);
    assert_eq!(item.year, None);
    assert_eq!((item.page_count, item.weight_grams), (None, None));
    let prices: Vec<_> = item.listings.iter().map(|l| (l.sale, l.compare)).collect();
    assert_eq!(prices, [(None, None), (None, None), (Some(1250), None)]);
    assert_eq!(
        super::Item::from_json(br#"{"data":{"year":99999}}"#)
            .unwrap()
            .year,
        None
    );
}

#[test]
fn label_objects_give_catalogue_numbers() {
    let item =
        item(r#"{"data":{"labels":[{"name":"Warp","catno":"WARP 123"},"Skam"],"cat":"SKA001"}}"#);
    assert_eq!(item.labels, ["Warp", "Skam"]);
    assert_eq!(item.catalogue_numbers, ["WARP 123", "SKA001"]);
}

#[test]
fn what_is_not_an_object_is_unreadable() {
    for json in [
        "42",
        "\"text\"",
        "null",
        "[1,2]",
        "true",
        "{\"id\":",
        "{\"id\":1,}",
    ] {
        assert!(Item::from_json(json.as_bytes()).is_none(), "{json}");
    }
    assert!(Item::from_json(b"{\"data\":{\"title\":\"\xff\"}}").is_none());
    // serde_json rejects numbers beyond f64: the item is unreadable, not a crash.
    assert!(Item::from_json(br#"{"listings":[{"prices":{"sale":1e400}}]}"#).is_none());
}

#[test]
fn borrowed_items_borrow_unescaped_texts_and_own_escaped_ones() {
    let json = br#"{"type":" ReleaseItem ","data":{"title":"Deb\u00fct","artists":["Bj\u00f6rk"," Sugarcubes "],
        "labels":[{"name":"One Little Indian","catno":" TPLP 31 "}],"genres":["Electronic"]},"listings":[{"id":1}]}"#;
    let item = BorrowedItem::from_json(json).unwrap();
    let borrowed = |text: &Cow<str>| matches!(text, Cow::Borrowed(_));
    assert!(
        borrowed(&item.kind) && item.kind == "ReleaseItem",
        "trimmed, still borrowed"
    );
    assert!(!borrowed(&item.title) && item.title == "Debüt");
    assert_eq!(
        item.artists.iter().map(borrowed).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(
        (&item.artists[1], &item.catalogue_numbers[0]),
        (&Cow::Borrowed("Sugarcubes"), &Cow::Borrowed("TPLP 31"))
    );
    assert_eq!(item.clone().into_owned(), Item::from_json(json).unwrap());
    assert_eq!(item.into_owned().artists, ["Björk", "Sugarcubes"]);
}

#[test]
fn invalid_utf8_makes_an_item_unreadable_only_in_a_text_it_keeps() {
    let ignored = b"{\"id\":1,\"unknownField\":\"\xff\xfe\",\"data\":{\"title\":\"Caf\\u00e9\"}}";
    assert_eq!(
        Item::from_json(ignored).map(|item| item.title),
        Some("Café".to_owned())
    );
    assert!(Item::from_json(b"{\"id\":1,\"data\":{\"title\":\"\xff\"}}").is_none());
    assert!(Item::from_json(b"{\"id\":1,\"data\":{\"genres\":[\"Rock\",\"\xc3\"]}}").is_none());
}

#[test]
fn an_element_read_in_place_is_the_element_read_alone() {
    let elements = [
        RELEASE,
        r#"{"id":7,"listings":[{"id":1}]}"#,
        "[1,{\"a\":2}]",
        "{}",
    ];
    for element in elements {
        for rest in ["", ",", "]", ",{\"id\":", " , [1"] {
            let bytes = format!("{element}{rest}");
            let (item, length) = BorrowedItem::from_json_prefix(bytes.as_bytes()).expect(element);
            assert_eq!(length, element.len());
            assert_eq!(
                item,
                BorrowedItem::from_json(element.as_bytes()),
                "{element}"
            );
        }
    }
    // Not readable in place: left for the splitter, which finds their end.
    let broken: [&[u8]; 5] = [
        br#"{"id":1,"id":2}"#,
        br#"{"data":{"title":"a","title":"b"}}"#,
        br#"{"id":"#,
        br#"{"id":1]"#,
        b"{\"data\":{\"title\":\"\xff\"}}",
    ];
    for element in broken {
        assert_eq!(
            BorrowedItem::from_json_prefix(element),
            None,
            "{}",
            String::from_utf8_lossy(element)
        );
        assert_eq!(BorrowedItem::from_json(element), None);
    }
}

#[test]
fn an_owned_item_borrowed_and_owned_again_is_unchanged() {
    let mut full = item(RELEASE);
    full.variant = Some("Green".into());
    full.url = Some("https://shop.example/p/1".into());
    full.shop = Some(3);
    full.lists_stock = true;
    full.catalogue_numbers = vec!["CAT 1".into()];
    full.authors = vec!["Author".into()];
    full.manufacturers = vec!["Maker".into()];
    full.categories = vec!["Books".into()];
    (full.publisher, full.language, full.page_count) =
        (Some("Pub".into()), Some("en".into()), Some(12));
    assert_eq!(BorrowedItem::borrowing(&full).into_owned(), full);
}

#[test]
fn hostile_text_is_kept_as_text() {
    let item = item(
        r#"{"path":"javascript:alert(1)","data":{"title":"<script>alert(1)</script>","artists":["<img src=x onerror=alert(1)>"]}}"#,
    );
    assert_eq!(item.title, "<script>alert(1)</script>");
    assert_eq!(item.path.as_deref(), Some("javascript:alert(1)"));
}

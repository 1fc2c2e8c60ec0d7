//! The streaming reader agrees with its oracle, the serde readers
//! (`feed::oracle`), on generated feeds, odd values in every field and
//! broken bytes.

use crate::feed::model::BorrowedItem;
use crate::feed::oracle::{serde_item, serde_item_prefix};

/// Compares both readers on an element, alone and followed by more of a feed.
fn assert_readers_agree(element: &[u8]) {
    let shown = || String::from_utf8_lossy(element).into_owned();
    assert_eq!(
        BorrowedItem::from_json(element),
        serde_item(element),
        "{}",
        shown()
    );
    if matches!(element.first(), Some(b'{' | b'[')) {
        let followed = [element, b",{\"id\":1} ]"].concat();
        assert_eq!(
            BorrowedItem::from_json_prefix(&followed),
            serde_item_prefix(&followed),
            "{}",
            shown()
        );
    }
}

#[test]
fn a_bare_name_reads_as_a_list_of_one_in_both_readers() {
    let bare = br#"{"data":{"genres":"","styles":"   ","artists":"  Aphex Twin ","formats":"\tLP\n","authors":{"name":" Toop "},"manufacturer":{"name":" "},"labels":" "}}"#;
    let listed = br#"{"data":{"genres":[""],"styles":["   "],"artists":["  Aphex Twin "],"formats":["\tLP\n"],"authors":[{"name":" Toop "}],"manufacturer":[{"name":" "}],"labels":[" "]}}"#;
    let (fast, by_serde) = (
        [
            BorrowedItem::from_json(bare),
            BorrowedItem::from_json(listed),
        ],
        [serde_item(bare), serde_item(listed)],
    );
    for [bare, listed] in [fast, by_serde] {
        assert_eq!(bare, listed);
        let item = bare.expect("readable item").into_owned();
        assert!(
            item.genres.is_empty()
                && item.styles.is_empty()
                && item.manufacturers.is_empty()
                && item.labels.is_empty(),
            "{item:?}"
        );
        assert_eq!(
            (item.artists, item.formats, item.authors),
            (
                vec!["Aphex Twin".to_owned()],
                vec!["LP".to_owned()],
                vec!["Toop".to_owned()]
            )
        );
    }
    assert_readers_agree(bare);
}

#[test]
fn the_reader_reads_generated_feeds_as_serde_does() {
    for seed in [1, 2, 3] {
        let feed = cg_emulator::generator::generate_feed(1_500, seed, "http://127.0.0.1:9/img");
        let mut splitter = crate::splitter::FeedSplitter::new();
        let mut elements = 0;
        splitter
            .push(feed.as_bytes(), |element| {
                assert_readers_agree(element);
                assert!(BorrowedItem::from_json(element).is_some());
                elements += 1;
            })
            .unwrap();
        splitter.finish().unwrap();
        assert_eq!(elements, 1_500);
    }
}

#[test]
fn the_reader_agrees_with_serde_on_odd_and_broken_json() {
    let cases: &[&[u8]] = &[
        br#"{"id":1,"id":2}"#,
        br#"{"data":{"title":"a","title":"b"}}"#,
        br#"{"listings":[{"options":[{"name":"a","name":"b","value":"c"}]}]}"#,
        br#"{"unknown":1,"unknown":2,"id":"7"}"#,
        br#"{"id":-0,"data":{"title":-0,"year":"1999","weight":1e2,"artists":-0}}"#,
        br#"{"id":18446744073709551616,"data":{"title":18446744073709551615,"discogsId":-9223372036854775808}}"#,
        br#"{"data":{"title":-9223372036854775809,"cat":1.5e300}}"#,
        br#"{"listings":[{"prices":{"sale":1e400}}]}"#,
        br#"{"ignored":1e400,"listings":[{"id":1}]}"#,
        br#"{"ignored":01}"#,
        br#"{"ignored":[1.]}"#,
        br#"{"data":{"title":"\ud83c\udfb6 \u00e9\/\b\f\n\r\t"}}"#,
        br#"{"data":{"title":"\ud83c"}}"#,
        br#"{"data":{"title":"\udc00"}}"#,
        br#"{"ignored":"\ud83c","listings":[{"id":1}]}"#,
        br#"{"ignored":"\q"}"#,
        br#"{"ignored":"\u12"}"#,
        b"{\"ignored\":\"a\x01b\"}",
        b"{\"ignored\":{\"\xff\":1},\"listings\":[{\"id\":1}]}",
        b"{\"data\":{\"title\":{\"\xff\":1}}}",
        b"{\"data\":{\"title\":[\"\xff\",{\"\xfe\":2}]},\"listings\":[{\"id\":1}]}",
        b"{\"\xff\":1}",
        br#"{"data":{"artists":[{"title":null,"name":"B"},{"url":{"x":1},"src":"s"},[],true,2.5]}}"#,
        br#"{"data":{"labels":[{"catno":"1","name":null,"title":"T","cat":"2"},{"name":7},"",true,[1]]}}"#,
        br#"{"data":{"labels":{"name":" L "},"artists":{"name":" A "},"formats":" F ","genres":""}}"#,
        br#"{"data":{"genres":"   ","styles":"\u0020Dub\t","artists":"  Aphex Twin ","authors":"","manufacturer":{"name":""}}}"#,
        br#"{"listings":[{"options":{"a":1,"b":null,"c":[1],"d":{"e":"f"},"g":true}},{"options":[{"name":"n","value":2},5,"s",{"value":"v"}]}]}"#,
        br#"{"listings":[{"secondHand":"YES","status":" Published "},{"secondHand":2},{"secondHand":0},{"secondHand":-1},{"secondHand":1.0}]}"#,
        br#"{"listings":{"id":1},"data":[],"descriptions":"d"}"#,
        br#"{"descriptions":{"main":" m ","shop":{"text":" t ","text2":1}},"listings":[{"stock":{"quantity":"3"}}]}"#,
        br#"{"descriptions":{"shop":{"text":1,"text":2}}}"#,
        br#"{"listings":[{"id":1}],}"#,
        br#"{"listings":[{"id":1},]}"#,
        br#"{"listings":[{"id":1}]"#,
        br#"{"listings":[{"id":1}]}}"#,
        br#"{"listings" [{"id":1}]}"#,
        br#"{"ignored":[[[[{"a":[{}]}]]]],"listings":[{"id":1}]}"#,
        br#"{"ignored":[[[}]]]}"#,
        br#"{"ignored":{"a" 1}}"#,
        br#"{"ignored":tru}"#,
        br#"[1,{"a":2}]"#,
        br#"["\q"]"#,
        b"[\"\xff\"]",
        br#"[1e400]"#,
        br#"  { "listings" : [ { "id" : 1 } ] , "id" : " 12 " }  "#,
        br#"{"id":1.0,"listings":[{"id":"0012"},{"id":" 99999999999999999999 "},{"id":9007199254740992.0}]}"#,
        br#"42"#,
        br#""text""#,
        br#"null"#,
        br#""#,
    ];
    for case in cases {
        assert_readers_agree(case);
    }
    let nested = format!(
        "{{\"ignored\":{}1{},\"listings\":[{{\"id\":1}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_readers_agree(nested.as_bytes());
}

mod generated_shapes {
    use super::assert_readers_agree;
    use proptest::prelude::*;

    /// The release fields of an item's `data`, used by both generators.
    const RELEASE_FIELDS: [&str; 11] = [
        "title",
        "artists",
        "labels",
        "discogsId",
        "formats",
        "genres",
        "styles",
        "year",
        "country",
        "weight",
        "images",
    ];

    /// Every key the feed knows, plus unknown and escaped ones.
    const OTHER_KEYS: &[&str] = &[
        "type",
        "id",
        "path",
        "descriptions",
        "main",
        "shop",
        "text",
        "listings",
        "status",
        "stock",
        "quantity",
        "prices",
        "sale",
        "beforeTaxes",
        "compare",
        "secondHand",
        "options",
        "data",
        "manufacturer",
        "categories",
        "authors",
        "publisher",
        "language",
        "pageCount",
        "cat",
        "name",
        "value",
        "catno",
        "url",
        "src",
        "uri",
        "catalogNumber",
        "other",
        "n\\u0061me",
    ];
    fn keys() -> Vec<&'static str> {
        RELEASE_FIELDS
            .into_iter()
            .chain(OTHER_KEYS.iter().copied())
            .collect()
    }

    const SCALARS: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "2",
        "-1",
        "7",
        "12.5",
        "-12.50",
        "1e3",
        "1E-2",
        "0.1",
        "19.99",
        "1999",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "1e400",
        "01",
        "1.",
        "-",
        "\"\"",
        "\" \"",
        "\"a\"",
        "\" Warp \"",
        "\"Bj\\u00f6rk\"",
        "\"\\ud83c\\udfb6\"",
        "\"\\ud83c\"",
        "\"12.5\"",
        "\" 7 \"",
        "\"true\"",
        "\"YES\"",
        "\"no\"",
        "\"0\"",
        "\"x\\\"y\"",
        "\"\\/\"",
        "\"t\\tb\"",
        "\"\\q\"",
        "\"é\"",
        "\"published\"",
        "\"Draft\"",
        "\"Media Condition\"",
        "\"VG+\"",
        "\"NM\"",
        "\"Sleeve\"",
        "\"\u{1}\"",
        "\"\u{ff}\"",
        "tru",
    ];

    fn value() -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(SCALARS).prop_map(str::to_owned);
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|values| format!("[{}]", values.join(","))),
                prop::collection::vec((prop::sample::select(keys()), inner), 0..5)
                    .prop_map(|entries| json_object(&entries)),
            ]
        })
    }

    /// `{"key":value,…}` from keys and JSON values, in order, repeats kept.
    fn json_object(entries: &[(&str, String)]) -> String {
        let entries: Vec<String> = entries
            .iter()
            .map(|(key, value)| format!("\"{key}\":{value}"))
            .collect();
        format!("{{{}}}", entries.join(","))
    }

    fn object_of(
        keys: impl Into<Vec<&'static str>>,
        values: impl Strategy<Value = String>,
    ) -> impl Strategy<Value = String> {
        prop::collection::vec((prop::sample::select(keys.into()), values), 0..8)
            .prop_map(|entries| json_object(&entries))
    }

    /// Items shaped like the feed's, with odd values in any field.
    fn item() -> impl Strategy<Value = String> {
        let listing = object_of(
            &[
                "id",
                "status",
                "stock",
                "prices",
                "secondHand",
                "options",
                "other",
            ],
            value(),
        );
        let listings = prop::collection::vec(prop_oneof![listing, value()], 0..4)
            .prop_map(|l| format!("[{}]", l.join(",")));
        let data_fields: Vec<&'static str> = RELEASE_FIELDS
            .into_iter()
            .chain(["cat", "authors", "pageCount", "other"])
            .collect();
        let data = object_of(data_fields, value());
        (
            prop::collection::vec(
                (
                    prop::sample::select(&["type", "id", "path", "descriptions", "other"][..]),
                    value(),
                ),
                0..4,
            ),
            listings,
            data,
        )
            .prop_map(|(fields, listings, data)| {
                let mut entries: Vec<String> = fields
                    .iter()
                    .map(|(key, value)| format!("\"{key}\":{value}"))
                    .collect();
                entries.push(format!("\"listings\":{listings}"));
                entries.push(format!("\"data\":{data}"));
                format!("{{{}}}", entries.join(","))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

        #[test]
        fn odd_values_read_as_serde_reads_them(item in item()) {
            assert_readers_agree(item.as_bytes());
        }

        #[test]
        fn broken_bytes_read_as_serde_reads_them(
            item in item(),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(&b"\"\\{}[],: 0e-u\xff\xc3\x01"[..]),
            edit in 0..3u8,
        ) {
            let mut bytes = item.into_bytes();
            let at = at.index(bytes.len());
            match edit {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => { bytes.remove(at); }
            }
            assert_readers_agree(&bytes);
        }
    }
}

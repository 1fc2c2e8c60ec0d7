//! The oracle of the feed's streaming reader (tests only): serde readers
//! of the raw shape, derived for the raw types (their `cfg_attr(test, …)`)
//! from the serde readers of the field types here. They read what the
//! streaming reader reads, the way serde_json reads it; the agreement
//! tests (`feed::tests::agreement`) hold the two to the same results, so
//! a change of behaviour in one must be made in the other.
//!
//! This was the product's reader before the streaming one, which was
//! measured faster (see `feed::reader`); it stays as a slower, simpler
//! reading of the same rules.

use super::model::BorrowedItem;
use super::raw::{BorrowedText, Labels, List, Names, Object, Options, RawItem};
use crate::lenient::{
    absent_for, drain_map, drain_seq, is_name_key, kept_name, Label, LabelKey, TextVisitor,
};
use serde::de::{
    self, value::MapAccessDeserializer, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// An element read by serde_json with the serde readers of the raw
/// types, as [`BorrowedItem::from_json`] must read it.
pub(super) fn serde_item(bytes: &[u8]) -> Option<BorrowedItem<'_>> {
    serde_json::from_slice::<Object<RawItem>>(bytes)
        .ok()?
        .0
        .map(BorrowedItem::from_raw)
}

/// An element at the start of `bytes` read by serde_json, as
/// [`BorrowedItem::from_json_prefix`] must read it.
pub(super) fn serde_item_prefix(bytes: &[u8]) -> Option<(Option<BorrowedItem<'_>>, usize)> {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Object<RawItem>>();
    let Object(raw) = values.next()?.ok()?;
    Some((raw.map(BorrowedItem::from_raw), values.byte_offset()))
}

impl<'de: 'a, 'a> Deserialize<'de> for BorrowedText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(BorrowedText)
    }
}

/// One element of a [`Names`] list.
struct NameEntry<'a>(Option<Cow<'a, str>>);

struct NameEntryVisitor;

impl<'de> Visitor<'de> for NameEntryVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        TextVisitor.visit_borrowed_str(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        TextVisitor.visit_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        TextVisitor.visit_string(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        TextVisitor.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        TextVisitor.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        TextVisitor.visit_f64(v)
    }
    absent_for!(None => bool, unit, seq);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(BorrowedText(key)) = map.next_key()? {
            let BorrowedText(value) = map.next_value()?;
            if found.is_none() && key.as_deref().is_some_and(is_name_key) {
                found = value;
            }
        }
        Ok(found)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for NameEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NameEntryVisitor).map(NameEntry)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Vec<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TextVisitor
            .visit_borrowed_str(v)?
            .and_then(kept_name)
            .into_iter()
            .collect())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TextVisitor
            .visit_str(v)?
            .and_then(kept_name)
            .into_iter()
            .collect())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut names = Vec::new();
        while let Some(NameEntry(name)) = seq.next_element()? {
            names.extend(name.and_then(kept_name));
        }
        Ok(names)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(NameEntryVisitor
            .visit_map(map)?
            .and_then(kept_name)
            .into_iter()
            .collect())
    }
    absent_for!(Vec::new() => bool, i64, u64, f64, unit);
}

impl<'de: 'a, 'a> Deserialize<'de> for Names<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NamesVisitor).map(Names)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    absent_for!(None => str, bool, i64, u64, f64, unit, seq);
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectVisitor(PhantomData)).map(Object)
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Object(element)) = seq.next_element::<Object<T>>()? {
            out.extend(element);
        }
        Ok(out)
    }
    absent_for!(Vec::new() => str, bool, i64, u64, f64, unit, map);
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor(PhantomData)).map(List)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NameValue<'a> {
    #[serde(borrow)]
    name: BorrowedText<'a>,
    #[serde(borrow)]
    value: BorrowedText<'a>,
}

struct OptionsVisitor;

impl<'de> Visitor<'de> for OptionsVisitor {
    type Value = Vec<(Cow<'de, str>, Cow<'de, str>)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Object(pair)) = seq.next_element::<Object<NameValue>>()? {
            if let Some(NameValue {
                name: BorrowedText(Some(name)),
                value: BorrowedText(Some(value)),
            }) = pair
            {
                out.push((name, value));
            }
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(BorrowedText(key)) = map.next_key()? {
            let BorrowedText(value) = map.next_value()?;
            if let (Some(key), Some(value)) = (key, value) {
                out.push((key, value));
            }
        }
        Ok(out)
    }
    absent_for!(Vec::new() => str, bool, i64, u64, f64, unit);
}

impl<'de: 'a, 'a> Deserialize<'de> for Options<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OptionsVisitor).map(Options)
    }
}

/// One element of [`Labels`].
struct LabelEntry<'a>(Option<Label<'a>>);

struct LabelEntryVisitor;

impl<'de> Visitor<'de> for LabelEntryVisitor {
    type Value = Option<Label<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TextVisitor.visit_borrowed_str(v)?.map(|name| (name, None)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TextVisitor.visit_str(v)?.map(|name| (name, None)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut name, mut catno) = (None, None);
        while let Some(BorrowedText(key)) = map.next_key()? {
            let BorrowedText(value) = map.next_value()?;
            match key.as_deref().map(LabelKey::of) {
                Some(LabelKey::Name) => name = name.or(value),
                Some(LabelKey::CatalogueNumber) => catno = catno.or(value),
                _ => {}
            }
        }
        Ok(name.map(|name| (name, catno)))
    }
    absent_for!(None => bool, i64, u64, f64, unit, seq);
}

impl<'de: 'a, 'a> Deserialize<'de> for LabelEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LabelEntryVisitor).map(LabelEntry)
    }
}

struct LabelsVisitor;

impl<'de> Visitor<'de> for LabelsVisitor {
    type Value = Vec<Label<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(LabelEntry(label)) = seq.next_element()? {
            out.extend(label.filter(|(name, _)| !name.trim().is_empty()));
        }
        Ok(out)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(LabelEntryVisitor
            .visit_borrowed_str(v)?
            .into_iter()
            .collect())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(LabelEntryVisitor.visit_str(v)?.into_iter().collect())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(LabelEntryVisitor.visit_map(map)?.into_iter().collect())
    }
    absent_for!(Vec::new() => bool, i64, u64, f64, unit);
}

impl<'de: 'a, 'a> Deserialize<'de> for Labels<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LabelsVisitor).map(Labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lenient::{Number, Text, MAX_TEXT_BYTES};

    fn read<'a, T: Deserialize<'a>>(json: &'a str) -> T {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn names_from_strings_objects_or_one_string() {
        assert_eq!(
            read::<Names>(r#"["A", " B ", "", null, 3]"#),
            Names(vec!["A".into(), "B".into(), "3".into()])
        );
        assert_eq!(
            read::<Names>(r#"[{"name":"Warp","catno":"W1"},{"x":1}]"#),
            Names(vec!["Warp".into()])
        );
        assert_eq!(read::<Names>(r#""Solo""#), Names(vec!["Solo".into()]));
        assert_eq!(read::<Names>("42"), Names(vec![]));
        assert_eq!(read::<Names>("null"), Names(vec![]));
    }

    #[test]
    fn objects_and_lists_skip_wrong_shapes() {
        #[derive(serde::Deserialize, Default, Debug, PartialEq)]
        #[serde(default)]
        struct P {
            a: Number,
        }
        assert_eq!(
            read::<Object<P>>(r#"{"a":1,"zz":[{}]}"#),
            Object(Some(P {
                a: Number(Some(1.0))
            }))
        );
        assert_eq!(read::<Object<P>>(r#""str""#), Object(None));
        assert_eq!(
            read::<List<P>>(r#"[{"a":2}, 5, "x", null, {"a":"3"}]"#)
                .0
                .len(),
            2
        );
        assert_eq!(read::<List<P>>(r#"{"a":1}"#).0.len(), 0);
    }

    #[test]
    fn labels_from_names_or_objects() {
        let labels =
            read::<Labels>(r#"["Warp", {"name":"XL","catno":"XL123"}, {"catno":"X"}, 5, ""]"#);
        assert_eq!(
            labels.0,
            vec![("Warp".into(), None), ("XL".into(), Some("XL123".into()))]
        );
    }

    #[test]
    fn options_from_list_or_map() {
        let list = read::<Options>(r#"[{"name":"Media Condition","value":"VG+"},{"name":"x"},7]"#);
        assert_eq!(list.0, vec![("Media Condition".into(), "VG+".into())]);
        let map = read::<Options>(r#"{"mediaCondition":"NM","sleeveCondition":null,"n":{"a":1}}"#);
        assert_eq!(map.0, vec![("mediaCondition".into(), "NM".into())]);
        assert_eq!(read::<Options>("null").0, vec![]);
    }

    // A `Cow` it is: the question is which of its two kinds.
    #[allow(clippy::ptr_arg)]
    fn is_borrowed(text: &Cow<str>) -> bool {
        matches!(text, Cow::Borrowed(_))
    }

    #[test]
    fn texts_are_borrowed_unless_escaped_or_not_strings() {
        let plain = read::<BorrowedText>(r#""Björk""#).0.unwrap();
        assert!(is_borrowed(&plain) && plain == "Björk");
        let escaped = read::<BorrowedText>(r#""Bj\u00f6rk \"Debut\"""#).0.unwrap();
        assert!(!is_borrowed(&escaped) && escaped == "Björk \"Debut\"");
        assert_eq!(read::<BorrowedText>("12.5").0.as_deref(), Some("12.5"));
        assert_eq!(read::<BorrowedText>("null").0, None);
        assert_eq!(read::<BorrowedText>(r#"{"a":"b"}"#).0, None);
        // Clipped the same whether borrowed or copied.
        let long = "é".repeat(5000);
        let (plain_json, escaped_json) =
            (format!("\"{long}\""), format!("\"\\u00e9{}\"", &long[2..]));
        let borrowed = read::<BorrowedText>(&plain_json).0.unwrap();
        let copied = read::<BorrowedText>(&escaped_json).0.unwrap();
        assert!(is_borrowed(&borrowed) && !is_borrowed(&copied));
        assert_eq!((borrowed.len(), &borrowed), (MAX_TEXT_BYTES, &copied));
        assert_eq!(
            read::<Text>(&format!("\"{long}\"")).0.as_deref(),
            Some(&*borrowed)
        );
    }

    #[test]
    fn names_labels_and_options_borrow_what_they_can() {
        let names = read::<Names>(
            r#"[" Warp ", "Sk\u00e4m ", {"name": "R\u0026S"}, {"name": "Ninja Tune"}]"#,
        )
        .0;
        assert_eq!(names, ["Warp", "Skäm", "R&S", "Ninja Tune"]);
        assert_eq!(
            names.iter().map(is_borrowed).collect::<Vec<_>>(),
            [true, false, false, true]
        );
        let labels = read::<Labels>(r#"[{"n\u0061me": "Warp", "catno": "WARP\t1"}, "XL"]"#).0;
        assert_eq!(
            labels,
            vec![("Warp".into(), Some("WARP\t1".into())), ("XL".into(), None)]
        );
        assert!(
            is_borrowed(&labels[0].0) && !is_borrowed(labels[0].1.as_ref().unwrap()),
            "an escaped key still matches"
        );
        let options = read::<Options>(
            r#"[{"name": "Media Condition", "value": "Near Mint (NM or M\u002d)"}]"#,
        )
        .0;
        assert_eq!(
            options,
            vec![("Media Condition".into(), "Near Mint (NM or M-)".into())]
        );
        assert!(is_borrowed(&options[0].0) && !is_borrowed(&options[0].1));
        let map = read::<Options>(r#"{"sleeve\u0043ondition": "VG", "x": 5}"#).0;
        assert_eq!(
            map,
            vec![
                ("sleeveCondition".into(), "VG".into()),
                ("x".into(), "5".into())
            ]
        );
    }

    #[test]
    fn owned_texts_read_from_values_as_before() {
        // The Squarespace source reads `Text` from a `serde_json::Value`, which never lends its strings.
        let value = serde_json::json!({"t": "é".repeat(1500)});
        let text: Text = serde_json::from_value(value["t"].clone()).unwrap();
        assert_eq!(text.0.unwrap().len(), MAX_TEXT_BYTES);
        let names = Names::deserialize(serde_json::json!([" a ", {"title": "b"}])).unwrap();
        assert_eq!(names.0, ["a", "b"]);
    }
}

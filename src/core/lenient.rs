//! Field types that accept whatever a feed puts in a field.
//!
//! Each one reads the value it expects, converts the obvious near-misses (a
//! number written as a string), and turns anything else into "absent"
//! instead of an error, so one odd field never makes an item unreadable.
//!
//! The feed's own types borrow their texts from the input ([`Cow`]): only
//! a JSON string with escapes (`\"`, `\u00e9`) or a number read as text
//! needs a copy, so reading an item copies almost none of its texts.
//!
//! These are serde readers: the Squarespace source reads them from
//! `serde_json::Value`s. Feed items are read by `core::json_reader`,
//! which gives the same results faster; its tests use these as the oracle,
//! so a change of behaviour here must be made there too.

use serde::de::{
    self, value::MapAccessDeserializer, Deserialize, Deserializer, IgnoredAny, MapAccess,
    SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// Longest text kept from one field, in bytes (cut at a character
/// boundary); hostile feeds may carry megabytes.
pub const MAX_TEXT_BYTES: usize = 2_000;

/// A text field: strings as they are, numbers and booleans as written.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Text(pub Option<String>);

/// A text field read as [`Text`] is, borrowed from the input when the JSON
/// string has no escapes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BorrowedText<'a>(pub Option<Cow<'a, str>>);

/// A number field: JSON numbers and numeric strings; NaN and infinities are absent.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Number(pub Option<f64>);

/// A non-negative integer id: JSON integers, integral floats, digit strings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub Option<u64>);

/// A boolean field: `true`/`false`, `"true"`/`"false"`, `1`/`0`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

/// A list of names. Accepts a list of strings or of objects with a name-like
/// key (`name`, `title`, `uri`, `url`, `src`), or one bare string or object,
/// read as a list of one. Names are trimmed; empty ones are dropped.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Names<'a>(pub Vec<Cow<'a, str>>);

/// An object field read as `T`; anything that is not an object is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<T>(pub Option<T>);

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

/// A list whose object elements are read as `T`; other elements are skipped,
/// and a field that is not a list reads as empty.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

/// The first [`MAX_TEXT_BYTES`] of `text`, cut at a character boundary.
fn clip(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn clip_owned(mut text: String) -> String {
    let end = clip(&text).len();
    text.truncate(end);
    text
}

/// A number written as text: finite numbers only.
pub(crate) fn number_from_text(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An id written as a float: only integral values below 2^53 are exact.
pub(crate) fn id_from_float(value: f64) -> Option<u64> {
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < 9_007_199_254_740_992.0)
        .then_some(value as u64)
}

/// An id written as text: digits only.
pub(crate) fn id_from_text(text: &str) -> Option<u64> {
    let text = text.trim();
    if !text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// A flag written as text.
pub(crate) fn flag_from_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// Whether an object key names the value a [`Names`] entry keeps.
pub(crate) fn is_name_key(key: &str) -> bool {
    matches!(key, "name" | "title" | "uri" | "url" | "src")
}

/// What a key of a label object holds.
pub(crate) enum LabelKey {
    Name,
    CatalogueNumber,
    Other,
}

impl LabelKey {
    pub(crate) fn of(key: &str) -> LabelKey {
        match key {
            "name" | "title" => LabelKey::Name,
            "catno" | "catNo" | "cat" | "catalogNumber" | "catalogueNumber" => {
                LabelKey::CatalogueNumber
            }
            _ => LabelKey::Other,
        }
    }
}

/// [`clip`] for either kind of text, still borrowed if it was.
pub(crate) fn clip_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(clip(text)),
        Cow::Owned(text) => Cow::Owned(clip_owned(text)),
    }
}

/// A name as [`Names`] keeps it, whether it came alone or in a list:
/// trimmed, and `None` when nothing is left (an empty genre is no facet value).
pub(crate) fn kept_name(name: Cow<'_, str>) -> Option<Cow<'_, str>> {
    Some(trim_cow(name)).filter(|name| !name.is_empty())
}

/// `text` without leading and trailing whitespace, still borrowed if it was.
pub fn trim_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    // Most texts begin and end with a visible ASCII character, which is no
    // whitespace: only the others need the Unicode-aware trim.
    let visible = |byte: Option<&u8>| byte.is_none_or(u8::is_ascii_graphic);
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        return text;
    }
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) if text.trim().len() == text.len() => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(text.trim().to_owned()),
    }
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the named visitor methods so that each returns the absent
/// value; containers are drained first so parsing continues after them.
/// `unit` covers JSON null (`visit_unit`, `visit_none`) and `visit_some`.
macro_rules! absent_for {
    ($absent:expr => $($kind:ident),*) => { $(absent_for!(@one $absent, $kind);)* };
    (@one $absent:expr, str) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one $absent:expr, bool) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one $absent:expr, i64) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one $absent:expr, u64) => {
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one $absent:expr, f64) => {
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one $absent:expr, unit) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> { Ok($absent) }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> { Ok($absent) }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> { d.deserialize_any(self) }
    };
    (@one $absent:expr, seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> { drain_seq(seq)?; Ok($absent) }
    };
    (@one $absent:expr, map) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> { drain_map(map)?; Ok($absent) }
    };
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(clip(v))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(clip(v).to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(clip_owned(v))))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.is_finite().then(|| Cow::Owned(v.to_string())))
    }
    absent_for!(None => unit, seq, map);
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
            .map(|text| Text(text.map(Cow::into_owned)))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for BorrowedText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(BorrowedText)
    }
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.is_finite().then_some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(number_from_text(v))
    }
    absent_for!(None => bool, unit, seq, map);
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberVisitor).map(Number)
    }
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).ok())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(id_from_float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(id_from_text(v))
    }
    absent_for!(None => bool, unit, seq, map);
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IdVisitor).map(Id)
    }
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(v.min(2) as i64)
    }
    absent_for!(None => f64);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(flag_from_text(v))
    }
    absent_for!(None => unit, seq, map);
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FlagVisitor).map(Flag)
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

/// Listing `options`: a list of `{name, value}` pairs or a `{name: value}` map.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Options<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

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

/// A record label and its catalogue number, if given.
pub type Label<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

/// Record labels: a list of names or of `{name, catno}` objects.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Labels<'a>(pub Vec<Label<'a>>);

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

    fn read<'a, T: Deserialize<'a>>(json: &'a str) -> T {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn trims_as_str_trim_does() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\tab c\n",
            "\u{a0}Björk\u{3000}",
            "é",
            "\u{1c}x",
            "x\u{85}",
            "Ω ",
            "\u{b}v\u{c}",
        ] {
            let (borrowed, owned) = (
                trim_cow(Cow::Borrowed(text)),
                trim_cow(Cow::Owned(text.to_owned())),
            );
            assert_eq!(
                (&*borrowed, &*owned),
                (text.trim(), text.trim()),
                "{text:?}"
            );
            assert!(matches!(borrowed, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn text_accepts_scalars_and_drops_containers() {
        assert_eq!(read::<Text>(r#""a""#), Text(Some("a".into())));
        assert_eq!(read::<Text>("12"), Text(Some("12".into())));
        assert_eq!(read::<Text>("null"), Text(None));
        assert_eq!(read::<Text>(r#"{"a":[1,2]}"#), Text(None));
        assert_eq!(read::<Text>("[1]"), Text(None));
        assert_eq!(
            read::<Text>(&format!("\"{}\"", "é".repeat(5000)))
                .0
                .unwrap()
                .len(),
            MAX_TEXT_BYTES
        );
    }

    #[test]
    fn numbers_and_ids() {
        assert_eq!(read::<Number>("12.5"), Number(Some(12.5)));
        assert_eq!(read::<Number>(r#"" 7.25 ""#), Number(Some(7.25)));
        assert_eq!(read::<Number>(r#""NaN""#), Number(None));
        assert_eq!(read::<Number>(r#""abc""#), Number(None));
        assert_eq!(read::<Id>("1765470890000"), Id(Some(1765470890000)));
        assert_eq!(read::<Id>(r#""42""#), Id(Some(42)));
        assert_eq!(read::<Id>("-1"), Id(None));
        assert_eq!(read::<Id>("1.5"), Id(None));
        assert_eq!(read::<Id>(r#""4x""#), Id(None));
    }

    #[test]
    fn flags() {
        assert_eq!(read::<Flag>("true"), Flag(Some(true)));
        assert_eq!(read::<Flag>(r#""false""#), Flag(Some(false)));
        assert_eq!(read::<Flag>("1"), Flag(Some(true)));
        assert_eq!(read::<Flag>("7"), Flag(None));
        assert_eq!(read::<Flag>("{}"), Flag(None));
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

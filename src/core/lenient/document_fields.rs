//! serde field types for the JSON documents other than the feed: the shop
//! list and the Squarespace pages, read with serde_json (the Squarespace
//! ones from `serde_json::Value`s). Each applies a rule of
//! [`crate::lenient`] to whatever its field holds.

use super::{clip, clip_owned, flag_from_text, id_from_float, id_from_text, number_from_text};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A text field: strings as they are, numbers and booleans as written.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Text(pub Option<String>);

/// A number field: JSON numbers and numeric strings; NaN and infinities are absent.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Number(pub Option<f64>);

/// A non-negative integer id: JSON integers, integral floats, digit strings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub Option<u64>);

/// A boolean field: `true`/`false`, `"true"`/`"false"`, `1`/`0`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

/// Reads what is left of a list, keeping nothing.
pub(crate) fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads what is left of an object, keeping nothing.
pub(crate) fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the named visitor methods so that each returns the absent
/// value; containers are drained first so parsing continues after them.
/// `unit` covers JSON null (`visit_unit`, `visit_none`) and `visit_some`.
/// Where it is used, `de`, `Deserializer`, `SeqAccess`, `MapAccess`,
/// `drain_seq` and `drain_map` must be in scope, as they are here.
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

/// Reads any scalar as text, borrowed from the input when it can be: the
/// rule of [`Text`], and of the feed's texts in the oracle's serde readers.
pub(crate) struct TextVisitor;

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

// For the serde readers of the feed's field types, in tests (`feed::oracle`).
#[cfg(test)]
pub(crate) use absent_for;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lenient::MAX_TEXT_BYTES;

    fn read<'a, T: Deserialize<'a>>(json: &'a str) -> T {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
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
}

//! Reading whatever a JSON document puts in a field.
//!
//! Each rule reads the value it expects, converts the obvious near-misses
//! (a number written as a string), and turns anything else into "absent"
//! instead of an error, so one odd field never makes an item unreadable.
//!
//! The rules are written once, here (clipping, trimming, numbers, ids and
//! flags written as text, name and label keys), and applied in two ways:
//!
//! - by serde field types, [`Text`], [`Number`], [`Id`] and [`Flag`]
//!   (`document_fields`), for the JSON documents other than the feed: the
//!   shop list and the Squarespace pages, read with serde_json;
//! - by the feed's one reader, the hand-written streaming reader
//!   (`core::feed::reader`), as it reads. The serde readers of the feed's
//!   own field types are test code only (`core::feed::oracle`): the oracle
//!   that reader is held to, so a change of behaviour in one must be made
//!   in the other.

mod document_fields;

pub use document_fields::{Flag, Id, Number, Text};

use std::borrow::Cow;

/// Longest text kept from one field, in bytes (cut at a character
/// boundary); hostile feeds may carry megabytes.
pub const MAX_TEXT_BYTES: usize = 2_000;

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

/// Whether an object key names the value a list of names keeps.
pub(crate) fn is_name_key(key: &str) -> bool {
    matches!(key, "name" | "title" | "uri" | "url" | "src")
}

/// A record label and its catalogue number, if given.
pub(crate) type Label<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

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

/// A name as a list of names keeps it, whether it came alone or in a list:
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

// For the serde readers of the feed's field types, in tests (`feed::oracle`).
#[cfg(test)]
pub(crate) use document_fields::{absent_for, drain_map, drain_seq, TextVisitor};

#[cfg(test)]
mod tests {
    use super::*;

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
}

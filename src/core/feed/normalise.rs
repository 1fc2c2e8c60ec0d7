//! From the feed's raw shape to the item: what is kept, trimmed, bounded
//! or dropped, whatever the feed wrote.

use super::model::{BorrowedItem, Cents, Condition, Listing};
use super::raw::{RawItem, RawListing};
use crate::grade::Grade;
use crate::lenient::{kept_name, trim_cow};
use std::borrow::Cow;

/// Prices above this (ten million units) are treated as data errors.
const MAX_PRICE_CENTS: Cents = 1_000_000_000;
/// Stock above this is treated as "plenty" rather than trusted.
pub(super) const MAX_QUANTITY: u32 = 1_000_000;

impl<'a> BorrowedItem<'a> {
    /// The item a raw element gives.
    pub(super) fn from_raw(raw: RawItem<'a>) -> BorrowedItem<'a> {
        let data = raw.data.0.unwrap_or_default();
        let descriptions = raw.descriptions.0.unwrap_or_default();
        let mut labels = Vec::with_capacity(data.labels.0.len());
        let mut catalogue_numbers = Vec::new();
        for (label, catno) in data.labels.0 {
            // A bare `"labels": ""` is no label, as an empty entry of a list is not.
            labels.extend(kept_name(label));
            catalogue_numbers.extend(catno.and_then(non_empty));
        }
        catalogue_numbers.extend(data.cat.0.and_then(non_empty));
        catalogue_numbers.dedup();
        BorrowedItem {
            id: raw.id.0,
            kind: raw
                .kind
                .0
                .and_then(non_empty)
                .unwrap_or(Cow::Borrowed("Item")),
            path: raw.path.0.and_then(non_empty),
            title: data.title.0.map(trim_cow).unwrap_or_default(),
            artists: data.artists.0,
            labels,
            catalogue_numbers,
            authors: data.authors.0,
            manufacturers: data.manufacturer.0,
            publisher: data.publisher.0.and_then(non_empty),
            language: data.language.0.and_then(non_empty),
            page_count: whole_number(data.page_count.0, 1, 100_000),
            formats: data.formats.0,
            genres: data.genres.0,
            styles: data.styles.0,
            categories: data.categories.0,
            year: whole_number(data.year.0, 1000, 2200).map(|y| y as u16),
            country: data.country.0.and_then(non_empty),
            discogs_id: data.discogs_id.0,
            weight_grams: whole_number(data.weight.0, 1, 1_000_000),
            images: data.images.0,
            description: descriptions.main.0.and_then(non_empty),
            shop_note: descriptions
                .shop
                .0
                .and_then(|s| s.text.0)
                .and_then(non_empty),
            listings: raw
                .listings
                .0
                .into_iter()
                .filter_map(Listing::from_raw)
                .collect(),
            variant: None,
            url: None,
            shop: None,
            lists_stock: false,
        }
    }
}

impl Listing {
    /// `None` for listings there is nothing to buy from: not published, or
    /// tracked stock of zero or less.
    fn from_raw(raw: RawListing) -> Option<Listing> {
        if let Some(status) = &raw.status.0 {
            if !status.trim().eq_ignore_ascii_case("published") {
                return None;
            }
        }
        let quantity = match raw.stock.0.and_then(|s| s.quantity.0) {
            None => None,
            Some(q) if q < 1.0 => return None,
            Some(q) => Some(q.min(MAX_QUANTITY as f64).floor() as u32),
        };
        let prices = raw.prices.0.unwrap_or_default();
        let sale = to_cents(prices.sale.0);
        let (media_grade, sleeve_grade) = grades_from_options(&raw.options.0);
        let condition = match raw.second_hand.0 {
            Some(true) => Condition::Used,
            Some(false) => Condition::New,
            None if media_grade.is_some() || sleeve_grade.is_some() => Condition::Used,
            None => Condition::New,
        };
        Some(Listing {
            id: raw.id.0,
            quantity,
            sale,
            before_taxes: to_cents(prices.before_taxes.0),
            compare: to_cents(prices.compare.0).filter(|c| sale.is_some_and(|s| *c > s)),
            condition,
            media_grade,
            sleeve_grade,
        })
    }
}

/// Finds media and sleeve grades among listing options, whatever the shop
/// named them (`Media Condition`, `mediaCondition`, `sleeve_condition`, …).
/// A bare `condition` option is taken as the media grade.
fn grades_from_options(options: &[(Cow<str>, Cow<str>)]) -> (Option<Grade>, Option<Grade>) {
    let (mut media, mut sleeve, mut bare) = (None, None, None);
    for (name, value) in options {
        let named = |words: &[&str]| {
            words
                .iter()
                .any(|word| contains_ignoring_ascii_case(name, word))
        };
        let slot = if named(&["sleeve", "cover", "jacket"]) {
            &mut sleeve
        } else if named(&["media", "record", "vinyl", "disc"]) {
            &mut media
        } else if named(&["condition", "grade"]) {
            &mut bare
        } else {
            continue;
        };
        // The first readable grade of each kind counts.
        if slot.is_none() {
            *slot = Grade::parse(value);
        }
    }
    (media.or(bare), sleeve)
}

/// Whether `text` contains the lower-case ASCII `word` in any ASCII case.
fn contains_ignoring_ascii_case(text: &str, word: &str) -> bool {
    let Some((&first, rest)) = word.as_bytes().split_first() else {
        return true;
    };
    // Most windows differ in their first byte: compare the rest only when not.
    text.as_bytes().windows(word.len()).any(|window| {
        window[0].to_ascii_lowercase() == first && window[1..].eq_ignore_ascii_case(rest)
    })
}

/// The text trimmed, unless nothing is left.
fn non_empty(text: Cow<str>) -> Option<Cow<str>> {
    Some(trim_cow(text)).filter(|text| !text.is_empty())
}

fn whole_number(value: Option<f64>, min: u32, max: u32) -> Option<u32> {
    value
        .filter(|v| v.fract() == 0.0 && *v >= min as f64 && *v <= max as f64)
        .map(|v| v as u32)
}

fn to_cents(value: Option<f64>) -> Option<Cents> {
    let cents = (value? * 100.0).round();
    (0.0..=MAX_PRICE_CENTS as f64)
        .contains(&cents)
        .then_some(cents as Cents)
}

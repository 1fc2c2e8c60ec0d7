//! The Common Ground inventory feed: its documented shape, read tolerantly,
//! and the normalised [`Item`] the catalogue is built from.

use crate::grade::Grade;
use crate::json_reader::{JsonReader, Read};
use crate::lenient::{
    kept_name, trim_cow, BorrowedText, Flag, Id, Labels, List, Names, Number, Object, Options,
};
use serde::Deserialize;
use std::borrow::Cow;

/// An amount of money in hundredths of the currency unit, so sums and
/// comparisons are exact.
pub type Cents = i64;

/// Prices above this (ten million units) are treated as data errors.
const MAX_PRICE_CENTS: Cents = 1_000_000_000;
/// Stock above this is treated as "plenty" rather than trusted.
const MAX_QUANTITY: u32 = 1_000_000;

// The raw types borrow their texts from the element's bytes (see `lenient`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawItem<'a> {
    #[serde(rename = "type", borrow)]
    kind: BorrowedText<'a>,
    id: Id,
    #[serde(borrow)]
    path: BorrowedText<'a>,
    #[serde(borrow)]
    descriptions: Object<RawDescriptions<'a>>,
    #[serde(borrow)]
    listings: List<RawListing<'a>>,
    #[serde(borrow)]
    data: Object<RawData<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawDescriptions<'a> {
    #[serde(borrow)]
    main: BorrowedText<'a>,
    #[serde(borrow)]
    shop: Object<RawShopNote<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawShopNote<'a> {
    #[serde(borrow)]
    text: BorrowedText<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawListing<'a> {
    id: Id,
    #[serde(borrow)]
    status: BorrowedText<'a>,
    stock: Object<RawStock>,
    prices: Object<RawPrices>,
    #[serde(rename = "secondHand")]
    second_hand: Flag,
    #[serde(borrow)]
    options: Options<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawStock {
    quantity: Number,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawPrices {
    sale: Number,
    #[serde(rename = "beforeTaxes")]
    before_taxes: Number,
    compare: Number,
}

/// The union of the ReleaseItem, ProductItem and BookItem data blocks.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawData<'a> {
    #[serde(borrow)]
    title: BorrowedText<'a>,
    #[serde(borrow)]
    artists: Names<'a>,
    #[serde(borrow)]
    labels: Labels<'a>,
    #[serde(rename = "discogsId")]
    discogs_id: Id,
    #[serde(borrow)]
    formats: Names<'a>,
    #[serde(borrow)]
    genres: Names<'a>,
    #[serde(borrow)]
    styles: Names<'a>,
    year: Number,
    #[serde(borrow)]
    country: BorrowedText<'a>,
    weight: Number,
    #[serde(borrow)]
    images: Names<'a>,
    #[serde(borrow)]
    manufacturer: Names<'a>,
    #[serde(borrow)]
    categories: Names<'a>,
    #[serde(borrow)]
    authors: Names<'a>,
    #[serde(borrow)]
    publisher: BorrowedText<'a>,
    #[serde(borrow)]
    language: BorrowedText<'a>,
    #[serde(rename = "pageCount")]
    page_count: Number,
    #[serde(borrow)]
    cat: BorrowedText<'a>,
}

// Each raw type is read with `JsonReader` as its derived serde reader
// would read it; the tests hold the two to the same results. Field numbers
// only tell a field given twice.
impl<'a> RawItem<'a> {
    fn read(reader: &mut JsonReader<'a>) -> Read<RawItem<'a>> {
        let mut item = RawItem::default();
        reader.fields(|reader, key| {
            Ok(Some(match key {
                "type" => {
                    item.kind = BorrowedText(reader.text()?);
                    0
                }
                "id" => {
                    item.id = Id(reader.id()?);
                    1
                }
                "path" => {
                    item.path = BorrowedText(reader.text()?);
                    2
                }
                "descriptions" => {
                    item.descriptions = Object(reader.object(RawDescriptions::read)?);
                    3
                }
                "listings" => {
                    item.listings = List(reader.list(RawListing::read)?);
                    4
                }
                "data" => {
                    item.data = Object(reader.object(RawData::read)?);
                    5
                }
                _ => return Ok(None),
            }))
        })?;
        Ok(item)
    }
}

impl<'a> RawDescriptions<'a> {
    fn read(reader: &mut JsonReader<'a>) -> Read<RawDescriptions<'a>> {
        let mut descriptions = RawDescriptions::default();
        reader.fields(|reader, key| {
            Ok(Some(match key {
                "main" => {
                    descriptions.main = BorrowedText(reader.text()?);
                    0
                }
                "shop" => {
                    descriptions.shop = Object(reader.object(RawShopNote::read)?);
                    1
                }
                _ => return Ok(None),
            }))
        })?;
        Ok(descriptions)
    }
}

impl<'a> RawShopNote<'a> {
    fn read(reader: &mut JsonReader<'a>) -> Read<RawShopNote<'a>> {
        let mut note = RawShopNote::default();
        reader.fields(|reader, key| {
            if key != "text" {
                return Ok(None);
            }
            note.text = BorrowedText(reader.text()?);
            Ok(Some(0))
        })?;
        Ok(note)
    }
}

impl RawStock {
    fn read(reader: &mut JsonReader) -> Read<RawStock> {
        let mut stock = RawStock::default();
        reader.fields(|reader, key| {
            if key != "quantity" {
                return Ok(None);
            }
            stock.quantity = Number(reader.number_field()?);
            Ok(Some(0))
        })?;
        Ok(stock)
    }
}

impl<'a> RawListing<'a> {
    fn read(reader: &mut JsonReader<'a>) -> Read<RawListing<'a>> {
        let mut listing = RawListing::default();
        reader.fields(|reader, key| {
            Ok(Some(match key {
                "id" => {
                    listing.id = Id(reader.id()?);
                    0
                }
                "status" => {
                    listing.status = BorrowedText(reader.text()?);
                    1
                }
                "stock" => {
                    listing.stock = Object(reader.object(RawStock::read)?);
                    2
                }
                "prices" => {
                    listing.prices = Object(reader.object(RawPrices::read)?);
                    3
                }
                "secondHand" => {
                    listing.second_hand = Flag(reader.flag()?);
                    4
                }
                "options" => {
                    listing.options = Options(reader.options()?);
                    5
                }
                _ => return Ok(None),
            }))
        })?;
        Ok(listing)
    }
}

impl RawPrices {
    fn read(reader: &mut JsonReader) -> Read<RawPrices> {
        let mut prices = RawPrices::default();
        reader.fields(|reader, key| {
            let (slot, number) = match key {
                "sale" => (&mut prices.sale, 0),
                "beforeTaxes" => (&mut prices.before_taxes, 1),
                "compare" => (&mut prices.compare, 2),
                _ => return Ok(None),
            };
            *slot = Number(reader.number_field()?);
            Ok(Some(number))
        })?;
        Ok(prices)
    }
}

impl<'a> RawData<'a> {
    fn read(reader: &mut JsonReader<'a>) -> Read<RawData<'a>> {
        let mut data = RawData::default();
        reader.fields(|reader, key| {
            Ok(Some(match key {
                "title" => {
                    data.title = BorrowedText(reader.text()?);
                    0
                }
                "artists" => {
                    data.artists = Names(reader.names()?);
                    1
                }
                "labels" => {
                    data.labels = Labels(reader.labels()?);
                    2
                }
                "discogsId" => {
                    data.discogs_id = Id(reader.id()?);
                    3
                }
                "formats" => {
                    data.formats = Names(reader.names()?);
                    4
                }
                "genres" => {
                    data.genres = Names(reader.names()?);
                    5
                }
                "styles" => {
                    data.styles = Names(reader.names()?);
                    6
                }
                "year" => {
                    data.year = Number(reader.number_field()?);
                    7
                }
                "country" => {
                    data.country = BorrowedText(reader.text()?);
                    8
                }
                "weight" => {
                    data.weight = Number(reader.number_field()?);
                    9
                }
                "images" => {
                    data.images = Names(reader.names()?);
                    10
                }
                "manufacturer" => {
                    data.manufacturer = Names(reader.names()?);
                    11
                }
                "categories" => {
                    data.categories = Names(reader.names()?);
                    12
                }
                "authors" => {
                    data.authors = Names(reader.names()?);
                    13
                }
                "publisher" => {
                    data.publisher = BorrowedText(reader.text()?);
                    14
                }
                "language" => {
                    data.language = BorrowedText(reader.text()?);
                    15
                }
                "pageCount" => {
                    data.page_count = Number(reader.number_field()?);
                    16
                }
                "cat" => {
                    data.cat = BorrowedText(reader.text()?);
                    17
                }
                _ => return Ok(None),
            }))
        })?;
        Ok(data)
    }
}

/// New or second-hand stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    New,
    Used,
}

impl Condition {
    /// Both conditions, in display order.
    pub const ALL: [Condition; 2] = [Condition::New, Condition::Used];

    /// The value used in URLs: `new` or `used`.
    pub fn code(self) -> &'static str {
        match self {
            Condition::New => "new",
            Condition::Used => "used",
        }
    }

    /// The label shown to shoppers.
    pub fn label(self) -> &'static str {
        match self {
            Condition::New => "New",
            Condition::Used => "Used",
        }
    }

    /// Reads a URL value, case-insensitively.
    pub fn parse(text: &str) -> Option<Condition> {
        match text.trim().to_ascii_lowercase().as_str() {
            "new" => Some(Condition::New),
            "used" | "secondhand" | "second-hand" => Some(Condition::Used),
            _ => None,
        }
    }
}

/// One sellable copy of an item.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    /// The numeric listing id the checkout API expects.
    pub id: Option<u64>,
    /// Units in stock; `None` means stock is not tracked (always available).
    pub quantity: Option<u32>,
    pub sale: Option<Cents>,
    pub before_taxes: Option<Cents>,
    /// The compare-at price, kept only when it is higher than the sale price.
    pub compare: Option<Cents>,
    pub condition: Condition,
    pub media_grade: Option<Grade>,
    pub sleeve_grade: Option<Grade>,
}

impl Listing {
    /// Whether a unit can be bought: stock not tracked, or at least one.
    pub fn is_available(&self) -> bool {
        self.quantity != Some(0)
    }
}

/// An inventory item, normalised from any of the feed's item types.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    pub id: Option<u64>,
    /// The feed's `type` (`ReleaseItem`, `ProductItem`, `BookItem`, or any
    /// other name, kept as a generic item).
    pub kind: String,
    pub path: Option<String>,
    pub title: String,
    pub artists: Vec<String>,
    pub labels: Vec<String>,
    pub catalogue_numbers: Vec<String>,
    pub authors: Vec<String>,
    pub manufacturers: Vec<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
    pub page_count: Option<u32>,
    pub formats: Vec<String>,
    pub genres: Vec<String>,
    pub styles: Vec<String>,
    pub categories: Vec<String>,
    pub year: Option<u16>,
    pub country: Option<String>,
    pub discogs_id: Option<u64>,
    pub weight_grams: Option<u32>,
    pub images: Vec<String>,
    pub description: Option<String>,
    pub shop_note: Option<String>,
    pub listings: Vec<Listing>,
    /// The variant, for sources whose items are product variants ("Green").
    pub variant: Option<String>,
    /// A product page given by the source itself (http(s) only), used
    /// instead of the storefront plus `path`.
    pub url: Option<String>,
    /// In aggregator mode, the shop the item is from (its index in the
    /// catalogue's shop table).
    pub shop: Option<u16>,
    /// The source lists items that are out of stock too, so availability
    /// is a facet (Common Ground feeds only list what is in stock).
    pub lists_stock: bool,
}

impl Item {
    /// Reads one element of the feed array. `None` when it is not an item
    /// at all (not a JSON object, or not valid JSON).
    pub fn from_json(bytes: &[u8]) -> Option<Item> {
        BorrowedItem::from_json(bytes).map(BorrowedItem::into_owned)
    }

    /// The people or company behind the item: artists for releases,
    /// authors for books, the manufacturer for products.
    pub fn creators(&self) -> &[String] {
        if !self.artists.is_empty() {
            &self.artists
        } else if !self.authors.is_empty() {
            &self.authors
        } else {
            &self.manufacturers
        }
    }

    /// The lowest sale price over the listings.
    pub fn lowest_price(&self) -> Option<Cents> {
        self.listings.iter().filter_map(|l| l.sale).min()
    }
}

/// An [`Item`] as read from a feed element, its texts borrowed from the
/// element's bytes (copied only where the JSON string had escapes): the
/// catalogue stores and indexes it without copying every text first.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct BorrowedItem<'a> {
    pub id: Option<u64>,
    pub kind: Cow<'a, str>,
    pub path: Option<Cow<'a, str>>,
    pub title: Cow<'a, str>,
    pub artists: Vec<Cow<'a, str>>,
    pub labels: Vec<Cow<'a, str>>,
    pub catalogue_numbers: Vec<Cow<'a, str>>,
    pub authors: Vec<Cow<'a, str>>,
    pub manufacturers: Vec<Cow<'a, str>>,
    pub publisher: Option<Cow<'a, str>>,
    pub language: Option<Cow<'a, str>>,
    pub page_count: Option<u32>,
    pub formats: Vec<Cow<'a, str>>,
    pub genres: Vec<Cow<'a, str>>,
    pub styles: Vec<Cow<'a, str>>,
    pub categories: Vec<Cow<'a, str>>,
    pub year: Option<u16>,
    pub country: Option<Cow<'a, str>>,
    pub discogs_id: Option<u64>,
    pub weight_grams: Option<u32>,
    pub images: Vec<Cow<'a, str>>,
    pub description: Option<Cow<'a, str>>,
    pub shop_note: Option<Cow<'a, str>>,
    pub listings: Vec<Listing>,
    pub variant: Option<Cow<'a, str>>,
    pub url: Option<Cow<'a, str>>,
    pub shop: Option<u16>,
    pub lists_stock: bool,
}

impl<'a> BorrowedItem<'a> {
    /// Reads one element of the feed array, as [`Item::from_json`] does.
    pub fn from_json(bytes: &'a [u8]) -> Option<BorrowedItem<'a>> {
        let mut reader = JsonReader::new(bytes);
        let raw = reader.object(RawItem::read).ok()?;
        reader.at_end().then(|| raw.map(BorrowedItem::from_raw))?
    }

    /// Reads the element that `bytes` begin with, which may go on with more
    /// of the feed: the item (`None` for valid JSON that is not an object)
    /// and the element's length, or `None` when no complete, readable
    /// element is there. Whatever follows the element is never read, so
    /// the item is what [`BorrowedItem::from_json`] gives for its bytes.
    pub fn from_json_prefix(bytes: &'a [u8]) -> Option<(Option<BorrowedItem<'a>>, usize)> {
        let mut reader = JsonReader::new(bytes);
        let raw = reader.object(RawItem::read).ok()?;
        Some((raw.map(BorrowedItem::from_raw), reader.offset()))
    }

    /// Every artist, author and manufacturer, for the search key: the
    /// displayed [`Item::creators`] are one kind only, but a shopper may
    /// search for any of them. The displayed ones come first, so the artist
    /// sort still orders by them.
    pub fn all_creators(&self) -> impl Iterator<Item = &str> {
        self.artists
            .iter()
            .chain(&self.authors)
            .chain(&self.manufacturers)
            .map(|name| &**name)
    }

    fn from_raw(raw: RawItem<'a>) -> BorrowedItem<'a> {
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

    /// The item borrowing the texts of an owned one (from another source).
    pub fn borrowing(item: &'a Item) -> BorrowedItem<'a> {
        fn one(text: &Option<String>) -> Option<Cow<'_, str>> {
            text.as_deref().map(Cow::Borrowed)
        }
        fn all(texts: &[String]) -> Vec<Cow<'_, str>> {
            texts
                .iter()
                .map(|text| Cow::Borrowed(text.as_str()))
                .collect()
        }
        let Item {
            id,
            kind,
            path,
            title,
            artists,
            labels,
            catalogue_numbers,
            authors,
            manufacturers,
            publisher,
            language,
            page_count,
            formats,
            genres,
            styles,
            categories,
            year,
            country,
            discogs_id,
            weight_grams,
            images,
            description,
            shop_note,
            listings,
            variant,
            url,
            shop,
            lists_stock,
        } = item;
        BorrowedItem {
            id: *id,
            kind: Cow::Borrowed(kind),
            path: one(path),
            title: Cow::Borrowed(title),
            artists: all(artists),
            labels: all(labels),
            catalogue_numbers: all(catalogue_numbers),
            authors: all(authors),
            manufacturers: all(manufacturers),
            publisher: one(publisher),
            language: one(language),
            page_count: *page_count,
            formats: all(formats),
            genres: all(genres),
            styles: all(styles),
            categories: all(categories),
            year: *year,
            country: one(country),
            discogs_id: *discogs_id,
            weight_grams: *weight_grams,
            images: all(images),
            description: one(description),
            shop_note: one(shop_note),
            listings: listings.clone(),
            variant: one(variant),
            url: one(url),
            shop: *shop,
            lists_stock: *lists_stock,
        }
    }

    /// The owned [`Item`], every text copied.
    pub fn into_owned(self) -> Item {
        fn one(text: Option<Cow<str>>) -> Option<String> {
            text.map(Cow::into_owned)
        }
        fn all(texts: Vec<Cow<str>>) -> Vec<String> {
            texts.into_iter().map(Cow::into_owned).collect()
        }
        let BorrowedItem {
            id,
            kind,
            path,
            title,
            artists,
            labels,
            catalogue_numbers,
            authors,
            manufacturers,
            publisher,
            language,
            page_count,
            formats,
            genres,
            styles,
            categories,
            year,
            country,
            discogs_id,
            weight_grams,
            images,
            description,
            shop_note,
            listings,
            variant,
            url,
            shop,
            lists_stock,
        } = self;
        Item {
            id,
            kind: kind.into_owned(),
            path: one(path),
            title: title.into_owned(),
            artists: all(artists),
            labels: all(labels),
            catalogue_numbers: all(catalogue_numbers),
            authors: all(authors),
            manufacturers: all(manufacturers),
            publisher: one(publisher),
            language: one(language),
            page_count,
            formats: all(formats),
            genres: all(genres),
            styles: all(styles),
            categories: all(categories),
            year,
            country: one(country),
            discogs_id,
            weight_grams,
            images: all(images),
            description: one(description),
            shop_note: one(shop_note),
            listings,
            variant: one(variant),
            url: one(url),
            shop,
            lists_stock,
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let gift = item(
            r#"{"type":"GiftCardItem","id":9,"listings":[{"id":3}],"data":{"title":"Voucher"}}"#,
        );
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
        let item = item(
            r#"{"data":{"labels":[{"name":"Warp","catno":"WARP 123"},"Skam"],"cat":"SKA001"}}"#,
        );
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
        let ignored =
            b"{\"id\":1,\"unknownField\":\"\xff\xfe\",\"data\":{\"title\":\"Caf\\u00e9\"}}";
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
                let (item, length) =
                    BorrowedItem::from_json_prefix(bytes.as_bytes()).expect(element);
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

    /// The serde reader of the raw types: what `JsonReader` must agree with.
    fn serde_item(bytes: &[u8]) -> Option<BorrowedItem<'_>> {
        serde_json::from_slice::<Object<RawItem>>(bytes)
            .ok()?
            .0
            .map(BorrowedItem::from_raw)
    }

    fn serde_item_prefix(bytes: &[u8]) -> Option<(Option<BorrowedItem<'_>>, usize)> {
        let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Object<RawItem>>();
        let Object(raw) = values.next()?.ok()?;
        Some((raw.map(BorrowedItem::from_raw), values.byte_offset()))
    }

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

        const KEYS: &[&str] = &[
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
                    prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(
                        |entries| {
                            let entries: Vec<String> = entries
                                .iter()
                                .map(|(key, value)| format!("\"{key}\":{value}"))
                                .collect();
                            format!("{{{}}}", entries.join(","))
                        }
                    ),
                ]
            })
        }

        fn object_of(
            keys: &'static [&'static str],
            values: impl Strategy<Value = String>,
        ) -> impl Strategy<Value = String> {
            prop::collection::vec((prop::sample::select(keys), values), 0..8).prop_map(|entries| {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("\"{key}\":{value}"))
                    .collect();
                format!("{{{}}}", entries.join(","))
            })
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
            let data = object_of(
                &[
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
                    "cat",
                    "authors",
                    "pageCount",
                    "other",
                ],
                value(),
            );
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
}

//! Each raw type read with the streaming [`JsonReader`].

use super::{
    BorrowedText, Labels, List, Names, Object, Options, RawData, RawDescriptions, RawItem,
    RawListing, RawPrices, RawShopNote, RawStock,
};
use crate::feed::reader::{JsonReader, Read};
use crate::lenient::{Flag, Id, Number};

// Each raw type is read with `JsonReader` as its derived serde reader
// would read it; the tests hold the two to the same results. Field numbers
// only tell a field given twice.
impl<'a> RawItem<'a> {
    /// Reads the element whose object the reader is inside.
    pub(in crate::feed) fn read(reader: &mut JsonReader<'a>) -> Read<RawItem<'a>> {
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

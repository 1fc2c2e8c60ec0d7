//! Reading an item from a feed element, its texts borrowed from the
//! element's bytes, and turning it into an owned [`Item`] and back.

use super::model::{BorrowedItem, Item};
use super::raw::RawItem;
use super::reader::JsonReader;
use std::borrow::Cow;

impl Item {
    /// Reads one element of the feed array. `None` when it is not an item
    /// at all (not a JSON object, or not valid JSON).
    pub fn from_json(bytes: &[u8]) -> Option<Item> {
        BorrowedItem::from_json(bytes).map(BorrowedItem::into_owned)
    }
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

    /// The item borrowing the texts of an owned one (from another source).
    pub fn borrowing(item: &'a Item) -> BorrowedItem<'a> {
        item.map_text_refs(|text| Cow::Borrowed(text.as_str()))
    }

    /// The owned [`Item`], every text copied.
    pub fn into_owned(self) -> Item {
        self.map_texts(Cow::into_owned)
    }
}

//! The items' display data, encoded compactly: each item is a run of bytes
//! in large blocks, decoded into an owned [`Item`] only when it is shown
//! (a page shows a few dozen at once).
//!
//! What queries read per item lives in the catalogue's hot index instead
//! (id, year, shop, listing prices, conditions, grades and quantities), and
//! decoding takes those fields from there rather than storing them twice.

use crate::fast_hash::{FastHasher, FastMap};
use crate::feed::{BorrowedItem, Item};
use std::borrow::Cow;
use std::hash::{BuildHasher, BuildHasherDefault};

/// Bytes per block. Items are appended to the current block and a new one
/// is started when an item does not fit, so loading never copies the store
/// to grow it: a single growing buffer would briefly hold its old and new
/// copies, and wasm memory never shrinks back after such a peak.
const BLOCK_BYTES: usize = 256 << 10;

/// Texts up to this long, in fields whose values repeat across items
/// (genres, formats, artists, labels…), are stored once in the dictionary.
const MAX_SHARED_TEXT_BYTES: usize = 64;
/// Distinct shared texts kept; past this, texts are stored in the item.
const MAX_SHARED_TEXTS: usize = 1 << 16;

/// The encoded items.
#[derive(Debug)]
pub(crate) struct ItemStore {
    /// Encoded items one after another; no item spans two blocks.
    pub(crate) blocks: Vec<Vec<u8>>,
    /// Where each block starts in the concatenated encoding, plus the end.
    pub(crate) block_start: Vec<u32>,
    /// Where each item starts in the concatenated encoding, plus the end.
    pub(crate) item_start: Vec<u32>,
    /// Shared texts, one after another, and where each ends.
    pub(crate) shared: Vec<u8>,
    pub(crate) shared_end: Vec<u32>,
}

impl Default for ItemStore {
    fn default() -> Self {
        ItemStore {
            blocks: Vec::new(),
            block_start: vec![0],
            item_start: vec![0],
            shared: Vec::new(),
            shared_end: Vec::new(),
        }
    }
}

/// Finds shared texts already in the dictionary while loading. Keyed by a
/// hash (and checked against the dictionary's bytes), so the texts are
/// not held a second time.
#[derive(Debug, Default)]
pub(crate) struct SharedTexts {
    by_hash: FastMap<u64, u32>,
    hasher: BuildHasherDefault<FastHasher>,
}

/// Fields an item may lack: one bit each in the mask that starts its
/// encoding, which lists the fields present.
mod field {
    pub const PATH: u32 = 1;
    pub const ARTISTS: u32 = 1 << 1;
    pub const LABELS: u32 = 1 << 2;
    pub const CATALOGUE_NUMBERS: u32 = 1 << 3;
    pub const AUTHORS: u32 = 1 << 4;
    pub const MANUFACTURERS: u32 = 1 << 5;
    pub const PUBLISHER: u32 = 1 << 6;
    pub const LANGUAGE: u32 = 1 << 7;
    pub const PAGE_COUNT: u32 = 1 << 8;
    pub const FORMATS: u32 = 1 << 9;
    pub const GENRES: u32 = 1 << 10;
    pub const STYLES: u32 = 1 << 11;
    pub const CATEGORIES: u32 = 1 << 12;
    pub const COUNTRY: u32 = 1 << 13;
    pub const DISCOGS_ID: u32 = 1 << 14;
    pub const WEIGHT: u32 = 1 << 15;
    pub const IMAGES: u32 = 1 << 16;
    pub const DESCRIPTION: u32 = 1 << 17;
    pub const SHOP_NOTE: u32 = 1 << 18;
    pub const VARIANT: u32 = 1 << 19;
    pub const URL: u32 = 1 << 20;
}
/// Bytes of the field mask.
const MASK_BYTES: usize = 3;

/// Listing fields the hot index lacks, flagged in one byte per listing:
/// the flags below, and the sleeve grade code from [`SLEEVE_SHIFT`].
const LISTING_ID: u8 = 1;
const LISTING_BEFORE_TAXES: u8 = 2;
const LISTING_COMPARE: u8 = 4;
const SLEEVE_SHIFT: u8 = 4;

/// Whether a text is shared (dictionary) or stored in the item: the low
/// bit of the number that starts it, the rest being its dictionary id or
/// its length.
const SHARED_TAG: u64 = 1;

impl ItemStore {
    /// Items stored.
    pub(crate) fn len(&self) -> usize {
        self.item_start.len() - 1
    }

    /// Bytes of the concatenated encoding.
    pub(crate) fn encoded_len(&self) -> usize {
        *self.item_start.last().expect("item_start holds the end") as usize
    }

    /// Appends an item's encoding (from [`encode`]). `false`, storing
    /// nothing, when the store would pass the 4 GB its offsets can address.
    pub(crate) fn push(&mut self, encoded: &[u8]) -> bool {
        let end = self.encoded_len() + encoded.len();
        let Ok(end) = u32::try_from(end) else {
            return false;
        };
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= encoded.len());
        if !fits {
            if let Some(full) = self.blocks.last_mut() {
                full.shrink_to_fit();
            }
            self.blocks
                .push(Vec::with_capacity(encoded.len().max(BLOCK_BYTES)));
            self.block_start.push(self.encoded_len() as u32);
        }
        self.blocks
            .last_mut()
            .expect("a block was just ensured")
            .extend_from_slice(encoded);
        *self
            .block_start
            .last_mut()
            .expect("block_start holds the end") = end;
        self.item_start.push(end);
        true
    }

    /// Distinct texts in the dictionary.
    #[cfg(test)]
    pub(crate) fn shared_text_count(&self) -> usize {
        self.shared_end.len()
    }

    /// Gives back the room left by growing while loading.
    pub(crate) fn shrink(&mut self) {
        if let Some(last) = self.blocks.last_mut() {
            last.shrink_to_fit();
        }
        self.item_start.shrink_to_fit();
        self.shared.shrink_to_fit();
        self.shared_end.shrink_to_fit();
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.blocks.iter().map(Vec::capacity).sum::<usize>()
            + std::mem::size_of::<Vec<u8>>() * self.blocks.capacity()
            + 4 * (self.block_start.capacity()
                + self.item_start.capacity()
                + self.shared_end.capacity())
            + self.shared.capacity()
    }

    /// The encoding of item `index`, or `None` when the offsets are out of
    /// bounds (only a damaged snapshot could make them so).
    fn encoded(&self, index: usize) -> Option<&[u8]> {
        let (start, end) = (
            *self.item_start.get(index)? as usize,
            *self.item_start.get(index + 1)? as usize,
        );
        // The block holding `start`: the last one starting at or before it.
        let block = self
            .block_start
            .partition_point(|&s| s as usize <= start)
            .checked_sub(1)?;
        let offset = self.block_start[block] as usize;
        self.blocks
            .get(block)?
            .get(start.checked_sub(offset)?..end.checked_sub(offset)?)
    }

    /// Shared text `id`.
    fn shared_text(&self, id: usize) -> Option<&[u8]> {
        let start = if id == 0 {
            0
        } else {
            *self.shared_end.get(id - 1)? as usize
        };
        self.shared.get(start..*self.shared_end.get(id)? as usize)
    }

    /// Decodes item `index` into `hot`, which holds the fields the hot
    /// index keeps (id, year, shop, stock listing, and the listings with
    /// their sale price, condition, media grade and quantity). `None` when
    /// its bytes do not decode (a damaged snapshot).
    pub(crate) fn decode(&self, index: usize, hot: Item) -> Option<Item> {
        let mut d = Decoder {
            bytes: self.encoded(index)?,
            at: 0,
            mask: 0,
            store: self,
        };
        let mask = d.take(MASK_BYTES)?;
        d.mask = u32::from_le_bytes([mask[0], mask[1], mask[2], 0]);
        let mut item = Item {
            kind: d.text()?,
            title: d.text()?,
            path: d.optional_text(field::PATH)?,
            artists: d.texts(field::ARTISTS)?,
            labels: d.texts(field::LABELS)?,
            catalogue_numbers: d.texts(field::CATALOGUE_NUMBERS)?,
            authors: d.texts(field::AUTHORS)?,
            manufacturers: d.texts(field::MANUFACTURERS)?,
            publisher: d.optional_text(field::PUBLISHER)?,
            language: d.optional_text(field::LANGUAGE)?,
            page_count: d
                .optional_number(field::PAGE_COUNT)?
                .map(u32::try_from)
                .transpose()
                .ok()?,
            formats: d.texts(field::FORMATS)?,
            genres: d.texts(field::GENRES)?,
            styles: d.texts(field::STYLES)?,
            categories: d.texts(field::CATEGORIES)?,
            country: d.optional_text(field::COUNTRY)?,
            discogs_id: d.optional_number(field::DISCOGS_ID)?,
            weight_grams: d
                .optional_number(field::WEIGHT)?
                .map(u32::try_from)
                .transpose()
                .ok()?,
            images: d.texts(field::IMAGES)?,
            description: d.optional_text(field::DESCRIPTION)?,
            shop_note: d.optional_text(field::SHOP_NOTE)?,
            variant: d.optional_text(field::VARIANT)?,
            url: d.optional_text(field::URL)?,
            ..hot
        };
        for listing in &mut item.listings {
            let flags = d.take(1)?[0];
            let mut number = |flag: u8| {
                if flags & flag == 0 {
                    Some(None)
                } else {
                    d.number().map(Some)
                }
            };
            listing.id = number(LISTING_ID)?;
            listing.before_taxes = number(LISTING_BEFORE_TAXES)?.map(unzigzag);
            listing.compare = number(LISTING_COMPARE)?.map(unzigzag);
            listing.sleeve_grade = crate::grade::grade_from_code(flags >> SLEEVE_SHIFT)?;
        }
        // Every byte is accounted for, or the item is not what was stored.
        (d.at == d.bytes.len()).then_some(item)
    }
}

/// Writes the fields of `item` that the hot index does not hold into
/// `out` (cleared first), adding shared texts to the store's dictionary.
pub(crate) fn encode(
    item: &BorrowedItem,
    store: &mut ItemStore,
    shared: &mut SharedTexts,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.extend_from_slice(&[0; MASK_BYTES]);
    let mut e = Encoder {
        out,
        mask: 0,
        store,
        shared,
    };
    e.text(&item.kind, true);
    e.text(&item.title, false);
    e.optional_text(field::PATH, item.path.as_deref(), false);
    e.texts(field::ARTISTS, &item.artists, true);
    e.texts(field::LABELS, &item.labels, true);
    e.texts(field::CATALOGUE_NUMBERS, &item.catalogue_numbers, false);
    e.texts(field::AUTHORS, &item.authors, true);
    e.texts(field::MANUFACTURERS, &item.manufacturers, true);
    e.optional_text(field::PUBLISHER, item.publisher.as_deref(), true);
    e.optional_text(field::LANGUAGE, item.language.as_deref(), true);
    e.optional_number(field::PAGE_COUNT, item.page_count.map(u64::from));
    e.texts(field::FORMATS, &item.formats, true);
    e.texts(field::GENRES, &item.genres, true);
    e.texts(field::STYLES, &item.styles, true);
    e.texts(field::CATEGORIES, &item.categories, true);
    e.optional_text(field::COUNTRY, item.country.as_deref(), true);
    e.optional_number(field::DISCOGS_ID, item.discogs_id);
    e.optional_number(field::WEIGHT, item.weight_grams.map(u64::from));
    e.texts(field::IMAGES, &item.images, false);
    e.optional_text(field::DESCRIPTION, item.description.as_deref(), false);
    e.optional_text(field::SHOP_NOTE, item.shop_note.as_deref(), true);
    e.optional_text(field::VARIANT, item.variant.as_deref(), true);
    e.optional_text(field::URL, item.url.as_deref(), false);
    for listing in &item.listings {
        let flags_at = e.out.len();
        e.out
            .push(crate::grade::grade_code(listing.sleeve_grade) << SLEEVE_SHIFT);
        let mut flags = 0;
        for (flag, value) in [
            (LISTING_ID, listing.id),
            (LISTING_BEFORE_TAXES, listing.before_taxes.map(zigzag)),
            (LISTING_COMPARE, listing.compare.map(zigzag)),
        ] {
            if let Some(value) = value {
                flags |= flag;
                put_number(e.out, value);
            }
        }
        e.out[flags_at] |= flags;
    }
    let mask = e.mask.to_le_bytes();
    e.out[..MASK_BYTES].copy_from_slice(&mask[..MASK_BYTES]);
}

struct Encoder<'e> {
    out: &'e mut Vec<u8>,
    mask: u32,
    store: &'e mut ItemStore,
    shared: &'e mut SharedTexts,
}

impl Encoder<'_> {
    fn text(&mut self, text: &str, shareable: bool) {
        match self.shared_id(text, shareable) {
            Some(id) => put_number(self.out, u64::from(id) << 1 | SHARED_TAG),
            None => {
                put_number(self.out, (text.len() as u64) << 1);
                self.out.extend_from_slice(text.as_bytes());
            }
        }
    }

    /// The dictionary id of `text`, adding it when new and there is room.
    fn shared_id(&mut self, text: &str, shareable: bool) -> Option<u32> {
        if !shareable || text.len() > MAX_SHARED_TEXT_BYTES {
            return None;
        }
        let store = &mut *self.store;
        let hash = self.shared.hasher.hash_one(text);
        if let Some(&id) = self.shared.by_hash.get(&hash) {
            // A different text with the same hash is simply not shared.
            return (store.shared_text(id as usize) == Some(text.as_bytes())).then_some(id);
        }
        if store.shared_end.len() >= MAX_SHARED_TEXTS {
            return None;
        }
        let id = store.shared_end.len() as u32;
        store.shared.extend_from_slice(text.as_bytes());
        store
            .shared_end
            .push(u32::try_from(store.shared.len()).ok()?);
        self.shared.by_hash.insert(hash, id);
        Some(id)
    }

    fn optional_text(&mut self, bit: u32, text: Option<&str>, shareable: bool) {
        if let Some(text) = text {
            self.mask |= bit;
            self.text(text, shareable);
        }
    }

    fn texts(&mut self, bit: u32, texts: &[Cow<str>], shareable: bool) {
        if !texts.is_empty() {
            self.mask |= bit;
            put_number(self.out, texts.len() as u64);
            for text in texts {
                self.text(text, shareable);
            }
        }
    }

    fn optional_number(&mut self, bit: u32, value: Option<u64>) {
        if let Some(value) = value {
            self.mask |= bit;
            put_number(self.out, value);
        }
    }
}

/// Reads an item's encoding; every read is bounds-checked, so damaged
/// bytes give `None`, never a panic.
struct Decoder<'d> {
    bytes: &'d [u8],
    at: usize,
    mask: u32,
    store: &'d ItemStore,
}

impl<'d> Decoder<'d> {
    fn take(&mut self, len: usize) -> Option<&'d [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(bytes)
    }

    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            let bits = u64::from(byte & 0x7F);
            if shift == 63 && bits > 1 {
                return None; // more than 64 bits
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn text(&mut self) -> Option<String> {
        let tag = self.number()?;
        let bytes = if tag & SHARED_TAG != 0 {
            self.store.shared_text(usize::try_from(tag >> 1).ok()?)?
        } else {
            self.take(usize::try_from(tag >> 1).ok()?)?
        };
        String::from_utf8(bytes.to_vec()).ok()
    }

    fn optional_text(&mut self, bit: u32) -> Option<Option<String>> {
        if self.mask & bit == 0 {
            return Some(None);
        }
        self.text().map(Some)
    }

    fn texts(&mut self, bit: u32) -> Option<Vec<String>> {
        if self.mask & bit == 0 {
            return Some(Vec::new());
        }
        let count = usize::try_from(self.number()?).ok()?;
        // Each text takes at least a byte: a damaged count cannot make a
        // huge allocation.
        if count > self.bytes.len() - self.at {
            return None;
        }
        (0..count).map(|_| self.text()).collect()
    }

    fn optional_number(&mut self, bit: u32) -> Option<Option<u64>> {
        if self.mask & bit == 0 {
            return Some(None);
        }
        self.number().map(Some)
    }
}

/// Appends `value` seven bits a byte, low bits first, the top bit of each
/// byte saying another follows: small numbers take one byte.
fn put_number(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Maps signed to unsigned so small magnitudes stay small: 0, -1, 1, -2 → 0, 1, 2, 3.
fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    (value >> 1) as i64 ^ -((value & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_overlong_ones_are_refused() {
        let store = ItemStore::default();
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_number(&mut out, value);
            let mut d = Decoder {
                bytes: &out,
                at: 0,
                mask: 0,
                store: &store,
            };
            assert_eq!(d.number(), Some(value));
            assert_eq!(d.at, out.len());
        }
        for value in [0, -1, 1, i64::MIN, i64::MAX, 1_000_000_000] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
        let too_long = [0xFF; 10];
        assert_eq!(
            Decoder {
                bytes: &too_long,
                at: 0,
                mask: 0,
                store: &store
            }
            .number(),
            None
        );
        let cut = [0x80];
        assert_eq!(
            Decoder {
                bytes: &cut,
                at: 0,
                mask: 0,
                store: &store
            }
            .number(),
            None
        );
    }

    #[test]
    fn items_span_no_block_and_big_items_get_their_own() {
        let mut store = ItemStore::default();
        let small = vec![7u8; BLOCK_BYTES / 3];
        let big = vec![9u8; BLOCK_BYTES * 2];
        for item in [&small, &small, &small, &big, &small] {
            assert!(store.push(item));
        }
        assert_eq!(store.len(), 5);
        assert_eq!(
            store.blocks.len(),
            3,
            "three small ones fill a block, the big one has its own, the last starts another"
        );
        assert_eq!(store.encoded(3), Some(&big[..]));
        assert_eq!(store.encoded(4), Some(&small[..]));
        assert_eq!(store.encoded(5), None);
    }
}

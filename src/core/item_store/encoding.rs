//! An item's bytes: a mask of the fields present, the fields the hot
//! index does not hold in the order of the item's field table
//! ([`item_fields!`](crate::feed::item_fields)), each number seven bits a
//! byte and each text its length or its id in the store's dictionary, then
//! what the hot index lacks of each listing.

use super::{ItemStore, SharedTexts};
use crate::feed::{item_fields, BorrowedItem, Item};
use std::borrow::Cow;
use std::hash::BuildHasher;

/// Texts up to this long, in fields whose values repeat across items
/// (genres, formats, artists, labels…), are stored once in the dictionary.
const MAX_SHARED_TEXT_BYTES: usize = 64;
/// Distinct shared texts kept; past this, texts are stored in the item.
const MAX_SHARED_TEXTS: usize = 1 << 16;

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

/// The store's walk over the rows of [`item_fields!`]: `encode_fields`
/// writes the fields stored, `decode_fields` reads them back in the same
/// order. A row's bit is its bit in the field mask.
macro_rules! store_walk {
    (@shared shared) => { true };
    (@shared unshared) => { false };
    (@encode $e:ident, $item:ident, $field:ident, $shape:ident, hot) => {};
    (@encode $e:ident, $item:ident, $field:ident, text, always($sharing:ident)) => {
        $e.text(&$item.$field, store_walk!(@shared $sharing));
    };
    (@encode $e:ident, $item:ident, $field:ident, optional_text, bit($bit:literal, $sharing:ident)) => {
        $e.optional_text(1 << $bit, $item.$field.as_deref(), store_walk!(@shared $sharing));
    };
    (@encode $e:ident, $item:ident, $field:ident, texts, bit($bit:literal, $sharing:ident)) => {
        $e.texts(1 << $bit, &$item.$field, store_walk!(@shared $sharing));
    };
    (@encode $e:ident, $item:ident, $field:ident, plain, bit($bit:literal)) => {
        $e.optional_number(1 << $bit, $item.$field.map(u64::from));
    };
    (@decode $d:ident, $item:ident, $field:ident, $shape:ident, hot) => {};
    (@decode $d:ident, $item:ident, $field:ident, text, always($sharing:ident)) => {
        $item.$field = $d.text()?;
    };
    (@decode $d:ident, $item:ident, $field:ident, optional_text, bit($bit:literal, $sharing:ident)) => {
        $item.$field = $d.optional_text(1 << $bit)?;
    };
    (@decode $d:ident, $item:ident, $field:ident, texts, bit($bit:literal, $sharing:ident)) => {
        $item.$field = $d.texts(1 << $bit)?;
    };
    (@decode $d:ident, $item:ident, $field:ident, plain, bit($bit:literal)) => {
        // Each number stored fits its field, or the bytes are damaged.
        $item.$field = $d
            .optional_number(1 << $bit)?
            .map(TryFrom::try_from)
            .transpose()
            .ok()?;
    };
    ($(
        $(#[$doc:meta])*
        $field:ident: $shape:ident $(($plain:ty))? => $store:ident $(($($how:tt)*))?;
    )*) => {
        /// Writes the item's stored fields.
        fn encode_fields(e: &mut Encoder, item: &BorrowedItem) {
            $( store_walk!(@encode e, item, $field, $shape, $store $(($($how)*))?); )*
        }

        /// Reads the stored fields into `item`; `None` when they do not decode.
        fn decode_fields(d: &mut Decoder, item: &mut Item) -> Option<()> {
            $( store_walk!(@decode d, item, $field, $shape, $store $(($($how)*))?); )*
            Some(())
        }
    };
}

item_fields!(store_walk);

impl ItemStore {
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
        let mut item = hot;
        decode_fields(&mut d, &mut item)?;
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
    encode_fields(&mut e, item);
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
}

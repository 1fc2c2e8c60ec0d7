//! Reading a snapshot's body back into a catalogue, every read bounds-checked.

use super::SnapshotError;
use crate::fast_hash::FastMap;
use crate::fold::fold;
use crate::index::{Catalogue, Copies, HotIndex, LoadStats, Symbols, FACETS, SORTED_ORDERS};
use crate::item_store::ItemStore;
use crate::shop_list::ShopInfo;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// Reads a snapshot body: the catalogue with an empty item store, and
/// where in the body the item bytes are (see [`with_items`]).
pub(super) fn read_body(r: &mut Reader) -> Result<(Catalogue, Range<usize>), SnapshotError> {
    let mut count = || {
        r.u64()
            .and_then(|n| usize::try_from(n).map_err(|_| SnapshotError::Invalid("load statistics")))
    };
    let stats = LoadStats {
        elements: count()?,
        unreadable: count()?,
        without_listings: count()?,
        duplicates: count()?,
        over_cap: count()?,
        truncated: r.flag()?,
    };
    let lists_stock = r.flag()?;

    // Each shop takes at least this many bytes, so a damaged count cannot
    // reserve much.
    let shop_count = r.count(2 * 8 + 7 * 8)?;
    let mut shops = Vec::with_capacity(shop_count);
    for _ in 0..shop_count {
        let (id, name) = (r.text()?, r.text()?);
        let (key, date, uri, logo, alpha2) = (
            r.optional_text()?,
            r.optional_text()?,
            r.optional_text()?,
            r.optional_text()?,
            r.optional_text()?,
        );
        let located = r.flag()?;
        let (longitude, latitude) = (f64::from_bits(r.u64()?), f64::from_bits(r.u64()?));
        let geo = located.then_some((longitude, latitude));
        shops.push(ShopInfo {
            id,
            name,
            key,
            date,
            uri,
            logo,
            alpha2,
            geo,
            pickup: r.flag()?,
        });
    }

    let mut symbols: [Symbols; FACETS] = Default::default();
    for facet in &mut symbols {
        let len = r.count(8)?;
        let names: Vec<Box<str>> = (0..len)
            .map(|_| r.text().map(String::into_boxed_str))
            .collect::<Result<_, _>>()?;
        let global = r.array(u32::from_le_bytes)?;
        let mut by_key = FastMap::with_capacity_and_hasher(len, Default::default());
        for (id, name) in names.iter().enumerate() {
            by_key
                .entry(fold(name).into_boxed_str())
                .or_insert(id as u32);
        }
        *facet = Symbols {
            names,
            by_key,
            global,
        };
    }

    let hot = HotIndex {
        keys: String::from_utf8(r.bytes()?).map_err(|_| SnapshotError::Invalid("search keys"))?,
        key_start: r.array(u32::from_le_bytes)?,
        title_end: r.array(u16::from_le_bytes)?,
        creators_end: r.array(u16::from_le_bytes)?,
        value_start: r.array(u32::from_le_bytes)?,
        values: r.array(u32::from_le_bytes)?,
        value_facet: r.bytes()?,
        listing_start: r.array(u32::from_le_bytes)?,
        listing_price: r.array(i64::from_le_bytes)?,
        listing_flags: r.bytes()?,
        listing_quantity: r.array(u32::from_le_bytes)?,
        year: r.array(u16::from_le_bytes)?,
        item_id: r.array(u64::from_le_bytes)?,
        item_flags: r.bytes()?,
        shop: r.array(u16::from_le_bytes)?,
        byte_counts: r.array(u32::from_le_bytes)?,
    };

    let items_len = r.count(1)?;
    let items = r.at..r.at + items_len;
    r.take(items_len)?;
    let store = ItemStore {
        blocks: Vec::new(),
        block_start: vec![0],
        item_start: r.array(u32::from_le_bytes)?,
        shared: r.bytes()?,
        shared_end: r.array(u32::from_le_bytes)?,
    };

    let copies = Copies {
        group_of: r.array(u32::from_le_bytes)?,
        first: r.array(u32::from_le_bytes)?,
        next_copy: r.array(u32::from_le_bytes)?,
    };

    let mut orders: [Mutex<Arc<[u32]>>; SORTED_ORDERS] = Default::default();
    for order in &mut orders {
        *order = Mutex::new(r.array(u32::from_le_bytes)?);
    }
    if r.at != r.bytes.len() {
        return Err(SnapshotError::Invalid("bytes after the last field"));
    }
    Ok((
        Catalogue {
            store,
            symbols,
            stats,
            hot,
            orders,
            shops,
            lists_stock,
            copies,
        },
        items,
    ))
}

/// Reads fields, every read bounds-checked.
pub(super) struct Reader<'b> {
    pub(super) bytes: &'b [u8],
    pub(super) at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, len: usize) -> Result<&'b [u8], SnapshotError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(SnapshotError::Truncated)?;
        let bytes = &self.bytes[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        Ok(*self.take(N)?.first_chunk().expect("N bytes taken"))
    }

    pub(super) fn u32(&mut self) -> Result<u32, SnapshotError> {
        self.fixed().map(u32::from_le_bytes)
    }

    pub(super) fn u64(&mut self) -> Result<u64, SnapshotError> {
        self.fixed().map(u64::from_le_bytes)
    }

    fn flag(&mut self) -> Result<bool, SnapshotError> {
        match self.fixed::<1>()? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(SnapshotError::Invalid("flag")),
        }
    }

    /// A count of elements of `size` bytes each, which must fit in what is left.
    fn count(&mut self, size: usize) -> Result<usize, SnapshotError> {
        let count = usize::try_from(self.u64()?).map_err(|_| SnapshotError::Truncated)?;
        match count.checked_mul(size) {
            Some(bytes) if bytes <= self.bytes.len() - self.at => Ok(count),
            _ => Err(SnapshotError::Truncated),
        }
    }

    /// An array of `N`-byte elements, collected into a `Vec` or straight
    /// into an `Arc<[T]>` (one allocation, no copy).
    fn array<C: FromIterator<T>, T, const N: usize>(
        &mut self,
        from_bytes: fn([u8; N]) -> T,
    ) -> Result<C, SnapshotError> {
        let count = self.count(N)?;
        let bytes = self.take(count * N)?;
        // Each element read as a whole: `copy_from_slice` into an array was
        // a function call per element in the size-optimised wasm.
        Ok(bytes
            .chunks_exact(N)
            .map(|chunk| from_bytes(*chunk.first_chunk().expect("chunks of N bytes")))
            .collect())
    }

    /// Bytes as they are, copied at once.
    fn bytes(&mut self) -> Result<Vec<u8>, SnapshotError> {
        let count = self.count(1)?;
        Ok(self.take(count)?.to_vec())
    }

    fn text(&mut self) -> Result<String, SnapshotError> {
        String::from_utf8(self.bytes()?).map_err(|_| SnapshotError::Invalid("text"))
    }

    fn optional_text(&mut self) -> Result<Option<String>, SnapshotError> {
        let present = self.flag()?;
        let text = self.text()?;
        Ok(present.then_some(text))
    }
}

//! The items' display data, encoded compactly: each item is a run of bytes
//! in large blocks, decoded into an owned [`Item`](crate::Item) only when it is shown
//! (a page shows a few dozen at once).
//!
//! What queries read per item lives in the catalogue's hot index instead
//! (id, year, shop, listing prices, conditions, grades and quantities), and
//! decoding takes those fields from there rather than storing them twice.
//!
//! `encoding` writes and reads an item's bytes; this module keeps them.

mod encoding;

pub(crate) use encoding::encode;

use crate::fast_hash::{FastHasher, FastMap};
use std::hash::BuildHasherDefault;

/// Bytes per block. Items are appended to the current block and a new one
/// is started when an item does not fit, so loading never copies the store
/// to grow it: a single growing buffer would briefly hold its old and new
/// copies, and wasm memory never shrinks back after such a peak.
const BLOCK_BYTES: usize = 256 << 10;

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
}

#[cfg(test)]
mod tests {
    use super::*;

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

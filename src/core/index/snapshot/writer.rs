//! Writing a catalogue's snapshot, a part at a time.

use super::checksum::Checksum;
use super::header::{HEADER_BYTES, MAGIC};
use super::SNAPSHOT_VERSION;
use crate::index::{Catalogue, Copies, HotIndex, LoadStats, Symbols};
use crate::shop_list::ShopInfo;

impl Catalogue {
    /// Bytes the snapshot will take, roughly, so it is written without
    /// growing (and briefly holding two copies).
    fn snapshot_size_estimate(&self) -> usize {
        let names: usize = self
            .symbols
            .iter()
            .flat_map(|s| &s.names)
            .map(|n| n.len() + 8)
            .sum();
        let shops = self.shops.len() * 256;
        self.store.bytes() + self.index_bytes() + names + shops + 1024
    }
}

/// Writes a catalogue's snapshot a part at a time, so that a caller on the
/// page's thread can yield between parts: written at once, a 50,000-item
/// snapshot (about 20 MB) was a task of about 50 ms.
pub struct SnapshotWriter<'c> {
    catalogue: &'c Catalogue,
    w: Writer,
    /// The next part to write (see [`SnapshotWriter::write_part`]).
    part: usize,
    /// Item store bytes written so far.
    store_written: usize,
    /// The checksum of the body written so far.
    sum: Checksum,
}

/// Item store bytes written per part at most.
const STORE_PART_BYTES: usize = 1 << 20;

impl<'c> SnapshotWriter<'c> {
    /// A writer of `catalogue`'s snapshot, its header written, its
    /// buffer sized for the whole.
    pub fn new(catalogue: &'c Catalogue) -> Self {
        let mut w = Writer {
            out: Vec::with_capacity(HEADER_BYTES + catalogue.snapshot_size_estimate()),
        };
        w.out.extend_from_slice(MAGIC);
        w.u32(SNAPSHOT_VERSION);
        w.out.extend_from_slice(&[0; 16]); // body length and checksum, in `finish`
        SnapshotWriter {
            catalogue,
            w,
            part: 0,
            store_written: 0,
            sum: Checksum::new(),
        }
    }

    /// Writes the next part, of at most about a megabyte; `false` once
    /// there is nothing left to write.
    pub fn write_part(&mut self) -> bool {
        let Self {
            catalogue: c,
            w,
            part,
            store_written,
            sum,
        } = self;
        // Every field written is named, none passed over with `..`: a field
        // added to the catalogue does not compile here until it is written
        // (and read back in `reader.rs`), and then the golden test of the
        // bytes asks for a `SNAPSHOT_VERSION` bump.
        let Catalogue {
            store,
            symbols,
            stats,
            hot,
            orders,
            shops,
            lists_stock,
            copies,
        } = *c;
        let HotIndex {
            keys,
            key_start,
            title_end,
            creators_end,
            value_start,
            values,
            value_facet,
            listing_start,
            listing_price,
            listing_flags,
            listing_quantity,
            year,
            item_id,
            item_flags,
            shop: item_shop,
            byte_counts,
        } = hot;
        let Copies {
            group_of,
            first,
            next_copy,
        } = copies;
        let summed = w.out.len();
        let mut part_done = true;
        match *part {
            0 => {
                let LoadStats {
                    elements,
                    unreadable,
                    without_listings,
                    duplicates,
                    over_cap,
                    truncated,
                } = stats;
                for count in [elements, unreadable, without_listings, duplicates, over_cap] {
                    w.u64(*count as u64);
                }
                w.flag(*truncated);
                w.flag(*lists_stock);
                w.count(shops.len());
                for shop in shops {
                    let ShopInfo {
                        id,
                        name,
                        key,
                        date,
                        uri,
                        logo,
                        alpha2,
                        geo,
                        pickup,
                    } = shop;
                    w.text(id);
                    w.text(name);
                    for text in [key, date, uri, logo, alpha2] {
                        w.optional_text(text.as_deref());
                    }
                    w.flag(geo.is_some());
                    let (longitude, latitude) = geo.unwrap_or_default();
                    w.u64(longitude.to_bits());
                    w.u64(latitude.to_bits());
                    w.flag(*pickup);
                }
                for symbols in symbols {
                    // The lookup by folded name is rebuilt from the names.
                    let Symbols {
                        names,
                        by_key: _,
                        global,
                    } = symbols;
                    w.count(names.len());
                    for name in names {
                        w.text(name);
                    }
                    w.array(global, u32::to_le_bytes);
                }
            }
            1 => {
                w.bytes(keys.as_bytes());
                w.array(key_start, u32::to_le_bytes);
                w.array(title_end, u16::to_le_bytes);
                w.array(creators_end, u16::to_le_bytes);
                w.array(value_start, u32::to_le_bytes);
                w.array(values, u32::to_le_bytes);
                w.bytes(value_facet);
            }
            2 => {
                w.array(listing_start, u32::to_le_bytes);
                w.array(listing_price, i64::to_le_bytes);
                w.bytes(listing_flags);
                w.array(listing_quantity, u32::to_le_bytes);
                w.array(year, u16::to_le_bytes);
                w.array(item_id, u64::to_le_bytes);
                w.bytes(item_flags);
                w.array(item_shop, u16::to_le_bytes);
                w.array(byte_counts, u32::to_le_bytes);
                // The store's blocks as one run: restored, it is a single block.
                w.count(store.encoded_len());
            }
            3 => {
                // The item store, a megabyte per part.
                let mut skip = *store_written;
                let mut budget = STORE_PART_BYTES;
                for block in &store.blocks {
                    if budget == 0 {
                        break;
                    }
                    if skip >= block.len() {
                        skip -= block.len();
                        continue;
                    }
                    let piece = &block[skip..block.len().min(skip + budget)];
                    skip = 0;
                    w.out.extend_from_slice(piece);
                    budget -= piece.len();
                    *store_written += piece.len();
                }
                part_done = *store_written == store.encoded_len();
            }
            4 => {
                w.array(&store.item_start, u32::to_le_bytes);
                w.bytes(&store.shared);
                w.array(&store.shared_end, u32::to_le_bytes);
                w.array(group_of, u32::to_le_bytes);
                w.array(first, u32::to_le_bytes);
                w.array(next_copy, u32::to_le_bytes);
            }
            order if order - 5 < orders.len() => {
                let order = orders[order - 5]
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                w.array(&order, u32::to_le_bytes);
            }
            _ => return false,
        }
        sum.update(&w.out[summed..]);
        *part += usize::from(part_done);
        true
    }

    /// The snapshot, with whatever parts were not written yet.
    pub fn finish(mut self) -> Vec<u8> {
        while self.write_part() {}
        let mut out = self.w.out;
        let body_len = (out.len() - HEADER_BYTES) as u64;
        out[MAGIC.len() + 4..MAGIC.len() + 12].copy_from_slice(&body_len.to_le_bytes());
        out[MAGIC.len() + 12..HEADER_BYTES].copy_from_slice(&self.sum.finish().to_le_bytes());
        out
    }
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn u32(&mut self, value: u32) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    fn u64(&mut self, value: u64) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    fn count(&mut self, count: usize) {
        self.u64(count as u64);
    }

    fn flag(&mut self, value: bool) {
        self.out.push(u8::from(value));
    }

    fn array<T: Copy, const N: usize>(&mut self, values: &[T], to_bytes: fn(T) -> [u8; N]) {
        self.count(values.len());
        // Sized once and filled in place: a push per value was most of the
        // time spent writing a snapshot.
        let start = self.out.len();
        self.out.resize(start + values.len() * N, 0);
        for (slot, &value) in self.out[start..].chunks_exact_mut(N).zip(values) {
            slot.copy_from_slice(&to_bytes(value));
        }
    }

    /// Bytes as they are, copied at once.
    fn bytes(&mut self, bytes: &[u8]) {
        self.count(bytes.len());
        self.out.extend_from_slice(bytes);
    }

    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn optional_text(&mut self, text: Option<&str>) {
        self.flag(text.is_some());
        self.text(text.unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SORTED_ORDERS;
    use crate::SortKey;

    #[test]
    fn a_snapshot_is_written_in_parts_of_about_a_megabyte() {
        let feed = cg_emulator::generator::generate_feed(6000, 3, "http://127.0.0.1:1");
        let catalogue = Catalogue::from_feed(feed.as_bytes()).unwrap();
        SortKey::ALL
            .into_iter()
            .for_each(|sort| catalogue.prepare_sort(sort));
        let mut writer = SnapshotWriter::new(&catalogue);
        let mut written = writer.w.out.len();
        let mut parts = 0;
        while writer.write_part() {
            let part = writer.w.out.len() - written;
            assert!(
                part <= STORE_PART_BYTES + 256 * 1024,
                "part {parts}: {part} bytes"
            );
            written += part;
            parts += 1;
        }
        let bytes = writer.finish();
        assert_eq!(bytes.len(), written);
        assert!(
            catalogue.store.encoded_len() > STORE_PART_BYTES,
            "the item store takes several parts"
        );
        assert!(parts > 5 + SORTED_ORDERS, "{parts} parts");
        let restored = Catalogue::from_snapshot(&bytes).unwrap();
        assert_eq!(restored.to_snapshot(), bytes);
    }
}

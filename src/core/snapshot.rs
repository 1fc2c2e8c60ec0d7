//! A catalogue as bytes, kept in browser storage so a repeat visit shows
//! results without reading the feed again.
//!
//! The format, little-endian throughout: the magic `CGCATSNP`, the format
//! version (u32), the body's length (u64) and a checksum of the body (u64);
//! then the body, a fixed sequence of fields, each array led by its
//! element count. Restoring copies the arrays back, with no per-item
//! parsing. Stored bytes are untrusted (other scripts on the origin can
//! alter them), so restoring checks every offset and id a query or a
//! display follows: damaged or altered bytes give an error, never a panic
//! or an out-of-bounds access later.

use crate::catalogue::{
    Catalogue, Copies, HotIndex, LoadStats, Symbols, FACETS, MAX_ITEMS, NO_COPY, NO_SHOP,
    SORTED_ORDERS,
};
use crate::fast_hash::FastMap;
use crate::fold::fold;
use crate::grade::GRADE_SHIFT;
use crate::item_store::ItemStore;
use crate::shop_list::ShopInfo;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// The format version; a snapshot of another version is refused (and the
/// feed read again). Bump it whenever the bytes or their meaning change,
/// including how search keys are folded or items encoded.
pub const SNAPSHOT_VERSION: u32 = 2;

const MAGIC: &[u8; 8] = b"CGCATSNP";
const HEADER_BYTES: usize = MAGIC.len() + 4 + 8 + 8;

/// Why a snapshot could not be restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a catalogue snapshot")]
    NotASnapshot,
    #[error("catalogue snapshot version {found}; this build reads version {SNAPSHOT_VERSION}")]
    Version { found: u32 },
    #[error("catalogue snapshot cut short")]
    Truncated,
    #[error("catalogue snapshot damaged: its checksum does not match")]
    Checksum,
    #[error("catalogue snapshot inconsistent: {0}")]
    Invalid(&'static str),
}

impl Catalogue {
    /// The catalogue as bytes for [`Catalogue::from_snapshot`]: items,
    /// index, facet values, shops, load statistics, copy groups, and the
    /// sort orders built so far (prepare the sorts first to keep them all).
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut writer = SnapshotWriter::new(self);
        while writer.write_part() {}
        writer.finish()
    }

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

    /// Restores a catalogue from [`Catalogue::to_snapshot`] bytes, checking
    /// them throughout.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Catalogue, SnapshotError> {
        let body = checked_body(bytes)?;
        let (catalogue, items) = read_body(&mut Reader { bytes: body, at: 0 })?;
        with_items(catalogue, body[items].to_vec())
    }

    /// As [`Catalogue::from_snapshot`], keeping the item bytes where they
    /// are in `bytes`, whose buffer becomes the item store: the largest part
    /// of a snapshot is not copied, and snapshot and catalogue are never
    /// held in full at once.
    pub fn from_snapshot_owned(bytes: Vec<u8>) -> Result<Catalogue, SnapshotError> {
        from_snapshot_summed(bytes, checksum)
    }
}

/// [`Catalogue::from_snapshot_owned`], with `body_sum` giving the checksum
/// of the body (once the header is known to be this build's).
fn from_snapshot_summed(
    mut bytes: Vec<u8>,
    body_sum: impl FnOnce(&[u8]) -> u64,
) -> Result<Catalogue, SnapshotError> {
    let body = checked_body_summed(&bytes, body_sum)?;
    let (catalogue, items) = read_body(&mut Reader { bytes: body, at: 0 })?;
    let items_len = items.len();
    bytes.copy_within(HEADER_BYTES + items.start..HEADER_BYTES + items.end, 0);
    bytes.truncate(items_len);
    // Shrinks in place: the rest of the buffer is free for other uses.
    bytes.shrink_to_fit();
    with_items(catalogue, bytes)
}

/// Takes a snapshot's bytes as they are read from storage and checksums
/// them as they come, so that after the last byte only the decoding is
/// left (see [`Catalogue::from_snapshot_owned`], which it matches).
#[derive(Default)]
pub struct SnapshotLoader {
    bytes: Vec<u8>,
    /// Of the body bytes read so far.
    sum: Checksum,
}

/// The most room reserved ahead on the word of a snapshot's header, which
/// storage could have altered; a larger snapshot grows as it is read.
const MAX_RESERVED_BYTES: u64 = 256 << 20;

impl SnapshotLoader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the next bytes read.
    pub fn push(&mut self, chunk: &[u8]) {
        self.push_with(chunk.len(), |room| room.copy_from_slice(chunk));
    }

    /// Appends the next `len` bytes read, which `fill` writes into place
    /// (bytes held by JavaScript are copied once, not into a buffer first).
    pub fn push_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        let before = self.bytes.len();
        self.bytes.resize(before + len, 0);
        fill(&mut self.bytes[before..]);
        if before < HEADER_BYTES && self.bytes.len() >= HEADER_BYTES {
            // Room for the whole snapshot at once: growing a 20 MB buffer
            // step by step copies it several times.
            let body_len = self.bytes[MAGIC.len() + 4..]
                .first_chunk()
                .map_or(u64::MAX, |len| u64::from_le_bytes(*len));
            if body_len <= MAX_RESERVED_BYTES {
                let _ = self.bytes.try_reserve_exact(
                    (HEADER_BYTES + body_len as usize).saturating_sub(self.bytes.len()),
                );
            }
        }
        if let Some(body) = self.bytes.get(before.max(HEADER_BYTES)..) {
            self.sum.update(body);
        }
    }

    /// The catalogue the bytes read hold, checked throughout.
    pub fn finish(self) -> Result<Catalogue, SnapshotError> {
        let sum = self.sum.finish();
        from_snapshot_summed(self.bytes, |_| sum)
    }
}

/// The body of a snapshot whose header is this build's and whose checksum
/// holds.
fn checked_body(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    checked_body_summed(bytes, checksum)
}

/// As [`checked_body`], with `body_sum` giving the checksum of the body.
fn checked_body_summed(
    bytes: &[u8],
    body_sum: impl FnOnce(&[u8]) -> u64,
) -> Result<&[u8], SnapshotError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(bytes) {
            SnapshotError::Truncated
        } else {
            SnapshotError::NotASnapshot
        });
    }
    let mut header = Reader {
        bytes: &bytes[..bytes.len().min(HEADER_BYTES)],
        at: MAGIC.len(),
    };
    let version = header.u32()?;
    if version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Version { found: version });
    }
    let (body_len, sum) = (header.u64()?, header.u64()?);
    let body = &bytes[HEADER_BYTES..];
    match usize::try_from(body_len) {
        Ok(len) if len == body.len() => {}
        Ok(len) if len > body.len() => return Err(SnapshotError::Truncated),
        _ => return Err(SnapshotError::Invalid("body length")),
    }
    if body_sum(body) != sum {
        return Err(SnapshotError::Checksum);
    }
    Ok(body)
}

/// `catalogue` (read without its item bytes) with `items` as its item
/// store's one block, once everything checks out.
fn with_items(mut catalogue: Catalogue, items: Vec<u8>) -> Result<Catalogue, SnapshotError> {
    let end = u32::try_from(items.len()).map_err(|_| SnapshotError::Invalid("item store size"))?;
    catalogue.store.blocks = vec![items];
    catalogue.store.block_start = vec![0, end];
    validate(&catalogue)?;
    Ok(catalogue)
}

/// Reads a snapshot body: the catalogue with an empty item store, and
/// where in the body the item bytes are (see [`with_items`]).
fn read_body(r: &mut Reader) -> Result<(Catalogue, Range<usize>), SnapshotError> {
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
        facet.names = (0..len)
            .map(|_| r.text().map(String::into_boxed_str))
            .collect::<Result<_, _>>()?;
        facet.global = r.array(u32::from_le_bytes)?;
        facet.by_key = FastMap::with_capacity_and_hasher(len, Default::default());
        for (id, name) in facet.names.iter().enumerate() {
            facet
                .by_key
                .entry(fold(name).into_boxed_str())
                .or_insert(id as u32);
        }
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

/// Checks everything a query or a display indexes by, so a restored
/// catalogue is as safe to use as a built one.
fn validate(c: &Catalogue) -> Result<(), SnapshotError> {
    use SnapshotError::Invalid;
    let check = |ok: bool, what: &'static str| if ok { Ok(()) } else { Err(Invalid(what)) };
    let store = &c.store;
    check(!store.item_start.is_empty(), "item offsets")?;
    let n = store.len();
    check(n <= MAX_ITEMS, "item count")?;
    check(
        offsets(&store.item_start, store.blocks[0].len()),
        "item offsets",
    )?;
    check(
        offsets_from(0, &store.shared_end, store.shared.len()),
        "shared text offsets",
    )?;

    let hot = &c.hot;
    check(
        hot.key_start.len() == n + 1 && offsets(&hot.key_start, hot.keys.len()),
        "search key offsets",
    )?;
    check(
        hot.title_end.len() == n && hot.creators_end.len() == n,
        "search key fields",
    )?;
    let keys = hot.keys.as_bytes();
    for i in 0..n {
        let (start, end) = (hot.key_start[i] as usize, hot.key_start[i + 1] as usize);
        let (title, creators) = (hot.title_end[i] as usize, hot.creators_end[i] as usize);
        // `title|creators|labels\0`: the queries rely on each separator.
        let key_ok = title < creators
            && start + creators + 1 < end
            && keys[start + title] == b'|'
            && keys[start + creators] == b'|'
            && keys[end - 1] == 0;
        check(key_ok, "search key fields")?;
    }
    check(hot.byte_counts.len() == 256, "byte counts")?;

    let values = hot.value_facet.len();
    check(
        hot.value_start.len() == n + 1 && offsets(&hot.value_start, hot.values.len()),
        "facet value offsets",
    )?;
    check(
        hot.values.iter().all(|&v| (v as usize) < values),
        "facet value ids",
    )?;
    check(
        hot.value_facet.iter().all(|&f| (f as usize) < FACETS),
        "facet of a value",
    )?;
    // Each facet's values are its own, in increasing catalogue-wide ids,
    // and together they are every value.
    let mut listed = 0;
    for (facet, symbols) in c.symbols.iter().enumerate() {
        check(symbols.names.len() == symbols.global.len(), "facet values")?;
        check(
            symbols.global.windows(2).all(|w| w[0] < w[1]),
            "facet value order",
        )?;
        check(
            symbols
                .global
                .iter()
                .all(|&g| hot.value_facet.get(g as usize) == Some(&(facet as u8))),
            "facet value ids",
        )?;
        listed += symbols.global.len();
    }
    check(listed == values, "facet values")?;

    check(
        hot.listing_start.len() == n + 1 && offsets(&hot.listing_start, hot.listing_price.len()),
        "listing offsets",
    )?;
    let listings = hot.listing_price.len();
    check(
        hot.listing_flags.len() == listings && hot.listing_quantity.len() == listings,
        "listings",
    )?;
    check(
        hot.listing_flags.iter().all(|&f| f >> GRADE_SHIFT <= 8),
        "listing grades",
    )?;
    check(
        hot.year.len() == n
            && hot.item_id.len() == n
            && hot.item_flags.len() == n
            && hot.shop.len() == n,
        "item fields",
    )?;
    check(
        hot.shop
            .iter()
            .all(|&s| s == NO_SHOP || usize::from(s) < c.shops.len()),
        "item shops",
    )?;

    let copies = &c.copies;
    let grouped = copies.group_of.len() == n && copies.next_copy.len() == n;
    let ungrouped =
        copies.group_of.is_empty() && copies.next_copy.is_empty() && copies.first.is_empty();
    check(grouped || (ungrouped && c.shops.is_empty()), "copy groups")?;
    check(
        copies
            .group_of
            .iter()
            .all(|&g| (g as usize) < copies.first.len()),
        "copy groups",
    )?;
    check(
        copies.first.iter().all(|&i| (i as usize) < n),
        "copy groups",
    )?;
    // Chains run forward, so following one always ends.
    let forward = copies
        .next_copy
        .iter()
        .enumerate()
        .all(|(i, &next)| next == NO_COPY || (i < next as usize && (next as usize) < n));
    check(forward, "copy chains")?;

    for order in &c.orders {
        let order = order.lock().unwrap_or_else(|e| e.into_inner());
        check(order.len() <= n && is_permutation(&order), "sort order")?;
    }
    Ok(())
}

/// Whether `offsets` runs from 0 up to `end`, never down.
fn offsets(offsets: &[u32], end: usize) -> bool {
    offsets.first() == Some(&0) && offsets_from(0, &offsets[1..], end)
}

/// Whether `ends` rises (or stays) from `start` and finishes at `end` (or
/// is empty with `end` equal to `start`).
fn offsets_from(start: u32, ends: &[u32], end: usize) -> bool {
    let rising = ends
        .iter()
        .try_fold(start, |previous, &e| (e >= previous).then_some(e));
    rising.is_some_and(|last| last as usize == end)
}

/// Whether `order` holds each of `0..order.len()` once.
fn is_permutation(order: &[u32]) -> bool {
    let mut seen = vec![0u64; order.len().div_ceil(64)];
    order.iter().all(|&i| {
        let i = i as usize;
        let fresh = i < order.len() && seen[i / 64] & (1 << (i % 64)) == 0;
        if fresh {
            seen[i / 64] |= 1 << (i % 64);
        }
        fresh
    })
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
        let summed = w.out.len();
        let mut part_done = true;
        match *part {
            0 => {
                let stats = &c.stats;
                for count in [
                    stats.elements,
                    stats.unreadable,
                    stats.without_listings,
                    stats.duplicates,
                    stats.over_cap,
                ] {
                    w.u64(count as u64);
                }
                w.flag(stats.truncated);
                w.flag(c.lists_stock);
                w.count(c.shops.len());
                for shop in &c.shops {
                    w.text(&shop.id);
                    w.text(&shop.name);
                    for text in [&shop.key, &shop.date, &shop.uri, &shop.logo, &shop.alpha2] {
                        w.optional_text(text.as_deref());
                    }
                    w.flag(shop.geo.is_some());
                    let (longitude, latitude) = shop.geo.unwrap_or_default();
                    w.u64(longitude.to_bits());
                    w.u64(latitude.to_bits());
                    w.flag(shop.pickup);
                }
                for symbols in &c.symbols {
                    w.count(symbols.names.len());
                    for name in &symbols.names {
                        w.text(name);
                    }
                    w.array(&symbols.global, u32::to_le_bytes);
                }
            }
            1 => {
                let hot = &c.hot;
                w.bytes(hot.keys.as_bytes());
                w.array(&hot.key_start, u32::to_le_bytes);
                w.array(&hot.title_end, u16::to_le_bytes);
                w.array(&hot.creators_end, u16::to_le_bytes);
                w.array(&hot.value_start, u32::to_le_bytes);
                w.array(&hot.values, u32::to_le_bytes);
                w.bytes(&hot.value_facet);
            }
            2 => {
                let hot = &c.hot;
                w.array(&hot.listing_start, u32::to_le_bytes);
                w.array(&hot.listing_price, i64::to_le_bytes);
                w.bytes(&hot.listing_flags);
                w.array(&hot.listing_quantity, u32::to_le_bytes);
                w.array(&hot.year, u16::to_le_bytes);
                w.array(&hot.item_id, u64::to_le_bytes);
                w.bytes(&hot.item_flags);
                w.array(&hot.shop, u16::to_le_bytes);
                w.array(&hot.byte_counts, u32::to_le_bytes);
                // The store's blocks as one run: restored, it is a single block.
                w.count(c.store.encoded_len());
            }
            3 => {
                // The item store, a megabyte per part.
                let mut skip = *store_written;
                let mut budget = STORE_PART_BYTES;
                for block in &c.store.blocks {
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
                part_done = *store_written == c.store.encoded_len();
            }
            4 => {
                let store = &c.store;
                w.array(&store.item_start, u32::to_le_bytes);
                w.bytes(&store.shared);
                w.array(&store.shared_end, u32::to_le_bytes);
                w.array(&c.copies.group_of, u32::to_le_bytes);
                w.array(&c.copies.first, u32::to_le_bytes);
                w.array(&c.copies.next_copy, u32::to_le_bytes);
            }
            order if order - 5 < c.orders.len() => {
                let order = c.orders[order - 5]
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

/// A 64-bit checksum of `bytes`: four independent lanes of eight-byte
/// words, so it runs near memory speed. Any change within one lane's words
/// always changes the sum (each step is invertible); it is for damaged
/// bytes, not a defence against deliberate changes (the checks on
/// restoring are).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(bytes);
    sum.finish()
}

const CHECKSUM_K: u64 = 0x9E37_79B9_7F4A_7C15;
const CHECKSUM_BLOCK: usize = 32;

/// [`checksum`] of bytes given in pieces.
pub(crate) struct Checksum {
    lanes: [u64; 4],
    /// The bytes of a block not yet complete: its first `len % 32`.
    pending: [u8; CHECKSUM_BLOCK],
    len: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

impl Checksum {
    pub(crate) fn new() -> Self {
        let k = CHECKSUM_K;
        Checksum {
            lanes: [k, k ^ 1, k ^ 2, k ^ 3],
            pending: [0; CHECKSUM_BLOCK],
            len: 0,
        }
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        let pending = self.len as usize % CHECKSUM_BLOCK;
        self.len += bytes.len() as u64;
        if pending > 0 {
            let (head, tail) = bytes.split_at(bytes.len().min(CHECKSUM_BLOCK - pending));
            self.pending[pending..pending + head.len()].copy_from_slice(head);
            bytes = tail;
            if pending + head.len() < CHECKSUM_BLOCK {
                return;
            }
            let block = self.pending;
            self.mix_blocks(&block);
        }
        let whole = bytes.len() - bytes.len() % CHECKSUM_BLOCK;
        self.mix_blocks(&bytes[..whole]);
        self.pending[..bytes.len() - whole].copy_from_slice(&bytes[whole..]);
    }

    fn mix_blocks(&mut self, blocks: &[u8]) {
        let mix = |lane: u64, word: &[u8]| {
            let word = u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]);
            (lane ^ word).wrapping_mul(CHECKSUM_K).rotate_left(31)
        };
        let lanes = &mut self.lanes;
        // Written out lane by lane: the bundle is built for size, which unrolls little.
        for block in blocks.chunks_exact(CHECKSUM_BLOCK) {
            lanes[0] = mix(lanes[0], &block[0..8]);
            lanes[1] = mix(lanes[1], &block[8..16]);
            lanes[2] = mix(lanes[2], &block[16..24]);
            lanes[3] = mix(lanes[3], &block[24..32]);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        let step = |sum: u64, value: u64| (sum ^ value).wrapping_mul(CHECKSUM_K).rotate_left(31);
        let mut sum = self.len;
        for &byte in &self.pending[..self.len as usize % CHECKSUM_BLOCK] {
            sum = step(sum, u64::from(byte));
        }
        for lane in self.lanes {
            sum = step(sum, lane);
        }
        sum ^ sum >> 29
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

/// Reads fields, every read bounds-checked.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
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

    fn u32(&mut self) -> Result<u32, SnapshotError> {
        self.fixed().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, SnapshotError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop_list::ShopInfo;
    use crate::ShopFeed;
    use crate::{CatalogueBuilder, Condition, Facet, Grade, SortKey, ViewState};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A small aggregated catalogue with every sort order built: shops,
    /// copies, facets and orders all in the bytes.
    fn sample() -> &'static [u8] {
        static SAMPLE: OnceLock<Vec<u8>> = OnceLock::new();
        SAMPLE.get_or_init(|| {
            let mut builder = CatalogueBuilder::new();
            let shops = (0..2u64)
                .map(|id| ShopInfo {
                    geo: Some((id as f64, 50.0)),
                    ..ShopInfo::bare(&id.to_string())
                })
                .collect();
            builder.set_shops(shops);
            for shop in 0..2u16 {
                let mut shop_feed = ShopFeed::new(shop);
                let feed = cg_emulator::generator::generate_shop_feed(
                    10,
                    5,
                    u64::from(shop),
                    "http://127.0.0.1:1",
                );
                builder
                    .push_shop_chunk(&mut shop_feed, feed.as_bytes())
                    .unwrap();
                builder.finish_shop(&mut shop_feed).unwrap();
            }
            let catalogue = builder.finish_items();
            SortKey::ALL
                .into_iter()
                .for_each(|sort| catalogue.prepare_sort(sort));
            catalogue.to_snapshot()
        })
    }

    /// Sets bytes of the body and fixes the checksum, as someone altering
    /// a stored snapshot on purpose would.
    fn altered(changes: &[(usize, u8)]) -> Vec<u8> {
        let mut bytes = sample().to_vec();
        let body = bytes.len() - HEADER_BYTES;
        for &(at, value) in changes {
            bytes[HEADER_BYTES + at % body] = value;
        }
        let sum = checksum(&bytes[HEADER_BYTES..]);
        bytes[MAGIC.len() + 12..HEADER_BYTES].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    /// Uses a catalogue the ways the widget does: every sort, text,
    /// facets, listing filters, and every item shown with its copies.
    fn exercise(catalogue: &Catalogue) {
        let all = catalogue.query(&ViewState::default());
        for sort in SortKey::ALL {
            let mut view = ViewState {
                sort: Some(sort),
                near: Some((1.0, 50.0)),
                ..ViewState::default()
            };
            catalogue.query(&view);
            view.query = "a e".into();
            catalogue.query(&view);
            for (facet, values) in &all.facets {
                if let Some(value) = values.first() {
                    view.toggle(*facet, &value.name);
                }
            }
            view.conditions = vec![Condition::Used];
            view.min_grade = Some(Grade::Good);
            view.year_min = Some(1900);
            catalogue.query(&view);
        }
        for i in 0..catalogue.len() as u32 {
            let item = catalogue.item(i);
            let _ = (catalogue.shop_of(&item), catalogue.copies(i));
            for facet in Facet::ALL {
                for id in catalogue.values(i, facet) {
                    let _ = catalogue.symbols(facet).name(id);
                }
            }
        }
    }

    /// Restores `bytes` both ways, which must agree: the same error, or
    /// catalogues that snapshot to the same bytes.
    fn restore(bytes: &[u8]) -> Result<Catalogue, SnapshotError> {
        let borrowed = Catalogue::from_snapshot(bytes);
        let owned = Catalogue::from_snapshot_owned(bytes.to_vec());
        match (&borrowed, &owned) {
            (Ok(borrowed), Ok(owned)) => assert!(
                borrowed.to_snapshot() == owned.to_snapshot(),
                "both ways restore the same"
            ),
            (Err(borrowed), Err(owned)) => assert_eq!(borrowed, owned),
            _ => panic!(
                "one way restored, the other did not: {:?} / {:?}",
                borrowed.as_ref().err(),
                owned.as_ref().err()
            ),
        }
        owned
    }

    #[test]
    fn the_sample_restores_and_is_used_unchanged() {
        let catalogue = restore(&altered(&[])).unwrap();
        assert!(catalogue.len() > 10 && catalogue.is_grouped());
        exercise(&catalogue);
    }

    #[test]
    fn an_owned_snapshot_becomes_the_item_store() {
        let bytes = sample().to_vec();
        let buffer = bytes.as_ptr();
        let catalogue = Catalogue::from_snapshot_owned(bytes).unwrap();
        let items = &catalogue.store.blocks;
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ptr(),
            buffer,
            "the item bytes were moved within the buffer, not copied out of it"
        );
        assert_eq!(
            items[0].capacity(),
            items[0].len(),
            "the rest of the buffer was given back"
        );
        assert_eq!(catalogue.store.encoded_len(), items[0].len());
        exercise(&catalogue);
    }

    #[test]
    fn checks_find_what_the_checksum_cannot() {
        let body_at = |needle: &[u8]| {
            sample()[HEADER_BYTES..]
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        // The count of the first shop's id text, made huge.
        assert_eq!(
            restore(&altered(&[(8 * 5 + 2 + 8 + 7, 0x7F)])).unwrap_err(),
            SnapshotError::Truncated
        );
        // A search key's separator changed.
        let key_separator = body_at(b"|");
        assert!(matches!(
            restore(&altered(&[(key_separator, b'x')])),
            Err(SnapshotError::Invalid(_))
        ));
    }

    #[test]
    fn offsets_must_rise_to_the_end_and_orders_hold_each_item_once() {
        assert!(offsets(&[0, 3, 3, 5], 5) && offsets(&[0], 0));
        assert!(
            !offsets(&[0, 3, 2, 5], 5)
                && !offsets(&[1, 5], 5)
                && !offsets(&[0, 4], 5)
                && !offsets(&[], 0)
        );
        assert!(offsets_from(0, &[], 0) && !offsets_from(0, &[], 1));
        assert!(is_permutation(&[2, 0, 1]) && is_permutation(&[]));
        assert!(!is_permutation(&[0, 0, 1]) && !is_permutation(&[0, 3, 1]));
    }

    #[test]
    fn the_checksum_sees_every_changed_byte_and_length() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let sum = checksum(&bytes);
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert_ne!(checksum(&changed), sum, "byte {at}");
        }
        assert_ne!(checksum(&bytes[..99]), sum);
        assert_ne!(checksum(&[0; 33]), checksum(&[0; 32]));
    }

    #[test]
    fn the_checksum_is_the_one_snapshots_were_saved_with() {
        // Pinned: a changed sum would make every saved index look damaged.
        let bytes: Vec<u8> = (0..100u8).collect();
        assert_eq!(checksum(&bytes), PINNED_SUM_OF_0_TO_99);
        assert_eq!(checksum(&[]), PINNED_SUM_OF_NOTHING);
    }

    #[test]
    fn a_snapshot_loaded_in_pieces_restores_as_a_whole_one_does() {
        let whole = sample();
        let cuts = [
            0,
            1,
            5,
            HEADER_BYTES - 1,
            HEADER_BYTES,
            HEADER_BYTES + 3,
            1000,
            whole.len() - 7,
            whole.len(),
        ];
        let mut loader = SnapshotLoader::new();
        for pair in cuts.windows(2) {
            loader.push(&whole[pair[0]..pair[1]]);
        }
        assert_eq!(loader.finish().unwrap().to_snapshot(), whole);
        // Damaged, cut short or too long, as `from_snapshot_owned` judges it.
        for bytes in [
            altered(&[])
                .into_iter()
                .take(whole.len() - 1)
                .collect::<Vec<_>>(),
            [whole, b"x"].concat(),
            {
                let mut damaged = whole.to_vec();
                damaged[HEADER_BYTES + 40] ^= 4;
                damaged
            },
        ] {
            let mut loader = SnapshotLoader::new();
            bytes.chunks(333).for_each(|piece| loader.push(piece));
            assert_eq!(
                loader.finish().err(),
                Catalogue::from_snapshot_owned(bytes.clone()).err()
            );
        }
        assert_eq!(
            SnapshotLoader::new().finish().err(),
            Some(SnapshotError::Truncated)
        );
    }

    #[test]
    fn a_header_claiming_a_huge_snapshot_reserves_nothing_for_it() {
        let mut header = sample()[..HEADER_BYTES].to_vec();
        header[MAGIC.len() + 4..MAGIC.len() + 12].copy_from_slice(&u64::MAX.to_le_bytes());
        let mut loader = SnapshotLoader::new();
        loader.push(&header);
        assert!(loader.bytes.capacity() < 1 << 20);
        assert_eq!(
            loader.finish().err(),
            Catalogue::from_snapshot_owned(header).err()
        );
    }

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

    const PINNED_SUM_OF_0_TO_99: u64 = 0x87ce_1c44_af9a_cc6d;
    const PINNED_SUM_OF_NOTHING: u64 = 0x79e4_e055_2d8d_3041;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

        #[test]
        fn the_checksum_of_pieces_is_the_checksum_of_the_whole(bytes in prop::collection::vec(any::<u8>(), 0..300), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut sum = Checksum::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                sum.update(&bytes[from..cut]);
                from = cut;
            }
            prop_assert_eq!(sum.finish(), checksum(&bytes));
        }

        #[test]
        fn altered_snapshots_restore_safely_or_not_at_all(changes in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
            if let Ok(catalogue) = restore(&altered(&changes)) {
                exercise(&catalogue);
            }
        }

        #[test]
        fn altered_counts_and_offsets_restore_safely_or_not_at_all(at in any::<usize>(), value in any::<u32>()) {
            // Four bytes at once: whole offsets, ids and counts replaced.
            let bytes: Vec<(usize, u8)> = value.to_le_bytes().iter().enumerate().map(|(k, &b)| (at.wrapping_add(k), b)).collect();
            if let Ok(catalogue) = restore(&altered(&bytes)) {
                exercise(&catalogue);
            }
        }
    }
}

//! Compact sort keys and the radix sort over them, behind the cached
//! orders of `sort`.

use crate::index::{Catalogue, HAS_ID, NO_PRICE, UNTRACKED};
use crate::view_state::SortKey;
use std::cmp::Ordering;
use std::ops::Range;

/// Compact keys for one sort: a `u64` per item that orders like the sort
/// (for text, eight bytes of it), `None` for items lacking the key.
pub(super) struct SortKeys<'c> {
    catalogue: &'c Catalogue,
    sort: SortKey,
}

impl<'c> SortKeys<'c> {
    pub(super) fn new(catalogue: &'c Catalogue, sort: SortKey) -> Self {
        SortKeys { catalogue, sort }
    }

    fn key(&self, index: u32) -> Option<u64> {
        let hot = &self.catalogue.hot;
        let i = index as usize;
        // Order-preserving maps onto u64; descending sorts invert.
        let price = || {
            let prices = &hot.listing_price
                [hot.listing_start[i] as usize..hot.listing_start[i + 1] as usize];
            prices
                .iter()
                .filter(|&&p| p != NO_PRICE)
                .min()
                .map(|&p| (p as u64) ^ (1 << 63))
        };
        let year = || Some(hot.year[i]).filter(|&y| y != 0).map(u64::from);
        match self.sort {
            SortKey::Relevance => Some(0),
            SortKey::PriceAsc => price(),
            SortKey::PriceDesc => price().map(|p| !p),
            SortKey::YearAsc => year(),
            SortKey::YearDesc => year().map(|y| !y),
            SortKey::Title | SortKey::Artist => self.text(index).map(|text| chunk(text, 0)),
            SortKey::Newest => (hot.item_flags[i] & HAS_ID != 0).then(|| !hot.item_id[i]),
            SortKey::Stock => {
                let quantities = &hot.listing_quantity
                    [hot.listing_start[i] as usize..hot.listing_start[i + 1] as usize];
                // Untracked stock counts as unlimited.
                let units = quantities.iter().map(|&q| {
                    if q == UNTRACKED {
                        u64::MAX
                    } else {
                        u64::from(q)
                    }
                });
                Some(!units.fold(0u64, u64::saturating_add))
            }
            SortKey::Nearest => None,
        }
    }

    /// The folded text a text sort orders by (UTF-8 bytes order like the
    /// text), `None` when empty.
    fn text(&self, index: u32) -> Option<&'c [u8]> {
        let hot = &self.catalogue.hot;
        let i = index as usize;
        let start = hot.key_start[i] as usize;
        let (title_end, creators_end) = (
            start + hot.title_end[i] as usize,
            start + hot.creators_end[i] as usize,
        );
        let text = match self.sort {
            SortKey::Title => &hot.keys.as_bytes()[start..title_end],
            SortKey::Artist => &hot.keys.as_bytes()[title_end + 1..creators_end],
            _ => return None,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The sort's total order: present keys before missing ones, then by
    /// key (the whole text for text sorts), then by catalogue position.
    pub(super) fn compare(&self, a: u32, b: u32) -> Ordering {
        let by_key = match (self.key(a), self.key(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| self.text(a).cmp(&self.text(b))),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_key.then(a.cmp(&b))
    }

    /// The items of `range` in order: an unstable sort of (key, position)
    /// pairs, which is stable in effect, then, for text, runs with equal
    /// eight-byte chunks re-keyed on the next chunk.
    pub(super) fn sort(&self, range: Range<u32>) -> Vec<u32> {
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(range.len());
        let mut missing = Vec::new();
        for i in range {
            match self.key(i) {
                Some(key) => keyed.push((key, i)),
                None => missing.push(i),
            }
        }
        radix_sort(&mut keyed);
        if matches!(self.sort, SortKey::Title | SortKey::Artist) {
            self.refine(&mut keyed, 1);
        }
        let mut order: Vec<u32> = keyed.iter().map(|&(_, i)| i).collect();
        order.extend(missing);
        order
    }

    /// Orders the runs of `keyed` (sorted by chunk `depth - 1` of their
    /// texts, equal before it) by chunk `depth` and on. A run whose texts
    /// all end within the chunks compared holds equal texts, left in
    /// catalogue order.
    fn refine(&self, keyed: &mut [(u64, u32)], depth: usize) {
        let mut start = 0;
        while start < keyed.len() {
            let key = keyed[start].0;
            let run = keyed[start..].iter().take_while(|(k, _)| *k == key).count();
            let texts = &mut keyed[start..start + run];
            if run > 1
                && texts
                    .iter()
                    .any(|&(_, i)| self.text(i).is_some_and(|t| t.len() > depth * 8))
            {
                for (key, i) in texts.iter_mut() {
                    *key = self.text(*i).map_or(0, |t| chunk(t, depth));
                }
                radix_sort(texts);
                self.refine(texts, depth + 1);
            }
            start += run;
        }
    }
}

/// Sorts by key, stably (so pairs made in position order end up ordered
/// by (key, position)): a least-significant-byte-first radix sort, which
/// skips the bytes all keys share. Short slices take a comparison sort.
fn radix_sort(pairs: &mut [(u64, u32)]) {
    if pairs.len() < 64 {
        pairs.sort_by_key(|&(key, _)| key);
        return;
    }
    let mut counts = [[0u32; 256]; 8];
    for &(key, _) in pairs.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[(key >> (8 * byte)) as usize & 0xFF] += 1;
        }
    }
    let mut buffer = vec![(0u64, 0u32); pairs.len()];
    let mut in_buffer = false;
    for (byte, count) in counts.iter().enumerate() {
        if count.iter().any(|&c| c as usize == pairs.len()) {
            continue; // every key has the same byte here
        }
        let mut next = [0u32; 256];
        let mut at = 0;
        for (slot, &c) in next.iter_mut().zip(count.iter()) {
            *slot = at;
            at += c;
        }
        if in_buffer {
            scatter(&buffer, pairs, byte, &mut next);
        } else {
            scatter(pairs, &mut buffer, byte, &mut next);
        }
        in_buffer = !in_buffer;
    }
    if in_buffer {
        pairs.copy_from_slice(&buffer);
    }
}

/// One radix pass: `from` into `to` by key byte `byte`, `next` holding
/// where each byte value's pairs go.
fn scatter(from: &[(u64, u32)], to: &mut [(u64, u32)], byte: usize, next: &mut [u32; 256]) {
    for &pair in from {
        let slot = &mut next[(pair.0 >> (8 * byte)) as usize & 0xFF];
        to[*slot as usize] = pair;
        *slot += 1;
    }
}

/// Bytes `8 * depth..8 * depth + 8` of `text` as a big-endian number, zero
/// past its end (folded text holds no zero byte, so a shorter text sorts
/// first).
fn chunk(text: &[u8], depth: usize) -> u64 {
    let mut bytes = [0u8; 8];
    let from = (depth * 8).min(text.len());
    let len = (text.len() - from).min(8);
    bytes[..len].copy_from_slice(&text[from..from + len]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sort_is_a_stable_sort_by_key() {
        let mut state = 0x1234_5678_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in [0, 1, 63, 64, 65, 1_000, 5_000] {
            // Few distinct keys, spread over all eight bytes, so ties abound.
            let pool: Vec<u64> = (0..len / 10 + 1).map(|_| next()).collect();
            let pairs: Vec<(u64, u32)> = (0..len as u32)
                .map(|i| (pool[next() as usize % pool.len()], i))
                .collect();
            let mut expected = pairs.clone();
            expected.sort_by_key(|&(key, _)| key);
            let mut sorted = pairs;
            radix_sort(&mut sorted);
            assert_eq!(sorted, expected, "{len} pairs");
        }
        // Keys sharing their high bytes, like years and prices.
        let mut years: Vec<(u64, u32)> = (0..500u32)
            .map(|i| (u64::from(1950 + i * 7 % 70), i))
            .collect();
        let mut expected = years.clone();
        expected.sort();
        radix_sort(&mut years);
        assert_eq!(years, expected);
    }

    #[test]
    fn text_chunks_order_like_the_text() {
        assert!(chunk(b"abc", 0) < chunk(b"abd", 0));
        assert!(
            chunk(b"ab", 0) < chunk(b"ab ", 0),
            "a shorter text sorts first"
        );
        assert_eq!(
            chunk(b"0123456789", 1),
            u64::from_be_bytes(*b"89\0\0\0\0\0\0")
        );
        assert_eq!(chunk(b"01234567", 1), 0);
    }
}

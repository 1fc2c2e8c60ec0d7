//! Checking a restored catalogue: every offset and id a query or a display
//! follows.

use super::SnapshotError;
use crate::grade::{GRADE_SHIFT, MAX_GRADE_CODE};
use crate::index::{Catalogue, FACETS, MAX_ITEMS, NO_COPY, NO_SHOP};

/// Checks everything a query or a display indexes by, so a restored
/// catalogue is as safe to use as a built one.
pub(super) fn validate(c: &Catalogue) -> Result<(), SnapshotError> {
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
        hot.listing_flags
            .iter()
            .all(|&f| f >> GRADE_SHIFT <= MAX_GRADE_CODE),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::snapshot::tests::{altered, restore, sample};
    use crate::index::snapshot::HEADER_BYTES;

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
}

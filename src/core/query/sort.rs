//! The orders results are shown in: which sorts a catalogue offers, the
//! whole sorted orders (built on first use or in idle steps, cached), the
//! matches picked out in that order, relevance ranking and the nearest
//! shops first.

use super::sort_keys::SortKeys;
use crate::index::Catalogue;
use crate::view_state::{SortKey, ViewState};
use std::cmp::Ordering;

impl Catalogue {
    /// Builds the order for `sort` now, so its first use is instant (the
    /// shell calls this for every sort in idle moments after loading).
    pub fn prepare_sort(&self, sort: SortKey) {
        if let Some(slot) = sort_slot(sort) {
            self.sorted_order(slot, sort);
        }
    }

    /// Builds the order for `sort` a step at a time: `items` more items
    /// sorted and merged into those before them. Returns whether the order
    /// now covers the catalogue. At 50,000 items one whole order was a
    /// task of ~60 ms in the browser; in steps the page stays responsive.
    pub fn prepare_sort_part(&self, sort: SortKey, items: usize) -> bool {
        let Some(slot) = sort_slot(sort) else {
            return true;
        };
        let prepared = self.orders[slot]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        let end = self.len().min(prepared.saturating_add(items.max(1)));
        self.sorted_order_to(slot, sort, end).len() == self.len()
    }

    /// `matched` (in catalogue order) in `sort` order. A few items are
    /// sorted directly; more are picked out of the whole sorted order.
    pub(super) fn in_sort_order(
        &self,
        slot: usize,
        sort: SortKey,
        mut matched: Vec<u32>,
    ) -> Vec<u32> {
        let n = self.len();
        if matched.len() <= n / 16 {
            let keys = SortKeys::new(self, sort);
            matched.sort_by(|&a, &b| keys.compare(a, b));
            return matched;
        }
        let order = self.sorted_order(slot, sort);
        if matched.len() == n {
            return order.to_vec();
        }
        let mut wanted = vec![0u64; n.div_ceil(64)];
        for &i in &matched {
            wanted[i as usize / 64] |= 1 << (i % 64);
        }
        matched.clear();
        matched.extend(
            order
                .iter()
                .filter(|&&i| wanted[i as usize / 64] & (1 << (i % 64)) != 0),
        );
        matched
    }

    /// Catalogue positions in `sort` order: items lacking the key last,
    /// ties in the shop's order. Built on first use; items appended since
    /// are sorted on their own and merged in.
    fn sorted_order(&self, slot: usize, sort: SortKey) -> std::sync::Arc<[u32]> {
        self.sorted_order_to(slot, sort, self.len())
    }

    /// As [`Catalogue::sorted_order`], of the first `end` items at least.
    fn sorted_order_to(&self, slot: usize, sort: SortKey, end: usize) -> std::sync::Arc<[u32]> {
        self.cached_order(slot, end, |old| {
            let keys = SortKeys::new(self, sort);
            let new = keys.sort(old.len() as u32..end as u32);
            if old.is_empty() {
                return new;
            }
            let mut merged = Vec::with_capacity(old.len() + new.len());
            let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
            while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
                if keys.compare(y, x) == Ordering::Less {
                    merged.push(y);
                    b.next();
                } else {
                    merged.push(x);
                    a.next();
                }
            }
            merged.extend(a);
            merged.extend(b);
            merged
        })
    }

    /// Whether `sort` means something for this catalogue: the nearest
    /// shop needs located shops, stock needs a source that lists stock.
    pub fn offers_sort(&self, sort: SortKey) -> bool {
        match sort {
            SortKey::Nearest => self.shops().iter().any(|s| s.geo.is_some()),
            SortKey::Stock => self.lists_stock(),
            _ => true,
        }
    }

    /// The sort `view` is answered in: its own when this catalogue offers
    /// it, else relevance (a link may name a sort another catalogue had).
    pub fn sort_in_effect(&self, view: &ViewState) -> SortKey {
        Some(view.effective_sort())
            .filter(|&sort| self.offers_sort(sort))
            .unwrap_or(SortKey::Relevance)
    }

    /// `items` (in catalogue order) by the distance of their shop from
    /// `near`, nearest first; items of shops without a location last. A
    /// counting sort over the shops' ranks keeps catalogue order within a shop.
    pub(super) fn by_distance(&self, near: (f64, f64), items: &[u32]) -> Vec<u32> {
        let shops = self.shops();
        let mut ranked: Vec<usize> = (0..shops.len())
            .filter(|&s| shops[s].geo.is_some())
            .collect();
        ranked.sort_by(|&a, &b| {
            let distance = |s: usize| {
                shops[s]
                    .geo
                    .map_or(f64::MAX, |g| crate::shop_list::distance_km(near, g))
            };
            distance(a).total_cmp(&distance(b))
        });
        // Rank per shop; shops without a location, and items without a shop, share the last rank.
        let last = ranked.len();
        let mut rank_of = vec![last; shops.len()];
        for (rank, &shop) in ranked.iter().enumerate() {
            rank_of[shop] = rank;
        }
        // Items without a shop hold `NO_SHOP`, past every shop.
        let rank = |i: u32| {
            rank_of
                .get(usize::from(self.hot.shop[i as usize]))
                .copied()
                .unwrap_or(last)
        };
        let mut buckets = vec![Vec::new(); last + 1];
        for &i in items {
            buckets[rank(i)].push(i);
        }
        buckets.concat()
    }
}

/// `items` by descending score, the shop's order among equal scores: a
/// counting sort, as scores are small numbers.
pub(super) fn rank(items: &[u32], scores: &[u32]) -> Vec<u32> {
    let top = scores.iter().copied().max().unwrap_or(0) as usize;
    // Where each score's items start in the answer, best score first.
    let mut next = vec![0usize; top + 1];
    for &score in scores {
        next[top - score as usize] += 1;
    }
    let mut start = 0;
    for slot in &mut next {
        (*slot, start) = (start, start + *slot);
    }
    let mut ranked = vec![0; items.len()];
    for (&item, &score) in items.iter().zip(scores) {
        let slot = &mut next[top - score as usize];
        ranked[*slot] = item;
        *slot += 1;
    }
    ranked
}

pub(super) fn sort_slot(sort: SortKey) -> Option<usize> {
    match sort {
        SortKey::Relevance => None,
        SortKey::PriceAsc => Some(0),
        SortKey::PriceDesc => Some(1),
        SortKey::YearDesc => Some(2),
        SortKey::YearAsc => Some(3),
        SortKey::Title => Some(4),
        SortKey::Artist => Some(5),
        SortKey::Newest => Some(6),
        SortKey::Stock => Some(7),
        // Depends on where the visitor is: ordered per query, by shop.
        SortKey::Nearest => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn a_sort_the_catalogue_does_not_offer_answers_by_relevance() {
        let c = three_debuts();
        // One shop's feed has no located shops.
        let nearest = view(|v| {
            v.query = "debut".into();
            v.sort = Some(SortKey::Nearest);
        });
        assert!(!c.offers_sort(SortKey::Nearest));
        assert_eq!(c.sort_in_effect(&nearest), SortKey::Relevance);
        assert_eq!(ids(&c, &c.query(&nearest)), [2, 3, 1]);
        let by_title = view(|v| v.sort = Some(SortKey::Title));
        assert_eq!(c.sort_in_effect(&by_title), SortKey::Title);
    }

    #[test]
    fn sorts_put_missing_keys_last_and_keep_feed_order_on_ties() {
        let c = sample();
        let sorted = |key: SortKey| ids(&c, &c.query(&view(|v| v.sort = Some(key))));
        assert_eq!(sorted(SortKey::PriceAsc), [3, 5, 1, 4]);
        assert_eq!(sorted(SortKey::PriceDesc), [1, 5, 3, 4]);
        assert_eq!(sorted(SortKey::YearDesc), [5, 4, 1, 3]);
        assert_eq!(sorted(SortKey::YearAsc), [1, 5, 4, 3]);
        assert_eq!(sorted(SortKey::Title), [5, 3, 1, 4]);
        assert_eq!(sorted(SortKey::Artist), [1, 3, 5, 4]);
        assert_eq!(sorted(SortKey::Newest), [5, 4, 3, 1]);
        assert_eq!(sorted(SortKey::Relevance), [1, 5, 3, 4]);
    }

    #[test]
    fn built_orders_agree_with_the_comparison_of_the_sort() {
        let body = cg_emulator::generator::generate_feed(3_000, 3, "http://127.0.0.1:8080");
        // Orders prepared while loading, then extended by merges.
        let mut builder = crate::CatalogueBuilder::new();
        for part in body.as_bytes().chunks(300 << 10) {
            builder.push(part).unwrap();
            SortKey::ALL
                .into_iter()
                .for_each(|sort| builder.catalogue().prepare_sort(sort));
        }
        let c = builder.finish().unwrap();
        for sort in SortKey::ALL.into_iter().filter(|s| sort_slot(*s).is_some()) {
            let keys = SortKeys::new(&c, sort);
            let mut expected: Vec<u32> = (0..c.len() as u32).collect();
            expected.sort_by(|&a, &b| keys.compare(a, b));
            assert_eq!(
                keys.sort(0..c.len() as u32),
                expected,
                "{sort:?}, built at once"
            );
            let merged = c.sorted_order(sort_slot(sort).unwrap(), sort);
            assert_eq!(*merged, expected[..], "{sort:?}, merged");
        }
    }

    #[test]
    fn orders_prepared_in_steps_are_the_orders_built_at_once() {
        let stepped = generated(3_000);
        let at_once = generated(3_000);
        for sort in SortKey::ALL.into_iter().filter(|s| sort_slot(*s).is_some()) {
            let slot = sort_slot(sort).unwrap();
            let mut steps = 1;
            while !stepped.prepare_sort_part(sort, 700) {
                steps += 1;
                assert!(steps <= 5, "{sort:?} took more steps than 3,000 / 700 need");
            }
            assert_eq!(steps, 5, "{sort:?}");
            assert_eq!(
                stepped.sorted_order(slot, sort),
                at_once.sorted_order(slot, sort),
                "{sort:?}"
            );
        }
        assert!(
            stepped.prepare_sort_part(SortKey::Relevance, 10),
            "relevance has no order to build"
        );
    }

    #[test]
    fn few_matches_are_sorted_directly_in_the_same_order() {
        let c = generated(2_000);
        let n = c.len() as u32;
        for sort in SortKey::ALL.into_iter().filter(|s| sort_slot(*s).is_some()) {
            let slot = sort_slot(sort).unwrap();
            // Every 40th item: few enough for the direct sort.
            let few: Vec<u32> = (0..n).step_by(40).collect();
            assert!(few.len() <= c.len() / 16);
            let order = c.sorted_order(slot, sort);
            let expected: Vec<u32> = order.iter().copied().filter(|i| i % 40 == 0).collect();
            assert_eq!(c.in_sort_order(slot, sort, few), expected, "{sort:?}");
        }
    }

    #[test]
    fn relevance_ranks_by_score_keeping_catalogue_order_among_equals() {
        assert_eq!(
            rank(&[3, 5, 8, 9, 12], &[1, 25, 3, 25, 1]),
            [5, 9, 8, 3, 12]
        );
        assert!(rank(&[], &[]).is_empty());
    }
}

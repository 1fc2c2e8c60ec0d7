//! The one pass over the candidate items that filters them and counts
//! them per facet value, condition, grade and range, each group's counts
//! ignoring that group's own filter (disjunctive facets).

use super::filter::{Filter, CONDITION_BIT, GRADE_BIT, PRICE_BIT, YEAR_BIT};
use super::{FacetValue, QueryResult};
use crate::feed::Cents;
use crate::grade::GRADE_SHIFT;
use crate::index::{Catalogue, Facet, HotIndex, NO_PRICE, USED_FLAG};
use crate::view_state::ViewState;

/// The one pass over the candidate items: matches, counts and bounds.
pub(super) struct Tally {
    /// Items per catalogue-wide value id.
    pub(super) counts: Vec<u32>,
    pub(super) result: QueryResult,
    /// Matching items per best [`grade_code`].
    pub(super) grade_best: [u32; 9],
    /// Matching items in catalogue order, and their scores when ranked.
    pub(super) matched: Vec<u32>,
    pub(super) scores: Vec<u32>,
}

impl Tally {
    pub(super) fn new(values: usize, items: usize) -> Tally {
        Tally {
            counts: vec![0; values],
            result: QueryResult::default(),
            grade_best: [0; 9],
            matched: Vec::with_capacity(items),
            scores: Vec::new(),
        }
    }

    /// Visits the candidates (catalogue positions with their scores, in
    /// catalogue order). Written over plain slices with few calls in the
    /// loop: the bundle is built for size, which inlines little.
    pub(super) fn visit(
        &mut self,
        hot: &HotIndex,
        filter: &Filter,
        candidates: impl Iterator<Item = (u32, u32)>,
    ) {
        let (value_start, values, value_facet) =
            (&hot.value_start[..], &hot.values[..], &hot.value_facet[..]);
        let (listing_start, prices, flags, years) = (
            &hot.listing_start[..],
            &hot.listing_price[..],
            &hot.listing_flags[..],
            &hot.year[..],
        );
        let (selected_groups, selected_bits) = (filter.selected_groups, &filter.selected_bits[..]);
        let listing_filters =
            filter.conditions.is_some() || filter.min_grade.is_some() || filter.price.is_some();
        let counts = &mut self.counts[..];
        let (mut price_lo, mut price_hi) = (Cents::MAX, Cents::MIN);
        let (mut year_lo, mut year_hi) = (u16::MAX, 0);
        let mut conditions = [0u32; 2];
        let keep_scores = !filter.terms.is_empty();
        for (index, score) in candidates {
            let i = index as usize;
            let item_values = &values[value_start[i] as usize..value_start[i + 1] as usize];
            let mut item_mask = 0;
            if selected_groups != 0 {
                let mut hit = 0u16;
                for &v in item_values {
                    hit |= selected_bits[v as usize];
                }
                item_mask = selected_groups & !u32::from(hit);
            }
            if let Some((min, max)) = filter.year {
                let year = years[i];
                if year == 0 || year < min || year > max {
                    item_mask |= YEAR_BIT;
                }
            }
            if item_mask & item_mask.wrapping_sub(1) != 0 {
                continue; // fails two groups: counts for none
            }
            // What the listings allow, per listing-level group.
            let mut any = false;
            let mut item_conditions = 0u8;
            let mut best_grade = 0u8;
            let (mut lo, mut hi) = (Cents::MAX, Cents::MIN);
            for at in listing_start[i] as usize..listing_start[i + 1] as usize {
                let (flag, price) = (flags[at], prices[at]);
                let mask = if listing_filters {
                    filter.listing_mask(flag, price)
                } else {
                    0
                };
                any |= mask == 0;
                if mask & !CONDITION_BIT == 0 {
                    item_conditions |= 1 << (flag & USED_FLAG);
                }
                if mask & !GRADE_BIT == 0 {
                    best_grade = best_grade.max(flag >> GRADE_SHIFT);
                }
                if mask & !PRICE_BIT == 0 && price != NO_PRICE {
                    lo = lo.min(price);
                    hi = hi.max(price);
                }
            }
            if item_mask == 0 {
                conditions[0] += u32::from(item_conditions & 1);
                conditions[1] += u32::from(item_conditions >> 1);
                self.grade_best[best_grade as usize] += 1;
                price_lo = price_lo.min(lo);
                price_hi = price_hi.max(hi);
            }
            if !any {
                continue;
            }
            // The groups whose counts this item contributes to: all of them
            // when it matches, or only the one group it fails.
            if item_mask == 0 {
                for &v in item_values {
                    counts[v as usize] += 1;
                }
            } else if item_mask != YEAR_BIT {
                for &v in item_values {
                    counts[v as usize] += (item_mask >> value_facet[v as usize]) & 1;
                }
            }
            if item_mask == 0 || item_mask == YEAR_BIT {
                let year = years[i];
                if year != 0 {
                    year_lo = year_lo.min(year);
                    year_hi = year_hi.max(year);
                }
            }
            if item_mask == 0 {
                self.matched.push(index);
                if keep_scores {
                    self.scores.push(score);
                }
            }
        }
        let result = &mut self.result;
        result.conditions = conditions;
        result.price_bounds = (price_lo <= price_hi).then_some((price_lo, price_hi));
        result.year_bounds = (year_lo <= year_hi).then_some((year_lo, year_hi));
    }
}

impl Catalogue {
    /// Values with items, plus selected values even at zero, so a shopper
    /// can always see and undo a selection.
    pub(super) fn facet_values(
        &self,
        facet: Facet,
        counts: &[u32],
        filter: &Filter,
        view: &ViewState,
    ) -> Vec<FacetValue> {
        let symbols = self.symbols(facet);
        let selected = &filter.selected_ids[facet.index()];
        let mut values: Vec<FacetValue> = symbols
            .globals()
            .iter()
            .enumerate()
            .filter(|(_, &global)| counts[global as usize] > 0)
            .map(|(id, &global)| FacetValue {
                name: symbols.name(id as u32).to_owned(),
                count: counts[global as usize],
                selected: selected.contains(&(id as u32)),
            })
            .collect();
        for value in view.selected(facet) {
            let known = symbols
                .find(value)
                .filter(|id| counts[symbols.global(*id) as usize] > 0);
            if known.is_none() && !values.iter().any(|v| v.selected && &v.name == value) {
                let name = symbols
                    .find(value)
                    .map_or(value.as_str(), |id| symbols.name(id));
                values.push(FacetValue {
                    name: name.to_owned(),
                    count: 0,
                    selected: true,
                });
            }
        }
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        values
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::feed::Condition;
    use crate::grade::Grade;
    use crate::index::Facet;
    use crate::view_state::ViewState;

    #[test]
    fn facet_counts_ignore_their_own_selection() {
        let c = sample();
        let result = c.query(&view(|v| v.toggle(Facet::Genre, "Rock")));
        assert_eq!(ids(&c, &result), [5, 4]);
        let genres = &result.facets[Facet::Genre as usize].1;
        let count = |name: &str| genres.iter().find(|g| g.name == name).map(|g| g.count);
        // Genre counts are as if no genre were selected.
        assert_eq!(
            (count("Electronic"), count("Rock"), count("Pop")),
            (Some(2), Some(2), Some(1))
        );
        assert!(genres.iter().find(|g| g.name == "Rock").unwrap().selected);
        // Other facets count only the Rock items.
        let countries = &result.facets[Facet::Country as usize].1;
        assert!(countries.is_empty());
    }

    #[test]
    fn values_within_a_facet_are_ored_and_facets_anded() {
        let c = sample();
        let either = c.query(&view(|v| {
            v.toggle(Facet::Genre, "Rock");
            v.toggle(Facet::Genre, "pop");
        }));
        assert_eq!(ids(&c, &either), [5, 3, 4]);
        let both = c.query(&view(|v| {
            v.toggle(Facet::Genre, "Electronic");
            v.toggle(Facet::Country, "UK");
        }));
        assert_eq!(ids(&c, &both), [3]);
    }

    #[test]
    fn a_selected_value_the_feed_lacks_matches_nothing_but_stays_visible() {
        let c = sample();
        let result = c.query(&view(|v| v.toggle(Facet::Genre, "Polka")));
        assert!(result.items.is_empty());
        let polka = result.facets[Facet::Genre as usize]
            .1
            .iter()
            .find(|g| g.name == "Polka")
            .unwrap();
        assert_eq!((polka.count, polka.selected), (0, true));
    }

    #[test]
    fn listing_filters_must_hold_on_one_listing() {
        let c = sample();
        // Item 3 has a used NM copy at 30 and a new copy at 8: "used under 20" must not match it.
        let result = c.query(&view(|v| {
            v.conditions = vec![Condition::Used];
            v.price_max = Some(2000);
        }));
        assert_eq!(ids(&c, &result), [1]);
        let graded = c.query(&view(|v| v.min_grade = Some(Grade::NearMint)));
        assert_eq!(ids(&c, &graded), [3]);
        // Grade counts: at least NM → 1 item; at least VG → 2 items.
        let counts = c.query(&ViewState::default()).grades;
        assert_eq!((counts[1], counts[3], counts[7]), (1, 2, 2));
    }

    #[test]
    fn ranges_filter_and_report_bounds_without_their_own_filter() {
        let c = sample();
        let result = c.query(&view(|v| {
            v.year_min = Some(1998);
            v.price_min = Some(1500);
        }));
        assert!(ids(&c, &result).is_empty());
        let result = c.query(&view(|v| v.year_min = Some(1998)));
        assert_eq!(ids(&c, &result), [5, 4]);
        assert_eq!(result.year_bounds, Some((1997, 1999)));
        assert_eq!(result.price_bounds, Some((1000, 1000)));
    }
}

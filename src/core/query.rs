//! Runs a [`ViewState`] against a [`Catalogue`]: text search, filters,
//! disjunctive facet counts and sorting, in one pass over the items.

use super::catalogue::{Catalogue, Entry, Facet};
use super::feed::{Cents, Condition, Listing};
use super::fold::fold;
use super::grade::Grade;
use super::view_state::{SortKey, ViewState};
use std::cmp::Ordering;

/// Sorts with a precomputed order (all but relevance).
pub(crate) const SORTED_ORDERS: usize = 7;

/// One facet value with the number of matching items it would give.
#[derive(Clone, Debug, PartialEq)]
pub struct FacetValue {
    pub name: String,
    pub count: u32,
    pub selected: bool,
}

/// The answer to a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResult {
    /// Catalogue positions of the matching items, in display order.
    pub items: Vec<u32>,
    /// Values per [`Facet`] (in `Facet::ALL` order), most frequent first.
    /// Each facet's counts ignore that facet's own selection.
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
    /// Items per condition (`Condition::ALL` order), ignoring the condition filter.
    pub conditions: [u32; 2],
    /// Items with a listing of at least each grade (`Grade::ALL_BEST_FIRST`
    /// order), ignoring the grade filter.
    pub grades: [u32; 8],
    /// Lowest and highest listing price, ignoring the price filter.
    pub price_bounds: Option<(Cents, Cents)>,
    /// Earliest and latest year, ignoring the year filter.
    pub year_bounds: Option<(u16, u16)>,
}

// Item-level filter groups, one bit each: the five facets, then the year.
const YEAR_BIT: u32 = 1 << 5;
// Listing-level filter groups.
const CONDITION_BIT: u8 = 1;
const GRADE_BIT: u8 = 2;
const PRICE_BIT: u8 = 4;

/// A view state resolved against one catalogue's value ids.
struct Filter {
    terms: Vec<String>,
    folded_query: String,
    /// Per facet: `None` when nothing is selected, else membership by id.
    facet_sets: [Option<Vec<bool>>; 5],
    conditions: Option<[bool; 2]>,
    min_grade: Option<Grade>,
    price: Option<(Cents, Cents)>,
    year: Option<(u16, u16)>,
}

impl Filter {
    fn new(catalogue: &Catalogue, view: &ViewState) -> Filter {
        let folded_query = fold(&view.query);
        let facet_sets = Facet::ALL.map(|facet| {
            let selected = view.selected(facet);
            (!selected.is_empty()).then(|| {
                let symbols = catalogue.symbols(facet);
                let mut set = vec![false; symbols.len()];
                for id in selected.iter().filter_map(|v| symbols.find(v)) {
                    set[id as usize] = true;
                }
                set
            })
        });
        let conditions = (!view.conditions.is_empty()).then(|| Condition::ALL.map(|c| view.conditions.contains(&c)));
        let price = (view.price_min.is_some() || view.price_max.is_some())
            .then(|| (view.price_min.unwrap_or(0), view.price_max.unwrap_or(Cents::MAX)));
        let year = (view.year_min.is_some() || view.year_max.is_some())
            .then(|| (view.year_min.unwrap_or(0), view.year_max.unwrap_or(u16::MAX)));
        Filter {
            terms: folded_query.split(' ').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            folded_query,
            facet_sets,
            conditions,
            min_grade: view.min_grade,
            price,
            year,
        }
    }

    /// Bits of the item-level groups the entry fails.
    fn item_mask(&self, entry: &Entry) -> u32 {
        let mut mask = 0;
        for (bit, facet) in Facet::ALL.into_iter().enumerate() {
            if let Some(set) = &self.facet_sets[bit] {
                if !entry.values(facet).iter().any(|&id| set[id as usize]) {
                    mask |= 1 << bit;
                }
            }
        }
        if let Some((min, max)) = self.year {
            if !entry.item.year.is_some_and(|y| y >= min && y <= max) {
                mask |= YEAR_BIT;
            }
        }
        mask
    }

    /// Bits of the listing-level groups the listing fails.
    fn listing_mask(&self, listing: &Listing) -> u8 {
        let mut mask = 0;
        if let Some(allowed) = self.conditions {
            if !allowed[listing.condition as usize] {
                mask |= CONDITION_BIT;
            }
        }
        if let Some(min) = self.min_grade {
            if listing.media_grade.is_none_or(|g| g < min) {
                mask |= GRADE_BIT;
            }
        }
        if let Some((min, max)) = self.price {
            if !listing.sale.is_some_and(|p| p >= min && p <= max) {
                mask |= PRICE_BIT;
            }
        }
        mask
    }

    /// `None` when a term is missing; otherwise a relevance score.
    fn score(&self, entry: &Entry) -> Option<u32> {
        let key = &*entry.search_key;
        let (title_end, creators_end) = (entry.title_end as usize, entry.creators_end as usize);
        let mut score = 0;
        for term in &self.terms {
            let mut best = 0;
            for (at, _) in key.match_indices(term.as_str()) {
                let word_start = at == 0 || matches!(key.as_bytes()[at - 1], b' ' | b'|');
                let in_main_fields = at < creators_end;
                let points = match (in_main_fields, word_start) {
                    (true, true) => 5,
                    (true, false) => 3,
                    (false, true) => 2,
                    (false, false) => 1,
                };
                best = best.max(points);
                if best == 5 {
                    break;
                }
            }
            if best == 0 {
                return None;
            }
            score += best;
        }
        // A query that is the whole title or a whole artist ranks first.
        if !self.folded_query.is_empty()
            && (entry.folded_title() == self.folded_query || key[title_end + 1..creators_end] == self.folded_query)
        {
            score += 20;
        }
        Some(score)
    }
}

/// What an item's listings allow, per listing-level group.
#[derive(Default)]
struct ListingMatch {
    any: bool,
    conditions: [bool; 2],
    best_grade: Option<Grade>,
    prices: Option<(Cents, Cents)>,
}

fn widen<T: Ord + Copy>(bounds: &mut Option<(T, T)>, value: T) {
    *bounds = Some(match *bounds {
        None => (value, value),
        Some((lo, hi)) => (lo.min(value), hi.max(value)),
    });
}

impl Catalogue {
    /// Answers a view: matching items in order, plus facet counts.
    pub fn query(&self, view: &ViewState) -> QueryResult {
        let filter = Filter::new(self, view);
        let entries = self.entries();
        let mut counts: Vec<Vec<u32>> = Facet::ALL.iter().map(|f| vec![0; self.symbols(*f).len()]).collect();
        let mut result = QueryResult::default();
        let mut grade_best = [0u32; 8];
        let mut scored: Vec<(u32, u32)> = Vec::new();
        let sort = view.effective_sort();
        let rank_by_score = sort == SortKey::Relevance && !filter.terms.is_empty();

        let mut visit = |index: u32| {
            let entry = &entries[index as usize];
            let score = if filter.terms.is_empty() {
                0
            } else {
                match filter.score(entry) {
                    Some(score) => score,
                    None => return,
                }
            };
            let item_mask = filter.item_mask(entry);
            if item_mask.count_ones() > 1 {
                return;
            }
            let mut listings = ListingMatch::default();
            for listing in &entry.item.listings {
                let mask = filter.listing_mask(listing);
                listings.any |= mask == 0;
                if mask & !CONDITION_BIT == 0 {
                    listings.conditions[listing.condition as usize] = true;
                }
                if mask & !GRADE_BIT == 0 {
                    listings.best_grade = listings.best_grade.max(listing.media_grade);
                }
                if mask & !PRICE_BIT == 0 {
                    if let Some(price) = listing.sale {
                        widen(&mut listings.prices, price);
                    }
                }
            }
            if item_mask == 0 {
                for (c, allowed) in listings.conditions.iter().enumerate() {
                    result.conditions[c] += *allowed as u32;
                }
                if let Some(grade) = listings.best_grade {
                    grade_best[Grade::ALL_BEST_FIRST.iter().position(|g| *g == grade).unwrap_or(0)] += 1;
                }
                if let Some((lo, hi)) = listings.prices {
                    widen(&mut result.price_bounds, lo);
                    widen(&mut result.price_bounds, hi);
                }
            }
            if !listings.any {
                return;
            }
            // The groups whose counts this item contributes to: all of them
            // when it matches, or only the one group it fails.
            let counted = if item_mask == 0 { u32::MAX } else { item_mask };
            for (bit, facet) in Facet::ALL.into_iter().enumerate() {
                if counted & (1 << bit) != 0 {
                    for &id in entry.values(facet) {
                        counts[bit][id as usize] += 1;
                    }
                }
            }
            if counted & YEAR_BIT != 0 {
                if let Some(year) = entry.item.year {
                    widen(&mut result.year_bounds, year);
                }
            }
            if item_mask == 0 {
                if rank_by_score {
                    scored.push((score, index));
                } else {
                    result.items.push(index);
                }
            }
        };

        match sort_slot(sort) {
            Some(slot) => self.sorted_order(slot, sort).iter().for_each(|&i| visit(i)),
            None => (0..entries.len() as u32).for_each(&mut visit),
        }
        if rank_by_score {
            // A stable sort keeps the shop's order among equal scores.
            scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
            result.items = scored.into_iter().map(|(_, i)| i).collect();
        }
        let mut at_least = 0;
        for (i, count) in grade_best.iter().enumerate() {
            at_least += count;
            result.grades[i] = at_least;
        }
        result.facets = Facet::ALL
            .into_iter()
            .zip(counts)
            .map(|(facet, counts)| (facet, self.facet_values(facet, &counts, view)))
            .collect();
        result
    }

    /// Values with items, plus selected values even at zero, so a shopper
    /// can always see and undo a selection.
    fn facet_values(&self, facet: Facet, counts: &[u32], view: &ViewState) -> Vec<FacetValue> {
        let symbols = self.symbols(facet);
        let mut values: Vec<FacetValue> = counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(id, count)| {
                let name = symbols.name(id as u32);
                let selected = view.selected(facet).iter().any(|v| symbols.find(v) == Some(id as u32));
                FacetValue { name: name.to_owned(), count: *count, selected }
            })
            .collect();
        for value in view.selected(facet) {
            let known = symbols.find(value).filter(|id| counts[*id as usize] > 0);
            if known.is_none() && !values.iter().any(|v| v.selected && &v.name == value) {
                let name = symbols.find(value).map_or(value.as_str(), |id| symbols.name(id));
                values.push(FacetValue { name: name.to_owned(), count: 0, selected: true });
            }
        }
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        values
    }

    /// Builds the order for `sort` now, so its first use is instant (the
    /// shell calls this for every sort in idle moments after loading).
    pub fn prepare_sort(&self, sort: SortKey) {
        if let Some(slot) = sort_slot(sort) {
            self.sorted_order(slot, sort);
        }
    }

    /// Catalogue positions in `sort` order: items lacking the key last,
    /// ties in the shop's order. Built once per sort, on first use.
    fn sorted_order(&self, slot: usize, sort: SortKey) -> &[u32] {
        self.cached_order(slot, || {
            let entries = self.entries();
            let mut order: Vec<u32> = (0..entries.len() as u32).collect();
            let by = |a: &u32, b: &u32| compare_for_sort(sort, &entries[*a as usize], &entries[*b as usize]);
            order.sort_by(by);
            order.into_boxed_slice()
        })
    }
}

fn sort_slot(sort: SortKey) -> Option<usize> {
    match sort {
        SortKey::Relevance => None,
        SortKey::PriceAsc => Some(0),
        SortKey::PriceDesc => Some(1),
        SortKey::YearDesc => Some(2),
        SortKey::YearAsc => Some(3),
        SortKey::Title => Some(4),
        SortKey::Artist => Some(5),
        SortKey::Newest => Some(6),
    }
}

/// Orders two entries by `sort`, present keys before missing ones. A stable
/// sort over the shop's order then keeps ties in that order.
pub(crate) fn compare_for_sort(sort: SortKey, a: &Entry, b: &Entry) -> Ordering {
    fn present_first<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) if descending => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    match sort {
        SortKey::Relevance => Ordering::Equal,
        SortKey::PriceAsc => present_first(a.lowest_price, b.lowest_price, false),
        SortKey::PriceDesc => present_first(a.lowest_price, b.lowest_price, true),
        SortKey::YearDesc => present_first(a.item.year, b.item.year, true),
        SortKey::YearAsc => present_first(a.item.year, b.item.year, false),
        SortKey::Title => present_first(non_empty(a.folded_title()), non_empty(b.folded_title()), false),
        SortKey::Artist => present_first(non_empty(a.folded_creators()), non_empty(b.folded_creators()), false),
        SortKey::Newest => present_first(a.item.id, b.item.id, true),
    }
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::Catalogue;

    /// A catalogue from compact item descriptions.
    fn catalogue(items: &[&str]) -> Catalogue {
        Catalogue::from_feed(format!("[{}]", items.join(",")).as_bytes()).unwrap()
    }

    fn ids(catalogue: &Catalogue, result: &QueryResult) -> Vec<u64> {
        result.items.iter().map(|&i| catalogue.entries()[i as usize].item.id.unwrap()).collect()
    }

    fn view(f: impl FnOnce(&mut ViewState)) -> ViewState {
        let mut view = ViewState::default();
        f(&mut view);
        view
    }

    fn sample() -> Catalogue {
        catalogue(&[
            r#"{"id":1,"listings":[{"id":11,"prices":{"sale":20},"secondHand":true,"options":{"media":"VG"}}],
                "data":{"title":"Homogenic","artists":["Björk"],"genres":["Electronic"],"year":1997,"country":"Iceland"}}"#,
            r#"{"id":5,"listings":[{"id":51,"prices":{"sale":10}}],
                "data":{"title":"Ágætis byrjun","artists":["Sigur Rós"],"genres":["Rock"],"year":1999}}"#,
            r#"{"id":3,"listings":[{"id":31,"prices":{"sale":30},"secondHand":true,"options":[{"name":"Media Condition","value":"Near Mint (NM or M-)"}]},
                               {"id":32,"prices":{"sale":8},"secondHand":false}],
                "data":{"title":"Debut","artists":["Björk"],"genres":["Electronic","Pop"],"country":"UK"}}"#,
            r#"{"id":4,"listings":[{"id":41}],"data":{"title":"","genres":["Rock"],"year":1999}}"#,
        ])
    }

    #[test]
    fn search_is_case_and_diacritic_insensitive_and_needs_every_term() {
        let c = sample();
        assert_eq!(ids(&c, &c.query(&view(|v| v.query = "bjork".into()))), [1, 3]);
        assert_eq!(ids(&c, &c.query(&view(|v| v.query = "BJÖRK debut".into()))), [3]);
        assert_eq!(ids(&c, &c.query(&view(|v| v.query = "agaetis".into()))), [5]);
        assert!(c.query(&view(|v| v.query = "bjork zzz".into())).items.is_empty());
    }

    #[test]
    fn relevance_ranks_title_matches_first_then_keeps_feed_order() {
        let c = catalogue(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Other","artists":["X"],"labels":["Debut Records"]}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Debut","artists":["Björk"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"The Debut Album","artists":["Y"]}}"#,
        ]);
        assert_eq!(ids(&c, &c.query(&view(|v| v.query = "debut".into()))), [2, 3, 1]);
    }

    #[test]
    fn facet_counts_ignore_their_own_selection() {
        let c = sample();
        let result = c.query(&view(|v| v.toggle(Facet::Genre, "Rock")));
        assert_eq!(ids(&c, &result), [5, 4]);
        let genres = &result.facets[Facet::Genre as usize].1;
        let count = |name: &str| genres.iter().find(|g| g.name == name).map(|g| g.count);
        // Genre counts are as if no genre were selected.
        assert_eq!((count("Electronic"), count("Rock"), count("Pop")), (Some(2), Some(2), Some(1)));
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
        let polka = result.facets[Facet::Genre as usize].1.iter().find(|g| g.name == "Polka").unwrap();
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
}

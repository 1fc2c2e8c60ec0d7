//! Runs a [`ViewState`] against a [`Catalogue`]: text search, filters,
//! disjunctive facet counts and sorting, in one pass over the items.
//!
//! [`Catalogue::query`] is the entry; its steps live one per file:
//! `filter` resolves the view against the catalogue's value ids, `text`
//! finds and scores the items holding the search terms, `tally` makes the
//! one pass that filters and counts, `sort` (over `sort_keys`) puts the
//! matches in the order asked for.

mod filter;
mod sort;
mod sort_keys;
mod tally;
mod text;

use crate::feed::{Cents, Condition};
use crate::index::{Catalogue, Facet};
use crate::view_state::{SortKey, ViewState};
use filter::Filter;
use sort::{rank, sort_slot};
use tally::Tally;

/// One facet value with the number of matching items it would give.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FacetValue {
    /// The value as shown: the feed's first spelling of it, or the view's
    /// for a selected value the feed lacks.
    pub name: String,
    /// Matching items with this value, ignoring its facet's own selection.
    pub count: u32,
    /// Whether the view selects this value.
    pub selected: bool,
}

/// The answer to a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResult {
    /// Catalogue positions of the matching items, in display order.
    pub items: Vec<u32>,
    /// In a grouped (aggregated) catalogue, the first matching copy of each
    /// release, in display order; empty otherwise.
    pub groups: Vec<u32>,
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

impl Catalogue {
    /// Answers a view: matching items in order, plus facet counts.
    pub fn query(&self, view: &ViewState) -> QueryResult {
        let filter = Filter::new(self, view);
        let n = self.len();
        let sort = self.sort_in_effect(view);
        let rank_by_score = sort == SortKey::Relevance && !filter.terms.is_empty();
        let mut tally = Tally::new(self.hot.value_facet.len(), n);
        if filter.terms.is_empty() {
            tally.visit(&self.hot, &filter, (0..n as u32).map(|i| (i, 0)));
        } else {
            tally.visit(&self.hot, &filter, self.text_matches(&filter).into_iter());
        }
        let Tally {
            counts,
            mut result,
            grade_best,
            mut matched,
            scores,
        } = tally;

        result.items = if rank_by_score {
            rank(&matched, &scores)
        } else if let Some(slot) = sort_slot(sort) {
            self.in_sort_order(slot, sort, matched)
        } else if let (SortKey::Nearest, Some(near)) = (sort, view.near) {
            self.by_distance(near, &matched)
        } else {
            matched.shrink_to_fit();
            matched
        };
        if self.is_grouped() {
            result.groups = self.first_copies(&result.items);
        }
        // Grade codes run worst to best from 1; counts are "at least" each
        // grade, best first.
        let mut at_least = 0;
        for (i, count) in grade_best[1..].iter().rev().enumerate() {
            at_least += count;
            result.grades[i] = at_least;
        }
        result.facets = Facet::ALL
            .into_iter()
            .map(|facet| (facet, self.facet_values(facet, &counts, &filter, view)))
            .collect();
        result
    }

    /// Views that between them run every kind of query the widget offers
    /// (text, facets, conditions, grades, ranges, a sorted order), for the
    /// shell to run once while idle after loading: the browser compiles
    /// wasm functions on their first call, which otherwise lands on the
    /// shopper's first keystroke or click.
    pub fn warm_up_views(&self) -> Vec<ViewState> {
        let mut filtered = ViewState {
            query: "e a".into(),
            sort: Some(SortKey::PriceAsc),
            conditions: vec![Condition::Used],
            min_grade: Some(crate::grade::Grade::Good),
            price_min: Some(100),
            price_max: Some(100_000),
            year_min: Some(1900),
            year_max: Some(2100),
            ..ViewState::default()
        };
        for facet in Facet::ALL {
            if let Some(name) = self.symbols(facet).names.first() {
                filtered.toggle(facet, name);
            }
        }
        vec![
            ViewState {
                query: "e".into(),
                ..ViewState::default()
            },
            filtered,
        ]
    }
}

impl QueryResult {
    /// What to show, one per result: the first copy of each release in a
    /// grouped catalogue, else every matching item.
    pub fn shown(&self) -> &[u32] {
        if self.groups.is_empty() {
            &self.items
        } else {
            &self.groups
        }
    }
}

impl Catalogue {
    /// The first of `items` (in order) of each group of copies.
    fn first_copies(&self, items: &[u32]) -> Vec<u32> {
        let copies = self.copy_groups();
        let mut seen = vec![0u64; copies.len().div_ceil(64)];
        items
            .iter()
            .copied()
            .filter(|&i| {
                let group = copies.group_of[i as usize] as usize;
                let fresh = seen[group / 64] & (1 << (group % 64)) == 0;
                seen[group / 64] |= 1 << (group % 64);
                fresh
            })
            .collect()
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn warm_up_views_run_text_facet_and_listing_filters() {
        let c = generated(2_000);
        let views = c.warm_up_views();
        assert!(
            views.iter().any(|v| v.query.chars().count() == 1),
            "a one-letter search, the broadest"
        );
        let filtered = views
            .iter()
            .find(|v| v.has_filters())
            .expect("a view with filters");
        for facet in Facet::ALL {
            let has_values = !c.symbols(facet).names.is_empty();
            assert_eq!(
                filtered.selected[facet.index()].len(),
                usize::from(has_values),
                "{facet:?}: a value of each facet that has some"
            );
        }
        assert!(
            Facet::ALL
                .iter()
                .filter(|&&f| !filtered.selected[f.index()].is_empty())
                .count()
                >= 3
        );
        assert!(
            !filtered.conditions.is_empty()
                && filtered.min_grade.is_some()
                && filtered.price_min.is_some()
                && filtered.year_min.is_some()
        );
        assert!(
            !c.query(&views[0]).items.is_empty(),
            "the search finds items, so ranking runs too"
        );
        views.iter().for_each(|v| drop(c.query(v)));
        let empty = Catalogue::from_feed(b"[]").unwrap();
        assert_eq!(
            empty.warm_up_views().len(),
            2,
            "an empty catalogue has no facet values to pick, and still warms up"
        );
    }
}

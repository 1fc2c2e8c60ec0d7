//! The view state resolved against one catalogue: the search terms, the
//! selected values as value ids and group bits, and the listing filters.

use crate::feed::{Cents, Condition};
use crate::fold::fold;
use crate::grade::{grade_code, GRADE_SHIFT};
use crate::index::{Catalogue, Facet, FACETS, NO_PRICE, USED_FLAG};
use crate::view_state::ViewState;

// Item-level filter groups, one bit each: the facets, then the year.
pub(super) const YEAR_BIT: u32 = 1 << FACETS;
// Listing-level filter groups.
pub(super) const CONDITION_BIT: u8 = 1;
pub(super) const GRADE_BIT: u8 = 2;
pub(super) const PRICE_BIT: u8 = 4;

/// A view state resolved against one catalogue's value ids.
pub(super) struct Filter {
    pub(super) terms: Vec<String>,
    pub(super) folded_query: String,
    /// The facets with a selection, as item-level group bits.
    pub(super) selected_groups: u32,
    /// Per catalogue-wide value id: its facet's group bit when selected,
    /// else 0 (empty when nothing is selected).
    pub(super) selected_bits: Vec<u16>,
    /// Per facet: the selected values' ids.
    pub(super) selected_ids: [Vec<u32>; FACETS],
    pub(super) conditions: Option<[bool; 2]>,
    /// The lowest allowed [`grade_code`].
    pub(super) min_grade: Option<u8>,
    pub(super) price: Option<(Cents, Cents)>,
    pub(super) year: Option<(u16, u16)>,
}

impl Filter {
    pub(super) fn new(catalogue: &Catalogue, view: &ViewState) -> Filter {
        let folded_query = fold(&view.query);
        let selected_ids = Facet::ALL.map(|facet| {
            let symbols = catalogue.symbols(facet);
            view.selected(facet)
                .iter()
                .filter_map(|v| symbols.find(v))
                .collect::<Vec<u32>>()
        });
        let mut selected_groups = 0;
        let mut selected_bits = Vec::new();
        for facet in Facet::ALL {
            if view.selected(facet).is_empty() {
                continue;
            }
            selected_groups |= 1 << facet.index();
            if selected_bits.is_empty() {
                selected_bits = vec![0; catalogue.hot.value_facet.len()];
            }
            for &id in &selected_ids[facet.index()] {
                selected_bits[catalogue.symbols(facet).global(id) as usize] |= 1 << facet.index();
            }
        }
        let conditions = (!view.conditions.is_empty())
            .then(|| Condition::ALL.map(|c| view.conditions.contains(&c)));
        let price = (view.price_min.is_some() || view.price_max.is_some()).then(|| {
            (
                view.price_min.unwrap_or(0),
                view.price_max.unwrap_or(Cents::MAX),
            )
        });
        let year = (view.year_min.is_some() || view.year_max.is_some()).then(|| {
            (
                view.year_min.unwrap_or(0),
                view.year_max.unwrap_or(u16::MAX),
            )
        });
        Filter {
            terms: folded_query
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            folded_query,
            selected_groups,
            selected_bits,
            selected_ids,
            conditions,
            min_grade: view.min_grade.map(|g| grade_code(Some(g))),
            price,
            year,
        }
    }

    /// Bits of the listing-level groups a listing with these flags and
    /// price fails.
    #[inline(always)]
    pub(super) fn listing_mask(&self, flags: u8, price: Cents) -> u8 {
        let mut mask = 0;
        if let Some(allowed) = self.conditions {
            if !allowed[(flags & USED_FLAG) as usize] {
                mask |= CONDITION_BIT;
            }
        }
        if let Some(min) = self.min_grade {
            if flags >> GRADE_SHIFT < min {
                mask |= GRADE_BIT;
            }
        }
        if let Some((min, max)) = self.price {
            if price == NO_PRICE || price < min || price > max {
                mask |= PRICE_BIT;
            }
        }
        mask
    }
}

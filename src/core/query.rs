//! Runs a [`ViewState`] against a [`Catalogue`]: text search, filters,
//! disjunctive facet counts and sorting, in one pass over the items.

use crate::catalogue::{
    Catalogue, Facet, HotIndex, FACETS, HAS_ID, NO_PRICE, UNTRACKED, USED_FLAG,
};
use crate::feed::{Cents, Condition};
use crate::fold::fold;
use crate::grade::{grade_code, GRADE_SHIFT};
use crate::view_state::{SortKey, ViewState};
use std::cmp::Ordering;
use std::ops::Range;

/// One facet value with the number of matching items it would give.
#[derive(Clone, Debug, Default, PartialEq)]
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

// Item-level filter groups, one bit each: the facets, then the year.
const YEAR_BIT: u32 = 1 << FACETS;
// Listing-level filter groups.
const CONDITION_BIT: u8 = 1;
const GRADE_BIT: u8 = 2;
const PRICE_BIT: u8 = 4;

/// A view state resolved against one catalogue's value ids.
struct Filter {
    terms: Vec<String>,
    folded_query: String,
    /// The facets with a selection, as item-level group bits.
    selected_groups: u32,
    /// Per catalogue-wide value id: its facet's group bit when selected,
    /// else 0 (empty when nothing is selected).
    selected_bits: Vec<u16>,
    /// Per facet: the selected values' ids.
    selected_ids: [Vec<u32>; FACETS],
    conditions: Option<[bool; 2]>,
    /// The lowest allowed [`grade_code`].
    min_grade: Option<u8>,
    price: Option<(Cents, Cents)>,
    year: Option<(u16, u16)>,
}

impl Filter {
    fn new(catalogue: &Catalogue, view: &ViewState) -> Filter {
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
    fn listing_mask(&self, flags: u8, price: Cents) -> u8 {
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

/// Finds a term in the search keys by its rarest byte, so the scan stops
/// seldom even for terms that start with a common letter.
struct Finder<'t> {
    term: &'t [u8],
    rare: u8,
    /// Where `rare` is in `term`.
    offset: usize,
}

impl<'t> Finder<'t> {
    fn new(term: &'t str, byte_counts: &[u32]) -> Finder<'t> {
        let term = term.as_bytes();
        let offset = (0..term.len())
            .min_by_key(|&at| byte_counts[term[at] as usize])
            .unwrap_or(0);
        Finder {
            term,
            rare: term[offset],
            offset,
        }
    }

    /// The first occurrence of the term within `hay[from..to]`.
    fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        let mut at_rare = from + self.offset;
        while at_rare < to {
            at_rare += find_byte(&hay[at_rare..to], self.rare)?;
            let at = at_rare - self.offset;
            let end = at + self.term.len();
            if end > to {
                return None;
            }
            if has_at(hay, at, self.term) {
                return Some(at);
            }
            at_rare += 1;
        }
        None
    }
}

impl Finder<'_> {
    /// The relevance points of the term in one item's key, given its first
    /// hit there. `key` is (start, end of the main fields, end).
    fn best_points(
        &self,
        hay: &[u8],
        (start, main_end, end): (usize, usize, usize),
        at: usize,
    ) -> u32 {
        let word_start = at == start || matches!(hay[at - 1], b' ' | b'|');
        let (points, better, limit) = match (at < main_end, word_start) {
            (true, true) => return 5,
            (false, true) => return 2,
            // Hits come in key order, main fields first: after a hit inside
            // a word, only a hit at a word start in the same part scores more.
            (true, false) => (3, 5, main_end),
            (false, false) => (1, 2, end),
        };
        let last = limit.saturating_sub(self.term.len());
        for word in at + 1..=last {
            if matches!(hay[word - 1], b' ' | b'|') && has_at(hay, word, self.term) {
                return better;
            }
        }
        points
    }
}

/// Whether `hay` holds `term` at `at` (which leaves room for it). A plain
/// loop: terms are short, and a call to `memcmp` costs more.
#[inline(always)]
fn has_at(hay: &[u8], at: usize, term: &[u8]) -> bool {
    let hay = &hay[at..at + term.len()];
    let mut k = 0;
    while k < term.len() {
        if hay[k] != term[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The position of the first `byte` in `hay`, eight bytes at a time.
fn find_byte(hay: &[u8], byte: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(byte);
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().unwrap()) ^ pattern;
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == byte)
        .map(|p| at + p)
}

/// The one pass over the candidate items: matches, counts and bounds.
struct Tally {
    /// Items per catalogue-wide value id.
    counts: Vec<u32>,
    result: QueryResult,
    /// Matching items per best [`grade_code`].
    grade_best: [u32; 9],
    /// Matching items in catalogue order, and their scores when ranked.
    matched: Vec<u32>,
    scores: Vec<u32>,
}

impl Tally {
    fn new(values: usize, items: usize) -> Tally {
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
    fn visit(
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

    /// Items holding every term, in catalogue order, with their relevance
    /// scores. The rarest term is searched for over all keys at once (one
    /// byte buffer), each further term only within the items left.
    fn text_matches(&self, filter: &Filter) -> Vec<(u32, u32)> {
        let hot = &self.hot;
        let hay = hot.keys.as_bytes();
        let (key_start, title_end, creators_end) = (
            &hot.key_start[..],
            &hot.title_end[..],
            &hot.creators_end[..],
        );
        let mut terms: Vec<Finder> = filter
            .terms
            .iter()
            .map(|t| Finder::new(t, &hot.byte_counts))
            .collect();
        terms.sort_by_key(|f| {
            (
                hot.byte_counts[f.rare as usize],
                std::cmp::Reverse(f.term.len()),
            )
        });
        let fields = |item: usize| {
            let start = key_start[item] as usize;
            (
                start,
                start + creators_end[item] as usize,
                key_start[item + 1] as usize - 1,
            )
        };
        let mut found: Vec<(u32, u32)> = Vec::new();
        let (first, rest) = terms.split_first().expect("a query with terms");
        // The first term, over every key: each hit is found with its item.
        let mut from = 0;
        let mut item = 0;
        while let Some(at) = first.find(hay, from, hay.len()) {
            // Hits come in order: walk on to the item holding this one.
            while key_start[item + 1] as usize <= at {
                item += 1;
            }
            found.push((item as u32, first.best_points(hay, fields(item), at)));
            from = key_start[item + 1] as usize;
        }
        // Each further term, within the items that have the earlier ones.
        for finder in rest {
            found.retain_mut(|(item, score)| {
                let (start, main_end, end) = fields(*item as usize);
                match finder.find(hay, start, end) {
                    Some(at) => {
                        *score += finder.best_points(hay, (start, main_end, end), at);
                        true
                    }
                    None => false,
                }
            });
        }
        // A query that is the whole title or a whole artist ranks first.
        let query = filter.folded_query.as_bytes();
        for (item, score) in &mut found {
            let i = *item as usize;
            let (start, title, creators) = (
                key_start[i] as usize,
                title_end[i] as usize,
                creators_end[i] as usize,
            );
            let is_title = title == query.len() && has_at(hay, start, query);
            let is_creators =
                creators - title - 1 == query.len() && has_at(hay, start + title + 1, query);
            if is_title || is_creators {
                *score += 20;
            }
        }
        found
    }

    /// Values with items, plus selected values even at zero, so a shopper
    /// can always see and undo a selection.
    fn facet_values(
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

    /// Builds the order for `sort` now, so its first use is instant (the
    /// shell calls this for every sort in idle moments after loading).
    pub fn prepare_sort(&self, sort: SortKey) {
        if let Some(slot) = sort_slot(sort) {
            self.sorted_order(slot, sort);
        }
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
    fn in_sort_order(&self, slot: usize, sort: SortKey, mut matched: Vec<u32>) -> Vec<u32> {
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
    fn by_distance(&self, near: (f64, f64), items: &[u32]) -> Vec<u32> {
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
fn rank(items: &[u32], scores: &[u32]) -> Vec<u32> {
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
        SortKey::Stock => Some(7),
        // Depends on where the visitor is: ordered per query, by shop.
        SortKey::Nearest => None,
    }
}

/// Compact keys for one sort: a `u64` per item that orders like the sort
/// (for text, eight bytes of it), `None` for items lacking the key.
struct SortKeys<'c> {
    catalogue: &'c Catalogue,
    sort: SortKey,
}

impl<'c> SortKeys<'c> {
    fn new(catalogue: &'c Catalogue, sort: SortKey) -> Self {
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
    fn compare(&self, a: u32, b: u32) -> Ordering {
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
    fn sort(&self, range: Range<u32>) -> Vec<u32> {
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
    use crate::catalogue::Catalogue;
    use crate::grade::Grade;

    /// A catalogue from compact item descriptions.
    fn catalogue(items: &[&str]) -> Catalogue {
        Catalogue::from_feed(format!("[{}]", items.join(",")).as_bytes()).unwrap()
    }

    fn ids(catalogue: &Catalogue, result: &QueryResult) -> Vec<u64> {
        result
            .items
            .iter()
            .map(|&i| catalogue.item(i).id.unwrap())
            .collect()
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
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "bjork".into()))),
            [1, 3]
        );
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "BJÖRK debut".into()))),
            [3]
        );
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "agaetis".into()))),
            [5]
        );
        assert!(c
            .query(&view(|v| v.query = "bjork zzz".into()))
            .items
            .is_empty());
    }

    #[test]
    fn search_finds_every_artist_author_and_manufacturer() {
        let c = catalogue(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Signature Slipmat","artists":["Aphex Twin"],"manufacturer":"Technics"}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Liner Notes","artists":["Sun Ra"],"authors":["John Szwed"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"Field Guide","authors":["Toop"],"manufacturer":"Serpent's Tail"}}"#,
        ]);
        for (query, expected) in [
            ("aphex", 1),
            ("technics", 1),
            ("sun ra", 2),
            ("szwed", 2),
            ("toop", 3),
            ("serpent", 3),
        ] {
            assert_eq!(
                ids(&c, &c.query(&view(|v| v.query = query.into()))),
                [expected],
                "{query}"
            );
        }
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "aphex technics".into()))),
            [1],
            "terms may match different creators"
        );
    }

    /// "Debut" in a label, a whole title and part of a title, in that order.
    fn three_debuts() -> Catalogue {
        catalogue(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Other","artists":["X"],"labels":["Debut Records"]}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Debut","artists":["Björk"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"The Debut Album","artists":["Y"]}}"#,
        ])
    }

    #[test]
    fn relevance_ranks_title_matches_first_then_keeps_feed_order() {
        let c = three_debuts();
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "debut".into()))),
            [2, 3, 1]
        );
    }

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

    /// A generated shop: repeated titles, long Unicode titles, missing keys.
    fn generated(items: usize) -> Catalogue {
        Catalogue::from_feed(
            cg_emulator::generator::generate_feed(items, 3, "http://127.0.0.1:8080").as_bytes(),
        )
        .unwrap()
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

    #[test]
    fn a_term_scores_by_its_best_hit_in_the_item() {
        let c = catalogue(&[
            // Mid-word in the title, then at a word start in the artist: 5.
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Cabal","artists":["Bach"]}}"#,
            // Mid-word in the title only: 3; in labels at a word start: 2.
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Abba","labels":["Bar Records"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"X","labels":["Cab Bar"]}}"#,
            // In labels mid-word only: 1.
            r#"{"id":4,"listings":[{"id":4}],"data":{"title":"Y","labels":["Kebab"]}}"#,
        ]);
        let filter = Filter::new(&c, &view(|v| v.query = "ba".into()));
        assert_eq!(c.text_matches(&filter), [(0, 5), (1, 3), (2, 2), (3, 1)]);
    }
}

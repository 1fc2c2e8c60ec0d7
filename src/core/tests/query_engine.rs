//! The query engine against an independent brute-force implementation:
//! random feeds, random views, every count, bound and order compared.

use cg_core::fold::fold;
use cg_core::{Catalogue, Cents, Condition, Facet, Grade, Item, QueryResult, SortKey, ViewState};
use serde_json::{json, Value};
use std::cmp::Ordering;

/// splitmix64: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, options: &'a [T]) -> &'a T {
        &options[self.below(options.len())]
    }
    fn some<T: Clone>(&mut self, options: &[T], max: usize) -> Vec<T> {
        (0..self.below(max + 1))
            .map(|_| self.pick(options).clone())
            .collect()
    }
}

const ARTISTS: [&str; 8] = [
    "Björk",
    "Sigur Rós",
    "Motörhead",
    "BJORK",
    "Aphex Twin",
    "Dvořák",
    "Кино",
    "Miles Davis",
];
const MAKERS: [&str; 3] = ["Technics", "Ortofon", "Björk"];
const WORDS: [&str; 10] = [
    "Debut",
    "Homogenic",
    "Ágætis",
    "Byrjun",
    "Ace",
    "Spades",
    "Selected",
    "Ambient",
    "Works",
    "Blue",
];
const GENRES: [&str; 6] = ["Electronic", "Rock", "rock", "Jazz", "Pop", "Électronic"];
const STYLES: [&str; 5] = ["Ambient", "IDM", "Techno", "Post-Rock", "Hard Bop"];
const FORMATS: [&str; 5] = ["Vinyl", "LP", "CD", "Album", "12\""];
const COUNTRIES: [&str; 4] = ["UK", "US", "Iceland", "Germany"];
const TYPES: [&str; 4] = ["ReleaseItem", "ReleaseItem", "ProductItem", "BookItem"];
const GRADES: [&str; 9] = [
    "M",
    "Near Mint (NM or M-)",
    "VG+",
    "Very Good (VG)",
    "G+",
    "G",
    "F",
    "P",
    "junk",
];

fn random_feed(rng: &mut Rng, size: usize) -> String {
    let items: Vec<Value> = (0..size)
        .map(|i| {
            let listings: Vec<Value> = (0..1 + rng.below(3))
                .map(|l| {
                    let used = rng.chance(50);
                    let options = if used && rng.chance(85) { json!({"mediaCondition": rng.pick(&GRADES)}) } else { json!([]) };
                    let sale = if rng.chance(95) { json!(rng.below(10_000) as f64 / 100.0 + 1.0) } else { Value::Null };
                    json!({"id": i * 10 + l, "stock": {"quantity": if rng.chance(30) { Value::Null } else { json!(1 + rng.below(3)) }},
                           "prices": {"sale": sale}, "secondHand": used, "options": options})
                })
                .collect();
            let title: Vec<&str> = rng.some(&WORDS, 3);
            json!({
                "type": rng.pick(&TYPES),
                "id": if rng.chance(97) { json!(rng.below(1_000_000)) } else { Value::Null },
                "listings": listings,
                "data": {
                    "title": title.join(" "),
                    "artists": rng.some(&ARTISTS, 2),
                    "authors": rng.some(&ARTISTS, 1),
                    "manufacturer": if rng.chance(25) { json!(rng.pick(&MAKERS)) } else { Value::Null },
                    "labels": if rng.chance(50) { json!([{"name": "Warp", "catno": format!("WARP {}", rng.below(50))}]) } else { json!(["Smalltown Supersound"]) },
                    "genres": rng.some(&GENRES, 2),
                    "styles": rng.some(&STYLES, 2),
                    "formats": rng.some(&FORMATS, 3),
                    "country": if rng.chance(85) { json!(rng.pick(&COUNTRIES)) } else { Value::Null },
                    "year": if rng.chance(85) { json!(1960 + rng.below(60)) } else { Value::Null },
                }
            })
        })
        .collect();
    serde_json::to_string(&items).unwrap()
}

fn random_view(rng: &mut Rng, catalogue: &Catalogue) -> ViewState {
    let mut view = ViewState::default();
    if rng.chance(40) {
        let mut terms: Vec<String> = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let source = match rng.below(5) {
                0 | 1 => *rng.pick(&WORDS),
                2 => *rng.pick(&MAKERS),
                _ => *rng.pick(&ARTISTS),
            };
            let word = source.split(' ').next().unwrap();
            // A prefix, in random case: search is by substring, case-insensitive.
            let chars: Vec<char> = word.chars().collect();
            let cut: String = chars[..1 + rng.below(chars.len())].iter().collect();
            terms.push(if rng.chance(50) {
                cut.to_uppercase()
            } else {
                cut
            });
        }
        view.query = terms.join(" ");
    }
    for facet in Facet::ALL {
        if rng.chance(25) {
            let symbols = catalogue.symbols(facet);
            for _ in 0..1 + rng.below(2) {
                if !symbols.is_empty() && rng.chance(90) {
                    let name = symbols.name(rng.below(symbols.len()) as u32).to_lowercase();
                    if !view.is_selected(facet, &name) {
                        view.toggle(facet, &name);
                    }
                } else {
                    view.toggle(facet, "Not In The Feed");
                }
            }
        }
    }
    if rng.chance(25) {
        view.conditions = vec![*rng.pick(&Condition::ALL)];
    }
    if rng.chance(20) {
        view.min_grade = Some(*rng.pick(&Grade::ALL_BEST_FIRST));
    }
    if rng.chance(20) {
        view.price_min = Some(rng.below(5_000) as Cents);
    }
    if rng.chance(20) {
        view.price_max = Some(2_000 + rng.below(8_000) as Cents);
    }
    if rng.chance(20) {
        view.year_min = Some(1960 + rng.below(40) as u16);
    }
    if rng.chance(20) {
        view.year_max = Some(1980 + rng.below(40) as u16);
    }
    if rng.chance(70) {
        view.sort = Some(*rng.pick(&SortKey::ALL));
    }
    view
}

// ---- The brute-force reference: definitions straight from the issue. ----

/// Every artist, author and manufacturer: all are searched, and the artist
/// sort orders by them, the displayed kind first.
fn all_creators(item: &Item) -> impl Iterator<Item = &str> {
    item.artists
        .iter()
        .chain(&item.authors)
        .chain(&item.manufacturers)
        .map(String::as_str)
}

fn text_matches(item: &Item, query: &str) -> bool {
    let mut fields: Vec<String> = vec![fold(&item.title)];
    fields.extend(all_creators(item).map(fold));
    fields.extend(
        item.labels
            .iter()
            .chain(&item.catalogue_numbers)
            .map(|l| fold(l)),
    );
    fields.extend(
        item.catalogue_numbers
            .iter()
            .map(|c| fold(c).replace(' ', "")),
    );
    fold(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .all(|term| fields.iter().any(|f| f.contains(term)))
}

fn facet_values(item: &Item, facet: Facet) -> Vec<String> {
    match facet {
        Facet::Type => vec![item.kind.clone()],
        Facet::Genre => item.genres.clone(),
        Facet::Style => item.styles.clone(),
        Facet::Format => item.formats.clone(),
        Facet::Country => item.country.iter().cloned().collect(),
        // These feeds come from no shop list and list only stock in hand.
        Facet::Shop | Facet::ShopCountry | Facet::Pickup | Facet::Stock => Vec::new(),
    }
}

fn facet_matches(item: &Item, facet: Facet, view: &ViewState) -> bool {
    let selected = view.selected(facet);
    selected.is_empty()
        || facet_values(item, facet)
            .iter()
            .any(|v| selected.iter().any(|s| fold(s) == fold(v)))
}

fn year_matches(item: &Item, view: &ViewState) -> bool {
    (view.year_min.is_none() && view.year_max.is_none())
        || item.year.is_some_and(|y| {
            y >= view.year_min.unwrap_or(0) && y <= view.year_max.unwrap_or(u16::MAX)
        })
}

#[derive(Clone, Copy, PartialEq)]
enum Skip {
    Nothing,
    Facet(Facet),
    Year,
    Condition,
    Grade,
    Price,
}

fn listing_ok(l: &cg_core::Listing, view: &ViewState, skip: Skip) -> bool {
    let condition = skip == Skip::Condition
        || view.conditions.is_empty()
        || view.conditions.contains(&l.condition);
    let grade = skip == Skip::Grade
        || view
            .min_grade
            .is_none_or(|min| l.media_grade.is_some_and(|g| g >= min));
    let price = skip == Skip::Price
        || (view.price_min.is_none() && view.price_max.is_none())
        || l.sale.is_some_and(|p| {
            p >= view.price_min.unwrap_or(0) && p <= view.price_max.unwrap_or(Cents::MAX)
        });
    condition && grade && price
}

/// Whether the item passes every filter but `skip`'s group.
fn passes(item: &Item, view: &ViewState, skip: Skip) -> bool {
    text_matches(item, &view.query)
        && Facet::ALL
            .iter()
            .all(|&f| skip == Skip::Facet(f) || facet_matches(item, f, view))
        && (skip == Skip::Year || year_matches(item, view))
        && item.listings.iter().any(|l| listing_ok(l, view, skip))
}

fn sort_key_cmp(sort: SortKey, a: &Item, b: &Item) -> Ordering {
    fn last<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => {
                if desc {
                    y.cmp(&x)
                } else {
                    x.cmp(&y)
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let text = |s: String| (!s.is_empty()).then_some(s);
    let creators = |i: &Item| text(fold(&all_creators(i).collect::<Vec<_>>().join(" ")));
    match sort {
        SortKey::Relevance => Ordering::Equal,
        SortKey::PriceAsc => last(a.lowest_price(), b.lowest_price(), false),
        SortKey::PriceDesc => last(a.lowest_price(), b.lowest_price(), true),
        SortKey::YearAsc => last(a.year, b.year, false),
        SortKey::YearDesc => last(a.year, b.year, true),
        SortKey::Title => last(text(fold(&a.title)), text(fold(&b.title)), false),
        SortKey::Artist => last(creators(a), creators(b), false),
        SortKey::Newest => last(a.id, b.id, true),
        SortKey::Stock => {
            // Untracked stock counts as unlimited.
            let units = |i: &Item| {
                i.listings
                    .iter()
                    .map(|l| l.quantity.map_or(u64::MAX, u64::from))
                    .fold(0u64, u64::saturating_add)
            };
            last(Some(units(a)), Some(units(b)), true)
        }
        // Without the visitor's position the shop's order stays.
        SortKey::Nearest => Ordering::Equal,
    }
}

fn check(catalogue: &Catalogue, view: &ViewState) {
    let owned: Vec<Item> = catalogue.items().collect();
    let items: Vec<&Item> = owned.iter().collect();
    let result: QueryResult = catalogue.query(view);
    let context = format!("{view:?}");

    // Matching items and their order.
    let mut expected: Vec<u32> = (0..items.len() as u32)
        .filter(|&i| passes(items[i as usize], view, Skip::Nothing))
        .collect();
    // A sort the catalogue does not offer (no located shops, no stock) is relevance.
    let sort = Some(view.effective_sort())
        .filter(|&s| catalogue.offers_sort(s))
        .unwrap_or(SortKey::Relevance);
    if sort == SortKey::Relevance && !fold(&view.query).trim().is_empty() {
        let mut got = result.items.clone();
        got.sort_unstable();
        assert_eq!(got, expected, "matching set, {context}");
    } else {
        expected.sort_by(|&a, &b| sort_key_cmp(sort, items[a as usize], items[b as usize]));
        assert_eq!(result.items, expected, "items in order, {context}");
    }

    // Disjunctive facet counts.
    for (facet, values) in &result.facets {
        let pool: Vec<&Item> = items
            .iter()
            .copied()
            .filter(|i| passes(i, view, Skip::Facet(*facet)))
            .collect();
        let mut names: Vec<String> = pool
            .iter()
            .flat_map(|i| facet_values(i, *facet))
            .map(|v| fold(&v))
            .collect();
        names.sort();
        names.dedup();
        for name in &names {
            let count = pool
                .iter()
                .filter(|i| facet_values(i, *facet).iter().any(|v| fold(v) == *name))
                .count() as u32;
            let shown = values
                .iter()
                .find(|v| fold(&v.name) == *name)
                .map(|v| v.count);
            assert_eq!(shown, Some(count), "{facet:?}={name}, {context}");
        }
        for value in values.iter().filter(|v| v.count > 0) {
            assert!(
                names.contains(&fold(&value.name)),
                "{facet:?} lists {} with no item, {context}",
                value.name
            );
        }
    }

    // Condition and grade counts.
    for (c, condition) in Condition::ALL.iter().enumerate() {
        let expected = items
            .iter()
            .filter(|i| {
                passes(i, view, Skip::Condition)
                    && i.listings
                        .iter()
                        .any(|l| l.condition == *condition && listing_ok(l, view, Skip::Condition))
            })
            .count() as u32;
        assert_eq!(result.conditions[c], expected, "{condition:?}, {context}");
    }
    for (g, grade) in Grade::ALL_BEST_FIRST.iter().enumerate() {
        let expected = items
            .iter()
            .filter(|i| {
                passes(i, view, Skip::Grade)
                    && i.listings.iter().any(|l| {
                        l.media_grade.is_some_and(|m| m >= *grade)
                            && listing_ok(l, view, Skip::Grade)
                    })
            })
            .count() as u32;
        assert_eq!(result.grades[g], expected, "{grade:?}, {context}");
    }

    // Range bounds.
    let prices: Vec<Cents> = items
        .iter()
        .filter(|i| passes(i, view, Skip::Price))
        .flat_map(|i| {
            i.listings
                .iter()
                .filter(|l| listing_ok(l, view, Skip::Price))
                .filter_map(|l| l.sale)
        })
        .collect();
    let bounds = |v: &[Cents]| v.iter().min().zip(v.iter().max()).map(|(a, b)| (*a, *b));
    assert_eq!(
        result.price_bounds,
        bounds(&prices),
        "price bounds, {context}"
    );
    let years: Vec<u16> = items
        .iter()
        .filter(|i| passes(i, view, Skip::Year))
        .filter_map(|i| i.year)
        .collect();
    let year_bounds = years
        .iter()
        .min()
        .zip(years.iter().max())
        .map(|(a, b)| (*a, *b));
    assert_eq!(result.year_bounds, year_bounds, "year bounds, {context}");
}

#[test]
fn query_engine_agrees_with_brute_force_on_random_feeds_and_views() {
    let mut rng = Rng(0x5EED);
    let mut checked = 0;
    for size in [0, 1, 7, 60, 400] {
        let catalogue = Catalogue::from_feed(random_feed(&mut rng, size).as_bytes()).unwrap();
        for _ in 0..if size < 100 { 150 } else { 300 } {
            check(&catalogue, &random_view(&mut rng, &catalogue));
            checked += 1;
        }
        check(&catalogue, &ViewState::default());
    }
    assert_eq!(checked, 900);
}

#[test]
fn relevance_orders_by_score_then_feed_order() {
    let mut rng = Rng(7);
    let catalogue = Catalogue::from_feed(random_feed(&mut rng, 300).as_bytes()).unwrap();
    for query in ["bjork", "debut", "warp", "ace spades", "sig"] {
        let view = ViewState {
            query: query.into(),
            ..ViewState::default()
        };
        let result = catalogue.query(&view);
        // Items whose folded title equals the query come first.
        let exact: Vec<bool> = result
            .items
            .iter()
            .map(|&i| fold(&catalogue.item(i).title) == fold(query))
            .collect();
        assert!(
            exact.windows(2).all(|w| w[0] >= w[1]),
            "{query}: exact title matches lead"
        );
    }
}

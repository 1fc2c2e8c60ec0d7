//! The buyer's cart: one line per listing, with enough of the item copied in
//! that the cart can be shown, saved and checked out without the catalogue.

use crate::client_api::CheckoutItemInput;
use crate::feed::{Cents, Item, Listing};
use serde::{Deserialize, Serialize};

/// Lines a cart may hold; more is a broken or hostile saved cart.
pub const MAX_LINES: usize = 200;
/// Units of one untracked listing a buyer may ask for.
pub const MAX_QUANTITY: u32 = 99;
const STORAGE_VERSION: u32 = 1;
const MAX_TEXT_CHARS: usize = 300;

/// One listing in the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The numeric listing id the checkout API expects.
    pub listing_id: u64,
    /// The feed's id of the item the listing belongs to.
    #[serde(default)]
    pub item_id: Option<u64>,
    /// The item's title, clipped.
    #[serde(default)]
    pub title: String,
    /// The item's artists or authors, comma separated and clipped.
    #[serde(default)]
    pub artists: String,
    /// Condition and grades, e.g. "Used VG+/VG".
    #[serde(default)]
    pub detail: String,
    /// The price of one unit when it was added, if known.
    #[serde(default)]
    pub unit_price: Option<Cents>,
    /// Units asked for, from 1 to [`CartLine::max_quantity`].
    pub quantity: u32,
    /// Units in stock when the listing was added; `None` when not tracked.
    #[serde(default)]
    pub stock: Option<u32>,
    /// The item's path on the storefront.
    #[serde(default)]
    pub path: Option<String>,
    /// Set when the shop says the listing can no longer be bought.
    #[serde(default)]
    pub unavailable: bool,
}

impl CartLine {
    /// A line for one unit of `listing`, or `None` when the listing has no
    /// numeric id (the checkout API could not take it) or no stock.
    pub fn new(item: &Item, listing: &Listing) -> Option<CartLine> {
        let listing_id = listing.id?;
        if listing.quantity == Some(0) {
            return None;
        }
        let grades = match (listing.media_grade, listing.sleeve_grade) {
            (Some(m), Some(s)) => format!(" {m}/{s}"),
            (Some(m), None) => format!(" {m}"),
            _ => String::new(),
        };
        Some(CartLine {
            listing_id,
            item_id: item.id,
            title: clip(if item.title.is_empty() {
                "Untitled"
            } else {
                &item.title
            }),
            artists: clip(&item.creators().join(", ")),
            detail: format!("{}{grades}", listing.condition.label()),
            unit_price: listing.sale,
            quantity: 1,
            stock: listing.quantity,
            path: item.path.as_deref().map(clip),
            unavailable: false,
        })
    }

    /// The most units of this listing a buyer can ask for.
    pub fn max_quantity(&self) -> u32 {
        self.stock
            .map_or(MAX_QUANTITY, |s| s.clamp(1, MAX_QUANTITY))
    }

    /// The line's total, when its price is known.
    pub fn total(&self) -> Option<Cents> {
        self.unit_price
            .map(|p| p.saturating_mul(Cents::from(self.quantity)))
    }
}

/// What adding a listing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new line for the listing.
    Added,
    /// The listing was in the cart already; one more unit was added.
    Increased,
    /// The cart already holds every unit in stock.
    AtStockLimit,
    /// The cart is full.
    CartFull,
}

/// The cart: lines in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    lines: Vec<CartLine>,
}

#[derive(Serialize, Deserialize)]
struct StoredCart {
    version: u32,
    lines: Vec<serde_json::Value>,
}

impl Cart {
    /// The lines, in the order they were added.
    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    /// Whether the cart has no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Units in the cart, across lines.
    pub fn unit_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The units of `listing_id` in the cart.
    pub fn quantity_of(&self, listing_id: u64) -> u32 {
        self.lines
            .iter()
            .find(|l| l.listing_id == listing_id)
            .map_or(0, |l| l.quantity)
    }

    /// Adds one unit of the line's listing, within its stock.
    pub fn add(&mut self, line: CartLine) -> AddOutcome {
        if let Some(existing) = self
            .lines
            .iter_mut()
            .find(|l| l.listing_id == line.listing_id)
        {
            // Fresher catalogue data wins, but the buyer's quantity stays.
            let quantity = existing.quantity;
            *existing = CartLine { quantity, ..line };
            if quantity >= existing.max_quantity() {
                existing.quantity = existing.max_quantity();
                return AddOutcome::AtStockLimit;
            }
            existing.quantity += 1;
            return AddOutcome::Increased;
        }
        if self.lines.len() >= MAX_LINES {
            return AddOutcome::CartFull;
        }
        self.lines.push(CartLine {
            quantity: 1,
            ..line
        });
        AddOutcome::Added
    }

    /// Sets a line's quantity, kept between 1 and its stock.
    pub fn set_quantity(&mut self, listing_id: u64, quantity: u32) {
        if let Some(line) = self.lines.iter_mut().find(|l| l.listing_id == listing_id) {
            line.quantity = quantity.clamp(1, line.max_quantity());
        }
    }

    /// Takes the listing's line out of the cart.
    pub fn remove(&mut self, listing_id: u64) {
        self.lines.retain(|l| l.listing_id != listing_id);
    }

    /// The sum of the priced lines, and whether any line has no price.
    pub fn subtotal(&self) -> (Cents, bool) {
        let total = self
            .lines
            .iter()
            .filter(|l| !l.unavailable)
            .filter_map(CartLine::total)
            .fold(0, Cents::saturating_add);
        (
            total,
            self.lines
                .iter()
                .any(|l| !l.unavailable && l.unit_price.is_none()),
        )
    }

    /// Flags the lines of these listings as no longer available. Nothing is
    /// removed: the buyer decides. Returns how many lines were flagged.
    pub fn mark_unavailable(&mut self, listing_ids: &[u64]) -> usize {
        let mut flagged = 0;
        for line in &mut self.lines {
            if listing_ids.contains(&line.listing_id) && !line.unavailable {
                line.unavailable = true;
                flagged += 1;
            }
        }
        flagged
    }

    /// Whether any line is flagged as no longer available.
    pub fn has_unavailable(&self) -> bool {
        self.lines.iter().any(|l| l.unavailable)
    }

    /// Removes the flagged lines, once the buyer agrees.
    pub fn remove_unavailable(&mut self) {
        self.lines.retain(|l| !l.unavailable);
    }

    /// The items to send with `checkoutUpdateItems`.
    pub fn checkout_items(&self) -> Vec<CheckoutItemInput> {
        self.lines
            .iter()
            .map(|l| CheckoutItemInput {
                listing_id: l.listing_id,
                quantity: l.quantity,
            })
            .collect()
    }

    /// The cart as saved in the browser.
    pub fn to_storage(&self) -> String {
        let lines = self
            .lines
            .iter()
            .filter_map(|l| serde_json::to_value(l).ok())
            .collect();
        serde_json::to_string(&StoredCart {
            version: STORAGE_VERSION,
            lines,
        })
        .unwrap_or_default()
    }

    /// Reads a saved cart. Whatever cannot be read is dropped line by line
    /// (never the whole cart for one bad line); the count says how many.
    pub fn from_storage(text: &str) -> (Cart, usize) {
        let Ok(stored) = serde_json::from_str::<StoredCart>(text) else {
            return (Cart::default(), usize::from(!text.trim().is_empty()));
        };
        let mut cart = Cart::default();
        let mut dropped = 0;
        for value in stored.lines {
            match serde_json::from_value::<CartLine>(value) {
                Ok(line)
                    if cart.lines.len() < MAX_LINES
                        && !cart.lines.iter().any(|l| l.listing_id == line.listing_id) =>
                {
                    let quantity = line.quantity.clamp(1, line.max_quantity());
                    cart.lines.push(CartLine {
                        quantity,
                        title: clip(&line.title),
                        artists: clip(&line.artists),
                        detail: clip(&line.detail),
                        path: line.path.as_deref().map(clip),
                        ..line
                    });
                }
                _ => dropped += 1,
            }
        }
        (cart, dropped)
    }
}

fn clip(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT_CHARS)
        .collect()
}

/// The address the buyer is sent to for payment: `template` with its
/// `{checkoutId}` placeholder filled in (percent-encoded), or the default
/// `{storefront}/checkout/{checkoutId}`. Only an http(s) result is returned.
pub fn checkout_url(
    template: Option<&str>,
    storefront: Option<&str>,
    checkout_id: &str,
) -> Option<String> {
    let encoded = crate::links::encode_component(checkout_id);
    let url = match template {
        Some(template) => template.replace("{checkoutId}", &encoded),
        None => format!(
            "{}/checkout/{encoded}",
            storefront?.trim().trim_end_matches('/')
        ),
    };
    crate::links::is_http_url(&url).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Condition;

    fn item(id: u64) -> Item {
        Item {
            id: Some(id),
            title: format!("Record {id}"),
            artists: vec!["Artist".into()],
            path: Some(format!("/release/{id}")),
            ..Item::default()
        }
    }

    fn listing(id: u64, quantity: Option<u32>, price: Cents) -> Listing {
        Listing {
            id: Some(id),
            quantity,
            sale: Some(price),
            before_taxes: None,
            compare: None,
            condition: Condition::Used,
            media_grade: None,
            sleeve_grade: None,
        }
    }

    fn line(id: u64, quantity: Option<u32>, price: Cents) -> CartLine {
        CartLine::new(&item(id / 10), &listing(id, quantity, price)).unwrap()
    }

    #[test]
    fn listings_are_separate_lines_and_stock_limits_quantity() {
        let mut cart = Cart::default();
        assert_eq!(cart.add(line(11, Some(2), 1500)), AddOutcome::Added);
        assert_eq!(
            cart.add(line(12, None, 900)),
            AddOutcome::Added,
            "a second copy of the same release"
        );
        assert_eq!(cart.add(line(11, Some(2), 1500)), AddOutcome::Increased);
        assert_eq!(cart.add(line(11, Some(2), 1500)), AddOutcome::AtStockLimit);
        assert_eq!(cart.quantity_of(11), 2);
        cart.set_quantity(12, 1000);
        assert_eq!(cart.quantity_of(12), MAX_QUANTITY);
        cart.set_quantity(12, 0);
        assert_eq!(cart.quantity_of(12), 1);
        assert_eq!(cart.unit_count(), 3);
        assert_eq!(cart.subtotal(), (3900, false));
        cart.remove(11);
        assert_eq!(
            cart.checkout_items(),
            vec![CheckoutItemInput {
                listing_id: 12,
                quantity: 1
            }]
        );
    }

    #[test]
    fn listings_without_id_or_stock_cannot_be_added() {
        assert!(CartLine::new(
            &item(1),
            &Listing {
                id: None,
                ..listing(1, None, 1)
            }
        )
        .is_none());
        assert!(CartLine::new(&item(1), &listing(1, Some(0), 1)).is_none());
    }

    #[test]
    fn unavailable_lines_are_flagged_not_dropped() {
        let mut cart = Cart::default();
        cart.add(line(11, None, 1000));
        cart.add(line(21, None, 500));
        assert_eq!(cart.mark_unavailable(&[21, 99]), 1);
        assert!(cart.has_unavailable());
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(
            cart.subtotal(),
            (1000, false),
            "flagged lines are not counted"
        );
        cart.remove_unavailable();
        assert_eq!(
            cart.lines()
                .iter()
                .map(|l| l.listing_id)
                .collect::<Vec<_>>(),
            vec![11]
        );
    }

    #[test]
    fn the_saved_cart_round_trips() {
        let mut cart = Cart::default();
        cart.add(line(11, Some(3), 1500));
        cart.add(line(11, Some(3), 1500));
        cart.add(line(21, None, 800));
        cart.mark_unavailable(&[21]);
        assert_eq!(Cart::from_storage(&cart.to_storage()), (cart, 0));
    }

    #[test]
    fn a_damaged_saved_cart_keeps_every_readable_line() {
        let text = r#"{"version":1,"lines":[{"listing_id":5,"quantity":400,"stock":3,"title":"<b>x</b>"},
            {"listing_id":"bad","quantity":1},{"listing_id":5,"quantity":1},{"listing_id":6,"quantity":0},"junk"]}"#;
        let (cart, dropped) = Cart::from_storage(text);
        assert_eq!(dropped, 3);
        assert_eq!(
            cart.lines()
                .iter()
                .map(|l| (l.listing_id, l.quantity))
                .collect::<Vec<_>>(),
            vec![(5, 3), (6, 1)]
        );
        assert_eq!(
            cart.lines()[0].title,
            "<b>x</b>",
            "kept as text; rendering escapes it"
        );
        assert_eq!(Cart::from_storage("{not json"), (Cart::default(), 1));
        assert_eq!(Cart::from_storage(""), (Cart::default(), 0));
    }

    #[test]
    fn checkout_url_fills_the_template_safely() {
        assert_eq!(
            checkout_url(None, Some("https://shop.example/"), "abc-AbC1d").as_deref(),
            Some("https://shop.example/checkout/abc-AbC1d")
        );
        assert_eq!(
            checkout_url(Some("https://pay.example/c?id={checkoutId}"), None, "a/b?c").as_deref(),
            Some("https://pay.example/c?id=a%2Fb%3Fc")
        );
        assert_eq!(
            checkout_url(Some("javascript:alert('{checkoutId}')"), None, "x"),
            None
        );
        assert_eq!(checkout_url(None, None, "x"), None);
    }
}

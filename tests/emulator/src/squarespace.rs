//! Emulation of Squarespace's "Retrieving All Inventory" endpoint
//! (`GET /1.0/commerce/inventory?cursor=c`): a deterministic inventory of
//! product variants served in pages of 50 with opaque cursors.
//!
//! Cursors encode the page offset and an inventory *generation*. A "stale
//! cursor" fault bumps the generation, which invalidates every cursor issued
//! before it, as a change to the store's inventory would.

use crate::generator::pools::{ARTISTS, PRODUCTS};
use crate::prng::{derive_seed, mix64, SplitMix64};
use serde_json::{json, Value};
use std::sync::{Mutex, OnceLock};

/// Variants per page.
pub const PAGE_SIZE: usize = 50;

/// The 400 body for a cursor the API does not (or no longer) accept.
pub fn invalid_cursor_body() -> Value {
    json!({ "type": "INVALID_REQUEST_ERROR", "subtype": null, "message": "The value contained in the cursor parameter is invalid." })
}

/// The 401 body for a missing or wrong API key.
pub fn unauthorized_body() -> Value {
    json!({ "type": "AUTHORIZATION_ERROR", "subtype": null, "message": "The API key is missing or invalid." })
}

/// Record formats in descriptors, with the colours they come in and the
/// SKU suffix.
const VARIANT_FORMATS: &[(&str, &[&str], &str)] = &[
    ("LP", &["Black", "Black", "Clear", "Red", "Splatter"], "LP"),
    ("2xLP", &["Black", "Gold"], "2LP"),
    ("7\"", &["Black", "Blue"], "7IN"),
    ("CD", &[], "CD"),
    ("Cassette", &["Orange", "Clear"], "MC"),
];

/// A deterministic inventory of `n` variants.
pub fn generate_inventory(n: usize, seed: u64) -> Vec<Value> {
    let mut rng = SplitMix64::new(derive_seed(seed, 0x5C5C));
    (0..n)
        .map(|i| {
            let a = rng.next_u64();
            let b = rng.next_u64();
            let variant_id = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                0x8000 | ((b >> 48) & 0x3fff),
                b & 0xffff_ffff_ffff
            );
            let (descriptor, sku) = if rng.per_mille(100) {
                let (name, _, _) = rng.pick(PRODUCTS);
                (name.to_string(), format!("MERCH-{:04}", i + 1))
            } else {
                let artist = rng.pick(ARTISTS);
                let title = rng.pick(artist.titles);
                let (format, colours, code) = *rng.pick(VARIANT_FORMATS);
                let base = format!("{} – {title}", artist.name);
                let descriptor = match rng.below(10) {
                    // Some variants have no option brackets at all.
                    0 | 1 => base,
                    _ if colours.is_empty() => format!("{base} [{format}]"),
                    _ => format!("{base} [{format}, {}]", rng.pick(colours)),
                };
                (descriptor, format!("CG-{:04}-{code}", i + 1))
            };
            let is_unlimited = rng.per_mille(100);
            let quantity = if is_unlimited {
                rng.range(0, 50)
            } else if rng.per_mille(150) {
                0
            } else {
                rng.range(1, 25)
            };
            json!({ "variantId": variant_id, "sku": sku, "descriptor": descriptor, "isUnlimited": is_unlimited, "quantity": quantity })
        })
        .collect()
}

/// Fault switches set through `/__squarespace/*`.
#[derive(Debug, Default, Clone, Copy)]
struct Switches {
    generation: u64,
    stale_armed: bool,
    looping: bool,
}

/// The emulated store: inventory, cursor generation and admin faults.
pub struct Squarespace {
    seed: u64,
    count: usize,
    items: OnceLock<Vec<Value>>,
    switches: Mutex<Switches>,
}

fn lock(m: &Mutex<Switches>) -> std::sync::MutexGuard<'_, Switches> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How a page request should be answered beyond the plain inventory.
#[derive(Debug, Default, Clone, Copy)]
pub struct PageOptions {
    /// The last page links back to the start (admin `loop` or `fault=loop`).
    pub looping: bool,
    /// A non-empty cursor is answered with the stale-cursor 400.
    pub stale: bool,
}

impl Squarespace {
    pub fn new(count: usize, seed: u64) -> Self {
        Self {
            seed,
            count,
            items: OnceLock::new(),
            switches: Mutex::default(),
        }
    }

    fn items(&self) -> &[Value] {
        self.items
            .get_or_init(|| generate_inventory(self.count, self.seed))
    }

    /// Number of pages (at least one, possibly empty).
    pub fn pages(&self) -> usize {
        self.count.div_ceil(PAGE_SIZE).max(1)
    }

    /// The opaque cursor for the page starting at `offset`.
    fn cursor(&self, generation: u64, offset: usize) -> String {
        let base = derive_seed(self.seed ^ 0x00C0_250A, generation);
        let hi = mix64(base ^ offset as u64);
        let lo = mix64(hi ^ 0x5EED_0000 ^ offset as u64);
        format!("{hi:016x}{lo:016x}")
    }

    fn offset_of(&self, generation: u64, cursor: &str) -> Option<usize> {
        (0..self.pages())
            .map(|p| p * PAGE_SIZE)
            .find(|&off| self.cursor(generation, off) == cursor)
    }

    /// `/__squarespace/stale-cursor`.
    pub fn arm_stale_cursor(&self) {
        lock(&self.switches).stale_armed = true;
    }

    /// `/__squarespace/loop`.
    pub fn set_loop(&self) {
        lock(&self.switches).looping = true;
    }

    /// Whether the admin loop switch is on.
    pub fn looping(&self) -> bool {
        lock(&self.switches).looping
    }

    /// `/__reset`: original cursors, no faults.
    pub fn reset(&self) {
        *lock(&self.switches) = Switches::default();
    }

    /// If the admin stale-cursor fault is armed, fires it: disarms it and
    /// invalidates every cursor issued so far. Returns whether it fired.
    pub fn fire_stale_cursor(&self) -> bool {
        let mut s = lock(&self.switches);
        let fired = s.stale_armed;
        if fired {
            s.stale_armed = false;
            s.generation += 1;
        }
        fired
    }

    /// One page. `Err` is the 400 invalid-cursor body. `url_base` is the
    /// URL `nextPageUrl` builds on (the route that was called).
    pub fn page(
        &self,
        cursor: Option<&str>,
        url_base: &str,
        opts: PageOptions,
    ) -> Result<Value, Value> {
        let generation = lock(&self.switches).generation;
        let cursor = cursor.filter(|c| !c.is_empty());
        if opts.stale && cursor.is_some() {
            return Err(invalid_cursor_body());
        }
        let offset = match cursor {
            None => 0,
            Some(c) => self
                .offset_of(generation, c)
                .ok_or_else(invalid_cursor_body)?,
        };
        let items = self.items();
        let end = (offset + PAGE_SIZE).min(items.len());
        let mut next = (end < items.len()).then(|| self.cursor(generation, end));
        if next.is_none() && opts.looping {
            // Back to the first cursor ever handed out (the first page's
            // nextPageCursor), or to the first page itself when there is
            // only one.
            next = Some(self.cursor(
                generation,
                if items.len() > PAGE_SIZE {
                    PAGE_SIZE
                } else {
                    0
                },
            ));
        }
        Ok(json!({
            "inventory": &items[offset.min(end)..end],
            "pagination": {
                "hasNextPage": next.is_some(),
                "nextPageCursor": next,
                "nextPageUrl": next.as_ref().map(|c| format!("{url_base}?cursor={c}")),
            },
        }))
    }

    /// `/__squarespace/state` (without the fail-next part).
    pub fn state(&self) -> Value {
        let s = *lock(&self.switches);
        json!({
            "items": self.count,
            "pageSize": PAGE_SIZE,
            "pages": self.pages(),
            "generation": s.generation,
            "loop": s.looping,
            "staleCursorArmed": s.stale_armed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventory_is_deterministic_and_varied() {
        let inv = generate_inventory(300, 1);
        assert_eq!(inv, generate_inventory(300, 1));
        assert_ne!(inv, generate_inventory(300, 2));
        let ids: std::collections::HashSet<&str> = inv
            .iter()
            .map(|v| v["variantId"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 300);
        assert!(inv.iter().any(|v| v["isUnlimited"] == true));
        assert!(inv
            .iter()
            .any(|v| v["isUnlimited"] == false && v["quantity"] == 0));
        assert!(inv
            .iter()
            .any(|v| v["descriptor"].as_str().unwrap().ends_with(']')));
        assert!(inv
            .iter()
            .any(|v| !v["descriptor"].as_str().unwrap().contains('[')));
        assert!(inv
            .iter()
            .any(|v| v["descriptor"].as_str().unwrap().contains(" – ")));
        let id = inv[0]["variantId"].as_str().unwrap();
        assert_eq!(
            id.split('-').map(str::len).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
    }

    #[test]
    fn pages_chain_through_cursors() {
        let s = Squarespace::new(120, 9);
        let p1 = s
            .page(None, "http://x/inv", PageOptions::default())
            .unwrap();
        assert_eq!(p1["inventory"].as_array().unwrap().len(), 50);
        let c1 = p1["pagination"]["nextPageCursor"].as_str().unwrap();
        assert_eq!(
            p1["pagination"]["nextPageUrl"],
            format!("http://x/inv?cursor={c1}")
        );
        let p2 = s.page(Some(c1), "", PageOptions::default()).unwrap();
        let p3 = s
            .page(
                p2["pagination"]["nextPageCursor"].as_str(),
                "",
                PageOptions::default(),
            )
            .unwrap();
        assert_eq!(p3["inventory"].as_array().unwrap().len(), 20);
        assert_eq!(
            p3["pagination"],
            json!({ "hasNextPage": false, "nextPageCursor": null, "nextPageUrl": null })
        );
        assert!(s.page(Some("nope"), "", PageOptions::default()).is_err());
        assert_eq!(
            s.page(Some(""), "http://x/inv", PageOptions::default())
                .unwrap(),
            p1
        );

        let looped = s
            .page(
                p2["pagination"]["nextPageCursor"].as_str(),
                "",
                PageOptions {
                    looping: true,
                    stale: false,
                },
            )
            .unwrap();
        assert_eq!(looped["pagination"]["nextPageCursor"], c1);

        assert!(!s.fire_stale_cursor());
        s.arm_stale_cursor();
        assert!(s.fire_stale_cursor());
        assert!(
            s.page(Some(c1), "", PageOptions::default()).is_err(),
            "old cursors are invalid"
        );
        let fresh = s.page(None, "", PageOptions::default()).unwrap();
        assert_ne!(fresh["pagination"]["nextPageCursor"], c1);
        assert_eq!(fresh["inventory"], p1["inventory"]);
    }

    #[test]
    fn empty_inventory_is_one_empty_page() {
        let s = Squarespace::new(0, 1);
        let p = s.page(None, "", PageOptions::default()).unwrap();
        assert_eq!(
            p,
            json!({ "inventory": [], "pagination": { "hasNextPage": false, "nextPageCursor": null, "nextPageUrl": null } })
        );
    }
}

//! Ids and per-listing flags the feed does not carry, derived from feed ids
//! so that they are the same on every run.

use crate::prng::mix64;

/// A Mongo-ObjectId-looking id: 8 hex digits of seconds, 16 of `rest`.
pub(crate) fn object_id(secs: u64, rest: u64) -> String {
    format!("{:08x}{rest:016x}", secs as u32)
}

/// What a stable id is for, so that an item, a listing and a shop's
/// checkout configuration never share one.
#[derive(Clone, Copy)]
pub(crate) enum Entity {
    Item = 1,
    Listing = 2,
    CheckoutConfig = 3,
}

/// A stable ObjectId-like id for a feed entity of a shop.
pub(crate) fn stable_id(shop: u64, entity: Entity, id: u64) -> String {
    object_id(
        0x693a_f000,
        mix64(mix64(shop ^ ((entity as u64) << 56)) ^ id),
    )
}

/// Whether a buyer may hold only one of this listing (1 in 25).
pub(crate) fn one_per_customer(listing_id: u64) -> bool {
    mix64(listing_id ^ 0x0BEC) % 25 == 0
}

/// Whether this listing is a pre-order (1 in 40).
pub(crate) fn pre_order(listing_id: u64) -> bool {
    mix64(listing_id ^ 0x9E0) % 40 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct_by_entity() {
        let item = stable_id(1234, Entity::Item, 7);
        assert_eq!(item, stable_id(1234, Entity::Item, 7));
        assert_eq!(item.len(), 24);
        assert!(item.starts_with("693af000"));
        assert_ne!(item, stable_id(1234, Entity::Listing, 7));
        assert_ne!(item, stable_id(1235, Entity::Item, 7));
    }
}

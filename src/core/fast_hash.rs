//! A fast hasher for the maps filled while indexing (facet values, item ids,
//! shared texts), where std's SipHash was a tenth of the time.
//!
//! SipHash defends against hash flooding with a secret key, but on
//! wasm32-unknown-unknown std has no randomness to draw one from, so in the
//! browser it paid for a defence it could not give. This hasher is no worse
//! there: a feed crafted to collide can slow its own loading either way.
//!
//! Why not `rustc-hash` (already in the tree through Leptos): its FxHasher
//! 2.1 spreads ids that differ only above bit 40 over 1,024 of 4,096
//! buckets, where this one spreads them over more than 2,500 (the test
//! `ids_differing_only_in_high_bits_spread_over_buckets` fails with it).
//! The difference is its final rotate in place of the fold below; the
//! code is about forty lines, and tested here.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A set with [`FastHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// An odd constant with well-spread bits (rustc's FxHasher uses it).
const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

/// In the manner of rustc's FxHasher: each word is added, then the sum is
/// multiplied by an odd constant. A product's low bits depend only on the
/// low bits of what was multiplied, and the hash table picks buckets by
/// the low bits, so [`Hasher::finish`] folds the well-mixed high bits down
/// (otherwise ids that differ only in high bits would share buckets).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher {
    hash: u64,
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(
                word.try_into().expect("chunks of 8 bytes"),
            ));
        }
        let rest = words.remainder();
        let mut last = [0; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The length tells `ab` from `ab\0`, which pad to the same word.
        self.add(u64::from_le_bytes(last) ^ (bytes.len() as u64) << 56);
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u16(&mut self, value: u16) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Fold the high half into the low one, mix once more, and fold again.
        let hash = (self.hash ^ self.hash >> 32).wrapping_mul(MULTIPLIER);
        hash ^ hash >> 32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_values_hash_equal_and_near_ones_differ() {
        assert_eq!(hash("Electronic"), hash(&*String::from("Electronic")));
        assert_eq!(
            hash("Electronic"),
            hash(&Box::<str>::from("Electronic")),
            "a boxed key is found by a &str"
        );
        let texts = [
            "",
            "a",
            "ab",
            "ab\0",
            "ab\0\0\0\0\0\0",
            "ab\0\0\0\0\0\0\0",
            "abcdefgh",
            "abcdefghi",
            "bacdefgh",
            "Electronic",
            "electronic",
        ];
        let mut hashes: Vec<u64> = texts.iter().map(|t| hash(*t)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(
            hashes.len(),
            texts.len(),
            "texts differing in one byte, order or trailing zeros hash apart"
        );
        assert_ne!(hash(&(1u16, 2u64)), hash(&(2u16, 1u64)));
    }

    #[test]
    fn ids_differing_only_in_high_bits_spread_over_buckets() {
        // A table of 2^12 buckets picks them by the hash's low 12 bits.
        let buckets: FastSet<u64> = (0..4096u64).map(|i| hash(&(i << 40)) & 0xFFF).collect();
        assert!(
            buckets.len() > 2500,
            "{} distinct buckets of 4096",
            buckets.len()
        );
        let sequential: FastSet<u64> = (0..4096u64)
            .map(|i| hash(&(0u16, 1_765_470_890_000 + i)) & 0xFFF)
            .collect();
        assert!(
            sequential.len() > 2500,
            "{} distinct buckets of 4096",
            sequential.len()
        );
    }

    #[test]
    fn maps_and_sets_work_as_std_ones() {
        let mut map: FastMap<Box<str>, u32> = FastMap::default();
        for (i, name) in ["rock", "jazz", "pop", "rock"].into_iter().enumerate() {
            map.entry(name.into()).or_insert(i as u32);
        }
        assert_eq!(
            (map.len(), map.get("rock"), map.get("pop"), map.get("soul")),
            (3, Some(&0), Some(&2), None)
        );
        let mut ids: FastSet<(u16, u64)> = FastSet::default();
        assert!(ids.insert((u16::MAX, 42)) && !ids.insert((u16::MAX, 42)) && ids.insert((0, 42)));
    }
}

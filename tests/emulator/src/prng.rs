//! A tiny deterministic PRNG (SplitMix64).
//!
//! The feed must be byte-identical for a given seed on every machine, so we
//! avoid external RNG crates and platform floating-point functions: every
//! random decision below is made with integer arithmetic or exact `f64`
//! comparisons.

/// SplitMix64 generator (Steele, Lea & Flood). Fast, tiny state, and good
/// enough statistical quality for test data.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Creates a generator from a seed. Any seed, including 0, is fine.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform integer in `0..n` (`n` must be > 0). Uses the multiply-high
    /// trick; the bias for the small `n` used here is negligible.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        lo + self.below(hi - lo + 1)
    }

    /// Uniform index into a collection of `len` elements (`len` > 0).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with probability `per_mille / 1000`.
    pub fn per_mille(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniformly chosen element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }
}

/// The SplitMix64 finaliser: a strong 64-bit mixing function, also handy for
/// deriving independent seeds (e.g. one per shop) from a base seed.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives a seed for a sub-stream (`salt`) of a base seed.
pub fn derive_seed(base: u64, salt: u64) -> u64 {
    mix64(base ^ mix64(salt.wrapping_add(0x632B_E59B_D9B4_E019)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn known_first_value() {
        // Reference value of SplitMix64 seeded with 0, pinned so an accidental
        // change to the algorithm (and thus every generated feed) is caught.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = SplitMix64::new(1);
        let mut seen = [false; 6];
        for _ in 0..10_000 {
            let v = r.below(6) as usize;
            seen[v] = true;
            let w = r.range(10, 12);
            assert!((10..=12).contains(&w));
        }
        assert!(seen.iter().all(|s| *s), "all values of below(6) occur");
    }

    #[test]
    fn derived_seeds_differ() {
        assert_ne!(derive_seed(1, 1234), derive_seed(1, 1235));
        assert_ne!(derive_seed(1, 1234), derive_seed(2, 1234));
    }
}

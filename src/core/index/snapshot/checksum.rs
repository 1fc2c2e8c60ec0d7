//! The snapshot's checksum, of bytes whole or in pieces.

/// A 64-bit checksum of `bytes`: four independent lanes of eight-byte
/// words, so it runs near memory speed. Any change within one lane's words
/// always changes the sum (each step is invertible); it is for damaged
/// bytes, not a defence against deliberate changes (the checks on
/// restoring are).
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(bytes);
    sum.finish()
}

const CHECKSUM_K: u64 = 0x9E37_79B9_7F4A_7C15;

const CHECKSUM_BLOCK: usize = 32;

/// [`checksum`] of bytes given in pieces.
pub(super) struct Checksum {
    lanes: [u64; 4],
    /// The bytes of a block not yet complete: its first `len % 32`.
    pending: [u8; CHECKSUM_BLOCK],
    len: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

impl Checksum {
    pub(super) fn new() -> Self {
        let k = CHECKSUM_K;
        Checksum {
            lanes: [k, k ^ 1, k ^ 2, k ^ 3],
            pending: [0; CHECKSUM_BLOCK],
            len: 0,
        }
    }

    pub(super) fn update(&mut self, mut bytes: &[u8]) {
        let pending = self.len as usize % CHECKSUM_BLOCK;
        self.len += bytes.len() as u64;
        if pending > 0 {
            let (head, tail) = bytes.split_at(bytes.len().min(CHECKSUM_BLOCK - pending));
            self.pending[pending..pending + head.len()].copy_from_slice(head);
            bytes = tail;
            if pending + head.len() < CHECKSUM_BLOCK {
                return;
            }
            let block = self.pending;
            self.mix_blocks(&block);
        }
        let whole = bytes.len() - bytes.len() % CHECKSUM_BLOCK;
        self.mix_blocks(&bytes[..whole]);
        self.pending[..bytes.len() - whole].copy_from_slice(&bytes[whole..]);
    }

    fn mix_blocks(&mut self, blocks: &[u8]) {
        let mix = |lane: u64, word: &[u8]| {
            let word = u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]);
            (lane ^ word).wrapping_mul(CHECKSUM_K).rotate_left(31)
        };
        let lanes = &mut self.lanes;
        // Written out lane by lane: the bundle is built for size, which unrolls little.
        for block in blocks.chunks_exact(CHECKSUM_BLOCK) {
            lanes[0] = mix(lanes[0], &block[0..8]);
            lanes[1] = mix(lanes[1], &block[8..16]);
            lanes[2] = mix(lanes[2], &block[16..24]);
            lanes[3] = mix(lanes[3], &block[24..32]);
        }
    }

    pub(super) fn finish(&self) -> u64 {
        let step = |sum: u64, value: u64| (sum ^ value).wrapping_mul(CHECKSUM_K).rotate_left(31);
        let mut sum = self.len;
        for &byte in &self.pending[..self.len as usize % CHECKSUM_BLOCK] {
            sum = step(sum, u64::from(byte));
        }
        for lane in self.lanes {
            sum = step(sum, lane);
        }
        sum ^ sum >> 29
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_checksum_sees_every_changed_byte_and_length() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let sum = checksum(&bytes);
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert_ne!(checksum(&changed), sum, "byte {at}");
        }
        assert_ne!(checksum(&bytes[..99]), sum);
        assert_ne!(checksum(&[0; 33]), checksum(&[0; 32]));
    }

    #[test]
    fn the_checksum_is_the_one_snapshots_were_saved_with() {
        // Pinned: a changed sum would make every saved index look damaged.
        let bytes: Vec<u8> = (0..100u8).collect();
        assert_eq!(checksum(&bytes), PINNED_SUM_OF_0_TO_99);
        assert_eq!(checksum(&[]), PINNED_SUM_OF_NOTHING);
    }

    const PINNED_SUM_OF_0_TO_99: u64 = 0x87ce_1c44_af9a_cc6d;

    const PINNED_SUM_OF_NOTHING: u64 = 0x79e4_e055_2d8d_3041;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

        #[test]
        fn the_checksum_of_pieces_is_the_checksum_of_the_whole(bytes in prop::collection::vec(any::<u8>(), 0..300), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut sum = Checksum::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                sum.update(&bytes[from..cut]);
                from = cut;
            }
            prop_assert_eq!(sum.finish(), checksum(&bytes));
        }
    }
}

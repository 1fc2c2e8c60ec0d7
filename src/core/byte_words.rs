//! Scanning bytes eight at a time, in a `u64` (no SIMD needed, so the same
//! code runs in every browser's wasm): most of a feed's bytes are inside
//! strings, where a scan only looks for the few bytes that end them.

/// 0x01 in every byte.
const EVERY_BYTE: u64 = u64::MAX / 255;
/// The high bit of every byte.
pub(crate) const HIGH_BITS: u64 = EVERY_BYTE << 7;
const LOW_SEVEN_BITS: u64 = !HIGH_BITS;

/// `byte` in every byte of a word.
#[inline(always)]
pub(crate) const fn splat(byte: u8) -> u64 {
    EVERY_BYTE * byte as u64
}

/// The high bit of each zero byte of `word`, and nothing else ("Bit
/// Twiddling Hacks": no carry crosses a byte, so the answer is exact).
#[inline(always)]
pub(crate) const fn zero_bytes(word: u64) -> u64 {
    !(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS)
}

/// The position of the first byte marked in `mask` (a result of
/// [`zero_bytes`]) of a word read with `u64::from_le_bytes`.
#[inline(always)]
pub(crate) const fn first_marked(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_bytes_marks_exactly_the_zero_bytes() {
        for at in 0..8 {
            for byte in 0..=255u8 {
                let mut bytes = [0xFFu8, 1, 0x80, 0x7F, 0x01, 0xFE, 2, 0x10];
                bytes
                    .iter_mut()
                    .enumerate()
                    .filter(|(i, _)| *i != at)
                    .for_each(|(_, b)| *b |= 1);
                bytes[at] = byte;
                let expected = if byte == 0 { 0x80 << (at * 8) } else { 0 };
                assert_eq!(
                    zero_bytes(u64::from_le_bytes(bytes)),
                    expected,
                    "{byte:#x} at {at}"
                );
            }
        }
        assert_eq!(zero_bytes(0), HIGH_BITS);
        assert_eq!(
            first_marked(zero_bytes(u64::from_le_bytes(*b"ab\0c\0\0de"))),
            2
        );
        assert_eq!(splat(b'"'), 0x2222_2222_2222_2222);
    }
}

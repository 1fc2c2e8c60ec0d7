//! Taking a snapshot's bytes as storage gives them, checksummed as they come.

use super::checksum::Checksum;
use super::from_snapshot_summed;
use super::header::{HEADER_BYTES, MAGIC};
use super::{Catalogue, SnapshotError};

/// Takes a snapshot's bytes as they are read from storage and checksums
/// them as they come, so that after the last byte only the decoding is
/// left (see [`Catalogue::from_snapshot_owned`], which it matches).
#[derive(Default)]
pub struct SnapshotLoader {
    bytes: Vec<u8>,
    /// Of the body bytes read so far.
    sum: Checksum,
}

/// The most room reserved ahead on the word of a snapshot's header, which
/// storage could have altered; a larger snapshot grows as it is read.
const MAX_RESERVED_BYTES: u64 = 256 << 20;

impl SnapshotLoader {
    /// A loader that has read nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the next bytes read.
    pub fn push(&mut self, chunk: &[u8]) {
        self.push_with(chunk.len(), |room| room.copy_from_slice(chunk));
    }

    /// Appends the next `len` bytes read, which `fill` writes into place
    /// (bytes held by JavaScript are copied once, not into a buffer first).
    pub fn push_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        let before = self.bytes.len();
        self.bytes.resize(before + len, 0);
        fill(&mut self.bytes[before..]);
        if before < HEADER_BYTES && self.bytes.len() >= HEADER_BYTES {
            // Room for the whole snapshot at once: growing a 20 MB buffer
            // step by step copies it several times.
            let body_len = self.bytes[MAGIC.len() + 4..]
                .first_chunk()
                .map_or(u64::MAX, |len| u64::from_le_bytes(*len));
            if body_len <= MAX_RESERVED_BYTES {
                let _ = self.bytes.try_reserve_exact(
                    (HEADER_BYTES + body_len as usize).saturating_sub(self.bytes.len()),
                );
            }
        }
        if let Some(body) = self.bytes.get(before.max(HEADER_BYTES)..) {
            self.sum.update(body);
        }
    }

    /// The catalogue the bytes read hold, checked throughout.
    pub fn finish(self) -> Result<Catalogue, SnapshotError> {
        let sum = self.sum.finish();
        from_snapshot_summed(self.bytes, |_| sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::snapshot::tests::{altered, sample};

    #[test]
    fn a_snapshot_loaded_in_pieces_restores_as_a_whole_one_does() {
        let whole = sample();
        let cuts = [
            0,
            1,
            5,
            HEADER_BYTES - 1,
            HEADER_BYTES,
            HEADER_BYTES + 3,
            1000,
            whole.len() - 7,
            whole.len(),
        ];
        let mut loader = SnapshotLoader::new();
        for pair in cuts.windows(2) {
            loader.push(&whole[pair[0]..pair[1]]);
        }
        assert_eq!(loader.finish().unwrap().to_snapshot(), whole);
        // Damaged, cut short or too long, as `from_snapshot_owned` judges it.
        for bytes in [
            altered(&[])
                .into_iter()
                .take(whole.len() - 1)
                .collect::<Vec<_>>(),
            [whole, b"x"].concat(),
            {
                let mut damaged = whole.to_vec();
                damaged[HEADER_BYTES + 40] ^= 4;
                damaged
            },
        ] {
            let mut loader = SnapshotLoader::new();
            bytes.chunks(333).for_each(|piece| loader.push(piece));
            assert_eq!(
                loader.finish().err(),
                Catalogue::from_snapshot_owned(bytes.clone()).err()
            );
        }
        assert_eq!(
            SnapshotLoader::new().finish().err(),
            Some(SnapshotError::Truncated)
        );
    }

    #[test]
    fn a_header_claiming_a_huge_snapshot_reserves_nothing_for_it() {
        let mut header = sample()[..HEADER_BYTES].to_vec();
        header[MAGIC.len() + 4..MAGIC.len() + 12].copy_from_slice(&u64::MAX.to_le_bytes());
        let mut loader = SnapshotLoader::new();
        loader.push(&header);
        assert!(loader.bytes.capacity() < 1 << 20);
        assert_eq!(
            loader.finish().err(),
            Catalogue::from_snapshot_owned(header).err()
        );
    }
}

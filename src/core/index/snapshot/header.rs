//! The snapshot's header: magic, version, body length and checksum.

use super::checksum::checksum;
use super::reader::Reader;
use super::{SnapshotError, SNAPSHOT_VERSION};

pub(super) const MAGIC: &[u8; 8] = b"CGCATSNP";

pub(super) const HEADER_BYTES: usize = MAGIC.len() + 4 + 8 + 8;

/// The body of a snapshot whose header is this build's and whose checksum
/// holds.
pub(super) fn checked_body(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    checked_body_summed(bytes, checksum)
}

/// As [`checked_body`], with `body_sum` giving the checksum of the body.
pub(super) fn checked_body_summed(
    bytes: &[u8],
    body_sum: impl FnOnce(&[u8]) -> u64,
) -> Result<&[u8], SnapshotError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(bytes) {
            SnapshotError::Truncated
        } else {
            SnapshotError::NotASnapshot
        });
    }
    let mut header = Reader {
        bytes: &bytes[..bytes.len().min(HEADER_BYTES)],
        at: MAGIC.len(),
    };
    let version = header.u32()?;
    if version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Version { found: version });
    }
    let (body_len, sum) = (header.u64()?, header.u64()?);
    let body = &bytes[HEADER_BYTES..];
    match usize::try_from(body_len) {
        Ok(len) if len == body.len() => {}
        Ok(len) if len > body.len() => return Err(SnapshotError::Truncated),
        _ => return Err(SnapshotError::Invalid("body length")),
    }
    if body_sum(body) != sum {
        return Err(SnapshotError::Checksum);
    }
    Ok(body)
}

//! A catalogue as bytes, kept in browser storage so a repeat visit shows
//! results without reading the feed again.
//!
//! The format, little-endian throughout: the magic `CGCATSNP`, the format
//! version (u32), the body's length (u64) and a checksum of the body (u64);
//! then the body, a fixed sequence of fields, each array led by its
//! element count. Restoring copies the arrays back, with no per-item
//! parsing. Stored bytes are untrusted (other scripts on the origin can
//! alter them), so restoring checks every offset and id a query or a
//! display follows: damaged or altered bytes give an error, never a panic
//! or an out-of-bounds access later.

mod checksum;
mod header;
mod loader;
mod reader;
mod validate;
mod writer;

pub use loader::SnapshotLoader;
pub use writer::SnapshotWriter;

use super::Catalogue;
use checksum::checksum;
use header::{checked_body, checked_body_summed, HEADER_BYTES};
use reader::{read_body, Reader};
use validate::validate;

/// The format version; a snapshot of another version is refused (and the
/// feed read again). Bump it whenever the bytes or their meaning change,
/// including how search keys are folded or items encoded: the test in
/// `golden.rs` fails until it is bumped and the new bytes recorded.
pub const SNAPSHOT_VERSION: u32 = 2;

/// Why a snapshot could not be restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    #[error("not a catalogue snapshot")]
    NotASnapshot,
    /// A snapshot of another format version.
    #[error("catalogue snapshot version {found}; this build reads version {SNAPSHOT_VERSION}")]
    Version {
        /// The version the snapshot was written with.
        found: u32,
    },
    /// Fewer bytes than the header or a count says.
    #[error("catalogue snapshot cut short")]
    Truncated,
    /// The body's checksum is not the header's.
    #[error("catalogue snapshot damaged: its checksum does not match")]
    Checksum,
    /// The bytes check out but what they hold does not: names what.
    #[error("catalogue snapshot inconsistent: {0}")]
    Invalid(&'static str),
}

impl Catalogue {
    /// The catalogue as bytes for [`Catalogue::from_snapshot`]: items,
    /// index, facet values, shops, load statistics, copy groups, and the
    /// sort orders built so far (prepare the sorts first to keep them all).
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut writer = SnapshotWriter::new(self);
        while writer.write_part() {}
        writer.finish()
    }

    /// Restores a catalogue from [`Catalogue::to_snapshot`] bytes, checking
    /// them throughout.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Catalogue, SnapshotError> {
        let body = checked_body(bytes)?;
        let (catalogue, items) = read_body(&mut Reader { bytes: body, at: 0 })?;
        with_items(catalogue, body[items].to_vec())
    }

    /// As [`Catalogue::from_snapshot`], keeping the item bytes where they
    /// are in `bytes`, whose buffer becomes the item store: the largest part
    /// of a snapshot is not copied, and snapshot and catalogue are never
    /// held in full at once.
    pub fn from_snapshot_owned(bytes: Vec<u8>) -> Result<Catalogue, SnapshotError> {
        from_snapshot_summed(bytes, checksum)
    }
}

/// [`Catalogue::from_snapshot_owned`], with `body_sum` giving the checksum
/// of the body (once the header is known to be this build's).
fn from_snapshot_summed(
    mut bytes: Vec<u8>,
    body_sum: impl FnOnce(&[u8]) -> u64,
) -> Result<Catalogue, SnapshotError> {
    let body = checked_body_summed(&bytes, body_sum)?;
    let (catalogue, items) = read_body(&mut Reader { bytes: body, at: 0 })?;
    let items_len = items.len();
    bytes.copy_within(HEADER_BYTES + items.start..HEADER_BYTES + items.end, 0);
    bytes.truncate(items_len);
    // Shrinks in place: the rest of the buffer is free for other uses.
    bytes.shrink_to_fit();
    with_items(catalogue, bytes)
}

/// `catalogue` (read without its item bytes) with `items` as its item
/// store's one block, once everything checks out.
fn with_items(mut catalogue: Catalogue, items: Vec<u8>) -> Result<Catalogue, SnapshotError> {
    let end = u32::try_from(items.len()).map_err(|_| SnapshotError::Invalid("item store size"))?;
    catalogue.store.blocks = vec![items];
    catalogue.store.block_start = vec![0, end];
    validate(&catalogue)?;
    Ok(catalogue)
}

// The recorded bytes of a fixed catalogue, so a layout change asks for a
// `SNAPSHOT_VERSION` bump.
#[cfg(test)]
mod golden;

#[cfg(test)]
mod tests {
    use super::checksum::checksum;
    use super::header::{HEADER_BYTES, MAGIC};
    use super::*;
    use crate::shop_list::ShopInfo;
    use crate::ShopFeed;
    use crate::{CatalogueBuilder, Condition, Facet, Grade, SortKey, ViewState};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A small aggregated catalogue with every sort order built: shops,
    /// copies, facets and orders all in the bytes.
    pub(super) fn sample() -> &'static [u8] {
        static SAMPLE: OnceLock<Vec<u8>> = OnceLock::new();
        SAMPLE.get_or_init(|| {
            let mut builder = CatalogueBuilder::new();
            let shops = (0..2u64)
                .map(|id| ShopInfo {
                    geo: Some((id as f64, 50.0)),
                    ..ShopInfo::bare(&id.to_string())
                })
                .collect();
            builder.set_shops(shops);
            for shop in 0..2u16 {
                let mut shop_feed = ShopFeed::new(shop);
                let feed = cg_emulator::generator::generate_shop_feed(
                    10,
                    5,
                    u64::from(shop),
                    "http://127.0.0.1:1",
                );
                builder
                    .push_shop_chunk(&mut shop_feed, feed.as_bytes())
                    .unwrap();
                builder.finish_shop(&mut shop_feed).unwrap();
            }
            let catalogue = builder.finish_items();
            SortKey::ALL
                .into_iter()
                .for_each(|sort| catalogue.prepare_sort(sort));
            catalogue.to_snapshot()
        })
    }

    /// Sets bytes of the body and fixes the checksum, as someone altering
    /// a stored snapshot on purpose would.
    pub(super) fn altered(changes: &[(usize, u8)]) -> Vec<u8> {
        let mut bytes = sample().to_vec();
        let body = bytes.len() - HEADER_BYTES;
        for &(at, value) in changes {
            bytes[HEADER_BYTES + at % body] = value;
        }
        let sum = checksum(&bytes[HEADER_BYTES..]);
        bytes[MAGIC.len() + 12..HEADER_BYTES].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    /// Uses a catalogue the ways the widget does: every sort, text,
    /// facets, listing filters, and every item shown with its copies.
    pub(super) fn exercise(catalogue: &Catalogue) {
        let all = catalogue.query(&ViewState::default());
        for sort in SortKey::ALL {
            let mut view = ViewState {
                sort: Some(sort),
                near: Some((1.0, 50.0)),
                ..ViewState::default()
            };
            catalogue.query(&view);
            view.query = "a e".into();
            catalogue.query(&view);
            for (facet, values) in &all.facets {
                if let Some(value) = values.first() {
                    view.toggle(*facet, &value.name);
                }
            }
            view.conditions = vec![Condition::Used];
            view.min_grade = Some(Grade::Good);
            view.year_min = Some(1900);
            catalogue.query(&view);
        }
        for i in 0..catalogue.len() as u32 {
            let item = catalogue.item(i);
            let _ = (catalogue.shop_of(&item), catalogue.copies(i));
            for facet in Facet::ALL {
                for id in catalogue.values(i, facet) {
                    let _ = catalogue.symbols(facet).name(id);
                }
            }
        }
    }

    /// Restores `bytes` both ways, which must agree: the same error, or
    /// catalogues that snapshot to the same bytes.
    pub(super) fn restore(bytes: &[u8]) -> Result<Catalogue, SnapshotError> {
        let borrowed = Catalogue::from_snapshot(bytes);
        let owned = Catalogue::from_snapshot_owned(bytes.to_vec());
        match (&borrowed, &owned) {
            (Ok(borrowed), Ok(owned)) => assert!(
                borrowed.to_snapshot() == owned.to_snapshot(),
                "both ways restore the same"
            ),
            (Err(borrowed), Err(owned)) => assert_eq!(borrowed, owned),
            _ => panic!(
                "one way restored, the other did not: {:?} / {:?}",
                borrowed.as_ref().err(),
                owned.as_ref().err()
            ),
        }
        owned
    }

    #[test]
    fn the_sample_restores_and_is_used_unchanged() {
        let catalogue = restore(&altered(&[])).unwrap();
        assert!(catalogue.len() > 10 && catalogue.is_grouped());
        exercise(&catalogue);
    }

    #[test]
    fn an_owned_snapshot_becomes_the_item_store() {
        let bytes = sample().to_vec();
        let buffer = bytes.as_ptr();
        let catalogue = Catalogue::from_snapshot_owned(bytes).unwrap();
        let items = &catalogue.store.blocks;
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ptr(),
            buffer,
            "the item bytes were moved within the buffer, not copied out of it"
        );
        assert_eq!(
            items[0].capacity(),
            items[0].len(),
            "the rest of the buffer was given back"
        );
        assert_eq!(catalogue.store.encoded_len(), items[0].len());
        exercise(&catalogue);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

        #[test]
        fn altered_snapshots_restore_safely_or_not_at_all(changes in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
            if let Ok(catalogue) = restore(&altered(&changes)) {
                exercise(&catalogue);
            }
        }

        #[test]
        fn altered_counts_and_offsets_restore_safely_or_not_at_all(at in any::<usize>(), value in any::<u32>()) {
            // Four bytes at once: whole offsets, ids and counts replaced.
            let bytes: Vec<(usize, u8)> = value.to_le_bytes().iter().enumerate().map(|(k, &b)| (at.wrapping_add(k), b)).collect();
            if let Ok(catalogue) = restore(&altered(&bytes)) {
                exercise(&catalogue);
            }
        }
    }
}

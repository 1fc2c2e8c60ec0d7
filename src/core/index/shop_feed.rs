//! One shop's feed read into an aggregated catalogue, across retries.

use super::LoadStats;
use crate::splitter::FeedSplitter;

/// One shop's feed being read into an aggregated catalogue, across the
/// retries of its download.
#[derive(Debug, Default)]
pub struct ShopFeed {
    pub(super) shop: u16,
    pub(super) splitter: FeedSplitter,
    /// Elements met in the current attempt.
    pub(super) position: usize,
    /// Elements taken by all attempts so far: a retry reads the body from
    /// the start again and passes over these, so nothing is counted twice.
    pub(super) taken: usize,
    /// What this shop's elements added to the catalogue's counts.
    pub(super) stats: LoadStats,
    /// Items of this shop in the catalogue.
    pub(super) kept: usize,
    pub(super) failed: bool,
}

impl ShopFeed {
    /// The feed of the shop at `shop` in the catalogue's shop table.
    pub fn new(shop: u16) -> ShopFeed {
        ShopFeed {
            shop,
            ..ShopFeed::default()
        }
    }

    /// Starts the body over, for another attempt at the download.
    pub fn restart(&mut self) {
        self.splitter = FeedSplitter::new();
        self.position = 0;
    }

    /// The download failed for good:
    /// [`CatalogueBuilder::finish_shops`](super::CatalogueBuilder::finish_shops)
    /// leaves this shop out.
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// Items of this shop kept so far.
    pub fn items(&self) -> usize {
        self.kept
    }
}

/// Where a shop's reader is in its body, and what earlier attempts took.
pub(super) struct Resume<'f> {
    pub(super) position: &'f mut usize,
    pub(super) taken: &'f mut usize,
}

impl Resume<'_> {
    /// Whether the element met now was taken by an earlier attempt; moves on.
    pub(super) fn pass_over(&mut self) -> bool {
        let seen = *self.position < *self.taken;
        *self.position += 1;
        *self.taken = (*self.taken).max(*self.position);
        seen
    }
}

//! What a load reports while under way, and what it gives.

use crate::core::{Catalogue, LoadError};
use std::sync::Arc;

/// How far a download has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadProgress {
    /// Body bytes received so far.
    pub received_bytes: u64,
    /// The body size when the server said it and it still holds (a
    /// compressed transfer reports the compressed size).
    pub total_bytes: Option<u64>,
    /// Items indexed so far.
    pub items: usize,
    /// The attempt under way after a failure (1 for the first retry).
    pub retry: u32,
    /// Pages read, for a paginated source.
    pub pages: u32,
}

/// A loaded catalogue, fresh or from the saved copy.
#[derive(Clone, Debug)]
pub struct LoadedCatalogue {
    /// The indexed items.
    pub catalogue: Arc<Catalogue>,
    /// Set when the saved copy stands in: its date and why it was needed.
    pub stale: Option<StaleCopy>,
    /// What the shopper should know about the load (e.g. a shop that failed).
    pub notices: Vec<String>,
}

/// Why and from when a saved copy is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleCopy {
    /// The copy's date, as the visitor's browser writes dates.
    pub as_of: String,
    /// Why no fresh copy could be had.
    pub reason: LoadError,
}

//! Loading a catalogue, by kind of source: one shop's feed (with the index
//! saved from the last visit), a list of shops, or a cursor-paginated
//! inventory. Each reports its progress in signals the components show.

#[cfg(feature = "cursor")]
mod cursor_source;
mod feed;
mod loaded;
mod retry;
mod saved_index;
#[cfg(feature = "aggregator")]
mod shops;

#[cfg(feature = "cursor")]
pub use cursor_source::load_squarespace;
pub use feed::{load_catalogue, PREVIEW_ITEMS};
pub use loaded::{LoadProgress, LoadedCatalogue, StaleCopy};
pub use saved_index::look_up_early as look_up_saved_index_early;
#[cfg(feature = "aggregator")]
pub use shops::{load_shops, ShopProgress, ShopSource, ShopState};

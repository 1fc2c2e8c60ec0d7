//! Browser I/O around the core: fetching, the URL, number formatting.

mod feed_loader;
mod price_format;
mod url_state;

pub use feed_loader::{load_catalogue, sleep, LoadProgress, LoadedCatalogue, StaleCopy};
pub use price_format::PriceFormat;
pub use url_state::{query_pairs, use_url_state, use_url_state_with_options, UrlStateOptions};

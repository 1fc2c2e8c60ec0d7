#![warn(missing_docs)]
//! The pure core: no browser APIs, tested natively with `cargo test`.

pub mod account_scope;
mod byte_words;
pub mod card;
pub mod cart;
pub mod client_api;
pub mod config;
pub mod deploy;
mod fast_hash;
pub mod feed;
pub mod fold;
pub mod grade;
pub mod index;
mod item_store;
pub mod lenient;
pub mod links;
pub mod load_error;
pub mod money;
pub mod query;
pub mod shop_list;
pub mod splitter;
pub mod squarespace;
pub mod view_state;
pub mod virtual_grid;

// The catalogue and its snapshot moved into `index`; the old paths stay
// until every file imports from `index`.
pub use index as catalogue;
pub use index::snapshot;

pub use cart::{Cart, CartLine};
pub use catalogue::{
    kind_label, Catalogue, CatalogueBuilder, Facet, LoadStats, ShopFeed, MAX_AGGREGATED_ITEMS,
    MAX_ITEMS,
};
pub use config::{Config, ConfigError, Source, Theme};
pub use feed::{Cents, Condition, Item, Listing};
pub use grade::Grade;
pub use load_error::LoadError;
pub use query::{FacetValue, QueryResult};
pub use snapshot::{SnapshotError, SnapshotLoader, SnapshotWriter};
pub use splitter::FeedFormatError;
pub use view_state::{SortKey, ViewState};
pub use virtual_grid::{GridMetrics, Viewport, VisibleWindow};

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

pub use cart::{Cart, CartLine};
pub use config::{Config, ConfigError, Source, Theme};
pub use feed::{Cents, Condition, Item, Listing};
pub use grade::Grade;
pub use index::snapshot::{SnapshotError, SnapshotLoader, SnapshotWriter};
pub use index::{
    kind_label, Catalogue, CatalogueBuilder, Facet, LoadStats, ShopFeed, MAX_AGGREGATED_ITEMS,
    MAX_ITEMS,
};
pub use load_error::LoadError;
pub use query::{FacetValue, QueryResult};
pub use splitter::FeedFormatError;
pub use view_state::{SortKey, ViewState};
pub use virtual_grid::{GridMetrics, Viewport, VisibleWindow};

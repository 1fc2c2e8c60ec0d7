//! Browser I/O around the core: fetching, the Client API, storage, the
//! URL, number formatting.

mod after_paint;
mod client_api;
mod feed_loader;
mod idle_work;
mod narrow_layout;
mod nearest;
mod price_format;
mod saved_index;
mod shop_account;
mod shops_loader;
mod squarespace_loader;
mod stall_timer;
mod storage;
mod url_state;
mod virtual_grid;

pub use after_paint::use_after_paint;
pub use client_api::{post_graphql, ApiTarget};
pub use feed_loader::{
    load_catalogue, sleep, yield_to_page, LoadProgress, LoadedCatalogue, StaleCopy, PREVIEW_ITEMS,
};
pub use idle_work::{prepare_sorts, warm_up_queries};
pub use narrow_layout::use_narrow_layout;
pub use nearest::use_nearest_sort;
pub use price_format::PriceFormat;
pub use saved_index::look_up_early as look_up_saved_index_early;
pub use shop_account::{
    use_shop_account_with_options, CheckoutStatus, Panel, ShopAccount, ShopAccountOptions,
};
pub use shops_loader::{load_shops, ShopProgress, ShopSource, ShopState};
pub use squarespace_loader::load_squarespace;
pub use url_state::{query_pairs, use_url_state, use_url_state_with_options, UrlStateOptions};
pub use virtual_grid::use_virtual_grid;

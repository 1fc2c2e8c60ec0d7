//! The widget's hooks, one per file in the shape of `leptos-use`: a
//! `use_x` function (with `use_x_with_options` where it has settings)
//! returning signals, or a `UseXReturn` when it has several outputs.

mod use_after_paint;
mod use_narrow_layout;
#[cfg(feature = "aggregator")]
mod use_nearest_sort;
#[cfg(feature = "checkout")]
mod use_shop_account;
mod use_url_state;
mod use_virtual_grid;

pub use use_after_paint::use_after_paint;
pub use use_narrow_layout::use_narrow_layout;
#[cfg(feature = "aggregator")]
pub use use_nearest_sort::use_nearest_sort;
#[cfg(feature = "checkout")]
pub use use_shop_account::{
    use_shop_account_with_options, CheckoutStatus, Panel, ShopAccount, UseShopAccountOptions,
};
pub use use_url_state::{
    use_url_state, use_url_state_with_options, UseUrlStateOptions, UseUrlStateReturn,
};
pub use use_virtual_grid::use_virtual_grid;

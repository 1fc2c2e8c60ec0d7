//! The widget's components, one per file. Each takes signals and callbacks,
//! so it renders whatever state it is handed and owns none of it.

mod account_bar;
mod add_to_cart;
mod cart_drawer;
mod catalogue_view;
mod condition_filter;
mod empty_state;
mod error_panel;
mod facet_group;
mod facet_panel;
mod font_warm_up;
mod grade_filter;
mod load_status;
mod loading_preview;
mod login_form;
mod notices;
mod range_filter;
mod result_card;
mod result_count;
mod result_list;
mod search_box;
mod shop_panel;
mod shops_status;
mod sort_select;

pub use account_bar::AccountBar;
pub use add_to_cart::AddToCart;
pub use cart_drawer::CartDrawer;
pub use catalogue_view::CatalogueView;
pub use condition_filter::ConditionFilter;
pub use empty_state::EmptyState;
pub use error_panel::ErrorPanel;
pub use facet_group::FacetGroup;
pub use facet_panel::{FacetPanel, FilterData};
pub use font_warm_up::FontWarmUp;
pub use grade_filter::GradeFilter;
pub use load_status::LoadStatus;
pub use loading_preview::LoadingPreview;
pub use login_form::LoginForm;
pub use notices::Notices;
pub use range_filter::RangeFilter;
pub use result_card::ResultCard;
pub use result_count::ResultCount;
pub use result_list::ResultList;
pub use search_box::SearchBox;
pub use shop_panel::ShopPanel;
pub use shops_status::ShopsStatus;
pub use sort_select::SortSelect;

use crate::browser::PriceFormat;

/// What the widget tells its host page about, as DOM events. Hooks for
/// integrators, not telemetry: nothing is ever sent anywhere.
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetEvent {
    /// The catalogue loaded, with this many items.
    Ready { items: usize },
    /// Loading failed, with the message shown to the shopper.
    Error { message: String },
    /// The shopper followed an item's link to the shop.
    ViewItem { item_id: Option<u64>, url: String },
    /// The buyer's cart went to a checkout, and the buyer to the shop to pay.
    Checkout { checkout_id: String, url: String },
}

/// Display settings every component may need, provided once by the app.
#[derive(Clone, Default)]
pub struct DisplayContext {
    /// The shop's storefront URL that items link back to.
    pub storefront: Option<String>,
    pub price_format: PriceFormat,
    /// Receives [`WidgetEvent`]s, when the host listens.
    pub on_event: Option<leptos::prelude::Callback<WidgetEvent>>,
}

impl DisplayContext {
    /// Tells the host page about `event`, if it listens.
    pub fn emit(&self, event: WidgetEvent) {
        if let Some(on_event) = &self.on_event {
            leptos::prelude::Callable::run(on_event, event);
        }
    }
}

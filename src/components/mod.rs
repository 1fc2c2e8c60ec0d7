//! The widget's components, one per file. Each takes signals and callbacks,
//! so it renders whatever state it is handed and owns none of it.

#[cfg(feature = "checkout")]
mod account_bar;
#[cfg(feature = "checkout")]
mod add_to_cart;
#[cfg(feature = "checkout")]
mod cart_drawer;
mod catalogue_view;
mod condition_filter;
mod context;
mod empty_state;
mod error_panel;
mod facet_group;
mod facet_panel;
mod font_warm_up;
mod grade_filter;
mod heading;
mod load_status;
mod loading_preview;
#[cfg(feature = "checkout")]
mod login_form;
mod notices;
mod range_filter;
mod result_card;
mod result_count;
mod result_list;
mod search_box;
#[cfg(feature = "checkout")]
mod shop_panel;
#[cfg(feature = "aggregator")]
mod shops_status;
mod skip_to_results;
mod sort_select;

#[cfg(feature = "checkout")]
pub use account_bar::AccountBar;
#[cfg(feature = "checkout")]
pub use add_to_cart::AddToCart;
#[cfg(feature = "checkout")]
pub use cart_drawer::CartDrawer;
pub use catalogue_view::CatalogueView;
pub use condition_filter::ConditionFilter;
pub use context::{use_cart_controls, CartControls, DisplayContext, WidgetEvent};
pub use empty_state::EmptyState;
pub use error_panel::ErrorPanel;
pub use facet_group::FacetGroup;
pub use facet_panel::{FacetPanel, FilterData};
pub use font_warm_up::FontWarmUp;
pub use grade_filter::GradeFilter;
pub use heading::Heading;
pub use load_status::LoadStatus;
pub use loading_preview::LoadingPreview;
#[cfg(feature = "checkout")]
pub use login_form::{Credentials, LoginForm};
pub use notices::Notices;
pub use range_filter::RangeFilter;
pub use result_card::ResultCard;
pub use result_count::ResultCount;
pub use result_list::ResultList;
pub use search_box::SearchBox;
#[cfg(feature = "checkout")]
pub use shop_panel::ShopPanel;
#[cfg(feature = "aggregator")]
pub use shops_status::ShopsStatus;
pub use skip_to_results::SkipToResults;
pub use sort_select::SortSelect;

//! The widget's components, one per file. Each takes signals and callbacks,
//! so it renders whatever state it is handed and owns none of it.

mod catalogue_view;
mod condition_filter;
mod empty_state;
mod error_panel;
mod facet_group;
mod facet_panel;
mod grade_filter;
mod load_status;
mod notices;
mod range_filter;
mod result_card;
mod result_count;
mod result_list;
mod search_box;
mod sort_select;

pub use catalogue_view::CatalogueView;
pub use condition_filter::ConditionFilter;
pub use empty_state::EmptyState;
pub use error_panel::ErrorPanel;
pub use facet_group::FacetGroup;
pub use facet_panel::FacetPanel;
pub use grade_filter::GradeFilter;
pub use load_status::LoadStatus;
pub use notices::Notices;
pub use range_filter::RangeFilter;
pub use result_card::ResultCard;
pub use result_count::ResultCount;
pub use result_list::ResultList;
pub use search_box::SearchBox;
pub use sort_select::SortSelect;

use crate::browser::PriceFormat;

/// Display settings every component may need, provided once by the app.
#[derive(Clone, Debug, Default)]
pub struct DisplayContext {
    /// The shop's storefront URL that items link back to.
    pub storefront: Option<String>,
    pub price_format: PriceFormat,
    /// Results rendered per "Show more" step.
    pub page_size: usize,
}

//! Thin wrappers over the browser's APIs: fetching (and the Client API),
//! scheduling work between the page's tasks, Web Storage, the page URL and
//! number formatting. No component and no reactive state here.

pub(crate) mod client_api;
pub(crate) mod fetch;
pub(crate) mod idle_work;
mod price_format;
pub(crate) mod schedule;
mod stall_timer;
pub(crate) mod storage;
pub(crate) mod url;

pub use client_api::{post_graphql, ApiTarget};
pub use idle_work::{prepare_sorts, warm_up_queries};
pub use price_format::PriceFormat;
pub use schedule::{sleep, yield_to_page};
pub use url::query_pairs;

//! Thin wrappers over the browser's APIs: fetching (and the Client API),
//! scheduling work between the page's tasks, Web Storage, the page URL and
//! number formatting. No component and no reactive state here.

#[cfg(feature = "checkout")]
pub(crate) mod client_api;
pub(crate) mod fetch;
pub(crate) mod idle_work;
mod price_format;
pub(crate) mod schedule;
mod stall_timer;
// Web Storage keeps the cart, the session and the shops' feed dates.
#[cfg(any(feature = "checkout", feature = "aggregator"))]
pub(crate) mod storage;
pub(crate) mod url;

#[cfg(feature = "checkout")]
pub use client_api::{post_graphql, ApiTarget};
pub use idle_work::{prepare_sorts, warm_up_queries};
pub use price_format::PriceFormat;
pub use schedule::{sleep, yield_to_page};
pub use url::query_pairs;

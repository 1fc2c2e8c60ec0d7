//! The settings themselves: [`Config`], its defaults and the [`Theme`].

use crate::client_api::DEFAULT_API;

/// The public Common Ground CDN.
pub const DEFAULT_CDN: &str = "https://static.common-ground.io";
/// Seconds of silence from the CDN before a download is abandoned.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 20;
/// The level of the widget's own heading; its cards' and panels' are one below.
pub const DEFAULT_HEADING_LEVEL: u8 = 2;

/// The colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light ground, whatever the visitor prefers.
    Light,
    /// Light text on a dark ground, whatever the visitor prefers.
    Dark,
    /// Follows the visitor's `prefers-color-scheme`.
    #[default]
    Auto,
}

impl Theme {
    /// The class the widget root carries for this theme.
    pub fn class(self) -> &'static str {
        match self {
            Theme::Light => "cg-root cg-theme-light",
            Theme::Dark => "cg-root cg-theme-dark",
            Theme::Auto => "cg-root cg-theme-auto",
        }
    }
}

/// The widget's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The shop's numeric id, whose feed the CDN serves.
    pub shop: Option<String>,
    /// The CDN the shop's feed is read from, without a trailing `/`.
    pub cdn: String,
    /// A full feed URL, overriding `shop` and `cdn`.
    pub feed: Option<String>,
    /// The shop's storefront, which every item links back to.
    pub storefront: Option<String>,
    /// An ISO 4217 code; without it prices show as plain numbers.
    pub currency: Option<String>,
    /// A BCP 47 tag for number formatting.
    pub locale: Option<String>,
    /// The colour scheme.
    pub theme: Theme,
    /// Seconds without any byte from the CDN before a download is abandoned.
    pub timeout_seconds: u32,
    /// Whether the view is kept in the page URL. Off by default: an embed
    /// must not rewrite its host page's URL unless asked.
    pub url_state: bool,
    /// The level (1–5) of the widget's own heading, so its outline fits
    /// the host page's: its cards' and panels' headings are one level below.
    pub heading_level: u8,
    /// The shop's configured domain, sent as `commonground-origin` on every
    /// Client API call. Without it the widget is browse-and-link-out only.
    pub origin: Option<String>,
    /// The Client API (GraphQL) endpoint.
    pub api: String,
    /// Where the buyer pays: a URL with a `{checkoutId}` placeholder. The
    /// default is `{storefront}/checkout/{checkoutId}`.
    pub checkout_url: Option<String>,
    /// Aggregator mode: a partner-hosted URL serving the shop list (the
    /// partner token stays on the partner's server).
    pub shops_url: Option<String>,
    /// Aggregator mode for a small fixed set: comma-separated shop ids.
    pub shops: Option<String>,
    /// `squarespace`: read a cursor-paginated inventory from `inventory_url`.
    pub squarespace: bool,
    /// The partner proxy of the Squarespace-style inventory.
    pub inventory_url: Option<String>,
    /// The product page template for that inventory (`{sku}`, `{variantId}`).
    pub product_url: Option<String>,
    /// Pages of a cursor-paginated inventory followed at most.
    pub page_cap: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            shop: None,
            cdn: DEFAULT_CDN.to_owned(),
            feed: None,
            storefront: None,
            currency: None,
            locale: None,
            theme: Theme::Auto,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            url_state: false,
            heading_level: DEFAULT_HEADING_LEVEL,
            origin: None,
            api: DEFAULT_API.to_owned(),
            checkout_url: None,
            shops_url: None,
            shops: None,
            squarespace: false,
            inventory_url: None,
            product_url: None,
            page_cap: crate::squarespace::DEFAULT_PAGE_CAP,
        }
    }
}

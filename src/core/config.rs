//! Where the catalogue comes from and how it is shown. Every setting is
//! the deployer's: element attributes and `mount()` options, or the
//! standalone page's `cg-config` block. A page address may only choose
//! among the shops so configured ([`Config::choose_from_link`]): it never
//! decides where credentials, carts or payments go.

use crate::client_api::DEFAULT_API;
use crate::links::{is_credential_endpoint, is_http_url};
use crate::shop_list::MAX_SHOPS;
use serde_json::Value;
use thiserror::Error;

/// The public Common Ground CDN.
pub const DEFAULT_CDN: &str = "https://static.common-ground.io";
/// Seconds of silence from the CDN before a download is abandoned.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 20;

/// The colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    Light,
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
    pub shop: Option<String>,
    pub cdn: String,
    /// A full feed URL, overriding `shop` and `cdn`.
    pub feed: Option<String>,
    /// The shop's storefront, which every item links back to.
    pub storefront: Option<String>,
    /// An ISO 4217 code; without it prices show as plain numbers.
    pub currency: Option<String>,
    /// A BCP 47 tag for number formatting.
    pub locale: Option<String>,
    pub theme: Theme,
    /// Seconds without any byte from the CDN before a download is abandoned.
    pub timeout_seconds: u32,
    /// Whether the view is kept in the page URL. Off by default: an embed
    /// must not rewrite its host page's URL unless asked.
    pub url_state: bool,
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

/// What a link's `shop`/`shops` choose.
enum ShopChoice {
    /// These shops, among those the configuration offers.
    Ids(String),
    /// The configuration's own single shop.
    Configured,
}

/// Where the catalogue comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// One shop's feed.
    Feed(String),
    /// Many shops, listed at `url`; only those in `only` (comma-separated
    /// ids) when given.
    ShopList { url: String, only: Option<String> },
    /// Many shops, by id.
    ShopIds(String),
    /// A cursor-paginated inventory behind a partner proxy.
    Squarespace {
        inventory_url: String,
        product_url: Option<String>,
        page_cap: u32,
    },
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

/// Why there is no feed to load.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("No shop is configured. The site that shows this catalogue names its shop: the shop attribute of <cg-inventory>, or the page's cg-config block.")]
    NoShop,
    #[error("The inventory source is “squarespace” but no inventory-url is configured.")]
    NoInventoryUrl,
}

/// The configuration parameters, so URL state code can leave them alone.
pub const CONFIG_PARAMS: [&str; 18] = [
    "shops-url",
    "shops",
    "source",
    "inventory-url",
    "product-url",
    "page-cap",
    "shop",
    "cdn",
    "feed",
    "storefront",
    "currency",
    "locale",
    "theme",
    "url-state",
    "timeout",
    "origin",
    "api",
    "checkout-url",
];

/// The attribute name for a JavaScript option name: `pageSize` → `page-size`.
pub fn attribute_name(option: &str) -> String {
    let mut name = String::with_capacity(option.len() + 2);
    for c in option.chars() {
        if c.is_ascii_uppercase() {
            name.push('-');
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

impl Config {
    /// Reads configuration from name/value pairs (URL query or attributes).
    /// Invalid values are ignored, each with a notice.
    pub fn from_params<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Config, Vec<String>) {
        let mut config = Config::default();
        // Names of the settings that had invalid values, each once: a
        // thousand bad values give one notice, and none quotes them.
        let mut invalid: Vec<&'static str> = Vec::new();
        for (name, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let accepted = match name {
                "shop" => set_if(&mut config.shop, value, is_shop_id),
                "cdn" => {
                    let ok = is_http_url(value);
                    if ok {
                        config.cdn = value.trim_end_matches('/').to_owned();
                    }
                    ok
                }
                "feed" => set_if(&mut config.feed, value, is_feed_url),
                "storefront" => set_if(&mut config.storefront, value, is_http_url),
                "origin" => match shop_domain(value) {
                    Some(domain) => {
                        config.origin = Some(domain);
                        true
                    }
                    None => false,
                },
                "api" => {
                    // Credentials go there: https only, but on loopback.
                    let ok = is_credential_endpoint(value);
                    if ok {
                        config.api = value.to_owned();
                    }
                    ok
                }
                "shops-url" => set_if(&mut config.shops_url, value, is_feed_url),
                "shops" => set_if(&mut config.shops, value, |v| {
                    let ids: Vec<&str> = v
                        .split(',')
                        .map(str::trim)
                        .filter(|id| !id.is_empty())
                        .collect();
                    !ids.is_empty() && ids.iter().all(|id| is_shop_id(id))
                }),
                "source" => match value.to_ascii_lowercase().as_str() {
                    "squarespace" => {
                        config.squarespace = true;
                        true
                    }
                    "feed" | "common-ground" => {
                        config.squarespace = false;
                        true
                    }
                    _ => false,
                },
                "inventory-url" => set_if(&mut config.inventory_url, value, is_feed_url),
                "product-url" => set_if(&mut config.product_url, value, |v| {
                    (v.contains("{sku}") || v.contains("{variantId}")) && is_http_url(v)
                }),
                "page-cap" => match value.parse::<u32>() {
                    Ok(cap) if (1..=100_000).contains(&cap) => {
                        config.page_cap = cap;
                        true
                    }
                    _ => false,
                },
                "checkout-url" => set_if(&mut config.checkout_url, value, |v| {
                    v.contains("{checkoutId}") && is_http_url(v)
                }),
                "currency" => {
                    let ok = value.len() == 3 && value.bytes().all(|b| b.is_ascii_alphabetic());
                    if ok {
                        config.currency = Some(value.to_ascii_uppercase());
                    }
                    ok
                }
                "locale" => set_if(&mut config.locale, value, |v| {
                    (2..=35).contains(&v.len())
                        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }),
                "theme" => match value.to_ascii_lowercase().as_str() {
                    "light" => {
                        config.theme = Theme::Light;
                        true
                    }
                    "dark" => {
                        config.theme = Theme::Dark;
                        true
                    }
                    "auto" => {
                        config.theme = Theme::Auto;
                        true
                    }
                    _ => false,
                },
                "url-state" => match value.to_ascii_lowercase().as_str() {
                    "on" | "true" => {
                        config.url_state = true;
                        true
                    }
                    "off" | "false" => {
                        config.url_state = false;
                        true
                    }
                    _ => false,
                },
                "timeout" => match value.parse::<u32>() {
                    Ok(seconds) if (1..=300).contains(&seconds) => {
                        config.timeout_seconds = seconds;
                        true
                    }
                    _ => false,
                },
                _ => true,
            };
            if !accepted {
                if let Some(known) = CONFIG_PARAMS.iter().find(|known| **known == name) {
                    if !invalid.contains(known) {
                        invalid.push(known);
                    }
                }
            }
        }
        let notices = match invalid.as_slice() {
            [] => Vec::new(),
            [one] => vec![format!("Ignored an invalid {one} setting.")],
            many => vec![format!("Ignored invalid settings: {}.", many.join(", "))],
        };
        (config, notices)
    }

    /// Reads the standalone page's deploy-time configuration: the JSON
    /// object of its `cg-config` block, keyed like the element's
    /// attributes. Strings, numbers and booleans are taken as attribute
    /// values; anything else is an invalid setting.
    pub fn from_deploy_json(text: &str) -> (Config, Vec<String>) {
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
            let (config, _) = Config::from_params([]);
            return (
                config,
                vec![
                    "The page's configuration (its cg-config block) could not be read.".to_owned(),
                ],
            );
        };
        let pairs: Vec<(&str, String)> = object
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    Value::Bool(on) => if *on { "on" } else { "off" }.to_owned(),
                    // Not a value any setting takes: refused like one.
                    _ => "\u{0}".to_owned(),
                };
                (name.as_str(), text)
            })
            .collect();
        Config::from_params(pairs.iter().map(|(name, value)| (*name, value.as_str())))
    }

    /// Applies what a page address may say about the configuration: `shop`
    /// or `shops` choosing among the shops this configuration names (its
    /// `shops` ids, its one `shop`, or the shops of its `shops-url` list).
    /// Every other setting in the address is ignored, with one notice that
    /// does not repeat it: a link never chooses where data goes.
    pub fn choose_from_link<'a>(
        &mut self,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vec<String> {
        let mut ignored_settings = false;
        let mut asked: Option<Vec<String>> = None;
        for (name, value) in params {
            match name {
                "shop" | "shops" => {
                    let asked = asked.get_or_insert_with(Vec::new);
                    for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
                        if asked.len() <= MAX_SHOPS && !asked.iter().any(|a| a == id) {
                            asked.push(id.to_owned());
                        }
                    }
                }
                _ if CONFIG_PARAMS.contains(&name) => ignored_settings = true,
                _ => {}
            }
        }
        let mut notices = Vec::new();
        if ignored_settings {
            notices.push("Settings in the page address were ignored: this site configures the catalogue itself.".to_owned());
        }
        let Some(asked) = asked else { return notices };
        let valid = !asked.is_empty()
            && asked.len() <= MAX_SHOPS
            && asked.iter().all(|id| crate::shop_list::is_shop_id(id));
        let chosen = valid.then(|| self.chosen_shops(&asked)).flatten();
        match chosen {
            Some(ShopChoice::Ids(ids)) => self.shops = Some(ids),
            Some(ShopChoice::Configured) => {}
            None => notices.push("The link asks for a shop this page does not offer, so it shows what it is configured to show.".to_owned()),
        }
        notices
    }

    /// The configuration's answer to a link asking for `asked` shops.
    fn chosen_shops(&self, asked: &[String]) -> Option<ShopChoice> {
        let configured_ids = |ids: &str| {
            ids.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        if self.squarespace || self.feed.is_some() {
            return None;
        }
        if self.shops_url.is_some() || self.shops.is_some() {
            // From a shop list, any of its shops (the list says which it
            // has); from configured ids, only those ids.
            let offered = self.shops.as_deref().map(configured_ids);
            let kept: Vec<&str> = asked
                .iter()
                .filter(|id| offered.as_ref().is_none_or(|offered| offered.contains(id)))
                .map(String::as_str)
                .collect();
            return (kept.len() == asked.len()).then(|| ShopChoice::Ids(kept.join(",")));
        }
        (self.shop.as_deref() == Some(asked[0].as_str()) && asked.len() == 1)
            .then_some(ShopChoice::Configured)
    }

    /// Where the catalogue comes from: a cursor-paginated inventory, a shop
    /// list, a set of shop ids, or one feed, in that order of precedence.
    pub fn source(&self) -> Result<Source, ConfigError> {
        if self.squarespace {
            let inventory_url = self
                .inventory_url
                .clone()
                .ok_or(ConfigError::NoInventoryUrl)?;
            return Ok(Source::Squarespace {
                inventory_url,
                product_url: self.product_url.clone(),
                page_cap: self.page_cap,
            });
        }
        if let Some(url) = &self.shops_url {
            return Ok(Source::ShopList {
                url: url.clone(),
                only: self.shops.clone(),
            });
        }
        if let Some(ids) = &self.shops {
            return Ok(Source::ShopIds(ids.clone()));
        }
        self.feed_url().map(Source::Feed)
    }

    /// What every item link must stay on: the storefront, or for a
    /// Squarespace inventory the site of its product-url template (where
    /// its product pages are), when no storefront is set.
    pub fn link_base(&self) -> Option<String> {
        let product_site = || {
            self.product_url
                .as_deref()
                .filter(|_| self.squarespace)
                .and_then(crate::links::url_origin)
        };
        self.storefront.clone().or_else(product_site)
    }

    /// The URL of the feed to load.
    pub fn feed_url(&self) -> Result<String, ConfigError> {
        if let Some(feed) = &self.feed {
            return Ok(feed.clone());
        }
        let shop = self.shop.as_ref().ok_or(ConfigError::NoShop)?;
        Ok(format!("{}/shops/{shop}/inventory.json", self.cdn))
    }
}

fn set_if(slot: &mut Option<String>, value: &str, valid: impl Fn(&str) -> bool) -> bool {
    let ok = valid(value);
    if ok {
        *slot = Some(value.to_owned());
    }
    ok
}

use crate::shop_list::is_shop_id;

/// The shop domain for `commonground-origin`: a host name such as
/// `www.my-store.com`, lower-cased; a pasted URL is reduced to its host.
fn shop_domain(value: &str) -> Option<String> {
    let without_scheme = value.split_once("://").map_or(value, |(_, rest)| rest);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let valid = (1..=253).contains(&host.len())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':')
        && !host.starts_with(['.', '-', ':']);
    valid.then_some(host)
}

/// An absolute http(s) URL, or a same-site path such as `/feeds/demo.json`.
fn is_feed_url(value: &str) -> bool {
    if is_http_url(value) {
        return true;
    }
    let first = value.split(['/', '?', '#']).next().unwrap_or("");
    !first.contains(':')
        && !value.starts_with("//")
        && !value
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted names in the first `[...]` after `marker` in `source`.
    fn quoted_names_after<'a>(source: &'a str, marker: &str) -> Vec<&'a str> {
        let start = source.find(marker).expect("the marker") + marker.len();
        let list = &source[start..start + source[start..].find("];").expect("the list's end")];
        list.split('\'').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_custom_element_takes_every_setting_as_an_attribute_and_the_typings_as_an_option() {
        let element = include_str!("../js/element.js");
        let mut attributes = quoted_names_after(element, "const ATTRIBUTES = [");
        let mut params = CONFIG_PARAMS.to_vec();
        attributes.sort_unstable();
        params.sort_unstable();
        assert_eq!(attributes, params, "src/js/element.js ATTRIBUTES");

        // Each `name?:` of the options interface, as an attribute name.
        let typings = include_str!("../js/index.d.ts");
        let options = &typings[typings.find("interface CgInventoryOptions").unwrap()..];
        let options = &options[..options.find("\n}").unwrap()];
        let mut typed: Vec<String> = options
            .lines()
            .filter_map(|line| line.strip_prefix("  ")?.split_once("?:"))
            .map(|(name, _)| attribute_name(name))
            .collect();
        typed.sort_unstable();
        assert_eq!(typed, params, "src/js/index.d.ts CgInventoryOptions");
    }

    #[test]
    fn builds_the_cdn_feed_url() {
        let (config, notices) = Config::from_params([("shop", "1234")]);
        assert!(notices.is_empty());
        assert_eq!(
            config.feed_url().unwrap(),
            "https://static.common-ground.io/shops/1234/inventory.json"
        );
        let (config, _) =
            Config::from_params([("shop", "1234"), ("cdn", "http://127.0.0.1:8080/")]);
        assert_eq!(
            config.feed_url().unwrap(),
            "http://127.0.0.1:8080/shops/1234/inventory.json"
        );
    }

    #[test]
    fn a_feed_url_overrides_shop_and_cdn() {
        let (config, _) =
            Config::from_params([("shop", "1"), ("feed", "https://cdn.example/x.json")]);
        assert_eq!(config.feed_url().unwrap(), "https://cdn.example/x.json");
        assert_eq!(
            Config::from_params([("feed", "/feeds/demo.json")])
                .0
                .feed_url()
                .unwrap(),
            "/feeds/demo.json"
        );
    }

    #[test]
    fn no_shop_is_a_clear_error() {
        assert_eq!(Config::default().feed_url(), Err(ConfigError::NoShop));
    }

    #[test]
    fn invalid_settings_are_ignored_with_notices() {
        let (config, notices) = Config::from_params([
            ("shop", "../../etc"),
            ("cdn", "javascript:alert(1)"),
            ("feed", "data:application/json,[]"),
            ("storefront", "ftp://shop"),
            ("currency", "EURO"),
            ("locale", "<en>"),
            ("theme", "neon"),
            ("url-state", "maybe"),
            ("timeout", "0"),
            ("origin", "evil domain<>"),
            ("api", "javascript:alert(1)"),
            ("checkout-url", "https://pay.example/no-placeholder"),
        ]);
        assert_eq!(config, Config::default());
        assert_eq!(
            notices,
            ["Ignored invalid settings: shop, cdn, feed, storefront, currency, locale, theme, url-state, timeout, origin, api, checkout-url."]
        );
    }

    #[test]
    fn notices_are_bounded_and_never_quote_the_input() {
        let hostile = "<img src=x onerror=alert(1)> Call +1-555 to claim your prize";
        let pairs: Vec<(&str, &str)> = (0..5_000)
            .map(|i| (CONFIG_PARAMS[i % CONFIG_PARAMS.len()], hostile))
            .collect();
        let (_, notices) = Config::from_params(pairs.iter().copied());
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            !notices[0].contains("prize") && !notices[0].contains('<'),
            "{notices:?}"
        );
        let mut config = Config::from_params([("shop", "1234")]).0;
        let link: Vec<(&str, &str)> = (0..5_000)
            .map(|i| (CONFIG_PARAMS[i % CONFIG_PARAMS.len()], hostile))
            .collect();
        let notices = config.choose_from_link(link.iter().copied());
        assert!(notices.len() <= 2, "{notices:?}");
        assert!(
            notices
                .iter()
                .all(|n| !n.contains("prize") && !n.contains('<')),
            "{notices:?}"
        );
    }

    #[test]
    fn credentials_go_to_an_https_api_only_but_on_loopback() {
        for refused in [
            "http://evil.example/graphql",
            "http://127.0.0.1@evil.example/graphql",
            "ftp://api.example/graphql",
        ] {
            let (config, notices) = Config::from_params([("api", refused)]);
            assert_eq!(config.api, DEFAULT_API, "{refused}");
            assert_eq!(notices, ["Ignored an invalid api setting."]);
        }
        assert_eq!(
            Config::from_params([("api", "https://api.example/graphql")])
                .0
                .api,
            "https://api.example/graphql"
        );
        assert_eq!(
            Config::from_params([("api", "http://localhost:8080/graphql")])
                .0
                .api,
            "http://localhost:8080/graphql"
        );
    }

    #[test]
    fn the_deploy_block_is_the_configuration() {
        let (config, notices) = Config::from_deploy_json(
            r#"{"shop":"1234","cdn":"http://localhost:8080","storefront":"https://www.my-store.com","currency":"EUR","timeout":30,"url-state":true}"#,
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            config.feed_url().unwrap(),
            "http://localhost:8080/shops/1234/inventory.json"
        );
        assert_eq!(
            (
                config.timeout_seconds,
                config.url_state,
                config.currency.as_deref()
            ),
            (30, true, Some("EUR"))
        );
        for broken in ["", "not json", "[]", "\"shop\"", "null"] {
            let (config, notices) = Config::from_deploy_json(broken);
            assert_eq!(config, Config::default(), "{broken}");
            assert_eq!(notices.len(), 1, "{broken}");
        }
        let (config, notices) = Config::from_deploy_json(
            r#"{"shop":["1234"],"theme":{"a":1},"api":"http://evil.example/g"}"#,
        );
        assert_eq!((config.shop, config.api.as_str()), (None, DEFAULT_API));
        assert_eq!(notices, ["Ignored invalid settings: api, shop, theme."]);
    }

    /// Every setting a phishing link could carry, with a hostile value.
    const PHISHING_LINK: [(&str, &str); 16] = [
        ("api", "https://evil.example/graphql"),
        ("origin", "other-shop.com"),
        ("checkout-url", "https://evil.example/pay/{checkoutId}"),
        ("storefront", "https://evil.example"),
        ("cdn", "https://evil.example"),
        ("feed", "https://evil.example/x.json"),
        ("shops-url", "https://evil.example/shops.json"),
        ("source", "squarespace"),
        ("inventory-url", "https://evil.example/inventory"),
        ("product-url", "https://evil.example/p/{sku}"),
        ("currency", "USD"),
        ("locale", "en-US"),
        ("theme", "dark"),
        ("timeout", "1"),
        ("page-cap", "1"),
        ("url-state", "off"),
    ];

    #[test]
    fn a_link_cannot_change_any_setting() {
        let deployed = || {
            Config::from_params([
                ("shop", "1234"),
                ("origin", "www.my-store.com"),
                ("storefront", "https://www.my-store.com"),
                ("currency", "EUR"),
                ("url-state", "on"),
            ])
            .0
        };
        for (name, value) in PHISHING_LINK {
            let mut config = deployed();
            let notices = config.choose_from_link([(name, value), ("q", "björk")]);
            assert_eq!(
                config,
                deployed(),
                "{name}={value} changed the configuration"
            );
            assert_eq!(notices, ["Settings in the page address were ignored: this site configures the catalogue itself."], "{name}");
        }
        let mut config = deployed();
        assert!(
            config
                .choose_from_link([("q", "x"), ("genre", "Rock"), ("utm_source", "mail")])
                .is_empty(),
            "view state and foreign parameters are no settings"
        );
        assert_eq!(config, deployed());
    }

    #[test]
    fn a_link_chooses_only_among_the_configured_shops() {
        let choose = |deployed: &[(&str, &str)], link: &[(&'static str, &'static str)]| {
            let mut config = Config::from_params(deployed.iter().copied()).0;
            let notices = config.choose_from_link(link.iter().copied());
            (config.source(), notices.len())
        };
        // One shop configured: the same shop is fine, another is refused.
        assert_eq!(
            choose(&[("shop", "1234")], &[("shop", "1234")]),
            (
                Ok(Source::Feed(
                    "https://static.common-ground.io/shops/1234/inventory.json".into()
                )),
                0
            )
        );
        assert_eq!(
            choose(&[("shop", "1234")], &[("shop", "666")]),
            (
                Ok(Source::Feed(
                    "https://static.common-ground.io/shops/1234/inventory.json".into()
                )),
                1
            )
        );
        // Nothing configured: a link cannot bring a shop.
        assert_eq!(
            choose(&[], &[("shop", "1234")]),
            (Err(ConfigError::NoShop), 1)
        );
        // Configured ids: a subset is chosen, anything else refused whole.
        assert_eq!(
            choose(&[("shops", "1,2,3")], &[("shops", "3,1")]),
            (Ok(Source::ShopIds("3,1".into())), 0)
        );
        assert_eq!(
            choose(&[("shops", "1,2,3")], &[("shop", "2")]),
            (Ok(Source::ShopIds("2".into())), 0)
        );
        assert_eq!(
            choose(&[("shops", "1,2,3")], &[("shops", "1,9")]),
            (Ok(Source::ShopIds("1,2,3".into())), 1)
        );
        // A shop list: any of its shops (the list decides what it has).
        let list = [("shops-url", "https://partner.example/shops.json")];
        assert_eq!(
            choose(&list, &[("shops", "9,10")]),
            (
                Ok(Source::ShopList {
                    url: "https://partner.example/shops.json".into(),
                    only: Some("9,10".into())
                }),
                0
            )
        );
        assert_eq!(
            choose(&list, &[("shops", "../x")]),
            (
                Ok(Source::ShopList {
                    url: "https://partner.example/shops.json".into(),
                    only: None
                }),
                1
            )
        );
        // A fixed feed or a Squarespace inventory has no shops to choose.
        assert_eq!(
            choose(&[("feed", "/feeds/demo.json")], &[("shop", "1")]),
            (Ok(Source::Feed("/feeds/demo.json".into())), 1)
        );
    }

    #[test]
    fn embed_settings_and_option_names() {
        let (config, notices) = Config::from_params([("theme", "Dark"), ("url-state", "on")]);
        assert!(notices.is_empty());
        assert_eq!((config.theme, config.url_state), (Theme::Dark, true));
        assert!(
            !Config::default().url_state,
            "an embed leaves the host URL alone by default"
        );
        assert_eq!(attribute_name("pageSize"), "page-size");
        assert_eq!(attribute_name("urlState"), "url-state");
        assert_eq!(attribute_name("shop"), "shop");
    }

    #[test]
    fn reads_checkout_settings() {
        let (config, notices) = Config::from_params([
            ("origin", "https://WWW.My-Store.com/some/page"),
            ("api", "http://127.0.0.1:9/graphql"),
            ("checkout-url", "https://www.my-store.com/pay/{checkoutId}"),
        ]);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(config.origin.as_deref(), Some("www.my-store.com"));
        assert_eq!(config.api, "http://127.0.0.1:9/graphql");
        assert_eq!(
            config.checkout_url.as_deref(),
            Some("https://www.my-store.com/pay/{checkoutId}")
        );
        assert_eq!(
            Config::default().api,
            "https://api-client.common-ground.io/graphql"
        );
        assert_eq!(
            Config::default().origin,
            None,
            "no origin: browse and link out only"
        );
    }

    #[test]
    fn chooses_the_source() {
        let source = |pairs: &[(&'static str, &'static str)]| {
            Config::from_params(pairs.iter().copied()).0.source()
        };
        assert_eq!(
            source(&[("shop", "1")]),
            Ok(Source::Feed(
                "https://static.common-ground.io/shops/1/inventory.json".into()
            ))
        );
        assert_eq!(
            source(&[("shop", "1"), ("shops", "1, 2")]),
            Ok(Source::ShopIds("1, 2".into()))
        );
        assert_eq!(
            source(&[
                ("shops", "1"),
                ("shops-url", "https://partner.example/shops")
            ]),
            Ok(Source::ShopList {
                url: "https://partner.example/shops".into(),
                only: Some("1".into())
            })
        );
        assert_eq!(
            source(&[("source", "squarespace")]),
            Err(ConfigError::NoInventoryUrl)
        );
        assert_eq!(
            source(&[
                ("source", "squarespace"),
                ("inventory-url", "https://p.example/inventory"),
                ("product-url", "https://s.example/p/{sku}"),
                ("page-cap", "7")
            ]),
            Ok(Source::Squarespace {
                inventory_url: "https://p.example/inventory".into(),
                product_url: Some("https://s.example/p/{sku}".into()),
                page_cap: 7
            })
        );
        let (_, notices) = Config::from_params([
            ("shops", "1,../2"),
            ("shops-url", "javascript:x"),
            ("source", "shopify"),
            ("page-cap", "0"),
            ("product-url", "https://s.example/fixed"),
        ]);
        assert_eq!(
            notices,
            ["Ignored invalid settings: shops, shops-url, source, page-cap, product-url."]
        );
    }

    #[test]
    fn squarespace_links_stay_on_the_product_site() {
        let (config, _) = Config::from_params([
            ("source", "squarespace"),
            ("inventory-url", "/proxy"),
            ("product-url", "https://Shop.example/p/{sku}"),
        ]);
        assert_eq!(config.link_base().as_deref(), Some("https://shop.example"));
        let (config, _) = Config::from_params([
            ("shop", "1"),
            ("storefront", "https://www.my-store.com"),
            ("product-url", "https://x.example/p/{sku}"),
        ]);
        assert_eq!(
            config.link_base().as_deref(),
            Some("https://www.my-store.com")
        );
    }

    #[test]
    fn reads_display_settings() {
        let (config, notices) = Config::from_params([
            ("currency", "eur"),
            ("locale", "de-DE"),
            ("storefront", "https://shop.example"),
            ("page-size", "24"),
        ]);
        // `page-size` fed the old "Show more" paging; the virtualised list
        // needs none, and old embeds that still set it are not told off.
        assert_eq!(config.currency.as_deref(), Some("EUR"));
        assert_eq!(config.locale.as_deref(), Some("de-DE"));
        assert_eq!(config.storefront.as_deref(), Some("https://shop.example"));
        assert!(notices.is_empty());
    }
}

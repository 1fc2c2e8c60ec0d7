//! Reading the settings: element attributes, `mount()` options and the
//! standalone page's `cg-config` block, each value checked on the way in.

use super::settings::{Config, Theme};
use crate::links::{is_credential_endpoint, is_http_url};
use crate::shop_list::is_shop_id;
use serde_json::Value;

/// The configuration parameters, so URL state code can leave them alone.
pub const CONFIG_PARAMS: [&str; 19] = [
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
    "heading-level",
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
                // Cards' headings are one below, and h6 is the last level.
                "heading-level" => match value.parse::<u8>() {
                    Ok(level) if (1..=5).contains(&level) => {
                        config.heading_level = level;
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
}

fn set_if(slot: &mut Option<String>, value: &str, valid: impl Fn(&str) -> bool) -> bool {
    let ok = valid(value);
    if ok {
        *slot = Some(value.to_owned());
    }
    ok
}

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
    use crate::client_api::DEFAULT_API;

    /// The quoted names in the first `[...]` after `marker` in `source`.
    fn quoted_names_after<'a>(source: &'a str, marker: &str) -> Vec<&'a str> {
        let start = source.find(marker).expect("the marker") + marker.len();
        let list = &source[start..start + source[start..].find("];").expect("the list's end")];
        list.split('\'').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_custom_element_takes_every_setting_as_an_attribute_and_the_typings_as_an_option() {
        let element = include_str!("../../js/element.js");
        let mut attributes = quoted_names_after(element, "const ATTRIBUTES = [");
        let mut params = CONFIG_PARAMS.to_vec();
        attributes.sort_unstable();
        params.sort_unstable();
        assert_eq!(attributes, params, "src/js/element.js ATTRIBUTES");

        // Each `name?:` of the options interface, as an attribute name.
        let typings = include_str!("../../js/index.d.ts");
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
    fn heading_levels_one_to_five_and_nothing_else() {
        assert_eq!(Config::default().heading_level, 2);
        for level in 1..=5u8 {
            let (config, notices) = Config::from_params([("heading-level", &*level.to_string())]);
            assert_eq!((config.heading_level, notices.len()), (level, 0));
        }
        for refused in ["0", "6", "2.5", "h3", "-1", "256"] {
            let (config, notices) = Config::from_params([("heading-level", refused)]);
            assert_eq!(config.heading_level, 2, "{refused}");
            assert_eq!(
                notices,
                ["Ignored an invalid heading-level setting."],
                "{refused}"
            );
        }
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

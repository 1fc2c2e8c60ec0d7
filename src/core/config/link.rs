//! What a page address may choose: among the configured shops, and
//! nothing else.

use super::params::CONFIG_PARAMS;
use super::settings::Config;
use crate::shop_list::MAX_SHOPS;

/// What a link's `shop`/`shops` choose.
enum ShopChoice {
    /// These shops, among those the configuration offers.
    Ids(String),
    /// The configuration's own single shop.
    Configured,
}

impl Config {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigError, Source};

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
}

//! Where the catalogue comes from, as the settings decide it.

use super::settings::Config;
use thiserror::Error;

/// Where the catalogue comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// One shop's feed.
    Feed(String),
    /// Many shops, listed at `url`; only those in `only` (comma-separated
    /// ids) when given.
    ShopList {
        /// Where the partner serves the shop list.
        url: String,
        /// The ids to keep, comma-separated; all of the list's when `None`.
        only: Option<String>,
    },
    /// Many shops, by id (comma-separated).
    ShopIds(String),
    /// A cursor-paginated inventory behind a partner proxy.
    Squarespace {
        /// The partner proxy serving the inventory's pages.
        inventory_url: String,
        /// The product page template (`{sku}`, `{variantId}`), if any.
        product_url: Option<String>,
        /// Pages followed at most.
        page_cap: u32,
    },
}

/// Why there is no feed to load.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// Neither a shop nor a feed is configured.
    #[error("No shop is configured. The site that shows this catalogue names its shop: the shop attribute of <cg-inventory>, or the page's cg-config block.")]
    NoShop,
    /// The `squarespace` source was chosen without its `inventory-url`.
    #[error("The inventory source is “squarespace” but no inventory-url is configured.")]
    NoInventoryUrl,
}

impl Config {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

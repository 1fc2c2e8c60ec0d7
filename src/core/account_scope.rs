//! Where a buyer's session and cart are kept. A token is only good at the
//! API that issued it, for the shop it was issued for, so both are part of
//! every key: a page configured with another API never finds (and so never
//! sends) a token that was issued elsewhere.

use crate::links::url_origin;

/// The prefix of every key the widget keeps in Web Storage.
const PREFIX: &str = "cg-inventory";

/// One API and one shop domain: the scope of a login and of a cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountScope {
    /// The API's origin (`https://host[:port]`, lower-cased).
    api: String,
    /// The shop domain sent as `commonground-origin`.
    shop: String,
}

impl AccountScope {
    /// The scope of `api_url` and `shop_domain`; `None` when the API is not
    /// an http(s) URL.
    pub fn new(api_url: &str, shop_domain: &str) -> Option<AccountScope> {
        Some(AccountScope {
            api: url_origin(api_url)?,
            shop: shop_domain.to_ascii_lowercase(),
        })
    }

    /// The API origin a stored session must name to be used here.
    pub fn api(&self) -> &str {
        &self.api
    }

    /// The host (and port) of the API, as the login form names it.
    pub fn api_host(&self) -> &str {
        self.api
            .split_once("://")
            .map_or(self.api.as_str(), |(_, host)| host)
    }

    /// The shop domain.
    pub fn shop(&self) -> &str {
        &self.shop
    }

    /// The key of the login session (in `sessionStorage`).
    pub fn session_key(&self) -> String {
        self.key("session")
    }

    /// The key of the cart (in `localStorage`).
    pub fn cart_key(&self) -> String {
        self.key("cart")
    }

    /// The session key of versions that scoped by shop domain alone. A
    /// session found there is never used (its API is unknown), only removed.
    pub fn unscoped_session_key(&self) -> String {
        format!("{PREFIX}:session:{}", self.shop)
    }

    /// The cart key of versions that scoped by shop domain alone: a cart
    /// found there is moved once under [`AccountScope::cart_key`].
    pub fn unscoped_cart_key(&self) -> String {
        format!("{PREFIX}:cart:{}", self.shop)
    }

    fn key(&self, what: &str) -> String {
        format!("{PREFIX}:{what}:{}@{}", self.shop, self.api)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_both_the_api_and_the_shop() {
        let scope = AccountScope::new(
            "https://API-client.common-ground.io/graphql",
            "www.my-store.com",
        )
        .unwrap();
        assert_eq!(
            scope.session_key(),
            "cg-inventory:session:www.my-store.com@https://api-client.common-ground.io"
        );
        assert_eq!(
            scope.cart_key(),
            "cg-inventory:cart:www.my-store.com@https://api-client.common-ground.io"
        );
        assert_eq!(scope.api_host(), "api-client.common-ground.io");
        assert_eq!(
            scope.unscoped_cart_key(),
            "cg-inventory:cart:www.my-store.com"
        );
        assert_eq!(
            scope.unscoped_session_key(),
            "cg-inventory:session:www.my-store.com"
        );
    }

    #[test]
    fn another_api_or_shop_is_another_scope() {
        let scope = |api, shop| AccountScope::new(api, shop).unwrap();
        let real = scope(
            "https://api-client.common-ground.io/graphql",
            "www.my-store.com",
        );
        for other in [
            scope("https://evil.example/graphql", "www.my-store.com"),
            scope(
                "http://api-client.common-ground.io/graphql",
                "www.my-store.com",
            ),
            scope(
                "https://api-client.common-ground.io:8443/graphql",
                "www.my-store.com",
            ),
            scope(
                "https://api-client.common-ground.io/graphql",
                "other-shop.com",
            ),
        ] {
            assert_ne!(other.session_key(), real.session_key());
            assert_ne!(other.cart_key(), real.cart_key());
        }
        assert_eq!(
            scope(
                "https://api-client.common-ground.io/other-path",
                "WWW.my-store.com"
            )
            .session_key(),
            real.session_key(),
            "one API origin"
        );
        assert_eq!(AccountScope::new("/graphql", "www.my-store.com"), None);
    }
}
